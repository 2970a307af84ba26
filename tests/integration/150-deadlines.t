#!/bin/sh
# Deadlines and escalation, walked through weeks with `tick --now`: a
# high-severity vulnerability and a level-4 incident; each reminder and
# escalation reaches exactly the people the policy names, once, at the
# right time (quiet hours in the recipient's zone, never for incidents);
# holidays and a daylight-saving change in business time; pausing moves
# the deadline; a tick killed half-way and run again sends no step twice
# and misses none.
# Every command runs at the simulated time of the step (at TIME sets
# PSIRT_NOW for all that follow, `case show` and `case list` too), so
# the test passes on any day (260-clock.t runs it years ahead).
. "$top_srcdir/tests/lib/lib.sh"
need jq sqlite3 gpg gpgconf
mk_instance || { echo "Bail out! init failed"; exit 1; }
notices_off	# the mail counted is the escalations' (team notices: 283-notify.t)
P=$I/inst/policies/psirt.policy
grep -v '^role \|^member \|^task ' "$P" >"$P.new" && mv "$P.new" "$P"
cat >>"$P" <<'EOP'
role lead "Lead"
role analyst "Analyst"
role dev "Developers"
role ciso "CISO"
role commander "Incident commander"
role deputy "Deputy commander"
member lead "Lea" lea@x.example tz Asia/Taipei
member analyst "Ana" ana@x.example tz Europe/Berlin
member analyst "Tao" tao@x.example tz Asia/Taipei
member dev "Dev" dev@x.example tz Asia/Taipei
member ciso "Cis" ciso@x.example tz Asia/Taipei
member commander "Ian" ian@x.example tz Europe/Berlin
member deputy "Dee" dee@x.example tz Asia/Taipei
task triage R analyst A lead I dev
task remediation R dev A lead C analyst I ciso
task disclosure R lead A lead
task incident-response R deputy A commander I ciso
task re-assessment R deputy A commander
calendar tz Asia/Taipei hours 09:00-18:00 days mon-fri
holiday 2026-11-04 "a holiday"
escalate fix at 50% to R
escalate fix at 100% to A,I
escalate fix at 150% to ciso
escalate disclosure at 100% to A
EOP
at() { PSIRT_NOW=$1; export PSIRT_NOW; }
at 2026-11-02T01:00:00Z
like "$($A policy check)" 'ok: 6 roles, 7 members, 5 tasks' "the test policy passes"

show() { $A case show "$1" --json; }
dl() { show "$1" | jq -r --arg n "$2" ".deadlines[] | select(.name == \$n) | .$3"; }
# tick TIME [CASE]: a tick at TIME; $GOT the escalation mail it sent
# (about CASE, default $CUR; not the status notices), by To
tick() {
	rm -f "$I"/mail/*.eml
	at "$1"
	$A tick --now "$1" 2>>"$I/agent.log"
	GOT=$(for f in "$I"/mail/*.eml; do
		[ -f "$f" ] && grep -q '^Auto-Submitted: auto-generated' "$f" &&
		    grep -q "^Subject: \[${2:-$CUR}\]" "$f" &&
		    ! grep -q "^Subject: \[${2:-$CUR}\] now " "$f" &&
		    sed -n 's/^To: .*<\(.*\)>$/\1/p' "$f"
	done | sort | tr '\n' ' ' | sed 's/ $//')
}
report() {	# report TIME SUBJECT BODY
	mkmsg 'Rita <rita@example.net>' "$2" "$3" >"$I/r.eml"
	at "$1"
	deliver "$I/r.eml"
	process
	ID=$($A case list --json | jq -r '[.[].id] | sort | .[-1]')
	CUR=$ID
}

# 1. high severity, opened Monday 2026-11-02 09:00 in Taipei
report 2026-11-02T01:00:00Z 'Auth bypass' 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N'
V=$ID
is "$(show "$V" | jq -r .severity)" critical "9.1 is critical"
is "$(dl "$V" triage due_at)" 2026-11-05T10:00:00Z \
    "triage: 3 business days, over the holiday on Wednesday (due Thursday 18:00 Taipei)"
is "$(dl "$V" fix due_at)" 2026-11-09T01:00:00Z "fix: 7 days for critical"
is "$(dl "$V" disclosure due_at)" 2027-01-31T01:00:00Z "disclosure: 90 days"

tick 2026-11-03T06:00:00Z
is "$GOT" "tao@x.example" "triage at 50%: R, but Ana in Berlin is in her quiet hours (07:00)"
tick 2026-11-03T07:00:00Z
is "$GOT" "ana@x.example" "at 08:00 in Berlin she gets it"
tick 2026-11-03T07:00:00Z
is "$GOT" "" "the same tick again sends nothing"
tick 2026-11-05T10:30:00Z
is "$GOT" "ana@x.example dev@x.example lea@x.example tao@x.example" \
    "75%: R again; 100%: A (lead) and I (dev)"
is "$(dl "$V" triage state)" missed "the triage deadline is missed"
like "$(show "$V" | jq -r '[.events[] | select(.type == "deadline-missed") | .detail] | join(" ")')" \
    'triage deadline missed \(due 2026-11-05 18:00 CST' "recorded, in the calendar's zone"
M=$(ls "$I"/mail/*.eml | head -n 1)
like "$(cat "$M")" "Subject: \\[$V\\] " "escalation mail carries the case ID"
like "$(cat "$M")" 'Responsible: +Ana, Tao' "who is responsible"
like "$(cat "$M")" 'no case content \(no OpenPGP key' "no case content without a key"
unlike "$(cat "$M")" 'Auth bypass' "not even the subject"
at 2026-11-05T10:30:00Z; $A case set "$V" status=triaged 2>>"$I/agent.log"
is "$(dl "$V" triage state)" met "status triaged meets the triage deadline"
tick 2026-11-09T02:00:00Z
is "$GOT" "ciso@x.example dev@x.example lea@x.example" \
    "fix: 50% to R (dev), 100% to A and I (the policy's ladder)"
tick 2026-11-12T14:00:00Z
is "$GOT" "" "150% falls in the CISO's quiet hours (22:00 Taipei): held"
tick 2026-11-13T00:00:00Z
is "$GOT" "ciso@x.example" "and sent at 08:00"
is "$(dl "$V" fix escalations_sent)" 4 "four fix escalations in all"
is "$($A case list --overdue --json | jq -r --arg v "$V" '[.[] | select(.id == $v) | .deadline] | join(",")')" \
    fix "case list --overdue lists the late fix"

# 2. pausing moves the deadline
report 2026-11-02T01:00:00Z 'Info leak' 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N'
W=$ID
is "$(dl "$W" fix due_at)" 2026-12-02T01:00:00Z "medium: 30 days"
at 2026-11-10T01:00:00Z; $A case set "$W" pause=waiting-vendor 2>>"$I/agent.log"
is "$(dl "$W" fix state)" paused "pause holds the clock"
tick 2026-11-25T01:00:00Z
is "$GOT" "" "no escalation while paused"
at 2026-11-15T01:00:00Z; $A case set "$W" resume 2>>"$I/agent.log"
is "$(dl "$W" fix due_at) $(dl "$W" fix state)" "2026-12-07T01:00:00Z running" \
    "resumed five days later: due five days later"
at 2026-11-16T01:00:00Z; $A case set "$W" status=waiting-reporter 2>>"$I/agent.log"
is "$(dl "$W" fix state)" paused "a pause-in status holds it too"
at 2026-11-16T01:00:00Z; $A case set "$W" status=bogus 2>"$I/err"
is "$?" 65 "an unknown status: exit 65"
like "$(cat "$I/err")" '"status=bogus": unknown status "bogus"; the statuses: new, triaged' "... and says which, and what status takes"

# 3. a level-4 incident: wall clock, urgent, re-assessment
report 2026-11-02T01:00:00Z 'Ransomware on file server' 'Kind: incident
Level: 4
Files are encrypted.'
N=$ID
is "$(show "$N" | jq -r '.kind + " " + (.level|tostring)')" "incident 4" "an incident, level 4"
is "$(dl "$N" incident due_at)" 2026-11-03T13:00:00Z "levels 3-4: 36 hours"
tick 2026-11-02T19:00:00Z
is "$GOT" "dee@x.example" "50%: the deputy, at 03:00 Taipei: incident clocks know no quiet hours"
tick 2026-11-03T13:00:00Z
is "$GOT" "ciso@x.example dee@x.example ian@x.example" \
    "75%: the deputy again; 100%: the commander (A) and the CISO (I)"
is "$(dl "$N" reassessment due_at)" 2026-11-03T14:00:00Z "missed: re-assess within 1 hour"
tick 2026-11-03T13:30:00Z
is "$GOT" "dee@x.example" "re-assessment at 50%: its R"
at 2026-11-03T13:40:00Z; $A case set "$N" level=3 2>>"$I/agent.log"
is "$(dl "$N" reassessment state)" met "a new level is the re-assessment"
tick 2026-11-03T14:30:00Z
is "$GOT" "" "no re-assessment escalation after it"
at 2026-11-03T15:00:00Z; $A case set "$N" status=recovered 2>>"$I/agent.log"
is "$(dl "$N" incident state)" met "recovered meets the incident clock"
is "$(dl "$N" improvement-mid due_at) $(dl "$N" improvement-long due_at)" \
    "2027-05-02T15:00:00Z 2028-11-02T15:00:00Z" "improvement tracking: 6 months and 2 years"

# 4. business time in Berlin across the change from summer time, with a
# holiday on the Monday after it
sed -i 's/^calendar tz Asia\/Taipei hours 09:00-18:00 days mon-fri$/calendar tz Europe\/Berlin hours 09:00-17:00 days mon-fri/' "$P"
printf 'holiday 2026-10-26\ndeadline triage within 2 business-days\n' >>"$P"
report 2026-10-23T13:00:00Z 'Berlin report' 'text'
is "$(dl "$ID" triage due_at)" 2026-10-28T14:00:00Z \
    "Friday 15:00 CEST + 16 working hours, no Monday, is Wednesday 15:00 CET"

# 4b. a member with an OpenPGP key in the policy gets the case content,
# encrypted to that key; one without gets none
gpg_person 'Lea <lea@x.example>' lea@x.example
LFPR=$RFPR
rgpg --armor --export "$LFPR" >"$I/lea.asc"
$A key import "$I/lea.asc" >/dev/null 2>>"$I/agent.log"
sed -i "s/^member lead \"Lea\" lea@x.example tz Asia\/Taipei\$/member lead \"Lea\" lea@x.example pgp $LFPR tz Asia\/Taipei/" "$P"
grep -q "pgp $LFPR" "$P"; ok $? "Lea's key is in the policy"
report 2026-11-02T01:00:00Z 'Secret thing' 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'
tick 2026-11-05T10:30:00Z
is "$GOT" "ana@x.example dev@x.example lea@x.example tao@x.example" "the triage ladder as before"
M=$(grep -l "^Subject: \\[$CUR\\]" $(grep -l '^To: .*lea@x.example' "$I"/mail/*.eml) | head -n 1)
like "$(grep -i '^Content-Type:' "$M" | head -n 1)" 'multipart/encrypted' "Lea's mail is PGP/MIME encrypted"
unlike "$(cat "$M")" 'Secret thing' "nothing of the case in clear"
like "$(sed -n '/BEGIN PGP MESSAGE/,/END PGP MESSAGE/p' "$M" | rgpg --decrypt 2>/dev/null)" \
    'Subject: +Secret thing' "decrypted, it has the case's subject"
M=$(grep -l "^Subject: \\[$CUR\\]" $(grep -l '^To: .*dev@x.example' "$I"/mail/*.eml) | head -n 1)
like "$(cat "$M")" 'no case content \(no OpenPGP key' "Dev, without a key, gets none"

# 5. a tick killed half-way, then run again: every step once
at 2026-11-02T01:00:00Z
i=0
while [ $i -lt 120 ]; do
	mkmsg "k$i@example.net" "k $i" 'x' >"$I/k.eml"
	deliver "$I/k.eml"
	i=$((i + 1))
done
process
K="SELECT id FROM cases WHERE reporter GLOB 'k[0-9]*@example.net'"  # (subjects are sealed)
q="SELECT count(*) FROM escalations WHERE clock = 'triage' AND case_id IN ($K)"
at 2026-11-03T07:00:00Z
$A tick --now 2026-11-03T07:00:00Z 2>>"$I/agent.log" &
KP=$!
# kill it as soon as some, not all, are recorded
t=0
while [ $t -lt 500 ] && [ "$(sqlite3 "$I/inst/psirt.db" "$q" 2>/dev/null || echo 0)" -lt 10 ]; do
	t=$((t + 1))
done
kill -KILL $KP 2>/dev/null
wait $KP 2>/dev/null
part=$(sqlite3 "$I/inst/psirt.db" "$q")
diag "killed after $part of 240 escalations"
$A tick --now 2026-11-03T07:00:00Z 2>>"$I/agent.log"
is "$(sqlite3 "$I/inst/psirt.db" "$q")" 240 "after the re-run: 240 escalations (120 cases, Ana and Tao)"
is "$(sqlite3 "$I/inst/psirt.db" "SELECT count(*) FROM outbox WHERE kind = 'escalation' AND case_id IN ($K)")" \
    240 "and exactly one mail queued for each"
is "$(sqlite3 "$I/inst/psirt.db" "SELECT count(DISTINCT case_id || rcpt) FROM outbox WHERE kind = 'escalation' AND case_id IN ($K)")" \
    240 "one per case and person"
# 6. a rotating role: one member, in turn by day
cat >>"$P" <<'EOP'
role oncall "On call" rotation daily
member oncall "On One" on1@x.example tz Asia/Taipei
member oncall "On Two" on2@x.example tz Asia/Taipei
escalate disclosure at 10% to oncall
EOP
report 2026-11-02T01:00:00Z 'Rotation one' 'x'
X1=$ID
report 2026-11-03T01:00:00Z 'Rotation two' 'x'
X2=$ID
oncall() { printf '%s\n' $GOT | grep '^on' | tr '\n' ' ' | sed 's/ $//'; }
tick 2026-11-11T02:00:00Z "$X1"
G1=$(oncall)
tick 2026-11-12T02:00:00Z "$X2"
G2=$(oncall)
like "$G1 $G2" '^on[12]@x\.example on[12]@x\.example$' "each day one member of the rotating role"
ok $([ "$G1" != "$G2" ]; echo $?) "and the next day the other ($G1, then $G2)"
done_testing
