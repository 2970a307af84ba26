#!/bin/sh
# Header limits cut, they do not quarantine; a sender from wherever it
# can be found. Each report below becomes a case: its subject, the
# acknowledgement (to the right address), the warnings and where the
# sender came from (messages[].sender_source) are checked. Only a
# message with no header and no body is quarantined; one with no
# address anywhere is a case marked no_reply_address, unacknowledged,
# its clocks running.
. "$top_srcdir/tests/lib/lib.sh"
need jq base64 awk
mk_instance || { echo "Bail out! init failed"; exit 1; }
notices_off
W=$I/w
mkdir -p "$W"

case_of() { $A case list --json | jq -r --arg s "$1" '[.[] | select(.subject == $s) | .id] | first // empty'; }
show() { $A case show "$1" --json; }
# acks_to ADDR: sent mails addressed to ADDR
acks_to() { grep -lE "^To: (.*[<, ])?$1>?\$" "$I"/mail/*.eml 2>/dev/null | wc -l; }
# check SUBJECT SOURCE ACK-TO WARNING-RE: the case of SUBJECT, its
# sender source, its acknowledgement, its warnings
check() {
	id=$(case_of "$1")
	like "$id" '.' "$1: a case"
	S=$(show "$id")
	is "$(printf '%s' "$S" | jq -r '.messages[0].sender_source')" "$2" \
	    "$1: sender_source $2"
	is "$(printf '%s' "$S" | jq -r '[.events[] | select(.type == "ack-queued") | .detail] | first | split(" ")[2]')" \
	    "$3" "$1: acknowledged to $3"
	is "$(acks_to "$3")" 1 "$1: one mail sent to $3"
	if [ -n "$4" ]; then
		like "$(printf '%s' "$S" | jq -r '.messages[0].warnings')" "$4" \
		    "$1: warning /$4/"
	else
		is "$(printf '%s' "$S" | jq -r '.messages[0].warnings')" null \
		    "$1: no warning"
	fi
	is "$(printf '%s' "$S" | jq -r '.no_reply_address')" false \
	    "$1: has a reply address"
}

# 1. a 96 KB header line: cut at header_line_limit, From after it kept
{ printf 'X-Long: '; head -c 98304 /dev/zero | tr '\0' 'a'
  printf '\nFrom: Long <long96@example.net>\nSubject: long96\nMessage-ID: <l96@example.net>\n\nthe report\n'; } >"$W/l96.eml"
deliver "$W/l96.eml" -f bounce@example.net
# 2. a 1 MB header line
{ printf 'Received: from x\nX-Junk: '; head -c 1048576 /dev/zero | tr '\0' 'b'
  printf '\nFrom: long1m@example.net\nSubject: long1m\nTo: security@example.org\n\nthe report\n'; } >"$W/l1m.eml"
deliver "$W/l1m.eml"
# 3. 10 000 header lines, From and Subject at the end
awk 'BEGIN { for (i = 0; i < 10000; i++) printf "Received: from h%d by mx\n", i
	print "From: many@example.net"; print "Subject: many lines"; print ""; print "the report" }' >"$W/many.eml"
deliver "$W/many.eml"
process
check long96 from long96@example.net \
    'header field X-Long \(98312 bytes\) cut at header_line_limit \(65536 bytes\)'
check long1m from long1m@example.net \
    'header field X-Junk \(1048584 bytes\) cut at header_line_limit \(65536 bytes\)'
check "many lines" from many@example.net \
    '9002 header fields dropped at header_count_limit \(1000 fields\)'
is "$(qdir_count quarantine)" 0 "nothing quarantined for header limits"
S=$(show "$(case_of long1m)")
is "$(printf '%s' "$S" | jq -r '.messages[0].to')" null "the envelope recipient (none) is the message's to"
like "$(printf '%s' "$S" | jq -r '.messages[0].text')" 'the report' "1 MB header line: the body is read"

# 4. a 100 KB References: threaded to the earlier case by its last ID
mkmsg ref@example.net "first report" "details" 'Message-ID: <root-r1@example.net>' >"$W/r1.eml"
deliver "$W/r1.eml"
process
R1=$(case_of "first report")
{ printf 'From: ref@example.net\nSubject: more details, no tag\nMessage-ID: <r2@example.net>\nReferences: <root-r1@example.net>'
  awk 'BEGIN { for (i = 0; i < 4000; i++) printf "\n <junk-%06d@example.net>", i }'
  printf '\n <root-r1@example.net>\n\nthe follow-up\n'; } >"$W/r2.eml"
like "$(wc -c <"$W/r2.eml")" '^1[0-9]{5}$' "the References field is about 100 KB"
deliver "$W/r2.eml"
process
S=$(show "$R1")
is "$(printf '%s' "$S" | jq -r '[.messages[] | select(.direction == "in")] | length')" 2 \
    "100 KB References: the follow-up joins the earlier case"
like "$(printf '%s' "$S" | jq -r '[.messages[] | select(.direction == "in")][1].warnings')" \
    'header field References \([0-9]+ bytes\) cut at header_line_limit' \
    "with a warning that References was cut"
is "$(case_of "more details, no tag")" "" "and no case of its own"

# 5. From as one encoded-word holding name and address
ew=$(printf 'Ewa Example <ewa@example.net>' | base64)
printf 'From: =?UTF-8?B?%s?=\nSubject: encoded from\n\nthe report\n' "$ew" >"$W/ew.eml"
deliver "$W/ew.eml" -f other-envelope@example.net
# 6. From with two addresses, with and without Sender
printf 'From: a1@example.net, a2@example.net\nSender: sec@example.net\nSubject: two with sender\n\nthe report\n' >"$W/two1.eml"
printf 'From: b1@example.net, b2@example.net\nSubject: two no sender\n\nthe report\n' >"$W/two2.eml"
deliver "$W/two1.eml"
deliver "$W/two2.eml"
# 7. From empty, with Reply-To, Return-Path or the envelope only
printf 'From:\nReply-To: <rt@example.net>\nSubject: empty from reply-to\n\nthe report\n' >"$W/e1.eml"
printf 'Return-Path: <rp@example.net>\nFrom:  \nSubject: empty from return-path\n\nthe report\n' >"$W/e2.eml"
printf 'From: Nobody\nSubject: empty from envelope\n\nthe report\n' >"$W/e3.eml"
deliver "$W/e1.eml"
deliver "$W/e2.eml"
deliver "$W/e3.eml" -f env@example.net
# 8. From with NUL bytes
printf 'From: nul\000x@example.net\nSubject: from with nul\n\nthe report\n' >"$W/nul.eml"
deliver "$W/nul.eml" -f nulenv@example.net
process
check "encoded from" from-encoded-word ewa@example.net \
    'From is malformed: its address is inside an encoded-word'
is "$(show "$(case_of "encoded from")" | jq -r '[.reporter, .reporter_name] | join("|")')" \
    "ewa@example.net|Ewa Example" "encoded-word From: the reporter and the name"
like "$(show "$(case_of "encoded from")" | jq -r '[.events[] | select(.type == "sender") | .detail] | first')" \
    'sender ewa@example.net \(from from-encoded-word\); From is malformed' \
    "encoded-word From: a sender event says so"
check "two with sender" sender sec@example.net 'From has more than one address: Sender is used'
check "two no sender" from b1@example.net 'From has more than one address and no Sender: the first is used'
check "empty from reply-to" reply-to rt@example.net 'From is malformed: it is empty'
check "empty from return-path" return-path rp@example.net 'From is malformed: it is empty'
check "empty from envelope" envelope env@example.net 'From is malformed: it has no address'
check "from with nul" envelope nulenv@example.net 'From is malformed: it has a NUL byte'

# 9. no address anywhere: a case, marked, no acknowledgement, clocks on
n0=$(sent_count)
printf 'Subject: nobody at all\n\nthe report\n' >"$W/none.eml"
deliver "$W/none.eml"
process
ID=$(case_of "nobody at all")
like "$ID" '.' "no address anywhere: a case all the same"
S=$(show "$ID")
is "$(printf '%s' "$S" | jq -r '[.no_reply_address, .reporter] | map(tostring) | join(" ")')" \
    "true null" "marked no_reply_address, with no reporter"
is "$(printf '%s' "$S" | jq -r '.messages[0].sender_source')" none "sender_source none"
like "$(printf '%s' "$S" | jq -r '.messages[0].warnings')" 'there is no From' "a warning: no From"
like "$(printf '%s' "$S" | jq -r '[.events[] | select(.type == "no-reply-address") | .detail] | first')" \
    'no reply address' "an event says why"
is "$(printf '%s' "$S" | jq -r '[.events[] | select(.type == "ack-queued")] | length')" 0 "no acknowledgement queued"
is "$(sent_count)" "$n0" "no mail sent"
like "$(printf '%s' "$S" | jq -r '[.deadlines[] | .state] | join(" ")')" '.' "its clocks run"
is "$(printf '%s' "$S" | jq -r '.status')" new "its status is new"
like "$($A case list | grep "nobody at all")" '\(no reply address\)' "case list shows it"
like "$($A case list --status new | grep "nobody at all")" '\[no reply address\]' "a filtered case list too"
is "$($A case list --json | jq -r --arg id "$ID" '.[] | select(.id == $id) | .no_reply_address')" true \
    "case list --json: no_reply_address"
like "$($A case show "$ID")" 'Reporter: +\(no reply address\)' "case show (text) says so"

# 11. a MIME part's header over the limits: the same cut, the part read
{ printf 'From: part@example.net\nSubject: part header\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n--b\nX-Long: '
  head -c 100000 /dev/zero | tr '\0' 'p'
  printf '\nContent-Type: text/plain; charset=utf-8\n\nthe part text\n--b--\n'; } >"$W/part.eml"
deliver "$W/part.eml"
process
check "part header" from part@example.net \
    '^part 2: header field X-Long \(100008 bytes\) cut at header_line_limit \(65536 bytes\)$'
is "$(show "$(case_of "part header")" | jq -r '.messages[0].text')" "the part text" \
    "a part with a long header line: its text is read"

# 10. no header and no body: the one thing quarantined, with the reason
printf '\n\n  \n' >"$W/blank.eml"
deliver "$W/blank.eml" -f blank@example.net
process
is "$(qdir_count quarantine)" 1 "a message with no header and no body is quarantined"
like "$($A queue list --json | jq -r '.[] | select(.queue == "quarantine") | .reason')" \
    'empty message: no header field and no body' "with the reason"
done_testing
