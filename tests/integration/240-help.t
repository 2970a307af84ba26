#!/bin/sh
# `psirt-agent help [COMMAND | --commands]` and the bash completion in
# contrib/bash-completion, driven by a real bash with bash-completion.
. "$top_srcdir/tests/lib/lib.sh"
need bash jq
mk_instance || { echo "Bail out! init failed"; exit 1; }
"$PSIRT_AGENT" >/dev/null 2>"$I/usage"
is "$?" 64 "no command: usage, 64"
like "$(cat "$I/usage")" 'psirt-agent help COMMAND' "the usage message points to help"
H=$(env -u PSIRT_ALLOW_ROOT "$PSIRT_AGENT" help)
is "$?" 0 "help needs no configuration (and no root permission)"
is "$(printf '%s\n' "$H" | grep -c '^  ')" "$("$PSIRT_AGENT" help --commands | wc -l)" "one synopsis per command"
like "$("$PSIRT_AGENT" help advisory)" '^usage: psirt-agent \[-c config\] advisory ID \[--format csaf\|text\|markdown\|cve\]' \
    "help COMMAND: its synopsis"
like "$("$PSIRT_AGENT" help advisory)" 'CSAF 2.0' "and what it does"
"$PSIRT_AGENT" help nosuch >/dev/null 2>&1
is "$?" 64 "help of an unknown command: 64"
for c in init deliver process case queue report advisory cve-request check help; do
	"$PSIRT_AGENT" help --commands | grep -qx -- "$c"
	ok $? "help --commands lists $c"
done

# the completion
BC=/usr/share/bash-completion/bash_completion
if [ -r "$BC" ]; then
	mkdir "$I/bin"
	ln -s "$PSIRT_AGENT" "$I/bin/psirt-agent"
	mkmsg 'Rita <rita@example.net>' 'XSS' 'x' >"$I/r.eml"
	deliver "$I/r.eml"; process
	ID=$($A case list --json | jq -r '.[0].id')
	comp() {	# comp WORD...: what completing the last word offers
		PATH=$I/bin:$PATH bash -c '. "$1"; . "$2"; shift 2
		    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		    COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		    _psirt_agent psirt-agent "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		    printf "%s\n" "${COMPREPLY[@]}"' sh "$BC" \
		    "$top_srcdir/contrib/bash-completion/psirt-agent" "$@" 2>/dev/null | sort | tr '\n' ' '
	}
	is "$(comp psirt-agent -c "$C" adv)" "advisory " "a command"
	is "$(comp psirt-agent -c "$C" case s)" "search set show " "a subcommand"
	is "$(comp psirt-agent -c "$C" advisory '')" "$ID " "a case ID, from the instance"
	is "$(comp psirt-agent -c "$C" advisory "$ID" --format '')" "csaf cve markdown text " "an option's values"
	is "$(comp psirt-agent -c "$C" case set "$ID" sev)" "severity= " "a key of case set"
else
	skip "bash completion" "no bash-completion package"
fi
done_testing
