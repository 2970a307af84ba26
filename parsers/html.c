/*
 * html.c: HTML to plain text for reports that come as text/html only.
 *
 * Input: UTF-8 produced by charset_to_utf8() (valid, no NUL). Output:
 * UTF-8 text; numeric references to invalid code points, surrogates or
 * controls become U+FFFD. One pass, no recursion, no backtracking.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "parsers/html.h"

static const struct {
	const char	*name;
	const char	*text;
} entities[] = {
	{ "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" },
	{ "apos", "'" }, { "nbsp", " " }, { "copy", "\xc2\xa9" },
	{ "reg", "\xc2\xae" }, { "hellip", "\xe2\x80\xa6" },
	{ "mdash", "\xe2\x80\x94" }, { "ndash", "\xe2\x80\x93" },
	{ "laquo", "\xc2\xab" }, { "raquo", "\xc2\xbb" },
	{ "middot", "\xc2\xb7" }, { "bull", "\xe2\x80\xa2" },
};

static const char *const block_tags[] = {
	"br", "p", "/p", "div", "/div", "tr", "/tr", "li", "h1", "h2", "h3",
	"h4", "h5", "h6", "/h1", "/h2", "/h3", "/h4", "/h5", "/h6", "table",
	"/table", "blockquote", "/blockquote", "pre", "/pre", "hr", "ul",
	"/ul", "ol", "/ol",
};

static void	put_codepoint(struct buf *, unsigned long);
static size_t	tag_name(const char *, size_t, char *, size_t);

static void
put_codepoint(struct buf *b, unsigned long c)
{
	if (c == 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) ||
	    (c < 0x20 && c != '\t' && c != '\n'))
		c = 0xfffd;
	if (c < 0x80)
		buf_putc(b, (int)c);
	else if (c < 0x800) {
		buf_putc(b, (int)(0xc0 | (c >> 6)));
		buf_putc(b, (int)(0x80 | (c & 0x3f)));
	} else if (c < 0x10000) {
		buf_putc(b, (int)(0xe0 | (c >> 12)));
		buf_putc(b, (int)(0x80 | ((c >> 6) & 0x3f)));
		buf_putc(b, (int)(0x80 | (c & 0x3f)));
	} else {
		buf_putc(b, (int)(0xf0 | (c >> 18)));
		buf_putc(b, (int)(0x80 | ((c >> 12) & 0x3f)));
		buf_putc(b, (int)(0x80 | ((c >> 6) & 0x3f)));
		buf_putc(b, (int)(0x80 | (c & 0x3f)));
	}
}

/* Lowercased tag name after '<' (with a leading '/' kept). */
static size_t
tag_name(const char *p, size_t n, char *out, size_t outsz)
{
	size_t	i = 0, o = 0;

	if (i < n && p[i] == '/')
		out[o++] = '/';
	if (o)
		i++;
	while (i < n && o + 1 < outsz && (isalnum((unsigned char)p[i]) ||
	    p[i] == '!' || p[i] == '-'))
		out[o++] = (char)tolower((unsigned char)p[i++]);
	out[o] = '\0';
	return o;
}

char *
html_to_text(const char *h, size_t len)
{
	struct buf	 b;
	const char	*skip_until = NULL, *e;
	char		 name[16];
	size_t		 i, j, k;
	int		 space = 0, nl = 0;

	buf_init(&b);
	for (i = 0; i < len; i++) {
		if (skip_until) {
			size_t	sl = strlen(skip_until);

			if (len - i >= sl && strncasecmp(h + i, skip_until,
			    sl) == 0) {
				i += sl - 1;
				skip_until = NULL;
			}
			continue;
		}
		if (h[i] == '<') {
			if (len - i >= 4 && memcmp(h + i, "<!--", 4) == 0) {
				skip_until = "-->";
				i += 3;
				continue;
			}
			tag_name(h + i + 1, len - i - 1, name, sizeof(name));
			if (!strcmp(name, "script"))
				skip_until = "</script>";
			else if (!strcmp(name, "style"))
				skip_until = "</style>";
			else if (!strcmp(name, "head"))
				skip_until = "</head>";
			for (k = 0; k < sizeof(block_tags) /
			    sizeof(block_tags[0]); k++)
				if (strcmp(name, block_tags[k]) == 0) {
					if (nl < 2 && b.len > 0)
						buf_putc(&b, '\n');
					nl++;
					space = 0;
					break;
				}
			if ((e = memchr(h + i, '>', len - i)) == NULL)
				break;
			i = (size_t)(e - h);
			continue;
		}
		if (h[i] == '&') {
			if (space && nl == 0 && b.len > 0)
				buf_putc(&b, ' ');
			space = 0;
			for (j = i + 1; j < len && j - i < 12 && h[j] != ';' &&
			    h[j] != '&' && h[j] != '<'; j++)
				;
			if (j < len && h[j] == ';' && j > i + 1) {
				if (h[i + 1] == '#') {
					unsigned long	 c;
					char		 num[16], *end;

					memcpy(num, h + i + 2, j - i - 2);
					num[j - i - 2] = '\0';
					c = (num[0] == 'x' || num[0] == 'X') ?
					    strtoul(num + 1, &end, 16) :
					    strtoul(num, &end, 10);
					if (*end == '\0' && end != num) {
						put_codepoint(&b, c);
						i = j;
						space = nl = 0;
						continue;
					}
				} else {
					for (k = 0; k < sizeof(entities) /
					    sizeof(entities[0]); k++)
						if (strlen(entities[k].name) ==
						    j - i - 1 && strncmp(h + i + 1,
						    entities[k].name,
						    j - i - 1) == 0)
							break;
					if (k < sizeof(entities) /
					    sizeof(entities[0])) {
						buf_puts(&b, entities[k].text);
						i = j;
						space = nl = 0;
						continue;
					}
				}
			}
		}
		if (h[i] == ' ' || h[i] == '\t' || h[i] == '\r' ||
		    h[i] == '\n') {
			space = 1;
			continue;
		}
		if (space && nl == 0 && b.len > 0)
			buf_putc(&b, ' ');
		space = nl = 0;
		buf_putc(&b, h[i]);
	}
	while (b.len > 0 && (b.s[b.len - 1] == '\n' || b.s[b.len - 1] == ' '))
		buf_truncate(&b, b.len - 1);
	return buf_release(&b);
}
