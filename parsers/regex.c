/*
 * regex.c: PCRE2 behind our own type.
 *
 * Patterns are UTF-8 with PCRE2_UTF|PCRE2_UCP; subjects are the agent's
 * own UTF-8 (charset.c guarantees validity); PCRE2 checks it all the
 * same, so an invalid subject is an error, not undefined behaviour. A
 * search that goes on through a subject (regex_find from > 0) skips the
 * check that its first call (from 0) made.
 * Every match runs under REGEX_MATCH_LIMIT, REGEX_DEPTH_LIMIT and
 * REGEX_HEAP_LIMIT.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#include "util/xmalloc.h"
#include "parsers/regex.h"

struct regex {
	pcre2_code		*code;
	pcre2_match_context	*mctx;
};

int
regex_compile(const char *pat, const char *flags, struct regex **out,
    char **errstr)
{
	struct regex	*re;
	uint32_t	 opt = PCRE2_UTF | PCRE2_UCP;
	int		 err;
	PCRE2_SIZE	 off;
	PCRE2_UCHAR	 msg[256];

	for (; flags && *flags; flags++)
		switch (*flags) {
		case 'i': opt |= PCRE2_CASELESS; break;
		case 's': opt |= PCRE2_DOTALL; break;
		case 'm': opt |= PCRE2_MULTILINE; break;
		case 'x': opt |= PCRE2_EXTENDED; break;
		default:
			*errstr = xasprintf("unknown regex flag '%c'", *flags);
			return -1;
		}
	re = xcalloc(1, sizeof(*re));
	re->code = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, opt,
	    &err, &off, NULL);
	if (re->code == NULL) {
		pcre2_get_error_message(err, msg, sizeof(msg));
		*errstr = xasprintf("bad regex at offset %zu: %s", (size_t)off,
		    (char *)msg);
		free(re);
		return -1;
	}
	re->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(re->mctx, REGEX_MATCH_LIMIT);
	pcre2_set_depth_limit(re->mctx, REGEX_DEPTH_LIMIT);
	pcre2_set_heap_limit(re->mctx, REGEX_HEAP_LIMIT);
	*out = re;
	return 0;
}

int
regex_match(const struct regex *re, const char *s, size_t len, char **errstr)
{
	pcre2_match_data	*md;
	int			 rc;
	PCRE2_UCHAR		 msg[256];

	md = pcre2_match_data_create_from_pattern(re->code, NULL);
	rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, md, re->mctx);
	pcre2_match_data_free(md);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	pcre2_get_error_message(rc, msg, sizeof(msg));
	*errstr = xasprintf("regex match failed: %s", (char *)msg);
	return -1;
}

int
regex_find(const struct regex *re, const char *s, size_t len, size_t from,
    size_t m[4], char **errstr)
{
	pcre2_match_data	*md;
	PCRE2_SIZE		*ov;
	int			 rc;
	PCRE2_UCHAR		 msg[256];

	if (from > len)
		return 0;
	md = pcre2_match_data_create_from_pattern(re->code, NULL);
	/* PCRE2 10.42 checks the UTF-8 of the whole subject on every call:
	 * a search going on from the end of each match was quadratic */
	rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, from,
	    from > 0 ? PCRE2_NO_UTF_CHECK : 0, md, re->mctx);
	if (rc >= 0) {
		ov = pcre2_get_ovector_pointer(md);
		m[0] = ov[0];
		m[1] = ov[1];
		if (rc >= 2 && ov[2] != PCRE2_UNSET) {
			m[2] = ov[2];
			m[3] = ov[3];
		} else {
			m[2] = ov[0];
			m[3] = ov[1];
		}
		pcre2_match_data_free(md);
		return 1;
	}
	pcre2_match_data_free(md);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	pcre2_get_error_message(rc, msg, sizeof(msg));
	*errstr = xasprintf("regex match failed: %s", (char *)msg);
	return -1;
}

void
regex_free(struct regex **rep)
{
	if (*rep == NULL)
		return;
	pcre2_match_context_free((*rep)->mctx);
	pcre2_code_free((*rep)->code);
	free(*rep);
	*rep = NULL;
}
