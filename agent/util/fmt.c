/*
 * fmt.c: formatting helpers (see fmt.h).
 */
#include <time.h>

#include "agent/util/fmt.h"

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
