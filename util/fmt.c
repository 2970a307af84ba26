/*
 * fmt.c: formatting helpers (see fmt.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/fmt.h"

void
fmt_utc(long long t, const char *fmt, char *out, size_t n)
{
	time_t		tt = (time_t)t;
	struct tm	tm;

	gmtime_r(&tt, &tm);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (strftime(out, n, fmt, &tm) == 0 && n > 0)
		out[0] = '\0';
#pragma GCC diagnostic pop
}

void
fmt_printable(char *dst, size_t n, const char *src)
{
	size_t	i;

	if (n == 0)
		return;
	for (i = 0; src && src[i] && i + 1 < n; i++)
		dst[i] = (unsigned char)src[i] < 0x20 || src[i] == 0x7f ?
		    '?' : src[i];
	dst[i] = '\0';
}

int
fmt_parse_time(const char *s, long long *out)
{
	struct tm	tm;
	char		*end;
	int		y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
	long long	v;

	if (s[0] == '@') {
		v = strtoll(s + 1, &end, 10);
		if (end == s + 1 || *end || v < 0)
			return -1;
		*out = v;
		return 0;
	}
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
		return -1;
	if (s[10] == 'T' || s[10] == ' ') {
		n = 0;
		if (sscanf(s + 11, "%2d:%2d%n", &h, &mi, &n) != 2 || n != 5)
			return -1;
		s += 16;
		if (*s == ':') {
			if (sscanf(s + 1, "%2d%n", &sec, &n) != 1 || n != 2)
				return -1;
			s += 3;
		}
		if (*s == 'Z')
			s++;
	} else
		s += 10;
	if (*s || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    sec > 60)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*out = (long long)timegm(&tm);
	return 0;
}

long long
fmt_now(void)
{
	const char	*e = getenv("PSIRT_NOW");
	long long	 t;

	if (e && *e && fmt_parse_time(e, &t) == 0)
		return t;
	return (long long)time(NULL);
}

const char *
fmt_span(long long secs, char *s, size_t n)
{
	if (secs < 0)
		secs = 0;
	if (secs >= 86400)
		snprintf(s, n, "%lldd%02lldh", secs / 86400, secs % 86400 /
		    3600);
	else if (secs >= 3600)
		snprintf(s, n, "%lldh%02lldm", secs / 3600, secs % 3600 / 60);
	else
		snprintf(s, n, "%lldm%02llds", secs / 60, secs % 60);
	return s;
}
