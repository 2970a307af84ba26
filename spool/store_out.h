/*
 * store_out: the outbox: replies waiting to go, held for review, sent; addresses
 * that fail (store_out.c unless said;
 * see store.h for the store itself).
 */
#ifndef PSIRT_SPOOL_STORE_OUT_H
#define PSIRT_SPOOL_STORE_OUT_H

#include <stddef.h>

struct store;

struct store_outbox {
	long long	 id;
	char		*case_id;
	char		*message_id;
	char		*rcpt;
	char		*kind;		/* ack, status, ... */
	char		*raw;		/* the whole message */
	size_t		 rawlen;
	char		*state;		/* queued sent failed */
	long long	 attempts;
	long long	 next_try;
	char		*last_error;
	long long	 created_at;
};


int	 store_outbox_add(struct store *, const struct store_outbox *,
	    char **errstr);
int	 store_outbox_due(struct store *, long long now,
	    struct store_outbox **, size_t *, char **errstr);
/* Every queued reply, due or not (for `queue list`). */
int	 store_outbox_pending(struct store *, struct store_outbox **,
	    size_t *, char **errstr);
int	 store_outbox_update(struct store *, long long id, const char *state,
	    long long attempts, long long next_try, const char *error,
	    char **errstr);
void	 store_outbox_free(struct store_outbox *, size_t);
/* Take a due reply for sending: its next_try moves to `until`, so no
 * other runner sends it meanwhile (and a crashed sender's reply is due
 * again then). 1 claimed, 0 someone else has it, -1 error. */
int	 store_outbox_claim(struct store *, long long id, long long now,
	    long long until, char **errstr);
/* A new run (under the runner lock): replies claimed by a run that
 * died are due again (sent at least once, as before claims). */
int	 store_outbox_unclaim(struct store *, long long now, char **errstr);
/* Replies of `kind` sent or queued to rcpt since `since`. */
int	 store_replies_since(struct store *, const char *rcpt,
	    const char *kind, long long since, long long *count,
	    char **errstr);

/* A reply held for review goes out: 1 (and its case), 0 none held by
 * that Message-ID. */
int	 store_outbox_release(struct store *, const char *message_id,
	    char **case_id, char **errstr);


int	 store_address_fail(struct store *, const char *case_id,
	    const char *addr, const char *reason, char **errstr);

#endif
