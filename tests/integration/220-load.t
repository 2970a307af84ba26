#!/bin/sh
# Load: 2000 deliveries, 16 at a time, each starting its queue run,
# while `tick` runs every half second and `poll` takes 50 more messages
# from a real Dovecot on 127.0.0.1; then `check`: spool, store and audit
# record agree, every message is one case, every case one
# acknowledgement, no case ID twice.
. "$top_srcdir/tests/lib/lib.sh"
need jq sqlite3 openssl doveadm dovecot xargs
[ "$(id -u)" = 0 ] || plan_skip_all "Dovecot is started as root here"
N=${PSIRT_LOAD_N:-2000}
mk_instance || { echo "Bail out! init failed"; exit 1; }
mk_dovecot || { echo "Bail out! openssl failed"; exit 1; }
up() { openssl s_client -connect "127.0.0.1:$PS" -brief </dev/null >/dev/null 2>&1; }
trap 'touch "$I/stop"; dovecot_stop; [ -n "${KEEP:-}" ] || cleanup' EXIT
dovecot_start "$D/dovecot.conf" up || { echo "Bail out! dovecot did not start"; exit 1; }
DA="doveadm -c $D/dovecot.conf"
for i in $(seq 50); do
	mkmsg "Imap $i <imap$i@load.example>" "imap report $i" "via IMAP $i" \
	    "Message-ID: <imap-$i@load.example>" >"$I/imap.eml"
	$DA save -u psirt -m INBOX <"$I/imap.eml"
done
printf 's3cret pass\n' >"$I/imap.pw"
chmod 600 "$I/imap.pw"
sed -i '/^background_process = /d' "$C"
cat >>"$C" <<EOC
background_process = yes
imap_url = imaps://psirt@127.0.0.1:$PS/INBOX
imap_ca_file = $D/ca.crt
imap_password_file = $I/imap.pw
EOC
mkdir "$I/in"
for i in $(seq "$N"); do
	mkmsg "Load $i <load$i@load.example>" "load report $i" "report number $i" \
	    "Message-ID: <load-$i@load.example>" >"$I/in/$i.eml"
done
# the timer and the IMAP poller, all the while
( while [ ! -e "$I/stop" ]; do $A tick 2>>"$I/tick.log"; sleep 0.5; done ) &
TP=$!
( while [ ! -e "$I/stop" ]; do $A poll --once 2>>"$I/poll.log"; sleep 0.5; done ) &
PP=$!
export A I
t0=$(date +%s)
seq "$N" | xargs -P 16 -I '{}' sh -c '$A deliver <"$I/in/{}.eml" 2>>"$I/deliver.log"; echo "{} $?"' >"$I/results"
t1=$(date +%s)
is "$(awk '$2 != 0' "$I/results" | wc -l)" 0 "all $N deliveries exit 0 ($((t1 - t0)) s)"
# let the runs drain, then stop the timer and the poller
for _i in $(seq 600); do
	[ "$(find "$I/inst/spool/incoming" "$I/inst/spool/active" -type f | wc -l)" -eq 0 ] && break
	sleep 0.5
done
touch "$I/stop"
wait $TP $PP
$A poll --once 2>>"$I/poll.log"
$A process 2>>"$I/agent.log"
t2=$(date +%s)
diag "delivered in $((t1 - t0)) s, all processed $((t2 - t0)) s after the first"
DB=$I/inst/psirt.db
q() { sqlite3 "$DB" "$1"; }
is "$(q "SELECT count(*), count(DISTINCT message_id) FROM messages WHERE direction = 'in' AND kind = 'report'")" \
    "$((N + 50))|$((N + 50))" "every message a report, exactly once (the pipe's and IMAP's)"
is "$(q "SELECT count(*), count(DISTINCT id) FROM cases")" "$((N + 50))|$((N + 50))" \
    "one case each, no case ID twice"
is "$(q "SELECT count(*) FROM messages WHERE message_id LIKE 'imap-%'")" 50 "the 50 IMAP messages, each once"
is "$(q "SELECT count(*), count(DISTINCT case_id) FROM outbox WHERE kind = 'ack'")" "$((N + 50))|$((N + 50))" \
    "one acknowledgement per case"
$A tick 2>>"$I/agent.log"
is "$(q "SELECT count(*) FROM outbox WHERE state != 'sent'")" 0 "all sent"
is "$(grep -h '^In-Reply-To:' "$I"/mail/*.eml | sort -u | wc -l)" "$((N + 50))" "the mailer got one for each"
$A check >"$I/check.out" 2>&1
is "$?" 0 "check: spool, store and audit record agree"
grep -v '^check: ok\|^audit: ' "$I/check.out" | head -5 | while read -r l; do diag "$l"; done
like "$(cat "$I/check.out")" "check: ok: $((N + 50)) spool files \\(0 not yet processed\\), $((N + 50)) messages, $((N + 50)) cases" \
    "check counts them all"
done_testing
