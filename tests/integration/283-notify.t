#!/bin/sh
# Told at once: a new report, a reporter's follow-up, a quarantined
# message, a reply held for review and an exception awaiting approval
# each send a notice to the people the policy names (`notify`; by
# default the R and A of intake, the A of remediation for an exception).
# The content goes only encrypted to a member's key and only where the
# TLP allows; a burst is batched per member; a member's reply to a
# notice threads into the case as a note. Real keys for two members and
# the reporter; the third member has none.
. "$top_srcdir/tests/lib/lib.sh"
need jq gpg gpgconf sqlite3
mk_instance || { echo "Bail out! init failed"; exit 1; }
P=$I/inst/policies/psirt.policy
# every queue run flushes (the hold-off is tested at the end)
printf 'notice_batch_delay = 0\n' >>"$C"
gpg_person 'Lin <lin@corp.example>' lin@corp.example; RL=$R; FL=$RFPR
gpg_person 'Chen <chen@corp.example>' chen@corp.example; RC=$R; FC=$RFPR
gpg_person 'Rita <rita@example.net>' rita@example.net; RR=$R
for h in $RL $RC $RR; do
	R=$h rgpg --armor --export >"$I/k.asc"
	$A key import "$I/k.asc" >/dev/null 2>>"$I/agent.log"
done
# intake: R coordinator (Chen with a key, Wang without), A psirt-lead
# (Lin with a key); both coordinators on duty (no rotation)
sed -i "s/^member psirt-lead \"Lin Mei-hua\" lin@corp.example\$/& pgp $FL/; s/^member coordinator \"Chen Wei\" chen@corp.example\$/& pgp $FC/; s/^\\(role coordinator .*\\) rotation weekly\$/\\1/" "$P"
like "$($A policy check)" 'ok:' "the policy with the members' keys passes"

# to ADDR: the mails sent to ADDR, oldest first; count_to ADDR
to() { grep -l "^To: .*<$1>" "$I"/mail/*.eml 2>/dev/null | sort; }
count_to() { to "$1" | grep -c . ; }
# dec FILE HOME: the decrypted text of a PGP/MIME mail
dec() { sed -n '/BEGIN PGP MESSAGE/,/END PGP MESSAGE/p' "$1" | R=$2 rgpg --decrypt 2>/dev/null; }
new_since() {	# new_since N ADDR: the mails to ADDR after the first N
	to "$2" | tail -n +$(($1 + 1))
}
cases() { $A case list --json | jq -r '[.[].id] | sort | .[]'; }
lastcase() { cases | tail -n 1; }

# 1. a new report: the R and A of intake, one notice each
b=$(printf 'The parser overflows on long input: secret-detail-4711.\n' | R=$RR rgpg --clearsign)
mkmsg 'Rita <rita@example.net>' 'Overflow in the parser' "$b" >"$I/r1.eml"
deliver "$I/r1.eml"; process
ID=$(lastcase)
for who in lin chen wang; do
	is "$(count_to $who@corp.example)" 1 "a new report: $who (R or A of intake) gets one notice"
done
is "$(count_to huang@corp.example)$(count_to ciso@corp.example)" 00 "nobody else on the team is told"
L=$(to lin@corp.example)
like "$(grep -i '^Content-Type:' "$L" | head -n 1)" 'multipart/encrypted' "Lin's notice is encrypted"
unlike "$(cat "$L")" 'secret-detail-4711' "nothing of the report in clear"
like "$(grep '^Subject:' "$L")" "^Subject: \\[$ID\\]" "the Subject carries the case tag"
like "$(grep '^Auto-Submitted:' "$L")" 'auto-generated' "Auto-Submitted: auto-generated (RFC 3834)"
like "$(grep '^Reply-To:' "$L")" 'security@example.org' "Reply-To is the PSIRT address"
D=$(dec "$L" "$RL")
like "$D" 'secret-detail-4711' "decrypted with Lin's key: the report's text"
like "$D" "Case: +$ID" "... the case ID"
like "$D" 'Reporter: +Rita <rita@example.net>' "... the reporter"
like "$D" 'Next: +triage the report' "... and what is due next"
like "$(dec "$(to chen@corp.example)" "$RC")" 'secret-detail-4711' "Chen's opens with Chen's key"
W=$(to wang@corp.example)
unlike "$(cat "$W")" 'secret-detail-4711' "Wang, without a key: no report text"
like "$(cat "$W")" 'Reporter: +Rita <rita@example.net>' "... but the case's standard elements (the reporter; the TLP allows him)"
like "$(cat "$W")" "send a signed mail with the line #show $ID to security@example.org" \
    "... but how to get it"
like "$(cat "$W")" "Case: +$ID" "... and the case's clear elements"
is "$($A case show "$ID" --json | jq '[.events[] | select(.type == "team-notice")] | length')" 3 \
    "each notice is an event on the case"

# 2. the reporter's follow-up
mkmsg 'Rita <rita@example.net>' "Re: [$ID] Overflow in the parser" 'more: followup-detail-0815' >"$I/f1.eml"
deliver "$I/f1.eml"; process
is "$(count_to wang@corp.example)" 2 "a follow-up: a notice"
like "$(dec "$(to lin@corp.example | tail -n 1)" "$RL")" 'followup-detail-0815' "with the follow-up's text for Lin"
like "$(cat "$(to wang@corp.example | tail -n 1)")" 'Follow-up from the reporter' "Wang is told what happened"

# 3. TLP:RED: the content only to the R and A of intake (here Chen is
# only its I, and told as logistics)
$A case set "$ID" tlp=RED 2>>"$I/agent.log"
cp "$P" "$I/before-red.policy"
sed -i 's/^task intake R coordinator A psirt-lead I analyst$/task intake R support A psirt-lead I coordinator/' "$P"
printf 'member logistics "Chen Wei" chen@corp.example pgp %s\nnotify followup kind vulnerability psirt-lead,logistics\n' "$FC" >>"$P"
like "$($A policy check)" 'ok:' "notify followup kind vulnerability psirt-lead,logistics"
nl=$(count_to lin@corp.example) nc=$(count_to chen@corp.example) nw=$(count_to wang@corp.example)
mkmsg 'Rita <rita@example.net>' "Re: [$ID] more" 'red-detail-9999' >"$I/f2.eml"
deliver "$I/f2.eml"; process
is "$(count_to wang@corp.example)" "$nw" "the statement for the kind: Wang is not told"
is "$(count_to chen@corp.example)" $((nc + 1)) "Chen is told (as logistics)"
C2=$(to chen@corp.example | tail -n 1)
unlike "$(cat "$C2") $(dec "$C2" "$RC")" 'red-detail-9999' \
    "TLP:RED: Chen, not R or A of intake, gets no content though he has a key"
like "$(cat "$C2")" "#show $ID" "... only how to ask for it"
unlike "$(cat "$C2") $(dec "$C2" "$RC")" 'rita@example.net' "... and not the reporter either"
like "$(dec "$(to lin@corp.example | tail -n 1)" "$RL")" 'red-detail-9999' "Lin, the A of intake, gets it"
cp "$I/before-red.policy" "$P"
$A case set "$ID" tlp=GREEN 2>>"$I/agent.log"

# 4. a quarantined message: its queue ID, no content
: >"$I/empty.eml"
deliver "$I/empty.eml"; process
QID=$($A queue list --json | jq -r '.[] | select(.queue == "quarantine") | .queue_id')
Q=$(to wang@corp.example | tail -n 1)
like "$(grep '^Subject:' "$Q")" 'quarantine' "a quarantined message: a notice"
like "$(cat "$Q")" "Queue ID: $QID" "naming the queue ID"
like "$(cat "$Q")" 'Reason: +empty message' "and the reason"
printf 'notify quarantine psirt-lead\n' >>"$P"
nw=$(count_to wang@corp.example) nl=$(count_to lin@corp.example)
printf '\n\n' >"$I/empty2.eml"
deliver "$I/empty2.eml"; process
is "$(count_to wang@corp.example) $(count_to lin@corp.example)" "$nw $((nl + 1))" \
    "notify quarantine psirt-lead: only Lin is told"

# 4b. a held message (an auto-reply that threads to no case): told too,
# its queue ID and reason, no content
nw=$(count_to wang@corp.example)
mkmsg 'Away <away@elsewhere.example>' 'Out of office: hold-body-7777' \
    'I am away, hold-body-7777' 'Auto-Submitted: auto-replied' >"$I/away.eml"
deliver "$I/away.eml"; process
HQID=$($A queue list --json | jq -r '.[] | select(.queue == "hold") | .queue_id' | tail -n 1)
ok $([ -n "$HQID" ]; echo $?) "an auto-reply to no case is held"
is "$(count_to wang@corp.example)" $((nw + 1)) "a held message: a notice to the coordinator"
H=$(to wang@corp.example | tail -n 1)
like "$(grep '^Subject:' "$H")" 'hold' "... saying so in its Subject"
like "$(cat "$H")" "Queue ID: $HQID" "naming the queue ID"
like "$(cat "$H")" 'Reason: +autoreply without a case: Auto-Submitted' "and the reason"
unlike "$(cat "$H")" 'hold-body-7777' "never the content"
printf 'notify hold none\n' >>"$P"
nw=$(count_to wang@corp.example)
mkmsg 'Away <away2@elsewhere.example>' 'Out of office' 'away' \
    'Auto-Submitted: auto-replied' >"$I/away2.eml"
deliver "$I/away2.eml"; process
is "$(count_to wang@corp.example)" "$nw" "notify hold none: nobody is told"

# 4c. a report with no reply address anywhere: a case, and the notice
# says nobody can be answered
nw=$(count_to wang@corp.example)
printf 'Subject: tip without an address\n\nan anonymous tip\n' >"$I/noaddr.eml"
deliver "$I/noaddr.eml"; process
is "$(count_to wang@corp.example)" $((nw + 1)) "a report with no reply address: a notice"
like "$(cat "$(to wang@corp.example | tail -n 1)")" 'Reporter: +\(no reply address\)' \
    "... saying there is no reply address"

# 5. a reply held for review (a CVE request for a TLP:RED case)
$A case set "$ID" tlp=RED product='ACME Router' version=2.0 \
    summary='An overflow in the parser.' 2>>"$I/agent.log"
nw=$(count_to wang@corp.example)
$A cve-request "$ID" >/dev/null 2>>"$I/agent.log"
is "$(sqlite3 "$I/inst/psirt.db" "SELECT state FROM outbox WHERE kind = 'cve-request'")" review "the request is held for review"
process
is "$(count_to wang@corp.example)" $((nw + 1)) "the team is told by the next run"
like "$(cat "$(to wang@corp.example | tail -n 1)")" 'Reply held for review' "... that a reply waits for review"
unlike "$(cat "$(to wang@corp.example | tail -n 1)")" 'ACME Router' "a TLP:RED case's elements (its product) never go in clear"
like "$(dec "$(to lin@corp.example | tail -n 1)" "$RL")" 'Product: +ACME Router' "the product, encrypted"
like "$(dec "$(to lin@corp.example | tail -n 1)" "$RL")" 'cve-request to twcert@cert.org.tw held for review' \
    "Lin (encrypted) reads which reply and why"
$A case set "$ID" tlp=GREEN 2>>"$I/agent.log"

# 6. #exception: the A of remediation (the CISO) is told
n=$(count_to ciso@corp.example)
b=$(printf '#case %s\n#exception needs a hardware revision\n' "$ID" | R=$RL rgpg --clearsign)
printf 'From: Lin <lin@corp.example>\nTo: security@example.org\nSubject: Re: [%s] work\nMessage-ID: <exc.%s@corp.example>\n\n%s\n' \
    "$ID" "$$" "$b" >"$I/e.eml"
deliver "$I/e.eml"; process
like "$($A case show "$ID" --json | jq -r '[.events[].type] | join(" ")')" 'exception-requested' "the exception waits for approval"
is "$(count_to ciso@corp.example)" $((n + 1)) "#exception: the CISO, A of remediation, is told"
E=$(to ciso@corp.example | tail -n 1)
like "$(cat "$E")" 'Exception awaiting approval' "... what awaits"
unlike "$(cat "$E")" 'hardware revision' "... without its reason in clear (no key for the CISO)"

# 7. `notify` changes who gets what; none silences; bad lines refused
printf 'notify report coordinator\n' >>"$P"
nl=$(count_to lin@corp.example) nc=$(count_to chen@corp.example) nw=$(count_to wang@corp.example)
mkmsg 'Ron <ron@example.net>' 'Second report' 'text two' >"$I/r2.eml"
deliver "$I/r2.eml"; process
is "$(count_to lin@corp.example) $(count_to chen@corp.example) $(count_to wang@corp.example)" \
    "$nl $((nc + 1)) $((nw + 1))" "notify report coordinator: the coordinators only"
printf 'notify report kind incident psirt-lead\n' >>"$P"
nl=$(count_to lin@corp.example) nw=$(count_to wang@corp.example)
mkmsg 'Ivy <ivy@example.net>' 'Ransomware incident at a customer' 'text three' >"$I/r3.eml"
deliver "$I/r3.eml"; process
is "$($A case show "$(lastcase)" --json | jq -r .kind)" incident "an incident report"
is "$(count_to lin@corp.example) $(count_to wang@corp.example)" "$((nl + 1)) $nw" \
    "notify report kind incident psirt-lead: incidents separately"
printf 'notify report none\nnotify report kind incident none\n' >>"$P"
n=$(sent_count)
mkmsg 'Max <max@example.net>' 'Third report' 'text four' >"$I/r4.eml"
deliver "$I/r4.eml"; process
is "$(sent_count)" $((n + 1)) "notify report none: only the acknowledgement goes"
cp "$P" "$I/good.policy"
printf 'notify reprot coordinator\n' >>"$P"
ln1=$(wc -l <"$P")
printf 'notify report nobody-role\n' >>"$P"
ln2=$(wc -l <"$P")
printf 'notify quarantine kind incident coordinator\n' >>"$P"
ln3=$(wc -l <"$P")
out=$($A policy check 2>&1)
ok $([ $? -ne 0 ]; echo $?) "a bad notify statement: the policy is refused"
like "$out" "psirt.policy:$ln1: usage: notify report\\|followup" "an unknown event, with its file:line"
like "$out" "did you mean .report" "... and the nearest event"
like "$out" "psirt.policy:$ln2: notify: no role \"nobody-role\"" "an unknown role, with its file:line"
like "$out" "psirt.policy:$ln3: notify quarantine: a quarantined message has no case" "quarantine takes no kind"
printf 'notify hold kind vulnerability coordinator\n' >>"$P"
ln4=$(wc -l <"$P")
like "$($A policy check 2>&1)" "psirt.policy:$ln4: notify hold: a held message has no case" "hold takes no kind"
cp "$I/good.policy" "$P"

# 8. a member's reply to a notice threads in as the member's note, by
# the notice's Message-ID alone (no case tag in the Subject)
sed -i '/^notify report none$/d; /^notify report coordinator$/d; /^notify report kind incident/d' "$P"
mkmsg 'Sam <sam@example.net>' 'Fourth report' 'text five' >"$I/r5.eml"
deliver "$I/r5.eml"; process
ID5=$(lastcase)
NM=$(grep -h '^Message-ID:' "$(to wang@corp.example | tail -n 1)" | sed 's/^Message-ID: *<\(.*\)>.*/\1/')
nc=$(cases | wc -l)
mkmsg 'Wang Fang <wang@corp.example>' 'Re: about this one' 'I will take it.' \
    "In-Reply-To: <$NM>" "References: <$NM>" >"$I/wr.eml"
deliver "$I/wr.eml"; process
is "$(cases | wc -l)" "$nc" "the member's reply opens no case"
is "$($A case show "$ID5" --json | jq -r '.messages[-1].kind + " " + .messages[-1].from')" \
    "note wang@corp.example" "it is a note of the notice's case"

# 9. a burst: 50 reports at once give each member one mail listing all
mk_instance || { echo "Bail out! init failed"; exit 1; }
printf 'notice_batch_delay = 60s\n' >>"$C"	# lib.sh's is a day
P=$I/inst/policies/psirt.policy
sed -i 's/^\(role coordinator .*\) rotation weekly$/\1/' "$P"
for i in $(seq 1 50); do
	mkmsg "R$i <r$i@example.net>" "Burst report $i" "text $i" >"$I/b$i.eml"
	deliver "$I/b$i.eml"
done
process
is "$(cases | wc -l)" 50 "50 reports, 50 cases"
for who in lin chen wang; do
	n=$(count_to $who@corp.example)
	ok $([ "$n" -ge 1 ] && [ "$n" -le 3 ]; echo $?) "the burst: $who gets $n mail(s), not 50"
	miss=0
	for id in $(cases); do
		cat $(to $who@corp.example) | grep -q "Case: *$id\$" || miss=$((miss + 1))
	done
	is "$miss" 0 "every case is listed in $who's mails"
done
like "$(cat "$(to wang@corp.example | head -n 1)")" '^Subject: .*50 events' "one mail with the 50 events"
# told a moment ago: new events wait (held off), durable, then go
for i in 51 52 53; do
	mkmsg "R$i <r$i@example.net>" "Burst report $i" "text $i" >"$I/b$i.eml"
	deliver "$I/b$i.eml"
done
nw=$(count_to wang@corp.example)
process
is "$(count_to wang@corp.example)" "$nw" "within notice_batch_delay: no new mail yet"
is "$(sqlite3 "$I/inst/psirt.db" "SELECT count(*) FROM notice_pending WHERE rcpt = 'wang@corp.example'")" 3 \
    "the events wait in the store"
PSIRT_NOW=@$(( $(date +%s) + 120 )) $A tick 2>>"$I/agent.log"
is "$(count_to wang@corp.example)" $((nw + 1)) "the tick after the delay: one mail"
like "$(cat "$(to wang@corp.example | tail -n 1)")" '3 events' "listing the three"
is "$(sqlite3 "$I/inst/psirt.db" "SELECT count(*) FROM notice_pending")" 0 "nothing left pending"
done_testing
