/*
 * advisory.c: the guideline's disclosure outputs from a case's facts.
 *
 *   advisory CASE [--format csaf|text|markdown|cve] [--lang LANG]
 *       a CSAF 2.0 document (profile csaf_security_advisory, or csaf_vex
 *       when a product is not affected), the human advisory from the
 *       templates advisory / advisory-md, or the CVE records of the
 *       case (cverecord.c);
 *   cve-request CASE [--lang LANG]
 *       the request for a CVE ID to the policy's CNA (`cna`), from the
 *       template cve-request, encrypted to the CNA's key when the
 *       policy names one; sent through the outbox and kept as an
 *       outgoing message of the case, so that the CNA's answer threads
 *       into it.
 * The facts are those people stated (case set KIND=VALUE, #KIND by mail)
 * and those read from the report (CVE, CWE, CVSS); what each product's
 * outcome is (fixed, affected with a mitigation or workaround, no fix
 * planned, not affected) comes from its affected pair (affected.h).
 * A required fact that is missing is named on stderr and nothing is
 * written (exit 65): an advisory never carries a made-up value. Who is
 * credited is what the finders chose (the case's credits,
 * staff-confirmed: by name with their organization, by handle; an
 * anonymous one never); without a confirmed credit, nobody is named.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "autoconf.h"
#include "agent/agent.h"
#include "agent/config.h"
#include "util/log.h"
#include "out/outbox.h"
#include "out/reply.h"
#include "crypto/unwrap.h"
#include "util/buf.h"
#include "util/fmt.h"
#include "util/json.h"
#include "util/markup.h"
#include "util/xmalloc.h"
#include "crypto/wrap.h"
#include "parsers/affected.h"
#include "parsers/credit.h"
#include "parsers/cvss.h"
#include "policies/policy.h"
#include "policies/template.h"
#include "spool/store.h"
#include "spool/store_case.h"
#include "spool/store_credit.h"
#include "spool/store_msg.h"
#include "spool/vault.h"
#include "reports/caseview.h"
#include "reports/cverecord.h"

cmd_fn	cmd_advisory, cmd_cve_request;

#define NV_MAX	24

struct adv {
	struct agent		*a;
	struct store_case	 c;
	struct store_fact	*f;
	size_t			 nf;
	long long		 released;	/* disclosed, or now */
	int			 final;		/* disclosed or closed */
	struct affected		*af;		/* the affected pairs */
	size_t			 naf;
	const char		*vendor;	/* of a pair without one */
};

typedef void (*esc_fn)(struct buf *, const char *);

static void
plain(struct buf *b, const char *s)
{
	buf_puts(b, s);
}

/* The newest value of a fact, or NULL. */
static const char *
latest(const struct adv *v, const char *kind)
{
	size_t	i;

	for (i = v->nf; i > 0; i--)
		if (strcmp(v->f[i - 1].kind, kind) == 0)
			return v->f[i - 1].value;
	return NULL;
}

static size_t
count(const struct adv *v, const char *kind)
{
	size_t	i, n = 0;

	for (i = 0; i < v->nf; i++)
		n += strcmp(v->f[i].kind, kind) == 0;
	return n;
}

/* Values of one kind joined by sep, each escaped. */
static void
join(struct buf *b, const struct adv *v, const char *kind, const char *sep,
    esc_fn esc)
{
	size_t	i;
	int	first = 1;

	for (i = 0; i < v->nf; i++) {
		if (strcmp(v->f[i].kind, kind) != 0)
			continue;
		if (!first)
			buf_puts(b, sep);
		esc(b, v->f[i].value);
		first = 0;
	}
}

static int
adv_load(struct agent *a, const char *id, struct adv *v, char **errstr)
{
	char	*e = NULL;
	size_t	 i;
	int	 r;

	memset(v, 0, sizeof(*v));
	v->a = a;
	if ((r = store_case_get(a->st, id, &v->c, errstr)) != 1) {
		if (r == 0)
			*errstr = xasprintf("no case %s", id);
		return -1;
	}
	if (store_facts(a->st, v->c.id, &v->f, &v->nf, errstr) == -1)
		return -1;
	v->final = strcmp(v->c.status, "disclosed") == 0 ||
	    strcmp(v->c.status, "closed") == 0;
	if ((r = store_case_event_at(a->st, v->c.id, "case-set",
	    "status=disclosed", &v->released, errstr)) == -1)
		return -1;
	if (r == 0)
		v->released = fmt_now();
	v->vendor = caseview_vendor(a);
	for (i = 0; i < v->nf; i++) {
		if (strcmp(v->f[i].kind, "affected") != 0)
			continue;
		v->af = xreallocarray(v->af, v->naf + 1, sizeof(*v->af));
		if (affected_parse(v->f[i].value, strlen(v->f[i].value),
		    &v->af[v->naf], &e) == -1) {
			*errstr = xasprintf("the stored affected pair \"%s\" "
			    "does not read: %s", v->f[i].value, e);
			free(e);
			return -1;
		}
		v->naf++;
	}
	return 0;
}

static void
adv_free(struct adv *v)
{
	store_case_free(&v->c);
	store_facts_free(v->f, v->nf);
	free(v->af);
}

/* How many pairs have this status. */
static size_t
naf_status(const struct adv *v, enum aff_status st)
{
	size_t	i, n = 0;

	for (i = 0; i < v->naf; i++)
		n += v->af[i].status == st;
	return n;
}

static const char *
af_vendor(const struct adv *v, const struct affected *af)
{
	return af->vendor[0] ? af->vendor : v->vendor;
}

/*
 * The facts a document needs that the case lacks, named in *missing;
 * 0 when none. What a document says of products comes from the
 * affected pairs; a case from before them (product and version facts)
 * still has its human advisory and CVE request, not a CSAF document or
 * CVE record (which would have to guess which version is of which
 * product). Each product needs an outcome: fixed, no fix planned, not
 * affected, or (affected, no fix) the case's mitigation or workaround.
 */
enum adv_for { FOR_TEXT, FOR_DATA, FOR_CVE, FOR_CNA };

static int
adv_missing(const struct adv *v, enum adv_for what, char **missing)
{
	struct buf	b;
	int		old = count(v, "product") && count(v, "version");

	buf_init(&b);
	if (what != FOR_CNA && count(v, "cve") == 0)
		buf_puts(&b, " cve");
	if (v->naf == 0 && (what == FOR_DATA || what == FOR_CVE || !old))
		buf_puts(&b, " affected");
	/* the CVE program's rules: a problem type and a reference */
	if (what == FOR_CVE && count(v, "cwe") == 0)
		buf_puts(&b, " cwe");
	if (what == FOR_CVE && count(v, "reference") == 0)
		buf_puts(&b, " reference");
	if (what != FOR_CNA && count(v, "cvss") == 0 && (v->naf == 0 ||
	    naf_status(v, AFF_NOT_AFFECTED) < v->naf))
		buf_puts(&b, " cvss");
	if (what != FOR_CNA && naf_status(v, AFF_AFFECTED) &&
	    count(v, "mitigation") + count(v, "workaround") == 0)
		buf_puts(&b, " mitigation|workaround");
	if (what == FOR_TEXT && v->naf == 0 && old &&
	    count(v, "fixed") + count(v, "remediation") == 0)
		buf_puts(&b, " fixed|remediation");
	if (count(v, "summary") == 0)
		buf_puts(&b, " summary");
	if (b.len == 0) {
		buf_free(&b);
		*missing = NULL;
		return 0;
	}
	*missing = xstrdup(b.s + 1);
	buf_free(&b);
	return 1;
}

/* The products of the pairs, each once, joined by ", ". */
static void
af_products(struct buf *b, const struct adv *v, esc_fn esc)
{
	size_t	i, k;

	for (i = 0; i < v->naf; i++) {
		for (k = 0; k < i; k++)
			if (strcmp(v->af[k].product, v->af[i].product) == 0)
				break;
		if (k < i)
			continue;
		if (i)
			buf_puts(b, ", ");
		esc(b, v->af[i].product);
	}
}

/* The title: stated, else made of the facts ("CVE-X in Product"). */
static char *
title(const struct adv *v)
{
	struct buf	b;

	if (latest(v, "title"))
		return xstrdup(latest(v, "title"));
	buf_init(&b);
	if (count(v, "cve"))
		join(&b, v, "cve", ", ", plain);
	else
		buf_puts(&b, "Vulnerability");
	buf_puts(&b, " in ");
	if (v->naf)
		af_products(&b, v, plain);
	else
		join(&b, v, "product", ", ", plain);
	return buf_release(&b);
}

/*
 * The credits that name someone: confirmed, by name or by handle (an
 * anonymous finder is never named), first *n of the array in the
 * order recorded; *all: how many the case holds (free them all).
 */
static struct store_credit *
credits(const struct adv *v, size_t *n, size_t *all)
{
	struct store_credit	*c, t;
	size_t			 i;
	char			*err = NULL;

	*n = 0;
	if (store_credits(v->a->st, v->c.id, &c, all, &err) == -1) {
		log_warnx("advisory %s: %s", v->c.id, err);
		free(err);
		return NULL;
	}
	for (i = 0; i < *all; i++)
		if (c[i].confirmed && c[i].name && strcmp(c[i].choice,
		    "anonymous") != 0) {
			t = c[*n];
			c[(*n)++] = c[i];
			c[i] = t;
		}
	return c;
}

/* Who is credited, one label each ("Jane Doe (ACME Labs)", "@j4ne"),
 * in the order recorded: *n of them (NULL when nobody is). */
static char **
credit_list(const struct adv *v, size_t *n)
{
	struct store_credit	*c;
	struct buf		 l;
	size_t			 all, i;
	char			**r = NULL;

	c = credits(v, n, &all);
	if (*n)
		r = xreallocarray(NULL, *n, sizeof(*r));
	for (i = 0; i < *n; i++) {
		buf_init(&l);
		credit_label(&l, c[i].choice, c[i].name, c[i].organization);
		r[i] = buf_release(&l);
	}
	store_credits_free(c, all);
	return r;
}

/* Who is credited, joined ("Jane Doe (ACME Labs), @j4ne"), each
 * escaped; NULL when nobody is. */
static char *
credit(const struct adv *v, esc_fn esc)
{
	struct buf	  b;
	size_t		  n, i;
	char		**l;

	l = credit_list(v, &n);
	buf_init(&b);
	for (i = 0; i < n; i++) {
		buf_puts(&b, i ? ", " : "");
		esc(&b, l[i]);
		free(l[i]);
	}
	free(l);
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_release(&b);
}

static const char *
publisher(const struct adv *v)
{
	const char	*ns, *name = policy_publisher(v->a->pol, &ns);

	return name ? name : v->a->cf->psirt_name;
}

/* "- " lines for a list value (or "-" when empty). */
static char *
lines(const struct adv *v, const char *kind, esc_fn esc)
{
	struct buf	b;
	size_t		i;

	buf_init(&b);
	for (i = 0; i < v->nf; i++)
		if (strcmp(v->f[i].kind, kind) == 0) {
			buf_puts(&b, b.len ? "\n- " : "- ");
			esc(&b, v->f[i].value);
		}
	if (b.len == 0)
		buf_puts(&b, "-");
	return buf_release(&b);
}

static char *
products_text(const struct adv *v, const char *lang, esc_fn esc)
{
	int	zh = lang && strcmp(lang, "zh-TW") == 0;

	struct buf	b;
	size_t		i;
	char		*r;

	buf_init(&b);
	/* the pairs; "- SmartCam <5.1.4 (fixed: 5.1.4)" */
	for (i = 0; i < v->naf; i++) {
		const struct affected *af = &v->af[i];

		buf_puts(&b, b.len ? "\n- " : "- ");
		if (af->vendor[0]) {
			esc(&b, af->vendor);
			buf_puts(&b, " ");
		}
		esc(&b, af->product);
		buf_puts(&b, " ");
		r = affected_range(af);
		esc(&b, r);
		free(r);
		switch (af->status) {
		case AFF_FIXED:
			buf_puts(&b, zh ? "（修補版本：" : " (fixed: ");
			esc(&b, af->fixed);
			buf_puts(&b, zh ? "）" : ")");
			break;
		case AFF_AFFECTED:
			buf_puts(&b, zh ? "（尚無修補版本）" : " (no fix yet)");
			break;
		case AFF_NO_FIX:
			buf_puts(&b, zh ? "（不提供修補）" :
			    " (no fix planned)");
			break;
		case AFF_NOT_AFFECTED:
			buf_puts(&b, zh ? "（不受影響：" : " (not affected: ");
			esc(&b, af->justification);
			buf_puts(&b, zh ? "）" : ")");
			break;
		}
	}
	for (i = 0; v->naf == 0 && i < v->nf; i++) {
		if (strcmp(v->f[i].kind, "product") != 0)
			continue;
		buf_puts(&b, b.len ? "\n- " : "- ");
		esc(&b, v->f[i].value);
		buf_puts(&b, ": ");
		join(&b, v, "version", ", ", esc);
		if (count(v, "fixed")) {
			buf_puts(&b, zh ? "（修補版本：" : " (fixed: ");
			join(&b, v, "fixed", ", ", esc);
			buf_puts(&b, zh ? "）" : ")");
		}
	}
	return buf_release(&b);
}

static char *
cvss_text(const struct adv *v, esc_fn esc)
{
	struct buf	b;
	size_t		i;
	int		s;

	buf_init(&b);
	for (i = 0; i < v->nf; i++) {
		if (strcmp(v->f[i].kind, "cvss") != 0)
			continue;
		s = v->f[i].score10;
		buf_printf(&b, "%sCVSS v%d.%d %d.%d (%s) ", b.len ? "\n- " :
		    "- ", v->f[i].version / 10, v->f[i].version % 10, s / 10,
		    s % 10, cvss_severity(s));
		esc(&b, v->f[i].value);
	}
	if (b.len == 0)
		buf_puts(&b, "-");
	return buf_release(&b);
}

static char *
cwe_text(const struct adv *v, esc_fn esc)
{
	struct buf	 b;
	const char	*name;
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < v->nf; i++) {
		if (strcmp(v->f[i].kind, "cwe") != 0)
			continue;
		if (b.len)
			buf_puts(&b, "; ");
		esc(&b, v->f[i].value);
		if ((name = policy_cwe_name(v->a->pol, v->f[i].value))) {
			buf_puts(&b, " ");
			esc(&b, name);
		}
	}
	if (b.len == 0)
		buf_puts(&b, "-");
	return buf_release(&b);
}

static char *
fix_text(const struct adv *v, const char *lang, esc_fn esc)
{
	struct buf	 b;
	const char	*r = latest(v, "remediation");

	buf_init(&b);
	if (r)
		esc(&b, r);
	if (naf_status(v, AFF_FIXED)) {
		size_t	i;

		buf_puts(&b, r ? "\n\n" : "");
		buf_puts(&b, lang && strcmp(lang, "zh-TW") == 0 ?
		    "修補版本：" : "Fixed in: ");
		for (i = 0, r = NULL; i < v->naf; i++)
			if (v->af[i].status == AFF_FIXED) {
				buf_puts(&b, r ? ", " : "");
				esc(&b, v->af[i].product);
				buf_puts(&b, " ");
				esc(&b, v->af[i].fixed);
				r = "";
			}
	} else if (v->naf == 0 && count(v, "fixed")) {
		buf_puts(&b, r ? "\n\n" : "");
		buf_puts(&b, lang && strcmp(lang, "zh-TW") == 0 ?
		    "修補版本：" : "Fixed in: ");
		join(&b, v, "fixed", ", ", esc);
	}
	if (naf_status(v, AFF_NO_FIX)) {
		size_t	 i;
		char	*rg;

		buf_puts(&b, b.len ? "\n\n" : "");
		buf_puts(&b, lang && strcmp(lang, "zh-TW") == 0 ?
		    "不提供修補：" : "No fix is planned for: ");
		for (i = 0, r = NULL; i < v->naf; i++)
			if (v->af[i].status == AFF_NO_FIX) {
				buf_puts(&b, r ? ", " : "");
				esc(&b, v->af[i].product);
				buf_puts(&b, " ");
				rg = affected_range(&v->af[i]);
				esc(&b, rg);
				free(rg);
				r = "";
			}
	}
	if (b.len == 0)
		buf_puts(&b, "-");
	return buf_release(&b);
}

static char *
one(const char *s, esc_fn esc)
{
	struct buf	b;

	buf_init(&b);
	if (s && *s)
		esc(&b, s);
	else
		buf_puts(&b, "-");
	return buf_release(&b);
}

/* The mitigation and the workaround, when the case has them. */
static char *
mitigation_text(const struct adv *v, esc_fn esc)
{
	struct buf	 b;
	const char	*m = latest(v, "mitigation"), *w = latest(v, "workaround");

	buf_init(&b);
	if (m)
		esc(&b, m);
	if (w) {
		buf_puts(&b, m ? "\n\n" : "");
		esc(&b, w);
	}
	if (b.len == 0)
		buf_puts(&b, "-");
	return buf_release(&b);
}

/* The template variables of a document about the case. */
struct vars {
	struct tvar	 v[NV_MAX];
	char		*own[NV_MAX];
	size_t		 n, nown;
};

static void
var(struct vars *x, const char *name, const char *value)
{
	x->v[x->n].name = name;
	x->v[x->n++].value = value;
}

static void
var_own(struct vars *x, const char *name, char *value)
{
	x->own[x->nown++] = value;
	var(x, name, value);
}

static void
vars_build(struct vars *x, const struct adv *v, const char *lang, esc_fn esc)
{
	char	 d[32], *t;

	memset(x, 0, sizeof(*x));
	var(x, "case_id", v->c.id);
	t = title(v);
	var_own(x, "title", one(t, esc));
	free(t);
	fmt_utc(v->released, "%Y-%m-%d", d, sizeof(d));
	var_own(x, "release_date", xstrdup(d));
	var_own(x, "severity", one(v->c.severity, esc));
	if (count(v, "cve")) {
		struct buf b;

		buf_init(&b);
		join(&b, v, "cve", ", ", esc);
		var_own(x, "cves", buf_release(&b));
	} else
		var(x, "cves", "-");
	var_own(x, "tlp", v->c.tlp ? xasprintf("TLP:%s", v->c.tlp) :
	    xstrdup("-"));
	var_own(x, "summary", one(latest(v, "summary"), esc));
	var_own(x, "products", products_text(v, lang, esc));
	var_own(x, "cvss", cvss_text(v, esc));
	var_own(x, "cwe", cwe_text(v, esc));
	var_own(x, "remediation", fix_text(v, lang, esc));
	var_own(x, "mitigation", mitigation_text(v, esc));
	var_own(x, "credit", (t = credit(v, esc)) ? t : xstrdup("-"));
	var_own(x, "references", lines(v, "reference", esc));
	var_own(x, "publisher", one(publisher(v), esc));
	if (v->c.embargo) {
		fmt_utc(v->c.embargo, "%Y-%m-%d", d, sizeof(d));
		var_own(x, "embargo", xstrdup(d));
	} else
		var(x, "embargo", "-");
	var_own(x, "psirt_name", one(v->a->cf->psirt_name, esc));
	var(x, "psirt_address", v->a->cf->psirt_address);
}

static void
vars_free(struct vars *x)
{
	size_t	i;

	for (i = 0; i < x->nown; i++)
		free(x->own[i]);
}

/*
 * CSAF 2.0. One vulnerability per CVE (CSAF allows one CVE each), all
 * with the case's CWE, scores, remediations and notes. Products come
 * from the affected pairs alone, never from crossing product facts with
 * version facts: the product tree is vendor -> product_name -> a
 * product_version (an exact version, each of a list, a fixed version)
 * or a product_version_range (a range, as a vers URI), one product ID
 * each, defined once. A version that is one pair's fix and another's
 * not-affected statement is fixed. The status groups: the affected
 * versions of fixed, affected and no-fix-planned pairs are
 * known_affected, the fixed versions fixed, the not-affected pairs'
 * versions known_not_affected with their justification as a VEX flag.
 * Every known_affected product has a remediation: vendor_fix (a fixed
 * pair), mitigation and workaround (the case's facts), no_fix_planned.
 * A case with a not-affected pair is a VEX document (csaf_vex). CSAF
 * 2.0 holds CVSS v2 and v3 only: a v4.0 vector goes into a note of the
 * vulnerability. Its TLP is TLP 1.0: CLEAR is written as WHITE,
 * AMBER+STRICT as AMBER with the 2.0 label in the distribution text.
 */
enum group { G_AFFECTED, G_FIXED, G_NOT_AFFECTED };

struct node {
	const char	*vendor, *product;
	char		*name;		/* a version, or a vers URI */
	char		*label;		/* a version, or the range as stated */
	int		 range;		/* product_version_range */
	enum group	 group;
};

struct tree {
	struct node	*n;
	size_t		 nn;
};

static size_t
node_find(const struct tree *t, const char *vendor, const char *product,
    const char *name, int range)
{
	size_t	i;

	for (i = 0; i < t->nn; i++)
		if (t->n[i].range == range && strcmp(t->n[i].vendor,
		    vendor) == 0 && strcmp(t->n[i].product, product) == 0 &&
		    strcmp(t->n[i].name, name) == 0)
			return i;
	return t->nn;
}

static void
node_add(struct tree *t, const char *vendor, const char *product,
    const char *name, const char *label, int range, enum group g)
{
	size_t	i = node_find(t, vendor, product, name, range);

	if (i < t->nn) {
		/* a fixed version is not affected: fixed wins */
		if (g == G_FIXED)
			t->n[i].group = g;
		return;
	}
	t->n = xreallocarray(t->n, t->nn + 1, sizeof(*t->n));
	t->n[t->nn].vendor = vendor;
	t->n[t->nn].product = product;
	t->n[t->nn].name = xstrdup(name);
	t->n[t->nn].label = xstrdup(label);
	t->n[t->nn].range = range;
	t->n[t->nn++].group = g;
}

static void
tree_build(struct tree *t, const struct adv *v)
{
	const struct affected	*af;
	const char		*vd;
	enum group		 g;
	size_t			 i, k;
	char			*vers, *rg;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < v->naf; i++) {
		af = &v->af[i];
		vd = af_vendor(v, af);
		g = af->status == AFF_NOT_AFFECTED ? G_NOT_AFFECTED :
		    G_AFFECTED;
		if (af->kind == AFF_LIST)
			for (k = 0; k < af->nlist; k++)
				node_add(t, vd, af->product, af->list[k],
				    af->list[k], 0, g);
		else {
			vers = affected_vers(af);
			rg = affected_range(af);
			node_add(t, vd, af->product, vers, rg, 1, g);
			free(vers);
			free(rg);
		}
		if (af->fixed[0])
			node_add(t, vd, af->product, af->fixed, af->fixed, 0,
			    G_FIXED);
	}
}

static void
tree_free(struct tree *t)
{
	size_t	i;

	for (i = 0; i < t->nn; i++) {
		free(t->n[i].name);
		free(t->n[i].label);
	}
	free(t->n);
}

static void
pid_str(char *pid, size_t len, size_t i)
{
	snprintf(pid, len, "CSAFPID-%04zu", i + 1);
}

/* Each product ID once (ids holds at most one of each node). */
static size_t
id_add(size_t *ids, size_t n, size_t x)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (ids[i] == x)
			return n;
	ids[n] = x;
	return n + 1;
}

/*
 * The product IDs of the affected versions of the pairs whose status
 * is in the mask (1 << status), or of pair `only` alone, that are in
 * group g: into ids, how many.
 */
static size_t
pair_ids(const struct adv *v, const struct tree *t, unsigned mask,
    const struct affected *only, const char *label, enum group g,
    size_t *ids)
{
	const struct affected	*af;
	size_t			 i, k, x, n = 0;
	char			*vers;

	for (i = 0; i < v->naf; i++) {
		af = &v->af[i];
		if ((only && af != only) || (!only && !(mask &
		    (1u << af->status))) || (label && (af->justification ==
		    NULL || strcmp(af->justification, label) != 0)))
			continue;
		if (af->kind == AFF_LIST)
			for (k = 0; k < af->nlist; k++) {
				x = node_find(t, af_vendor(v, af), af->product,
				    af->list[k], 0);
				if (x < t->nn && t->n[x].group == g)
					n = id_add(ids, n, x);
			}
		else {
			vers = affected_vers(af);
			x = node_find(t, af_vendor(v, af), af->product, vers,
			    1);
			free(vers);
			if (x < t->nn && t->n[x].group == g)
				n = id_add(ids, n, x);
		}
	}
	return n;
}

static void
ids_json(struct json *j, const char *key, const size_t *ids, size_t n)
{
	char	pid[32];
	size_t	i;

	json_key(j, key);
	json_arr_begin(j);
	for (i = 0; i < n; i++) {
		pid_str(pid, sizeof(pid), ids[i]);
		json_str(j, pid);
	}
	json_arr_end(j);
}

static void
group_json(struct json *j, const struct tree *t, const char *key,
    enum group g)
{
	size_t	*ids = xreallocarray(NULL, t->nn + 1, sizeof(*ids));
	size_t	 i, n = 0;

	for (i = 0; i < t->nn; i++)
		if (t->n[i].group == g)
			ids[n++] = i;
	if (n)
		ids_json(j, key, ids, n);
	free(ids);
}

static void
branch_leaf(struct json *j, const struct tree *t, size_t i)
{
	char	pid[32], *name;

	pid_str(pid, sizeof(pid), i);
	json_obj_begin(j);
	json_kstr(j, "category", t->n[i].range ? "product_version_range" :
	    "product_version");
	json_kstr(j, "name", t->n[i].name);
	json_key(j, "product");
	json_obj_begin(j);
	name = xasprintf("%s %s %s", t->n[i].vendor, t->n[i].product,
	    t->n[i].label);
	json_kstr(j, "name", name);
	free(name);
	json_kstr(j, "product_id", pid);
	json_obj_end(j);
	json_obj_end(j);
}

/* vendor -> product_name -> versions, each in the order first stated */
static void
branches(struct json *j, const struct tree *t)
{
	size_t	i, k, m, x;

	json_key(j, "branches");
	json_arr_begin(j);
	for (i = 0; i < t->nn; i++) {
		for (x = 0; x < i && strcmp(t->n[x].vendor, t->n[i].vendor);
		    x++)
			;
		if (x < i)
			continue;
		json_obj_begin(j);
		json_key(j, "branches");
		json_arr_begin(j);
		for (k = i; k < t->nn; k++) {
			if (strcmp(t->n[k].vendor, t->n[i].vendor) != 0)
				continue;
			for (x = i; x < k && (strcmp(t->n[x].vendor,
			    t->n[k].vendor) || strcmp(t->n[x].product,
			    t->n[k].product)); x++)
				;
			if (x < k)
				continue;
			json_obj_begin(j);
			json_key(j, "branches");
			json_arr_begin(j);
			for (m = k; m < t->nn; m++)
				if (strcmp(t->n[m].vendor, t->n[k].vendor) ==
				    0 && strcmp(t->n[m].product,
				    t->n[k].product) == 0)
					branch_leaf(j, t, m);
			json_arr_end(j);
			json_kstr(j, "category", "product_name");
			json_kstr(j, "name", t->n[k].product);
			json_obj_end(j);
		}
		json_arr_end(j);
		json_kstr(j, "category", "vendor");
		json_kstr(j, "name", t->n[i].vendor);
		json_obj_end(j);
	}
	json_arr_end(j);
}

static void
note(struct json *j, const char *category, const char *title,
    const char *text)
{
	json_obj_begin(j);
	json_kstr(j, "category", category);
	json_kstr(j, "text", text);
	json_kstr(j, "title", title);
	json_obj_end(j);
}

/* The finders, named as they chose (document and vulnerability): one
 * acknowledgment each, with their organization; none when nobody is
 * credited. */
static void
acknowledgments(struct json *j, const struct adv *v)
{
	struct store_credit	*c;
	size_t			 n, all, i;

	if ((c = credits(v, &n, &all)) != NULL && n) {
		json_key(j, "acknowledgments");
		json_arr_begin(j);
		for (i = 0; i < n; i++) {
			json_obj_begin(j);
			json_key(j, "names");
			json_arr_begin(j);
			json_str(j, c[i].name);
			json_arr_end(j);
			if (c[i].organization)
				json_kstr(j, "organization",
				    c[i].organization);
			json_kstr(j, "summary", "reporting the vulnerability");
			json_obj_end(j);
		}
		json_arr_end(j);
	}
	store_credits_free(c, all);
}

static void
remediation(struct json *j, const char *category, const char *details,
    const size_t *ids, size_t n)
{
	if (n == 0)
		return;
	json_obj_begin(j);
	json_kstr(j, "category", category);
	json_kstr(j, "details", details);
	ids_json(j, "product_ids", ids, n);
	json_obj_end(j);
}

/* What to do for the known_affected products. */
static void
remediations(struct json *j, const struct adv *v, const struct tree *t,
    size_t *ids)
{
	const unsigned	 aff = 1u << AFF_AFFECTED | 1u << AFF_FIXED |
			    1u << AFF_NO_FIX;
	const char	*r = latest(v, "remediation");
	size_t		 i, n;
	char		*d, *rg;

	if (pair_ids(v, t, aff, NULL, NULL, G_AFFECTED, ids) == 0)
		return;
	json_key(j, "remediations");
	json_arr_begin(j);
	for (i = 0; i < v->naf; i++) {
		if (v->af[i].status != AFF_FIXED &&
		    v->af[i].status != AFF_NO_FIX)
			continue;
		n = pair_ids(v, t, 0, &v->af[i], NULL, G_AFFECTED, ids);
		rg = affected_range(&v->af[i]);
		if (v->af[i].status == AFF_FIXED)
			d = xasprintf("Update %s to %s or later.%s%s",
			    v->af[i].product, v->af[i].fixed, r ? "\n\n" :
			    "", r ? r : "");
		else
			d = xasprintf("No fix is planned for %s %s.",
			    v->af[i].product, rg);
		remediation(j, v->af[i].status == AFF_FIXED ? "vendor_fix" :
		    "no_fix_planned", d, ids, n);
		free(d);
		free(rg);
	}
	n = pair_ids(v, t, aff, NULL, NULL, G_AFFECTED, ids);
	if (latest(v, "mitigation"))
		remediation(j, "mitigation", latest(v, "mitigation"), ids, n);
	if (latest(v, "workaround"))
		remediation(j, "workaround", latest(v, "workaround"), ids, n);
	json_arr_end(j);
}

/* The VEX flags: each justification with its not-affected products. */
static void
vex_flags(struct json *j, const struct adv *v, const struct tree *t,
    size_t *ids)
{
	const char	*seen[8];
	size_t		 i, k, n, ns = 0;
	int		 open = 0;

	for (i = 0; i < v->naf; i++) {
		if (v->af[i].status != AFF_NOT_AFFECTED)
			continue;
		for (k = 0; k < ns && seen[k] != v->af[i].justification; k++)
			;
		if (k < ns || ns == sizeof(seen) / sizeof(seen[0]))
			continue;
		seen[ns++] = v->af[i].justification;
		if ((n = pair_ids(v, t, 1u << AFF_NOT_AFFECTED, NULL,
		    v->af[i].justification, G_NOT_AFFECTED, ids)) == 0)
			continue;
		if (!open) {
			json_key(j, "flags");
			json_arr_begin(j);
			open = 1;
		}
		json_obj_begin(j);
		json_kstr(j, "label", v->af[i].justification);
		ids_json(j, "product_ids", ids, n);
		json_obj_end(j);
	}
	if (open)
		json_arr_end(j);
}

static void
csaf(const struct adv *v, const char *lang, struct buf *b)
{
	struct json	 j;
	struct tree	 tr;
	const char	*ns, *cwe_id = NULL, *cwe_nm = NULL;
	char		 t[32], now[32], sc[16], *ti, *s;
	size_t		 i, k, *ids, naff;
	int		 v3 = -1;

	tree_build(&tr, v);
	ids = xreallocarray(NULL, tr.nn + 1, sizeof(*ids));
	policy_publisher(v->a->pol, &ns);
	fmt_utc(v->released, "%Y-%m-%dT%H:%M:%SZ", t, sizeof(t));
	fmt_utc(fmt_now(), "%Y-%m-%dT%H:%M:%SZ", now, sizeof(now));
	for (i = 0; i < v->nf && cwe_id == NULL; i++)
		if (strcmp(v->f[i].kind, "cwe") == 0 &&
		    (cwe_nm = policy_cwe_name(v->a->pol, v->f[i].value)))
			cwe_id = v->f[i].value;
	/* one v3 score per product: 3.1 before 3.0, then the highest */
	for (i = 0; i < v->nf; i++)
		if (strcmp(v->f[i].kind, "cvss") == 0 && v->f[i].version <
		    40 && (v3 == -1 || v->f[i].version > v->f[v3].version ||
		    (v->f[i].version == v->f[v3].version &&
		    v->f[i].score10 > v->f[v3].score10)))
			v3 = (int)i;

	json_init(&j, b);
	json_obj_begin(&j);
	json_key(&j, "document");
	json_obj_begin(&j);
	acknowledgments(&j, v);
	if (v->c.severity) {
		json_key(&j, "aggregate_severity");
		json_obj_begin(&j);
		json_kstr(&j, "text", v->c.severity);
		json_obj_end(&j);
	}
	json_kstr(&j, "category", naf_status(v, AFF_NOT_AFFECTED) ?
	    "csaf_vex" : "csaf_security_advisory");
	json_kstr(&j, "csaf_version", "2.0");
	if (v->c.tlp) {
		const char *l = strcmp(v->c.tlp, "CLEAR") == 0 ? "WHITE" :
		    strncmp(v->c.tlp, "AMBER", 5) == 0 ? "AMBER" : v->c.tlp;

		json_key(&j, "distribution");
		json_obj_begin(&j);
		s = xasprintf("TLP:%s (TLP 2.0)", v->c.tlp);
		json_kstr(&j, "text", s);
		free(s);
		json_key(&j, "tlp");
		json_obj_begin(&j);
		json_kstr(&j, "label", l);
		json_kstr(&j, "url", "https://www.first.org/tlp/");
		json_obj_end(&j);
		json_obj_end(&j);
	}
	if (lang)
		json_kstr(&j, "lang", lang);
	json_key(&j, "notes");
	json_arr_begin(&j);
	note(&j, "summary", "Summary", latest(v, "summary"));
	json_arr_end(&j);
	json_key(&j, "publisher");
	json_obj_begin(&j);
	json_kstr(&j, "category", "vendor");
	s = xasprintf("%s", v->a->cf->psirt_address);
	json_kstr(&j, "contact_details", s);
	free(s);
	json_kstr(&j, "name", publisher(v));
	if (ns)
		json_kstr(&j, "namespace", ns);
	else {
		const char *at = strrchr(v->a->cf->psirt_address, '@');

		s = xasprintf("https://%s", at ? at + 1 : "localhost");
		json_kstr(&j, "namespace", s);
		free(s);
	}
	json_obj_end(&j);
	if (count(v, "reference")) {
		json_key(&j, "references");
		json_arr_begin(&j);
		for (i = 0; i < v->nf; i++)
			if (strcmp(v->f[i].kind, "reference") == 0) {
				json_obj_begin(&j);
				json_kstr(&j, "category", "external");
				json_kstr(&j, "summary", "reference");
				json_kstr(&j, "url", v->f[i].value);
				json_obj_end(&j);
			}
		json_arr_end(&j);
	}
	ti = title(v);
	json_kstr(&j, "title", ti);
	json_key(&j, "tracking");
	json_obj_begin(&j);
	json_kstr(&j, "current_release_date", t);
	json_key(&j, "generator");
	json_obj_begin(&j);
	json_kstr(&j, "date", now);
	json_key(&j, "engine");
	json_obj_begin(&j);
	json_kstr(&j, "name", "psirt-agent");
	json_kstr(&j, "version", PACKAGE_VERSION);
	json_obj_end(&j);
	json_obj_end(&j);
	json_kstr(&j, "id", v->c.id);
	json_kstr(&j, "initial_release_date", t);
	json_key(&j, "revision_history");
	json_arr_begin(&j);
	json_obj_begin(&j);
	json_kstr(&j, "date", t);
	json_kstr(&j, "number", v->final ? "1" : "0");
	json_kstr(&j, "summary", v->final ? "Initial release." :
	    "Draft.");
	json_obj_end(&j);
	json_arr_end(&j);
	json_kstr(&j, "status", v->final ? "final" : "draft");
	json_kstr(&j, "version", v->final ? "1" : "0");
	json_obj_end(&j);
	json_obj_end(&j);		/* document */

	json_key(&j, "product_tree");
	json_obj_begin(&j);
	branches(&j, &tr);
	json_obj_end(&j);

	naff = pair_ids(v, &tr, 1u << AFF_AFFECTED | 1u << AFF_FIXED |
	    1u << AFF_NO_FIX, NULL, NULL, G_AFFECTED, ids);
	json_key(&j, "vulnerabilities");
	json_arr_begin(&j);
	for (k = 0; k < v->nf; k++) {
		if (strcmp(v->f[k].kind, "cve") != 0)
			continue;
		json_obj_begin(&j);
		acknowledgments(&j, v);
		json_kstr(&j, "cve", v->f[k].value);
		if (cwe_id) {
			json_key(&j, "cwe");
			json_obj_begin(&j);
			json_kstr(&j, "id", cwe_id);
			json_kstr(&j, "name", cwe_nm);
			json_obj_end(&j);
		}
		vex_flags(&j, v, &tr, ids);
		json_key(&j, "notes");
		json_arr_begin(&j);
		note(&j, "description", "Description", latest(v, "summary"));
		for (i = 0; i < v->nf; i++)
			if (strcmp(v->f[i].kind, "cvss") == 0 &&
			    v->f[i].version == 40) {
				s = xasprintf("%s (base score %d.%d, %s)",
				    v->f[i].value, v->f[i].score10 / 10,
				    v->f[i].score10 % 10,
				    cvss_severity(v->f[i].score10));
				note(&j, "other", "CVSS v4.0", s);
				free(s);
			}
		json_arr_end(&j);
		json_key(&j, "product_status");
		json_obj_begin(&j);
		group_json(&j, &tr, "fixed", G_FIXED);
		group_json(&j, &tr, "known_affected", G_AFFECTED);
		group_json(&j, &tr, "known_not_affected", G_NOT_AFFECTED);
		json_obj_end(&j);
		remediations(&j, v, &tr, ids);
		if (v3 >= 0 && naff) {
			const struct store_fact *f = &v->f[v3];
			char sev[16];

			snprintf(sev, sizeof(sev), "%s",
			    cvss_severity(f->score10));
			for (i = 0; sev[i]; i++)
				sev[i] = (char)(sev[i] >= 'a' && sev[i] <=
				    'z' ? sev[i] - 'a' + 'A' : sev[i]);
			json_key(&j, "scores");
			json_arr_begin(&j);
			json_obj_begin(&j);
			json_key(&j, "cvss_v3");
			json_obj_begin(&j);
			json_key(&j, "baseScore");
			snprintf(sc, sizeof(sc), "%d.%d", f->score10 / 10,
			    f->score10 % 10);
			json_raw(&j, sc);
			json_kstr(&j, "baseSeverity", sev);
			json_kstr(&j, "vectorString", f->value);
			json_kstr(&j, "version", f->version == 31 ? "3.1" :
			    "3.0");
			json_obj_end(&j);
			naff = pair_ids(v, &tr, 1u << AFF_AFFECTED |
			    1u << AFF_FIXED | 1u << AFF_NO_FIX, NULL, NULL,
			    G_AFFECTED, ids);
			ids_json(&j, "products", ids, naff);
			json_obj_end(&j);
			json_arr_end(&j);
		}
		json_kstr(&j, "title", ti);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	buf_putc(b, '\n');
	free(ti);
	free(ids);
	tree_free(&tr);
}

/*
 * The CVE records of the case (cverecord.h): the English description is
 * the summary; each other language of the policy's its `description`
 * fact ("zh-TW: ..."), and a language without one is named (a record
 * may be in English alone). EX_OK, or a sysexits code and *errstr.
 */
static int
cve(const struct adv *v, struct buf *b, char **errstr)
{
	const char *const	*langs;
	struct cve_in		 in;
	struct cve_text		*desc;
	struct cve_cwe		*cwe;
	struct cve_cvss		*cv;
	const char		**cves, **refs;
	char			*ti, *sol = NULL, *wk = NULL, **cr, d[32];
	size_t			 ncr;
	size_t			 nl, i, k, len;
	int			 rv;

	memset(&in, 0, sizeof(in));
	if ((in.org_id = policy_cna_id(v->a->pol, &in.short_name)) == NULL) {
		*errstr = xstrdup("the policy names no CNA identity of ours "
		    "(psirt-policy(5) cna-org-id UUID, cna-short-name NAME)");
		return EX_CONFIG;
	}
	nl = policy_languages(v->a->pol, &langs);
	cves = xreallocarray(NULL, v->nf + 1, sizeof(*cves));
	refs = xreallocarray(NULL, v->nf + 1, sizeof(*refs));
	cwe = xreallocarray(NULL, v->nf + 1, sizeof(*cwe));
	cv = xreallocarray(NULL, v->nf + 1, sizeof(*cv));
	desc = xreallocarray(NULL, nl + 1, sizeof(*desc));
	desc[in.ndesc].lang = "en";
	desc[in.ndesc++].text = latest(v, "summary");
	for (i = 0; i < v->nf; i++) {
		const struct store_fact *f = &v->f[i];

		if (strcmp(f->kind, "cve") == 0)
			cves[in.ncves++] = f->value;
		else if (strcmp(f->kind, "reference") == 0)
			refs[in.nrefs++] = f->value;
		else if (strcmp(f->kind, "cwe") == 0) {
			cwe[in.ncwe].id = f->value;
			cwe[in.ncwe++].name = policy_cwe_name(v->a->pol,
			    f->value);
		} else if (strcmp(f->kind, "cvss") == 0) {
			cv[in.ncvss].version = f->version;
			cv[in.ncvss].score10 = f->score10;
			cv[in.ncvss++].vector = f->value;
		}
	}
	for (k = 0; k < nl; k++) {
		if (strcmp(langs[k], "en") == 0)
			continue;
		len = strlen(langs[k]);
		for (i = v->nf; i > 0; i--)
			if (strcmp(v->f[i - 1].kind, "description") == 0 &&
			    strncmp(v->f[i - 1].value, langs[k], len) == 0 &&
			    v->f[i - 1].value[len] == ':')
				break;
		if (i == 0) {
			log_info("advisory %s: no %s description (description="
			    "\"%s: ...\"): the records are without one",
			    v->c.id, langs[k], langs[k]);
			continue;
		}
		desc[in.ndesc].lang = langs[k];
		desc[in.ndesc++].text = v->f[i - 1].value + len + 1 +
		    strspn(v->f[i - 1].value + len + 1, " ");
	}
	in.cves = cves;
	in.refs = refs;
	in.cwe = cwe;
	in.cvss = cv;
	in.desc = desc;
	in.af = v->af;
	in.naf = v->naf;
	in.vendor = v->vendor;
	/* a made title ("CVE-1, CVE-2 in P") would name the other CVEs */
	in.title = ti = latest(v, "title") ? title(v) : NULL;
	in.credits = (const char *const *)(cr = credit_list(v, &ncr));
	in.ncredits = ncr;
	if (naf_status(v, AFF_FIXED) || naf_status(v, AFF_NO_FIX) ||
	    latest(v, "remediation"))
		in.solution = sol = fix_text(v, NULL, plain);
	if (latest(v, "mitigation") || latest(v, "workaround"))
		in.workaround = wk = mitigation_text(v, plain);
	if (v->final) {
		fmt_utc(v->released, "%Y-%m-%dT%H:%M:%SZ", d, sizeof(d));
		in.date_public = d;
	}
	rv = cve_record(&in, b, errstr) == -1 ? EX_DATAERR : EX_OK;
	free(ti);
	free(sol);
	free(wk);
	while (ncr > 0)
		free(cr[--ncr]);
	free(cr);
	free(cves);
	free(refs);
	free(cwe);
	free(cv);
	free(desc);
	return rv;
}

/* "CASE [--format F] [--lang L]": 0, or a usage exit. */
static int
args(int argc, char **argv, const char *usage, const char **id,
    const char **format, const char **lang)
{
	int	i;

	*id = NULL;
	for (i = 1; i < argc; i++) {
		if (argv[i][0] != '-' && *id == NULL)
			*id = argv[i];
		else if (i + 1 < argc && format &&
		    strcmp(argv[i], "--format") == 0)
			*format = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--lang") == 0)
			*lang = argv[++i];
		else
			break;
	}
	if (i < argc || *id == NULL || (format && strcmp(*format, "csaf") &&
	    strcmp(*format, "text") && strcmp(*format, "markdown") &&
	    strcmp(*format, "cve"))) {
		fprintf(stderr, "usage: psirt-agent %s\n", usage);
		return EX_USAGE;
	}
	return 0;
}

static int
render(const struct adv *v, const char *tmpl, const char *lang, esc_fn esc,
    char **subj, char **body, char **errstr)
{
	const struct template	*tp;
	struct vars		 x;
	int			 r;

	if ((tp = policy_template(v->a->pol, tmpl, lang)) == NULL) {
		*errstr = xasprintf("no template \"%s\"", tmpl);
		return -1;
	}
	vars_build(&x, v, lang, esc);
	r = template_render(tp, x.v, x.n, 1024 * 1024, subj, body, errstr);
	vars_free(&x);
	return r;
}

int
cmd_advisory(struct agent *a, int argc, char **argv)
{
	struct adv	 v;
	struct buf	 b;
	const char	*id, *format = "text", *lang = NULL;
	char		*err = NULL, *missing = NULL, *subj = NULL, *body = NULL;
	struct store_credit *cr;
	size_t		 ncr, all, i;
	int		 rv;

	if ((rv = args(argc, argv, "advisory CASE [--format "
	    "csaf|text|markdown|cve] [--lang LANG]", &id, &format, &lang)) != 0)
		return rv;
	if (adv_load(a, id, &v, &err) == -1) {
		log_warnx("advisory: %s", err);
		free(err);
		adv_free(&v);
		return EX_DATAERR;
	}
	if (adv_missing(&v, strcmp(format, "text") == 0 ||
	    strcmp(format, "markdown") == 0 ? FOR_TEXT : strcmp(format,
	    "cve") == 0 ? FOR_CVE : FOR_DATA, &missing)) {
		log_warnx("advisory %s: missing required facts: %s (set them "
		    "with `case set %s KIND=VALUE` or #KIND by signed mail)",
		    v.c.id, missing, v.c.id);
		free(missing);
		adv_free(&v);
		return EX_DATAERR;
	}
	if (strcmp(format, "cve") == 0) {
		buf_init(&b);
		rv = cve(&v, &b, &err);
		if (rv != EX_OK) {
			log_warnx("advisory %s: %s", v.c.id, err);
			free(err);
			buf_free(&b);
			adv_free(&v);
			return rv;
		}
		fwrite(b.s, 1, b.len, stdout);
		buf_free(&b);
	} else if (strcmp(format, "csaf") == 0) {
		buf_init(&b);
		csaf(&v, lang, &b);
		fwrite(b.s, 1, b.len, stdout);
		buf_free(&b);
	} else if (render(&v, strcmp(format, "text") == 0 ? "advisory" :
	    "advisory-md", lang ? lang : v.c.lang, strcmp(format, "text") ==
	    0 ? plain : markup_md, &subj, &body, &err) == -1) {
		log_warnx("advisory %s: %s", v.c.id, err);
		free(err);
		adv_free(&v);
		return EX_SOFTWARE;
	} else
		fputs(body, stdout);
	free(subj);
	free(body);
	if ((cr = credits(&v, &ncr, &all)) == NULL && all == 0)
		log_info("advisory %s: the reporter's credit choice is not "
		    "recorded; nobody is named (credit=NAME or "
		    "credit=anonymous)", v.c.id);
	else if (cr) {
		for (i = ncr = 0; i < all; i++)
			ncr += !cr[i].confirmed;
		if (ncr)
			log_info("advisory %s: %zu credit%s not confirmed, "
			    "not named (case set %s credit-confirm=N|all)",
			    v.c.id, ncr, ncr == 1 ? " is" : "s are", v.c.id);
	}
	store_credits_free(cr, all);
	adv_free(&v);
	return fflush(stdout) ? EX_IOERR : EX_OK;
}

/* Queue the request (inside the caller's transaction) and keep it as
 * an outgoing message of the case. */
static int
cve_send(struct adv *v, const struct policy_cna *cna, const char *lang,
    char **msgid, char **errstr)
{
	struct agent		*a = v->a;
	struct reply_in		 ri;
	struct reply_out	 ro;
	struct wrap_to		 to;
	struct crypto		 cr;
	char			*subj = NULL, *body = NULL, *outer, *d;
	struct vars		 x;
	const struct template	*tp;
	int			 rv = -1;

	*msgid = NULL;
	if ((tp = policy_template(a->pol, "cve-request", lang)) == NULL) {
		*errstr = xstrdup("no template \"cve-request\"");
		return -1;
	}
	vars_build(&x, v, lang, plain);
	var(&x, "recipient_name", cna->name);
	rv = template_render(tp, x.v, x.n, 1024 * 1024, &subj, &body, errstr);
	vars_free(&x);
	if (rv == -1)
		return -1;
	rv = -1;
	memset(&ri, 0, sizeof(ri));
	ri.to_addr = cna->addr;
	ri.to_name = cna->name;
	ri.subject = subj ? subj : v->c.id;
	ri.body = body;
	if (reply_compose(a->cf, &ri, &ro, errstr) == -1)
		goto out;
	if (cna->pgp) {
		agent_crypto(a, &cr);
		memset(&to, 0, sizeof(to));
		to.proto = "pgp";
		to.fingerprint = cna->pgp;
		to.signer = a->cf->psirt_fingerprint;
		outer = xasprintf("[%s] CVE ID request", v->c.id);
		if (wrap_reply(&cr, &to, &ro.text, &ro.len, outer, errstr) == -1) {
			free(outer);
			reply_out_free(&ro);
			goto out;
		}
		free(outer);
	}
	if (outbox_queue(a, v->c.id, "cve-request", cna->addr, &ro,
	    errstr) == -1)
		goto fail;
	if (outbox_keep(a, v->c.id, "cve-request", cna->addr, &ro, subj, body,
	    cna->pgp ? "pgp" : NULL, errstr) == -1)
		goto fail;
	d = xasprintf("CVE ID request to %s <%s>%s, Message-ID <%s>",
	    cna->name, cna->addr, cna->pgp ? ", encrypted" : "",
	    ro.message_id);
	rv = store_event_add(a->st, v->c.id, "cve-requested", d, "operator",
	    errstr) == -1 ? -1 : 0;
	free(d);
	if (rv == 0)
		*msgid = xstrdup(ro.message_id);
fail:
	reply_out_free(&ro);
out:
	free(subj);
	free(body);
	return rv;
}

int
cmd_cve_request(struct agent *a, int argc, char **argv)
{
	const struct policy_cna	*cna = policy_cna(a->pol);
	struct adv		 v;
	const char		*id, *lang = NULL;
	char			*err = NULL, *missing = NULL, *mid = NULL;
	int			 rv;

	if ((rv = args(argc, argv, "cve-request CASE [--lang LANG]", &id,
	    NULL, &lang)) != 0)
		return rv;
	if (cna == NULL) {
		log_warnx("cve-request: the policy names no CNA (psirt-policy(5) "
		    "cna)");
		return EX_CONFIG;
	}
	if (store_begin(a->st, &err) == -1) {
		log_warnx("cve-request: %s", err);
		free(err);
		return EX_TEMPFAIL;
	}
	if (adv_load(a, id, &v, &err) == -1) {
		log_warnx("cve-request: %s", err);
		free(err);
		adv_free(&v);
		store_rollback(a->st);
		return EX_DATAERR;
	}
	if (adv_missing(&v, FOR_CNA, &missing)) {
		log_warnx("cve-request %s: missing required facts: %s (set "
		    "them with `case set %s KIND=VALUE` or #KIND by signed "
		    "mail)", v.c.id, missing, v.c.id);
		free(missing);
		adv_free(&v);
		store_rollback(a->st);
		return EX_DATAERR;
	}
	if (count(&v, "cve"))
		log_info("cve-request %s: the case holds a CVE ID already",
		    v.c.id);
	if (cve_send(&v, cna, lang ? lang : v.c.lang, &mid, &err) == -1 ||
	    store_commit(a->st, &err) == -1) {
		log_warnx("cve-request %s: %s", v.c.id, err);
		free(err);
		adv_free(&v);
		store_rollback(a->st);
		return EX_TEMPFAIL;
	}
	log_info("%s: CVE ID request to %s <%s> queued, Message-ID <%s>",
	    v.c.id, cna->name, cna->addr, mid);
	printf("%s\n", mid);
	free(mid);
	adv_free(&v);
	return EX_OK;
}
