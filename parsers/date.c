/*
 * date.c: RFC 5322 dates (with the obsolete forms) -> time_t.
 *
 * Contract: header.h. Trust: none; one pass over the value, numbers
 * are range-checked before any arithmetic.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE		/* timegm() */
#endif

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parsers/header.h"
#include "parsers/header_int.h"

static int	 date_word(const char *, size_t, int *, int *, long *,
		    int *);

/*
 * ------------------------------------------------------------------
 * Dates
 */

/*
 * [day-of-week ","] day month year hour ":" min [":" sec] zone, with
 * CFWS anywhere, 2- and 3-digit years, named and military zones (the
 * latter as -0000, RFC 5322 4.3), no zone (= UTC), full day/month names,
 * asctime order ("Nov 21 09:55:06 1997") and AM/PM. Unknown words after
 * the time are taken as unknown zones (-0000).
 */
long long
header_date_parse(const char *raw, size_t len)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	struct tm	 tm;
	size_t		 i = 0, j, nd;
	long		 off = 0, v, zh, zm;
	int		 day = -1, mon = -1, year = -1, hh = -1, mm = -1;
	int		 ss = 0, numzone = 0, pm = -1, leap, dim;
	time_t		 t;

	if (raw == NULL)
		return -1;
	while (i < len) {
		unsigned char c = (unsigned char)raw[i];

		if (c == '(') {
			i = hdr_skip_comment(raw, len, i);
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
		    c == ',') {
			i++;
			continue;
		}
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			for (j = i; j < len && ((raw[j] >= 'a' &&
			    raw[j] <= 'z') || (raw[j] >= 'A' && raw[j] <= 'Z'));
			    j++)
				;
			if (date_word(raw + i, j - i, &mon, &numzone, &off,
			    &pm) == -1 && hh < 0)
				return -1;
			i = j;
			continue;
		}
		if ((c == '+' || c == '-') && i + 1 < len &&
		    raw[i + 1] >= '0' && raw[i + 1] <= '9') {
			/* +hhmm or +hh:mm */
			for (j = i + 1, nd = 0, v = 0; j < len &&
			    raw[j] >= '0' && raw[j] <= '9'; j++, nd++)
				if (nd < 4)
					v = v * 10 + (raw[j] - '0');
			if (nd == 4) {
				zh = v / 100;
				zm = v % 100;
			} else if (nd == 2 && j + 2 < len && raw[j] == ':' &&
			    raw[j + 1] >= '0' && raw[j + 1] <= '9' &&
			    raw[j + 2] >= '0' && raw[j + 2] <= '9') {
				zh = v;
				zm = (raw[j + 1] - '0') * 10 + (raw[j + 2] - '0');
				j += 3;
			} else
				return -1;
			if (zm > 59)
				return -1;
			off = (zh * 60 + zm) * (c == '-' ? -1 : 1);
			numzone = 1;
			i = j;
			continue;
		}
		if (c >= '0' && c <= '9') {
			for (j = i, nd = 0, v = 0; j < len && raw[j] >= '0' &&
			    raw[j] <= '9'; j++, nd++)
				if (nd < 5)
					v = v * 10 + (raw[j] - '0');
			if (nd > 4)
				return -1;
			if (j < len && raw[j] == ':') {
				/* hh:mm[:ss] */
				if (hh >= 0 || nd > 2)
					return -1;
				hh = (int)v;
				for (j++, nd = 0, v = 0; j < len &&
				    raw[j] >= '0' && raw[j] <= '9'; j++, nd++)
					if (nd < 3)
						v = v * 10 + (raw[j] - '0');
				if (nd == 0 || nd > 2)
					return -1;
				mm = (int)v;
				if (j < len && raw[j] == ':') {
					for (j++, nd = 0, v = 0; j < len &&
					    raw[j] >= '0' && raw[j] <= '9';
					    j++, nd++)
						if (nd < 3)
							v = v * 10 +
							    (raw[j] - '0');
					if (nd == 0 || nd > 2)
						return -1;
					ss = (int)v;
				}
			} else if (nd <= 2 && day < 0)
				day = (int)v;
			else if (year < 0) {
				year = (int)v;
				if (nd <= 2)
					year += year < 50 ? 2000 : 1900;
				else if (nd == 3)
					year += 1900;
			} else
				return -1;
			i = j;
			continue;
		}
		if (c == '-' || c == '/' || c == '.') {
			i++;		/* "1-Jan-2024" and similar */
			continue;
		}
		return -1;
	}

	if (day < 1 || mon < 0 || year < 1900 || year > 9999)
		return -1;
	if (hh < 0) {
		hh = 0;
		mm = 0;
	}
	if (pm >= 0) {
		if (hh < 1 || hh > 12)
			return -1;
		hh = hh % 12 + (pm ? 12 : 0);
	}
	if (hh > 23 || mm > 59 || ss > 60)
		return -1;
	leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	dim = mdays[mon] + (mon == 1 && leap);
	if (day > dim)
		return -1;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = mon;
	tm.tm_mday = day;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	if ((t = timegm(&tm)) == (time_t)-1 && !(year == 1969 && mon == 11 &&
	    day == 31))
		return -1;
	return (long long)t - (long long)off * 60;
}

/*
 * Classify an alphabetic date word: day name (ignored), month, zone,
 * AM/PM. Returns -1 for an unknown word.
 */
static int
date_word(const char *w, size_t n, int *mon, int *numzone, long *off,
    int *pm)
{
	static const char *months[12] = {
		"january", "february", "march", "april", "may", "june",
		"july", "august", "september", "october", "november",
		"december"
	};
	static const char *days[7] = {
		"monday", "tuesday", "wednesday", "thursday", "friday",
		"saturday", "sunday"
	};
	static const struct {
		const char	*name;
		int		 hours;
	} zones[] = {
		{ "ut", 0 }, { "utc", 0 }, { "gmt", 0 }, { "z", 0 },
		{ "est", -5 }, { "edt", -4 }, { "cst", -6 }, { "cdt", -5 },
		{ "mst", -7 }, { "mdt", -6 }, { "pst", -8 }, { "pdt", -7 },
	};
	size_t	i;

	if (n >= 3) {
		for (i = 0; i < 12; i++)
			if (n <= strlen(months[i]) &&
			    hdr_caseeq(w, months[i], n)) {
				*mon = (int)i;
				return 0;
			}
		for (i = 0; i < 7; i++)
			if (n <= strlen(days[i]) && hdr_caseeq(w, days[i], n))
				return 0;
	}
	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		if (strlen(zones[i].name) == n &&
		    hdr_caseeq(w, zones[i].name, n)) {
			if (!*numzone)
				*off = zones[i].hours * 60L;
			return 0;
		}
	if (n == 1) {
		/* military zone: meaning unreliable, RFC 5322 says -0000 */
		if (!*numzone)
			*off = 0;
		return 0;
	}
	if (n == 2 && hdr_caseeq(w, "am", 2)) {
		*pm = 0;
		return 0;
	}
	if (n == 2 && hdr_caseeq(w, "pm", 2)) {
		*pm = 1;
		return 0;
	}
	return -1;
}
