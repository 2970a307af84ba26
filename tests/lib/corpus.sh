# corpus.sh: helpers of the corpus tests (050-corpus.t, 051-own-corpus.t),
# sourced after lib.sh; they read the agent's JSON of the instance in $A,
# its spool in $SP.

# sigcheck JSON WANT FILE: the message's signature against the MANIFEST
sigcheck() {
	st=$(printf '%s' "$1" | jq -r '.signature.status // "none"')
	fp=$(printf '%s' "$1" | jq -r '.signature.fingerprint // ""')
	case "$2" in
	none|false*) is "$st" none "$3: no signature over the content" ;;
	"valid by "*)
		want=${2#valid by }
		want=${want%% *}
		like "$st $fp" "^valid [0-9A-F]*$want\$" "$3: valid signature by $want" ;;
	valid*) is "$st" valid "$3: valid signature" ;;
	unknown-key*) is "$st" unknown-key "$3: signer key unknown" ;;
	invalid*|missing*)
		like "$st" '^(bad|error)$' "$3: signature reported invalid ($st)" ;;
	*) fail "$3: unknown expectation '$2'" ;;
	esac
}

# locate QID: the stored message as JSON (with .queue and .case), or {}
locate() {
	if [ -e "$SP/hold/$1" ] || [ -e "$SP/quarantine/$1" ]; then
		$A queue list --json | jq -c --arg q "$1" \
		    '.[] | select(.queue_id==$q) | (.message // {}) + .'
		return
	fi
	for id in $($A case list --json | jq -r 'reverse | .[].id'); do
		r=$($A case show "$id" --json | jq -c --arg q "$1" \
		    '.id as $c | .messages[] | select(.queue_id==$q) |
		     . + {queue: "archive", case: $c}')
		if [ -n "$r" ]; then
			printf '%s\n' "$r"
			return
		fi
	done
	echo '{}'
}

# expectations EXPECTED: a MANIFEST's expected column, one per line
expectations() {
	printf '%s\n' "$1" | awk -v RS='; ' '{ sub(/\n$/, ""); print }'
}

# through FILE NAME: FILE through deliver (a test) and process; the
# stored message's JSON in $J, its queue in $q, process's exit in $st
through() {
	_before=$(ls "$SP/incoming")
	deliver "$1" -f corpus@example.net -r security@example.org
	is $? 0 "$2: deliver accepts it"
	_qid=$(ls "$SP/incoming" | grep -vxF "$_before" | head -n 1)
	process
	st=$?
	J=$(locate "$_qid")
	q=$(printf '%s' "$J" | jq -r '.queue // "lost"')
}

# textcheck JSON EXPECTATION FILE: the message's text holds the word of
# the expectation '... contains "WORD"'
textcheck() {
	_w=${2#*contains \"}
	_w=${_w%%\"*}
	is "$(printf '%s' "$1" | jq -r --arg w "$_w" '(.text // "") | contains($w)')" \
	    true "$3: text contains \"$_w\""
}
