/*
 * header_int: helpers shared by header.c, address.c and date.c only.
 */
#ifndef PSIRT_PARSERS_HEADER_INT_H
#define PSIRT_PARSERS_HEADER_INT_H

#include <stddef.h>

#define HDR_NONE	((size_t)-1)

static inline int
hdr_lc(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static inline int
hdr_is_wsp(int c)
{
	return c == ' ' || c == '\t';
}

/* a[0..n) equals b[0..n) ignoring ASCII case. */
static inline int
hdr_caseeq(const char *a, const char *b, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (hdr_lc((unsigned char)a[i]) != hdr_lc((unsigned char)b[i]))
			return 0;
	return 1;
}

/* raw[i] is '(': the index after the matching ')' (nesting and
 * backslash escapes counted, never recursed into), or len. */
static inline size_t
hdr_skip_comment(const char *raw, size_t len, size_t i)
{
	size_t	depth;

	for (depth = 1, i++; i < len && depth > 0; i++) {
		if (raw[i] == '\\')
			i++;
		else if (raw[i] == '(')
			depth++;
		else if (raw[i] == ')')
			depth--;
	}
	return i < len ? i : len;
}

struct charset_ctx;

/* Convert from cs (NULL: unknown; read as charset_decode() does with cx)
 * to clean one-line UTF-8 (malloc'd). */
char	*hdr_conv_clean(struct charset_ctx *cx, const char *cs,
	    const char *s, size_t n);
/* A context whose one declared charset is fallback (may be NULL). */
void	 hdr_ctx(struct charset_ctx *cx, const char *fallback);

#endif
