/*
 * deadline.c: case clocks and escalation ladders against time. See
 * deadline.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent/agent.h"
#include "out/calendar.h"
#include "agent/config.h"
#include "out/timers.h"
#include "util/log.h"
#include "out/notice.h"
#include "util/buf.h"
#include "util/xmalloc.h"
#include "parsers/triage.h"
#include "policies/clocks.h"
#include "policies/policy.h"
#include "policies/raci.h"
#include "policies/template.h"
#include "spool/store.h"
#include "spool/store_case.h"
#include "spool/store_clock.h"

#define MAX_RCPT	64
#define TICK_BATCH	100	/* clocks per transaction */

/* The statuses that end each clock. */
static const char *const done_in[CLK_MAX] = {
	[CLK_TRIAGE] = ",triaged,confirmed,fixing,fix-scheduled,fixed,"
	    "disclosed,closed,rejected,duplicate,merged,contained,recovered,",
	[CLK_FIX] = ",fixed,disclosed,closed,rejected,duplicate,merged,",
	[CLK_DISCLOSURE] = ",disclosed,closed,rejected,duplicate,merged,",
	[CLK_INCIDENT] = ",contained,recovered,closed,rejected,duplicate,"
	    "merged,",
	[CLK_REASSESS] = ",contained,recovered,closed,rejected,duplicate,"
	    "merged,",
	[CLK_IMPROVE_MID] = ",rejected,duplicate,merged,",
	[CLK_IMPROVE_LONG] = ",rejected,duplicate,merged,",
};

/* What must happen next, per clock, for the mail. */
static const char *const next_text[CLK_MAX] = {
	"triage the report: validate it and set its severity",
	"fix and test it (set status fixed when done)",
	"publish the advisory, or agree an embargo with the reporter",
	"contain the incident or recover from it",
	"re-assess the incident level (the recovery limit was missed)",
	"complete the mid-term improvements",
	"complete the long-term improvements",
};

struct rcpt {
	const struct raci_member *m;
	const struct raci_role	 *role;
};

static int	 is_done(int, const char *);
static long long t_add(const struct clocks *, int, long long, long long);
static long long t_between(const struct clocks *, int, long long,
		    long long);
static long long step_at(const struct clocks *, const struct store_deadline *,
		    const struct ladder_step *);
static void	 plan(const struct clocks *, int, struct store_deadline *);
static int	 want(const struct clocks *, const struct store_case *, int,
		    long long, struct clock_def *, long long *);
static size_t	 recipients(const struct raci *, int, const struct ladder_step *,
		    long long, struct rcpt *);
static int	 quiet(const struct clocks *, const char *, long long,
		    long long *);
static int	 send_step(struct agent *, const struct store_case *,
		    const struct store_deadline *, int,
		    const struct ladder_step *, const struct rcpt *, long long,
		    char **);
static char	*names_of(const struct raci *, int, int);
static void	 fmt_time(const char *, long long, char *, size_t);

static int
is_done(int id, const char *status)
{
	char	key[40];

	if (status == NULL || strlen(status) > 30)
		return 0;
	snprintf(key, sizeof(key), ",%s,", status);
	return strstr(done_in[id], key) != NULL;
}

static long long
t_add(const struct clocks *ck, int business, long long from, long long secs)
{
	if (secs < 0)
		secs = 0;
	return business ? (long long)cal_add(&ck->cal, (time_t)from, secs) :
	    from + secs;
}

static long long
t_between(const struct clocks *ck, int business, long long a, long long b)
{
	if (b <= a)
		return 0;
	return business ? cal_between(&ck->cal, (time_t)a, (time_t)b) : b - a;
}

/* When a step of the ladder falls due. */
static long long
step_at(const struct clocks *ck, const struct store_deadline *d,
    const struct ladder_step *s)
{
	long long	x = d->duration * s->pct / 100 - d->used;

	return x <= 0 ? d->since : t_add(ck, d->business, d->since, x);
}

/* due_at, and next_at: the next step, or the due time if not yet
 * passed; nothing for a clock that does not run. */
static void
plan(const struct clocks *ck, int id, struct store_deadline *d)
{
	long long	next = 0;

	/* past due already (time used before a pause): it stays past */
	d->due_at = d->used >= d->duration ? d->since - (d->used -
	    d->duration) : t_add(ck, d->business, d->since, d->duration -
	    d->used);
	if (strcmp(d->state, "running") != 0) {
		d->next_at = 0;
		return;
	}
	if ((size_t)d->step < ck->nsteps[id])
		next = step_at(ck, d, &ck->steps[id][d->step]);
	if (d->missed_at == 0 && (next == 0 || d->due_at < next))
		next = d->due_at;
	d->next_at = next;
}

/* Does the case have this clock now, how long, from when? */
static int
want(const struct clocks *ck, const struct store_case *c, int id,
    long long now, struct clock_def *def, long long *start)
{
	static const char *const sev[] = { "critical", "high", "medium",
	    "low" };
	int	incident = c->kind && strcmp(c->kind, "incident") == 0;
	size_t	i;

	*start = c->created_at;
	switch (id) {
	case CLK_TRIAGE:	/* of a vulnerability report */
		if (incident)
			return 0;
		*def = ck->triage;
		return 1;
	case CLK_FIX:
		if (incident || c->severity == NULL)
			return 0;
		for (i = 0; i < 4 && strcmp(c->severity, sev[i]); i++)
			;
		if (i == 4)
			return 0;
		*def = ck->fix[i];
		return 1;
	case CLK_DISCLOSURE:
		if (incident)
			return 0;
		*def = ck->disclosure;
		if (c->embargo > c->created_at) {
			def->secs = c->embargo - c->created_at;
			def->business = 0;
		}
		return 1;
	case CLK_INCIDENT:
		if (!incident)
			return 0;
		*def = ck->incident[c->level >= 1 && c->level <= 4 ?
		    c->level : 0];
		return 1;
	case CLK_IMPROVE_MID:
	case CLK_IMPROVE_LONG:
		if (!incident || c->status == NULL ||
		    (strcmp(c->status, "recovered") &&
		    strcmp(c->status, "closed")))
			return 0;
		*def = id == CLK_IMPROVE_MID ? ck->improve_mid :
		    ck->improve_long;
		*start = now;
		return 1;
	default:
		return 0;	/* re-assessment: started by a missed clock */
	}
}


static void
fmt_time(const char *tz, long long t, char *buf, size_t len)
{
	struct tm	tm;

	tz_local(tz, (time_t)t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M %Z", &tm);
}

const char *
deadline_next(const char *clock)
{
	int	id = clock_by_name(clock);

	return id < 0 || id >= CLK_MAX ? NULL : next_text[id];
}

void
deadline_span(long long s, char *buf, size_t len)
{
	long long	d, h, m;

	if (s < 0)
		s = -s;
	d = s / 86400;
	h = s % 86400 / 3600;
	m = s % 3600 / 60;
	if (d)
		snprintf(buf, len, "%lld day%s %lld hour%s", d, d == 1 ? "" :
		    "s", h, h == 1 ? "" : "s");
	else if (h)
		snprintf(buf, len, "%lld hour%s %lld minute%s", h, h == 1 ?
		    "" : "s", m, m == 1 ? "" : "s");
	else
		snprintf(buf, len, "%lld minute%s", m, m == 1 ? "" : "s");
}

int
deadline_update(struct agent *a, const char *case_id, long long now,
    const char *actor, char **errstr)
{
	const struct clocks	*ck = policy_clocks(a->pol);
	struct store_case	 c;
	struct store_deadline	 d;
	struct clock_def	 def;
	char			 due[64], span[64];
	long long		 start;
	int			 id, r, w, paused, rv = -1;

	if ((r = store_case_get(a->st, case_id, &c, errstr)) != 1)
		return r == 0 ? 0 : -1;
	paused = c.paused != NULL || clocks_paused_in(ck, c.status);
	for (id = 0; id < CLK_MAX; id++) {
		if ((r = store_deadline_get(a->st, c.id, clock_name(id), &d,
		    errstr)) == -1)
			goto out;
		w = want(ck, &c, id, now, &def, &start);
		if (r == 0) {
			if (!w || is_done(id, c.status)) {
				store_deadline_free(&d);
				continue;
			}
			d.case_id = xstrdup(c.id);
			d.clock = xstrdup(clock_name(id));
			d.state = xstrdup(paused ? "paused" : "running");
			d.business = def.business;
			d.duration = def.secs;
			d.since = d.started_at = start;
			if (paused) {	/* opened while on hold */
				d.used = t_between(ck, d.business, start, now);
				d.since = now;
			}
			plan(ck, id, &d);
			fmt_time(ck->cal.tz, d.due_at, due, sizeof(due));
			if (store_deadline_put(a->st, &d, errstr) == -1 ||
			    store_event_addf(a->st, c.id, "deadline-set", actor,
			    errstr, "%s deadline: due %s%s", d.clock, due, paused ?
			    " (held while paused)" : "") == -1) {
				store_deadline_free(&d);
				goto out;
			}
			store_deadline_free(&d);
			continue;
		}
		if (strcmp(d.state, "met") == 0) {
			store_deadline_free(&d);
			continue;
		}
		if (is_done(id, c.status)) {
			if (strcmp(d.state, "running") == 0)
				plan(ck, id, &d);
			free(d.state);
			d.state = xstrdup("met");
			d.ended_at = now;
			d.next_at = 0;
			deadline_span(now - d.due_at, span, sizeof(span));
			if (store_deadline_put(a->st, &d, errstr) == -1 ||
			    store_event_addf(a->st, c.id, "deadline-met", actor,
			    errstr, "%s deadline met (status %s), %s %s", d.clock,
			    c.status, now <= d.due_at ? "with" : "late by",
			    now <= d.due_at ? "time to spare" : span) == -1) {
				store_deadline_free(&d);
				goto out;
			}
			store_deadline_free(&d);
			continue;
		}
		r = 0;
		if (w && def.secs != d.duration) {
			d.duration = def.secs;
			d.business = def.business;
			r = 1;
		}
		if (paused && strcmp(d.state, "running") == 0) {
			d.used += t_between(ck, d.business, d.since, now);
			d.since = now;
			free(d.state);
			d.state = xstrdup("paused");
			r = 2;
		} else if (!paused && strcmp(d.state, "paused") == 0) {
			d.since = now;
			free(d.state);
			d.state = xstrdup("running");
			r = 3;
		}
		if (r) {
			plan(ck, id, &d);
			fmt_time(ck->cal.tz, d.due_at, due, sizeof(due));
			if (store_deadline_put(a->st, &d, errstr) == -1 ||
			    store_event_addf(a->st, c.id, r == 1 ?
			    "deadline-changed" : r == 2 ? "deadline-paused" :
			    "deadline-resumed", actor, errstr,
			    r == 2 ? "%s deadline held (%s)" : "%s deadline: "
			    "due %s", d.clock, r == 2 ? (c.paused ? c.paused :
			    c.status) : due) == -1) {
				store_deadline_free(&d);
				goto out;
			}
		}
		store_deadline_free(&d);
	}
	rv = 0;
out:
	store_case_free(&c);
	tz_reset();
	return rv;
}

int
deadline_reopen(struct agent *a, const char *case_id, const char *from,
    long long now, const char *actor, char **errstr)
{
	const struct clocks	*ck = policy_clocks(a->pol);
	struct store_case	 c;
	struct store_deadline	 d;
	struct clock_def	 def;
	char			 due[64];
	long long		 start;
	int			 id, r, rv = -1;

	if ((r = store_case_get(a->st, case_id, &c, errstr)) != 1)
		return r == 0 ? 0 : -1;
	for (id = 0; id < CLK_MAX; id++) {
		if (!ck->reopen[id] || !want(ck, &c, id, now, &def, &start))
			continue;
		if ((r = store_deadline_get(a->st, c.id, clock_name(id), &d,
		    errstr)) == -1)
			goto out;
		/* one it never had is set from the case by
		 * deadline_update(); one still running keeps its time */
		if (r == 0 || strcmp(d.state, "met") != 0) {
			store_deadline_free(&d);
			continue;
		}
		free(d.state);
		d.state = xstrdup("running");
		d.business = def.business;
		d.duration = def.secs;
		d.used = 0;
		d.since = d.started_at = now;
		d.ended_at = d.missed_at = 0;
		d.step = 0;
		plan(ck, id, &d);
		fmt_time(ck->cal.tz, d.due_at, due, sizeof(due));
		if (store_deadline_put(a->st, &d, errstr) == -1 ||
		    store_escalations_clear(a->st, c.id, d.clock,
		    errstr) == -1 || store_event_addf(a->st, c.id,
		    "deadline-restarted", actor, errstr, "%s deadline "
		    "restarted (reopened from %s): due %s", d.clock, from,
		    due) == -1) {
			store_deadline_free(&d);
			goto out;
		}
		store_deadline_free(&d);
	}
	rv = 0;
out:
	store_case_free(&c);
	tz_reset();
	return rv;
}

/* The members a step goes to: R, A, C, I of the clock's task, or
 * roles; a rotating role gives its member of the day or week. */
static size_t
recipients(const struct raci *r, int id, const struct ladder_step *s,
    long long now, struct rcpt *out)
{
	const struct raci_task	*t = raci_task(r, clock_task(id));
	const struct raci_role	*ro;
	char *const		*roles;
	char			*one;
	size_t			 n = 0, i, k, m, nroles, cnt, pick;

	for (i = 0; i < s->nwho; i++) {
		one = s->who[i];
		roles = &one;
		nroles = 1;
		if (strlen(one) == 1 && strchr("RACI", one[0])) {
			if (t == NULL)
				continue;
			switch (one[0]) {
			case 'R': roles = t->r; nroles = t->nr; break;
			case 'A': roles = &t->a; nroles = 1; break;
			case 'C': roles = t->c; nroles = t->nc; break;
			default:  roles = t->i; nroles = t->ni; break;
			}
		}
		for (k = 0; k < nroles; k++) {
			if ((ro = raci_role(r, roles[k])) == NULL)
				continue;
			for (m = cnt = 0; m < r->nmembers; m++)
				cnt += strcmp(r->members[m].role, ro->id) == 0;
			pick = ro->rotation && cnt ? (size_t)(now / 86400 /
			    ro->rotation) % cnt : 0;
			for (m = 0; m < r->nmembers && n < MAX_RCPT; m++) {
				const struct raci_member *me = &r->members[m];
				size_t	 q;

				if (strcmp(me->role, ro->id) != 0)
					continue;
				if (ro->rotation && pick--)
					continue;
				for (q = 0; q < n; q++)
					if (strcasecmp(out[q].m->addr,
					    me->addr) == 0)
						break;
				if (q == n) {
					out[n].m = me;
					out[n++].role = ro;
				}
				if (ro->rotation)
					break;
			}
		}
	}
	return n;
}

size_t
deadline_people(const struct raci *r, const char *clock, const char *which,
    long long now, const struct raci_member **out, size_t max)
{
	struct ladder_step	 s;
	struct rcpt		 rc[MAX_RCPT];
	char			 one[MAX_RCPT][2];
	size_t			 i, n;
	int			 id;

	if ((id = clock_by_name(clock)) == -1)
		return 0;
	memset(&s, 0, sizeof(s));
	for (i = 0; which[i] && s.nwho < sizeof(s.who) / sizeof(s.who[0]);
	    i++) {
		one[i][0] = which[i];
		one[i][1] = '\0';
		s.who[s.nwho++] = one[i];
	}
	n = recipients(r, id, &s, now, rc);
	for (i = 0; i < n && i < max; i++)
		out[i] = rc[i].m;
	return i;
}

/* Is it quiet hours for someone in tz at now? Then *until is when they
 * end. */
static int
quiet(const struct clocks *ck, const char *tz, long long now, long long *until)
{
	struct tm	tm;
	int		min, q;

	if (ck->quiet_start == ck->quiet_end)
		return 0;
	tz_local(tz, (time_t)now, &tm);
	min = tm.tm_hour * 60 + tm.tm_min;
	q = ck->quiet_start > ck->quiet_end ?
	    (min >= ck->quiet_start || min < ck->quiet_end) :
	    (min >= ck->quiet_start && min < ck->quiet_end);
	if (!q)
		return 0;
	if (min >= ck->quiet_end && ck->quiet_start > ck->quiet_end)
		tm.tm_mday++;		/* the evening: until tomorrow */
	tm.tm_hour = ck->quiet_end / 60;
	tm.tm_min = ck->quiet_end % 60;
	tm.tm_sec = 0;
	*until = (long long)tz_mktime(tz, &tm);
	return 1;
}

/* "Name, Name" of the members of a task's R (which 0) or A (1). */
static char *
names_of(const struct raci *r, int id, int which)
{
	const struct raci_task	*t = raci_task(r, clock_task(id));
	struct buf		 b;
	size_t			 i, k;

	buf_init(&b);
	for (i = 0; t && i < (which ? 1 : t->nr); i++)
		for (k = 0; k < r->nmembers; k++)
			if (strcmp(r->members[k].role, which ? t->a :
			    t->r[i]) == 0)
				buf_printf(&b, "%s%s", b.len ? ", " : "",
				    r->members[k].name);
	if (b.len == 0)
		buf_puts(&b, "(nobody in the policy)");
	return buf_release(&b);
}

static int
send_step(struct agent *a, const struct store_case *c,
    const struct store_deadline *d, int k, const struct ladder_step *s,
    const struct rcpt *rc, long long now, char **errstr)
{
	const struct raci	*r = policy_raci(a->pol);
	const struct raci_task	*t;
	struct tvar		 v[16];
	char			 due[64], late[96], span[64], pct[16], lvl[8];
	char			*resp, *acc, *outer, *mid = NULL;
	const char		*step, *role;
	size_t			 nv = 0, i;
	int			 rv, id, inrole = 0, zh, enc;
	long long		 used;

	id = clock_by_name(d->clock);
	t = raci_task(r, clock_task(id));
	for (i = 0; t && i < t->nr + 1; i++)
		if (strcmp(i < t->nr ? t->r[i] : t->a, rc->role->id) == 0)
			inrole = 1;
	zh = c->lang && strcmp(c->lang, "zh-TW") == 0;
	step = s->pct < 100 ? (zh ? "提醒" : "reminder") : s->pct == 100 ?
	    (zh ? "到期通知" : "deadline notice") : (zh ? "逾期升級" :
	    "escalation");
	fmt_time(rc->m->tz, d->due_at, due, sizeof(due));
	deadline_span(now - d->due_at, span, sizeof(span));
	snprintf(late, sizeof(late), "%s %s", now < d->due_at ? "due in" :
	    "late by", span);
	used = d->used + t_between(policy_clocks(a->pol), d->business,
	    d->since, now);
	snprintf(pct, sizeof(pct), "%lld", d->duration ? used * 100 /
	    d->duration : 100);
	snprintf(lvl, sizeof(lvl), "%d", c->level);
	resp = names_of(r, id, 0);
	acc = names_of(r, id, 1);
	role = zh && rc->role->name_zh ? rc->role->name_zh : rc->role->name;
#define V(n, val)	do { v[nv].name = (n); v[nv].value = (val); nv++; } \
			    while (0)
	V("kind", c->kind);
	V("clock", d->clock);
	V("step", step);
	V("due", due);
	V("late", late);
	V("percent", pct);
	V("severity", c->severity ? c->severity : "(not set)");
	V("level", lvl);
	V("role", role);
	V("responsible", resp);
	V("accountable", acc);
	V("next_step", next_text[id]);
#undef V
	/* TLP:RED content only to the task's R and A */
	outer = xasprintf("[%s] %s", c->id, step);
	if ((rv = notice_member(a, c, "escalation", "escalation", v, nv,
	    rc->m, inrole, outer, &mid, &enc, errstr)) == 1 &&
	    (store_escalation_add(a->st, c->id, d->clock, k, rc->m->addr, mid,
	    now, errstr) == -1 || store_event_addf(a->st, c->id,
	    "escalation-sent", "agent", errstr, "%s (%d%%) of the %s "
	    "deadline to %s <%s> as %s%s", step, s->pct, d->clock, rc->m->name, rc->m->addr, rc->role->id, enc ?
	    ", encrypted" : "") == -1))
		rv = -1;
	if (rv == 1)
		log_info("%s for the %s deadline to %s", step, d->clock,
		    rc->m->addr);
	free(outer);
	free(mid);
	free(resp);
	free(acc);
	return rv;
}

int
deadline_tick(struct agent *a, long long now, char **errstr)
{
	const struct clocks	*ck = policy_clocks(a->pol);
	const struct raci	*r = policy_raci(a->pol);
	struct store_deadline	*v, d, re;
	struct store_case	 c;
	struct rcpt		 rc[MAX_RCPT];
	size_t			 n, i, nr, q;
	long long		 hold, until;
	const char		*mailed[MAX_RCPT];
	int			 id, k, top, sent = 0, x, fail, first, nm;
	int			 in_tx = 0, nb = 0;
	struct timespec		 t0, t1;
	const struct ladder_step *s;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (store_deadlines_due(a->st, now, &v, &n, errstr) == -1)
		return -1;
	/* transactions of up to TICK_BATCH clocks: each step is recorded
	 * with its mail, and a batch commits (one fsync) as a whole */
	for (i = 0; i < n; i++) {
		if ((id = clock_by_name(v[i].clock)) == -1)
			continue;
		if (!in_tx) {
			if (store_begin(a->st, errstr) == -1)
				goto fail;
			in_tx = 1;
			nb = 0;
		}
		fail = 0;
		/* again inside the transaction: a parallel tick may have
		 * done it */
		if ((x = store_deadline_get(a->st, v[i].case_id, v[i].clock,
		    &d, errstr)) != 1 || strcmp(d.state, "running") != 0 ||
		    d.next_at == 0 || d.next_at > now) {
			store_deadline_free(&d);
			if (x == -1)
				goto fail;
			continue;
		}
		if (store_case_get(a->st, d.case_id, &c, errstr) != 1) {
			store_deadline_free(&d);
			goto fail;
		}
		log_set_id(c.id);
		/* every step that is due, latest first: one mail per
		 * person and clock in a tick (a tick after a long gap does
		 * not send the missed reminders too; they are recorded as
		 * superseded); one held back for someone's quiet hours does
		 * not hold back the others */
		hold = 0;
		first = -1;
		nm = 0;
		for (top = d.step; (size_t)top < ck->nsteps[id] &&
		    step_at(ck, &d, &ck->steps[id][top]) <= now; top++)
			;
		for (k = top - 1; k >= d.step && !fail; k--) {
			s = &ck->steps[id][k];
			nr = recipients(r, id, s, now, rc);
			for (q = 0; q < nr && !fail; q++) {
				if ((x = store_escalation_sent(a->st, c.id,
				    d.clock, k, rc[q].m->addr, errstr)) == 1)
					continue;
				if (x == -1) {
					fail = 1;
					break;
				}
				for (x = 0; x < nm; x++)
					if (strcasecmp(mailed[x],
					    rc[q].m->addr) == 0)
						break;
				if (x < nm) {	/* a later step reached them */
					if (store_escalation_add(a->st, c.id,
					    d.clock, k, rc[q].m->addr, NULL,
					    now, errstr) == -1)
						fail = 1;
					continue;
				}
				if (!s->urgent && quiet(ck, rc[q].m->tz, now,
				    &until)) {
					if (hold == 0 || until < hold)
						hold = until;
					first = k;
					continue;
				}
				if ((x = send_step(a, &c, &d, k, s, &rc[q], now,
				    errstr)) == -1)
					fail = 1;
				sent += x;
				if (nm < MAX_RCPT)
					mailed[nm++] = rc[q].m->addr;
			}
		}
		k = top;
		d.step = first != -1 ? first : k;
		if (!fail && now >= d.due_at && d.missed_at == 0) {
			char	span[64];

			char	due[64];

			d.missed_at = now;
			deadline_span(now - d.due_at, span, sizeof(span));
			fmt_time(ck->cal.tz, d.due_at, due, sizeof(due));
			if (store_event_addf(a->st, c.id, "deadline-missed",
			    "agent", errstr, "%s deadline missed (due %s, late by %s)",
			    d.clock, due, span) == -1)
				fail = 1;
			/* an incident past its limit: re-assess within the
			 * hour */
			if (!fail && id == CLK_INCIDENT) {
				memset(&re, 0, sizeof(re));
				re.case_id = c.id;
				re.clock = (char *)clock_name(CLK_REASSESS);
				re.state = "running";
				re.duration = ck->reassess.secs;
				re.business = 0;
				re.since = re.started_at = now;
				plan(ck, CLK_REASSESS, &re);
				if (store_deadline_put(a->st, &re, errstr) ==
				    -1 || store_event_addf(a->st, c.id,
				    "deadline-set", "agent", errstr, "reassessment deadline: "
				    "within %lld minutes", re.duration / 60) ==
				    -1)
					fail = 1;
			}
		}
		if (!fail) {
			plan(ck, id, &d);
			if (hold && (d.next_at == 0 || d.next_at <= now ||
			    hold < d.next_at))
				d.next_at = hold;
		}
		if (fail || store_deadline_put(a->st, &d, errstr) == -1) {
			store_deadline_free(&d);
			store_case_free(&c);
			goto fail;
		}
		store_deadline_free(&d);
		store_case_free(&c);
		log_set_id(NULL);
		if (++nb == TICK_BATCH) {
			in_tx = 0;
			if (store_commit(a->st, errstr) == -1)
				goto fail;
		}
	}
	if (in_tx && store_commit(a->st, errstr) == -1)
		goto fail;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (n)
		log_info("tick: %zu clocks due, %d escalations queued in %lld "
		    "ms", n, sent, (long long)(t1.tv_sec - t0.tv_sec) * 1000 +
		    (t1.tv_nsec - t0.tv_nsec) / 1000000);
	store_deadlines_free(v, n);
	tz_reset();
	return sent;
fail:
	/* nothing of the batch is kept: the next tick does it again */
	if (in_tx)
		store_rollback(a->st);
	log_set_id(NULL);
	store_deadlines_free(v, n);
	tz_reset();
	return -1;
}

