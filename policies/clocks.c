/*
 * clocks.c: deadlines, escalation ladders and the business calendar of
 * psirt-policy(5). See clocks.h.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/buf.h"
#include "util/nearest.h"
#include "util/xmalloc.h"
#include "policies/clocks.h"
#include "policies/raci.h"

static const char *const clock_names[CLK_MAX] = {
	"triage", "fix", "disclosure", "incident", "reassessment",
	"improvement-mid", "improvement-long",
};
static const char *const clock_tasks[CLK_MAX] = {
	"triage", "remediation", "disclosure", "incident-response",
	"re-assessment", "improvement-tracking", "improvement-tracking",
};
static const char *const sev4[] = { "critical", "high", "medium", "low" };
static const char *const wdays[] = { "sun", "mon", "tue", "wed", "thu",
	"fri", "sat" };

static int	 hhmm(const char *, int *);
static int	 span(const char *, int *, int *);
static int	 weekday(const char *, size_t);
static int	 parse_days(const char *, int *);
static int	 parse_date(const char *, int *);
static int	 duration(const char *, const char *, struct clock_def *,
		    char **);
static void	 add_holiday(struct calendar *, int);
static int	 by_int(const void *, const void *);
static int	 read_holidays(struct clocks *, const char *, const char *,
		    struct buf *, char **);
static void	 step_free(struct ladder_step *);
static int	 by_pct(const void *, const void *);

static int
by_pct(const void *a, const void *b)
{
	const struct ladder_step *x = a, *y = b;

	return x->pct < y->pct ? -1 : x->pct > y->pct;
}

const char *
clock_name(enum clock_id c)
{
	return (size_t)c < CLK_MAX ? clock_names[c] : "?";
}

int
clock_by_name(const char *s)
{
	int	i;

	for (i = 0; i < CLK_MAX; i++)
		if (strcmp(s, clock_names[i]) == 0)
			return i;
	return -1;
}

const char *
clock_task(enum clock_id c)
{
	return (size_t)c < CLK_MAX ? clock_tasks[c] : "triage";
}

struct clocks *
clocks_new(void)
{
	struct clocks	*c = xcalloc(1, sizeof(*c));
	size_t		 i;

	snprintf(c->cal.tz, sizeof(c->cal.tz), "%s", RACI_DEFAULT_TZ);
	c->cal.start_min = 9 * 60;
	c->cal.end_min = 18 * 60;
	c->cal.days = 0x3e;			/* Monday to Friday */
	/* the guideline's defaults */
	c->triage = (struct clock_def){ 0, 1, 3 };
	c->fix[0] = c->fix[1] = (struct clock_def){ 7 * 86400, 0, 0 };
	c->fix[2] = (struct clock_def){ 30 * 86400, 0, 0 };
	c->fix[3] = (struct clock_def){ 90 * 86400, 0, 0 };
	c->disclosure = (struct clock_def){ 90 * 86400, 0, 0 };
	c->incident[0] = c->incident[3] = c->incident[4] =
	    (struct clock_def){ 36 * 3600, 0, 0 };
	c->incident[1] = c->incident[2] =
	    (struct clock_def){ 72 * 3600, 0, 0 };
	c->reassess = (struct clock_def){ 3600, 0, 0 };
	c->improve_mid = (struct clock_def){ 180 * 86400LL, 0, 0 };
	c->improve_long = (struct clock_def){ 730 * 86400LL, 0, 0 };
	c->pause_in[c->npause++] = xstrdup("waiting-reporter");
	c->pause_in[c->npause++] = xstrdup("waiting-vendor");
	/* a reopened vulnerability is triaged and fixed again; a
	 * reopened incident recovers again */
	c->reopen[CLK_TRIAGE] = c->reopen[CLK_FIX] = 1;
	c->reopen[CLK_INCIDENT] = 1;
	c->digest_min = -1;			/* no digest unless asked */
	c->digest_days = 0x3e;
	c->quiet_start = 20 * 60;
	c->quiet_end = 8 * 60;
	for (i = 0; i < CLK_MAX; i++)
		c->nsteps[i] = 0;
	return c;
}

static void
step_free(struct ladder_step *s)
{
	size_t	i;

	for (i = 0; i < s->nwho; i++)
		free(s->who[i]);
	free(s->where);
}

void
clocks_free(struct clocks **cp)
{
	struct clocks	*c = *cp;
	size_t		 i, k;

	if (c == NULL)
		return;
	free(c->cal.holidays);
	for (i = 0; i < c->npause; i++)
		free(c->pause_in[i]);
	for (i = 0; i < CLK_MAX; i++) {
		for (k = 0; k < c->nsteps[i]; k++)
			step_free(&c->steps[i][k]);
		free(c->steps[i]);
	}
	free(c);
	*cp = NULL;
}

/* "HH:MM" -> minutes */
static int
hhmm(const char *s, int *out)
{
	int	h, m;
	char	c;

	if (sscanf(s, "%2d:%2d%c", &h, &m, &c) != 2 || h < 0 || h > 24 ||
	    m < 0 || m > 59 || (h == 24 && m) || strlen(s) != 5)
		return -1;
	*out = h * 60 + m;
	return 0;
}

/* "HH:MM-HH:MM" */
static int
span(const char *s, int *a, int *b)
{
	char	x[6];

	if (strlen(s) != 11 || s[5] != '-')
		return -1;
	memcpy(x, s, 5);
	x[5] = '\0';
	return hhmm(x, a) == -1 || hhmm(s + 6, b) == -1 ? -1 : 0;
}

static int
weekday(const char *s, size_t n)
{
	int	i;

	for (i = 0; i < 7; i++)
		if (n == 3 && strncasecmp(s, wdays[i], 3) == 0)
			return i;
	return -1;
}

/* "mon-fri", "mon,wed,fri", "sun-sat" -> bits */
static int
parse_days(const char *s, int *bits)
{
	const char	*p = s, *e;
	int		 a, b, d = 0;

	while (*p) {
		e = p + strcspn(p, ",");
		if (e - p == 7 && p[3] == '-') {
			if ((a = weekday(p, 3)) == -1 ||
			    (b = weekday(p + 4, 3)) == -1)
				return -1;
			for (; ; a = (a + 1) % 7) {
				d |= 1 << a;
				if (a == b)
					break;
			}
		} else if ((a = weekday(p, (size_t)(e - p))) != -1)
			d |= 1 << a;
		else
			return -1;
		p = *e ? e + 1 : e;
	}
	if (d == 0)
		return -1;
	*bits = d;
	return 0;
}

/* "YYYY-MM-DD" -> yyyymmdd, a real date */
static int
parse_date(const char *s, int *out)
{
	struct tm	tm;
	int		y, m, d;
	char		c;

	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d,
	    &c) != 3 || s[4] != '-' || s[7] != '-')
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = 12;
	if (timegm(&tm) == -1 || tm.tm_year != y - 1900 ||
	    tm.tm_mon != m - 1 || tm.tm_mday != d || y < 1970 || y > 2999)
		return -1;
	*out = y * 10000 + m * 100 + d;
	return 0;
}

static int
by_int(const void *a, const void *b)
{
	int	x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

static void
add_holiday(struct calendar *cal, int ymd)
{
	cal->holidays = xrealloc(cal->holidays, (cal->nholidays + 1) *
	    sizeof(int));
	cal->holidays[cal->nholidays++] = ymd;
	qsort(cal->holidays, cal->nholidays, sizeof(int), by_int);
}

/* "N UNIT" -> a clock definition */
static int
duration(const char *num, const char *unit, struct clock_def *d,
    char **errstr)
{
	char		*end;
	long long	 n = strtoll(num, &end, 10), per;
	int		 business = 0;

	if (*end || n <= 0 || n > 100000) {
		*errstr = xasprintf("bad number \"%s\"", num);
		return -1;
	}
	d->bdays = 0;
	if (strcmp(unit, "business-days") == 0 ||
	    strcmp(unit, "business-day") == 0) {
		/* the length of a working day is known after the file */
		d->secs = 0;
		d->business = 1;
		d->bdays = (int)n;
		return 0;
	} else if (strcmp(unit, "business-hours") == 0 ||
	    strcmp(unit, "business-hour") == 0) {
		per = 3600;
		business = 1;
	} else if (strcmp(unit, "hours") == 0 || strcmp(unit, "hour") == 0)
		per = 3600;
	else if (strcmp(unit, "days") == 0 || strcmp(unit, "day") == 0)
		per = 86400;
	else if (strcmp(unit, "months") == 0 || strcmp(unit, "month") == 0)
		per = 30 * 86400;
	else if (strcmp(unit, "years") == 0 || strcmp(unit, "year") == 0)
		per = 365 * 86400;
	else {
		*errstr = xasprintf("unknown unit \"%s\" (business-days, "
		    "business-hours, hours, days, months, years)", unit);
		return -1;
	}
	d->secs = n * per;
	d->business = business;
	return 0;
}

int
clocks_duration(const char *num, const char *unit, long long *secs,
    char **errstr)
{
	struct clock_def	d;

	memset(&d, 0, sizeof(d));
	if (duration(num, unit, &d, errstr) == -1)
		return -1;
	if (d.business) {
		*errstr = xasprintf("unit \"%s\": business time is for "
		    "deadlines (hours, days, months, years)", unit);
		return -1;
	}
	*secs = d.secs;
	return 0;
}

static int
read_holidays(struct clocks *c, const char *file, const char *path,
    struct buf *problems, char **errstr)
{
	const char	*slash = strrchr(path, '/');
	char		*p, line[256], date[16];
	FILE		*fp;
	size_t		 lineno = 0, k;
	int		 ymd;

	p = file[0] == '/' || slash == NULL ? xstrdup(file) :
	    xasprintf("%.*s/%s", (int)(slash - path), path, file);
	if ((fp = fopen(p, "r")) == NULL) {
		*errstr = xasprintf("holidays \"%s\": cannot be read", p);
		free(p);
		return -1;
	}
	while (fgets(line, sizeof(line), fp)) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		for (k = 0; isspace((unsigned char)line[k]); k++)
			;
		if (line[k] == '\0' || line[k] == '#')
			continue;
		snprintf(date, sizeof(date), "%.10s", line + k);
		if (parse_date(date, &ymd) == -1 || (line[k + 10] &&
		    !isspace((unsigned char)line[k + 10]))) {
			buf_printf(problems, "%s:%zu: not a holiday line "
			    "(YYYY-MM-DD [name])\n", p, lineno);
			continue;
		}
		add_holiday(&c->cal, ymd);
	}
	fclose(fp);
	free(p);
	return 0;
}


const char *const case_statuses[] = {
	"new", "triaged", "confirmed", "fixing", "fix-scheduled", "fixed",
	"disclosed", "closed", "rejected", "duplicate",
	/* incidents */
	"contained", "recovered", NULL
};

const char *const overrun_groups[OVR_MAX] = { "resources", "third-party",
	"process", "none" };

int
clocks_overrun_group(const char *v)
{
	size_t	i, n;

	for (i = 0; i < OVR_NONE; i++) {
		n = strlen(overrun_groups[i]);
		if (strncmp(v, overrun_groups[i], n) == 0 && (v[n] == '\0' ||
		    v[n] == ':'))
			return (int)i;
	}
	return -1;
}

int
clocks_reopening(const char *from, const char *to)
{
	static const char *const ended[] = { "rejected", "duplicate",
	    "closed", NULL };

	return from && to && word_in(from, ended) && !word_in(to, ended);
}

/* reopen-restarts CLOCK... | none: the clocks that can run again */
static int
reopen_stmt(struct clocks *c, char *const *w, size_t n, char **errstr)
{
	int	v[CLK_MAX] = { 0 }, id;
	size_t	i;

	if (n == 2 && strcmp(w[1], "none") == 0) {
		memset(c->reopen, 0, sizeof(c->reopen));
		return 1;
	}
	for (i = 1; i < n; i++) {
		id = clock_by_name(w[i]);
		if (id != CLK_TRIAGE && id != CLK_FIX && id != CLK_DISCLOSURE &&
		    id != CLK_INCIDENT) {
			*errstr = xasprintf("reopen-restarts: \"%s\" is not "
			    "a clock a reopened case restarts (triage, fix, "
			    "disclosure, incident; or none)", w[i]);
			return -1;
		}
		v[id] = 1;
	}
	if (n < 2) {
		*errstr = xstrdup("expected: reopen-restarts CLOCK... "
		    "(triage, fix, disclosure, incident), or reopen-restarts "
		    "none");
		return -1;
	}
	memcpy(c->reopen, v, sizeof(v));
	return 1;
}

int
clocks_stmt(struct clocks *c, char *const *w, const char *ty, size_t n,
    const char *where, const char *path, struct buf *problems,
    char **errstr)
{
	struct ladder_step	 st;
	struct clock_def	*d = NULL;
	size_t			 i, k;
	int			 id, ymd, a, b;
	char			*list, *save = NULL, *p, *end;

	if (strcmp(w[0], "calendar") == 0) {
		if (n < 3 || n % 2 == 0) {
			*errstr = xstrdup("expected: calendar [tz ZONE] "
			    "[hours HH:MM-HH:MM] [days DAY-DAY]");
			return -1;
		}
		for (i = 1; i + 1 < n; i += 2) {
			if (strcmp(w[i], "tz") == 0) {
				if (!raci_tz_valid(w[i + 1])) {
					*errstr = xasprintf("unknown time "
					    "zone \"%s\"", w[i + 1]);
					return -1;
				}
				snprintf(c->cal.tz, sizeof(c->cal.tz), "%s",
				    w[i + 1]);
			} else if (strcmp(w[i], "hours") == 0) {
				if (span(w[i + 1], &a, &b) == -1 || a >= b) {
					*errstr = xasprintf("bad working "
					    "hours \"%s\" (HH:MM-HH:MM)",
					    w[i + 1]);
					return -1;
				}
				c->cal.start_min = a;
				c->cal.end_min = b;
			} else if (strcmp(w[i], "days") == 0) {
				if (parse_days(w[i + 1], &c->cal.days) == -1) {
					*errstr = xasprintf("bad days \"%s\" "
					    "(mon-fri, or mon,tue,...)",
					    w[i + 1]);
					return -1;
				}
			} else {
				*errstr = xasprintf("calendar: unexpected "
				    "\"%s\"", w[i]);
				return -1;
			}
		}
		return 1;
	}
	if (strcmp(w[0], "holiday") == 0) {
		if (n < 2 || n > 3 || parse_date(w[1], &ymd) == -1) {
			*errstr = xstrdup("expected: holiday YYYY-MM-DD "
			    "[\"name\"]");
			return -1;
		}
		add_holiday(&c->cal, ymd);
		return 1;
	}
	if (strcmp(w[0], "holidays") == 0) {
		if (n != 2 || ty[1] != 's') {
			*errstr = xstrdup("expected: holidays \"FILE\"");
			return -1;
		}
		return read_holidays(c, w[1], path, problems, errstr) == -1 ?
		    -1 : 1;
	}
	if (strcmp(w[0], "digest") == 0) {
		/* digest at HH:MM [days DAYS] | digest off */
		if (n == 2 && strcmp(w[1], "off") == 0) {
			c->digest_min = -1;
			return 1;
		}
		if ((n != 3 && n != 5) || strcmp(w[1], "at") != 0 ||
		    hhmm(w[2], &a) == -1 || a >= 24 * 60 ||
		    (n == 5 && strcmp(w[3], "days") != 0)) {
			*errstr = xstrdup("expected: digest at HH:MM "
			    "[days DAY-DAY], or digest off");
			return -1;
		}
		b = 0x3e;			/* Monday to Friday */
		if (n == 5 && parse_days(w[4], &b) == -1) {
			*errstr = xasprintf("digest: bad days \"%s\" "
			    "(mon-fri, or mon,tue,...)", w[4]);
			return -1;
		}
		c->digest_min = a;
		c->digest_days = b;
		return 1;
	}
	if (strcmp(w[0], "reopen-restarts") == 0)
		return reopen_stmt(c, w, n, errstr);
	if (strcmp(w[0], "quiet-hours") == 0) {
		if (n != 2 || span(w[1], &a, &b) == -1) {
			*errstr = xstrdup("expected: quiet-hours HH:MM-HH:MM");
			return -1;
		}
		c->quiet_start = a;
		c->quiet_end = b;
		return 1;
	}
	if (strcmp(w[0], "pause-in") == 0) {
		if (n < 2 || n - 1 > sizeof(c->pause_in) /
		    sizeof(c->pause_in[0])) {
			*errstr = xstrdup("expected: pause-in STATUS...");
			return -1;
		}
		/* a pause status is a new name: one a letter or two from
		 * a status of the case's life or a default pause status,
		 * but not it, is a typo */
		for (i = 1; i < n; i++) {
			static const char *const dflt[] = {
			    "waiting-reporter", "waiting-vendor", NULL };
			const char	*near;

			if (word_in(w[i], case_statuses) ||
			    word_in(w[i], dflt))
				continue;
			if ((near = nearest(w[i], case_statuses, 0)) ==
			    NULL)
				near = nearest(w[i], dflt, 0);
			if (near || strspn(w[i], "abcdefghijklmnopqrstuvwxyz"
			    "0123456789-") != strlen(w[i])) {
				*errstr = xasprintf("pause-in: \"%s\" is %s%s%s",
				    w[i], near ? "not a status; did you mean \"" :
				    "not a status name (lower case letters, "
				    "digits and -)", near ? near : "", near ?
				    "\"?" : "");
				return -1;
			}
		}
		for (i = 0; i < c->npause; i++)
			free(c->pause_in[i]);
		for (c->npause = 0, i = 1; i < n; i++)
			c->pause_in[c->npause++] = xstrdup(w[i]);
		return 1;
	}
	if (strcmp(w[0], "deadline") == 0) {
		/* deadline CLOCK [qualifier] within N UNIT */
		if (n < 5 || (id = clock_by_name(w[1])) == -1) {
			*errstr = xasprintf("expected: deadline triage|fix|"
			    "disclosure|incident|reassessment|improvement-mid|"
			    "improvement-long ... within N UNIT");
			return -1;
		}
		k = 2;
		switch (id) {
		case CLK_TRIAGE:	d = &c->triage; break;
		case CLK_DISCLOSURE:	d = &c->disclosure; break;
		case CLK_REASSESS:	d = &c->reassess; break;
		case CLK_IMPROVE_MID:	d = &c->improve_mid; break;
		case CLK_IMPROVE_LONG:	d = &c->improve_long; break;
		case CLK_FIX:
			for (i = 0; i < 4 && strcmp(w[2], sev4[i]); i++)
				;
			if (i == 4) {
				*errstr = xasprintf("deadline fix: \"%s\" is "
				    "not critical, high, medium or low", w[2]);
				return -1;
			}
			d = &c->fix[i];
			k = 3;
			break;
		case CLK_INCIDENT:
			if (strcmp(w[2], "levels") != 0 ||
			    (strcmp(w[3], "3-4") && strcmp(w[3], "1-2"))) {
				*errstr = xstrdup("deadline incident: expected "
				    "levels 3-4 or levels 1-2");
				return -1;
			}
			d = &c->incident[w[3][0] == '3' ? 3 : 1];
			k = 4;
			break;
		}
		if (n != k + 3 || strcmp(w[k], "within") != 0) {
			*errstr = xasprintf("deadline %s: expected ... within "
			    "N UNIT", w[1]);
			return -1;
		}
		if (duration(w[k + 1], w[k + 2], d, errstr) == -1)
			return -1;
		if (id == CLK_INCIDENT) {
			d[1] = d[0];		/* 3 and 4, 1 and 2 */
			if (d == &c->incident[3])
				c->incident[0] = d[0];
			if (d->business) {
				*errstr = xstrdup("deadline incident: "
				    "incident clocks run on wall-clock time");
				return -1;
			}
		}
		return 1;
	}
	if (strcmp(w[0], "escalate") == 0) {
		/* escalate CLOCK at P% to WHO[,WHO] [urgent] */
		if ((n != 6 && n != 7) || (id = clock_by_name(w[1])) == -1 ||
		    strcmp(w[2], "at") != 0 || strcmp(w[4], "to") != 0 ||
		    (n == 7 && strcmp(w[6], "urgent") != 0)) {
			*errstr = xstrdup("expected: escalate CLOCK at P% to "
			    "R|A|C|I|ROLE[,...] [urgent]");
			return -1;
		}
		memset(&st, 0, sizeof(st));
		st.pct = (int)strtol(w[3], &end, 10);
		if (end == w[3] || strcmp(end, "%") != 0 || st.pct <= 0 ||
		    st.pct > 1000) {
			*errstr = xasprintf("escalate: bad percentage \"%s\"",
			    w[3]);
			return -1;
		}
		list = xstrdup(w[5]);
		for (p = strtok_r(list, ",", &save); p; p = strtok_r(NULL,
		    ",", &save)) {
			if (st.nwho == sizeof(st.who) / sizeof(st.who[0])) {
				free(list);
				step_free(&st);
				*errstr = xstrdup("escalate: too many "
				    "recipients");
				return -1;
			}
			st.who[st.nwho++] = xstrdup(p);
		}
		free(list);
		st.urgent = n == 7;
		st.where = xstrdup(where);
		c->steps[id] = xrealloc(c->steps[id], (c->nsteps[id] + 1) *
		    sizeof(st));
		c->steps[id][c->nsteps[id]++] = st;
		return 1;
	}
	return 0;
}

size_t
clocks_check(struct clocks *c, const struct raci *r, struct buf *problems)
{
	static const struct { int pct; const char *who; } dflt[] = {
		{ 50, "R" }, { 75, "R" }, { 100, "A" }, { 100, "I" },
		{ 150, "ciso" },
	};
	struct clock_def	*all[] = { &c->triage, &c->fix[0], &c->fix[1],
		&c->fix[2], &c->fix[3], &c->disclosure, &c->reassess,
		&c->improve_mid, &c->improve_long };
	struct ladder_step	*s;
	size_t			 i, k, m, nprob = 0;

	/* business days in the calendar's working day */
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (all[i]->bdays)
			all[i]->secs = (long long)all[i]->bdays *
			    (c->cal.end_min - c->cal.start_min) * 60;
	for (i = 0; i < CLK_MAX; i++) {
		if (c->nsteps[i] == 0) {
			/* the default ladder: R at 50% and 75%, A and I at
			 * 100%, the CISO (when there is one) at 150% */
			for (k = 0; k < sizeof(dflt) / sizeof(dflt[0]); k++) {
				if (strcmp(dflt[k].who, "ciso") == 0 &&
				    raci_role(r, "ciso") == NULL)
					continue;
				c->steps[i] = xrealloc(c->steps[i],
				    (c->nsteps[i] + 1) * sizeof(*s));
				s = &c->steps[i][c->nsteps[i]++];
				memset(s, 0, sizeof(*s));
				s->pct = dflt[k].pct;
				s->who[s->nwho++] = xstrdup(dflt[k].who);
				s->urgent = i == CLK_INCIDENT ||
				    i == CLK_REASSESS;
				s->where = xstrdup("(default)");
			}
			continue;
		}
		for (k = 0; k < c->nsteps[i]; k++) {
			s = &c->steps[i][k];
			if (i == CLK_INCIDENT || i == CLK_REASSESS)
				s->urgent = 1;	/* never held back */
			for (m = 0; m < s->nwho; m++)
				if (strlen(s->who[m]) != 1 ||
				    !strchr("RACI", s->who[m][0])) {
					if (raci_role(r, s->who[m]) == NULL) {
						buf_printf(problems, "%s: "
						    "escalate %s: unknown role "
						    "%s\n", s->where,
						    clock_name((int)i),
						    s->who[m]);
						nprob++;
					}
				}
		}
	}
	/* the ladder in the order of time */
	for (i = 0; i < CLK_MAX; i++)
		if (c->nsteps[i] > 1)
			qsort(c->steps[i], c->nsteps[i], sizeof(*s), by_pct);
	return nprob;
}

int
clocks_paused_in(const struct clocks *c, const char *status)
{
	size_t	i;

	for (i = 0; status && i < c->npause; i++)
		if (strcmp(c->pause_in[i], status) == 0)
			return 1;
	return 0;
}
