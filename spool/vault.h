/*
 * vault: content at rest, sealed (seal.h) under the instance key.
 *
 * A processed message leaves active/ for archive/ sealed: the queue
 * file (envelope and the message as received, ciphertext included) is
 * sealed into archive/QID and the plaintext file removed. What the
 * store would otherwise hold in clear, the decrypted text and every
 * attachment, goes into spool/vault/NAME, sealed; SQLite keeps only
 * the name. Every file is written to tmp/, fsync'ed and renamed. A
 * damaged or tampered file is an error naming the file, never data.
 */
#ifndef PSIRT_SPOOL_VAULT_H
#define PSIRT_SPOOL_VAULT_H

#include <stddef.h>

#include "util/buf.h"
#include "spool/queue.h"

struct seal_key;

struct vault;

int	 vault_open(const char *spool, const char *keyfile, struct vault **,
	    char **errstr);
void	 vault_close(struct vault **);
/* The instance key (for text sealed in the store, seal_text). */
const struct seal_key *vault_key(const struct vault *);

/* Seal queue file QID of `from` into archive/QID; drop the plaintext. */
int	 vault_archive(struct vault *, const char *qid, enum queue_dir from,
	    char **errstr);
/* Open archive/QID (sealed, or plain from before sealing existed). */
int	 vault_open_archived(struct vault *, const char *qid,
	    struct queue_msg *, char **errstr);

/* Retention: remove archive/QID, or vault/NAME (gone already is
 * done); vault_sync_removed makes the removals durable (fsync of both
 * directories). */
int	 vault_remove_archived(struct vault *, const char *qid,
	    char **errstr);
int	 vault_remove(struct vault *, const char *name, char **errstr);
int	 vault_sync_removed(struct vault *, char **errstr);

/* Named content in spool/vault/ (names: [A-Za-z0-9._-], no leading '.'). */
int	 vault_put(struct vault *, const char *name, const void *, size_t,
	    char **errstr);
/* *out: wiped and freed by vault_free_plain(); NUL-terminated. */
int	 vault_get(struct vault *, const char *name, unsigned char **out,
	    size_t *outlen, char **errstr);
void	 vault_free_plain(unsigned char *);
/* Seal or open a buffer kept elsewhere (the outbox in SQLite). Unsealed
 * data from before sealing existed is returned as it is. */
int	 vault_seal(struct vault *, const void *, size_t, struct buf *out,
	    char **errstr);
int	 vault_unseal(struct vault *, const void *, size_t,
	    unsigned char **out, size_t *outlen, char **errstr);

#endif
