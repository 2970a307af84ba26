/*
 * calendar.c: local time in a zone and business time. See calendar.h.
 *
 * The C library knows one zone at a time ($TZ); tz_use() switches it
 * only when a different zone is asked for. The agent is single-threaded.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "out/calendar.h"
#include "policies/clocks.h"

#define MAX_DAYS	(366 * 30)	/* no clock runs longer */

static void	 tz_use(const char *);
static int	 working_day(const struct calendar *, const struct tm *);
static void	 day_window(const struct calendar *, const struct tm *,
		    time_t *, time_t *, time_t *);

static char	 cur[80];		/* the zone set, "" none yet */
static char	*orig;			/* $TZ before, or NULL */
static int	 saved;

static void
tz_use(const char *tz)
{
	const char	*e;

	if (strcmp(cur, tz) == 0)
		return;
	if (!saved) {
		saved = 1;
		orig = (e = getenv("TZ")) ? strdup(e) : NULL;
	}
	strncpy(cur, tz, sizeof(cur) - 1);
	setenv("TZ", tz, 1);
	tzset();
}

void
tz_reset(void)
{
	if (!saved)
		return;
	if (orig)
		setenv("TZ", orig, 1);
	else
		unsetenv("TZ");
	tzset();
	free(orig);
	orig = NULL;
	saved = 0;
	cur[0] = '\0';
}

void
tz_local(const char *tz, time_t t, struct tm *out)
{
	tz_use(tz);
	localtime_r(&t, out);
}

time_t
tz_mktime(const char *tz, struct tm *tm)
{
	tz_use(tz);
	tm->tm_isdst = -1;
	return mktime(tm);
}

static int
working_day(const struct calendar *cal, const struct tm *tm)
{
	int	ymd = (tm->tm_year + 1900) * 10000 + (tm->tm_mon + 1) * 100 +
		    tm->tm_mday;
	size_t	lo = 0, hi = cal->nholidays, mid;

	if (!(cal->days & (1 << tm->tm_wday)))
		return 0;
	while (lo < hi) {		/* the holidays are sorted */
		mid = (lo + hi) / 2;
		if (cal->holidays[mid] == ymd)
			return 0;
		if (cal->holidays[mid] < ymd)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 1;
}

/* The working window of the local day of *tm, and the next midnight. */
static void
day_window(const struct calendar *cal, const struct tm *day, time_t *ws,
    time_t *we, time_t *next)
{
	struct tm	t = *day;

	t.tm_sec = 0;
	t.tm_hour = cal->start_min / 60;
	t.tm_min = cal->start_min % 60;
	*ws = tz_mktime(cal->tz, &t);
	t = *day;
	t.tm_sec = 0;
	t.tm_hour = cal->end_min / 60;
	t.tm_min = cal->end_min % 60;
	*we = tz_mktime(cal->tz, &t);
	t = *day;
	t.tm_sec = t.tm_min = t.tm_hour = 0;
	t.tm_mday++;
	*next = tz_mktime(cal->tz, &t);
}

time_t
cal_add(const struct calendar *cal, time_t from, long long secs)
{
	struct tm	tm;
	time_t		t = from, ws, we, next;
	int		i;

	for (i = 0; i < MAX_DAYS; i++) {
		tz_local(cal->tz, t, &tm);
		day_window(cal, &tm, &ws, &we, &next);
		if (working_day(cal, &tm) && t < we) {
			if (t < ws)
				t = ws;
			if (secs <= we - t)
				return t + secs;
			secs -= we - t;
		}
		t = next;
	}
	return t;
}

long long
cal_between(const struct calendar *cal, time_t a, time_t b)
{
	struct tm	tm;
	time_t		t = a, ws, we, next, s, e;
	long long	sum = 0;
	int		i;

	for (i = 0; i < MAX_DAYS && t < b; i++) {
		tz_local(cal->tz, t, &tm);
		day_window(cal, &tm, &ws, &we, &next);
		if (working_day(cal, &tm)) {
			s = t > ws ? t : ws;
			e = b < we ? b : we;
			if (e > s)
				sum += e - s;
		}
		t = next;
	}
	return sum;
}
