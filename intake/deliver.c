/*
 * deliver.c: `psirt-agent deliver`, the MTA pipe.
 *
 * Reads one message on stdin and commits it to spool incoming/ (see
 * queue.c for the write-fsync-rename protocol). Exit codes (sysexits):
 * EX_OK only after the commit; EX_TEMPFAIL for every fault, including a
 * bad configuration and a message over message_size_limit, so the MTA
 * keeps the message and retries; never a code that bounces a report.
 * It runs in the lean psirt-agent program, which links no MIME, crypto,
 * SQLite or regex code: parsing happens later, in a detached
 * `psirt-agent-core process --background` started after the commit
 * (unless background_process = no), which does not hold up the MTA.
 *
 * Envelope: -f SENDER / -r RECIPIENT, else Postfix's SENDER/RECIPIENT
 * environment. Trust: stdin is copied, never interpreted.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "agent/agent.h"
#include "agent/config.h"
#include "util/log.h"
#include "util/fmt.h"
#include "agent/corepath.h"
#include "intake/deliver.h"
#include "util/xmalloc.h"
#include "spool/queue.h"

static void	start_runner(struct agent *);

/*
 * Double fork: the runner is reparented, owns no MTA pipe and is
 * psirt-agent-core `process --background`.
 */
static void
start_runner(struct agent *a)
{
	char	*argv[6];
	pid_t	 pid;
	int	 fd;

	/*
	 * A runner at work re-checks incoming/ after it unlocks, and our
	 * message was committed before this test: no second runner needed.
	 */
	if ((fd = queue_lock(a->cf->spool_directory, 0)) < 0)
		return;
	close(fd);
	if ((pid = fork()) == -1) {
		log_warn("fork queue runner (message stays queued)");
		return;
	}
	if (pid > 0) {
		waitpid(pid, NULL, 0);
		return;
	}
	setsid();
	if (fork() != 0)
		_exit(0);
	if ((fd = open("/dev/null", O_RDWR)) != -1) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	argv[0] = agent_core_path();
	argv[1] = "-c";
	argv[2] = a->cf->path;
	argv[3] = "process";
	argv[4] = "--background";
	argv[5] = NULL;
	execv(argv[0], argv);
	log_init("psirt-agent", a->cf->use_syslog, 0);
	log_warn("execute %s (message stays queued)", argv[0]);
	_exit(EX_TEMPFAIL);
}

int
cmd_deliver(struct agent *a, int argc, char **argv)
{
	struct envelope	 env;
	char		 qid[QUEUE_ID_MAX], *err = NULL, from[256], to[256];
	int		 ch, rv;

	memset(&env, 0, sizeof(env));
	env.sender = getenv("SENDER");
	env.recipient = getenv("RECIPIENT");
	optind = 1;
	while ((ch = getopt(argc, argv, "f:r:")) != -1) {
		switch (ch) {
		case 'f':
			env.sender = optarg;
			break;
		case 'r':
			env.recipient = optarg;
			break;
		default:
			/* a usage error must not bounce mail either */
			log_warnx("usage: deliver [-f sender] [-r recipient]");
			return EX_TEMPFAIL;
		}
	}
	env.source = "pipe";
	env.received = (long long)time(NULL);
	signal(SIGPIPE, SIG_IGN);
	if (queue_init(a->cf->spool_directory, &err) == -1) {
		log_warnx("%s", err);
		free(err);
		return EX_TEMPFAIL;
	}
	rv = queue_store_fd(a->cf->spool_directory, Q_INCOMING, 0, &env,
	    a->cf->limits.message_size, qid, &err);
	if (rv != 0) {
		log_warnx("message not accepted, the MTA will retry: %s", err);
		free(err);
		return EX_TEMPFAIL;
	}
	/* the message is the spool's now: whatever fails from here on
	 * (even an allocation, which exits through fatal), the MTA must
	 * not deliver it again */
	log_set_fatal_exit(EX_OK);
	log_set_id(qid);
	fmt_printable(from, sizeof(from), env.sender);
	fmt_printable(to, sizeof(to), env.recipient);
	log_info("accepted from=<%s> to=<%s>", from, to);
	if (a->cf->background_process)
		start_runner(a);
	return EX_OK;
}
