/*
 * triage.c: CVE, CWE, CVSS, TLP, kind and level from a report. See
 * triage.h.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/xmalloc.h"
#include "parsers/cvss.h"
#include "parsers/regex.h"
#include "parsers/triage.h"

enum pat { P_CVE, P_CWE, P_CVSS, P_BARE, P_TLP, P_KIND, P_LEVEL, P_MAX };

static const struct {
	const char	*re;
	const char	*flags;
} pats[P_MAX] = {
	/*
	 * (*NO_START_OPT) in the caseless patterns searched from the end of
	 * each match: PCRE2 10.42 looks for their first letter in both
	 * cases with memchr, to the end of the text when one case is not
	 * there, on every call; a text of "CWE-1" lines made the search
	 * quadratic (issue 17). Without the start optimisation each call
	 * tries the positions up to its match, one pass in all.
	 */
	[P_CVE] = { "(*NO_START_OPT)(?<![A-Za-z0-9_])CVE-(\\d{4}-\\d{4,19})"
	    "(?![0-9])", "i" },
	[P_CWE] = { "(*NO_START_OPT)(?<![A-Za-z0-9_])CWE[-: ]?(\\d{1,7})"
	    "(?![0-9])", "i" },
	/* the vector up to a blank or punctuation that cannot be in it */
	[P_CVSS] = { "CVSS:\\d\\.\\d/[^\\s,;()\\[\\]{}\"'<>]*+", "" },
	/* a vector without "CVSS:" that starts with AV (v3 and v4); no
	 * vector has 40 metrics, and the bound keeps the match shallow */
	[P_BARE] = { "(?<![A-Za-z0-9:/.])AV:[A-Za-z](?:/[A-Za-z]{1,3}:"
	    "[A-Za-z]){1,40}(?![A-Za-z0-9:/])", "" },
	[P_TLP] = { "(*NO_START_OPT)(?<![A-Za-z0-9_])TLP ?: ?(CLEAR|WHITE|"
	    "GREEN|AMBER\\+STRICT|AMBER|RED)(?![A-Za-z0-9+])", "i" },
	[P_KIND] = { "^[ \\t]*Kind[ \\t]*:[ \\t]*(vulnerability|incident)"
	    "[ \\t]*\\r?$", "im" },
	[P_LEVEL] = { "(?:^[ \\t]*(?:incident[ \\t]+)?level|(?:事件)?等級)"
	    "[ \\t]*:[ \\t]*([1-4])(?![0-9])", "im" },
};

static struct regex	*re[P_MAX];

static int	 compile_all(char **);
static char	*normalise(const char *, size_t *);
static void	 warn(struct triage *, char *);
/* where quoted() is in the text */
struct qline {
	size_t	pos, start;
	int	known, quoted;
};

static int	 quoted(const char *, size_t, struct qline *);
static int	 in_list(char *const *, size_t, const char *);
static void	 add_cvss(struct triage *, const struct cvss *, size_t,
		    size_t *);

static int
compile_all(char **errstr)
{
	size_t	i;

	for (i = 0; i < P_MAX; i++)
		if (re[i] == NULL && regex_compile(pats[i].re, pats[i].flags,
		    &re[i], errstr) == -1)
			return -1;
	return 0;
}

/* UTF-8 in, the same with full-width ASCII, dashes and odd spaces
 * folded to ASCII. Bytes that are not UTF-8 are copied as they are. */
static char *
normalise(const char *s, size_t *outlen)
{
	const unsigned char	*p = (const unsigned char *)s;
	struct buf		 b;
	uint32_t		 cp;
	size_t			 n;

	buf_init(&b);
	while (*p) {
		if (*p < 0x80) {
			buf_putc(&b, *p++);
			continue;
		}
		if ((*p & 0xe0) == 0xc0 && (p[1] & 0xc0) == 0x80) {
			cp = (uint32_t)(*p & 0x1f) << 6 | (p[1] & 0x3f);
			n = 2;
		} else if ((*p & 0xf0) == 0xe0 && (p[1] & 0xc0) == 0x80 &&
		    (p[2] & 0xc0) == 0x80) {
			cp = (uint32_t)(*p & 0x0f) << 12 |
			    (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
			n = 3;
		} else {
			buf_putc(&b, *p++);
			continue;
		}
		if (cp >= 0xff01 && cp <= 0xff5e)
			buf_putc(&b, (int)(cp - 0xfee0));
		else if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 ||
		    cp == 0xfe58 || cp == 0xfe63)
			buf_putc(&b, '-');
		else if (cp == 0xa0 || cp == 0x3000)
			buf_putc(&b, ' ');
		else
			buf_add(&b, p, n);
		p += n;
	}
	*outlen = b.len;
	if (b.s == NULL)
		buf_putc(&b, '\0');
	return buf_release(&b);
}

/* Append msg (taken) to the warnings. */
static void
warn(struct triage *t, char *msg)
{
	char	*w;

	if (t->warnings) {
		w = xasprintf("%s; %s", t->warnings, msg);
		free(t->warnings);
		free(msg);
		t->warnings = w;
	} else
		t->warnings = msg;
}

/*
 * Is offset off on a quoted line ("> ...")? The offsets of one search
 * only grow: q keeps the line it is on and its verdict, so a long line
 * with many matches is read once, not once per match.
 */
static int
quoted(const char *s, size_t off, struct qline *q)
{
	size_t	i;

	for (; q->pos < off; q->pos++)
		if (s[q->pos] == '\n') {
			q->start = q->pos + 1;
			q->known = 0;
		}
	if (!q->known) {
		for (i = q->start; s[i] == ' ' || s[i] == '\t'; i++)
			;
		q->quoted = s[i] == '>';
		q->known = 1;
	}
	return q->quoted;
}

static int
in_list(char *const *v, size_t n, const char *s)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

static void
add_cvss(struct triage *t, const struct cvss *c, size_t max, size_t *over)
{
	size_t	i;

	for (i = 0; i < t->ncvss; i++)
		if (strcmp(t->cvss[i].vector, c->vector) == 0)
			return;
	if (t->ncvss >= max) {
		(*over)++;
		return;
	}
	t->cvss = xrealloc(t->cvss, (t->ncvss + 1) * sizeof(*t->cvss));
	t->cvss[t->ncvss++] = *c;
}

int
triage_extract(const char *subject, const char *text, size_t max,
    struct triage *t, char **errstr)
{
	struct cvss	 c;
	struct qline	 ql;
	char		*all, *s, *err = NULL, id[32];
	size_t		 len, m[4], from, ncve = 0, ncwe = 0, nv = 0, i, vl;
	size_t		 over_cve = 0, over_cwe = 0, over_cvss = 0;
	unsigned long	 cwe;
	enum tlp	 l;
	int		 r, rv = -1;

	memset(t, 0, sizeof(*t));
	if (compile_all(errstr) == -1)
		return -1;
	all = xasprintf("%s\n%s", subject ? subject : "", text ? text : "");
	s = normalise(all, &len);
	free(all);

	for (from = 0; (r = regex_find(re[P_CVE], s, len, from, m,
	    &err)) == 1; from = m[1]) {
		snprintf(id, sizeof(id), "CVE-%.*s", (int)(m[3] - m[2]),
		    s + m[2]);
		if (in_list(t->cves, t->ncves, id))
			continue;
		ncve++;
		if (t->ncves >= max) {	/* a hard stop at the limit */
			over_cve++;
			break;
		}
		t->cves = xrealloc(t->cves, (t->ncves + 1) * sizeof(char *));
		t->cves[t->ncves++] = xstrdup(id);
	}
	if (r == -1)
		goto out;
	for (from = 0; (r = regex_find(re[P_CWE], s, len, from, m,
	    &err)) == 1; from = m[1]) {
		if ((cwe = strtoul(s + m[2], NULL, 10)) == 0)
			continue;
		for (i = 0; i < t->ncwes && t->cwes[i] != cwe; i++)
			;
		if (i < t->ncwes)
			continue;
		ncwe++;
		if (t->ncwes >= max) {
			over_cwe++;
			break;
		}
		t->cwes = xrealloc(t->cwes, (t->ncwes + 1) * sizeof(*t->cwes));
		t->cwes[t->ncwes++] = (unsigned)cwe;
	}
	if (r == -1)
		goto out;
	for (from = 0; (r = regex_find(re[P_CVSS], s, len, from, m,
	    &err)) == 1; from = m[1]) {
		char	*why = NULL;

		vl = m[1] - m[0];
		while (vl > 0 && s[m[0] + vl - 1] == '.')	/* sentence end */
			vl--;
		if (++nv > 2 * max || over_cvss)	/* kept, or warned */
			break;
		if (cvss_parse(s + m[0], vl, 0, &c, &why) == 0)
			add_cvss(t, &c, max, &over_cvss);
		else {
			if (nv <= max)
				warn(t, xasprintf("CVSS vector \"%.*s\": %s",
				    (int)(vl > 120 ? 120 : vl), s + m[0], why));
			free(why);
		}
	}
	if (r == -1)
		goto out;
	for (from = 0; (r = regex_find(re[P_BARE], s, len, from, m,
	    &err)) == 1; from = m[1]) {
		char	*why = NULL;

		if (over_cvss || ++nv > 2 * max)
			break;
		if (cvss_parse(s + m[0], m[1] - m[0], CVSS_BARE, &c,
		    &why) == 0)
			add_cvss(t, &c, max, &over_cvss);
		free(why);	/* a CVSS v2 vector, or prose */
	}
	if (r == -1)
		goto out;
	memset(&ql, 0, sizeof(ql));
	for (from = 0; (r = regex_find(re[P_TLP], s, len, from, m,
	    &err)) == 1; from = m[1]) {
		char	lab[16];

		if (quoted(s, m[0], &ql))
			continue;
		snprintf(lab, sizeof(lab), "%.*s", (int)(m[3] - m[2]),
		    s + m[2]);
		if ((l = triage_tlp_parse(lab)) > t->tlp)
			t->tlp = l;
		if (t->tlp == TLP_RED)	/* nothing is more restrictive */
			break;
	}
	if (r == -1)
		goto out;
	if ((r = regex_find(re[P_KIND], s, len, 0, m, &err)) == 1)
		t->kind = tolower((unsigned char)s[m[2]]) == 'i' ? "incident" :
		    "vulnerability";
	if (r == -1)
		goto out;
	if ((r = regex_find(re[P_LEVEL], s, len, 0, m, &err)) == 1)
		t->level = s[m[2]] - '0';
	if (r == -1)
		goto out;
	rv = 0;
out:
	if (over_cve)
		warn(t, xasprintf("more than %zu CVE IDs named; the first %zu "
		    "kept, the rest not read", max, max));
	if (over_cwe)
		warn(t, xasprintf("more than %zu CWE IDs named; the first %zu "
		    "kept, the rest not read", max, max));
	if (over_cvss || nv > 2 * max)
		warn(t, xasprintf("CVSS vectors: %zu kept, the rest not read "
		    "(at most %zu kept, %zu read)", t->ncvss, max, 2 * max));
	if (rv == -1) {
		warn(t, xasprintf("triage stopped: %s", err));
		*errstr = err;
	}
	free(s);
	return rv;
}

void
triage_free(struct triage *t)
{
	size_t	i;

	for (i = 0; i < t->ncves; i++)
		free(t->cves[i]);
	free(t->cves);
	free(t->cwes);
	free(t->cvss);
	free(t->warnings);
	memset(t, 0, sizeof(*t));
}

static const char *const tlp_names[] = {
	NULL, "CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"
};

const char *
triage_tlp_name(enum tlp l)
{
	return (size_t)l < sizeof(tlp_names) / sizeof(tlp_names[0]) ?
	    tlp_names[l] : NULL;
}

enum tlp
triage_tlp_parse(const char *s)
{
	size_t	i;

	if (strcasecmp(s, "WHITE") == 0)
		return TLP_CLEAR;
	for (i = 1; i < sizeof(tlp_names) / sizeof(tlp_names[0]); i++)
		if (strcasecmp(s, tlp_names[i]) == 0)
			return (enum tlp)i;
	return TLP_NONE;
}
