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

#endif
