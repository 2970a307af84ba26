#!/bin/sh
# Members find and read cases by mail: signed #show CASE, #list [filters]
# and #search WORDS to the agent's address are answered only encrypted
# to the member's policy key (a member with no key is refused, told
# why, and sent nothing of the cases); #show gives the case as `case
# show` does, with decrypted messages and the attachments as MIME
# parts; TLP:RED cases only to the members their rule names; forged,
# unsigned and replayed queries are refused. Real keys for three
# members, an outsider and a reporter.
. "$top_srcdir/tests/lib/lib.sh"
need jq gpg gpgconf
mk_instance --generate-keys || { echo "Bail out! init failed"; exit 1; }
P=$I/inst/policies/psirt.policy
gpg_person 'Lin <lin@corp.example>' lin@corp.example; RL=$R; FL=$RFPR
gpg_person 'Huang <huang@corp.example>' huang@corp.example; RH=$R; FH=$RFPR
gpg_person 'Legal <legal@corp.example>' legal@corp.example; RG=$R; FG=$RFPR
gpg_person 'Chen <chen@corp.example>' chen@corp.example; RC=$R; FC=$RFPR
gpg_person 'Eve <eve@example.org>' eve@example.org; RE=$R; FE=$RFPR
for h in $RL $RH $RG $RC $RE; do
	R=$h rgpg --armor --export >"$I/k.asc"
	$A key import "$I/k.asc" >/dev/null 2>>"$I/agent.log"
done
echo 'refusal-limit 100 per hour' >>"$P"
# Chen is a coordinator without a key in the policy
sed -i "s/^member psirt-lead \"Lin Mei-hua\" lin@corp.example\$/& pgp $FL/; s/^member analyst \"Huang Chih-ming\" huang@corp.example\$/& pgp $FH/; s/^member legal \"Legal office\" legal@corp.example\$/& pgp $FG/" "$P"
like "$($A policy check)" 'ok:' "the policy with the staff keys passes"

mkattmsg 'Rita <rita@example.net>' 'rita1@example.net' | sed 's/^see the attached proof of concept$/see the attached proof of concept: the zebracorn parser overflows/' >"$I/r1.eml"
deliver "$I/r1.eml"; process
mkmsg 'Nora <nora@example.net>' 'Login bypass' 'The login form accepts an empty password.' >"$I/r2.eml"
deliver "$I/r2.eml"; process
C1=$($A case list --json | jq -r '[.[] | select(.reporter == "rita@example.net")][0].id')
C2=$($A case list --json | jq -r '[.[] | select(.reporter == "nora@example.net")][0].id')
ncases() { $A case list --json | jq length; }

N=0
# query HOME FROM BODY: a clear-signed mail (HOME "-": unsigned) to the
# agent with no case tag, delivered and processed; its file in $QF
query() {
	N=$((N + 1))
	if [ "$1" = - ]; then b=$3; else b=$(printf '%s\n' "$3" | R=$1 rgpg --clearsign); fi
	{ printf 'From: %s\nTo: security@example.org\nSubject: query\n' "$2"
	  printf 'Message-ID: <q%s.%s@corp.example>\n\n%s\n' "$N" "$$" "$b"; } >"$I/q$N.eml"
	QF=$I/q$N.eml
	deliver "$QF"; process
}
mail_to() { grep -l "^To: .*$1" "$I"/mail/*.eml 2>/dev/null | sort | tail -n 1; }
count_to() { grep -l "^To: .*$1" "$I"/mail/*.eml 2>/dev/null | wc -l; }
dec() { R=$1 rgpg --decrypt "$2" 2>/dev/null; }

# 1. #show: the case, decrypted, with its attachment, only to Lin's key
n0=$(ncases)
query "$RL" 'Lin <lin@corp.example>' "#show $C1"
is "$(ncases)" "$n0" "a query opens no case"
M=$(mail_to lin@corp.example)
like "$(cat "$M")" 'multipart/encrypted' "the answer is encrypted"
unlike "$(cat "$M")" 'zebracorn' "nothing of the case in clear"
like "$(grep -i '^In-Reply-To:' "$M")" "q$N.$$@corp.example" "it answers the query mail"
T=$(dec "$RL" "$M")
like "$T" "Case: *$C1" "Lin's key opens it: the case as case show gives it"
like "$T" 'the zebracorn parser overflows' "with the report's decrypted text"
like "$T" "filename\\*=UTF-8''poc.bin" "and the attachment as a MIME part"
like "$T" 'AAECAwQ=' "its bytes"
like "$($A case show "$C1" --json | jq -r '[.events[] | select(.type == "case-shown") | .detail] | join("")')" \
    '#show answered to lin@corp.example, encrypted with pgp' "the disclosure is an event on the case"

# 2. #list and #search
query "$RL" 'Lin <lin@corp.example>' '#list status=new'
T=$(dec "$RL" "$(mail_to lin@corp.example)")
like "$T" "$C1" "#list names the first case"
like "$T" "$C2" "and the second"
query "$RL" 'Lin <lin@corp.example>' '#search zebracorn'
T=$(dec "$RL" "$(mail_to lin@corp.example)")
like "$T" "$C1" "#search finds a word only in the sealed text"
unlike "$T" "$C2" "and not the case without it"
query "$RL" 'Lin <lin@corp.example>' '#search a.*b([+ ^$'
T=$(dec "$RL" "$(mail_to lin@corp.example)")
like "$T" '\(no case\)' "regex metacharacters are plain bytes: nothing matches"
long=$(head -c 10000 /dev/zero | tr '\0' x)
query "$RL" 'Lin <lin@corp.example>' "#search $long"
like "$(cat "$(mail_to lin@corp.example)")" 'search_max_length' "a 10 000-character search is refused, saying why"
unlike "$(cat "$(mail_to lin@corp.example)")" 'multipart/encrypted' "the refusal carries nothing to encrypt"
query "$RL" 'Lin <lin@corp.example>' '#list status=trage'
like "$(cat "$(mail_to lin@corp.example)")" 'trage' "a bad filter is refused, named"

# 3. a member with no key: refused, content-free
c0=$(count_to chen@corp.example)
query "$RC" 'Chen <chen@corp.example>' "#show $C1"
is "$(count_to chen@corp.example)" "$((c0 + 1))" "a member with no key gets one mail"
M=$(mail_to chen@corp.example)
like "$(cat "$M")" 'lists no key for the sender' "a refusal that says why"
unlike "$(cat "$M")" 'zebracorn\|Login bypass\|rita@example.net' "with nothing of the case"

# 4. TLP:RED: only to members its rule names
B=$(printf '#case %s\n#tlp RED\n' "$C2" | R=$RL rgpg --clearsign)
{ printf 'From: Lin <lin@corp.example>\nTo: security@example.org\nSubject: Re: [%s] x\nMessage-ID: <red.%s@corp.example>\n\n%s\n' "$C2" "$$" "$B"; } >"$I/red.eml"
deliver "$I/red.eml"; process
is "$($A case show "$C2" --json | jq -r .tlp)" RED "case 2 is TLP:RED"
query "$RG" 'Legal <legal@corp.example>' "#show $C2"
M=$(mail_to legal@corp.example)
like "$(cat "$M")" 'TLP:RED and its rule does not name you' "#show of a RED case by a member its rule does not name: refused"
unlike "$(cat "$M")" 'Login bypass\|empty password' "nothing of it is sent"
query "$RG" 'Legal <legal@corp.example>' '#list'
T=$(dec "$RG" "$(mail_to legal@corp.example)")
like "$T" "$C1" "#list shows Legal the other case"
unlike "$T" "$C2" "and leaves the RED case out"
query "$RH" 'Huang <huang@corp.example>' "#show $C2"
like "$(dec "$RH" "$(mail_to huang@corp.example)")" 'empty password' "the analyst (R of triage) may read it"

# 5. forged, unsigned, replayed, outsiders
l0=$(count_to lin@corp.example)
query - 'Lin <lin@corp.example>' "#show $C1"
M=$(mail_to lin@corp.example)
like "$(cat "$M")" 'not signed' "an unsigned query is refused, saying why"
unlike "$(cat "$M")" 'zebracorn' "with nothing of the case"
query "$RE" 'Lin <lin@corp.example>' "#show $C1"
like "$(cat "$(mail_to lin@corp.example)")" 'not signed with the key the policy lists' "a query signed by another key is refused"
sed "s/^Message-ID: <q1\\./Message-ID: <again.q1./" "$I/q1.eml" >"$I/replay.eml"
deliver "$I/replay.eml"; process
like "$(cat "$(mail_to lin@corp.example)")" 'taken before .a replay' "a replayed query is refused"
is "$(count_to lin@corp.example)" "$((l0 + 3))" "each refusal is one mail, no answer"
n0=$(ncases)
query "$RE" 'Eve <eve@example.org>' "#show $C1"
is "$(ncases)" "$((n0 + 1))" "an outsider's #show is a report like any other"
unlike "$(cat "$I"/mail/*.eml | grep -l 'eve@example.org' | xargs cat 2>/dev/null)" 'zebracorn' \
    "and brings her nothing of the case"

# 6. #show inside a case mail (a reply to a content-free notice)
B=$(printf '#case %s\n#show %s\n' "$C1" "$C1" | R=$RL rgpg --clearsign)
{ printf 'From: Lin <lin@corp.example>\nTo: security@example.org\nSubject: Re: [%s] notice\nMessage-ID: <inside.%s@corp.example>\n\n%s\n' "$C1" "$$" "$B"; } >"$I/in.eml"
deliver "$I/in.eml"; process
like "$(dec "$RL" "$(mail_to lin@corp.example)")" 'zebracorn' "#show works in a mail to the case too"
like "$($A case show "$C1" --json | jq -r '[.events[] | select(.type == "query-refused" or .type == "command-refused")] | length')" '^0$' "and nothing was refused there"
done_testing
