/*
 * regex: the only PCRE2 user. Patterns are compiled once when the policy
 * is loaded; every match runs with explicit match and depth limits, and
 * a limit hit is an error (never a silent no-match).
 */
#ifndef PSIRT_POLICIES_REGEX_H
#define PSIRT_POLICIES_REGEX_H

#include <stddef.h>

#define REGEX_MATCH_LIMIT	1000000U
#define REGEX_DEPTH_LIMIT	10000U

struct regex;

/* flags: 'i' caseless, 's' dotall, 'm' multiline, 'x' extended */
int	regex_compile(const char *pattern, const char *flags, struct regex **,
	    char **errstr);
/* 1 match, 0 no match, -1 error or limit hit (*errstr). */
int	regex_match(const struct regex *, const char *s, size_t len,
	    char **errstr);
void	regex_free(struct regex **);

#endif
