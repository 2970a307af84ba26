#!/bin/sh
# `check` finds what it says it finds: each kind of damage to the spool,
# the store or the audit record, made on a fresh backup of one healthy
# instance, gives exit 65 and the line that names it; the healthy
# instance passes.
. "$top_srcdir/tests/lib/lib.sh"
need sqlite3 jq
mk_instance || { echo "Bail out! init failed"; exit 1; }
mkattmsg "R1 <r1@check.example>" att1@check.example >"$I/att.eml"
deliver "$I/att.eml"
for n in 2 3; do
	mkmsg "R$n <r$n@check.example>" "report $n" "text of report $n" >"$I/r.eml"
	deliver "$I/r.eml"
done
process
$A check >"$I/check.out" 2>&1
is "$?" 0 "a healthy instance passes"
like "$(cat "$I/check.out")" "check: ok: 3 spool files" "and says what it counted"

k=0
# damaged: a new backup of the healthy instance in $D, its store $DB,
# its command $DA
damaged() {
	k=$((k + 1))
	D=$I/bk$k
	$A backup "$D" >/dev/null 2>>"$I/agent.log" || fail "backup $k"
	DB=$D/psirt.db
	DA="$PSIRT_AGENT -c $D/psirt-agent.conf"
}
# finds RULE NAME WHAT: check of the damaged copy exits 65, names the
# rule (and NAME, a regular expression)
finds() {
	$DA check >"$D.out" 2>&1
	rc=$?
	if [ $rc -eq 65 ] && grep -q "^check: $1[^:]*: $2" "$D.out" &&
	    grep -q "^check: [0-9]* problems*$" "$D.out"; then
		pass "$3: found (65)"
	else
		fail "$3: found (65)"
		diag "exit $rc" "$(cat "$D.out")"
	fi
}
# (subjects are sealed in the store: found by sender and attachment)
QID=$(sqlite3 "$I/inst/psirt.db" "SELECT qid FROM messages WHERE from_addr = 'r2@check.example'")
AQID=$(sqlite3 "$I/inst/psirt.db" "SELECT qid FROM messages WHERE id IN (SELECT message FROM attachments)")
CID=$(sqlite3 "$I/inst/psirt.db" "SELECT case_id FROM messages WHERE qid = '$QID'")
[ -n "$QID" ] && [ -n "$AQID" ] && [ -n "$CID" ] || { echo "Bail out! no messages stored"; exit 1; }

damaged; rm "$D/spool/archive/$QID"
finds "a stored message without its spool file" "$QID" "an archived message removed"

damaged; cp "$D/spool/archive/$QID" "$D/spool/archive/00000000000000000000BEEF"
finds "a file in archive/ that the store does not hold" "00000000000000000000BEEF" "a stray file in archive/"

damaged; cp "$D/spool/archive/$QID" "$D/spool/incoming/$QID"
finds "a file in incoming/ that is stored already" "$QID" "a stored message in incoming/ again"

damaged; rm "$D/spool/vault/$QID.text"
finds "sealed content the store refers to is missing" "$QID.text" "a message's sealed text removed"

damaged; rm "$D/spool/vault/$AQID.1"
finds "sealed content the store refers to is missing" "$AQID.1" "a sealed attachment removed"

damaged; sqlite3 "$DB" "UPDATE attachments SET ref = '../../psirt.db'"
finds "a vault name with a slash" "\\.\\./\\.\\./psirt\\.db" "a vault name that leaves the vault"

damaged; cp "$D/spool/archive/$QID" "$D/spool/hold/$QID"
sqlite3 "$DB" "INSERT INTO queue (qid, state, updated_at) VALUES ('$QID', 'deferred', 0)"
finds "a spool file whose queue row says otherwise" "$QID deferred" "a file in hold/ whose row says deferred"

damaged; cp "$D/spool/archive/$QID" "$D/spool/active/00000000000000000000CAFE"
finds "a file in active/ with no queue run going" "00000000000000000000CAFE" "a file left in active/"

damaged; sqlite3 "$DB" "INSERT INTO queue (qid, state, updated_at) VALUES ('00000000000000000000F00D', 'hold', 0)"
finds "a queue row without its spool file" "00000000000000000000F00D hold" "a queue row without a file"

damaged; sqlite3 "$DB" "INSERT INTO queue (qid, state, updated_at) VALUES ('00000000000000000000F00D', 'lost', 0)"
finds "a queue row in an unknown state" "00000000000000000000F00D lost" "a queue row in no known state"

damaged; sqlite3 "$DB" "UPDATE counters SET value = 2"
finds "a case ID counter behind the IDs it gave" "PSIRT-[0-9]*-%N 2" "a case counter set back"
mkmsg 'R4 <r4@check.example>' 'report 4' 'text of report 4' | $DA deliver 2>/dev/null
$DA process 2>"$D.err"
is "$($DA case list --json | jq -r '.[].id' | sort | tail -n 1)" "$(echo "$CID" | sed 's/[0-9]*$//')0004" \
    "the next case skips the taken IDs (no collision)"
like "$(cat "$D.err")" "case ID .*0003 is taken" "and says so"
$DA check >/dev/null 2>&1
is "$?" 0 "then the counter is right again"

damaged; sqlite3 "$DB" "DELETE FROM messages WHERE case_id = '$CID'"
finds "a case without a message" "$CID" "a case's messages deleted"

damaged; sqlite3 "$DB" "INSERT INTO messages (qid, case_id, direction, kind, received_at, raw_sha256) SELECT '00000000000000000000D0D0', case_id, direction, kind, received_at, raw_sha256 FROM messages WHERE qid = '$QID'"
cp "$D/spool/archive/$QID" "$D/spool/archive/00000000000000000000D0D0"
finds "the same message processed more than once" "" "one message stored twice"

damaged; sqlite3 "$DB" "INSERT INTO events (case_id, at, type) VALUES ('PSIRT-1999-0001', 0, 'note')"
finds "events of a case that does not exist" "PSIRT-1999-0001" "an event of no case"

# the audit record: an event changed after it was written
damaged; sqlite3 "$DB" "UPDATE events SET detail = 'rewritten' WHERE id = (SELECT min(id) FROM events)"
$DA check >"$D.out" 2>&1
is "$?" 65 "an event rewritten: check fails (65)"
like "$(cat "$D.out")" "audit: " "the audit verification says why"

# the healthy instance is untouched by all that
$A check >/dev/null 2>&1
is "$?" 0 "the instance itself still passes"
done_testing
