#!/bin/sh
# The team in the policy (roles, members, tasks with R, A, C, I):
# `policy check` passes the shipped demo and reports every problem of a
# bad one as file:line: reason; staff of the roster take part in every
# case.
. "$top_srcdir/tests/lib/lib.sh"
need jq
mk_instance || { echo "Bail out! init failed"; exit 1; }
P=$I/inst/policies/psirt.policy

out=$($A policy check 2>&1)
is "$?" 0 "policy check: the demo policy passes"
like "$out" 'ok: 15 roles, 17 members, 9 tasks' "and says what it holds"
like "$(grep '^role ' "$P" | grep -c '"[^"]*" "[^"]*[^ -~][^"]*"')" '^1[0-9]$' \
    "the demo roles have zh-TW names too"

cp "$P" "$I/good.policy"
grep -v '^task ' "$I/good.policy" >"$P"
L=$(wc -l <"$P")
cat >>"$P" <<'EOP'
role web "Web team"
member web "Nobody" not-an-address
member analyst "Hans" hans@corp.example tz Europe/Atlantis
member ghost "Casper" casper@corp.example
member analyst "Key" key@corp.example pgp 12345
task triage R analyst A psirt-lead
task triage R analyst A psirt-lead
task remediation R product-dev A ciso A psirt-lead
task fixing R analyst A ciso
task disclosure R coordinator,nobody A psirt-lead
frobnicate
EOP
out=$($A policy check 2>&1)
is "$?" 78 "a bad policy: exit 78 (EX_CONFIG)"
printf '%s\n' "$out" >"$I/problems"
n=$(wc -l <"$I/problems")
is "$n" 10 "one line per problem ($n)"
pl() { like "$out" "psirt.policy:$(( L + $1 )): $2" "$3"; }
pl 2 'member Nobody: "not-an-address" is not a plain address' "a bad address"
pl 3 'member Hans: unknown time zone "Europe/Atlantis"' "an unknown time zone"
pl 4 'member Casper: unknown role ghost' "a member of an unknown role"
pl 5 'member Key: bad pgp fingerprint "12345"' "a bad fingerprint"
pl 7 'task triage is defined twice' "a task twice"
pl 8 'task remediation: more than one A \(accountable\); a task has exactly one' "two A's on a task"
pl 9 'unknown task "fixing"' "an unknown task"
pl 10 'task disclosure: unknown role nobody' "a task naming an unknown role"
pl 11 'unknown or malformed statement "frobnicate"' "junk"
pl 1 'role web has no members' "a role with no members"
# the clocks' statements: a junk holiday file, an unknown role in a
# ladder, an unknown calendar zone, a bad unit
cp "$I/good.policy" "$P"
printf '2026-10-10 National Day\nnot a date\n2026-02-30 no such day\n' >"$I/inst/policies/holidays.txt"
L=$(wc -l <"$P")
cat >>"$P" <<'EOP'
holidays "holidays.txt"
escalate fix at 50% to ghost
calendar tz Mars/Olympus
deadline fix high within 7 fortnights
escalate fix at 50 to R
EOP
out=$($A policy check 2>&1)
is "$?" 78 "bad clock statements: exit 78"
like "$out" 'holidays.txt:2: not a holiday line' "junk in the holiday file, with its line"
like "$out" 'holidays.txt:3: not a holiday line' "a date that does not exist"
pl 2 'escalate fix: unknown role ghost' "a ladder naming an unknown role"
pl 3 'unknown time zone "Mars/Olympus"' "an unknown calendar zone"
pl 4 'unknown unit "fortnights"' "an unknown unit"
pl 5 'escalate: bad percentage "50"' "a step without a percentage"
cp "$I/good.policy" "$P"

# a queue run refuses to work with a bad one, and keeps the mail
printf 'frobnicate\n' >>"$P"
mkmsg 'x@example.net' 'report' 'body' >"$I/m.eml"
deliver "$I/m.eml"; process
is "$?" 78 "process: exit 78 with the bad policy"
is "$(qdir_count incoming)" 1 "the message waits in incoming"
cp "$I/good.policy" "$P"
process
is "$($A case list --json | jq length)" 1 "with the policy fixed it becomes a case"

# staff of the roster join any case they name
ID=$($A case list --json | jq -r '.[0].id')
mkmsg 'Lin <lin@corp.example>' "Re: [$ID] looking at it" 'on it' >"$I/s.eml"
deliver "$I/s.eml"; process
is "$($A case list --json | jq length) $($A case show "$ID" --json | jq -r '.messages[-1].from')" \
    "1 lin@corp.example" "a team member naming the case joins it"
done_testing
