# parsers/: untrusted mail -> our structs (headers, MIME, charsets,
# HTML, where the report's text is (bodytext.c), armour, Autocrypt,
# CVSS, triage, the regex engine), and the writing of header fields
# (encode.c). Takes bytes as received; hands on
# parsed structs, each within the limits. Never touches the store, the
# network or a key, and never costs more than linear time.
libpsirt_a_SOURCES += \
	parsers/armor.c parsers/armor.h parsers/autocrypt.c parsers/autocrypt.h \
	parsers/charset.c parsers/charset.h parsers/charset_scan.c \
	parsers/charset_scan.h parsers/header.c \
	parsers/header.h parsers/header_int.h parsers/address.c \
	parsers/date.c parsers/html.c parsers/html.h parsers/limits.h \
	parsers/mailkind.c parsers/mailkind.h parsers/mime.c parsers/mime.h \
	parsers/regex.c parsers/regex.h parsers/cvss.c parsers/cvss.h \
	parsers/triage.c parsers/triage.h parsers/encode.c parsers/encode.h \
	parsers/answer.c parsers/answer.h parsers/bodytext.c \
	parsers/bodytext.h parsers/credit.c parsers/credit.h \
	parsers/affected.c parsers/affected.h
