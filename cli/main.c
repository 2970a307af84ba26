/*
 * main.c: psirt-agent, the front program: `psirt-agent [-c FILE] [-v]
 * COMMAND ...`.
 *
 * `deliver` runs here, linked with nothing but the spool code: the MTA
 * path loads no MIME, crypto, SQLite or regex library, so none of them
 * can make it fail, and it starts fast. Every other command is run by
 * psirt-agent-core (see core.c and corepath.c), executed with the same
 * arguments. For `deliver` every failure, including a usage or
 * configuration error, exits EX_TEMPFAIL so that the MTA retries and
 * never bounces a report.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "autoconf.h"

#include "agent/agent.h"
#include "agent/config.h"
#include "agent/corepath.h"
#include "intake/deliver.h"
#include "util/log.h"

int
main(int argc, char **argv)
{
	struct agent	 a;
	const char	*conf = NULL;
	char		*err = NULL, *core;
	int		 i, rv, is_deliver = 0, verbose = 0;

	umask(077);
	log_init("psirt-agent", 0, 0);
	/* global options, as getopt would see them, without consuming */
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
			conf = argv[++i];
		else if (strncmp(argv[i], "-c", 2) == 0)
			conf = argv[i] + 2;
		else if (strcmp(argv[i], "-v") == 0)
			verbose = 1;
		else
			break;
	}
	if (i < argc && (strcmp(argv[i], "version") == 0 ||
	    strcmp(argv[i], "--version") == 0)) {
		printf("%s\n", PACKAGE_STRING);
		return EX_OK;
	}
	if (i < argc && strcmp(argv[i], "deliver") == 0)
		is_deliver = 1;
	else if (i < argc && (strcmp(argv[i], "help") == 0 ||
	    strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0))
		;	/* `help deliver` is help */
	else {
		/* a mistake in an MTA's command line must not bounce mail */
		for (; i < argc; i++)
			if (strcmp(argv[i], "deliver") == 0)
				is_deliver = 2;
	}
	if (!is_deliver) {
		core = agent_core_path();
		argv[0] = core;
		execv(core, argv);
		log_warn("execute %s", core);
		return EX_UNAVAILABLE;
	}
	log_set_fatal_exit(EX_TEMPFAIL);
	if (is_deliver == 2) {
		log_warnx("usage: psirt-agent [-c config] [-v] deliver "
		    "[-f sender] [-r recipient]");
		return EX_TEMPFAIL;
	}
	memset(&a, 0, sizeof(a));
	if (config_find(conf, &a.cf, &err) == -1) {
		log_warnx("%s", err);
		free(err);
		return EX_TEMPFAIL;
	}
	log_init("psirt-agent", a.cf->use_syslog, verbose);
	if (!config_root_ok(a.cf)) {
		/* the MTA keeps the message and retries */
		log_warnx("refusing to run as root (run the MTA's pipe as the "
		    "agent's user, or set allow_root = yes)");
		config_free(&a.cf);
		return EX_TEMPFAIL;
	}
	rv = cmd_deliver(&a, argc - i, argv + i);
	config_free(&a.cf);
	return rv;
}
