#!/bin/sh
# Retention: `expire` with a simulated clock (PSIRT_NOW). Closed cases of
# each kind and TLP lose their mail when the policy's retention for them
# is past, and not before; --dry-run changes nothing; a case under legal
# hold is kept; the case, its facts and its record stay, and the record
# says what went; `audit verify` and `check` pass after it; an expire
# stopped after its commit (every unlink failing) is finished by the next
# run; tick runs it once a day; bad retention lines are file:line.
. "$top_srcdir/tests/lib/lib.sh"
need sqlite3 jq
mk_instance || { echo "Bail out! init failed"; exit 1; }
P=$I/inst/policies/psirt.policy
DB=$I/inst/psirt.db
SP=$I/inst/spool
cat >>"$P" <<'EOF'
retention vulnerability 1 years
retention incident 3 years
retention tlp:red 5 years
EOF
like "$($A policy check 2>&1)" "ok" "a policy with retention statements passes"

# five reports: v1 (with an attachment), red, inc, held, open
mkattmsg "V1 <v1@exp.example>" v1@exp.example >"$I/att.eml"
deliver "$I/att.eml"
for w in red inc held open; do
	mkmsg "$w <$w@exp.example>" "report $w" "the words of report $w" >"$I/r.eml"
	deliver "$I/r.eml"
done
process
id() { sqlite3 "$DB" "SELECT id FROM cases WHERE reporter = '$1@exp.example'"; }
V1=$(id v1) RED=$(id red) INC=$(id inc) HELD=$(id held) OPEN=$(id open)
[ -n "$V1" ] && [ -n "$RED" ] && [ -n "$INC" ] && [ -n "$HELD" ] &&
    [ -n "$OPEN" ] || { echo "Bail out! cases not opened"; exit 1; }
qid() { sqlite3 "$DB" "SELECT qid FROM messages WHERE case_id = '$1' AND direction = 'in'"; }
Q1=$(qid "$V1") QRED=$(qid "$RED") QINC=$(qid "$INC") QHELD=$(qid "$HELD")
SHA=$(sqlite3 "$DB" "SELECT sha256 FROM attachments")

$A case set "$V1" cve=CVE-2026-41234 status=rejected 2>>"$I/agent.log"
$A case set "$RED" tlp=RED status=duplicate 2>>"$I/agent.log"
$A case set "$INC" kind=incident status=contained 2>>"$I/agent.log"
$A case set "$INC" status=closed 2>>"$I/agent.log"
$A case set "$HELD" status=rejected hold=yes 2>>"$I/agent.log"
is "$(sqlite3 "$DB" "SELECT count(*) FROM cases WHERE status IN ('rejected', 'duplicate', 'closed')")" 4 \
    "four cases closed"
$A case set "$HELD" hold=maybe 2>"$I/err"
is "$?" 65 "hold=maybe is refused"
like "$(cat "$I/err")" "hold is yes or no" "and the error says why"
is "$($A case show "$HELD" --json | jq -r .hold)" true "case show --json: hold"
like "$($A case show "$HELD")" "Hold: *yes" "case show: hold"
is "$($A case show "$OPEN" --json | jq -r .hold)" false "an open case is not held"

T0=$(date +%s)
Y=$((365 * 86400))
at() { PSIRT_NOW=@$1; export PSIRT_NOW; }
state() {	# what expire may change: rows, text and files
	sqlite3 "$DB" "SELECT id, coalesce(expired, 0), text IS NULL FROM messages ORDER BY id;
	    SELECT count(*) FROM events; SELECT sum(length(raw)) FROM outbox"
	ls "$SP/archive" "$SP/vault"
}
files() { ls "$SP/archive" "$SP/vault" | grep -c "^$1"; }

# half a year on: nothing is past retention
at $((T0 + Y / 2))
out=$($A expire 2>&1)
is "$?" 0 "expire at half a year: exit 0"
like "$out" "expire: 0 cases" "nothing expires before the retention is past"

# two years on: v1 (vulnerability, 1 year) expires; red (5), inc (3)
# not; held is kept; open is not closed
at $((T0 + 2 * Y))
state >"$I/before"
out=$($A expire --dry-run 2>&1)
is "$?" 0 "dry run: exit 0"
like "$out" "expire: $V1: vulnerability rejected: would remove 2 messages, 1 attachment \\(5 bytes\\), 1 original, 1 sent reply" \
    "dry run: v1 would go (the report, the acknowledgement)"
like "$out" "$HELD: under legal hold: kept" "dry run: the held case is named"
unlike "$out" "$RED|$INC|$OPEN" "dry run: no other case"
state >"$I/after"
cmp -s "$I/before" "$I/after"; ok $? "dry run: nothing changed"
is "$(sqlite3 "$DB" "SELECT value FROM meta WHERE key = 'expire-last-run'")" "$((T0 + Y / 2))" \
    "dry run: no run recorded (the last is the one at half a year)"

# tick runs it: the first tick (none before)
out=$($A tick 2>>"$I/agent.log")
like "$out" "expire: $V1: vulnerability rejected: removed 2 messages" "tick runs expire (a day since the last): v1 removed"
is "$(sqlite3 "$DB" "SELECT value FROM meta WHERE key = 'expire-last-run'")" "$((T0 + 2 * Y))" \
    "tick recorded the run at the simulated time"
is "$(files "$Q1")" 0 "v1's original, text and attachment are gone from the spool"
is "$(sqlite3 "$DB" "SELECT count(*) FROM messages WHERE case_id = '$V1' AND (text IS NOT NULL OR coalesce(expired, 0) != 2)")" 0 \
    "v1's messages hold no text, and are marked gone"
is "$(sqlite3 "$DB" "SELECT coalesce(sum(length(raw)), 0) FROM outbox WHERE case_id = '$V1'")" 0 \
    "v1's sent acknowledgement kept no body"
is "$(files "$QRED") $(files "$QINC") $(files "$QHELD")" "2 2 2" \
    "the other closed cases keep their original and text"
J=$($A case show "$V1" --json)
is "$(echo "$J" | jq -r '.status + " " + (.cves | join(","))')" "rejected CVE-2026-41234" \
    "the case and its facts stay"
is "$(echo "$J" | jq -r '[.messages[] | select(.direction == "in")][0].text_error')" \
    "removed by retention (expire)" "case show says the text was removed"
is "$(echo "$J" | jq -r '[.messages[] | select(.direction == "in")][0].attachments[0].sha256')" "$SHA" \
    "the attachment's name and hash stay"
$A case attachment "$V1" "$SHA" >/dev/null 2>&1
is "$?" 65 "the attachment itself is gone"
D=$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE case_id = '$V1' AND type = 'expired' AND actor = 'agent'")
is "$D" 1 "the audit chain records the removal"
like "$($A audit export "$V1" 2>&1 | jq -r '.. | objects | select(.type? == "expired") | .text')" \
    "removed the content of 2 messages .*originals: $Q1:[0-9a-f]{64}" \
    "and its entry names the original and its hash"
$A audit verify >"$I/verify" 2>&1
is "$?" 0 "audit verify passes after expire"
$A check >"$I/check" 2>&1
is "$?" 0 "check passes after expire"
[ "$?" -eq 0 ] || diag "$(cat "$I/check")"

# a tick within the day does not run it again; expire by hand again
# removes nothing more
$A tick >/dev/null 2>>"$I/agent.log"
at $((T0 + 2 * Y + 3600))
$A tick >/dev/null 2>>"$I/agent.log"
is "$(sqlite3 "$DB" "SELECT value FROM meta WHERE key = 'expire-last-run'")" "$((T0 + 2 * Y))" \
    "a tick within the day leaves it"
like "$($A expire 2>&1)" "expire: 0 cases" "a second expire finds nothing more"

# four years on: the incident (3 years) goes, with every unlink failing
# (the run stops after its commit): the store says expired, the files
# stay, check still passes, and the next run finishes
at $((T0 + 4 * Y))
LIB=$top_builddir/tests/fault/libfault.so
if [ -f "$LIB" ] && ! ldd "$PSIRT_AGENT" | grep -q libasan; then
	FAULT=unlink:1+ FAULT_PROG=psirt-agent-core LD_PRELOAD=$LIB $A expire >"$I/out" 2>&1
	is "$?" 75 "expire with unlink failing: exit 75"
	like "$(cat "$I/out")" "expire: $INC: incident closed: removed 2 messages" \
	    "the incident's content is removed from the store"
	is "$(sqlite3 "$DB" "SELECT group_concat(DISTINCT expired) FROM messages WHERE case_id = '$INC'")" 1 \
	    "its messages are marked expired, files still to remove"
	is "$(files "$QINC")" 2 "its files are still there"
	$A check >"$I/check" 2>&1
	is "$?" 0 "check passes in between"
	out=$($A expire 2>&1)
	is "$?" 0 "the next expire: exit 0"
	like "$out" "expire: 0 cases" "it expires nothing again"
	is "$(files "$QINC")" 0 "and it removed the files left"
	is "$(sqlite3 "$DB" "SELECT group_concat(DISTINCT expired) FROM messages WHERE case_id = '$INC'")" 2 \
	    "and marked them gone"
	is "$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE case_id = '$INC' AND type = 'expired'")" 1 \
	    "one record of the removal"
else
	for n in 1 2 3 4 5 6 7 8 9; do skip "interrupted expire" "no $LIB (or ASan)"; done
	$A expire >/dev/null 2>&1
fi
is "$(files "$QRED")" 2 "the TLP:RED case (5 years) is kept at four"

# six years on: red goes, held stays until the hold is lifted
at $((T0 + 6 * Y))
out=$($A expire 2>&1)
like "$out" "expire: $RED: vulnerability duplicate: removed" "TLP:RED goes after 5 years"
like "$out" "$HELD: under legal hold: kept" "the held case is kept"
is "$(files "$QHELD")" 2 "with its files"
is "$(sqlite3 "$DB" "SELECT count(*) FROM messages WHERE case_id = '$HELD' AND text_ref IS NOT NULL AND expired IS NULL")" 2 \
    "and its messages"
$A case set "$HELD" hold=no 2>>"$I/agent.log"
like "$($A expire 2>&1)" "expire: $HELD: vulnerability rejected: removed 2 messages" \
    "hold lifted: the next run expires it"
is "$(files "$QHELD")" 0 "its files are gone"
is "$(files "$(qid "$OPEN")")" 2 "the open case keeps everything"
$A check >"$I/check" 2>&1
is "$?" 0 "check passes at the end"
[ "$?" -eq 0 ] || diag "$(cat "$I/check")"
$A audit verify >/dev/null 2>&1
is "$?" 0 "audit verify passes at the end"
is "$($A case show "$HELD" --json | jq -r '.hold')" false "hold=no is shown"

# bad retention lines: file:line each, and the policy is refused
unset PSIRT_NOW
cp "$P" "$I/good.policy"
cat >>"$P" <<'EOF'
retention vulnerability 2 fortnights
retention tlp:amber 1 years
retention incident
retention incident 3 business-days
EOF
N=$(wc -l <"$I/good.policy")
out=$($A policy check 2>&1)
is "$?" 78 "bad retention lines: policy check fails"
like "$out" "psirt.policy:$((N + 1)): unknown unit \"fortnights\"" "an unknown unit: file:line"
like "$out" "psirt.policy:$((N + 2)): usage: retention" "an unknown kind: file:line"
like "$out" "psirt.policy:$((N + 3)): usage: retention" "no duration: file:line"
like "$out" "psirt.policy:$((N + 4)): unit \"business-days\"" "business time: file:line"
cp "$I/good.policy" "$P"
$A expire --bogus >/dev/null 2>&1
is "$?" 64 "expire with a bad option: usage (64)"
done_testing
