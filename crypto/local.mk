# crypto/: opening (unwrap) and making (wrap) encrypted and signed mail;
# GPGME only in gpg.c, OpenSSL's CMS only in cms.c. Takes a message and
# the keys; hands on the layers opened and the verdicts, or the wrapped
# reply. Never decides what a verdict means for a case.
libpsirt_a_SOURCES += crypto/unwrap.c crypto/unwrap.h crypto/gpg.c \
	crypto/gpg.h crypto/cms.c crypto/cms.h crypto/wrap.c crypto/wrap.h
