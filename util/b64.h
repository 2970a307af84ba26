/*
 * b64: base64 (RFC 4648, the alphabet of MIME) through libsodium, in
 * one place: for encoded-words, body parts, armour and Autocrypt.
 */
#ifndef PSIRT_UTIL_B64_H
#define PSIRT_UTIL_B64_H

#include <stddef.h>

struct buf;

/* The base64 of [p, p+n), padded, on one line, appended to b. */
void	b64_put(struct buf *, const void *p, size_t n);
/* The same in lines of 76 characters, each ended by CRLF (RFC 2045). */
void	b64_put_lines(struct buf *, const void *p, size_t n);
/* The same with another line end ("\n" for a message kept with LF). */
void	b64_put_lines_eol(struct buf *, const void *p, size_t n,
	    const char *eol);
/* Well-formed base64 (padded; blanks and line ends anywhere between)
 * into a malloc'd buffer of its decoded size plus a NUL: 0, or -1 when
 * anything else is in it. */
int	b64_decode(const char *s, size_t n, char **out, size_t *outlen);

#endif
