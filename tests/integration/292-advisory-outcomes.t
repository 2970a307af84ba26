#!/bin/sh
# Affected products as data and an advisory for every outcome: the
# product, its affected range and fixed version stated together (case
# set, signed staff mail), contradictions refused; CSAF from those pairs
# only (vendor -> product -> version branches; no made-up "SmartCam
# 5.1.3" from crossing products with versions); fixed, mitigation only,
# workaround, no fix planned and not affected (a CSAF VEX document);
# every document valid against the CSAF 2.0 schema and the offline
# mandatory tests (tests/lib/csaf-mandatory), and that checker failing
# on documents broken by hand; a stated CVSS score that is not the
# vector's refused.
. "$top_srcdir/tests/lib/lib.sh"
need jq gpg gpgconf
PY=/usr/bin/python3
[ -x $PY ] || PY=python3
$PY -c 'import jsonschema' 2>/dev/null || plan_skip_all "python3-jsonschema not installed"
D=$top_srcdir/tests/data/csaf
schema() { $PY "$top_srcdir/tests/lib/csaf-validate" "$D" "$@"; }
mandatory() { $PY "$top_srcdir/tests/lib/csaf-mandatory" "$D" "$@"; }
# valid FILE WHAT: the schema and the mandatory tests both pass
valid() {
	schema "$1" >"$I/v.out" 2>&1
	is "$?" 0 "$2: valid against the CSAF 2.0 schema"
	[ -s "$I/v.out" ] && diag "$(cat "$I/v.out")"
	mandatory "$1" >"$I/m.out" 2>&1
	is "$?" 0 "$2: passes the mandatory tests"
	[ -s "$I/m.out" ] && diag "$(cat "$I/m.out")"
}
mk_instance || { echo "Bail out! init failed"; exit 1; }
P=$I/inst/policies/psirt.policy
for e in report followup quarantine exception; do echo "notify $e none"; done >>"$P"

mkmsg 'Rita <rita@example.net>' 'RCE in the camera' 'The web UI of our camera runs any command. CWE-78
CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' 'Message-ID: <cam1@example.net>' >"$I/r.eml"
deliver "$I/r.eml"; process
ID=$($A case list --json | jq -r '.[0].id')
st() { $A case show "$ID" --json | jq -r "$1"; }
$A case set "$ID" cve=CVE-2026-4242 credit='Rita R.' \
    summary='A command injection in the web UI lets anyone on the network run commands.' 2>>"$I/agent.log"

# --- the regression: two products, three versions, as old facts
$A case set "$ID" product=SmartCam product=Hub version=5.1.1 version=5.1.2 version=5.1.3 \
    fixed=5.1.4 2>>"$I/agent.log"
OUT=$($A advisory "$ID" --format csaf 2>"$I/err")
is "$?" 65 "old product/version facts only: no CSAF (it would cross them)"
is "$OUT" "" "nothing written"
like "$(cat "$I/err")" "missing required facts: affected" "the affected pairs named as missing"
like "$($A advisory "$ID" --format text 2>/dev/null)" '- SmartCam: 5.1.1, 5.1.2, 5.1.3' \
    "an old case's facts still read in the text advisory"
$A case set "$ID" unset=product unset=version unset=fixed 2>>"$I/agent.log"

# SmartCam 5.1.1 and 5.1.2 fixed in 5.1.4; Hub 5.1.3 fixed in 5.2
$A case set "$ID" affected='product=SmartCam affected=5.1.1,5.1.2 fixed=5.1.4' \
    affected='product=Hub affected=5.1.3 fixed=5.2' 2>>"$I/agent.log"
is "$?" 0 "two products with their own versions"
$A advisory "$ID" --format csaf >"$I/a.json" 2>>"$I/agent.log"
is "$?" 0 "advisory --format csaf"
j() { jq -r "$1" "$I/a.json"; }
leaves='[.product_tree.branches[] | .name as $v | .branches[] | .name as $p | .branches[] | "\($v)|\($p)|\(.category)|\(.name)|\(.product.product_id)"] | join(" ")'
is "$(j "$leaves")" \
    "Example Corp|SmartCam|product_version|5.1.1|CSAFPID-0001 Example Corp|SmartCam|product_version|5.1.2|CSAFPID-0002 Example Corp|SmartCam|product_version|5.1.4|CSAFPID-0003 Example Corp|Hub|product_version|5.1.3|CSAFPID-0004 Example Corp|Hub|product_version|5.2|CSAFPID-0005" \
    "vendor -> product -> version: exactly the stated pairs"
unlike "$(j '[.. | .name? // empty] | join(",")')" 'SmartCam 5\.1\.3' "no made-up SmartCam 5.1.3"
is "$(j '.vulnerabilities[0].product_status | "\(.known_affected | join(",")) / \(.fixed | join(","))"')" \
    "CSAFPID-0001,CSAFPID-0002,CSAFPID-0004 / CSAFPID-0003,CSAFPID-0005" "known affected and fixed from the pairs"
is "$(j '[.vulnerabilities[0].remediations[] | "\(.category):\(.product_ids | join(","))"] | join(" ")')" \
    "vendor_fix:CSAFPID-0001,CSAFPID-0002 vendor_fix:CSAFPID-0004" "a vendor fix per product"
is "$(j '.vulnerabilities[0].remediations[1].details')" "Update Hub to 5.2 or later." "naming its fixed version"
is "$(j '.document.category')" csaf_security_advisory "fixed: a security advisory"
valid "$I/a.json" "fixed"

# the report's conformance: the pairs are its product and fix record
for s in triaged confirmed fixed; do $A case set "$ID" status=$s 2>>"$I/agent.log"; done
$A report --format json >"$I/rep.json" 2>>"$I/agent.log"
is "$(jq -r --arg id "$ID" '"\(.conformance.checked) " + ([.conformance.cases[] | select(.case == $id) | .missing[]] | map(select(. == "product" or . == "fix-record")) | join(","))' "$I/rep.json")" \
    "1 " "report: a fixed case with pairs lacks neither a product nor a fix record"
# the report's count by product: each pair's product, once a case
byprod() { jq -r '[.by.product[] | "\(.key)=\(.count)"] | sort | join(" ")'; }
is "$(byprod <"$I/rep.json")" "Hub=1 SmartCam=1" "report: the pairs' products counted"
$A case set "$ID" product=Hub 2>>"$I/agent.log"
is "$($A report --format json 2>>"$I/agent.log" | byprod)" "Hub=1 SmartCam=1" \
    "a product both a fact and a pair: one case, counted once"
$A case set "$ID" unset=product 2>>"$I/agent.log"

# case show: text and the JSON "affected" array
is "$(st '[.affected[] | "\(.product)|\(.vendor)|\(.affected)|\(.fixed)|\(.status)"] | join(" ")')" \
    "SmartCam|Example Corp|5.1.1,5.1.2|5.1.4|fixed Hub|Example Corp|5.1.3|5.2|fixed" \
    "case show --json: the affected array (the vendor defaults to the publisher)"
like "$($A case show "$ID")" 'Affected:  Hub \(Example Corp\) 5\.1\.3: fixed in 5\.2' "case show: an Affected line"
like "$($A case show "$ID")" 'Summary:   A command injection in the web UI' "case show: a summary labelled as one"
unlike "$($A case show "$ID")" 'Assigned:' "... and no fact labelled 'Assigned:' (nobody is assigned)"

# --- bad input, each refused with its reason and nothing changed
bad() {	# VALUE REASON-REGEX WHAT
	$A case set "$ID" affected="$1" 2>"$I/err"
	is "$?" 65 "refused: $3"
	like "$(cat "$I/err")" "$2" "  with the reason"
}
bad 'product=SmartCam affected=>=5.1.2 <5.1.4 fixed=5.1.4' 'SmartCam: the ranges >=5.1.2 <5.1.4 \(fixed\) and 5.1.1,5.1.2 \(fixed\) overlap' \
    "an overlapping range of the same product"
bad 'product=SmartCam affected=<5.1 fixed=5.1.2' 'the fixed version 5.1.2 is inside the affected range 5.1.1,5.1.2' \
    "a fixed version another pair says is affected"
bad 'product=Cam affected=>=5.0 <5.1.4 fixed=5.1.3' 'fixed: 5.1.3 is not above every affected version' \
    "a fixed version inside its own range"
bad 'product=Cam affected=>=5.2 <5.1' 'the range ">=5.2 <5.1" holds no version' "an empty range"
bad 'product=Cam affected=<5 <6' 'two upper bounds' "two upper bounds"
bad 'product=Cam affected=5.0-' 'is not a version' "a span without its end"
bad 'product=Cam affected=5.1 status=not-affected' 'not-affected needs justification=FLAG' \
    "not affected without a justification"
bad 'product=Cam affected=5.1 justification=component_not_present' 'justification= goes with status=not-affected only' \
    "a justification of an affected product"
bad 'product=Cam affected=5.1 status=not-affected justification=looks_safe' '"looks_safe" is not one of component_not_present' \
    "an unknown justification"
bad 'product=Cam affected=5.1 fixed=5.2 status=no-fix-planned' 'fixed= contradicts status=no-fix-planned' \
    "a fix with no fix planned"
bad 'product=Cam product=Dog affected=5.1' 'product= given twice' "a key twice"
bad 'product=Cam affected=5.1 colour=red' 'affected: "5.1 colour=red" is not a version' "an unknown key (read as part of the range)"
bad 'vendor=ACME affected=5.1' 'product= is missing' "no product"
bad "product=Cam$(printf '\001') affected=5.1" 'a control character' "a control character"
is "$(st '.affected | length')" 2 "none of them stored"
L=$(printf 'x%.0s' $(seq 1 1100))
bad "product=$L affected=1" 'longer than 1024 bytes' "an over-long value"

# the same product and range again: the new pair replaces the old
$A case set "$ID" affected='product=Hub affected=5.1.3 fixed=5.2.1' 2>>"$I/agent.log"
is "$(st '[.affected[] | select(.product == "Hub") | .fixed] | join(",")')" "5.2.1" \
    "the same product and range again: replaced (a corrected fixed version)"

# at most 256 pairs a case (2 held, 254 more fit, the next is refused)
for n in $(seq 1 254); do printf 'affected=product=P%d affected=1\0' $n; done |
    xargs -0 $A case set "$ID" 2>>"$I/agent.log"
is "$?" 0 "254 more pairs"
$A case set "$ID" affected='product=P255 affected=1' 2>"$I/err"
is "$?" 65 "the 257th pair: refused"
like "$(cat "$I/err")" 'the case holds 256 pairs already' "saying the limit"
$A case set "$ID" affected='product=P254 affected=1 status=no-fix-planned' 2>>"$I/agent.log"
is "$?" 0 "a pair that replaces one still fits"

# --- mitigation only, then a workaround: an affected product without a fix
$A case set "$ID" unset=affected affected='product=SmartCam affected=<5.2' 2>>"$I/agent.log"
OUT=$($A advisory "$ID" --format csaf 2>"$I/err")
is "$?" 65 "affected with no fix and nothing to do: refused"
like "$(cat "$I/err")" "missing required facts: mitigation|workaround" "naming what would do"
$A case set "$ID" mitigation='Block TCP port 80 at the firewall.' 2>>"$I/agent.log"
$A advisory "$ID" --format csaf >"$I/a.json" 2>>"$I/agent.log"
is "$?" 0 "mitigation only: an advisory, not a refusal"
is "$(j '[.vulnerabilities[0].remediations[] | "\(.category):\(.product_ids | join(","))"] | join(" ")')" \
    "mitigation:CSAFPID-0001" "the mitigation, for the affected range"
is "$(j '.product_tree.branches[0].branches[0].branches[0] | "\(.category) \(.name) \(.product.name)"')" \
    "product_version_range vers:generic/<5.2 Example Corp SmartCam <5.2" "the range as a vers range"
is "$(j '.vulnerabilities[0].product_status | keys | join(",")')" known_affected "no fixed product"
valid "$I/a.json" "mitigation only"
$A case set "$ID" unset=mitigation workaround='Turn the web UI off (Settings > Remote > off).' 2>>"$I/agent.log"
$A advisory "$ID" --format csaf >"$I/a.json" 2>>"$I/agent.log"
is "$(j '.vulnerabilities[0].remediations | map(.category) | join(",")')" workaround "a workaround"
valid "$I/a.json" "workaround"
like "$($A advisory "$ID" --format text 2>/dev/null)" '- SmartCam <5.2 \(no fix yet\)' "the text advisory says there is no fix yet"

# --- no fix planned
$A case set "$ID" unset=affected unset=workaround \
    affected='product=Hub vendor=ACME Devices affected=>=1.0 <=1.9 status=no-fix-planned' 2>>"$I/agent.log"
$A advisory "$ID" --format csaf >"$I/a.json" 2>>"$I/agent.log"
is "$?" 0 "no fix planned: an advisory"
is "$(j '.vulnerabilities[0].remediations[0] | "\(.category): \(.details)"')" \
    "no_fix_planned: No fix is planned for Hub >=1.0 <=1.9." "remediation no_fix_planned"
is "$(j '.product_tree.branches[0] | "\(.name)/\(.branches[0].name)/\(.branches[0].branches[0].name)"')" \
    "ACME Devices/Hub/vers:generic/>=1.0|<=1.9" "a stated vendor, the range in vers"
valid "$I/a.json" "no fix planned"
like "$($A advisory "$ID" --format text --lang zh-TW 2>/dev/null)" 'Hub >=1.0 <=1.9（不提供修補）' "zh-TW: no fix planned"
like "$($A advisory "$ID" --format text 2>/dev/null)" 'No fix is planned for: Hub >=1.0 <=1.9' "text: no fix planned, under fix"

# --- not affected: a VEX document
$A case set "$ID" unset=affected \
    affected='product=SmartCam affected=* status=not-affected justification=vulnerable-code-not-present' \
    affected='product=Hub affected=2.0,2.1 status=not_affected justification=component_not_present' 2>>"$I/agent.log"
is "$(st '[.affected[] | "\(.status) \(.justification)"] | join(",")')" \
    "not-affected vulnerable_code_not_present,not-affected component_not_present" "not affected, with the CSAF flag labels"
$A advisory "$ID" --format csaf >"$I/vex.json" 2>>"$I/agent.log"
is "$?" 0 "not affected: an advisory"
jv() { jq -r "$1" "$I/vex.json"; }
is "$(jv '.document.category')" csaf_vex "a CSAF VEX document"
is "$(jv '.vulnerabilities[0].product_status | "\(keys | join(",")) \(.known_not_affected | join(","))"')" \
    "known_not_affected CSAFPID-0001,CSAFPID-0002,CSAFPID-0003" "every product known not affected"
is "$(jv '[.vulnerabilities[0].flags[] | "\(.label):\(.product_ids | join(","))"] | join(" ")')" \
    "vulnerable_code_not_present:CSAFPID-0001 component_not_present:CSAFPID-0002,CSAFPID-0003" \
    "each justification a VEX flag on its products"
is "$(jv '.vulnerabilities[0] | [has("scores"), has("remediations")] | map(tostring) | join(",")')" "false,false" \
    "no score or remediation for products not affected"
valid "$I/vex.json" "VEX"

# all outcomes in one: a fix, no fix planned, not affected (still VEX)
$A case set "$ID" unset=affected \
    affected='product=SmartCam affected=>=5.0 <5.1.4 fixed=5.1.4' \
    affected='product=SmartCam affected=>=5.1.4 status=not-affected justification=inline_mitigations_already_exist' \
    affected='product=Hub affected=<3 status=no-fix-planned' 2>>"$I/agent.log"
is "$?" 0 "a fixed range and the not-affected versions from its fix on: no contradiction"
$A advisory "$ID" --format csaf >"$I/all.json" 2>>"$I/agent.log"
is "$(jq -r '.vulnerabilities[0].product_status | [.fixed, .known_affected, .known_not_affected] | map(join(",")) | join(" / ")' "$I/all.json")" \
    "CSAFPID-0002 / CSAFPID-0001,CSAFPID-0004 / CSAFPID-0003" "fixed, known affected, known not affected"
valid "$I/all.json" "mixed outcomes"

# --- the checker fails on documents broken by hand
broken() {	# FILE JQ TEST WHAT
	jq "$2" "$1" >"$I/b.json"
	mandatory "$I/b.json" >"$I/m.out" 2>&1
	is "$?" 1 "checker fails: $4"
	like "$(cat "$I/m.out")" "^$3: " "  reporting $3"
}
A1=$I/all.json
broken "$A1" '.vulnerabilities[0].product_status.known_affected += ["CSAFPID-9999"]' 6.1.1 "a product ID never defined"
broken "$A1" '.product_tree.branches[0].branches[0].branches[1].product.product_id = "CSAFPID-0001"' 6.1.2 "a product ID defined twice"
broken "$A1" '.vulnerabilities[0].product_status.known_affected += ["CSAFPID-0002"]' 6.1.6 "a product both fixed and affected"
broken "$A1" '.vulnerabilities[0].scores += [.vulnerabilities[0].scores[0]]' 6.1.7 "two v3.1 scores for one product"
broken "$A1" '.vulnerabilities[0].scores[0].cvss_v3.baseScore = 11' 6.1.8 "a CVSS score out of the schema's range"
broken "$A1" '.vulnerabilities[0].scores[0].cvss_v3.baseScore = 7.5' 6.1.9 "a base score the vector does not give"
broken "$A1" '.vulnerabilities[0].scores[0].cvss_v3.baseSeverity = "HIGH"' 6.1.9 "a severity the score does not give"
broken "$A1" '.vulnerabilities[0].scores[0].cvss_v3.attackVector = "LOCAL"' 6.1.10 "a property the vector contradicts"
broken "$A1" '.product_tree.branches[0].branches[0].branches[0].product.product_identification_helper = {purl: "pkg/no-type"}' \
    6.1.13 "a malformed package URL"
broken "$A1" '.document.tracking.revision_history = [{date: "2026-01-02T00:00:00Z", number: "1", summary: "a"}, {date: "2026-01-01T00:00:00Z", number: "2", summary: "b"}] | .document.tracking.version = "1"' \
    6.1.14 "a revision history not sorted by date"
broken "$A1" '.document.tracking.version = "2"' 6.1.16 "a version not the latest revision"
broken "$A1" '.document.tracking.revision_history = [{date: "2026-01-01T00:00:00Z", number: "1", summary: "a"}, {date: "2026-01-02T00:00:00Z", number: "3", summary: "b"}] | .document.tracking.version = "3" | .document.tracking.status = "final"' \
    6.1.21 "a revision missing from the history"
broken "$A1" '.document.tracking.revision_history += .document.tracking.revision_history' 6.1.22 "a revision number twice"
broken "$A1" '.vulnerabilities += [.vulnerabilities[0]]' 6.1.23 "one CVE in two vulnerabilities"
broken "$A1" '.vulnerabilities[0].involvements = [{party: "vendor", status: "completed", date: "2026-01-01T00:00:00Z"}, {party: "vendor", status: "open", date: "2026-01-01T00:00:00Z"}]' \
    6.1.24 "one party and date twice in the involvements"
broken "$A1" '.product_tree.branches[0].branches[0].branches[0].product.product_identification_helper = {hashes: [{filename: "fw.bin", file_hashes: [{algorithm: "sha256", value: "'"$(printf 'a%.0s' $(seq 1 64))"'"}, {algorithm: "sha256", value: "'"$(printf 'b%.0s' $(seq 1 64))"'"}]}]}' \
    6.1.25 "one hash algorithm twice for a file"
broken "$A1" 'del(.vulnerabilities[0].flags)' 6.1.27.9 "a VEX product not affected without a justification"
broken "$A1" 'del(.vulnerabilities[0].remediations)' 6.1.27.10 "a VEX product affected with nothing to do"
broken "$A1" 'del(.vulnerabilities)' 6.1.27.11 "a VEX document without vulnerabilities"
broken "$A1" '.document.category = "csaf-vex"' 6.1.26 "a category that mimics a profile"
broken "$A1" '.product_tree.branches[0].branches[0].branches[1].name = "<5.1.4"' 6.1.31 "a range as a product_version"
mandatory "$I/nope.json" >/dev/null 2>&1
is "$?" 2 "checker: an unreadable input is 2, not a pass"
like "$($PY "$top_srcdir/tests/lib/csaf-mandatory" --list | cut -d' ' -f1 | tr '\n' ' ')" '6\.1\.1 6\.1\.2 .*6\.1\.27\.11 .*6\.1\.33' "checker: --list names its tests"

# --- a stated score that is not the vector's
$A case set "$ID" cvss='CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N 9.8' 2>"$I/err"
is "$?" 65 "a vector with a score it does not give: refused"
like "$(cat "$I/err")" 'the stated score 9.8 is not the vector.s 9.1' "with both scores"
$A case set "$ID" cvss='9.1 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N' 2>>"$I/agent.log"
is "$?" 0 "a vector with its own score (either order): taken"
is "$(st '[.cvss[] | .base_score] | join(",")')" "9.8,9.1" "stored as a vector"
$A case set "$ID" cvss='CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N high' 2>"$I/err"
is "$?" 65 "a score that is not a number: refused"

# --- by signed staff mail: one #affected line per product
gpg_person 'Lin <lin@corp.example>' lin@corp.example; RL=$R; FL=$RFPR
R=$RL rgpg --armor --export >"$I/k.asc"
$A key import "$I/k.asc" >/dev/null 2>>"$I/agent.log"
sed -i "s/^member psirt-lead \"Lin Mei-hua\" lin@corp.example\$/& pgp $FL/" "$P"
N=0
staff() {
	N=$((N + 1))
	b=$(printf '%s\n\n> [%s] New vulnerability report\n' "$1" "$ID" | R=$RL rgpg --clearsign)
	{ printf 'From: Lin <lin@corp.example>\nTo: security@example.org\nSubject: Re: [%s] work\n' "$ID"
	  printf 'Message-ID: <staff%s.%s@corp.example>\n\n%s\n' "$N" "$$" "$b"; } >"$I/s$N.eml"
	deliver "$I/s$N.eml"; process
}
$A case set "$ID" unset=affected 2>>"$I/agent.log"
staff '#affected product=SmartCam affected=<5.1.4 fixed=5.1.4
#affected product=Smart Cam Pro vendor=ACME affected=>=2.0 <2.3 fixed=2.3'
is "$(st '[.affected[] | "\(.product)|\(.vendor)|\(.affected)|\(.fixed)"] | join(" ")')" \
    "SmartCam|Example Corp|<5.1.4|5.1.4 Smart Cam Pro|ACME|>=2.0 <2.3|2.3" "#affected lines by signed mail, one per product"
staff '#affected product=SmartCam affected=<=5.1.3 fixed=5.1.5'
is "$(st '.affected | length')" 2 "a contradicting #affected line changes nothing"
like "$(st '[.events[] | select(.type == "command-refused") | .detail] | last')" 'SmartCam: the ranges' \
    "and is refused with the reason"

# case list --product finds a case by its affected pairs too
n() { $A case list --product "$1" --json | jq length; }
is "$(n 'Smart Cam Pro') $(n smartcam) $(n Smart) $(n 'Smart Cam')" "1 1 0 0" \
    "case list --product: a pair's product, whole and in any case"

done_testing
