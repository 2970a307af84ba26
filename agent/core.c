/*
 * core.c: psirt-agent-core, every command but `deliver` and `version`.
 *
 * psirt-agent (main.c) executes this program with its own arguments,
 * so the MTA path never loads the MIME, crypto, SQLite or PCRE2
 * libraries. Finds the configuration (-c, then $PSIRT_AGENT_CONF, then
 * the installed sysconfdir path), opens what the command needs and maps
 * the outcome to a sysexits(3) code.
 */
#include <sys/stat.h>

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "agent/agent.h"
#include "agent/audit.h"
#include "agent/config.h"
#include "agent/cms.h"
#include "agent/gpg.h"
#include "agent/imap.h"
#include "agent/unwrap.h"
#include "agent/log.h"
#include "agent/util/hash.h"
#include "agent/util/xmalloc.h"
#include "policies/policy.h"
#include "spool/store.h"
#include "spool/vault.h"

static void	usage(void) __attribute__((noreturn));

static void
usage(void)
{
	help_usage(stderr);
	exit(EX_USAGE);
}

int
agent_open(struct agent *a, int need_policy, char **errstr)
{
	int	rv;

	if (a->st == NULL && (rv = agent_store(a, errstr)) < 0)
		return rv;
	if (need_policy && a->pol == NULL &&
	    policy_load(a->cf->policy_file, &a->pol, errstr) == -1)
		return -1;
	return 0;
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

int
main(int argc, char **argv)
{
	struct agent	 a;
	const char	*conf = NULL, *cmd;
	char		*err = NULL;
	int		 ch, verbose = 0, rv;

	umask(077);
	setlocale(LC_CTYPE, "C");
	signal(SIGPIPE, SIG_IGN);	/* a sendmail that quits early */
	log_init("psirt-agent", 0, 0);
	while ((ch = getopt(argc, argv, "+c:vh")) != -1)
		switch (ch) {
		case 'c':
			conf = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			usage();
		}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	cmd = argv[0];
	log_set_fatal_exit(EX_SOFTWARE);
	if (hash_init() == -1) {
		log_warnx("libsodium initialisation failed");
		return EX_TEMPFAIL;
	}
	if (strcmp(cmd, "help") == 0)
		return cmd_help(argc, argv);
	if (!config_root_ok(NULL) && strcmp(cmd, "init") == 0) {
		log_warnx("refusing to run as root: make the instance as the "
		    "agent's user (runuser -u USER -- psirt-agent init DIR), "
		    "or set PSIRT_ALLOW_ROOT=1");
		return EX_NOPERM;
	}
	if (strcmp(cmd, "init") == 0)
		return cmd_init(argc, argv);

	memset(&a, 0, sizeof(a));
	if (config_find(conf, &a.cf, &err) == -1) {
		log_warnx("%s", err);
		free(err);
		return EX_CONFIG;
	}
	log_init("psirt-agent", a.cf->use_syslog, verbose);
	if (!config_root_ok(a.cf)) {
		log_warnx("refusing to run as root (run it as the agent's "
		    "user, or set allow_root = yes or PSIRT_ALLOW_ROOT=1)");
		agent_close(&a);
		return EX_NOPERM;
	}
	store_set_busy_timeout(a.cf->busy_timeout * 1000);
	if (strcmp(cmd, "config") == 0) {
		config_dump(a.cf, 1);
		agent_close(&a);
		return EX_OK;
	}
	if (strcmp(cmd, "inspect") == 0) {
		rv = cmd_inspect(&a, argc, argv);
		agent_close(&a);
		return rv;
	}
	if (strcmp(cmd, "policy") == 0) {
		rv = cmd_policy(&a, argc, argv);
		agent_close(&a);
		return rv;
	}
	if (strcmp(cmd, "key") == 0) {
		rv = cmd_key(&a, argc, argv);
		agent_close(&a);
		return rv;
	}
	if (strcmp(cmd, "expire") == 0) {
		rv = cmd_expire(&a, argc, argv);
		agent_close(&a);
		return rv;
	}
	if (strcmp(cmd, "process") != 0 && strcmp(cmd, "case") != 0 &&
	    strcmp(cmd, "queue") != 0 && strcmp(cmd, "poll") != 0 &&
	    strcmp(cmd, "tick") != 0 && strcmp(cmd, "audit") != 0 &&
	    strcmp(cmd, "reporters") != 0 && strcmp(cmd, "halloffame") != 0 &&
	    strcmp(cmd, "report") != 0 && strcmp(cmd, "advisory") != 0 &&
	    strcmp(cmd, "cve-request") != 0 && strcmp(cmd, "check") != 0 &&
	    strcmp(cmd, "backup") != 0)
		usage();
	if ((rv = agent_open(&a, strcmp(cmd, "process") == 0 ||
	    strcmp(cmd, "poll") == 0 || strcmp(cmd, "tick") == 0 ||
	    strcmp(cmd, "report") == 0 || strcmp(cmd, "advisory") == 0 ||
	    strcmp(cmd, "cve-request") == 0,
	    &err)) < 0) {
		log_warnx("%s", err);
		free(err);
		agent_close(&a);
		return rv == -2 ? EX_TEMPFAIL : EX_CONFIG;
	}
	if (strcmp(cmd, "process") == 0 || strcmp(cmd, "tick") == 0)
		rv = cmd_process(&a, argc, argv);
	else if (strcmp(cmd, "poll") == 0)
		rv = cmd_poll(&a, argc, argv);
	else if (strcmp(cmd, "case") == 0)
		rv = cmd_case(&a, argc, argv);
	else if (strcmp(cmd, "audit") == 0)
		rv = cmd_audit(&a, argc, argv);
	else if (strcmp(cmd, "reporters") == 0)
		rv = cmd_reporters(&a, argc, argv);
	else if (strcmp(cmd, "halloffame") == 0)
		rv = cmd_halloffame(&a, argc, argv);
	else if (strcmp(cmd, "report") == 0)
		rv = cmd_report(&a, argc, argv);
	else if (strcmp(cmd, "advisory") == 0)
		rv = cmd_advisory(&a, argc, argv);
	else if (strcmp(cmd, "cve-request") == 0)
		rv = cmd_cve_request(&a, argc, argv);
	else if (strcmp(cmd, "check") == 0)
		rv = cmd_check(&a, argc, argv);
	else if (strcmp(cmd, "backup") == 0)
		rv = cmd_backup(&a, argc, argv);
	else
		rv = cmd_queue(&a, argc, argv);
	agent_close(&a);
	return rv;
}
