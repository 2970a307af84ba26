/*
 * store_expire: retention: closed cases, their content removed, the files left to
 * remove (store_expire.c unless said;
 * see store.h for the store itself).
 */
#ifndef PSIRT_SPOOL_STORE_EXPIRE_H
#define PSIRT_SPOOL_STORE_EXPIRE_H

#include <stddef.h>

struct store;


/*
 * Retention (store_expire.c). The cases that are over (STORE_ENDED),
 * not merged, with when they entered that status (0: no record of it)
 * and how many messages and sent replies still hold content.
 */
struct store_closed {
	char		*id, *kind, *status, *tlp, *hold;
	long long	 closed_at;
	long long	 kept;
};
int	 store_closed_cases(struct store *, struct store_closed **, size_t *,
	    char **errstr);
void	 store_closed_free(struct store_closed *, size_t);
/* In the caller's transaction: every message of the case received at
 * or before cutoff that holds content loses it (its text; marked
 * expired = 1), and replies sent by then their bodies; *x tells what
 * went (digests: "QID:SHA256 ..." of the
 * originals). Their files go after the commit: store_expire_pending
 * lists them (archive/QID of incoming ones, vault names), and
 * store_expire_gone marks a message whose files are removed (2). */
struct store_expiry {
	long long	 messages, originals, attachments, bytes, replies;
	char		*digests;
};
int	 store_expire_case(struct store *, const char *id, long long cutoff,
	    struct store_expiry *x, char **errstr);
void	 store_expiry_free(struct store_expiry *);
struct store_expire_files {
	long long	 rowid;
	char		*qid;		/* archive/QID, or NULL */
	char		**refs;		/* vault/NAME */
	size_t		 nrefs;
};
int	 store_expire_pending(struct store *, struct store_expire_files **,
	    size_t *, char **errstr);
void	 store_expire_pending_free(struct store_expire_files *, size_t);
int	 store_expire_gone(struct store *, long long rowid, char **errstr);

#endif
