/*
 * armor.c: find OpenPGP armour blocks in text. See armor.h.
 */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xmalloc.h"
#include "parsers/armor.h"

struct line {
	size_t	ls, le;		/* content, without the line end */
	size_t	ts, te;		/* trimmed content */
	size_t	next;		/* start of the next line */
};

static void	 next_line(const char *, size_t, size_t, struct line *);
static int	 is(const char *, const struct line *, const char *);
static size_t	 ws_at(const char *, size_t, size_t);

/* Length of the whitespace character at s[i] (0 if none): SP, TAB,
 * U+00A0 in UTF-8 (C2 A0) or as a single byte (A0, ISO-8859-x). */
static size_t
ws_at(const char *s, size_t n, size_t i)
{
	unsigned char	c = (unsigned char)s[i];

	if (c == ' ' || c == '\t' || c == '\r' || c == 0xa0)
		return 1;
	if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] == 0xa0)
		return 2;
	return 0;
}

static void
next_line(const char *s, size_t n, size_t at, struct line *l)
{
	const char	*nl = memchr(s + at, '\n', n - at);
	size_t		 k;

	l->ls = at;
	l->le = nl ? (size_t)(nl - s) : n;
	l->next = nl ? l->le + 1 : n;
	if (l->le > l->ls && s[l->le - 1] == '\r')
		l->le--;
	l->ts = l->ls;
	while (l->ts < l->le && (k = ws_at(s, l->le, l->ts)) > 0)
		l->ts += k;
	l->te = l->le;
	while (l->te > l->ts) {
		unsigned char	c = (unsigned char)s[l->te - 1];

		if (c == 0xa0 && l->te - l->ts >= 2 &&
		    (unsigned char)s[l->te - 2] == 0xc2)
			l->te -= 2;
		else if (c == ' ' || c == '\t' || c == 0xa0)
			l->te--;
		else
			break;
	}
}

static int
is(const char *s, const struct line *l, const char *want)
{
	size_t	wl = strlen(want);

	return l->te - l->ts == wl && memcmp(s + l->ts, want, wl) == 0;
}

size_t
armor_find(const char *s, size_t n, size_t max, struct armor_block **out)
{
	static const struct {
		const char	*begin, *end;
		enum armor_kind	 kind;
	} kinds[] = {
		{ "-----BEGIN PGP MESSAGE-----", "-----END PGP MESSAGE-----",
		  ARMOR_MESSAGE },
		{ "-----BEGIN PGP SIGNED MESSAGE-----",
		  "-----END PGP SIGNATURE-----", ARMOR_SIGNED },
		{ "-----BEGIN PGP PUBLIC KEY BLOCK-----",
		  "-----END PGP PUBLIC KEY BLOCK-----", ARMOR_PUBKEY },
	};
	struct armor_block	*v = NULL;
	struct line		 l, b;
	struct buf		 t;
	size_t			 at = 0, nb = 0, k;
	int			 stage;	/* SIGNED: 0 hdr, 1 text, 2 sig */
	int			 found;

	*out = NULL;
	while (at < n && nb < max) {
		next_line(s, n, at, &b);
		at = b.next;
		if (b.te - b.ts < 15 || s[b.ts] != '-')
			continue;
		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			if (is(s, &b, kinds[k].begin))
				break;
		if (k == sizeof(kinds) / sizeof(kinds[0]))
			continue;
		buf_init(&t);
		buf_add(&t, s + b.ts, b.te - b.ts);
		buf_putc(&t, '\n');
		stage = found = 0;
		for (l.next = at; l.next < n; ) {
			next_line(s, n, l.next, &l);
			if (kinds[k].kind == ARMOR_SIGNED && stage == 1) {
				if (is(s, &l, "-----BEGIN PGP SIGNATURE-----")) {
					stage = 2;
					buf_add(&t, s + l.ts, l.te - l.ts);
				} else
					buf_add(&t, s + l.ls, l.le - l.ls);
				buf_putc(&t, '\n');
				continue;
			}
			buf_add(&t, s + l.ts, l.te - l.ts);
			buf_putc(&t, '\n');
			if (kinds[k].kind == ARMOR_SIGNED && stage == 0 &&
			    l.te == l.ts)
				stage = 1;
			if (is(s, &l, kinds[k].end) &&
			    (kinds[k].kind != ARMOR_SIGNED || stage == 2)) {
				found = 1;
				break;
			}
			if (l.te - l.ts > 10 && memcmp(s + l.ts,
			    "-----BEGIN", 10) == 0)
				break;	/* a BEGIN inside: not armour */
		}
		if (!found) {
			buf_free(&t);
			continue;
		}
		v = xrealloc(v, (nb + 1) * sizeof(*v));
		v[nb].kind = kinds[k].kind;
		v[nb].off = b.ls;
		v[nb].len = l.le - b.ls;
		v[nb].textlen = t.len;
		v[nb].text = buf_release(&t);
		nb++;
		at = l.next;
	}
	*out = v;
	return nb;
}

void
armor_free(struct armor_block *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i].text);
	free(v);
}

int
armor_packet_tag(const char *s, size_t n)
{
	unsigned char	c;

	if (n < 2)
		return -1;
	c = (unsigned char)s[0];
	if (!(c & 0x80))
		return -1;
	return (c & 0x40) ? (c & 0x3f) : ((c >> 2) & 0x0f);
}

int
armor_is_openpgp(const char *s, size_t n)
{
	size_t		i = 0;
	int		tag;

	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
	    s[i] == '\n'))
		i++;
	if (n - i >= 15 && memcmp(s + i, "-----BEGIN PGP ", 15) == 0)
		return 1;
	if (i != 0 || (tag = armor_packet_tag(s, n)) == -1)
		return 0;
	/* PKESK, SKESK, one-pass signature, signature, compressed data */
	return tag == 1 || tag == 3 || tag == 4 || tag == 2 || tag == 8;
}
