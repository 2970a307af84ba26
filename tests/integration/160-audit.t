#!/bin/sh
# The tamper-evident record: every event is a link of a BLAKE2b chain and
# the head is signed with the instance's Ed25519 key after each run;
# `audit verify` names the first entry that does not hold (an edited,
# removed or forged row, a bad signature); `audit export` gives a case's
# entries with the proof, without other cases' content.
. "$top_srcdir/tests/lib/lib.sh"
need jq sqlite3
mk_instance || { echo "Bail out! init failed"; exit 1; }
DB=$I/inst/psirt.db
sq() { sqlite3 "$DB" "$1"; }
for n in 1 2 3; do
	mkmsg "r$n@example.net" "report $n" "text $n" >"$I/m$n.eml"
	deliver "$I/m$n.eml"
done
process
C1=$($A case list --json | jq -r '.[0].id')
C2=$($A case list --json | jq -r '.[1].id')
$A case merge "$C1" "$C2" >/dev/null 2>>"$I/agent.log"
$A audit sign 2>>"$I/agent.log"

out=$($A audit verify)
is "$?" 0 "audit verify: exit 0 on an intact store"
like "$out" "^audit: [0-9]+ events chained, [0-9]+ heads signed, the chain holds the anchored head, the state of 3 cases agrees with it: intact" "and says so"
like "$(stat -c %a "$I/inst/audit.anchor")" '^600$' "the anchor file outside the store is made mode 0600"
like "$(grep -c . "$I/inst/audit.anchor")" '^[1-9]' "each signed head is appended to it"
like "$(stat -c %a "$I/inst/audit.key")" '^600$' "the signing key is made mode 0600"
is "$(sq "SELECT count(*) FROM events WHERE hash IS NULL")" 0 "every event is chained (a merge moves none)"

cp "$DB" "$I/good.db"
good() { cp "$I/good.db" "$DB"; rm -f "$DB-wal" "$DB-shm"; }
# broken SQL WHAT: after SQL, audit verify exits 65; $out what it said
broken() {
	sq "$1"
	out=$($A audit verify)
	is "$?" 65 "$2: exit 65"
}
N=$(sq "SELECT id FROM events WHERE type = 'ack-queued' LIMIT 1")
broken "UPDATE events SET detail = 'nothing happened' WHERE id = $N" "an edited row"
like "$out" "broken at event $N \\(case [^,]*, ack-queued\\): its content is not what was recorded" \
    "names the edited entry"

good
N=$(sq "SELECT id FROM events ORDER BY id LIMIT 1 OFFSET 3")
broken "DELETE FROM events WHERE id = $N" "a removed row"
like "$out" "broken at event $((N + 1)) .*does not follow the entry before it" \
    "names the entry after the gap"

good
broken "INSERT INTO events(case_id, at, type, detail, actor) VALUES ('$C1', 0, 'case-closed', 'forged', 'mallory')" \
    "a row written around the agent"
like "$out" "case-closed\\): it is not chained" "is found"

good
broken "UPDATE audit_heads SET hash = substr(hash, 2) || '0' WHERE id = (SELECT max(id) FROM audit_heads)" \
    "a signed head altered"
like "$out" 'signature does not verify' "the signature catches it"

# cutting the record (issue 17): the heads anchored outside the store
good
L=$(sq "SELECT max(id) FROM events")
broken "DELETE FROM events WHERE id > $L - 3; DELETE FROM audit_heads WHERE event_id > $L - 3" \
    "the last events cut together with the signed heads over them"
like "$out" "the chain ends at event $((L - 3)), but a head .* up to event $L: events were removed from the end" \
    "the anchor shows the cut"
H=$(sq "SELECT count(*) FROM audit_heads")
mkmsg 'r9@example.net' 'after the cut' 'x' >"$I/m9.eml"
deliver "$I/m9.eml"; process
is "$(sq "SELECT count(*) FROM audit_heads")" "$H" "the next run signs no head over the cut record"
like "$(cat "$I/agent.log")" 'audit: not signing the record: ' "... and says why"
good
broken "UPDATE events SET digest = NULL, prev = NULL, hash = NULL; DELETE FROM audit_heads" \
    "every event's chain fields wiped and every head deleted"
like "$out" "event $L, which a signed head covers, has no chain hash or is gone: the chain was wiped" \
    "the anchor shows the wiping"
good
good
is "$($A audit verify >/dev/null; echo $?)" 0 "the good copy verifies again"
cp "$I/inst/audit.anchor" "$I/anchor.good"
echo 'not a head' >>"$I/inst/audit.anchor"
out=$($A audit verify)
is "$?" 65 "a damaged anchor file: exit 65"
like "$out" '1 lines of .*audit.anchor are not signed heads' "... and says so"
cp "$I/anchor.good" "$I/inst/audit.anchor"

# the state the program acts on is recorded in the chain: a change
# made around the agent is found, row by row (issue 17, 3c)
good
$A case set "$C1" severity=high "summary=heap overflow in the vendor's parser" >/dev/null 2>>"$I/agent.log"
is "$($A audit verify >/dev/null; echo $?)" 0 "changes made by the agent agree with the record"
cp "$DB" "$I/good.db"
broken "UPDATE cases SET status = 'rejected' WHERE id = '$C1'" "a status changed in SQL"
like "$out" "case $C1: case status: is 'rejected', the record says '[a-z-]+'" "names the case, the field and both values"
like "$out" "broken: 1 field or row of the state is not what the record says" "and counts it"
like "$($A check)" "case $C1: case status: is 'rejected'" "check reports it too"
good
broken "UPDATE case_facts SET value = 'nothing to see' WHERE case_id = '$C1' AND kind = 'summary'" \
    "a summary rewritten in SQL"
like "$out" "case $C1: fact summary sha256:[0-9a-f]{64}: the record has '.*', the row is gone" "the recorded row is missing"
like "$out" "case $C1: fact summary sha256:[0-9a-f]{64}: is '.*', the record has no such row" "and a row the record does not have"
unlike "$out" "nothing to see|heap overflow" "without the text itself"
good
broken "INSERT INTO case_facts(case_id, kind, value, at) VALUES ('$C1', 'exception', 'no deadline', 0)" \
    "an exception added in SQL"
like "$out" "case $C1: fact exception sha256:[0-9a-f]{64}: is '.*', the record has no such row" "found"
good
broken "DELETE FROM case_facts WHERE case_id = '$C1'" "facts deleted in SQL"
like "$out" "case $C1: fact .*the row is gone" "found"
good
broken "UPDATE deadlines SET due_at = due_at + 864000 WHERE case_id = '$C1'" "a clock moved in SQL"
like "$out" "case $C1: clock [a-z_-]+: is '.*', the record says" "found"
good
broken "INSERT INTO cases(id, kind, status, created_at, updated_at) SELECT id || 'x', kind, status, created_at, updated_at FROM cases WHERE id = '$C1'" \
    "a case inserted in SQL"
like "$out" "case ${C1}x: no state of it is recorded" "found"
good
broken "INSERT INTO key_pins(addr, protocol, fingerprint, source) VALUES ('r1@example.net', 'openpgp', 'AAAABBBBCCCCDDDDEEEEFFFF0000111122223333', 'autocrypt')" \
    "a key pinned in SQL"
like "$out" "the pinned keys: pin r1@example.net openpgp: is 'AAAABBBB" "found"
good
broken "UPDATE cases SET tlp = 'CLEAR', updated_at = updated_at + 1 WHERE id = '$C2'; UPDATE cases SET severity = NULL WHERE id = '$C1'" \
    "two cases changed"
like "$out" "broken: 2 fields or rows of the state" "both are counted"
good
is "$($A audit verify >/dev/null; echo $?)" 0 "the good copy verifies again"

good
X=$($A audit export "$C1")
is "$(printf '%s' "$X" | jq -r .case)" "$C1" "audit export: the case"
like "$(printf '%s' "$X" | jq -r .signed_head.signature)" '^[0-9a-f]{128}$' "a signed head"
is "$(printf '%s' "$X" | jq '[.entries[] | select(.detail != null and .case_id != "'"$C1"'")] | length')" 0 \
    "no content of other cases"
is "$(printf '%s' "$X" | jq '[.entries[] | select(.case_id == "'"$C1"'")] | length > 0')" true \
    "the case's own entries with their content"
is "$(printf '%s' "$X" | jq -r '[.entries as $e | range(1; $e | length) | select($e[.].prev != $e[. - 1].hash)] | length')" 0 \
    "each entry links to the one before"
is "$(printf '%s' "$X" | jq -r '.entries[-1].hash == .signed_head.hash')" true \
    "up to the signed head"
done_testing
