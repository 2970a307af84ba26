#!/bin/sh
# Fault injection: write, fsync, rename, open, malloc and fork fail at
# the Nth call (tests/fault/libfault.so, LD_PRELOAD), in turn for every N
# of `deliver` and for every N (malloc: a growing sample) of a queue run;
# the sendmail command fails at its Nth run; the disk is full; another
# process holds the store's lock past the busy timeout; gpg-agent is
# killed while messages are decrypted. After each fault the mail system
# does what it would (the MTA retries a 75; the next queue run runs) and
# the invariant must hold: every message deliver accepted is stored
# exactly once, in exactly one case, with exactly one acknowledgement
# sent, and `check` finds spool, store and audit record in agreement.
. "$top_srcdir/tests/lib/lib.sh"
need jq sqlite3
LIB=$top_builddir/tests/fault/libfault.so
[ -f "$LIB" ] || plan_skip_all "no $LIB"
if ldd "$PSIRT_AGENT" | grep -q libasan; then
	plan_skip_all "LD_PRELOAD fault injection cannot run beside AddressSanitizer"
fi
mk_instance || { echo "Bail out! init failed"; exit 1; }
printf 'retry_min_time = 0s\nprocess_workers = 1\n' >>"$C"
CORE=psirt-agent-core	# the process name of every command but deliver
M=0	# messages made
msg() {	# msg: a new report from a sender of its own, in $I/m.eml
	M=$((M + 1))
	mkmsg "R$M <r$M@fault.example>" "fault report $M" "report $M" \
	    "Message-ID: <fault-$M@fault.example>" >"$I/m.eml"
}
# with_fault FUNC:N PROG CMD...: run CMD with the Nth FUNC call of PROG
# failing; $fired says whether it did
with_fault() {
	_spec=$1 _prog=$2
	shift 2
	rm -f "$I/fired"
	FAULT=$_spec FAULT_PROG=$_prog FAULT_LOG=$I/fired LD_PRELOAD=$LIB "$@"
	rc=$?
	fired=0
	[ -e "$I/fired" ] && fired=1
	return $rc
}
bad_rc=0 accepted=0 retried=0 runs=0

# 1. deliver, every N of every function, until N passes the last call
for fn in write fsync rename open malloc; do
	n=1
	while [ $n -le 3000 ]; do
		msg
		with_fault "$fn:$n" psirt-agent $A deliver <"$I/m.eml" 2>>"$I/fault.log"
		rc=$?
		runs=$((runs + 1))
		case $rc in
		0) accepted=$((accepted + 1)) ;;
		75)	# the MTA retries
			retried=$((retried + 1))
			$A deliver <"$I/m.eml" 2>>"$I/agent.log" || bad_rc=$((bad_rc + 1)) ;;
		*) bad_rc=$((bad_rc + 1)); diag "deliver with $fn:$n exited $rc" ;;
		esac
		[ $fired -eq 1 ] || break
		n=$((n + 1))
	done
	pass "deliver: $fn failed at each of its $((n - 1)) calls in turn"
done
is "$bad_rc" 0 "deliver exits 0 or 75, nothing else ($runs runs, $retried retried)"
ls "$I/inst/spool/tmp" | grep -q . && diag "tmp/: $(ls "$I/inst/spool/tmp" | wc -l) leftovers"
# a fault while the configuration is read is an error, not a shorter
# configuration (background_process = no was once lost to an ENOMEM
# getline took for end of file, and a runner started)
is "$(qdir_count incoming)" "$M" "all $M accepted messages wait in incoming/: no setting was lost to a fault"
process
is "$(sqlite3 "$I/inst/psirt.db" "SELECT count(*), count(DISTINCT message_id) FROM messages WHERE direction = 'in' AND kind = 'report'")" \
    "$M|$M" "every message, accepted at once or after the MTA's retry, is one report"
is "$($A case list --json | jq length)" "$M" "one case each"

# 2. a queue run, every N of write, fsync, rename, open and fork, a
# sample of malloc: each time a new message, the faulty run, then a
# clean run (as the next timer tick)
crashes=0
for fn in write fsync rename open fork malloc; do
	n=1 k=0
	while [ $n -le 60000 ]; do
		msg
		deliver "$I/m.eml" || bad_rc=$((bad_rc + 1))
		with_fault "$fn:$n" "$CORE" $A process 2>>"$I/fault.log"
		rc=$?
		if [ $rc -gt 128 ]; then
			crashes=$((crashes + 1))
			diag "a queue run with $fn:$n was killed by signal $((rc - 128))"
		fi
		process
		k=$((k + 1))
		[ $fired -eq 1 ] || break
		if [ "$fn" = malloc ] && [ $n -ge 150 ]; then
			n=$((n + n / 12 + 1))
		else
			n=$((n + 1))
		fi
	done
	pass "a queue run: $fn failed at call N for $k values of N (up to $n)"
done
diag "queue runs killed by a signal under a fault: $crashes"
$A tick 2>>"$I/agent.log"
R="SELECT count(*), count(DISTINCT message_id) FROM messages WHERE direction = 'in' AND kind = 'report'"
is "$(sqlite3 "$I/inst/psirt.db" "$R")" "$M|$M" "every message a report exactly once"
is "$($A case list --json | jq length)" "$M" "exactly one case each"
is "$(sqlite3 "$I/inst/psirt.db" "SELECT count(*), count(DISTINCT case_id) FROM outbox WHERE kind = 'ack'")" \
    "$M|$M" "exactly one acknowledgement queued per case"
is "$(sqlite3 "$I/inst/psirt.db" "SELECT count(*) FROM outbox WHERE kind = 'ack' AND state != 'sent'")" 0 \
    "every acknowledgement sent"
# a run that dies (an allocation is fatal) after sendmail took a reply
# and before its record is committed leaves the claim, which the next
# run releases: the reply goes again, with the same Message-ID (so the
# reader's client shows it once); a second, different reply would be
# a second Message-ID
acks=$(grep -l '^In-Reply-To: <fault-' "$I"/mail/*.eml)
is "$(grep -h '^Message-ID:' $acks | sort -u | wc -l)" "$M" "the mailer got one acknowledgement (one Message-ID) for each"
[ "$(printf '%s\n' $acks | wc -l)" -eq "$M" ] ||
    diag "sent again after a run died between send and record: $(( $(printf '%s\n' $acks | wc -l) - M ))"
is "$(grep -h '^In-Reply-To: <fault-' "$I"/mail/*.eml | sort -u | wc -l)" "$M" "none twice"
# a write to sendmail that failed (the loop above fails each in turn)
# must not post what sendmail had read: an empty or cut message
is "$(find "$I/mail" -name '*.eml' -size -200c | wc -l)" 0 \
    "no message cut short by a failed write was posted"
$A check >"$I/check.out" 2>&1
is "$?" 0 "check: spool, store and audit record agree"
[ -s "$I/check.out" ] && grep -v '^check: ok\|^audit: .*: intact$' "$I/check.out" | head -5 | while read -r l; do diag "$l"; done

# 3. the sendmail command fails at its Nth run
n0=$(sent_count)
d0=$(sqlite3 "$I/inst/psirt.db" "SELECT count(*) FROM events WHERE type = 'reply-deferred'")
for n in 1 2 3; do msg; deliver "$I/m.eml"; done
SM_FAIL=2 process
rm -f "$I/sm.count"
is "$(sqlite3 "$I/inst/psirt.db" "SELECT count(*) FROM events WHERE type = 'reply-deferred'")" $((d0 + 1)) \
    "sendmail failed once: that reply was deferred"
process
is "$(sent_count)" $((n0 + 3)) "the next run sends it: three replies, none twice"

# 4. the disk is full (a 4 MB tmpfs under the spool and store)
mkdir -p "$I/mnt"
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=4m,mode=0700 tmpfs "$I/mnt" 2>/dev/null; then
	trap 'umount "$I/mnt" 2>/dev/null; cleanup' EXIT
	"$PSIRT_AGENT" init --address security@example.org --sendmail "$I/sendmail" "$I/mnt/inst" >/dev/null
	FC=$I/mnt/inst/psirt-agent.conf
	printf 'background_process = no\nsyslog = no\nretry_min_time = 0s\n' >>"$FC"
	FA="$PSIRT_AGENT -c $FC"
	M0=$M	# messages of this instance do not count for the other
	fill() { dd if=/dev/zero of="$I/mnt/filler" bs=16k 2>/dev/null; sync; }
	fill
	msg
	$FA deliver <"$I/m.eml" 2>"$I/err"
	is "$?" 75 "disk full: deliver exits 75"
	is "$(ls "$I/mnt/inst/spool/incoming" | wc -l)" 0 "and leaves nothing in incoming/"
	rm -f "$I/mnt/filler"
	for n in 1 2 3; do msg; $FA deliver <"$I/m.eml" 2>>"$I/err" || fail "deliver with room"; done
	fill
	$FA process 2>>"$I/err"
	full_cases=$($FA case list --json 2>/dev/null | jq length)
	rm -f "$I/mnt/filler"
	$FA process 2>>"$I/err"
	is "$($FA case list --json | jq length)" 3 "disk full during a run ($full_cases cases then): room again, three cases"
	is "$(sqlite3 "$I/mnt/inst/psirt.db" "SELECT count(*), count(DISTINCT case_id) FROM outbox WHERE kind = 'ack'")" \
	    "3|3" "one acknowledgement each"
	$FA check >/dev/null 2>&1
	is "$?" 0 "check agrees after the full disk"
	umount "$I/mnt"
	M=$M0
else
	skip "disk full" "cannot mount a tmpfs (not root)"
fi

# 5. another process holds the store's lock longer than the busy timeout
echo 'database_busy_timeout = 1s' >>"$C"
msg; deliver "$I/m.eml" || fail "deliver while the store is locked"
# the lock is held until $I/unlock appears (600 s at most: a bound
# that only stops a hung test)
(echo 'BEGIN EXCLUSIVE;'; echo "SELECT 'locked';"
    t=0; while [ ! -e "$I/unlock" ] && [ $t -lt 6000 ]; do sleep 0.1; t=$((t + 1)); done
    echo 'COMMIT;') | sqlite3 "$I/inst/psirt.db" >"$I/lock.out" &
LP=$!
t=0
while ! grep -q locked "$I/lock.out" 2>/dev/null && [ $t -lt 600 ]; do sleep 0.1; t=$((t + 1)); done
t0=$(date +%s)
$A process 2>>"$I/agent.log"
t1=$(date +%s)
ok $([ ! -e "$I/unlock" ] && kill -0 $LP 2>/dev/null; echo $?) \
    "a run gives up while the lock is held ($((t1 - t0)) s; busy timeout 1 s)"
touch "$I/unlock"
wait $LP
process
is "$($A case list --json | jq length)" "$M" "the lock gone, the next run takes it"
$A check >/dev/null 2>&1
is "$?" 0 "check agrees after the lock"

# 6. gpg-agent killed while encrypted reports are decrypted
if command -v gpg >/dev/null && command -v gpgconf >/dev/null; then
	gpg_person 'Enc <enc@fault.example>' enc@fault.example
	G=$I/inst/gnupg
	gpg --homedir "$G" --batch --quiet --pinentry-mode loopback --passphrase '' \
	    --quick-gen-key 'PSIRT <security@example.org>' ed25519 sign never 2>/dev/null
	PF=$(gpg --homedir "$G" --with-colons --list-secret-keys security@example.org | awk -F: '/^fpr/ { print $10; exit }')
	gpg --homedir "$G" --batch --quiet --pinentry-mode loopback --passphrase '' \
	    --quick-add-key "$PF" cv25519 encr never 2>/dev/null
	gpg --homedir "$G" --armor --export "$PF" | rgpg --import 2>/dev/null
	for n in 1 2 3 4 5 6; do
		msg
		{ sed '/^$/q' "$I/m.eml"; echo "secret report $M" | rgpg --trust-model always --armor -r "$PF" --encrypt; } >"$I/e.eml"
		deliver "$I/e.eml"
	done
	( for i in 1 2 3 4 5 6 7 8 9 10; do gpgconf --homedir "$G" --kill gpg-agent 2>/dev/null; sleep 0.05; done ) &
	KP=$!
	$A process 2>>"$I/agent.log"
	wait $KP
	process
	is "$($A case list --json | jq length)" "$M" "gpg-agent killed mid-run: every encrypted report is a case"
	und=$(sqlite3 "$I/inst/psirt.db" "SELECT qid FROM messages WHERE decrypt_error IS NOT NULL AND kind = 'report'")
	[ -z "$und" ] || $A process --retry $und 2>>"$I/agent.log"
	is "$(sqlite3 "$I/inst/psirt.db" "SELECT count(*) FROM messages WHERE encryption IS NOT NULL AND decrypted = 1")" 6 \
	    "and each is read, at once or by process --retry"
	gpgconf --homedir "$G" --kill all 2>/dev/null
else
	skip "gpg-agent killed" "no gpg"
fi
# 7. a backup that cannot be written says so (EX_IOERR), and a store
# that cannot be opened for an I/O fault is a fault that may pass
with_fault fsync:1 "$CORE" $A backup "$I/bk1" 2>"$I/bk.err"
is "$?" 74 "backup with fsync failing: 74 (EX_IOERR)"
like "$(cat "$I/bk.err")" "the backup in $I/bk1 is not complete" "and it says the backup is not complete"
with_fault write:1 "$CORE" $A backup "$I/bk2" 2>"$I/bk.err"
is "$?" 75 "the store's first write failing: 75 (EX_TEMPFAIL), not a configuration error"
$A check >/dev/null 2>&1
is "$?" 0 "check agrees at the end"
done_testing
