#!/bin/sh
# The manual pages keep up with the code: every setting that
# `psirt-agent config` prints is described in psirt-agent.conf(5), and
# every command the usage message lists is described in psirt-agent(8).
. "$top_srcdir/tests/lib/lib.sh"
mk_instance || { echo "Bail out! init failed"; exit 1; }
CONF5=$top_srcdir/agent/psirt-agent.conf.5
MAN8=$top_srcdir/agent/psirt-agent.8
for key in $($A config | sed -n 's/^\([a-z_0-9]*\) = .*/\1/p'); do
	grep -q "^\.It Cm $key Pq default" "$CONF5"
	ok $? "psirt-agent.conf(5) describes $key"
done
# the commands (help --commands: the table the usage message is made of)
"$PSIRT_AGENT" help --commands >"$I/cmds"
while read -r cmd; do
	grep -q "Cm $cmd\( \|$\)" "$MAN8"
	ok $? "psirt-agent(8) describes the command $cmd"
done <"$I/cmds"
ok $([ -s "$I/cmds" ]; echo $?) "the usage message lists commands"
# every option of every command's synopsis (psirt-agent help)
for o in $("$PSIRT_AGENT" help | grep -o -- '--[a-z-]*' | sort -u); do
	p=$(printf '%s' "${o#--}" | sed 's/-/\\\\-/g')
	grep -q "Fl \\\\-$p\|\\\\-\\\\-$p" "$MAN8"
	ok $? "psirt-agent(8) describes the option $o"
done
# every statement the policy parser knows (the keywords it compares the
# first word of a line with) is described in psirt-policy(5)
POL5=$top_srcdir/policies/psirt-policy.5
grep -ho 'strcmp(t\[0\]\.s, "[a-z-]*")\|strcmp(w\[0\], "[a-z-]*")' \
    "$top_srcdir"/policies/*.c | sed 's/.*"\([a-z-]*\)".*/\1/' | sort -u >"$I/stmts"
while read -r st; do
	grep -q "^\.It Cm $st\( \|$\)" "$POL5"
	ok $? "psirt-policy(5) describes the statement $st"
done <"$I/stmts"
ok $([ "$(wc -l <"$I/stmts")" -ge 20 ]; echo $?) "the policy statements were found in the source"
done_testing
