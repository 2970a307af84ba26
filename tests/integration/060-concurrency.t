#!/bin/sh
# 20 deliveries at once, each starting a background queue runner as in
# production: 20 distinct case IDs with no gaps, 20 acknowledgements.
. "$top_srcdir/tests/lib/lib.sh"
need jq
mk_instance || { echo "Bail out! init failed"; exit 1; }
notices_off	# the mail counted is the reporters' (team notices: 283-notify.t)
sed -i 's/^background_process = no$/background_process = yes/' "$C"

i=1
while [ $i -le 20 ]; do
	mkmsg "r$i@example.net" "report $i" "body $i" >"$I/m$i.eml"
	i=$((i + 1))
done
i=1
while [ $i -le 20 ]; do
	( $A deliver <"$I/m$i.eml" 2>>"$I/agent.log"; echo $? >"$I/rc$i" ) &
	i=$((i + 1))
done
wait
bad=0
for i in $(seq 1 20); do [ "$(cat "$I/rc$i")" = 0 ] || bad=$((bad + 1)); done
is "$bad" 0 "all 20 concurrent deliveries exit 0"

# the background runners finish on their own; wait for them (bounded)
t=0
while [ $t -lt 300 ]; do
	[ "$(qdir_count incoming)$(qdir_count active)" = 00 ] &&
	    [ "$(sent_count)" -ge 20 ] && break
	sleep 0.2
	t=$((t + 1))
done
is "$(qdir_count archive)" 20 "background runners processed all 20"
L=$($A case list --json)
is "$(printf '%s' "$L" | jq length)" 20 "20 cases"
is "$(printf '%s' "$L" | jq -r '[.[].id] | unique | length')" 20 "20 distinct case IDs"
# numbered from 0001 with no gaps in each year (the year the agent
# opened the case in: a run across New Year starts again at 0001)
gaps() {
	printf '%s' "$L" | jq -r '[.[] | {y: .created_at[0:4], id}] | group_by(.y) |
	    map(. as $g | [$g[].id] | sort == [range(1; ($g | length) + 1) |
	        "PSIRT-\($g[0].y)-" + ("000\(.)" | .[-4:])]) | all'
}
is "$(gaps)" true "case numbers 0001..0020 with no gaps"
is "$(sent_count)" 20 "20 acknowledgements sent"
is "$(grep -h '^Subject:' "$I"/mail/*.eml | sort -u | wc -l)" 20 \
    "each acknowledgement names its own case"

# a second batch while `process` also runs by hand: still no gaps
for i in $(seq 21 30); do
	mkmsg "r$i@example.net" "report $i" "body $i" >"$I/m$i.eml"
	$A deliver <"$I/m$i.eml" 2>>"$I/agent.log" &
done
$A process 2>>"$I/agent.log" &
wait
$A process 2>>"$I/agent.log"
L=$($A case list --json)
is "$(printf '%s' "$L" | jq -r '[.[].id] | unique | length')" 30 "30 distinct IDs"
is "$(gaps)" true "numbers to 30: no gaps, no reuse"

# a queue run with 4 workers over 40 waiting messages: 10 senders, each
# a report and 3 follow-ups that thread by In-Reply-To only, so each
# sender's order must hold (one worker per sender)
sed -i 's/^background_process = yes$/background_process = no/' "$C"
printf 'process_workers = 4\n' >>"$C"
sent0=$(sent_count)
for s in $(seq 1 10); do
	mkmsg "p$s@example.net" "parallel report $s" "body" \
	    "Message-ID: <par$s.0@example.net>" >"$I/p$s.0.eml"
	$A deliver -f "p$s@example.net" <"$I/p$s.0.eml" 2>>"$I/agent.log"
done
for k in 1 2 3; do
	for s in $(seq 1 10); do
		mkmsg "p$s@example.net" "more $k" "body" \
		    "Message-ID: <par$s.$k@example.net>" \
		    "In-Reply-To: <par$s.$((k - 1))@example.net>" >"$I/p$s.$k.eml"
		$A deliver -f "p$s@example.net" <"$I/p$s.$k.eml" 2>>"$I/agent.log"
	done
done
$A process 2>>"$I/agent.log"
is $? 0 "4 workers: the run succeeds"
is "$(qdir_count incoming)$(qdir_count active)" 00 "4 workers: nothing left behind"
is "$(qdir_count archive)" 70 "4 workers: all 40 archived"
L=$($A case list --json)
is "$(printf '%s' "$L" | jq '[.[] | select(.subject | startswith("parallel report"))] | length')" 10 \
    "4 workers: 10 new cases, follow-ups joined theirs"
bad=0
for s in $(seq 1 10); do
	id=$(printf '%s' "$L" | jq -r --arg s "parallel report $s" '.[] | select(.subject==$s) | .id')
	n=$($A case show "$id" --json | jq '[.messages[] | select(.direction=="in")] | length')
	[ "$n" = 4 ] || bad=$((bad + 1))
done
is "$bad" 0 "4 workers: every case has its report and its 3 follow-ups"
is "$(( $(sent_count) - sent0 ))" 10 "4 workers: 10 acknowledgements, each sent once"
done_testing
