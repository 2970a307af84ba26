#!/bin/sh
# IMAP faults a real server does not make on demand, from a scripted
# server (tests/integration/fakeimap): a literal announced as 4 GiB,
# and a disconnect in the middle of a literal. Each ends the poll with
# a clear error, in bounded time and memory, with nothing spooled and
# the message still there for the next poll.
. "$top_srcdir/tests/lib/lib.sh"
need jq
FAKE=$top_builddir/tests/integration/fakeimap
[ -x "$FAKE" ] || plan_skip_all "fakeimap not built"
mk_instance || { echo "Bail out! init failed"; exit 1; }
P=$((40000 + $$ % 20000))
printf 'pw\n' >"$I/pw"
printf 'imap_url = imap://u@127.0.0.1:%s/INBOX\nimap_password_file = %s\nimap_allow_plaintext = yes\nimap_timeout = 3s\n' \
    "$P" "$I/pw" >>"$C"

# fake MODE: start the scripted server, wait until it listens
fake() {
	"$FAKE" "$P" "$1" >"$I/fake.out" 2>&1 &
	FP=$!
	t=0
	while ! grep -q ready "$I/fake.out" 2>/dev/null && [ $t -lt 600 ]; do
		sleep 0.1; t=$((t + 1))
	done
}

# measured_poll: poll --once; rc its exit, $I/rss "seconds peak-KiB";
# a poll that hangs is stopped after 600 s (exit 124: the check fails)
measured_poll() {
	if command -v /usr/bin/time >/dev/null; then
		/usr/bin/time -f '%e %M' -o "$I/rss" timeout 600 $A poll --once 2>"$I/err"
		rc=$?
	else
		timeout 600 $A poll --once 2>"$I/err"
		rc=$?
		echo '0 0' >"$I/rss"
	fi
}

for mode in huge cut; do
	fake $mode
	t0=$(date +%s)
	measured_poll
	t1=$(date +%s)
	kill $FP 2>/dev/null
	wait $FP 2>/dev/null
	is "$rc" 75 "$mode literal: poll --once fails with 75 (EX_TEMPFAIL)"
	like "$(cat "$I/err")" 'FETCH UID 1 failed' "$mode literal: the error names the fetch"
	diag "$mode literal: over in $((t1 - t0)) s"
	rss=$(tail -n 1 "$I/rss" | cut -d' ' -f2)
	ok $([ "$rss" -lt 262144 ]; echo $?) "$mode literal: peak memory ${rss} KiB"
	is "$(ls "$I/inst/spool/incoming" | wc -l)" 0 "$mode literal: nothing spooled"
	is "$($A case list --json | jq length)" 0 "$mode literal: no case"
done

# LOGINDISABLED: the password goes by AUTHENTICATE PLAIN (SASL)
fake authplain
$A poll --once 2>"$I/err"
rc=$?
kill $FP 2>/dev/null; wait $FP 2>/dev/null
is "$rc" 0 "LOGINDISABLED, AUTH=PLAIN: poll --once logs in"
cred=$(sed -n 's/^auth //p' "$I/fake.out" | base64 -d 2>/dev/null | tr '\0' '|')
is "$cred" "|u|pw" "the credentials went by AUTHENTICATE PLAIN"
unlike "$(cat "$I/err")" 'pw' "the password is not logged"

# 100 000 messages, highest UID first; all but five over the size limit
fake many
measured_poll
kill $FP 2>/dev/null; wait $FP 2>/dev/null
is "$rc" 0 "100 000 messages: poll --once drains the mailbox"
is "$($A case list --json | jq -r '[.[].subject] | sort | join(",")')" \
    "report 100000 of many,report 99996 of many,report 99997 of many,report 99998 of many,report 99999 of many" \
    "the five that fit are cases"
is "$(grep -c 'over message_size_limit: left on the server' "$I/err")" 10 \
    "ten oversized messages are named"
like "$(cat "$I/err")" '99985 more messages over message_size_limit' \
    "the others are counted, not listed"
read secs rss <<EOF
$(tail -n 1 "$I/rss")
EOF
diag "100 000 listed: ${secs} s, peak ${rss} KiB"
ok $([ "${rss%.*}" -lt 262144 ]; echo $?) "100 000 messages: peak memory ${rss} KiB"

# mailbox names are UTF-8 in the configuration; bytes that are not are
# a configuration error (modified UTF-7 on the wire is the agent's job)
cp "$C" "$I/conf.keep"
printf 'imap_url = imap://u@127.0.0.1:%s/Sicherheit\377\n' "$P" >>"$C"
$A poll --once 2>"$I/err"
is $? 78 "a mailbox name that is not UTF-8: exit 78 (EX_CONFIG)"
like "$(cat "$I/err")" 'not a UTF-8 name' "... and says why"
cp "$I/conf.keep" "$C"
done_testing
