#!/bin/sh
# status (text, json, prometheus) with known figures at a simulated
# clock, status --check's exit codes and thresholds (and UNKNOWN when it
# cannot look), check's capped listing, and the command line's
# conventions: --help, unknown commands and options, config NAME/-n/-d,
# $name in the configuration, the default configuration path, and the
# policy names checked at load time.
. "$top_srcdir/tests/lib/lib.sh"
need jq sqlite3
mk_instance || { echo "Bail out! init failed"; exit 1; }
T0=2027-03-01T00:00:00Z
e0=$(date -u -d "$T0" +%s)
at() { PSIRT_NOW=$1; export PSIRT_NOW; }

# a fresh instance: nothing has run
at "$T0"
$A status >"$I/st" 2>&1
is "$?" 0 "status: exit 0"
like "$(cat "$I/st")" 'last tick: never' "status: the tick has never run"
like "$(cat "$I/st")" 'queues: incoming 0, active 0, deferred 0, hold 0, quarantine 0' "status: the queues, by name"
$A status --check >"$I/ck"
is "$?" 1 "status --check: WARNING (1) when tick never ran"
like "$(head -1 "$I/ck")" '^PSIRT-AGENT WARNING - 0 open, 0 overdue, .* \| open=0 overdue=0 ' "status --check: one summary line with perfdata"
like "$(cat "$I/ck")" 'WARNING: tick has never run' "... and the reason on its own line"

# a tick at T0, looked at 2 minutes, 10 minutes and 20 minutes later
$A tick 2>>"$I/agent.log"
is "$?" 0 "tick at T0"
is "$(cat "$I/inst/spool/last-tick")" "$e0" "tick leaves its time in spool/last-tick"
is "$(cat "$I/inst/spool/last-run")" "$e0" "its queue run leaves its time in spool/last-run"
at 2027-03-01T00:02:00Z
is "$($A status --format json | jq -c '[.last_tick, .last_tick_seconds, .last_queue_run_seconds, .open_cases, .queues.incoming]')" \
    '["2027-03-01T00:00:00Z",120,120,0,0]' "status --format json: the last tick, the last queue run, their ages"
$A status --check >/dev/null
is "$?" 0 "status --check: OK (0) two minutes after a tick"
at 2027-03-01T00:10:00Z
$A status --check >"$I/ck"
is "$?" 1 "WARNING (1) after status_tick_warning (5m)"
like "$(cat "$I/ck")" 'WARNING: last tick 10m00s ago' "... saying how old the tick is"
at 2027-03-01T00:20:00Z
$A status --check >"$I/ck"
is "$?" 2 "CRITICAL (2) after status_tick_critical (15m)"
cp "$C" "$I/inst/c2.conf"
printf 'status_tick_critical = 0\nstatus_tick_warning = 30m\n' >>"$I/inst/c2.conf"
$PSIRT_AGENT -c "$I/inst/c2.conf" status --check >/dev/null
is "$?" 0 "the thresholds come from the configuration (0 turns one off)"

# a report, processed at T0: one open case; a month later it is overdue
at "$T0"
mkmsg 'Rita <rita@example.net>' 'XSS in the login form' 'A report.' >"$I/r.eml"
deliver "$I/r.eml"; process
at 2027-04-01T00:00:00Z
$A tick 2>>"$I/agent.log"
is "$($A status --format json | jq -c '[.open_cases, .overdue_cases]')" '[1,1]' "one open case, past its triage deadline"
$A status --check >"$I/ck"
is "$?" 1 "WARNING (1): a case is overdue (status_overdue_warning = 1)"
like "$(cat "$I/ck")" 'WARNING: open cases overdue: 1' "... saying how many"
ID=$($A case list --json | jq -r '.[0].id')
$A case set "$ID" status=rejected 2>>"$I/agent.log"
is "$($A status --format json | jq .open_cases)" 0 "a rejected case is not open"

# mail waiting in incoming: its age is that of the file
now=$(date +%s)
at "@$now"
$A tick 2>>"$I/agent.log"
mkmsg 'Rita <rita@example.net>' 'second' 'x' >"$I/r2.eml"
deliver "$I/r2.eml"
f=$(ls "$I/inst/spool/incoming/" | head -1)
touch -d "@$((now - 7200))" "$I/inst/spool/incoming/$f"
is "$($A status --format json | jq -c '[.queues.incoming, .oldest_waiting_seconds]')" '[1,7200]' \
    "a message two hours in incoming"
$A status --check >"$I/ck"
is "$?" 1 "WARNING (1): mail waits longer than status_queue_warning (1h)"
like "$(cat "$I/ck")" 'mail has waited 2h00m' "... and how long"
touch -d "@$((now - 7 * 3600))" "$I/inst/spool/incoming/$f"
$A status --check >/dev/null
is "$?" 2 "CRITICAL (2) past status_queue_critical (6h)"
mv "$I/inst/spool/incoming/$f" "$I/inst/spool/quarantine/$f"
$A status --check >"$I/ck"
is "$?" 1 "WARNING (1): a message in quarantine"
like "$(cat "$I/ck")" 'messages in hold or quarantine: 1' "... counted"
$A status >"$I/st"
like "$(cat "$I/st")" 'quarantine 1' "status (text) shows the quarantine"

# prometheus: every sample has its HELP and TYPE, and the figures
$A status --format prometheus >"$I/prom"
is "$?" 0 "status --format prometheus"
is "$(grep -v '^#' "$I/prom" | grep -cvE '^psirt_agent_[a-z_]+(\{[a-z]+="[a-z]+"\})? [0-9]+$')" 0 \
    "every sample is NAME{LABEL=\"VALUE\"} INTEGER"
bad=0
for m in $(grep -v '^#' "$I/prom" | sed 's/[{ ].*//' | sort -u); do
	grep -q "^# HELP $m " "$I/prom" && grep -q "^# TYPE $m gauge$" "$I/prom" || bad=$((bad + 1))
done
is "$bad" 0 "each metric has HELP and TYPE gauge"
like "$(cat "$I/prom")" 'psirt_agent_queue_messages\{queue="quarantine"\} 1' "the quarantine, by label"
like "$(cat "$I/prom")" "psirt_agent_last_tick_timestamp_seconds $now" "the last tick as a timestamp"

# UNKNOWN (3), with the reason, when it cannot look
$PSIRT_AGENT -c "$I/nonexistent.conf" status --check >"$I/ck" 2>&1
is "$?" 3 "UNKNOWN (3): no configuration"
like "$(cat "$I/ck")" '^PSIRT-AGENT UNKNOWN - open .*nonexistent.conf' "... naming it"
$A status --check --bogus >"$I/ck" 2>&1
is "$?" 3 "UNKNOWN (3): a usage error"
cp -r "$I/inst" "$I/inst2"
sed "s|$I/inst/|$I/inst2/|g" "$C" >"$I/inst2/psirt-agent.conf"
v=$(sqlite3 "$I/inst2/psirt.db" 'PRAGMA user_version')
sqlite3 "$I/inst2/psirt.db" 'PRAGMA user_version = 999'
$PSIRT_AGENT -c "$I/inst2/psirt-agent.conf" status --check >"$I/ck" 2>&1
is "$?" 3 "UNKNOWN (3): a store from a newer version"
like "$(cat "$I/ck")" 'UNKNOWN - .*newer' "... saying so"
sqlite3 "$I/inst2/psirt.db" "PRAGMA user_version = $v"
printf 'database_busy_timeout = 1\n' >>"$I/inst2/psirt-agent.conf"
{ printf 'PRAGMA locking_mode = EXCLUSIVE;\nBEGIN EXCLUSIVE;\nSELECT count(*) FROM cases;\n'; sleep 4; } |
    sqlite3 "$I/inst2/psirt.db" >/dev/null &
lockpid=$!
sleep 1
$PSIRT_AGENT -c "$I/inst2/psirt-agent.conf" status --check >"$I/ck" 2>&1
is "$?" 3 "UNKNOWN (3): a store locked by another program"
like "$(cat "$I/ck")" 'UNKNOWN - .*locked' "... saying so"
wait "$lockpid"
rm -f "$I/inst2/psirt.db"*
$PSIRT_AGENT -c "$I/inst2/psirt-agent.conf" status --check >"$I/ck" 2>&1
is "$?" 3 "UNKNOWN (3): no store"
like "$(cat "$I/ck")" 'UNKNOWN - no store at' "... saying so"
$PSIRT_AGENT -c "$I/inst2/psirt-agent.conf" status >/dev/null 2>&1
is "$?" 75 "status without --check: 75 when it cannot look"

# check caps its listing
rm -f "$I/inst/spool/quarantine/$f"
for n in $(seq 1 30); do : >"$I/inst/spool/archive/stray$n"; done
$A check --max 5 >"$I/chk" 2>&1
is "$?" 65 "check: 65 with problems"
is "$(grep -c 'a file in archive/ that the store does not hold: stray' "$I/chk")" 5 "check --max 5: five problems listed"
like "$(cat "$I/chk")" 'check: 25 more: a file in archive/ that the store does not hold' "the rest counted, per kind"
like "$(cat "$I/chk")" 'check: [0-9]+ problems' "the total"
$A check --max 0 >"$I/chk" 2>&1
is "$(grep -c 'does not hold: stray' "$I/chk")" 30 "check --max 0: all of them"
rm -f "$I/inst/spool/archive/stray"*

# the command line
$A --help >"$I/o" 2>"$I/e"
is "$?:$(wc -c <"$I/e")" "0:0" "--help: exit 0, nothing on stderr"
like "$(cat "$I/o")" '^usage: psirt-agent' "--help: the usage on stdout"
is "$($A -h | md5sum)" "$($A help | md5sum)" "-h, --help and help agree"
$A help deliver >"$I/o" 2>&1
is "$?" 0 "help deliver: 0 (not deliver's 75)"
like "$(cat "$I/o")" 'deliver \[-f sender\]' "help deliver: deliver's synopsis"
$A procss >/dev/null 2>"$I/e"
is "$?" 64 "an unknown command: 64"
like "$(cat "$I/e")" 'unknown command "procss" \(did you mean "process"\?\)' "... named, with the nearest"
$A case lst >/dev/null 2>"$I/e"
is "$?" 64 "an unknown subcommand: 64"
like "$(cat "$I/e")" 'case: unknown subcommand "lst" \(did you mean "list"\?\)' "... named, with the nearest"
$A case list --jsn >/dev/null 2>"$I/e"
is "$?" 64 "an unknown option: 64"
like "$(cat "$I/e")" 'unknown option "--jsn" \(did you mean "--json"\?\)' "... named, with the nearest"
$A --hlep >/dev/null 2>"$I/e"
like "$(cat "$I/e")" 'unknown option "--hlep" \(did you mean "--help"\?\)' "an unknown global option, with the nearest"
unlike "$(cat "$I/e")" 'psirt-agent-core' "no internal program's name"
is "$($A report --format json --from 2027-01-01 >/dev/null 2>&1; echo $?)" 0 "options with values still pass"

# config NAME..., -n, -d, $name
printf 'psirt_name = $psirt_address team\n' >>"$C"
is "$($A config psirt_name psirt_address)" \
    "psirt_address = security@example.org
psirt_name = security@example.org team" "config NAME...: those settings, \$name expanded"
like "$($A config -n)" 'psirt_name = security@example.org team' "config -n: a changed setting"
unlike "$($A config -n)" 'process_workers' "config -n: not one left at its default"
is "$($A config -d psirt_name)" "psirt_name = Product Security Team" "config -d: the default"
$A config psirt_nme >/dev/null 2>"$I/e"
is "$?" 64 "config of an unknown name: 64"
like "$(cat "$I/e")" 'unknown setting "psirt_nme" \(did you mean "psirt_name"\?\)' "... with the nearest"
printf 'database = $spool_dir/x.db\n' >>"$C"
$A config >/dev/null 2>"$I/e"
is "$?" 78 "an unknown \$name: 78"
like "$(cat "$I/e")" 'psirt-agent.conf:[0-9]+: database: unknown setting \$spool_dir' "... file:line: reason"
sed -i '$d' "$C"

# the default configuration path
env -u PSIRT_AGENT_CONF "$PSIRT_AGENT" case list >/dev/null 2>"$I/e"
r=$?
if [ -e "$(sed -n 's/.*no configuration at \([^ ]*\) .*/\1/p' "$I/e")" ]; then
	skip "the default configuration is missing" "this machine has one"
else
	is "$r" 78 "no configuration at the default path: 78"
	like "$(cat "$I/e")" 'no configuration at /.*/psirt-agent/psirt-agent.conf \(the default\)' \
	    "... naming the path it looked at"
fi

# the policy: every value that names a status or a role is checked
P=$I/inst/policies/psirt.policy
cp "$P" "$I/p.orig"
printf '%s\n' 'reply-on confirmd confirmed' 'pause-in waiting-reportr' \
    'match any /x/ assign "nobody"' 'reply-on fixed fixd' >>"$P"
n=$(wc -l <"$I/p.orig")
$A policy check >"$I/o" 2>&1
is "$?" 78 "a policy with misspelt names: 78"
like "$(cat "$I/o")" "psirt.policy:$((n + 1)): reply-on: unknown status \"confirmd\" \\(did you mean \"confirmed\"\\?\\)" "reply-on STATUS"
like "$(cat "$I/o")" "psirt.policy:$((n + 2)): pause-in: \"waiting-reportr\" is not a status; did you mean \"waiting-reporter\"" "pause-in STATUS"
like "$(cat "$I/o")" "psirt.policy:$((n + 3)): match: assign \"nobody\" is no role" "match ... assign ROLE"
like "$(cat "$I/o")" "psirt.policy:$((n + 4)): expected: reply-on STATUS confirmed\\|.* \\(did you mean \"fixed\"\\?\\)" "reply-on's reply name"
cp "$I/p.orig" "$P"
done_testing
