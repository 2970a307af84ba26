#!/bin/sh
# Credits (issue 22): a case holds any number, each as the finder chose
# (named with organization and contact, by handle, anonymous), read
# from the reporter's own mail (Credit:, #credit, 致謝:; quoted text
# left alone) and confirmed by staff; case show lists them; the hall of
# fame and the advisories name exactly the confirmed choices. The hall
# of fame once credited one reporter's two reports to another
# reporter's name (the credit was looked up per reporter address, and a
# merge moved it onto the other's case): the regression is here. Bad
# input: control characters, over-long names, 200 and more credits.
. "$top_srcdir/tests/lib/lib.sh"
need jq sqlite3
mk_instance || { echo "Bail out! init failed"; exit 1; }
notices_off
report() {	# report FROM SUBJECT BODY [HEADERS...]
	mkmsg "$@" >"$I/r.eml"
	deliver "$I/r.eml"; process
}
id() { $A case list --json | jq -r ".[] | select(.subject == \"$1\") | .id"; }
show() { $A case show "$1" --json; }
cr() { show "$1" | jq -c '[.credits[] | [.name, .organization, .contact, .choice, .confirmed, .source]]'; }

# 1. the report: a named credit with organization and contact, a
# co-finder by handle; a quoted Credit: line is not the reporter's
report 'Jane <jane@example.net>' 'XSS in the login form' 'The login form reflects the user name. CWE-79

Credit: Jane Doe (ACME Labs) <jane@example.net>
#credit @kev_1n
> Credit: Someone Quoted
Thanks' 'Message-ID: <jane1@example.net>'
J=$(id 'XSS in the login form')
is "$(cr "$J")" '[["Jane Doe","ACME Labs","jane@example.net","named",false,"reporter"],["@kev_1n",null,null,"handle",false,"reporter"]]' \
    "the report's Credit: and #credit lines: two credits, not confirmed, from the reporter; the quoted line left out"
like "$(show "$J" | jq -r '[.events[] | select(.type == "credit-stated") | .detail] | join("|")')" \
    '^2 credits stated in queue ID ' "an event says what was stated"
is "$($A halloffame | grep -c '^- ')" 0 "nobody in the hall of fame before staff confirm"

# 2. a follow-up: the reporter's new choice replaces the unconfirmed
# ones; the message it answers (below "... wrote:") is not read
report 'Jane <jane@example.net>' 'Re: XSS in the login form' 'Please credit us by handle instead:
Credit: handle @j4ne
CREDIT: @kev_1n

On Sun, 22 Nov 2026, Jane wrote:
Credit: Jane Doe (ACME Labs)' 'In-Reply-To: <jane1@example.net>'
is "$($A case list --json | jq length)" 1 "the follow-up threads into the case"
is "$(cr "$J")" '[["@j4ne",null,null,"handle",false,"reporter"],["@kev_1n",null,null,"handle",false,"reporter"]]' \
    "the new choice replaces the unconfirmed one; the quoted message below 'wrote:' is not read"

# a third party writing into the case (a participant by CC) is not the reporter
# 3. staff: confirm one, add one (confirmed), confirm all, remove one
$A case set "$J" credit-confirm=2 2>>"$I/agent.log"
is "$(show "$J" | jq -c '[.credits[].confirmed]')" '[false,true]' "credit-confirm=N confirms the Nth"
$A case set "$J" 'credit=Rita R. (Example Univ)' 'credit=Extra Person' 2>>"$I/agent.log"
is "$?" 0 "case set credit=... adds credits"
$A case set "$J" 'credit=confirm' 2>>"$I/agent.log"
is "$(cr "$J")" '[["@j4ne",null,null,"handle",true,"reporter"],["@kev_1n",null,null,"handle",true,"reporter"],["Rita R.","Example Univ",null,"named",true,"staff"],["Extra Person",null,null,"named",true,"staff"]]' \
    "staff credits confirmed, credit=confirm confirms the reporter's"
$A case set "$J" credit-remove=4 2>>"$I/agent.log"
is "$(show "$J" | jq -r '[.credits[].name] | join(",")')" "@j4ne,@kev_1n,Rita R." "credit-remove=N removes the Nth"
$A case set "$J" 'credit=rita r. (example univ)' 2>>"$I/agent.log"
is "$(show "$J" | jq '.credits | length')" 3 "the same credit again is not a second one"
$A case set "$J" credit-remove=9 2>"$I/err"
is "$?" 65 "a credit the case does not hold: 65"
like "$(cat "$I/err")" 'credit-remove=9: a credit.s number, 1 to 3' "with the reason"
$A case set "$J" unset=credit 2>"$I/err"
like "$(cat "$I/err")" 'credits are removed by number' "unset=credit points to credit-remove"
T=$($A case show "$J")
like "$T" 'Credit: +1\. @j4ne \[handle, confirmed, the reporter.s mail\]' "case show (text) lists the credits, numbered"
like "$T" 'Credit: +3\. Rita R\. \(Example Univ\) \[named, confirmed, staff\]' "with organization and source"

# 4. the advisories: every confirmed credit that names someone
$A case set "$J" cve=CVE-2026-20001 affected='product=ACME Portal affected=3.0 fixed=3.1' \
    summary='A cross-site scripting flaw in the login form.' remediation='Update to 3.1.' \
    cvss=CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N credit=anonymous 2>>"$I/agent.log"
$A advisory "$J" --format csaf >"$I/a.json" 2>>"$I/agent.log"
is "$?" 0 "advisory --format csaf"
is "$(jq -c '.document.acknowledgments | map([.names[0], .organization])' "$I/a.json")" \
    '[["@j4ne",null],["@kev_1n",null],["Rita R.","Example Univ"]]' \
    "CSAF document.acknowledgments: each confirmed credit (handles as handles, the organization), the anonymous one not"
is "$(jq -c '.vulnerabilities[0].acknowledgments | length' "$I/a.json")" 3 "the vulnerability's too"
PY=/usr/bin/python3
[ -x $PY ] || PY=python3
if $PY -c 'import jsonschema' 2>/dev/null; then
	$PY "$top_srcdir/tests/lib/csaf-validate" "$top_srcdir/tests/data/csaf" "$I/a.json" >"$I/v.out"
	is "$?" 0 "the advisory with several acknowledgments validates against CSAF 2.0"
	[ -s "$I/v.out" ] && diag "$(cat "$I/v.out")"
else
	skip "CSAF schema validation" "python3-jsonschema not installed"
fi
like "$($A advisory "$J" --format text)" '@j4ne, @kev_1n, Rita R\. \(Example Univ\)' \
    "the text advisory's {credit} joins them"
# an unconfirmed credit is not named, and the operator is told
report 'Jane <jane@example.net>' 'Re: XSS in the login form' 'Credit: Late Addition' \
    'In-Reply-To: <jane1@example.net>'
$A advisory "$J" --format csaf >"$I/a.json" 2>"$I/err"
is "$(jq '.document.acknowledgments | length' "$I/a.json")" 3 "an unconfirmed credit is not named"
like "$(cat "$I/err")" '1 credit is not confirmed' "and the operator is told"
is "$(show "$J" | jq '[.credits[] | select(.confirmed)] | length')" 4 \
    "the reporter's new mail replaced nothing confirmed"
report 'Jane <jane@example.net>' 'Re: XSS in the login form' 'Credit: handle @j4ne
Credit: Late Addition (ACME)' 'In-Reply-To: <jane1@example.net>'
is "$(show "$J" | jq -c '[.credits[] | [.name, .organization, .confirmed]]')" \
    '[["@j4ne",null,true],["@kev_1n",null,true],["Rita R.","Example Univ",true],[null,null,true],["Late Addition","ACME",false]]' \
    "a confirmed credit restated is not a second one; the unconfirmed one replaced"

# 5. zh-TW: 致謝 with a full-width colon; 匿名 (anonymous)
report 'Wang <wang@example.tw>' '登入頁面漏洞' '登入頁面有 SQL injection。
致謝：王小明 (國立臺灣大學)' 'Message-ID: <wang1@example.tw>'
W=$(id '登入頁面漏洞')
is "$(cr "$W")" '[["王小明","國立臺灣大學",null,"named",false,"reporter"]]' "致謝： is a credit line"
report 'Lin <lin@example.tw>' '另一個漏洞' '致謝: 匿名' 'Message-ID: <lin1@example.tw>'
is "$(show "$(id '另一個漏洞')" | jq -c '[.credits[] | [.name, .choice]]')" '[[null,"anonymous"]]' "致謝: 匿名 is anonymous"

# 6. the hall of fame: what each chose on THEIR cases. Bob: two
# reports, no credit; Alice: one report, credited; her report is a
# duplicate of Bob's first and is merged into it. The old hall of fame
# read "Alice A. (2 reports)": Bob's reports under Alice's name.
report 'Bob <bob@example.net>' 'bob 1' 'Open redirect in /go' 'Message-ID: <bob1@example.net>'
report 'Bob <bob@example.net>' 'bob 2' 'CSRF in settings' 'Message-ID: <bob2@example.net>'
report 'Alice <alice@example.net>' 'alice 1' 'Open redirect in /go, too
Credit: Alice A.' 'Message-ID: <alice1@example.net>'
AL=$(id 'alice 1'); B1=$(id 'bob 1'); B2=$(id 'bob 2')
$A case set "$AL" credit-confirm=all 2>>"$I/agent.log"
$A case set "$W" credit-confirm=1 2>>"$I/agent.log"
$A case set "$(id '另一個漏洞')" credit-confirm=all 2>>"$I/agent.log"
H=$($A halloffame)
like "$H" '- Alice A\. \(1 report\)' "before the merge: Alice, one report"
$A case merge "$B1" "$AL" >/dev/null 2>>"$I/agent.log"
H=$($A halloffame)
like "$H" '- Alice A\. \(1 report\)' "after the merge: still one report (the case she found)"
unlike "$H" 'Alice A\. \(2 reports\)' "regression: Bob's two reports are not credited to Alice"
unlike "$H" '[Bb]ob' "Bob chose no credit: not named"
is "$($A reporters --json | jq -r '.[] | select(.address == "bob@example.net") | .credit')" null \
    "Bob's reporter record has no credit of Alice's"
like "$H" '- @j4ne \(1 report\)' "a handle shown as a handle"
like "$H" '- Rita R\. \\\(Example Univ\\\) \(1 report\)' "with the organization (Markdown escaped)"
like "$H" '- 王小明 \\\(國立臺灣大學\\\) \(1 report\)' "the zh-TW credit"
unlike "$H" 'anonymous|匿名|Late Addition|Jane Doe' "anonymous and unconfirmed choices never named"
is "$(printf '%s\n' "$H" | grep -c '^- ')" 5 "five finders: @j4ne, @kev_1n, Rita R., 王小明, Alice A."
# a reporter credited on one of two cases: one report
report 'Carl <carl@example.net>' 'carl 1' 'bug one
Credit: Carl C.' 'Message-ID: <carl1@example.net>'
report 'Carl <carl@example.net>' 'carl 2' 'bug two' 'Message-ID: <carl2@example.net>'
$A case set "$(id 'carl 1')" credit-confirm=1 2>>"$I/agent.log"
like "$($A halloffame)" '- Carl C\. \(1 report\)' "credited for the case that credits him, not for his other"
is "$($A reporters --json | jq -r '.[] | select(.address == "carl@example.net") | .credit')" "Carl C." \
    "the reporter record: his own confirmed choice"
$A case set "$(id 'carl 1')" status=rejected 2>>"$I/agent.log"
unlike "$($A halloffame)" 'Carl' "a rejected case credits nobody"
like "$($A halloffame --format html)" '<li>王小明 \(國立臺灣大學\) \(1 report\)</li>' "HTML"

# 7. bad input
ESC=$(printf 'Evil\033[2JName')
$A case set "$B2" "credit=$ESC" 2>"$I/err"
is "$?" 65 "a control character: refused"
like "$(cat "$I/err")" 'credit: a control character \(byte 5\): refused' "with the reason"
RLO=$(printf 'Name\342\200\256evil')
$A case set "$B2" "credit=$RLO" 2>"$I/err"
like "$(cat "$I/err")" 'a control character' "a bidirectional override: refused"
LONG=$(printf '%0201d' 0)
$A case set "$B2" "credit=$LONG" 2>"$I/err"
like "$(cat "$I/err")" 'the name is longer than 200 bytes' "an over-long name: refused"
$A case set "$B2" "credit=Ok (Org" 2>"$I/err"
like "$(cat "$I/err")" 'a "\(" not closed' "an unclosed organization"
$A case set "$B2" "credit=handle @bad handle!" 2>"$I/err"
like "$(cat "$I/err")" 'a handle is 1 to 64' "a handle with spaces"
$A case set "$B2" "credit=anonymous (ACME)" 2>"$I/err"
like "$(cat "$I/err")" 'anonymous takes no organization' "anonymous with an organization"
is "$(show "$B2" | jq '.credits | length')" 0 "nothing recorded of the refused ones"
# by mail: the bad lines are refused with a reason (an event), the good
# kept; a control character the text decoding made U+FFFD is refused too
BEL=$(printf 'Credit: Bell\007Ringer')
RLO=$(printf 'Credit: Name\342\200\256evil')
report 'Bob <bob@example.net>' 'Re: bob 2' "more
$BEL
$RLO
Credit: Bob B." 'In-Reply-To: <bob2@example.net>'
is "$(show "$B2" | jq -r '[.credits[].name] | join(",")')" "Bob B." "a mail's bad lines refused, the good one kept"
E=$(show "$B2" | jq -r '[.events[] | select(.type == "credit-refused") | .detail] | join("|")')
like "$E" 'line 2: credit: a character that did not decode' "the undecodable one: an event with the reason"
like "$E" 'line 3: credit: a control character' "the bidirectional override: an event with the reason"
unlike "$E" 'evil|Bell' "the reason does not repeat the refused text"
# someone else in the case's thread is not the reporter
report 'Mallory <mallory@example.com>' 'Re: bob 2' 'Credit: Mallory M.' 'In-Reply-To: <bob2@example.net>'
unlike "$(show "$B2" | jq -r '[.credits[].name] | join(",")')" 'Mallory' "no credit from anyone but the reporter"

# 200 credits in one mail: all kept, quickly; then up to 256, no more
i=1; : >"$I/body"
while [ $i -le 200 ]; do echo "Credit: Finder $i (Team $i)" >>"$I/body"; i=$((i + 1)); done
S=$(date +%s)
report 'Many <many@example.net>' 'many finders' "$(cat "$I/body")" 'Message-ID: <many1@example.net>'
MN=$(id 'many finders')
is "$(show "$MN" | jq '.credits | length')" 200 "200 credits in one mail: all kept"
is "$(show "$MN" | jq -r '.credits[199] | .name + "|" + .organization')" "Finder 200|Team 200" "the last one too"
ok $([ $(( $(date +%s) - S )) -lt 20 ]; echo $?) "in well under 20 s"
set --
i=1; while [ $i -le 57 ]; do set -- "$@" "credit=Extra $i"; i=$((i + 1)); done
$A case set "$MN" "$@" 2>"$I/err"
is "$?" 65 "257 credits: refused"
like "$(cat "$I/err")" 'the case holds 256 credits, the most one case holds' "with the limit named"
is "$(show "$MN" | jq '.credits | length')" 200 "and nothing of that change kept"
shift
$A case set "$MN" "$@" 2>>"$I/agent.log"
is "$(show "$MN" | jq '.credits | length')" 256 "256: the most one case holds"
i=1; : >"$I/body"
while [ $i -le 300 ]; do echo "Credit: Finder $i" >>"$I/body"; i=$((i + 1)); done
report 'Lots <lots@example.net>' 'lots of lines' "$(cat "$I/body")" 'Message-ID: <lots1@example.net>'
LT=$(id 'lots of lines')
is "$(show "$LT" | jq '.credits | length')" 256 "a mail's credit lines read up to 256"
like "$(show "$LT" | jq -r '[.events[] | select(.type == "credit-refused") | .detail] | join("|")')" \
    'line 257: more than 256 credit lines in one mail' "the rest refused, once, with the reason"

# 8. by signed staff mail: #credit confirm N, #credit remove N, #credit
# NAME (a member of the built-in team, with a real key)
if command -v gpg >/dev/null 2>&1 && command -v gpgconf >/dev/null 2>&1; then
	gpg_person 'Lin <lin@corp.example>' lin@corp.example
	rgpg --armor --export >"$I/k.asc"
	$A key import "$I/k.asc" >/dev/null 2>>"$I/agent.log"
	sed -i "s/^member psirt-lead \"Lin Mei-hua\" lin@corp.example\$/& pgp $RFPR/" \
	    "$I/inst/policies/psirt.policy"
	report 'Sam <sam@example.net>' 'staff by mail' 'Credit: Sam S.
Credit: @co_finder' 'Message-ID: <sam1@example.net>'
	SM=$(id 'staff by mail')
	b=$(printf '#credit confirm 1\n#credit remove 2\n#credit Pat P. (Corp)\n\n> [%s] New vulnerability report\n' \
	    "$SM" | rgpg --clearsign)
	printf 'From: Lin <lin@corp.example>\nTo: security@example.org\nSubject: Re: [%s] work\nMessage-ID: <staff1.%s@corp.example>\n\n%s\n' \
	    "$SM" "$$" "$b" >"$I/s.eml"
	deliver "$I/s.eml"; process
	is "$(cr "$SM")" '[["Sam S.",null,null,"named",true,"reporter"],["Pat P.","Corp",null,"named",true,"staff"]]' \
	    "signed #credit confirm 1, #credit remove 2, #credit NAME (ORG)"
	is "$(show "$SM" | jq '[.events[] | select(.type == "command-refused")] | length')" 0 "none refused"
else
	skip "#credit by signed staff mail" "gpg not installed"
	skip "#credit by signed staff mail" "gpg not installed"
fi

# the credits are in the audit record's state: a change around the
# agent (confirming by writing the database) is found
$A check >"$I/chk" 2>&1
is "$?" 0 "check: the credits agree with the recorded state"
sqlite3 "$I/inst/psirt.db" "UPDATE case_credits SET confirmed = 1 WHERE case_id = '$J'"
$A check >"$I/chk" 2>&1
is "$?" 65 "a credit confirmed around the agent: check fails"
like "$(cat "$I/chk")" "case $J: credit [0-9]+: is .* named 1 reporter jane@example.net', the record says .* named 0 reporter" \
    "naming the case and the credit"
unlike "$(cat "$I/chk")" 'Late Addition' "and no name in clear"
done_testing
