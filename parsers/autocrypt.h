/*
 * autocrypt: the Autocrypt header (Autocrypt Level 1, section 2.1):
 * "addr=...; [prefer-encrypt=mutual;] keydata=BASE64". Attributes are
 * split on ';', names are case-insensitive, an unknown attribute
 * starting with '_' is ignored and any other unknown one makes the
 * header invalid (as the specification asks). keydata is decoded from
 * base64 with whitespace (folding) ignored.
 * Trust: none; linear; the key data is not looked into (gpg does that).
 */
#ifndef PSIRT_PARSERS_AUTOCRYPT_H
#define PSIRT_PARSERS_AUTOCRYPT_H

#include <stddef.h>

struct autocrypt {
	char		*addr;		/* lowercased; no NUL or control */
	int		 mutual;	/* prefer-encrypt=mutual */
	unsigned char	*key;		/* decoded keydata */
	size_t		 keylen;
};

/* 0, or -1 with *errstr (static text) if the header is not valid. */
int	 autocrypt_parse(const char *, size_t, struct autocrypt *,
	    const char **errstr);
void	 autocrypt_free(struct autocrypt *);

#endif
