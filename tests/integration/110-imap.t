#!/bin/sh
# IMAP intake against a real Dovecot on 127.0.0.1 (started here with a
# throwaway configuration, stopped by PID): poll --once over IMAPS and
# STARTTLS with a test CA, certificate and password failures, IDLE, a
# SIGKILL in the middle of a batch, a UIDVALIDITY change.
. "$top_srcdir/tests/lib/lib.sh"
need jq openssl doveadm dovecot
[ "$(id -u)" = 0 ] || plan_skip_all "Dovecot is started as root here"
mk_instance || { echo "Bail out! init failed"; exit 1; }
mk_dovecot || { echo "Bail out! openssl failed"; exit 1; }
up() { openssl s_client -connect "127.0.0.1:$PS" -brief </dev/null >/dev/null 2>&1; }
trap 'dovecot_stop; cleanup' EXIT
dovecot_start "$D/dovecot.conf" up || {
	cat "$D/dovecot.log" >&2; echo "Bail out! dovecot did not start"; exit 1; }

DA="doveadm -c $D/dovecot.conf"
# alive? (a test that fails because Dovecot went away says so)
alive() {
	kill -0 "$DPID" 2>/dev/null && return 0
	diag "Dovecot (pid $DPID) is gone:" "$(tail -n 5 "$D/dovecot.log" "$D/dovecot.conf.out" 2>&1)"
	return 1
}
append() { $DA save -u psirt -m INBOX <"$1"; }
unseen() { $DA search -u psirt mailbox INBOX UNSEEN 2>/dev/null | wc -l; }
ncases() { $A case list --json | jq length; }

printf 's3cret pass\n' >"$I/imap.pw"
chmod 600 "$I/imap.pw"
conf() {	# conf KEY VALUE: set one setting (the last one counts)
	sed -i "/^$1 = /d" "$C"
	printf '%s = %s\n' "$1" "$2" >>"$C"
}
conf imap_url "imaps://psirt@127.0.0.1:$PS/INBOX"
conf imap_password_file "$I/imap.pw"
conf imap_ca_file "$D/ca.crt"
conf imap_poll_interval 5s

for n in 1 2 3 4 5; do
	mkmsg "imap$n@example.net" "imap report $n" "body $n" >"$I/i$n.eml"
	append "$I/i$n.eml"
done
$A poll --once 2>>"$I/agent.log"
is $? 0 "poll --once over IMAPS with the test CA"
is "$(ncases)" 5 "five reports, five cases"
is "$(unseen)" 0 "each message is marked seen once spooled"
is "$($A case list --json | jq -r '[.[].subject] | sort | join(",")')" \
    "imap report 1,imap report 2,imap report 3,imap report 4,imap report 5" \
    "the cases are the reports"
$A poll --once 2>>"$I/agent.log"
is "$(ncases)" 5 "a second poll takes nothing again"

# STARTTLS on the plain port
conf imap_url "imap://psirt@127.0.0.1:$P/INBOX"
mkmsg 'st@example.net' 'over starttls' 'body' >"$I/st.eml"
append "$I/st.eml"
$A poll --once 2>>"$I/agent.log"
is "$? $(ncases)" "0 6" "poll --once with STARTTLS"

# certificate and password failures: clear errors, nothing taken
mkmsg 'wait@example.net' 'waits for a good connection' 'body' >"$I/w.eml"
append "$I/w.eml"
conf imap_url "imaps://psirt@127.0.0.1:$PS/INBOX"
conf imap_ca_file "$D/other.crt"
$A poll --once 2>"$I/err"
rc=$?
ok $([ $rc -ne 0 ] && grep -q 'certificate of 127.0.0.1 refused' "$I/err"; echo $?) \
    "a certificate from another CA is refused (exit $rc)"
conf imap_ca_file "$D/ca.crt"
conf imap_fingerprint "00:11:22:33"
$A poll --once 2>"$I/err"
rc=$?
ok $([ $rc -ne 0 ] && grep -q 'does not match imap_fingerprint' "$I/err"; echo $?) \
    "a certificate that does not match the pin is refused"
right=$(openssl x509 -in "$D/tls.crt" -outform DER | sha256sum | cut -d' ' -f1)
conf imap_fingerprint "$right"
printf 'wrong\n' >"$I/imap.pw"
$A poll --once 2>"$I/err"
rc=$?
is "$rc" 77 "a wrong password: exit 77 (EX_NOPERM)"
like "$(cat "$I/err")" 'IMAP login as psirt at 127.0.0.1 failed' "a wrong password: a clear error"
unlike "$(cat "$I/err" "$I/agent.log")" 's3cret|wrong' "the password is never logged"
is "$(ncases)" 6 "nothing was taken meanwhile"
printf 's3cret pass\n' >"$I/imap.pw"
alive || true
$A poll --once 2>>"$I/agent.log"
is "$? $(ncases)" "0 7" "with the pin and the password right, the waiting message comes"

# an expired server certificate (the right CA, the dates long past)
mkdir -p "$D/ca/db"
: >"$D/ca/db/index.txt"
echo 1000 >"$D/ca/db/serial"
printf '[ca]\ndefault_ca = t\n[t]\ndir = %s/ca\ndatabase = %s/ca/db/index.txt\nserial = %s/ca/db/serial\nnew_certs_dir = %s/ca/db\ndefault_md = sha256\npolicy = p\n[p]\ncommonName = supplied\n' \
    "$D" "$D" "$D" "$D" >"$D/ca/ca.cnf"
openssl ca -batch -config "$D/ca/ca.cnf" -cert "$D/ca.crt" -keyfile "$D/ca.key" \
    -in "$D/tls.csr" -out "$D/old.crt" -startdate 20200101000000Z \
    -enddate 20200201000000Z -extfile "$D/ext" 2>/dev/null
cp "$D/tls.crt" "$D/good.crt"
cp "$D/old.crt" "$D/tls.crt"
kill -HUP "$DPID"
sleep 1
conf imap_fingerprint ""
$A poll --once 2>"$I/err"
rc=$?
ok $([ $rc -ne 0 ] && grep -qi 'expired' "$I/err"; echo $?) \
    "an expired server certificate is refused (exit $rc): $(head -c 120 "$I/err")"
cp "$D/good.crt" "$D/tls.crt"
kill -HUP "$DPID"
sleep 1

alive || true

# IDLE: a running poll gets a new report at once. Without IDLE the next
# look would be an hour away (imap_poll_interval), so an acknowledgement
# within the wait (a bound that only stops a hung test, not a speed
# goal: bench/imap measures the latency) comes from IDLE.
conf imap_poll_interval 1h
# wait_sent N: wait (120 s at most) until more than N messages are sent
wait_sent() {
	t=0
	while [ "$(sent_count)" -le "$1" ] && [ $t -lt 1200 ]; do sleep 0.1; t=$((t + 1)); done
	[ "$(sent_count)" -gt "$1" ]
}
$A poll 2>>"$I/agent.log" &
PPID2=$!
# (a report appended before IDLE starts is taken by the first look)
sleep 1
before=$(sent_count)
mkmsg 'idle@example.net' 'pushed by idle' 'body' >"$I/id.eml"
t0=$(date +%s%N)
append "$I/id.eml"
wait_sent "$before"; r=$?
t1=$(date +%s%N)
ok $r "IDLE: the acknowledgement is out ($(( (t1 - t0) / 1000000 )) ms after APPEND), not at the next poll"
# hup_then_report FROM: SIGHUP the running poll, append a report, and
# wait for its acknowledgement; true if it went out
hup_then_report() {
	kill -HUP $PPID2
	sleep 1
	before=$(sent_count)
	mkmsg "$1" 'after a reload' 'body' >"$I/hup.eml"
	append "$I/hup.eml"
	wait_sent "$before"
}
# SIGHUP: the configuration again, and on with the work
hup_then_report hup@example.net; r=$?
ok $([ $r -eq 0 ] && grep -q 'configuration reloaded' "$I/agent.log"; echo $?) \
    "SIGHUP reloads the configuration and poll goes on"
# a policy broken meanwhile: poll keeps its last good one
PF=$I/inst/policies/psirt.policy
cp "$PF" "$I/policy.good"
printf 'task triage R analyst A ciso A psirt-lead\n' >>"$PF"
hup_then_report hup2@example.net; r=$?
ok $([ $r -eq 0 ] && grep -q 'keeping the old configuration and policy' "$I/agent.log"; echo $?) \
    "SIGHUP with a bad policy: poll says so and goes on with the last good one"
cp "$I/policy.good" "$PF"
kill -TERM $PPID2
t=0
while kill -0 $PPID2 2>/dev/null && [ $t -lt 600 ]; do sleep 0.1; t=$((t + 1)); done
wait $PPID2
is "$?" 0 "poll stops on SIGTERM, exit 0"

alive || true

# SIGKILL in the middle of a batch, then again: every report once
base=$(ncases)
for n in $(seq 1 60); do
	mkmsg "k$n@example.net" "batch $n" "body $n" >"$I/k.eml"
	append "$I/k.eml"
done
$A poll --once 2>>"$I/agent.log" &
KP=$!
sleep 0.4
kill -KILL $KP 2>/dev/null
wait $KP 2>/dev/null
# the runner may have been a queue run's parent: its workers finish
sleep 1
$A poll --once 2>>"$I/agent.log"
is "$(( $(ncases) - base ))" 60 "killed mid-batch and restarted: 60 reports, 60 cases"
is "$($A case list --json | jq -r '[.[].subject | select(startswith("batch "))] | unique | length')" 60 \
    "no report became two cases"
is "$(unseen)" 0 "every message marked seen in the end"

# UIDVALIDITY changes: nothing is taken twice, a new message is taken
$DA mailbox update -u psirt --uid-validity 4242 INBOX 2>>"$I/agent.log" ||
    $DA mailbox update -u psirt --uid-validity=4242 INBOX 2>>"$I/agent.log"
base=$(ncases)
mkmsg 'uv@example.net' 'after uidvalidity' 'body' >"$I/uv.eml"
append "$I/uv.eml"
$A poll --once 2>"$I/err"
cat "$I/err" >>"$I/agent.log"
like "$(cat "$I/err")" 'UIDVALIDITY changed' "a UIDVALIDITY change is noticed"
is "$(( $(ncases) - base ))" 1 "after it, only the new message is taken"

# the same bytes twice through the pipe: one case, the copy kept
mkmsg 'twice@example.net' 'sent twice' 'body' >"$I/twice.eml"
deliver "$I/twice.eml" && deliver "$I/twice.eml" && process
id=$($A case list --json | jq -r '.[] | select(.subject=="sent twice") | .id')
is "$(printf '%s\n' $id | wc -l)" 1 "the same message twice: one case"
is "$($A case show "$id" --json | jq -r '[.messages[] | select(.direction=="in") | .kind] | join(",")')" \
    "report,duplicate" "the copy is stored as a duplicate"
# imap_processed: move:Folder and delete
$DA mailbox create -u psirt Done 2>>"$I/agent.log"
conf imap_processed "move:Done"
mkmsg 'mv@example.net' 'to be moved' 'body' >"$I/mv.eml"
append "$I/mv.eml"
$A poll --once 2>>"$I/agent.log"
is "$($DA search -u psirt mailbox INBOX HEADER Subject 'to be moved' 2>/dev/null | wc -l) $($DA search -u psirt mailbox Done HEADER Subject 'to be moved' 2>/dev/null | wc -l)" \
    "0 1" "imap_processed = move:Done moves the message once spooled"
conf imap_processed delete
mkmsg 'del@example.net' 'to be deleted' 'body' >"$I/del.eml"
append "$I/del.eml"
$A poll --once 2>>"$I/agent.log"
is "$($DA search -u psirt mailbox INBOX HEADER Subject 'to be deleted' 2>/dev/null | wc -l)" 0 \
    "imap_processed = delete expunges the message once spooled"
is "$($A case list --json | jq '[.[] | select(.subject=="to be moved" or .subject=="to be deleted")] | length')" 2 \
    "both became cases"
conf imap_processed seen
conf imap_processed dlete
$A poll --once 2>"$I/err"
is $? 78 "imap_processed with a typo: exit 78, nothing flagged or deleted"
conf imap_processed seen

# imap_initial = new: a mailbox with history is not taken on first poll
$DA mailbox create -u psirt Old 2>>"$I/agent.log"
for n in 1 2 3; do
	mkmsg "old$n@example.net" "old mail $n" 'body' | $DA save -u psirt -m Old
done
conf imap_url "imaps://psirt@127.0.0.1:$PS/Old"
conf imap_initial new
base=$(ncases)
$A poll --once 2>"$I/err"
is "$? $(( $(ncases) - base ))" "0 0" "imap_initial = new: three old messages left alone"
like "$(cat "$I/err")" 'the 3 messages already there are left alone' "... and says so"
mkmsg 'fresh@example.net' 'new in Old' 'body' | $DA save -u psirt -m Old
$A poll --once 2>>"$I/agent.log"
is "$($A case list --json | jq -r '.[-1].subject') $(( $(ncases) - base ))" "new in Old 1" \
    "the next message that arrives is taken"
conf imap_initial all
conf imap_url "imaps://psirt@127.0.0.1:$PS/INBOX"

# the public corpus through both intake paths gives the same cases
$DA mailbox create -u psirt Corpus 2>>"$I/agent.log"
CORPUS=$top_srcdir/tests/corpus/public
: >"$I/corpus.list"
for f in $(tail -n +2 "$CORPUS/MANIFEST.tsv" | cut -f1); do
	# what IMAP can hold (doveadm refuses some malformed files)
	$DA save -u psirt -m Corpus <"$CORPUS/$f" 2>/dev/null &&
	    echo "$f" >>"$I/corpus.list"
done
summary() {	# the cases (and held mail) of the instance $1 (its conf)
	"$PSIRT_AGENT" -c "$1" case list --json | jq -r '.[].id' | while read -r id; do
		"$PSIRT_AGENT" -c "$1" case show "$id" --json | jq -r '
		    (.messages | map(select(.direction=="in" and .kind!="duplicate"))) as $m |
		    [.subject, .kind, ($m | length | tostring),
		     ($m[0].encryption // "-"), ($m[0].decrypted | tostring),
		     ($m[0].signature.status // "-")] | join("|")'
	done | sort
	"$PSIRT_AGENT" -c "$1" queue list --json | jq -r '.[] | select(.queue=="hold") | "held|" + (.subject // "")' | sort
}
conf imap_url "imaps://psirt@127.0.0.1:$PS/Corpus"
I1=$I C1=$C
mk_instance || { echo "Bail out! second instance"; exit 1; }
conf imap_url "imaps://psirt@127.0.0.1:$PS/Corpus"
conf imap_password_file "$I1/imap.pw"
conf imap_ca_file "$D/ca.crt"
$A poll --once 2>>"$I/agent.log"
IMAPSUM=$(summary "$C")
C2=$C
mk_instance || { echo "Bail out! third instance"; exit 1; }
while read -r f; do
	$A deliver <"$CORPUS/$f" 2>>"$I/agent.log"
	$A process 2>>"$I/agent.log"
done <"$I1/corpus.list"
PIPESUM=$(summary "$C")
diag "$(wc -l <"$I1/corpus.list") corpus files through both paths"
if [ "$IMAPSUM" = "$PIPESUM" ]; then
	pass "the corpus gives the same cases and held mail through IMAP and the pipe"
else
	fail "the corpus gives the same cases and held mail through IMAP and the pipe"
	printf '%s\n' "$IMAPSUM" >"$I/a"
	printf '%s\n' "$PIPESUM" >"$I/b"
	diff "$I/a" "$I/b" | head -20 | sed 's/^/# /'
	# the signature verdicts' details, for a difference in them
	sigs() {
		"$PSIRT_AGENT" -c "$1" case list --json | jq -r '.[].id' | while read -r id; do
			"$PSIRT_AGENT" -c "$1" case show "$id" --json |
			    jq -r '.subject + "|" + (.messages[0].signature.detail // "-")'
		done | sort
	}
	sigs "$C2" >"$I/a"
	sigs "$C" >"$I/b"
	diff "$I/a" "$I/b" | head -20 | sed 's/^/# /'
	diag "IMAP instance log:" "$(grep -i 'sign\|gpg' "$(dirname "$C2")/../agent.log" 2>/dev/null | tail -n 5)"
fi

# a sender found through poll as through the pipe (290-headers.t): an
# address only in From's encoded-word, and a From with none beside the
# Return-Path the server kept
$DA mailbox create -u psirt Headers 2>>"$I/agent.log"
conf imap_url "imaps://psirt@127.0.0.1:$PS/Headers"
conf imap_password_file "$I1/imap.pw"
conf imap_ca_file "$D/ca.crt"
printf 'From: =?UTF-8?B?%s?=\nTo: security@example.org\nSubject: imap encoded from\nMessage-ID: <imap-ew@example.net>\n\nthe report\n' \
    "$(printf 'Ewa Imap <ewa.imap@example.net>' | base64)" >"$I/ew.eml"
printf 'Return-Path: <rp.imap@example.net>\nFrom: nobody\nTo: security@example.org\nSubject: imap return-path\nMessage-ID: <imap-rp@example.net>\n\nthe report\n' >"$I/rp.eml"
$DA save -u psirt -m Headers <"$I/ew.eml"
$DA save -u psirt -m Headers <"$I/rp.eml"
$A poll --once 2>>"$I/agent.log"
for c in "imap encoded from|from-encoded-word|ewa.imap@example.net" \
    "imap return-path|return-path|rp.imap@example.net"; do
	subj=${c%%|*} rest=${c#*|}
	S=$($A case list --json | jq -r --arg s "$subj" '.[] | select(.subject == $s) | .id' |
	    xargs -I{} $A case show {} --json)
	is "$(printf '%s' "$S" | jq -r '[.messages[0].sender_source, .reporter] | join("|")')" \
	    "$rest" "poll, $subj: sender_source and reporter"
	like "$(printf '%s' "$S" | jq -r '[.events[] | select(.type == "ack-queued") | .detail] | first')" \
	    "^acknowledgement to ${rest#*|} " "poll, $subj: acknowledged to ${rest#*|}"
	like "$(printf '%s' "$S" | jq -r '.messages[0].warnings')" 'From is malformed' \
	    "poll, $subj: From is malformed, says a warning"
done
done_testing
