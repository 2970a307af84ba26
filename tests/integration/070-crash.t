#!/bin/sh
# Crash safety. (a) deliver killed with SIGKILL at random points never
# leaves a partial message visible and never loses one it acknowledged
# (exit 0). (b) the queue runner killed with SIGKILL mid-run loses
# nothing and duplicates no case when the queue is run again.
. "$top_srcdir/tests/lib/lib.sh"
need jq cmp pgrep pkill
# processes killed at random points cannot be leak-checked (LeakSanitizer
# reports "Unable to get registers" when killed during its check)
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
export ASAN_OPTIONS
mk_instance || { echo "Bail out! init failed"; exit 1; }
SP=$I/inst/spool
ROUNDS=40

# a 2 MB message, fed slowly so that kills land in every phase
{ mkmsg 'crash@example.net' 'crash test' 'start'
  i=0; while [ $i -lt 20000 ]; do
	echo "line $i of a long report ............................................................"
	i=$((i + 1)); done; } >"$I/big.eml"
slow_cat() { head -c 1000000 "$1"; sleep 0.2; tail -c +1000001 "$1"; }
pat="$I/inst/psirt-agent.conf deliver"

acked=0
r=0
while [ $r -lt $ROUNDS ]; do
	r=$((r + 1))
	( slow_cat "$I/big.eml" | $A deliver 2>/dev/null; echo $? >"$I/rc" ) 2>/dev/null &
	pid=$!
	# once deliver runs, wait 0-299 ms (it reads for 200 ms, then
	# writes, fsyncs and renames), then kill it
	t=0
	while ! pgrep -f "$pat" >/dev/null && [ $t -lt 200 ]; do
		sleep 0.01; t=$((t + 1))
	done
	sleep "0.$(printf '%03d' $(( $(od -An -N2 -tu2 /dev/urandom) % 300 )))"
	pkill -KILL -f "$pat" 2>/dev/null
	wait $pid 2>/dev/null
	[ "$(cat "$I/rc" 2>/dev/null)" = 0 ] && acked=$((acked + 1))
done
complete=0
partial=0
for f in "$SP"/incoming/*; do
	[ -e "$f" ] || continue
	if sed '1,/^$/d' "$f" | cmp -s - "$I/big.eml"; then
		complete=$((complete + 1))
	else
		partial=$((partial + 1))
	fi
done
diag "$ROUNDS kills: $acked deliveries exited 0, $complete files committed"
is "$partial" 0 "no partial message is visible in incoming/"
ok $([ "$complete" -ge "$acked" ]; echo $?) \
    "every delivery that exited 0 is committed ($complete >= $acked)"
ok $([ "$acked" -lt "$ROUNDS" ]; echo $?) "some kills landed before the commit"

# (b) kill the runner while it processes and sends
rm -f "$SP"/incoming/* "$SP"/tmp/*
cat >"$I/sendmail" <<'SM'
#!/bin/sh
d=$(dirname "$0")/mail
sleep 0.05
f=$d/$(date +%s%N).$$
cat >"$f.tmp" && mv "$f.tmp" "$f.eml"
SM
N=30
for i in $(seq 1 $N); do
	mkmsg "k$i@example.net" "kill $i" "body $i" >"$I/k$i.eml"
	$A deliver <"$I/k$i.eml" 2>/dev/null
done
for k in 1 2 3 4 5; do
	$A process 2>/dev/null &
	pid=$!
	sleep "0.$(( $(od -An -N1 -tu1 /dev/urandom) % 3 + 1 ))"
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
done
$A process 2>/dev/null
is $? 0 "a clean run after the kills succeeds"
L=$($A case list --json)
is "$(printf '%s' "$L" | jq length)" $N "every message became exactly one case"
is "$(printf '%s' "$L" | jq -r '[.[].subject] | unique | length')" $N \
    "no report was turned into two cases"
is "$(qdir_count incoming)$(qdir_count active)$(qdir_count deferred)$(qdir_count quarantine)" \
    0000 "no message left behind"
is "$(qdir_count archive)" $N "all $N archived"
sent=$(sent_count)
ok $([ "$sent" -ge $N ] && [ "$sent" -le $((N + 5)) ]; echo $?) \
    "every case acknowledged; at most one resend per kill ($sent for $N)"
is "$($A queue list --json | jq '[.[] | select(.queue=="outbox")] | length')" 0 \
    "outbox drained"
done_testing
