#!/bin/sh
# Triage from the report itself: CVE, CWE, CVSS (scored), TLP, kind and
# level on the case; severity from the highest CVSS score; probable
# duplicates; hostile input in bounded time; and sender-bound threading:
# a stranger who names a case gets a new one, a participant (or a key
# pinned to one) joins it.
. "$top_srcdir/tests/lib/lib.sh"
need jq gpg gpgconf
mk_instance || { echo "Bail out! init failed"; exit 1; }
show() { $A case show "$1" --json; }
cases() { $A case list --json | jq length; }
ev() { show "$1" | jq -r --arg t "$2" '[.events[] | select(.type == $t) | .detail] | join(" | ")'; }
N=0
# report FROM SUBJECT BODY [headers]: deliver and process; $ID its case
report() {
	N=$((N + 1))
	mkmsg "$@" >"$I/r$N.eml"
	deliver "$I/r$N.eml"; process
	ID=$($A case list --json | jq -r '.[-1].id')
}

# 1. everything stated in one report, some of it in full-width forms
report 'Alice <alice@example.net>' 'RCE in the updater (CVE-2026-12345)' \
"The updater runs unsigned code (CWE-347, see also cwe-787).
Also tracked as ＣＶＥ－２０２６－０００７ by the vendor.
Score: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H and in v4:
AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N.
Handle as TLP:AMBER please.
Old notation: AV:N/AC:L/Au:N/C:P/I:P/A:P (CVSS v2, ignored)."
A1=$ID
J=$(show "$A1")
is "$(printf '%s' "$J" | jq -c .cves)" '["CVE-2026-12345","CVE-2026-0007"]' \
    "cves, the full-width one too"
is "$(printf '%s' "$J" | jq -c .cwes)" '["CWE-347","CWE-787"]' "cwes"
is "$(printf '%s' "$J" | jq -c '[.cvss[] | [.version, .vector, .base_score, .severity]]')" \
    '[["3.1","CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",9.8,"Critical"],["4.0","CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",9.3,"Critical"]]' \
    "cvss: v3.1 and a bare v4.0 vector, scored; the v2 vector ignored"
is "$(printf '%s' "$J" | jq -r .tlp)" AMBER "tlp"
is "$(printf '%s' "$J" | jq -r '.severity + " " + .severity_by')" "critical cvss" \
    "severity from the highest score"
like "$(ev "$A1" facts-added)" 'CVE-2026-12345, CVE-2026-0007, CWE-347, CWE-787, CVSS:3.1/' \
    "the facts are an event"

# 2. a follow-up raises TLP; a bad vector is reported, not taken
report 'Alice <alice@example.net>' "Re: [$A1] more" \
'> TLP:CLEAR (quoted: does not count)
TLP:RED from now on. Also CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/XX:Y'
is "$(cases)" 1 "the reporter's follow-up joins the case"
is "$(show "$A1" | jq -r .tlp)" RED "TLP raised to RED"
like "$(ev "$A1" tlp-set)" 'TLP:RED \(was TLP:AMBER\)' "recorded as an event"
like "$(ev "$A1" triage-warning)" 'unknown metric XX' "an invalid vector: a warning with the reason"
is "$(show "$A1" | jq '.cvss | length')" 2 "and it is not a fact"

# 3. TLP only in quoted text; TLP:WHITE is CLEAR; Kind and Level lines
report 'Bob <bob@example.net>' 'Question' '> TLP:RED
what now?'
is "$(show "$ID" | jq -r .tlp)" null "a TLP label in quoted text does not count"
report 'Bob <bob@example.net>' 'Info TLP:WHITE' 'nothing secret'
is "$(show "$ID" | jq -r .tlp)" CLEAR "TLP:WHITE is read as CLEAR"
report 'Ops <ops@example.net>' 'Server problem' 'Kind: incident
Level: 3
Our web server was defaced.'
is "$(show "$ID" | jq -r '.kind + " " + (.level | tostring)')" "incident 3" \
    "Kind: and Level: lines set kind and incident level"
report 'Ops <ops@example.net>' '資安事件通報' '事件等級：２
網站遭到入侵。'
is "$(show "$ID" | jq -r '.kind + " " + (.level | tostring)')" "incident 2" \
    "zh-TW 事件等級 with a full-width colon and digit"

# 4. severity by the policy's bands, and raised by a follow-up
report 'Carol <carol@example.net>' 'XSS' 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N'
C1=$ID
is "$(show "$C1" | jq -r '.severity + " " + (.cvss[0].base_score | tostring)')" "medium 5.4" \
    "5.4 is medium"
report 'Carol <carol@example.net>' "Re: [$C1] worse" 'Stored, admin: CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:N'
is "$(show "$C1" | jq -r .severity)" critical "a higher score raises the severity"
like "$(ev "$C1" severity-set)" 'critical \(was medium\), from CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:N \(9.3\)' \
    "with the vector it came from"

# 5. a report naming a CVE an open case has: linked as a probable duplicate
report 'Dave <dave@example.net>' 'Updater flaw' 'Looks like CVE-2026-12345 again'
D1=$ID
is "$(show "$D1" | jq -c '[.related[] | [.id, .how]]')" "[[\"$A1\",\"probable duplicate (CVE-2026-12345)\"]]" \
    "the new case is linked to the case with the same CVE"
is "$(show "$A1" | jq -r '[.related[].id] | join(",")')" "$D1" "and the other way"
like "$(ev "$A1" probable-duplicate)" "$D1 names CVE-2026-12345" "the first case is told"
DN=$(grep -l "^Subject: \\[$D1\\] probable duplicate of $A1" "$I"/mail/*.eml | xargs grep -h '^To:' | sed 's/.*<\(.*\)>/\1/' | sort | tr '\n' ' ')
is "$DN" "anna@corp.example huang@corp.example lin@corp.example " \
    "the triage task's R and A are told by mail"
unlike "$(cat $(grep -l "^Subject: \\[$D1\\] probable duplicate" "$I"/mail/*.eml))" 'CVE-2026-12345' \
    "without the CVE ID in clear"
like "$(ev "$D1" duplicate-notice)" 'duplicate-notice to Lin Mei-hua <lin@corp.example>' "each mail an event"

# 5a. case merge: Dave's case into Alice's; its ID keeps working
nin() { show "$1" | jq '[.messages[] | select(.direction == "in")] | length'; }
before=$(nin "$A1")
is "$($A case merge "$A1" "$D1" 2>>"$I/agent.log")" "$D1 merged into $A1" "case merge INTO FROM"
is "$(show "$D1" | jq -r .id)" "$A1" "the merged case's ID shows the case it is in"
is "$(nin "$A1")" $((before + 1)) "its report is in the other case"
is "$($A case list --json | jq -r --arg d "$D1" '.[] | select(.id == $d) | .status')" merged \
    "the merged case is listed as merged"
like "$(ev "$A1" case-merged)" "$D1 merged into $A1" "an event on the case"
like "$(ev "$A1" case-opened)" 'dave@example.net' "with the merged case's history"
report 'Dave <dave@example.net>' "Re: [$D1] more" 'another detail'
is "$(nin "$A1")" $((before + 2)) "a follow-up to the merged case's tag joins the case it is in"
$A case merge "$A1" "$D1" 2>"$I/err"
is "$?" 65 "merging a case into itself again: exit 65"
like "$(cat "$I/err")" 'that is one case already' "... and says why"

# 5b. classification rules of the policy; a probable duplicate by
# product and CWE; a rule on the address written to
cat >>"$I/inst/policies/psirt.policy" <<'EOP'
match any /\bAR-?\d{3}\b|ACME Router/i product "ACME Router" origin own tag "network" assign "psirt-lead"
match text /firmware/i module "firmware"
match to /^security\+incident@/ kind incident tag "incident-alias"
EOP
report 'Fay <fay@example.net>' 'AR-200 overflow' 'The firmware parser overflows (CWE-787).'
F1=$ID
is "$(show "$F1" | jq -c '[.product, .origin, .module, .tags, .assigned]')" \
    '["ACME Router","own","firmware",["network"],["psirt-lead"]]' \
    "policy rules set product, origin, module, tags and assignment"
like "$(ev "$F1" classified)" 'product ACME Router, module firmware, origin own, tag network, assign psirt-lead' \
    "recorded as a classified event"
report 'Gus <gus@example.net>' 'ACME Router crash' 'Out-of-bounds write, CWE-787.'
is "$(show "$ID" | jq -c '[.related[] | [.id, .how]]')" "[[\"$F1\",\"probable duplicate (CWE-787 in ACME Router)\"]]" \
    "the same product and CWE: a probable duplicate"
N=$((N + 1))
mkmsg 'Hal <hal@example.net>' 'Servers down' 'We see strange processes.' >"$I/r$N.eml"
deliver "$I/r$N.eml" -r security+incident@example.org; process
ID=$($A case list --json | jq -r '.[-1].id')
is "$(show "$ID" | jq -c '[.kind, .tags]')" '["incident",["incident-alias"]]' \
    "a rule on the address written to (the envelope recipient)"

# 6. hostile input: 10 000 CVE IDs, long runs that tempt backtracking
i=0; : >"$I/many.txt"
while [ $i -lt 10000 ]; do printf 'CVE-2025-%05d ' $i >>"$I/many.txt"; i=$((i + 1)); done
printf 'AV:N/%.0s' $(seq 3000) >>"$I/many.txt"
printf 'CVSS:3.1/%.0s' $(seq 3000) >>"$I/many.txt"
printf 'CWE-%.0s' $(seq 3000) >>"$I/many.txt"
t0=$(date +%s)
report 'Eve <eve@example.net>' 'many' "$(cat "$I/many.txt")"
t1=$(date +%s)
is "$(show "$ID" | jq '.cves | length')" 100 "10 000 CVE IDs: the first 100 kept (triage_items_limit)"
like "$(ev "$ID" triage-warning)" 'more than 100 CVE IDs named; the first 100 kept, the rest not read' "the scan stops at the limit"
diag "processed in $((t1 - t0)) s (bench/triage measures it)"

# 7. sender-bound threading
S0=$(sent_count)
report 'Mallory <mallory@example.com>' "Re: [$A1] status?" 'Any news?'
M1=$ID
ok $([ "$M1" != "$A1" ]; echo $?) "a stranger naming a case gets a new case ($M1)"
is "$(show "$M1" | jq -c '[.related[] | [.id, .how]]')" "[[\"$A1\",\"named by a non-participant\"]]" \
    "linked to the case it named"
like "$(ev "$A1" named-by-stranger)" "from mallory@example.com named $A1" "the named case is told"
is "$(show "$A1" | jq '[.messages[] | select(.from == "mallory@example.com")] | length')" 0 \
    "nothing of the stranger's mail is in the named case"
ACK=$(last_sent)
is "$(sent_count)" $((S0 + 1)) "the stranger gets an acknowledgement"
like "$(grep '^Subject:' "$ACK")" "\\[$M1\\]" "for the new case"
unlike "$(cat "$ACK")" 'updater|RCE|[Aa]lice|CVE' "saying nothing of the named case"
# In-Reply-To our reply to Alice, from someone else: also a new case
AMID=$(show "$A1" | jq -r '[.messages[] | select(.direction == "out")][0].message_id')
report 'Mallory <mallory@example.com>' 'Re: your mail' 'hello' "In-Reply-To: <$AMID>"
ok $([ "$ID" != "$A1" ] && [ "$ID" != "$M1" ]; echo $?) "In-Reply-To from a stranger: a new case too"
M2=$ID
# a participant: the address an earlier message came from
before=$(nin "$A1")
report 'Alice <alice@example.net>' 'Re: thanks' 'ok' "In-Reply-To: <$AMID>"
is "$ID" "$M2" "(no new case for the participant)"
is "$(nin "$A1")" $((before + 1)) "the reporter's reply by In-Reply-To joins her case"

# a key pinned to a participant: signed mail from another address joins
gpg_person 'Alice <alice@example.net>' alice@example.net
AFPR=$RFPR
rgpg --armor --export "$AFPR" >"$I/alice.asc"
$A key import "$I/alice.asc" >/dev/null 2>>"$I/agent.log"
$A key pin alice@example.net "$AFPR" >/dev/null 2>>"$I/agent.log"
signed() {	# signed FROM SUBJECT: a clearsigned report by Alice's key
	N=$((N + 1))
	printf 'more details from my other address\n' | rgpg --clearsign >"$I/body$N"
	mkmsg "$1" "$2" "$(cat "$I/body$N")" >"$I/r$N.eml"
	deliver "$I/r$N.eml"; process
	ID=$($A case list --json | jq -r '.[-1].id')
}
n0=$(cases)
signed 'Alice <alice@home.example>' "Re: [$A1] from home"
is "$(cases)" "$n0" "signed by the key pinned to the reporter, from another address: joins"
is "$(show "$A1" | jq -r '.messages[-1].from')" alice@home.example "the message is in her case"
sqlite3 "$I/inst/psirt.db" "UPDATE key_pins SET fingerprint = '00' WHERE addr = 'alice@example.net'"
signed 'Alice <alice@work.example>' "Re: [$A1] from work"
is "$(cases)" $((n0 + 1)) "the same signature once the pin is another key: a new case"

# 8. per-case reply addresses: the address is the capability
printf 'case_reply_addresses = yes\n' >>"$C"
report 'Ivy <ivy@example.net>' 'Token test' 'a report'
IV=$ID
RT=$(sed -n 's/^Reply-To: //p' "$(last_sent)")
like "$RT" '^security\+[0-9a-f]{24}@example\.org$' "the acknowledgement's Reply-To is the case's own address"
N=$((N + 1))
mkmsg 'Zed <zed@example.com>' 'from a colleague of Ivy' 'more' >"$I/r$N.eml"
deliver "$I/r$N.eml" -r "$RT"; process
is "$($A case list --json | jq -r '.[-1].id') $(show "$IV" | jq -r '.messages[-1].from')" "$IV zed@example.com" \
    "mail to that address joins the case, whoever sends it"
like "$(ev "$IV" message-added)" "by the case's reply address" "and says how"
N=$((N + 1))
mkmsg 'Zed <zed@example.com>' 'by To only' 'x' "Cc: Ivy's case <$RT>" >"$I/r$N.eml"
deliver "$I/r$N.eml"; process
is "$(show "$IV" | jq -r '.messages[-1].subject')" "by To only" "the address in Cc (mail taken by poll has no envelope) works too"
# the same address with the token's first digit changed
d=$(printf '%s' "$RT" | sed 's/.*+\(.\).*/\1/'); [ "$d" = 0 ] && d=1 || d=0
BAD=$(printf '%s' "$RT" | sed "s/+./+$d/")
N=$((N + 1))
mkmsg 'Zed <zed@example.com>' 'wrong token' 'x' >"$I/r$N.eml"
n0=$(cases)
deliver "$I/r$N.eml" -r "$BAD"; process
is "$(cases)" $((n0 + 1)) "a wrong token: a new case"
done_testing
