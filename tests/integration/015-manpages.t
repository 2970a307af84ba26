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
done_testing
