/*
 * outbox.c: durable outgoing mail and the sendmail runner.
 *
 * A reply is a row of the store's outbox table holding the whole
 * message, added in the same transaction as the case change that caused
 * it: no reply is promised that is not stored, and none is stored for a
 * change that did not commit. outbox_flush() runs the configured
 * sendmail command with an argv array (no shell), the message on a pipe
 * to its stdin, and a time limit, or, when smtp_url is set, submits it
 * over SMTP (smtp.c) from psirt_address to the row's recipient. Exit 0
 * (or the server's 250) marks the reply sent; a 5xx to the recipient
 * or to the message marks it failed at once; anything else retries
 * with exponential backoff (retry_min_time doubling to retry_max_time)
 * until outbox_lifetime, after which the reply is marked failed. Each outcome is an event on the case, committed right after
 * the command returns (a crash in between sends that one reply again:
 * at least once, never not at all).
 *
 * Trust: the command comes from the operator's configuration; the
 * message was composed by reply.c. The command's output is kept
 * (controls replaced, 200 bytes) as the row's last error.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <poll.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent/agent.h"
#include "agent/config.h"
#include "util/log.h"
#include "out/notice.h"
#include "out/outbox.h"
#include "out/reply.h"
#include "out/smtp.h"
#include "util/buf.h"
#include "util/fmt.h"
#include "util/hash.h"
#include "util/xmalloc.h"
#include "policies/policy.h"
#include "spool/store.h"
#include "spool/store_case.h"
#include "spool/store_msg.h"
#include "spool/store_out.h"
#include "spool/vault.h"

#define SENDMAIL_TIMEOUT	300	/* seconds */
#define MAXARGS			64

static int	 split_argv(const char *, char **, size_t);
static int	 tlp_review(struct agent *, const char *, const char *,
		    const char *, const char *, char **);
static int	 run_sendmail(const struct config *, const char *, size_t,
		    char **);
static long long backoff(const struct config *, long long);
static void	 record(struct agent *, const struct store_outbox *, int,
		    const char *, long long);
static int	 send_one(struct agent *, struct smtp **,
		    const struct store_outbox *, char **);

/*
 * 1 when the case's TLP does not allow mail to rcpt (then recorded, and
 * the team told: a pending `notify review` notice, notify.c), 0 when it
 * does, -1 on a store error. Team notices are not checked (notify.c
 * gives them content only where the member's key and the TLP allow), so
 * this cannot loop.
 */
static int
tlp_review(struct agent *a, const char *case_id, const char *kind,
    const char *rcpt, const char *message_id, char **errstr)
{
	static int		 telling;
	struct store_case	 c;
	char			*d;
	int			 r;

	/* a team notice decides its content by the member's key and the
	 * TLP itself (notify.c) */
	if (telling || a->pol == NULL || strncmp(kind, "team-", 5) == 0)
		return 0;
	if ((r = store_case_get(a->st, case_id, &c, errstr)) != 1)
		return r;
	if (policy_tlp_allows(a->pol, c.tlp, rcpt, c.reporter)) {
		store_case_free(&c);
		return 0;
	}
	d = xasprintf("%s to %s held for review: TLP:%s does not allow it "
	    "(psirt-agent queue release MESSAGE-ID sends it)", kind, rcpt,
	    c.tlp);
	r = store_event_add(a->st, c.id, "held-for-review", d, "agent",
	    errstr);
	log_warnx("%s", d);
	/* the team is told (`notify review`), in this transaction */
	if (r == 0) {
		telling = 1;
		r = notice_event(a, PEV_REVIEW, c.id, message_id, d, errstr);
		telling = 0;
	}
	free(d);
	store_case_free(&c);
	return r == -1 ? -1 : 1;
}

int
outbox_keep(struct agent *a, const char *case_id, const char *kind,
    const char *rcpt, const struct reply_out *ro, const char *subject,
    const char *body, const char *enc, char **errstr)
{
	struct store_message	 sm;
	struct vault		*v;
	int			 rv;

	memset(&sm, 0, sizeof(sm));
	sm.text_ref = xasprintf("%.*s.text", (int)strcspn(ro->message_id,
	    "@"), ro->message_id);
	if ((v = agent_vault(a, errstr)) == NULL ||
	    vault_put(v, sm.text_ref, body, strlen(body), errstr) == -1) {
		free(sm.text_ref);
		return -1;
	}
	sm.case_id = (char *)case_id;
	sm.direction = "out";
	sm.kind = (char *)kind;
	sm.message_id = ro->message_id;
	sm.from_addr = a->cf->psirt_address;
	sm.to_addr = (char *)rcpt;
	sm.subject = (char *)subject;
	sm.encryption = (char *)enc;
	sm.received_at = fmt_now();
	rv = store_message_insert(a->st, &sm, errstr);
	free(sm.text_ref);
	return rv;
}

int
outbox_queue(struct agent *a, const char *case_id, const char *kind,
    const char *rcpt, const struct reply_out *r, char **errstr)
{
	struct store_outbox	o;
	struct vault		*v;
	struct buf		 b;
	int			 rv, held;

	/* a reply quotes the report: it waits sealed like the report */
	if ((v = agent_vault(a, errstr)) == NULL)
		return -1;
	buf_init(&b);
	if (vault_seal(v, r->text, r->len, &b, errstr) == -1) {
		buf_free(&b);
		return -1;
	}
	memset(&o, 0, sizeof(o));
	/* the case's TLP: a recipient it does not allow makes the mail
	 * wait for review, and the coordinator is told */
	if (case_id && (held = tlp_review(a, case_id, kind, rcpt,
	    r->message_id, errstr)) != 0) {
		if (held == -1) {
			buf_free(&b);
			return -1;
		}
		o.state = "review";
	}
	o.case_id = (char *)case_id;
	o.message_id = r->message_id;
	o.rcpt = (char *)rcpt;
	o.kind = (char *)kind;
	o.raw = b.s;
	o.rawlen = b.len;
	o.created_at = o.next_try = (long long)time(NULL);
	rv = store_outbox_add(a->st, &o, errstr);
	buf_free(&b);
	return rv;
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
run_sendmail(const struct config *cf, const char *msg, size_t len,
    char **errstr)
{
	char		*argv[MAXARGS], errbuf[512];
	int		 argc, in[2], out[2], status = 0, i, out_eof = 0;
	pid_t		 pid, w = 0;
	ssize_t		 n = 0;
	size_t		 got = 0, off = 0;
	time_t		 t0 = time(NULL);
	struct buf	 e;

	if ((argc = split_argv(cf->sendmail, argv, MAXARGS)) <= 0) {
		*errstr = xstrdup("sendmail command is empty or too long");
		return -1;
	}
	if (pipe2(in, O_CLOEXEC) == -1) {
		*errstr = xasprintf("pipe: %s", strerror(errno));
		goto out;
	}
	if (pipe2(out, O_CLOEXEC) == -1) {
		*errstr = xasprintf("pipe: %s", strerror(errno));
		close(in[0]);
		close(in[1]);
		goto out;
	}
	if ((pid = fork()) == -1) {
		*errstr = xasprintf("fork: %s", strerror(errno));
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		goto out;
	}
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(out[1], 2);
		execv(argv[0], argv);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	fcntl(in[1], F_SETFL, O_NONBLOCK);
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	for (;;) {
		struct pollfd	pf[2];
		int		np = 0, wi = -1;

		if (!out_eof) {
			pf[np].fd = out[0];
			pf[np++].events = POLLIN;
		}
		if (in[1] != -1) {
			wi = np;
			pf[np].fd = in[1];
			pf[np++].events = POLLOUT;
		}
		/* with both pipes done, only the exit is awaited: poll
		 * briefly so a quick sendmail is not held up */
		if (poll(pf, (nfds_t)np, np ? 50 : 1) == -1 && errno != EINTR)
			break;
		if (wi != -1 && pf[wi].revents) {
			if ((n = write(in[1], msg + off, len - off)) > 0)
				off += (size_t)n;
			/* a write failed with the message cut short: at EOF
			 * sendmail would post what it had read (an empty or
			 * cut reply, then the whole one on the next try), so
			 * it is stopped before its input is closed */
			if (off < len && n == -1 && errno != EAGAIN &&
			    errno != EINTR && errno != EPIPE)
				kill(pid, SIGTERM);
			if (off == len || (n == -1 && errno != EAGAIN &&
			    errno != EINTR) || (pf[wi].revents &
			    (POLLERR | POLLHUP))) {
				close(in[1]);	/* EOF, or the child quit */
				in[1] = -1;
			}
		}
		while (!out_eof && (n = read(out[0], errbuf + got,
		    sizeof(errbuf) - 1 - got)) != 0) {
			if (n < 0)
				break;		/* EAGAIN: nothing more now */
			if ((got += (size_t)n) == sizeof(errbuf) - 1)
				got = 0;	/* keep the tail, roughly */
		}
		if (n == 0)
			out_eof = 1;
		if ((w = waitpid(pid, &status, WNOHANG)) == pid ||
		    (w == -1 && errno != EINTR))
			break;
		if (time(NULL) - t0 > SENDMAIL_TIMEOUT) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			if (in[1] != -1)
				close(in[1]);
			close(out[0]);
			*errstr = xasprintf("%s timed out after %d s", argv[0],
			    SENDMAIL_TIMEOUT);
			goto out;
		}
	}
	if (in[1] != -1)
		close(in[1]);
	while ((n = read(out[0], errbuf + got,
	    sizeof(errbuf) - 1 - got)) > 0)
		got += (size_t)n;
	close(out[0]);
	errbuf[got] = '\0';
	if (w == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	    off == len) {
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

/* Record one outcome: its own transaction, so a crash resends at most
 * the reply that was being sent. */
static void
record(struct agent *a, const struct store_outbox *o, int outcome,
    const char *serr, long long now)
{
	char		*err = NULL, *detail;
	long long	 att = o->attempts + 1;
	int		 sent = outcome == SMTP_SENT;
	int		 gone = outcome == SMTP_REFUSED ||
			     now - o->created_at >= a->cf->outbox_lifetime;
	int		 try;

	if (sent)
		detail = xasprintf("%s to %s, Message-ID <%s>", o->kind,
		    o->rcpt, o->message_id);
	else
		detail = xasprintf("%s to %s%s: %s", o->kind, o->rcpt,
		    outcome == SMTP_REFUSED ? ", refused" : gone ?
		    ", given up" : "", serr);
	/* a failed commit here means a resend later: try again a few
	 * times first (a transient I/O error, a lock) */
	for (try = 0; try < 5; try++) {
		if (try) {
			struct timespec ts = { 0, 20000000L * try };

			nanosleep(&ts, NULL);
			log_warnx("recording the outcome of %s to %s: %s; "
			    "again", o->kind, o->rcpt, err);
			free(err);
			err = NULL;
		}
		if (store_begin(a->st, &err) == 0 &&
		    store_outbox_update(a->st, o->id, sent ? "sent" : gone ?
		    "failed" : "queued", att, sent ? now : now + backoff(a->cf,
		    att), sent ? NULL : serr, &err) == 0 &&
		    store_event_add(a->st, o->case_id, sent ? "reply-sent" :
		    gone ? "reply-failed" : "reply-deferred", detail, "agent",
		    &err) == 0 && store_commit(a->st, &err) == 0) {
			free(detail);
			return;
		}
		store_rollback(a->st);
	}
	log_warnx("recording the outcome of %s to %s (it may be sent "
	    "again): %s", o->kind, o->rcpt, err);
	free(err);
	free(detail);
}

/* One reply by the configured way: SMTP_SENT, SMTP_LATER or
 * SMTP_REFUSED (the sendmail command knows only the first two). */
static int
send_one(struct agent *a, struct smtp **sp, const struct store_outbox *o,
    char **serr)
{
	struct vault	*vt;
	unsigned char	*plain;
	size_t		 plen;
	int		 rv;

	if ((vt = agent_vault(a, serr)) == NULL ||
	    vault_unseal(vt, o->raw, o->rawlen, &plain, &plen, serr) == -1)
		return SMTP_LATER;
	if (a->cf->smtp_url[0])
		rv = smtp_send(sp, a->cf, a->cf->psirt_address, o->rcpt,
		    (char *)plain, plen, serr);
	else
		rv = run_sendmail(a->cf, (char *)plain, plen, serr) == 0 ?
		    SMTP_SENT : SMTP_LATER;
	vault_free_plain(plain);
	return rv;
}

int
outbox_flush(struct agent *a)
{
	struct store_outbox	*v;
	struct smtp		*sm = NULL;
	size_t			 n, i;
	char			*err = NULL, *serr;
	long long		 now = (long long)time(NULL);
	int			 failures = 0, sent, c;

	if (store_outbox_due(a->st, now, &v, &n, &err) == -1) {
		log_warnx("outbox: %s", err);
		free(err);
		return 1;
	}
	for (i = 0; i < n; i++) {
		log_set_id(v[i].case_id);
		serr = NULL;
		/* workers flush at the same time: one sends each reply */
		if ((c = store_outbox_claim(a->st, v[i].id, now, now +
		    SENDMAIL_TIMEOUT + 60, &err)) != 1) {
			if (c == -1) {
				log_warnx("outbox: %s", err);
				free(err);
				err = NULL;
				failures++;
			}
			continue;
		}
		sent = send_one(a, &sm, &v[i], &serr);
		if (sent == SMTP_SENT)
			log_info("%s sent to %s", v[i].kind, v[i].rcpt);
		else {
			failures++;
			log_warnx("%s to %s not sent (attempt %lld%s): %s",
			    v[i].kind, v[i].rcpt, v[i].attempts + 1, sent ==
			    SMTP_REFUSED ? ", refused for good" : "", serr);
		}
		record(a, &v[i], sent, serr, now);
		free(serr);
	}
	log_set_id(NULL);
	smtp_close(&sm);
	store_outbox_free(v, n);
	return failures;
}
