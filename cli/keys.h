/*
 * keys: the instance's keys (`key import`, `key list`, and the pair
 * `init --generate-keys` makes).
 */
#ifndef PSIRT_AGENT_KEYS_H
#define PSIRT_AGENT_KEYS_H

struct gpg;

/* A new OpenPGP key and a self-signed S/MIME certificate for addr;
 * *fpr and *smime_fpr malloc'd. */
int	keys_generate(struct gpg *, const char *home, const char *addr,
	    const char *name, char **fpr, char **smime_fpr, char **errstr);

#endif
