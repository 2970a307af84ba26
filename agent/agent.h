/*
 * agent: what one psirt-agent command works with. Opened by main in the
 * order a command needs (config always; store and policy only where
 * used, so that `deliver` touches neither).
 */
#ifndef PSIRT_AGENT_AGENT_H
#define PSIRT_AGENT_AGENT_H

#include <stdio.h>

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

/* Commands (argv after the command name); return a sysexits code. */
int	cmd_init(int, char **);
int	cmd_deliver(struct agent *, int, char **);
int	cmd_process(struct agent *, int, char **);
int	cmd_policy(struct agent *, int, char **);
int	cmd_reporters(struct agent *, int, char **);
int	cmd_halloffame(struct agent *, int, char **);
int	cmd_report(struct agent *, int, char **);
int	cmd_advisory(struct agent *, int, char **);
int	cmd_check(struct agent *, int, char **);
int	cmd_help(int, char **);
int	cmd_backup(struct agent *, int, char **);
int	cmd_expire(struct agent *, int, char **);
/* Retention from `tick`: expire when the last run is a day old. */
void	expire_daily(struct agent *, long long now);
/* The usage message: every command's synopsis (help.c). */
void	help_usage(FILE *);
/* a command's arguments against its synopsis: EX_USAGE (said) or 0 */
int	help_check_args(int, char **);
int	help_unknown_command(const char *);
int	help_unknown_option(const char *, const char *);
int	cmd_cve_request(struct agent *, int, char **);
int	cmd_case(struct agent *, int, char **);
int	cmd_queue(struct agent *, int, char **);
int	cmd_inspect(struct agent *, int, char **);
int	cmd_key(struct agent *, int, char **);
int	cmd_config(struct agent *, int, char **);
int	cmd_status(struct agent *, int, char **);
/* status --check's answer when it cannot look: prints, returns 3 */
int	status_unknown(const char *reason);

#endif
