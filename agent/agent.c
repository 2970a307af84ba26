/*
 * agent.c: the instance a command works on (see agent.h): the store,
 * the policy, the GnuPG context and the vault, each opened when the
 * command first needs it, and closed together.
 */
#include <stdio.h>
#include <stdlib.h>

#include "agent/agent.h"
#include "agent/config.h"
#include "crypto/cms.h"
#include "crypto/gpg.h"
#include "crypto/unwrap.h"
#include "parsers/charset.h"
#include "util/log.h"
#include "util/xmalloc.h"
#include "policies/policy.h"
#include "spool/store.h"
#include "spool/vault.h"

static void	agent_charsets(struct agent *);

int
agent_open(struct agent *a, int need_policy, char **errstr)
{
	int	rv;

	if (a->st == NULL && (rv = agent_store(a, errstr)) < 0)
		return rv;
	if (need_policy && a->pol == NULL &&
	    policy_load(a->cf->policy_file, &a->pol, errstr) == -1)
		return -1;
	if (a->pol != NULL)
		agent_charsets(a);
	return 0;
}

/*
 * Text whose charset label is unknown or lies is guessed among the CJK
 * charsets in the order of the languages the team reads (charset.h):
 * the parsers learn it through the limits they are given.
 */
static void
agent_charsets(struct agent *a)
{
	const char *const	*langs;
	size_t			 n;

	n = policy_languages(a->pol, &langs);
	charset_order(langs, n, a->cf->limits.charset_order,
	    sizeof(a->cf->limits.charset_order));
}

void
agent_crypto(struct agent *a, struct crypto *c)
{
	char	*err = NULL;

	if (!a->crypto_tried) {
		a->crypto_tried = 1;
		a->smime_keydir = xasprintf("%s/smime", a->cf->gnupg_home);
		if (gpg_open(a->cf->gnupg_home, a->cf->limits.decrypted_size,
		    &a->gpg, &err) == -1) {
			log_warnx("GnuPG unavailable, encrypted mail stays "
			    "encrypted: %s", err);
			free(err);
		}
	}
	c->gpg = a->gpg;
	c->smime_keydir = a->smime_keydir;
	c->lim = &a->cf->limits;
}

int
agent_store(struct agent *a, char **errstr)
{
	char	*err = NULL;

	/* text people wrote is sealed in the store with the seal key;
	 * without it, such text reads "[sealed]" and cannot be written */
	if (agent_vault(a, &err) == NULL) {
		log_debug("the store's text stays sealed: %s", err);
		free(err);
	}
	return store_open(a->cf->database, a->vault ? vault_key(a->vault) :
	    NULL, &a->st, errstr);
}

struct vault *
agent_vault(struct agent *a, char **errstr)
{
	if (a->vault == NULL && vault_open(a->cf->spool_directory,
	    a->cf->seal_key_file, &a->vault, errstr) == -1)
		return NULL;
	return a->vault;
}

void
agent_close(struct agent *a)
{
	store_close(&a->st);	/* may record state: sealed with the key */
	vault_close(&a->vault);
	gpg_close(&a->gpg);
	cms_done();
	free(a->smime_keydir);
	a->smime_keydir = NULL;
	free(a->autocrypt);
	a->autocrypt = NULL;
	free(a->pubkey);
	a->pubkey = NULL;
	policy_free(&a->pol);
	config_free(&a->cf);
}
