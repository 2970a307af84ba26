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
#include "util/b64.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/xmalloc.h"
#include "crypto/wrap.h"

static int	 is_field(const char *, size_t, const char *);

static int
is_field(const char *line, size_t n, const char *name)
{
	size_t	nl = strlen(name);

	return n > nl && line[nl] == ':' && strncasecmp(line, name, nl) == 0;
}

/*
 * The header block [text, text + hlen) split: the content fields go
 * inside; with protect (OpenPGP encryption) also Subject, From and To
 * (protected headers, RFC 9788 style); with keep_subject the Subject
 * stays outside too (a signed message is not hidden). MIME-Version goes
 * nowhere: the caller writes the outer one.
 */
static void
split_fields(const char *text, size_t hlen, int protect, int keep_subject,
    struct buf *inner, struct buf *outer)
{
	const char	*p, *next, *line;
	size_t		 n;

	for (p = text; p < text + hlen; p = next) {
		/* one field with its continuation lines */
		next = p;
		do {
			line = memchr(next, '\n', (size_t)(text + hlen - next));
			next = line ? line + 1 : text + hlen;
		} while (next < text + hlen && (*next == ' ' ||
		    *next == '\t'));
		n = (size_t)(next - p);
		if (is_field(p, n, "Content-Type")) {
			if (protect) {
				buf_add(inner, p, n - 1);
				buf_puts(inner,
				    "; protected-headers=\"v1\"\n");
			} else
				buf_add(inner, p, n);
		} else if (is_field(p, n, "Content-Transfer-Encoding"))
			buf_add(inner, p, n);
		else if (is_field(p, n, "MIME-Version"))
			;	/* the outer one is added by the caller */
		else if (is_field(p, n, "Subject")) {
			if (protect)
				buf_add(inner, p, n);
			if (keep_subject)
				buf_add(outer, p, n);
		} else {
			if (protect && (is_field(p, n, "From") ||
			    is_field(p, n, "To")))
				buf_add(inner, p, n);
			buf_add(outer, p, n);
		}
	}
}

int
wrap_sign(const struct crypto *c, const char *signer, char **text,
    size_t *len, char **errstr)
{
	struct buf	 inner, outer, in2;
	const char	*hend, *body, *p;
	char		*sig = NULL, *micalg = NULL, bnd[33];
	size_t		 hlen, slen = 0;
	int		 eight = 0, rv = -1;

	if ((hend = strstr(*text, "\n\n")) == NULL) {
		*errstr = xstrdup("reply without a header block");
		return -1;
	}
	hlen = (size_t)(hend - *text) + 1;
	body = hend + 2;
	for (p = body; *p; p++)
		eight |= (unsigned char)*p >= 0x80;
	buf_init(&inner);
	buf_init(&outer);
	buf_init(&in2);
	split_fields(*text, hlen, 0, 1, &inner, &outer);
	/* signed data must pass any MTA unchanged (RFC 3156 5): 8-bit
	 * text goes inside as base64 */
	if (eight && strstr(inner.s, "multipart/") == NULL) {
		buf_truncate(&inner, 0);
		buf_puts(&inner, "Content-Type: text/plain; charset=utf-8\n"
		    "Content-Transfer-Encoding: base64\n\n");
		b64_put_lines_eol(&inner, body, strlen(body), "\n");
	} else {
		buf_puts(&inner, "\n");
		buf_puts(&inner, body);
	}
	buf_add_eol(&in2, inner.s, inner.len, "\r\n");
	if (gpg_sign_detached(c->gpg, signer, in2.s, in2.len, &sig, &slen,
	    &micalg, errstr) == -1)
		goto out;
	hash_random_hex(bnd, 16);
	buf_printf(&outer, "MIME-Version: 1.0\nContent-Type: multipart/signed; "
	    "micalg=%s;\n protocol=\"application/pgp-signature\";\n"
	    " boundary=\"psirt-%s\"\n\n"
	    "This is an OpenPGP/MIME signed message (RFC 4880 and 3156)\n"
	    "--psirt-%s\n", micalg, bnd, bnd);
	buf_add(&outer, inner.s, inner.len);
	buf_printf(&outer, "\n--psirt-%s\nContent-Type: application/"
	    "pgp-signature; name=\"signature.asc\"\n"
	    "Content-Description: OpenPGP digital signature\n"
	    "Content-Disposition: attachment; filename=\"signature.asc\"\n\n"
	    "%s\n--psirt-%s--\n", bnd, sig, bnd);
	free(*text);
	*len = outer.len;
	*text = buf_release(&outer);
	rv = 0;
out:
	buf_free(&inner);
	buf_free(&outer);
	buf_free(&in2);
	free(sig);
	free(micalg);
	return rv;
}

int
wrap_reply(const struct crypto *c, const struct wrap_to *to,
    char **text, size_t *len, const char *outer_subject, char **errstr)
{
	struct buf	 inner, outer, in2;
	const char	*hend, *p, *next;
	char		*ct = NULL, *enc = NULL, *der = NULL, *subj, bnd[33];
	size_t		 hlen, elen = 0, dlen = 0;
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
	split_fields(*text, hlen, pgp, 0, &inner, &outer);
	buf_puts(&inner, "\n");
	buf_puts(&inner, hend + 2);
	buf_add_eol(&in2, inner.s, inner.len, "\r\n");
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
