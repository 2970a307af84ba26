/*
 * hash.c: SHA-256 and random identifiers through libsodium.
 * hash_init() must have been called (core.c does).
 */
#include <string.h>

#include <sodium.h>

#include "util/hash.h"

int
hash_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

void
hash_sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char	d[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(d, p, n);
	sodium_bin2hex(out, 65, d, sizeof(d));
}

void
hash_random_hex(char *out, size_t n)
{
	unsigned char	r[64];

	if (n > sizeof(r))
		n = sizeof(r);
	randombytes_buf(r, n);
	sodium_bin2hex(out, 2 * n + 1, r, n);
}

void
hash_fields_hex(const char *tag, const char *const *f, size_t n,
    char out[65])
{
	hash_fields_keyed_hex(NULL, 0, tag, f, n, out);
}

void
hash_fields_keyed_hex(const unsigned char *key, size_t keylen,
    const char *tag, const char *const *f, size_t n, char out[65])
{
	crypto_generichash_state	st;
	unsigned char			h[32], len[4];
	size_t				i, l;

	crypto_generichash_init(&st, key, keylen, sizeof(h));
	crypto_generichash_update(&st, (const unsigned char *)tag,
	    strlen(tag) + 1);
	for (i = 0; i < n; i++) {
		l = f[i] ? strlen(f[i]) : 0;
		len[0] = (unsigned char)(l >> 24);
		len[1] = (unsigned char)(l >> 16);
		len[2] = (unsigned char)(l >> 8);
		len[3] = (unsigned char)l;
		crypto_generichash_update(&st, len, 4);
		if (l)
			crypto_generichash_update(&st,
			    (const unsigned char *)f[i], l);
	}
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(out, 65, h, sizeof(h));
}

int
hash_hex_equal(const char *a, const char *b)
{
	size_t	n = strlen(a);

	return n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}

int
hash_chain_hex(const char *prev, const char *digest, char out[65])
{
	unsigned char	in[64], h[32];
	size_t		l;

	memset(in, 0, sizeof(in));
	if ((prev[0] && (sodium_hex2bin(in, 32, prev, strlen(prev), NULL, &l,
	    NULL) != 0 || l != 32)) || sodium_hex2bin(in + 32, 32, digest,
	    strlen(digest), NULL, &l, NULL) != 0 || l != 32)
		return -1;
	crypto_generichash(h, sizeof(h), in, sizeof(in), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof(h));
	return 0;
}
