/*
 * encode.c: header fields as we write them (RFC 5322 folding, RFC 2047
 * encoded-words), the writing side of header.c: replies (out/reply.c)
 * and the outer header of an encrypted reply (crypto/wrap.c). See
 * encode.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/encode.h"
#include "util/b64.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define ENC_CHUNK	39	/* input bytes per encoded-word: 52 chars */

static int
needs_encoding(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x7f || (unsigned char)*s < 0x20)
			return 1;
	return 0;
}

/* Encoded-words of at most ENC_CHUNK input bytes, never splitting a
 * UTF-8 sequence, separated by folding whitespace. */
static void
put_encoded(struct buf *b, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 len = strlen(s), i, n;
	int			 first = 1;

	for (i = 0; i < len; i += n) {
		n = len - i > ENC_CHUNK ? ENC_CHUNK : len - i;
		while (n > 0 && i + n < len && (p[i + n] & 0xc0) == 0x80)
			n--;
		if (n == 0)
			n = 1;
		if (!first)
			buf_puts(b, "\n ");
		first = 0;
		buf_puts(b, "=?UTF-8?B?");
		b64_put(b, p + i, n);
		buf_puts(b, "?=");
	}
}

/* The longest run of blanks (blank 1) or of other bytes (blank 0). */
static size_t
longest_run(const char *s, int blank)
{
	size_t	n = 0, best = 0;

	for (; *s; s++) {
		n = (*s == ' ') != blank ? 0 : n + 1;
		if (n > best)
			best = n;
	}
	return best;
}

/* ASCII text folded at blanks before column 78 where it can be. */
static void
put_folded(struct buf *b, const char *s, size_t col)
{
	const char	*sp, *start = s;
	size_t		 w;

	while (*s) {
		sp = strchr(s, ' ');
		w = sp ? (size_t)(sp - s) : strlen(s);
		if (s != start && col > 1 && col + w > 78) {
			buf_puts(b, "\n ");
			col = 1;
		}
		buf_add(b, s, w);
		col += w;
		s += w;
		if (*s == ' ') {
			/* keep runs of blanks; fold only at the last one
			 * (a run too long for a line is encoded instead) */
			while (s[1] == ' ') {
				buf_putc(b, ' ');
				col++;
				s++;
			}
			if (s[1] != '\0' && col + 1 + strcspn(s + 1, " ") > 78) {
				buf_puts(b, "\n ");
				col = 1;
				s++;
			} else {
				buf_putc(b, ' ');
				col++;
				s++;
			}
		}
	}
}

char *
header_encode(const char *name, const char *value)
{
	struct buf	 b;
	char		*flat, *p;

	flat = xstrdup(value ? value : "");
	for (p = flat; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	buf_init(&b);
	buf_printf(&b, "%s: ", name);
	/* what folding cannot keep under 998 bytes a line (a folded
	 * line may not be blanks only) goes into encoded-words */
	if (needs_encoding(flat) || strstr(flat, "=?") != NULL ||
	    longest_run(flat, 0) > 900 || longest_run(flat, 1) > 900)
		put_encoded(&b, flat);
	else
		put_folded(&b, flat, strlen(name) + 2);
	buf_putc(&b, '\n');
	free(flat);
	return buf_release(&b);
}

void
header_encode_phrase(struct buf *b, const char *name)
{
	const char	*p;

	if (needs_encoding(name) || strlen(name) > 60) {
		put_encoded(b, name);
		return;
	}
	buf_putc(b, '"');
	for (p = name; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_putc(b, '\\');
		buf_putc(b, *p);
	}
	buf_putc(b, '"');
}

