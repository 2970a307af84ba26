/*
 * calendar: time in a zone, and business time: the working hours of the
 * working days of a calendar (policies/clocks.h), in its time zone, not
 * on its holidays. Daylight-saving changes are the zone's: a working
 * day from 09:00 to 18:00 is nine hours of business time on every day,
 * however long the day is.
 */
#ifndef PSIRT_AGENT_CALENDAR_H
#define PSIRT_AGENT_CALENDAR_H

#include <time.h>

struct calendar;

/* The local time of t in zone tz (an IANA name). */
void		 tz_local(const char *tz, time_t t, struct tm *out);
/* The instant of a local time in zone tz (tm_isdst decided by the
 * zone). */
time_t		 tz_mktime(const char *tz, struct tm *tm);
/* Back to the process's own zone ($TZ as it was). */
void		 tz_reset(void);
/* from + secs of business time. */
time_t		 cal_add(const struct calendar *, time_t from, long long secs);
/* Business seconds from a to b (0 if b <= a). */
long long	 cal_between(const struct calendar *, time_t a, time_t b);

#endif
