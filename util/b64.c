/*
 * b64.c: base64 through libsodium. See b64.h.
 */
#include <stdlib.h>

#include <sodium.h>

#include "util/b64.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define LINE_IN	57	/* input bytes of a 76-character line */

void
b64_put(struct buf *b, const void *p, size_t n)
{
	char	chunk[4 * LINE_IN / 3 + 1];
	size_t	k, c;

	/* a line's worth at a time: no buffer of the whole size */
	for (k = 0; k < n; k += c) {
		c = n - k > LINE_IN ? LINE_IN : n - k;
		sodium_bin2base64(chunk, sizeof(chunk),
		    (const unsigned char *)p + k, c,
		    sodium_base64_VARIANT_ORIGINAL);
		buf_puts(b, chunk);
	}
}

void
b64_put_lines(struct buf *b, const void *p, size_t n)
{
	b64_put_lines_eol(b, p, n, "\r\n");
}

void
b64_put_lines_eol(struct buf *b, const void *p, size_t n, const char *eol)
{
	size_t	k, c;

	for (k = 0; k < n; k += c) {
		c = n - k > LINE_IN ? LINE_IN : n - k;
		b64_put(b, (const unsigned char *)p + k, c);
		buf_puts(b, eol);
	}
}

int
b64_decode(const char *s, size_t n, char **out, size_t *outlen)
{
	const char	*end = NULL;
	size_t		 dl = 0;
	char		*d = xmalloc(n / 4 * 3 + 3);

	if (sodium_base642bin((unsigned char *)d, n / 4 * 3 + 3, s, n,
	    " \t\r\n", &dl, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    end != s + n) {
		free(d);
		return -1;
	}
	d[dl] = '\0';
	*out = d;
	*outlen = dl;
	return 0;
}
