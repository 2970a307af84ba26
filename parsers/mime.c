/*
 * mime.c: message bytes -> struct mime_msg, through libetpan.
 *
 * Contract: see mime.h. libetpan types never leave this file.
 * Trust: none. libetpan's parser recurses once per nesting level with no
 * bound of its own, so a message that could nest deeper than
 * mime_parts_limit (counted by nesting_bound()) is not given to it: its
 * body is kept as plain text with a warning. Our walk is bounded by
 * mime_depth_limit and mime_parts_limit and does not recurse deeper than
 * mime_depth_limit. Decoded text is cut at
 * text_size_limit. Header blocks (the message's and each part's) are cut
 * at the header limits (header.h). Diagnostics are collected as warnings
 * on the message (for `case show`); the one hard error is a message with
 * no header field and no body.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libetpan/libetpan.h>

#include "util/b64.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/xmalloc.h"
#include "parsers/bodytext.h"
#include "parsers/charset.h"
#include "parsers/header.h"
#include "parsers/html.h"
#include "parsers/mime.h"

/*
 * A message on the chain along which the report's text is looked for
 * (choose_text()): the top one (level 0), its first forwarded message
 * (message/rfc822), that one's first, and so on.
 */
struct level {
	size_t		*body;		/* its body text parts (parts[]
					 * indexes); level 0 has w->text */
	size_t		 nbody;
	size_t		*att;		/* its text files (bodytext_file) */
	size_t		 natt;
	int		 have_text;	/* as walk.have_text */
	int		 html_alt;	/* an HTML alternative stood in for
					 * a plain one that was a stub */
	int		 fwd;		/* the next level is its forwarded
					 * message */
};

struct walk {
	const struct limits	*lim;
	struct mime_msg		*m;
	struct buf		 text;
	struct buf		 warn;
	size_t			 nparts;
	size_t			 cap;
	int			 depth_warned;
	int			 parts_warned;
	int			 have_text;
	int			 in_report;	/* inside multipart/report */
	int			 in_message;	/* inside message/rfc822 */
	const char		*base;		/* the buffer parsed */
	size_t			 baselen;
	struct level		*lv;		/* the chain, lv[0] the top */
	size_t			 nlv;
	long			 cur;		/* the level walked, or -1:
						 * off the chain */
	int			 html_pick;	/* walking an HTML alternative
						 * chosen over a stub */
	char			*decl[CHARSET_DECLARED_MAX]; /* charsets
						 * the message declares */
	size_t			 ndecl;
	size_t			 ndeclwalked;	/* parts declared() saw */
	struct charset_ctx	 cx;		/* for the text, the headers */
};

static void	 warn(struct walk *, const char *);
static void	 declared(struct walk *, struct mailmime *, size_t);
static struct charset_ctx *ctx_for(struct walk *, const char *);
static char	*part_type(struct mailmime *);
static char	*param(struct mailmime_content *, const char *);
static void	 part_names(struct walk *, struct mailmime *,
		    struct mime_part *);
static int	 body_decode(const char *, size_t, int, char **, size_t *);
static int	 part_decode(struct mailmime *, char **, size_t *, int *);
static void	 walk(struct walk *, struct mailmime *, size_t, int, long);
static void	 walk_alternative(struct walk *, struct mailmime *, size_t,
		    int, long);
static void	 part_ranges(struct walk *, struct mailmime *,
		    struct mime_part *);
static void	 add_text(struct walk *, struct mime_part *, const char *,
		    size_t);
static int	 text_put(struct walk *, struct buf *, const struct mime_part *,
		    const char *, size_t);
static int	 put_cut(struct buf *, size_t, const char *, size_t);
static int	 plain_stub(struct mailmime *);
static void	 idx_add(size_t **, size_t *, size_t);
static void	 choose_text(struct walk *);
static void	 parse_dsn(struct mime_msg *, const char *, size_t);
static void	 join(char **, const char *, size_t);
static void	 returned_id(struct walk *, const char *, size_t);
static void	 add_ids(struct mime_msg *, const struct header_field *,
		    size_t);
static size_t	 nesting_bound(const char *, size_t);
static int	 blank(const char *, size_t);
static void	 part_header(struct walk *, const struct mime_part *, size_t);
static char	*lower(char *);

static char *
lower(char *s)
{
	char	*p;

	for (p = s; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return s;
}

static void
warn(struct walk *w, const char *s)
{
	if (w->warn.len)
		buf_puts(&w->warn, "; ");
	buf_puts(&w->warn, s);
}

/*
 * The charsets the message declares (its parts', not those of a message
 * attached to it), for a text whose label is unknown or lies
 * (charset.h's guess b). Bounded as walk() is.
 */
static void
declared(struct walk *w, struct mailmime *mm, size_t depth)
{
	clistiter	*it;
	char		*cs;
	size_t		 i;

	if (depth > w->lim->mime_depth ||
	    w->ndeclwalked++ >= w->lim->mime_parts)
		return;
	if ((cs = lower(param(mm->mm_content_type, "charset"))) != NULL) {
		for (i = 0; i < w->ndecl && strcmp(w->decl[i], cs) != 0; i++)
			;
		if (i == w->ndecl && w->ndecl < CHARSET_DECLARED_MAX &&
		    charset_known(cs))
			w->decl[w->ndecl++] = cs;
		else
			free(cs);
	}
	if (mm->mm_type == MAILMIME_MULTIPLE)
		for (it = clist_begin(mm->mm_data.mm_multipart.mm_mp_list);
		    it; it = clist_next(it))
			declared(w, clist_content(it), depth + 1);
}

/* The context to read a text in: first (may be NULL) tried first, then
 * the message's charsets; notes go to the message's warnings. */
static struct charset_ctx *
ctx_for(struct walk *w, const char *first)
{
	size_t	i, nnotes = w->cx.nnotes;	/* at most 8 a message */

	memset(&w->cx, 0, sizeof(w->cx));
	w->cx.nnotes = nnotes;
	w->cx.order = w->lim->charset_order;
	w->cx.notes = &w->warn;
	charset_ctx_declare(&w->cx, first);
	for (i = 0; i < w->ndecl; i++)
		charset_ctx_declare(&w->cx, w->decl[i]);
	return &w->cx;
}

static char *
part_type(struct mailmime *mm)
{
	struct mailmime_content	*ct = mm->mm_content_type;
	const char		*t = "text";

	if (ct == NULL || ct->ct_type == NULL)
		return xstrdup(mm->mm_type == MAILMIME_MULTIPLE ?
		    "multipart/mixed" : mm->mm_type == MAILMIME_MESSAGE ?
		    "message/rfc822" : "text/plain");
	if (ct->ct_type->tp_type == MAILMIME_TYPE_DISCRETE_TYPE) {
		switch (ct->ct_type->tp_data.tp_discrete_type->dt_type) {
		case MAILMIME_DISCRETE_TYPE_TEXT: t = "text"; break;
		case MAILMIME_DISCRETE_TYPE_IMAGE: t = "image"; break;
		case MAILMIME_DISCRETE_TYPE_AUDIO: t = "audio"; break;
		case MAILMIME_DISCRETE_TYPE_VIDEO: t = "video"; break;
		case MAILMIME_DISCRETE_TYPE_APPLICATION: t = "application";
			break;
		default:
			t = ct->ct_type->tp_data.tp_discrete_type->dt_extension;
			if (t == NULL)
				t = "application";
		}
	} else if (ct->ct_type->tp_type == MAILMIME_TYPE_COMPOSITE_TYPE) {
		switch (ct->ct_type->tp_data.tp_composite_type->ct_type) {
		case MAILMIME_COMPOSITE_TYPE_MESSAGE: t = "message"; break;
		case MAILMIME_COMPOSITE_TYPE_MULTIPART: t = "multipart"; break;
		default:
			t = ct->ct_type->tp_data.tp_composite_type->ct_token;
			if (t == NULL)
				t = "multipart";
		}
	}
	return lower(xasprintf("%s/%s", t,
	    ct->ct_subtype ? ct->ct_subtype : "octet-stream"));
}

static char *
param(struct mailmime_content *ct, const char *name)
{
	char	*v;

	if (ct == NULL)
		return NULL;
	v = mailmime_content_param_get(ct, (char *)name);
	return v ? xstrdup(v) : NULL;
}

/*
 * The charset that raw 8-bit header text is read in: the part's, unless
 * ASCII in it is not ASCII (UTF-16, UTF-7, EBCDIC), as a header that is
 * ASCII must stay readable whatever the body is in.
 */
static const char *
header_charset(const char *cs)
{
	return cs && charset_ascii_compatible(cs) ? cs : NULL;
}

/* Filename (RFC 2231/2047) and disposition of one part. */
static void
part_names(struct walk *w, struct mailmime *mm, struct mime_part *p)
{
	struct header_param	 ps[64];
	size_t			 n = 0;
	clistiter		*it, *jt;
	int			 disp = MAILMIME_DISPOSITION_TYPE_ERROR;
	const char		*cs = header_charset(p->charset);

	if (mm->mm_mime_fields != NULL)
		for (it = clist_begin(mm->mm_mime_fields->fld_list); it;
		    it = clist_next(it)) {
			struct mailmime_field		*f = clist_content(it);
			struct mailmime_disposition	*d;

			if (f->fld_type != MAILMIME_FIELD_DISPOSITION)
				continue;
			d = f->fld_data.fld_disposition;
			if (d->dsp_type)
				disp = d->dsp_type->dsp_type;
			for (jt = clist_begin(d->dsp_parms); jt && n < 64;
			    jt = clist_next(jt)) {
				struct mailmime_disposition_parm *dp =
				    clist_content(jt);

				if (dp->pa_type ==
				    MAILMIME_DISPOSITION_PARM_FILENAME) {
					ps[n].name = "filename";
					ps[n++].value =
					    dp->pa_data.pa_filename;
				} else if (dp->pa_type ==
				    MAILMIME_DISPOSITION_PARM_PARAMETER) {
					ps[n].name = dp->pa_data.pa_parameter->
					    pa_name;
					ps[n++].value = dp->pa_data.
					    pa_parameter->pa_value;
				}
			}
		}
	p->filename = header_param_get_cx(ps, n, "filename",
	    ctx_for(w, cs));
	if (p->filename == NULL && mm->mm_content_type) {
		n = 0;
		for (it = clist_begin(mm->mm_content_type->ct_parameters);
		    it && n < 64; it = clist_next(it)) {
			struct mailmime_parameter *pp = clist_content(it);

			ps[n].name = pp->pa_name;
			ps[n++].value = pp->pa_value;
		}
		p->filename = header_param_get_cx(ps, n, "name",
		    ctx_for(w, cs));
	}
	if (p->filename && p->filename[0] == '\0') {
		free(p->filename);
		p->filename = NULL;
	}
	p->attachment = disp == MAILMIME_DISPOSITION_TYPE_ATTACHMENT;
}

/*
 * Decode a base64 or quoted-printable body (mech: MAILMIME_MECHANISM_*)
 * into a malloc'd, NUL-terminated buffer: well-formed base64 straight
 * into a buffer of its size; libetpan's lenient decoders take the rest
 * (base64 there needs the next power of two and a copy: 100 MB more at
 * the peak for a 38 MB attachment). Returns 0, or -1 if the encoding
 * was refused.
 */
static int
body_decode(const char *s, size_t len, int mech, char **out,
    size_t *outlen)
{
	char	*dec;
	size_t	 idx = 0, dl, tail = 0;

	if (mech == MAILMIME_MECHANISM_BASE64 &&
	    b64_decode(s, len, out, outlen) == 0)
		return 0;
	/*
	 * libetpan 1.9.4 reads a byte past the end of quoted-printable
	 * that ends in "=" and one character other than CR or LF (a cut
	 * escape; fuzz-mime found it): it decodes up to there, and the
	 * characters are kept as they are, as it would keep them. So are
	 * more such pairs before it ("=A=B"), which it would otherwise
	 * read as one escape with the next '='.
	 */
	while (mech == MAILMIME_MECHANISM_QUOTED_PRINTABLE &&
	    len - tail >= 2 && s[len - tail - 2] == '=' &&
	    s[len - tail - 1] != '\r' && s[len - tail - 1] != '\n')
		tail += 2;
	if (mailmime_part_parse(s, len - tail, &idx, mech, &dec, &dl) !=
	    MAILIMF_NO_ERROR) {
		*out = NULL;
		*outlen = 0;
		return -1;
	}
	*out = xmalloc(dl + tail + 1);
	memcpy(*out, dec, dl);
	memcpy(*out + dl, s + len - tail, tail);
	*outlen = dl + tail;
	(*out)[*outlen] = '\0';
	mmap_string_unref(dec);
	return 0;
}

/*
 * Decoded body of a single part. *alloc says whether *out must be
 * freed. Returns 0, or -1 if the encoding was bad (then the raw bytes
 * are returned).
 */
static int
part_decode(struct mailmime *mm, char **out, size_t *outlen, int *alloc)
{
	struct mailmime_data	*d = mm->mm_data.mm_single;
	int			 enc;

	*alloc = 0;
	*out = NULL;
	*outlen = 0;
	if (d == NULL || d->dt_type != MAILMIME_DATA_TEXT)
		return 0;
	*out = (char *)d->dt_data.dt_text.dt_data;
	*outlen = d->dt_data.dt_text.dt_length;
	enc = d->dt_encoding;
	if (!d->dt_encoded || (enc != MAILMIME_MECHANISM_BASE64 &&
	    enc != MAILMIME_MECHANISM_QUOTED_PRINTABLE))
		return enc == MAILMIME_MECHANISM_TOKEN ? -1 : 0;
	if (body_decode(d->dt_data.dt_text.dt_data,
	    d->dt_data.dt_text.dt_length, enc, out, outlen) == -1) {
		*out = (char *)d->dt_data.dt_text.dt_data;
		*outlen = d->dt_data.dt_text.dt_length;
		return -1;
	}
	*alloc = 1;
	return 0;
}

/*
 * s, n bytes of part p (transfer-decoded), as text onto b: from its
 * charset to UTF-8, HTML reduced to text, and b kept within
 * text_size (cut at a character's start). 1 if cut, else 0.
 */
static int
text_put(struct walk *w, struct buf *b, const struct mime_part *p,
    const char *s, size_t n)
{
	const struct limits *lim = w->lim;
	char	*u, *h;
	size_t	 ul, room;
	int	 cut = 0;

	if (b->len >= lim->text_size)
		return n > 0;
	room = lim->text_size - b->len;
	if (n > room) {
		n = room;
		cut = 1;
	}
	u = charset_decode(ctx_for(w, NULL), p->charset, s, n, &ul, NULL);
	if (strcmp(p->type, "text/html") == 0) {
		h = html_to_text(u, ul);
		explicit_bzero(u, ul);
		free(u);
		u = h;
		ul = strlen(u);
	}
	if (ul > room) {	/* UTF-8 may be longer than the bytes sent */
		for (ul = room; ul > 0 && ((unsigned char)u[ul] & 0xc0) ==
		    0x80; ul--)
			;
		cut = 1;
	}
	buf_add(b, u, ul);
	explicit_bzero(u, strlen(u));
	free(u);
	return cut;
}

static void
add_text(struct walk *w, struct mime_part *p, const char *s, size_t n)
{
	if (w->text.len >= w->lim->text_size) {
		w->m->text_truncated = 1;
		return;
	}
	if (w->have_text && w->text.len > 0)
		(void)put_cut(&w->text, w->lim->text_size, "\n\n", 2);
	if (text_put(w, &w->text, p, s, n))
		w->m->text_truncated = 1;
	w->have_text = 1;
	p->is_text = 1;
}

static void
join(char **dst, const char *v, size_t n)
{
	char	*old = *dst;

	while (n > 0 && isspace((unsigned char)*v)) {
		v++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)v[n - 1]))
		n--;
	if (old == NULL)
		*dst = xstrndup(v, n);
	else {
		*dst = xasprintf("%s,%.*s", old, (int)n, v);
		free(old);
	}
}

/* RFC 3464 fields we report: Action, Status (the code), Final-Recipient
 * (the address), from the first delivery-status part only. */
static void
parse_dsn(struct mime_msg *m, const char *s, size_t n)
{
	const char	*p = s, *end = s + n, *nl, *c;
	size_t		 ll, sl;

	if (m->has_dsn)
		return;		/* RFC 3464: one delivery-status part */
	m->has_dsn = 1;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (ll > 0 && p[ll - 1] == '\r')
			ll--;
		if ((c = memchr(p, ':', ll)) != NULL) {
			size_t	kl = (size_t)(c - p), vl = ll - kl - 1;
			const char *v = c + 1, *semi;

			if (kl == 6 && strncasecmp(p, "Action", 6) == 0)
				join(&m->dsn_action, v, vl);
			else if (kl == 6 && strncasecmp(p, "Status", 6) == 0) {
				/* the code only: "5.1.1 (comment)" */
				while (vl > 0 && isspace((unsigned char)*v)) {
					v++;
					vl--;
				}
				for (sl = 0; sl < vl &&
				    !isspace((unsigned char)v[sl]); sl++)
					;
				join(&m->dsn_status, v, sl);
			}
			else if (kl == 15 &&
			    strncasecmp(p, "Final-Recipient", 15) == 0) {
				if ((semi = memchr(v, ';', vl)) != NULL) {
					vl -= (size_t)(semi + 1 - v);
					v = semi + 1;
				}
				while (vl > 0 && isspace((unsigned char)*v)) {
					v++;
					vl--;
				}
				while (vl > 0 && isspace((unsigned char)
				    v[vl - 1]))
					vl--;
				if (vl >= 2 && v[0] == '<' && v[vl - 1] == '>') {
					v++;
					vl -= 2;
				}
				join(&m->dsn_final_recipient, v, vl);
			}
		}
		p = nl ? nl + 1 : end;
	}
}

/* The Message-ID in the header block of a returned message. */
static void
returned_id(struct walk *w, const char *s, size_t n)
{
	struct header_list		 hl;
	struct header_limits		 lim;
	const struct header_field	*f;
	char				**ids;
	size_t				 off;

	if (w->m->nreturned >= 8)
		return;
	lim = header_limits_of(w->lim);
	header_split(s, n, &lim, &hl, &off);
	if ((f = header_get(&hl, "Message-ID", 0)) != NULL &&
	    header_msgids(f->value, f->value_len, 1, &ids) == 1) {
		w->m->returned = xrealloc(w->m->returned,
		    (w->m->nreturned + 1) * sizeof(char *));
		w->m->returned[w->m->nreturned++] = ids[0];
		free(ids);
	}
	header_list_free(&hl);
}

static void
walk_alternative(struct walk *w, struct mailmime *mm, size_t depth,
    int textok, long self)
{
	struct mailmime	*best = NULL, *html = NULL, *first = NULL;
	clistiter	*it;
	char		*t;

	for (it = clist_begin(mm->mm_data.mm_multipart.mm_mp_list); it;
	    it = clist_next(it)) {
		struct mailmime	*c = clist_content(it);

		t = part_type(c);
		if (first == NULL)
			first = c;
		if (best == NULL && strcmp(t, "text/plain") == 0)
			best = c;
		if (html == NULL && strcmp(t, "text/html") == 0)
			html = c;
		free(t);
	}
	if (best == NULL)
		best = html ? html : first;
	else if (html && plain_stub(best)) {
		/* "This is an HTML message": the HTML part is the text,
		 * even after other text */
		if (w->cur >= 0)
			w->lv[w->cur].html_alt = 1;
		w->html_pick++;
		walk(w, html, depth + 1, textok, self);
		w->html_pick--;
		return;
	}
	if (best)
		walk(w, best, depth + 1, textok, self);
}

/*
 * Is the plain alternative c blank, or a stub pointing at the HTML one?
 * Read only when small enough to be one (a stub is short, encoded in
 * at most 4 bytes a character and base64, and white space around it
 * is not much): a larger part is text.
 */
static int
plain_stub(struct mailmime *c)
{
	struct mailmime_data	*d;
	char			*body, *cs, *u;
	size_t			 blen, ul;
	int			 alloc, r;

	if (c->mm_type != MAILMIME_SINGLE)
		return 0;
	d = c->mm_data.mm_single;
	if (d != NULL && d->dt_type == MAILMIME_DATA_TEXT &&
	    d->dt_data.dt_text.dt_length > BODYTEXT_SHORT * 64)
		return 0;
	(void)part_decode(c, &body, &blen, &alloc);
	cs = lower(param(c->mm_content_type, "charset"));
	u = charset_to_utf8(cs, body ? body : "", blen, &ul, NULL);
	r = bodytext_stub(u, ul, BODYTEXT_HTML);
	free(u);
	free(cs);
	if (alloc)
		free(body);
	return r;
}

static enum mime_enc
mime_enc_of(int mech)
{
	switch (mech) {
	case MAILMIME_MECHANISM_BASE64:
		return MIME_ENC_BASE64;
	case MAILMIME_MECHANISM_QUOTED_PRINTABLE:
		return MIME_ENC_QP;
	case MAILMIME_MECHANISM_TOKEN:
		return MIME_ENC_UNKNOWN;
	default:
		return MIME_ENC_IDENTITY;
	}
}

/* Where the part and its body are in the buffer (when libetpan says). */
static void
part_ranges(struct walk *w, struct mailmime *mm, struct mime_part *p)
{
	struct mailmime_data	*d = mm->mm_body;
	const char		*b = w->base, *e = w->base + w->baselen;

	if (mm->mm_mime_start >= b && mm->mm_mime_start <= e &&
	    mm->mm_length <= (size_t)(e - mm->mm_mime_start)) {
		p->off = (size_t)(mm->mm_mime_start - b);
		p->len = mm->mm_length;
	}
	if (d && d->dt_type == MAILMIME_DATA_TEXT &&
	    d->dt_data.dt_text.dt_data >= b &&
	    d->dt_data.dt_text.dt_data <= e &&
	    d->dt_data.dt_text.dt_length <=
	    (size_t)(e - d->dt_data.dt_text.dt_data)) {
		p->body_off = (size_t)(d->dt_data.dt_text.dt_data - b);
		p->body_len = d->dt_data.dt_text.dt_length;
		if (d->dt_encoded)
			p->encoding = mime_enc_of(d->dt_encoding);
	} else {
		p->body_off = p->off + p->len;
		p->body_len = 0;
	}
}

int
mime_part_body(const struct mime_part *p, const char *buf, char **out,
    size_t *outlen)
{
	const char	*s = buf + p->body_off;
	int		 mech;

	switch (p->encoding) {
	case MIME_ENC_BASE64:
		mech = MAILMIME_MECHANISM_BASE64;
		break;
	case MIME_ENC_QP:
		mech = MAILMIME_MECHANISM_QUOTED_PRINTABLE;
		break;
	default:
		*out = xstrndup(s, p->body_len);
		*outlen = p->body_len;
		return p->encoding == MIME_ENC_UNKNOWN ? -1 : 0;
	}
	if (body_decode(s, p->body_len, mech, out, outlen) == -1) {
		*out = xstrndup(s, p->body_len);
		*outlen = p->body_len;
		return -1;
	}
	return 0;
}

static void
walk(struct walk *w, struct mailmime *mm, size_t depth, int textok,
    long parent)
{
	struct mime_part	*p;
	struct level		*lv;
	clistiter		*it;
	char			*body, note[160];
	size_t			 blen, idx;
	int			 alloc, bad, is_body;

	if (depth > w->lim->mime_depth) {
		if (!w->depth_warned++) {
			snprintf(note, sizeof(note), "MIME nesting deeper "
			    "than mime_depth_limit (%zu) not read",
			    w->lim->mime_depth);
			warn(w, note);
		}
		return;
	}
	if (w->nparts >= w->lim->mime_parts) {
		if (!w->parts_warned++) {
			snprintf(note, sizeof(note), "MIME parts beyond "
			    "mime_parts_limit (%zu) not read",
			    w->lim->mime_parts);
			warn(w, note);
		}
		return;
	}
	if (w->nparts == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 8;
		w->m->parts = xrealloc(w->m->parts,
		    w->cap * sizeof(*w->m->parts));
	}
	idx = w->nparts++;
	w->m->nparts = w->nparts;
	p = &w->m->parts[idx];
	memset(p, 0, sizeof(*p));
	p->type = part_type(mm);
	p->charset = lower(param(mm->mm_content_type, "charset"));
	p->protocol = lower(param(mm->mm_content_type, "protocol"));
	p->smime_type = lower(param(mm->mm_content_type, "smime-type"));
	{
		char	*ph = param(mm->mm_content_type, "protected-headers");

		p->protected_headers = ph != NULL &&
		    strcasecmp(ph, "v1") == 0;
		free(ph);
	}
	p->depth = depth;
	p->parent = parent;
	p->in_message = w->in_message > 0;
	part_ranges(w, mm, p);
	if (parent != -1)
		part_header(w, p, idx);
	part_names(w, mm, p);

	switch (mm->mm_type) {
	case MAILMIME_MULTIPLE:
		if (strcmp(p->type, "multipart/alternative") == 0) {
			walk_alternative(w, mm, depth, textok, (long)idx);
			break;
		}
		if (strcmp(p->type, "multipart/report") == 0 && depth <= 1 &&
		    w->m->report_type == NULL)
			w->m->report_type = lower(param(mm->mm_content_type,
			    "report-type"));
		if (strcmp(p->type, "multipart/report") == 0)
			w->in_report++;
		for (it = clist_begin(mm->mm_data.mm_multipart.mm_mp_list);
		    it; it = clist_next(it)) {
			walk(w, clist_content(it), depth + 1, textok,
			    (long)idx);
			p = &w->m->parts[idx];	/* parts may have moved */
		}
		if (strcmp(p->type, "multipart/report") == 0)
			w->in_report--;
		break;
	case MAILMIME_MESSAGE:
		/* an attached message: listed, its parts walked for
		 * attachments, its text not taken as the report's */
		p->attachment = 1;
		if (mm->mm_body && mm->mm_body->dt_type == MAILMIME_DATA_TEXT) {
			const char	*mb = mm->mm_body->dt_data.dt_text.dt_data;
			size_t		 ml = mm->mm_body->dt_data.dt_text.dt_length;

			p->size = ml;
			hash_sha256_hex(mb, ml, p->sha256);
			if (w->in_report)
				returned_id(w, mb, ml);
		} else
			hash_sha256_hex("", 0, p->sha256);
		if (mm->mm_data.mm_message.mm_msg_mime) {
			long	cur = w->cur;

			/* the first forwarded message of a level on the
			 * chain (not a returned one) is the next level */
			if (cur >= 0 && !w->in_report && !w->lv[cur].fwd) {
				w->lv[cur].fwd = 1;
				w->lv = xreallocarray(w->lv, w->nlv + 1,
				    sizeof(*w->lv));
				memset(&w->lv[w->nlv], 0, sizeof(*w->lv));
				w->cur = (long)w->nlv++;
			} else
				w->cur = -1;
			w->in_message++;
			walk(w, mm->mm_data.mm_message.mm_msg_mime, depth + 1,
			    0, (long)idx);
			w->in_message--;
			w->cur = cur;
		}
		break;
	default:
		bad = part_decode(mm, &body, &blen, &alloc);
		p = &w->m->parts[idx];
		if (bad) {
			snprintf(note, sizeof(note), "part %zu: bad or unknown "
			    "transfer encoding, kept undecoded", idx + 1);
			warn(w, note);
		}
		p->size = blen;
		hash_sha256_hex(body ? body : "", blen, p->sha256);
		if (strcmp(p->type, "message/delivery-status") == 0 ||
		    strcmp(p->type, "message/global-delivery-status") == 0)
			parse_dsn(w->m, body ? body : "", blen);
		if (w->in_report &&
		    (strcmp(p->type, "text/rfc822-headers") == 0 ||
		    strcmp(p->type, "message/rfc822-headers") == 0))
			returned_id(w, body ? body : "", blen);
		if (strcmp(p->type, "message/feedback-report") == 0)
			w->m->has_feedback = 1;
		lv = w->cur >= 0 ? &w->lv[w->cur] : NULL;
		/* body text as a MUA shows it: of the top message (textok),
		 * or of a forwarded message on the chain, read if the
		 * report's text is there (choose_text()) */
		is_body = !p->attachment &&
		    (strcmp(p->type, "text/plain") == 0 ||
		    (strcmp(p->type, "text/html") == 0 && (w->html_pick ||
		    !(textok ? w->have_text : lv && lv->have_text)))) &&
		    (p->filename == NULL || strcmp(p->type, "text/plain") ==
		    0);
		if (textok && is_body)
			add_text(w, p, body ? body : "", blen);
		else {
			p->attachment = 1;
			if (lv && w->cur > 0 && is_body) {
				idx_add(&lv->body, &lv->nbody, idx);
				lv->have_text = 1;
			} else if (lv && bodytext_file(p->type, p->filename) &&
			    blen > 0 && (p->charset != NULL ||
			    memchr(body, '\0', blen) == NULL))
				/* a file of text (NUL bytes and no
				 * charset: binary, whatever its name) */
				idx_add(&lv->att, &lv->natt, idx);
		}
		if (alloc)
			free(body);
	}
}

/* The bytes of name's first characters, at most max bytes. */
static size_t
name_len(const char *name, size_t max)
{
	size_t	n = strlen(name);

	if (n <= max)
		return n;
	for (n = max; n > 0 && ((unsigned char)name[n] & 0xc0) == 0x80; n--)
		;
	return n;
}

/* Append i to the array *v of *n (grown at 1, 2, 4, ...). */
static void
idx_add(size_t **v, size_t *n, size_t i)
{
	if ((*n & (*n - 1)) == 0)
		*v = xreallocarray(*v, *n ? *n * 2 : 1, sizeof(**v));
	(*v)[(*n)++] = i;
}

/* s (UTF-8) onto b within cap, cut at a character's start: 1 if cut. */
static int
put_cut(struct buf *b, size_t cap, const char *s, size_t n)
{
	size_t	room = b->len < cap ? cap - b->len : 0;
	int	cut = 0;

	if (n > room) {
		for (n = room; n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80;
		    n--)
			;
		cut = 1;
	}
	buf_add(b, s, n);
	return cut;
}

/* s without white space at either end, and a blank line, onto b: the
 * note of a level that was read through. */
static void
put_note(struct buf *b, const char *s, size_t n)
{
	size_t	k = bodytext_start(s, n);

	if (k == n)
		return;
	buf_add(b, s + k, bodytext_end(s, n) - k);
	buf_puts(b, "\n\n");
}

/* The body text of level i > 0 (its parts decoded again) onto b. */
static int
level_text(struct walk *w, size_t i, struct buf *b)
{
	const struct level	*lv = &w->lv[i];
	const struct mime_part	*p;
	char			*body;
	size_t			 k, blen;
	int			 cut = 0;

	for (k = 0; k < lv->nbody; k++) {
		p = &w->m->parts[lv->body[k]];
		(void)mime_part_body(p, w->base, &body, &blen);
		if (b->len > 0)
			(void)put_cut(b, w->lim->text_size, "\n\n", 2);
		cut |= text_put(w, b, p, body, blen);
		explicit_bzero(body, blen);
		free(body);
		w->m->parts[lv->body[k]].is_text = 1;
	}
	return cut;
}

/* The text files of level lv onto b, each under a line naming it when
 * there is more than the one; their names onto src. */
static int
files_text(struct walk *w, const struct level *lv, struct buf *b,
    struct buf *src)
{
	struct mime_part	*p;
	const char		*name;
	char			*body, *sep;
	size_t			 k, blen;
	int			 cut = 0;

	buf_printf(src, "%s%s", src->len ? ", " : "", lv->natt == 1 ?
	    "attachment" : "attachments");
	for (k = 0; k < lv->natt; k++) {
		p = &w->m->parts[lv->att[k]];
		name = p->filename ? p->filename : "(unnamed)";
		if (k < 3)
			buf_printf(src, "%s%.*s", k ? ", " : " ",
			    (int)name_len(name, 100), name);
		else if (k == 3)
			buf_printf(src, " and %zu more", lv->natt - 3);
		if (b->len > 0 || lv->natt > 1) {
			if (k > 0)
				buf_truncate(b, bodytext_end(b->s, b->len));
			sep = xasprintf("%s----- attachment %s -----\n\n",
			    k > 0 ? "\n\n" : "", name);
			cut |= put_cut(b, w->lim->text_size, sep, strlen(sep));
			free(sep);
		}
		(void)mime_part_body(p, w->base, &body, &blen);
		cut |= text_put(w, b, p, body, blen);
		explicit_bzero(body, blen);
		free(body);
		p->is_text = 1;
	}
	return cut;
}

/*
 * The report's text (mime.h), from the body as a MUA shows it (w->text,
 * the top level's): read on while it is no report. A body that is
 * blank or a stub gives way to the message's text files; a short one
 * (or none) above a forwarded message, attached (the next level) or
 * inline (bodytext_forward()), to that message's text, chosen the same
 * way. The notes read through are kept, above a line that says where
 * the rest is from. Each level's text is read once, from where the
 * last one ended: linear.
 */
static void
choose_text(struct walk *w)
{
	struct mime_msg		*m = w->m;
	struct buf		 notes, out, src, held;
	const char		*s;
	size_t			 n, lvi = 0, depth = 0, nl = 0, in = 0;
	int			 files = 0, cut = m->text_truncated, inl;
	int			 mime_fwd;
	char			 note[160];

	m->body = buf_release(&w->text);
	s = m->body;
	n = bodytext_end(s, strlen(s));
	buf_init(&notes);
	buf_init(&held);
	for (;;) {
		/* a stub is in the sender's own words: those above an
		 * inline forward, or all (a blank note above one leaves the
		 * forwarded message to say where the report is) */
		inl = bodytext_forward(s, n, &nl, &in);
		mime_fwd = w->lv[lvi].fwd && bodytext_short(s, n);
		if (w->lv[lvi].natt > 0 && (inl ? !bodytext_blank(s, nl) &&
		    bodytext_stub(s, nl, BODYTEXT_ATTACHMENT) :
		    bodytext_stub(s, n, BODYTEXT_ATTACHMENT))) {
			put_note(&notes, s, n);
			files = 1;
			break;
		}
		if (!mime_fwd && !inl)
			break;
		if (depth == w->lim->mime_depth) {
			snprintf(note, sizeof(note), "forwarded messages "
			    "nested deeper than mime_depth_limit (%zu): the "
			    "text is read to there", w->lim->mime_depth);
			warn(w, note);
			break;
		}
		depth++;
		if (mime_fwd) {
			/* the attached forwarded message */
			put_note(&notes, s, n);
			lvi++;
			explicit_bzero(held.s, held.len);
			buf_truncate(&held, 0);
			cut |= level_text(w, lvi, &held);
			s = held.s;
			n = bodytext_end(s, held.len);
		} else {
			put_note(&notes, s, nl);
			s += in;
			n -= in;
		}
	}
	/* a forwarded message with no text (encrypted, say) is no
	 * better than the note above it */
	if (!files && bodytext_blank(s, n))
		depth = 0;
	if (depth == 0 && !files) {
		m->text = xstrdup(m->body);
		m->text_source = xstrdup(w->lv[0].html_alt ?
		    "html alternative" : "body");
		explicit_bzero(notes.s, notes.len);
		buf_free(&notes);
		explicit_bzero(held.s, held.len);
		buf_free(&held);
		return;
	}
	buf_init(&out);
	buf_init(&src);
	cut |= put_cut(&out, w->lim->text_size, notes.s, notes.len);
	if (depth > 0)
		buf_printf(&src, "forwarded message (depth %zu)", depth);
	if (files)
		cut |= files_text(w, &w->lv[lvi], &out, &src);
	else {
		if (notes.len > 0) {
			char	*sep = xasprintf("----- forwarded message, "
			    "depth %zu -----\n\n", depth);

			cut |= put_cut(&out, w->lim->text_size, sep,
			    strlen(sep));
			free(sep);
		}
		in = bodytext_start(s, n);
		cut |= put_cut(&out, w->lim->text_size, s + in, n - in);
		if (w->lv[lvi].html_alt)
			buf_puts(&src, ", html alternative");
	}
	m->text_truncated = cut;
	m->text = buf_release(&out);
	m->text_source = buf_release(&src);
	explicit_bzero(notes.s, notes.len);
	buf_free(&notes);
	explicit_bzero(held.s, held.len);
	buf_free(&held);
}

/*
 * An upper bound on the MIME nesting libetpan could recurse into: every
 * level needs a multipart boundary parameter or an encapsulated message,
 * so count "boundary" and "message/" (any case). Linear, no allocation.
 */
static size_t
nesting_bound(const char *s, size_t n)
{
	size_t	i, count = 0;

	for (i = 0; i + 8 <= n; i++) {
		if ((s[i] | 0x20) == 'b' && strncasecmp(s + i, "boundary", 8) == 0)
			count++;
		else if ((s[i] | 0x20) == 'm' &&
		    strncasecmp(s + i, "message/", 8) == 0)
			count++;
	}
	return count;
}

/* Only blanks (SP, TAB, CR, LF), or nothing. */
static int
blank(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' &&
		    s[i] != '\n')
			return 0;
	return 1;
}

/*
 * A part's header block under the same limits as the message's: what
 * libetpan read of it (the Content-* fields) stays as it is, and what
 * the limits would cut is said in a warning, as for the message's.
 */
static void
part_header(struct walk *w, const struct mime_part *p, size_t idx)
{
	struct header_list	 hl;
	struct header_limits	 lim;
	size_t			 off;
	char			 note[40];

	if (p->body_off <= p->off || p->body_off > w->baselen)
		return;
	lim = header_limits_of(w->lim);
	header_split(w->base + p->off, p->body_off - p->off, &lim, &hl, &off);
	if (hl.cuts) {
		snprintf(note, sizeof(note), "part %zu: ", idx + 1);
		if (w->warn.len)
			buf_puts(&w->warn, "; ");
		buf_puts(&w->warn, note);
		buf_puts(&w->warn, hl.cuts);
	}
	header_list_free(&hl);
}

/* Append the message IDs of field f (may be NULL) to m->refs. */
static void
add_ids(struct mime_msg *m, const struct header_field *f, size_t max)
{
	char	**ids;
	size_t	  n, i;

	if (f == NULL)
		return;
	n = header_msgids(f->value, f->value_len, max, &ids);
	m->refs = xrealloc(m->refs, (m->nrefs + n + 1) * sizeof(*m->refs));
	for (i = 0; i < n; i++)
		m->refs[m->nrefs++] = ids[i];
	free(ids);
}

int
mime_parse(const char *buf, size_t len, const struct limits *lim,
    struct mime_msg **out, char **errstr)
{
	struct mime_msg		*m;
	struct walk		 w;
	struct header_limits	 hl;
	const struct header_field *f;
	struct mailmime		*mime = NULL;
	const char		*cs = NULL;
	size_t			 body_off, idx = 0, nested, i;
	char			**ids;

	m = xcalloc(1, sizeof(*m));
	m->date_time = -1;
	hl = header_limits_of(lim);
	header_split(buf, len, &hl, &m->hdr, &body_off);
	if (m->hdr.count == 0 && blank(buf + body_off, len - body_off)) {
		*errstr = xstrdup("empty message: no header field and no body");
		mime_free(&m);
		return -1;
	}

	memset(&w, 0, sizeof(w));
	w.lim = lim;
	w.m = m;
	w.base = buf;
	w.baselen = len;
	buf_init(&w.text);
	buf_init(&w.warn);
	w.lv = xcalloc(1, sizeof(*w.lv));
	w.nlv = 1;
	if (m->hdr.cuts)
		warn(&w, m->hdr.cuts);
	nested = nesting_bound(buf, len);
	if (nested > lim->mime_parts) {
		/* libetpan recurses once per level without a bound: never
		 * hand it more possible levels than we would walk parts */
		char	note[160];

		snprintf(note, sizeof(note), "%zu multipart/message parts "
		    "exceed mime_parts_limit (%zu): MIME structure not read",
		    nested, lim->mime_parts);
		warn(&w, note);
	} else if (mailmime_parse(buf, len, &idx, &mime) ==
	    MAILIMF_NO_ERROR && mime != NULL) {
		struct mailmime	*top = mime->mm_type == MAILMIME_MESSAGE ?
		    mime->mm_data.mm_message.mm_msg_mime : mime;

		if (top) {
			declared(&w, top, 0);
			walk(&w, top, 0, 1, -1);
		}
	} else {
		struct mime_part	*p;

		if (nested <= lim->mime_parts)
			warn(&w, "MIME structure unreadable");
		warn(&w, "body kept as plain text");
		m->parts = xcalloc(1, sizeof(*m->parts));
		m->nparts = 1;
		p = &m->parts[0];
		p->type = xstrdup("text/plain");
		p->parent = -1;
		p->len = len;
		p->body_off = body_off;
		p->body_len = len - body_off;
		p->size = len - body_off;
		hash_sha256_hex(buf + body_off, len - body_off, p->sha256);
		add_text(&w, p, buf + body_off, len - body_off);
	}
	if (mime)
		mailmime_free(mime);

	if (m->nparts > 0) {
		m->content_type = xstrdup(m->parts[0].type);
		/* raw header bytes: in the charset of the text part */
		for (i = 0; i < m->nparts && !m->parts[i].is_text; i++)
			;
		cs = header_charset(m->parts[i < m->nparts ? i : 0].charset);
	} else
		m->content_type = xstrdup("text/plain");
	choose_text(&w);
	if (m->text_truncated) {
		char	note[96];

		snprintf(note, sizeof(note), "body text cut at "
		    "text_size_limit (%zu bytes)", lim->text_size);
		warn(&w, note);
	}
	for (idx = 0; idx < w.nlv; idx++) {
		free(w.lv[idx].body);
		free(w.lv[idx].att);
	}
	free(w.lv);

	f = header_get(&m->hdr, "Subject", 0);
	m->subject = f ? header_decode_text_cx(f->value, f->value_len,
	    ctx_for(&w, cs)) : xstrdup("");
	if ((f = header_get(&m->hdr, "From", 0)) != NULL)
		header_addr_parse_cx(f->value, f->value_len, ctx_for(&w, cs),
		    &m->from);
	if ((f = header_get(&m->hdr, "Reply-To", 0)) != NULL)
		header_addr_parse_cx(f->value, f->value_len, ctx_for(&w, cs),
		    &m->reply_to);
	if ((f = header_get(&m->hdr, "Message-ID", 0)) != NULL &&
	    header_msgids(f->value, f->value_len, 1, &ids) == 1) {
		m->message_id = ids[0];
		free(ids);
	}
	if (header_count(&m->hdr, "Message-ID") > 1)
		warn(&w, "more than one Message-ID; the first is used");
	if (header_count(&m->hdr, "From") > 1)
		warn(&w, "more than one From; the first is used");
	if ((f = header_get(&m->hdr, "Date", 0)) != NULL) {
		m->date = header_decode_text(f->value, f->value_len, NULL);
		m->date_time = header_date_parse(f->value, f->value_len);
	}
	add_ids(m, header_get(&m->hdr, "In-Reply-To", 0), lim->msgids);
	m->nirt = m->nrefs;
	add_ids(m, header_get(&m->hdr, "References", 0), lim->msgids);
	m->warnings = w.warn.len ? buf_release(&w.warn) : NULL;
	buf_free(&w.warn);
	for (i = 0; i < w.ndecl; i++)
		free(w.decl[i]);
	*out = m;
	return 0;
}

void
mime_free(struct mime_msg **mp)
{
	struct mime_msg	*m = *mp;
	size_t		 i;

	if (m == NULL)
		return;
	header_list_free(&m->hdr);
	free(m->subject);
	header_addr_free(&m->from);
	header_addr_free(&m->reply_to);
	free(m->message_id);
	header_msgids_free(m->refs, m->nrefs);
	header_msgids_free(m->returned, m->nreturned);
	free(m->date);
	free(m->content_type);
	free(m->report_type);
	if (m->text)	/* decrypted text, perhaps: wiped */
		explicit_bzero(m->text, strlen(m->text));
	free(m->text);
	if (m->body)
		explicit_bzero(m->body, strlen(m->body));
	free(m->body);
	free(m->text_source);
	for (i = 0; i < m->nparts; i++) {
		free(m->parts[i].type);
		free(m->parts[i].charset);
		free(m->parts[i].filename);
		free(m->parts[i].protocol);
		free(m->parts[i].smime_type);
	}
	free(m->parts);
	free(m->warnings);
	free(m->dsn_action);
	free(m->dsn_status);
	free(m->dsn_final_recipient);
	free(m);
	*mp = NULL;
}
