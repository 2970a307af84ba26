# parsers/: untrusted mail -> our structs.
libpsirt_a_SOURCES += \
	parsers/armor.c parsers/armor.h parsers/autocrypt.c parsers/autocrypt.h \
	parsers/charset.c parsers/charset.h parsers/header.c \
	parsers/header.h parsers/header_int.h parsers/address.c \
	parsers/date.c parsers/html.c parsers/html.h parsers/limits.h \
	parsers/mailkind.c parsers/mailkind.h parsers/mime.c parsers/mime.h \
	parsers/regex.c parsers/regex.h parsers/cvss.c parsers/cvss.h \
	parsers/triage.c parsers/triage.h parsers/encode.c parsers/encode.h
