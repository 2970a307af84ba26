/*
 * credit.c: how a finder wants to be credited. See credit.h for the
 * grammar. One pass over the text; each line's value is read once.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parsers/charset.h"
#include "parsers/credit.h"
#include "util/buf.h"
#include "util/xmalloc.h"

static const char *const markers[] = { "credit:", "#credit", "致謝:",
	"致謝：", NULL };

const char *
credit_choice_name(enum credit_choice c)
{
	return c == CREDIT_HANDLE ? "handle" : c == CREDIT_ANONYMOUS ?
	    "anonymous" : "named";
}

void
credit_free(struct credit *c)
{
	free(c->name);
	free(c->organization);
	free(c->contact);
	memset(c, 0, sizeof(*c));
}

/*
 * The length of the control character at s (n bytes left), 0 if none:
 * C0 but tab, DEL, C1 (U+0080..U+009F) and the bidirectional controls
 * (U+200E, U+200F, U+202A..U+202E, U+2066..U+2069), which would make a
 * name read otherwise than it is stored.
 */
static size_t
control_at(const unsigned char *s, size_t n)
{
	if ((*s < 0x20 && *s != '\t') || *s == 0x7f)
		return 1;
	if (n >= 2 && s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f)
		return 2;
	if (n >= 3 && s[0] == 0xe2 && ((s[1] == 0x80 && (s[2] == 0x8e ||
	    s[2] == 0x8f || (s[2] >= 0xaa && s[2] <= 0xae))) ||
	    (s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9)))
		return 3;
	return 0;
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t';
}

/* s[0..n) without the white space at either end. */
static void
trim(const char **s, size_t *n)
{
	while (*n && is_space((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && is_space((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

static int	parse(const char *, size_t, struct credit *, char **);

static int
is_handle_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

int
credit_parse(const char *s, size_t n, struct credit *c, char **why)
{
	char	*t;
	size_t	 len, i;
	int	 r;

	/* "李小華（台灣資安研究社）" as a CJK input method writes it; a
	 * tab as a space (nothing published holds a control character) */
	t = charset_fold_width(s, n, &len);
	for (i = 0; i < len; i++)
		if (t[i] == '\t')
			t[i] = ' ';
	r = parse(t, len, c, why);
	free(t);
	return r;
}

static int
parse(const char *s, size_t n, struct credit *c, char **why)
{
	const char	*name, *org = NULL, *contact = NULL, *p, *q;
	size_t		 i, k, nname, norg = 0, ncontact = 0;

	memset(c, 0, sizeof(*c));
	*why = NULL;
	for (i = 0; i < n; i++) {
		if (control_at((const unsigned char *)s + i, n - i)) {
			*why = xasprintf("credit: a control character (byte "
			    "%zu): refused", i + 1);
			return -1;
		}
		/* U+FFFD: what the text decoding put for a byte it could
		 * not read (or a control character): no name to publish */
		if (n - i >= 3 && memcmp(s + i, "\xef\xbf\xbd", 3) == 0) {
			*why = xasprintf("credit: a character that did not "
			    "decode (U+FFFD, byte %zu): refused", i + 1);
			return -1;
		}
	}
	trim(&s, &n);
	if (n == 0) {
		*why = xstrdup("credit: empty (a name, \"handle @NAME\" or "
		    "\"anonymous\")");
		return -1;
	}
	/* the name runs to the first "(" or "<"; the extras follow */
	for (i = 0; i < n && s[i] != '(' && s[i] != '<'; i++)
		if (s[i] == ')' || s[i] == '>') {
			*why = xasprintf("credit: a \"%c\" without its "
			    "opening", s[i]);
			return -1;
		}
	name = s;
	nname = i;
	while (i < n) {
		if (is_space((unsigned char)s[i])) {
			i++;
			continue;
		}
		if (s[i] != '(' && s[i] != '<') {
			*why = xstrdup("credit: text after the organization "
			    "or contact (NAME (ORGANIZATION) <CONTACT>)");
			return -1;
		}
		p = s + i + 1;
		q = memchr(p, s[i] == '(' ? ')' : '>', n - i - 1);
		if (q == NULL) {
			*why = xasprintf("credit: a \"%c\" not closed", s[i]);
			return -1;
		}
		for (k = 0; p + k < q; k++)
			if (strchr("()<>", p[k])) {
				*why = xasprintf("credit: \"%c\" inside %s",
				    p[k], s[i] == '(' ? "the organization" :
				    "the contact");
				return -1;
			}
		if (s[i] == '(') {
			if (org) {
				*why = xstrdup("credit: two organizations");
				return -1;
			}
			org = p;
			norg = (size_t)(q - p);
			trim(&org, &norg);
		} else {
			if (contact) {
				*why = xstrdup("credit: two contacts");
				return -1;
			}
			contact = p;
			ncontact = (size_t)(q - p);
			trim(&contact, &ncontact);
			for (k = 0; k < ncontact; k++)
				if (is_space((unsigned char)contact[k])) {
					*why = xstrdup("credit: a space in "
					    "the contact");
					return -1;
				}
		}
		i = (size_t)(q - s) + 1;
	}
	trim(&name, &nname);
	if ((org && norg == 0) || (contact && ncontact == 0)) {
		*why = xstrdup("credit: an empty organization or contact");
		return -1;
	}
	if (nname > CREDIT_NAME_MAX || norg > CREDIT_ORG_MAX ||
	    ncontact > CREDIT_CONTACT_MAX) {
		*why = xasprintf("credit: the %s is longer than %d bytes",
		    nname > CREDIT_NAME_MAX ? "name" : norg > CREDIT_ORG_MAX ?
		    "organization" : "contact", nname > CREDIT_NAME_MAX ?
		    CREDIT_NAME_MAX : norg > CREDIT_ORG_MAX ? CREDIT_ORG_MAX :
		    CREDIT_CONTACT_MAX);
		return -1;
	}
	if ((nname == 9 && strncasecmp(name, "anonymous", 9) == 0) ||
	    (nname == 6 && memcmp(name, "匿名", 6) == 0)) {
		if (org || contact) {
			*why = xstrdup("credit: anonymous takes no "
			    "organization or contact");
			return -1;
		}
		c->choice = CREDIT_ANONYMOUS;
		return 0;
	}
	c->choice = CREDIT_NAMED;
	if (nname == 6 && strncasecmp(name, "handle", 6) == 0) {
		*why = xstrdup("credit: a handle needs its name (handle "
		    "@NAME)");
		return -1;
	}
	if (nname > 7 && strncasecmp(name, "handle", 6) == 0 &&
	    is_space((unsigned char)name[6])) {
		name += 7;
		nname -= 7;
		trim(&name, &nname);
		c->choice = CREDIT_HANDLE;
	}
	if (nname && name[0] == '@') {
		name++;
		nname--;
		c->choice = CREDIT_HANDLE;
	}
	if (nname == 0) {
		*why = xstrdup(c->choice == CREDIT_HANDLE ? "credit: a handle "
		    "needs its name (handle @NAME)" : "credit: no name (NAME "
		    "(ORGANIZATION) <CONTACT>)");
		return -1;
	}
	if (c->choice == CREDIT_HANDLE) {
		for (k = 0; k < nname && is_handle_char((unsigned char)
		    name[k]); k++)
			;
		if (k < nname || nname > CREDIT_HANDLE_MAX) {
			*why = xasprintf("credit: a handle is 1 to %d letters, "
			    "digits, \"_\", \".\" or \"-\"",
			    CREDIT_HANDLE_MAX);
			return -1;
		}
		c->name = xasprintf("@%.*s", (int)nname, name);
	} else
		c->name = xstrndup(name, nname);
	c->organization = org ? xstrndup(org, norg) : NULL;
	c->contact = contact ? xstrndup(contact, ncontact) : NULL;
	return 0;
}

/* The length of the marker line s starts with (after white space),
 * or 0. */
static size_t
marker(const char *s, size_t n)
{
	size_t	i, k, m;

	for (i = 0; i < n && is_space((unsigned char)s[i]); i++)
		;
	for (k = 0; markers[k]; k++) {
		m = strlen(markers[k]);
		if (n - i < m || strncasecmp(s + i, markers[k], m) != 0)
			continue;
		/* "#credit" is a word: "#credits" is not it */
		if (markers[k][0] == '#' && i + m < n &&
		    !is_space((unsigned char)s[i + m]))
			continue;
		return i + m;
	}
	return 0;
}

/* Does the line start a quoted or forwarded message (reading stops)? */
static int
quote_start(const char *s, size_t n)
{
	static const char *const heads[] = { "-----original message",
	    "-------- original message", "begin forwarded message",
	    "---------- forwarded message", NULL };
	static const char *const tails[] = { "wrote:", "寫道:", "寫道：",
	    NULL };
	size_t	k, m;

	trim(&s, &n);
	for (k = 0; heads[k]; k++)
		if (n >= (m = strlen(heads[k])) &&
		    strncasecmp(s, heads[k], m) == 0)
			return 1;
	for (k = 0; tails[k]; k++)
		if (n >= (m = strlen(tails[k])) &&
		    memcmp(s + n - m, tails[k], m) == 0)
			return 1;
	return 0;
}

void
credit_scan(const char *text, size_t n, struct credit_line **out,
    size_t *np)
{
	struct credit_line	*v = NULL;
	const char		*s, *e;
	size_t			 nv = 0, cap = 0, line = 0, len, m;

	for (s = text; s < text + n; s = e + 1) {
		line++;
		if ((e = memchr(s, '\n', (size_t)(text + n - s))) == NULL)
			e = text + n;
		len = (size_t)(e - s);
		if (len && s[len - 1] == '\r')
			len--;
		m = 0;
		while (m < len && is_space((unsigned char)s[m]))
			m++;
		if (m < len && s[m] == '>')
			continue;		/* quoted */
		if (quote_start(s, len))
			break;
		if ((m = marker(s, len)) == 0)
			continue;
		if (nv == cap) {
			cap = cap ? cap * 2 : 4;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		memset(&v[nv], 0, sizeof(v[nv]));
		v[nv].line = line;
		if (nv == CREDITS_MAX) {
			v[nv++].why = xasprintf("more than %d credit lines in "
			    "one mail: the rest are not read", CREDITS_MAX);
			break;
		}
		credit_parse(s + m, len - m, &v[nv].c, &v[nv].why);
		nv++;
		if (e == text + n)
			break;
	}
	*out = v;
	*np = nv;
}

void
credit_lines_free(struct credit_line *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		credit_free(&v[i].c);
		free(v[i].why);
	}
	free(v);
}

void
credit_label(struct buf *b, const char *choice, const char *name,
    const char *organization)
{
	if (name == NULL || (choice && strcmp(choice, "anonymous") == 0))
		return;
	buf_puts(b, name);
	if (organization) {
		buf_puts(b, " (");
		buf_puts(b, organization);
		buf_putc(b, ')');
	}
}
