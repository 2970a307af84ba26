#!/bin/sh
# check-deb.sh: build the Debian package with dpkg-buildpackage (which
# runs the unit tests), check it with lintian, install it, run its
# smoke test (version, policy check with the default configuration,
# one delivery into the packaged instance, the units' systemd-analyze
# exposure), send an escalation from `tick` under the tick unit's
# privileges (no new privileges, psirt, no capabilities, read-only
# system) through a real Postfix, run the autopkgtest
# (debian/tests/postfix-delivery) against the installed package, and
# purge it twice: keeping the data (the debconf default) and removing
# it (the answer preseeded). One PASS:/FAIL: line per step. Needs root
# (it installs; it installs postfix if it is missing, and starts and
# stops it if it is not running).
# The package is built from a copy: of the committed tree (git archive
# HEAD) in a git checkout; else (a release tarball, an exported tree) of
# the tree itself, without its build directories (build-*/, the ones
# .ci/test makes) or what an in-tree build left (dpkg-buildpackage
# cleans that with `make distclean`).
#   sh tests/package/check-deb.sh [SRCDIR]
set -u
S=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
W=$(mktemp -d /tmp/psirt-deb.XXXXXX)
# the machine as found: no package, and no /var/lib/psirt-agent unless
# there was one
had_data=
[ -e /var/lib/psirt-agent ] && had_data=1
cleanup() {
	DEBIAN_FRONTEND=noninteractive dpkg --purge psirt-agent >/dev/null 2>&1
	[ -n "$had_data" ] || rm -rf /var/lib/psirt-agent
	rm -f /etc/psirt-agent/esc.policy /etc/psirt-agent/esc.conf /var/mail/psirt
	rmdir /etc/psirt-agent 2>/dev/null
	if [ -n "${pf_started:-}" ] && [ -s /var/spool/postfix/pid/master.pid ]; then
		kill "$(tr -d ' ' </var/spool/postfix/pid/master.pid)" 2>/dev/null
	fi
	rm -rf "$W"
}
trap cleanup EXIT
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
step "the default configuration /etc/psirt-agent/psirt-agent.conf (no -c)" sh -c \
    'runuser -u psirt -- psirt-agent policy check | grep -q "^/etc/psirt-agent/psirt.policy: ok"'
# every packaged service at exposure 3.0 or lower ("OK")
exposure() {
	for u in /lib/systemd/system/psirt-agent-*.service; do
		e=$(systemd-analyze security --offline=yes "$u" 2>&1 |
		    sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
		echo "$u: $e"
		[ -n "$e" ] && awk -v e="$e" 'BEGIN { exit !(e <= 3.0) }' || return 1
	done
	grep -q "^StateDirectory=psirt-agent" /lib/systemd/system/psirt-agent-tick.service
}
if command -v systemd-analyze >/dev/null; then
	step "systemd-analyze security: the units at 3.0 or lower" exposure
	cat "$W/out" | sed 's/^/# /'
else
	echo "SKIP: package: systemd-analyze (install systemd)"
fi
# one delivery into the packaged instance (replies to /bin/true)
{ grep -v '^smtp_' /etc/psirt-agent/psirt-agent.conf; printf 'sendmail = /bin/true\nbackground_process = no\nsyslog = no\n'; } >"$W/smoke.conf"
chmod 644 "$W/smoke.conf"; chmod 755 "$W"
printf 'From: Rita <rita@example.net>\nTo: security@localhost\nSubject: smoke test\nMessage-ID: <smoke@example.net>\n\nA report.\n' >"$W/r.eml"
chmod 644 "$W/r.eml"
step "deliver (as psirt)" sh -c "runuser -u psirt -- psirt-agent -c '$W/smoke.conf' deliver <'$W/r.eml'"
step "process: one case" sh -c "runuser -u psirt -- psirt-agent -c '$W/smoke.conf' process && runuser -u psirt -- psirt-agent -c '$W/smoke.conf' case list | grep -q 'smoke test'"
step "check (as psirt)" runuser -u psirt -- psirt-agent -c "$W/smoke.conf" check
step "as root it refuses" sh -c "! env -u PSIRT_ALLOW_ROOT psirt-agent -c /etc/psirt-agent/psirt-agent.conf case list"

# Outgoing mail from the units, through a real Postfix.
pf_started=
postfix_up() {
	if ! command -v postfix >/dev/null; then
		printf '%s\n' "postfix postfix/main_mailer_type select Local only" \
		    "postfix postfix/mailname string localhost" | debconf-set-selections
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		    --no-install-recommends postfix || return 1
	fi
	[ -e /etc/aliases.db ] || newaliases
	postfix status >/dev/null 2>&1 && return 0
	postfix start && pf_started=1
}
step "Postfix running" postfix_up
# the tick unit's privileges without systemd (PID 1 here is not
# systemd): psirt, no supplementary groups, no capabilities, no new
# privileges (NoNewPrivileges, implied by the unit's SystemCallFilter
# and RestrictSUIDSGID) and a read-only system but for the state
# directory (ProtectSystem=strict, StateDirectory=), a /tmp of its own
# (PrivateTmp=). Not reproduced:
# the seccomp filter, namespaces and the other mounts.
unit() {
	unshare -m sh -c 'mount --bind /var/lib/psirt-agent /var/lib/psirt-agent &&
	    mount -o remount,bind,ro / && mount -t tmpfs -o mode=1777 tmpfs /tmp &&
	    exec "$@"' unit env -i PATH=/usr/bin:/bin HOME=/var/lib/psirt-agent \
	    USER=psirt LOGNAME=psirt setpriv --no-new-privs --reuid psirt --regid psirt --clear-groups \
	    --inh-caps=-all --bounding-set=-all "$@"
}
# what the issue saw: under no new privileges Postfix's sendmail cannot
# hand mail to the set-gid postdrop (it retries; stopped after 15 s)
printf 'From: security@localhost\nTo: psirt@localhost\nSubject: postdrop under NoNewPrivileges\n\nx\n' >"$W/nnp.eml"
chmod 644 "$W/nnp.eml"
step "sendmail (postdrop) works as psirt, but not under no new privileges" sh -c \
    "runuser -u psirt -- /usr/sbin/sendmail -i -t <'$W/nnp.eml' &&
	! timeout 15 setpriv --no-new-privs --reuid psirt --regid psirt --clear-groups /usr/sbin/sendmail -i -t <'$W/nnp.eml'"
# an escalation due at once: one member (psirt@localhost, delivered by
# Postfix to /var/mail/psirt), the packaged configuration otherwise
# (smtp_url = smtp://127.0.0.1:25); the report is taken in with replies
# to /bin/true so that only the escalation goes to Postfix
{ grep -v '^role \|^member \|^task \|^#' /etc/psirt-agent/psirt.policy
  printf 'role lead "Lead"\nmember lead "PSIRT on duty" psirt@localhost tz UTC\n'
  for t in triage remediation disclosure incident-response re-assessment; do
	echo "task $t R lead A lead"
  done; } >/etc/psirt-agent/esc.policy
chgrp psirt /etc/psirt-agent/esc.policy; chmod 640 /etc/psirt-agent/esc.policy
# (the unit's /tmp is its own: this configuration is next to the other)
E=/etc/psirt-agent/esc.conf
sed 's|^policy_file = .*|policy_file = /etc/psirt-agent/esc.policy|' \
    /etc/psirt-agent/psirt-agent.conf >$E
printf 'syslog = no\nbackground_process = no\n' >>$E
chgrp psirt $E; chmod 640 $E
{ grep -v '^smtp_' $E; echo 'sendmail = /bin/true'; } >"$W/in.conf"
chmod 644 "$W/in.conf"
printf 'From: Rita <rita@example.net>\nTo: security@localhost\nSubject: escalation test\nMessage-ID: <esc@example.net>\n\nA report.\n' >"$W/esc.eml"
chmod 644 "$W/esc.eml"
rm -f /var/mail/psirt
step "a case with deadlines (as psirt)" sh -c "
	export PSIRT_NOW=2030-03-04T12:00:00Z
	runuser -u psirt -- psirt-agent -c '$W/in.conf' deliver <'$W/esc.eml' &&
	runuser -u psirt -- psirt-agent -c '$W/in.conf' process &&
	runuser -u psirt -- psirt-agent -c '$W/in.conf' case list | grep -q 'escalation test'"
esc_id=$(runuser -u psirt -- psirt-agent -c "$W/in.conf" case list 2>/dev/null |
    awk '/escalation test/ { print $1; exit }')
tick_sends() {
	unit env PSIRT_NOW=2030-06-04T12:00:00Z psirt-agent -c $E tick || return 1
	runuser -u psirt -- psirt-agent -c $E case show "$esc_id" >"$W/show" || return 1
	grep 'escalation to psirt@localhost' "$W/show" || { cat "$W/show"; return 1; }
	mid=$(sed -n 's/.*escalation to psirt@localhost, Message-ID <\([^>]*\)>.*/\1/p' "$W/show" | head -1)
	i=0
	until grep -q "^Message-I[Dd]: <$mid>" /var/mail/psirt 2>/dev/null; do
		i=$((i + 1))
		[ $i -le 30 ] || { postqueue -p; return 1; }
		sleep 1
	done
	echo "delivered to /var/mail/psirt: $mid"
}
step "tick under the unit's privileges: an escalation by SMTP through Postfix" tick_sends
rm -f /etc/psirt-agent/esc.policy $E /var/mail/psirt
step "autopkgtest debian/tests/postfix-delivery (run directly)" \
    sh "$W/src/debian/tests/postfix-delivery"
if [ -n "$pf_started" ]; then
	kill "$(tr -d ' ' </var/spool/postfix/pid/master.pid)" && pf_started=
fi

# purge: asks (debconf, priority high), and keeps the data by default
purge_keeps() {
	DEBCONF_DEBUG=developer DEBIAN_FRONTEND=noninteractive \
	    dpkg --purge psirt-agent >"$W/purge" 2>&1 || { cat "$W/purge"; return 1; }
	cat "$W/purge"
	grep -q "INPUT high psirt-agent/purge_data" "$W/purge" &&
	    grep -q "kept in /var/lib/psirt-agent" "$W/purge" &&
	    [ -s /var/lib/psirt-agent/psirt.db ] && [ ! -e /usr/bin/psirt-agent ]
}
step "dpkg --purge asks, and keeps the data by default" purge_keeps
step "dpkg -i again: the kept data is used" sh -c "dpkg -i '$deb' &&
	runuser -u psirt -- psirt-agent -c '$W/smoke.conf' case list | grep -q 'smoke test'"
step "dpkg --purge with purge_data preseeded true removes the data" sh -c \
    'echo "psirt-agent psirt-agent/purge_data boolean true" | debconf-set-selections &&
	DEBIAN_FRONTEND=noninteractive dpkg --purge psirt-agent &&
	[ ! -e /var/lib/psirt-agent ] && [ ! -e /usr/bin/psirt-agent ]'
exit $((fails > 0))
