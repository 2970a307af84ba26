/*
 * header.c: RFC 5322 header blocks, RFC 2047 text and RFC 2231
 * parameters -> UTF-8 (addresses and message IDs: address.c; dates:
 * date.c).
 *
 * Contract (header.h): the header block is split into raw unfolded
 * fields under three limits; everything derived from a field (decoded
 * text, RFC 2231 parameters, mailboxes, message IDs) is returned as
 * malloc'd, well-formed UTF-8 that contains no CR, LF or NUL: folding
 * (CRLF/LF + WSP) is removed, other line breaks and TABs become spaces,
 * NUL and other C0 controls become U+FFFD (charset_to_utf8()).
 *
 * Trust: none. Input is raw bytes from the network, of any length and
 * any charset. All scanners are single pass or bounded lookahead (an
 * encoded-word attempt never looks past the fourth '?' after its start),
 * nesting (comments) is counted, never recursed into, and per-call memory
 * is linear in the input. Lenient by design, like common MUAs: encoded
 * words glued to text, encoded words inside quoted strings, unbalanced
 * quotes/comments/angles, obsolete date and address syntax.
 *
 * Limits (header_split): the unfolded length of a field is the bytes of
 * its lines (name, colon, value) without their line terminators; the size
 * of the header block is the bytes of all its lines including their
 * terminators, not counting the empty line that ends it. A limit is
 * exceeded when the count is strictly greater than it; a zero limit (or
 * a NULL limits pointer) means no limit. A limit cuts, it never fails
 * (header.h says what is kept): a report with a 1 MB header line is
 * still a report.
 *
 * Diagnostics: header_split() leaves a malloc'd note in list->cuts
 * naming the configuration key of each limit that cut; nothing is
 * logged here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/fmt.h"
#include "util/xmalloc.h"
#include "parsers/charset.h"
#include "parsers/header.h"
#include "parsers/header_int.h"

#define EW_CS_MAX	64	/* longest charset name in an encoded word */

/* One RFC 2047 encoded word found in the input. */
struct ew {
	const char	*cs;		/* charset, without "*lang" */
	size_t		 cslen;
	int		 enc;		/* 'B' or 'Q' */
	const char	*text;
	size_t		 textlen;
	size_t		 len;		/* whole "=?...?=" */
};

/* RFC 2231 parameter segment. */
struct pseg {
	unsigned long	 num;
	size_t		 order;
	int		 ext;
	const char	*value;
};

static int	 all_ws(const char *, size_t);
static char	*text_clean(const char *, size_t);

static size_t	 field_colon(const char *, size_t, size_t *);
static int	 field_add(struct header_list *, const char *, size_t,
		    size_t, size_t, size_t);
static size_t	 value_cut(const char *, char *, size_t, size_t);

static int	 ew_parse(const char *, size_t, struct ew *);
static int	 b64val(int);
static void	 ew_decode(const struct ew *, struct buf *);
static void	 conv_append(struct buf *, struct charset_ctx *,
		    const char *, const char *, size_t);

static int	 pseg_cmp(const void *, const void *);
static char	*param_ext(const struct pseg *, size_t, struct charset_ctx *);
static void	 pct_decode(const char *, struct buf *);


/*
 * ------------------------------------------------------------------
 * Small helpers
 */

static int
all_ws(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!hdr_is_wsp(s[i]) && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/*
 * s is valid UTF-8 (from charset_to_utf8). Remove folding (CRLF/LF/CR
 * followed by WSP), turn other line breaks and TABs into one space each,
 * trim spaces at both ends. Returns malloc'd.
 */
static char *
text_clean(const char *s, size_t n)
{
	struct buf	 b;
	size_t		 i, run = 0, j, start;
	char		*r;

	buf_init(&b);
	for (i = 0; i < n; i++) {
		if (s[i] != '\r' && s[i] != '\n' && s[i] != '\t')
			continue;
		buf_add(&b, s + run, i - run);
		if (s[i] == '\t') {
			buf_putc(&b, ' ');
			run = i + 1;
			continue;
		}
		j = i;
		if (s[j] == '\r' && j + 1 < n && s[j + 1] == '\n')
			j++;
		if (!(j + 1 < n && hdr_is_wsp(s[j + 1])))
			buf_putc(&b, ' ');
		i = j;
		run = i + 1;
	}
	buf_add(&b, s + run, n - run);

	while (b.len > 0 && b.s[b.len - 1] == ' ')
		b.len--;
	b.s[b.len] = '\0';
	for (start = 0; start < b.len && b.s[start] == ' '; start++)
		;
	if (start > 0) {
		memmove(b.s, b.s + start, b.len - start + 1);
		b.len -= start;
	}
	r = buf_release(&b);
	return r;
}

/* Convert from cs (NULL: unknown) and clean. Returns malloc'd. */
char *
hdr_conv_clean(struct charset_ctx *cx, const char *cs, const char *s,
    size_t n)
{
	char	*u, *r;
	size_t	 ul;

	u = charset_decode(cx, cs, s, n, &ul, NULL);
	r = text_clean(u, ul);
	free(u);
	return r;
}

void
hdr_ctx(struct charset_ctx *cx, const char *fallback)
{
	memset(cx, 0, sizeof(*cx));
	charset_ctx_declare(cx, fallback);
}

/*
 * ------------------------------------------------------------------
 * Header block splitting
 */

/*
 * The fields that must survive the limits (header.h): whom the report is
 * from and to, what it is, its thread, how its body is read, and what
 * says it is automatic mail (no acknowledgement to an autoresponder).
 */
static const char *const keep_names[] = {
	"From", "Sender", "Reply-To", "Subject", "Message-ID", "In-Reply-To",
	"References", "To", "Cc", "Date", "Content-Type",
	"Content-Transfer-Encoding", "MIME-Version", "Return-Path",
	"Content-Disposition", "Auto-Submitted", "Precedence", "List-Id"
};
#define NKEEP	(sizeof(keep_names) / sizeof(keep_names[0]))

/* Where one field is, as scan_next() found it. */
struct scan {
	const char	*buf;
	size_t		 len;
	size_t		 pos;		/* the next line */
	size_t		 body;		/* offset of the body, at the end */
	int		 any;		/* a field was found */
	int		 done;
	size_t		 fstart, fend;	/* the field's lines, without the
					 * last terminator */
	size_t		 fsize;		/* with all terminators */
	size_t		 ulen;		/* without the terminators */
};

static void
scan_init(struct scan *s, const char *buf, size_t len)
{
	const char	*nl;
	size_t		 eol, dummy, pos = 0;

	memset(s, 0, sizeof(*s));
	s->buf = buf;
	s->len = len;
	s->body = len;
	/* a first line indented by mistake is read as a field */
	while (pos < len && hdr_is_wsp(buf[pos]))
		pos++;
	if (pos > 0) {
		nl = memchr(buf + pos, '\n', len - pos);
		eol = nl != NULL ? (size_t)(nl - buf) : len;
		if (field_colon(buf + pos, eol - pos, &dummy) == 0)
			pos = 0;
	}
	s->pos = pos;
}

/*
 * The next field (1), or the end of the header block (0, s->body set).
 * A field ends where a line starts that is no continuation; that line
 * is read again by the next call.
 */
static int
scan_next(struct scan *s)
{
	const char	*nl, *buf = s->buf;
	size_t		 eol, next, cend, clen, dummy;
	int		 have = 0;

	while (!s->done && s->pos < s->len) {
		nl = memchr(buf + s->pos, '\n', s->len - s->pos);
		eol = nl != NULL ? (size_t)(nl - buf) : s->len;
		next = nl != NULL ? eol + 1 : s->len;
		cend = eol;
		if (cend > s->pos && buf[cend - 1] == '\r')
			cend--;
		clen = cend - s->pos;
		if (clen == 0) {
			if (have)
				return 1;
			s->body = next;		/* the empty line */
			s->done = 1;
			break;
		}
		if (hdr_is_wsp(buf[s->pos])) {
			if (!have) {		/* only ever the first line */
				s->body = 0;	/* no header block at all */
				s->done = 1;
				break;
			}
			s->ulen += clen;
			s->fend = cend;
		} else {
			if (have)
				return 1;
			if (!s->any && field_colon(buf + s->pos, clen,
			    &dummy) == 0) {
				s->body = 0;
				s->done = 1;
				break;
			}
			have = s->any = 1;
			s->fstart = s->pos;
			s->fend = cend;
			s->ulen = clen;
			s->fsize = 0;
		}
		s->fsize += next - s->pos;
		s->pos = next;
	}
	if (have)
		return 1;
	s->done = 1;
	return 0;
}

/* Index of the field's name in keep_names[], or -1. */
static int
keep_index(const char *p, size_t n)
{
	size_t	namelen = 0, i;

	if (field_colon(p, n, &namelen) == 0)
		return -1;
	for (i = 0; i < NKEEP; i++)
		if (strlen(keep_names[i]) == namelen &&
		    hdr_caseeq(keep_names[i], p, namelen))
			return (int)i;
	return -1;
}

/* What a field takes of header_size_limit once cut to line_max. */
static size_t
kept_size(const struct scan *s, size_t line_max)
{
	if (line_max != 0 && s->ulen > line_max)
		return line_max + (s->fsize - s->ulen > 2 ? 2 :
		    s->fsize - s->ulen);
	return s->fsize;
}

struct header_limits
header_limits_of(const struct limits *l)
{
	struct header_limits	 hl;

	hl.line_max = l->header_line;
	hl.count_max = l->header_count;
	hl.size_max = l->header_size;
	return hl;
}

void
header_split(const char *buf, size_t len, const struct header_limits *lim,
    struct header_list *list, size_t *body_off)
{
	struct scan	 s;
	struct buf	 w;
	size_t		 line_max = 0, count_max = 0, size_max = 0;
	size_t		 rcount = 0, rsize = 0, ocount = 0, osize = 0;
	size_t		 ncut = 0, ndrop = 0, bcount, bsize;
	unsigned long	 seen = 0;
	const char	*why = NULL, *cutname = NULL;
	size_t		 cutnamelen = 0, cutlen = 0, lmax = 0;
	int		 k, full = 0, cut;

	memset(list, 0, sizeof(*list));
	if (lim != NULL) {
		line_max = lim->line_max;
		count_max = lim->count_max;
		size_max = lim->size_max;
	}
	if (buf == NULL)
		len = 0;

	/*
	 * Pass one: what the fields that must be kept (the first of each
	 * name in keep_names[]) take of the limits, so that the others
	 * are dropped first. Two passes, each linear.
	 */
	if (count_max != 0 || size_max != 0) {
		scan_init(&s, buf, len);
		while (scan_next(&s)) {
			if ((k = keep_index(buf + s.fstart, s.fend -
			    s.fstart)) < 0 || (seen & (1UL << k)))
				continue;
			seen |= 1UL << k;
			rcount++;
			rsize += kept_size(&s, line_max);
		}
	}
	bcount = count_max == 0 ? (size_t)-1 : count_max > rcount ?
	    count_max - rcount : 0;
	bsize = size_max == 0 ? (size_t)-1 : size_max > rsize ?
	    size_max - rsize : 0;

	/* Pass two: keep the fields that fit, cut each at line_max. */
	seen = 0;
	scan_init(&s, buf, len);
	while (scan_next(&s)) {
		k = keep_index(buf + s.fstart, s.fend - s.fstart);
		if (k >= 0 && !(seen & (1UL << k)))
			seen |= 1UL << k;
		else if (!full && ocount < bcount &&
		    kept_size(&s, line_max) <= bsize - osize) {
			ocount++;
			osize += kept_size(&s, line_max);
		} else {
			/* the excess is discarded, as Postfix does */
			if (!full)
				why = ocount >= bcount ? "count" : "size";
			full = 1;
			ndrop++;
			continue;
		}
		cut = field_add(list, buf, s.fstart, s.fend, s.ulen,
		    line_max);
		if (cut && ncut++ == 0) {
			cutname = list->fields[list->count - 1].name;
			cutnamelen = strlen(cutname);
			cutlen = s.ulen;
			lmax = line_max;
		}
	}
	if (body_off != NULL)
		*body_off = s.body;

	if (ncut == 0 && ndrop == 0)
		return;
	buf_init(&w);
	if (ncut > 0) {
		buf_printf(&w, "header field %s%.*s%s (%zu bytes) cut at "
		    "header_line_limit (%zu bytes)", cutnamelen ? "" : "(no "
		    "name)", cutnamelen > 64 ? 64 : (int)cutnamelen, cutname,
		    cutnamelen > 64 ? "..." : "", cutlen, lmax);
		if (ncut > 1)
			buf_printf(&w, ", and %zu more field%s", ncut - 1,
			    ncut > 2 ? "s" : "");
	}
	if (ndrop > 0) {
		if (w.len)
			buf_puts(&w, "; ");
		if (strcmp(why, "count") == 0)
			buf_printf(&w, "%zu header field%s dropped at "
			    "header_count_limit (%zu fields)", ndrop, ndrop > 1 ?
			    "s" : "", count_max);
		else
			buf_printf(&w, "%zu header field%s dropped at "
			    "header_size_limit (%zu bytes)", ndrop, ndrop > 1 ?
			    "s" : "", size_max);
	}
	list->cuts = buf_release(&w);
}

/*
 * If p[0..n) starts with "name:" (printable ASCII name, optional WSP
 * before the colon), return the offset after the colon and set *namelen.
 * Otherwise 0.
 */
static size_t
field_colon(const char *p, size_t n, size_t *namelen)
{
	const unsigned char	*u = (const unsigned char *)p;
	size_t			 i = 0, e;

	while (i < n && u[i] > ' ' && u[i] < 0x7f && u[i] != ':')
		i++;
	if (i == 0)
		return 0;
	e = i;
	while (i < n && hdr_is_wsp(u[i]))
		i++;
	if (i >= n || u[i] != ':')
		return 0;
	*namelen = e;
	return i + 1;
}

/*
 * Add the field spanning buf[start, end) (folded lines) to the list,
 * cut so that name, colon and value take at most line_max bytes (0: no
 * limit) when its lines take ulen > line_max. Returns 1 if it was cut.
 */
static int
field_add(struct header_list *list, const char *buf, size_t start,
    size_t end, size_t ulen, size_t line_max)
{
	struct header_field	*f;
	const char		*p = buf + start;
	size_t			 n = end - start, off, namelen = 0, i, k, s;
	char			*v;
	int			 cut = 0;

	if (list->count == list->cap) {
		list->cap = list->cap ? list->cap * 2 : 32;
		list->fields = xrealloc(list->fields,
		    list->cap * sizeof(*list->fields));
	}
	f = &list->fields[list->count++];

	if ((off = field_colon(p, n, &namelen)) == 0)
		f->name = xstrdup("");	/* lenient: keep the line */
	else if (line_max != 0 && namelen >= line_max) {
		/* a name alone over the limit: cut too, the value gone */
		f->name = xstrndup(p, line_max - 1);
		cut = 1;
	} else
		f->name = xstrndup(p, namelen);

	v = xmalloc(n - off + 1);
	for (i = off, k = 0; i < n; i++) {
		if (p[i] == '\n') {
			if (i > off && p[i - 1] == '\r' && k > 0)
				k--;
			continue;
		}
		v[k++] = p[i];
	}
	while (k > 0 && hdr_is_wsp(v[k - 1]))
		k--;
	for (s = 0; s < k && hdr_is_wsp(v[s]); s++)
		;
	if (s > 0)
		memmove(v, v + s, k - s);
	k -= s;
	/* the limit counts the blanks after the colon too */
	if (line_max != 0 && ulen > line_max) {
		if (k > line_max - off - s && off + s <= line_max)
			k = value_cut(f->name, v, k, line_max - off - s);
		else if (off + s > line_max)
			k = 0;
		v = xrealloc(v, k + 1);
		cut = 1;
	}
	v[k] = '\0';
	f->value = v;
	f->value_len = k;
	return cut;
}

/*
 * Cut the unfolded value v[0..k) of field `name` to at most max bytes,
 * in place; returns the new length. A list of message IDs keeps its
 * first ID and as many of the last as fit (RFC 5322 3.6.4: the first is
 * the thread's root, the last the parent); anything else is cut at max,
 * never inside a UTF-8 character.
 */
static size_t
value_cut(const char *name, char *v, size_t k, size_t max)
{
	size_t	i, head, tail;

	if ((strlen(name) == 10 && hdr_caseeq(name, "References", 10)) ||
	    (strlen(name) == 11 && hdr_caseeq(name, "In-Reply-To", 11))) {
		/* the first ID: v[i..head) */
		for (i = 0; i < k && v[i] != '<'; i++)
			;
		for (head = i; head < k && v[head] != '>'; head++)
			;
		if (head < k && ++head <= max) {
			/* the longest tail of whole IDs that fits after it */
			tail = k;
			for (i = k; i > head; i--)
				if (v[i - 1] == '<' && head + 1 +
				    (k - (i - 1)) <= max)
					tail = i - 1;
				else if (v[i - 1] == '<')
					break;
			if (tail < k) {
				v[head] = ' ';
				memmove(v + head + 1, v + tail, k - tail);
				return head + 1 + k - tail;
			}
			return head;
		}
	}
	k = max;
	/* v[k] is the first byte left out: not a continuation byte */
	while (k > 0 && ((unsigned char)v[k] & 0xc0) == 0x80)
		k--;
	return k;
}

void
header_list_free(struct header_list *list)
{
	size_t	i;

	if (list == NULL)
		return;
	for (i = 0; i < list->count; i++) {
		free(list->fields[i].name);
		free(list->fields[i].value);
	}
	free(list->fields);
	free(list->cuts);
	memset(list, 0, sizeof(*list));
}

const struct header_field *
header_get(const struct header_list *list, const char *name, size_t idx)
{
	size_t	i, nl = strlen(name);

	for (i = 0; i < list->count; i++) {
		if (strlen(list->fields[i].name) != nl ||
		    !hdr_caseeq(list->fields[i].name, name, nl))
			continue;
		if (idx-- == 0)
			return &list->fields[i];
	}
	return NULL;
}

size_t
header_count(const struct header_list *list, const char *name)
{
	size_t	i, n = 0, nl = strlen(name);

	for (i = 0; i < list->count; i++)
		if (strlen(list->fields[i].name) == nl &&
		    hdr_caseeq(list->fields[i].name, name, nl))
			n++;
	return n;
}

/*
 * ------------------------------------------------------------------
 * RFC 2047 unstructured text
 */

char *
header_decode_text(const char *raw, size_t len, const char *fallback)
{
	struct charset_ctx	cx;

	hdr_ctx(&cx, fallback);
	return header_decode_text_cx(raw, len, &cx);
}

char *
header_decode_text_cx(const char *raw, size_t len, struct charset_ctx *cx)
{
	struct buf	 out, pend;
	struct ew	 ew;
	char		 pcs[EW_CS_MAX + 1], lit_cs[EW_CS_MAX + 1], *r;
	size_t		 i = 0, lit = 0;
	int		 have = 0;

	if (raw == NULL) {
		raw = "";
		len = 0;
	}
	/*
	 * Raw text: 7-bit text in the message's charset (ASCII or
	 * ISO-2022); 8-bit text as the whole field reads (charset.h:
	 * UTF-8 if valid (RFC 6532), the message's charset, a guess).
	 */
	for (i = 0; i < len && (unsigned char)raw[i] < 0x80; i++)
		;
	snprintf(lit_cs, sizeof(lit_cs), "%s", i == len && cx != NULL &&
	    cx->ndeclared > 0 ? cx->declared[0] :
	    charset_choose(cx, NULL, raw, len));
	i = 0;

	buf_init(&out);
	buf_init(&pend);
	while (i + 1 < len) {
		if (raw[i] != '=' || raw[i + 1] != '?' ||
		    !ew_parse(raw + i, len - i, &ew)) {
			i++;
			continue;
		}
		/* Whitespace between adjacent encoded words is dropped. */
		if (!have || !all_ws(raw + lit, i - lit)) {
			if (have)
				conv_append(&out, cx, pcs, pend.s, pend.len);
			have = 0;
			conv_append(&out, NULL, lit_cs, raw + lit, i - lit);
		}
		/*
		 * Adjacent words in the same charset are joined before
		 * conversion: mailers split multibyte characters across
		 * encoded words.
		 */
		if (have && (strlen(pcs) != ew.cslen ||
		    !hdr_caseeq(pcs, ew.cs, ew.cslen))) {
			conv_append(&out, cx, pcs, pend.s, pend.len);
			have = 0;
		}
		if (!have) {
			memcpy(pcs, ew.cs, ew.cslen);
			pcs[ew.cslen] = '\0';
			buf_truncate(&pend, 0);
			have = 1;
		}
		ew_decode(&ew, &pend);
		i += ew.len;
		lit = i;
	}
	if (have)
		conv_append(&out, cx, pcs, pend.s, pend.len);
	conv_append(&out, NULL, lit_cs, raw + lit, len - lit);
	buf_free(&pend);

	r = text_clean(out.s, out.len);
	buf_free(&out);
	return r;
}

/* An encoded word's bytes as its label says (cx: guesses and notes), or
 * raw text in the charset chosen for it (cx NULL). */
static void
conv_append(struct buf *out, struct charset_ctx *cx, const char *cs,
    const char *s, size_t n)
{
	char	*u;
	size_t	 ul;

	if (n == 0)
		return;
	u = cx != NULL ? charset_decode(cx, cs, s, n, &ul, NULL) :
	    charset_read(cs, s, n, &ul, NULL);
	buf_add(out, u, ul);
	free(u);
}

/*
 * p[0..n) starts with "=?". Parse "=?charset[*lang]?B|Q?text?=" without
 * looking past the third '?' or any whitespace. B text must be base64.
 * Returns 1 and fills *ew, or 0 (then the bytes are literal text).
 */
static int
ew_parse(const char *p, size_t n, struct ew *ew)
{
	const unsigned char	*u = (const unsigned char *)p;
	size_t			 i = 2, cs_end, t, j, k;
	int			 enc;

	while (i < n && u[i] != '?' && u[i] > ' ' && u[i] != 0x7f &&
	    i - 2 <= EW_CS_MAX)
		i++;
	if (i >= n || u[i] != '?' || i == 2 || i - 2 > EW_CS_MAX)
		return 0;
	cs_end = i;
	if (i + 2 >= n || u[i + 2] != '?')
		return 0;
	enc = u[i + 1] == 'b' ? 'B' : u[i + 1] == 'q' ? 'Q' : u[i + 1];
	if (enc != 'B' && enc != 'Q')
		return 0;
	t = j = i + 3;
	while (j < n && u[j] != '?' && u[j] > ' ' && u[j] != 0x7f)
		j++;
	if (j + 1 >= n || u[j] != '?' || u[j + 1] != '=')
		return 0;
	if (enc == 'B')
		for (k = t; k < j; k++)
			if (u[k] != '=' && b64val(u[k]) < 0)
				return 0;

	ew->cs = p + 2;
	for (ew->cslen = 0; ew->cslen < cs_end - 2; ew->cslen++)
		if (ew->cs[ew->cslen] == '*')
			break;		/* RFC 2231 language */
	if (ew->cslen == 0)
		return 0;
	ew->enc = enc;
	ew->text = p + t;
	ew->textlen = j - t;
	ew->len = j + 2;
	return 1;
}

static int
b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Append the decoded bytes of an encoded word. */
static void
ew_decode(const struct ew *ew, struct buf *out)
{
	const unsigned char	*t = (const unsigned char *)ew->text;
	size_t			 i, n = ew->textlen;
	unsigned int		 acc = 0;
	int			 bits = 0, h, l;

	if (ew->enc == 'B') {
		for (i = 0; i < n; i++) {
			if (t[i] == '=') {
				/* padding ends a group; tolerate more after */
				acc = 0;
				bits = 0;
				continue;
			}
			acc = (acc << 6) | (unsigned int)b64val(t[i]);
			bits += 6;
			if (bits >= 8) {
				bits -= 8;
				buf_putc(out, (int)((acc >> bits) & 0xff));
			}
			acc &= (1u << bits) - 1;
		}
		return;
	}
	for (i = 0; i < n; i++) {
		if (t[i] == '_')
			buf_putc(out, ' ');
		else if (t[i] == '=' && i + 2 < n &&
		    (h = fmt_hexval(t[i + 1])) >= 0 && (l = fmt_hexval(t[i + 2])) >= 0) {
			buf_putc(out, h * 16 + l);
			i += 2;
		} else
			buf_putc(out, t[i]);
	}
}

/*
 * ------------------------------------------------------------------
 * RFC 2231 parameters
 */

char *
header_param_get(const struct header_param *params, size_t n,
    const char *name, const char *fallback)
{
	struct charset_ctx	cx;

	hdr_ctx(&cx, fallback);
	return header_param_get_cx(params, n, name, &cx);
}

char *
header_param_get_cx(const struct header_param *params, size_t n,
    const char *name, struct charset_ctx *cx)
{
	const struct header_param	*plain = NULL, *single = NULL;
	struct pseg			*segs, one;
	struct buf			 b;
	const char			*rest;
	size_t				 i, nl, ns = 0, k, d;
	unsigned long			 num;
	int				 any_ext = 0;
	char				*r;

	if (params == NULL || name == NULL)
		return NULL;
	nl = strlen(name);
	segs = xcalloc(n ? n : 1, sizeof(*segs));
	for (i = 0; i < n; i++) {
		if (params[i].name == NULL || params[i].value == NULL ||
		    strlen(params[i].name) < nl ||
		    !hdr_caseeq(params[i].name, name, nl))
			continue;
		rest = params[i].name + nl;
		if (*rest == '\0') {
			if (plain == NULL)
				plain = &params[i];
			continue;
		}
		if (*rest++ != '*')
			continue;
		if (*rest == '\0') {
			if (single == NULL)
				single = &params[i];
			continue;
		}
		for (num = 0, d = 0; *rest >= '0' && *rest <= '9'; rest++, d++)
			if (d < 6)
				num = num * 10 + (unsigned long)(*rest - '0');
		if (d == 0 || d > 6)
			continue;
		segs[ns].num = num;
		segs[ns].order = i;
		segs[ns].ext = 0;
		if (*rest == '*') {
			segs[ns].ext = 1;
			rest++;
		}
		if (*rest != '\0')
			continue;
		segs[ns].value = params[i].value;
		any_ext |= segs[ns].ext;
		ns++;
	}

	r = NULL;
	/*
	 * Both forms present: a plain value carrying RFC 2047 words was
	 * encoded on purpose and wins (as in Delta Chat's test data);
	 * otherwise RFC 2231 wins over a plain value that is often a
	 * lossy ASCII rendering (Outlook).
	 */
	if (plain != NULL && (single != NULL || ns > 0) &&
	    strstr(plain->value, "=?") != NULL) {
		single = NULL;
		ns = 0;
	}
	if (single != NULL) {
		one.num = 0;
		one.order = 0;
		one.ext = 1;
		one.value = single->value;
		r = param_ext(&one, 1, cx);
	} else if (ns > 0) {
		qsort(segs, ns, sizeof(*segs), pseg_cmp);
		/* drop repeated numbers, keeping the first written */
		for (i = 1, k = 1; i < ns; i++)
			if (segs[i].num != segs[k - 1].num)
				segs[k++] = segs[i];
		ns = k;
		if (any_ext)
			r = param_ext(segs, ns, cx);
		else {
			/* plain continuations: maybe RFC 2047 inside */
			buf_init(&b);
			for (i = 0; i < ns; i++)
				buf_puts(&b, segs[i].value);
			r = header_decode_text_cx(b.s, b.len, cx);
			buf_free(&b);
		}
	} else if (plain != NULL)
		r = header_decode_text_cx(plain->value, strlen(plain->value),
		    cx);
	free(segs);
	return r;
}

static int
pseg_cmp(const void *a, const void *b)
{
	const struct pseg	*x = a, *y = b;

	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return 0;
}

/*
 * Join segments: the first, if extended, may start with charset'lang';
 * extended segments are percent-decoded. Convert from that charset
 * (none given: as raw header bytes).
 */
static char *
param_ext(const struct pseg *segs, size_t ns, struct charset_ctx *cx)
{
	struct buf	 b;
	const char	*v, *a1, *a2, *cs = NULL;
	char		 csbuf[EW_CS_MAX + 1], *r;
	size_t		 i, k;
	int		 ok;

	buf_init(&b);
	for (i = 0; i < ns; i++) {
		v = segs[i].value;
		if (i == 0 && segs[i].ext && (a1 = strchr(v, '\'')) != NULL &&
		    (a2 = strchr(a1 + 1, '\'')) != NULL &&
		    (size_t)(a1 - v) <= EW_CS_MAX) {
			ok = 1;
			for (k = 0; v + k < a1 && ok; k++)
				ok = (v[k] >= 'a' && v[k] <= 'z') ||
				    (v[k] >= 'A' && v[k] <= 'Z') ||
				    (v[k] >= '0' && v[k] <= '9') ||
				    strchr("-_.:+()", v[k]) != NULL;
			for (k = 1; a1 + k < a2 && ok; k++)
				ok = (a1[k] >= 'a' && a1[k] <= 'z') ||
				    (a1[k] >= 'A' && a1[k] <= 'Z') ||
				    (a1[k] >= '0' && a1[k] <= '9') ||
				    a1[k] == '-';
			if (ok) {
				if (a1 > v) {
					memcpy(csbuf, v, (size_t)(a1 - v));
					csbuf[a1 - v] = '\0';
					cs = csbuf;
				}
				v = a2 + 1;
			}
		}
		if (segs[i].ext)
			pct_decode(v, &b);
		else
			buf_puts(&b, v);
	}
	r = hdr_conv_clean(cx, cs, b.s, b.len);
	buf_free(&b);
	return r;
}

static void
pct_decode(const char *v, struct buf *b)
{
	int	h, l;

	for (; *v != '\0'; v++) {
		if (*v == '%' && (h = fmt_hexval((unsigned char)v[1])) >= 0 &&
		    (l = fmt_hexval((unsigned char)v[2])) >= 0) {
			buf_putc(b, h * 16 + l);
			v += 2;
		} else
			buf_putc(b, *v);
	}
}
