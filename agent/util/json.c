/*
 * json.c: streaming JSON output. The caller balances begin/end; nesting
 * beyond JSON_MAXDEPTH is a programming error (assert).
 */
#include <assert.h>
#include <stdio.h>

#include "agent/util/json.h"

static void	sep(struct json *);

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

void
json_escape(struct buf *b, const char *s)
{
	const unsigned char	*p;

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
			else
				buf_putc(b, *p);
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
