#!/bin/sh
# Least privilege: no root without a flag; files 0600 and directories
# 0700; `deliver` opens no key; attachment names never become paths;
# outside text cannot forge a log line or drive a terminal; no shell
# between the agent and the sendmail command.
. "$top_srcdir/tests/lib/lib.sh"
need jq strace
mk_instance --generate-keys || { echo "Bail out! init failed"; exit 1; }
trap 'gpgconf --homedir "$I/inst/gnupg" --kill all 2>/dev/null; cleanup' EXIT

# root: refused unless the configuration or the environment says so
if [ "$(id -u)" -eq 0 ]; then
	mkmsg 'Rita <rita@example.net>' 'root test' 'x' >"$I/r.eml"
	n0=$(qdir_count incoming)
	env -u PSIRT_ALLOW_ROOT $A deliver <"$I/r.eml" 2>"$I/err"
	is "$?" 75 "deliver as root: 75, the MTA keeps the message"
	like "$(cat "$I/err")" 'refusing to run as root' "and says why"
	is "$(qdir_count incoming)" "$n0" "nothing was spooled"
	env -u PSIRT_ALLOW_ROOT $A case list >/dev/null 2>"$I/err"
	is "$?" 77 "another command as root: 77"
	env -u PSIRT_ALLOW_ROOT "$PSIRT_AGENT" init "$I/other" >/dev/null 2>&1
	is "$?" 77 "init as root: 77"
	ok $([ ! -e "$I/other" ]; echo $?) "and nothing created"
	echo 'allow_root = yes' >>"$C"
	env -u PSIRT_ALLOW_ROOT $A case list >/dev/null 2>&1
	is "$?" 0 "allow_root = yes: it runs"
else
	skip "root refusal" "not running as root"
fi

# deliver is linked with no crypto, database or regex library and opens
# no key while it spools a message
like "$(ldd "$PSIRT_AGENT" | tr '\n' ' ')" '^' "ldd works"
unlike "$(ldd "$PSIRT_AGENT")" 'gpgme|sodium|sqlite|pcre|etpan|ssl|crypto' \
    "psirt-agent (deliver) links no crypto, database or regex library"
{
	printf 'From: Mallory <m@example.net>\nTo: security@example.org\n'
	printf 'Subject: =?utf-8?q?clear=1B=5B2J?= screen\nMessage-ID: <e1@example.net>\n'
	printf 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n'
	printf -- '--b\nContent-Type: text/plain\n\nsee the file\n'
	printf -- '--b\nContent-Type: application/octet-stream\n'
	printf 'Content-Disposition: attachment; filename="../../../../tmp/psirt-escape-%s"\n\nx\n--b--\n' "$$"
} >"$I/evil.eml"
# (LeakSanitizer cannot run under ptrace: off for this one, in that build)
ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
    strace -f -qq -e trace=open,openat -o "$I/strace" $A deliver -f "$(printf 'a\033]0;x\007@example.net')" \
    <"$I/evil.eml" 2>>"$I/agent.log"
is "$?" 0 "deliver"
unlike "$(grep -v ENOENT "$I/strace" | grep -o '"[^"]*"' | sort -u | tr '\n' ' ')" \
    'gnupg|seal\.key|audit\.key|psirt\.db|smime' "deliver opens no key, no key directory and no database"
process
ID=$($A case list --json | jq -r '.[] | select(.reporter == "m@example.net") | .id')
like "$ID" '^PSIRT-' "the message made a case"
is "$($A case show "$ID" --json | jq -r '.messages[0].attachments[0].name')" \
    "../../../../tmp/psirt-escape-$$" "the attachment keeps its name as data"
ok $([ ! -e "/tmp/psirt-escape-$$" ]; echo $?) "and no file of that name was written anywhere"
ok $(! grep -q "$(printf '\033')" "$I/agent.log"; echo $?) "no escape character reached the log"
like "$(cat "$I/agent.log")" 'a\?\]0;x\?@example.net' "the sender's control characters are shown as '?'"
ok $(! $A case list | grep -q "$(printf '\033')"; echo $?) "and none reaches the terminal through the table"

# modes: every file 0600, every directory 0700 (sockets aside)
$A audit sign >/dev/null 2>&1
bad=$(find "$I/inst" \( -type f -perm /077 \) -o \( -type d -perm /077 \) | head -5)
is "$bad" "" "no file or directory of the instance is open to group or others"
is "$(stat -c %a "$I/inst/spool/archive" "$I/inst/psirt.db" "$I/inst/seal.key" | tr '\n' ' ')" \
    "700 600 600 " "spool directories 0700, the store and keys 0600"

# the sendmail command runs without a shell
sed -i "s|^sendmail = .*|sendmail = $I/sendmail; touch $I/pwned|" "$C"
mkmsg 'Rita <rita2@example.net>' 'shell test' 'x' >"$I/r2.eml"
deliver "$I/r2.eml"; process
ok $([ ! -e "$I/pwned" ]; echo $?) "no shell: ';' is an argument, not a command separator"
# and no call to a shell anywhere in the source
is "$(grep -rlE '\<(system|popen)\(|"/bin/sh"' "$top_srcdir/agent" "$top_srcdir/parsers" \
    "$top_srcdir/policies" "$top_srcdir/spool" --include='*.c' | tr '\n' ' ')" "" \
    "no system(), popen() or /bin/sh in the source"
done_testing
