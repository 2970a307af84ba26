#!/bin/sh
# issue 22, items 5 and 7: KPIs that mean what they say, and reopening.
#  - response time is a person's first answer to the reporter (a status
#    reply, a #reply or #ask, a member's mail to the reporter copying the
#    agent), never the automatic acknowledgement: mean, median, p90;
#  - rejected, duplicate and merged cases leave the fix and advisory
#    figures;
#  - overruns carry a reason (case set ID overrun-reason=GROUP: TEXT) and
#    the report groups the missed deadlines by it;
#  - each figure's definition is one line, the same in the report (text,
#    JSON, the HTML footnote) and in psirt-agent(8);
#  - a case reopened restarts the clocks the policy says (reopen-restarts):
#    an incident reopened from rejected its recovery clock, a
#    vulnerability its triage and fix clocks.
# The figures of part 2 come from a store seeded here with known times;
# each expected figure is worked out by hand in the comments.
. "$top_srcdir/tests/lib/lib.sh"
need jq sqlite3
mk_instance || { echo "Bail out! init failed"; exit 1; }
notices_off
P=$I/inst/policies/psirt.policy
DB=$I/inst/psirt.db
at() { PSIRT_NOW=$1; export PSIRT_NOW; }
show() { $A case show "$1" --json; }
dl() { show "$1" | jq -r --arg n "$2" ".deadlines[] | select(.name == \$n) | .$3"; }
report() {	# report SUBJECT BODY: a new case, its ID in $ID
	mkmsg 'Rita <rita@example.net>' "$1" "$2" >"$I/r.eml"
	deliver "$I/r.eml"
	process
	ID=$($A case list --json | jq -r '[.[].id] | sort | .[-1]')
}

# --- 1. reopening (real cases, at simulated times) ---
at 2026-11-02T01:00:00Z
report 'Ransomware on file server' 'Kind: incident
Level: 4
Files are encrypted.'
N=$ID
is "$(dl "$N" incident due_at)" 2026-11-03T13:00:00Z "an incident of level 4: recovery within 36 hours"
at 2026-11-02T03:00:00Z; $A case set "$N" status=rejected 2>>"$I/agent.log"
is "$(dl "$N" incident state) $(dl "$N" incident ended_at)" "met 2026-11-02T03:00:00Z" \
    "rejected: its recovery clock ends (met)"
at 2026-11-04T05:00:00Z; $A case set "$N" status=new 2>>"$I/agent.log"
is "$?" 0 "reopened from rejected"
is "$(dl "$N" incident state) $(dl "$N" incident started_at) $(dl "$N" incident due_at)" \
    "running 2026-11-04T05:00:00Z 2026-11-05T17:00:00Z" \
    "the recovery clock runs again, from the reopening: due 36 hours later, no longer met"
is "$(show "$N" | jq -r '[.deadlines[] | select(.name == "incident") | has("ended_at")][0]')" false \
    "... and has no end any more"
like "$(show "$N" | jq -r '[.events[] | select(.type == "deadline-restarted") | .detail] | join("|")')" \
    '^incident deadline restarted \(reopened from rejected\): due 2026-11-06 01:00 CST' \
    "recorded as an event (in the calendar's zone)"
is "$($A report --format json | jq -r '[.overdue[] | select(.case == "'"$N"'")] | length')" 0 \
    "not overdue: its new due time is ahead"
at 2026-11-06T05:00:00Z
is "$($A report --format json | jq -r '[.overdue[] | select(.case == "'"$N"'") | .clock] | join(",")')" incident \
    "two days later it is overdue, against the new due time"

at 2026-11-02T01:00:00Z
report 'Auth bypass' 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N'
V=$ID
is "$(show "$V" | jq -r .severity) $(dl "$V" fix due_at)" "critical 2026-11-09T01:00:00Z" "critical: fix within 7 days"
at 2026-11-03T01:00:00Z; $A case set "$V" status=rejected 2>>"$I/agent.log"
is "$(show "$V" | jq -r '[.deadlines[] | .state] | join(",")')" "met,met,met" \
    "rejected: triage, fix and disclosure clocks end"
J=$($A report --format json)
is "$(printf '%s' "$J" | jq -c '[.kpis.fix_on_time_count, .kpis.advisory_timeliness_count, .kpis.fix_on_time]')" \
    '[0,0,null]' "a rejected case is no fix and no advisory done on time (neither counted nor on time)"
at 2026-11-10T01:00:00Z; $A case set "$V" status=new 2>>"$I/agent.log"
is "$(dl "$V" triage state) $(dl "$V" triage started_at)" "running 2026-11-10T01:00:00Z" \
    "reopened: triage runs again from the reopening"
is "$(dl "$V" fix state) $(dl "$V" fix started_at) $(dl "$V" fix due_at)" \
    "running 2026-11-10T01:00:00Z 2026-11-17T01:00:00Z" "... and fix: 7 days from the reopening"
is "$(dl "$V" disclosure state)" met "disclosure is not restarted by default"
is "$(show "$V" | jq -r '[.events[] | select(.type == "deadline-restarted") | .detail | split(" ")[0]] | join(",")')" \
    "triage,fix" "each restart an event"
is "$($A case list --overdue --json | jq -r --arg v "$V" '[.[] | select(.id == $v)] | length')" 0 \
    "not overdue though its first fix due time has passed"

# the policy says which: reopen-restarts
printf 'reopen-restarts fix disclosure\n' >>"$P"
like "$($A policy check 2>&1)" ': ok: ' "reopen-restarts fix disclosure: a good policy"
at 2026-11-02T01:00:00Z
report 'SQL injection' 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N'
W=$ID
at 2026-11-03T01:00:00Z; $A case set "$W" status=duplicate 2>>"$I/agent.log"
at 2026-11-04T01:00:00Z; $A case set "$W" status=new 2>>"$I/agent.log"
is "$(dl "$W" triage state) $(dl "$W" fix state) $(dl "$W" disclosure state) $(dl "$W" disclosure due_at)" \
    "met running running 2027-02-02T01:00:00Z" \
    "reopened from duplicate: fix and disclosure run again (90 days), triage stays met"
printf 'reopen-restarts none\n' >>"$P"
at 2026-11-05T01:00:00Z; $A case set "$W" status=rejected 2>>"$I/agent.log"
at 2026-11-06T01:00:00Z; $A case set "$W" status=new 2>>"$I/agent.log"
is "$(show "$W" | jq -r '[.deadlines[] | .state] | join(",")')" "met,met,met" \
    "reopen-restarts none: nothing runs again"
cp "$P" "$P.good"
printf 'reopen-restarts triage bogus\n' >>"$P"
$A policy check >"$I/o" 2>&1
is "$?" 78 "reopen-restarts with no such clock: the policy is refused"
like "$(cat "$I/o")" 'reopen-restarts: "bogus" is not a clock a reopened case restarts \(triage, fix, disclosure, incident; or none\)' \
    "... saying which word and what it takes"
cp "$P.good" "$P"
printf 'reopen-restarts\n' >>"$P"
like "$($A policy check 2>&1)" 'expected: reopen-restarts CLOCK' "reopen-restarts alone: refused"
cp "$P.good" "$P"

# a person's answer, not the acknowledgement: live, at the real clock
# (events are stamped with it) an hour after the report
T0=$(( $(date +%s) - 3600 ))
at "@$T0"
report 'XSS in the portal' 'The search box reflects input.'
X=$ID
is "$(show "$X" | jq -r '[.messages[] | select(.direction == "out") | .kind] | join(",")')" ack \
    "the reporter got the automatic acknowledgement"
J=$($A report --from "@$T0" --format json)
is "$(printf '%s' "$J" | jq -c '[.cases.total, .kpis.response_seconds.n, .kpis.mean_response_seconds]')" '[1,0,null]' \
    "the acknowledgement is no response: nobody has answered yet"
$A case set "$X" status=triaged status=confirmed 2>>"$I/agent.log"
J=$($A report --from "@$T0" --format json)
is "$(printf '%s' "$J" | jq -r '.kpis.response_seconds.n')" 1 "the confirmed status reply is a person's answer"
like "$(printf '%s' "$J" | jq -r '.kpis.response_seconds.mean')" '^3[6-9][0-9][0-9]$' "... an hour after the report"

# --- 2. the figures, over a seeded store (another instance) ---
mk_instance || { echo "Bail out! init failed"; exit 1; }
notices_off
DB=$I/inst/psirt.db
B=1772409600		# 2026-03-02T00:00:00Z, when each case came in
NOW=$((B + 30 * 86400))	# the report, 30 days later
D=86400
at "@$NOW"
{
	echo "BEGIN;"
	# case STATUS [merged-into] ; every case is a critical vulnerability
	# from rep@example.net, opened at B
	for k in 1 2 3 4 5 6 7 8; do
		st=$(echo "- disclosed disclosed fixing disclosed rejected triaged duplicate fixed" | cut -d' ' -f$((k + 1)))
		printf "INSERT INTO cases(id, kind, status, subject, reporter, source, lang, created_at, updated_at, severity, severity_by) VALUES ('K-%d','vulnerability','%s','case %d','rep%d@example.net','external','en',%d,%d,'critical','staff');\n" \
		    "$k" "$st" "$k" "$k" "$B" "$B"
		# the automatic acknowledgement, a minute in, and the outbox's
		# record of sending it (by the agent): neither is an answer
		printf "INSERT INTO messages(qid, case_id, direction, kind, message_id, to_addr, received_at) VALUES ('a%d','K-%d','out','ack','a%d@x','rep%d@example.net',%d);\n" \
		    "$k" "$k" "$k" "$k" $((B + 60))
		printf "INSERT INTO events(case_id, at, type, detail, actor) VALUES ('K-%d',%d,'reply-sent','ack','agent');\n" "$k" $((B + 61))
	done
	echo "UPDATE cases SET merged_into = 'K-1' WHERE id = 'K-8';"
	ev() { printf "INSERT INTO events(case_id, at, type, detail, actor) VALUES ('%s',%d,'%s','x','%s');\n" "$@"; }
	# the first answers by a person
	ev K-1 $((B + 3600)) status-reply lea@corp.example	# 1 h
	ev K-1 $((B + 7000)) reply-sent ana@corp.example	# later: not first
	ev K-2 $((B + 7200)) reply-sent ana@corp.example	# 2 h, a #reply
	ev K-3 $((B + 100)) status-reply rep3@example.net	# the reporter's own answer moved it: no
	ev K-3 $((B + 10800)) question-sent lea@corp.example	# 3 h, an #ask
	ev K-5 $((B + 1800)) status-reply operator		# 30 min, the rejection (a person's)
	ev K-8 $((B + 10)) status-reply lea@corp.example	# merged: left out
	# K-4: a member's mail to the reporter copying the agent, a day in;
	# the same member's mail to a vendor before it is no answer to the
	# reporter
	printf "INSERT INTO messages(qid, case_id, direction, kind, message_id, from_addr, to_addr, received_at) VALUES ('c1','K-4','out','correspondence','c1@x','lin@corp.example','dev@vendor.example',%d);\n" $((B + 50))
	printf "INSERT INTO messages(qid, case_id, direction, kind, message_id, from_addr, to_addr, received_at) VALUES ('c2','K-4','out','correspondence','c2@x','lin@corp.example','dev@vendor.example, REP4@example.net',%d);\n" $((B + D))
	# K-6, K-7: nobody answered
	# clocks: clk CASE CLOCK STATE START DUE END (END '' running)
	clk() { printf "INSERT INTO deadlines(case_id, clock, state, business, duration, since, due_at, started_at, ended_at) VALUES ('%s','%s','%s',0,%d,%d,%d,%d,%s);\n" \
	    "$1" "$2" "$3" $(($5 - $4)) "$4" "$5" "$4" "${6:-NULL}"; }
	for k in 1 2 3 4 5 7 8; do clk K-$k triage met $B $((B + 3 * D)) $((B + D)); done
	clk K-6 triage met $B $((B + 3 * D)) $((B + 5 * D))		# late by 2 days
	clk K-1 fix met $((B + D)) $((B + 8 * D)) $((B + 5 * D))	# on time
	clk K-2 fix met $((B + D)) $((B + 8 * D)) $((B + 10 * D))	# late
	clk K-3 fix running $((B + D)) $((B + 8 * D))			# running, overdue
	clk K-4 fix met $((B + D)) $((B + 8 * D)) $((B + 2 * D))	# on time
	clk K-5 fix met $((B + D)) $((B + 8 * D)) $((B + 2 * D))	# rejected: out
	clk K-7 fix met $((B + D)) $((B + 8 * D)) $((B + 2 * D))	# duplicate: out
	clk K-8 fix met $((B + D)) $((B + 8 * D)) $((B + 2 * D))	# merged: out
	clk K-1 disclosure met $((B + 5 * D)) $((B + 95 * D)) $((B + 6 * D))	# on time
	clk K-2 disclosure met $((B + 10 * D)) $((B + 11 * D)) $((B + 12 * D))	# late (an embargo)
	clk K-3 disclosure running $((B + D)) $((B + 91 * D))			# running, not due
	clk K-4 disclosure met $((B + 2 * D)) $((B + 92 * D)) $((B + 3 * D))	# on time
	clk K-5 disclosure met $((B + D)) $((B + 91 * D)) $((B + 2 * D))	# rejected: out
	clk K-7 disclosure met $((B + D)) $((B + 91 * D)) $((B + 2 * D))	# duplicate: out
	echo "COMMIT;"
} | sqlite3 "$DB" || { echo "Bail out! seeding failed"; exit 1; }

# overrun reasons, as staff give them
$A case set K-2 'overrun-reason=third-party: waiting for chip vendor' 2>>"$I/agent.log"
is "$?" 0 "case set overrun-reason=third-party: TEXT"
$A case set K-3 overrun-reason=resources 2>>"$I/agent.log"
is "$?" 0 "case set overrun-reason=resources (the group alone)"
$A case set K-4 'overrun-reason=process: a reason with no overrun' 2>>"$I/agent.log"
is "$(show K-2 | jq -r .overrun_reason)" "third-party: waiting for chip vendor" "case show --json: overrun_reason"
like "$($A case show K-2)" 'Overrun: +third-party: waiting for chip vendor' "case show: the reason"
like "$(show K-2 | jq -r '[.events[] | select(.type == "case-set") | .detail] | join("|")')" \
    'overrun-reason=third-party: waiting for chip vendor' "recorded as an event"
is "$(show K-1 | jq -r .overrun_reason)" null "no reason given: null"
$A case set K-2 'overrun-reason=resources: two analysts on leave' 2>>"$I/agent.log"
$A case set K-2 'overrun-reason=third-party: waiting for chip vendor' 2>>"$I/agent.log"
is "$(show K-2 | jq -r .overrun_reason)" "third-party: waiting for chip vendor" "a new reason replaces the old"
# bad reasons: refused, saying why
$A case set K-2 'overrun-reason=weather: rain' 2>"$I/err"
is "$?" 65 "an unknown group: exit 65"
like "$(cat "$I/err")" '"overrun-reason=weather: rain": overrun-reason starts with resources, third-party or process' \
    "... naming the groups"
$A case set K-2 'overrun-reason=process:' 2>"$I/err"
like "$(cat "$I/err")" 'overrun-reason: nothing after the colon' "a colon and nothing: refused"
$A case set K-2 "overrun-reason=process: a$(printf '\033')[2Jb" 2>"$I/err"
like "$(cat "$I/err")" 'overrun-reason: a control character' "a control character: refused"
$A case set K-2 "overrun-reason=process: $(head -c 501 /dev/zero | tr '\0' x)" 2>"$I/err"
like "$(cat "$I/err")" 'longer than 500 bytes' "over 500 bytes: refused"
$A case set K-2 'overrun-reason=third-partyx' 2>"$I/err"
is "$?" 65 "a group must end at the colon: third-partyx refused"
is "$(show K-2 | jq -r .overrun_reason)" "third-party: waiting for chip vendor" "nothing refused was kept"

J=$($A report --format json)
v() { printf '%s' "$J" | jq -c "$1"; }
# first answers by a person (merged K-8 out; K-6, K-7 none):
#   K-1 3600 (its status reply; the agent's reply-sent at 61 is the ack)
#   K-2 7200, K-3 10800 (the reporter's own status reply at 100 is not
#   one), K-4 86400 (the mail to the reporter, not the one to the vendor
#   at 50), K-5 1800
# sorted: 1800 3600 7200 10800 86400; n 5; mean 109800 / 5 = 21960;
# median the 3rd, 7200; p90 the nearest rank ceil(0.9 * 5) = 5th, 86400
is "$(v .kpis.response_seconds)" '{"mean":21960,"median":7200,"p90":86400,"n":5}' \
    "response time: mean, median, p90 and how many answered"
is "$(v '[.kpis.mean_response_seconds, .kpis.mean_human_response_seconds]')" '[21960,21960]' \
    "mean_response_seconds is the person's answer now, as mean_human_response_seconds"
is "$(v '[.times[] | select(.step == "acknowledge") | .count, .mean_seconds]')" '[7,60]' \
    "the acknowledgement keeps its own line: 7 cases, a minute"
# fixes: K-1 on time, K-2 late, K-4 on time ended; K-3 running; K-5
# (rejected), K-7 (duplicate), K-8 (merged) out: 2 of 3
is "$(v '[.kpis.fix_on_time, .kpis.fix_on_time_met, .kpis.fix_on_time_count]')" '[0.6667,2,3]' \
    "fixes on time: 2 of 3, rejected, duplicate and merged left out"
# advisories: K-1 on time, K-2 late, K-4 on time; K-5, K-7 out: 2 of 3
is "$(v '[.kpis.advisory_timeliness, .kpis.advisory_timeliness_met, .kpis.advisory_timeliness_count]')" '[0.6667,2,3]' \
    "advisories on time: 2 of 3, rejected and duplicate left out"
is "$(v '[.times[] | select(.step == "fix") | .count]')" '[3]' "the fix times leave them out too"
# missed deadlines: K-2 fix and disclosure (third-party), K-3 fix
# running past due (resources), K-6 triage (no reason); K-4's reason
# (process) has no overrun
is "$(v .kpis.overruns)" '{"resources":{"deadlines":1,"cases":1},"third-party":{"deadlines":2,"cases":1},"process":{"deadlines":0,"cases":0},"none":{"deadlines":1,"cases":1}}' \
    "overruns grouped by reason, and none given"
like "$($A report)" 'overruns +resources 1 \(1 case\), third-party 2 \(1 case\), process 0 \(0 cases\), no reason given 1 \(1 case\)' \
    "text: the same groups"
like "$($A report)" 'response time +mean 6h06m, median 2h00m, p90 1d00h \(5 answered\)' "text: mean, median, p90"
CSV=$($A report --format csv | tr -d '\r')
is "$(printf '%s\n' "$CSV" | grep -E '^(kpis,response|overruns,,third-party)' | paste -sd ' ')" \
    "kpis,response,median,seconds,7200 kpis,response,p90,seconds,86400 kpis,response,answered,count,5 overruns,,third-party,deadlines,2 overruns,,third-party,cases,1" \
    "csv: the same figures"

# the definitions: one line each, the same everywhere
is "$(v '.definitions | keys_unsorted')" \
    '["acknowledge","response_seconds","mean_handling_seconds","fix_on_time","advisory_timeliness","report_quality","overruns"]' \
    "json: a definition for each figure"
is "$(v '[.definitions[] | select((.en | test("\n")) or (."zh-TW" | test("\n")) or (."zh-TW" | length) == 0)] | length')" 0 \
    "each one line, in English and in Traditional Chinese"
MAN=$top_srcdir/agent/psirt-agent.8
miss=
for k in $(printf '%s' "$J" | jq -r '.definitions | keys[]'); do
	en=$(printf '%s' "$J" | jq -r --arg k "$k" '.definitions[$k].en')
	# the manual: roff escapes a leading dot and backslashes only
	sed 's/\\&//g; s/\\(em/—/g' "$MAN" | tr '\n' ' ' | grep -qF "$en" || miss="$miss $k"
done
is "$miss" "" "the manual (REPORT) has each definition word for word"
T=$($A report)
printf '%s' "$J" | jq -r '.definitions[].en' | while IFS= read -r l; do
	printf '%s\n' "$T" | grep -qxF "  $l" || echo "missing: $l"
done >"$I/o"
is "$(cat "$I/o")" "" "text: each definition under Definitions"
H=$($A report --format html)
is "$(printf '%s' "$H" | grep -c '<dt>')" 7 "html: the footnote lists the seven"
like "$H" '<footer id="definitions">' "html: as a footnote"
like "$H" '<dt>response_seconds</dt><dd>Response time: from a report&#39;s arrival|<dt>response_seconds</dt><dd>Response time: from a report&#x27;s arrival|<dt>response_seconds</dt><dd>Response time: from a report.s arrival' \
    "html: the definition, escaped"
like "$H" '<span lang="zh-TW">回應時間：' "html: and in Traditional Chinese"
python3 -c 'import sys, html.parser
html.parser.HTMLParser().feed(sys.stdin.read())' <<EOF
$H
EOF
is "$?" 0 "html: parses"
done_testing
