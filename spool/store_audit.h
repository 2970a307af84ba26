/*
 * store_audit: the audit record: the event chain, the recorded state, the signed
 * heads (store_audit.c unless said;
 * see store.h for the store itself).
 */
#ifndef PSIRT_SPOOL_STORE_AUDIT_H
#define PSIRT_SPOOL_STORE_AUDIT_H

#include <stddef.h>

struct store;


/* The audit chain: every event with its digest and links, in order. */
struct store_chain {
	long long	 id;
	long long	 at;
	char		*case_id;
	char		*type;
	char		*detail;
	char		*actor;
	char		*digest;	/* NULL: from before the chain */
	char		*prev;
	char		*hash;
};
/* fn for each event from first_id on, in order, until it returns
 * nonzero (then that value is returned); -1 on a store error. */
int	 store_chain_walk(struct store *, long long first_id,
	    int (*fn)(void *, const struct store_chain *), void *ctx,
	    char **errstr);
/* The newest chained event: 1 with *id and *hash (malloc'd), 0 none. */
int	 store_chain_last(struct store *, long long *id, char **hash,
	    char **errstr);
/* The newest event's ID, chained or not (0: none). */
int	 store_events_last(struct store *, long long *id, char **errstr);
/* How many events up to id (inclusive) are chained. */
int	 store_chain_count(struct store *, long long upto, long long *n,
	    char **errstr);
/* The chain hash of event id (*hash NULL: no such event, or none). */
int	 store_event_hash(struct store *, long long id, char **hash,
	    char **errstr);
/* The first event of a case (0 none). */
int	 store_chain_first_of(struct store *, const char *case_id,
	    long long *id, char **errstr);
/*
 * The recorded state (store_state.c): every case, and the pinned keys,
 * against the newest "state" event of each. cb gets each disagreement:
 * the case (NULL: the pinned keys), the field or row, its value in the
 * record and now (NULL: none); key NULL says that the case has no
 * recorded state at all, key "" that its newest recorded state was not
 * written by the agent (each carries a MAC under the seal key, over the
 * state and its place; the check needs the key). Returns how many disagree (*nscopes: how many
 * were compared), -1 on error.
 */

int	 store_state_check(struct store *, void (*cb)(void *,
	    const char *case_id, const char *key, const char *recorded,
	    const char *now), void *, long long *nscopes, char **errstr);
struct store_head {
	long long	 id;
	long long	 event_id;
	char		*hash;
	long long	 at;
	char		*signature;
	char		*public_key;
};
int	 store_head_add(struct store *, const struct store_head *,
	    char **errstr);
int	 store_heads(struct store *, struct store_head **, size_t *,
	    char **errstr);
/* The event ID of the newest signed head (0 none). */
int	 store_head_last(struct store *, long long *event_id, char **errstr);
void	 store_heads_free(struct store_head *, size_t);

#endif
