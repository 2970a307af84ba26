/*
 * bodytext.c: stubs, forward notes and inline forwards in a mail's
 * text. See bodytext.h.
 *
 * Trust: none; the text is a sender's. Phrases are compared with ASCII
 * letters folded to lower case, anywhere in a short text (stubs), or as
 * a whole line (forward markers, header lines). Every function reads
 * each byte a bounded number of times: a stub is looked at only when it
 * is short, and the scan for an inline forward stops once the text
 * above it is no short note.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "parsers/bodytext.h"

/* A body that points at an attached file (zh-TW and zh-CN: 詳見附件,
 * 请见附件, 如附件, 見附檔). */
static const char *const stub_attachment[] = {
	"see attach", "see the attach", "find attached", "find the attach",
	"attached file", "attached report", "details attached",
	"report attached", "is attached", "are attached", "in attachment",
	"in the attachment", "\xe9\x99\x84\xe4\xbb\xb6" /* 附件 */,
	"\xe9\x99\x84\xe6\xaa\x94" /* 附檔 */, NULL
};

/* A plain alternative that points at the HTML one ("This is an HTML
 * message", "Your mail client does not support HTML", "view it in
 * your browser"). */
static const char *const stub_html[] = {
	"html", "browser", "\xe7\x80\x8f\xe8\xa6\xbd\xe5\x99\xa8" /* 瀏覽器 */,
	"\xe6\xb5\x8f\xe8\xa7\x88\xe5\x99\xa8" /* 浏览器 */, NULL
};

/* The words between the dashes of a forward's marker line. */
static const char *const fwd_marker[] = {
	"forwarded message", "original message",
	"\xe8\xbd\x89\xe5\xaf\x84\xe7\x9a\x84\xe9\x83\xb5\xe4\xbb\xb6"
	    /* 轉寄的郵件 */,
	"\xe8\xbd\xac\xe5\x8f\x91\xe7\x9a\x84\xe9\x82\xae\xe4\xbb\xb6"
	    /* 转发的邮件 */,
	"\xe5\x8e\x9f\xe5\xa7\x8b\xe9\x83\xb5\xe4\xbb\xb6" /* 原始郵件 */,
	"\xe5\x8e\x9f\xe5\xa7\x8b\xe9\x82\xae\xe4\xbb\xb6" /* 原始邮件 */,
	NULL
};

/* The header lines a mail client writes under the marker. */
static const char *const fwd_field[] = {
	"from", "sent", "date", "to", "cc", "bcc", "reply-to", "subject",
	"\xe5\xaf\x84\xe4\xbb\xb6\xe8\x80\x85" /* 寄件者 */,
	"\xe5\xaf\x84\xe4\xbb\xb6\xe4\xba\xba" /* 寄件人 */,
	"\xe6\x94\xb6\xe4\xbb\xb6\xe8\x80\x85" /* 收件者 */,
	"\xe6\x94\xb6\xe4\xbb\xb6\xe4\xba\xba" /* 收件人 */,
	"\xe5\x89\xaf\xe6\x9c\xac" /* 副本 */,
	"\xe6\x97\xa5\xe6\x9c\x9f" /* 日期 */,
	"\xe4\xb8\xbb\xe6\x97\xa8" /* 主旨 */,
	"\xe5\x82\xb3\xe9\x80\x81\xe6\x99\x82\xe9\x96\x93" /* 傳送時間 */,
	"\xe5\x8f\x91\xe4\xbb\xb6\xe4\xba\xba" /* 发件人 */,
	"\xe6\x8a\x84\xe9\x80\x81" /* 抄送 */,
	"\xe4\xb8\xbb\xe9\xa2\x98" /* 主题 */,
	"\xe6\x97\xb6\xe9\x97\xb4" /* 时间 */,
	"\xe5\x8f\x91\xe9\x80\x81\xe6\x97\xb6\xe9\x97\xb4" /* 发送时间 */,
	NULL
};

static size_t	 ws_at(const char *, size_t);
static size_t	 ws_before(const char *, size_t);
static void	 trim(const char *, size_t, size_t *, size_t *);
static size_t	 chars(const char *, size_t, size_t, size_t);
static int	 has(const char *, size_t, const char *const *);
static int	 is(const char *, size_t, const char *const *);
static int	 marker(const char *, size_t);
static int	 field(const char *, size_t);
static size_t	 eol(const char *, size_t, size_t);

/* The end of the line that starts at p (its '\n', or n). */
static size_t
eol(const char *s, size_t p, size_t n)
{
	const char	*nl = memchr(s + p, '\n', n - p);

	return nl ? (size_t)(nl - s) : n;
}

/* The length of the white space character at s (n > 0 bytes), or 0. */
static size_t
ws_at(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	if (strchr(" \t\r\n\v\f", u[0]) != NULL && u[0] != '\0')
		return 1;
	if (n >= 2 && u[0] == 0xc2 && u[1] == 0xa0)	/* no-break space */
		return 2;
	if (n < 3)
		return 0;
	if ((u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80) ||	/* U+3000 */
	    (u[0] == 0xe2 && u[1] == 0x80 && u[2] <= 0x8b) ||	/* U+2000-200B */
	    (u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf))	/* U+FEFF */
		return 3;
	return 0;
}

/* The length of the white space character that ends at s[e], or 0. */
static size_t
ws_before(const char *s, size_t e)
{
	if (e >= 1 && ws_at(s + e - 1, 1) == 1)
		return 1;
	if (e >= 2 && ws_at(s + e - 2, 2) == 2)
		return 2;
	if (e >= 3 && ws_at(s + e - 3, 3) == 3)
		return 3;
	return 0;
}

/* [*b, *e): s without white space at either end. */
static void
trim(const char *s, size_t n, size_t *b, size_t *e)
{
	size_t	k;

	*b = 0;
	while (*b < n && (k = ws_at(s + *b, n - *b)) > 0)
		*b += k;
	*e = n;
	while (*e > *b && (k = ws_before(s, *e)) > 0)
		*e -= k;
}

/* Characters in s[b, e), counted up to max. */
static size_t
chars(const char *s, size_t b, size_t e, size_t max)
{
	size_t	c = 0;

	for (; b < e && c < max; b++)
		if (((unsigned char)s[b] & 0xc0) != 0x80)
			c++;
	return c;
}

/* 1 if s has one of the phrases, ASCII case folded. s is short. */
static int
has(const char *s, size_t n, const char *const *ph)
{
	size_t	i, k, l;

	for (k = 0; ph[k] != NULL; k++) {
		l = strlen(ph[k]);
		for (i = 0; i + l <= n; i++)
			if (strncasecmp(s + i, ph[k], l) == 0)
				return 1;
	}
	return 0;
}

/* 1 if s is one of the words, ASCII case folded. */
static int
is(const char *s, size_t n, const char *const *w)
{
	size_t	k;

	for (k = 0; w[k] != NULL; k++)
		if (strlen(w[k]) == n && strncasecmp(s, w[k], n) == 0)
			return 1;
	return 0;
}

int
bodytext_blank(const char *s, size_t n)
{
	size_t	b, e;

	trim(s, n, &b, &e);
	return b == e;
}

size_t
bodytext_start(const char *s, size_t n)
{
	size_t	b = 0, k;

	while (b < n && (k = ws_at(s + b, n - b)) > 0)
		b += k;
	return b;
}

size_t
bodytext_end(const char *s, size_t n)
{
	size_t	k;

	while (n > 0 && (k = ws_before(s, n)) > 0)
		n -= k;
	return n;
}

int
bodytext_short(const char *s, size_t n)
{
	size_t	b, e;

	trim(s, n, &b, &e);
	return chars(s, b, e, BODYTEXT_SHORT) < BODYTEXT_SHORT;
}

int
bodytext_stub(const char *s, size_t n, enum bodytext_stub kind)
{
	size_t	b, e;

	trim(s, n, &b, &e);
	if (b == e)
		return 1;
	if (chars(s, b, e, BODYTEXT_SHORT) >= BODYTEXT_SHORT)
		return 0;
	return has(s + b, e - b, kind == BODYTEXT_HTML ? stub_html :
	    stub_attachment);
}

/* 1 if the line s is a forward's marker: "Begin forwarded message:",
 * or words of fwd_marker between runs of at least two dashes. */
static int
marker(const char *s, size_t n)
{
	static const char *const apple[] = { "begin forwarded message:",
	    NULL };
	size_t	b, e, d;

	trim(s, n, &b, &e);
	if (is(s + b, e - b, apple))
		return 1;
	for (d = 0; b < e && s[b] == '-'; b++)
		d++;
	if (d < 2)
		return 0;
	for (d = 0; e > b && s[e - 1] == '-'; e--)
		d++;
	if (d < 2)
		return 0;
	trim(s + b, e - b, &d, &e);
	return is(s + b + d, e - d, fwd_marker);
}

/* 1 if the line s is "Name: value" with a name of fwd_field (an ASCII
 * or a full-width colon). */
static int
field(const char *s, size_t n)
{
	const char	*c, *w;
	size_t		 b, e, l;

	trim(s, n, &b, &e);
	l = e - b > 40 ? 40 : e - b;
	c = memchr(s + b, ':', l);
	w = memmem(s + b, l, "\xef\xbc\x9a", 3);	/* ： */
	if (c == NULL || (w != NULL && w < c))
		c = w;
	if (c == NULL)
		return 0;
	trim(s + b, (size_t)(c - (s + b)), &l, &e);
	return l == 0 && is(s + b, e, fwd_field);
}

int
bodytext_forward(const char *s, size_t n, size_t *note, size_t *inner)
{
	size_t	p = 0, q, le, b, e, seen = 0, upto = SIZE_MAX;
	int	hdr;

	for (; p < n; p = le < n ? le + 1 : n) {
		le = eol(s, p, n);
		if (marker(s + p, le - p)) {
			*note = p;
			/* blank lines, header lines (and their folded
			 * continuations), blank lines */
			q = le < n ? le + 1 : n;
			for (hdr = 0; q < n; q = le < n ? le + 1 : n) {
				le = eol(s, q, n);
				if (bodytext_blank(s + q, le - q)) {
					if (hdr)
						break;
					continue;
				}
				if (field(s + q, le - q) || (hdr &&
				    (s[q] == ' ' || s[q] == '\t')))
					hdr = 1;
				else
					break;
			}
			while (q < n) {
				le = eol(s, q, n);
				if (!bodytext_blank(s + q, le - q))
					break;
				q = le < n ? le + 1 : n;
			}
			*inner = q;
			return 1;
		}
		trim(s + p, le - p, &b, &e);
		if (b == e)
			continue;
		/* the note so far: from its first character to the end of
		 * this line's last, each counted once */
		if (upto == SIZE_MAX)
			upto = p + b;
		seen += chars(s, upto, p + e, BODYTEXT_SHORT);
		upto = p + e;
		if (seen >= BODYTEXT_SHORT)
			return 0;
	}
	return 0;
}

int
bodytext_file(const char *type, const char *name)
{
	static const char *const ext[] = { "txt", "md", "log", NULL };
	const char	*dot;

	if (strcmp(type, "text/plain") == 0)
		return 1;
	if (name == NULL || (dot = strrchr(name, '.')) == NULL ||
	    !is(dot + 1, strlen(dot + 1), ext))
		return 0;
	return (strncmp(type, "text/", 5) == 0 &&
	    strcmp(type, "text/html") != 0) ||
	    strcmp(type, "application/octet-stream") == 0;
}
