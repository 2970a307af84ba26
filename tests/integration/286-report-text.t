#!/bin/sh
# The report's text wherever people put it (parsers/mime.c choose_text,
# parsers/bodytext.c): a blank or "see attached" body gives way to the
# text files attached (.txt, .md, a .log sent as octet-stream, a Big5
# file in its charset); a message forwarded inside a forwarded one
# (message/rfc822 twice, or inline) is read down to the innermost; a
# blank plain alternative gives way to its HTML part. Triage (the case's
# facts), search and `case show` see that text, and the message says
# where it came from (text_source). A real body beside a file keeps the
# body; a PDF, or a .log of NUL bytes, is never text.
. "$top_srcdir/tests/lib/lib.sh"
need jq iconv base64 gpg gpgconf
mk_instance || { echo "Bail out! init failed"; exit 1; }
N=0
# send: deliver and process the message in $I/in.eml; $ID is its case
send() {
	N=$((N + 1))
	mv "$I/in.eml" "$I/m$N.eml"
	deliver "$I/m$N.eml"; process
	ID=$($A case list --json | jq -r '.[-1].id')
}
show() { $A case show "$ID" --json; }
msg() { show | jq -r ".messages[0].$1"; }
# mhead FROM SUBJECT ID [multipart subtype]: a message's header (the
# parts' boundary is B)
mhead() {
	printf 'From: %s\nTo: security@example.org\nSubject: %s\n' "$1" "$2"
	printf 'Message-ID: <%s>\n' "$3"
	[ -z "${4:-}" ] ||
	    printf 'MIME-Version: 1.0\nContent-Type: multipart/%s; boundary="B"\n' "$4"
	echo
}
# part TYPE [FILE [ENCODING]]: the header of a part, an attached FILE
part() {
	printf -- '--B\nContent-Type: %s' "$1"
	[ -z "${2:-}" ] ||
	    printf '; name="%s"\nContent-Disposition: attachment; filename="%s"' "$2" "$2"
	printf '\n'
	[ -z "${3:-}" ] || printf 'Content-Transfer-Encoding: %s\n' "$3"
	echo
}
VEC=CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H

# 1. an empty body, the report in report.txt
{ mhead 'Rita <rita@example.net>' 'vulnerability report' t1@example.net mixed
  part 'text/plain; charset=utf-8'; printf '\n\n'
  part 'text/plain; charset=utf-8' report.txt
  printf 'Heap overflow in the quokkafile parser, CVE-2026-4101.\nScore: %s\n--B--\n' "$VEC"
} >"$I/in.eml"; send
C1=$ID
is "$(msg text_source)" "attachment report.txt" "empty body: the text is report.txt's"
like "$(msg text)" '^Heap overflow in the quokkafile parser' "... without a separator line for one file"
is "$(show | jq -c .cves)" '["CVE-2026-4101"]' "triage read the CVE in the file"
is "$(show | jq -r '.cvss[0].vector + " " + (.cvss[0].base_score | tostring)')" "$VEC 9.8" \
    "... and its CVSS vector, scored"
is "$(show | jq -r '.messages[0].attachments[0].name')" report.txt "report.txt is still an attachment"
like "$($A case show "$ID")" 'Text from: attachment report\.txt' "the case view says where the text is from"
is "$($A case search quokkafile --json | jq -r '.[].id')" "$C1" \
    "case search finds a word that only the file holds"

# 2. "see attached" and report.md (text/markdown): the note is kept
{ mhead 'Bob <bob@example.com>' details t2@example.com mixed
  part text/plain; printf 'Hi, please see the attachment.\n'
  part text/markdown report.md
  printf '# Auth bypass\nThe login skips the password check: CVE-2026-4102.\n--B--\n'
} >"$I/in.eml"; send
is "$(msg text_source)" "attachment report.md" "\"please see the attachment\": report.md is the text"
like "$(msg text | tr '\n' '|')" '^Hi, please see the attachment\.\|\|----- attachment report\.md -----\|\|# Auth bypass\|' \
    "the note, a line naming the file, the file"
is "$(show | jq -c .cves)" '["CVE-2026-4102"]' "the CVE in report.md"

# 3. a .log sent as application/octet-stream, base64
{ mhead 'Carol <carol@example.org>' crash t3@example.org mixed
  part text/plain; printf 'details attached\n'
  part application/octet-stream crash.log base64
  printf 'panic: use after free in session_close (CVE-2026-4103)\n' | base64
  echo --B--
} >"$I/in.eml"; send
is "$(msg text_source)" "attachment crash.log" "a .log as application/octet-stream is text"
like "$(msg text)" 'panic: use after free in session_close' "decoded from base64"
is "$(show | jq -c .cves)" '["CVE-2026-4103"]' "its CVE"

# 4. forwarded twice as message/rfc822, the report innermost
{ mhead 'Triage <triage@partner.example>' 'Fwd: Fwd: SQL injection' \
    t4@partner.example mixed
  part text/plain; printf 'FYI, from our helpdesk.\n'
  part message/rfc822
  cat <<'EOF'
From: Helpdesk <helpdesk@partner.example>
To: triage@partner.example
Subject: Fwd: SQL injection
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="i4"

--i4
Content-Type: text/plain


--i4
Content-Type: message/rfc822

From: Dan <dan@example.net>
To: helpdesk@partner.example
Subject: SQL injection
Content-Type: text/plain; charset=utf-8

SQL injection in /search?q= (CVE-2026-4104), found with a wombat probe.
--i4--
--B--
EOF
} >"$I/in.eml"; send
is "$(msg text_source)" "forwarded message (depth 2)" "message/rfc822 in message/rfc822: read to the innermost"
like "$(msg text | tr '\n' '|')" '^FYI, from our helpdesk\.\|\|----- forwarded message, depth 2 -----\|\|SQL injection in /search' \
    "the outer note kept, then the innermost text"
is "$(show | jq -c .cves)" '["CVE-2026-4104"]' "the innermost message's CVE"
is "$($A case search wombat --json | jq -r '.[].id')" "$ID" "search finds the innermost text"

# 5. an inline forward (Gmail's marker) of an inline forward (Thunderbird's)
{ mhead 'Triage <triage@partner.example>' 'Fwd: XXE' t5@partner.example
  cat <<'EOF'
---------- Forwarded message ---------
From: Helpdesk <helpdesk@partner.example>
Date: Mon, 7 Dec 2026 at 10:00
Subject: Fwd: XXE
To: <triage@partner.example>


-------- Original Message --------
Subject: 	XXE
Date: 	Mon, 7 Dec 2026 09:00:00 +0000
From: 	Eve <eve@example.net>
To: 	helpdesk@partner.example

The XML import resolves external entities: CVE-2026-4105.
EOF
} >"$I/in.eml"; send
is "$(msg text_source)" "forwarded message (depth 2)" "inline forward in an inline forward"
is "$(msg text)" "The XML import resolves external entities: CVE-2026-4105." \
    "the innermost text, without the forwards' header lines"
is "$(show | jq -c .cves)" '["CVE-2026-4105"]' "its CVE"

# 6. multipart/alternative: an empty plain part, the report in HTML
{ mhead 'Fay <fay@example.net>' XSS t6@example.net alternative
  part 'text/plain; charset=utf-8'; printf '\n\n'
  part 'text/html; charset=utf-8'
  printf '<html><body><p>Stored XSS in <b>/profile</b>: CVE-2026-4106</p></body></html>\n--B--\n'
} >"$I/in.eml"; send
is "$(msg text_source)" "html alternative" "an empty plain alternative: the HTML part"
is "$(msg text)" "Stored XSS in /profile: CVE-2026-4106" "reduced to text"
is "$(show | jq -c .cves)" '["CVE-2026-4106"]' "its CVE"

# 7. zh-TW: 詳見附件 and a Big5 report.txt
{ mhead '=?UTF-8?B?546L5bCP5piO?= <wang@example.tw>' '=?UTF-8?B?5ryP5rSe5Zue5aCx?=' \
    t7@example.tw mixed
  part 'text/plain; charset=utf-8'; printf '詳見附件\n'
  part 'text/plain; charset=big5' report.txt base64
  printf '漏洞報告：路由器管理介面的命令注入，CVE-2026-4107。\n' |
      iconv -f UTF-8 -t BIG5 | base64
  echo --B--
} >"$I/in.eml"; send
is "$(msg text_source)" "attachment report.txt" "詳見附件: the Big5 report.txt is the text"
like "$(msg text)" '漏洞報告：路由器管理介面的命令注入，CVE-2026-4107。' "decoded from Big5"
like "$(msg text)" '^詳見附件' "the note kept above it"
is "$(show | jq -c .cves)" '["CVE-2026-4107"]' "its CVE"

# 8. negatives: a real body beside a text file keeps the body
{ mhead 'Gus <gus@example.net>' 'path traversal' t8@example.net mixed
  part text/plain
  printf 'Path traversal in the backup download: ../../etc/passwd is served.\n'
  part text/plain notes.txt
  printf 'unrelated lemming notes, CVE-2026-4199\n--B--\n'
} >"$I/in.eml"; send
is "$(msg text_source)" body "a real body beside a text file: the body"
unlike "$(msg text)" lemming "the file's text is not in it"
is "$(show | jq -c .cves)" '[]' "nor its CVE"
is "$($A case search lemming --json | jq length)" 0 "nor does search find it"

# ... and a PDF, or a .log of NUL bytes, is never text
{ mhead 'Hal <hal@example.net>' 'see attached' t9@example.net mixed
  part text/plain; printf 'see attached\n'
  part application/pdf report.pdf base64
  printf '%%PDF-1.4\n1 0 obj CVE-2026-4198 endobj\n' | base64
  part application/octet-stream dump.log base64
  printf 'CVE-2026-4197\000\001\002\000' | base64
  echo --B--
} >"$I/in.eml"; send
is "$(msg text_source)" body "a PDF and a binary .log: the body stays the text"
is "$(msg text)" "see attached" "... as it was"
is "$(show | jq -c .cves)" '[]' "no CVE read out of either"
is "$(show | jq -r '[.messages[0].attachments[].name] | join(" ")')" "report.pdf dump.log" \
    "both are attachments"

# 9. where the text is from, in inspect too (nothing stored)
is "$($A inspect "$I/m4.eml" | jq -r .text_source)" "forwarded message (depth 2)" \
    "inspect shows text_source"

# 10. a member forwards a report, signed, with no note of their own: the
# report is the text, but its "#" lines are no commands (staff commands
# are read in the member's own words only)
gpg_person 'Lin <lin@corp.example>' lin@corp.example
rgpg --armor --export >"$I/lin.asc"
$A key import "$I/lin.asc" >/dev/null 2>>"$I/agent.log"
sed -i "s/^member psirt-lead \"Lin Mei-hua\" lin@corp.example\$/& pgp $RFPR/" \
    "$I/inst/policies/psirt.policy"
like "$($A policy check)" 'ok:' "the policy with Lin's key passes"
ID=$C1
NC=$($A case list --json | jq length)
B=$(printf -- '---------- Forwarded message ---------\nFrom: Rita <rita@example.net>\nSubject: [%s] more\n\n#status rejected\n#severity low\nThe overflow also hits the kangaroo path.\n' "$ID" |
    rgpg --clearsign)
{ mhead 'Lin <lin@corp.example>' "Re: [$ID] vulnerability report" \
    t10@corp.example
  printf '%s\n' "$B"
} >"$I/in.eml"; send
is "$($A case list --json | jq length)" "$NC" "the member's mail joins the case"
ID=$C1
is "$(show | jq -r '.messages[-1].kind + " " + .messages[-1].text_source')" \
    "note forwarded message (depth 1)" "stored as a note, its text the forwarded report's"
like "$(show | jq -r '.messages[-1].text')" '^#status rejected' "which starts with '#' lines"
is "$(show | jq -r .status)" new "they were not applied"
is "$(show | jq '[.events[] | select(.type == "commands-applied" or .type == "command-refused")] | length')" 0 \
    "nor refused: no command was read"

done_testing
