#!/bin/sh
# Charset labels that are unknown or lie (issue 21 items 1 and 6): the
# text is read as its writer meant it (charset.h's order: UTF-8, the
# message's charsets, the CJK charsets of the policy's `languages`,
# windows-1252), the case and the acknowledgement show it in UTF-8,
# and the message's warnings say which label was unknown or did not
# fit and what was used.
. "$top_srcdir/tests/lib/lib.sh"
need jq base64
mk_instance || { echo "Bail out! init failed"; exit 1; }
notices_off
W=$I/w
mkdir -p "$W"

# raw: FROM SUBJECT CONTENT-TYPE BODY-BYTES (printf escapes) > file
raw() {
	printf 'From: %s\nTo: security@example.org\nSubject: %s\n' "$1" "$2"
	printf 'Date: Mon, 07 Dec 2026 10:00:00 +0000\n'
	printf 'Message-ID: <%s.%s@example.net>\nMIME-Version: 1.0\n' \
	    "$(date +%s%N)" "$$"
	printf 'Content-Type: %s\nContent-Transfer-Encoding: 8bit\n\n' "$3"
	# shellcheck disable=SC2059
	printf "$4\n"
}
# b64 PRINTF-BYTES: their base64, for an encoded-word
b64() {
	# shellcheck disable=SC2059
	printf "$1" | base64 | tr -d '\n'
}
lastcase() { $A case list --json | jq -r '.[-1].id' | xargs $A case show --json; }
# ack_is SUBJECT: the last acknowledgement's Subject is "[ID] Re: SUBJECT"
# for the case in $S
ack_is() {
	is "$(ack_subject "$(last_sent)")" \
	    "[$(printf '%s' "$S" | jq -r '.id')] Re: $1" \
	    "the acknowledgement's Subject in UTF-8: $1"
}
# ack_subject FILE: the Subject of a sent mail, its encoded-words decoded
ack_subject() {
	awk '/^Subject:/ { s = $0; f = 1; next }
	    f && /^[ \t]/ { s = s $0; next } { f = 0 } END { print s }' "$1" |
	    sed 's/^Subject: *//' | sed 's/?= *=?/?=\n=?/g' | while IFS= read -r w; do
		case $w in
		=\?[Uu][Tt][Ff]-8\?[Bb]\?*)
			printf '%s' "$w" | sed 's/^=?[^?]*?[Bb]?//; s/?=.*$//' |
			    base64 -d ;;
		*) printf '%s' "$w" ;;
		esac
	done
}

# 漏洞報告：緩衝區溢位 in Big5, 内存不足 in GB2312
BIG5='\272\174\254\175\263\370\247\151\241\107\275\167\275\304\260\317\267\270\246\354'
GB='\304\332\264\346\262\273\327\343'
REPORT='漏洞報告：緩衝區溢位'

# 1. the Subject an encoded-word with an unknown label; Big5 body
#    labelled iso-8859-1 (the policy: languages "en" "zh-TW")
raw 'Wang <wang@example.net>' "=?x-big5-unknown?B?$(b64 "$BIG5")?=" \
    'text/plain; charset=iso-8859-1' "$BIG5 (CVE-2026-0001)" >"$W/m1.eml"
deliver "$W/m1.eml"
process
S=$(lastcase)
is "$(printf '%s' "$S" | jq -r '.subject')" "$REPORT" \
    "unknown label in an encoded-word: the subject read as Big5"
is "$(printf '%s' "$S" | jq -r '.messages[0].text')" \
    "$REPORT (CVE-2026-0001)" "Big5 body labelled iso-8859-1 read as Big5"
W1=$(printf '%s' "$S" | jq -r '.messages[0].warnings')
like "$W1" 'charset: label "x-big5-unknown" unknown, read as Big5' \
    "warning: the unknown label and what was used"
like "$W1" 'charset: bytes do not fit "iso-8859-1", read as Big5' \
    "warning: the label that did not fit and what was used"
ack_is "$REPORT"
like "$($A case show "$(printf '%s' "$S" | jq -r '.id')")" "$REPORT" \
    "case show (text) shows it too"

# 2. windows-1252 labelled UTF-8; "résumé" is no Big5 (E9 73 is a pair)
raw 'Jean <jean@example.net>' 'buffer overflow in r=?utf-8?q?=E9sum=E9?=' \
    'text/plain; charset=utf-8' 'Le r\351sum\351 du probl\350me : d\351passement de tampon' >"$W/m2.eml"
deliver "$W/m2.eml"
process
S=$(lastcase)
is "$(printf '%s' "$S" | jq -r '.subject')" "buffer overflow in résumé" \
    "windows-1252 in a UTF-8 encoded-word read as windows-1252"
is "$(printf '%s' "$S" | jq -r '.messages[0].text')" \
    "Le résumé du problème : dépassement de tampon" \
    "windows-1252 body labelled utf-8 read as windows-1252"
like "$(printf '%s' "$S" | jq -r '.messages[0].warnings')" \
    'charset: bytes do not fit "utf-8", read as windows-1252' \
    "warning: utf-8 did not fit, windows-1252 used"

# 3. UTF-8 labelled latin-1, and raw UTF-8 in the Subject
raw 'Jan <jan@example.net>' 'Schwachstelle in der Größe-Berechnung' \
    'text/plain; charset="latin1"' 'Die Größe wird falsch berechnet.' >"$W/m3.eml"
deliver "$W/m3.eml"
process
S=$(lastcase)
is "$(printf '%s' "$S" | jq -r '.subject')" \
    "Schwachstelle in der Größe-Berechnung" "raw UTF-8 Subject read as UTF-8"
is "$(printf '%s' "$S" | jq -r '.messages[0].text')" \
    "Die Größe wird falsch berechnet." "UTF-8 body labelled latin1 read as UTF-8"
is "$(printf '%s' "$S" | jq -r '.messages[0].warnings')" \
    'charset: bytes do not fit "latin1", read as UTF-8' \
    "warning: latin1 did not fit, UTF-8 used (and nothing else)"
ack_is "Schwachstelle in der Größe-Berechnung"

# 4. labels that fit are kept, with no warning
raw 'Ana <ana@example.net>' '=?iso-8859-1?q?Vulnerabilidad_cr=EDtica?=' \
    'text/plain; charset=iso-8859-1' 'Se ha encontrado una vulnerabilidad cr\355tica.' >"$W/m4.eml"
deliver "$W/m4.eml"
process
S=$(lastcase)
is "$(printf '%s' "$S" | jq -r '.subject')" "Vulnerabilidad crítica" \
    "a Latin-1 label on Latin-1 text is kept"
is "$(printf '%s' "$S" | jq -r '.messages[0].warnings')" null \
    "no warning when the labels fit"

# 5. the same GB2312 bytes under an unknown label: the policy's
#    languages decide; "en" "zh-TW" reads them as Big5 ...
raw 'Li <li@example.net>' "=?x-gb-unknown?B?$(b64 "$GB")?=" \
    'text/plain; charset=utf-8' 'see the subject' >"$W/m5.eml"
deliver "$W/m5.eml"
process
S=$(lastcase)
is "$(printf '%s' "$S" | jq -r '.subject')" "囀湔祥逋" \
    "languages en, zh-TW: the ambiguous bytes read as Big5"
like "$(printf '%s' "$S" | jq -r '.messages[0].warnings')" \
    'charset: label "x-gb-unknown" unknown, read as Big5' "warning names Big5"

# ... and a policy with "zh-CN" first reads them as GB18030
P=$I/inst/policies
for f in "$P"/templates/*.en.txt; do
	cp "$f" "${f%.en.txt}.zh-CN.txt"
done
sed -i 's/^languages .*/languages "zh-CN" "en" "zh-TW"/' "$P/psirt.policy"
$A policy check >/dev/null
is $? 0 "policy with languages zh-CN, en, zh-TW loads"
sed 's/<[0-9]*\./<again./' "$W/m5.eml" >"$W/m6.eml"
deliver "$W/m6.eml"
process
S=$(lastcase)
is "$(printf '%s' "$S" | jq -r '.subject')" "内存不足" \
    "languages zh-CN first: the same bytes read as GB18030"
like "$(printf '%s' "$S" | jq -r '.messages[0].warnings')" \
    'charset: label "x-gb-unknown" unknown, read as GB18030' \
    "warning names GB18030"
ack_is "内存不足"
# a Big5 body labelled iso-8859-1 is still Big5 under zh-CN first
sed 's/<[0-9]*\./<again./' "$W/m1.eml" >"$W/m7.eml"
deliver "$W/m7.eml"
process
S=$(lastcase)
is "$(printf '%s' "$S" | jq -r '.messages[0].text')" \
    "$REPORT (CVE-2026-0001)" "Big5 body read as Big5 with zh-CN first too"
done_testing
