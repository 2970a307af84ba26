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
#include "parsers/answer.h"
#include "parsers/charset.h"
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

/*
 * Whether the report is about a CVE ID or cites it: the cues before
 * the ID (see triage.h). The nearest cue wins; of two that end at one
 * place, the longer ("previously reported as" over "reported", "related
 * cve:" over "cve:"). Latin cues match in any letter case and as whole
 * words; they are compared after charset_fold_width(), so full-width
 * letters and colons count too. The man page's TRIAGE section lists
 * them: keep the two in step.
 */
enum cite { CITE_NONE, CITE_REPORTED, CITE_CITED };

static const struct {
	const char	*s;
	enum cite	 v;
} cite_cues[] = {
	/* cited in passing */
	{ "similar to", CITE_CITED }, { "similar", CITE_CITED },
	{ "see also", CITE_CITED }, { "see also:", CITE_CITED },
	{ "see:", CITE_CITED }, { "like", CITE_CITED },
	{ "cf.", CITE_CITED }, { "cf", CITE_CITED },
	{ "compare", CITE_CITED }, { "compare to", CITE_CITED },
	{ "compare with", CITE_CITED }, { "compared to", CITE_CITED },
	{ "compared with", CITE_CITED }, { "for comparison", CITE_CITED },
	{ "related:", CITE_CITED }, { "related to", CITE_CITED },
	{ "related", CITE_CITED }, { "related cve:", CITE_CITED },
	{ "related cves:", CITE_CITED }, { "references:", CITE_CITED },
	{ "reference:", CITE_CITED }, { "ref:", CITE_CITED },
	{ "previously reported as", CITE_CITED },
	{ "reported previously as", CITE_CITED },
	{ "previously", CITE_CITED }, { "same as", CITE_CITED },
	{ "as in", CITE_CITED }, { "as with", CITE_CITED },
	{ "such as", CITE_CITED }, { "e.g.", CITE_CITED },
	{ "for example", CITE_CITED }, { "variant of", CITE_CITED },
	{ "bypass of", CITE_CITED }, { "incomplete fix for", CITE_CITED },
	{ "regression of", CITE_CITED }, { "reminiscent of", CITE_CITED },
	{ "unlike", CITE_CITED },
	{ "類似", CITE_CITED }, { "相似", CITE_CITED }, { "參考", CITE_CITED },
	{ "參見", CITE_CITED }, { "參閱", CITE_CITED }, { "請見", CITE_CITED },
	{ "另見", CITE_CITED }, { "如同", CITE_CITED }, { "比較", CITE_CITED },
	{ "相關", CITE_CITED }, { "例如", CITE_CITED },
	{ "先前回報為", CITE_CITED }, { "之前回報為", CITE_CITED },
	{ "先前通報為", CITE_CITED },
	{ "类似", CITE_CITED }, { "参考", CITE_CITED }, { "参见", CITE_CITED },
	{ "相关", CITE_CITED },
	/* what the report is about */
	{ "cve:", CITE_REPORTED }, { "cve id:", CITE_REPORTED },
	{ "cve-id:", CITE_REPORTED }, { "id:", CITE_REPORTED },
	{ "this is", CITE_REPORTED }, { "this issue is", CITE_REPORTED },
	{ "tracked as", CITE_REPORTED }, { "assigned", CITE_REPORTED },
	{ "reserved", CITE_REPORTED }, { "regarding", CITE_REPORTED },
	{ "re:", CITE_REPORTED }, { "concerning", CITE_REPORTED },
	{ "report", CITE_REPORTED }, { "reporting", CITE_REPORTED },
	{ "reported", CITE_REPORTED }, { "affected by", CITE_REPORTED },
	{ "vulnerable to", CITE_REPORTED },
	/* "looks like CVE-..." names it; "like" alone cites */
	{ "looks like", CITE_REPORTED }, { "seems like", CITE_REPORTED },
	{ "seems to be", CITE_REPORTED }, { "appears to be", CITE_REPORTED },
	{ "本漏洞為", CITE_REPORTED }, { "本漏洞是", CITE_REPORTED },
	{ "此漏洞為", CITE_REPORTED }, { "此漏洞是", CITE_REPORTED },
	{ "本問題為", CITE_REPORTED }, { "編號", CITE_REPORTED },
	{ "編號為", CITE_REPORTED }, { "指派", CITE_REPORTED },
	{ "分配", CITE_REPORTED }, { "關於", CITE_REPORTED },
	{ "回報", CITE_REPORTED }, { "通報", CITE_REPORTED },
	{ "编号", CITE_REPORTED }, { "关于", CITE_REPORTED },
};

#define NCUES	(sizeof(cite_cues) / sizeof(cite_cues[0]))

/* the bytes a cue ends with, either letter case: most places end none;
 * each cue's length and last byte, lower case */
static unsigned char	cue_last[256];
static size_t		cue_len[NCUES];
static unsigned char	cue_end[NCUES];

static int	 compile_all(char **);
static void	 warn(struct triage *, char *);
/* where quoted() is in the text */
struct qline {
	size_t	pos, start;
	int	known, quoted;
};

static int	 quoted(const char *, size_t, struct qline *);
static int	 is_word(int);
static enum cite cue_at(const char *, size_t, size_t);
static enum cite cue_before(const char *, size_t, size_t);
static int	 list_gap(const char *, size_t, size_t);
static size_t	 commands_end(const char *, size_t, size_t);
static void	 add_cve(struct triage *, const char *, enum cite, size_t,
		    size_t *);
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
	for (i = 0; i < NCUES; i++) {
		cue_len[i] = strlen(cite_cues[i].s);
		cue_end[i] = (unsigned char)cite_cues[i].s[cue_len[i] - 1];
		cue_last[cue_end[i]] = cue_last[toupper(cue_end[i])] = 1;
	}
	return 0;
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

/* an ASCII letter or digit: what a Latin cue may not touch */
static int
is_word(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* The longest cue that ends at byte p and starts at or after lo. */
static enum cite
cue_at(const char *s, size_t lo, size_t p)
{
	enum cite	v = CITE_NONE;
	size_t		i, n, best = 0;
	const char	*c;
	int		last = tolower((unsigned char)s[p - 1]);

	for (i = 0; i < NCUES; i++) {
		c = cite_cues[i].s;
		n = cue_len[i];
		if (cue_end[i] != last || n <= best || n > p - lo ||
		    strncasecmp(s + p - n, c, n))
			continue;
		/* a Latin cue is a word: "like" is not in "unlikely" */
		if (is_word((unsigned char)c[0]) && p - n > 0 &&
		    is_word((unsigned char)s[p - n - 1]))
			continue;
		if (is_word((unsigned char)c[n - 1]) &&
		    is_word((unsigned char)s[p]))
			continue;
		best = n;
		v = cite_cues[i].v;
	}
	return v;
}

/*
 * The nearest cue before the CVE ID at byte `at` (lo: where the body
 * starts): at most TRIAGE_CUE_SPAN characters back, not past the end of
 * a sentence (". ", "!", "?", ";", "。") or of the line; the line
 * before counts when the ID starts its line (after a bullet) and that
 * line ends in ':' ("Related:\n- CVE-...").
 */
static enum cite
cue_before(const char *s, size_t lo, size_t at)
{
	size_t		p = at, q, nch = 0;
	enum cite	v;
	int		crossed = 0;
	unsigned char	c;

	for (; p > lo; p--) {
		if (cue_last[(unsigned char)s[p - 1]] &&
		    (v = cue_at(s, lo, p)) != CITE_NONE)
			return v;
		c = (unsigned char)s[p - 1];
		if (strchr(".!?;", c) && c != '\0' && (s[p] == ' ' ||
		    s[p] == '\t' || s[p] == '\r' || s[p] == '\n'))
			return CITE_NONE;
		if (p - lo >= 3 && memcmp(s + p - 3, "\xe3\x80\x82", 3) == 0)
			return CITE_NONE;		/* 。 */
		if (c == '\n') {
			if (crossed || strspn(s + p, " \t-*+") < at - p)
				return CITE_NONE;
			for (q = p - 1; q > lo && strchr(" \t\r", s[q - 1]);
			    q--)
				;
			if (q == lo || s[q - 1] != ':')
				return CITE_NONE;
			crossed = 1;
			p = q + 1;	/* the loop steps back to q */
			continue;
		}
		if ((c & 0xc0) != 0x80 && ++nch > TRIAGE_CUE_SPAN)
			return CITE_NONE;
	}
	return CITE_NONE;
}

/*
 * Only list separators between two IDs (bytes a to b): blanks, one line
 * break at a time, ",", "/", "()", "[]", bullets, "and", "or", "、",
 * "和", "及", "與", "或". A bounded look: a gap is read once.
 */
static int
list_gap(const char *s, size_t a, size_t b)
{
	static const char *const words[] = { "and", "or", "\xe3\x80\x81",
	    "\xe2\x80\xa2", "\xe5\x92\x8c", "\xe5\x8f\x8a",
	    "\xe8\x88\x87", "\xe6\x88\x96", NULL };
	size_t	i, n;
	int	nl = 0;

	if (b - a > 120)
		return 0;
	while (a < b) {
		if (s[a] == '\n') {
			if (nl++)
				return 0;	/* a blank line */
			a++;
			continue;
		}
		if (strchr(" \t\r,/()[]*-+&", s[a]) && s[a] != '\0') {
			if (s[a] != ' ' && s[a] != '\t' && s[a] != '\r')
				nl = 0;
			a++;
			continue;
		}
		for (i = 0; words[i]; i++) {
			n = strlen(words[i]);
			if (n <= b - a && strncasecmp(s + a, words[i], n) == 0 &&
			    !(is_word((unsigned char)words[i][0]) && a + n < b &&
			    is_word((unsigned char)s[a + n])))
				break;
		}
		if (words[i] == NULL)
			return 0;
		a += strlen(words[i]);
		nl = 0;
	}
	return 1;
}

/*
 * Where the "#command" lines at the top of the body end (blank lines
 * before them skipped, as staffcmd.c reads them): a "#cve ID" or
 * "#cve-mentioned ID" there is a staff command, which alone decides
 * (and an unsigned one, refused, must not become a fact by this way).
 */
static size_t
commands_end(const char *s, size_t from, size_t len)
{
	size_t	p = from, e, end = from;

	for (; p < len; p = e + 1) {
		e = p + strcspn(s + p, "\n");
		if (end == from && strspn(s + p, " \t\r") == e - p)
			continue;
		if (s[p] != '#' || !((s[p + 1] >= 'a' && s[p + 1] <= 'z') ||
		    (s[p + 1] >= 'A' && s[p + 1] <= 'Z')))
			break;
		end = e;
	}
	return end;
}

/*
 * Keep a CVE ID once, in cves (reported: also moved there from
 * cves_mentioned) or in cves_mentioned; at most max of both.
 */
static void
add_cve(struct triage *t, const char *id, enum cite v, size_t max,
    size_t *over)
{
	size_t	i;

	if (in_list(t->cves, t->ncves, id))
		return;
	for (i = 0; i < t->ncves_mentioned; i++)
		if (strcmp(t->cves_mentioned[i], id) == 0)
			break;
	if (i < t->ncves_mentioned) {
		if (v != CITE_REPORTED)
			return;
		free(t->cves_mentioned[i]);
		memmove(t->cves_mentioned + i, t->cves_mentioned + i + 1,
		    (t->ncves_mentioned - i - 1) * sizeof(char *));
		t->ncves_mentioned--;
	} else if (t->ncves + t->ncves_mentioned >= max) {
		(*over)++;
		return;
	}
	if (v == CITE_REPORTED) {
		t->cves = xrealloc(t->cves, (t->ncves + 1) * sizeof(char *));
		t->cves[t->ncves++] = xstrdup(id);
	} else {
		t->cves_mentioned = xrealloc(t->cves_mentioned,
		    (t->ncves_mentioned + 1) * sizeof(char *));
		t->cves_mentioned[t->ncves_mentioned++] = xstrdup(id);
	}
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
	char		*all, *s, *sub, *err = NULL, id[32];
	size_t		 len, m[4], from, ncwe = 0, nv = 0, i, vl;
	size_t		 body, fwd, cmds, prev_end = 0;
	enum cite	 v, prev_v = CITE_REPORTED;
	size_t		 over_cve = 0, over_cwe = 0, over_cvss = 0;
	unsigned long	 cwe;
	enum tlp	 l;
	int		 r, rv = -1;

	memset(t, 0, sizeof(*t));
	if (compile_all(errstr) == -1)
		return -1;
	all = xasprintf("%s\n%s", subject ? subject : "", text ? text : "");
	s = charset_fold_width(all, strlen(all), &len);
	free(all);

	/* the subject is what the report is about; the body starts after
	 * it and its newline */
	sub = charset_fold_width(subject ? subject : "", subject ?
	    strlen(subject) : 0, &body);
	free(sub);
	body = body + 1 > len ? len : body + 1;
	/* below a signature or a mail client's copy of the mail answered
	 * ("-----Original Message-----"): someone else's text, as
	 * answer.c reads it; a forward (bodytext.c) is the report */
	fwd = body + answer_end(s + body, len - body);
	cmds = commands_end(s, body, len);
	memset(&ql, 0, sizeof(ql));
	for (from = 0; (r = regex_find(re[P_CVE], s, len, from, m,
	    &err)) == 1; from = m[1]) {
		snprintf(id, sizeof(id), "CVE-%.*s", (int)(m[3] - m[2]),
		    s + m[2]);
		if (m[0] >= body && m[0] < cmds)
			continue;
		if (m[0] < body)
			v = CITE_REPORTED;
		else if (m[0] >= fwd || quoted(s, m[0], &ql))
			v = CITE_CITED;
		else {
			if ((v = cue_before(s, body, m[0])) == CITE_NONE)
				v = prev_end && list_gap(s, prev_end, m[0]) ?
				    prev_v : CITE_REPORTED;
			prev_end = m[1];
			prev_v = v;
		}
		add_cve(t, id, v, max, &over_cve);
		if (over_cve)	/* a hard stop at the limit */
			break;
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
	for (i = 0; i < t->ncves_mentioned; i++)
		free(t->cves_mentioned[i]);
	free(t->cves_mentioned);
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
