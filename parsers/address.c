/*
 * address.c: mailboxes (From, Reply-To, Sender) and message-ID lists
 * (Message-ID, In-Reply-To, References) from raw header values.
 *
 * Contract: header.h. Trust: none; the tokenizer is single pass, comment
 * nesting is counted, never recursed into, and memory is linear in the
 * input. Lenient like common MUAs: unbalanced quotes, comments and
 * angle brackets, obsolete routes, encoded-words in display names.
 */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xmalloc.h"
#include "parsers/charset.h"
#include "parsers/header.h"
#include "parsers/header_int.h"

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

static void	 mbox_init(struct mbox *);
static void	 mbox_reset(struct mbox *);
static void	 mbox_free(struct mbox *);
static size_t	 addr_token(const char *, size_t, size_t, struct mbox *,
		    struct tok *);
static void	 mbox_push(struct mbox *, const struct tok *);
static char	*mbox_phrase(const struct mbox *, size_t, size_t,
		    struct charset_ctx *);
static char	*mbox_comment(const struct mbox *, struct charset_ctx *);
static char	*mbox_addr(const struct mbox *, size_t, size_t,
		    struct charset_ctx *);
static void	 mbox_eval(const struct mbox *, struct charset_ctx *, char **,
		    char **);
static int	 dot_atom(const char *, size_t);

static char	*msgid_clean(const char *, size_t);

/*
 * ------------------------------------------------------------------
 * Addresses
 */

/*
 * The mailboxes of an address field, in order: up to max with an
 * address into out[]; the display name of the first one without an
 * address in *name0 (malloc'd, or NULL). One pass over raw.
 */
static size_t
addr_walk(const char *raw, size_t len, struct charset_ctx *cx,
    struct header_addr *out, size_t max, char **name0)
{
	struct mbox	 m;
	struct tok	 t;
	size_t		 pos = 0, n = 0;
	char		*name, *addr;
	int		 in_angle = 0, boundary;

	*name0 = NULL;
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
			    !in_angle && m.lt == HDR_NONE) {
				/* "group:" - drop the group's display name */
				mbox_reset(&m);
				continue;
			} else if (t.type == TK_SPECIAL && t.c == ':' &&
			    in_angle) {
				/* obs-route "<@a,@b:user@c>" */
				m.route = m.n + 1;
				mbox_push(&m, &t);
			} else if (t.type == TK_SPECIAL && t.c == '<') {
				if (m.lt == HDR_NONE)
					m.lt = m.n;
				else if (in_angle)
					m.route = m.n + 1;
				in_angle = 1;
				mbox_push(&m, &t);
			} else if (t.type == TK_SPECIAL && t.c == '>' &&
			    in_angle) {
				if (m.gt == HDR_NONE)
					m.gt = m.n;
				in_angle = 0;
				mbox_push(&m, &t);
			} else
				mbox_push(&m, &t);
			if (!boundary)
				continue;
		}
		mbox_eval(&m, cx, &name, &addr);
		if (addr != NULL) {
			out[n].addr = addr;
			out[n++].name = name;
			if (n == max)
				break;
		} else if (*name0 == NULL)
			*name0 = name;
		else
			free(name);
		if (pos >= len)
			break;
		mbox_reset(&m);
		in_angle = 0;
	}
	mbox_free(&m);
	return n;
}

int
header_addr_parse(const char *raw, size_t len, const char *fallback,
    struct header_addr *out)
{
	struct charset_ctx	cx;

	hdr_ctx(&cx, fallback);
	return header_addr_parse_cx(raw, len, &cx, out);
}

int
header_addr_parse_cx(const char *raw, size_t len, struct charset_ctx *cx,
    struct header_addr *out)
{
	char	*name0;

	out->name = out->addr = NULL;
	if (addr_walk(raw, len, cx, out, 1, &name0) == 1) {
		free(name0);
		return 0;
	}
	out->name = name0;
	return -1;
}

size_t
header_addr_list(const char *raw, size_t len, const char *fallback,
    struct header_addr *out, size_t max)
{
	struct charset_ctx	cx;
	char			*name0;
	size_t			 n;

	if (max == 0)
		return 0;
	hdr_ctx(&cx, fallback);
	n = addr_walk(raw, len, &cx, out, max, &name0);
	free(name0);
	return n;
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
	m->lt = m->route = m->gt = HDR_NONE;
}

static void
mbox_reset(struct mbox *m)
{
	m->n = 0;
	buf_truncate(&m->text, 0);
	m->lt = m->route = m->gt = HDR_NONE;
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
	if (hdr_is_wsp(c) || c == '\r' || c == '\n') {
		t->type = TK_WS;
		while (pos < len && (hdr_is_wsp(raw[pos]) || raw[pos] == '\r' ||
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
			if (hdr_is_wsp(c) || c == '\r' || c == '\n' ||
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
mbox_phrase(const struct mbox *m, size_t s, size_t e,
    struct charset_ctx *cx)
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
	r = header_decode_text_cx(b.s, b.len, cx);
	buf_free(&b);
	if (*r == '\0') {
		free(r);
		r = NULL;
	}
	return r;
}

/* First non-empty comment, decoded, as a display name. */
static char *
mbox_comment(const struct mbox *m, struct charset_ctx *cx)
{
	size_t	 i;
	char	*r;

	for (i = 0; i < m->n; i++) {
		if (m->t[i].type != TK_COMMENT)
			continue;
		r = header_decode_text_cx(m->text.s + m->t[i].off,
		    m->t[i].len, cx);
		if (*r != '\0')
			return r;
		free(r);
	}
	return NULL;
}

/* "local@domain" from tokens [s, e), or NULL. */
static char *
mbox_addr(const struct mbox *m, size_t s, size_t e,
    struct charset_ctx *cx)
{
	struct buf	 local, dom, a;
	const char	*p;
	size_t		 i;
	int		 at = 0;
	char		*r = NULL, *l, *d;

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
		/*
		 * Each side read on its own: a guessed double-byte charset
		 * would take the '@' as the trail byte of an 8-bit local part.
		 */
		l = hdr_conv_clean(cx, NULL, local.s, local.len);
		d = hdr_conv_clean(cx, NULL, dom.s, dom.len);
		if (*l != '\0' && *d != '\0') {
			buf_init(&a);
			/* quoted only if it has to be */
			if (!dot_atom(l, strlen(l))) {
				buf_putc(&a, '"');
				for (p = l; *p != '\0'; p++) {
					if (*p == '"' || *p == '\\')
						buf_putc(&a, '\\');
					buf_putc(&a, *p);
				}
				buf_putc(&a, '"');
			} else
				buf_puts(&a, l);
			buf_putc(&a, '@');
			for (p = d; *p != '\0'; p++)
				buf_putc(&a, hdr_lc((unsigned char)*p));
			r = buf_release(&a);
		}
		free(l);
		free(d);
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
mbox_eval(const struct mbox *m, struct charset_ctx *cx, char **name,
    char **addr)
{
	size_t	at, ls, de, i;

	*name = *addr = NULL;
	if (m->lt != HDR_NONE) {
		*addr = mbox_addr(m, m->route != HDR_NONE ? m->route : m->lt + 1,
		    m->gt != HDR_NONE ? m->gt : m->n, cx);
		*name = mbox_phrase(m, 0, m->lt, cx);
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
			*addr = mbox_addr(m, ls, de, cx);
			*name = mbox_phrase(m, 0, ls, cx);
		} else {
			for (i = 0; i < m->n; i++)
				if (m->t[i].type != TK_WS &&
				    m->t[i].type != TK_COMMENT)
					break;
			if (i < m->n)
				*name = mbox_phrase(m, 0, m->n, cx);
		}
	}
	if (*name == NULL)
		*name = mbox_comment(m, cx);
}

/*
 * ------------------------------------------------------------------
 * Message IDs
 */

size_t
header_msgids(const char *raw, size_t len, size_t max_ids, char ***ids)
{
	char	**ring = NULL, **res, *id;
	size_t	  n = 0, cap = 0, head = 0, i, j, s, e;
	int	  any = 0;

	*ids = NULL;
	if (raw == NULL || max_ids == 0)
		return 0;
	for (i = 0; i < len; ) {
		if (raw[i] == '(') {
			i = hdr_skip_comment(raw, len, i);
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
		for (s = 0; s < len && (hdr_is_wsp(raw[s]) || raw[s] == '\r' ||
		    raw[s] == '\n'); s++)
			;
		for (e = len; e > s && (hdr_is_wsp(raw[e - 1]) ||
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
