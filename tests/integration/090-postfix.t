#!/bin/sh
# End to end through a real Postfix on 127.0.0.1: SMTP in, the alias
# pipe runs `psirt-agent deliver` as nobody, the background runner opens
# the case, the acknowledgement goes out through Postfix's sendmail and
# lands in the reporter's mailbox. A spool fault makes Postfix defer the
# message (exit 75), never bounce it; after the fix it is delivered.
# Needs root (it reconfigures the system Postfix and restores it).
. "$top_srcdir/tests/lib/lib.sh"
need jq swaks postconf postfix runuser
[ "$(id -u)" -eq 0 ] || plan_skip_all "needs root to run Postfix"
if postfix status >/dev/null 2>&1; then
	plan_skip_all "a Postfix is already running; not touching it"
fi

B=$(mktemp -d /tmp/psirt-pf.XXXXXX)
T_DIRS="$T_DIRS $B"
chmod 755 "$B"
LOG=/var/log/psirt-test-postfix.log
: >"$LOG"		# only this run's lines count
for f in main.cf master.cf; do cp -p /etc/postfix/$f "$B/$f.orig"; done
cp -p /etc/aliases "$B/aliases.orig" 2>/dev/null || : >"$B/aliases.orig"
restore() {
	[ -f /var/spool/postfix/pid/master.pid ] &&
	    kill "$(tr -d ' ' </var/spool/postfix/pid/master.pid)" 2>/dev/null
	sleep 1
	cp -p "$B/main.cf.orig" /etc/postfix/main.cf
	cp -p "$B/master.cf.orig" /etc/postfix/master.cf
	cp -p "$B/aliases.orig" /etc/aliases
	newaliases 2>/dev/null
	cleanup
}
trap restore EXIT

mkdir -p "$B/bin" "$B/mbox"
cp "$PSIRT_AGENT" "$B/bin/psirt-agent"
cp "$(dirname "$PSIRT_AGENT")/psirt-agent-core" "$B/bin/psirt-agent-core"
chmod 755 "$B/bin" "$B/bin/psirt-agent" "$B/bin/psirt-agent-core"
"$B/bin/psirt-agent" init --address psirt-test@localhost \
    --sendmail "/usr/sbin/sendmail -i -t -f psirt-test@localhost" \
    "$B/inst" >/dev/null
printf 'syslog = no\n' >>"$B/inst/psirt-agent.conf"
chown -R nobody:nogroup "$B/inst" "$B/mbox"
A="runuser -u nobody -- $B/bin/psirt-agent -c $B/inst/psirt-agent.conf"

postconf -e "inet_interfaces = loopback-only" "inet_protocols = ipv4" \
    "myhostname = localhost" "mydomain = localdomain" \
    "mydestination = localhost, localhost.localdomain" \
    "alias_maps = hash:/etc/aliases" "alias_database = hash:/etc/aliases" \
    "maillog_file = $LOG" "relayhost =" "mynetworks = 127.0.0.0/8" \
    "smtputf8_enable = no" "compatibility_level = 3.6" \
    "minimal_backoff_time = 1s" "maximal_backoff_time = 2s" \
    "queue_run_delay = 1s"
cat >/etc/aliases <<EOA
postmaster: root
psirt-test: "|$B/bin/psirt-agent -c $B/inst/psirt-agent.conf deliver"
reporter: $B/mbox/reporter
EOA
newaliases && postfix check && postfix start >/dev/null 2>&1
ok $? "Postfix started"
t=0
until (exec 3<>/dev/tcp/127.0.0.1/25) 2>/dev/null; do
	t=$((t + 1)); [ $t -gt 100 ] && break; sleep 0.1
done

swaks --server 127.0.0.1 --port 25 --from reporter@localhost \
    --to psirt-test@localhost --header "Subject: RCE in update service" \
    --body "The updater runs unsigned code." >"$B/swaks.out" 2>&1
ok $? "swaks submitted the report over SMTP"
t=0
while [ $t -lt 300 ] && ! grep -q 'PSIRT-' "$B/mbox/reporter" 2>/dev/null; do
	sleep 0.1; t=$((t + 1))
done
like "$(grep 'status=sent' "$LOG" | grep psirt-test)" 'delivered to command' \
    "Postfix delivered the report to the pipe"
L=$($A case list --json)
is "$(printf '%s' "$L" | jq -r '.[0].subject')" "RCE in update service" \
    "the report is a case"
is "$(printf '%s' "$L" | jq -r '.[0].reporter')" reporter@localhost "reporter"
like "$(grep '^Subject:' "$B/mbox/reporter")" "\\[PSIRT-[0-9]{4}-0001\\] Re: RCE in update service" \
    "the acknowledgement reached the reporter's mailbox through Postfix"
mid=$($A case show "$(printf '%s' "$L" | jq -r '.[0].id')" --json |
    jq -r '.messages[0].message_id')
is "$(grep '^In-Reply-To:' "$B/mbox/reporter")" "In-Reply-To: <$mid>" \
    "with In-Reply-To the report's Message-ID"
like "$(grep '^Auto-Submitted:' "$B/mbox/reporter")" 'auto-replied' "and Auto-Submitted"

# a spool fault: Postfix must defer (75), not bounce, and deliver later
chmod 000 "$B/inst/spool/tmp"
swaks --server 127.0.0.1 --port 25 --from reporter@localhost \
    --to psirt-test@localhost --header "Subject: second report" \
    --body "x" >>"$B/swaks.out" 2>&1
t=0
while [ $t -lt 100 ] && ! grep -q 'status=deferred' "$LOG"; do
	sleep 0.1; t=$((t + 1))
done
like "$(grep 'status=deferred' "$LOG")" 'temporary failure' \
    "spool fault: Postfix defers the message (EX_TEMPFAIL)"
unlike "$(grep 'psirt-test' "$LOG" | grep 'status=bounced')" . "nothing bounced"
chmod 700 "$B/inst/spool/tmp"
t=0
while [ $t -lt 60 ] && [ "$($A case list --json | jq length)" -lt 2 ]; do
	postqueue -f	# again: a flush before the deferral lands is lost
	sleep 0.5; t=$((t + 1))
done
is "$($A case list --json | jq -r '.[1].subject')" "second report" \
    "after the fix the retried message becomes a case"
done_testing
