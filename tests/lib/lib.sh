# lib.sh: TAP helpers for the integration tests (sourced by tests/*.t).
#
# Each test makes its own instance under a short mktemp directory, with
# background_process = no (tests run the queue explicitly unless they
# test the background runner) and a capturing sendmail command, and
# removes it on exit. Nothing here fakes the agent: every check reads
# the agent's own output (JSON, spool directories, sent mail).

set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${PSIRT_AGENT:=$top_builddir/psirt-agent}"
export LC_ALL=C.UTF-8 2>/dev/null || export LC_ALL=C
# the agent refuses root (210-privileges.t tests that); CI runs as root
[ "$(id -u)" -ne 0 ] || export PSIRT_ALLOW_ROOT=1
# `make check-valgrind`: both programs under valgrind memcheck; an error
# makes the command exit 99 (the test fails) and leaves a log in
# $PSIRT_VALGRIND_LOGS; leaks are LeakSanitizer's business
if [ -n "${PSIRT_VALGRIND:-}" ]; then
	_vg=$(mktemp -d /tmp/psirt-vg.XXXXXX)
	for _p in psirt-agent psirt-agent-core; do
		printf '#!/bin/sh
exec valgrind -q --error-exitcode=99 --errors-for-leak-kinds=none --show-leak-kinds=none --log-file=%s/vg.%%p %s "$@"
' \
		    "$PSIRT_VALGRIND_LOGS" "$top_builddir/$_p" >"$_vg/$_p"
		chmod 755 "$_vg/$_p"
	done
	PSIRT_AGENT=$_vg/psirt-agent
	export PSIRT_AGENT_CORE=$_vg/psirt-agent-core
fi

T_N=0
T_FAIL=0
T_DIRS=""

plan() { echo "1..$1"; }
plan_skip_all() { echo "1..0 # SKIP $*"; exit 0; }
ok() {
	# ok CONDITION-EXIT-STATUS DESCRIPTION
	T_N=$((T_N + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $T_N - $2"
	else
		echo "not ok $T_N - $2"
		T_FAIL=$((T_FAIL + 1))
	fi
}
pass() { ok 0 "$1"; }
fail() { ok 1 "$1"; }
skip() { T_N=$((T_N + 1)); echo "ok $T_N - $1 # SKIP $2"; }
diag() { printf '%s\n' "$@" | sed 's/^/# /' >&2; }
is() {
	# is GOT EXPECTED DESCRIPTION
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		diag "got:      '$1'" "expected: '$2'"
	fi
}
like() {
	# like GOT ERE DESCRIPTION
	if printf '%s' "$1" | grep -Eq -- "$2"; then
		ok 0 "$3"
	else
		ok 1 "$3"
		diag "got:      '$(printf '%s' "$1" | head -c 600)'" \
		    "expected to match: '$2'"
	fi
}
unlike() {
	if printf '%s' "$1" | grep -Eq -- "$2"; then
		ok 1 "$3"
		diag "got:      '$(printf '%s' "$1" | head -c 600)'" \
		    "expected NOT to match: '$2'"
	else
		ok 0 "$3"
	fi
}
done_testing() {
	echo "1..$T_N"
	exit 0
}

cleanup() {
	[ -z "${_vg:-}" ] || rm -rf "$_vg"
	# PSIRT_TEST_KEEP=1: leave the instances for a look (gpg-agents too)
	[ -n "${PSIRT_TEST_KEEP:-}" ] && { diag "kept: $T_DIRS"; return; }
	for d in $T_DIRS; do
		[ -n "$d" ] || continue
		# the gpg-agent an instance's GnuPG home started, or a
		# person's (gpg_person)
		[ -d "$d/inst/gnupg" ] &&
		    gpgconf --homedir "$d/inst/gnupg" --kill all 2>/dev/null
		[ -f "$d/pubring.kbx" ] &&
		    gpgconf --homedir "$d" --kill all 2>/dev/null
		rm -rf "$d"
	done
}
trap cleanup EXIT

need() {
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || plan_skip_all "$c not installed"
	done
}

# mk_instance [init options...]: a fresh instance in $I, config in $C.
mk_instance() {
	I=$(mktemp -d /tmp/psirt-t.XXXXXX)
	T_DIRS="$T_DIRS $I"
	mkdir -p "$I/mail"
	cat >"$I/sendmail" <<'SM'
#!/bin/sh
# test sendmail: keeps each message as one file in mail/, like a maildir;
# with SM_FAIL=N in the environment, its Nth run fails (exit 75)
d=$(dirname "$0")/mail
if [ -n "${SM_FAIL:-}" ]; then
	n=$(( $(cat "$d/../sm.count" 2>/dev/null || echo 0) + 1 ))
	echo "$n" >"$d/../sm.count"
	[ "$n" -ne "$SM_FAIL" ] || exit 75
fi
f=$d/$(date +%s%N).$$
cat >"$f.tmp" && mv "$f.tmp" "$f.eml"
SM
	chmod 755 "$I/sendmail"
	"$PSIRT_AGENT" init --address security@example.org \
	    --sendmail "$I/sendmail" "$@" "$I/inst" >/dev/null || return 1
	C=$I/inst/psirt-agent.conf
	printf 'background_process = no\nsyslog = no\n' >>"$C"
	# a member told of an event waits notice_batch_delay for the next
	# notice; the default (60 s) is wall time, which a slow run (under
	# valgrind) passes where a fast one does not: a day makes the mail
	# sent the same however long a test takes (283-notify.t sets its own)
	printf 'notice_batch_delay = 1d\n' >>"$C"
	A="$PSIRT_AGENT -c $C"
}

# notices_off: the instance's policy tells the team of no event at once
# (`notify EVENT none`), for tests that count the mail sent or take the
# last one; 283-notify.t tests the notices
notices_off() {
	for _e in report followup quarantine review exception hold; do
		printf 'notify %s none\n' "$_e"
	done >>"$I/inst/policies/psirt.policy"
}

# deliver FILE [deliver options]: exit status of psirt-agent deliver
deliver() {
	f=$1
	shift
	$A deliver "$@" <"$f" 2>>"$I/agent.log"
}

process() { $A process 2>>"$I/agent.log"; }

# sent_count: messages the test sendmail got
sent_count() { ls "$I/mail" | grep -c '\.eml$'; }
# last_sent: path of the newest sent message
last_sent() { ls "$I/mail"/*.eml 2>/dev/null | sort | tail -n 1; }
# qdir_count QUEUE
qdir_count() { ls "$I/inst/spool/$1" | grep -vc '^$' || true; }

# flip_byte FILE OFFSET: change one byte of FILE in place (never a no-op)
flip_byte() {
	_b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	# shellcheck disable=SC2059
	printf "\\$(printf %o $(( (_b + 1) % 256 )))" |
	    dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# mkmsg FROM SUBJECT BODY [extra header lines...]: a message on stdout
mkmsg() {
	from=$1 subj=$2 body=$3
	shift 3
	printf 'From: %s\nTo: security@example.org\nSubject: %s\n' "$from" "$subj"
	printf 'Date: Sun, 22 Nov 2026 10:00:00 +0000\n'
	case "$*" in
	*Message-ID:*) ;;
	*) printf 'Message-ID: <%s.%s@example.net>\n' "$(date +%s%N)" "$$" ;;
	esac
	for h in "$@"; do printf '%s\n' "$h"; done
	printf '\n%s\n' "$body"
}

# mkattmsg FROM MESSAGE-ID: a report with a small attachment (poc.bin,
# the bytes 0 to 4) on stdout
mkattmsg() {
	cat <<EOF
From: $1
To: security@example.org
Subject: report with an attachment
Message-ID: <$2>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain

see the attached proof of concept
--b
Content-Type: application/octet-stream; name="poc.bin"
Content-Disposition: attachment; filename="poc.bin"
Content-Transfer-Encoding: base64

AAECAwQ=
--b--
EOF
}

# mk_test_ca DIR: a test CA (ca.crt), a certificate for 127.0.0.1 and
# localhost signed by it (tls.crt, tls.key, 0600), and a CA that signed
# nothing here (other.crt)
mk_test_ca() {
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1/ca.key" \
	    -out "$1/ca.crt" -days 30 -subj '/CN=psirt test CA' 2>/dev/null &&
	openssl req -newkey rsa:2048 -nodes -keyout "$1/tls.key" \
	    -out "$1/tls.csr" -subj '/CN=127.0.0.1' 2>/dev/null &&
	printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$1/ext" &&
	openssl x509 -req -in "$1/tls.csr" -CA "$1/ca.crt" -CAkey "$1/ca.key" \
	    -CAcreateserial -days 30 -extfile "$1/ext" -out "$1/tls.crt" \
	    2>/dev/null &&
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1/other.key" \
	    -out "$1/other.crt" -days 30 -subj '/CN=some other CA' 2>/dev/null &&
	chmod 600 "$1/tls.key"
}

# mk_dovecot: a Dovecot configuration in a new directory $D (user psirt,
# password "s3cret pass", maildirs owned by nobody, TLS with a test CA
# in $D/ca.crt), listening on 127.0.0.1 ports $P (IMAP) and $PS (IMAPS)
mk_dovecot() {
	# Dovecot's own users must reach its files: a directory of its own
	D=$(mktemp -d /tmp/psirt-dc.XXXXXX)
	T_DIRS="$T_DIRS $D"
	chmod 755 "$D"
	mkdir -p "$D/run" "$D/state" "$D/mail"
	P=$((20000 + $$ % 20000))
	PS=$((P + 1))

	mk_test_ca "$D" || return 1
	echo 'psirt:{PLAIN}s3cret pass' >"$D/passwd"
	chown nobody:nogroup "$D/mail"
	cat >"$D/dovecot.conf" <<-EOF
	base_dir = $D/run
	state_dir = $D/state
	instance_name = psirt-test-$$
	listen = 127.0.0.1
	protocols = imap
	log_path = $D/dovecot.log
	auth_mechanisms = plain login
	disable_plaintext_auth = no
	ssl = yes
	ssl_cert = <$D/tls.crt
	ssl_key = <$D/tls.key
	mail_location = maildir:$D/mail/%u
	first_valid_uid = 65534
	mail_privileged_group =
	passdb {
	  driver = passwd-file
	  args = scheme=PLAIN username_format=%u $D/passwd
	}
	userdb {
	  driver = static
	  args = uid=nobody gid=nogroup home=$D/mail/%u
	}
	service imap-login {
	  inet_listener imap {
	    address = 127.0.0.1
	    port = $P
	  }
	  inet_listener imaps {
	    address = 127.0.0.1
	    port = $PS
	    ssl = yes
	  }
	}
	service anvil {
	  chroot =
	}
	EOF
}

# $real_clock CMD...: run a server with the machine's clock when the
# test runs with a moved one (260-clock.t, libfaketime): Dovecot's
# master, reloaded, sees its clock jump back and stops starting
# services for 180 s; a server's clock is not the agent's anyway. A
# command, not a function: `$real_clock dovecot &` leaves $! the
# server's PID (env execs it)
real_clock="env -u LD_PRELOAD -u FAKETIME"
# dovecot_start CONF CHECK: run Dovecot in the foreground (DPID) until
# the command CHECK succeeds (60 s at most: a bound for a start that
# hangs); dovecot_stop ends it by PID
dovecot_start() {
	$real_clock dovecot -F -c "$1" >"$1.out" 2>&1 &
	DPID=$!
	for _i in $(seq 600); do $2 && return 0; sleep 0.1; done
	cat "$1.out" >&2
	return 1
}
dovecot_stop() {
	[ -n "${DPID:-}" ] || return 0
	kill "$DPID" 2>/dev/null
	for _i in $(seq 50); do kill -0 "$DPID" 2>/dev/null || break; sleep 0.1; done
}

# listening PORT: something accepts connections on 127.0.0.1:PORT
listening() { bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# gpg_person "Name <addr>" addr: a throwaway GnuPG home in $R (short
# path: gpg-agent socket names; its agent stopped at exit), used with
# rgpg, holding a signing key with an encryption subkey; the key's
# fingerprint in $RFPR
rgpg() { gpg --homedir "$R" --batch --yes --quiet --pinentry-mode loopback --passphrase '' "$@"; }
gpg_person() {
	R=$(mktemp -d /tmp/pgh.XXXXXX)
	T_DIRS="$T_DIRS $R"	# cleanup stops its gpg-agent
	rgpg --quick-gen-key "$1" ed25519 sign never 2>/dev/null
	RFPR=$(rgpg --with-colons --list-secret-keys "$2" | awk -F: '/^fpr/ { print $10; exit }')
	rgpg --quick-add-key "$RFPR" cv25519 encr never 2>/dev/null
}
