#!/bin/sh
# The daily digest: `digest at 08:30 days mon-fri` in the policy; each
# member gets one a day from `tick`, at or after 08:30 in their own
# zone, on the digest days only, never twice a day, none with `digest
# off`. It lists the open cases of their tasks (overdue, due today, due
# later), the exceptions waiting for the remediation A, the review queue
# and the quarantine for the intake's R and A. Real keys: Lea's digest
# is encrypted and carries subjects; Ana has no key and Xen's key has
# expired: theirs carry case IDs and counts only, and Lea (the intake's
# A) is told of Xen's key once a day. Every command runs at a simulated
# time (PSIRT_NOW, tick --now); keys and signatures are made with gpg
# --faked-system-time so that they fit those times on any real day.
. "$top_srcdir/tests/lib/lib.sh"
need jq sqlite3 gpg gpgconf
mk_instance || { echo "Bail out! init failed"; exit 1; }
P=$I/inst/policies/psirt.policy
DB=$I/inst/psirt.db

# person "Name <addr>" addr TIME EXPIRY: as gpg_person, the key made at
# TIME (gpg's faked clock) and expiring after EXPIRY
person() {
	R=$(mktemp -d /tmp/pgh.XXXXXX)
	T_DIRS="$T_DIRS $R"
	rgpg --faked-system-time "$3" --quick-gen-key "$1" ed25519 sign "$4" 2>/dev/null
	RFPR=$(rgpg --with-colons --list-secret-keys "$2" | awk -F: '/^fpr/ { print $10; exit }')
	rgpg --faked-system-time "$3" --quick-add-key "$RFPR" cv25519 encr "$4" 2>/dev/null
	rgpg --armor --export "$RFPR" >"$I/k.asc"
	$A key import "$I/k.asc" >/dev/null 2>>"$I/agent.log"
}
person 'Lea <lea@x.example>' lea@x.example 20260101T000000 never
RL=$R; FL=$RFPR
# made on 2020-01-01, expired the next day
person 'Xen <xen@x.example>' xen@x.example 20200101T000000 1d
RX=$R; FX=$RFPR
# the counsel, outside the organisation
person 'Law <law@counsel.example>' law@counsel.example 20260101T000000 never
RW=$R; FW=$RFPR
ok $([ -n "$FL" ] && [ -n "$FX" ]; echo $?) "two keys made (Lea's, and Xen's that expired in 2020)"

grep -v '^role \|^member \|^task \|^organisation ' "$P" >"$P.new" && mv "$P.new" "$P"
cat >>"$P" <<EOP
organisation x.example
role lead "Lead"
role analyst "Analyst"
role dev "Developers"
role ciso "CISO"
role legal "Counsel"
member lead "Lea" lea@x.example pgp $FL tz Asia/Taipei
member analyst "Ana" ana@x.example tz Europe/Berlin
member analyst "Xen" xen@x.example pgp $FX tz Asia/Taipei
member dev "Dev" dev@x.example tz Asia/Taipei digest off
member ciso "Cis" ciso@x.example tz Asia/Taipei
member legal "Law" law@counsel.example pgp $FW digest on tz Asia/Taipei
task intake R analyst A lead
task triage R analyst A lead
task analysis R analyst A lead I legal
task remediation R dev A ciso
task disclosure R lead,legal A lead
digest at 08:30 days mon-fri
EOP
at() { PSIRT_NOW=$1; export PSIRT_NOW; }
at 2026-10-26T00:00:00Z
like "$($A policy check)" 'ok: 5 roles, 6 members, 5 tasks' "the test policy, with digest statements, passes"

# the policy's checks
cp "$P" "$P.good"
echo 'digest at 25:00' >>"$P"
like "$($A policy check 2>&1)" 'psirt.policy:[0-9]+: expected: digest at HH:MM \[days DAY-DAY\], or digest off' \
    "digest at 25:00: refused, with the syntax"
cp "$P.good" "$P"
echo 'digest at 08:30 days someday' >>"$P"
like "$($A policy check 2>&1)" 'digest: bad days "someday"' "bad days: refused"
cp "$P.good" "$P"
echo 'member dev "Dee" dee@x.example digest maybe' >>"$P"
like "$($A policy check 2>&1)" 'member Dee: unexpected "digest" \(expected pgp, smime, tz or digest on\|off' \
    "digest maybe: refused"
cp "$P.good" "$P"

report() {	# report TIME SUBJECT BODY: $ID the new case
	mkmsg 'Rita <rita@example.net>' "$2" "$3" >"$I/r.eml"
	at "$1"
	deliver "$I/r.eml"
	process
	ID=$($A case list --json | jq -r '[.[].id] | sort | .[-1]')
}
# O: triage due Wednesday 2026-10-28 18:00 Taipei (three business
# days), long overdue by 11-05
report 2026-10-26T01:00:00Z 'Old overflow' 'no score yet'
O=$ID
# E: medium severity, its fix clock has the CISO as A; an exception
# waits for his approval; its triage is overdue too
report 2026-10-26T02:00:00Z 'Hardware flaw' 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N'
E=$ID
# V: triage due Thursday 2026-11-05 18:00 Taipei: due today on 11-05
report 2026-11-03T01:00:00Z 'Auth bypass' 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N'
V=$ID
is "$($A case show "$V" --json | jq -r '.deadlines[] | select(.name == "triage") | .due_at')" \
    2026-11-05T10:00:00Z "V's triage is due 2026-11-05 18:00 Taipei"
# H: TLP:AMBER+STRICT; the notice to the counsel outside the
# organisation waits for review
report 2026-11-02T02:00:00Z 'Keep this in-house' 'TLP:AMBER+STRICT please'
H=$ID
at 2026-11-02T03:00:00Z
$A case set "$H" status=triaged 2>>"$I/agent.log"
$A case set "$H" status=confirmed 2>>"$I/agent.log"
REV=$($A queue list --json | jq -r '[.[] | select(.queue == "review") | .queue_id] | join(" ")')
ok $([ -n "$REV" ]; echo $?) "a reply is held for review ($REV)"
# the exception, by Lea's signed mail (signed at the simulated time)
at 2026-11-04T01:00:00Z
B=$(printf '#case %s\n#exception needs a hardware revision\n' "$E" |
    R=$RL rgpg --faked-system-time 20261104T010000 --clearsign 2>/dev/null)
printf 'From: Lea <lea@x.example>\nTo: security@example.org\nSubject: Re: [%s] work\nMessage-ID: <exc.%s@x.example>\n\n%s\n' \
    "$E" "$$" "$B" >"$I/s.eml"
deliver "$I/s.eml"; process
like "$($A case show "$E" --json | jq -r '[.events[] | select(.type == "exception-requested") | .detail] | last')" \
    'hardware revision' "an exception waits for approval on $E"
# a message in quarantine
: >"$I/empty.eml"
deliver "$I/empty.eml"; process
QID=$(ls "$I/inst/spool/quarantine" | head -n 1)
ok $([ -n "$QID" ]; echo $?) "a message in quarantine ($QID)"

# tick TIME: $DIG the members a digest went to, $KEY those told of a key
tick() {
	rm -f "$I"/mail/*.eml
	at "$1"
	$A tick --now "$1" 2>>"$I/agent.log"
	DIG=$(for f in "$I"/mail/*.eml; do
		[ -f "$f" ] && grep -Eq '^Subject: (Daily digest|Digest [0-9])' "$f" &&
		    sed -n 's/^To: .*<\(.*\)>$/\1/p' "$f"
	done | sort | tr '\n' ' ' | sed 's/ $//')
	KEY=$(for f in "$I"/mail/*.eml; do
		[ -f "$f" ] && grep -q '^Subject: Digest to ' "$f" &&
		    sed -n 's/^To: .*<\(.*\)>$/\1/p' "$f"
	done | sort | tr '\n' ' ' | sed 's/ $//')
}
digest_of() {	# the digest mail to ADDRESS of the last tick
	for f in "$I"/mail/*.eml; do
		grep -Eq '^Subject: (Daily digest|Digest [0-9])' "$f" &&
		    grep -q "^To: .*<$1>" "$f" && cat "$f"
	done
}

# Thursday 2026-11-05
tick 2026-11-05T00:29:00Z
is "$DIG" "" "08:29 in Taipei: no digest"
tick 2026-11-05T00:30:00Z
is "$DIG" "ciso@x.example law@counsel.example lea@x.example xen@x.example" \
    "08:30 in Taipei: Cis, Law, Lea, Xen (Ana is in Berlin, Dev has digest off)"
M=$(digest_of lea@x.example)
like "$(printf '%s' "$M" | grep -i '^Content-Type:' | head -n 1)" 'multipart/encrypted' "Lea's digest is encrypted"
like "$(printf '%s' "$M" | grep '^Auto-Submitted:')" 'auto-generated' "Auto-Submitted: auto-generated (RFC 3834)"
unlike "$M" 'Old overflow|Auth bypass|Hardware flaw' "no subject in clear"
L=$(printf '%s' "$M" | sed -n '/BEGIN PGP MESSAGE/,/END PGP MESSAGE/p' | R=$RL rgpg --decrypt 2>/dev/null)
like "$L" 'Your daily digest of 2026-11-05: 4 open cases' "decrypted: Lea has four open cases (the disclosure's R and A)"
OV=$(printf '%s\n' "$L" | sed -n '/^Overdue (2):/,/^Due today/p')
like "$OV" "$O +triage +2026-10-28 18:00 CST +Old overflow" "overdue: O's triage, due 2026-10-28 18:00 Taipei, with its subject"
like "$OV" "$E +triage +2026-10-29 10:00 CST +Hardware flaw" "and E's"
unlike "$OV" "$H" "not H's triage: met (status triaged)"
TD=$(printf '%s\n' "$L" | sed -n '/^Due today (1):/,/^Open, due later/p')
like "$TD" "$V +triage +2026-11-05 18:00 CST +Auth bypass" "due today: V's triage"
LA=$(printf '%s\n' "$L" | sed -n '/^Open, due later:/,/^Exceptions/p')
like "$LA" "$V +disclosure +2027-02-01 09:00 CST +Auth bypass" "due later: V's disclosure (Lea is its R and A)"
unlike "$LA" " fix " "not the fix clocks: Lea has no part in remediation"
RV=$(printf '%s\n' "$L" | sed -n '/^Replies held for review (1;/,/^Quarantined/p')
like "$RV" "$H +status-notice +$REV" "the review queue: H's held notice (Lea is the intake's A)"
like "$(printf '%s\n' "$L" | sed -n '/^Quarantined messages (1;/,/^Case subjects/p')" "$QID" "the quarantine, by queue ID"
X=$(digest_of xen@x.example)
like "$X" "Subject: Daily digest 2026-11-05: 2 overdue, 1 due today" "Xen's digest, in clear (his key expired)"
unlike "$(printf '%s' "$X" | grep -i '^Content-Type:' | head -n 1)" 'encrypted' "not encrypted"
like "$X" "$O +triage +2026-10-28 18:00 CST" "it names O's overdue triage"
like "$X" "$V +triage +2026-11-05 18:00 CST" "and V's triage due today"
unlike "$X" 'Old overflow|Auth bypass|Hardware flaw|in-house' "but no case subject"
like "$X" '#show CASE' "and says how to read a case"
like "$X" "Replies held for review \\(1;" "Xen, an R of intake, sees the review queue (IDs only)"
is "$KEY" "lea@x.example" "Lea, the intake's A, is told of Xen's key"
K=$(for f in "$I"/mail/*.eml; do grep -q '^Subject: Digest to ' "$f" && cat "$f"; done)
like "$K" "Xen <xen@x.example> could not be" "... naming Xen"
like "$K" "$FX" "... and the key"
C=$(digest_of ciso@x.example)
like "$C" "Subject: Daily digest 2026-11-05: 0 overdue, 0 due today" "Cis, without a key: in clear"
like "$(printf '%s\n' "$C" | sed -n '/^Exceptions waiting for your approval (1):/,/^Replies/p')" "  $E" \
    "the exception of $E waits for him (the remediation's A)"
like "$C" "$V +fix +2026-11-10 09:00 CST" "and V's fix clock (he is its A)"
unlike "$C" 'Hardware flaw|Auth bypass' "no subject"
like "$C" 'Replies held for review \(0;' "the review queue is not his"
W=$(digest_of law@counsel.example | sed -n '/BEGIN PGP MESSAGE/,/END PGP MESSAGE/p' | R=$RW rgpg --decrypt 2>/dev/null)
like "$W" "$O +disclosure +2027-01-24 09:00 CST +Old overflow" \
    "Law (outside the organisation, an R of disclosure) gets subjects, encrypted"
like "$W" "$H +disclosure +2027-01-31 10:00 CST" "and H's disclosure clock"
unlike "$W" 'in-house' "but not the subject of H, whose TLP:AMBER+STRICT keeps it in the organisation"
is "$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE case_id IS NULL AND type = 'digest-sent'")" 4 \
    "four digest-sent events, on no case"
is "$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE case_id IS NULL AND type = 'digest-key-unusable'")" 1 \
    "one digest-key-unusable event"

tick 2026-11-05T03:00:00Z
is "$DIG $KEY" " " "11:00 the same day: nothing (no digest twice, the coordinator told once)"
tick 2026-11-05T07:29:00Z
is "$DIG" "" "07:29 UTC is 08:29 in Berlin: nothing for Ana yet"
tick 2026-11-05T07:30:00Z
is "$DIG" "ana@x.example" "08:30 in Berlin: Ana's digest"
A1=$(digest_of ana@x.example)
like "$A1" "$O +triage +2026-10-28 11:00 CET" "in her zone"
unlike "$A1" 'Old overflow|Auth bypass' "no key: no subject"
tick 2026-11-05T08:00:00Z
is "$DIG" "" "and only once"

# Friday: again, and the coordinator told again
tick 2026-11-06T00:45:00Z
is "$DIG" "ciso@x.example law@counsel.example lea@x.example xen@x.example" "the next day: again"
is "$KEY" "lea@x.example" "Lea told again, once for the new day"
like "$(digest_of xen@x.example)" 'Subject: Daily digest 2026-11-06: 3 overdue, 0 due today' \
    "V's triage is overdue now"
# the weekend
tick 2026-11-07T00:30:00Z
is "$DIG" "" "Saturday: nothing (mon-fri)"
tick 2026-11-08T02:00:00Z
is "$DIG" "" "Sunday: nothing"
# Monday: the agent was down at 08:30; the first tick after sends it
tick 2026-11-09T05:00:00Z
is "$DIG" "ciso@x.example law@counsel.example lea@x.example xen@x.example" \
    "Monday 13:00, the first tick of the day: the digests"
tick 2026-11-09T05:01:00Z
is "$DIG" "" "the tick a minute later: nothing"
is "$(sqlite3 "$DB" "SELECT count(*) FROM digests WHERE rcpt = 'dev@x.example'")" 0 "Dev (digest off) never got one"
is "$(sqlite3 "$DB" "SELECT count(*) FROM outbox WHERE kind = 'digest'")" 13 "13 digests through the outbox in all"

like "$($A audit verify 2>&1)" 'intact' "the record, with the events of no case, is intact"

# with the statement gone, no digest
sed -i '/^digest at /d' "$P"
tick 2026-11-10T00:30:00Z
is "$DIG" "" "no digest statement: no digest"
done_testing
