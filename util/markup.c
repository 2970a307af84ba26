/*
 * markup.c: text escaped for HTML, Markdown and the terminal. See markup.h.
 */
#include <string.h>

#include "util/buf.h"
#include "util/markup.h"

void
markup_html(struct buf *b, const char *s)
{
	for (; s && *s; s++)
		switch (*s) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#39;"); break;
		default:
			buf_putc(b, (unsigned char)*s < 0x20 ||
			    *s == 0x7f ? ' ' : *s);
		}
}

void
markup_md(struct buf *b, const char *s)
{
	const char	*p;

	for (p = s; p && *p; p++) {
		/* inline formatting anywhere; block syntax (heading, list
		 * item, numbered item) where the value starts a line */
		if (strchr("\\`*_{}[]()!|<>~", *p) || (p == s &&
		    strchr("#+-", *p)) || (*p == '.' && p > s &&
		    strspn(s, "0123456789") == (size_t)(p - s)))
			buf_putc(b, '\\');
		buf_putc(b, (unsigned char)*p < 0x20 || *p == 0x7f ? ' ' : *p);
	}
}

void
markup_term(struct buf *b, const char *s, size_t max, int lf)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n = 0;

	for (; p && *p && n < max; p++, n++) {
		if ((*p < 0x20 && !(lf && *p == '\n')) || *p == 0x7f)
			buf_putc(b, '?');
		else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			buf_putc(b, '?');
			p++;
		} else if (p[0] == 0xe2 && ((p[1] == 0x80 && p[2] >= 0xaa &&
		    p[2] <= 0xae) || (p[1] == 0x81 && p[2] >= 0xa6 &&
		    p[2] <= 0xa9))) {
			buf_putc(b, '?');
			p += 2;
		} else
			buf_putc(b, *p);
	}
}
