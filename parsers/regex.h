/*
 * regex: the only PCRE2 user. Patterns are compiled once (when the
 * policy is loaded, or once per process for the triage extractors);
 * every match runs with explicit match, depth and heap limits, and a limit hit
 * is an error (never a silent no-match).
 */
#ifndef PSIRT_PARSERS_REGEX_H
#define PSIRT_PARSERS_REGEX_H

#include <stddef.h>

#define REGEX_MATCH_LIMIT	1000000U
#define REGEX_DEPTH_LIMIT	10000U
#define REGEX_HEAP_LIMIT	20480U	/* KiB of backtracking memory a call
					 * may use */

struct regex;

/* flags: 'i' caseless, 's' dotall, 'm' multiline, 'x' extended */
int	regex_compile(const char *pattern, const char *flags, struct regex **,
	    char **errstr);
/* 1 match, 0 no match, -1 error or limit hit (*errstr). */
int	regex_match(const struct regex *, const char *s, size_t len,
	    char **errstr);
/* The first match at or after byte `from`: 1 with the whole match in
 * m[0..1] and group 1 (or the whole match when the pattern has no
 * group) in m[2..3], as byte offsets; 0 none; -1 error or limit hit.
 * A search through a subject starts at 0 (where its UTF-8 is checked)
 * and goes on from the end of each match, over the same bytes: a call
 * with from > 0 trusts the check of that first call. */
int	regex_find(const struct regex *, const char *s, size_t len,
	    size_t from, size_t m[4], char **errstr);
void	regex_free(struct regex **);

#endif
