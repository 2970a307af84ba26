#!/bin/sh
# Encrypted and signed reports made with the real gpg, gpgsm and openssl
# (throwaway keys in temporary homes), through deliver and process; the
# checks read `case show --json` and the mail the agent sent.
. "$top_srcdir/tests/lib/lib.sh"
need jq gpg gpgsm openssl gpgconf base64 sha256sum
mk_instance --generate-keys || { echo "Bail out! init failed"; exit 1; }
notices_off	# the last mail taken is the reporter's (team notices: 283-notify.t)
SP=$I/inst/spool

# the reporter's own GnuPG home
gpg_person 'Rita Reporter <rita@example.net>' rita@example.net
PFPR=$(sed -n 's/^psirt_fingerprint = //p' "$C")
$A key list --json >"$I/keys.json" 2>>"$I/agent.log"
# the PSIRT public key, as a reporter fetches it
gpg --homedir "$I/inst/gnupg" --batch --armor --export "$PFPR" >"$I/psirt.asc" 2>/dev/null
rgpg --import "$I/psirt.asc" 2>/dev/null
rgpg --quick-lsign-key "$PFPR" 2>/dev/null || true
# the agent knows the reporter's public key
rgpg --armor --export "$RFPR" >"$I/rita.asc"
$A key import "$I/rita.asc" >/dev/null 2>>"$I/agent.log"

is "$(jq -r '[.[] | select(.secret and .protocol=="pgp")] | length' "$I/keys.json")" 1 \
    "init --generate-keys: one OpenPGP secret key"
is "$(jq -r '[.[] | select(.secret and .protocol=="smime")] | length' "$I/keys.json")" 1 \
    "init --generate-keys: one S/MIME key with its certificate"
like "$PFPR" '^[0-9A-F]{40}$' "the OpenPGP fingerprint is in the configuration"

n=0
# send FILE: deliver, process; $Q is its queue ID, $J its message JSON,
# $CASE its case
send() {
	n=$((n + 1))
	_in=$(ls "$SP/incoming")
	deliver "$1" -f rita@example.net -r security@example.org
	Q=$(ls "$SP/incoming" | grep -vxF "$_in" | head -n 1)
	process
	CASE=$($A case list --json | jq -r '.[-1].id')
	J=$($A case show "$CASE" --json | jq -c --arg q "$Q" '.messages[] | select(.queue_id==$q)')
}
jf() { printf '%s' "$J" | jq -r "$1"; }

# hdr FROM SUBJECT [TO]: the header of a report
hdr() {
	printf 'From: %s\nTo: %s\nSubject: %s\nDate: Sun, 22 Nov 2026 10:00:00 +0000\n' \
	    "$1" "${3:-security@example.org}" "$2"
	printf 'Message-ID: <%s.%s@example.net>\nMIME-Version: 1.0\n' "$(date +%s%N)" "$$"
}

# pgpmime FROM SUBJECT INNER-FILE [gpg options]: an RFC 3156 message
pgpmime() {
	f=$1 s=$2 in=$3
	shift 3
	hdr "$f" "$s"
	printf 'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="b1"\n\n'
	printf -- '--b1\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n'
	printf -- '--b1\nContent-Type: application/octet-stream; name="encrypted.asc"\n\n'
	rgpg --armor --encrypt --recipient "$PFPR" "$@" <"$in"
	printf -- '\n--b1--\n'
}

SECRET='heap overflow in the TLS parser of the XR-7 router, PoC attached'
printf 'Content-Type: text/plain; charset=utf-8\n\n%s\n' "$SECRET" >"$I/inner.txt"

# 1. PGP/MIME, signed and encrypted in one OpenPGP message
pgpmime 'Rita <rita@example.net>' 'XR-7 report' "$I/inner.txt" --sign --local-user "$RFPR" >"$I/m1.eml"
send "$I/m1.eml"
is "$(jf .encryption) $(jf .decrypted)" "pgp true" "PGP/MIME: decrypted"
is "$(jf '.text | contains("heap overflow in the TLS parser")')" true "PGP/MIME: the text is the decrypted text"
is "$(jf .signature.status)" valid "PGP/MIME: signed inside, signature valid"
is "$(jf .signature.fingerprint)" "$RFPR" "PGP/MIME: signer fingerprint"
is "$(jf .signature.from_matches)" true "PGP/MIME: signer address matches From"
ACK=$(last_sent)
unlike "$(cat "$ACK")" 'heap overflow|XR-7' "the acknowledgement of an encrypted report shows none of it in clear"
like "$(cat "$ACK")" "Subject: \\[$CASE\\]" "the acknowledgement still names the case outside"
like "$(cat "$ACK")" 'multipart/encrypted' "the signer's key was learnt: the acknowledgement is PGP/MIME encrypted"
like "$(cat "$ACK")" "Autocrypt: addr=security@example.org; prefer-encrypt=mutual; keydata=" \
    "the acknowledgement carries an Autocrypt header for the PSIRT key"
sed -n '/BEGIN PGP MESSAGE/,/END PGP MESSAGE/p' "$ACK" |
    rgpg --decrypt >"$I/ack1.txt" 2>"$I/ack1.err"
is $? 0 "the reporter decrypts the acknowledgement with their key"
like "$(cat "$I/ack1.err")" "Good signature from \"Product Security Team" \
    "the acknowledgement is signed by the PSIRT key"
like "$(cat "$I/ack1.txt")" 'protected-headers="v1"' "protected headers inside"
like "$(cat "$I/ack1.txt")" 'Subject: \[.*\] Re: XR-7 report' "the real subject is inside"
like "$(cat "$I/ack1.txt")" 'heap overflow in the TLS parser' "the quote is inside"
like "$($A case show "$CASE" --json | jq -r '.events[] | select(.type=="key-learned") | .detail')" \
    "pgp key $RFPR pinned for rita@example.net" "the signer key is pinned for the address"

# 1b. encrypted, unsigned, from someone whose key we do not have: the
# acknowledgement goes in clear, so it holds no case content
printf 'Content-Type: text/plain\n\nNo key here: %s\n' "$SECRET" >"$I/nk.txt"
pgpmime 'Nora <nora@example.net>' 'secret subject line' "$I/nk.txt" >"$I/m1b.eml"
send "$I/m1b.eml"
is "$(jf .decrypted)" true "encrypted report from a sender without a known key: decrypted"
ACK=$(last_sent)
like "$(cat "$ACK")" "^To: .*nora@example.net" "it is acknowledged"
like "$(cat "$ACK")" "$CASE" "the acknowledgement names the case"
unlike "$(cat "$ACK")" 'secret subject line|No key here|heap overflow|multipart/encrypted' \
    "without a key: no subject, no quote, not encrypted (template ack-private)"

# key import: a secret key with a passphrase (--passphrase-file); the
# agent keeps it without one and can decrypt with it
gpg --homedir "$R" --batch --quiet --pinentry-mode loopback --passphrase 'pw 1' \
    --quick-gen-key 'Second PSIRT key <security@example.org>' ed25519 cert never 2>/dev/null
SEC=$(rgpg --with-colons --list-keys 'Second PSIRT key' | awk -F: '/^fpr/ { print $10; exit }')
gpg --homedir "$R" --batch --quiet --pinentry-mode loopback --passphrase 'pw 1' \
    --quick-add-key "$SEC" cv25519 encr never 2>/dev/null
gpg --homedir "$R" --batch --pinentry-mode loopback --passphrase 'pw 1' --armor \
    --export-secret-keys "$SEC" >"$I/sec.asc" 2>/dev/null
printf 'pw 1\n' >"$I/pw"
$A key import "$I/sec.asc" --passphrase-file "$I/pw" >/dev/null 2>>"$I/agent.log"
is $? 0 "key import of a secret key with --passphrase-file"
{
	hdr 'pat@example.net' 'to the second key'
	printf 'Content-Type: text/plain\n\n'
	printf 'for the second key\n' | rgpg --armor --encrypt --trust-model always --recipient "$SEC"
} >"$I/m1c.eml"
send "$I/m1c.eml"
is "$(jf .decrypted)" true "a report to the imported (formerly protected) key is decrypted"

# key import takes a binary (not armoured) key too
rgpg --quick-gen-key 'Bin <bin@example.net>' ed25519 sign never 2>/dev/null
BIN=$(rgpg --with-colons --list-keys bin@example.net | awk -F: '/^fpr/ { print $10; exit }')
rgpg --export "$BIN" >"$I/bin.gpg"
$A key import "$I/bin.gpg" >/dev/null 2>>"$I/agent.log"
is "$($A key list --json | jq -r --arg f "$BIN" '[.[] | select(.fingerprint==$f)] | length')" 1 \
    "key import: a binary OpenPGP key"

# 2. inline PGP in text/plain, in both parts of multipart/alternative
rgpg --armor --encrypt --recipient "$PFPR" <<EOF >"$I/inline.asc"
$SECRET (inline)
EOF
{
	hdr 'rita@example.net' 'inline report'
	printf 'Content-Type: multipart/alternative; boundary="alt"\n\n--alt\n'
	printf 'Content-Type: text/plain; charset=us-ascii\n\nHello,\n\n'
	cat "$I/inline.asc"
	printf '\nRita\n--alt\nContent-Type: text/html\n\n<pre>\n'
	cat "$I/inline.asc"
	printf '</pre>\n--alt--\n'
} >"$I/m2.eml"
send "$I/m2.eml"
is "$(jf .decrypted)" true "inline PGP (multipart/alternative): decrypted"
is "$(jf '.text | test("^Hello,[\\s\\S]*heap overflow[\\s\\S]*\\(inline\\)[\\s\\S]*Rita")')" true \
    "inline PGP: the text around the armour is kept"

# 3. an encrypted attachment next to a plain body
printf 'crash: SIGSEGV at 0x41414141\n' >"$I/poc.txt"
rgpg --encrypt --recipient "$PFPR" --output "$I/poc.txt.pgp" "$I/poc.txt"
{
	hdr 'rita@example.net' 'PoC attached'
	printf 'Content-Type: multipart/mixed; boundary="mx"\n\n--mx\n'
	printf 'Content-Type: text/plain\n\nSee the attachment.\n--mx\n'
	printf 'Content-Type: application/octet-stream; name="poc.txt.pgp"\n'
	printf 'Content-Disposition: attachment; filename="poc.txt.pgp"\n'
	printf 'Content-Transfer-Encoding: base64\n\n'
	base64 <"$I/poc.txt.pgp"
	printf -- '--mx--\n'
} >"$I/m3.eml"
send "$I/m3.eml"
want=$(sha256sum <"$I/poc.txt" | cut -d' ' -f1)
is "$(jf '.attachments | map(select(.name=="poc.txt")) | .[0].sha256')" "$want" \
    "encrypted attachment: decrypted, stored under its name without .pgp"

# 4. Bcc'd: To/Cc name someone else; the key comes from the message
{
	hdr 'rita@example.net' 'bcc report' 'vendor@example.com'
	printf 'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="b1"\n\n'
	printf -- '--b1\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n--b1\n'
	printf 'Content-Type: application/octet-stream\n\n'
	rgpg --armor --encrypt --recipient "$PFPR" --recipient "$RFPR" <"$I/inner.txt"
	printf -- '\n--b1--\n'
} >"$I/m4.eml"
send "$I/m4.eml"
is "$(jf .decrypted)" true "Bcc'd report (To: someone else): decrypted"

# 5. protected headers: the encrypted Subject replaces "..."
printf 'Content-Type: text/plain; charset=utf-8; protected-headers="v1"\nSubject: Auth bypass in XR-7 admin UI\n\nDetails inside.\n' >"$I/ph.txt"
pgpmime 'rita@example.net' '...' "$I/ph.txt" >"$I/m5.eml"
send "$I/m5.eml"
is "$(jf .subject)" "Auth bypass in XR-7 admin UI" "protected headers: the encrypted Subject is used"
is "$($A case show "$CASE" --json | jq -r .subject)" "Auth bypass in XR-7 admin UI" \
    "protected headers: the case subject too"

# 6. S/MIME: the PSIRT certificate from init, a reporter certificate
PCERT=$(ls "$I/inst/gnupg/smime/"*.key.pem | head -n 1)
openssl x509 -in "$PCERT" -out "$I/psirt.crt" 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$I/sam.key" -out "$I/sam.crt" \
    -days 30 -subj '/CN=Sam/emailAddress=sam@example.net' \
    -addext 'subjectAltName=email:sam@example.net' 2>/dev/null
hdr 'Sam <sam@example.net>' 'smime report' >"$I/h.txt"
# 8. S/MIME signed, then encrypted
openssl smime -sign -signer "$I/sam.crt" -inkey "$I/sam.key" -in "$I/inner.txt" 2>/dev/null |
    openssl smime -encrypt -aes256 "$I/psirt.crt" 2>/dev/null | cat "$I/h.txt" - >"$I/m8.eml"
send "$I/m8.eml"
is "$(jf .decrypted) $(jf .signature.status) $(jf .signature.protocol)" "true valid smime" \
    "S/MIME signed then encrypted: decrypted, signature valid"
is "$(jf .signature.from_matches)" true "S/MIME signer certificate address matches From"

ACK=$(last_sent)
like "$(cat "$ACK")" 'application/(x-)?pkcs7-mime' "S/MIME: the acknowledgement is S/MIME encrypted"
openssl smime -decrypt -inkey "$I/sam.key" -recip "$I/sam.crt" -in "$ACK" >"$I/ack8.txt" 2>/dev/null
is $? 0 "S/MIME: the reporter decrypts the acknowledgement"
openssl smime -verify -noverify -in "$I/ack8.txt" >"$I/ack8.plain" 2>/dev/null
is $? 0 "S/MIME: the acknowledgement inside is signed by the PSIRT certificate"
like "$(cat "$I/ack8.plain")" 'Your subject: +smime report' "S/MIME: the acknowledgement text is inside"

for ct in application/pkcs7-mime application/x-pkcs7-mime; do
	openssl smime -encrypt -aes256 -in "$I/inner.txt" "$I/psirt.crt" 2>/dev/null |
	    sed "s|application/x-pkcs7-mime|$ct|; s|application/pkcs7-mime|$ct|" |
	    cat "$I/h.txt" - >"$I/m6.eml"
	send "$I/m6.eml"
	is "$(jf .encryption) $(jf .decrypted) $(jf .facts.decrypted_by)" "smime true gpgsm" \
	    "S/MIME enveloped-data ($ct): decrypted by gpgsm"
	is "$(jf '.text | contains("heap overflow")')" true "S/MIME ($ct): decrypted text"
done

# 7. RSA-OAEP and AES-GCM (AuthEnvelopedData): gpgsm 2.2 cannot, OpenSSL can
openssl cms -encrypt -aes256 -recip "$I/psirt.crt" -keyopt rsa_padding_mode:oaep \
    -in "$I/inner.txt" 2>/dev/null | cat "$I/h.txt" - >"$I/m7.eml"
send "$I/m7.eml"
is "$(jf .decrypted) $(jf .facts.decrypted_by)" "true openssl" "S/MIME RSA-OAEP: decrypted by OpenSSL"
openssl cms -encrypt -aes-256-gcm -recip "$I/psirt.crt" -in "$I/inner.txt" 2>/dev/null |
    cat "$I/h.txt" - >"$I/m7b.eml"
send "$I/m7b.eml"
is "$(jf .decrypted) $(jf .facts.decrypted_by)" "true openssl" "S/MIME AES-GCM: decrypted by OpenSSL"

# crypto_layers_limit: with 1, the signature inside the envelope stays
# closed (said so), the decryption is still made
printf 'crypto_layers_limit = 1\n' >>"$C"
sed 's/^Message-ID: <\(.*\)>/Message-ID: <layers.\1>/' "$I/m8.eml" >"$I/m8b.eml"
send "$I/m8b.eml"
is "$(jf .decrypted) $(jf .signature)" "true null" "crypto_layers_limit = 1: decrypted, the inner signature not opened"
like "$(jf .facts.crypto)" 'beyond crypto_layers_limit \(1\)' "crypto_layers_limit: the limit is named"
sed -i '/^crypto_layers_limit = 1$/d' "$C"

# 9. encrypted, then signed: a signature over ciphertext is not the report's
openssl smime -encrypt -aes256 -in "$I/inner.txt" "$I/psirt.crt" 2>/dev/null |
    openssl smime -sign -nodetach -signer "$I/sam.crt" -inkey "$I/sam.key" 2>/dev/null |
    cat "$I/h.txt" - >"$I/m9.eml"
send "$I/m9.eml"
is "$(jf .decrypted) $(jf .signature)" "true null" \
    "S/MIME encrypted then signed: decrypted; the outer signature is ignored"

# 10. forged signer address: a valid signature, but From is someone else
# signed: the part up to, not with, the CRLF before the boundary
printf 'Content-Type: text/plain\r\n\r\nPlease close case 1.' >"$I/forge.txt"
{
	hdr 'ceo@example.org' 'forged'
	printf 'Content-Type: multipart/signed; protocol="application/pgp-signature"; micalg=pgp-sha512; boundary="s1"\n\n--s1\n'
	cat "$I/forge.txt"
	printf -- '\n--s1\nContent-Type: application/pgp-signature\n\n'
	rgpg --armor --detach-sign --local-user "$RFPR" --digest-algo SHA512 <"$I/forge.txt"
	printf -- '--s1--\n'
} >"$I/m10.eml"
send "$I/m10.eml"
is "$(jf .signature.status) $(jf .signature.from_matches)" "valid false" \
    "PGP/MIME signature by a key of another address: valid, from_matches false"

# 11. revoked and expired signing keys
rgpg --quick-gen-key 'Rev <rev@example.net>' ed25519 sign never 2>/dev/null
REV=$(rgpg --with-colons --list-keys rev@example.net | awk -F: '/^fpr/ { print $10; exit }')
printf 'Content-Type: text/plain\r\n\r\nsigned by a key revoked later' >"$I/rv.txt"
{
	hdr 'rev@example.net' 'revoked'
	printf 'Content-Type: multipart/signed; protocol="application/pgp-signature"; micalg=pgp-sha256; boundary="s1"\n\n--s1\n'
	cat "$I/rv.txt"
	printf -- '\n--s1\nContent-Type: application/pgp-signature\n\n'
	rgpg --armor --detach-sign --local-user "$REV" <"$I/rv.txt"
	printf -- '--s1--\n'
} >"$I/m11.eml"
rgpg --armor --export "$REV" >"$I/rev.asc"
# the revocation certificate gpg made with the key, made importable
sed 's/^:-----/-----/' "$R/openpgp-revocs.d/$REV.rev" | rgpg --import 2>/dev/null
rgpg --armor --export "$REV" >"$I/rev-revoked.asc"
$A key import "$I/rev-revoked.asc" >/dev/null 2>>"$I/agent.log"
send "$I/m11.eml"
is "$(jf .signature.status)" revoked "signature by a revoked key: revoked"

gpg --homedir "$R" --batch --yes --quiet --pinentry-mode loopback --passphrase '' \
    --faked-system-time 20200101T000000 --quick-gen-key 'Old <old@example.net>' ed25519 sign 2020-06-01 2>/dev/null
OLD=$(rgpg --with-colons --list-keys old@example.net | awk -F: '/^fpr/ { print $10; exit }')
{
	hdr 'old@example.net' 'expired'
	printf 'Content-Type: multipart/signed; protocol="application/pgp-signature"; micalg=pgp-sha256; boundary="s1"\n\n--s1\n'
	cat "$I/rv.txt"
	printf -- '\n--s1\nContent-Type: application/pgp-signature\n\n'
	gpg --homedir "$R" --batch --quiet --pinentry-mode loopback --passphrase '' \
	    --faked-system-time 20200102T000000 --armor --detach-sign --local-user "$OLD" <"$I/rv.txt" 2>/dev/null
	printf -- '--s1--\n'
} >"$I/m12.eml"
rgpg --armor --export "$OLD" >"$I/old.asc"
$A key import "$I/old.asc" >/dev/null 2>>"$I/agent.log"
send "$I/m12.eml"
is "$(jf .signature.status)" expired "signature by an expired key: expired"

# 12. bad input: each kept, with a reason, nothing lost
# wrong recipient key (a key the agent does not have), then --retry
rgpg --quick-gen-key 'Other <other@example.net>' ed25519 sign never 2>/dev/null
OTH=$(rgpg --with-colons --list-keys other@example.net | awk -F: '/^fpr/ { print $10; exit }')
rgpg --quick-add-key "$OTH" cv25519 encr never 2>/dev/null
{	# another sender: rita's acknowledgements are at ack-limit by now
	hdr 'wendy@example.net' 'wrong key'
	printf 'Content-Type: text/plain\n\n'
	printf '%s (wrong key)\n' "$SECRET" | rgpg --armor --encrypt --recipient "$OTH"
} >"$I/m13.eml"
before=$(sent_count)
send "$I/m13.eml"
WQ=$Q WCASE=$CASE
is "$(jf .encryption) $(jf .decrypted)" "pgp false" "wrong recipient key: kept, not decrypted"
like "$(jf .decrypt_error)" 'No secret key' "wrong recipient key: the reason is recorded"
like "$($A case show "$CASE" --json | jq -r '.events[].type')" undecryptable \
    "wrong recipient key: the case records it"
R13=$(last_sent)
is "$(sent_count)" $((before + 1)) "wrong recipient key: the reporter gets a reply"
like "$(cat "$R13")" "$PFPR" "the reply names the PSIRT key fingerprint"
like "$(cat "$R13")" 'BEGIN PGP PUBLIC KEY BLOCK' "the reply carries the PSIRT public key"
unlike "$(cat "$R13")" 'heap overflow' "the reply carries no case content"
rgpg --armor --export-secret-keys "$OTH" >"$I/other-secret.asc"
$A key import "$I/other-secret.asc" >/dev/null 2>>"$I/agent.log"
$A process --retry "$WQ" 2>>"$I/agent.log"
is $? 0 "process --retry after the key was added"
J=$($A case show "$WCASE" --json | jq -c --arg q "$WQ" '.messages[] | select(.queue_id==$q)')
is "$(jf .decrypted) $(jf '.text | contains("(wrong key)")')" "true true" \
    "process --retry: the report is decrypted now"
like "$($A case show "$WCASE" --json | jq -r '.events[].type')" message-reread \
    "process --retry: recorded on the case"

# truncated armour
{
	hdr 'rita@example.net' 'truncated'
	printf 'Content-Type: text/plain\n\n'
	rgpg --armor --encrypt --recipient "$PFPR" <"$I/inner.txt" | head -n 4
	printf -- '-----END PGP MESSAGE-----\n'
} >"$I/m14.eml"
send "$I/m14.eml"
is "$(jf .decrypted)" false "truncated armour: kept, not decrypted"
like "$(jf .decrypt_error)" '.' "truncated armour: reason recorded"

# a 2 GB declared packet length (new-format SEIPD, 5-octet length)
printf '\321\377\177\377\377\377\001' >"$I/big.pgp"
head -c 64 /dev/urandom >>"$I/big.pgp"
{
	hdr 'rita@example.net' 'huge packet'
	printf 'Content-Type: multipart/mixed; boundary="mx"\n\n--mx\nContent-Type: text/plain\n\nsee file\n--mx\n'
	printf 'Content-Type: application/octet-stream; name="x.pgp"\nContent-Transfer-Encoding: base64\n\n'
	base64 <"$I/big.pgp"
	printf -- '--mx--\n'
} >"$I/m15.eml"
send "$I/m15.eml"
is "$(jf .decrypted)" false "2 GB declared packet length: kept, not decrypted"

# a decompression bomb against decrypted_size_limit
printf 'decrypted_size_limit = 1m\n' >>"$C"
head -c 20000000 /dev/zero | rgpg --compress-algo zlib -z 9 --armor --encrypt --recipient "$PFPR" >"$I/bomb.asc"
{
	hdr 'rita@example.net' 'bomb'
	printf 'Content-Type: text/plain\n\n'
	cat "$I/bomb.asc"
} >"$I/m16.eml"
send "$I/m16.eml"
is "$(jf .decrypted)" false "decompression bomb: stopped"
like "$(jf .decrypt_error)" 'decrypted_size_limit' "decompression bomb: the limit is named"

# corrupt CMS
{
	hdr 'rita@example.net' 'corrupt cms'
	printf 'Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\n'
	printf 'Content-Transfer-Encoding: base64\n\n'
	head -c 300 /dev/urandom | base64
} >"$I/m17.eml"
send "$I/m17.eml"
is "$(jf .encryption) $(jf .decrypted)" "smime false" "corrupt CMS: kept, not decrypted"

# a "key" attachment that is not a key
{
	hdr 'rita@example.net' 'not a key'
	printf 'Content-Type: multipart/mixed; boundary="mx"\n\n--mx\nContent-Type: text/plain\n\nmy key\n--mx\n'
	printf 'Content-Type: application/pgp-keys; name="key.asc"\n\nthis is not a key\n--mx--\n'
} >"$I/m18.eml"
send "$I/m18.eml"
like "$(jf .facts.crypto)" 'not OpenPGP data' "a key attachment that is not a key: noted"

# Autocrypt: a header with junk key data; then another key for rita
mkmsg 'Rita <rita@example.net>' 'junk autocrypt' 'hello' \
    'Autocrypt: addr=rita@example.net; prefer-encrypt=mutual; keydata=AAAAAAAAbm90IGEga2V5' >"$I/m19.eml"
send "$I/m19.eml"
like "$($A case show "$CASE" --json | jq -r '.events[] | select(.type=="key-rejected") | .detail')" \
    'Autocrypt header: not a usable OpenPGP key' "Autocrypt header with junk key data: rejected, recorded"
rgpg --quick-gen-key 'Rita Reporter <rita@example.net>' ed25519 default never 2>/dev/null
NEW=$(rgpg --with-colons --list-keys rita@example.net | awk -F: '/^fpr/ { f=$10 } END { print f }')
KD=$(rgpg --export "$NEW" | base64 -w 0)
mkmsg 'Rita <rita@example.net>' 'new key' 'hello' \
    "Autocrypt: addr=rita@example.net; keydata=$KD" >"$I/m20.eml"
send "$I/m20.eml"
like "$($A case show "$CASE" --json | jq -r '.events[] | select(.type=="key-changed") | .detail')" \
    "offers pgp key $NEW .*but $RFPR is pinned" "a changed key is flagged on the case, not trusted"
$A key pin rita@example.net "$NEW" 2>>"$I/agent.log"
is $? 0 "key pin: an operator accepts the new key"
is "$($A key list --json | jq -r --arg f "$NEW" '.[] | select(.fingerprint==$f) | .pinned_for')" \
    rita@example.net "key list shows the pin"

# 12b. a hung gpg-agent: the crypto_time_limit stops the wait
printf 'crypto_time_limit = 2s\n' >>"$C"
AGENT=$(pgrep -f "gpg-agent --homedir $I/inst/gnupg" | head -n 1)
if [ -n "$AGENT" ]; then
	kill -STOP "$AGENT"
	# a watchdog wakes the agent after 600 s, so a limit that does not
	# work fails the checks below (decrypted) instead of hanging the
	# test; it holds none of the test's output and ends once told
	( exec >/dev/null 2>&1 </dev/null; t=0
	  while [ $t -lt 600 ] && [ ! -e "$I/wd.stop" ]; do sleep 1; t=$((t + 1)); done
	  kill -CONT "$AGENT" ) &
	pgpmime 'rita@example.net' 'while the agent hangs' "$I/inner.txt" >"$I/m21.eml"
	t0=$(date +%s)
	send "$I/m21.eml"
	t1=$(date +%s)
	kill -CONT "$AGENT"
	touch "$I/wd.stop"
	diag "hung gpg-agent: processing went on after $((t1 - t0)) s"
	is "$(jf .decrypted)" false "hung gpg-agent: the message is kept, not decrypted"
	like "$(jf .decrypt_error)" 'crypto_time_limit \(2s\) exceeded' "hung gpg-agent: the limit is named"
	$A process --retry "$Q" 2>>"$I/agent.log"
	J=$($A case show "$CASE" --json | jq -c --arg q "$Q" '.messages[] | select(.queue_id==$q)')
	is "$(jf .decrypted)" true "hung gpg-agent: process --retry decrypts it once the agent runs"
else
	skip "hung gpg-agent" "no gpg-agent process found for the instance"
fi

# 13. sealed storage: nothing of a report in clear in the instance
FIRST=$($A case list --json | jq -r '.[0].id')
FQ=$($A case show "$FIRST" --json | jq -r '.messages[0].queue_id')
found=$(grep -rlF 'heap overflow in the TLS parser' "$I/inst" 2>/dev/null | head -n 3)
is "$found" "" "no file of the instance holds a decrypted report in clear (SQLite, spool, vault, outbox)"
like "$(head -c 11 "$SP/archive/$FQ")" '^PSIRTSEAL1' "archive/: the message as received is sealed"
is "$(stat -c %a "$I/inst/seal.key")" 600 "the seal key file is mode 0600"
# the decrypted attachment comes back out of the vault
PCASE=$($A case list --json | jq -r '.[] | select(.subject=="PoC attached") | .id')
$A case attachment "$PCASE" "$want" >"$I/poc.out" 2>>"$I/agent.log"
cmp -s "$I/poc.txt" "$I/poc.out"
is $? 0 "case attachment: the decrypted attachment, byte for byte"
# a tampered sealed file is reported, not read
TF="$SP/vault/$FQ.text"
flip_byte "$TF" 60
J=$($A case show "$FIRST" --json 2>>"$I/agent.log" | jq -c '.messages[0]')
is "$(jf .text)" null "tampered vault file: no text shown"
like "$(jf .text_error)" 'damaged|truncated' "tampered vault file: the error says so"
flip_byte "$SP/archive/$FQ" 80
$A process --retry "$FQ" 2>"$I/retry.err"
ok $([ $? -ne 0 ] && grep -q 'damaged\|truncated' "$I/retry.err"; echo $?) \
    "tampered archive file: process --retry refuses it with the reason"

for d in active incoming deferred quarantine; do
	is "$(qdir_count $d)" 0 "nothing left in $d/"
done
# triage reads the decrypted text
printf 'Content-Type: text/plain\n\nCVE-2026-4242, CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H, TLP:RED\n' >"$I/tri.txt"
pgpmime 'Rita <rita@example.net>' 'encrypted facts' "$I/tri.txt" >"$I/tri.eml"
send "$I/tri.eml"
is "$($A case show "$CASE" --json | jq -c '[.cves, .tlp, .cvss[0].base_score]')" '[["CVE-2026-4242"],"RED",9.8]' \
    "CVE, TLP and CVSS are read from the decrypted text"
done_testing
