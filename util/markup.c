/*
 * markup.c: text escaped for HTML and Markdown. See markup.h.
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
