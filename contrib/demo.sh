#!/bin/sh
# demo.sh [DIR]: the agent's main job on the built-in demo policy.
# Creates an instance in DIR (default /tmp/psirt-demo), pipes a sample
# report through `deliver` as an MTA would, runs the queue, and shows
# the new case and the acknowledgement that was sent (the demo's
# "sendmail" appends outgoing mail to DIR/outgoing.mbox).
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
# the agent: $PSIRT_AGENT, or the one built here (README builds in
# build/; an in-tree build works too)
if [ -n "${PSIRT_AGENT:-}" ]; then
	agent=$PSIRT_AGENT
elif [ -x ./psirt-agent ]; then
	agent=$(pwd)/psirt-agent
elif [ -x "$top/build/psirt-agent" ]; then
	agent=$top/build/psirt-agent
else
	agent=$top/psirt-agent
fi
D=${1:-/tmp/psirt-demo}
# the agent refuses to run as root; the demo, run by root on a fresh
# machine, says that it means it (a real instance runs as its own user)
[ "$(id -u)" -ne 0 ] || export PSIRT_ALLOW_ROOT=1
# a gpg-agent left by an earlier demo in the same place
[ -d "$D/gnupg" ] && gpgconf --homedir "$D/gnupg" --kill all 2>/dev/null || true
rm -rf "$D"
# --generate-keys: the team's OpenPGP key and S/MIME certificate, so the
# acknowledgement names the key and carries an Autocrypt header
"$agent" init --address security@example.org --name "Example PSIRT" \
    --sendmail "/usr/bin/tee -a $D/outgoing.mbox" --generate-keys "$D"
# run the queue in the foreground so the demo's output is in order
printf 'background_process = no\nsyslog = no\n' >>"$D/psirt-agent.conf"
A="$agent -c $D/psirt-agent.conf"

echo "== psirt-agent deliver < contrib/demo-report.eml"
$A deliver -f meiling@research.example.net -r security@example.org \
    <"$top/contrib/demo-report.eml" && echo "deliver exit status: $?"
echo "== psirt-agent process"
$A process >/dev/null
echo "== psirt-agent case list"
$A case list
id=$($A case list --json | sed -n 's/^\[{"id":"\([^"]*\)".*/\1/p')
echo "== psirt-agent case show $id"
$A case show "$id"
echo "== the acknowledgement as sent ($D/outgoing.mbox)"
cat "$D/outgoing.mbox"
# no daemon left behind (gpg starts its agent again when needed)
gpgconf --homedir "$D/gnupg" --kill all 2>/dev/null || true
