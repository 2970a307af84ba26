/*
 * hash.c: SHA-256 and random identifiers through libsodium.
 * hash_init() must have been called (core.c does).
 */
#include <sodium.h>

#include "agent/util/hash.h"

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
