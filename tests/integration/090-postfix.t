#!/bin/sh
# End to end through a real Postfix on 127.0.0.1: SMTP in, the alias
# pipe runs `psirt-agent deliver` as nobody, the background runner opens
# the case, the acknowledgement goes out through Postfix's sendmail and
# lands in the reporter's mailbox. A spool fault makes Postfix defer the
# message (exit 75), never bounce it; after the fix it is delivered.
# Then replies by SMTP submission instead of sendmail: STARTTLS and
# implicit TLS with a test CA, AUTH through Dovecot's SASL, a wrong
# password, a wrong certificate, a server without STARTTLS, and a
# recipient the server refuses for good.
# Needs root (it reconfigures the system Postfix and restores it).
. "$top_srcdir/tests/lib/lib.sh"
need jq swaks postconf postfix runuser openssl dovecot
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
	dovecot_stop
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
    "queue_run_delay = 1s" "recipient_delimiter = +"
cat >/etc/aliases <<EOA
postmaster: root
psirt-test: "|$B/bin/psirt-agent -c $B/inst/psirt-agent.conf deliver"
reporter: $B/mbox/reporter
EOA
# submission for the agent's SMTP client: STARTTLS required, implicit
# TLS, and no TLS at all; SASL by a Dovecot that only authenticates
SUB=$((30000 + $$ % 10000)) SMTPS=$((SUB + 1)) NOTLS=$((SUB + 2)) PA=$((SUB + 3))
MAYTLS=$((SUB + 4))
mk_test_ca "$B" || { echo "Bail out! openssl failed"; exit 1; }
mkdir -p "$B/dc"
echo 'psirt:{PLAIN}subm1t pass' >"$B/dc/passwd"
cat >"$B/dc/dovecot.conf" <<EOF
base_dir = $B/dc/run
state_dir = $B/dc/state
instance_name = psirt-sasl-$$
protocols = none
listen = 127.0.0.1
log_path = $B/dc/dovecot.log
auth_mechanisms = plain login
disable_plaintext_auth = no
ssl = no
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $B/dc/passwd
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=/nonexistent
}
service auth {
  inet_listener {
    address = 127.0.0.1
    port = $PA
  }
}
service anvil {
  chroot =
}
EOF
sasl_up() { listening "$PA"; }
dovecot_start "$B/dc/dovecot.conf" sasl_up ||
    { cat "$B/dc/dovecot.log" >&2; echo "Bail out! dovecot did not start"; exit 1; }
SA="-o smtpd_sasl_auth_enable=yes -o smtpd_sasl_type=dovecot"
SA="$SA -o smtpd_sasl_path=inet:127.0.0.1:$PA"
SA="$SA -o smtpd_tls_cert_file=$B/tls.crt -o smtpd_tls_key_file=$B/tls.key"
SA="$SA -o smtpd_client_restrictions=permit_sasl_authenticated,reject"
SA="$SA -o smtpd_relay_restrictions=permit_sasl_authenticated,reject"
cat >>/etc/postfix/master.cf <<EOF
127.0.0.1:$SUB inet n - n - - smtpd -o syslog_name=postfix/sub
  -o smtpd_tls_security_level=encrypt $SA
127.0.0.1:$SMTPS inet n - n - - smtpd -o syslog_name=postfix/smtps
  -o smtpd_tls_wrappermode=yes -o smtpd_tls_security_level=encrypt $SA
127.0.0.1:$NOTLS inet n - n - - smtpd -o syslog_name=postfix/notls
  -o smtpd_tls_security_level=none
127.0.0.1:$MAYTLS inet n - n - - smtpd -o syslog_name=postfix/maytls
  -o smtpd_tls_security_level=may -o smtpd_tls_cert_file=$B/tls.crt
  -o smtpd_tls_key_file=$B/tls.key
EOF
newaliases && postfix check && $real_clock postfix start >/dev/null 2>&1
ok $? "Postfix started"
t=0
until listening 25; do	# 60 s at most: a bound for a start that hangs
	t=$((t + 1)); [ $t -gt 600 ] && break; sleep 0.1
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
while [ $t -lt 1200 ] && ! grep -q 'status=deferred' "$LOG"; do
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

# --- replies through SMTP submission ---------------------------------
CF=$B/inst/psirt-agent.conf
set_conf() {	# set_conf KEY VALUE (the last one counts)
	sed -i "/^$1 = /d" "$CF"
	printf '%s = %s\n' "$1" "$2" >>"$CF"
}
printf 'subm1t pass\n' >"$B/inst/smtp.pw"
chown nobody:nogroup "$B/inst/smtp.pw"
chmod 600 "$B/inst/smtp.pw"
set_conf smtp_url "smtp://psirt@127.0.0.1:$SUB"
set_conf smtp_password_file "$B/inst/smtp.pw"
set_conf smtp_ca_file "$B/ca.crt"
set_conf smtp_timeout 10s
set_conf retry_min_time 1s
set_conf background_process no
# report FROM SUBJECT: a report piped to the agent, then a queue run
N=0
report() {
	N=$((N + 1))
	printf 'From: %s\nTo: psirt-test@localhost\nSubject: %s\nMessage-ID: <smtp%s.%s@localhost>\n\nbody\n' \
	    "$1" "$2" "$N" "$$" | $A deliver && $A process 2>>"$B/agent.err"
}
# events SUBJECT: the outbox events of the case with that subject
events() {
	id=$($A case list --json | jq -r --arg s "$1" '.[] | select(.subject == $s) | .id')
	$A case show "$id" --json | jq -r '.events[] | select(.type | startswith("reply-")) | .type + " " + .detail'
}
# arrived SUBJECT: wait for the acknowledgement in the reporter's mailbox
arrived() {
	t=0
	while [ $t -lt 1200 ] && ! grep -q "^Subject: .*$1" "$B/mbox/reporter"; do
		sleep 0.1; t=$((t + 1))
	done
	grep -q "^Subject: .*$1" "$B/mbox/reporter"
}

report reporter@localhost "third report (submission)"
arrived "third report"; ok $? "STARTTLS + AUTH PLAIN: the acknowledgement reached the reporter"
like "$(events 'third report (submission)')" '^reply-sent ack to reporter@localhost' \
    "the case records it sent"
like "$(grep 'sasl_username=psirt' "$LOG")" 'postfix/sub/smtpd.*sasl_method=PLAIN' \
    "Postfix saw an authenticated submission"
like "$(grep -B30 'Subject: .*third report' "$B/mbox/reporter" | grep -A5 '^Received: from')" 'ESMTPSA' \
    "it came in over TLS with AUTH (ESMTPSA)"

printf 'wrong\n' >"$B/inst/smtp.pw"
report reporter@localhost "fourth report (bad password)"
like "$(events 'fourth report (bad password)')" \
    '^reply-deferred ack to reporter@localhost: AUTH PLAIN as psirt at 127.0.0.1: 535' \
    "a wrong password: the reply waits, with the server's answer"
unlike "$(cat "$B/agent.err")" 'wrong' "the password is not logged"
printf 'subm1t pass\n' >"$B/inst/smtp.pw"
sleep 2
$A process 2>>"$B/agent.err"
arrived "fourth report"; ok $? "the password fixed, the next run sends it"

set_conf smtp_url "smtps://psirt@127.0.0.1:$SMTPS"
report reporter+5@localhost "fifth report (smtps)"
arrived "fifth report"; ok $? "implicit TLS (smtps://): sent"

set_conf smtp_ca_file "$B/other.crt"
report reporter+6@localhost "sixth report (wrong CA)"
like "$(events 'sixth report (wrong CA)')" '^reply-deferred .*certificate of 127.0.0.1 refused' \
    "a certificate from another CA is refused; the reply waits"
set_conf smtp_ca_file "$B/ca.crt"

set_conf smtp_url "smtp://127.0.0.1:$NOTLS"
report reporter+7@localhost "seventh report (no TLS)"
like "$(events 'seventh report (no TLS)')" 'offers no STARTTLS and smtp_allow_plaintext is no' \
    "a server without STARTTLS: refused unless allowed"
set_conf smtp_allow_plaintext yes
sleep 2
$A process 2>>"$B/agent.err"
arrived "seventh report"; ok $? "smtp_allow_plaintext = yes: sent in plain text"

# the packaged set-up: the local Postfix on loopback, which offers
# STARTTLS (Debian's with a snakeoil certificate nobody can verify):
# smtp_allow_plaintext = yes speaks plain text to a loopback address;
# with no, STARTTLS is still required
set_conf smtp_url "smtp://127.0.0.1:$MAYTLS"
report reporter+71@localhost "seventh-b report (loopback, TLS offered)"
arrived "seventh-b report"; ok $? "a loopback server offering STARTTLS, plaintext allowed: sent"
like "$(grep -B30 'Subject: .*seventh-b report' "$B/mbox/reporter" | grep -A3 '^Received: from' | grep -m1 ' with ')" \
    'with ESMTP id' "... in plain text (ESMTP, not ESMTPS)"
set_conf smtp_allow_plaintext no
report reporter+72@localhost "seventh-c report (loopback, TLS required)"
arrived "seventh-c report"; ok $? "plaintext not allowed: sent too"
like "$(grep -B30 'Subject: .*seventh-c report' "$B/mbox/reporter" | grep -A3 '^Received: from' | grep -m1 ' with ')" \
    'with ESMTPS id' "... over STARTTLS (ESMTPS)"

set_conf smtp_url "smtp://psirt@127.0.0.1:$SUB"
set_conf smtp_allow_plaintext no
report nosuchuser@localhost "eighth report (unknown reporter)"
like "$(events 'eighth report (unknown reporter)')" \
    '^reply-failed ack to nosuchuser@localhost, refused: RCPT TO:<nosuchuser@localhost>: 550' \
    "a recipient the server refuses (5xx) fails at once, with the reason"
is "$($A case list --json | jq length)" 10 "ten reports, ten cases"
done_testing
