/*
 * fuzz-date: libFuzzer target for the RFC 5322 date parser
 * (parsers/date.c) on one Date field value.
 *
 * Aborts when an accepted date is out of the range the parser promises
 * (years 1900 to 9999, a zone of at most 99:59) or when the time it
 * returns, written back as an RFC 5322 date in UTC, does not parse to
 * the same time.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE		/* timegm() */
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parsers/header.h"
#include "tests/fuzz/fuzz.h"

#define ZONE_MAX	((99 * 60 + 59) * 60LL)

static long long	year_start(int);

static long long
year_start(int year)
{
	struct tm	tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mday = 1;
	return (long long)timegm(&tm);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tm	 tm;
	time_t		 tt;
	char		 again[64];
	long long	 t, t2;

	if (size > 4096)
		return 0;
	t = header_date_parse((const char *)data, size);
	if (t == -1)
		return 0;
	/* 31 Dec 9999 23:59:60 is the first second of 10000 */
	if (t < year_start(1900) - ZONE_MAX || t > year_start(10000) +
	    ZONE_MAX)
		abort();
	tt = (time_t)t;
	if (gmtime_r(&tt, &tm) == NULL)
		abort();
	if (tm.tm_year + 1900 < 1900 || tm.tm_year + 1900 > 9999)
		return 0;	/* the zone moved it out of the range */
	if (strftime(again, sizeof(again), "%a, %d %b %Y %H:%M:%S +0000",
	    &tm) == 0)
		abort();
	t2 = header_date_parse(again, strlen(again));
	if (t2 != t)
		abort();
	return 0;
}
