/*
 * seal: authenticated encryption of stored content at rest (libsodium
 * crypto_secretstream_xchacha20poly1305) under one instance key kept in
 * its own file (mode 0600).
 *
 * Sealed format: "PSIRTSEAL1\n", the 24-byte stream header, then chunks
 * of (4-byte big-endian ciphertext length, ciphertext), each holding at
 * most SEAL_CHUNK plaintext bytes; the last chunk carries the FINAL tag,
 * so truncation, reordering and any changed byte are detected.
 */
#ifndef PSIRT_SPOOL_SEAL_H
#define PSIRT_SPOOL_SEAL_H

#include <stddef.h>

#include "agent/util/buf.h"

#define SEAL_CHUNK	65536

struct seal_key;

/* Make a new random key file (O_EXCL, 0600). */
int	 seal_key_create(const char *path, char **errstr);
/* Load a key file; it must be a regular file of mode 0600 or stricter. */
int	 seal_key_load(const char *path, struct seal_key **, char **errstr);
void	 seal_key_free(struct seal_key **);

/* Append the sealed form of [data, data+len) to out. */
int	 seal_buf(const struct seal_key *, const void *data, size_t len,
	    struct buf *out, char **errstr);
/*
 * Open sealed data. On success *out is a sodium_malloc'd buffer of
 * *outlen bytes plus a NUL (free it with seal_plain_free, which wipes
 * it). Damaged, truncated or foreign data is an error, never output.
 */
int	 seal_open(const struct seal_key *, const void *sealed, size_t len,
	    unsigned char **out, size_t *outlen, char **errstr);
void	 seal_plain_free(unsigned char *);

#endif
