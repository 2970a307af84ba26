#!/bin/sh
# Keys are learnt only when the mail proves it: a key offered in an
# Autocrypt header is pinned for the sender only when the same message is
# signed by that key and opened its case; a forged follow-up (it joins
# by its Subject tag and From, which anyone can write) or an unsigned
# report only offers its key: recorded, the coordinators told once, and
# used after `key pin` or a member's signed "#pin FINGERPRINT". Real keys
# for the reporter, an attacker, a second reporter and a team member.
. "$top_srcdir/tests/lib/lib.sh"
need jq gpg gpgconf
mk_instance || { echo "Bail out! init failed"; exit 1; }
P=$I/inst/policies/psirt.policy
gpg_person 'Rita <rita@example.net>' rita@example.net; RR=$R; FR=$RFPR
# the attacker's key claims Rita's address
gpg_person 'Rita <rita@example.net>' rita@example.net; RM=$R; FM=$RFPR
gpg_person 'Nora <nora@example.net>' nora@example.net; RN=$R; FN=$RFPR
gpg_person 'Lin <lin@corp.example>' lin@corp.example; RL=$R; FL=$RFPR
gpg_person 'Omar <omar@example.net>' omar@example.net; RO=$R; FO=$RFPR
R=$RL rgpg --armor --export >"$I/lin.asc"
$A key import "$I/lin.asc" >/dev/null 2>>"$I/agent.log"
sed -i "s/^member psirt-lead \"Lin Mei-hua\" lin@corp.example\$/& pgp $FL/" "$P"
like "$($A policy check)" 'ok:' "the policy with Lin's key passes"

kd() { R=$1 rgpg --export "$2" | base64 -w 0; }
pinned() { $A key list --json | jq -r --arg f "$1" '[.[] | select(.fingerprint == $f) | .pinned_for // empty] | join(",")'; }
ev() { $A case show "$1" --json | jq -r --arg t "$2" '[.events[] | select(.type == $t) | .detail] | join(" | ")'; }
# told FPR: who got a notice of key FPR offered, sorted
told() { grep -l "$1" $(grep -l 'offered a key that is not used' "$I"/mail/*.eml) /dev/null |
    xargs grep -h '^To:' | sed 's/.*<\(.*\)>/\1/' | sort | tr '\n' ' '; }

# 1. an unsigned first report with an Autocrypt key: offered, not pinned
mkmsg 'Rita <rita@example.net>' 'Overflow in the parser' 'details' \
    "Autocrypt: addr=rita@example.net; keydata=$(kd "$RR" "$FR")" >"$I/r1.eml"
deliver "$I/r1.eml"; process
C1=$($A case list --json | jq -r '.[0].id')
is "$(pinned "$FR")" "" "an unsigned report's Autocrypt key is not pinned"
like "$(ev "$C1" key-offered)" "offers pgp key $FR \\(Autocrypt header\\), not pinned" "it is recorded as offered"
unlike "$(cat "$(last_sent)")" 'multipart/encrypted' "the acknowledgement is not encrypted to it"
is "$(told "$FR")" "chen@corp.example wang@corp.example " "the coordinators (the intake's R) are told"

# 2. a forged follow-up "from" Rita, with the attacker's key in Autocrypt,
# signed by that key: it joins by the Subject tag and From only
B=$(printf 'Please use my new key.\n' | R=$RM rgpg --clearsign)
mkmsg 'Rita <rita@example.net>' "Re: [$C1] Overflow in the parser" "$B" \
    "Autocrypt: addr=rita@example.net; keydata=$(kd "$RM" "$FM")" >"$I/f1.eml"
deliver "$I/f1.eml"; process
is "$($A case list --json | jq length)" 1 "the forged follow-up joins the case"
is "$(pinned "$FM")" "" "its key, though it signed the mail, is not pinned"
like "$(ev "$C1" key-offered)" "offers pgp key $FM" "recorded as offered"
sed "s/^Message-ID: <\(.*\)>/Message-ID: <again.\1>/" "$I/f1.eml" >"$I/f2.eml"
deliver "$I/f2.eml"; process
is "$(told "$FM")" "chen@corp.example wang@corp.example " \
    "offered again: the coordinators are not told again (one mail each)"
$A case set "$C1" status=triaged 2>>"$I/agent.log"
$A case set "$C1" status=confirmed 2>>"$I/agent.log"
process
M=$(grep -l '^To: .*rita@example.net' "$I"/mail/*.eml | xargs grep -l 'Confirmed' | tail -n 1)
ok $([ -n "$M" ]; echo $?) "a status reply goes to Rita"
unlike "$(cat "$M")" 'multipart/encrypted' "... not encrypted to the attacker's key"

# 3. a member's signed "#pin" makes Rita's offered key hers
B=$(printf '#pin %s\n\n> [%s] Overflow in the parser\n' "$FR" "$C1" | R=$RL rgpg --clearsign)
mkmsg 'Lin <lin@corp.example>' "Re: [$C1] work" "$B" >"$I/p1.eml"
deliver "$I/p1.eml"; process
is "$(pinned "$FR")" rita@example.net "#pin FINGERPRINT in a member's signed mail pins the key"
like "$(ev "$C1" key-pinned)" "pgp key $FR pinned for rita@example.net by lin@corp.example" "recorded, with the member"
B=$(printf '#pin %s\n\n> [%s] Overflow in the parser\n' "$FN" "$C1" | R=$RL rgpg --clearsign)
mkmsg 'Lin <lin@corp.example>' "Re: [$C1] work" "$B" >"$I/p2.eml"
deliver "$I/p2.eml"; process
like "$(ev "$C1" command-refused)" "#pin: no OpenPGP key or certificate $FN with the reporter's address" \
    "#pin of a key without the reporter's address: refused"

# 4. a signed first report with its key in Autocrypt: pinned
B=$(printf 'A bug in the updater.\n' | R=$RN rgpg --clearsign)
mkmsg 'Nora <nora@example.net>' 'Updater bug' "$B" \
    "Autocrypt: addr=nora@example.net; keydata=$(kd "$RN" "$FN")" >"$I/n1.eml"
deliver "$I/n1.eml"; process
C2=$($A case list --json | jq -r '[.[].id] | sort | .[-1]')
is "$(pinned "$FN")" nora@example.net "a first report signed by the key it offers: the key is pinned"
like "$(ev "$C2" key-learned)" "pgp key $FN pinned for nora@example.net" "recorded as learnt"

# 5. a first report, PGP/MIME-signed, with the signer's key attached (no
# Autocrypt, a key the agent never saw): the signature is checked again
# with the attached key, and proves it
{
	printf 'Content-Type: multipart/mixed; boundary="in"\r\n\r\n--in\r\n'
	printf 'Content-Type: text/plain\r\n\r\nA bug in the installer.\r\n--in\r\n'
	printf 'Content-Type: application/pgp-keys; name="omar.asc"\r\n'
	printf 'Content-Disposition: attachment; filename="omar.asc"\r\n\r\n'
	R=$RO rgpg --armor --export "$FO" | sed 's/$/\r/'
	printf -- '--in--\r\n'
} >"$I/o.part"
{
	printf 'From: Omar <omar@example.net>\nTo: security@example.org\nSubject: Installer bug\n'
	printf 'Date: Sun, 22 Nov 2026 10:00:00 +0000\nMessage-ID: <omar1@example.net>\nMIME-Version: 1.0\n'
	printf 'Content-Type: multipart/signed; protocol="application/pgp-signature"; micalg=pgp-sha512; boundary="s1"\n\n--s1\n'
	cat "$I/o.part"
	printf -- '\n--s1\nContent-Type: application/pgp-signature\n\n'
	R=$RO rgpg --armor --detach-sign --local-user "$FO" --digest-algo SHA512 <"$I/o.part"
	printf -- '--s1--\n'
} >"$I/o1.eml"
deliver "$I/o1.eml"; process
C3=$($A case list --json | jq -r '[.[].id] | sort | .[-1]')
is "$(pinned "$FO")" omar@example.net "a first report signed by the key it attaches: the key is pinned"
like "$(ev "$C3" key-learned)" "pgp key $FO pinned for omar@example.net \\(attached key\\)" "recorded as learnt from the attachment"
is "$($A case show "$C3" --json | jq -r '.messages[0].signature.status')" valid "the signature is valid"
like "$($A audit verify)" 'intact' "the record is intact"
done_testing
