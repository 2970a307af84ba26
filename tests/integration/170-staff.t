#!/bin/sh
# Staff work cases by mail: a team member's message is an internal note;
# "#command" lines at its top are applied only with a valid signature by
# the key the policy lists for that member, From that member, recent and
# not replayed; all or nothing; refusals are explained to the sender and
# recorded. Real keys for two staff members and an outsider.
. "$top_srcdir/tests/lib/lib.sh"
need jq gpg gpgconf
mk_instance || { echo "Bail out! init failed"; exit 1; }
P=$I/inst/policies/psirt.policy
# the team is told at once only of replies held for review here (the
# mail counted below is the staff's and the reporter's; the other
# notices: 283-notify.t)
for e in report followup quarantine exception; do echo "notify $e none"; done >>"$P"
# three people, three GnuPG homes
gpg_person 'Lin <lin@corp.example>' lin@corp.example; RL=$R; FL=$RFPR
gpg_person 'Huang <huang@corp.example>' huang@corp.example; RH=$R; FH=$RFPR
gpg_person 'Eve <eve@example.org>' eve@example.org; RE=$R; FE=$RFPR
gpg_person 'Tsai <ciso@corp.example>' ciso@corp.example; RC=$R; FC=$RFPR
for h in $RL $RH $RE $RC; do
	R=$h rgpg --armor --export >"$I/k.asc"
	$A key import "$I/k.asc" >/dev/null 2>>"$I/agent.log"
done
# room for the refusals below; the flood at the end lowers it
echo 'refusal-limit 100 per hour' >>"$P"
sed -i "s/^member psirt-lead \"Lin Mei-hua\" lin@corp.example\$/& pgp $FL/; s/^member analyst \"Huang Chih-ming\" huang@corp.example\$/& pgp $FH/; s/^member ciso \"Tsai Ming-de\" ciso@corp.example\$/& pgp $FC/" "$P"
like "$($A policy check)" 'ok:' "the policy with the staff keys passes"

mkmsg 'Rita <rita@example.net>' 'Overflow in the parser' 'details' >"$I/r.eml"
deliver "$I/r.eml"; process
ID=$($A case list --json | jq -r '.[0].id')
st() { $A case show "$ID" --json | jq -r "$1"; }
N=0
# staff HOME FROM BODY [extra header] [message-id part]: a clearsigned
# (or, with HOME "-", unsigned) mail to the case, quoting the case's
# notice below the commands as a mail client does (the signed text names
# the case); delivered, processed
staff() {
	N=$((N + 1))
	if [ "$1" = - ]; then b=$3; else
		b=$(printf '%s\n\n> [%s] New vulnerability report\n' "$3" "$ID" |
		    R=$1 rgpg --clearsign)
	fi
	{ printf 'From: %s\nTo: security@example.org\nSubject: Re: [%s] work\n' "$2" "$ID"
	  printf 'Message-ID: <staff%s.%s@corp.example>\n' "${5:-$N}" "$$"
	  [ -n "${4:-}" ] && printf '%s\n' "$4"
	  printf '\n%s\n' "$b"; } >"$I/s$N.eml"
	deliver "$I/s$N.eml"; process
}
refused() { st '[.events[] | select(.type == "command-refused") | .detail] | last'; }
told() {	# the last mail to ADDRESS
	grep -l "^To: .*$1" "$I"/mail/*.eml 2>/dev/null | sort | tail -n 1 | xargs cat 2>/dev/null
}

staff "$RL" 'Lin <lin@corp.example>' '#status triaged
#severity high
#cve CVE-2026-7777
#cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N

Looks real; Huang, please reproduce.'
is "$(st '[.status, .severity, .severity_by] | join(" ")')" "triaged high staff" \
    "a signed command mail from staff is applied"
is "$(st '.cves | join(",")') $(st '.cvss[0].base_score')" "CVE-2026-7777 9.1" "#cve and #cvss add facts"
is "$(st '.messages[-1].kind')" note "the mail is stored as an internal note"
like "$(st '[.events[] | select(.type == "commands-applied") | .detail] | last')" '4 commands from lin@corp.example applied' \
    "recorded with the staff member as actor"
staff "$RL" 'Lin <lin@corp.example>' '#cve CVE-2026-7778
#unset cve CVE-2026-7778'
is "$(st '.cves | join(",")')" "CVE-2026-7777" "#unset cve VALUE removes a CVE ID stated by mistake"
S0=$(ls "$I"/mail | wc -l)

# the refusals: nothing applied, the sender told, the attempt recorded
staff - 'Lin <lin@corp.example>' '#status rejected'
is "$(st .status)" triaged "unsigned (a spoofed From): nothing applied"
like "$(refused)" 'not applied: the message is not signed' "the attempt is on the case"
like "$(told lin@corp.example)" 'Subject: \[.*\] your commands were not applied' "the sender is told"
staff "$RE" 'Lin <lin@corp.example>' '#status rejected'
like "$(refused)" 'not signed with the key the policy lists' "signed by an outsider as Lin: refused"
staff "$RE" 'Eve <eve@example.org>' '#status rejected'
is "$(st .status)" triaged "a valid signature by a key not on the roster: nothing applied"
like "$(st '[.events[] | select(.type == "named-by-stranger") | .detail] | last')" 'eve@example.org named' \
    "Eve, not on the team, does not even join the case"
staff "$RL" 'Huang <huang@corp.example>' '#status rejected'
like "$(refused)" 'not signed with the key the policy lists for the sender' \
    "signed by Lin over a From of Huang: refused"
staff "$RH" 'Huang <huang@corp.example>' '#severity medium' '' replay
is "$(st .severity)" medium "Huang's own signed command works"
staff "$RH" 'Huang <huang@corp.example>' '#severity critical' 'X-Resent: 1' replay
is "$(st .severity)" medium "the same Message-ID again: refused as a replay"
like "$(refused)" 'was taken before \(a replay\?\)' "... and says so"
N=$((N + 1))
b=$(printf '#severity low\n' | R=$RH rgpg --clearsign)
printf 'From: Huang <huang@corp.example>\nTo: security@example.org\nSubject: Re: [%s] old\nMessage-ID: <old%s@corp.example>\n\n%s\n' "$ID" "$$" "$b" >"$I/old.eml"
printf 'command_max_age = 2s\n' >>"$C"
sleep 3
deliver "$I/old.eml"; process
sed -i '/^command_max_age = /d' "$C"
is "$(st .severity)" medium "a signature older than command_max_age: refused"
like "$(refused)" 'older than command_max_age' "... as a possible replay"
staff "$RL" 'Lin <lin@corp.example>' '#severity low
#frobnicate now'
is "$(st .severity)" medium "one unknown command: nothing of the mail is applied"
like "$(refused)" 'line 2: unknown command #frobnicate' "the error names the line"
staff "$RL" 'Lin <lin@corp.example>' '#status disclosed'
is "$(st .status)" triaged "a status jump the lifecycle forbids: refused"
like "$(refused)" 'a case in status triaged cannot go to disclosed' "... with the reason"
staff "$RL" 'Lin <lin@corp.example>' '#status confirmed
#pause waiting for the vendor'
is "$(st '.status + " " + (.deadlines[] | select(.name == "fix") | .state)')" "confirmed paused" \
    "several commands, one transaction: status and pause"
SN=$(grep -l '^Subject: .*now confirmed' "$I"/mail/*.eml | xargs grep -h '^To:' | sed 's/.*<\(.*\)>/\1/' | sort | tr '\n' ' ')
is "$SN" "legal@corp.example " "the move to confirmed is told to C and I of the analysis task (legal)"
staff "$RL" 'Lin <lin@corp.example>' '#resume
#status fixing'
is "$(st '.status + " " + (.deadlines[] | select(.name == "fix") | .state)')" "fixing running" "#resume"
R1=$(grep -l '^Subject: .*Confirmed' $(grep -l '^To: .*rita@example.net' "$I"/mail/*.eml))
ok $([ -n "$R1" ]; echo $?) "the move to confirmed sent the reporter the confirmed reply (reply-on)"
like "$(grep '^In-Reply-To:' "$R1")" "<$(st '.messages[0].message_id')>" "threaded to her report"
staff "$RL" 'Lin <lin@corp.example>' '#reply fix-scheduled The fix ships in 4.2 on 2026-12-01.
#reply bogus'
like "$(refused)" 'line 2: #reply: no status reply "bogus"' "an unknown reply: refused, nothing sent"
staff "$RL" 'Lin <lin@corp.example>' '#reply fix-scheduled The fix ships in 4.2 on 2026-12-01.'
R2=$(grep -l '^Subject: .*Fix scheduled' $(grep -l '^To: .*rita@example.net' "$I"/mail/*.eml))
like "$(cat "$R2")" 'The fix ships in 4.2 on 2026-12-01' "#reply sends the named status reply with the staff's text"
like "$(grep '^Auto-Submitted:' "$R2")" 'no' "as a person's reply (Auto-Submitted: no)"
is "$(grep -l '^To: .*rita@example.net' "$I"/mail/*.eml | wc -l)" 3 \
    "the reporter got the acknowledgement and the two status replies: notes stay internal"
# an exception needs the approval of the remediation task's A (CISO)
staff "$RH" 'Huang <huang@corp.example>' '#exception needs a hardware revision; mitigation: disable the parser'
like "$(st '[.events[] | select(.type == "exception-requested") | .detail] | last')" 'hardware revision' \
    "#exception is recorded, waiting for approval"
staff "$RL" 'Lin <lin@corp.example>' '#approve'
like "$(refused)" 'only the A of the remediation task may approve' "an approval by someone else: refused"
staff "$RC" 'Tsai <ciso@corp.example>' '#approve'
like "$(st '[.events[] | select(.type == "exception-approved") | .detail] | last')" 'hardware revision' \
    "the CISO's signed #approve approves it"
is "$(st '.deadlines[] | select(.name == "fix") | .state')" met "and the fix deadline is set aside"
staff "$RC" 'Tsai <ciso@corp.example>' '#approve
(again: a new text, else it is the same signature within a second)'
like "$(refused)" 'no exception waits for approval' "nothing left to approve"
mkmsg 'Rita <rita@example.net>' 'The same overflow, again' 'again' >"$I/r2.eml"
deliver "$I/r2.eml"; process
ID2=$($A case list --json | jq -r '[.[].id] | sort | .[-1]')
staff "$RL" 'Lin <lin@corp.example>' '#merge PSIRT-1999-0001'
like "$(refused)" 'line 1: #merge PSIRT-1999-0001: no such case' "#merge of an unknown case: refused"
staff "$RL" 'Lin <lin@corp.example>' "#merge $ID2"
is "$($A case show "$ID2" --json | jq -r .id)" "$ID" "#merge CASE merges that case into this one"
# a case from report to disclosure by signed staff mail only
mkmsg 'Rita <rita@example.net>' 'Walk me through' 'a fresh report' >"$I/r4.eml"
deliver "$I/r4.eml"; process
OLD=$ID; ID=$($A case list --json | jq -r '[.[].id] | sort | .[-1]')
for step in '#status triaged
#tlp AMBER
#product ACME Router
#credit Rita R.' '#status confirmed' '#status fixing' '#status fixed' '#status disclosed' '#status closed'; do
	staff "$RL" 'Lin <lin@corp.example>' "$step"
done
is "$(st '[.status, .tlp, .product] | join(" ")')" "closed AMBER ACME Router" \
    "report to closed by signed staff mail only, with #tlp and #product"
is "$(st '[.events[] | select(.type == "command-refused")] | length')" 0 "no step refused"
RS=$(for f in $(grep -l '^To: .*rita@example.net' "$I"/mail/*.eml); do
	grep -q "^Subject: \[$ID\]" "$f" && sed -n 's/^Subject: \[[^]]*\] \([^:]*\):.*/\1/p' "$f"
done | sort | tr '\n' ',')
is "$RS" "Advisory published,Confirmed,Fix released,Re," \
    "the reporter got the acknowledgement and the confirmed, fix released and advisory replies (reply-on), nothing else"
ID=$OLD

# TLP: mail the case's label does not allow waits for review
printf 'organisation corp.example\nmember legal "Outside counsel" counsel@lawfirm.example\n' >>"$P"
mkmsg 'Rita <rita@example.net>' 'Keep this in-house' 'TLP:AMBER+STRICT please' >"$I/r3.eml"
deliver "$I/r3.eml"; process
ID3=$($A case list --json | jq -r '[.[].id] | sort | .[-1]')
OLD=$ID; ID=$ID3
staff "$RL" 'Lin <lin@corp.example>' '#status triaged
#status confirmed'
Q=$($A queue list --json)
is "$(printf '%s' "$Q" | jq -r '[.[] | select(.queue == "review") | .to] | join(",")')" counsel@lawfirm.example \
    "TLP:AMBER+STRICT: the notice to a member outside the organisation is held for review"
like "$(st '[.events[] | select(.type == "held-for-review") | .detail] | join(" ")')" \
    'status-notice to counsel@lawfirm.example held for review: TLP:AMBER\+STRICT' "recorded"
like "$(st '[.events[] | select(.type == "team-notice") | .detail] | join(" ")')" 'review notice to ' \
    "and the team (the intake's R and A) is told"
ok $(! grep -l '^To: .*counsel@lawfirm.example' "$I"/mail/*.eml >/dev/null 2>&1; echo $?) "nothing went to the counsel"
MID=$(printf '%s' "$Q" | jq -r '.[] | select(.queue == "review") | .queue_id')
$A queue release "$MID" 2>>"$I/agent.log"; process
ok $(grep -l '^To: .*counsel@lawfirm.example' "$I"/mail/*.eml >/dev/null 2>&1; echo $?) \
    "queue release MESSAGE-ID sends it"
ID=$OLD

# forged mail around a member's signed text (issue 17): the attacker has
# a clear-signed text Lin sent and forges her From
mkmsg 'Rita <rita@example.net>' 'Forgery target' 'a report to attack' >"$I/r5.eml"
deliver "$I/r5.eml"; process
OLD=$ID; ID=$($A case list --json | jq -r '[.[].id] | sort | .[-1]')
SIGNED=$(printf 'Looks fine to me.\n\n> [%s] New vulnerability report\n' "$ID" | R=$RL rgpg --clearsign)
# raw FROM SUBJECT MSGID BODY...: a mail as given, delivered, processed
raw() {
	N=$((N + 1))
	{ printf 'From: %s\nTo: security@example.org\nSubject: %s\n' "$1" "$2"
	  printf 'Message-ID: <%s.%s@corp.example>\n' "$3" "$$"
	  shift 3
	  printf '%s\n' "$@"; } >"$I/s$N.eml"
	deliver "$I/s$N.eml"; process
}
raw 'Lin <lin@corp.example>' "Re: [$ID] work" above '' '#status rejected
#reply rejected' '' "$SIGNED"
is "$(st .status)" new "command lines above a member's signed text: nothing applied"
like "$(refused)" 'covers only a part of the message' "... the signature covers a part only"
is "$(grep -l "^To: .*rita@example.net" "$I"/mail/*.eml | xargs grep -l 'Subject: .*Not reproducible' | wc -l)" 0 \
    "... and the reporter is told nothing"
B=$(printf '#severity low\n\n> [%s] New vulnerability report\n' "$ID" | R=$RL rgpg --clearsign)
raw 'Lin <lin@corp.example>' "Re: [$ID] work" below '' "$B" '#status rejected'
is "$(st '.status + " " + (.severity // "none")')" "new none" "command lines below a member's signed block: nothing applied"
like "$(refused)" 'covers only a part of the message' "... refused for the same reason"
printf 'Content-Type: text/plain\r\n\r\nLooks fine.\r\n\r\n> [%s] New vulnerability report' "$ID" >"$I/part.txt"
raw 'Lin <lin@corp.example>' "Re: [$ID] work" beside 'MIME-Version: 1.0' \
    'Content-Type: multipart/mixed; boundary="m1"' '' '--m1' 'Content-Type: text/plain' '' '#status rejected' \
    '--m1' 'Content-Type: multipart/signed; protocol="application/pgp-signature"; micalg=pgp-sha512; boundary="s1"' '' \
    '--s1' "$(cat "$I/part.txt")" '--s1' 'Content-Type: application/pgp-signature' '' \
    "$(R=$RL rgpg --armor --detach-sign --digest-algo SHA512 <"$I/part.txt")" '--s1--' '--m1--'
is "$(st .status)" new "an unsigned part beside a member's PGP/MIME signed part: nothing applied"
like "$(refused)" 'a signed part beside unsigned parts carries none' "... and the refusal says why"
like "$(told lin@corp.example)" 'over the whole message' "the member is told what commands need"

# commands are bound to their case and used once
staff "$RL" 'Lin <lin@corp.example>' '#severity low'
is "$(st .severity)" low "a signed command mail quoting the case's notice: applied"
CMD=$(cat "$I/s$N.eml" | sed -n '/^-----BEGIN PGP SIGNED/,/^-----END PGP SIGNATURE/p')
raw 'Lin <lin@corp.example>' "Re: [$ID] work" replay1 '' "$CMD"
like "$(refused)" 'signature or Message-ID was taken before' "the same signed block with a new Message-ID: refused as a replay"
SO=$($A case show "$OLD" --json | jq -r .severity)
raw 'Lin <lin@corp.example>' "Re: [$OLD] work" replay2 '' "$CMD"
is "$($A case show "$OLD" --json | jq -r '[.events[] | select(.type == "command-refused") | .detail] | last')" \
    "commands from lin@corp.example not applied: the signed text names another case ($ID): add a line \"#case $OLD\" to the commands to say which case they are for" \
    "the same signed block sent to another case: refused, and how to fix it is said"
is "$($A case show "$OLD" --json | jq -r .severity)" "$SO" "... and that case keeps its severity"
B=$(printf '#severity medium\n\nPlease look.\n' | R=$RL rgpg --clearsign)
raw 'Lin <lin@corp.example>' "Re: [$ID] work" nocase '' "$B"
is "$(st .severity)" low "signed commands that name no case: nothing applied"
like "$(refused)" "does not name case $ID: add a line \"#case $ID\"" "... and the refusal says how to fix it"
B=$(printf '#case %s\n#severity medium\n\nPlease look.\n' "$ID" | R=$RL rgpg --clearsign)
raw 'Lin <lin@corp.example>' "Re: [$ID] work" withcase '' "$B"
is "$(st .severity)" medium "a #case line naming the case: applied"
B=$(printf '#case %s\n#severity high\n' "$OLD" | R=$RL rgpg --clearsign)
raw 'Lin <lin@corp.example>' "Re: [$ID] work" wrongcase '' "$B"
is "$(st .severity)" medium "a #case line naming another case than the mail's: nothing applied"
like "$(refused)" "#case $OLD, but the mail belongs to case $ID" "... and says so"
# a protected Subject inside the signature names the case (PGP/MIME,
# the outer Subject hidden as mail clients do)
printf 'Content-Type: text/plain; charset=utf-8; protected-headers="v1"\r\nSubject: [%s] work\r\n\r\n#severity high' "$ID" >"$I/ph.txt"
raw 'Lin <lin@corp.example>' '...' protsubj 'MIME-Version: 1.0' \
    'Content-Type: multipart/signed; protocol="application/pgp-signature"; micalg=pgp-sha512; boundary="s2"' '' \
    '--s2' "$(cat "$I/ph.txt")" '--s2' 'Content-Type: application/pgp-signature' '' \
    "$(R=$RL rgpg --armor --detach-sign --digest-algo SHA512 <"$I/ph.txt")" '--s2--'
is "$(st .severity)" high "the case's ID in a signed protected Subject: applied"
printf 'Content-Type: text/plain; charset=utf-8\r\n\r\n#severity low' >"$I/ph.txt"
raw 'Lin <lin@corp.example>' "Re: [$ID] work" outersubj 'MIME-Version: 1.0' \
    'Content-Type: multipart/signed; protocol="application/pgp-signature"; micalg=pgp-sha512; boundary="s2"' '' \
    '--s2' "$(cat "$I/ph.txt")" '--s2' 'Content-Type: application/pgp-signature' '' \
    "$(R=$RL rgpg --armor --detach-sign --digest-algo SHA512 <"$I/ph.txt")" '--s2--'
is "$(st .severity)" high "the case's ID only in the unsigned outer Subject: nothing applied"
like "$(refused)" "does not name case $ID" "... the outer Subject is not signed"

# a flood of forged command mails "from" a team list: at most
# refusal-limit refusal mails to it, and the coordinators told once
sed -i 's/^refusal-limit 100 per hour$/refusal-limit 5 per hour/' "$P"
S0=$(sent_count)
i=0
while [ $i -lt 100 ]; do
	printf 'From: Product engineering <dev-leads@corp.example>\nTo: security@example.org\nSubject: Re: [%s] work\nMessage-ID: <flood%s.%s@corp.example>\n\n#status rejected\n' \
	    "$ID" "$i" "$$" >"$I/f.eml"
	deliver "$I/f.eml"
	i=$((i + 1))
done
process
is "$(st .status)" new "100 forged command mails: nothing applied"
is "$(st '[.events[] | select(.type == "command-refused" and (.detail | contains("dev-leads@")))] | length')" 100 \
    "each refusal is an event"
is "$(grep -l '^To: .*dev-leads@corp.example' "$I"/mail/*.eml | xargs grep -l 'your commands were not applied' | wc -l)" 5 \
    "at most refusal-limit (5) refusal mails to the address"
is "$(st '[.events[] | select(.type == "refusal-held")] | length')" 95 "the others are held back, recorded"
is "$(grep -l 'now receiving refused command mails' "$I"/mail/*.eml | xargs grep -h '^To:' | sed 's/.*<\(.*\)>/\1/' | sort | tr '\n' ' ')" \
    "chen@corp.example wang@corp.example " "the intake's R (the coordinators) told once each"
like "$(grep -l 'now receiving refused command mails' "$I"/mail/*.eml | head -n 1 | xargs cat)" \
    '6 command mails from dev-leads@corp.example refused within an hour' "... with the address and the count"
ID=$OLD
like "$($A audit verify)" 'intact' "and the record is intact"
done_testing
