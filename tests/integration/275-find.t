#!/bin/sh
# Finding cases: `case list` with filters (AND-ed) and `case search`
# over subjects, facts and the sealed message text. Six cases of
# different status, kind, severity, product, reporter, TLP, assignee and
# age; every filter is checked against the cases it must (and must not)
# return; the search finds a word that only the sealed body holds, not
# an absent one, takes regular expression characters literally, refuses
# a query over search_max_length; bad values exit 64.
. "$top_srcdir/tests/lib/lib.sh"
need jq sqlite3
mk_instance || { echo "Bail out! init failed"; exit 1; }
at() { PSIRT_NOW=$1; export PSIRT_NOW; }
# report AT FROM SUBJECT BODY: a new case opened at time AT; $ID is it
report() {
	at "$1"
	mkmsg "$2" "$3" "$4" >"$I/m.eml"
	deliver "$I/m.eml"; process
	ID=$($A case list --json | jq -r '.[-1].id')
}
set_() { $A case set "$@" 2>>"$I/agent.log"; }
report 2026-11-02T01:00:00Z 'Rita <rita@example.net>' 'Overflow in the parser' \
    'The zebrafish frame: heap overflow in parse_frame() when len=a.*b+c [x]'
C1=$ID
report 2026-11-10T01:00:00Z 'Bob <bob@example.com>' 'XSS in the web UI' \
    'A stored cross-site scripting in the admin page.'
C2=$ID
report 2026-11-20T01:00:00Z 'Carol <carol@example.org>' 'Ransomware on a build server' \
    'Our build host shows encrypted files.'
C3=$ID
report 2026-12-01T01:00:00Z 'Rita <rita@example.net>' 'Second finding: auth bypass' \
    'Login skips the password check (see the okapi trace).'
C4=$ID
report 2026-12-02T01:00:00Z 'Dan <dan@example.net>' 'Open redirect' 'redirect'
C5=$ID
report 2026-12-03T01:00:00Z 'Eve <eve@example.net>' 'Weak TLS ciphers' 'tls'
C6=$ID
set_ "$C1" status=triaged severity=high product=Router tlp=RED \
    assign=analyst cve=CVE-2026-1111
set_ "$C2" status=triaged severity=low product=Camera tlp=GREEN \
    assign=huang@corp.example
set_ "$C3" kind=incident severity=critical tlp=AMBER
set_ "$C4" severity=high product=Router assign=product-dev
set_ "$C5" status=rejected
set_ "$C6" status=triaged severity=medium product=router
is "$($A case list --json | jq length)" 6 "six cases"

# ids CMD...: the IDs the JSON of a listing holds, sorted, one line
ids() { "$@" --json 2>>"$I/agent.log" | jq -r '[.[].id] | sort | join(" ")'; }
L="$A case list"
is "$(ids $L --status triaged)" "$C1 $C2 $C6" "--status"
is "$(ids $L --status new)" "$C3 $C4" "--status new"
is "$(ids $L --kind incident)" "$C3" "--kind"
is "$(ids $L --kind vulnerability --status new)" "$C4" "filters AND-ed (kind and status)"
is "$(ids $L --severity high)" "$C1 $C4" "--severity"
is "$(ids $L --severity high --status triaged)" "$C1" "--severity and --status"
is "$(ids $L --product Router)" "$C1 $C4 $C6" "--product (any letter case)"
is "$(ids $L --product Camera)" "$C2" "--product Camera"
is "$(ids $L --reporter rita@example.net)" "$C1 $C4" "--reporter"
is "$(ids $L --reporter RITA@example.net --severity high --product Router)" "$C1 $C4" \
    "--reporter in any letter case, with two filters more"
is "$(ids $L --assigned analyst)" "$C1 $C2" \
    "--assigned ROLE: the role, and the role's members (huang@corp.example)"
is "$(ids $L --assigned huang@corp.example)" "$C1 $C2" \
    "--assigned ADDR: the member, and the roles the member is in (analyst)"
is "$(ids $L --assigned analyst --severity high)" "$C1" "--assigned, AND-ed"
is "$(ids $L --assigned product-dev)" "$C4" "--assigned another role"
is "$(ids $L --assigned dev-leads@corp.example)" "$C4" "a member of product-dev"
is "$(ids $L --since 2026-12-01)" "$C4 $C5 $C6" "--since DATE"
is "$(ids $L --since 2026-12-01T01:00:01Z)" "$C5 $C6" "--since full ISO 8601"
is "$(ids $L --since=2026-12-01T09:00:00+08:00)" "$C4 $C5 $C6" "--since=TIME with an offset"
is "$(ids $L --since 2026-11-05 --status triaged)" "$C2 $C6" "--since and --status"
is "$(ids $L --status fixed)" "" "no case: an empty array"
# overdue: at 2026-12-03 the early cases' deadlines are past; the
# rejected one has none running
exp=$($A case list --overdue --json | jq -r '[.[].id] | unique | join(" ")')
like "$exp" "$C1" "the old listing of late deadlines holds case 1"
is "$(ids $L --overdue --kind vulnerability --kind vulnerability)" \
    "$(echo "$exp" | tr ' ' '\n' | grep -v "^$C3\$" | sort | tr '\n' ' ' | sed 's/ $//')" \
    "--overdue with a filter: the cases of the late deadlines"
unlike "$(ids $L --overdue --status rejected)" "$C5" "a rejected case runs no deadline"
at 2026-11-02T01:00:01Z
is "$(ids $L --overdue --severity high)" "" "nothing is late just after the report"
at 2026-12-03T01:00:00Z
# the JSON: the objects of case list --json, the same fields and values
is "$($L --status triaged --json | jq -c '.[0]')" \
    "$($L --json | jq -c --arg i "$C1" '.[] | select(.id == $i)')" \
    "a filtered listing's objects are case list's"
# the old listings keep their shape
is "$($L --json | jq -r '.[0] | keys | join(",")')" \
    "created_at,hold,id,kind,lang,level,no_reply_address,reporter,reporter_name,severity,severity_by,source,status,subject,tlp,updated_at" \
    "case list --json as before, with no_reply_address"
is "$($L --overdue --json | jq -r '.[0] | keys | join(",")')" \
    "deadline,due_at,id,late_seconds" "case list --overdue --json as before"
like "$($L --status triaged)" "^ID +STATUS +KIND +SEVERITY +TLP +DUE +SUBJECT" "the text table"
like "$($L --status triaged | grep "$C1")" "$C1 +triaged +vulnerability +high +RED +fix 2026-.*Z \(late\) +Overflow in the parser" \
    "a row: status, kind, severity, TLP, the next deadline (late), subject"

# search: the body is sealed, in the vault only
DB=$I/inst/psirt.db
is "$(sqlite3 "$DB" "SELECT count(*) FROM messages WHERE text LIKE '%zebrafish%' OR subject LIKE '%zebrafish%'")" 0 \
    "the body's words are not in the store in clear"
ok $(! grep -rqi zebrafish "$I/inst/spool"; echo $?) "nor in the spool's files"
S="$A case search"
is "$(ids $S zebrafish)" "$C1" "search finds a word only the sealed body holds"
is "$($S zebrafish --json | jq -r '.[0].match')" "message 1" "... and says where"
is "$(ids $S ZebraFish HEAP)" "$C1" "any ASCII letter case; every word"
is "$(ids $S zebrafish okapi)" "" "every word must occur in the case"
is "$(ids $S okapi)" "$C4" "a word of another case's body"
is "$(ids $S narwhal)" "" "an absent word finds nothing"
is "$(ids $S ransomware)" "$C3" "a word of a subject"
is "$($S ransomware --json | jq -r '.[0].match')" "subject" "... found in the subject"
is "$(ids $S cve-2026-1111)" "$C1" "a fact (CVE)"
is "$($S cve-2026-1111 --json | jq -r '.[0].match')" "fact cve" "... found in the fact"
is "$(ids $S camera)" "$C2" "a fact (product)"
is "$(ids $S 'a.*b+c')" "$C1" "regular expression characters are literal: a.*b+c is there"
is "$(ids $S 'a.*b+x')" "" "... and a.*b+x, which a pattern would match, is not"
is "$(ids $S '[x]')" "$C1" "[x] literally"
is "$(ids $S '^.*$')" "" "^.*$ finds no case"
is "$(ids $S 'parse_frame()')" "$C1" "parentheses literally"
is "$(ids $S overflow --status new)" "" "search with a filter"
is "$($S zebrafish --json | jq -r '.[0] | has("match") and has("subject") and has("tlp")')" true \
    "search JSON: case list's object with match"
like "$($S zebrafish)" "$C1 .*message 1: Overflow in the parser" "search text: where, then the subject"
# the query's length: search_max_length (1024 by default)
q=$(head -c 10000 /dev/zero | tr '\0' 'a')
$S "$q" >"$I/out" 2>"$I/err"
is "$?" 64 "a 10 000-character query is refused (exit 64)"
like "$(cat "$I/err")" "the query is 10000 bytes, longer than search_max_length \(1024\)" "with a clear reason"
is "$(wc -c <"$I/out" | tr -d ' ')" 0 "and no output"
printf 'search_max_length = 16k\n' >>"$C"
is "$(ids $S "$q")" "" "with search_max_length = 16k, the 10 000-character query runs (no case)"
q=$(for k in $(seq 1000); do printf 'zebrafish '; done)
is "$(ids $S $q)" "$C1" "1 000 words (10 000 characters) find case 1"
q=$(for k in $(seq 1000); do printf '(a+)+$ '; done)
s=$(date +%s)
is "$(ids $S "$q")" "" "a query of 1 000 nested patterns: literal, nothing"
ok $([ $(( $(date +%s) - s )) -lt 10 ]; echo $?) "... at once"

# refusals: exit 64 and the bad word named
bad() {	# bad WHAT ARGS...
	w=$1
	shift
	$A case "$@" >/dev/null 2>"$I/err"
	is "$?" 64 "$w: exit 64"
}
bad "bad --since" list --since 2026-13-45
like "$(cat "$I/err")" 'since: "2026-13-45" is not a date' "bad --since named"
bad "--since yesterday" list --since yesterday
bad "bad --status" list --status trage
like "$(cat "$I/err")" 'did you mean "triaged"' "with the nearest status"
bad "bad --kind" list --kind bug
bad "bad --severity" list --severity urgent
bad "an unknown role" list --assigned nosuchrole
like "$(cat "$I/err")" '"nosuchrole" is neither a role' "the unknown role named"
bad "an unknown option" list --colour red
bad "--status without a value" list --status
bad "search without words" search --json
done_testing
