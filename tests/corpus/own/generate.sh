#!/bin/sh
# generate.sh: makes tests/corpus/own, mail written here by real mail
# programs of Debian 12 (bookworm), and its MANIFEST.tsv (the format of
# tests/corpus/public/MANIFEST.tsv; tests/integration/051-own-corpus.t
# reads it). Nothing is sent: each program's sendmail/MTA setting is a
# script that keeps what it is given.
#
# Debian 12 packages it needs:
#   mutt neomutt s-nail mailutils swaks gnupg gpgsm openssl faketime
#   bsdutils (script(1): mutt signs and encrypts only interactively)
#   python3 (Debian's /usr/bin/python3; email is in its standard library)
#   perl libmime-tools-perl libmime-lite-perl libemail-mime-perl
#
# Usage: sh tests/corpus/own/generate.sh   (from anywhere; about 2 min)
#
# The keys in keys/ are made once (when keys/ has none) and then reused,
# so that the MANIFEST's fingerprints stay; remove keys/*.asc and
# keys/*.pem to make new ones. Dates are fixed with faketime (signature
# times too); MIME boundaries, some Message-IDs and the signature and
# encryption bytes differ on every run: the MANIFEST does not depend on
# them. Each expectation is what the writer meant (the subject as typed,
# in UTF-8; the sender's address; the signature), never what the agent
# makes of it today.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
K=$HERE/keys
W=$(mktemp -d /tmp/own-corpus.XXXXXX)
trap 'gpgconf --homedir "$W/gnupg" --kill all 2>/dev/null; rm -rf "$W"' EXIT
export HOME=$W LC_ALL=C.UTF-8 TZ=UTC GNUPGHOME=$W/gnupg
unset LANGUAGE MAIL MAILRC NAME REPLYTO EMAIL 2>/dev/null || true
PY=/usr/bin/python3
# the time every program sees (started there, ticking: mutt's curses
# screen waits on a clock that moves)
WHEN='2026-11-22 10:00:00'
# (libfaketime preloaded: the faketime wrapper's semaphore sometimes
# fails with "sem_open: File exists")
FTLIB=$(ls /usr/lib/*/faketime/libfaketime.so.1 | head -n 1)
ft() { LD_PRELOAD=$FTLIB FAKETIME="@$WHEN" "$@"; }
for c in mutt neomutt s-nail mail.mailutils swaks gpg gpgsm openssl \
    faketime script perl $PY; do
	command -v "$c" >/dev/null || { echo "generate.sh: $c missing" >&2; exit 1; }
done
mkdir -m 700 "$GNUPGHOME"
mkdir "$W/Mail"	# mutt asks to make it
printf 'allow-loopback-pinentry\n' >"$GNUPGHOME/gpg-agent.conf"
printf 'disable-crl-checks\n' >"$GNUPGHOME/gpgsm.conf"

# --- keys (test-only, see keys/README) ---------------------------------
G() { gpg --batch --yes --quiet --pinentry-mode loopback --passphrase '' "$@"; }
mkdir -p "$K"
if [ ! -f "$K/mei-secret.asc" ]; then
	for u in 'Mei Lin <mei@example.tw>:mei' \
	    'PSIRT Test <security@example.org>:psirt' \
	    'Stranger <stranger@example.net>:stranger'; do
		uid=${u%:*} n=${u##*:} a=${uid#*<}
		a=${a%>}
		LD_PRELOAD=$FTLIB FAKETIME='@2026-11-01 00:00:00' gpg --batch --quiet \
		    --pinentry-mode loopback --passphrase '' \
		    --quick-gen-key "$uid" ed25519 sign never
		f=$(G --with-colons --list-secret-keys "$a" | awk -F: '/^fpr/ { print $10; exit }')
		LD_PRELOAD=$FTLIB FAKETIME='@2026-11-01 00:00:00' gpg --batch --quiet \
		    --pinentry-mode loopback --passphrase '' \
		    --quick-add-key "$f" cv25519 encr never
		G --armor --export "$a" >"$K/$n-public.asc"
		G --armor --export-secret-keys "$a" >"$K/$n-secret.asc"
	done
	# S/MIME: a CA, the reporter's signing certificate, the PSIRT's
	O="openssl"
	ft $O req -x509 -newkey rsa:2048 -nodes -keyout "$K/ca.key.pem" \
	    -out "$K/ca.crt.pem" -days 7300 -subj '/CN=psirt-agent own corpus test CA' \
	    -addext basicConstraints=critical,CA:TRUE \
	    -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
	for n in sergey:'Sergey Ivanov':sergey@example.ru psirt:'PSIRT Test':security@example.org; do
		id=${n%%:*} rest=${n#*:} cn=${rest%%:*} em=${rest#*:}
		ft $O req -newkey rsa:2048 -nodes -keyout "$K/$id-smime.key.pem" \
		    -out "$W/$id.csr" -subj "/CN=$cn/emailAddress=$em" 2>/dev/null
		printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=emailProtection\nsubjectAltName=email:%s\n' \
		    "$em" >"$W/$id.ext"
		ft $O x509 -req -in "$W/$id.csr" -CA "$K/ca.crt.pem" \
		    -CAkey "$K/ca.key.pem" -set_serial "0x$(printf %s "$id" | od -An -tx1 | tr -d ' \n')" \
		    -days 7300 -extfile "$W/$id.ext" -out "$K/$id-smime.crt.pem" 2>/dev/null
	done
fi
for n in mei psirt stranger; do G --import "$K/$n-secret.asc" 2>/dev/null; done
fpr() { G --with-colons --list-keys "$1" | awk -F: '/^fpr/ { print $10; exit }'; }
MEI=$(fpr mei@example.tw)
PSIRT=$(fpr security@example.org)
STRANGER=$(fpr stranger@example.net)
for f in $MEI $PSIRT $STRANGER; do printf '%s:6:\n' "$f"; done | G --import-ownertrust
# gpgsm: the CA trusted, Sergey's key and certificate
ca_fp=$(openssl x509 -in "$K/ca.crt.pem" -noout -fingerprint -sha1 | sed 's/.*=//')
printf '%s S relax\n' "$ca_fp" >"$GNUPGHOME/trustlist.txt"
GS() { gpgsm --batch --yes --quiet --pinentry-mode loopback --passphrase '' "$@"; }
GS --import "$K/ca.crt.pem" 2>/dev/null
openssl pkcs12 -export -legacy -passout pass: -inkey "$K/sergey-smime.key.pem" \
    -in "$K/sergey-smime.crt.pem" -out "$W/sergey.p12"
GS --import "$W/sergey.p12" 2>/dev/null
SERGEY_SM=$(GS --with-colons --list-secret-keys sergey@example.ru | awk -F: '/^fpr/ { print $10; exit }')

# --- capture -----------------------------------------------------------
cat >"$W/keep" <<'EOF'
#!/bin/sh
# a sendmail that keeps the message: what the program would have sent
cat >"${KEEP_TO:?}"
EOF
chmod 755 "$W/keep"
OUT=$HERE
rm -rf "$OUT/mutt" "$OUT/neomutt" "$OUT/s-nail" "$OUT/mailutils" \
    "$OUT/python" "$OUT/perl" "$OUT/swaks" "$OUT/gpg" "$OUT/openssl" "$OUT/gpgsm"
tab=$(printf '\t')
LIC="ISC (the project's LICENSE)"
printf 'file\tkind\tsource_repo\tsource_path\tlicence\texpected\n' >"$W/MANIFEST.tsv"
# entry FILE KIND PROGRAM EXPECTED: one MANIFEST line
entry() {
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" \
	    "tests/corpus/own/generate.sh" "$LIC" "$4" >>"$W/MANIFEST.tsv"
}
V_MUTT=$(mutt -v | head -n 1)
V_NEOMUTT=$(neomutt -v 2>/dev/null | head -n 1)
V_SNAIL=$(s-nail -Xversion -Xx 2>&1 | head -n 1)
V_MU=$(mail.mailutils --version | head -n 1)
V_SWAKS=$(swaks --version | head -n 1)
V_PY="Python $($PY -c 'import sys; print(sys.version.split()[0])') email"
V_GPG=$(gpg --version | head -n 1)
V_GPGSM=$(gpgsm --version | head -n 1)
V_SSL=$(openssl version)
V_PERL="perl $(perl -e 'printf "%vd", $^V')"
pmod() { perl -M"$1" -e "print '$1 ', \$$1::VERSION"; }

# mutt_batch DIR NAME RC-LINES SUBJECT BODY [mutt options]: mutt -s in
# batch mode, stdin the body
mutt_batch() {
	prog=$1 dst=$OUT/$1/$2.eml rc=$3 subj=$4 body=$5
	shift 5
	mkdir -p "$OUT/$prog"
	{
		printf 'set sendmail="%s/keep"\nset use_from=yes\nset record=""\n' "$W"
		printf 'set user_agent=no\n' 
		printf '%s\n' "$rc"
	} >"$W/rc"
	printf '%s\n' "$body" | KEEP_TO=$dst ft $prog -n -F "$W/rc" -s "$subj" "$@" \
	    -- security@example.org
}
# mutt_tty NAME RC-LINES SUBJECT BODY: mutt on a terminal (script(1)),
# where it signs and encrypts; the keys typed: Return at To:, y (send)
mutt_tty() {
	dst=$OUT/mutt/$1.eml rc=$2 subj=$3
	mkdir -p "$OUT/mutt"
	printf '%s\n' "$4" >"$W/body"
	{
		printf 'set sendmail="%s/keep"\nset use_from=yes\nset record=""\n' "$W"
		printf 'set user_agent=no\nset editor="true"\nset abort_unmodified=no\n'
		printf 'set postpone=no\nset crypt_use_gpgme=yes\nset fast_reply=yes\n'
		printf '%s\n' "$rc"
	} >"$W/rc"
	rm -f "$dst"
	(sleep 2; printf '\r'; sleep 2; printf 'y'; sleep 4; printf '\r'; sleep 1) |
	    TERM=dumb KEEP_TO=$dst timeout 30 env LD_PRELOAD="$FTLIB" FAKETIME="@$WHEN" script -qec \
	    "mutt -n -F '$W/rc' -s '$subj' -i '$W/body' security@example.org" \
	    /dev/null >"$W/screen" 2>&1 || true
	[ -s "$dst" ] || { echo "generate.sh: mutt made no $1" >&2; sed "s/\x1b\[[0-9;?]*[a-zA-Z]/\n/g" "$W/screen" | grep -v "^ *$" | sed "s/   */ /g" | tail -n 8 >&2; exit 1; }
}

# ===== mutt ============================================================
S_TW='遠端程式碼執行漏洞'
B_TW='您好，我們在管理介面發現緩衝區溢位。'
mutt_batch mutt big5 'set send_charset="big5"
set from="陳小明 <chen@example.tw>"
set message_id_format="<mutt-big5@example.tw>"' "$S_TW" "$B_TW 標記甲"
entry mutt/big5.eml charset "$V_MUTT" "subject=$S_TW; from=chen@example.tw; sig=none; text contains \"標記甲\"; zh-TW in Big5, mutt's label big5"
mutt_batch mutt utf-8-zh-tw 'set send_charset="utf-8"
set from="陳小明 <chen@example.tw>"
set message_id_format="<mutt-utf8@example.tw>"' "$S_TW（二）" "$B_TW 標記乙"
entry mutt/utf-8-zh-tw.eml charset "$V_MUTT" "subject=$S_TW（二）; from=chen@example.tw; sig=none; text contains \"標記乙\""
mutt_batch mutt gb2312 'set send_charset="gb2312"
set from="王伟 <wang@example.cn>"
set message_id_format="<mutt-gb2312@example.cn>"' '远程代码执行漏洞' '您好，我们在管理界面发现缓冲区溢出。标记丙'
entry mutt/gb2312.eml charset "$V_MUTT" "subject=远程代码执行漏洞; from=wang@example.cn; sig=none; text contains \"标记丙\"; zh-CN in GB2312"
mutt_batch mutt iso-2022-jp 'set send_charset="iso-2022-jp"
set from="山田太郎 <yamada@example.jp>"
set message_id_format="<mutt-jis@example.jp>"' '管理画面の脆弱性について' 'お世話になっております。管理画面にバッファオーバーフローがあります。目印丁'
entry mutt/iso-2022-jp.eml charset "$V_MUTT" "subject=管理画面の脆弱性について; from=yamada@example.jp; sig=none; text contains \"目印丁\""
mutt_batch mutt koi8-r 'set send_charset="koi8-r"
set from="Иван Петров <ivan@example.ru>"
set message_id_format="<mutt-koi8@example.ru>"' 'Уязвимость в панели управления' 'Здравствуйте! Найдено переполнение буфера. метка-один'
entry mutt/koi8-r.eml charset "$V_MUTT" "subject=Уязвимость в панели управления; from=ivan@example.ru; sig=none; text contains \"метка-один\""
# a report whose text is only in the attachment
printf 'Heap overflow in the TIFF decoder, found by fuzzing. Marker: attonly-mutt\n' >"$W/report.txt"
mutt_batch mutt attachment-only 'set send_charset="utf-8"
set from="Ana Lopez <ana@example.es>"
set message_id_format="<mutt-att@example.es>"' 'Report attached' '' -a "$W/report.txt"
entry mutt/attachment-only.eml plain "$V_MUTT" "subject=Report attached; from=ana@example.es; sig=none; text contains \"attonly-mutt\"; the body is empty, the report is report.txt"

# PGP/MIME, signed and encrypted by mutt (GPGME)
mutt_tty pgp-mime-signed "set from=\"Mei Lin <mei@example.tw>\"
set send_charset=\"utf-8\"
set pgp_sign_as=0x$MEI
set crypt_autosign=yes
set message_id_format=\"<mutt-pgp-signed@example.tw>\"" '簽章的漏洞報告' '這是簽過章的報告。標記戊'
entry mutt/pgp-mime-signed.eml pgp "$V_MUTT" "subject=簽章的漏洞報告; from=mei@example.tw; sig=valid by $MEI; text contains \"標記戊\""
mutt_tty pgp-mime-encrypted "set from=\"Mei Lin <mei@example.tw>\"
set send_charset=\"utf-8\"
set crypt_autoencrypt=yes
set crypt_autosign=no
set pgp_self_encrypt=no
set message_id_format=\"<mutt-pgp-enc@example.tw>\"" '加密的漏洞報告' '這是加密的報告。標記己'
entry mutt/pgp-mime-encrypted.eml pgp "$V_MUTT" "subject=加密的漏洞報告; from=mei@example.tw; decrypts=yes with keys/psirt-secret.asc; sig=none; text contains \"標記己\""
mutt_tty pgp-mime-signed-encrypted "set from=\"Mei Lin <mei@example.tw>\"
set send_charset=\"utf-8\"
set pgp_sign_as=0x$MEI
set crypt_autosign=yes
set crypt_autoencrypt=yes
set pgp_self_encrypt=no
set message_id_format=\"<mutt-pgp-se@example.tw>\"" '簽章並加密的報告' '這是簽章並加密的報告。標記庚'
entry mutt/pgp-mime-signed-encrypted.eml pgp "$V_MUTT" "subject=簽章並加密的報告; from=mei@example.tw; decrypts=yes with keys/psirt-secret.asc; sig=valid by $MEI; text contains \"標記庚\""
mutt_tty pgp-mime-unknown-signer "set from=\"Stranger <stranger@example.net>\"
set send_charset=\"utf-8\"
set pgp_sign_as=0x$STRANGER
set crypt_autosign=yes
set message_id_format=\"<mutt-pgp-stranger@example.net>\"" 'Signed by a key you do not have' 'Signed, but the key is not imported. marker-stranger'
entry mutt/pgp-mime-unknown-signer.eml pgp "$V_MUTT" "subject=Signed by a key you do not have; from=stranger@example.net; sig=unknown-key (keys/stranger-public.asc is not imported); text contains \"marker-stranger\""
mutt_tty pgp-inline-signed "set from=\"Mei Lin <mei@example.tw>\"
set send_charset=\"big5\"
set pgp_sign_as=0x$MEI
set crypt_autosign=yes
set pgp_autoinline=yes
set message_id_format=\"<mutt-pgp-inline@example.tw>\"" '行內簽章報告' '這是行內簽章的 Big5 報告。標記辛'
entry mutt/pgp-inline-signed.eml pgp "$V_MUTT" "subject=行內簽章報告; from=mei@example.tw; sig=valid by $MEI; text contains \"標記辛\"; inline clearsigned Big5 text (pgp_autoinline)"
mutt_tty smime-signed "set from=\"Sergey Ivanov <sergey@example.ru>\"
set send_charset=\"koi8-r\"
set smime_is_default=yes
set smime_sign_as=0x$SERGEY_SM
set smime_default_key=0x$SERGEY_SM
set crypt_autosign=yes
set message_id_format=\"<mutt-smime@example.ru>\"" 'Подписанный отчёт об уязвимости' 'Это подписанный отчёт. метка-два'
entry mutt/smime-signed.eml smime "$V_MUTT" "subject=Подписанный отчёт об уязвимости; from=sergey@example.ru; sig=valid (S/MIME, signer Sergey, CA keys/ca.crt.pem); text contains \"метка-два\""

# ===== neomutt =========================================================
nm() { mutt_batch neomutt "$@"; }
nm gb2312 'set send_charset="gb2312"
set from="王伟 <wang@example.cn>"
my_hdr Message-ID: <neomutt-gb2312@example.cn>' '管理后台存在跨站脚本漏洞' '您好，管理后台存在跨站脚本漏洞。标记壬'
entry neomutt/gb2312.eml charset "$V_NEOMUTT" "subject=管理后台存在跨站脚本漏洞; from=wang@example.cn; sig=none; text contains \"标记壬\""
nm gb18030 'set send_charset="gb18030"
set from="李娜 <li.na@example.cn>"
my_hdr Message-ID: <neomutt-gb18030@example.cn>' '路由器固件漏洞（𠮷）' '固件中有硬编码密码，见𠮷字。标记癸'
entry neomutt/gb18030.eml charset "$V_NEOMUTT" "subject=路由器固件漏洞（𠮷）; from=li.na@example.cn; sig=none; text contains \"标记癸\"; GB18030 four-byte character"
nm shift_jis 'set send_charset="shift_jis"
set from="佐藤花子 <sato@example.jp>"
my_hdr Message-ID: <neomutt-sjis@example.jp>' 'ルーターの認証回避' 'ルーターの管理画面で認証を回避できます。目印甲'
entry neomutt/shift_jis.eml charset "$V_NEOMUTT" "subject=ルーターの認証回避; from=sato@example.jp; sig=none; text contains \"目印甲\""
nm euc-jp 'set send_charset="euc-jp"
set from="鈴木一郎 <suzuki@example.jp>"
my_hdr Message-ID: <neomutt-eucjp@example.jp>' 'ファームウェアの脆弱性' 'ファームウェアに脆弱性があります。目印乙'
entry neomutt/euc-jp.eml charset "$V_NEOMUTT" "subject=ファームウェアの脆弱性; from=suzuki@example.jp; sig=none; text contains \"目印乙\""
nm windows-1251 'set send_charset="windows-1251"
set from="Ольга Смирнова <olga@example.ru>"
my_hdr Message-ID: <neomutt-cp1251@example.ru>' 'Обход аутентификации в API' 'В API можно обойти аутентификацию. метка-три'
entry neomutt/windows-1251.eml charset "$V_NEOMUTT" "subject=Обход аутентификации в API; from=olga@example.ru; sig=none; text contains \"метка-три\""
nm big5 'set send_charset="big5"
set from="林志玲 <lin@example.tw>"
my_hdr Message-ID: <neomutt-big5@example.tw>' '韌體後門漏洞' '韌體中有後門帳號。標記子'
entry neomutt/big5.eml charset "$V_NEOMUTT" "subject=韌體後門漏洞; from=lin@example.tw; sig=none; text contains \"標記子\""

# ===== s-nail ==========================================================
# sn NAME CHARSET FROM SUBJECT BODY [options]
sn() {
	mkdir -p "$OUT/s-nail"
	dst=$OUT/s-nail/$1.eml cs=$2 from=$3 subj=$4 body=$5
	shift 5
	printf '%s\n' "$body" | KEEP_TO=$dst ft s-nail -:/ -S mta="$W/keep" \
	    -S sendcharsets="$cs" -S hostname=example.invalid \
	    -S stealthmua=noagent -S from="$from" -s "$subj" "$@" security@example.org
}
sn koi8-r koi8-r 'Иван Петров <ivan@example.ru>' 'Уязвимость в веб-интерфейсе' 'Найдена SQL-инъекция в форме входа. метка-четыре'
entry s-nail/koi8-r.eml charset "$V_SNAIL" "subject=Уязвимость в веб-интерфейсе; from=ivan@example.ru; sig=none; text contains \"метка-четыре\""
sn gbk gbk '张伟 <zhang@example.cn>' '登录页面SQL注入漏洞' '登录页面存在SQL注入。标记丑'
entry s-nail/gbk.eml charset "$V_SNAIL" "subject=登录页面SQL注入漏洞; from=zhang@example.cn; sig=none; text contains \"标记丑\""
sn big5 big5 '黃美玲 <huang@example.tw>' '登入頁面SQL注入' '登入頁面有SQL注入漏洞。標記寅'
entry s-nail/big5.eml charset "$V_SNAIL" "subject=登入頁面SQL注入; from=huang@example.tw; sig=none; text contains \"標記寅\""
sn utf-8-ja utf-8 '高橋健 <takahashi@example.jp>' 'ログイン画面のSQLインジェクション' 'ログイン画面にSQLインジェクションがあります。目印丙'
entry s-nail/utf-8-ja.eml charset "$V_SNAIL" "subject=ログイン画面のSQLインジェクション; from=takahashi@example.jp; sig=none; text contains \"目印丙\""
# S/MIME by s-nail (its own OpenSSL code)
cat "$K/sergey-smime.key.pem" "$K/sergey-smime.crt.pem" >"$W/sergey.pem"
sn smime-signed koi8-r 'Sergey Ivanov <sergey@example.ru>' 'Подписанное сообщение s-nail' 'Подписано s-nail. метка-пять' \
    -S smime-sign -S smime-sign-cert="$W/sergey.pem" -S smime-sign-digest=sha256
entry s-nail/smime-signed.eml smime "$V_SNAIL" "subject=Подписанное сообщение s-nail; from=sergey@example.ru; sig=valid (S/MIME, signer Sergey, CA keys/ca.crt.pem); text contains \"метка-пять\""
# s-nail leaves the signed part without header lines when the text is
# plain US-ASCII (mailutils has no S/MIME)
sn smime-signed-headerless us-ascii 'Sergey Ivanov <sergey@example.ru>' 'Signed by s-nail, plain ASCII' 'A plain ASCII report signed by s-nail. marker-headerless' \
    -S smime-sign -S smime-sign-cert="$W/sergey.pem" -S smime-sign-digest=sha256
entry s-nail/smime-signed-headerless.eml smime "$V_SNAIL" "subject=Signed by s-nail, plain ASCII; from=sergey@example.ru; sig=valid (S/MIME; the signed part has no header lines, canonical form starts with CRLF); text contains \"marker-headerless\""
sn smime-encrypted utf-8 'Sergey Ivanov <sergey@example.ru>' 'Зашифрованный отчёт' 'Зашифровано для PSIRT. метка-шесть' \
    -S smime-force-encryption -S "smime-encrypt-security@example.org=$K/psirt-smime.crt.pem"
entry s-nail/smime-encrypted.eml smime "$V_SNAIL" "subject=Зашифрованный отчёт; from=sergey@example.ru; decrypts=yes with keys/psirt-smime.key.pem; sig=none; text contains \"метка-шесть\""

# ===== mailutils =======================================================
# mu NAME FROM SUBJECT BODY [options]: GNU mail with a sendmail URL
mu() {
	mkdir -p "$OUT/mailutils"
	n=$1 dst=$OUT/mailutils/$1.eml from=$2 subj=$3 body=$4
	shift 4
	printf '%s' "$body" | KEEP_TO=$dst ft mail.mailutils -E "set sendmail=sendmail://$W/keep" \
	    -a "From: $from" -a "Message-ID: <mailutils-$n@example.invalid>" -s "$subj" "$@" \
	    security@example.org
}
mu raw-utf8-zh-tw '張志明 <chang@example.tw>' '路由器遠端命令執行' "路由器可遠端執行命令。標記卯
"
entry mailutils/raw-utf8-zh-tw.eml charset "$V_MU" "subject=路由器遠端命令執行; from=chang@example.tw; sig=none; text contains \"標記卯\"; raw UTF-8 header and body, no MIME labels"
mu raw-utf8-ru 'Дмитрий Козлов <kozlov@example.ru>' 'Удалённое выполнение кода' "Удалённое выполнение кода в сервисе. метка-семь
"
entry mailutils/raw-utf8-ru.eml charset "$V_MU" "subject=Удалённое выполнение кода; from=kozlov@example.ru; sig=none; text contains \"метка-семь\"; raw UTF-8, no MIME labels"
printf 'Path traversal in the backup export. Marker: attonly-mailutils\n' >"$W/report.txt"
mu attachment-only 'Ana Lopez <ana@example.es>' 'Vulnerability report (see attachment)' '' \
    --content-type=text/plain --attach="$W/report.txt"
entry mailutils/attachment-only.eml plain "$V_MU" "subject=Vulnerability report (see attachment); from=ana@example.es; sig=none; text contains \"attonly-mailutils\"; empty body, the report is report.txt"

# ===== Python email ====================================================
mkdir -p "$OUT/python"
py() { KEEP_DIR=$OUT/python K=$K ft $PY - "$@"; }
py <<'EOF'
import os, email.utils
from email.mime.text import MIMEText
from email.mime.multipart import MIMEMultipart
from email.mime.message import MIMEMessage
from email.header import Header
from email.message import EmailMessage
from email import policy
D = os.environ["KEEP_DIR"]
DATE = "Sun, 22 Nov 2026 10:00:00 +0000"
def head(m, subject, sender, mid, to="security@example.org", date=DATE):
    m["Subject"] = subject
    m["From"] = sender
    m["To"] = to
    m["Date"] = date
    m["Message-ID"] = "<python-%s@example.invalid>" % mid
    return m
def save(name, m):
    with open(os.path.join(D, name + ".eml"), "wb") as f:
        f.write(m.as_bytes())
def classic(name, codec, subject, name_, addr, body):
    m = MIMEText(body, "plain", codec)
    head(m, Header(subject, codec),
        email.utils.formataddr((str(Header(name_, codec)), addr)), name)
    save(name, m)
classic("big5", "big5", "網頁伺服器目錄穿越", "吳建宏", "wu@example.tw", "網頁伺服器有目錄穿越漏洞。標記辰\n")
classic("gb2312", "gb2312", "网页服务器目录遍历", "刘洋", "liu@example.cn", "网页服务器存在目录遍历漏洞。标记巳\n")
classic("gb18030", "gb18030", "网页服务器目录遍历（二）", "陈静", "chen.jing@example.cn", "网页服务器存在目录遍历漏洞。标记午\n")
classic("koi8_r", "koi8_r", "Обход каталогов на веб-сервере", "Алексей Соколов", "sokolov@example.ru", "Обход каталогов на веб-сервере. метка-восемь\n")
classic("cp1251", "cp1251", "Межсайтовый скриптинг в поиске", "Мария Новикова", "novikova@example.ru", "Межсайтовый скриптинг в поиске. метка-девять\n")
classic("shift_jis", "shift_jis", "検索機能のクロスサイトスクリプティング", "田中誠", "tanaka@example.jp", "検索機能にXSSがあります。目印丁\n")
classic("euc_jp", "euc_jp", "検索機能のディレクトリトラバーサル", "伊藤美咲", "ito@example.jp", "ディレクトリトラバーサルがあります。目印戊\n")
classic("utf_8", "utf_8", "API 權限提升漏洞", "許文華", "hsu@example.tw", "API 有權限提升漏洞。標記未\n")

# From as one encoded-word holding both the name and the address
m = MIMEText("A report whose From is one encoded-word. marker-oneword\n", "plain", "utf-8")
head(m, "From in one encoded-word", Header("林大明 <lin.daming@example.tw>", "utf-8"), 'from-oneword')
save("from-one-encoded-word", m)

# labels that lie: the bytes of one charset under the label of another
def lying(name, subject, text, real, label, addr):
    raw = subject.encode(real)
    m = MIMEText("x", "plain", "us-ascii")
    del m["Content-Type"], m["Content-Transfer-Encoding"], m["MIME-Version"]
    m["MIME-Version"] = "1.0"
    m["Content-Type"] = "text/plain; charset=%s" % label
    m["Content-Transfer-Encoding"] = "base64"
    m.set_payload(__import__("base64").encodebytes(text.encode(real)).decode())
    head(m, Header(raw.decode("latin-1"), "iso-8859-1") if label == "iso-8859-1"
        else "=?%s?B?%s?=" % (label, __import__("base64").b64encode(raw).decode()),
        addr, name)
    save(name, m)
lying("big5-labelled-latin1", "網站登入繞過", "網站可以繞過登入。標記申\n", "big5", "iso-8859-1", "big5liar@example.tw")
lying("utf8-labelled-latin1", "網站登入繞過（UTF-8）", "網站可以繞過登入。標記酉\n", "utf-8", "iso-8859-1", "utf8liar@example.tw")
lying("cp1252-labelled-utf8", "Überlauf im „Parser“ – dringend", "Pufferüberlauf im Parser – Größe „unbegrenzt“. Kennwort-zehn\n", "cp1252", "utf-8", "cp1252liar@example.de")
lying("gbk-labelled-latin1", "固件缓冲区溢出", "固件存在缓冲区溢出。标记戌\n", "gbk", "iso-8859-1", "gbkliar@example.cn")

# an HTML alternative beside an empty plain part
m = MIMEMultipart("alternative")
m.attach(MIMEText("", "plain", "utf-8"))
m.attach(MIMEText("<html><body><p>跨站請求偽造在設定頁。<b>標記亥</b></p></body></html>\n", "html", "utf-8"))
head(m, Header("設定頁跨站請求偽造", "utf-8"), email.utils.formataddr((str(Header("鄭雅婷", "utf-8")), "cheng@example.tw")), 'html-alt')
save("html-alternative-empty-plain", m)

# a report forwarded twice (message/rfc822 in message/rfc822)
inner = MIMEText("The upload handler accepts .php files. Marker: fwd-twice-inner\n", "plain", "utf-8")
head(inner, "Unrestricted file upload", "Original Finder <finder@example.org>", 'fwd-orig', to="bugs@vendor.example", date="Fri, 20 Nov 2026 08:00:00 +0000")
mid = MIMEMultipart()
mid.attach(MIMEText("FYI, forwarding.\n", "plain", "utf-8"))
mid.attach(MIMEMessage(inner))
head(mid, "Fwd: Unrestricted file upload", "Help Desk <helpdesk@vendor.example>", 'fwd-1', to="triage@vendor.example", date="Sat, 21 Nov 2026 09:00:00 +0000")
out = MIMEMultipart()
out.attach(MIMEText("Forwarding to the PSIRT.\n", "plain", "utf-8"))
out.attach(MIMEMessage(mid))
head(out, "Fwd: Fwd: Unrestricted file upload", "Triage Team <triage@vendor.example>", 'fwd-2')
save("forwarded-twice", out)

# a 96 KB header line (unfolded) and a 100 KB References header
m = EmailMessage(policy=policy.default.clone(max_line_length=0))
head(m, "Report with a 96 KB header line", "longline@example.net", '96k')
m["X-Scan-Trace"] = " ".join("hop%05d=ok" % i for i in range(96 * 1024 // 10))[: 96 * 1024]
m.set_content("The header above is one 96 KB line. marker-96k\n", cte="7bit")
save("header-line-96k", m)
m = EmailMessage(policy=policy.default)
head(m, "Report with a 100 KB References header", "longrefs@example.net", '100k-refs')
refs, n = [], 0
while sum(len(r) + 1 for r in refs) < 100 * 1024:
    refs.append("<thread-%06d@lists.example.net>" % n); n += 1
m["References"] = " ".join(refs)
m.set_content("A long thread's references. marker-100k\n")
save("references-100k", m)

# email.message with the default policy: UTF-8 encoded-words, zh-CN
m = EmailMessage(policy=policy.default)
head(m, "数据库备份文件可公开下载", email.utils.formataddr(("赵磊", "zhao@example.cn")), 'emailmessage')
m.set_content("数据库备份文件可以公开下载。标记甲子\n")
save("emailmessage-utf8-zh-cn", m)
EOF
entry python/big5.eml charset "$V_PY" "subject=網頁伺服器目錄穿越; from=wu@example.tw; sig=none; text contains \"標記辰\"; Header(text, 'big5'): Python labels it big5_tw"
entry python/gb2312.eml charset "$V_PY" "subject=网页服务器目录遍历; from=liu@example.cn; sig=none; text contains \"标记巳\"; Header(text, 'gb2312'): Python labels it eucgb2312_cn"
entry python/gb18030.eml charset "$V_PY" "subject=网页服务器目录遍历（二）; from=chen.jing@example.cn; sig=none; text contains \"标记午\"; Header(text, 'gb18030')"
entry python/koi8_r.eml charset "$V_PY" "subject=Обход каталогов на веб-сервере; from=sokolov@example.ru; sig=none; text contains \"метка-восемь\"; Python's codec name koi8_r as the label"
entry python/cp1251.eml charset "$V_PY" "subject=Межсайтовый скриптинг в поиске; from=novikova@example.ru; sig=none; text contains \"метка-девять\"; label cp1251"
entry python/shift_jis.eml charset "$V_PY" "subject=検索機能のクロスサイトスクリプティング; from=tanaka@example.jp; sig=none; text contains \"目印丁\"; Header(text, 'shift_jis'): Python writes ISO-2022-JP"
entry python/euc_jp.eml charset "$V_PY" "subject=検索機能のディレクトリトラバーサル; from=ito@example.jp; sig=none; text contains \"目印戊\"; Header(text, 'euc_jp'): Python writes ISO-2022-JP"
entry python/utf_8.eml charset "$V_PY" "subject=API 權限提升漏洞; from=hsu@example.tw; sig=none; text contains \"標記未\"; Python's codec name utf_8"
entry python/from-one-encoded-word.eml plain "$V_PY" "subject=From in one encoded-word; from=lin.daming@example.tw; sig=none; text contains \"marker-oneword\"; From is one encoded-word holding name and address"
entry python/big5-labelled-latin1.eml charset "$V_PY" "subject=網站登入繞過; from=big5liar@example.tw; sig=none; text contains \"標記申\"; Big5 bytes labelled iso-8859-1"
entry python/utf8-labelled-latin1.eml charset "$V_PY" "subject=網站登� �繞過（UTF-8）; from=utf8liar@example.tw; sig=none; text contains \"標記酉\"; UTF-8 bytes labelled iso-8859-1; Python folds the header at the 0x85 byte of 入 (E5 85 A5: a line break to str.splitlines) and writes a space for it, so 入 is lost on the way: its two other bytes read as U+FFFD, the rest as written"
entry python/cp1252-labelled-utf8.eml charset "$V_PY" "subject=Überlauf im „Parser“ – dringend; from=cp1252liar@example.de; sig=none; text contains \"Kennwort-zehn\"; text contains \"Größe\"; cp1252 bytes labelled utf-8"
entry python/gbk-labelled-latin1.eml charset "$V_PY" "subject=固件缓冲区溢出; from=gbkliar@example.cn; sig=none; text contains \"标记戌\"; GBK bytes labelled iso-8859-1"
entry python/html-alternative-empty-plain.eml plain "$V_PY" "subject=設定頁跨站請求偽造; from=cheng@example.tw; sig=none; text contains \"標記亥\"; empty text/plain beside text/html"
entry python/forwarded-twice.eml plain "$V_PY" "subject=Fwd: Fwd: Unrestricted file upload; from=triage@vendor.example; sig=none; text contains \"fwd-twice-inner\"; the report is in message/rfc822 inside message/rfc822"
entry python/header-line-96k.eml malformed "$V_PY" "subject=Report with a 96 KB header line; from=longline@example.net; sig=none; text contains \"marker-96k\"; one unfolded 96 KB header line"
entry python/references-100k.eml malformed "$V_PY" "subject=Report with a 100 KB References header; from=longrefs@example.net; sig=none; text contains \"marker-100k\"; References of about 3300 message IDs"
entry python/emailmessage-utf8-zh-cn.eml charset "$V_PY" "subject=数据库备份文件可公开下载; from=zhao@example.cn; sig=none; text contains \"标记甲子\"; email.message, default policy"

# ===== Perl ============================================================
mkdir -p "$OUT/perl"
printf 'Stored XSS in the comment form. Marker: attonly-perl\n' >"$W/report.txt"
ft perl - "$OUT/perl" "$W/report.txt" <<'EOF'
use strict; use warnings; use utf8;
use Encode qw(encode);
use MIME::Entity; use MIME::Words qw(encode_mimeword);
use MIME::Lite; use Email::MIME;
my ($D, $rep) = @ARGV;
my $DATE = 'Sun, 22 Nov 2026 10:00:00 +0000';
sub save { my ($n, $s) = @_; open(my $f, '>:raw', "$D/$n.eml") or die; print $f $s; close $f }
sub ew { my ($t, $cs) = @_; encode_mimeword(encode($cs, $t), 'B', $cs) }
# MIME::Entity (MIME-tools) with Perl's Encode names as the labels
for my $c (['big5-eten', '資料庫注入漏洞', '蔡宗翰', 'tsai@example.tw', '資料庫查詢可被注入。標記乙丑', 'entity-big5-eten'],
	   ['cp950', '資料庫注入漏洞（二）', '蔡宗翰', 'tsai@example.tw', '資料庫查詢可被注入。標記丙寅', 'entity-cp950'],
	   ['gb2312', '数据库注入漏洞', '杨帆', 'yang@example.cn', '数据库查询可被注入。标记丁卯', 'entity-gb2312'],
	   ['koi8-r', 'Инъекция в базе данных', 'Павел Волков', 'volkov@example.ru', 'Инъекция в запросе к базе данных. метка-одиннадцать', 'entity-koi8-r'],
	   ['iso-2022-jp', 'データベースのインジェクション', '渡辺直美', 'watanabe@example.jp', 'データベースにインジェクションがあります。目印己', 'entity-iso-2022-jp']) {
	my ($cs, $subj, $name, $addr, $body, $file) = @$c;
	my $e = MIME::Entity->build(
	    From => ew($name, $cs) . " <$addr>", To => 'security@example.org',
	    Subject => ew($subj, $cs), Date => $DATE,
	    'Message-ID' => "<perl-$file\@example.invalid>",
	    Type => 'text/plain', Charset => $cs, Encoding => '8bit',
	    Data => [encode($cs, "$body\n")]);
	save($file, $e->as_string);
}
# Encode's MIME-Header (UTF-8 encoded-words) for the whole header
{
	my $e = MIME::Entity->build(
	    From => encode('MIME-Header', '郭俊傑 <kuo@example.tw>'), To => 'security@example.org',
	    Subject => encode('MIME-Header', '行動應用程式憑證未驗證的漏洞報告，請儘速處理'),
	    Date => $DATE, 'Message-ID' => '<perl-encode-mime-header@example.invalid>',
	    Type => 'text/plain', Charset => 'utf-8', Encoding => 'base64',
	    Data => [encode('UTF-8', "行動應用程式沒有驗證憑證。標記戊辰\n")]);
	save('encode-mime-header', $e->as_string);
}
# MIME::Entity: a report only in an attached report.txt
{
	my $e = MIME::Entity->build(
	    From => 'Ana Lopez <ana@example.es>', To => 'security@example.org',
	    Subject => 'Informe adjunto', Date => $DATE,
	    'Message-ID' => '<perl-entity-attachment-only@example.invalid>',
	    Type => 'multipart/mixed');
	$e->attach(Type => 'text/plain', Charset => 'us-ascii', Data => ['']);
	$e->attach(Path => $rep, Type => 'text/plain', Filename => 'report.txt',
	    Disposition => 'attachment', Encoding => 'base64');
	save('entity-attachment-only', $e->as_string);
}
# MIME::Lite
{
	my $m = MIME::Lite->new(
	    From => ew('Николай Морозов', 'koi8-r') . ' <morozov@example.ru>',
	    To => 'security@example.org', Subject => ew('Переполнение стека в драйвере', 'koi8-r'),
	    Date => $DATE, 'Message-ID' => '<perl-lite-koi8-r@example.invalid>',
	    Type => 'text/plain; charset=koi8-r', Encoding => 'quoted-printable',
	    Data => encode('koi8-r', "Переполнение стека в драйвере. метка-двенадцать\n"));
	save('lite-koi8-r', $m->as_string);
	$m = MIME::Lite->new(
	    From => ew('周杰', 'gb2312') . ' <zhou@example.cn>',
	    To => 'security@example.org', Subject => ew('驱动程序栈溢出', 'gb2312'),
	    Date => $DATE, 'Message-ID' => '<perl-lite-html@example.invalid>',
	    Type => 'multipart/alternative');
	$m->attach(Type => 'text/plain; charset=gb2312', Data => '');
	$m->attach(Type => 'text/html; charset=gb2312', Encoding => 'base64',
	    Data => encode('gb2312', "<html><body><p>驱动程序存在栈溢出。<b>标记己巳</b></p></body></html>\n"));
	save('lite-html-alternative-empty-plain', $m->as_string);
}
# Email::MIME, header_str (its own UTF-8 encoded-words)
{
	my $m = Email::MIME->create(
	    header_str => [From => '小林優子 <kobayashi@example.jp>', To => 'security@example.org',
		Subject => 'クラウド設定の情報漏えい', Date => $DATE,
		'Message-ID' => '<perl-email-mime@example.invalid>'],
	    attributes => {content_type => 'text/plain', charset => 'UTF-8', encoding => 'quoted-printable'},
	    body_str => "クラウド設定から情報が漏えいしています。目印庚\n");
	save('email-mime-utf8-ja', $m->as_string);
}
EOF
V_MT=$(pmod MIME::Entity | sed 's/MIME::Entity/MIME-tools/')
V_ML=$(pmod MIME::Lite)
V_EM=$(pmod Email::MIME)
V_EN=$(pmod Encode)
entry perl/entity-big5-eten.eml charset "$V_PERL $V_MT $V_EN" "subject=資料庫注入漏洞; from=tsai@example.tw; sig=none; text contains \"標記乙丑\"; Perl's Big5 variant label big5-eten"
entry perl/entity-cp950.eml charset "$V_PERL $V_MT $V_EN" "subject=資料庫注入漏洞（二）; from=tsai@example.tw; sig=none; text contains \"標記丙寅\"; label cp950"
entry perl/entity-gb2312.eml charset "$V_PERL $V_MT $V_EN" "subject=数据库注入漏洞; from=yang@example.cn; sig=none; text contains \"标记丁卯\""
entry perl/entity-koi8-r.eml charset "$V_PERL $V_MT $V_EN" "subject=Инъекция в базе данных; from=volkov@example.ru; sig=none; text contains \"метка-одиннадцать\""
entry perl/entity-iso-2022-jp.eml charset "$V_PERL $V_MT $V_EN" "subject=データベースのインジェクション; from=watanabe@example.jp; sig=none; text contains \"目印己\""
entry perl/encode-mime-header.eml charset "$V_PERL $V_MT $V_EN" "subject=行動應用程式憑證未驗證的漏洞報告，請儘速處理; from=kuo@example.tw; sig=none; text contains \"標記戊辰\"; Encode MIME-Header, which makes the From (name and address) one encoded-word"
entry perl/entity-attachment-only.eml plain "$V_PERL $V_MT" "subject=Informe adjunto; from=ana@example.es; sig=none; text contains \"attonly-perl\"; empty first part, the report is report.txt"
entry perl/lite-koi8-r.eml charset "$V_PERL $V_ML" "subject=Переполнение стека в драйвере; from=morozov@example.ru; sig=none; text contains \"метка-двенадцать\""
entry perl/lite-html-alternative-empty-plain.eml charset "$V_PERL $V_ML" "subject=驱动程序栈溢出; from=zhou@example.cn; sig=none; text contains \"标记己巳\"; empty text/plain beside GB2312 text/html"
entry perl/email-mime-utf8-ja.eml charset "$V_PERL $V_EM" "subject=クラウド設定の情報漏えい; from=kobayashi@example.jp; sig=none; text contains \"目印庚\""

# ===== swaks ===========================================================
mkdir -p "$OUT/swaks"
sw() { ft swaks --server 127.0.0.1 --dump-mail --to security@example.org "$@" 2>/dev/null; }
# a Subject of raw UTF-8 next to encoded-words, folded by hand
sw --from odd@example.net --header 'Message-Id: <swaks-mixed@example.invalid>' \
    --header "Subject: =?utf-8?B?$(printf '漏洞' | base64)?= in =?big5?B?$(printf '韌體' | iconv -f UTF-8 -t BIG5 | base64)?=
 firmware" \
    --header 'From: "Odd Header" <odd@example.net>' \
    --body 'Encoded-words of two charsets in one Subject. marker-swaks-mixed' >"$OUT/swaks/mixed-encoded-words.eml"
entry swaks/mixed-encoded-words.eml charset "$V_SWAKS" "subject=漏洞 in 韌體 firmware; from=odd@example.net; sig=none; text contains \"marker-swaks-mixed\"; encoded-words in utf-8 and big5, folded"
# a 100 KB References header on one line
refs=$(awk 'BEGIN { for (i = 0; i < 3000; i++) printf "<r%06d.swaks@lists.example.net> ", i }')
sw --from refs@example.net --header 'Message-Id: <swaks-refs@example.invalid>' \
    --header 'Subject: References on one 100 KB line' --header "References: $refs" \
    --body 'The References above is one line. marker-swaks-refs' >"$OUT/swaks/references-one-line.eml"
entry swaks/references-one-line.eml malformed "$V_SWAKS" "subject=References on one 100 KB line; from=refs@example.net; sig=none; text contains \"marker-swaks-refs\"; a 100 KB header line of 3000 message IDs"

# ===== gpg by hand =====================================================
mkdir -p "$OUT/gpg"
# inline clearsigned Big5 text, the label on the part
printf '%s\n' '這是以 gpg 行內簽章的 Big5 報告。標記庚午' | iconv -f UTF-8 -t BIG5 |
    ft gpg --batch --quiet --pinentry-mode loopback --passphrase '' \
    --local-user "$MEI" --clearsign >"$W/clear.asc"
{
	printf 'From: Mei Lin <mei@example.tw>\nTo: security@example.org\n'
	printf 'Subject: =?big5?B?%s?=\n' "$(printf '行內簽章（gpg）' | iconv -f UTF-8 -t BIG5 | base64 -w0)"
	printf 'Date: Sun, 22 Nov 2026 10:00:00 +0000\nMessage-ID: <gpg-inline-big5@example.invalid>\n'
	printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=big5\nContent-Transfer-Encoding: 8bit\n\n'
	cat "$W/clear.asc"
} >"$OUT/gpg/inline-clearsigned-big5.eml"
entry gpg/inline-clearsigned-big5.eml pgp "$V_GPG" "subject=行內簽章（gpg）; from=mei@example.tw; sig=valid by $MEI; text contains \"標記庚午\"; inline clearsigned Big5 text"

# ===== openssl and gpgsm: S/MIME ======================================
mkdir -p "$OUT/openssl" "$OUT/gpgsm"
# smime_msg NAME SUBJECT-ASCII: the headers above openssl's MIME output
hdr() {
	printf 'From: Sergey Ivanov <sergey@example.ru>\nTo: security@example.org\n'
	printf 'Subject: %s\nDate: Sun, 22 Nov 2026 10:00:00 +0000\n' "$2"
	printf 'Message-ID: <%s@example.invalid>\n' "$1"
}
inner() {
	printf 'Content-Type: text/plain; charset=koi8-r\nContent-Transfer-Encoding: 8bit\n\n'
	printf '%s\n' "$1" | iconv -f UTF-8 -t KOI8-R
}
inner 'Отчёт, подписанный openssl smime. метка-тринадцать' >"$W/in1"
hdr openssl-smime-detached "=?koi8-r?B?$(printf 'Отчёт (подпись отдельно)' | iconv -t KOI8-R | base64 -w0)?=" >"$OUT/openssl/smime-detached.eml"
ft openssl smime -sign -in "$W/in1" -signer "$K/sergey-smime.crt.pem" \
    -inkey "$K/sergey-smime.key.pem" -md sha256 >>"$OUT/openssl/smime-detached.eml"
entry openssl/smime-detached.eml smime "$V_SSL" "subject=Отчёт (подпись отдельно); from=sergey@example.ru; sig=valid (S/MIME multipart/signed, CA keys/ca.crt.pem); text contains \"метка-тринадцать\""
inner 'Отчёт, подписанный openssl cms (opaque). метка-четырнадцать' >"$W/in2"
hdr openssl-cms-opaque 'S/MIME opaque signed report' >"$OUT/openssl/cms-opaque.eml"
ft openssl cms -sign -nodetach -in "$W/in2" -signer "$K/sergey-smime.crt.pem" \
    -inkey "$K/sergey-smime.key.pem" -md sha256 >>"$OUT/openssl/cms-opaque.eml"
entry openssl/cms-opaque.eml smime "$V_SSL" "subject=S/MIME opaque signed report; from=sergey@example.ru; sig=valid (application/pkcs7-mime signed-data); text contains \"метка-четырнадцать\""
inner 'Отчёт, зашифрованный для PSIRT. метка-пятнадцать' >"$W/in3"
hdr openssl-cms-encrypted 'S/MIME encrypted report' >"$OUT/openssl/cms-encrypted.eml"
ft openssl cms -encrypt -aes256 -in "$W/in3" "$K/psirt-smime.crt.pem" >>"$OUT/openssl/cms-encrypted.eml"
entry openssl/cms-encrypted.eml smime "$V_SSL" "subject=S/MIME encrypted report; from=sergey@example.ru; decrypts=yes with keys/psirt-smime.key.pem; sig=none; text contains \"метка-пятнадцать\""
inner 'Подписано и зашифровано. метка-шестнадцать' >"$W/in4"
ft openssl smime -sign -in "$W/in4" -signer "$K/sergey-smime.crt.pem" \
    -inkey "$K/sergey-smime.key.pem" -md sha256 >"$W/signed4"
hdr openssl-signed-encrypted 'S/MIME signed then encrypted' >"$OUT/openssl/signed-then-encrypted.eml"
ft openssl cms -encrypt -aes256 -in "$W/signed4" "$K/psirt-smime.crt.pem" >>"$OUT/openssl/signed-then-encrypted.eml"
entry openssl/signed-then-encrypted.eml smime "$V_SSL" "subject=S/MIME signed then encrypted; from=sergey@example.ru; decrypts=yes with keys/psirt-smime.key.pem; sig=valid (inner multipart/signed); text contains \"метка-шестнадцать\""
# gpgsm: a detached signature, the multipart/signed put together here
inner 'Отчёт, подписанный gpgsm. метка-семнадцать' | sed 's/$/\r/' >"$W/in5"
ft gpgsm --batch --quiet --pinentry-mode loopback --passphrase '' \
    --local-user "$SERGEY_SM" --detach-sign --armor --include-certs -1 "$W/in5" >"$W/sig5" 2>/dev/null
{
	hdr gpgsm-detached 'S/MIME signed by gpgsm'
	printf 'MIME-Version: 1.0\nContent-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="gpgsm-b"\n\n'
	printf -- '--gpgsm-b\n'
	tr -d '\r' <"$W/in5"
	echo	# the line break before the boundary is the boundary's
	printf -- '--gpgsm-b\nContent-Type: application/pkcs7-signature; name="smime.p7s"\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment; filename="smime.p7s"\n\n'
	sed -e '/^-----/d' -e '/^$/d' "$W/sig5"
	printf -- '\n--gpgsm-b--\n'
} >"$OUT/gpgsm/detached-signed.eml"
entry gpgsm/detached-signed.eml smime "$V_GPGSM" "subject=S/MIME signed by gpgsm; from=sergey@example.ru; sig=valid (multipart/signed, CA keys/ca.crt.pem); text contains \"метка-семнадцать\""

# ===== done ============================================================
mv "$W/MANIFEST.tsv" "$OUT/MANIFEST.tsv"
{
	printf '%s\n' "$V_MUTT" "$V_NEOMUTT" "$V_SNAIL" "$V_MU" "$V_SWAKS" \
	    "$V_PY" "$V_PERL" "$V_MT" "$V_ML" "$V_EM" "$V_EN" "$V_GPG" "$V_GPGSM" "$V_SSL"
} >"$OUT/VERSIONS"
n=$(($(wc -l <"$OUT/MANIFEST.tsv") - 1))
echo "generate.sh: $n messages, MANIFEST.tsv and VERSIONS written" >&2
