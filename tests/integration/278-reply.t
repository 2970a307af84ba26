#!/bin/sh
# Staff answer reporters in their own words by signed mail: #reply sends
# the text below the command lines (quoted text, the signature and what
# follows "#internal" left out) to the reporter, encrypted to their
# pinned key, threaded to their last message, kept sealed on the case;
# #reply ADDRESS goes to another address only as the TLP allows; #ask
# does the same and the case waits for the reporter (clocks paused)
# until they answer; unanswered, a reminder, then the case's R is told.
# Real keys for two members, an outsider and two reporters.
. "$top_srcdir/tests/lib/lib.sh"
need jq gpg gpgconf
mk_instance --generate-keys || { echo "Bail out! init failed"; exit 1; }
P=$I/inst/policies/psirt.policy
gpg_person 'Lin <lin@corp.example>' lin@corp.example; RL=$R; FL=$RFPR
gpg_person 'Huang <huang@corp.example>' huang@corp.example; RH=$R; FH=$RFPR
gpg_person 'Eve <eve@example.org>' eve@example.org; RE=$R; FE=$RFPR
gpg_person 'Rita <rita@example.net>' rita@example.net; RR=$R; FR=$RFPR
for h in $RL $RH $RE; do
	R=$h rgpg --armor --export >"$I/k.asc"
	$A key import "$I/k.asc" >/dev/null 2>>"$I/agent.log"
done
echo 'refusal-limit 100 per hour' >>"$P"
sed -i "s/^member psirt-lead \"Lin Mei-hua\" lin@corp.example\$/& pgp $FL/; s/^member analyst \"Huang Chih-ming\" huang@corp.example\$/& pgp $FH/" "$P"
like "$($A policy check)" 'ok:' "the policy with the staff keys passes"

# the signatures are made now: the ticks below run at times from now
T0=$(date +%s)
tick() { $A tick --now "@$((T0 + $1))" 2>>"$I/agent.log"; }
D=86400
# Rita's report: signed, her key in Autocrypt: pinned
kd() { R=$1 rgpg --export "$2" | base64 -w 0; }
B=$(printf 'The parser overflows on long names.\n' | R=$RR rgpg --clearsign)
mkmsg 'Rita <rita@example.net>' 'Overflow in the parser' "$B" \
    'Message-ID: <rita1@example.net>' \
    "Autocrypt: addr=rita@example.net; keydata=$(kd "$RR" "$FR")" >"$I/r1.eml"
deliver "$I/r1.eml"; process
ID=$($A case list --json | jq -r '.[0].id')
st() { $A case show "$ID" --json | jq -r "$1"; }
is "$($A key list --json | jq -r --arg f "$FR" '.[] | select(.fingerprint == $f) | .pinned_for')" \
    rita@example.net "Rita's key is pinned"

N=0
# staff HOME FROM BODY [case]: a clearsigned mail to the case (HOME "-":
# unsigned), delivered and processed; the mail's file in $SF
staff() {
	N=$((N + 1)); c=${4:-$ID}
	if [ "$1" = - ]; then b=$3; else b=$(printf '%s\n' "$3" | R=$1 rgpg --clearsign); fi
	{ printf 'From: %s\nTo: security@example.org\nSubject: Re: [%s] Overflow\n' "$2" "$c"
	  printf 'Message-ID: <staff%s.%s@corp.example>\n' "$N" "$$"
	  printf '\n%s\n' "$b"; } >"$I/s$N.eml"
	SF=$I/s$N.eml
	deliver "$SF"; process
}
# mail_to ADDR: the newest mail to ADDR; count_to ADDR
mail_to() { grep -l "^To: .*$1" "$I"/mail/*.eml 2>/dev/null | sort | tail -n 1; }
count_to() { grep -l "^To: .*$1" "$I"/mail/*.eml 2>/dev/null | wc -l; }
dec() { R=$1 rgpg --decrypt "$2" 2>/dev/null; }
# signed HOME FILE: the status lines of verifying a multipart/signed
# mail's first part (canonical CRLF, RFC 3156) against its signature
signed() {
	python3 - "$2" "$I/sd" "$I/sd.asc" <<'PY'
import re, sys
t = open(sys.argv[1], 'rb').read().decode('utf-8')
b = re.search(r'boundary="([^"]+)"', t).group(1)
parts = t.split('\n--' + b)
first = parts[1].split('\n', 1)[1]
open(sys.argv[2], 'wb').write(first.replace('\n', '\r\n').encode('utf-8'))
sig = parts[2].split('\n\n', 1)[1]
open(sys.argv[3], 'w').write(sig)
PY
	R=$1 rgpg --status-fd 1 --verify "$I/sd.asc" "$I/sd" 2>/dev/null
}
ev() { st "[.events[] | select(.type == \"$1\") | .detail] | join(\" | \")"; }

# 1. a free-text #reply, with a quote, a signature and an internal note
before=$(count_to rita@example.net)
staff "$RL" 'Lin <lin@corp.example>' "#case $ID
#reply

Thank you, Rita. We reproduced the overflow on version 5.1.

On Mon, 1 Dec 2026, Rita wrote:
> The parser overflows on long names.

#internal
Huang thinks this is CVE-worthy; do not tell her yet.
-- 
Lin Mei-hua, PSIRT lead"
is "$(count_to rita@example.net)" "$((before + 1))" "#reply sends one mail to the reporter"
M=$(mail_to rita@example.net)
like "$(cat "$M")" 'multipart/encrypted' "it is encrypted (her key is pinned)"
like "$(grep -i '^From:' "$M")" 'security@example.org' "from the PSIRT address"
like "$(grep -i '^In-Reply-To:' "$M")" 'rita1@example.net' "threaded to her report"
like "$(grep -i '^Auto-Submitted:' "$M")" ': no' "a person's words: Auto-Submitted: no"
T=$(dec "$RR" "$M")
like "$T" 'We reproduced the overflow on version 5.1' "her key opens it, and it holds the member's words"
PFPR=$(sed -n 's/^psirt_fingerprint = //p' "$C")
gpg --homedir "$I/inst/gnupg" --batch --armor --export "$PFPR" 2>/dev/null | R=$RR rgpg --import 2>/dev/null
like "$(R=$RR rgpg --status-fd 1 --decrypt "$M" 2>/dev/null)" "VALIDSIG $PFPR" "and it is signed by the PSIRT key"
unlike "$T" 'overflows on long names' "the quoted text is not sent"
unlike "$T" 'On Mon, 1 Dec 2026, Rita wrote' "nor the attribution line"
unlike "$T" 'CVE-worthy' "nor the internal note"
unlike "$T" 'Lin Mei-hua, PSIRT lead' "nor the member's signature (reply-from team)"
like "$T" "\\[$ID\\]" "the case's tag is in it"
is "$(st '[.messages[] | select(.direction == "out" and .kind == "reply")] | length')" 1 \
    "the reply is kept on the case as an outgoing message"
like "$(st '[.messages[] | select(.kind == "reply") | .text] | join("")')" 'We reproduced the overflow' \
    "case show gives its text (sealed at rest, opened for the reader)"
unlike "$(cat "$I"/inst/spool/vault/* 2>/dev/null)" 'We reproduced the overflow' "the vault holds it sealed"
like "$(ev reply-sent)" 'reply to rita@example.net, encrypted with pgp' "an event records it"
is "$(st '.status')" new "a #reply alone changes no status"

# 2. refused: a non-member, an unsigned mail, a forged member, no text
before=$(count_to rita@example.net)
nc=$($A case list --json | jq length)
staff "$RE" 'Eve <eve@example.org>' "#case $ID
#reply

Your report is nonsense."
is "$($A case list --json | jq length)" "$((nc + 1))" "an outsider's #reply does not join the case: a new report, linked"
staff - 'Lin <lin@corp.example>' "#case $ID
#reply

Unsigned words."
staff "$RE" 'Lin <lin@corp.example>' "#case $ID
#reply

Forged words."
staff "$RL" 'Lin <lin@corp.example>' "#case $ID
#reply

> only a quote
-- 
Lin"
is "$(count_to rita@example.net)" "$before" "none of them reaches the reporter"
like "$(ev command-refused)" 'not signed' "the unsigned mail is refused"
like "$(ev command-refused)" 'not signed with the key the policy lists' "the forged one is refused"
like "$(ev command-refused)" '#reply: no text to send' "a #reply without words is refused"
like "$(cat "$(mail_to lin@corp.example)")" 'no text to send' "the member is told why"

# 3. #ask: the case waits, its clocks stop; her answer resumes them
staff "$RL" 'Lin <lin@corp.example>' "#case $ID
#status triaged"
staff "$RL" 'Lin <lin@corp.example>' "#case $ID
#ask

We cannot reproduce it on 5.2. Could you send the exact input file?"
is "$(st '.status')" waiting-reporter "#ask moves the case to waiting-reporter"
is "$(st '[.deadlines[] | select(.state == "running")] | length')" 0 "no clock runs while it waits"
T=$(dec "$RR" "$(mail_to rita@example.net)")
like "$T" 'Could you send the exact input file' "the question reaches her, encrypted"
like "$(ev question-sent)" 'question to rita@example.net' "recorded"
# an answer from another address does not join (it is a new report,
# linked): the case keeps waiting
nc=$($A case list --json | jq length)
mkmsg 'Rita <rita@other.example>' "Re: [$ID] Question about your report" 'Here it is, from my other address.' >"$I/r2o.eml"
deliver "$I/r2o.eml"; process
is "$($A case list --json | jq length)" "$((nc + 1))" "an answer from another address is a new report, not a join"
is "$(st '.status')" waiting-reporter "and the case still waits"
B=$(printf 'Here is the file: AAAA...\n' | R=$RR rgpg --clearsign)
mkmsg 'Rita <rita@example.net>' "Re: [$ID] Question about your report" "$B" \
    "In-Reply-To: <$(st '[.messages[] | select(.kind == "ask")] | last | .message_id')>" >"$I/r2.eml"
deliver "$I/r2.eml"; process
is "$(st '.status')" triaged "her answer returns the case to its status before the question"
like "$(ev question-answered)" 'answered the question of lin@corp.example' "recorded"
is "$(st '[.deadlines[] | select(.state == "paused")] | length')" 0 "no clock stays paused"

# 4. unanswered: one reminder after ask-wait (7 days), then the R told
staff "$RL" 'Lin <lin@corp.example>' "#case $ID
#ask

Which firmware build do you run?"
before=$(count_to rita@example.net)
tick $((3 * D))
is "$(count_to rita@example.net)" "$before" "no reminder before ask-wait"
tick $((7 * D + 3600))
is "$(count_to rita@example.net)" "$((before + 1))" "a reminder after ask-wait"
T=$(dec "$RR" "$(mail_to rita@example.net)")
like "$T" '> .*Which firmware build' "it quotes the question"
tick $((8 * D))
is "$(count_to rita@example.net)" "$((before + 1))" "only one reminder"
# (only these notices counted: the other cases' deadline reminders reach
# him too, held or not by quiet hours depending on when the test runs)
unanswered() { grep -l "^Subject: \[$ID\] question-unanswered" $(grep -l "^To: .*huang@corp.example" "$I"/mail/*.eml) /dev/null | sort; }
tick $((14 * D + 7200))
is "$(unanswered | wc -l)" 1 "twice ask-wait: the R of the case's task (triage: analysts) is told"
like "$(dec "$RH" "$(unanswered | tail -n 1)")" 'has not answered our question' "the notice (encrypted to his key) says why"
tick $((15 * D))
is "$(unanswered | wc -l)" 1 "and only once"
is "$(st '.status')" waiting-reporter "the case still waits"

# 5. other recipients: as the TLP allows; held for review otherwise
staff "$RL" 'Lin <lin@corp.example>' "#case $ID
#status triaged
#tlp CLEAR
#reply vendor@supplier.example

Our reporter found an overflow in your parser library."
M=$(mail_to vendor@supplier.example)
like "$(cat "$M")" 'Our reporter found an overflow' "TLP:CLEAR: the vendor gets it (no key: in clear)"
like "$(grep -i '^Content-Type:' "$M" | head -1)" 'multipart/signed' "in clear, it is PGP/MIME signed"
like "$(signed "$RR" "$M")" "VALIDSIG $PFPR" "by the PSIRT key (the signature verifies)"
staff "$RL" 'Lin <lin@corp.example>' "#case $ID
#tlp RED
#reply cert@cert.example

Please coordinate."
is "$(count_to cert@cert.example)" 0 "TLP:RED: nothing goes to an address the policy does not name"
like "$(ev held-for-review)" 'reply to cert@cert.example held for review' "it waits for review"
staff "$RL" 'Lin <lin@corp.example>' "#case $ID
#ask cert@cert.example

Why?"
like "$(ev command-refused)" '#ask: a question goes to the reporter alone' "#ask names no other address"
staff "$RL" 'Lin <lin@corp.example>' "#case $ID
#reply not-a-status

words"
like "$(ev command-refused)" '#reply: no status reply "not-a-status"' "an unknown word is refused"

# 6. reply-from member shows the member's name; zh-TW reporters get zh-TW
echo 'reply-from member' >>"$P"
staff "$RL" 'Lin <lin@corp.example>' "#case $ID
#tlp GREEN
#reply

Thank you again."
like "$(grep -i '^From:' "$(mail_to rita@example.net)")" 'Lin Mei-hua.*<security@example.org>' \
    "reply-from member: the member's name, the PSIRT's address"
printf 'ask-wait 0 days\n' >>"$P"
like "$($A policy check 2>&1)" 'ask-wait' "a bad ask-wait is refused with its line"
sed -i '$d' "$P"

# 7. a reporter who wrote encrypted with no key pinned: no reply in clear
mkmsg 'Nora <nora@example.net>' '報告：登入繞過' '我們發現登入頁面可以繞過驗證。' \
    'Content-Type: text/plain; charset=utf-8' 'Content-Transfer-Encoding: 8bit' >"$I/n1.eml"
deliver "$I/n1.eml"; process
ID2=$($A case list --json | jq -r '[.[] | select(.reporter == "nora@example.net")][0].id')
staff "$RL" 'Lin <lin@corp.example>' "#case $ID2
#reply

感謝您的通報，我們正在確認。" "$ID2"
M=$(mail_to nora@example.net)
like "$($A inspect "$M" | jq -r .subject)" "$ID2" "a clear report gets its answer in clear"
like "$($A inspect "$M" | jq -r .text)" '回覆時請保留' "in the case's language (the zh-TW template)"
like "$(signed "$RR" "$M")" "VALIDSIG $PFPR" "8-bit text, signed (base64 inside): the signature verifies"

# 8. a member answers from their own client, the tracker in Cc: kept as
# correspondence sent (outgoing), a person's answer in the KPIs; checked
# after the fact (TLP, clear after an encrypted report)
cc_mail() {	# FROM TO SUBJECT BODY
	N=$((N + 1))
	{ printf 'From: %s
To: %s
Cc: Security <security@example.org>
' "$1" "$2"
	  printf 'Subject: %s
Message-ID: <cc%s.%s@corp.example>

%s
' "$3" "$N" "$$" "$4"; } >"$I/c$N.eml"
	deliver "$I/c$N.eml"; process
}
ID3n=$($A case list --json | jq length)
mkmsg 'Omar <omar@example.net>' 'XSS in the portal' 'The search box reflects input.' >"$I/o1.eml"
deliver "$I/o1.eml"; process
ID3=$($A case list --json | jq -r '[.[] | select(.reporter == "omar@example.net")][0].id')
cc_mail 'Lin <lin@corp.example>' 'Omar <omar@example.net>' "Re: [$ID3] XSS in the portal" \
    'Thanks Omar, we see it too and are fixing it.'
s3() { $A case show "$ID3" --json | jq -r "$1"; }
is "$(s3 '.messages[-1] | "\(.direction) \(.kind) \(.to)"')" "out correspondence omar@example.net" \
    "a member's mail to the reporter, the tracker in Cc: outgoing correspondence, not a note"
like "$(s3 '[.events[] | select(.type == "correspondence") | .detail] | join("")')" 'lin@corp.example wrote to omar@example.net' \
    "an event records it"
like "$($A report --format json | jq -r '.kpis.mean_human_response_seconds')" '^[0-9]+$' \
    "it counts as a person's first answer in the KPIs"
is "$(s3 '[.events[] | select(.type == "correspondence-breach")] | length')" 0 "TLP:CLEAR, a clear report: no breach"
cc_mail 'Lin <lin@corp.example>' 'Vendor <dev@supplier.example>' "[$ID3] portal XSS, please fix" 'See below.'
B=$(printf 'Is it fixed yet?
')
mkmsg 'Dev <dev@supplier.example>' "Re: [$ID3] portal XSS, please fix" "$B" "In-Reply-To: <cc$N.$$@corp.example>" >"$I/v1.eml"
deliver "$I/v1.eml"; process
is "$(s3 '.messages[-1] | "\(.from) \(.kind)"')" "dev@supplier.example followup" \
    "the outsider's answer joins the case (a recipient of the member's mail takes part)"
# a RED case: a member copying us on mail to an outsider breaks it
cb=$(count_to chen@corp.example)
staff "$RL" 'Lin <lin@corp.example>' "#case $ID3
#tlp RED" "$ID3"
cc_mail 'Huang <huang@corp.example>' 'Vendor <dev@supplier.example>' "Re: [$ID3] portal XSS" 'Details: the q parameter.'
like "$(s3 '[.events[] | select(.type == "correspondence-breach") | .detail] | join("")')" 'TLP:RED does not allow dev@supplier.example' \
    "TLP:RED: the mail to the outsider is a breach, recorded"
is "$(count_to chen@corp.example)" "$((cb + 1))" "the coordinator is told at once"
unlike "$(cat "$(mail_to chen@corp.example)")" 'Details: the q parameter' "the notice carries no content (no key for him)"
# clear after an encrypted report
printf 'Content-Type: text/plain; charset=utf-8\n\nSecret: the admin panel has a default password.\n' |
    R=$RR rgpg --armor --encrypt --trust-model always --recipient "$PFPR" >"$I/enc.asc"
{ printf 'From: Rita <rita@example.net>\nTo: security@example.org\nSubject: encrypted\nMessage-ID: <renc@example.net>\n'
  printf 'MIME-Version: 1.0\nContent-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="b1"\n\n'
  printf -- '--b1\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n'
  printf -- '--b1\nContent-Type: application/octet-stream\n\n'; cat "$I/enc.asc"; printf -- '\n--b1--\n'; } >"$I/renc.eml"
deliver "$I/renc.eml"; process
ID4=$($A case list --json | jq -r '[.[] | select(.subject == "encrypted" or (.reporter == "rita@example.net" and .id != "'"$ID"'"))] | last | .id')
is "$($A case show "$ID4" --json | jq -r '.messages[0].encryption')" pgp "the second report came encrypted"
cb=$(count_to chen@corp.example)
cc_mail 'Lin <lin@corp.example>' 'Rita <rita@example.net>' "Re: [$ID4] encrypted" 'About the default password: fixed.'
like "$($A case show "$ID4" --json | jq -r '[.events[] | select(.type == "correspondence-breach") | .detail] | join("")')" \
    'went in clear, and the reporter wrote to the case encrypted' "a clear answer to an encrypted report is a breach"
is "$(count_to chen@corp.example)" "$((cb + 1))" "the coordinator is told"
done_testing
