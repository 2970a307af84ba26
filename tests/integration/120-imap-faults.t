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
	while ! grep -q ready "$I/fake.out" 2>/dev/null && [ $t -lt 50 ]; do
		sleep 0.1; t=$((t + 1))
	done
}

for mode in huge cut; do
	fake $mode
	t0=$(date +%s)
	if command -v /usr/bin/time >/dev/null; then
		/usr/bin/time -f '%M' -o "$I/rss" $A poll --once 2>"$I/err"
		rc=$?
	else
		$A poll --once 2>"$I/err"
		rc=$?
		echo 0 >"$I/rss"
	fi
	t1=$(date +%s)
	kill $FP 2>/dev/null
	wait $FP 2>/dev/null
	is "$rc" 75 "$mode literal: poll --once fails with 75 (EX_TEMPFAIL)"
	like "$(cat "$I/err")" 'FETCH UID 1 failed' "$mode literal: the error names the fetch"
	ok $([ $((t1 - t0)) -le 20 ]; echo $?) "$mode literal: over in $((t1 - t0)) s"
	rss=$(tail -n 1 "$I/rss")
	ok $([ "$rss" -lt 262144 ]; echo $?) "$mode literal: peak memory ${rss} KiB"
	is "$(ls "$I/inst/spool/incoming" | wc -l)" 0 "$mode literal: nothing spooled"
	is "$($A case list --json | jq length)" 0 "$mode literal: no case"
done
done_testing
