#!/bin/sh
# init: a self-contained instance with private modes; strict config and
# policy errors that name file, line and reason.
. "$top_srcdir/tests/lib/lib.sh"
need jq

mk_instance || { echo "Bail out! init failed"; exit 1; }
for f in psirt-agent.conf psirt.db seal.key policies/psirt.policy \
    policies/templates/ack.en.txt policies/templates/ack.zh-TW.txt; do
	is "$(stat -c %a "$I/inst/$f")" 600 "$f is mode 0600"
done
for d in . gnupg spool spool/incoming spool/quarantine policies; do
	is "$(stat -c %a "$I/inst/$d")" 700 "$d is mode 0700"
done
is "$(stat -c %s "$I/inst/seal.key")" 32 "the seal key is 32 bytes"
$PSIRT_AGENT init "$I/inst" >/dev/null 2>&1
is $? 73 "init refuses to overwrite an instance (EX_CANTCREAT)"
like "$($A config)" "psirt_address = security@example.org" \
    "config shows the --address given to init"
like "$($A config)" "sendmail = $I/sendmail" "config shows --sendmail"
is "$($A case list --json)" "[]" "a new instance has no cases"

cp "$C" "$I/bad.conf"
printf 'no_such_setting = 1\n' >>"$I/bad.conf"
out=$($PSIRT_AGENT -c "$I/bad.conf" case list 2>&1)
is $? 78 "unknown setting: EX_CONFIG"
like "$out" "bad.conf:[0-9]+: unknown setting \"no_such_setting\"" \
    "unknown setting reported with file:line"
cp "$C" "$I/bad2.conf"
printf 'header_line_limit = lots\n' >>"$I/bad2.conf"
like "$($PSIRT_AGENT -c "$I/bad2.conf" case list 2>&1)" \
    "bad2.conf:[0-9]+: header_line_limit: bad size \"lots\"" \
    "bad size reported with file:line and reason"
echo 'x' | $PSIRT_AGENT -c "$I/bad.conf" deliver 2>/dev/null
is $? 75 "deliver with a bad config exits EX_TEMPFAIL, never bounces"
echo 'x' | $PSIRT_AGENT -c "$I/nonexistent.conf" deliver 2>/dev/null
is $? 75 "deliver with a missing config exits EX_TEMPFAIL"

P=$I/inst/policies/psirt.policy
cp "$P" "$P.orig"
printf 'match subject /(unclosed/ kind incident\n' >>"$P"
out=$($A process 2>&1)
is $? 78 "bad policy: process exits EX_CONFIG"
like "$out" "psirt.policy:[0-9]+: bad regex" "bad regex named with file:line"
cp "$P.orig" "$P"
printf 'match subject /x/ colour blue\n' >>"$P"
like "$($A process 2>&1)" "psirt.policy:[0-9]+: match: bad action \"colour\"" \
    "bad action named with file:line"
cp "$P.orig" "$P"
printf 'case-id "CASE-%%Y"\n' >>"$P"
like "$($A process 2>&1)" "psirt.policy:[0-9]+: case-id needs exactly one %N" \
    "case-id without a counter is refused"
cp "$P.orig" "$P"
printf 'Subject: x\n\nHello ${nosuch}\n' >"$I/inst/policies/templates/ack.en.txt"
like "$($A process 2>&1)" "ack.en.txt:3: unknown variable \\\$\\{nosuch\\}" \
    "unknown template variable named with file:line"
done_testing
