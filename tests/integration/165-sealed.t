#!/bin/sh
# Sealed means sealed (issue 17, 7): text people wrote -- subjects,
# names, attachment names, stated facts (title, summary, remediation,
# mitigation, credit, exceptions) and event details with free text --
# is sealed in the store like message bodies, so that `strings` over the
# store, its WAL, a backup and the whole instance finds none of it; the
# agent still shows it all; without the seal key it reads "[sealed]"
# and is not written in clear.
. "$top_srcdir/tests/lib/lib.sh"
need jq sqlite3 strings
mk_instance || { echo "Bail out! init failed"; exit 1; }
DB=$I/inst/psirt.db
# words that appear nowhere else: each one is a piece of report text
{
	printf 'From: Zelda Quux <zq@example.net>\nTo: security@example.org\n'
	printf 'Subject: Xylophone overflow in frobnicator\n'
	printf 'Date: Sun, 22 Nov 2026 10:00:00 +0000\n'
	printf 'Message-ID: <sealed1@example.net>\nMIME-Version: 1.0\n'
	printf 'Content-Type: multipart/mixed; boundary=b\n\n--b\n'
	printf 'Content-Type: text/plain\n\nSecretword bodytext: the parser overflows.\n'
	printf -- '--b\nContent-Type: application/octet-stream\n'
	printf 'Content-Disposition: attachment; filename="Gnuexploit.py"\n\n'
	printf 'Gnupayload\n--b--\n'
} >"$I/m1.eml"
deliver "$I/m1.eml"; process
C=$($A case list --json | jq -r '.[0].id')
$A case set "$C" "summary=Quokkasummary heap overflow" "title=Wombattitle parser bug" \
    "remediation=Platypusremedy update to 2.0" "mitigation=Echidnamitigate disable it" \
    "credit=Numbatcredit Person" "module=Dingomodule core" >/dev/null 2>>"$I/agent.log"
is "$?" 0 "case set with text facts"
mkmsg "Zelda Quux <zq@example.net>" "Re: [$C] Kookaburra details" "Followuptext more" >"$I/m2.eml"
deliver "$I/m2.eml"; process
$A backup "$I/bk" >/dev/null 2>>"$I/agent.log"
is "$?" 0 "a backup"
[ -f "$I/bk/psirt.db" ] || { echo "Bail out! no backup"; exit 1; }
# keep a WAL with the newest writes in it: a reader holds a snapshot
# open (no checkpoint can pass it, the last close cannot remove the WAL)
mkfifo "$I/sqlin"
sqlite3 "$DB" <"$I/sqlin" >/dev/null 2>&1 &
SQPID=$!
exec 3>"$I/sqlin"
echo "BEGIN; SELECT count(*) FROM cases;" >&3
$A case set "$C" "summary=Walrussummary second thought" >/dev/null 2>>"$I/agent.log"

WORDS='Yakplain Zelda Quux Xylophone frobnicator Secretword Gnuexploit Gnupayload Quokkasummary Wombattitle Platypusremedy Echidnamitigate Numbatcredit Dingomodule Kookaburra Followuptext Walrussummary'
found() {	# found FILE...: the words in the strings of the files
	for f in "$@"; do [ -f "$f" ] && strings -a "$f"; done |
	    grep -oE "$(echo $WORDS | tr ' ' '|')" | sort -u | tr '\n' ' '
}
is "$(found "$DB")" "" "strings over the store: no report text"
is "$(found "$DB-wal")" "" "strings over its WAL: none"
is "$(found "$I/bk/psirt.db" "$I/bk/"*)" "" "strings over the backup: none"
is "$(find "$I/inst" "$I/bk" -type f -exec strings -a {} + | grep -oE "$(echo $WORDS | tr ' ' '|')" | sort -u | tr '\n' ' ')" "" \
    "and over every file of the instance"
like "$(stat -c %s "$DB-wal" 2>/dev/null || echo 0)" '^[1-9]' "(the WAL held data when it was looked at)"
echo "COMMIT;" >&3
exec 3>&-
wait $SQPID

# the agent shows it all
S=$($A case show "$C" --json)
is "$(printf '%s' "$S" | jq -r .subject)" "Xylophone overflow in frobnicator" "case show: the subject"
like "$S" "Walrussummary second thought" "the newest summary"
like "$S" "Wombattitle parser bug" "the title"
like "$S" "Gnuexploit.py" "the attachment's name"
like "$($A case show "$C")" "Zelda Quux" "the reporter's name"
like "$($A case show "$C")" "summary=Walrussummary" "events with their text"
is "$($A audit verify >/dev/null; echo $?)" 0 "audit verify holds over sealed details"
X=$($A audit export "$C")
is "$(printf '%s' "$X" | jq -r '[.entries[] | select(.text != null) | .text] | map(select(test("Quokkasummary"))) | length')" 1 \
    "audit export: a sealed detail with its text"
like "$(printf '%s' "$X" | jq -r '[.entries[] | select(.text != null) | .detail][0]')" '^\$psirt\$1\$' \
    "and as stored, which its digest covers"
# equal text seals equal: facts keep their identity (a value removed by value)
$A case set "$C" "unset=module=Dingomodule core" >/dev/null 2>>"$I/agent.log"
is "$?" 0 "a sealed fact removed by its value"
unlike "$($A case show "$C")" "module: Dingomodule" "it is gone"
is "$($A check >/dev/null; echo $?)" 0 "check: ok"

# without the seal key
mv "$I/inst/seal.key" "$I/seal.key.away"
like "$($A case show "$C" 2>&1)" "\\[sealed\\]" "without the seal key the text reads [sealed]"
out=$($A case set "$C" "summary=Yakplain text" 2>&1)
ok $((! $?)) "and new text is not written"
like "$out" "seal key is not loaded" "... saying why"
is "$(found "$DB" "$DB-wal")" "" "nothing in clear"
mv "$I/seal.key.away" "$I/inst/seal.key"
done_testing
