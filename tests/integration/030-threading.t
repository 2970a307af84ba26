#!/bin/sh
# Threading, loop protection and rate limits (RFC 3834).
. "$top_srcdir/tests/lib/lib.sh"
need jq
mk_instance || { echo "Bail out! init failed"; exit 1; }
notices_off	# the mail counted is the reporter's (team notices: 283-notify.t)
cases() { $A case list --json | jq length; }
show() { $A case show "$1" --json; }

mkmsg 'Alice <alice@example.net>' 'SQL injection in login' 'details' \
    'Message-ID: <a1@example.net>' >"$I/a1.eml"
deliver "$I/a1.eml"; process
# the year in case IDs: the year the agent opened the case in
Y=$($A case list --json | jq -r '.[0].created_at[0:4]')
ID=PSIRT-$Y-0001
ACK=$(sed -n 's/^Message-ID: <\(.*\)>$/\1/p' "$(last_sent)")
is "$(cases)" 1 "first report opens a case"

# 1. case tag in the Subject, any case, anywhere
mkmsg 'Alice <alice@example.net>' "More info on psirt-$Y-0001 [psirt-$Y-0001] ok" \
    'here is a PoC' >"$I/a2.eml"
deliver "$I/a2.eml"; process
is "$(cases)" 1 "lower-case tag threads into the case: no new case"
is "$(show $ID | jq '.messages | map(select(.direction=="in")) | length')" 2 \
    "follow-up appended to the case"
is "$(show $ID | jq -r '.messages[-1].kind')" followup "kind followup"
is "$(sent_count)" 1 "no second acknowledgement"

# 2. In-Reply-To our acknowledgement (no tag in the subject)
mkmsg 'Alice <alice@example.net>' 'Re: your mail' 'thanks' \
    "In-Reply-To: <$ACK>" >"$I/a3.eml"
deliver "$I/a3.eml"; process
is "$(cases)" 1 "In-Reply-To of our ack threads into the case"
# 3. References naming the original report (from the reporter: a
# stranger would get a case of its own, see 130-triage.t)
mkmsg 'Alice <alice@example.net>' 'Fwd: something' 'same bug' \
    "References: <unknown@x> <a1@example.net>" >"$I/a4.eml"
deliver "$I/a4.eml"; process
is "$(cases)" 1 "References naming a stored message threads"
is "$(show $ID | jq '[.events[] | select(.type=="message-added")] | length')" 3 \
    "each follow-up recorded as an event"
is "$(sent_count)" 1 "still one acknowledgement"

# 4. a tag of a case that does not exist is ignored
mkmsg 'Dan <dan@example.net>' "[PSIRT-$Y-0999] new thing" 'x' >"$I/d1.eml"
deliver "$I/d1.eml"; process
is "$(cases)" 2 "unknown case tag: a new case"
is "$(sent_count)" 2 "and it is acknowledged"

# 5. an auto-reply to our ack is attached, never answered
mkmsg 'Alice <alice@example.net>' "Out of Office: [$ID] Re: SQL injection" \
    'I am away' 'Auto-Submitted: auto-replied' "In-Reply-To: <$ACK>" >"$I/o1.eml"
deliver "$I/o1.eml"; process
is "$(cases)" 2 "auto-reply opens no case"
is "$(show $ID | jq -r '.messages[-1].kind')" autoreply "attached as autoreply"
is "$(sent_count)" 2 "auto-reply not answered"

# 6. a bounce of our ack marks the address failing on the case
cat >"$I/b1.eml" <<EOB
From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
To: security@example.org
Subject: Undelivered Mail Returned to Sender
Message-ID: <bounce1@mx.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

The mail system could not deliver your message.
--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; alice@example.net
Action: failed
Status: 5.1.1

--B
Content-Type: text/rfc822-headers

From: security@example.org
Message-ID: <$ACK>
Subject: [$ID] Re: SQL injection in login
--B--
EOB
deliver "$I/b1.eml" -f ''; process
is "$(cases)" 2 "bounce opens no case"
is "$(show $ID | jq -r '.messages[-1].kind')" bounce "bounce attached by its tag"
like "$(show $ID | jq -r '[.events[] | select(.type=="address-failing")][0].detail')" \
    'alice@example.net' "bounce marks alice@example.net failing"
is "$(sent_count)" 2 "bounce not answered"

# 7. bounces and auto-replies without a case are held and listed
mkmsg 'MAILER-DAEMON@mx.example.net' 'Undelivered Mail Returned to Sender' \
    'unknown user' >"$I/b2.eml"
deliver "$I/b2.eml" -f ''; process
mkmsg 'eve@example.net' 'Automatic reply: hello' 'away' \
    'X-Auto-Response-Suppress: All' >"$I/o2.eml"
deliver "$I/o2.eml"; process
Q=$($A queue list --json)
is "$(printf '%s' "$Q" | jq '[.[] | select(.queue=="hold")] | length')" 2 \
    "two messages held"
is "$(printf '%s' "$Q" | jq -r '[.[] | select(.queue=="hold") | .kind] | sort | join(",")')" \
    "autoreply,bounce" "held as bounce and autoreply"
like "$($A queue list)" "hold .*bounce without a case" "text queue list gives the reason"
is "$(cases)" 2 "no case for them"
is "$(sent_count)" 2 "no reply to them"

# 7b. a held message found again in active/ (a run died after its
# commit, before the move) goes back to hold/, not to the archive
h=$($A queue list --json | jq -r '[.[] | select(.queue=="hold")][0].queue_id')
mv "$I/inst/spool/hold/$h" "$I/inst/spool/active/$h"
process
is "$($A queue list --json | jq -r --arg q "$h" '.[] | select(.queue_id==$q) | .queue')" \
    hold "a held message recovered from active/ is held again"

# 8. lists, the null sender, our own address: a case but no reply
mkmsg 'list@lists.example.net' 'oss-security: bug in libfoo' 'x' \
    'List-Id: <oss-security.lists.example.net>' >"$I/l1.eml"
deliver "$I/l1.eml"; process
mkmsg 'frank@example.net' 'bug found' 'x' >"$I/n1.eml"
deliver "$I/n1.eml" -f ''; process
mkmsg 'security@example.org' 'loop test' 'x' >"$I/s1.eml"
deliver "$I/s1.eml"; process
is "$(cases)" 4 "list and own-address reports still open cases"
is "$($A queue list --json | jq -r '.[] | select(.subject=="bug found") | .kind')" \
    autoreply "a message with the null envelope sender is held as automatic"
is "$(sent_count)" 2 "none of them is answered"
is "$($A case list --json | jq -r '.[2].id' | xargs $A case show | grep -c ack-suppressed)" 1 \
    "the suppression is recorded as an event"

# 9. at most ack-limit acknowledgements per sender per hour
for n in 1 2 3 4 5 6 7; do
	mkmsg 'gina@example.net' "report $n" 'x' >"$I/g$n.eml"
	deliver "$I/g$n.eml"
done
process
is "$(cases)" 11 "seven reports, seven cases"
is "$(grep -l '^To: gina@example.net' "$I"/mail/*.eml | wc -l)" 5 \
    "only five acknowledgements to one sender in an hour (policy ack-limit 5)"
done_testing
