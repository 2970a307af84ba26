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

#include "autoconf.h"

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

/* commands that need the configuration; what else each opens */
enum { OPEN_CONFIG, OPEN_STORE, OPEN_POLICY };
static const struct {
	const char	*name;
	int		(*fn)(struct agent *, int, char **);
	int		 open;
} commands[] = {
	{ "config",	cmd_config,	OPEN_CONFIG },
	{ "inspect",	cmd_inspect,	OPEN_CONFIG },
	{ "policy",	cmd_policy,	OPEN_CONFIG },
	{ "key",	cmd_key,	OPEN_CONFIG },
	{ "process",	cmd_process,	OPEN_POLICY },
	{ "tick",	cmd_process,	OPEN_POLICY },
	{ "poll",	cmd_poll,	OPEN_POLICY },
	{ "report",	cmd_report,	OPEN_POLICY },
	{ "advisory",	cmd_advisory,	OPEN_POLICY },
	{ "cve-request", cmd_cve_request, OPEN_POLICY },
	{ "case",	cmd_case,	OPEN_STORE },
	{ "queue",	cmd_queue,	OPEN_STORE },
	{ "audit",	cmd_audit,	OPEN_STORE },
	{ "reporters",	cmd_reporters,	OPEN_STORE },
	{ "halloffame",	cmd_halloffame,	OPEN_STORE },
	{ "check",	cmd_check,	OPEN_STORE },
	{ "backup",	cmd_backup,	OPEN_STORE },
	{ "status",	cmd_status,	OPEN_CONFIG },	/* opens it itself */
	{ "expire",	cmd_expire,	OPEN_CONFIG },	/* opens it itself */
};

int
main(int argc, char **argv)
{
	struct agent	 a;
	const char	*conf = NULL, *cmd;
	char		*err = NULL;
	size_t		 c;
	int		 i, verbose = 0, rv, plugin = 0;

	umask(077);
	setlocale(LC_CTYPE, "C");
	signal(SIGPIPE, SIG_IGN);	/* a sendmail that quits early */
	log_init("psirt-agent", 0, 0);
	/* the global options, before the command */
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (strcmp(argv[i], "-c") == 0) {
			if (++i == argc)
				usage();
			conf = argv[i];
		} else if (strncmp(argv[i], "-c", 2) == 0)
			conf = argv[i] + 2;
		else if (strcmp(argv[i], "-v") == 0)
			verbose = 1;
		else if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			help_usage(stdout);
			return EX_OK;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("%s\n", PACKAGE_STRING);
			return EX_OK;
		} else
			return help_unknown_option(NULL, argv[i]);
	}
	argc -= i;
	argv += i;
	if (argc < 1)
		usage();
	cmd = argv[0];
	log_set_fatal_exit(EX_SOFTWARE);
	if (strcmp(cmd, "help") == 0)
		return cmd_help(argc, argv);
	if (strcmp(cmd, "version") == 0) {
		printf("%s\n", PACKAGE_STRING);
		return EX_OK;
	}
	/* status --check answers as a Nagios plugin, whatever happens */
	for (i = 1; strcmp(cmd, "status") == 0 && i < argc; i++)
		if (strcmp(argv[i], "--check") == 0)
			plugin = 1;
	/* a word or option the command's synopsis does not have */
	if ((rv = help_check_args(argc, argv)) != 0)
		return plugin ? status_unknown("usage error") : rv;
	if (hash_init() == -1) {
		log_warnx("libsodium initialisation failed");
		return EX_TEMPFAIL;
	}
	if (!config_root_ok(NULL) && strcmp(cmd, "init") == 0) {
		log_warnx("refusing to run as root: make the instance as the "
		    "agent's user (runuser -u USER -- psirt-agent init DIR), "
		    "or set PSIRT_ALLOW_ROOT=1");
		return EX_NOPERM;
	}
	if (strcmp(cmd, "init") == 0)
		return cmd_init(argc, argv);
	for (c = 0; c < sizeof(commands) / sizeof(commands[0]); c++)
		if (strcmp(commands[c].name, cmd) == 0)
			break;
	if (strcmp(cmd, "deliver") == 0) {
		log_warnx("deliver is run by psirt-agent, not psirt-agent-core");
		return EX_TEMPFAIL;
	}
	if (c == sizeof(commands) / sizeof(commands[0]))
		return help_unknown_command(cmd);

	memset(&a, 0, sizeof(a));
	if (config_find(conf, &a.cf, &err) == -1) {
		rv = plugin ? status_unknown(err) : EX_CONFIG;
		if (!plugin)
			log_warnx("%s", err);
		free(err);
		return rv;
	}
	log_init("psirt-agent", a.cf->use_syslog, verbose);
	if (!config_root_ok(a.cf)) {
		if (plugin)
			rv = status_unknown("refusing to run as root");
		else {
			log_warnx("refusing to run as root (run it as the "
			    "agent's user, or set allow_root = yes or "
			    "PSIRT_ALLOW_ROOT=1)");
			rv = EX_NOPERM;
		}
		agent_close(&a);
		return rv;
	}
	store_set_busy_timeout(a.cf->busy_timeout * 1000);
	if (commands[c].open != OPEN_CONFIG && (rv = agent_open(&a,
	    commands[c].open == OPEN_POLICY, &err)) < 0) {
		log_warnx("%s", err);
		free(err);
		agent_close(&a);
		return rv == -2 ? EX_TEMPFAIL : EX_CONFIG;
	}
	rv = commands[c].fn(&a, argc, argv);
	agent_close(&a);
	return rv;
}
