/*
 * poll_cmd.c: `psirt-agent poll [--once]`, the IMAP service: intake's
 * loop (intake/poll.c) with what the service runs between its rounds
 * (what is due: escalation steps, the queue, replies to retry; then the
 * audit head signed) and its reload on SIGHUP.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "agent/agent.h"
#include "agent/config.h"
#include "cli/audit.h"
#include "intake/poll.h"
#include "out/digest.h"
#include "out/timers.h"
#include "pipeline/ask.h"
#include "pipeline/process.h"
#include "policies/policy.h"
#include "util/fmt.h"
#include "util/log.h"

cmd_fn	cmd_poll;

static void
after_round(struct agent *a)
{
	char	*err = NULL;

	if (deadline_tick(a, fmt_now(), &err) == -1 ||
	    ask_tick(a, fmt_now(), &err) == -1) {
		log_warnx("deadlines: %s", err ? err : "failed");
		free(err);
		err = NULL;
	}
	if (digest_tick(a, fmt_now(), &err) == -1) {
		log_warnx("digest: %s", err ? err : "failed");
		free(err);
		err = NULL;
	}
	(void)process_queue(a, 1);
	if (audit_sign_head(a, &err) == -1) {
		log_warnx("audit: %s", err);
		free(err);
	}
}

/* SIGHUP: a bad configuration or policy keeps the last good one */
static int
reload(struct agent *a)
{
	struct config	*cf = NULL;
	struct policy	*pol = NULL;
	char		*err = NULL;
	int		 e;

	if (config_find(a->cf->path, &cf, &err) == -1) {
		log_warnx("reload: %s (keeping the old configuration)", err);
		free(err);
		return EX_OK;
	}
	if (policy_load(cf->policy_file, &pol, &err) == -1) {
		log_warnx("reload: %s (keeping the old configuration and "
		    "policy)", err);
		free(err);
		config_free(&cf);
		return EX_OK;
	}
	agent_close(a);
	memset(a, 0, sizeof(*a));
	a->cf = cf;
	a->pol = pol;
	if ((e = agent_open(a, 1, &err)) < 0) {
		log_warnx("reload: %s", err);
		free(err);
		return e == -2 ? EX_TEMPFAIL : EX_CONFIG;
	}
	log_info("configuration reloaded");
	return EX_OK;
}

int
cmd_poll(struct agent *a, int argc, char **argv)
{
	static const struct poll_hooks hooks = { after_round, reload };

	if (argc == 2 && strcmp(argv[1], "--once") == 0)
		return poll_run(a, 1, &hooks);
	if (argc != 1) {
		fprintf(stderr, "usage: psirt-agent poll [--once]\n");
		return EX_USAGE;
	}
	return poll_run(a, 0, &hooks);
}
