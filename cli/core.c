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
#include "cli/commands.h"
#include "cli/audit.h"
#include "agent/config.h"
#include "crypto/cms.h"
#include "crypto/gpg.h"
#include "crypto/unwrap.h"
#include "util/log.h"
#include "util/hash.h"
#include "util/xmalloc.h"
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
main(int argc, char **argv)
{
	struct agent	 a;
	const char	*conf = NULL, *cmd;
	char		*err = NULL;
	const struct command *c;
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
	if ((c = command_find(cmd)) != NULL && c->open == OPEN_NONE &&
	    strcmp(cmd, "init") != 0)
		return c->fn(NULL, argc, argv);		/* help, version */
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
	if (c != NULL && strcmp(cmd, "init") == 0) {
		if (!config_root_ok(NULL)) {
			log_warnx("refusing to run as root: make the instance "
			    "as the agent's user (runuser -u USER -- "
			    "psirt-agent init DIR), or set PSIRT_ALLOW_ROOT=1");
			return EX_NOPERM;
		}
		return c->fn(NULL, argc, argv);
	}
	if (c != NULL && c->open == OPEN_FRONT) {
		log_warnx("%s is run by psirt-agent, not psirt-agent-core",
		    cmd);
		return EX_TEMPFAIL;
	}

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
	if (c->open != OPEN_CONFIG && (rv = agent_open(&a,
	    c->open == OPEN_POLICY, &err)) < 0) {
		log_warnx("%s", err);
		free(err);
		agent_close(&a);
		return rv == -2 ? EX_TEMPFAIL : EX_CONFIG;
	}
	rv = c->fn(&a, argc, argv);
	agent_close(&a);
	return rv;
}
