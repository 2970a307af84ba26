/*
 * store_keys: keys and staff commands: pinned keys (trust on first use), keys
 * offered, command mails seen, refusal bursts (store*.c.c unless said;
 * see store.h for the store itself).
 */
#ifndef PSIRT_SPOOL_STORE_KEYS_H
#define PSIRT_SPOOL_STORE_KEYS_H

#include <stddef.h>

struct store;

/* Trust on first use: the key (fingerprint) pinned for an address and
 * protocol ("pgp", "smime"). get: 1 and *fpr, 0 none, -1 error. set:
 * pins, or keeps last_seen current when it is the same key. */

int	 store_pin_get(struct store *, const char *addr, const char *proto,
	    char **fpr, char **errstr);
int	 store_pin_set(struct store *, const char *addr, const char *proto,
	    const char *fpr, const char *source, char **errstr);

struct store_pin {
	char		*addr;
	char		*protocol;
	char		*fingerprint;
	char		*source;	/* how it was learnt */
	long long	 first_seen;
	long long	 last_seen;
};

int	 store_pins(struct store *, struct store_pin **, size_t *,
	    char **errstr);
void	 store_pins_free(struct store_pin *, size_t);

/* Does addr have the key fpr pinned (any protocol)? 1, 0, -1. */
int	 store_pin_match(struct store *, const char *addr, const char *fpr,
	    char **errstr);

/* A command mail's Message-ID: 0 first time (recorded), 1 seen before. */
int	 store_command_seen(struct store *, const char *message_id,
	    const char *case_id, char **errstr);
/* A command mail's signature (a digest of its key, time and signed
 * text): 0 first time (recorded), 1 seen before, in any case. */
int	 store_command_sig_seen(struct store *, const char *sig,
	    const char *case_id, const char *message_id, char **errstr);
/* Refusal mails to addr are held back at `now`: 1 when this starts a
 * burst (none held in the hour before: tell someone), 0 when one is
 * going on, -1 on error. */
int	 store_refusal_burst(struct store *, const char *addr, long long now,
	    char **errstr);
/* A key offered for addr and not pinned: 1 the first time (recorded),
 * 0 offered before, -1 on error. */
int	 store_key_offer(struct store *, const char *addr, const char *proto,
	    const char *fpr, char **errstr);

#endif
