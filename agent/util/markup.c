/*
 * markup.c: text escaped for HTML and Markdown. See markup.h.
 */
#include <string.h>

#include "agent/util/buf.h"
#include "agent/util/markup.h"

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
	for (; s && *s; s++) {
		if (strchr("\\`*_{}[]()#+-.!|<>~", *s))
			buf_putc(b, '\\');
		buf_putc(b, (unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s);
	}
}
