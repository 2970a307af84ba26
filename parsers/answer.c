/*
 * answer.c: a member's own words out of their mail. See answer.h.
 */
#include <stdlib.h>
#include <string.h>

#include "parsers/answer.h"
#include "util/buf.h"

/* Does the line [p, e) end (before blanks) with suffix s? */
static int
ends_with(const char *p, const char *e, const char *s)
{
	size_t	n = strlen(s);

	while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	return (size_t)(e - p) >= n && memcmp(e - n, s, n) == 0;
}

/* Is the line [p, e) exactly s, but for blanks at its end? */
static int
is_line(const char *p, const char *e, const char *s)
{
	size_t	n = strlen(s);

	while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	return (size_t)(e - p) == n && memcmp(p, s, n) == 0;
}

static int
blank(const char *p, const char *e)
{
	return strspn(p, " \t\r") >= (size_t)(e - p);
}

/* Where a mail client's copy of what is answered starts. */
static int
stop_line(const char *p, const char *e)
{
	size_t	k;

	if (is_line(p, e, "--") || (e - p >= 3 && memcmp(p, "-- ", 3) == 0 &&
	    blank(p + 3, e)) || is_line(p, e, "#internal"))
		return 1;
	if (is_line(p, e, "-----Original Message-----") ||
	    is_line(p, e, "----- Original Message -----") ||
	    is_line(p, e, "-----原始郵件-----"))
		return 1;
	for (k = 0; p + k < e && p[k] == '_'; k++)
		;
	return k >= 20 && blank(p + k, e);
}

static int
attribution(const char *p, const char *e)
{
	return ends_with(p, e, "wrote:") || ends_with(p, e, "writes:") ||
	    ends_with(p, e, "寫道：") || ends_with(p, e, "寫道:") ||
	    ends_with(p, e, "写道：") || ends_with(p, e, "写道:") ||
	    ends_with(p, e, "schrieb:");
}

size_t
answer_end(const char *text, size_t len)
{
	const char	*p = text, *end = text + len, *e;

	for (; p < end; p = e < end ? e + 1 : end) {
		if ((e = memchr(p, '\n', (size_t)(end - p))) == NULL)
			e = end;
		if (stop_line(p, e))
			return (size_t)(p - text);
	}
	return len;
}

char *
answer_text(const char *text, size_t len)
{
	const char	*p = text, *end = text + len, *e, *q, *qe;
	struct buf	 b;
	int		 blanks = 0;

	buf_init(&b);
	for (; p < end; p = e < end ? e + 1 : end) {
		if ((e = memchr(p, '\n', (size_t)(end - p))) == NULL)
			e = end;
		if (stop_line(p, e))
			break;
		if (*p == '>')
			continue;
		if (attribution(p, e)) {
			/* only when a quote follows, after blank lines:
			 * one look ahead, so each line is seen at most
			 * twice */
			for (q = e < end ? e + 1 : end; q < end; q =
			    qe < end ? qe + 1 : end) {
				if ((qe = memchr(q, '\n',
				    (size_t)(end - q))) == NULL)
					qe = end;
				if (!blank(q, qe))
					break;
			}
			if (q < end && *q == '>')
				continue;
		}
		if (blank(p, e)) {
			blanks++;
			continue;
		}
		if (blanks && b.len)
			buf_putc(&b, '\n');
		blanks = 0;
		for (q = p, qe = e - (e > p && e[-1] == '\r'); q < qe; q++)
			buf_putc(&b, *q == '\r' ? ' ' : *q);	/* a bare CR */
		buf_putc(&b, '\n');
	}
	buf_puts(&b, "");	/* "" rather than NULL */
	return buf_release(&b);
}
