/*
 * advisory.c: the guideline's disclosure outputs from a case's facts.
 *
 *   advisory CASE [--format csaf|text|markdown] [--lang LANG]
 *       a CSAF 2.0 document (profile csaf_security_advisory), or the
 *       human advisory from the templates advisory / advisory-md;
 *   cve-request CASE [--lang LANG]
 *       the request for a CVE ID to the policy's CNA (`cna`), from the
 *       template cve-request, encrypted to the CNA's key when the
 *       policy names one; sent through the outbox and kept as an
 *       outgoing message of the case, so that the CNA's answer threads
 *       into it.
 * The facts are those people stated (case set KIND=VALUE, #KIND by mail)
 * and those read from the report (CVE, CWE, CVSS). A required fact that
 * is missing is named on stderr and nothing is written (exit 65): an
 * advisory never carries a made-up value. Who is credited is what the
 * finders chose (the case's credits, staff-confirmed: by name with
 * their organization, by handle; an anonymous one never); without a
 * confirmed credit, nobody is named.
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
#include "parsers/credit.h"
#include "parsers/cvss.h"
#include "policies/policy.h"
#include "policies/template.h"
#include "spool/store.h"
#include "spool/store_case.h"
#include "spool/store_credit.h"
#include "spool/store_msg.h"
#include "spool/vault.h"

cmd_fn	cmd_advisory, cmd_cve_request;

#define NV_MAX	24

struct adv {
	struct agent		*a;
	struct store_case	 c;
	struct store_fact	*f;
	size_t			 nf;
	long long		 released;	/* disclosed, or now */
	int			 final;		/* disclosed or closed */
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
	int	r;

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
	return 0;
}

static void
adv_free(struct adv *v)
{
	store_case_free(&v->c);
	store_facts_free(v->f, v->nf);
}

/* The facts a document needs that the case lacks, named in *missing;
 * 0 when none. */
static int
adv_missing(const struct adv *v, int for_cna, char **missing)
{
	struct buf	b;

	buf_init(&b);
	if (!for_cna && count(v, "cve") == 0)
		buf_puts(&b, " cve");
	if (count(v, "product") == 0)
		buf_puts(&b, " product");
	if (count(v, "version") == 0)
		buf_puts(&b, " version");
	if (!for_cna && count(v, "cvss") == 0)
		buf_puts(&b, " cvss");
	if (!for_cna && count(v, "fixed") + count(v, "remediation") == 0)
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

/* Who is credited, joined ("Jane Doe (ACME Labs), @j4ne"), each
 * escaped; NULL when nobody is. */
static char *
credit(const struct adv *v, esc_fn esc)
{
	struct store_credit	*c;
	struct buf		 b, l;
	size_t			 n, all, i;

	c = credits(v, &n, &all);
	buf_init(&b);
	for (i = 0; i < n; i++) {
		buf_init(&l);
		credit_label(&l, c[i].choice, c[i].name, c[i].organization);
		buf_puts(&b, i ? ", " : "");
		esc(&b, l.s);
		buf_free(&l);
	}
	store_credits_free(c, all);
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

	buf_init(&b);
	for (i = 0; i < v->nf; i++) {
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
	if (count(v, "fixed")) {
		buf_puts(&b, r ? "\n\n" : "");
		buf_puts(&b, lang && strcmp(lang, "zh-TW") == 0 ?
		    "修補版本：" : "Fixed in: ");
		join(&b, v, "fixed", ", ", esc);
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
	var_own(x, "mitigation", one(latest(v, "mitigation"), esc));
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
 * with the case's CWE, scores, remediations and notes. Products: every
 * product fact at every version fact (known affected), and at every
 * fixed version (fixed). CSAF 2.0 holds CVSS v2 and v3 only: a v4.0
 * vector goes into a note of the vulnerability. Its TLP is TLP 1.0:
 * CLEAR is written as WHITE, AMBER+STRICT as AMBER with the 2.0 label
 * in the distribution text.
 */
static void
csaf_products(struct json *j, const struct adv *v, const char *kind,
    int *next)
{
	size_t	i, k;
	char	pid[32], *name;

	for (i = 0; i < v->nf; i++) {
		if (strcmp(v->f[i].kind, "product") != 0)
			continue;
		for (k = 0; k < v->nf; k++) {
			if (strcmp(v->f[k].kind, kind) != 0)
				continue;
			snprintf(pid, sizeof(pid), "CSAFPID-%04d", ++*next);
			name = xasprintf("%s %s", v->f[i].value,
			    v->f[k].value);
			json_obj_begin(j);
			json_kstr(j, "name", name);
			json_kstr(j, "product_id", pid);
			json_obj_end(j);
			free(name);
		}
	}
}

static void
pids(struct json *j, int from, int to)
{
	char	pid[32];
	int	i;

	json_arr_begin(j);
	for (i = from; i <= to; i++) {
		snprintf(pid, sizeof(pid), "CSAFPID-%04d", i);
		json_str(j, pid);
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
csaf(const struct adv *v, const char *lang, struct buf *b)
{
	struct json	 j;
	const char	*ns, *cwe_id = NULL, *cwe_nm = NULL;
	char		 t[32], now[32], sc[16], *ti, *s;
	size_t		 i, k;
	int		 naff = 0, nfix = 0, v3 = -1;

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
	json_kstr(&j, "category", "csaf_security_advisory");
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
	json_key(&j, "full_product_names");
	json_arr_begin(&j);
	csaf_products(&j, v, "version", &naff);
	nfix = naff;
	csaf_products(&j, v, "fixed", &nfix);
	json_arr_end(&j);
	json_obj_end(&j);

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
		if (nfix > naff) {
			json_key(&j, "fixed");
			pids(&j, naff + 1, nfix);
		}
		json_key(&j, "known_affected");
		pids(&j, 1, naff);
		json_obj_end(&j);
		json_key(&j, "remediations");
		json_arr_begin(&j);
		json_obj_begin(&j);
		json_kstr(&j, "category", "vendor_fix");
		s = fix_text(v, NULL, plain);
		json_kstr(&j, "details", s);
		free(s);
		json_key(&j, "product_ids");
		pids(&j, 1, naff);
		json_obj_end(&j);
		if (latest(v, "mitigation")) {
			json_obj_begin(&j);
			json_kstr(&j, "category", "mitigation");
			json_kstr(&j, "details", latest(v, "mitigation"));
			json_key(&j, "product_ids");
			pids(&j, 1, naff);
			json_obj_end(&j);
		}
		json_arr_end(&j);
		if (v3 >= 0) {
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
			json_key(&j, "products");
			pids(&j, 1, naff);
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
	    strcmp(*format, "text") && strcmp(*format, "markdown"))) {
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
	    "csaf|text|markdown] [--lang LANG]", &id, &format, &lang)) != 0)
		return rv;
	if (adv_load(a, id, &v, &err) == -1) {
		log_warnx("advisory: %s", err);
		free(err);
		adv_free(&v);
		return EX_DATAERR;
	}
	if (adv_missing(&v, 0, &missing)) {
		log_warnx("advisory %s: missing required facts: %s (set them "
		    "with `case set %s KIND=VALUE` or #KIND by signed mail)",
		    v.c.id, missing, v.c.id);
		free(missing);
		adv_free(&v);
		return EX_DATAERR;
	}
	if (strcmp(format, "csaf") == 0) {
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
	if (adv_missing(&v, 1, &missing)) {
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
