#!/bin/sh
# Our own corpus (tests/corpus/own, made by its generate.sh with mutt,
# neomutt, s-nail, mailutils, swaks, Python, Perl, gpg, gpgsm, openssl):
# every message through deliver and process, checked against what its
# writer meant (MANIFEST.tsv): a case (not quarantine unless the MANIFEST
# says so), the subject in UTF-8, the sender, one acknowledgement to that
# sender with the case's Subject, the signature, decryption, a word of
# the text. Then the same corpus through poll from a real Dovecot on
# 127.0.0.1 (started and stopped by PID with tests/lib's helpers): a
# case for each subject.
. "$top_srcdir/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/corpus.sh"
need jq awk perl
mk_instance || { echo "Bail out! init failed"; exit 1; }
notices_off
CORPUS=$top_srcdir/tests/corpus/own
SP=$I/inst/spool
PF=$I/inst/policies/psirt.policy
TAP=$I/tap.out	# (the IMAP part makes a second instance: $I changes)
# the corpus has up to nine reports from one sender: the hourly
# acknowledgement limit is 220-load.t's business, not this test's
sed -i 's/^ack-limit .*/ack-limit 1000 per hour/' "$PF"

# the keys the MANIFEST names (not stranger's: unknown-key)
for k in psirt-secret.asc mei-public.asc ca.crt.pem; do
	$A key import "$CORPUS/keys/$k" >/dev/null 2>>"$I/agent.log" ||
	    { echo "Bail out! key import $k failed: $(tail -n 1 "$I/agent.log")"; exit 1; }
done
cat "$CORPUS/keys/psirt-smime.key.pem" "$CORPUS/keys/psirt-smime.crt.pem" >"$I/psirt.pem"
$A key import "$I/psirt.pem" >/dev/null 2>>"$I/agent.log" ||
    { echo "Bail out! key import psirt S/MIME failed: $(tail -n 1 "$I/agent.log")"; exit 1; }

# header NAME FILE [raw]: the header field NAME of the message FILE,
# unfolded, its encoded-words decoded (Perl's Encode, not the agent's
# code) unless raw
header() {
	perl -MEncode -0777 -ne '
	    binmode STDOUT, ":encoding(UTF-8)";
	    s/\r//g;
	    my ($h) = /\A(.*?)\n\n/s or exit;
	    $h =~ s/\n[ \t]+/ /g;
	    for (split /\n/, $h) {
		    if (/^\Q'"$1"'\E:[ \t]*(.*)$/i) {
			    print "'"${3:-}"'" eq "raw" ? $1 : decode("MIME-Header", $1);
			    exit;
		    }
	    }' "$2"
}

tab=$(printf '\t')
tail -n +2 "$CORPUS/MANIFEST.tsv" | while IFS="$tab" read -r file kind repo path lic expected; do
	sent_before=$(ls "$I/mail")
	through "$CORPUS/$file" "$file"
	case "$expected" in
	*"queue=quarantine"*) want_q=quarantine ;;
	*) want_q=archive ;;
	esac
	ok $([ $st -eq 0 ] && [ "$q" = "$want_q" ]; echo $?) \
	    "$file: processed, kept in $want_q ($q, exit $st)"
	cid=$(printf '%s' "$J" | jq -r '.case // empty')
	new=$(ls "$I/mail" | grep -vxF "$sent_before" | grep '\.eml$')
	subj=
	expectations "$expected" | while IFS= read -r e; do
		key=${e%%=*}
		val=${e#*=}
		case "$key" in
		subject) val=${val% } ;;
		*) val=${val%% (*} ;;
		esac
		case "$key" in
		subject)
			got=$(printf '%s' "$J" | jq -r '.subject // empty')
			is "$got" "$val" "$file: subject"
			# the acknowledgement's Subject: the case and this
			# subject, or a fixed one when the ack is encrypted
			[ "$want_q" = archive ] || continue
			set -- $new
			if [ $# -ne 1 ]; then
				fail "$file: one acknowledgement ($# sent)"
				continue
			fi
			M=$I/mail/$1
			case "$(header Content-Type "$M")" in
			multipart/encrypted*|application/pkcs7-mime*)
				want="[$cid] Encrypted message" ;;
			*)	want="[$cid] Re: $val" ;;
			esac
			is "$(header Subject "$M")" "$want" "$file: acknowledgement Subject" ;;
		from)
			got=$(printf '%s' "$J" | jq -r '.from // empty')
			is "$got" "$val" "$file: sender address"
			set -- $new
			# the address itself, not inside an encoded-word
			to=$([ $# -eq 1 ] && header To "$I/mail/$1" raw)
			ok $(printf '%s' "$to" | grep -qiE -- "(^|<)$val(>|\$)"; echo $?) \
			    "$file: acknowledgement to $val (To: $to)" ;;
		decrypts)
			got=$(printf '%s' "$J" | jq -r '.decrypted')
			enc=$(printf '%s' "$J" | jq -r '.encryption // "none"')
			case "$val" in
			yes*) is "$got $enc" "true $kind" "$file: decrypted ($enc)" ;;
			*) is "$got" false "$file: not decrypted" ;;
			esac ;;
		sig)
			sigcheck "$J" "$val" "$file" ;;
		*"contains \""*)
			textcheck "$J" "$e" "$file" ;;
		esac
	done
done >"$TAP"

# the same corpus from a real Dovecot, through poll --once
if [ "$(id -u)" = 0 ] && command -v dovecot >/dev/null && command -v doveadm >/dev/null; then
	mk_dovecot || { echo "Bail out! openssl failed"; exit 1; }
	up() { openssl s_client -connect "127.0.0.1:$PS" -brief </dev/null >/dev/null 2>&1; }
	trap 'dovecot_stop; cleanup' EXIT
	dovecot_start "$D/dovecot.conf" up || {
		cat "$D/dovecot.log" >&2; echo "Bail out! dovecot did not start"; exit 1; }
	mk_instance || { echo "Bail out! second instance"; exit 1; }
	notices_off
	sed -i 's/^ack-limit .*/ack-limit 1000 per hour/' "$I/inst/policies/psirt.policy"
	for k in psirt-secret.asc mei-public.asc ca.crt.pem; do
		$A key import "$CORPUS/keys/$k" >/dev/null 2>>"$I/agent.log"
	done
	cat "$CORPUS/keys/psirt-smime.key.pem" "$CORPUS/keys/psirt-smime.crt.pem" >"$I/psirt.pem"
	$A key import "$I/psirt.pem" >/dev/null 2>>"$I/agent.log"
	printf 's3cret pass\n' >"$I/imap.pw"
	chmod 600 "$I/imap.pw"
	printf 'imap_url = imaps://psirt@127.0.0.1:%s/INBOX\nimap_password_file = %s\nimap_ca_file = %s\n' \
	    "$PS" "$I/imap.pw" "$D/ca.crt" >>"$C"
	n=0
	for f in $(tail -n +2 "$CORPUS/MANIFEST.tsv" | cut -f1); do
		doveadm -c "$D/dovecot.conf" save -u psirt -m INBOX <"$CORPUS/$f" 2>>"$I/agent.log" &&
		    n=$((n + 1))
	done
	$A poll --once 2>>"$I/agent.log"
	st=$?
	{
		is "$n" "$(tail -n +2 "$CORPUS/MANIFEST.tsv" | wc -l)" "Dovecot holds every message"
		ok $st "poll --once takes the $n messages Dovecot holds (exit $st)"
		subjects=$($A case list --json | jq -r '.[].subject')
		held=$($A queue list --json | jq -r '.[] | "\(.queue): \(.subject // "-") (\(.reason // "-"))"')
		tail -n +2 "$CORPUS/MANIFEST.tsv" | while IFS="$tab" read -r file kind repo path lic expected; do
			case "$expected" in *"queue=quarantine"*) continue ;; esac
			expectations "$expected" | while IFS= read -r e; do
				case "$e" in
				subject=*)
					ok $(printf '%s\n' "$subjects" | grep -qxF -- "${e#subject=}"; echo $?) \
					    "IMAP $file: a case with its subject" ;;
				esac
			done
		done
		[ -z "$held" ] || diag "not cases after poll:" "$held"
	} >>"$TAP"
else
	echo "ok - IMAP part # SKIP needs root, dovecot and doveadm" >>"$TAP"
fi
# the loops ran in subshells: number the results here
awk '/^(not )?ok / { n++; sub(/ok [0-9]*/, "ok " n) } { print }
    END { print "1.." n }' "$TAP"
