/*
 * fmt: tiny formatting helpers shared by several modules.
 */
#ifndef PSIRT_UTIL_FMT_H
#define PSIRT_UTIL_FMT_H

#include <stddef.h>

/* Value of a hex digit, or -1. */
static inline int
fmt_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Copy src to dst (size n) with control bytes and DEL as '?', for logs
 * of values that come from outside (envelope addresses). */
void	fmt_printable(char *dst, size_t n, const char *src);

/* strftime(3) of unix time t in UTC. */
void	fmt_utc(long long t, const char *fmt, char *out, size_t n)
	    __attribute__((format(strftime, 2, 0)));

/* "@EPOCH", "YYYY-MM-DD" (midnight UTC), "YYYY-MM-DDTHH:MM[:SS][Z]"
 * (UTC) -> unix time; 0, or -1 when s is none of these. */
int	fmt_parse_time(const char *s, long long *out);
/* The time it is: $PSIRT_NOW (in the form above; for tests that walk
 * through weeks), else the clock. */
long long fmt_now(void);
/* A span of seconds, compact: 2d03h, 5h20m, 4m09s (s, n: the buffer). */
const char *fmt_span(long long secs, char *s, size_t n);

#endif
