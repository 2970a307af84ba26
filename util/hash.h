/*
 * hash: digests for stored content (libsodium).
 */
#ifndef PSIRT_UTIL_HASH_H
#define PSIRT_UTIL_HASH_H

#include <stddef.h>

/* Once at start-up, before any other call: 0, or -1 on failure. */
int	hash_init(void);
/* Lowercase hex SHA-256 of [p, p+n) into out (65 bytes with NUL). */
void	hash_sha256_hex(const void *p, size_t n, char out[65]);
/* n random bytes as lowercase hex into out (2n+1 bytes). */
void	hash_random_hex(char *out, size_t n);
/* The audit log's entry digest: BLAKE2b-256 over a domain tag and each
 * field as a 4-byte big-endian length and its bytes (NULL counts as
 * empty), as lowercase hex. */
void	hash_fields_hex(const char *tag, const char *const *f, size_t n,
	    char out[65]);
/* The same, keyed (a MAC; key NULL: unkeyed). */
void	hash_fields_keyed_hex(const unsigned char *key, size_t keylen,
	    const char *tag, const char *const *f, size_t n, char out[65]);
/* Two digests (hex) equal, compared in constant time: 1 or 0. */
int	hash_hex_equal(const char *a, const char *b);
/* The chain: BLAKE2b-256 of the previous hash and the digest (both
 * hex; prev "" is 32 zero bytes), as hex. -1 on bad hex. */
int	hash_chain_hex(const char *prev, const char *digest, char out[65]);

#endif
