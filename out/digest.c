/*
 * digest.c: the daily digest to each member of the team. See digest.h.
 *
 * Trust: what it lists comes from the store (case IDs, clock names,
 * times; subjects, opened from their seal, only into an encrypted
 * mail); the lines are made here and handed to the template as values,
 * so a subject cannot add a header (template.h). Diagnostics: store
 * errors go back to the tick; a mail that could not be encrypted is
 * logged by notice_mail() and sent without case content.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "agent/agent.h"
#include "agent/config.h"
#include "out/calendar.h"
#include "out/digest.h"
#include "out/notice.h"
#include "out/timers.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xmalloc.h"
#include "policies/clocks.h"
#include "policies/policy.h"
#include "policies/raci.h"
#include "policies/template.h"
#include "spool/queue.h"
#include "spool/store.h"
#include "spool/store_case.h"
#include "spool/store_clock.h"
#include "spool/store_out.h"

#define MAX_PEOPLE	64
#define KIND_DIGEST	"digest"

/* What every digest of a tick reads, read once. */
struct world {
	struct store_deadline	*dl;		/* clocks not met */
	size_t			 ndl;
	char			**exc;		/* cases with an exception
						 * waiting for approval */
	size_t			 nexc;
	struct store_outbox	*ob;		/* pending replies */
	size_t			 nob;
	char			**quar;		/* quarantine/ */
	size_t			 nquar;
};

/* One member's digest, as template values. */
struct lists {
	struct buf	 overdue, today, open, exc, review, quar;
	int		 ncases, noverdue, ntoday, nexc, nreview, nquar;
};

static int	 world_load(struct agent *, struct world *, char **);
static void	 world_free(struct world *);
static int	 exception_waits(struct agent *, const char *, char **);
static int	 plays(const struct raci *, const char *, const char *,
		    const char *);
static void	 local_time(const char *, long long, char *, size_t, char *,
		    size_t);
static void	 add_subject(struct agent *, const char *,
		    const struct raci_member *, struct buf *);
static void	 build(struct agent *, const struct world *,
		    const struct raci_member *, long long, const char *, int,
		    struct lists *);
static void	 lists_free(struct lists *);
static int	 send_digest(struct agent *, const struct world *,
		    const struct raci_member *, long long, const char *,
		    char **);
static int	 tell_coordinator(struct agent *, const struct raci_member *,
		    const char *, const char *, long long, char **);


/* Is an exception of the case waiting: a reason requested
 * (exception-pending) that no approval (exception) of the same reason
 * followed? As staffcmd.c's #approve finds it. 1, 0, -1. */
static int
exception_waits(struct agent *a, const char *case_id, char **errstr)
{
	struct store_fact	*f;
	size_t			 n, i, k;
	int			 done, waits = 0;

	if (store_facts(a->st, case_id, &f, &n, errstr) == -1)
		return -1;
	for (i = 0; i < n && !waits; i++) {
		if (strcmp(f[i].kind, "exception-pending") != 0)
			continue;
		for (k = done = 0; k < n; k++)
			done |= strcmp(f[k].kind, "exception") == 0 &&
			    strcmp(f[k].value, f[i].value) == 0;
		waits = !done;
	}
	store_facts_free(f, n);
	return waits;
}

static int
world_load(struct agent *a, struct world *w, char **errstr)
{
	char	**ids = NULL;
	size_t	  n = 0, i;
	int	  x;

	memset(w, 0, sizeof(*w));
	if (store_deadlines_open(a->st, &w->dl, &w->ndl, errstr) == -1 ||
	    store_outbox_pending(a->st, &w->ob, &w->nob, errstr) == -1 ||
	    store_fact_open_cases(a->st, "exception-pending", &ids, &n,
	    errstr) == -1) {
		strv_free(ids, n);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if ((x = exception_waits(a, ids[i], errstr)) == -1) {
			strv_free(ids, n);
			return -1;
		}
		if (x) {
			w->exc = xrealloc(w->exc, (w->nexc + 1) *
			    sizeof(*w->exc));
			w->exc[w->nexc++] = xstrdup(ids[i]);
		}
	}
	strv_free(ids, n);
	if (queue_list(a->cf->spool_directory, Q_QUARANTINE, &w->quar,
	    &w->nquar, errstr) == -1)
		return -1;
	return 0;
}

static void
world_free(struct world *w)
{
	store_deadlines_free(w->dl, w->ndl);
	store_outbox_free(w->ob, w->nob);
	strv_free(w->exc, w->nexc);
	queue_list_free(w->quar, w->nquar);
	memset(w, 0, sizeof(*w));
}

/* Does the person at addr (any of their member lines) play a part
 * ("R", "A", "RA") in the task? */
static int
plays(const struct raci *r, const char *addr, const char *task,
    const char *which)
{
	const struct raci_task	*t = raci_task(r, task);
	size_t			 i, k;

	if (t == NULL)
		return 0;
	for (i = 0; i < r->nmembers; i++) {
		if (strcasecmp(r->members[i].addr, addr) != 0)
			continue;
		if (strchr(which, 'A') &&
		    strcmp(r->members[i].role, t->a) == 0)
			return 1;
		for (k = 0; strchr(which, 'R') && k < t->nr; k++)
			if (strcmp(r->members[i].role, t->r[k]) == 0)
				return 1;
	}
	return 0;
}

/* t in zone tz: "YYYY-MM-DD HH:MM ZONE" into when, its date into day */
static void
local_time(const char *tz, long long t, char *when, size_t wlen, char *day,
    size_t dlen)
{
	struct tm	tm;

	tz_local(tz, (time_t)t, &tm);
	if (strftime(when, wlen, "%Y-%m-%d %H:%M %Z", &tm) == 0)
		when[0] = '\0';
	if (strftime(day, dlen, "%Y-%m-%d", &tm) == 0)
		day[0] = '\0';
}

/* "  SUBJECT" of the case, when its TLP allows mail about it to m (the
 * digest has no one case: outbox_queue() cannot hold it for review, so
 * a case the TLP keeps from m shows its ID only). */
static void
add_subject(struct agent *a, const char *case_id,
    const struct raci_member *m, struct buf *b)
{
	struct store_case	 c;
	char			*err = NULL;

	if (store_case_get(a->st, case_id, &c, &err) != 1) {
		free(err);
		return;
	}
	if (c.subject && policy_tlp_allows(a->pol, c.tlp, m->addr,
	    c.reporter))
		buf_printf(b, "  %s", c.subject);
	store_case_free(&c);
}

/* The member's lists. With content, each case line ends in the case's
 * subject; without, case IDs only. The lines hold no words of any
 * language (IDs, clock names, times): the template says what they
 * are. */
static void
build(struct agent *a, const struct world *w, const struct raci_member *m,
    long long now, const char *day, int content, struct lists *l)
{
	const struct raci	*r = policy_raci(a->pol);
	const struct raci_member *who[MAX_PEOPLE];
	const char		**seen;
	struct buf		*b;
	char			 due[64], dday[16];
	size_t			 i, k, n, nseen = 0;

	memset(l, 0, sizeof(*l));
	buf_init(&l->overdue);
	buf_init(&l->today);
	buf_init(&l->open);
	buf_init(&l->exc);
	buf_init(&l->review);
	buf_init(&l->quar);
	seen = xcalloc(w->ndl + 1, sizeof(*seen));
	for (i = 0; i < w->ndl; i++) {
		const struct store_deadline *d = &w->dl[i];
		int	paused = strcmp(d->state, "paused") == 0;

		/* the people an escalation of this clock to R and A reaches */
		n = deadline_people(r, d->clock, "RA", now, who, MAX_PEOPLE);
		for (k = 0; k < n && strcasecmp(who[k]->addr, m->addr); k++)
			;
		if (k == n)
			continue;
		for (k = 0; k < nseen && strcmp(seen[k], d->case_id); k++)
			;
		if (k == nseen)
			seen[nseen++] = d->case_id;
		local_time(m->tz, d->due_at, due, sizeof(due), dday,
		    sizeof(dday));
		if (!paused && d->due_at <= now) {
			b = &l->overdue;
			l->noverdue++;
		} else if (!paused && strcmp(dday, day) == 0) {
			b = &l->today;
			l->ntoday++;
		} else
			b = &l->open;
		buf_printf(b, "  %-18s %-16s %s%s", d->case_id, d->clock, due,
		    paused ? " [paused]" : "");
		if (content)
			add_subject(a, d->case_id, m, b);
		buf_putc(b, '\n');
	}
	l->ncases = (int)nseen;
	free(seen);
	/* the approvals wait for the A of the remediation task */
	if (plays(r, m->addr, "remediation", "A"))
		for (i = 0; i < w->nexc; i++) {
			buf_printf(&l->exc, "  %s", w->exc[i]);
			if (content)
				add_subject(a, w->exc[i], m, &l->exc);
			buf_putc(&l->exc, '\n');
			l->nexc++;
		}
	/* the review queue and the quarantine wait for the intake's R
	 * and A (who are told of each held reply) */
	if (plays(r, m->addr, "intake", "RA")) {
		for (i = 0; i < w->nob; i++) {
			if (strcmp(w->ob[i].state, "review") != 0)
				continue;
			buf_printf(&l->review, "  %-18s %-14s %s\n",
			    w->ob[i].case_id ? w->ob[i].case_id : "-",
			    w->ob[i].kind, w->ob[i].message_id);
			l->nreview++;
		}
		for (i = 0; i < w->nquar; i++) {
			buf_printf(&l->quar, "  %s\n", w->quar[i]);
			l->nquar++;
		}
	}
	{
		struct buf	*all[] = { &l->overdue, &l->today, &l->open,
				    &l->exc, &l->review, &l->quar };

		for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
			if (all[i]->len == 0)
				buf_puts(all[i], "  -\n");
	}
}

static void
lists_free(struct lists *l)
{
	buf_free(&l->overdue);
	buf_free(&l->today);
	buf_free(&l->open);
	buf_free(&l->exc);
	buf_free(&l->review);
	buf_free(&l->quar);
}

/* Queue one member's digest, record it; inside the caller's
 * transaction. 1 sent, -1 *errstr. */
static int
send_digest(struct agent *a, const struct world *w,
    const struct raci_member *m, long long now, const char *day,
    char **errstr)
{
	struct lists	 l;
	struct tvar	 v[16];
	char		 cnt[6][16], *mid = NULL, *why = NULL, *outer;
	size_t		 nv;
	int		 x, enc = 0, pass;

	outer = xasprintf("Digest %s", day);
	for (pass = m->pgp ? 0 : 1; pass < 2; pass++) {
		/* pass 0: with content, encrypted; 1: content-free */
		build(a, w, m, now, day, pass == 0, &l);
		snprintf(cnt[0], sizeof(cnt[0]), "%d", l.ncases);
		snprintf(cnt[1], sizeof(cnt[1]), "%d", l.noverdue);
		snprintf(cnt[2], sizeof(cnt[2]), "%d", l.ntoday);
		snprintf(cnt[3], sizeof(cnt[3]), "%d", l.nexc);
		snprintf(cnt[4], sizeof(cnt[4]), "%d", l.nreview);
		snprintf(cnt[5], sizeof(cnt[5]), "%d", l.nquar);
		nv = 0;
#define V(n, val)	do { v[nv].name = (n); v[nv].value = (val); nv++; } \
			    while (0)
		V("digest_date", day);
		V("digest_cases", cnt[0]);
		V("digest_overdue_count", cnt[1]);
		V("digest_today_count", cnt[2]);
		V("digest_exceptions_count", cnt[3]);
		V("digest_review_count", cnt[4]);
		V("digest_quarantine_count", cnt[5]);
		V("digest_overdue", l.overdue.s);
		V("digest_today", l.today.s);
		V("digest_open", l.open.s);
		V("digest_exceptions", l.exc.s);
		V("digest_review", l.review.s);
		V("digest_quarantine", l.quar.s);
#undef V
		x = notice_mail(a, NULL, "digest", "digest", NULL, v, nv, m,
		    pass == 0, outer, &mid, pass == 0 ? &why : NULL, errstr);
		if (x == 1) {
			enc = pass == 0;
			if (store_event_addf(a->st, NULL, "digest-sent",
			    "agent", errstr, "digest of %s to "
			    "%s <%s>, %s: %d cases, %d overdue, %d due today, "
			    "%d exceptions, %d held for review, %d quarantined",
			    day, m->name, m->addr, enc ? "encrypted" :
			    "without case content", l.ncases, l.noverdue,
			    l.ntoday, l.nexc, l.nreview, l.nquar) == -1)
				x = -1;
		}
		lists_free(&l);
		if (x != 0)
			break;
	}
	free(outer);
	if (x == -1 || store_digest_add(a->st, m->addr, day, KIND_DIGEST, mid,
	    now, errstr) == -1) {
		free(mid);
		free(why);
		return -1;
	}
	log_info("digest of %s to %s%s", day, m->addr, enc ? ", encrypted" :
	    "");
	free(mid);
	/* a key that did not encrypt: the coordinator is told */
	if (why) {
		x = tell_coordinator(a, m, day, why, now, errstr);
		free(why);
		if (x == -1)
			return -1;
	}
	return 1;
}

/* The A of the intake task (the coordinator) told that m's key did not
 * encrypt, each once for m and day. 0, or -1. */
static int
tell_coordinator(struct agent *a, const struct raci_member *m,
    const char *day, const char *why, long long now, char **errstr)
{
	const struct raci	*r = policy_raci(a->pol);
	const struct raci_task	*t = raci_task(r, "intake");
	struct tvar		 v[4];
	char			*kind, *mid;
	size_t			 i, k;
	int			 x;

	if (t == NULL)
		return 0;
	kind = xasprintf("key %s", m->addr);
	v[0].name = "member_name";
	v[0].value = m->name;
	v[1].name = "member_address";
	v[1].value = m->addr;
	v[2].name = "member_fingerprint";
	v[2].value = m->pgp;
	v[3].name = "reason";
	v[3].value = why;
	for (i = 0; i < r->nmembers; i++) {
		const struct raci_member *co = &r->members[i];

		if (strcmp(co->role, t->a) != 0)
			continue;
		for (k = 0; k < i && strcasecmp(r->members[k].addr,
		    co->addr); k++)
			;
		if (k < i && strcmp(r->members[k].role, t->a) == 0)
			continue;	/* listed twice in the role */
		if ((x = store_digest_sent(a->st, co->addr, day, kind,
		    errstr)) == 1)
			continue;
		/* no case content in it: in clear */
		if (x == -1 || notice_mail(a, NULL, "digest-key", "digest-key",
		    NULL, v, 4, co, 0, NULL, &mid, NULL, errstr) != 1)
			goto fail;
		x = store_digest_add(a->st, co->addr, day, kind, mid, now,
		    errstr);
		free(mid);
		if (x == -1 || store_event_addf(a->st, NULL,
		    "digest-key-unusable", "agent", errstr,
		    "the digest of %s to %s <%s> could not be encrypted to "
		    "key %s (%s): sent without case content; %s <%s> told",
		    day, m->name, m->addr, m->pgp, why, co->name,
		    co->addr) == -1)
			goto fail;
	}
	free(kind);
	return 0;
fail:
	free(kind);
	return -1;
}

int
digest_tick(struct agent *a, long long now, char **errstr)
{
	const struct clocks	*ck = policy_clocks(a->pol);
	const struct raci	*r = policy_raci(a->pol);
	const struct raci_member *m;
	struct world		 w;
	struct tm		 tm;
	char			 day[16];
	size_t			 i, k;
	int			 loaded = 0, sent = 0, off, x;

	if (ck->digest_min < 0)
		return 0;
	for (i = 0; i < r->nmembers; i++) {
		m = &r->members[i];
		/* a person in several roles: one digest, by their first
		 * member line (its key and zone); off if any says so */
		for (k = 0; k < i && strcasecmp(r->members[k].addr, m->addr);
		    k++)
			;
		if (k < i)
			continue;
		for (k = i, off = 0; k < r->nmembers; k++)
			off |= strcasecmp(r->members[k].addr, m->addr) == 0 &&
			    !r->members[k].digest;
		if (off)
			continue;
		tz_local(m->tz, (time_t)now, &tm);
		if (!(ck->digest_days & (1 << tm.tm_wday)) ||
		    tm.tm_hour * 60 + tm.tm_min < ck->digest_min)
			continue;
		strftime(day, sizeof(day), "%Y-%m-%d", &tm);
		if ((x = store_digest_sent(a->st, m->addr, day, KIND_DIGEST,
		    errstr)) == -1)
			goto fail;
		if (x == 1)
			continue;
		if (!loaded) {
			if (world_load(a, &w, errstr) == -1) {
				world_free(&w);
				goto fail_tz;
			}
			loaded = 1;
		}
		if (store_begin(a->st, errstr) == -1)
			goto fail;
		/* again inside the transaction: a parallel tick may have
		 * sent it */
		if ((x = store_digest_sent(a->st, m->addr, day, KIND_DIGEST,
		    errstr)) == 0)
			x = send_digest(a, &w, m, now, day, errstr);
		else if (x == 1)
			x = 0;
		if (x == -1) {
			store_rollback(a->st);
			goto fail;
		}
		if (store_commit(a->st, errstr) == -1) {
			store_rollback(a->st);
			goto fail;
		}
		sent += x;
	}
	if (loaded)
		world_free(&w);
	tz_reset();
	return sent;
fail:
	if (loaded)
		world_free(&w);
fail_tz:
	tz_reset();
	return -1;
}
