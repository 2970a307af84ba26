#!/bin/sh
# fuzz-smoke: run every libFuzzer target for a fixed short time over a
# copy of its seeds (tests/fuzz/corpus-NAME, the shared tests/fuzz/corpus
# and, for the targets that read whole messages, tests/corpus/public)
# with its dictionary (tests/fuzz/NAME.dict). A crash, a leak, a
# sanitizer report, a timeout or running out of memory fails the target.
#
# Prints one "PASS: fuzz-NAME" or "FAIL: fuzz-NAME" line per target: the
# lines .ci/run counts. What a failing target found is kept in
# fuzz-artifacts/NAME/ of the current (build) directory and shown as
# hex; FUZZING.md says how it becomes a regression input.
#
# Usage: smoke.sh SRCDIR BINDIR SECONDS NAME...
set -u
src=$1 bin=$2 secs=$3
shift 3
work=$(mktemp -d /tmp/psirt-fuzz-smoke.XXXXXX) || exit 1
trap 'rm -rf "$work"' EXIT INT TERM

# seed directories of target $1
seeds() {
	[ -d "$src/tests/fuzz/corpus-$1" ] && echo "$src/tests/fuzz/corpus-$1"
	echo "$src/tests/fuzz/corpus"
	case $1 in
	mime|armor|triage|imap)
		find "$src/tests/corpus/public" -mindepth 1 -maxdepth 1 \
		    -type d | sort ;;
	esac
}

failed=0
for t in "$@"; do
	w=$work/$t
	mkdir -p "$w/corpus" "$w/found"
	# a copy: the run adds to its corpus, never to the source tree
	for d in $(seeds "$t"); do
		for f in "$d"/*; do
			[ -f "$f" ] || continue
			case $f in *.md|*.tsv|*/NOTICE*) continue ;; esac
			cp "$f" "$w/corpus/$(basename "$d")-$(basename "$f")"
		done
	done
	dict=$src/tests/fuzz/$t.dict
	[ -f "$dict" ] || dict=
	ASAN_OPTIONS=detect_leaks=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	    "$bin/fuzz-$t" -max_total_time="$secs" -rss_limit_mb=2048 \
	    -timeout=20 -print_final_stats=1 -artifact_prefix="$w/found/" \
	    ${dict:+"-dict=$dict"} "$w/corpus" >"$w/log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$w/log")
	cov=$(sed -n 's/^#[0-9]*[[:space:]]*DONE[[:space:]]*cov: \([0-9]*\).*/\1/p' \
	    "$w/log")
	if [ "$rc" -eq 0 ] && [ -z "$(ls "$w/found")" ]; then
		echo "PASS: fuzz-$t (${runs:-?} runs in ${secs}s, cov ${cov:-?})"
		continue
	fi
	failed=$((failed + 1))
	echo "FAIL: fuzz-$t (exit $rc)"
	grep -E 'ERROR|SUMMARY|runtime error|#[0-9]+ 0x' "$w/log" | head -40 |
	    sed 's/^/# /'
	mkdir -p "fuzz-artifacts/$t"
	for f in "$w/found"/*; do
		[ -f "$f" ] || continue
		cp "$f" "fuzz-artifacts/$t/"
		echo "# input: fuzz-artifacts/$t/$(basename "$f")"
		od -An -c "$f" | head -20 | sed 's/^/#   /'
	done
done
exit $((failed > 0))
