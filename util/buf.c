/*
 * buf.c: growable NUL-terminated byte strings.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/buf.h"
#include "util/xmalloc.h"

static void	buf_grow(struct buf *, size_t, int);

void
buf_init(struct buf *b)
{
	b->cap = 64;
	b->len = 0;
	b->s = xmalloc(b->cap);
	b->s[0] = '\0';
}

/* Room for `more` bytes and the NUL: doubling, or exactly. */
static void
buf_grow(struct buf *b, size_t more, int exact)
{
	size_t	need;

	if (b->s == NULL)
		buf_init(b);
	if (more > ((size_t)-1) / 2 - b->len)
		fatalx("buffer size overflow");
	need = b->len + more + 1;
	if (need <= b->cap)
		return;
	if (exact)
		b->cap = need;
	while (b->cap < need)
		b->cap *= 2;
	b->s = xrealloc(b->s, b->cap);
}

void
buf_reserve(struct buf *b, size_t more)
{
	buf_grow(b, more, 1);
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n, 0);
	if (n)
		memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_putc(struct buf *b, int c)
{
	char	ch = (char)c;

	buf_add(b, &ch, 1);
}

void
buf_add_eol(struct buf *b, const char *s, size_t n, const char *eol)
{
	size_t	i, at = 0;

	for (i = 0; i < n; i++) {
		if (s[i] != '\n')
			continue;
		buf_add(b, s + at, i - at - (i > at && s[i - 1] == '\r'));
		buf_puts(b, eol);
		at = i + 1;
	}
	buf_add(b, s + at, n - at);
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	ap2;
	int	n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		fatalx("buf_vprintf: bad format");
	buf_grow(b, (size_t)n, 0);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
buf_truncate(struct buf *b, size_t n)
{
	if (b->s != NULL && n < b->len) {
		b->len = n;
		b->s[n] = '\0';
	}
}

char *
buf_release(struct buf *b)
{
	char	*s;

	if (b->s == NULL)
		buf_init(b);
	s = b->s;
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void
buf_free(struct buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}
