#!/bin/sh
# The ten-case walk of issue 22: ten cases from report to their end as a
# PSIRT lead would walk them, through the real paths (reports delivered
# as mail and processed, staff work by case set and by signed staff
# mail), every step at a simulated time (libfaketime: the agent, gpg and
# everything else the test runs see the step's clock, so that every time
# the agent records is the simulated one). Each finding of the issue's
# "Why" is a regression here, with the expected value worked out by hand
# in the comments: the hall of fame, the CSAF product tree and status,
# an advisory for a case that cannot be fixed, a VEX document, the CVE
# record, a CVE cited for comparison, rejected and duplicate cases out of
# the fix and advisory figures, the KPIs (response time mean, median,
# p90; fixes and advisories on time; overruns by reason), an incident
# reopened from rejected, and the HTML report's overdue table. Every
# CSAF document and CVE record made is validated.
#
# The walk (all times UTC, March 2026; the report is read on 03-20 09:00):
#  K1  Alice, 03-02 09:00, RCE in SmartCam (CVSS 9.8, critical), credits
#      herself ("Credit: Alice A. (ACME)"), cites CVE-2021-44228 for
#      comparison; staff add a co-finder, two products with three
#      versions, a CVE; confirmed 10:00 (the first answer, 1 h), fixed
#      03-05, disclosed 03-06.
#  K2  Bob, 03-02 11:00, open redirect in Hub (6.1, medium), no credit;
#      answered in the lead's own words by signed mail (#reply) 13:00
#      (2 h); cannot be fixed: no fix planned, a mitigation.
#  K3  Bob, 03-02 14:00, CSRF in the Router, "#credit @b0b"; confirmed
#      03-03 14:00 (1 d); the Router is not affected: a VEX document.
#  K4  Carol, 03-03 09:00, the same bug as K1 (9.8), "Credit:
#      anonymous"; duplicate 12:00 (3 h).
#  K5  Dan, 03-03 10:00, not a vulnerability; low 10:20, rejected 10:30
#      (30 min).
#  K6  SOC, 03-04 09:00, a level-4 incident; rejected 10:00 (1 h);
#      reopened 03-06 09:00: its recovery clock (36 h) runs again.
#  K7  Eve, 03-04 09:00, Hub heap overflow (7.5, high); confirmed 03-05
#      09:00 (1 d); fixed 03-14 09:00, 3 days after its fix was due
#      (third party: the chip vendor); disclosed 03-15.
#  K8  Fay, 03-02 16:00, clickjacking; nobody answers: its triage
#      (2 days) is the most late deadline.
#  K9  Gil, 03-05 10:00, SQL injection (8.8, high); a signed "#reply
#      confirmed" 15:00 (5 h); triaged and confirmed 03-06, fixed 03-10.
#  K10 Wang, 03-06 09:00, zh-TW, 致謝：王小明 (國立臺灣大學); confirmed
#      21:00 (12 h); its fix (due 03-13 09:00) overdue (resources).
. "$top_srcdir/tests/lib/lib.sh"
need jq gpg gpgconf python3
PY=/usr/bin/python3
[ -x $PY ] || PY=python3
$PY -c 'import jsonschema' 2>/dev/null || plan_skip_all "python3-jsonschema not installed"
FT_LIB=$(ls /usr/lib/*/faketime/libfaketimeMT.so.1 \
    /usr/lib/faketime/libfaketimeMT.so.1 2>/dev/null | head -n 1)
[ -n "$FT_LIB" ] || plan_skip_all "libfaketime is not installed (Debian: faketime)"
# the simulated clock for the whole test: every process it starts
LD_PRELOAD="$FT_LIB${LD_PRELOAD:+:$LD_PRELOAD}"
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
FAKETIME_DONT_FAKE_MONOTONIC=1
TZ=UTC
export LD_PRELOAD ASAN_OPTIONS FAKETIME_DONT_FAKE_MONOTONIC TZ
# at "YYYY-MM-DD hh:mm:ss": the clock of what runs next (UTC), stopped
# there (not running on: a slow run, under valgrind, would record its
# seconds into the figures)
at() { FAKETIME="$1"; export FAKETIME; }
at "2026-03-01 08:00:00"
[ "$(date -u +%F)" = 2026-03-01 ] || plan_skip_all "libfaketime does not move the clock here"

CSAF=$top_srcdir/tests/data/csaf
# valid_csaf FILE WHAT: the CSAF 2.0 schema and the mandatory tests
valid_csaf() {
	$PY "$top_srcdir/tests/lib/csaf-validate" "$CSAF" "$1" >"$I/v.out" 2>&1
	is "$?" 0 "$2: valid against the CSAF 2.0 schema"
	[ -s "$I/v.out" ] && diag "$(cat "$I/v.out")"
	$PY "$top_srcdir/tests/lib/csaf-mandatory" "$CSAF" "$1" >"$I/v.out" 2>&1
	is "$?" 0 "$2: passes the CSAF mandatory tests"
	[ -s "$I/v.out" ] && diag "$(cat "$I/v.out")"
}
# valid_cve FILE WHAT: the CVE Record Format 5.x schemas
valid_cve() {
	$PY "$top_srcdir/tests/lib/cve-validate" "$top_srcdir/tests/data/cve" "$1" >"$I/v.out" 2>&1
	is "$?" 0 "$2: valid against the CVE Record Format schemas"
	[ -s "$I/v.out" ] && diag "$(cat "$I/v.out")"
}

mk_instance || { echo "Bail out! init failed"; exit 1; }
notices_off
P=$I/inst/policies/psirt.policy
ORG=8254265b-2729-46b6-b9e3-3dfca2d5bfca
# triage in calendar days (the default counts business days); the fix
# clocks stated as the defaults are, to compute by hand
cat >>"$P" <<EOF
deadline triage within 2 days
deadline fix critical within 7 days
deadline fix high within 7 days
deadline fix medium within 30 days
deadline fix low within 90 days
deadline disclosure within 90 days
cna-org-id $ORG
cna-short-name examplecorp
EOF
like "$($A policy check 2>&1)" ': ok: ' "the walk's policy is good"

# the lead's key (made before the walk: a key made later than the
# signature it makes is refused), in the policy's roster
gpg_person 'Lin <lin@corp.example>' lin@corp.example
RL=$R
rgpg --armor --export >"$I/k.asc"
$A key import "$I/k.asc" >/dev/null 2>>"$I/agent.log"
sed -i "s/^member psirt-lead \"Lin Mei-hua\" lin@corp.example\$/& pgp $RFPR/" "$P"

show() { $A case show "$1" --json; }
st() { show "$1" | jq -r "$2"; }
# report AT FROM SUBJECT BODY MSGID: the reporter's mail at AT, delivered
# and processed; the new case's ID in $ID
report() {
	at "$1"
	{ printf 'From: %s\nTo: security@example.org\nSubject: %s\n' "$2" "$3"
	  printf 'Date: %s\nMessage-ID: <%s>\n' "$(date -u -R)" "$5"
	  [ -z "${6:-}" ] || printf '%s\n' "$6"
	  printf '\n%s\n' "$4"; } >"$I/r.eml"
	deliver "$I/r.eml"; process
	ID=$($A case list --json | jq -r --arg s "$3" '.[] | select(.subject == $s) | .id')
}
# set_ AT ID CHANGES...: case set at AT
set_() {
	at "$1"
	shift
	$A case set "$@" >/dev/null 2>>"$I/agent.log" || fail "case set $*"
}
# staff AT CASE BODY: Lin's clear-signed command mail to the case at AT
SN=0
staff() {
	at "$1"
	SN=$((SN + 1))
	b=$(printf '%s\n\n> [%s] New vulnerability report\n' "$3" "$2" | R=$RL rgpg --clearsign)
	{ printf 'From: Lin <lin@corp.example>\nTo: security@example.org\nSubject: Re: [%s] work\n' "$2"
	  printf 'Date: %s\nMessage-ID: <staff%s.%s@corp.example>\n\n%s\n' "$(date -u -R)" "$SN" "$$" "$b"; } >"$I/s.eml"
	deliver "$I/s.eml"; process
	is "$(st "$2" '[.events[] | select(.type == "command-refused")] | length')" 0 \
	    "signed staff mail to $2 at $1: nothing refused"
}

# --- the reports and the first answers, day by day --------------------
report "2026-03-02 09:00:00" 'Alice <alice@example.net>' 'RCE in the SmartCam web UI' \
'The web UI of the camera runs any command given in the ntp field. CWE-78
CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H
This is similar to CVE-2021-44228 in the way input reaches a shell.

Credit: Alice A. (ACME)' alice1@example.net
K1=$ID
report "2026-03-02 11:00:00" 'Bob <bob@example.net>' 'Open redirect in the Hub login' \
'The next parameter of /login sends the user anywhere.
CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N' bob1@example.net
K2=$ID
report "2026-03-02 14:00:00" 'Bob <bob@example.net>' 'CSRF in the Router settings' \
'The settings form has no CSRF token.
#credit @b0b' bob2@example.net
K3=$ID
report "2026-03-02 16:00:00" 'Fay <fay@example.net>' 'Clickjacking in the portal' \
'The portal can be framed by any site.' fay1@example.net
K8=$ID
is "$(st "$K1" '.created_at')" 2026-03-02T09:00:00Z "the case is opened at the simulated time of its mail"

set_ "2026-03-02 10:00:00" "$K1" status=triaged status=confirmed
staff "2026-03-02 13:00:00" "$K2" '#reply

Thank you for the report. We can reproduce the redirect and will tell
you what we do about it.'
report "2026-03-03 09:00:00" 'Carol <carol@example.net>' 'Command injection in SmartCam NTP settings' \
'Any command in the NTP server field runs as root. CWE-78
CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H
Credit: anonymous' carol1@example.net
K4=$ID
report "2026-03-03 10:00:00" 'Dan <dan@example.net>' 'Your website is slow' \
'Pages take ten seconds to load.' dan1@example.net
K5=$ID
set_ "2026-03-03 10:20:00" "$K5" severity=low
set_ "2026-03-03 10:30:00" "$K5" status=rejected
set_ "2026-03-03 11:00:00" "$K2" status=triaged status=confirmed
set_ "2026-03-03 12:00:00" "$K4" status=duplicate
set_ "2026-03-03 14:00:00" "$K3" status=triaged status=confirmed severity=low
report "2026-03-04 09:00:00" 'SOC <soc@example.net>' 'Ransomware incident on the file server' \
'Kind: incident
Level: 4
The files of the finance share are encrypted.' soc1@example.net
K6=$ID
report "2026-03-04 09:00:00" 'Eve <eve@example.net>' 'Heap overflow in the Hub firmware' \
'A long Host header crashes the Hub.
CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' eve1@example.net
K7=$ID
set_ "2026-03-04 10:00:00" "$K6" status=rejected
set_ "2026-03-05 09:00:00" "$K7" status=triaged status=confirmed
report "2026-03-05 10:00:00" 'Gil <gil@example.net>' 'SQL injection in the portal search' \
'The q parameter of /search reaches SQL unescaped.
CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H' gil1@example.net
K9=$ID
staff "2026-03-05 15:00:00" "$K9" '#reply confirmed We reproduced it.'
report "2026-03-06 09:00:00" 'Wang <wang@example.tw>' '入口網站登入頁面 SQL 注入' \
'登入頁面的帳號欄位可以注入 SQL。
CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H
致謝：王小明 (國立臺灣大學)' wang1@example.tw
K10=$ID
set_ "2026-03-06 09:00:00" "$K6" status=new
set_ "2026-03-06 10:00:00" "$K9" status=triaged status=confirmed
set_ "2026-03-06 21:00:00" "$K10" status=triaged status=confirmed

# --- staff's work on the cases ------------------------------------------
# K1: a co-finder, the reporter's credit confirmed; two products with
# their own versions (SmartCam 5.1.1 and 5.1.2 fixed in 5.1.4; Hub 5.1.3
# fixed in 5.2); the CVE, its descriptions and a reference
set_ "2026-03-02 10:05:00" "$K1" 'credit=Kai Lin (ACME Labs)' credit-confirm=all \
    cve=CVE-2026-31001 \
    affected='product=SmartCam affected=5.1.1,5.1.2 fixed=5.1.4' \
    affected='product=Hub affected=5.1.3 fixed=5.2' \
    summary='A command injection in the NTP settings of the web UI lets anyone on the network run commands as root.' \
    description='zh-TW: 網頁介面 NTP 設定的命令注入，網路上任何人都能以 root 執行指令。' \
    remediation='Update SmartCam to 5.1.4 and Hub to 5.2.' \
    reference=https://corp.example/sa/2026-001
# K2: Hub before 3 will not be fixed (end of life); a mitigation
staff "2026-03-03 15:00:00" "$K2" '#affected product=Hub affected=<3 status=no-fix-planned
#mitigation Block access to /login from outside the local network.
#cve CVE-2026-31002
#cwe CWE-601
#reference https://corp.example/sa/2026-002
#summary An open redirect in the Hub login page sends users to any site.'
# K3: the Router is not affected (the form is in code the Router does
# not ship): a VEX document
set_ "2026-03-04 14:00:00" "$K3" \
    affected='product=Router affected=2.0,2.1 status=not-affected justification=vulnerable_code_not_present' \
    summary='A CSRF in the settings form of the web UI; the Router does not ship the form.' \
    cve=CVE-2026-31003 cwe=CWE-352 reference=https://corp.example/sa/2026-003
# K9 and K10: credits confirmed (Wang's own choice)
set_ "2026-03-06 21:05:00" "$K10" credit-confirm=all
staff "2026-03-04 15:00:00" "$K3" '#credit confirm all'
# the fixes and disclosures
set_ "2026-03-05 09:00:00" "$K1" status=fixed
set_ "2026-03-06 09:00:00" "$K1" status=disclosed
set_ "2026-03-10 10:00:00" "$K9" status=fixed fixed=4.2.1
set_ "2026-03-12 09:00:00" "$K7" 'overrun-reason=third-party: waiting for the chip vendor'
set_ "2026-03-14 09:00:00" "$K7" status=fixed fixed=5.3
set_ "2026-03-15 09:00:00" "$K7" status=disclosed
set_ "2026-03-16 09:00:00" "$K10" 'overrun-reason=resources: two analysts on leave'

# --- what the walk recorded: the simulated times ------------------------
at "2026-03-20 09:00:00"
is "$(for k in $K1 $K2 $K3 $K4 $K5 $K6 $K7 $K8 $K9 $K10; do st "$k" .created_at; done | paste -sd ' ')" \
    "2026-03-02T09:00:00Z 2026-03-02T11:00:00Z 2026-03-02T14:00:00Z 2026-03-03T09:00:00Z 2026-03-03T10:00:00Z 2026-03-04T09:00:00Z 2026-03-04T09:00:00Z 2026-03-02T16:00:00Z 2026-03-05T10:00:00Z 2026-03-06T09:00:00Z" \
    "each case opened at the simulated time its mail came"
is "$(for k in $K1 $K2 $K3 $K4 $K5 $K6 $K7 $K8 $K9 $K10; do st "$k" .status; done | paste -sd ' ')" \
    "disclosed confirmed confirmed duplicate rejected new disclosed new fixed confirmed" \
    "where each case ended"
# every event of the walk at a simulated time: none after the last step
# (03-16 09:00) or before the first (03-02 09:00)
is "$(for k in $K1 $K2 $K3 $K4 $K5 $K6 $K7 $K8 $K9 $K10; do show "$k"; done |
    jq -r '.events[] | .at | select(. < "2026-03-02T09:00:00Z" or . > "2026-03-16T09:00:01Z")' | sort -u | paste -sd ' ')" \
    "" "no event recorded at a real time"
# the first answer of each, as the events record it: a person's
is "$(show "$K2" | jq -r '[.events[] | select(.type == "reply-sent" and .actor != "agent")][0] | "\(.at) \(.actor)"')" \
    "2026-03-02T13:00:00Z lin@corp.example" "K2: the lead's #reply in her own words, at 13:00"
is "$(show "$K9" | jq -r '[.events[] | select(.type == "status-reply")][0] | "\(.at) \(.actor)"')" \
    "2026-03-05T15:00:00Z lin@corp.example" "K9: the lead's signed #reply confirmed, at 15:00"

# --- credits and the hall of fame ---------------------------------------
cr() { show "$1" | jq -c '[.credits[] | [.name, .organization, .choice, .confirmed, .source]]'; }
is "$(cr "$K1")" '[["Alice A.","ACME","named",true,"reporter"],["Kai Lin","ACME Labs","named",true,"staff"]]' \
    "K1: Alice's own Credit: line and the co-finder, both confirmed"
is "$(cr "$K2")" '[]' "K2: Bob chose no credit"
is "$(cr "$K3")" '[["@b0b",null,"handle",true,"reporter"]]' "K3: Bob's #credit by handle, confirmed by signed mail"
is "$(cr "$K4")" '[[null,null,"anonymous",false,"reporter"]]' "K4: Carol anonymous"
is "$(cr "$K10")" '[["王小明","國立臺灣大學","named",true,"reporter"]]' "K10: 致謝： with a full-width colon"
# the hall of fame: each finder once, for the case that credits them;
# Bob's two reports are under nobody else's name (the regression: they
# were credited to another reporter's name), Bob himself not named (no
# credit on K2; K3 credits @b0b); Carol anonymous, on a duplicate
is "$($A halloffame | grep '^- ')" '- @b0b (1 report)
- Alice A. \(ACME\) (1 report)
- Kai Lin \(ACME Labs\) (1 report)
- 王小明 \(國立臺灣大學\) (1 report)' "hall of fame (Markdown): exactly the four confirmed finders, one report each"
is "$($A halloffame --format html | grep -o '<li>[^<]*</li>' | paste -sd '|')" \
    '<li>@b0b (1 report)</li>|<li>Alice A. (ACME) (1 report)</li>|<li>Kai Lin (ACME Labs) (1 report)</li>|<li>王小明 (國立臺灣大學) (1 report)</li>' \
    "hall of fame (HTML): the same"
unlike "$($A halloffame)" 'Bob|bob@|Carol|anonymous|2 reports' "nobody's reports under another name; anonymous never named"
# the reporters' records: each their own choice, nobody else's
is "$($A reporters --json | jq -r 'map(select(.address | test("^(alice|bob|carol)@")) | "\(.address)=\(.credit)") | sort | join(" ")')" \
    "alice@example.net=Alice A. (ACME) bob@example.net=@b0b carol@example.net=null" \
    "reporters: Alice's, Bob's and Carol's own choices"

# --- K1: two products, three versions; the CVE; a CVE cited ------------
is "$(st "$K1" '"\(.cves | join(",")) / \(.cves_mentioned | join(","))"')" \
    "CVE-2026-31001 / CVE-2021-44228" "K1: the CVE cited for comparison is a mention, not the case's CVE"
$A advisory "$K1" --format csaf >"$I/k1.json" 2>>"$I/agent.log"
is "$?" 0 "K1: advisory --format csaf"
j() { jq -r "$2" "$1"; }
leaves='[.product_tree.branches[] | .name as $v | .branches[] | .name as $p | .branches[] | "\($v)/\($p)/\(.name)=\(.product.product_id)"] | join(" ")'
is "$(j "$I/k1.json" "$leaves")" \
    "Example Corp/SmartCam/5.1.1=CSAFPID-0001 Example Corp/SmartCam/5.1.2=CSAFPID-0002 Example Corp/SmartCam/5.1.4=CSAFPID-0003 Example Corp/Hub/5.1.3=CSAFPID-0004 Example Corp/Hub/5.2=CSAFPID-0005" \
    "K1 CSAF product tree: vendor/product/version from the pairs only"
is "$(j "$I/k1.json" '.vulnerabilities[0].product_status | to_entries | map("\(.key)=\(.value | join(","))") | join(" ")')" \
    "fixed=CSAFPID-0003,CSAFPID-0005 known_affected=CSAFPID-0001,CSAFPID-0002,CSAFPID-0004" \
    "K1 CSAF product_status: exactly the expected IDs per status"
is "$(j "$I/k1.json" '[.. | .product? | objects | .name] | map(select(test("SmartCam 5.1.3|Hub 5.1.[124]"))) | length')" 0 \
    "no SmartCam 5.1.3 (nor Hub 5.1.1, 5.1.2, 5.1.4) made up"
is "$(j "$I/k1.json" '[.vulnerabilities[].cve] | join(",")')" CVE-2026-31001 "K1 CSAF: one vulnerability, the case's CVE"
is "$(grep -c 'CVE-2021-44228' "$I/k1.json")" 0 "K1 CSAF: the cited CVE nowhere"
is "$(j "$I/k1.json" '[.vulnerabilities[0].remediations[] | "\(.category):\(.product_ids | join(","))"] | join(" ")')" \
    "vendor_fix:CSAFPID-0001,CSAFPID-0002 vendor_fix:CSAFPID-0004" "K1 CSAF: a vendor fix per product"
is "$(j "$I/k1.json" '.vulnerabilities[0].scores[0].cvss_v3 | "\(.baseScore) \(.vectorString)"')" \
    "9.8 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" "K1 CSAF: the CVSS v3.1 score"
is "$(j "$I/k1.json" '[.document.acknowledgments[] | "\(.names[0]) (\(.organization))"] | join(", ")')" \
    "Alice A. (ACME), Kai Lin (ACME Labs)" "K1 CSAF: both finders acknowledged"
is "$(j "$I/k1.json" '.document.tracking | "\(.status) \(.initial_release_date) \(.generator.date)"')" \
    "final 2026-03-06T09:00:00Z 2026-03-20T09:00:00Z" "K1 CSAF: released when disclosed, generated at the simulated now"
valid_csaf "$I/k1.json" "K1 CSAF"

$A advisory "$K1" --format cve >"$I/k1c.json" 2>>"$I/agent.log"
is "$?" 0 "K1: advisory --format cve"
valid_cve "$I/k1c.json" "K1 CVE record"
c() { jq -r ".[0].cnaContainer | $1" "$I/k1c.json"; }
is "$(jq -r 'map(.cveId) | join(",")' "$I/k1c.json")" CVE-2026-31001 "K1 CVE: one record, the case's CVE (not the cited one)"
is "$(grep -c 'CVE-2021-44228' "$I/k1c.json")" 0 "K1 CVE: the cited CVE nowhere"
is "$(c '[.affected[] | "\(.vendor)|\(.product)|\(.defaultStatus)|" + ([.versions[] | "\(.version):\(.status)"] | join(","))] | join(" ")')" \
    "Example Corp|SmartCam|unknown|5.1.1:affected,5.1.2:affected,5.1.4:unaffected Example Corp|Hub|unknown|5.1.3:affected,5.2:unaffected" \
    "K1 CVE: affected versions per product, the fixes unaffected"
is "$(c '[.problemTypes[].descriptions[] | "\(.type) \(.cweId) \(.lang)"] | join(",")')" "CWE CWE-78 en" "K1 CVE: the CWE"
is "$(c '[.metrics[] | .cvssV3_1 | select(.) | "\(.version) \(.baseScore) \(.baseSeverity) \(.vectorString)"] | join(",")')" \
    "3.1 9.8 CRITICAL CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" "K1 CVE: CVSS v3.1 score"
is "$(c '[.descriptions[] | "\(.lang)=\(.value)"] | join("|")')" \
    "en=A command injection in the NTP settings of the web UI lets anyone on the network run commands as root.|zh-TW=網頁介面 NTP 設定的命令注入，網路上任何人都能以 root 執行指令。" \
    "K1 CVE: descriptions in en and zh-TW"
is "$(c '[.credits[] | "\(.type):\(.lang):\(.value)"] | join("|")')" \
    "finder:en:Alice A. (ACME)|finder:en:Kai Lin (ACME Labs)" "K1 CVE: one credit per finder"
is "$(c '.providerMetadata | "\(.orgId) \(.shortName)"')" "$ORG examplecorp" "K1 CVE: providerMetadata from cna-org-id"
is "$(c '[.references[].url] | join(",")')" https://corp.example/sa/2026-001 "K1 CVE: the reference"
is "$(c .datePublic)" 2026-03-06T09:00:00Z "K1 CVE: published when disclosed"

# --- K2: cannot be fixed: an advisory, not a refusal --------------------
$A advisory "$K2" --format csaf >"$I/k2.json" 2>"$I/err"
is "$?" 0 "K2 (no fix planned): an advisory is produced"
is "$(j "$I/k2.json" '.document.category')" csaf_security_advisory "K2: a security advisory"
is "$(j "$I/k2.json" "$leaves")" "Example Corp/Hub/vers:generic/<3=CSAFPID-0001" "K2: the range as a vers range"
is "$(j "$I/k2.json" '.vulnerabilities[0].product_status | to_entries | map("\(.key)=\(.value | join(","))") | join(" ")')" \
    "known_affected=CSAFPID-0001" "K2: known affected, nothing fixed"
is "$(j "$I/k2.json" '[.vulnerabilities[0].remediations[] | "\(.category):\(.product_ids | join(","))"] | sort | join(" ")')" \
    "mitigation:CSAFPID-0001 no_fix_planned:CSAFPID-0001" "K2: remediation no_fix_planned, and the mitigation"
valid_csaf "$I/k2.json" "K2 CSAF (no fix planned)"
$A advisory "$K2" --format cve >"$I/k2c.json" 2>>"$I/agent.log"
is "$?" 0 "K2: a CVE record too"
valid_cve "$I/k2c.json" "K2 CVE record"
is "$(jq -r '.[0].cnaContainer.affected[0].versions[0] | "\(.version) \(.lessThan) \(.status) \(.versionType)"' "$I/k2c.json")" \
    "0 3 affected custom" "K2 CVE: Hub below 3 affected"

# --- K3: not affected, with a justification: VEX ------------------------
$A advisory "$K3" --format csaf >"$I/k3.json" 2>>"$I/agent.log"
is "$?" 0 "K3 (not affected): an advisory"
is "$(j "$I/k3.json" '.document.category')" csaf_vex "K3: a CSAF VEX document"
is "$(j "$I/k3.json" '.vulnerabilities[0].product_status | to_entries | map("\(.key)=\(.value | join(","))") | join(" ")')" \
    "known_not_affected=CSAFPID-0001,CSAFPID-0002" "K3: Router 2.0 and 2.1 known not affected"
is "$(j "$I/k3.json" '[.vulnerabilities[0].flags[] | "\(.label):\(.product_ids | join(","))"] | join(" ")')" \
    "vulnerable_code_not_present:CSAFPID-0001,CSAFPID-0002" "K3: the justification as a VEX flag"
is "$(j "$I/k3.json" '[.document.acknowledgments[].names[0]] | join(",")')" "@b0b" "K3: Bob credited by his handle only"
valid_csaf "$I/k3.json" "K3 CSAF VEX"
$A advisory "$K3" --format cve >"$I/k3c.json" 2>>"$I/agent.log"
is "$?" 0 "K3: a CVE record"
valid_cve "$I/k3c.json" "K3 CVE record"
is "$(jq -r '[.[0].cnaContainer.affected[0].versions[] | "\(.version):\(.status)"] | join(",")' "$I/k3c.json")" \
    "2.0:unaffected,2.1:unaffected" "K3 CVE: the Router versions unaffected"

# --- K6: an incident reopened from rejected -----------------------------
# level 4: recovery within 36 hours; rejected 03-04 10:00 (clock met),
# reopened 03-06 09:00: it runs again, due 03-06 09:00 + 36 h = 03-07
# 21:00, not met
dl() { show "$1" | jq -r --arg n "$2" '[.deadlines[] | select(.name == $n)][0] | "\(.state) \(.started_at) \(.due_at) \(.ended_at)"'; }
at "2026-03-07 20:00:00"
is "$(dl "$K6" incident)" "running 2026-03-06T09:00:00Z 2026-03-07T21:00:00Z null" \
    "K6 reopened: the recovery clock runs again, due 36 h after the reopening (an hour left)"
is "$(show "$K6" | jq -r '[.events[] | select(.type == "deadline-restarted") | "\(.at) \(.detail | split(" ")[0])"] | join(",")')" \
    "2026-03-06T09:00:00Z incident" "... the restart an event at the reopening"
at "2026-03-20 09:00:00"
is "$(dl "$K6" incident)" "missed 2026-03-06T09:00:00Z 2026-03-07T21:00:00Z null" "... missed by 03-20, not met"

# --- the KPIs, by hand ---------------------------------------------------
# first answers by a person (status reply, #reply; never the
# acknowledgement, sent at each report's arrival):
#   K1 3600 (confirmed 10:00)   K2 7200 (#reply 13:00)
#   K3 86400 (confirmed 03-03)  K4 10800 (duplicate 12:00)
#   K5 1800 (rejected 10:30)    K6 3600 (rejected 10:00)
#   K7 86400 (confirmed 03-05)  K8 none
#   K9 18000 (#reply confirmed 15:00)  K10 43200 (confirmed 21:00)
# sorted: 1800 3600 3600 7200 10800 18000 43200 86400 86400, n 9;
# sum 261000, mean 29000; median the 5th, 10800; p90 the nearest rank
# ceil(0.9 * 9) = 9th, 86400
J=$($A report --format json 2>>"$I/agent.log")
v() { printf '%s' "$J" | jq -c "$1"; }
is "$(v .kpis.response_seconds)" '{"mean":29000,"median":10800,"p90":86400,"n":9}' \
    "response time: mean 29000 s, median 10800 s, p90 86400 s over 9 answered"
is "$(v '[.times[] | select(.step == "acknowledge") | .mean_seconds] | unique')" '[0]' \
    "the acknowledgement (at arrival) is its own line, not the response time"
# fix clocks ended: K1 (03-02 09:00 + 7 d = 03-09 09:00, fixed 03-05: on
# time), K7 (due 03-11 09:00, fixed 03-14: late), K9 (due 03-12 10:00,
# fixed 03-10: on time); K4 (duplicate 3 h in) and K5 (rejected 30 min
# in; its fix clock, low, set at 10:20) ended "on time" but are left
# out (they were counted: 4 of 5); K2, K3, K10 running: 2 of 3
is "$(v '[.kpis.fix_on_time_met, .kpis.fix_on_time_count, .kpis.fix_on_time]')" '[2,3,0.6667]' \
    "fixes on time: 2 of 3 (rejected and duplicate left out)"
# disclosure clocks ended: K1 (03-06) and K7 (03-15), both well within 90
# days; K4, K5 (ended at their rejection) left out (4 of 4 before)
is "$(v '[.kpis.advisory_timeliness_met, .kpis.advisory_timeliness_count, .kpis.advisory_timeliness]')" '[2,2,1]' \
    "advisories on time: 2 of 2 (rejected and duplicate left out)"
# missed: K7 fix (third-party), K10 fix running past 03-13 09:00
# (resources), K8 triage and K6 recovery (no reason given)
is "$(v .kpis.overruns)" '{"resources":{"deadlines":1,"cases":1},"third-party":{"deadlines":1,"cases":1},"process":{"deadlines":0,"cases":0},"none":{"deadlines":2,"cases":2}}' \
    "overruns grouped by reason"
# over the cases registered from 03-05 only: K9 (18000) and K10 (43200):
# mean and median (the middle two's mean) 30600, p90 the 2nd, 43200; K9
# fixed on time, K10's fix running: 1 of 1
is "$($A report --from 2026-03-05 --format json 2>>"$I/agent.log" |
    jq -c '[.cases.total, .kpis.response_seconds, .kpis.fix_on_time_met, .kpis.fix_on_time_count]')" \
    '[2,{"mean":30600,"median":30600,"p90":43200,"n":2},1,1]' "the figures of the cases from 03-05 on"
T=$($A report 2>>"$I/agent.log")
like "$T" 'response time +mean 8h03m, median 3h00m, p90 1d00h \(9 answered\)' "text: response time"
like "$T" 'fixes on time +67% \(2 of 3\)' "text: fixes on time, 2 of 3"
like "$T" 'advisories on time +100% \(2 of 2\)' "text: advisories on time, 2 of 2"
like "$T" 'overruns +resources 1 \(1 case\), third-party 1 \(1 case\), process 0 \(0 cases\), no reason given 2 \(2 cases\)' \
    "text: overruns by reason"
# overdue at 03-20 09:00, most late first:
#   K8 triage due 03-04 16:00: 15 d 17 h = 1357200 s (15.7 days)
#   K6 incident due 03-07 21:00: 12 d 12 h = 1080000 s (12.5)
#   K10 fix due 03-13 09:00: 7 d = 604800 s (7.0)
is "$(v '.overdue | map("\(.case) \(.clock) \(.late_seconds)") | join(",")')" \
    "\"$K8 triage 1357200,$K6 incident 1080000,$K10 fix 604800\"" "overdue: most late first, late by hand"

# --- the HTML report of the same store ----------------------------------
$A report --format html >"$I/r.html" 2>>"$I/agent.log"
is "$?" 0 "report --format html"
$PY - "$I/r.html" >"$I/rows" 2>&1 <<'PY'
import html.parser, sys

class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.table = False
        self.row = None
        self.cell = None
        self.rows = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'table' and 'overdue' in (a.get('class') or '').split():
            self.table = True
        elif tag == 'tr' and self.table:
            self.row = []
        elif tag in ('td', 'th') and self.row is not None:
            self.cell = []
    def handle_endtag(self, tag):
        if tag == 'table':
            self.table = False
        elif tag in ('td', 'th') and self.cell is not None:
            self.row.append(' '.join(''.join(self.cell).split()))
            self.cell = None
        elif tag == 'tr' and self.row is not None:
            self.rows.append(self.row)
            self.row = None
    def handle_data(self, d):
        if self.cell is not None:
            self.cell.append(d)

p = P()
p.feed(open(sys.argv[1], encoding='utf-8').read())
p.close()
for r in p.rows:
    print(' | '.join(r))
PY
is "$?" 0 "the HTML report parses (python3 html.parser)"
is "$(sed -n 2p "$I/rows")" "$K8 | analyst (R) | - | triage | 2026-03-04 16:00 UTC | 15.7" \
    "its overdue table's first row: the most late case (K8, 15.7 days)"
is "$(sed 1d "$I/rows" | cut -d' ' -f1 | paste -sd ' ')" "$K8 $K6 $K10" "then K6 and K10"

done_testing
