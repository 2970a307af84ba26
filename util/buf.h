/*
 * buf: a growable byte string, always NUL-terminated.
 */
#ifndef PSIRT_UTIL_BUF_H
#define PSIRT_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*s;		/* NUL-terminated contents, never NULL after init */
	size_t	 len;
	size_t	 cap;
};

void	 buf_init(struct buf *);
/* Room for `more` bytes (and the NUL) at once, exactly: for a size
 * known in advance, no doubling past it. */
void	 buf_reserve(struct buf *, size_t);
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_puts(struct buf *, const char *);
void	 buf_putc(struct buf *, int);
/* [s, s+n) with every line end (LF or CRLF) written as eol ("\r\n":
 * the canonical form of RFC 2046 4.1.1; "\n"); a lone CR stays. */
void	 buf_add_eol(struct buf *, const char *, size_t, const char *eol);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_vprintf(struct buf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
void	 buf_truncate(struct buf *, size_t);
char	*buf_release(struct buf *);	/* caller frees; buf is reset */
void	 buf_free(struct buf *);

#endif
