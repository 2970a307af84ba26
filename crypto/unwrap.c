/*
 * unwrap.c: take encryption and signatures off a message. See unwrap.h.
 *
 * Trust: the message is hostile. Only byte ranges that mime_parse()
 * reported are spliced; every decoded or decrypted buffer is bounded by
 * decrypted_size_limit (gpg.c, cms.c) and wiped when dropped; the number
 * of rounds is bounded by crypto_layers_limit, and a part that could not
 * be opened is remembered by its digest so it is not tried again.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#endif

#include "crypto/cms.h"
#include "crypto/gpg.h"
#include "crypto/unwrap.h"
#include "util/b64.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/xmalloc.h"
#include "parsers/armor.h"
#include "parsers/header.h"
#include "parsers/mime.h"

#define MAX_ARMOR	16	/* armour blocks read in one text part */
#define MAX_DONE	256	/* parts remembered as not to be opened */

enum action {
	ACT_NONE, ACT_PGPMIME, ACT_SMIME, ACT_SIGNED, ACT_OPAQUE, ACT_INLINE,
	ACT_ATTACHMENT, ACT_KEY
};

struct run {
	const struct crypto	*c;
	struct unwrap		*u;
	const char		*cur;		/* the input, or own */
	char			*own;		/* a layer taken off: ours */
	size_t			 len;
	struct mime_msg		*m;
	char			 done[MAX_DONE][65];
	size_t			 ndone;
	struct buf		 notes;
	int			 opened, failed;
	int			 fresh_sig;	/* the message's signature was
						 * taken over the part that the
						 * next splice puts in place */
};

static void	 note(struct run *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	 wipe_free(char *, size_t);
static void	 entity_digest(const struct run *, size_t, char[65]);
static int	 is_done(const struct run *, size_t);
static void	 mark_done(struct run *, size_t);
static long	 child(const struct mime_msg *, size_t, int);
static int	 has_ext(const char *, const char *);
static enum action what(const struct run *, size_t);
static void	 splice(struct run *, size_t, const char *, size_t);
static void	 keep_fields(struct buf *, const char *, size_t, int,
		    int, int);
static int	 entity_encrypted(const char *, size_t);
static void	 consider_sig(struct run *, const struct sig_info *, size_t,
		    size_t, int, int);
static void	 encrypted(struct run *, const char *, const char *);
static void	 not_opened(struct run *, const char *, char *);
static int	 do_pgpmime(struct run *, size_t);
static int	 do_smime(struct run *, size_t);
static void	 signed_range(const struct run *, size_t, size_t, size_t *,
		    size_t *);
static int	 all_bad(const struct sig_info *, size_t);
static int	 do_signed(struct run *, size_t);
static int	 do_opaque(struct run *, size_t);
static int	 do_inline(struct run *, size_t);
static int	 do_attachment(struct run *, size_t);
static void	 do_key(struct run *, size_t);
static int	 looks_crypto(const char *, size_t);
static const char *looks_encrypted(const char *, size_t);

static void
note(struct run *r, const char *fmt, ...)
{
	va_list	ap;

	if (r->notes.len)
		buf_puts(&r->notes, "; ");
	va_start(ap, fmt);
	buf_vprintf(&r->notes, fmt, ap);
	va_end(ap);
}

static void
wipe_free(char *p, size_t n)
{
	if (p == NULL)
		return;
	sodium_memzero(p, n);
	free(p);
}

static void
entity_digest(const struct run *r, size_t i, char out[65])
{
	const struct mime_part	*p = &r->m->parts[i];

	hash_sha256_hex(r->cur + p->off, p->len, out);
}

static int
is_done(const struct run *r, size_t i)
{
	char	d[65];
	size_t	k;

	entity_digest(r, i, d);
	for (k = 0; k < r->ndone; k++)
		if (strcmp(r->done[k], d) == 0)
			return 1;
	return 0;
}

static void
mark_done(struct run *r, size_t i)
{
	if (r->ndone < MAX_DONE)
		entity_digest(r, i, r->done[r->ndone++]);
}

/* The n-th (0-based) child of part i, or -1. */
static long
child(const struct mime_msg *m, size_t i, int n)
{
	size_t	k;

	for (k = i + 1; k < m->nparts; k++)
		if (m->parts[k].parent == (long)i && n-- == 0)
			return (long)k;
	return -1;
}

static int
has_ext(const char *name, const char *ext)
{
	size_t	nl, el = strlen(ext);

	if (name == NULL || (nl = strlen(name)) <= el)
		return 0;
	return strcasecmp(name + nl - el, ext) == 0;
}

static enum action
what(const struct run *r, size_t i)
{
	const struct mime_part	*p = &r->m->parts[i];
	const char		*t = p->type;
	long			 up = p->parent;

	if (up >= 0 && (strcmp(r->m->parts[up].type,
	    "multipart/encrypted") == 0 ||
	    strcmp(r->m->parts[up].type, "multipart/signed") == 0))
		return ACT_NONE;	/* handled with their parent */
	if (strcmp(t, "multipart/encrypted") == 0)
		return ACT_PGPMIME;
	if (strcmp(t, "multipart/signed") == 0)
		return ACT_SIGNED;
	if (strcmp(t, "application/pkcs7-mime") == 0 ||
	    strcmp(t, "application/x-pkcs7-mime") == 0 ||
	    (strcmp(t, "application/octet-stream") == 0 &&
	    has_ext(p->filename, ".p7m"))) {
		if (p->smime_type && strcmp(p->smime_type, "signed-data") == 0)
			return ACT_OPAQUE;
		if (p->smime_type && strcmp(p->smime_type,
		    "compressed-data") == 0)
			return ACT_NONE;
		return ACT_SMIME;
	}
	if (strcmp(t, "application/pgp-keys") == 0)
		return ACT_KEY;
	if (strcmp(t, "application/pgp-signature") == 0 ||
	    strcmp(t, "application/pkcs7-signature") == 0 ||
	    strcmp(t, "application/x-pkcs7-signature") == 0)
		return ACT_NONE;	/* a detached signature alone */
	if (strcmp(t, "application/pgp-encrypted") == 0 ||
	    has_ext(p->filename, ".pgp") || has_ext(p->filename, ".gpg") ||
	    (has_ext(p->filename, ".asc") && strncmp(t, "text/", 5) != 0))
		return ACT_ATTACHMENT;
	if (strcmp(t, "text/plain") == 0 && p->filename == NULL)
		return ACT_INLINE;
	if (strcmp(t, "text/plain") == 0 && has_ext(p->filename, ".asc"))
		return ACT_ATTACHMENT;
	return ACT_NONE;
}

/*
 * Copy the header fields of [s, s+n) (a header block) that are kept:
 * content fields when `content`, the others when `others`, and Subject
 * only when `subject`.
 */
static void
keep_fields(struct buf *b, const char *s, size_t n, int content, int others,
    int subject)
{
	size_t	at = 0, end, fl;
	int	keep;

	while (at < n) {
		const char	*nl;

		if (s[at] == '\r' || s[at] == '\n')
			break;		/* the empty line */
		end = at;
		do {
			nl = memchr(s + end, '\n', n - end);
			end = nl ? (size_t)(nl - s) + 1 : n;
		} while (end < n && (s[end] == ' ' || s[end] == '\t'));
		fl = end - at;
		if (fl >= 8 && strncasecmp(s + at, "Content-", 8) == 0)
			keep = content;
		else if (fl >= 8 && strncasecmp(s + at, "Subject:", 8) == 0)
			keep = subject;
		else
			keep = others;
		if (keep) {
			buf_add(b, s + at, fl);
			if (s[end - 1] != '\n')
				buf_puts(b, "\r\n");
		}
		at = end;
	}
}

/*
 * Replace part i of the current message by `ent` (a MIME entity: header
 * block, empty line, body). The top part keeps the message's own header
 * fields, with the entity's content fields and, when it carries
 * protected headers, its Subject.
 */
static void
splice(struct run *r, size_t i, const char *ent, size_t elen)
{
	const struct mime_part	*p = &r->m->parts[i];
	struct header_list	 hl, outer;
	struct header_limits	 lim;
	const struct header_field *ct;
	struct buf		 b;
	size_t			 boff = 0, moff = 0;
	int			 protect = 0, has_subject;

	memset(&hl, 0, sizeof(hl));
	memset(&outer, 0, sizeof(outer));
	lim = header_limits_of(r->c->lim);
	header_split(ent, elen, &lim, &hl, &boff);
	buf_init(&b);
	if (p->parent == -1) {
		ct = header_get(&hl, "Content-Type", 0);
		protect = ct && memmem(ct->value, ct->value_len,
		    "protected-headers", 17) != NULL;
		has_subject = header_get(&hl, "Subject", 0) != NULL;
		/* where the message's own header block ends */
		header_split(r->cur, r->len, &lim, &outer, &moff);
		header_list_free(&outer);
		keep_fields(&b, r->cur, moff, 0, 1, !(protect && has_subject));
		if (protect && has_subject) {
			note(r, "protected Subject used");
			/* inside the message's signature: commands may
			 * name their case in it (command.c) */
			r->u->sig_subject = r->fresh_sig && r->u->sig_whole;
		}
	} else
		buf_add(&b, r->cur, p->off);
	if (hl.count == 0)
		buf_puts(&b, "Content-Type: text/plain; charset=utf-8\r\n\r\n");
	else if (p->parent == -1) {
		keep_fields(&b, ent, boff, 1, 0, protect);
		buf_puts(&b, "\r\n");
	} else
		buf_add(&b, ent, boff);
	r->fresh_sig = 0;
	buf_add(&b, ent + boff, elen - boff);
	if (p->parent != -1)
		buf_add(&b, r->cur + p->off + p->len,
		    r->len - p->off - p->len);
	header_list_free(&hl);
	wipe_free(r->own, r->len);
	r->len = b.len;
	r->cur = r->own = buf_release(&b);
	r->u->changed = 1;
}

/* Is the entity itself encrypted (a signature over ciphertext)? */
static int
entity_encrypted(const char *s, size_t n)
{
	struct header_list		 hl;
	struct header_limits		 lim = { 0, 0, 0 };
	const struct header_field	*f;
	size_t				 off;
	char				*v;
	int				 enc = 0;

	header_split(s, n, &lim, &hl, &off);
	if ((f = header_get(&hl, "Content-Type", 0)) != NULL) {
		v = xstrndup(f->value, f->value_len);
		enc = strcasestr(v, "multipart/encrypted") != NULL ||
		    (strcasestr(v, "pkcs7-mime") != NULL &&
		    strcasestr(v, "signed-data") == NULL);
		free(v);
	}
	header_list_free(&hl);
	return enc;
}

/*
 * Take the first signature of a verdict as the message's, unless it is
 * over encrypted data or inside an attached message, or one is taken.
 */
static void
consider_sig(struct run *r, const struct sig_info *v, size_t n, size_t part,
    int over_ciphertext, int whole)
{
	const struct mime_part	*p = &r->m->parts[part];
	size_t			 k;

	for (k = 0; k < n; k++)
		note(r, "%s signature %s by %s%s", v[k].proto,
		    sig_status_name(v[k].status), v[k].fingerprint ?
		    v[k].fingerprint : "(no key ID)", over_ciphertext ?
		    " over encrypted data, ignored" : p->in_message ?
		    " in an attached message" : "");
	if (n == 0 || r->u->has_sig || over_ciphertext || p->in_message)
		return;
	r->u->has_sig = 1;
	r->u->sig = v[0];
	r->u->sig.fingerprint = v[0].fingerprint ?
	    xstrdup(v[0].fingerprint) : NULL;
	r->u->sig.signer = v[0].signer ? xstrdup(v[0].signer) : NULL;
	r->u->sig.addrs = v[0].addrs ? xstrdup(v[0].addrs) : NULL;
	r->u->sig.detail = v[0].detail ? xstrdup(v[0].detail) : NULL;
	r->u->sig_whole = whole && p->parent == -1;
	r->fresh_sig = 1;
}

static void
encrypted(struct run *r, const char *proto, const char *by)
{
	if (r->u->encryption == NULL)
		r->u->encryption = proto;
	if (by) {
		r->opened++;
		if (r->u->decrypted_by == NULL)
			r->u->decrypted_by = by;
	}
}

static void
not_opened(struct run *r, const char *what_, char *reason)
{
	r->failed++;
	note(r, "%s not decrypted: %s", what_, reason);
	if (r->u->error == NULL)
		r->u->error = reason;
	else
		free(reason);
}

static int
do_pgpmime(struct run *r, size_t i)
{
	struct sig_info	*sigs = NULL;
	char		*body, *out, *reason = NULL;
	size_t		 blen, olen, nsig;
	long		 k = child(r->m, i, 1);

	encrypted(r, "pgp", NULL);
	if (k < 0) {
		not_opened(r, "PGP/MIME part", xstrdup("no encrypted data "
		    "part"));
		return 0;
	}
	mime_part_body(&r->m->parts[k], r->cur, &body, &blen);
	if (gpg_decrypt(r->c->gpg, GPG_PGP, body, blen, &out, &olen, &sigs,
	    &nsig, &reason) == -1) {
		free(body);
		not_opened(r, "PGP/MIME part", reason);
		return 0;
	}
	free(body);
	encrypted(r, "pgp", "gpg");
	consider_sig(r, sigs, nsig, i, 0, 1);
	sig_info_free(sigs, nsig);
	splice(r, i, out, olen);
	wipe_free(out, olen);
	return 1;
}

static int
do_smime(struct run *r, size_t i)
{
	struct sig_info	*sigs = NULL;
	char		*der, *out, *why1 = NULL, *why2 = NULL;
	size_t		 dlen, olen, nsig;
	const char	*by = "gpgsm";

	mime_part_body(&r->m->parts[i], r->cur, &der, &dlen);
	if (gpg_decrypt(r->c->gpg, GPG_CMS, der, dlen, &out, &olen, &sigs,
	    &nsig, &why1) == -1) {
		by = "openssl";
		if (cms_decrypt(r->c->smime_keydir, der, dlen,
		    r->c->lim->decrypted_size, &out, &olen, &why2) == -1) {
			/* not enveloped after all: perhaps opaque signed */
			if (r->m->parts[i].smime_type == NULL &&
			    do_opaque(r, i)) {
				free(der);
				free(why1);
				free(why2);
				return 1;
			}
			free(der);
			encrypted(r, "smime", NULL);
			not_opened(r, "S/MIME part", xasprintf("gpgsm: %s; "
			    "OpenSSL: %s", why1, why2));
			free(why1);
			free(why2);
			return 0;
		}
	}
	free(der);
	free(why1);
	sig_info_free(sigs, nsig);
	encrypted(r, "smime", by);
	if (strcmp(by, "openssl") == 0)
		note(r, "S/MIME decrypted by OpenSSL (gpgsm cannot)");
	splice(r, i, out, olen);
	wipe_free(out, olen);
	return 1;
}

/*
 * The signed part of multipart/signed i as RFC 1847 2.1 and RFC 3156 5
 * cut it: from after the line end of the boundary line before it to
 * before the line end that precedes the next boundary line. libetpan
 * starts a first part after the empty lines that follow the boundary
 * line, so a part without header fields (it begins with the empty line,
 * as s-nail's S/MIME signing makes it) would lose that line, and with it
 * its signature: the range is taken back over them to the end of the
 * boundary line, which must hold the delimiter that follows the part.
 */
static void
signed_range(const struct run *r, size_t i, size_t c1, size_t *off,
    size_t *len)
{
	const struct mime_part	*p = &r->m->parts[c1];
	const char		*s = r->cur, *nl;
	size_t			 lo = r->m->parts[i].body_off, q, ls, nx;
	size_t			 end = p->off + p->len;

	*off = p->off;
	*len = p->len;
	for (q = p->off; q > lo && (s[q - 1] == ' ' || s[q - 1] == '\t' ||
	    s[q - 1] == '\r' || s[q - 1] == '\n'); q--)
		;
	for (ls = q; ls > lo && s[ls - 1] != '\n'; ls--)
		;
	nx = end + (end < r->len && s[end] == '\r');
	if (nx >= r->len || s[nx] != '\n')
		return;
	nx++;
	if (q - ls < 3 || s[ls] != '-' || s[ls + 1] != '-' ||
	    q - ls > r->len - nx || memcmp(s + ls, s + nx, q - ls) != 0 ||
	    (nl = memchr(s + q, '\n', p->off - q)) == NULL)
		return;
	*off = (size_t)(nl - s) + 1;
	*len = end - *off;
}

/* Does each signature of a verdict say "bad" (the data differ)? */
static int
all_bad(const struct sig_info *v, size_t n)
{
	size_t	k;

	for (k = 0; k < n; k++)
		if (v[k].status != SIG_BAD)
			return 0;
	return n > 0;
}

/*
 * A signed part is verified on its bytes as received, and when the
 * signature does not hold on them, in the canonical form (CRLF line
 * ends, RFC 2046 4.1.1, RFC 3156 5, RFC 8551 3.1.1: what the signer
 * hashed when a mail system gave us LF), then with LF line ends (a
 * signer that hashed its local text as it was). The part put in place
 * of the multipart/signed is the form the signature holds on, so the
 * content used as signed is exactly the content that was verified;
 * forms differ in their line ends only.
 */
static int
do_signed(struct run *r, size_t i)
{
	static const char *const eol[] = { NULL, "\r\n", "\n" };
	static const char *const name[] = { NULL, "in canonical form "
	    "(CRLF line ends)", "with LF line ends" };
	const struct mime_part	*p = &r->m->parts[i];
	struct sig_info		*sigs = NULL, *v, bad;
	enum gpg_proto		 pr;
	struct buf		 ent, alt;
	char			*sig = NULL, *reason = NULL, *why;
	size_t			 slen = 0, nsig = 0, nv, off, elen;
	long			 c1 = child(r->m, i, 0), c2 = child(r->m, i, 1);
	int			 over, f;

	if (c1 < 0)
		return 0;
	pr = (p->protocol && strstr(p->protocol, "pgp")) ? GPG_PGP : GPG_CMS;
	if (c2 >= 0 && p->protocol == NULL) {
		const char *t = r->m->parts[c2].type;

		pr = strstr(t, "pgp") ? GPG_PGP : GPG_CMS;
	}
	signed_range(r, i, (size_t)c1, &off, &elen);
	buf_init(&ent);
	buf_add(&ent, r->cur + off, elen);
	over = entity_encrypted(ent.s, ent.len);
	if (c2 < 0)
		reason = xstrdup("the signature part is missing");
	else
		mime_part_body(&r->m->parts[c2], r->cur, &sig, &slen);
	for (f = 0; c2 >= 0 && f < 3; f++) {
		buf_init(&alt);
		if (f > 0) {
			buf_add_eol(&alt, ent.s, ent.len, eol[f]);
			if (alt.len == ent.len) {
				wipe_free(alt.s, alt.len);
				continue;	/* no other form */
			}
		}
		why = NULL;
		if (gpg_verify(r->c->gpg, pr, sig, slen, f ? alt.s : ent.s,
		    f ? alt.len : ent.len, NULL, NULL, &v, &nv, &why) == -1) {
			if (f == 0)
				reason = why;
			else
				free(why);
			wipe_free(alt.s, alt.len);
			break;
		}
		if (f == 0) {
			sigs = v;
			nsig = nv;
		} else if (!all_bad(v, nv)) {
			note(r, "signed part verified %s, not as received",
			    name[f]);
			sig_info_free(sigs, nsig);
			sigs = v;
			nsig = nv;
			wipe_free(ent.s, ent.len);
			ent = alt;
			break;
		} else
			sig_info_free(v, nv);
		wipe_free(alt.s, alt.len);
		if (!all_bad(sigs, nsig))
			break;
	}
	if (reason) {
		memset(&bad, 0, sizeof(bad));
		bad.status = SIG_ERROR;
		bad.proto = pr == GPG_PGP ? "pgp" : "smime";
		bad.detail = reason;
		consider_sig(r, &bad, 1, i, over, 1);
		free(reason);
	} else
		consider_sig(r, sigs, nsig, i, over, 1);
	sig_info_free(sigs, nsig);
	free(sig);
	splice(r, i, ent.s, ent.len);
	wipe_free(ent.s, ent.len);
	return 1;
}

static int
do_opaque(struct run *r, size_t i)
{
	struct sig_info	*sigs = NULL;
	char		*der, *out = NULL, *reason = NULL;
	size_t		 dlen, olen = 0, nsig = 0;

	mime_part_body(&r->m->parts[i], r->cur, &der, &dlen);
	if (gpg_verify(r->c->gpg, GPG_CMS, der, dlen, NULL, 0, &out, &olen,
	    &sigs, &nsig, &reason) == -1 || olen == 0) {
		struct sig_info	bad;

		memset(&bad, 0, sizeof(bad));
		bad.status = SIG_ERROR;
		bad.proto = "smime";
		bad.detail = reason ? reason : xstrdup("no signed content");
		consider_sig(r, &bad, 1, i, 0, 1);
		free(bad.detail);
		sig_info_free(sigs, nsig);
		free(der);
		free(out);
		return 0;
	}
	free(der);
	consider_sig(r, sigs, nsig, i, entity_encrypted(out, olen), 1);
	sig_info_free(sigs, nsig);
	splice(r, i, out, olen);
	wipe_free(out, olen);
	return 1;
}

/* Inline armour in a text/plain part: decrypt or verify each block. */
static int
do_inline(struct run *r, size_t i)
{
	const struct mime_part	*p = &r->m->parts[i];
	struct armor_block	*blk;
	struct sig_info		*sigs;
	struct buf		 nb, ent;
	char			*body, *out, *reason, *cs;
	size_t			 blen, n, k, at = 0, olen, nsig;
	int			 replaced = 0, whole;

	mime_part_body(p, r->cur, &body, &blen);
	n = armor_find(body, blen, MAX_ARMOR, &blk);
	if (n == 0) {
		free(body);
		return 0;
	}
	buf_init(&nb);
	for (k = 0; k < n; k++) {
		buf_add(&nb, body + at, blk[k].off - at);
		at = blk[k].off + blk[k].len;
		out = reason = NULL;
		sigs = NULL;
		nsig = 0;
		whole = n == 1 &&
		    strspn(body, " \t\r\n") >= blk[k].off &&
		    strspn(body + at, " \t\r\n") == blen - at;
		if (blk[k].kind == ARMOR_MESSAGE) {
			encrypted(r, "pgp", NULL);
			if (gpg_decrypt(r->c->gpg, GPG_PGP, blk[k].text,
			    blk[k].textlen, &out, &olen, &sigs, &nsig,
			    &reason) == -1)
				not_opened(r, "inline PGP block", reason);
			else {
				encrypted(r, "pgp", "gpg");
				consider_sig(r, sigs, nsig, i, 0, whole);
			}
		} else if (blk[k].kind == ARMOR_SIGNED) {
			if (gpg_verify(r->c->gpg, GPG_PGP, blk[k].text,
			    blk[k].textlen, NULL, 0, &out, &olen, &sigs,
			    &nsig, &reason) == -1) {
				struct sig_info	bad;

				memset(&bad, 0, sizeof(bad));
				bad.status = SIG_ERROR;
				bad.proto = "pgp";
				bad.detail = reason;
				consider_sig(r, &bad, 1, i, 0, whole);
				free(reason);
				out = NULL;
			} else
				consider_sig(r, sigs, nsig, i, 0, whole);
		} else {
			r->u->keys = xrealloc(r->u->keys,
			    (r->u->nkeys + 1) * sizeof(char *));
			r->u->keylens = xrealloc(r->u->keylens,
			    (r->u->nkeys + 1) * sizeof(size_t));
			r->u->keys[r->u->nkeys] = xstrndup(blk[k].text,
			    blk[k].textlen);
			r->u->keylens[r->u->nkeys++] = blk[k].textlen;
		}
		sig_info_free(sigs, nsig);
		if (out) {
			/* gpg ends the text with the line end it signed */
			if (blk[k].kind == ARMOR_SIGNED && olen > 0 &&
			    out[olen - 1] == '\n')
				olen -= (olen > 1 && out[olen - 2] == '\r') ?
				    2 : 1;
			buf_add(&nb, out, olen);
			replaced = 1;
			wipe_free(out, olen);
		} else
			buf_add(&nb, body + blk[k].off, blk[k].len);
	}
	buf_add(&nb, body + at, blen - at);
	armor_free(blk, n);
	wipe_free(body, blen);
	if (!replaced) {
		buf_free(&nb);
		return 0;
	}
	/* the armour was ASCII: say UTF-8 when that is what we now have */
	cs = p->charset;
	if (cs == NULL || strcmp(cs, "us-ascii") == 0) {
		for (k = 0; k < nb.len; k++)
			if (nb.s[k] & 0x80)
				break;
		if (k < nb.len)
			cs = "utf-8";
	}
	buf_init(&ent);
	buf_printf(&ent, "Content-Type: text/plain; charset=\"%s\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n", cs ? cs : "us-ascii");
	b64_put_lines(&ent, nb.s ? nb.s : "", nb.len);
	wipe_free(nb.s, nb.len);
	splice(r, i, ent.s, ent.len);
	wipe_free(ent.s, ent.len);
	return 1;
}

/* An encrypted file: decrypted under its name without .pgp/.gpg/.asc. */
static int
do_attachment(struct run *r, size_t i)
{
	const struct mime_part	*p = &r->m->parts[i];
	struct sig_info		*sigs = NULL;
	struct buf		 ent;
	char			*body, *out, *reason = NULL, *name, *q;
	size_t			 blen, olen, nsig = 0, k;

	mime_part_body(p, r->cur, &body, &blen);
	if (!armor_is_openpgp(body, blen)) {
		free(body);
		return 0;
	}
	encrypted(r, "pgp", NULL);
	if (gpg_decrypt(r->c->gpg, GPG_PGP, body, blen, &out, &olen, &sigs,
	    &nsig, &reason) == -1) {
		free(body);
		not_opened(r, "encrypted attachment", reason);
		return 0;
	}
	free(body);
	encrypted(r, "pgp", "gpg");
	consider_sig(r, sigs, nsig, i, 0, 0);
	sig_info_free(sigs, nsig);
	name = xstrdup(p->filename ? p->filename : "decrypted");
	if ((q = strrchr(name, '.')) != NULL && q != name &&
	    (strcasecmp(q, ".pgp") == 0 || strcasecmp(q, ".gpg") == 0 ||
	    strcasecmp(q, ".asc") == 0))
		*q = '\0';
	buf_init(&ent);
	buf_printf(&ent, "Content-Type: %s\r\nContent-Disposition: "
	    "attachment; filename*=utf-8''", has_ext(name, ".txt") ?
	    "text/plain; charset=utf-8" : "application/octet-stream");
	for (k = 0; name[k]; k++) {
		unsigned char	c = (unsigned char)name[k];

		if (isalnum(c) || strchr("!#$&+-.^_`|~", c))
			buf_putc(&ent, c);
		else
			buf_printf(&ent, "%%%02X", c);
	}
	buf_puts(&ent, "\r\nContent-Transfer-Encoding: base64\r\n\r\n");
	b64_put_lines(&ent, out, olen);
	wipe_free(out, olen);
	free(name);
	splice(r, i, ent.s, ent.len);
	wipe_free(ent.s, ent.len);
	return 1;
}

static void
do_key(struct run *r, size_t i)
{
	char	*body;
	size_t	 blen;

	mime_part_body(&r->m->parts[i], r->cur, &body, &blen);
	if (!armor_is_openpgp(body, blen) &&
	    !(blen > 0 && ((unsigned char)body[0] & 0x80))) {
		note(r, "part %zu claims to be a key but is not OpenPGP data",
		    i + 1);
		free(body);
		return;
	}
	r->u->keys = xrealloc(r->u->keys, (r->u->nkeys + 1) * sizeof(char *));
	r->u->keylens = xrealloc(r->u->keylens,
	    (r->u->nkeys + 1) * sizeof(size_t));
	r->u->keys[r->u->nkeys] = body;
	r->u->keylens[r->u->nkeys++] = blen;
}

int
unwrap(const struct crypto *c, const char *in, size_t len, struct unwrap *u,
    char **errstr)
{
	struct run	 r;
	enum action	 a;
	size_t		 round, i;
	char		*err = NULL;
	int		 acted;

	(void)errstr;
	memset(u, 0, sizeof(*u));
	memset(&r, 0, sizeof(r));
	r.c = c;
	r.u = u;
	r.cur = in;	/* no copy until a layer comes off */
	r.len = len;
	buf_init(&r.notes);
	for (round = 0; c->gpg != NULL; round++) {
		if (mime_parse(r.cur, r.len, c->lim, &r.m, &err) == -1) {
			free(err);
			break;
		}
		acted = 0;
		for (i = 0; i < r.m->nparts && !acted; i++) {
			if ((a = what(&r, i)) == ACT_NONE || is_done(&r, i))
				continue;
			if (round >= c->lim->crypto_layers) {
				note(&r, "layers beyond crypto_layers_limit "
				    "(%zu) not opened", c->lim->crypto_layers);
				break;
			}
			switch (a) {
			case ACT_PGPMIME:
				acted = do_pgpmime(&r, i);
				break;
			case ACT_SMIME:
				acted = do_smime(&r, i);
				break;
			case ACT_SIGNED:
				acted = do_signed(&r, i);
				break;
			case ACT_OPAQUE:
				acted = do_opaque(&r, i);
				break;
			case ACT_INLINE:
				acted = do_inline(&r, i);
				break;
			case ACT_ATTACHMENT:
				acted = do_attachment(&r, i);
				break;
			case ACT_KEY:
				do_key(&r, i);
				break;
			default:
				break;
			}
			if (!acted)
				mark_done(&r, i);
		}
		mime_free(&r.m);
		if (!acted)
			break;
	}
	mime_free(&r.m);
	u->buf = r.own;
	u->len = r.own ? r.len : 0;
	u->decrypted = r.opened > 0 && r.failed == 0;
	u->notes = r.notes.len ? buf_release(&r.notes) : NULL;
	buf_free(&r.notes);
	return 0;
}

void
unwrap_free(struct unwrap *u)
{
	size_t	i;

	wipe_free(u->buf, u->len);
	free(u->error);
	free(u->sig.fingerprint);
	free(u->sig.signer);
	free(u->sig.addrs);
	free(u->sig.detail);
	free(u->notes);
	for (i = 0; i < u->nkeys; i++)
		free(u->keys[i]);
	free(u->keys);
	free(u->keylens);
	memset(u, 0, sizeof(*u));
}

int
unwrap_from_matches(const struct unwrap *u, const char *addr)
{
	const char	*p;
	size_t		 al;

	if (!u->has_sig || u->sig.addrs == NULL || addr == NULL)
		return 0;
	al = strlen(addr);
	for (p = u->sig.addrs; p; p = strchr(p, ',') ? strchr(p, ',') + 1 :
	    NULL) {
		size_t	l = strcspn(p, ",");

		if (l == al && strncasecmp(p, addr, al) == 0)
			return 1;
	}
	return 0;
}

/*
 * The time limit. GPGME has none, and a hostile message can make gpg
 * or gpgsm work for a long time. unwrap_timed() runs unwrap() in a
 * child process (its own process group, so gpg and gpgsm under it go
 * too) and reads the result from a pipe; past the limit the group is
 * killed and the message is kept as it is, with the reason. Messages
 * with nothing that looks like crypto do not pay for the fork.
 */
enum { R_END, R_BUF, R_ENC, R_DEC, R_BY, R_ERR, R_HASSIG, R_SST, R_SPROTO,
    R_SFPR, R_SSIGNER, R_SADDRS, R_STRUST, R_SCREATED, R_SDETAIL, R_SWHOLE,
    R_NOTES, R_KEY, R_CHANGED, R_SSUBJ };

static int	 put_rec(int, int, const void *, size_t);
static int	 put_str(int, int, const char *);
static int	 put_int(int, int, long long);
static int	 read_all(int, struct buf *, time_t);
static int	 parse_recs(const struct buf *, struct unwrap *);
static const char *proto_const(const char *);

static int
put_rec(int fd, int tag, const void *p, size_t n)
{
	unsigned char	h[9];
	const char	*s = p;
	size_t		 off = 0;
	ssize_t		 w;
	int		 i;

	h[0] = (unsigned char)tag;
	for (i = 0; i < 8; i++)
		h[1 + i] = (unsigned char)((uint64_t)n >> (56 - 8 * i));
	while (off < sizeof(h) + n) {
		if (off < sizeof(h))
			w = write(fd, h + off, sizeof(h) - off);
		else
			w = write(fd, s + off - sizeof(h),
			    n - (off - sizeof(h)));
		if (w == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		off += (size_t)w;
	}
	return 0;
}

static int
put_str(int fd, int tag, const char *v)
{
	return v ? put_rec(fd, tag, v, strlen(v)) : 0;
}

static int
put_int(int fd, int tag, long long v)
{
	char	b[32];

	snprintf(b, sizeof(b), "%lld", v);
	return put_rec(fd, tag, b, strlen(b));
}

/* Read until EOF or the deadline: 0, -1 error, -2 timed out. */
static int
read_all(int fd, struct buf *b, time_t deadline)
{
	struct pollfd	 pfd;
	char		 blk[65536];
	ssize_t		 n;
	time_t		 now;
	int		 r;

	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		now = time(NULL);
		if (now >= deadline)
			return -2;
		r = poll(&pfd, 1, (int)(deadline - now) * 1000);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return -1;
		if (r == 0)
			return -2;
		if ((n = read(fd, blk, sizeof(blk))) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			return 0;
		buf_add(b, blk, (size_t)n);
	}
}

static const char *
proto_const(const char *v)
{
	if (strcmp(v, "pgp") == 0)
		return "pgp";
	if (strcmp(v, "smime") == 0)
		return "smime";
	if (strcmp(v, "gpg") == 0)
		return "gpg";
	if (strcmp(v, "gpgsm") == 0)
		return "gpgsm";
	if (strcmp(v, "openssl") == 0)
		return "openssl";
	return NULL;
}

static int
parse_recs(const struct buf *b, struct unwrap *u)
{
	size_t		 off = 0, n;
	const char	*v;
	int		 tag, i;
	char		*s;

	while (off + 9 <= b->len) {
		tag = (unsigned char)b->s[off];
		for (n = 0, i = 0; i < 8; i++)
			n = (n << 8) | (unsigned char)b->s[off + 1 + i];
		off += 9;
		if (n > b->len - off)
			return -1;
		v = b->s + off;
		off += n;
		if (tag == R_END)
			return 0;
		if (tag == R_BUF) {
			u->buf = xstrndup(v, n);
			u->len = n;
			continue;
		}
		if (tag == R_KEY) {
			u->keys = xrealloc(u->keys,
			    (u->nkeys + 1) * sizeof(char *));
			u->keylens = xrealloc(u->keylens,
			    (u->nkeys + 1) * sizeof(size_t));
			u->keys[u->nkeys] = xstrndup(v, n);
			u->keylens[u->nkeys++] = n;
			continue;
		}
		s = xstrndup(v, n);
		switch (tag) {
		case R_ENC:	u->encryption = proto_const(s); break;
		case R_BY:	u->decrypted_by = proto_const(s); break;
		case R_SPROTO:	u->sig.proto = proto_const(s); break;
		case R_DEC:	u->decrypted = atoi(s); break;
		case R_CHANGED:	u->changed = atoi(s); break;
		case R_HASSIG:	u->has_sig = atoi(s); break;
		case R_SST:	u->sig.status = (enum sig_status)atoi(s); break;
		case R_STRUST:	u->sig.trusted = atoi(s); break;
		case R_SWHOLE:	u->sig_whole = atoi(s); break;
		case R_SSUBJ:	u->sig_subject = atoi(s); break;
		case R_SCREATED: u->sig.created = atoll(s); break;
		case R_ERR:	u->error = s; s = NULL; break;
		case R_SFPR:	u->sig.fingerprint = s; s = NULL; break;
		case R_SSIGNER:	u->sig.signer = s; s = NULL; break;
		case R_SADDRS:	u->sig.addrs = s; s = NULL; break;
		case R_SDETAIL:	u->sig.detail = s; s = NULL; break;
		case R_NOTES:	u->notes = s; s = NULL; break;
		default:	break;
		}
		free(s);
	}
	return -1;
}

/* Anything that may be encrypted or signed? (case-insensitive) */
static int
looks_crypto(const char *s, size_t n)
{
	static const char *const marks[] = {
		"-----BEGIN PGP", "multipart/encrypted", "multipart/signed",
		"pkcs7-mime", "application/pgp", ".p7m", ".pgp", ".gpg",
		".asc"
	};
	size_t	 i, k, ml;

	for (k = 0; k < sizeof(marks) / sizeof(marks[0]); k++) {
		ml = strlen(marks[k]);
		for (i = 0; i + ml <= n; i++)
			if ((s[i] | 0x20) == (marks[k][0] | 0x20) &&
			    strncasecmp(s + i, marks[k], ml) == 0)
				return 1;
	}
	return 0;
}

int
unwrap_timed(const struct crypto *c, const char *in, size_t len,
    long long limit, struct unwrap *u, char **errstr)
{
	struct buf	 b;
	pid_t		 pid;
	int		 p[2], st, r, fd;
	size_t		 i;

	if (c->gpg == NULL || limit <= 0 || !looks_crypto(in, len))
		return unwrap(c, in, len, u, errstr);
	if (pipe(p) == -1 || (pid = fork()) == -1) {
		*errstr = xasprintf("crypto stage: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		setpgid(0, 0);
		close(p[0]);
		fd = p[1];
		if (unwrap(c, in, len, u, errstr) == -1)
			_exit(2);
		if (put_int(fd, R_CHANGED, u->changed) || (u->changed &&
		    put_rec(fd, R_BUF, u->buf, u->len)) ||
		    put_str(fd, R_ENC, u->encryption) ||
		    put_int(fd, R_DEC, u->decrypted) ||
		    put_str(fd, R_BY, u->decrypted_by) ||
		    put_str(fd, R_ERR, u->error) ||
		    put_int(fd, R_HASSIG, u->has_sig) ||
		    put_int(fd, R_SST, u->sig.status) ||
		    put_str(fd, R_SPROTO, u->sig.proto) ||
		    put_str(fd, R_SFPR, u->sig.fingerprint) ||
		    put_str(fd, R_SSIGNER, u->sig.signer) ||
		    put_str(fd, R_SADDRS, u->sig.addrs) ||
		    put_int(fd, R_STRUST, u->sig.trusted) ||
		    put_int(fd, R_SCREATED, u->sig.created) ||
		    put_str(fd, R_SDETAIL, u->sig.detail) ||
		    put_int(fd, R_SWHOLE, u->sig_whole) ||
		    put_int(fd, R_SSUBJ, u->sig_subject) ||
		    put_str(fd, R_NOTES, u->notes))
			_exit(3);
		for (i = 0; i < u->nkeys; i++)
			if (put_rec(fd, R_KEY, u->keys[i], u->keylens[i]))
				_exit(3);
		if (put_rec(fd, R_END, "", 0))
			_exit(3);
#ifdef __SANITIZE_ADDRESS__
		/* _exit skips LeakSanitizer: check the crypto stage here */
		unwrap_free(u);
		if (__lsan_do_recoverable_leak_check())
			_exit(4);
#endif
		_exit(0);
	}
	setpgid(pid, pid);	/* both sides: no race with kill below */
	close(p[1]);
	buf_init(&b);
	r = read_all(p[0], &b, time(NULL) + (time_t)limit);
	close(p[0]);
	if (r == -2)
		kill(-pid, SIGKILL);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	memset(u, 0, sizeof(*u));
	if (r == 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0 &&
	    parse_recs(&b, u) == 0) {
		sodium_memzero(b.s, b.len);
		buf_free(&b);
		return 0;
	}
	sodium_memzero(b.s, b.len);
	buf_free(&b);
	unwrap_free(u);
	/* kept as it came (no buf: the input), the reason recorded */
	u->encryption = looks_encrypted(in, len);
	u->error = r == -2 ? xasprintf("crypto_time_limit (%llds) exceeded",
	    limit) : xasprintf("crypto stage failed (%s %d)",
	    WIFSIGNALED(st) ? "signal" : "exit", WIFSIGNALED(st) ?
	    WTERMSIG(st) : WEXITSTATUS(st));
	u->notes = xstrdup(u->error);
	return 0;
}

/* Without opening anything: which protocol the message is encrypted
 * with, if any (for the record when the crypto stage failed). */
static const char *
looks_encrypted(const char *s, size_t n)
{
	if (memmem(s, n, "pkcs7-mime", 10) != NULL)
		return "smime";
	if (memmem(s, n, "multipart/encrypted", 19) != NULL ||
	    memmem(s, n, "-----BEGIN PGP MESSAGE", 22) != NULL)
		return "pgp";
	return NULL;
}
