/*
 * wrap.c: encrypt a composed reply. See wrap.h.
 *
 * Input is what reply_compose() made: our own header block (LF line
 * ends, already encoded and folded) and a text/plain body. Nothing from
 * the reporter reaches a header here but through reply_compose().
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "crypto/cms.h"
#include "crypto/gpg.h"
#include "parsers/encode.h"
#include "crypto/unwrap.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/xmalloc.h"
#include "crypto/wrap.h"

static int	 is_field(const char *, size_t, const char *);
static void	 crlf(struct buf *, const char *, size_t);

static int
is_field(const char *line, size_t n, const char *name)
{
	size_t	nl = strlen(name);

	return n > nl && line[nl] == ':' && strncasecmp(line, name, nl) == 0;
}

static void
crlf(struct buf *b, const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
			buf_putc(b, '\r');
		buf_putc(b, s[i]);
	}
}

int
wrap_reply(const struct crypto *c, const struct wrap_to *to,
    char **text, size_t *len, const char *outer_subject, char **errstr)
{
	struct buf	 inner, outer, in2;
	const char	*hend, *p, *next, *line;
	char		*ct = NULL, *enc = NULL, *der = NULL, *subj, bnd[33];
	size_t		 hlen, elen = 0, dlen = 0, n;
	int		 pgp = strcmp(to->proto, "pgp") == 0, rv = -1;

	if ((hend = strstr(*text, "\n\n")) == NULL) {
		*errstr = xstrdup("reply without a header block");
		return -1;
	}
	hlen = (size_t)(hend - *text) + 1;
	buf_init(&inner);
	buf_init(&outer);
	buf_init(&in2);
	/* content fields and the protected ones go inside */
	for (p = *text; p < *text + hlen; p = next) {
		/* one field with its continuation lines */
		next = p;
		do {
			line = memchr(next, '\n',
			    (size_t)(*text + hlen - next));
			next = line ? line + 1 : *text + hlen;
		} while (next < *text + hlen && (*next == ' ' ||
		    *next == '\t'));
		n = (size_t)(next - p);
		if (is_field(p, n, "Content-Type")) {
			if (pgp) {
				buf_add(&inner, p, n - 1);
				buf_puts(&inner,
				    "; protected-headers=\"v1\"\n");
			} else
				buf_add(&inner, p, n);
		} else if (is_field(p, n, "Content-Transfer-Encoding"))
			buf_add(&inner, p, n);
		else if (is_field(p, n, "MIME-Version"))
			;	/* the outer one is added below */
		else if (is_field(p, n, "Subject")) {
			if (pgp)
				buf_add(&inner, p, n);
		} else {
			if (pgp && (is_field(p, n, "From") ||
			    is_field(p, n, "To")))
				buf_add(&inner, p, n);
			buf_add(&outer, p, n);
		}
	}
	buf_puts(&inner, "\n");
	buf_puts(&inner, hend + 2);
	crlf(&in2, inner.s, inner.len);
	sodium_memzero(inner.s, inner.len);
	buf_free(&inner);

	if (pgp) {
		if (gpg_encrypt_sign(c->gpg, to->fingerprint, to->signer,
		    in2.s, in2.len, &enc, &elen, errstr) == -1)
			goto out;
		hash_random_hex(bnd, 16);
		ct = xasprintf("Content-Type: multipart/encrypted; "
		    "protocol=\"application/pgp-encrypted\";\n"
		    " boundary=\"psirt-%s\"\n\n"
		    "This is an OpenPGP/MIME encrypted message "
		    "(RFC 4880 and 3156)\n"
		    "--psirt-%s\n"
		    "Content-Type: application/pgp-encrypted\n"
		    "Content-Description: PGP/MIME version identification\n\n"
		    "Version: 1\n\n"
		    "--psirt-%s\n"
		    "Content-Type: application/octet-stream; "
		    "name=\"encrypted.asc\"\n"
		    "Content-Description: OpenPGP encrypted message\n"
		    "Content-Disposition: inline; filename=\"encrypted.asc\""
		    "\n\n%s\n--psirt-%s--\n", bnd, bnd, bnd, enc, bnd);
	} else {
		if (gpg_export(c->gpg, GPG_CMS, to->fingerprint, 0, &der,
		    &dlen, errstr) == -1 ||
		    cms_sign_encrypt(c->smime_keydir, to->signer, der, dlen,
		    in2.s, in2.len, &enc, &elen, errstr) == -1)
			goto out;
		/* SMIME_write_CMS starts with its own MIME-Version */
		p = enc;
		if (strncasecmp(p, "MIME-Version:", 13) == 0 &&
		    (next = strchr(p, '\n')) != NULL)
			p = next + 1;
		ct = xstrdup(p);
	}
	subj = header_encode("Subject", outer_subject);
	buf_puts(&outer, subj);
	free(subj);
	buf_puts(&outer, "MIME-Version: 1.0\n");
	buf_puts(&outer, ct);
	sodium_memzero(*text, *len);
	free(*text);
	*len = outer.len;
	*text = buf_release(&outer);
	rv = 0;
out:
	buf_free(&outer);
	sodium_memzero(in2.s, in2.len);
	buf_free(&in2);
	free(enc);
	free(der);
	free(ct);
	return rv;
}
