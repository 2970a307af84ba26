#!/bin/sh
# check-deb.sh: build the Debian package with dpkg-buildpackage, check
# it with lintian, install it, run its smoke test (version, policy
# check, one delivery into the packaged instance), and purge it. One
# PASS:/FAIL: line per step. Needs root (it installs).
# The package is built from a copy: of the committed tree (git archive
# HEAD) in a git checkout; else (a release tarball, an exported tree) of
# the tree itself, without its build directories (build-*/, the ones
# .ci/test makes) or what an in-tree build left (dpkg-buildpackage
# cleans that with `make distclean`).
#   sh tests/package/check-deb.sh [SRCDIR]
set -u
S=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
W=$(mktemp -d /tmp/psirt-deb.XXXXXX)
trap 'dpkg --purge psirt-agent >/dev/null 2>&1; rm -rf "$W"' EXIT
fails=0
step() {	# step NAME CMD...: one line, PASS or FAIL with the output
	name=$1
	shift
	if "$@" >"$W/out" 2>&1; then
		echo "PASS: package: $name"
	else
		echo "FAIL: package: $name"
		sed 's/^/# /' "$W/out" | tail -30
		fails=$((fails + 1))
	fi
}
[ "$(id -u)" -eq 0 ] || { echo "SKIP: package: not root"; exit 0; }
[ -f "$S/debian/rules" ] ||
    { echo "SKIP: package: $S has no debian/ (not a source tree of psirt-agent)"; exit 0; }
mkdir "$W/src"
if [ -e "$S/.git" ] && command -v git >/dev/null &&
    git -C "$S" rev-parse --verify -q HEAD >/dev/null; then
	git -C "$S" archive HEAD | tar -x -C "$W/src" ||
	    { echo "FAIL: package: git archive"; exit 1; }
else
	echo "# package: $S is not a git checkout: built from the tree as it is"
	tar -C "$S" --exclude='./build-*' --exclude=./.git \
	    --exclude=./autom4te.cache -cf - . | tar -x -C "$W/src" ||
	    { echo "FAIL: package: copy of the tree"; exit 1; }
fi
step "dpkg-buildpackage -us -uc -b" sh -c "cd '$W/src' && dpkg-buildpackage -us -uc -b"
deb=$(ls "$W"/psirt-agent_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { echo "FAIL: package: no .deb built"; exit 1; }
step "lintian: no error" lintian --fail-on error --suppress-tags-from-file /dev/null "$deb"
step "dpkg -i" dpkg -i "$deb"
step "psirt-agent --version" sh -c 'psirt-agent --version | grep -q "^psirt-agent 0"'
step "the psirt system user" sh -c 'id psirt && [ "$(getent passwd psirt | cut -d: -f6)" = /var/lib/psirt-agent ]'
step "/var/lib/psirt-agent is 0700 psirt" sh -c \
    '[ "$(stat -c "%a %U" /var/lib/psirt-agent)" = "700 psirt" ] && [ -s /var/lib/psirt-agent/seal.key ]'
step "/etc/psirt-agent: the demo policy, commented out" sh -c \
    '[ -s /etc/psirt-agent/psirt.policy ] && ! grep -qv "^#\|^$" /etc/psirt-agent/psirt.policy && grep -q "^# role psirt-lead" /etc/psirt-agent/psirt.policy'
step "man pages installed" sh -c 'for m in psirt-agent.8 psirt-agent.conf.5 psirt-policy.5; do [ -e /usr/share/man/man${m##*.}/$m.gz ] || exit 1; done'
step "systemd units and MTA snippets installed" sh -c \
    '[ -e /lib/systemd/system/psirt-agent-tick.timer ] && grep -q "^ExecStart=/usr/bin/psirt-agent" /lib/systemd/system/psirt-agent-tick.service && [ -e /usr/share/doc/psirt-agent/examples/postfix/aliases ] && [ -e /usr/share/bash-completion/completions/psirt-agent ]'
step "policy check (as psirt)" runuser -u psirt -- psirt-agent -c /etc/psirt-agent/psirt-agent.conf policy check
# one delivery into the packaged instance (replies to /bin/true)
{ cat /etc/psirt-agent/psirt-agent.conf; printf 'sendmail = /bin/true\nbackground_process = no\nsyslog = no\n'; } >"$W/smoke.conf"
chmod 644 "$W/smoke.conf"; chmod 755 "$W"
printf 'From: Rita <rita@example.net>\nTo: security@localhost\nSubject: smoke test\nMessage-ID: <smoke@example.net>\n\nA report.\n' >"$W/r.eml"
chmod 644 "$W/r.eml"
step "deliver (as psirt)" sh -c "runuser -u psirt -- psirt-agent -c '$W/smoke.conf' deliver <'$W/r.eml'"
step "process: one case" sh -c "runuser -u psirt -- psirt-agent -c '$W/smoke.conf' process && runuser -u psirt -- psirt-agent -c '$W/smoke.conf' case list | grep -q 'smoke test'"
step "check (as psirt)" runuser -u psirt -- psirt-agent -c "$W/smoke.conf" check
step "as root it refuses" sh -c "! env -u PSIRT_ALLOW_ROOT psirt-agent -c /etc/psirt-agent/psirt-agent.conf case list"
step "dpkg --purge removes the data" sh -c 'dpkg --purge psirt-agent && [ ! -e /var/lib/psirt-agent ] && [ ! -e /usr/bin/psirt-agent ]'
exit $((fails > 0))
