#!/bin/sh
# Bad input: every message is spooled, then processed (header limits
# cut, with a warning) or quarantined (no mail at all) with a clear
# reason; nothing crashes and nothing is dropped.
. "$top_srcdir/tests/lib/lib.sh"
need jq base64 sha256sum
mk_instance || { echo "Bail out! init failed"; exit 1; }
W=$I/w
mkdir -p "$W"
n=0
accept() {
	# accept FILE DESCRIPTION: deliver must commit it (exit 0)
	n=$((n + 1))
	deliver "$1" -f tester@example.net
	is $? 0 "deliver accepts: $2"
}
qreasons() {
	$A queue list --json | jq -r '.[] | select(.queue=="quarantine") | .reason'
}
lastcase() { $A case list --json | jq -r '.[-1].id' | xargs $A case show --json; }

: >"$W/empty.eml"
accept "$W/empty.eml" "empty stdin"
process
like "$(qreasons)" "empty message" "empty message quarantined with reason"
# the operator can requeue it; the next run quarantines it again
q0=$($A queue list --json | jq -r '.[] | select(.queue=="quarantine") | .queue_id')
like "$($A queue requeue "$q0" 2>/dev/null)" "$q0 requeued" "queue requeue puts it back"
is "$(qdir_count quarantine)" 0 "out of the quarantine"
process
is "$($A queue list --json | jq -r '.[] | select(.queue=="quarantine") | .queue_id')" "$q0" \
    "and the next run quarantines it again"

head -c 200000 /dev/urandom >"$W/junk.eml"
accept "$W/junk.eml" "binary junk"
process
is $? 0 "process survives binary junk"

printf 'From: nul@example.net\nSubject: nul\000here\nMessage-ID: <nul@x>\n\nbody\000with NUL\n' >"$W/nul.eml"
accept "$W/nul.eml" "NUL bytes"
process
S=$(lastcase)
is "$(printf '%s' "$S" | jq -r '.messages[0].text')" "body�with NUL" \
    "NUL in the body becomes U+FFFD"
like "$(printf '%s' "$S" | jq -r '.subject')" '^nul' "subject with NUL kept (cut or replaced)"

# 10 000 header lines > header_count_limit (1000): cut, not refused
# (290-headers.t tests the cuts and the sender sources)
{ i=0; while [ $i -lt 10000 ]; do echo "X-H$i: v"; i=$((i + 1)); done
  printf 'From: many@example.net\nSubject: many\n\nbody\n'; } >"$W/many.eml"
accept "$W/many.eml" "10 000 header lines"
process
S=$(lastcase)
is "$(printf '%s' "$S" | jq -r '.subject')" many "too many header fields: a case, From and Subject kept"
like "$(printf '%s' "$S" | jq -r '.messages[0].warnings')" "header_count_limit \\(1000 fields\\)" \
    "with a warning naming header_count_limit"

# a 1 MB header line > header_line_limit (64 KiB): cut
{ printf 'From: long@example.net\nSubject: '; head -c 1048576 /dev/zero | tr '\0' 'a'
  printf '\n\nbody\n'; } >"$W/long.eml"
accept "$W/long.eml" "1 MB header line"
process
S=$(lastcase)
is "$(printf '%s' "$S" | jq -r '.subject | length')" 65527 "1 MB Subject: cut to header_line_limit"
like "$(printf '%s' "$S" | jq -r '.messages[0].warnings')" "header_line_limit" "with a warning naming header_line_limit"

# limits are configurable and exact: 20 fields pass at limit 20 whole;
# at 21 the first extra field is dropped, the message kept
cp "$C" "$C.orig"
printf 'header_count_limit = 20\n' >>"$C"
{ i=0; while [ $i -lt 17 ]; do echo "X-H$i: v"; i=$((i + 1)); done
  printf 'From: lim@example.net\nSubject: at limit\nMessage-ID: <lim20@x>\n\nbody\n'; } >"$W/l20.eml"
{ echo "X-Extra: v"; cat "$W/l20.eml"; } | sed 's/lim20/lim21/; s/at limit/over limit/' >"$W/l21.eml"
accept "$W/l20.eml" "20 header fields"
accept "$W/l21.eml" "21 header fields"
process
L=$($A case list --json)
is "$(printf '%s' "$L" | jq -r '.[-2].subject')" "at limit" \
    "exactly header_count_limit fields is accepted"
is "$($A case show "$(printf '%s' "$L" | jq -r '.[-2].id')" --json | jq -r '.messages[0].warnings')" null \
    "without a warning"
is "$(printf '%s' "$L" | jq -r '.[-1].subject')" "over limit" "limit+1 is a case too"
like "$($A case show "$(printf '%s' "$L" | jq -r '.[-1].id')" --json | jq -r '.messages[0].warnings')" \
    "^1 header field dropped at header_count_limit \\(20 fields\\)" "with a warning naming the limit"
cp "$C.orig" "$C"
$A queue requeue NOSUCHID >/dev/null 2>&1
is $? 65 "requeue of an unknown queue ID: EX_DATAERR"

# text_size_limit: the body is cut there, with a warning
printf 'text_size_limit = 1k\nreferences_limit = 2\n' >>"$C"
{ printf 'From: text@example.net\nSubject: long text\nMessage-ID: <longtext@example.net>\n\n'
  head -c 5000 /dev/zero | tr '\0' 't'; echo; } >"$W/text.eml"
accept "$W/text.eml" "a 5000-byte body with text_size_limit 1k"
process
S=$(lastcase)
is "$(printf '%s' "$S" | jq -r '.messages[0].text | length')" 1024 \
    "the stored text is cut at text_size_limit"
like "$(printf '%s' "$S" | jq -r '.messages[0].warnings')" "text_size_limit \\(1024 bytes\\)" \
    "with a warning naming the limit"
# references_limit: only the last (closest) IDs are used for threading
first=$(printf '%s' "$S" | jq -r '.messages[0].message_id')
printf 'From: text@example.net\nSubject: follow-up\nReferences: <%s> <x1@x> <x2@x>\n\nmore\n' \
    "$first" >"$W/ref3.eml"
accept "$W/ref3.eml" "a follow-up naming the case only as its third-last reference"
printf 'From: text@example.net\nSubject: follow-up 2\nReferences: <x1@x> <%s> <x2@x>\n\nmore\n' \
    "$first" >"$W/ref2.eml"
accept "$W/ref2.eml" "a follow-up naming the case among its last two references"
process
is "$($A case list --json | jq -r '.[-1].subject')" "follow-up" \
    "beyond references_limit: not threaded, a new case"
is "$(printf '%s' "$S" | jq -r '.id' | xargs -I{} $A case show {} --json |
    jq -r '[.messages[] | select(.direction=="in")][-1].subject')" "follow-up 2" \
    "within references_limit: threaded into the case"
cp "$C.orig" "$C"

# MIME nested 1000 deep
{ printf 'From: deep@example.net\nSubject: deep\nMIME-Version: 1.0\n'
  i=0; while [ $i -lt 1000 ]; do
	printf 'Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n' $i $i
	i=$((i + 1)); done
  printf 'Content-Type: text/plain\n\ninnermost\n'
  i=999; while [ $i -ge 0 ]; do printf '\n--b%d--\n' $i; i=$((i - 1)); done; } >"$W/deep.eml"
accept "$W/deep.eml" "MIME nested 1000 deep"
process
is $? 0 "process survives 1000-deep MIME"
S=$(lastcase)
is "$(printf '%s' "$S" | jq -r '.subject')" deep "deep message becomes a case"
like "$(printf '%s' "$S" | jq -r '.messages[0].warnings')" "mime_depth_limit \\(32\\)" \
    "deep nesting is cut with a warning naming mime_depth_limit"

# 50 000 levels (3 MB): libetpan is never given more levels than
# mime_parts_limit, so nothing overflows the stack
{ printf 'From: deeper@example.net\nSubject: deeper\nMIME-Version: 1.0\n'
  awk 'BEGIN { for (i = 0; i < 50000; i++)
	printf "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n", i, i }'
  printf 'Content-Type: text/plain\n\ninnermost\n'; } >"$W/deeper.eml"
accept "$W/deeper.eml" "MIME nested 50 000 deep"
process
is $? 0 "process survives 50 000-deep MIME"
S=$(lastcase)
is "$(printf '%s' "$S" | jq -r '.subject')" deeper "it still becomes a case"
like "$(printf '%s' "$S" | jq -r '.messages[0].warnings')" \
    "exceed mime_parts_limit \\(1000\\): MIME structure not read" \
    "with a warning naming the limit"

# 10 000 parts
{ printf 'From: parts@example.net\nSubject: parts\nMIME-Version: 1.0\n'
  printf 'Content-Type: multipart/mixed; boundary="p"\n\n'
  i=0; while [ $i -lt 10000 ]; do
	printf -- '--p\nContent-Type: application/octet-stream\n\nx%d\n' $i
	i=$((i + 1)); done
  printf -- '--p--\n'; } >"$W/parts.eml"
accept "$W/parts.eml" "10 000 MIME parts"
process
S=$(lastcase)
like "$(printf '%s' "$S" | jq -r '.messages[0].warnings')" "mime_parts_limit \\(1000\\)" \
    "parts beyond mime_parts_limit are not read, with a warning"
is "$(printf '%s' "$S" | jq -r '.messages[0].attachments | length')" 999 \
    "the first parts up to the limit are listed"

# unknown and lying charsets, bad bytes
printf 'From: cs@example.net\nSubject: =?x-unknown-cs?Q?caf=E9?=\nMIME-Version: 1.0\nContent-Type: text/plain; charset=x-klingon\n\ncaf\351 cr\350me\n' >"$W/cs.eml"
accept "$W/cs.eml" "unknown charset"
printf 'From: lie@example.net\nSubject: lie\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nbad \377\376 bytes\n' >"$W/lie.eml"
accept "$W/lie.eml" "invalid bytes for the declared charset"
process
L=$($A case list --json)
is "$(printf '%s' "$L" | jq -r '.[] | select(.reporter=="cs@example.net") | .subject')" "café" \
    "unknown charset in a header falls back to windows-1252"
S=$($A case show "$(printf '%s' "$L" | jq -r '.[] | select(.reporter=="cs@example.net") | .id')" --json)
is "$(printf '%s' "$S" | jq -r '.messages[0].text')" "café crème" \
    "unknown body charset falls back to windows-1252"
S=$($A case show "$(printf '%s' "$L" | jq -r '.[] | select(.reporter=="lie@example.net") | .id')" --json)
is "$(printf '%s' "$S" | jq -r '.messages[0].text')" "bad ÿþ bytes" \
    "invalid UTF-8 is read as windows-1252 (charset.h), the rest is kept"
like "$(printf '%s' "$S" | jq -r '.messages[0].warnings')" \
    'charset: bytes do not fit "utf-8", read as windows-1252' \
    "and the message's warnings say so"

# a body in UTF-16 (ASCII is not ASCII in it): the headers stay readable,
# the report is acknowledged to its sender
{ printf 'From: Ut Sixteen <u16@example.net>\nSubject: utf-16 body\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-16\nContent-Transfer-Encoding: base64\n\n'
  printf 'the details in UTF-16' | iconv -f ascii -t utf-16 | base64; } >"$W/u16.eml"
accept "$W/u16.eml" "a UTF-16 body"
process
S=$($A case list --json | jq -r '.[] | select(.reporter=="u16@example.net") | .id' | xargs -I{} $A case show {} --json)
is "$(printf '%s' "$S" | jq -r '[.subject, .messages[0].from_name, .messages[0].text] | join("|")')" \
    "utf-16 body|Ut Sixteen|the details in UTF-16" "UTF-16 body: headers read as ASCII, the body decoded"
like "$(grep -l '^To: .*u16@example.net' "$I"/mail/*.eml | head -n 1)" . "and its sender is acknowledged"
# base64: well-formed (decoded by libsodium in place) or not (padding
# missing, a stray character, blanks: libetpan's lenient decoder)
hello=$(printf hello | sha256sum | cut -d' ' -f1)
k=0
for b in 'aGVsbG8=' 'aGVsbG8' 'aGV!sbG8=' 'aGVs bG8=\r\n'; do
	k=$((k + 1))
	printf "From: b64@example.net\nSubject: b64\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nhi\n--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=x.bin\nContent-Transfer-Encoding: base64\n\n$b\n--b--\n" >"$W/b64.eml"
	is "$($A inspect "$W/b64.eml" | jq -r '.parts[2] | "\(.size) \(.sha256)"')" "5 $hello" "base64 case $k of 4 (well-formed, unpadded, a stray character, blanks) decodes to its 5 bytes"
done
# quoted-printable cut short at the end of the message: a cut escape
# ("=v", libetpan read a byte past the end there) and its neighbours
for c in 'x=41y=v|xAy=v' 'x=41y=A=B|xAy=A=B' 'x=41y==|xAy==' 'x=41y=|xAy=' 'x=41y=3D|xAy='; do
	printf 'From: qp@example.net\nSubject: qp\nMIME-Version: 1.0\nContent-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\n%s' "${c%%|*}" >"$W/qp.eml"
	is "$($A inspect "$W/qp.eml" | jq -r '.text')" "${c#*|}" "quoted-printable ending in '${c%%|*}' decodes to '${c#*|}'"
done
# missing and duplicated Message-ID, From, Date
printf 'Subject: no from\n\nbody\n' >"$W/nofrom.eml"
accept "$W/nofrom.eml" "no From (envelope sender given)"
printf 'Subject: nothing\n\nbody\n' >"$W/nothing.eml"
n=$((n + 1)); $A deliver <"$W/nothing.eml" 2>/dev/null; is $? 0 "deliver accepts: no From, no envelope"
printf 'From: a@example.net\nFrom: b@example.net\nMessage-ID: <d1@x>\nMessage-ID: <d2@x>\nDate: Mon, 1 Jan 2024 00:00:00 +0000\nDate: junk\nSubject: dups\n\nbody\n' >"$W/dup.eml"
accept "$W/dup.eml" "duplicated From, Message-ID, Date"
process
is "$($A case list --json | jq -r '.[] | select(.subject=="nothing") | .no_reply_address')" true \
    "no sender at all: a case marked no_reply_address"
S=$(lastcase)
is "$(printf '%s' "$S" | jq -r '.reporter')" a@example.net "duplicated From: the first is used"
is "$(printf '%s' "$S" | jq -r '.messages[0].message_id')" d1@x "duplicated Message-ID: the first is used"
like "$(printf '%s' "$S" | jq -r '.messages[0].warnings')" "more than one Message-ID" \
    "duplicates are noted as warnings"
is "$($A case list --json | jq -r '.[] | select(.subject=="no from") | .reporter')" \
    tester@example.net "no From: the envelope sender is the reporter"

# an envelope sender that is not UTF-8 and has a control byte
bad=$(printf 'env\377\001x@example.net')
printf 'Subject: bad envelope\n\nbody\n' >"$W/badenv.eml"
n=$((n + 1)); $A deliver -f "$bad" <"$W/badenv.eml" 2>"$W/badenv.log"
is $? 0 "deliver accepts a non-UTF-8 envelope sender"
unlike "$(cat "$W/badenv.log")" "$(printf '\001')" "the log line has no control byte"
process
S=$($A case list --json | jq -r '.[] | select(.subject=="bad envelope") | .id' |
    xargs -I{} $A case show {} --json)
is "$(printf '%s' "$S" | jq -r '.messages[0].facts.envelope_sender')" \
    "$(printf 'env\357\277\275\001x@example.net')" \
    "JSON stays valid: a bad byte becomes U+FFFD, a control is escaped"

# a Chinese report whose subject starts with 不在 ("not in") is a report
mkmsg 'zh@example.net' '不在登入狀態下可讀取管理頁面' '未登入也能讀取' \
    'Content-Type: text/plain; charset=utf-8' >"$W/zh.eml"
accept "$W/zh.eml" "a Chinese subject starting with 不在"
process
is "$($A case list --json | jq -r '.[-1].subject')" "不在登入狀態下可讀取管理頁面" \
    "it opens a case (not an out-of-office reply)"

# terminal control sequences never reach the terminal from case show
printf 'From: esc@example.net\nSubject: esc \302\233 31m \342\200\256x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=z\n\n--z\nContent-Type: text/plain\n\nhi\n--z\nContent-Type: application/x\033c\033#8\n\nbin\n--z--\n' >"$W/esc.eml"
accept "$W/esc.eml" "escape sequences in a subject and a content type"
process
T=$($A case list --json | jq -r '.[-1].id' | xargs $A case show)
unlike "$T" "$(printf '\033')" "no ESC in case show"
unlike "$T" "$(printf '\302\233')" "no C1 control in case show"
unlike "$T" "$(printf '\342\200\256')" "no bidi override in case show"

# unterminated boundary
printf 'From: ub@example.net\nSubject: unterminated\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="zz"\n\n--zz\nContent-Type: text/plain\n\nstart of text\n--zz\nContent-Type: application/pdf\n\nJVBERi0' >"$W/unterm.eml"
accept "$W/unterm.eml" "unterminated boundary"
process
like "$($A case list --json | jq -r '.[] | select(.subject=="unterminated") | .id' | xargs -I{} $A case show {} --json | jq -r '.messages[0].text')" \
    "start of text" "unterminated multipart: text still read"

# a 50 MB message with a large attachment
head -c 38000000 /dev/urandom >"$W/blob"
{ printf 'From: huge@example.net\nSubject: huge\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="h"\n\n--h\nContent-Type: text/plain\n\nsee attachment\n--h\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename="dump.bin"\nContent-Transfer-Encoding: base64\n\n'
  base64 "$W/blob"; printf -- '--h--\n'; } >"$W/huge.eml"
like "$(stat -c %s "$W/huge.eml")" '^5[0-9]{7}$' "the big message is about 50 MB"
accept "$W/huge.eml" "50 MB message"
process
S=$($A case list --json | jq -r '.[] | select(.subject=="huge") | .id' | xargs -I{} $A case show {} --json)
is "$(printf '%s' "$S" | jq -r '.messages[0].attachments[0].name')" dump.bin "attachment name"
is "$(printf '%s' "$S" | jq -r '.messages[0].attachments[0].size')" 38000000 "attachment size"
is "$(printf '%s' "$S" | jq -r '.messages[0].attachments[0].sha256')" \
    "$(sha256sum "$W/blob" | cut -d' ' -f1)" "attachment SHA-256 matches"

# nothing lost: every accepted message is archived, held or quarantined
total=$(( $(qdir_count archive) + $(qdir_count hold) + $(qdir_count quarantine) ))
is "$total" "$n" "all $n accepted messages are accounted for"
is "$(qdir_count incoming)$(qdir_count active)$(qdir_count deferred)" 000 \
    "no message is stuck"
done_testing
