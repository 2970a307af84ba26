/*
 * monitor.c: `psirt-agent status [--format text|json|prometheus] |
 * status --check`, what an operator or a monitoring system wants to
 * know at a glance (like `postqueue -p`'s summary line, or a Nagios
 * plugin): the spool queues and their oldest mail, replies waiting,
 * open and overdue cases, the last tick and queue run, and the audit
 * record's signed head.
 *
 * It reads only: the queue directories, the stamps the runs leave
 * (queue_stamp) and one statement on the store. --check exits 0, 1, 2
 * or 3 (OK, WARNING, CRITICAL, UNKNOWN) against the status_* settings;
 * whatever stops it from looking (no configuration, no store, a store
 * that is locked or from a newer version) is UNKNOWN, with the reason.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "agent/agent.h"
#include "cli/commands.h"
#include "agent/config.h"
#include "util/log.h"
#include "util/buf.h"
#include "util/fmt.h"
#include "util/json.h"
#include "util/xmalloc.h"
#include "spool/queue.h"
#include "spool/store.h"
#include "spool/store_report.h"

cmd_fn	cmd_status;

#define ISO_FMT	"%Y-%m-%dT%H:%M:%SZ"

enum { ST_OK, ST_WARNING, ST_CRITICAL, ST_UNKNOWN };
static const char *const level_name[] = { "OK", "WARNING", "CRITICAL",
    "UNKNOWN" };

/* the queues shown, in this order */
static const enum queue_dir shown[] = { Q_INCOMING, Q_ACTIVE, Q_DEFERRED,
    Q_HOLD, Q_QUARANTINE };
#define NSHOWN	(sizeof(shown) / sizeof(shown[0]))

struct figures {
	long long		 now;
	size_t			 queue[NSHOWN];
	long long		 oldest_waiting;	/* incoming, deferred */
	long long		 last_tick, last_run;
	struct store_summary	 s;
};

static int
gather(struct agent *a, struct figures *f, char **errstr)
{
	const char	*spool = a->cf->spool_directory;
	struct stat	 sb;
	char		**ids, *p;
	size_t		 k, i, n;

	memset(f, 0, sizeof(*f));
	f->now = fmt_now();
	if (stat(a->cf->database, &sb) == -1) {
		*errstr = xasprintf("no store at %s (is this instance made? "
		    "psirt-agent init)", a->cf->database);
		return -1;
	}
	if (agent_store(a, errstr) < 0)
		return -1;
	if (store_summary(a->st, f->now, &f->s, errstr) == -1)
		return -1;
	for (k = 0; k < NSHOWN; k++) {
		if (queue_list(spool, shown[k], &ids, &n, errstr) == -1)
			return -1;
		f->queue[k] = n;
		for (i = 0; i < n && (shown[k] == Q_INCOMING ||
		    shown[k] == Q_DEFERRED); i++) {
			p = queue_path(spool, shown[k], ids[i]);
			if (stat(p, &sb) == 0 && (f->oldest_waiting == 0 ||
			    sb.st_mtime < f->oldest_waiting))
				f->oldest_waiting = sb.st_mtime;
			free(p);
		}
		queue_list_free(ids, n);
	}
	f->last_tick = queue_stamp_get(spool, "tick");
	f->last_run = queue_stamp_get(spool, "run");
	return 0;
}

static long long
age(const struct figures *f, long long t)
{
	return t == 0 ? -1 : f->now > t ? f->now - t : 0;
}

/* the oldest mail or reply waiting to go on (0: none) */
static long long
oldest(const struct figures *f)
{
	long long	t = f->oldest_waiting;

	if (f->s.outbox_oldest && (t == 0 || f->s.outbox_oldest < t))
		t = f->s.outbox_oldest;
	return t;
}

/* "2026-12-07T10:00:00Z (4m09s ago)", or "never" */
static const char *
when(const struct figures *f, long long t, char *s, size_t n)
{
	char	iso[32], sp[32];

	if (t == 0)
		return "never";
	fmt_utc(t, ISO_FMT, iso, sizeof(iso));
	snprintf(s, n, "%s (%s ago)", iso, fmt_span(age(f, t), sp,
	    sizeof(sp)));
	return s;
}

static void
text(struct agent *a, const struct figures *f)
{
	char	s1[64], s2[64];
	size_t	k;

	printf("%s: %s\n", a->cf->psirt_address, a->cf->path);
	printf("queues:");
	for (k = 0; k < NSHOWN; k++)
		printf("%s %s %zu", k ? "," : "", queue_dir_name(shown[k]),
		    f->queue[k]);
	putchar('\n');
	printf("oldest waiting: %s\n", oldest(f) ? fmt_span(age(f,
	    oldest(f)), s1, sizeof(s1)) : "none");
	printf("replies: outbox %lld, review %lld%s%s%s\n", f->s.outbox,
	    f->s.review, f->s.review ? " (oldest " : "", f->s.review ?
	    fmt_span(age(f, f->s.review_oldest), s2, sizeof(s2)) : "",
	    f->s.review ? ")" : "");
	printf("cases: open %lld, overdue %lld\n", f->s.open, f->s.overdue);
	printf("last tick: %s\n", when(f, f->last_tick, s1, sizeof(s1)));
	printf("last queue run: %s\n", when(f, f->last_run, s1, sizeof(s1)));
	printf("audit: head signed %s, %lld event%s after it\n",
	    when(f, f->s.head_at, s1, sizeof(s1)), f->s.unsigned_events,
	    f->s.unsigned_events == 1 ? "" : "s");
}

static void
json_time(struct json *j, const char *key, long long t)
{
	char	iso[32];

	json_key(j, key);
	if (t == 0)
		json_null(j);
	else {
		fmt_utc(t, ISO_FMT, iso, sizeof(iso));
		json_str(j, iso);
	}
}

static void
json_age(struct json *j, const char *key, long long secs)
{
	json_key(j, key);
	if (secs < 0)
		json_null(j);
	else
		json_int(j, secs);
}

static void
json_out(const struct figures *f)
{
	struct buf	b;
	struct json	j;
	size_t		k;

	buf_init(&b);
	json_init(&j, &b);
	json_obj_begin(&j);
	json_time(&j, "now", f->now);
	json_key(&j, "queues");
	json_obj_begin(&j);
	for (k = 0; k < NSHOWN; k++)
		json_kint(&j, queue_dir_name(shown[k]), (long long)f->queue[k]);
	json_obj_end(&j);
	json_age(&j, "oldest_waiting_seconds", oldest(f) ? age(f,
	    oldest(f)) : -1);
	json_kint(&j, "outbox", f->s.outbox);
	json_kint(&j, "review", f->s.review);
	json_age(&j, "oldest_review_seconds", f->s.review ? age(f,
	    f->s.review_oldest) : -1);
	json_kint(&j, "open_cases", f->s.open);
	json_kint(&j, "overdue_cases", f->s.overdue);
	json_time(&j, "last_tick", f->last_tick);
	json_age(&j, "last_tick_seconds", age(f, f->last_tick));
	json_time(&j, "last_queue_run", f->last_run);
	json_age(&j, "last_queue_run_seconds", age(f, f->last_run));
	json_time(&j, "audit_head", f->s.head_at);
	json_age(&j, "audit_head_seconds", age(f, f->s.head_at));
	json_kint(&j, "audit_unsigned_events", f->s.unsigned_events);
	json_obj_end(&j);
	buf_putc(&b, '\n');
	fwrite(b.s, 1, b.len, stdout);
	buf_free(&b);
}

/* one gauge: its HELP and TYPE lines, then "name value" */
static void
gauge(const char *name, const char *help, long long v)
{
	printf("# HELP psirt_agent_%s %s\n# TYPE psirt_agent_%s gauge\n"
	    "psirt_agent_%s %lld\n", name, help, name, name, v);
}

/* node_exporter's textfile collector format */
static void
prometheus(const struct figures *f)
{
	size_t	k;

	printf("# HELP psirt_agent_queue_messages Messages in each spool "
	    "queue.\n# TYPE psirt_agent_queue_messages gauge\n");
	for (k = 0; k < NSHOWN; k++)
		printf("psirt_agent_queue_messages{queue=\"%s\"} %zu\n",
		    queue_dir_name(shown[k]), f->queue[k]);
	gauge("oldest_waiting_seconds", "Age of the oldest message or "
	    "reply waiting to go on (0: none).", oldest(f) ? age(f,
	    oldest(f)) : 0);
	printf("# HELP psirt_agent_replies Replies waiting, by state.\n"
	    "# TYPE psirt_agent_replies gauge\n"
	    "psirt_agent_replies{state=\"outbox\"} %lld\n"
	    "psirt_agent_replies{state=\"review\"} %lld\n", f->s.outbox,
	    f->s.review);
	gauge("cases_open", "Cases not closed, rejected, duplicate, "
	    "disclosed or merged.", f->s.open);
	gauge("cases_overdue", "Open cases with a clock past its "
	    "deadline.", f->s.overdue);
	gauge("last_tick_timestamp_seconds", "When tick last succeeded "
	    "(0: never).", f->last_tick);
	gauge("last_queue_run_timestamp_seconds", "When a queue run last "
	    "finished (0: never).", f->last_run);
	gauge("audit_head_timestamp_seconds", "When the audit record's "
	    "head was last signed (0: never).", f->s.head_at);
	gauge("audit_unsigned_events", "Events after the signed head.",
	    f->s.unsigned_events);
}

/* the level of value v against thresholds t[0] (WARNING), t[1] */
static int
level(long long v, const long long t[2])
{
	if (t[1] > 0 && v >= t[1])
		return ST_CRITICAL;
	if (t[0] > 0 && v >= t[0])
		return ST_WARNING;
	return ST_OK;
}

/* a problem found: "LEVEL: what" on a line of its own */
static void
problem(struct buf *b, int *worst, int lv, const char *what,
    const char *what2, const char *what3)
{
	if (lv == ST_OK)
		return;
	if (lv > *worst)
		*worst = lv;
	buf_printf(b, "%s: %s%s%s\n", level_name[lv], what, what2, what3);
}

static int
check(struct agent *a, const struct figures *f)
{
	const struct config	*cf = a->cf;
	struct buf		 b;
	char			 s[64], n[32];
	long long		 held;
	int			 worst = ST_OK, lv;

	buf_init(&b);
	if (f->last_tick == 0)
		problem(&b, &worst, cf->status.tick[0] > 0 ? ST_WARNING :
		    ST_OK, "tick has never run", " (is the timer on?)", "");
	else
		problem(&b, &worst, level(age(f, f->last_tick),
		    cf->status.tick), "last tick ", fmt_span(age(f,
		    f->last_tick), s, sizeof(s)), " ago");
	if (oldest(f))
		problem(&b, &worst, level(age(f, oldest(f)),
		    cf->status.queue), "mail has waited ", fmt_span(age(f,
		    oldest(f)), s, sizeof(s)), "");
	snprintf(n, sizeof(n), "%lld", f->s.overdue);
	problem(&b, &worst, level(f->s.overdue, cf->status.overdue),
	    "open cases overdue: ", n, "");
	held = (long long)(f->queue[3] + f->queue[4]);
	snprintf(n, sizeof(n), "%lld", held);
	problem(&b, &worst, level(held, cf->status.quarantine),
	    "messages in hold or quarantine: ", n, "");
	if (f->s.review)
		problem(&b, &worst, level(age(f, f->s.review_oldest),
		    cf->status.review), "a reply has waited for review ",
		    fmt_span(age(f, f->s.review_oldest), s, sizeof(s)), "");
	if (f->s.unsigned_events > 0) {
		lv = f->s.head_at == 0 ? (cf->status.audit[0] > 0 ?
		    ST_WARNING : ST_OK) : level(age(f, f->s.head_at),
		    cf->status.audit);
		problem(&b, &worst, lv, "events after the audit head, "
		    "signed ",
		    f->s.head_at ? fmt_span(age(f, f->s.head_at), s,
		    sizeof(s)) : "never", f->s.head_at ? " ago" : "");
	}
	printf("PSIRT-AGENT %s - %lld open, %lld overdue, %zu deferred, "
	    "%zu held, last tick %s | open=%lld overdue=%lld deferred=%zu "
	    "held=%lld review=%lld outbox=%lld tick_age=%llds\n",
	    level_name[worst], f->s.open, f->s.overdue, f->queue[2],
	    (size_t)held, f->last_tick ? fmt_span(age(f, f->last_tick), s,
	    sizeof(s)) : "never", f->s.open, f->s.overdue, f->queue[2], held,
	    f->s.review, f->s.outbox, f->last_tick ? age(f, f->last_tick) :
	    0);
	fwrite(b.s, 1, b.len, stdout);
	buf_free(&b);
	return worst;
}

int
status_unknown(const char *reason)
{
	printf("PSIRT-AGENT UNKNOWN - %s\n", reason);
	return ST_UNKNOWN;
}

int
cmd_status(struct agent *a, int argc, char **argv)
{
	struct figures	 f;
	const char	*format = "text";
	char		*err = NULL;
	int		 i, check_mode = 0, rv;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--check") == 0)
			check_mode = 1;
		else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc &&
		    (strcmp(argv[i + 1], "text") == 0 ||
		    strcmp(argv[i + 1], "json") == 0 ||
		    strcmp(argv[i + 1], "prometheus") == 0))
			format = argv[++i];
		else {
			fprintf(stderr, "usage: psirt-agent status [--format "
			    "text|json|prometheus] | status --check\n");
			return check_mode ? ST_UNKNOWN : EX_USAGE;
		}
	}
	if (check_mode && a->cf->busy_timeout > 10)
		store_set_busy_timeout(10 * 1000);	/* the plugin's time */
	if (gather(a, &f, &err) == -1) {
		if (check_mode)
			rv = status_unknown(err);
		else {
			log_warnx("status: %s", err);
			rv = EX_TEMPFAIL;
		}
		free(err);
		return rv;
	}
	if (check_mode)
		return check(a, &f);
	if (strcmp(format, "json") == 0)
		json_out(&f);
	else if (strcmp(format, "prometheus") == 0)
		prometheus(&f);
	else
		text(a, &f);
	return fflush(stdout) == EOF ? EX_IOERR : EX_OK;
}
