/*
 * case.c: the case state machine: the changes staff make to a case
 * (status moves, severity, TLP, level, pauses, embargo, clocks met, the
 * facts they state) and merges, each checked, recorded as an event and
 * followed by the clocks. Used by `case set` (cli/caseset.c) and by
 * staff commands by mail (staffcmd.c). See case.h.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "agent/agent.h"
#include "pipeline/assess.h"
#include "pipeline/case.h"
#include "pipeline/credit.h"
#include "agent/config.h"
#include "out/timers.h"
#include "util/log.h"
#include "out/notice.h"
#include "out/status.h"
#include "util/buf.h"
#include "util/fmt.h"
#include "util/nearest.h"
#include "util/json.h"
#include "util/xmalloc.h"
#include "parsers/affected.h"
#include "parsers/cvss.h"
#include "parsers/triage.h"
#include "policies/clocks.h"
#include "policies/policy.h"
#include "policies/template.h"
#include "spool/store.h"
#include "spool/store_case.h"
#include "spool/store_clock.h"

#define ISO_FMT	"%Y-%m-%dT%H:%M:%SZ"
static int	 one_of(const char *, const char *const *);
static int	 fact_apply(struct agent *, const char *, const char *,
		    const char *, char **, char **);
static int	 cve_move(struct agent *, const char *, const char *,
		    const char *, const char *, char **);
static int	 cve_merged(struct agent *, const char *, char **);
static int	 status_notice(struct agent *, const struct store_case *,
		    const char *, const char *, char **);

/* The task a status belongs to: its C and I are told of the move. */
static const char *const status_task[][2] = {
	{ "triaged", "triage" }, { "rejected", "triage" },
	{ "duplicate", "triage" }, { "confirmed", "analysis" },
	{ "fixing", "remediation" }, { "fix-scheduled", "remediation" },
	{ "fixed", "remediation" }, { "disclosed", "disclosure" },
	{ "contained", "incident-response" },
	{ "recovered", "incident-response" },
};

const char *
case_task(const char *status, const char *kind)
{
	size_t	i;

	for (i = 0; status && i < sizeof(status_task) / sizeof(status_task[0]);
	    i++)
		if (strcmp(status_task[i][0], status) == 0)
			return status_task[i][1];
	if (kind && strcmp(kind, "incident") == 0)
		return "incident-response";
	return status && strcmp(status, "new") == 0 ? "intake" : "triage";
}

static int
status_notice(struct agent *a, const struct store_case *c,
    const char *status, const char *actor, char **errstr)
{
	struct tvar	v[2];
	size_t		i;

	for (i = 0; i < sizeof(status_task) / sizeof(status_task[0]); i++)
		if (strcmp(status_task[i][0], status) == 0)
			break;
	if (i == sizeof(status_task) / sizeof(status_task[0]))
		return 0;
	v[0].name = "status";
	v[0].value = status;
	v[1].name = "note";
	v[1].value = actor;
	return notice_task(a, c, status_task[i][1], "CI", "status-notice",
	    "status-notice", v, 2, "status-notice", errstr) == -1 ? -1 : 0;
}
static int	 may_move(const struct clocks *, const char *, const char *);

/* The case lifecycle: from each status, where it may go. */
static const struct {
	const char	*from;
	const char	*to;
} moves[] = {
	{ "new", ",triaged,confirmed,rejected,duplicate,contained,recovered," },
	{ "triaged", ",confirmed,rejected,duplicate,new," },
	{ "confirmed", ",fixing,fix-scheduled,fixed,rejected,duplicate," },
	{ "fixing", ",fix-scheduled,fixed,confirmed," },
	{ "fix-scheduled", ",fixing,fixed," },
	{ "fixed", ",disclosed,closed,fixing," },
	{ "disclosed", ",closed," },
	{ "rejected", ",closed,new," },
	{ "duplicate", ",closed,new," },
	{ "contained", ",recovered,closed," },
	{ "recovered", ",closed," },
	{ "closed", ",new," },
};

/* May a case go from status `from` to `to`? Waiting (pause-in)
 * statuses may be entered from any open status and left for any. */
static int
may_move(const struct clocks *ck, const char *from, const char *to)
{
	char	key[40];
	size_t	i;

	if (from == NULL || strcmp(from, to) == 0 ||
	    clocks_paused_in(ck, from))
		return 1;
	if (clocks_paused_in(ck, to))
		return strcmp(from, "closed") != 0;
	snprintf(key, sizeof(key), ",%.30s,", to);
	for (i = 0; i < sizeof(moves) / sizeof(moves[0]); i++)
		if (strcmp(moves[i].from, from) == 0)
			return strstr(moves[i].to, key) != NULL;
	return 0;
}

/* Facts people state about a case (case set KIND=VALUE, #KIND VALUE by
 * mail); a case may hold several of each. */
static const char *const fact_kinds[] = { "cve", "cwe", "cvss", "product",
	"version", "fixed", "module", "scope", "assign", "credit", "title",
	"summary", "remediation", "mitigation", "reference", "cve-mentioned",
	"affected", "workaround", "description", NULL };

/* (a case holds any number of credits: pipeline/credit.c) */
static const char *const one_fact[] = { "title", "summary", "remediation",
	"mitigation", "workaround", NULL };

int
case_fact_kind(const char *kind)
{
	return one_of(kind, fact_kinds);
}

/*
 * A CVSS vector, alone or with the score the person read from it
 * ("VECTOR 9.8" or "9.8 VECTOR"): a stated score that is not the
 * vector's is refused, since one of the two is wrong.
 */
static char *
cvss_value(const char *val, struct cvss *cv, char **why)
{
	const char	*sp = strchr(val, ' '), *vec = val, *sc = NULL;
	size_t		 vl = strlen(val);
	char		*e = NULL, *end;
	double		 d;
	long		 s10;

	if (sp) {
		if (isdigit((unsigned char)*val)) {
			sc = val;
			vec = sp + 1 + strspn(sp + 1, " ");
			vl = strlen(vec);
		} else {
			sc = sp + 1 + strspn(sp + 1, " ");
			vl = (size_t)(sp - val);
		}
	}
	if (cvss_parse(vec, vl, CVSS_BARE, cv, &e) == -1) {
		*why = xasprintf("cvss: %s", e);
		free(e);
		return NULL;
	}
	if (sc) {
		d = strtod(sc, &end);
		if (end == sc || (sc == val ? end != sp : *end != '\0') ||
		    d < 0 || d > 10 || strspn(sc,
		    "0123456789.") != (size_t)(end - sc)) {
			*why = xasprintf("cvss: \"%.40s\" is not a score "
			    "(0.0 to 10.0)", sc);
			return NULL;
		}
		s10 = (long)(d * 10 + 0.5);
		if (s10 != cv->score10) {
			*why = xasprintf("cvss: the stated score %.1f is not "
			    "the vector's %d.%d (%s): state the vector alone, "
			    "or correct one of the two", d, cv->score10 / 10,
			    cv->score10 % 10, cv->vector);
			return NULL;
		}
	}
	return xstrdup(cv->vector);
}

/* The length of the language tag a description begins with ("zh-TW:
 * text": 5), or 0. */
static size_t
description_lang(const char *val)
{
	size_t	n = strspn(val, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");

	return n >= 2 && n <= 35 && val[n] == ':' && isalpha((unsigned
	    char)val[0]) && val[n + 1 + strspn(val + n + 1, " ")] ? n : 0;
}

/*
 * A stated value as the store keeps it (malloc'd): a CVE ID in upper
 * case, a CWE as CWE-N, a CVSS vector as it scores (*cv); NULL and *why
 * when the value is wrong.
 */
static char *
fact_value(const char *kind, const char *val, struct cvss *cv, char **why)
{
	const char	*p;
	size_t		 i;

	if (strcmp(kind, "cvss") == 0)
		return cvss_value(val, cv, why);
	if (strcmp(kind, "description") == 0 && !description_lang(val)) {
		*why = xasprintf("description: \"%.40s\" is not LANG: TEXT "
		    "(a language tag such as zh-TW, a colon, the text)", val);
		return NULL;
	}
	if (strcmp(kind, "affected") == 0) {
		struct affected	af;

		if (affected_parse(val, strlen(val), &af, why) == -1)
			return NULL;
		return affected_format(&af);
	}
	if (strcmp(kind, "cve") == 0 || strcmp(kind, "cve-mentioned") == 0) {
		/* CVE-YYYY-NNNN...: the prefix first, so that nothing is
		 * read past a shorter value */
		i = 0;
		p = val;
		if (strncasecmp(val, "CVE-", 4) == 0)
			for (i = 4; p[i] && isdigit((unsigned char)p[i]); i++)
				;
		if (i != 8 || p[i] !=
		    '-' || strlen(p + i + 1) < 4 || strlen(p + i + 1) > 19 ||
		    strspn(p + i + 1, "0123456789") != strlen(p + i + 1)) {
			*why = xasprintf("\"%s\" is not a CVE ID", val);
			return NULL;
		}
		return xasprintf("CVE-%s", val + 4);
	}
	if (strcmp(kind, "cwe") == 0) {
		p = val + (strncasecmp(val, "CWE-", 4) == 0 ? 4 : 0);
		if (*p == '\0' || strspn(p, "0123456789") != strlen(p) ||
		    strlen(p) > 6 || atoi(p) <= 0) {
			*why = xasprintf("\"%s\" is not a CWE ID", val);
			return NULL;
		}
		return xasprintf("CWE-%d", atoi(p));
	}
	for (p = val; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			break;
	if (*val == '\0' || *p || strlen(val) > 2000 ||
	    (strcmp(kind, "reference") == 0 && strncmp(val, "https://", 8) &&
	    strncmp(val, "http://", 7))) {
		*why = xasprintf("%s: %s", kind, *val == '\0' ? "empty" : *p ?
		    "a control character" : strlen(val) > 2000 ? "longer than "
		    "2000 bytes" : "not an http(s) URL");
		return NULL;
	}
	return xstrdup(val);
}

/*
 * A new affected pair against the case's others: one for the same
 * product and range replaces it (a corrected fixed version or status);
 * one that contradicts another is refused (*why, 0). 1 when it fits,
 * -1 on a store error.
 */
static int
affected_fits(struct agent *a, const char *id, const char *val, char **why,
    char **errstr)
{
	struct store_fact	*f;
	struct affected		 na, oa;
	size_t			 nf, i, npairs = 0;
	char			*e = NULL, *rn, *ro;
	int			 r = 1, same;

	if (affected_parse(val, strlen(val), &na, why) == -1)
		return 0;
	if (store_facts(a->st, id, &f, &nf, errstr) == -1)
		return -1;
	rn = affected_range(&na);
	for (i = 0; i < nf && r == 1; i++) {
		if (strcmp(f[i].kind, "affected") != 0 ||
		    affected_parse(f[i].value, strlen(f[i].value), &oa,
		    &e) == -1) {
			free(e);
			e = NULL;
			continue;
		}
		ro = affected_range(&oa);
		same = affected_same_product(&na, &oa) && strcmp(rn, ro) == 0 &&
		    strcmp(na.vendor, oa.vendor) == 0;
		free(ro);
		npairs += !same;
		if (same)
			r = store_fact_remove(a->st, id, "affected",
			    f[i].value, errstr) == -1 ? -1 : 1;
		else if (affected_conflict(&na, &oa, why))
			r = 0;
	}
	free(rn);
	store_facts_free(f, nf);
	if (r == 1 && npairs >= AFF_CASE_MAX) {
		*why = xasprintf("affected: the case holds %d pairs already "
		    "(write ranges rather than a pair per version)",
		    AFF_CASE_MAX);
		r = 0;
	}
	return r;
}

/* Remove the description in the language of val: 0, or -1. */
static int
description_drop(struct agent *a, const char *id, const char *val,
    char **errstr)
{
	struct store_fact	*f;
	size_t			 nf, i, n = description_lang(val);
	int			 r = 0;

	if (store_facts(a->st, id, &f, &nf, errstr) == -1)
		return -1;
	for (i = 0; i < nf && r == 0; i++)
		if (strcmp(f[i].kind, "description") == 0 &&
		    description_lang(f[i].value) == n &&
		    strncasecmp(f[i].value, val, n) == 0)
			r = store_fact_remove(a->st, id, "description",
			    f[i].value, errstr) == -1 ? -1 : 0;
	store_facts_free(f, nf);
	return r;
}

/* Add a stated fact: 1, 0 when the value is wrong (*why), -1. */
static int
fact_apply(struct agent *a, const char *id, const char *kind,
    const char *val, char **why, char **errstr)
{
	struct cvss	 cv;
	char		*v;
	int		 r;

	memset(&cv, 0, sizeof(cv));
	if ((v = fact_value(kind, val, &cv, why)) == NULL)
		return 0;
	if (strcmp(kind, "affected") == 0 && (r = affected_fits(a, id, v, why,
	    errstr)) != 1) {
		free(v);
		return r;
	}
	/* one description per language: the new one replaces */
	if (strcmp(kind, "description") == 0 && description_drop(a, id, v,
	    errstr) == -1) {
		free(v);
		return -1;
	}
	/* one of these at a time: the new one replaces */
	r = (one_of(kind, one_fact) && store_fact_remove(a->st, id, kind,
	    NULL, errstr) == -1) || store_fact_add(a->st, id, kind, v,
	    cv.version, cv.score10, NULL, errstr) == -1 ||
	    (strcmp(kind, "cvss") == 0 && assess_severity(a, id,
	    errstr) == -1) ? -1 : 1;
	free(v);
	return r;
}

/*
 * cve=ID and cve-mentioned=ID move an ID between the case's CVEs and
 * the ones its reports cite in passing: the other kind's fact goes (a
 * cve-promoted or cve-demoted event says so), and a cited one the agent
 * recorded is dropped so that the staff's own is stored (no queue ID):
 * mail never promotes that one again (assess.c). Before fact_apply(),
 * which adds the fact and judges the value. 0, or -1.
 */
static int
cve_move(struct agent *a, const char *id, const char *kind, const char *val,
    const char *actor, char **errstr)
{
	struct cvss	 cv;
	char		*v, *why = NULL, *d;
	int		 demote, r;

	if (strcmp(kind, "cve") && strcmp(kind, "cve-mentioned"))
		return 0;
	if ((v = fact_value(kind, val, &cv, &why)) == NULL) {
		free(why);	/* fact_apply() says why */
		return 0;
	}
	demote = strcmp(kind, "cve-mentioned") == 0;
	if ((r = store_fact_remove(a->st, id, demote ? "cve" :
	    "cve-mentioned", v, errstr)) > 0) {
		d = xasprintf(demote ? "%s: cited in passing, no longer the "
		    "case's CVE" : "%s: the case's CVE, no longer cited in "
		    "passing", v);
		r = store_event_add(a->st, id, demote ? "cve-demoted" :
		    "cve-promoted", d, actor, errstr);
		free(d);
	}
	if (r != -1 && demote && store_fact_remove(a->st, id, "cve-mentioned",
	    v, errstr) == -1)
		r = -1;
	free(v);
	return r == -1 ? -1 : 0;
}

/*
 * "unset=KIND", "unset=KIND=VALUE" or (by mail) "unset=KIND VALUE":
 * remove that value, or every value of the kind. 1, 0 when there is
 * nothing to remove or the kind is wrong (*why), -1.
 */
static int
fact_unset(struct agent *a, const char *id, const char *arg, char **why,
    char **errstr)
{
	struct cvss	 cv;
	char		*kind, *val = NULL, *v = NULL;
	size_t		 k = strcspn(arg, "= \t");
	int		 r;

	kind = xstrndup(arg, k);
	if (arg[k])
		val = xstrdup(arg + k + 1 + strspn(arg + k + 1, " \t"));
	memset(&cv, 0, sizeof(cv));
	r = 0;
	if (!case_fact_kind(kind))
		*why = xasprintf("unset %s: not a kind of fact", kind);
	else if (strcmp(kind, "credit") == 0)
		*why = xstrdup("unset credit: credits are removed by number: "
		    "credit-remove=N or credit-remove=all");
	else if (val && *val && (v = fact_value(kind, val, &cv, why)) == NULL)
		;
	else if ((r = store_fact_remove(a->st, id, kind, v, errstr)) == 0)
		*why = xasprintf("unset %s%s%s: the case has no such fact",
		    kind, v ? " " : "", v ? v : "");
	else if (r > 0)
		r = strcmp(kind, "cvss") == 0 && assess_severity(a, id,
		    errstr) == -1 ? -1 : 1;
	free(kind);
	free(val);
	free(v);
	return r;
}

/* "GROUP" or "GROUP: TEXT", TEXT one line of at most 500 bytes: NULL,
 * or why not. */
static char *
overrun_why(const char *kv, const char *v)
{
	const char	*p;

	if (clocks_overrun_group(v) == -1)
		return xasprintf("\"%.60s\": overrun-reason starts with "
		    "resources, third-party or process, then optionally a "
		    "colon and what happened (third-party: waiting for the "
		    "vendor)", kv);
	if ((p = strchr(v, ':')) == NULL)
		return NULL;
	for (p++; *p == ' '; p++)
		;
	if (*p == '\0')
		return xasprintf("overrun-reason: nothing after the colon "
		    "(give what happened, or the group alone)");
	if (strlen(p) > 500)
		return xstrdup("overrun-reason: the text is longer than 500 "
		    "bytes");
	for (; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return xstrdup("overrun-reason: a control character "
			    "in the text (one line)");
	return NULL;
}

static int
one_of(const char *v, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(v, *list) == 0)
			return 1;
	return 0;
}

/* The keys that are not facts, and what each takes. */
static const char *const takes[][2] = {
	{ "severity", "critical, high, medium or low" },
	{ "kind", "vulnerability or incident" },
	{ "tlp", "CLEAR, GREEN, AMBER, AMBER+STRICT or RED" },
	{ "level", "1, 2, 3 or 4 (incidents)" },
	{ "pause", "a reason" },
	{ "resume", "no value" },
	{ "embargo", "a time: @EPOCH or YYYY-MM-DD[THH:MM[:SS]Z]" },
	{ "met", "a clock: triage, fix, disclosure, incident, "
	  "reassessment, improvement-mid or improvement-long" },
	{ "unset", "a fact kind, or KIND:VALUE" },
	{ "hold", "yes or no (legal hold, by the operator)" },
	{ "overrun-reason", "resources, third-party or process, and after "
	  "a colon what happened (third-party: waiting for the vendor)" },
	{ "credit-confirm", "a credit's number (case show) or all" },
	{ "credit-remove", "a credit's number (case show) or all" },
};

size_t
case_keys(const char **v, size_t max)
{
	size_t	i, n = 0;

	if (n < max)
		v[n++] = "status";
	for (i = 0; i < sizeof(takes) / sizeof(takes[0]) && n < max; i++)
		v[n++] = takes[i][0];
	for (i = 0; fact_kinds[i] && n < max; i++)
		v[n++] = fact_kinds[i];
	return n;
}

/*
 * Why case set refuses KEY=VALUE: an unknown key (and the nearest
 * known), or what the key takes.
 */
static char *
refused(const char *kv, const char *key, const char *val,
    const struct clocks *ck)
{
	const char	*keys[sizeof(takes) / sizeof(takes[0]) + 1 + 32];
	const char	*st[32];
	struct buf	 b;
	size_t		 i, n = 0;

	if (strcmp(key, "status") == 0) {
		buf_init(&b);
		for (i = 0; case_statuses[i] && n < 31; i++)
			st[n++] = case_statuses[i];
		for (i = 0; i < ck->npause && n < 31; i++)
			st[n++] = ck->pause_in[i];
		st[n] = NULL;
		buf_printf(&b, "\"%s\": ", kv);
		if (val)
			buf_printf(&b, "unknown status \"%s\"%s", val,
			    nearest_hint(val, st, n));
		else
			buf_puts(&b, "status needs a value");
		buf_puts(&b, "; the statuses:");
		for (i = 0; i < n; i++)
			buf_printf(&b, "%s %s", i ? "," : "", st[i]);
		return buf_release(&b);
	}
	for (i = 0; i < sizeof(takes) / sizeof(takes[0]); i++)
		if (strcmp(key, takes[i][0]) == 0)
			return xasprintf("\"%s\": %s takes %s", kv, key,
			    takes[i][1]);
	if (case_fact_kind(key))
		return xasprintf("\"%s\": %s needs a value", kv, key);
	n = case_keys(keys, sizeof(keys) / sizeof(keys[0]));
	return xasprintf("\"%s\": unknown key \"%s\"%s", kv, key,
	    nearest_hint(key, keys, n));
}

int
case_apply(struct agent *a, const char *id, char *const *kv, size_t n,
    const char *actor, long long now, char **errstr)
{
	static const char *const sev[] = { "critical", "high", "medium",
	    "low", NULL };
	static const char *const kinds[] = { "vulnerability", "incident",
	    NULL };
	static const char *const tlps[] = { "CLEAR", "GREEN", "AMBER",
	    "AMBER+STRICT", "RED", NULL };
	const struct clocks	*ck = policy_clocks(a->pol);
	struct store_case	 c;
	struct store_deadline	 d;
	char			*key, *val, *eq, *why = NULL;
	long long		 t;
	size_t			 i;
	int			 r, lv;

	if ((r = store_case_get(a->st, id, &c, errstr)) != 1) {
		if (r == 0)
			*errstr = xasprintf("no case %s", id);
		return -1;
	}
	for (i = 0; i < n && why == NULL; i++) {
		key = xstrdup(kv[i]);
		val = (eq = strchr(key, '=')) ? eq + 1 : NULL;
		if (eq)
			*eq = '\0';
		r = 0;
		if (strcmp(key, "severity") == 0 && val && one_of(val, sev))
			r = store_case_set(a->st, c.id, "severity", val,
			    errstr) == -1 || store_case_set(a->st, c.id,
			    "severity_by", "staff", errstr) == -1 ? -1 : 1;
		else if (strcmp(key, "kind") == 0 && val && one_of(val, kinds))
			r = store_case_set(a->st, c.id, "kind", val, errstr) ==
			    -1 ? -1 : 1;
		else if (strcmp(key, "tlp") == 0 && val && one_of(val, tlps))
			r = store_case_set(a->st, c.id, "tlp", val, errstr) ==
			    -1 ? -1 : 1;
		else if (strcmp(key, "status") == 0 && val &&
		    (one_of(val, case_statuses) || clocks_paused_in(ck, val))) {
			if (!may_move(ck, c.status, val)) {
				why = xasprintf("\"%s\": a case in status %s "
				    "cannot go to %s", kv[i], c.status, val);
				free(key);
				break;
			}
			r = store_case_set(a->st, c.id, "status", val,
			    errstr) == -1 ? -1 : 1;
			/* reopened: the clocks the policy says run again */
			if (r == 1 && clocks_reopening(c.status, val) &&
			    deadline_reopen(a, c.id, c.status, now, actor,
			    errstr) == -1)
				r = -1;
			free(c.status);
			c.status = xstrdup(val);
			/* the communication point the policy marks; C
			 * and I of the step are told */
			if (r == 1 && policy_reply_on(a->pol, val) &&
			    status_reply(a, c.id, policy_reply_on(a->pol,
			    val), NULL, actor, errstr) == -1)
				r = -1;
			if (r == 1 && status_notice(a, &c, val, actor,
			    errstr) == -1)
				r = -1;
		}
		else if (strcmp(key, "level") == 0 && val && strlen(val) == 1 &&
		    val[0] >= '1' && val[0] <= '4') {
			lv = val[0] - '0';
			r = store_case_set_level(a->st, c.id, lv, errstr) ==
			    -1 ? -1 : 1;
			/* a new level is the re-assessment */
			if (r == 1 && (r = store_deadline_get(a->st, c.id,
			    "reassessment", &d, errstr)) == 1 &&
			    strcmp(d.state, "met") != 0) {
				free(d.state);
				d.state = xstrdup("met");
				d.ended_at = now;
				d.next_at = 0;
				r = store_deadline_put(a->st, &d, errstr) ==
				    -1 || store_event_add(a->st, c.id,
				    "deadline-met", "reassessment deadline met "
				    "(level set)", actor, errstr) == -1 ? -1 : 1;
			} else if (r == 0)
				r = 1;
			store_deadline_free(&d);
		} else if (strcmp(key, "hold") == 0) {
			/* legal hold: the operator's alone, not by mail */
			if (val == NULL || strcmp(actor, "operator") != 0 ||
			    (strcmp(val, "yes") && strcmp(val, "no"))) {
				why = xasprintf("\"%s\": hold is yes or no, "
				    "set by the operator (case set ID "
				    "hold=yes): a case under legal hold is "
				    "never expired", kv[i]);
				free(key);
				break;
			}
			r = store_case_set(a->st, c.id, "hold", strcmp(val,
			    "yes") == 0 ? "yes" : NULL, errstr) == -1 ? -1 : 1;
		} else if (strcmp(key, "overrun-reason") == 0 && val) {
			if ((why = overrun_why(kv[i], val)) != NULL) {
				free(key);
				break;
			}
			/* one at a time: the new one replaces */
			r = store_fact_remove(a->st, c.id, key, NULL,
			    errstr) == -1 || store_fact_add(a->st, c.id, key,
			    val, 0, 0, NULL, errstr) == -1 ? -1 : 1;
		} else if (strcmp(key, "pause") == 0 && val && *val)
			r = store_case_set(a->st, c.id, "paused", val,
			    errstr) == -1 ? -1 : 1;
		else if (strcmp(key, "resume") == 0 && val == NULL)
			r = store_case_set(a->st, c.id, "paused", NULL,
			    errstr) == -1 ? -1 : 1;
		else if (strcmp(key, "embargo") == 0 && val &&
		    fmt_parse_time(val, &t) == 0)
			r = store_case_set_embargo(a->st, c.id, t, errstr) ==
			    -1 ? -1 : 1;
		else if (strcmp(key, "met") == 0 && val &&
		    clock_by_name(val) != -1) {
			if ((r = store_deadline_get(a->st, c.id, val, &d,
			    errstr)) == 1 && strcmp(d.state, "met") != 0) {
				free(d.state);
				d.state = xstrdup("met");
				d.ended_at = now;
				d.next_at = 0;
				r = store_deadline_put(a->st, &d, errstr) ==
				    -1 ? -1 : 1;
			} else if (r == 1 || r == 0) {
				why = xasprintf("met=%s: the case has no "
				    "running %s deadline", val, val);
				r = 0;
			}
			store_deadline_free(&d);
		} else if (credit_key(key))
			r = credit_apply(a, c.id, key, val, &why, errstr);
		else if (strcmp(key, "unset") == 0 && val && *val)
			r = fact_unset(a, c.id, val, &why, errstr);
		else if (val && case_fact_kind(key))
			r = cve_move(a, c.id, key, val, actor, errstr) == -1 ?
			    -1 : fact_apply(a, c.id, key, val, &why, errstr);
		else
			why = refused(kv[i], key, val, ck);
		if (r == 1 && store_event_add(a->st, c.id, strcmp(key,
		    "pause") == 0 ? "paused" : strcmp(key, "resume") == 0 ?
		    "resumed" : "case-set", kv[i], actor, errstr) == -1)
			r = -1;
		free(key);
		if (r == -1) {
			store_case_free(&c);
			return -1;
		}
	}
	if (why) {
		*errstr = why;
		store_case_free(&c);
		return -1;
	}
	r = deadline_update(a, c.id, now, actor, errstr);
	store_case_free(&c);
	return r;
}

/* After a merge, an ID one case cited and the other had as its CVE is
 * the merged case's CVE only. 0, or -1. */
static int
cve_merged(struct agent *a, const char *id, char **errstr)
{
	struct store_fact	*f;
	size_t			 n, i, k;
	int			 r = 0;

	if (store_facts(a->st, id, &f, &n, errstr) == -1)
		return -1;
	for (i = 0; r == 0 && i < n; i++) {
		if (strcmp(f[i].kind, "cve-mentioned") != 0)
			continue;
		for (k = 0; k < n; k++)
			if (strcmp(f[k].kind, "cve") == 0 &&
			    strcmp(f[k].value, f[i].value) == 0)
				break;
		if (k < n && store_fact_remove(a->st, id, "cve-mentioned",
		    f[i].value, errstr) == -1)
			r = -1;
	}
	store_facts_free(f, n);
	return r;
}

int
case_merge_apply(struct agent *a, const char *into, const char *from,
    const char *actor, char **errstr)
{
	struct store_case	 ca, cb;
	char			*d;
	int			 ra, rb, rv = -1;

	memset(&ca, 0, sizeof(ca));
	memset(&cb, 0, sizeof(cb));
	if ((ra = store_case_get(a->st, into, &ca, errstr)) == -1 ||
	    (rb = store_case_get(a->st, from, &cb, errstr)) == -1)
		goto out;
	if (ra == 0 || rb == 0 || strcmp(ca.id, cb.id) == 0) {
		*errstr = xstrdup(ra == 0 ? "no such case (the first)" :
		    rb == 0 ? "no such case (the second)" :
		    "that is one case already");
		rv = 1;
		goto out;
	}
	d = xasprintf("%s merged into %s", cb.id, ca.id);
	if (store_case_merge(a->st, ca.id, cb.id, errstr) == -1 ||
	    cve_merged(a, ca.id, errstr) == -1 ||
	    (cb.tlp && triage_tlp_parse(cb.tlp) > (ca.tlp ?
	    triage_tlp_parse(ca.tlp) : TLP_NONE) && store_case_set(a->st,
	    ca.id, "tlp", cb.tlp, errstr) == -1) ||
	    assess_severity(a, ca.id, errstr) == -1 ||
	    store_event_add(a->st, ca.id, "case-merged", d, actor,
	    errstr) == -1 || deadline_update(a, cb.id, fmt_now(), actor,
	    errstr) == -1 || deadline_update(a, ca.id, fmt_now(), actor,
	    errstr) == -1) {
		free(d);
		goto out;
	}
	log_set_id(ca.id);
	log_info("%s", d);
	if (strcmp(actor, "operator") == 0)
		printf("%s\n", d);
	free(d);
	rv = 0;
out:
	store_case_free(&ca);
	store_case_free(&cb);
	return rv;
}
