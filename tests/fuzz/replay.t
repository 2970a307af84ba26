#!/bin/sh
# Replay the fuzz targets' entry points over the public corpus and the
# fuzz seeds (no libFuzzer needed): in the sanitizer build this is where
# a parser crash or leak on real-world input shows up.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
F=$top_builddir/tests/fuzz
C=$top_srcdir/tests/corpus/public
S=$top_srcdir/tests/fuzz/corpus
files=$(find "$C" "$S" -type f ! -name '*.tsv' ! -name '*.md' | sort)
n=0
for t in mime header template armor cvss triage; do
	for f in $files; do n=$((n + 1)); done
done
echo "1..$n"
E=$(mktemp /tmp/psirt-replay.XXXXXX)
trap 'rm -f "$E"' EXIT
i=0
for t in mime header template armor cvss triage; do
	for f in $files; do
		i=$((i + 1))
		if "$F/replay-$t" "$f" >/dev/null 2>"$E"; then
			echo "ok $i - $t: ${f#$top_srcdir/}"
		else
			echo "not ok $i - $t: ${f#$top_srcdir/}"
			sed 's/^/# /' "$E" | head -20
		fi
	done
done
