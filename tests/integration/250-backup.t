#!/bin/sh
# `backup DIR` while mail keeps coming, then a restore: the original
# instance is removed and the backup is used in its place.
. "$top_srcdir/tests/lib/lib.sh"
need jq gpg gpgconf
mk_instance --generate-keys || { echo "Bail out! init failed"; exit 1; }
trap 'gpgconf --homedir "$I/inst/gnupg" --kill all 2>/dev/null; gpgconf --homedir "$I/bk/gnupg" --kill all 2>/dev/null; cleanup' EXIT
G=$I/inst/gnupg
for n in 1 2 3; do
	mkmsg "R$n <r$n@backup.example>" "report $n" "text of report $n" >"$I/r.eml"
	deliver "$I/r.eml"
done
# one encrypted to the team's key: the backup must be able to read it
FPR=$(gpg --homedir "$G" --with-colons --list-keys | awk -F: '/^fpr/ { print $10; exit }')
{ mkmsg 'Enc <enc@backup.example>' 'encrypted report' '' | sed '$d'
  echo 'the secret details' | gpg --homedir "$G" --batch --trust-model always --armor -r "$FPR" --encrypt 2>/dev/null; } >"$I/e.eml"
deliver "$I/e.eml"
process
# mail keeps coming while the backup is made
( for n in $(seq 4 40); do
	mkmsg "R$n <r$n@backup.example>" "report $n" "text $n" | $A deliver 2>/dev/null
	[ $((n % 10)) -eq 0 ] && $A process 2>/dev/null
  done ) &
LP=$!
sleep 0.2
$A backup "$I/bk" >"$I/bk.out" 2>>"$I/agent.log"
is "$?" 0 "backup while deliveries and runs go on"
like "$(cat "$I/bk.out")" "^backup: $I/bk: the store, [0-9]+ files" "it says what it copied"
wait $LP
$A backup "$I/bk" >/dev/null 2>&1
is "$?" 64 "into a directory that exists: refused (64)"
is "$(find "$I/bk" \( -type f -perm /077 \) -o \( -type d -perm /077 \) | head -3)" "" \
    "the backup is 0600/0700 throughout"
BA="$PSIRT_AGENT -c $I/bk/psirt-agent.conf"
$BA check >"$I/check.out" 2>&1
is "$?" 0 "the backup alone passes check (store, spool, audit agree)"
[ $? -eq 0 ] || diag "$(cat "$I/check.out")"
before=$($BA case list --json | jq -c '[.[] | [.id, .subject]]')

# the instance is lost; the backup takes its place
gpgconf --homedir "$G" --kill all 2>/dev/null
rm -rf "$I/inst"
is "$($BA case list --json | jq -c '[.[] | [.id, .subject]]')" "$before" "its cases, as they were backed up"
EID=$($BA case list --json | jq -r '.[] | select(.subject == "encrypted report") | .id')
like "$($BA case show "$EID" --json | jq -r '.messages[0].text')" 'the secret details' \
    "sealed content opens with the backed-up seal key"
$BA audit verify >"$I/audit.out" 2>&1
is "$?" 0 "the audit record verifies with the backed-up audit key"
# messages spooled but not yet processed when the backup was taken
# are in it too, and become cases now
n0=$(( $($BA case list --json | jq length) + $(ls "$I/bk/spool/incoming" | wc -l) ))
mkmsg 'Later <later@backup.example>' 'after the restore' 'x' | $BA deliver 2>>"$I/agent.log"
{ mkmsg 'Enc2 <enc2@backup.example>' 'encrypted after the restore' '' | sed '$d'
  echo 'more secrets' | gpg --homedir "$I/bk/gnupg" --batch --trust-model always --armor -r "$FPR" --encrypt 2>/dev/null; } >"$I/e2.eml"
$BA deliver <"$I/e2.eml" 2>>"$I/agent.log"
$BA process 2>>"$I/agent.log"
is "$($BA case list --json | jq length)" $((n0 + 2)) "the restored instance takes new mail"
E2=$($BA case list --json | jq -r '.[] | select(.subject == "encrypted after the restore") | .id')
like "$($BA case show "$E2" --json | jq -r '.messages[0].text')" 'more secrets' \
    "and decrypts with the backed-up team key"
ids=$($BA case list --json | jq -r '.[].id' | sort | uniq -d)
is "$ids" "" "no case ID given twice after the restore"
done_testing
