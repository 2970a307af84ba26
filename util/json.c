/*
 * json.c: streaming JSON output. The caller balances begin/end; nesting
 * beyond JSON_MAXDEPTH is a programming error (assert). Strings are
 * always valid JSON: controls are \\u-escaped and bytes that are not
 * well-formed UTF-8 (an envelope address from the MTA, say) become
 * \\ufffd.
 */
#include <assert.h>
#include <stdio.h>

#include "util/json.h"

static void	sep(struct json *);
static size_t	utf8_len(const unsigned char *);

void
json_init(struct json *j, struct buf *b)
{
	j->b = b;
	j->depth = 0;
	j->count[0] = 0;
	j->after_key = 0;
}

static void
sep(struct json *j)
{
	if (j->after_key) {
		j->after_key = 0;
		return;
	}
	if (j->count[j->depth]++ > 0)
		buf_putc(j->b, ',');
}

void
json_obj_begin(struct json *j)
{
	sep(j);
	buf_putc(j->b, '{');
	assert(j->depth + 1 < JSON_MAXDEPTH);
	j->count[++j->depth] = 0;
}

void
json_obj_end(struct json *j)
{
	j->depth--;
	buf_putc(j->b, '}');
}

void
json_arr_begin(struct json *j)
{
	sep(j);
	buf_putc(j->b, '[');
	assert(j->depth + 1 < JSON_MAXDEPTH);
	j->count[++j->depth] = 0;
}

void
json_arr_end(struct json *j)
{
	j->depth--;
	buf_putc(j->b, ']');
}

/* Length of the well-formed UTF-8 sequence at p (1-4), or 0. */
static size_t
utf8_len(const unsigned char *p)
{
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		return (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (p[0] >= 0xe0 && p[0] <= 0xef) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
		    (p[0] == 0xe0 && p[1] < 0xa0) ||
		    (p[0] == 0xed && p[1] > 0x9f))
			return 0;
		return 3;
	}
	if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
		    (p[3] & 0xc0) != 0x80 || (p[0] == 0xf0 && p[1] < 0x90) ||
		    (p[0] == 0xf4 && p[1] > 0x8f))
			return 0;
		return 4;
	}
	return 0;
}

void
json_escape(struct buf *b, const char *s)
{
	const unsigned char	*p;
	size_t			 n;

	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		case '\t': buf_puts(b, "\\t"); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				buf_printf(b, "\\u%04x", *p);
			else if (*p < 0x80)
				buf_putc(b, *p);
			else if ((n = utf8_len(p)) == 0)
				buf_puts(b, "\\ufffd");	/* not UTF-8 */
			else {
				buf_add(b, p, n);
				p += n - 1;
			}
		}
	}
}

void
json_key(struct json *j, const char *k)
{
	sep(j);
	buf_putc(j->b, '"');
	json_escape(j->b, k);
	buf_puts(j->b, "\":");
	j->after_key = 1;
}

void
json_str(struct json *j, const char *s)
{
	if (s == NULL) {
		json_null(j);
		return;
	}
	sep(j);
	buf_putc(j->b, '"');
	json_escape(j->b, s);
	buf_putc(j->b, '"');
}

void
json_int(struct json *j, long long v)
{
	sep(j);
	buf_printf(j->b, "%lld", v);
}

void
json_bool(struct json *j, int v)
{
	sep(j);
	buf_puts(j->b, v ? "true" : "false");
}

void
json_null(struct json *j)
{
	sep(j);
	buf_puts(j->b, "null");
}

void
json_raw(struct json *j, const char *s)
{
	sep(j);
	buf_puts(j->b, s ? s : "null");
}

void
json_kstr(struct json *j, const char *k, const char *v)
{
	json_key(j, k);
	json_str(j, v);
}

void
json_kint(struct json *j, const char *k, long long v)
{
	json_key(j, k);
	json_int(j, v);
}
