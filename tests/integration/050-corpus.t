#!/bin/sh
# The public corpus (tests/corpus/public, see its NOTICE.md): every
# message goes through deliver and process, and each MANIFEST
# expectation that needs no decryption is checked against the agent's
# own JSON (case show / queue list), decryption and signatures too:
# the corpus keys (keys/) are imported with `key import` first.
. "$top_srcdir/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/corpus.sh"
need jq awk gpg gpgsm
mk_instance || { echo "Bail out! init failed"; exit 1; }
CORPUS=$top_srcdir/tests/corpus/public
SP=$I/inst/spool

# the keys the MANIFEST names; S/MIME keys as key + certificate PEM
for k in alice bob carol; do
	$A key import "$CORPUS/keys/tb-openpgp/$k-secret.asc" >/dev/null 2>>"$I/agent.log" ||
	    { echo "Bail out! key import $k failed"; exit 1; }
done
for k in Bob Fran Fran-ec; do
	cat "$CORPUS/keys/tb-smime/$k.key.pem" "$CORPUS/keys/tb-smime/$k.crt.pem" >"$I/$k.pem"
	$A key import "$I/$k.pem" >/dev/null 2>>"$I/agent.log" ||
	    { echo "Bail out! key import $k failed: $(tail -n 1 "$I/agent.log")"; exit 1; }
done
$A key import "$CORPUS/keys/tb-smime/TestCA.pem" >/dev/null 2>>"$I/agent.log" ||
    { echo "Bail out! key import TestCA failed"; exit 1; }

tab=$(printf '\t')
tail -n +2 "$CORPUS/MANIFEST.tsv" | while IFS="$tab" read -r file kind repo path lic expected; do
	[ "$kind" = key ] && continue
	through "$CORPUS/$file" "$file"
	case "$q" in archive|hold|quarantine) kept=0 ;; *) kept=1 ;; esac
	ok $([ $st -eq 0 ] && [ $kept -eq 0 ]; echo $?) \
	    "$file: processed without crash and kept ($q)"
	# one expectation per line: key<TAB>value
	expectations "$expected" |
	while IFS= read -r e; do
		key=${e%%=*}
		val=${e#*=}
		case "$key" in
		subject|attachment_filename) val=${val% } ;;
		*) val=${val%% (*} ;;	# "yes (ARF, RFC 5965)": a comment
		esac
		case "$key" in
		subject)
			got=$(printf '%s' "$J" | jq -r '.subject // empty')
			is "$got" "$val" "$file: subject" ;;
		is_bounce)
			got=$(printf '%s' "$J" | jq -r 'if .kind=="bounce" then "yes" else "no" end')
			is "$got" "$val" "$file: is_bounce" ;;
		is_autoreply)
			got=$(printf '%s' "$J" | jq -r 'if .kind=="autoreply" then "yes" else "no" end')
			is "$got" "$val" "$file: is_autoreply" ;;
		is_feedback_report)
			got=$(printf '%s' "$J" | jq -r 'if .facts.is_feedback_report then "yes" else "no" end')
			is "$got" "$val" "$file: is_feedback_report" ;;
		action|dsn_status|final_recipient)
			f=dsn_$key
			[ "$key" = dsn_status ] && f=dsn_status
			got=$(printf '%s' "$J" | jq -r ".facts.$f // \"(absent)\"")
			is "$got" "$val" "$file: DSN $key" ;;
		attachment_filename)
			want=${val% (RFC 2231/2047)}
			got=$(printf '%s' "$J" | jq -r --arg n "$want" \
			    '[.attachments[]?.name] | index($n) != null')
			is "$got" true "$file: attachment named '$want'" ;;
		must_not_crash) ;;	# the "processed without crash" test
		decrypts|"inner decrypts")
			got=$(printf '%s' "$J" | jq -r '.decrypted')
			enc=$(printf '%s' "$J" | jq -r '.encryption // "none"')
			case "$val" in
			yes*) is "$got $enc" "true ${file%%/*}" "$file: decrypted ($enc)" ;;
			*) is "$got" false "$file: not decrypted, reason kept" ;;
			esac ;;
		"outer sig")	# a signature over ciphertext says nothing
			sigcheck "$J" none "$file" ;;
		sig|*" sig"|*"-> sig")
			sigcheck "$J" "$val" "$file" ;;
		*"contains \""*)
			textcheck "$J" "$e" "$file" ;;
		*"signed by "*)
			want=$(printf '%s' "$e" | grep -Eo '[0-9A-F]{16}' | head -n 1)
			sigcheck "$J" "valid by $want" "$file" ;;
		*"must NOT be reported valid"*)
			st=$(printf '%s' "$J" | jq -r '.signature.status // "none"')
			unlike "$st" '^valid$' "$file: spoofed signature not valid ($st)" ;;
		esac
	done
done >"$I/tap.out"
# the loop ran in subshells: number the results here
awk '/^(not )?ok / { n++; sub(/ok [0-9]+/, "ok " n) } { print }
    END { print "1.." n }' "$I/tap.out"
