#!/bin/sh
# The outbox: failed sends are kept and retried with backoff, given up
# after outbox_lifetime with an event; no header injection from any
# reporter-controlled value.
. "$top_srcdir/tests/lib/lib.sh"
need jq
mk_instance || { echo "Bail out! init failed"; exit 1; }
notices_off	# the mail counted is the reporter's (team notices: 283-notify.t)
printf 'retry_min_time = 3s\nretry_max_time = 3s\n' >>"$C"
cp "$I/sendmail" "$I/sendmail.good"
printf '#!/bin/sh\ncat >/dev/null\necho "451 4.3.0 mail system busy" >&2\nexit 75\n' >"$I/sendmail"

mkmsg 'Alice <alice@example.net>' 'report' 'x' >"$I/a.eml"
t0=$(date +%s)
deliver "$I/a.eml"; process
# at once, before its backoff (3 s) has passed: not retried (a run so
# slow, under load or valgrind, that 3 s have passed cannot show it)
process
t1=$(date +%s)
# the year in case IDs: the year the agent opened the case in
Y=$($A case list --json | jq -r '.[0].created_at[0:4]')
ID=PSIRT-$Y-0001
# the case's events but its deadlines'
ev() { $A case show "$ID" --json | jq -r '[.events[].type | select(startswith("deadline") | not)] | join(",")'; }
is "$(ev)" "case-opened,ack-queued,reply-deferred" "failed send recorded as reply-deferred"
like "$($A case show "$ID" --json | jq -r '.events[-1].detail')" "exited with 75: 451 4.3.0 mail system busy" \
    "the event keeps the command's exit code and message"
ob() { $A queue list --json | jq -r "[.[] | select(.queue==\"outbox\")] | $1"; }
is "$(ob length)" 1 "the reply stays in the outbox"
like "$(ob '.[0].reason')" "exited with 75" "queue list shows why"
is "$(ob '.[0].to')" alice@example.net "and to whom"
if [ $((t1 - t0)) -lt 3 ]; then
	is "$(ev)" "case-opened,ack-queued,reply-deferred" "not retried before its backoff"
else
	skip "not retried before its backoff" "the run took $((t1 - t0)) s, past the backoff"
fi
D=$(ev)	# case-opened,ack-queued, then one reply-deferred per try
sleep 3.2
process
is "$(ev)" "$D,reply-deferred" "retried after the backoff"
cp "$I/sendmail.good" "$I/sendmail"
sleep 3.2
$A tick 2>>"$I/agent.log"
is $? 0 "tick (the timer's command) exits 0"
is "$(ev)" "$D,reply-deferred,reply-sent" "tick sends it once the command works"
is "$(sent_count)" 1 "delivered exactly once"
is "$(ob length)" 0 "outbox empty"
is "$($A case show "$ID" --json | jq -r '.messages[-1].direction')" out \
    "the sent acknowledgement is kept with the case"

printf '#!/bin/sh\nexit 1\n' >"$I/sendmail"
printf 'outbox_lifetime = 0s\n' >>"$C"
mkmsg 'Bob <bob@example.net>' 'report 2' 'x' >"$I/b.eml"
deliver "$I/b.eml"; process
ID2=$($A case list --json | jq -r '.[] | select(.subject == "report 2") | .id')
is "$($A case show "$ID2" --json | jq -r '.events[-1].type')" reply-failed \
    "after outbox_lifetime the reply is given up with an event"
cp "$I/sendmail.good" "$I/sendmail"
sed -i '/^outbox_lifetime = 0s$/d' "$C"

# a sendmail that quits without reading a large reply: the agent is not
# killed by SIGPIPE, and the failure is recorded
printf '#!/bin/sh\nexit 1\n' >"$I/sendmail"
long=$(head -c 60000 /dev/zero | tr '\0' 'q')
mkmsg 'Pipe <pipe@example.net>' "$long" 'x' >"$I/p.eml"
deliver "$I/p.eml"; process
is $? 0 "process survives a sendmail that closes its input (SIGPIPE)"
is "$($A case list --json | jq -r '.[-1].id' | xargs -I{} $A case show {} --json |
    jq -r '.events[-1].type')" reply-deferred "and records the failed attempt"
cp "$I/sendmail.good" "$I/sendmail"

# header injection attempts through every reporter-controlled value
cat >"$I/evil.eml" <<'EOM'
From: =?UTF-8?Q?Eve=0D=0ABcc:_victim@example.com?= <eve@example.net>
Reply-To: "Eve\
Bcc: x@example.com" <eve@example.net>
To: security@example.org
Subject: =?UTF-8?Q?hello=0D=0ABcc:_evil@attacker.example=0D=0A=0D=0Abody?=
Message-ID: <evil
 @example.net>
References: <a@b>
 <c@d>
Date: Sun, 22 Nov 2026 10:00:00 +0000

text
EOM
deliver "$I/evil.eml"; process
M=$(last_sent)
H=$(sed '/^$/q' "$M")
unlike "$H" '^Bcc:' "no Bcc header can be injected"
is "$(printf '%s\n' "$H" | grep -c '^Subject:')" 1 "exactly one Subject"
is "$(printf '%s\n' "$H" | grep -vc '^[A-Za-z-]*:\( \|$\)\|^[ 	]\|^$')" 0 \
    "every header line is a field or a continuation"
like "$(grep '^To:' "$M")" '<eve@example.net>$' "reply still reaches the reporter"
done_testing
