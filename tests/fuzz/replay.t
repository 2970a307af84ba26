#!/bin/sh
# Replay the fuzz targets' entry points (no libFuzzer needed) over their
# inputs: in the sanitizer build this is where a parser crash or leak on
# real-world input, or the return of a bug fuzzing found, shows up.
#
# Each target NAME gets its own seeds and regression inputs
# (tests/fuzz/corpus-NAME/, if there is one) and the shared ones
# (tests/fuzz/corpus/); the targets that read text from whole messages
# also get the public mail corpus (tests/corpus/public/).
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
F=$top_builddir/tests/fuzz
C=$top_srcdir/tests/corpus/public
S=$top_srcdir/tests/fuzz
targets="mime header template armor cvss triage imap address decode date
html command policy reply credit affected"

# the input files of target $1, one a line
inputs() {
	dirs="$S/corpus"
	[ -d "$S/corpus-$1" ] && dirs="$dirs $S/corpus-$1"
	case $1 in
	mime|header|template|armor|cvss|triage|imap|credit) dirs="$dirs $C" ;;
	esac
	# shellcheck disable=SC2086
	find $dirs -type f ! -name '*.tsv' ! -name '*.md' | sort
}

n=0
for t in $targets; do
	n=$((n + $(inputs "$t" | wc -l)))
done
echo "1..$n"
E=$(mktemp /tmp/psirt-replay.XXXXXX)
trap 'rm -f "$E"' EXIT
i=0
for t in $targets; do
	for f in $(inputs "$t"); do
		i=$((i + 1))
		if "$F/replay-$t" "$f" >/dev/null 2>"$E"; then
			echo "ok $i - $t: ${f#$top_srcdir/}"
		else
			echo "not ok $i - $t: ${f#$top_srcdir/}"
			sed 's/^/# /' "$E" | head -20
		fi
	done
done
