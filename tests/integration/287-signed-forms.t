#!/bin/sh
# multipart/signed as clients make them (RFC 1847, RFC 3156, RFC 8551):
# real OpenPGP (gpg) and S/MIME (openssl, a test CA) signatures, made at
# test time, over a signed part with no header fields (it begins with
# the empty line, as s-nail's S/MIME signing makes it), with header
# fields, with trailing white space, 8-bit UTF-8 and a nested
# multipart/mixed with an attachment; each delivered with LF line ends
# (an MTA pipe) and with CRLF (SMTP, IMAP). The agent's verdict (`case
# show --json`) must be the one gpg or openssl gives on the same bytes:
# valid as made, bad with one byte changed, bad over other content, bad
# with a header field put into a part that had none.
. "$top_srcdir/tests/lib/lib.sh"
need jq gpg gpgsm openssl gpgconf base64 awk od dd sed tr
mk_instance || { echo "Bail out! init failed"; exit 1; }
notices_off
SP=$I/inst/spool
W=$I/w
mkdir -p "$W"

# the signers: Rita (OpenPGP), Sam (S/MIME, certified by a test CA that
# the agent knows)
gpg_person 'Rita Reporter <rita@example.net>' rita@example.net
rgpg --armor --export "$RFPR" >"$W/rita.asc"
$A key import "$W/rita.asc" >/dev/null 2>>"$I/agent.log" ||
    { echo "Bail out! key import rita failed"; exit 1; }
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$W/ca.key" -out "$W/ca.crt" \
    -days 30 -subj '/CN=psirt signed-forms test CA' \
    -addext 'basicConstraints=critical,CA:TRUE' \
    -addext 'keyUsage=critical,keyCertSign,cRLSign' 2>/dev/null &&
openssl req -newkey rsa:2048 -nodes -keyout "$W/sam.key" -out "$W/sam.csr" \
    -subj '/CN=Sam Sender/emailAddress=sam@example.net' 2>/dev/null &&
printf '%s\n' 'basicConstraints=critical,CA:FALSE' \
    'keyUsage=critical,digitalSignature,keyEncipherment' \
    'extendedKeyUsage=emailProtection' 'subjectAltName=email:sam@example.net' >"$W/ext" &&
openssl x509 -req -in "$W/sam.csr" -CA "$W/ca.crt" -CAkey "$W/ca.key" \
    -CAcreateserial -days 30 -extfile "$W/ext" -out "$W/sam.crt" 2>/dev/null ||
    { echo "Bail out! test CA failed"; exit 1; }
$A key import "$W/ca.crt" >/dev/null 2>>"$I/agent.log" ||
    { echo "Bail out! key import of the test CA failed"; exit 1; }

B='=-=psirtSignedForms=-='

# sign PROTO ENTITY: a detached signature over the entity's exact bytes
# (binary: what a client that canonicalised first hashes), on stdout
# (OpenPGP armoured, S/MIME base64 DER)
sign() {
	case $1 in
	pgp)	rgpg --armor --detach-sign --local-user "$RFPR" --digest-algo SHA256 <"$2" ;;
	smime)	openssl cms -sign -binary -signer "$W/sam.crt" -inkey "$W/sam.key" \
		    -in "$2" -outform DER 2>/dev/null | base64 ;;
	esac
}

# msg PROTO ENTITY SIGNATURE SUBJECT: a multipart/signed report (LF line
# ends around the entity, the entity and the signature as they are)
msg() {
	case $1 in
	pgp)	from='Rita Reporter <rita@example.net>'
		proto=application/pgp-signature mic=pgp-sha256
		sigct='application/pgp-signature; name="signature.asc"' cte= ;;
	smime)	from='Sam Sender <sam@example.net>'
		proto=application/pkcs7-signature mic=sha-256
		sigct='application/pkcs7-signature; name="smime.p7s"'
		cte='Content-Transfer-Encoding: base64' ;;
	esac
	printf 'From: %s\nTo: security@example.org\nSubject: %s\n' "$from" "$4"
	printf 'Date: Mon, 07 Dec 2026 10:00:00 +0000\n'
	printf 'Message-ID: <%s.%s@example.net>\nMIME-Version: 1.0\n' "$(date +%s%N)" "$$"
	printf 'Content-Type: multipart/signed; protocol="%s"; micalg=%s;\n boundary="%s"\n\n' \
	    "$proto" "$mic" "$B"
	printf 'This is a signed message.\n\n--%s\n' "$B"
	cat "$2"
	printf '\n--%s\nContent-Type: %s\n%s%s\n' "$B" "$sigct" "$cte" "${cte:+
}"
	cat "$3"
	printf '\n--%s--\n' "$B"
}

# lf FILE / crlf FILE: the message as an MTA pipe / SMTP gives it
lf() { tr -d '\r' <"$1"; }
crlf() { sed 's/\r*$/\r/' "$1"; }

# part FILE exact|crlf|lf: the signed part of FILE as RFC 1847 cuts it
# (after the first boundary line, before the line end that precedes the
# next), as it is or with its line ends made CRLF or LF
part() {
	LC_ALL=C awk -v b="--$B" -v mode="$2" '
	{ c = $0; sub(/\r$/, "", c) }
	st == 1 && c == b { exit }
	st == 1 {
		l = mode == "exact" ? $0 : c
		printf "%s%s", (n++ ? (mode == "crlf" ? "\r\n" : "\n") : ""), l
	}
	st == 0 && c == b { st = 1 }
	' "$1"
}

# tool PROTO FILE SIGNATURE FORM: does gpg or openssl verify the signed
# part of FILE in FORM (exact, crlf or lf)? exit status
tool() {
	part "$2" "$4" >"$W/tool.part"
	case $1 in
	pgp)	rgpg --verify "$3" "$W/tool.part" 2>/dev/null ;;
	smime)	base64 -d <"$3" >"$W/tool.der" &&
		openssl cms -verify -noverify -binary -inform DER -in "$W/tool.der" \
		    -content "$W/tool.part" -out /dev/null 2>/dev/null ;;
	esac
}

# send FILE: deliver and process; $J the message's JSON
send() {
	_in=$(ls "$SP/incoming")
	deliver "$1" -f "$(grep -m 1 '^From:' "$1" | grep -o '[^<> ]*@[^<> ]*' |
	    tr -d '\r')" -r security@example.org
	Q=$(ls "$SP/incoming" | grep -vxF "$_in" | head -n 1)
	process
	J=
	for _c in $($A case list --json | jq -r 'reverse | .[].id'); do
		J=$($A case show "$_c" --json | jq -c --arg q "$Q" \
		    '.messages[] | select(.queue_id==$q)')
		[ -n "$J" ] && break
	done
}
jf() { printf '%s' "$J" | jq -r "$@"; }

# tamper FILE: one byte of the signed text changed (its first "overflow")
tamper() {
	_o=$(grep -abo overflow "$1" | head -n 1 | cut -d: -f1)
	flip_byte "$1" "$_o"
}

# the signed parts, as a client writes them: CRLF line ends (canonical)
printf '\r\nAffected: XR-7 router firmware 4.2\r\nheap overflow in the TLS parser\r\n' >"$W/nohdr.ent"
printf 'Content-Type: text/plain; charset=us-ascii\r\n\r\nstack overflow in the admin UI\r\n' >"$W/hdr.ent"
printf 'Content-Type: text/plain\r\n\r\ninteger overflow   \r\nwith white space at line ends\t\r\n \r\n' >"$W/ws.ent"
printf 'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGr\303\274\303\237e: buffer overflow im Parser, \346\274\217\346\264\236\345\240\261\345\221\212\r\n' >"$W/8bit.ent"
printf '%s\r\n' 'Content-Type: multipart/mixed; boundary="inner"' '' \
    'This is a multi-part message in MIME format.' '--inner' \
    'Content-Type: text/plain; charset=utf-8' '' 'use after free and overflow, PoC attached' \
    '--inner' 'Content-Type: application/octet-stream; name="poc.bin"' \
    'Content-Disposition: attachment; filename="poc.bin"' \
    'Content-Transfer-Encoding: base64' '' 'AAECAwQ=' '--inner--' >"$W/nested.ent"
# what the agent must read in each
want_nohdr='Affected: XR-7 router firmware 4.2'
want_hdr='stack overflow in the admin UI'
want_ws='integer overflow   '
want_8bit="$(printf 'Gr\303\274\303\237e: buffer overflow im Parser, \346\274\217\346\264\236\345\240\261\345\221\212')"
want_nested='use after free and overflow, PoC attached'

for pr in pgp smime; do
	for e in nohdr hdr ws 8bit nested; do
		sign $pr "$W/$e.ent" >"$W/$pr-$e.sig"
		msg $pr "$W/$e.ent" "$W/$pr-$e.sig" "$pr $e" >"$W/$pr-$e.eml"
		for le in lf crlf; do
			f=$W/$pr-$e-$le.eml
			$le "$W/$pr-$e.eml" >"$f"
			t="$pr, $e, $le line ends"
			tool $pr "$f" "$W/$pr-$e.sig" crlf
			is $? 0 "$t: $([ $pr = pgp ] && echo gpg || echo openssl) verifies the signed part (canonical form)"
			send "$f"
			is "$(jf .signature.status) $(jf .signature.protocol) $(jf .signature.covers)" \
			    "valid $pr whole" "$t: the agent says valid too"
			eval "w=\$want_$e"
			is "$(jf --arg w "$w" '.text | contains($w)')" true "$t: the text the signature covers is read"
			if [ $le = lf ]; then
				like "$(jf .facts.crypto)" 'verified in canonical form \(CRLF' \
				    "$t: the form that held is noted"
			else
				unlike "$(jf '.facts.crypto // ""')" 'not as received' \
				    "$t: verified as received"
			fi
			[ $e = nested ] && is "$(jf '[.attachments[].name] | join(",")')" poc.bin \
			    "$t: the attachment inside the signed part is kept"
			# one byte changed: bad for the tool and the agent
			sed 's/^Message-ID: <\(.*\)>/Message-ID: <t.\1>/' "$f" >"$f.bad"
			tamper "$f.bad"
			tool $pr "$f.bad" "$W/$pr-$e.sig" crlf
			ok $([ $? -ne 0 ]; echo $?) "$t, one byte changed: the tool says bad"
			send "$f.bad"
			is "$(jf .signature.status)" bad "$t, one byte changed: the agent says bad"
		done
	done
done

# signed over LF line ends (a signer that hashed its local text as it
# was): valid as delivered (LF), and with the line ends made CRLF on the
# way; gpg and openssl agree on the LF form
for pr in pgp smime; do
	printf 'Content-Type: text/plain\n\nsigned as LF text, heap overflow\n' >"$W/lfsig.ent"
	sign $pr "$W/lfsig.ent" >"$W/$pr-lfsig.sig"
	msg $pr "$W/lfsig.ent" "$W/$pr-lfsig.sig" "$pr signed over LF" >"$W/$pr-lfsig.eml"
	tool $pr "$W/$pr-lfsig.eml" "$W/$pr-lfsig.sig" exact
	is $? 0 "$pr, signed over LF, delivered LF: the tool verifies the exact bytes"
	send "$W/$pr-lfsig.eml"
	is "$(jf .signature.status)" valid "$pr, signed over LF, delivered LF: valid"
	unlike "$(jf '.facts.crypto // ""')" 'not as received' "$pr, signed over LF, delivered LF: as received"
	crlf "$W/$pr-lfsig.eml" | sed 's/^Message-ID: <\(.*\)>/Message-ID: <c.\1>/' >"$W/$pr-lfsig-crlf.eml"
	tool $pr "$W/$pr-lfsig-crlf.eml" "$W/$pr-lfsig.sig" lf
	is $? 0 "$pr, signed over LF, delivered CRLF: the tool verifies the LF form"
	send "$W/$pr-lfsig-crlf.eml"
	is "$(jf .signature.status)" valid "$pr, signed over LF, delivered CRLF: valid"
	like "$(jf .facts.crypto)" 'verified with LF line ends' "$pr, signed over LF, delivered CRLF: the form is noted"
done

# negative: a signature over other content; a header field put into a
# part that had none (before its empty line), and that part with its
# first empty line taken out; each with LF and CRLF line ends
for pr in pgp smime; do
	msg $pr "$W/hdr.ent" "$W/$pr-nohdr.sig" "$pr other content" >"$W/$pr-other.eml"
	{ printf 'Content-Type: text/html\r\n'; cat "$W/nohdr.ent"; } >"$W/added.ent"
	msg $pr "$W/added.ent" "$W/$pr-nohdr.sig" "$pr header added" >"$W/$pr-added.eml"
	tail -c +3 "$W/nohdr.ent" >"$W/cut.ent"
	msg $pr "$W/cut.ent" "$W/$pr-nohdr.sig" "$pr empty line cut" >"$W/$pr-cut.eml"
	for n in other added cut; do
		for le in lf crlf; do
			f=$W/$pr-$n-$le.eml
			$le "$W/$pr-$n.eml" >"$f"
			tool $pr "$f" "$W/$pr-nohdr.sig" crlf
			ok $([ $? -ne 0 ]; echo $?) "$pr, $n, $le: the tool says bad"
			send "$f"
			is "$(jf .signature.status)" bad "$pr, $n, $le: the agent says bad"
		done
	done
done

# as the tools write whole messages: openssl smime -sign (LF around a
# CRLF part), gpg --textmode (a text signature over LF text, as mutt
# makes it), and s-nail's S/MIME signing when it is installed (a part
# with no header fields, LF line ends: the case of the issue)
printf 'Content-Type: text/plain\n\nheap overflow, signed by openssl smime\n' >"$W/os.txt"
{
	printf 'From: Sam Sender <sam@example.net>\nTo: security@example.org\nSubject: openssl smime\n'
	printf 'Date: Mon, 07 Dec 2026 10:00:00 +0000\nMessage-ID: <os.%s@example.net>\n' "$$"
	openssl smime -sign -signer "$W/sam.crt" -inkey "$W/sam.key" -in "$W/os.txt" 2>/dev/null
} >"$W/os.eml"
for le in lf crlf; do
	$le "$W/os.eml" | sed "s/^Message-ID: <os\./Message-ID: <os.$le./" >"$W/os-$le.eml"
	openssl smime -verify -noverify -in "$W/os-$le.eml" -out /dev/null 2>/dev/null
	is $? 0 "openssl smime -sign, $le: openssl smime -verify verifies it"
	send "$W/os-$le.eml"
	is "$(jf .signature.status) $(jf .signature.protocol)" "valid smime" "openssl smime -sign, $le: valid"
done

printf 'Content-Type: text/plain\n\nheap overflow, a text signature   \n' >"$W/tm.ent"
rgpg --textmode --armor --detach-sign --local-user "$RFPR" <"$W/tm.ent" >"$W/tm.sig"
msg pgp "$W/tm.ent" "$W/tm.sig" 'gpg textmode' >"$W/tm.eml"
for le in lf crlf; do
	$le "$W/tm.eml" | sed "s/^Message-ID: <\(.*\)>/Message-ID: <$le.\1>/" >"$W/tm-$le.eml"
	tool pgp "$W/tm-$le.eml" "$W/tm.sig" exact
	is $? 0 "gpg --textmode, $le: gpg verifies the signed part"
	send "$W/tm-$le.eml"
	is "$(jf .signature.status)" valid "gpg --textmode, $le: valid"
done

if command -v s-nail >/dev/null 2>&1; then
	cat "$W/sam.key" "$W/sam.crt" >"$W/sam.pem"
	printf '#!/bin/sh\ncat >"%s"\n' "$W/snail.eml" >"$W/snail-mta"
	chmod 755 "$W/snail-mta"
	printf 'Affected: XR-7 router firmware 4.2\nheap overflow, signed by s-nail\n' |
	    HOME=$W s-nail -n -Sv15-compat -Smta="$W/snail-mta" -Ssmime-sign \
	    -Ssmime-sign-cert="$W/sam.pem" -Sfrom=sam@example.net \
	    -s 's-nail report' security@example.org 2>/dev/null
	like "$(sed -n '/^--/{n;p;q}' "$W/snail.eml" | od -An -c)" '^ *\\n' \
	    "s-nail: the signed part has no header fields"
	openssl smime -verify -noverify -in "$W/snail.eml" -out /dev/null 2>/dev/null
	is $? 0 "s-nail: openssl smime -verify verifies it"
	send "$W/snail.eml"
	is "$(jf .signature.status) $(jf .signature.protocol)" "valid smime" "s-nail: the agent says valid too"
	is "$(jf '.text | contains("Affected: XR-7 router firmware 4.2")')" true \
	    "s-nail: its first line is text, not a header field"
	sed 's/^Message-ID: <\(.*\)>/Message-ID: <t.\1>/' "$W/snail.eml" >"$W/snail.bad"
	tamper "$W/snail.bad"
	send "$W/snail.bad"
	is "$(jf .signature.status)" bad "s-nail, one byte changed: bad"
else
	for _k in 1 2 3 4 5; do skip "s-nail S/MIME signing" "s-nail not installed"; done
fi

done_testing
