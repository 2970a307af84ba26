/*
 * report.c: `psirt-agent report [--from DATE] [--to DATE] [--format
 * text|csv|json|html]`, the guideline's Check phase (3.3, 3.4.2) over
 * the cases registered in a period:
 *   - counts by kind, source, severity, status, incident level, TLP,
 *     CWE, product, module and scope, and a trend per month;
 *   - the time each step took (acknowledge, triage, fix, disclosure by
 *     severity; recovery by incident level): median, mean, p90, against
 *     the policy's deadline, with the share met on time; a rejected,
 *     duplicate or merged case leaves fix, disclosure and recovery (its
 *     clocks ended with the status, not the work);
 *   - overdue and paused cases, exceptions;
 *   - conformance: cases missing a step or record their status needs;
 *   - reporters, and the KPIs: the response time is a person's first
 *     answer to the reporter (store_report_cases), never the automatic
 *     acknowledgement; missed deadlines grouped by the case's overrun
 *     reason. Each figure's definition is one line of report_defs[].
 * One ordered scan of the store (store_report_cases), then four
 * renderings of the same figures. Times are calendar seconds from a
 * clock's start to its end; "on time" is the clock's own judgement
 * (business time, pauses). Medians of an even count are the mean of the
 * middle two rounded down; p90 is the nearest rank; means are rounded
 * half up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "agent/agent.h"
#include "util/log.h"
#include "util/buf.h"
#include "util/fmt.h"
#include "util/xmalloc.h"
#include "parsers/affected.h"
#include "policies/clocks.h"
#include "policies/policy.h"
#include "policies/raci.h"
#include "spool/store.h"
#include "spool/store_find.h"
#include "spool/store_report.h"

#include "reports/report.h"

cmd_fn	cmd_report;

const char *const step_name[NSTEP] = { "acknowledge", "triage",
	"fix", "disclosure", "recovery" };

const char *const step_zh[NSTEP] = { "確認回覆", "初步分析",
	"修補", "揭露", "復原" };

const char *const sev_group[NGROUP] = { "critical", "high",
	"medium", "low", "none" };

const char *const lvl_group[NGROUP] = { "level-4", "level-3",
	"level-2", "level-1", "unknown" };

const char *const dim_name[NDIM] = { "kind", "source", "severity",
	"status", "level", "tlp", "cwe", "product", "module", "scope" };

const char *const dim_zh[NDIM] = { "類別", "來源", "風險等級",
	"狀態", "事件等級", "TLP", "弱點類型 (CWE)", "產品", "模組",
	"影響範圍" };

/*
 * The figures' definitions, one line each; the manual (psirt-agent(8),
 * REPORT) copies the English lines word for word (tested).
 */
const struct report_def report_defs[] = {
	{ "acknowledge", "Acknowledgement time: from a report's arrival to "
	  "the first mail the agent sent about it (usually the automatic "
	  "acknowledgement).", "確認回覆時間：自通報送達至本系統就該案寄出第一封"
	  "郵件（通常為自動確認信）。" },
	{ "response_seconds", "Response time: from a report's arrival to the "
	  "first answer a person sent the reporter (a status reply, a #reply "
	  "or #ask, a member's mail to the reporter copying the agent), never "
	  "the automatic acknowledgement; mean, median and p90 over the cases "
	  "answered.", "回應時間：自通報送達至有人回覆通報者（狀態回覆、#reply "
	  "或 #ask、成員寄給通報者並副本本系統之郵件）為止，不含自動確認信；為已回覆"
	  "案件之平均、中位數與第 90 百分位。" },
	{ "mean_handling_seconds", "Handling time: from a report's arrival to "
	  "its fix (a vulnerability) or recovery (an incident), the mean over "
	  "the cases that got there; rejected, duplicate and merged cases are "
	  "left out.", "處理時間：自通報送達至修補完成（弱點）或復原（事件），為已"
	  "完成案件之平均；不含已駁回、重複與已合併案件。" },
	{ "fix_on_time", "Fixes on time: of the fix deadlines ended, the share "
	  "ended by their due time (as the clock counts, in business time and "
	  "pauses where the policy says); rejected, duplicate and merged cases "
	  "are left out.", "如期修補：已結束之修補期限中，於期限內完成之比例（依政策"
	  "之營業時間與暫停計算）；不含已駁回、重複與已合併案件。" },
	{ "advisory_timeliness", "Advisories on time: of the disclosure "
	  "deadlines ended, the share ended by their due time; rejected, "
	  "duplicate and merged cases are left out.", "如期公告：已結束之揭露期限"
	  "中，於期限內完成之比例；不含已駁回、重複與已合併案件。" },
	{ "report_quality", "Report quality: of the reports triaged, the share "
	  "neither rejected nor a duplicate.", "通報品質：已完成初步分析之通報中，"
	  "未被駁回且非重複之比例。" },
	{ "overruns", "Overruns: deadlines missed (ended after their due time, "
	  "or running past it), grouped by the case's overrun reason "
	  "(resources, third-party, process, or none given); fix and "
	  "disclosure deadlines of rejected, duplicate and merged cases are "
	  "left out.", "逾期原因：未於期限內完成之期限（逾期結束或逾期仍進行中），依"
	  "案件之逾期原因分組（資源、第三方、流程，或未說明）；不含已駁回、重複與已"
	  "合併案件之修補與揭露期限。" },
};
const size_t report_ndefs = sizeof(report_defs) / sizeof(report_defs[0]);

const char *const gap_name[NGAP] = { "acknowledgement", "severity",
	"cvss", "cwe", "product", "fix-record", "cve", "incident-level",
	"exception-approval" };


static void
series_add(struct series *s, long long v)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = xreallocarray(s->v, s->cap, sizeof(*s->v));
	}
	s->v[s->n++] = v < 0 ? 0 : v;
}

static int
ll_cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* After the scan: sorted, so that median and p90 are positions. */
long long
report_median(const struct series *s)
{
	return s->n % 2 ? s->v[s->n / 2] : (s->v[s->n / 2 - 1] +
	    s->v[s->n / 2]) / 2;
}

long long
report_mean(const struct series *s)
{
	long long	sum = 0;
	size_t		i;

	for (i = 0; i < s->n; i++)
		sum += s->v[i];
	return (sum + (long long)s->n / 2) / (long long)s->n;
}

long long
report_p90(const struct series *s)
{
	return s->v[(9 * s->n + 9) / 10 - 1];
}

static size_t
hash(const char *s)
{
	size_t	h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void
count_add(struct counts *c, const char *key)
{
	size_t	i, k;

	if (2 * (c->n + 1) > c->nslot) {	/* grow, rehash */
		free(c->slot);
		c->nslot = c->nslot ? c->nslot * 2 : 64;
		c->slot = xcalloc(c->nslot, sizeof(*c->slot));
		for (i = 0; i < c->n; i++) {
			for (k = hash(c->v[i].key) & (c->nslot - 1);
			    c->slot[k]; k = (k + 1) & (c->nslot - 1))
				;
			c->slot[k] = i + 1;
		}
	}
	for (k = hash(key) & (c->nslot - 1); c->slot[k];
	    k = (k + 1) & (c->nslot - 1))
		if (strcmp(c->v[c->slot[k] - 1].key, key) == 0) {
			c->v[c->slot[k] - 1].count++;
			return;
		}
	c->v = xreallocarray(c->v, c->n + 1, sizeof(*c->v));
	c->v[c->n].key = xstrdup(key);
	c->v[c->n++].count = 1;
	c->slot[k] = c->n;
}

static int
count_cmp(const void *a, const void *b)
{
	const struct store_count *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->key, y->key);
}

/*
 * The dimensions with a rank, most serious first: their keys are listed
 * in this order in every format (bars, lines, rows), not by count; a key
 * not in the table (none should be) follows them, by count.
 */
#define NRANK	6
static const char *const rank[NDIM][NRANK] = {
	[D_SEVERITY] = { "critical", "high", "medium", "low", "none" },
	[D_TLP] = { "RED", "AMBER+STRICT", "AMBER", "GREEN", "CLEAR", "none" },
	[D_LEVEL] = { "4", "3", "2", "1", "unknown" },
};

/* Counts sorted by count (count_cmp): the ranked keys to the front, in
 * rank order (keys are unique). */
static void
rank_order(struct counts *c, const char *const *order)
{
	struct store_count	t;
	size_t			i, k, at = 0;

	for (i = 0; i < NRANK && order[i]; i++)
		for (k = at; k < c->n; k++)
			if (strcmp(c->v[k].key, order[i]) == 0) {
				t = c->v[k];
				memmove(&c->v[at + 1], &c->v[at], (k - at) *
				    sizeof(*c->v));
				c->v[at++] = t;
				break;
			}
}

static struct month *
month_of(struct report *r, long long t)
{
	char	k[8];
	size_t	i;

	fmt_utc(t, "%Y-%m", k, sizeof(k));
	for (i = 0; i < r->nmon; i++)
		if (strcmp(r->mon[i].key, k) == 0)
			return &r->mon[i];
	r->mon = xreallocarray(r->mon, r->nmon + 1, sizeof(*r->mon));
	memset(&r->mon[r->nmon], 0, sizeof(*r->mon));
	memcpy(r->mon[r->nmon].key, k, sizeof(k));
	return &r->mon[r->nmon++];
}

static int
month_cmp(const void *a, const void *b)
{
	return strcmp(((const struct month *)a)->key,
	    ((const struct month *)b)->key);
}

static int
sev_index(const char *sev)
{
	int	i;

	for (i = 0; sev && i < NGROUP - 1; i++)
		if (strcmp(sev, sev_group[i]) == 0)
			return i;
	return NGROUP - 1;
}

/* One clock of a case into its series; 1 if it missed its deadline
 * (ended late, or running past due). */
static int
clock_add(struct report *r, struct series *s, const struct store_rcase *c,
    int k)
{
	if (c->clk[k].state == NULL)
		return 0;
	if (strcmp(c->clk[k].state, "met") == 0 && c->clk[k].ended_at) {
		series_add(s, c->clk[k].ended_at - c->clk[k].started_at);
		if (c->clk[k].ended_at <= c->clk[k].due_at) {
			s->on_time++;
			return 0;
		}
		return 1;
	}
	if (strcmp(c->clk[k].state, "met") == 0)
		return 0;
	s->running++;
	if (strcmp(c->clk[k].state, "running") == 0 && c->clk[k].due_at <
	    r->now) {
		struct late *l;

		s->overdue++;
		/* the owners come after the scan: owners() */
		r->late = xreallocarray(r->late, r->nlate + 1,
		    sizeof(*r->late));
		l = &r->late[r->nlate++];
		memset(l, 0, sizeof(*l));
		l->id = xstrdup(c->id);
		l->clock = k == 0 ? "triage" : k == 1 ? "fix" : k == 2 ?
		    "disclosure" : "incident";
		l->incident = strcmp(c->kind, "incident") == 0;
		l->severity = c->severity ? xstrdup(c->severity) : NULL;
		l->level = c->level;
		l->due_at = c->clk[k].due_at;
		return 1;
	}
	return 0;
}

/*
 * The product of the case's affected pair k into *af, 1 when no
 * product fact of the case (counted on its own, wherever it stands) and
 * no earlier pair names it already.
 */
static int
pair_product(const struct store_rcase *c, size_t k, struct affected *af)
{
	struct affected	 o;
	char		*why = NULL;
	size_t		 i;

	if (affected_parse(c->facts[k].value, strlen(c->facts[k].value), af,
	    &why) == -1) {
		free(why);
		return 0;
	}
	for (i = 0; i < c->nf; i++) {
		if (strcmp(c->facts[i].kind, "product") == 0 &&
		    strcmp(c->facts[i].value, af->product) == 0)
			return 0;
		if (i < k && strcmp(c->facts[i].kind, "affected") == 0 &&
		    affected_parse(c->facts[i].value,
		    strlen(c->facts[i].value), &o, &why) == 0 &&
		    strcmp(o.product, af->product) == 0)
			return 0;
		free(why);
		why = NULL;
	}
	return 1;
}

/* The group of the case's overrun reason (OVR_NONE: none given). */
static int
overrun_of(const struct store_rcase *c)
{
	size_t	k;
	int	g;

	for (k = 0; k < c->nf; k++)
		if (strcmp(c->facts[k].kind, "overrun-reason") == 0 &&
		    (g = clocks_overrun_group(c->facts[k].value)) != -1)
			return g;
	return OVR_NONE;
}

static int
one_of(const char *s, const char *list)
{
	char	k[40];

	snprintf(k, sizeof(k), ",%.36s,", s ? s : "");
	return strstr(list, k) != NULL;
}

static void
scan(const struct store_rcase *c, void *arg)
{
	struct report	*r = arg;
	struct month	*m;
	struct affected	 af;
	char		 lv[16];
	unsigned	 miss = 0;
	int		 sev = sev_index(c->severity), inc, reached_fixed;
	int		 reached_disclosed, assessed, g, d, out, missed;
	size_t		 k;

	inc = strcmp(c->kind, "incident") == 0;
	r->total++;
	if (!one_of(c->status, ",closed,rejected,duplicate,disclosed,"))
		r->open++;
	inc ? r->incid++ : r->vuln++;
	count_add(&r->dim[D_KIND], c->kind);
	count_add(&r->dim[D_SOURCE], c->source ? c->source : "unknown");
	count_add(&r->dim[D_SEVERITY], sev_group[sev]);
	count_add(&r->dim[D_STATUS], c->status);
	count_add(&r->dim[D_TLP], c->tlp ? c->tlp : "none");
	if (inc) {
		snprintf(lv, sizeof(lv), "%d", c->level);
		count_add(&r->dim[D_LEVEL], c->level ? lv : "unknown");
	}
	for (k = 0; k < c->nf; k++) {
		for (d = D_CWE; d < NDIM; d++)
			if (strcmp(c->facts[k].kind, dim_name[d]) == 0)
				count_add(&r->dim[d], c->facts[k].value);
		/* an affected pair names its product too, once a case */
		if (strcmp(c->facts[k].kind, "affected") == 0 &&
		    pair_product(c, k, &af))
			count_add(&r->dim[D_PRODUCT], af.product);
	}
	m = month_of(r, c->created_at);
	m->opened++;
	inc ? m->incid++ : m->vuln++;

	/* times */
	if (c->ack_at)
		series_add(&r->t[ST_ACK][sev], c->ack_at - c->created_at);
	if (c->human_at >= c->created_at && c->human_at)
		series_add(&r->human, c->human_at - c->created_at);
	/* a rejected, duplicate or merged case was never fixed nor
	 * disclosed: its clocks ended with the status, not the work */
	out = one_of(c->status, ",rejected,duplicate,merged,");
	missed = clock_add(r, &r->t[ST_TRIAGE][sev], c, 0);
	if (c->nfacts[RF_EXCEPTION] == 0 && !out) /* exceptions: own list */
		missed += clock_add(r, &r->t[ST_FIX][sev], c, 1);
	if (!out)
		missed += clock_add(r, &r->t[ST_DISCLOSURE][sev], c, 2);
	g = c->level >= 1 && c->level <= 4 ? 4 - c->level : NGROUP - 1;
	if (!out)
		missed += clock_add(r, &r->t[ST_RECOVERY][g], c, 3);
	if (missed) {
		g = overrun_of(c);
		r->overrun[g].deadlines += missed;
		r->overrun[g].cases++;
	}
	if (!out && c->clk[1].state && strcmp(c->clk[1].state, "met") == 0 &&
	    c->clk[1].ended_at && c->nfacts[RF_EXCEPTION] == 0) {
		month_of(r, c->clk[1].ended_at)->fixed++;
		if (!inc)
			series_add(&r->handling, c->clk[1].ended_at -
			    c->created_at);
	}
	if (inc && !out && c->clk[3].state && strcmp(c->clk[3].state,
	    "met") == 0 &&
	    c->clk[3].ended_at)
		series_add(&r->handling, c->clk[3].ended_at - c->created_at);
	if (c->clk[0].state && strcmp(c->clk[0].state, "met") == 0) {
		r->triaged++;
		if (!one_of(c->status, ",rejected,duplicate,"))
			r->valid++;
	}
	if (c->paused || (c->clk[1].state && strcmp(c->clk[1].state,
	    "paused") == 0)) {
		r->held = xreallocarray(r->held, r->nheld + 1,
		    sizeof(*r->held));
		r->held[r->nheld].id = xstrdup(c->id);
		r->held[r->nheld++].reason = xstrdup(c->paused ? c->paused :
		    c->status);
	}

	/* conformance: what the status reached needs on record */
	reached_fixed = one_of(c->status, ",fixed,disclosed,") ||
	    (strcmp(c->status, "closed") == 0 && c->reached_fixed);
	reached_disclosed = strcmp(c->status, "disclosed") == 0 ||
	    (strcmp(c->status, "closed") == 0 && c->reached_disclosed);
	assessed = reached_fixed || one_of(c->status,
	    ",confirmed,fixing,fix-scheduled,");
	if (c->has_reporter && c->ack_at == 0 && !c->ack_suppressed)
		miss |= 1u << G_ACK;
	if (!inc && assessed) {
		if (c->severity == NULL)
			miss |= 1u << G_SEVERITY;
		if (c->nfacts[RF_CVSS] == 0)
			miss |= 1u << G_CVSS;
		if (c->nfacts[RF_CWE] == 0)
			miss |= 1u << G_CWE;
		if (c->nfacts[RF_PRODUCT] == 0)
			miss |= 1u << G_PRODUCT;
	}
	if (!inc && reached_fixed && c->nfacts[RF_FIXED] + c->nfacts[RF_REMEDIATION] == 0)
		miss |= 1u << G_FIX;
	if (!inc && reached_disclosed && c->nfacts[RF_CVE] == 0)
		miss |= 1u << G_CVE;
	if (inc && strcmp(c->status, "new") != 0 && c->level == 0)
		miss |= 1u << G_LEVEL;
	if (c->nfacts[RF_EXCEPTION_PENDING] > c->nfacts[RF_EXCEPTION])
		miss |= 1u << G_APPROVAL;
	r->checked++;
	if (miss) {
		for (g = 0; g < NGAP; g++)
			if (miss & (1u << g))
				r->gaps[g]++;
		r->gap = xreallocarray(r->gap, r->ngap + 1, sizeof(*r->gap));
		r->gap[r->ngap].id = xstrdup(c->id);
		r->gap[r->ngap++].missing = miss;
	}
}

static void
deadline_of(struct report *r, int st, int g, const struct clock_def *d)
{
	r->deadline[st][g] = d ? d->secs : 0;
	r->business[st][g] = d ? d->business : 0;
	r->bdays[st][g] = d ? d->bdays : 0;
}

static void
deadlines(struct report *r, const struct clocks *ck)
{
	int	g;

	for (g = 0; g < NGROUP; g++) {
		deadline_of(r, ST_TRIAGE, g, &ck->triage);
		deadline_of(r, ST_FIX, g, g < 4 ? &ck->fix[g] : NULL);
		deadline_of(r, ST_DISCLOSURE, g, &ck->disclosure);
		/* an incident of no level yet runs on level 0's clock */
		deadline_of(r, ST_RECOVERY, g, &ck->incident[g < 4 ? 4 - g :
		    0]);
	}
}

const char *
report_group_name(int step, int g)
{
	return step == ST_RECOVERY ? lvl_group[g] : sev_group[g];
}

long long
report_ended(const struct series *s)
{
	return (long long)s->n;
}


void
report_kpis(const struct report *r, long long *resp, long long *handling,
    long long *fix_ok, long long *fix_n, long long *adv_ok, long long *adv_n)
{
	int		g;

	*fix_ok = *fix_n = *adv_ok = *adv_n = 0;
	for (g = 0; g < NGROUP; g++) {
		*fix_ok += r->t[ST_FIX][g].on_time;
		*fix_n += report_ended(&r->t[ST_FIX][g]);
		*adv_ok += r->t[ST_DISCLOSURE][g].on_time;
		*adv_n += report_ended(&r->t[ST_DISCLOSURE][g]);
	}
	/* a person's first answer: the acknowledgement is automatic */
	*resp = r->human.n ? report_mean(&r->human) : -1;
	*handling = r->handling.n ? report_mean(&r->handling) : -1;
}

/*
 * The owner of each overdue clock: the case's assignees ("assign"
 * facts, in the order stated), or else the R roles of the clock's task
 * in the policy's team (whom its escalation goes to first). The list is
 * in case ID order (the scan's) as the facts are: one merge. Then most
 * late first.
 */
struct assign_walk {
	struct report	*r;
	size_t		 i;
};

static int
assign_cb(void *arg, const char *id, const char *kind, const char *value)
{
	struct assign_walk	*w = arg;
	struct late		*l;
	size_t			 k;
	char			*o;

	(void)kind;
	while (w->i < w->r->nlate && strcmp(w->r->late[w->i].id, id) < 0)
		w->i++;
	for (k = w->i; k < w->r->nlate && strcmp(w->r->late[k].id, id) == 0;
	    k++) {
		l = &w->r->late[k];
		o = l->owner ? xasprintf("%s, %s", l->owner, value) :
		    xstrdup(value);
		free(l->owner);
		l->owner = o;
		l->assigned = 1;
	}
	return 0;
}

static int
late_cmp(const void *a, const void *b)
{
	const struct late *x = a, *y = b;
	int	c;

	if (x->due_at != y->due_at)
		return x->due_at < y->due_at ? -1 : 1;
	if ((c = strcmp(x->id, y->id)) != 0)
		return c;
	return strcmp(x->clock, y->clock);
}

static int
owners(struct report *r, const struct raci *team, struct store *st,
    char **errstr)
{
	const struct raci_task	*t;
	struct assign_walk	 w = { r, 0 };
	struct buf		 o;
	size_t			 i, k;

	if (r->nlate && store_facts_each(st, "assign", assign_cb, &w,
	    errstr) == -1)
		return -1;
	for (i = 0; i < r->nlate; i++) {
		if (r->late[i].owner)
			continue;
		t = raci_task(team, clock_task((enum clock_id)clock_by_name(
		    r->late[i].clock)));
		if (t == NULL || t->nr == 0)
			continue;
		buf_init(&o);
		for (k = 0; k < t->nr; k++)
			buf_printf(&o, "%s%s", k ? ", " : "", t->r[k]);
		r->late[i].owner = xstrdup(o.s);
		buf_free(&o);
	}
	if (r->nlate)
		qsort(r->late, r->nlate, sizeof(*r->late), late_cmp);
	return 0;
}

static void
report_free(struct report *r)
{
	size_t	i;
	int	d, st, g;

	for (d = 0; d < NDIM; d++) {
		store_counts_free(r->dim[d].v, r->dim[d].n);
		free(r->dim[d].slot);
	}
	for (st = 0; st < NSTEP; st++)
		for (g = 0; g < NGROUP; g++)
			free(r->t[st][g].v);
	free(r->handling.v);
	free(r->human.v);
	free(r->mon);
	for (i = 0; i < r->nlate; i++) {
		free(r->late[i].id);
		free(r->late[i].severity);
		free(r->late[i].owner);
	}
	free(r->late);
	for (i = 0; i < r->nheld; i++) {
		free(r->held[i].id);
		free(r->held[i].reason);
	}
	free(r->held);
	for (i = 0; i < r->ngap; i++)
		free(r->gap[i].id);
	free(r->gap);
	store_exceptions_free(r->exc, r->nexc);
	store_counts_free(r->top, r->ntop);
}

static int
usage(void)
{
	fprintf(stderr, "usage: psirt-agent report [--from DATE] [--to DATE] "
	    "[--format text|csv|json|html]\n");
	return EX_USAGE;
}

int
cmd_report(struct agent *a, int argc, char **argv)
{
	struct report	 r;
	struct buf	 b;
	const char	*format = "text";
	char		*err = NULL;
	int		 i, d, st, g, rv = EX_TEMPFAIL;

	memset(&r, 0, sizeof(r));
	r.now = fmt_now();
	r.to = FAR_FUTURE;
	for (i = 1; i < argc; i++) {
		if (i + 1 == argc)
			return usage();
		if (strcmp(argv[i], "--format") == 0 && (strcmp(argv[i + 1],
		    "text") == 0 || strcmp(argv[i + 1], "csv") == 0 ||
		    strcmp(argv[i + 1], "json") == 0 || strcmp(argv[i + 1],
		    "html") == 0))
			format = argv[++i];
		else if ((strcmp(argv[i], "--from") == 0 || strcmp(argv[i],
		    "--to") == 0) && fmt_parse_time(argv[i + 1], argv[i][2] ==
		    'f' ? &r.from : &r.to) == 0) {
			/* a date alone: --to takes in the whole day */
			if (argv[i][2] == 't' && strlen(argv[i + 1]) == 10)
				r.to += 86400;
			i++;
		} else {
			fprintf(stderr, "report: bad option or value: %s %s\n",
			    argv[i], argv[i + 1]);
			return usage();
		}
	}
	deadlines(&r, policy_clocks(a->pol));
	if (store_report_cases(a->st, r.from, r.to, scan, &r, &err) == -1)
		goto out;
	if (owners(&r, policy_raci(a->pol), a->st, &err) == -1 ||
	    store_report_exceptions(a->st, r.from, r.to, &r.exc, &r.nexc,
	    &err) == -1 || store_report_reporters(a->st, r.from, r.to, &r.rs,
	    &r.top, &r.ntop, &err) == -1)
		goto out;
	for (d = 0; d < NDIM; d++)
		if (r.dim[d].n) {
			qsort(r.dim[d].v, r.dim[d].n, sizeof(*r.dim[d].v),
			    count_cmp);
			rank_order(&r.dim[d], rank[d]);
		}
	for (st = 0; st < NSTEP; st++)
		for (g = 0; g < NGROUP; g++)
			if (r.t[st][g].n)
				qsort(r.t[st][g].v, r.t[st][g].n,
				    sizeof(long long), ll_cmp);
	if (r.human.n)
		qsort(r.human.v, r.human.n, sizeof(long long), ll_cmp);
	if (r.nmon)
		qsort(r.mon, r.nmon, sizeof(*r.mon), month_cmp);
	buf_init(&b);
	if (strcmp(format, "json") == 0)
		render_json(&r, &b);
	else if (strcmp(format, "csv") == 0)
		render_csv(&r, &b);
	else if (strcmp(format, "html") == 0)
		render_html(&r, &b);
	else
		render_text(&r, &b);
	fwrite(b.s, 1, b.len, stdout);
	buf_free(&b);
	rv = fflush(stdout) ? EX_IOERR : EX_OK;
out:
	if (err) {
		log_warnx("report: %s", err);
		free(err);
	}
	report_free(&r);
	return rv;
}
