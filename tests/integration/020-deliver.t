#!/bin/sh
# deliver + process: the core path from the MTA pipe to a case and an
# acknowledgement, and the JSON contract of case list / case show.
. "$top_srcdir/tests/lib/lib.sh"
need jq
mk_instance || { echo "Bail out! init failed"; exit 1; }
notices_off	# the mail counted is the reporter's (team notices: 283-notify.t)

{ printf 'From alice@example.net Sun Nov 22 10:00:00 2026\n'
  mkmsg '"Alice Researcher" <alice@example.net>' 'XSS in admin console' \
    'I found a stored XSS in /admin.' 'Message-ID: <r1@example.net>'; } \
    >"$I/r1.eml"
deliver "$I/r1.eml" -f alice@example.net -r security@example.org
is $? 0 "deliver exits 0"
is "$(qdir_count incoming)" 1 "the message is committed to incoming/"
is "$(qdir_count tmp)" 0 "no temporary file is left"
q=$(ls "$I/inst/spool/incoming")
is "$(stat -c %a "$I/inst/spool/incoming/$q")" 600 "queue file is mode 0600"
unlike "$(sed -n '/^$/,$p' "$I/inst/spool/incoming/$q" | sed -n 2p)" '^From ' \
    "the mbox From_ line is not stored"
is "$(sent_count)" 0 "nothing is sent before processing"
process
is $? 0 "process exits 0"
is "$(qdir_count incoming)" 0 "incoming/ is empty after processing"
is "$(qdir_count archive)" 1 "the message is archived"

L=$($A case list --json)
is "$(printf "%s" "$L" | jq length)" 1 "one case"
# the year of the ID is the year the case was opened (the agent's clock)
is "$(printf "%s" "$L" | jq -r '.[0].id')" "PSIRT-$(printf "%s" "$L" | jq -r '.[0].created_at[0:4]')-0001" \
    "case ID has the default format PSIRT-YYYY-NNNN"
for k in id kind status subject reporter created_at; do
	is "$(printf "%s" "$L" | jq -r ".[0] | has(\"$k\")")" true "case list has $k"
done
is "$(printf "%s" "$L" | jq -r '.[0].kind')" vulnerability "kind vulnerability"
is "$(printf "%s" "$L" | jq -r '.[0].status')" new "status new"
is "$(printf "%s" "$L" | jq -r '.[0].subject')" "XSS in admin console" "subject"
is "$(printf "%s" "$L" | jq -r '.[0].reporter')" alice@example.net "reporter"
like "$(printf "%s" "$L" | jq -r '.[0].created_at')" \
    '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$' "created_at is ISO 8601"

ID=$(printf "%s" "$L" | jq -r '.[0].id')
S=$($A case show "$ID" --json)
is "$(printf "%s" "$S" | jq -r '.reporter_name')" "Alice Researcher" "reporter name"
is "$(printf "%s" "$S" | jq -r '.messages[0].message_id')" r1@example.net \
    "message_id of the report"
is "$(printf "%s" "$S" | jq -r '.messages[0].from')" alice@example.net "from"
is "$(printf "%s" "$S" | jq -r '.messages[0].text')" "I found a stored XSS in /admin." \
    "decoded text"
is "$(printf "%s" "$S" | jq -r '.messages[0].attachments | length')" 0 "no attachments"
for k in message_id from subject date text attachments; do
	is "$(printf "%s" "$S" | jq -r ".messages[0] | has(\"$k\")")" true \
	    "case show message has $k"
done
is "$(printf "%s" "$S" | jq -r '[.events[].type] | join(",")')" \
    "case-opened,ack-queued,deadline-set,deadline-set,reply-sent" \
    "events record every state change (the triage and disclosure deadlines too)"

is "$(sent_count)" 1 "one acknowledgement was sent"
M=$(last_sent)
like "$(grep -m1 '^To:' "$M")" '^To: "Alice Researcher" <alice@example.net>$' \
    "ack To: the reporter"
like "$(grep -m1 '^From:' "$M")" 'security@example.org' "ack From: the PSIRT"
is "$(grep -m1 '^Subject:' "$M")" "Subject: [$ID] Re: XSS in admin console" \
    "ack Subject: [CASE-ID] Re: original"
is "$(grep -m1 '^In-Reply-To:' "$M")" "In-Reply-To: <r1@example.net>" \
    "ack In-Reply-To: the report"
like "$(sed -n '/^References:/,/^[^ ]/p' "$M" | tr -d '\n')" '<r1@example.net>' \
    "ack References: the report"
is "$(grep -m1 '^Auto-Submitted:' "$M")" "Auto-Submitted: auto-replied" \
    "ack Auto-Submitted: auto-replied"
ack_id=$(sed -n 's/^Message-ID: <\(.*\)>$/\1/p' "$M")
is "$(printf "%s" "$S" | jq -r '.messages[1].message_id')" "$ack_id" \
    "the ack's Message-ID is stored for threading"
like "$(cat "$M")" "case $ID" "the body names the case"
like "$(cat "$M")" "> I found a stored XSS" "the body quotes the report"

# Reply-To is honoured; Chinese reports get the zh-TW template with an
# RFC 2047 encoded Subject; environment envelope (Postfix local(8)).
mkmsg 'Bob <bob@example.net>' '=?UTF-8?B?5ryP5rSe5aCx5ZGK?=' \
    '我們發現了一個漏洞。' 'Reply-To: Bob Team <team@example.net>' \
    'MIME-Version: 1.0' 'Content-Type: text/plain; charset=utf-8' >"$I/r2.eml"
SENDER=bob@example.net RECIPIENT=security@example.org deliver "$I/r2.eml"
is $? 0 "deliver with SENDER/RECIPIENT from the environment"
process
M=$(last_sent)
like "$(grep -m1 '^To:' "$M")" '<team@example.net>' "ack goes to Reply-To"
like "$(cat "$M")" '感謝您向' "zh-TW template chosen for a Chinese report"
like "$(grep -m1 '^Subject:' "$M")" '^Subject: =\?UTF-8\?B\?' \
    "non-ASCII Subject is RFC 2047 encoded"
L=$($A case list --json)
is "$(printf "%s" "$L" | jq -r '.[1].subject')" "漏洞報告" "decoded subject stored"
is "$(printf "%s" "$L" | jq -r '.[1].lang')" "zh-TW" "case language zh-TW"
S=$($A case show "$(printf "%s" "$L" | jq -r '.[1].id')" --json)
is "$(printf "%s" "$S" | jq -r '.messages[0].to')" security@example.org \
    "envelope recipient from the environment"

# incident policy rule
mkmsg 'ops@example.net' 'Ransomware incident on file server' 'help' >"$I/r3.eml"
deliver "$I/r3.eml"; process
is "$($A case list --json | jq -r '.[2].kind')" incident \
    "policy match rule classifies an incident"

is "$($A case show NOPE-1 >/dev/null 2>&1; echo $?)" 65 \
    "case show of an unknown case: EX_DATAERR"
like "$($A case show "$ID")" "Subject:   XSS in admin console" "text case show"
like "$($A case list)" "$ID +vulnerability" "text case list"

# deliver keeps the MTA's copy when the spool cannot take the message
chmod 500 "$I/inst/spool/tmp"
if [ "$(id -u)" -ne 0 ]; then
	deliver "$I/r1.eml"
	is $? 75 "unwritable spool: EX_TEMPFAIL"
else
	skip "unwritable spool: EX_TEMPFAIL" "root ignores directory modes"
fi
chmod 700 "$I/inst/spool/tmp"
printf 'message_size_limit = 1k\n' >>"$C"
head -c 5000 /dev/zero | tr '\0' 'a' | sed 's/^/Subject: big\n\n/' >"$I/big.eml"
deliver "$I/big.eml"
is $? 75 "over message_size_limit: EX_TEMPFAIL (the MTA keeps it)"
is "$(qdir_count tmp)$(qdir_count incoming)" 00 "nothing is left behind"
done_testing
