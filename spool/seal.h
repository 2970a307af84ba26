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

#include "util/buf.h"

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

/*
 * A short text kept in a database column (a subject, a name, a fact),
 * sealed deterministically: the same text under the same key seals to
 * the same string, SEAL_TEXT_PREFIX and URL-safe base64, so equality
 * and uniqueness still hold in SQL; what is revealed is only whether
 * two values are equal, and their length.
 * seal_text_open: 1 opened, 0 not sealed (*out a copy, from before
 * sealing existed), -1 damaged or sealed under another key.
 */
#define SEAL_TEXT_PREFIX	"$psirt$1$"
int	 seal_text(const struct seal_key *, const char *, char **out,
	    char **errstr);
int	 seal_text_open(const struct seal_key *, const char *, char **out,
	    char **errstr);
int	 seal_text_is(const char *);
/* A MAC: hash_fields_hex (util/hash.h) keyed with a key derived from
 * the instance key. */
void	 seal_mac_hex(const struct seal_key *, const char *tag,
	    const char *const *f, size_t n, char out[65]);

#endif
