/*
 * assess.c: triage facts -> case. See assess.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent.h"
#include "pipeline/assess.h"
#include "pipeline/job.h"
#include "out/notice.h"
#include "util/buf.h"
#include "util/xmalloc.h"
#include "parsers/triage.h"
#include "policies/template.h"
#include "spool/store.h"
#include "spool/store_case.h"

static int	 add_facts(struct job *, struct buf *, char **);
static int	 add_cves(struct job *, struct buf *, char **);
static const struct store_fact *fact_of(const struct store_fact *, size_t,
		    const char *, const char *);
static int	 classify(struct job *, struct buf *, char **);
static int	 has_fact(const struct store_fact *, size_t, const char *);
static int	 set_tlp(struct job *, const struct store_case *, char **);
static int	 set_severity(struct agent *, const char *,
		    const struct store_case *, char **);
static int	 duplicates(struct job *, char **);
static int	 is_open(const char *);
static int	 tell(struct job *, const char *, const char *, char **);

/* Mail the triage task's R and A about a probable duplicate. */
static int
tell(struct job *j, const char *other, const char *why, char **errstr)
{
	struct store_case	 c;
	struct tvar		 v[2];
	int			 r;

	if ((r = store_case_get(j->a->st, j->case_id, &c, errstr)) != 1)
		return r == 0 ? 0 : -1;
	v[0].name = "other_case";
	v[0].value = other;
	/* the CVE or product named is case content: not in clear */
	v[1].name = "reason";
	v[1].value = strncmp(why, "CVE-", 4) == 0 ? "both name the same CVE "
	    "ID" : "the same product and weakness (CWE)";
	r = notice_task(j->a, &c, "triage", "RA", "duplicate-notice",
	    "duplicate", v, 2, "duplicate-notice", errstr);
	store_case_free(&c);
	return r == -1 ? -1 : 0;
}
static int	 note(struct job *, struct buf *, const char *, const char *,
		    char **);

/* An event `type` listing what *what holds (if anything), "..., <how>
 * queue ID <qid>"; *what is emptied. */
static int
note(struct job *j, struct buf *what, const char *type, const char *how,
    char **errstr)
{
	char	*d;
	int	 r = 0;

	if (what->len) {
		d = xasprintf("%s, %s queue ID %s", what->s, how, j->qid);
		r = store_event_add(j->a->st, j->case_id, type, d, "agent",
		    errstr);
		free(d);
	}
	buf_free(what);
	buf_init(what);
	return r;
}

static const struct store_fact *
fact_of(const struct store_fact *f, size_t n, const char *kind,
    const char *value)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(f[i].kind, kind) == 0 &&
		    strcmp(f[i].value, value) == 0)
			return &f[i];
	return NULL;
}

/*
 * The CVE IDs of a report or follow-up: the ones it is about are the
 * case's (`cve`), the ones it cites in passing are kept apart
 * (`cve-mentioned`, triage.h). A cited one a later message reports is
 * promoted; one the case holds as its CVE stays so when cited. Staff
 * have the last word: an ID they made a mention (cve-mentioned with no
 * queue ID, case.c) stays one whatever mail says.
 */
static int
add_cves(struct job *j, struct buf *what, char **errstr)
{
	const struct triage	*t = &j->tri;
	const struct store_fact	*m;
	struct store_fact	*f;
	size_t			 n, i;
	int			 r = 0;

	if (t->ncves + t->ncves_mentioned == 0)
		return 0;
	if (store_facts(j->a->st, j->case_id, &f, &n, errstr) == -1)
		return -1;
	for (i = 0; r != -1 && i < t->ncves; i++) {
		if ((m = fact_of(f, n, "cve-mentioned", t->cves[i])) != NULL) {
			if (m->qid == NULL)
				continue;	/* staff's choice */
			if ((r = store_fact_remove(j->a->st, j->case_id,
			    "cve-mentioned", t->cves[i], errstr)) == -1)
				break;
		}
		if ((r = store_fact_add(j->a->st, j->case_id, "cve",
		    t->cves[i], 0, 0, j->qid, errstr)) == 1)
			buf_printf(what, "%s%s%s", what->len ? ", " : "",
			    t->cves[i], m ? " (was cited)" : "");
	}
	for (i = 0; r != -1 && i < t->ncves_mentioned; i++) {
		if (fact_of(f, n, "cve", t->cves_mentioned[i]))
			continue;
		if ((r = store_fact_add(j->a->st, j->case_id, "cve-mentioned",
		    t->cves_mentioned[i], 0, 0, j->qid, errstr)) == 1)
			buf_printf(what, "%s%s (cited)", what->len ? ", " : "",
			    t->cves_mentioned[i]);
	}
	store_facts_free(f, n);
	return r == -1 ? -1 : 0;
}

/* Record the facts that are new to the case; list them in *what. */
static int
add_facts(struct job *j, struct buf *what, char **errstr)
{
	const struct triage	*t = &j->tri;
	char			 v[32];
	size_t			 i;
	int			 r;

	if (add_cves(j, what, errstr) == -1)
		return -1;
	for (i = 0; i < t->ncwes; i++) {
		snprintf(v, sizeof(v), "CWE-%u", t->cwes[i]);
		if ((r = store_fact_add(j->a->st, j->case_id, "cwe", v, 0, 0,
		    j->qid, errstr)) == -1)
			return -1;
		if (r == 1)
			buf_printf(what, "%s%s", what->len ? ", " : "", v);
	}
	for (i = 0; i < t->ncvss; i++) {
		const struct cvss *c = &t->cvss[i];

		if ((r = store_fact_add(j->a->st, j->case_id, "cvss",
		    c->vector, c->version, c->score10, j->qid, errstr)) == -1)
			return -1;
		if (r == 1)
			buf_printf(what, "%s%s (%d.%d %s)", what->len ? ", " :
			    "", c->vector, c->score10 / 10, c->score10 % 10,
			    cvss_severity(c->score10));
	}
	return 0;
}

static int
has_fact(const struct store_fact *f, size_t n, const char *kind)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(f[i].kind, kind) == 0)
			return 1;
	return 0;
}

/* The policy's classification (match rules): product, version, module
 * and origin once per case (the first message that gets one sets it),
 * tags and assignments added. */
static int
classify(struct job *j, struct buf *what, char **errstr)
{
	const struct policy_decision *d = &j->dec;
	struct store_fact	*f;
	const char		*one[4][2] = {
		{ "product", d->product }, { "version", d->version },
		{ "module", d->module }, { "origin", d->origin } };
	size_t			 n, i;
	int			 r = 0, k;

	if (store_facts(j->a->st, j->case_id, &f, &n, errstr) == -1)
		return -1;
	for (i = 0; r == 0 && i < 4; i++) {
		if (one[i][1] == NULL || has_fact(f, n, one[i][0]))
			continue;
		if ((k = store_fact_add(j->a->st, j->case_id, one[i][0],
		    one[i][1], 0, 0, j->qid, errstr)) == -1)
			r = -1;
		else if (k == 1)
			buf_printf(what, "%s%s %s", what->len ? ", " : "",
			    one[i][0], one[i][1]);
	}
	for (i = 0; r == 0 && i < d->ntags + d->nassign; i++) {
		const char *kind = i < d->ntags ? "tag" : "assign";
		const char *v = i < d->ntags ? d->tags[i] :
		    d->assign[i - d->ntags];

		if ((k = store_fact_add(j->a->st, j->case_id, kind, v, 0, 0,
		    j->qid, errstr)) == -1)
			r = -1;
		else if (k == 1)
			buf_printf(what, "%s%s %s", what->len ? ", " : "",
			    kind, v);
	}
	store_facts_free(f, n);
	return r;
}

/* A stated label raises the case's TLP; mail never lowers it. */
static int
set_tlp(struct job *j, const struct store_case *c, char **errstr)
{
	enum tlp	 cur = c->tlp ? triage_tlp_parse(c->tlp) : TLP_NONE;
	char		*d;
	int		 r;

	if (j->tri.tlp <= cur)
		return 0;
	if (store_case_set(j->a->st, j->case_id, "tlp",
	    triage_tlp_name(j->tri.tlp), errstr) == -1)
		return -1;
	if (cur)
		d = xasprintf("TLP:%s (was TLP:%s), stated in queue ID %s",
		    triage_tlp_name(j->tri.tlp), c->tlp, j->qid);
	else
		d = xasprintf("TLP:%s, stated in queue ID %s",
		    triage_tlp_name(j->tri.tlp), j->qid);
	r = store_event_add(j->a->st, j->case_id, "tlp-set", d, "agent",
	    errstr);
	free(d);
	return r;
}

/* The severity of the highest CVSS score on the case, unless staff
 * chose one; none when the vectors it came from were removed. */
static int
set_severity(struct agent *a, const char *case_id,
    const struct store_case *c, char **errstr)
{
	struct store_fact	*f;
	size_t			 n, i, best = 0;
	const char		*sev;
	char			*d;
	int			 r = 0, found = 0;

	if (c->severity_by && strcmp(c->severity_by, "staff") == 0)
		return 0;
	if (store_facts(a->st, case_id, &f, &n, errstr) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (strcmp(f[i].kind, "cvss") == 0 && (!found ||
		    f[i].score10 > f[best].score10)) {
			best = i;
			found = 1;
		}
	if (found) {
		sev = policy_severity(a->pol, f[best].score10);
		if (c->severity == NULL || strcmp(c->severity, sev) != 0) {
			if (c->severity)
				d = xasprintf("%s (was %s), from %s (%d.%d)",
				    sev, c->severity, f[best].value,
				    f[best].score10 / 10, f[best].score10 % 10);
			else
				d = xasprintf("%s, from %s (%d.%d)", sev,
				    f[best].value, f[best].score10 / 10,
				    f[best].score10 % 10);
			if (store_case_set(a->st, case_id, "severity",
			    sev, errstr) == -1 || store_case_set(a->st,
			    case_id, "severity_by", "cvss", errstr) == -1 ||
			    store_event_add(a->st, case_id,
			    "severity-set", d, "agent", errstr) == -1)
				r = -1;
			free(d);
		}
	} else if (c->severity && c->severity_by &&
	    strcmp(c->severity_by, "cvss") == 0) {
		/* its vectors were removed: no severity, rather than one
		 * from a score the case no longer has */
		d = xasprintf("%s cleared: no CVSS vector left", c->severity);
		if (store_case_set(a->st, case_id, "severity", NULL,
		    errstr) == -1 || store_case_set(a->st, case_id,
		    "severity_by", NULL, errstr) == -1 ||
		    store_event_add(a->st, case_id, "severity-set", d, "agent",
		    errstr) == -1)
			r = -1;
		free(d);
	}
	store_facts_free(f, n);
	return r;
}

static int
is_open(const char *status)
{
	return status == NULL || (strcmp(status, "closed") != 0 &&
	    strcmp(status, "rejected") != 0 && strcmp(status, "duplicate") != 0);
}

/* Another open case names one of this report's CVE IDs, or has its
 * product (by the policy) and one of its CWE IDs: a probable duplicate,
 * linked both ways and told to both. */
static int
duplicates(struct job *j, char **errstr)
{
	struct store_case	 oc;
	char			**ids, *d, what[160];
	size_t			 i, k, n;
	int			 r = 0, g;

	for (i = 0; r == 0 && i < j->tri.ncves + j->tri.ncwes; i++) {
		if (i < j->tri.ncves)
			snprintf(what, sizeof(what), "%s", j->tri.cves[i]);
		else if (j->dec.product == NULL)
			break;
		else
			snprintf(what, sizeof(what), "CWE-%u",
			    j->tri.cwes[i - j->tri.ncves]);
		if ((i < j->tri.ncves ? store_fact_cases(j->a->st, "cve", what,
		    j->case_id, &ids, &n, errstr) : store_product_cwe_cases(
		    j->a->st, j->dec.product, what, j->case_id, &ids, &n,
		    errstr)) == -1)
			return -1;
		if (i >= j->tri.ncves) {
			char	*pw = xasprintf("%s in %s", what,
			    j->dec.product);

			snprintf(what, sizeof(what), "%s", pw);
			free(pw);
		}
		for (k = 0; r == 0 && k < n; k++) {
			if ((g = store_case_get(j->a->st, ids[k], &oc,
			    errstr)) != 1) {
				r = g;
				continue;
			}
			if (is_open(oc.status)) {
				d = xasprintf("probable duplicate (%s)",
				    what);
				if (store_link_add(j->a->st, j->case_id,
				    ids[k], d, errstr) == -1)
					r = -1;
				free(d);
				d = xasprintf("%s names %s, as %s does",
				    j->case_id, what, ids[k]);
				if (r == 0 && (store_event_add(j->a->st,
				    j->case_id, "probable-duplicate", d,
				    "agent", errstr) == -1 ||
				    store_event_add(j->a->st, ids[k],
				    "probable-duplicate", d, "agent",
				    errstr) == -1))
					r = -1;
				free(d);
				/* those who triage are told */
				if (r == 0 && tell(j, ids[k], what,
				    errstr) == -1)
					r = -1;
			}
			store_case_free(&oc);
		}
		strv_free(ids, n);
	}
	return r;
}

int
assess_case(struct job *j, char **errstr)
{
	struct store_case	 c;
	struct buf		 what;
	char			*d;
	int			 r;

	if (j->case_id == NULL)
		return 0;
	buf_init(&what);
	if (add_facts(j, &what, errstr) == -1 || note(j, &what, "facts-added",
	    "stated in", errstr) == -1) {
		buf_free(&what);
		return -1;
	}
	r = classify(j, &what, errstr) == -1 || note(j, &what, "classified",
	    "by the policy for", errstr) == -1 ? -1 : 0;
	buf_free(&what);
	if (r == -1)
		return -1;
	if (j->tri.warnings && store_event_add(j->a->st, j->case_id,
	    "triage-warning", j->tri.warnings, "agent", errstr) == -1)
		return -1;
	if ((r = store_case_get(j->a->st, j->case_id, &c, errstr)) != 1)
		return r == 0 ? 0 : -1;
	r = 0;
	if (set_tlp(j, &c, errstr) == -1 || set_severity(j->a, j->case_id,
	    &c, errstr) == -1)
		r = -1;
	if (r == 0 && j->tri.level && c.level == 0 && c.kind &&
	    strcmp(c.kind, "incident") == 0) {
		d = xasprintf("incident level %d, stated in queue ID %s",
		    j->tri.level, j->qid);
		if (store_case_set_level(j->a->st, j->case_id, j->tri.level,
		    errstr) == -1 || store_event_add(j->a->st, j->case_id,
		    "level-set", d, "agent", errstr) == -1)
			r = -1;
		free(d);
	}
	store_case_free(&c);
	if (r == 0 && duplicates(j, errstr) == -1)
		r = -1;
	return r;
}

int
assess_severity(struct agent *a, const char *case_id, char **errstr)
{
	struct store_case	c;
	int			r;

	if ((r = store_case_get(a->st, case_id, &c, errstr)) != 1)
		return r == 0 ? 0 : -1;
	r = set_severity(a, c.id, &c, errstr);
	store_case_free(&c);
	return r;
}
