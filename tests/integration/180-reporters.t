#!/bin/sh
# The reporter relationship record (`reporters`): a seeded store whose
# answers the test knows: reports, valid ones, first and last, the
# median time to the first reply, CWE expertise, the credit choice
# (291-credits.t tests credits in full).
. "$top_srcdir/tests/lib/lib.sh"
need jq sqlite3
mk_instance || { echo "Bail out! init failed"; exit 1; }
rep() {	# rep FROM DAY SUBJECT BODY
	mkmsg "$1" "$3" "$4" >"$I/r.eml"
	PSIRT_NOW=2026-11-0$2T03:00:00Z deliver "$I/r.eml"
	PSIRT_NOW=2026-11-0$2T03:00:00Z process
}
for d in 1 2 3 4 5; do rep 'Alice <alice@example.net>' $d "alice $d" 'a report'; done
rep 'Bob <bob@example.net>' 2 'bob 1' 'XSS, CWE-79'
rep 'Bob <bob@example.net>' 3 'bob 2' 'another CWE-79'
rep 'Bob <BOB@example.net>' 4 'bob 3' 'SQL injection, CWE-89'
rep 'Carol <carol@example.net>' 3 'carol 1' 'x
Credit: Carol C.'
A2=$($A case list --json | jq -r '.[] | select(.subject == "alice 2") | .id')
$A case set "$A2" status=rejected 2>>"$I/agent.log"
CC=$($A case list --json | jq -r '.[] | select(.subject == "carol 1") | .id')
$A case set "$CC" credit-confirm=all 2>>"$I/agent.log"

R=$($A reporters --json)
is "$?" 0 "reporters --json"
is "$(printf '%s' "$R" | jq -c '[.[] | [.address, .reports, .valid]]')" \
    '[["alice@example.net",5,4],["bob@example.net",3,3],["carol@example.net",1,1]]' \
    "per reporter (addresses in any case are one): reports and valid ones, most first"
is "$(printf '%s' "$R" | jq -r '.[0] | .first_report_at + " " + .last_report_at')" \
    "2026-11-01T03:00:00Z 2026-11-05T03:00:00Z" "first and last report"
is "$(printf '%s' "$R" | jq -c '.[1].expertise')" '["CWE-79","CWE-89"]' "expertise: CWE IDs, most stated first"
is "$(printf '%s' "$R" | jq -r '[.[].median_reply_seconds] | join(",")')" "0,0,0" \
    "the acknowledgement left as the case opened"
is "$(printf '%s' "$R" | jq -r '[.[].credit] | map(. // "-") | join(",")')" "-,-,Carol C." \
    "the credit choice: what the reporter's mail stated, confirmed"
is "$(printf '%s' "$R" | jq -r '.[0] | .name + " " + .channel + " " + .preferred_encryption')" \
    "Alice mail no" "name, channel, encryption"
like "$($A reporters | sed -n 2p)" '^alice@example.net +5 +4 ' "the table"

# the hall of fame: only those who chose to be named
AL=$($A case list --json | jq -r '.[] | select(.subject == "alice 1") | .id')
BO=$($A case list --json | jq -r '.[] | select(.subject == "bob 1") | .id')
$A case set "$AL" credit=anonymous 2>>"$I/agent.log"
# (the credit grammar takes "<...>" as a contact: markup is tested by "&", "*", "[")
$A case set "$BO" 'credit=Bob & *the* [Tester]' 2>>"$I/agent.log"
M=$($A halloffame)
like "$M" '^# Hall of fame' "halloffame: Markdown by default"
is "$(printf '%s\n' "$M" | grep -c '^- ')" 2 "two named reporters"
like "$M" 'Bob & \\\*the\\\* \\\[Tester\\\] \(1 report\)' \
    "with the valid cases that credit them (one of Bob's three), Markdown escaped"
unlike "$M" '[Aa]lice' "who chose anonymous is not named"
H=$($A halloffame --format html)
like "$H" '<li>Bob &amp; \*the\* \[Tester\] \(1 report\)</li>' "HTML, escaped"
like "$H" '<li>Carol C\. \(1 report\)</li>' "one report"
done_testing
