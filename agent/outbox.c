/*
 * outbox.c: durable outgoing mail and the sendmail runner.
 *
 * A reply is a file in spool outbox/ plus a store row; the file is on
 * disk (fsync'ed) before the row commits, so a row never names a missing
 * file. outbox_flush() runs the configured sendmail command with an argv
 * array (no shell), the message on stdin, and a time limit; exit 0 moves
 * the file to sent/, anything else retries with exponential backoff
 * (retry_min_time doubling to retry_max_time) until outbox_lifetime,
 * after which the reply is marked failed and an event says so.
 *
 * Trust: the command comes from the operator's configuration; the
 * message was composed by reply.c. stderr of the command is kept
 * (escaped, 200 bytes) as the row's last error.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent/agent.h"
#include "agent/config.h"
#include "agent/log.h"
#include "agent/outbox.h"
#include "agent/reply.h"
#include "agent/util/buf.h"
#include "agent/util/hash.h"
#include "agent/util/xmalloc.h"
#include "spool/queue.h"
#include "spool/store.h"

#define SENDMAIL_TIMEOUT	300	/* seconds */
#define MAXARGS			64

static int	 split_argv(const char *, char **, size_t);
static int	 run_sendmail(const struct config *, const char *, char **);
static long long backoff(const struct config *, long long);

int
outbox_queue(struct agent *a, const char *case_id, const char *kind,
    const char *rcpt, const struct reply_out *r, char **file, char **errstr)
{
	struct store_outbox	o;
	char			rnd[17];

	hash_random_hex(rnd, 8);
	*file = xasprintf("R%lld-%s", (long long)time(NULL), rnd);
	if (queue_store_buf(a->cf->spool_directory, Q_OUTBOX, *file, r->text,
	    r->len, errstr) == -1) {
		free(*file);
		*file = NULL;
		return -1;
	}
	memset(&o, 0, sizeof(o));
	o.case_id = (char *)case_id;
	o.message_id = r->message_id;
	o.rcpt = (char *)rcpt;
	o.kind = (char *)kind;
	o.file = *file;
	o.created_at = o.next_try = (long long)time(NULL);
	if (store_outbox_add(a->st, &o, errstr) == -1) {
		char	*e2 = NULL;

		queue_remove(a->cf->spool_directory, Q_OUTBOX, *file, &e2);
		free(e2);
		free(*file);
		*file = NULL;
		return -1;
	}
	return 0;
}

/* Split on blanks; "double quoted" words keep their blanks. */
static int
split_argv(const char *cmd, char **argv, size_t max)
{
	struct buf	b;
	size_t		n = 0;
	const char	*p = cmd;
	int		q;

	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		if (n + 1 >= max)
			return -1;
		buf_init(&b);
		q = 0;
		for (; *p && (q || (*p != ' ' && *p != '\t')); p++) {
			if (*p == '"')
				q = !q;
			else
				buf_putc(&b, *p);
		}
		argv[n++] = buf_release(&b);
	}
	argv[n] = NULL;
	return (int)n;
}

static long long
backoff(const struct config *cf, long long attempts)
{
	long long	d = cf->retry_min_seconds;

	while (attempts-- > 1 && d < cf->retry_max_seconds)
		d *= 2;
	return d > cf->retry_max_seconds ? cf->retry_max_seconds : d;
}

/* 0 sent; -1 failed with *errstr. */
static int
run_sendmail(const struct config *cf, const char *path, char **errstr)
{
	char		*argv[MAXARGS], errbuf[512];
	int		 argc, fd, pfd[2], status, i;
	pid_t		 pid, w;
	ssize_t		 n;
	size_t		 got = 0;
	time_t		 t0 = time(NULL);
	struct buf	 e;

	if ((argc = split_argv(cf->sendmail, argv, MAXARGS)) <= 0) {
		*errstr = xstrdup("sendmail command is empty or too long");
		return -1;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		*errstr = xasprintf("open %s: %s", path, strerror(errno));
		goto out;
	}
	if (pipe2(pfd, O_CLOEXEC) == -1) {
		*errstr = xasprintf("pipe: %s", strerror(errno));
		close(fd);
		goto out;
	}
	if ((pid = fork()) == -1) {
		*errstr = xasprintf("fork: %s", strerror(errno));
		close(fd);
		close(pfd[0]);
		close(pfd[1]);
		goto out;
	}
	if (pid == 0) {
		dup2(fd, 0);
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		execv(argv[0], argv);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(fd);
	close(pfd[1]);
	fcntl(pfd[0], F_SETFL, O_NONBLOCK);
	for (;;) {
		while ((n = read(pfd[0], errbuf + got,
		    sizeof(errbuf) - 1 - got)) > 0)
			got += (size_t)n;
		if (got == sizeof(errbuf) - 1)
			got = 0;	/* keep the tail, roughly */
		if ((w = waitpid(pid, &status, WNOHANG)) == pid)
			break;
		if (w == -1 && errno != EINTR)
			break;
		if (time(NULL) - t0 > SENDMAIL_TIMEOUT) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			close(pfd[0]);
			*errstr = xasprintf("%s timed out after %d s", argv[0],
			    SENDMAIL_TIMEOUT);
			goto out;
		}
		usleep(2000);
	}
	while ((n = read(pfd[0], errbuf + got,
	    sizeof(errbuf) - 1 - got)) > 0)
		got += (size_t)n;
	close(pfd[0]);
	errbuf[got] = '\0';
	if (w == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		for (i = 0; i < argc; i++)
			free(argv[i]);
		return 0;
	}
	buf_init(&e);
	if (w == pid && WIFEXITED(status))
		buf_printf(&e, "%s exited with %d", argv[0],
		    WEXITSTATUS(status));
	else
		buf_printf(&e, "%s died", argv[0]);
	if (got) {
		char	*p;

		for (p = errbuf; *p; p++)
			if ((unsigned char)*p < 0x20 ||
			    (unsigned char)*p >= 0x7f)
				*p = ' ';
		buf_printf(&e, ": %.200s", errbuf);
	}
	*errstr = buf_release(&e);
out:
	for (i = 0; i < argc; i++)
		free(argv[i]);
	return -1;
}

int
outbox_flush(struct agent *a)
{
	struct store_outbox	*v;
	size_t			 n, i;
	char			*err = NULL, *serr, *path, *detail;
	long long		 now = (long long)time(NULL), att;
	int			 failures = 0, gone;

	if (store_outbox_due(a->st, now, &v, &n, &err) == -1) {
		log_warnx("outbox: %s", err);
		free(err);
		return 1;
	}
	for (i = 0; i < n; i++) {
		log_set_id(v[i].case_id ? v[i].case_id : v[i].file);
		path = queue_path(a->cf->spool_directory, Q_OUTBOX,
		    v[i].file);
		serr = NULL;
		att = v[i].attempts + 1;
		if (run_sendmail(a->cf, path, &serr) == 0) {
			if (queue_move(a->cf->spool_directory, v[i].file,
			    Q_OUTBOX, Q_SENT, &err) == -1) {
				log_warnx("%s", err);
				free(err);
				err = NULL;
			}
			detail = xasprintf("%s to %s, Message-ID <%s>",
			    v[i].kind, v[i].rcpt, v[i].message_id);
			if (store_begin(a->st, &err) == 0 &&
			    store_outbox_update(a->st, v[i].id, "sent", att,
			    now, NULL, &err) == 0 &&
			    store_event_add(a->st, v[i].case_id, "reply-sent",
			    detail, "agent", &err) == 0 &&
			    store_commit(a->st, &err) == 0)
				log_info("%s sent to %s", v[i].kind,
				    v[i].rcpt);
			else {
				store_rollback(a->st);
				log_warnx("recording sent reply: %s", err);
				free(err);
				err = NULL;
			}
			free(detail);
		} else {
			failures++;
			gone = now - v[i].created_at >=
			    a->cf->outbox_lifetime;
			log_warnx("%s to %s not sent (attempt %lld%s): %s",
			    v[i].kind, v[i].rcpt, att,
			    gone ? ", giving up" : "", serr);
			detail = xasprintf("%s to %s: %s", v[i].kind,
			    v[i].rcpt, serr);
			if (store_begin(a->st, &err) == 0 &&
			    store_outbox_update(a->st, v[i].id, gone ?
			    "failed" : "queued", att, now + backoff(a->cf, att),
			    serr, &err) == 0 &&
			    store_event_add(a->st, v[i].case_id, gone ?
			    "reply-failed" : "reply-deferred", detail, "agent",
			    &err) == 0 && store_commit(a->st, &err) == 0)
				;
			else {
				store_rollback(a->st);
				log_warnx("recording failed reply: %s", err);
				free(err);
				err = NULL;
			}
			free(detail);
			free(serr);
		}
		free(path);
	}
	log_set_id(NULL);
	store_outbox_free(v, n);
	return failures;
}
