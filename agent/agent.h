/*
 * agent: what one psirt-agent command works with. Opened by main in the
 * order a command needs (config always; store and policy only where
 * used, so that `deliver` touches neither).
 */
#ifndef PSIRT_AGENT_AGENT_H
#define PSIRT_AGENT_AGENT_H

struct config;
struct crypto;
struct gpg;
struct store;
struct policy;
struct vault;

struct agent {
	struct config	*cf;
	struct store	*st;
	struct policy	*pol;
	struct gpg	*gpg;		/* opened by agent_crypto() */
	char		*smime_keydir;
	int		 crypto_tried;
	char		*autocrypt;	/* our key, base64, for replies */
	int		 autocrypt_tried;
	char		*pubkey;	/* our key, armoured, for replies */
	int		 pubkey_tried;
	struct vault	*vault;		/* opened by agent_vault() */
};

/*
 * A command's handler (listed in the table of cli/commands.c): argv
 * from the command's name on; returns a sysexits(3) code. The file of a
 * handler declares it with this type too ("cmd_fn cmd_report;").
 */
typedef int cmd_fn(struct agent *, int argc, char **argv);

/* Open store and policy; on failure *errstr and -1, or -2 when the
 * store's fault may pass (store_open). */
int	agent_open(struct agent *, int need_policy, char **errstr);
void	agent_close(struct agent *);
/* What the crypto stage needs; c->gpg is NULL if GnuPG cannot start
 * (then every encrypted layer stays closed, with that reason). */
void	agent_crypto(struct agent *, struct crypto *c);
/* The sealed content store (needs the seal key); NULL and *errstr. */
struct vault *agent_vault(struct agent *, char **errstr);
/* Open the store, with the seal key of its sealed text when it loads:
 * as store_open. */
int	agent_store(struct agent *, char **errstr);

#endif
