/*
 * header.c: RFC 5322 header fields -> UTF-8 text, addresses, message IDs
 * and dates.
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
 * a NULL limits pointer) means no limit.
 *
 * Diagnostics: header_split() returns a malloc'd error string naming the
 * configuration key of the exceeded limit; nothing is logged here.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE		/* timegm() */
#endif

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent/util/buf.h"
#include "agent/util/xmalloc.h"
#include "parsers/charset.h"
#include "parsers/header.h"

#define EW_CS_MAX	64	/* longest charset name in an encoded word */
#define NONE		((size_t)-1)

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

/* Address tokens. */
enum tok_type {
	TK_WS,
	TK_WORD,
	TK_QUOTED,
	TK_COMMENT,
	TK_DLIT,
	TK_SPECIAL
};

struct tok {
	enum tok_type	 type;
	size_t		 off;		/* into mbox.text */
	size_t		 len;
	int		 c;		/* TK_SPECIAL */
};

struct mbox {
	struct tok	*t;
	size_t		 n;
	size_t		 cap;
	struct buf	 text;
	size_t		 lt;		/* index of '<' or NONE */
	size_t		 route;		/* first addr token after "<...:" */
	size_t		 gt;		/* index of '>' or NONE */
};

static int	 lc(int);
static int	 is_wsp(int);
static int	 ascii_caseeq(const char *, const char *, size_t);
static int	 all_ws(const char *, size_t);
static int	 hexval(int);
static char	*text_clean(const char *, size_t);
static char	*conv_clean(const char *, const char *, size_t);

static size_t	 field_colon(const char *, size_t, size_t *);
static void	 field_add(struct header_list *, const char *, size_t,
		    size_t);
static int	 split_fail(struct header_list *, size_t *, char **, char *);

static int	 ew_parse(const char *, size_t, struct ew *);
static int	 b64val(int);
static void	 ew_decode(const struct ew *, struct buf *);
static void	 conv_append(struct buf *, const char *, const char *,
		    size_t);

static int	 pseg_cmp(const void *, const void *);
static char	*param_ext(const struct pseg *, size_t, const char *);
static void	 pct_decode(const char *, struct buf *);

static void	 mbox_init(struct mbox *);
static void	 mbox_reset(struct mbox *);
static void	 mbox_free(struct mbox *);
static size_t	 addr_token(const char *, size_t, size_t, struct mbox *,
		    struct tok *);
static void	 mbox_push(struct mbox *, const struct tok *);
static char	*mbox_phrase(const struct mbox *, size_t, size_t,
		    const char *);
static char	*mbox_comment(const struct mbox *, const char *);
static char	*mbox_addr(const struct mbox *, size_t, size_t,
		    const char *);
static void	 mbox_eval(const struct mbox *, const char *, char **,
		    char **);
static int	 dot_atom(const char *, size_t);

static char	*msgid_clean(const char *, size_t);
static int	 date_word(const char *, size_t, int *, int *, long *,
		    int *);

/*
 * ------------------------------------------------------------------
 * Small helpers
 */

static int
lc(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
is_wsp(int c)
{
	return c == ' ' || c == '\t';
}

/* a[0..n) equals b[0..n) ignoring ASCII case. */
static int
ascii_caseeq(const char *a, const char *b, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (lc((unsigned char)a[i]) != lc((unsigned char)b[i]))
			return 0;
	return 1;
}

static int
all_ws(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!is_wsp(s[i]) && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
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
		if (!(j + 1 < n && is_wsp(s[j + 1])))
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
static char *
conv_clean(const char *cs, const char *s, size_t n)
{
	char	*u, *r;
	size_t	 ul;

	u = charset_to_utf8(cs, s, n, &ul, NULL);
	r = text_clean(u, ul);
	free(u);
	return r;
}

/*
 * ------------------------------------------------------------------
 * Header block splitting
 */

int
header_split(const char *buf, size_t len, const struct header_limits *lim,
    struct header_list *list, size_t *body_off, char **errstr)
{
	const char	*nl;
	size_t		 line_max = 0, count_max = 0, size_max = 0;
	size_t		 pos = 0, total = 0, eol, next, cend, clen, dummy;
	size_t		 fstart = 0, fend = 0, ulen = 0, body;
	int		 have = 0;

	memset(list, 0, sizeof(*list));
	if (errstr != NULL)
		*errstr = NULL;
	if (lim != NULL) {
		line_max = lim->line_max;
		count_max = lim->count_max;
		size_max = lim->size_max;
	}
	if (buf == NULL)
		len = 0;

	body = len;
	/* a first line indented by mistake is read as a field */
	while (pos < len && is_wsp(buf[pos]))
		pos++;
	if (pos > 0) {
		nl = memchr(buf + pos, '\n', len - pos);
		eol = nl != NULL ? (size_t)(nl - buf) : len;
		if (field_colon(buf + pos, eol - pos, &dummy) == 0)
			pos = 0;
	}
	while (pos < len) {
		nl = memchr(buf + pos, '\n', len - pos);
		eol = nl != NULL ? (size_t)(nl - buf) : len;
		next = nl != NULL ? eol + 1 : len;
		cend = eol;
		if (cend > pos && buf[cend - 1] == '\r')
			cend--;
		clen = cend - pos;
		if (clen == 0) {
			body = next;		/* the empty line */
			break;
		}
		if (is_wsp(buf[pos])) {
			if (!have) {
				body = 0;	/* no header block at all */
				break;
			}
			ulen += clen;
			fend = cend;
		} else {
			if (!have && field_colon(buf + pos, clen, &dummy) == 0) {
				body = 0;
				break;
			}
			if (have)
				field_add(list, buf, fstart, fend);
			if (count_max != 0 && list->count >= count_max)
				return split_fail(list, body_off, errstr,
				    xasprintf("header exceeds "
				    "header_count_limit (%zu fields)",
				    count_max));
			have = 1;
			fstart = pos;
			fend = cend;
			ulen = clen;
		}
		if (line_max != 0 && ulen > line_max)
			return split_fail(list, body_off, errstr,
			    xasprintf("header field exceeds header_line_limit "
			    "(%zu bytes)", line_max));
		total += next - pos;
		if (size_max != 0 && total > size_max)
			return split_fail(list, body_off, errstr,
			    xasprintf("header exceeds header_size_limit "
			    "(%zu bytes)", size_max));
		pos = next;
	}
	if (have)
		field_add(list, buf, fstart, fend);
	if (body_off != NULL)
		*body_off = body;
	return 0;
}

static int
split_fail(struct header_list *list, size_t *body_off, char **errstr,
    char *msg)
{
	header_list_free(list);
	if (body_off != NULL)
		*body_off = 0;
	if (errstr != NULL)
		*errstr = msg;
	else
		free(msg);
	return -1;
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
	while (i < n && is_wsp(u[i]))
		i++;
	if (i >= n || u[i] != ':')
		return 0;
	*namelen = e;
	return i + 1;
}

/* Add the field spanning buf[start, end) (folded lines) to the list. */
static void
field_add(struct header_list *list, const char *buf, size_t start,
    size_t end)
{
	struct header_field	*f;
	const char		*p = buf + start;
	size_t			 n = end - start, off, namelen = 0, i, k, s;
	char			*v;

	if (list->count == list->cap) {
		list->cap = list->cap ? list->cap * 2 : 32;
		list->fields = xrealloc(list->fields,
		    list->cap * sizeof(*list->fields));
	}
	f = &list->fields[list->count++];

	if ((off = field_colon(p, n, &namelen)) == 0)
		f->name = xstrdup("");	/* lenient: keep the line */
	else
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
	while (k > 0 && is_wsp(v[k - 1]))
		k--;
	for (s = 0; s < k && is_wsp(v[s]); s++)
		;
	if (s > 0)
		memmove(v, v + s, k - s);
	k -= s;
	v[k] = '\0';
	f->value = v;
	f->value_len = k;
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
	memset(list, 0, sizeof(*list));
}

const struct header_field *
header_get(const struct header_list *list, const char *name, size_t idx)
{
	size_t	i, nl = strlen(name);

	for (i = 0; i < list->count; i++) {
		if (strlen(list->fields[i].name) != nl ||
		    !ascii_caseeq(list->fields[i].name, name, nl))
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
		    ascii_caseeq(list->fields[i].name, name, nl))
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
	struct buf	 out, pend;
	struct ew	 ew;
	const char	*lit_cs;
	char		 pcs[EW_CS_MAX + 1], *r;
	size_t		 i = 0, lit = 0;
	int		 have = 0;

	if (raw == NULL) {
		raw = "";
		len = 0;
	}
	/*
	 * Raw text: 7-bit text in the fallback (ASCII or ISO-2022);
	 * 8-bit text as UTF-8 if the whole is valid UTF-8 (RFC 6532),
	 * else the fallback (the message's charset), else windows-1252.
	 */
	for (i = 0; i < len && (unsigned char)raw[i] < 0x80; i++)
		;
	if (i == len && fallback != NULL)
		lit_cs = fallback;	/* 7-bit: ASCII or ISO-2022 */
	else if (charset_is_utf8(raw, len))
		lit_cs = "utf-8";
	else if ((lit_cs = fallback) == NULL)
		lit_cs = "windows-1252";
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
				conv_append(&out, pcs, pend.s, pend.len);
			have = 0;
			conv_append(&out, lit_cs, raw + lit, i - lit);
		}
		/*
		 * Adjacent words in the same charset are joined before
		 * conversion: mailers split multibyte characters across
		 * encoded words.
		 */
		if (have && (strlen(pcs) != ew.cslen ||
		    !ascii_caseeq(pcs, ew.cs, ew.cslen))) {
			conv_append(&out, pcs, pend.s, pend.len);
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
		conv_append(&out, pcs, pend.s, pend.len);
	conv_append(&out, lit_cs, raw + lit, len - lit);
	buf_free(&pend);

	r = text_clean(out.s, out.len);
	buf_free(&out);
	return r;
}

static void
conv_append(struct buf *out, const char *cs, const char *s, size_t n)
{
	char	*u;
	size_t	 ul;

	if (n == 0)
		return;
	u = charset_to_utf8(cs, s, n, &ul, NULL);
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
		    (h = hexval(t[i + 1])) >= 0 && (l = hexval(t[i + 2])) >= 0) {
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
		    !ascii_caseeq(params[i].name, name, nl))
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
		r = param_ext(&one, 1, fallback);
	} else if (ns > 0) {
		qsort(segs, ns, sizeof(*segs), pseg_cmp);
		/* drop repeated numbers, keeping the first written */
		for (i = 1, k = 1; i < ns; i++)
			if (segs[i].num != segs[k - 1].num)
				segs[k++] = segs[i];
		ns = k;
		if (any_ext)
			r = param_ext(segs, ns, fallback);
		else {
			/* plain continuations: maybe RFC 2047 inside */
			buf_init(&b);
			for (i = 0; i < ns; i++)
				buf_puts(&b, segs[i].value);
			r = header_decode_text(b.s, b.len, fallback);
			buf_free(&b);
		}
	} else if (plain != NULL)
		r = header_decode_text(plain->value, strlen(plain->value),
		    fallback);
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
 * (none given: fallback).
 */
static char *
param_ext(const struct pseg *segs, size_t ns, const char *fallback)
{
	struct buf	 b;
	const char	*v, *a1, *a2, *cs = fallback;
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
	r = conv_clean(cs, b.s, b.len);
	buf_free(&b);
	return r;
}

static void
pct_decode(const char *v, struct buf *b)
{
	int	h, l;

	for (; *v != '\0'; v++) {
		if (*v == '%' && (h = hexval((unsigned char)v[1])) >= 0 &&
		    (l = hexval((unsigned char)v[2])) >= 0) {
			buf_putc(b, h * 16 + l);
			v += 2;
		} else
			buf_putc(b, *v);
	}
}

/*
 * ------------------------------------------------------------------
 * Addresses
 */

int
header_addr_parse(const char *raw, size_t len, const char *fallback,
    struct header_addr *out)
{
	struct mbox	 m;
	struct tok	 t;
	size_t		 pos = 0;
	char		*name, *addr, *name0 = NULL;
	int		 in_angle = 0, boundary;

	out->name = out->addr = NULL;
	if (raw == NULL)
		len = 0;
	mbox_init(&m);
	for (;;) {
		boundary = pos >= len;
		if (!boundary) {
			pos = addr_token(raw, len, pos, &m, &t);
			if (t.type == TK_SPECIAL && !in_angle &&
			    (t.c == ',' || t.c == ';'))
				boundary = 1;
			else if (t.type == TK_SPECIAL && t.c == ':' &&
			    !in_angle && m.lt == NONE) {
				/* "group:" - drop the group's display name */
				mbox_reset(&m);
				continue;
			} else if (t.type == TK_SPECIAL && t.c == ':' &&
			    in_angle) {
				/* obs-route "<@a,@b:user@c>" */
				m.route = m.n + 1;
				mbox_push(&m, &t);
			} else if (t.type == TK_SPECIAL && t.c == '<') {
				if (m.lt == NONE)
					m.lt = m.n;
				else if (in_angle)
					m.route = m.n + 1;
				in_angle = 1;
				mbox_push(&m, &t);
			} else if (t.type == TK_SPECIAL && t.c == '>' &&
			    in_angle) {
				if (m.gt == NONE)
					m.gt = m.n;
				in_angle = 0;
				mbox_push(&m, &t);
			} else
				mbox_push(&m, &t);
			if (!boundary)
				continue;
		}
		mbox_eval(&m, fallback, &name, &addr);
		if (addr != NULL) {
			out->addr = addr;
			out->name = name;
			break;
		}
		if (name0 == NULL)
			name0 = name;
		else
			free(name);
		if (pos >= len)
			break;
		mbox_reset(&m);
		in_angle = 0;
	}
	mbox_free(&m);
	if (out->addr != NULL) {
		free(name0);
		return 0;
	}
	out->name = name0;
	return -1;
}

void
header_addr_free(struct header_addr *a)
{
	if (a == NULL)
		return;
	free(a->name);
	free(a->addr);
	a->name = a->addr = NULL;
}

static void
mbox_init(struct mbox *m)
{
	memset(m, 0, sizeof(*m));
	buf_init(&m->text);
	m->lt = m->route = m->gt = NONE;
}

static void
mbox_reset(struct mbox *m)
{
	m->n = 0;
	buf_truncate(&m->text, 0);
	m->lt = m->route = m->gt = NONE;
}

static void
mbox_free(struct mbox *m)
{
	free(m->t);
	buf_free(&m->text);
}

static void
mbox_push(struct mbox *m, const struct tok *t)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 32;
		m->t = xrealloc(m->t, m->cap * sizeof(*m->t));
	}
	m->t[m->n++] = *t;
}

/*
 * Read one token at pos; its text goes to m->text. Quoted strings and
 * comments are unescaped and lose CR/LF (unfolding); comment nesting is
 * counted. Unterminated constructs end at the end of input.
 */
static size_t
addr_token(const char *raw, size_t len, size_t pos, struct mbox *m,
    struct tok *t)
{
	unsigned char	c = (unsigned char)raw[pos];
	size_t		depth;

	memset(t, 0, sizeof(*t));
	t->off = m->text.len;
	if (is_wsp(c) || c == '\r' || c == '\n') {
		t->type = TK_WS;
		while (pos < len && (is_wsp(raw[pos]) || raw[pos] == '\r' ||
		    raw[pos] == '\n'))
			pos++;
		return pos;
	}
	if (c == '"') {
		t->type = TK_QUOTED;
		for (pos++; pos < len && raw[pos] != '"'; pos++) {
			if (raw[pos] == '\\' && pos + 1 < len)
				pos++;
			else if (raw[pos] == '\r' || raw[pos] == '\n')
				continue;
			buf_putc(&m->text, raw[pos]);
		}
		if (pos < len)
			pos++;
	} else if (c == '(') {
		t->type = TK_COMMENT;
		for (depth = 1, pos++; pos < len; pos++) {
			if (raw[pos] == '\\' && pos + 1 < len)
				pos++;
			else if (raw[pos] == '\r' || raw[pos] == '\n')
				continue;
			else if (raw[pos] == '(')
				depth++;
			else if (raw[pos] == ')' && --depth == 0)
				break;
			buf_putc(&m->text, raw[pos]);
		}
		if (pos < len)
			pos++;
	} else if (c == '[') {
		t->type = TK_DLIT;
		for (; pos < len; pos++) {
			if (raw[pos] == '\r' || raw[pos] == '\n')
				continue;
			buf_putc(&m->text, raw[pos]);
			if (raw[pos] == ']') {
				pos++;
				break;
			}
		}
	} else if (c != '\0' && strchr("<>@,:;.", c) != NULL) {
		t->type = TK_SPECIAL;
		t->c = c;
		buf_putc(&m->text, c);
		pos++;
	} else {
		t->type = TK_WORD;
		while (pos < len) {
			c = (unsigned char)raw[pos];
			if (is_wsp(c) || c == '\r' || c == '\n' ||
			    (c != '\0' && strchr("\"([<>@,:;.", c) != NULL))
				break;
			buf_putc(&m->text, c);
			pos++;
		}
	}
	t->len = m->text.len - t->off;
	return pos;
}

/* Display name from tokens [s, e): words, specials, single spaces. */
static char *
mbox_phrase(const struct mbox *m, size_t s, size_t e, const char *fallback)
{
	struct buf	 b;
	size_t		 i;
	char		*r;

	buf_init(&b);
	for (i = s; i < e; i++) {
		switch (m->t[i].type) {
		case TK_WS:
		case TK_COMMENT:
			if (b.len > 0)
				buf_putc(&b, ' ');
			break;
		default:
			buf_add(&b, m->text.s + m->t[i].off, m->t[i].len);
			break;
		}
	}
	r = header_decode_text(b.s, b.len, fallback);
	buf_free(&b);
	if (*r == '\0') {
		free(r);
		r = NULL;
	}
	return r;
}

/* First non-empty comment, decoded, as a display name. */
static char *
mbox_comment(const struct mbox *m, const char *fallback)
{
	size_t	 i;
	char	*r;

	for (i = 0; i < m->n; i++) {
		if (m->t[i].type != TK_COMMENT)
			continue;
		r = header_decode_text(m->text.s + m->t[i].off, m->t[i].len,
		    fallback);
		if (*r != '\0')
			return r;
		free(r);
	}
	return NULL;
}

/* "local@domain" from tokens [s, e), or NULL. */
static char *
mbox_addr(const struct mbox *m, size_t s, size_t e, const char *fallback)
{
	struct buf	 local, dom, a;
	const char	*p;
	size_t		 i, k;
	int		 at = 0;
	char		*r = NULL;

	buf_init(&local);
	buf_init(&dom);
	for (i = s; i < e; i++) {
		if (m->t[i].type == TK_WS || m->t[i].type == TK_COMMENT)
			continue;
		if (m->t[i].type == TK_SPECIAL && (m->t[i].c == '<' ||
		    m->t[i].c == '>'))
			continue;
		if (m->t[i].type == TK_SPECIAL && m->t[i].c == '@' && !at) {
			at = 1;
			continue;
		}
		buf_add(at ? &dom : &local, m->text.s + m->t[i].off,
		    m->t[i].len);
	}
	if (at && local.len > 0 && dom.len > 0) {
		buf_init(&a);
		/* quoted only if it has to be */
		if (!dot_atom(local.s, local.len)) {
			buf_putc(&a, '"');
			for (p = local.s; p < local.s + local.len; p++) {
				if (*p == '"' || *p == '\\')
					buf_putc(&a, '\\');
				buf_putc(&a, *p);
			}
			buf_putc(&a, '"');
		} else
			buf_add(&a, local.s, local.len);
		buf_putc(&a, '@');
		for (k = 0; k < dom.len; k++)
			buf_putc(&a, lc((unsigned char)dom.s[k]));
		r = conv_clean(fallback, a.s, a.len);
		buf_free(&a);
		if (*r == '\0') {
			free(r);
			r = NULL;
		}
	}
	buf_free(&local);
	buf_free(&dom);
	return r;
}

/* RFC 5322 dot-atom (atext plus 8-bit for RFC 6532). */
static int
dot_atom(const char *s, size_t n)
{
	size_t	i;
	int	prev_dot = 1;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.') {
			if (prev_dot)
				return 0;
			prev_dot = 1;
			continue;
		}
		prev_dot = 0;
		if (c >= 0x80 || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL))
			continue;
		return 0;
	}
	return !prev_dot;
}

/*
 * One mailbox: "phrase <addr>", "addr (comment)", "addr", and the broken
 * "phrase addr". Sets *name and *addr (either may be NULL).
 */
static void
mbox_eval(const struct mbox *m, const char *fallback, char **name,
    char **addr)
{
	size_t	at, ls, de, i;

	*name = *addr = NULL;
	if (m->lt != NONE) {
		*addr = mbox_addr(m, m->route != NONE ? m->route : m->lt + 1,
		    m->gt != NONE ? m->gt : m->n, fallback);
		*name = mbox_phrase(m, 0, m->lt, fallback);
	} else {
		for (at = 0; at < m->n; at++)
			if (m->t[at].type == TK_SPECIAL && m->t[at].c == '@')
				break;
		if (at < m->n) {
			ls = at;
			while (ls > 0 && m->t[ls - 1].type == TK_WS)
				ls--;
			while (ls > 0 && (m->t[ls - 1].type == TK_WORD ||
			    m->t[ls - 1].type == TK_QUOTED ||
			    (m->t[ls - 1].type == TK_SPECIAL &&
			    m->t[ls - 1].c == '.')))
				ls--;
			de = at + 1;
			while (de < m->n && m->t[de].type == TK_WS)
				de++;
			while (de < m->n && (m->t[de].type == TK_WORD ||
			    m->t[de].type == TK_DLIT ||
			    (m->t[de].type == TK_SPECIAL &&
			    m->t[de].c == '.')))
				de++;
			*addr = mbox_addr(m, ls, de, fallback);
			*name = mbox_phrase(m, 0, ls, fallback);
		} else {
			for (i = 0; i < m->n; i++)
				if (m->t[i].type != TK_WS &&
				    m->t[i].type != TK_COMMENT)
					break;
			if (i < m->n)
				*name = mbox_phrase(m, 0, m->n, fallback);
		}
	}
	if (*name == NULL)
		*name = mbox_comment(m, fallback);
}

/*
 * ------------------------------------------------------------------
 * Message IDs
 */

size_t
header_msgids(const char *raw, size_t len, size_t max_ids, char ***ids)
{
	char	**ring = NULL, **res, *id;
	size_t	  n = 0, cap = 0, head = 0, i, j, depth, s, e;
	int	  any = 0;

	*ids = NULL;
	if (raw == NULL || max_ids == 0)
		return 0;
	for (i = 0; i < len; ) {
		if (raw[i] == '(') {
			for (depth = 1, i++; i < len && depth > 0; i++) {
				if (raw[i] == '\\')
					i++;
				else if (raw[i] == '(')
					depth++;
				else if (raw[i] == ')')
					depth--;
			}
			continue;
		}
		if (raw[i] != '<') {
			i++;
			continue;
		}
		for (j = i + 1; j < len && raw[j] != '>'; j++)
			if (raw[j] == '<')
				i = j;	/* restart at the inner '<' */
		any = 1;
		if (j >= len)
			break;		/* unterminated */
		id = msgid_clean(raw + i + 1, j - i - 1);
		i = j + 1;
		if (id == NULL)
			continue;
		if (n < max_ids) {
			if (n == cap) {
				cap = cap ? cap * 2 : 8;
				if (cap > max_ids)
					cap = max_ids;
				ring = xrealloc(ring, cap * sizeof(*ring));
			}
			ring[n++] = id;
		} else {
			/* keep the last max_ids */
			free(ring[head]);
			ring[head] = id;
			head = (head + 1) % n;
		}
	}
	if (!any) {
		/* lenient: a bare "id@host" without brackets */
		for (s = 0; s < len && (is_wsp(raw[s]) || raw[s] == '\r' ||
		    raw[s] == '\n'); s++)
			;
		for (e = len; e > s && (is_wsp(raw[e - 1]) ||
		    raw[e - 1] == '\r' || raw[e - 1] == '\n'); e--)
			;
		for (i = s; i < e; i++)
			if ((unsigned char)raw[i] <= ' ' || raw[i] == '(')
				break;
		if (i == e && memchr(raw + s, '@', e - s) != NULL &&
		    (id = msgid_clean(raw + s, e - s)) != NULL) {
			ring = xmalloc(sizeof(*ring));
			ring[n++] = id;
		}
	}
	if (n == 0) {
		free(ring);
		return 0;
	}
	res = xcalloc(n, sizeof(*res));
	for (i = 0; i < n; i++)
		res[i] = ring[(head + i) % n];
	free(ring);
	*ids = res;
	return n;
}

/* Message ID text without whitespace and controls, as UTF-8; or NULL. */
static char *
msgid_clean(const char *s, size_t n)
{
	struct buf	 b;
	size_t		 i;
	char		*r;

	buf_init(&b);
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] > ' ' && s[i] != 0x7f)
			buf_putc(&b, s[i]);
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	r = charset_to_utf8(NULL, b.s, b.len, NULL, NULL);
	buf_free(&b);
	return r;
}

void
header_msgids_free(char **ids, size_t n)
{
	size_t	i;

	if (ids == NULL)
		return;
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

/*
 * ------------------------------------------------------------------
 * Dates
 */

/*
 * [day-of-week ","] day month year hour ":" min [":" sec] zone, with
 * CFWS anywhere, 2- and 3-digit years, named and military zones (the
 * latter as -0000, RFC 5322 4.3), no zone (= UTC), full day/month names,
 * asctime order ("Nov 21 09:55:06 1997") and AM/PM. Unknown words after
 * the time are taken as unknown zones (-0000).
 */
long long
header_date_parse(const char *raw, size_t len)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	struct tm	 tm;
	size_t		 i = 0, j, depth, nd;
	long		 off = 0, v, zh, zm;
	int		 day = -1, mon = -1, year = -1, hh = -1, mm = -1;
	int		 ss = 0, numzone = 0, pm = -1, leap, dim;
	time_t		 t;

	if (raw == NULL)
		return -1;
	while (i < len) {
		unsigned char c = (unsigned char)raw[i];

		if (c == '(') {
			for (depth = 1, i++; i < len && depth > 0; i++) {
				if (raw[i] == '\\')
					i++;
				else if (raw[i] == '(')
					depth++;
				else if (raw[i] == ')')
					depth--;
			}
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
		    c == ',') {
			i++;
			continue;
		}
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			for (j = i; j < len && ((raw[j] >= 'a' &&
			    raw[j] <= 'z') || (raw[j] >= 'A' && raw[j] <= 'Z'));
			    j++)
				;
			if (date_word(raw + i, j - i, &mon, &numzone, &off,
			    &pm) == -1 && hh < 0)
				return -1;
			i = j;
			continue;
		}
		if ((c == '+' || c == '-') && i + 1 < len &&
		    raw[i + 1] >= '0' && raw[i + 1] <= '9') {
			/* +hhmm or +hh:mm */
			for (j = i + 1, nd = 0, v = 0; j < len &&
			    raw[j] >= '0' && raw[j] <= '9'; j++, nd++)
				if (nd < 4)
					v = v * 10 + (raw[j] - '0');
			if (nd == 4) {
				zh = v / 100;
				zm = v % 100;
			} else if (nd == 2 && j + 2 < len && raw[j] == ':' &&
			    raw[j + 1] >= '0' && raw[j + 1] <= '9' &&
			    raw[j + 2] >= '0' && raw[j + 2] <= '9') {
				zh = v;
				zm = (raw[j + 1] - '0') * 10 + (raw[j + 2] - '0');
				j += 3;
			} else
				return -1;
			if (zm > 59)
				return -1;
			off = (zh * 60 + zm) * (c == '-' ? -1 : 1);
			numzone = 1;
			i = j;
			continue;
		}
		if (c >= '0' && c <= '9') {
			for (j = i, nd = 0, v = 0; j < len && raw[j] >= '0' &&
			    raw[j] <= '9'; j++, nd++)
				if (nd < 5)
					v = v * 10 + (raw[j] - '0');
			if (nd > 4)
				return -1;
			if (j < len && raw[j] == ':') {
				/* hh:mm[:ss] */
				if (hh >= 0 || nd > 2)
					return -1;
				hh = (int)v;
				for (j++, nd = 0, v = 0; j < len &&
				    raw[j] >= '0' && raw[j] <= '9'; j++, nd++)
					if (nd < 3)
						v = v * 10 + (raw[j] - '0');
				if (nd == 0 || nd > 2)
					return -1;
				mm = (int)v;
				if (j < len && raw[j] == ':') {
					for (j++, nd = 0, v = 0; j < len &&
					    raw[j] >= '0' && raw[j] <= '9';
					    j++, nd++)
						if (nd < 3)
							v = v * 10 +
							    (raw[j] - '0');
					if (nd == 0 || nd > 2)
						return -1;
					ss = (int)v;
				}
			} else if (nd <= 2 && day < 0)
				day = (int)v;
			else if (year < 0) {
				year = (int)v;
				if (nd <= 2)
					year += year < 50 ? 2000 : 1900;
				else if (nd == 3)
					year += 1900;
			} else
				return -1;
			i = j;
			continue;
		}
		if (c == '-' || c == '/' || c == '.') {
			i++;		/* "1-Jan-2024" and similar */
			continue;
		}
		return -1;
	}

	if (day < 1 || mon < 0 || year < 1900 || year > 9999)
		return -1;
	if (hh < 0) {
		hh = 0;
		mm = 0;
	}
	if (pm >= 0) {
		if (hh < 1 || hh > 12)
			return -1;
		hh = hh % 12 + (pm ? 12 : 0);
	}
	if (hh > 23 || mm > 59 || ss > 60)
		return -1;
	leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	dim = mdays[mon] + (mon == 1 && leap);
	if (day > dim)
		return -1;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = mon;
	tm.tm_mday = day;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	if ((t = timegm(&tm)) == (time_t)-1 && !(year == 1969 && mon == 11 &&
	    day == 31))
		return -1;
	return (long long)t - (long long)off * 60;
}

/*
 * Classify an alphabetic date word: day name (ignored), month, zone,
 * AM/PM. Returns -1 for an unknown word.
 */
static int
date_word(const char *w, size_t n, int *mon, int *numzone, long *off,
    int *pm)
{
	static const char *months[12] = {
		"january", "february", "march", "april", "may", "june",
		"july", "august", "september", "october", "november",
		"december"
	};
	static const char *days[7] = {
		"monday", "tuesday", "wednesday", "thursday", "friday",
		"saturday", "sunday"
	};
	static const struct {
		const char	*name;
		int		 hours;
	} zones[] = {
		{ "ut", 0 }, { "utc", 0 }, { "gmt", 0 }, { "z", 0 },
		{ "est", -5 }, { "edt", -4 }, { "cst", -6 }, { "cdt", -5 },
		{ "mst", -7 }, { "mdt", -6 }, { "pst", -8 }, { "pdt", -7 },
	};
	size_t	i;

	if (n >= 3) {
		for (i = 0; i < 12; i++)
			if (n <= strlen(months[i]) &&
			    ascii_caseeq(w, months[i], n)) {
				*mon = (int)i;
				return 0;
			}
		for (i = 0; i < 7; i++)
			if (n <= strlen(days[i]) && ascii_caseeq(w, days[i], n))
				return 0;
	}
	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		if (strlen(zones[i].name) == n &&
		    ascii_caseeq(w, zones[i].name, n)) {
			if (!*numzone)
				*off = zones[i].hours * 60L;
			return 0;
		}
	if (n == 1) {
		/* military zone: meaning unreliable, RFC 5322 says -0000 */
		if (!*numzone)
			*off = 0;
		return 0;
	}
	if (n == 2 && ascii_caseeq(w, "am", 2)) {
		*pm = 0;
		return 0;
	}
	if (n == 2 && ascii_caseeq(w, "pm", 2)) {
		*pm = 1;
		return 0;
	}
	return -1;
}
