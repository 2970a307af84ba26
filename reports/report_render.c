/*
 * report_render.c: the figures of a report (report.c) as JSON, CSV,
 * text and one self-contained HTML page with inline SVG.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/fmt.h"
#include "util/json.h"
#include "util/markup.h"

#include "reports/report.h"

/* A share as a number with four decimals, or null. */
static void
json_share(struct json *j, const char *key, long long part, long long all)
{
	char	s[32];

	json_key(j, key);
	if (all == 0) {
		json_null(j);
		return;
	}
	snprintf(s, sizeof(s), "%.4f", (double)part / (double)all);
	json_raw(j, s);
}

static void
json_time(struct json *j, const char *key, long long t)
{
	char	s[32];

	fmt_utc(t, ISO_FMT, s, sizeof(s));
	json_kstr(j, key, s);
}

/* "response_seconds": a person's first answer, {mean, median, p90, n} */
static void
json_response(struct json *j, const struct report *r)
{
	const struct series *s = &r->human;

	json_key(j, "response_seconds");
	json_obj_begin(j);
	json_key(j, "mean");
	s->n ? json_int(j, report_mean(s)) : json_null(j);
	json_key(j, "median");
	s->n ? json_int(j, report_median(s)) : json_null(j);
	json_key(j, "p90");
	s->n ? json_int(j, report_p90(s)) : json_null(j);
	json_kint(j, "n", (long long)s->n);
	json_obj_end(j);
}

/* "overruns": per reason group, the deadlines missed and their cases */
static void
json_overruns(struct json *j, const struct report *r)
{
	int	g;

	json_key(j, "overruns");
	json_obj_begin(j);
	for (g = 0; g < OVR_MAX; g++) {
		json_key(j, overrun_groups[g]);
		json_obj_begin(j);
		json_kint(j, "deadlines", r->overrun[g].deadlines);
		json_kint(j, "cases", r->overrun[g].cases);
		json_obj_end(j);
	}
	json_obj_end(j);
}

/* "definitions": each figure's one line, in both languages */
static void
json_definitions(struct json *j)
{
	size_t	i;

	json_key(j, "definitions");
	json_obj_begin(j);
	for (i = 0; i < report_ndefs; i++) {
		json_key(j, report_defs[i].key);
		json_obj_begin(j);
		json_kstr(j, "en", report_defs[i].en);
		json_kstr(j, "zh-TW", report_defs[i].zh_TW);
		json_obj_end(j);
	}
	json_obj_end(j);
}

void
render_json(const struct report *r, struct buf *b)
{
	struct json	j;
	long long	resp, hand, fok, fn, aok, an;
	size_t		i;
	int		d, st, g;

	json_init(&j, b);
	json_obj_begin(&j);
	json_time(&j, "generated_at", r->now);
	json_key(&j, "from");
	if (r->from > 0) {
		char s[32];

		fmt_utc(r->from, ISO_FMT, s, sizeof(s));
		json_str(&j, s);
	} else
		json_null(&j);
	json_key(&j, "to");
	if (r->to < FAR_FUTURE) {
		char s[32];

		fmt_utc(r->to, ISO_FMT, s, sizeof(s));
		json_str(&j, s);
	} else
		json_null(&j);
	json_key(&j, "cases");
	json_obj_begin(&j);
	json_kint(&j, "total", r->total);
	json_kint(&j, "open", r->open);
	json_kint(&j, "vulnerabilities", r->vuln);
	json_kint(&j, "incidents", r->incid);
	json_obj_end(&j);
	json_key(&j, "by");
	json_obj_begin(&j);
	for (d = 0; d < NDIM; d++) {
		json_key(&j, dim_name[d]);
		json_arr_begin(&j);
		for (i = 0; i < r->dim[d].n; i++) {
			json_obj_begin(&j);
			json_kstr(&j, "key", r->dim[d].v[i].key);
			json_kint(&j, "count", r->dim[d].v[i].count);
			json_obj_end(&j);
		}
		json_arr_end(&j);
	}
	json_obj_end(&j);
	json_key(&j, "trend");
	json_arr_begin(&j);
	for (i = 0; i < r->nmon; i++) {
		json_obj_begin(&j);
		json_kstr(&j, "month", r->mon[i].key);
		json_kint(&j, "opened", r->mon[i].opened);
		json_kint(&j, "vulnerabilities", r->mon[i].vuln);
		json_kint(&j, "incidents", r->mon[i].incid);
		json_kint(&j, "fixed", r->mon[i].fixed);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_key(&j, "times");
	json_arr_begin(&j);
	EACH_TIME(r, st, g) {
		const struct series *s = &r->t[st][g];

		json_obj_begin(&j);
		json_kstr(&j, "step", step_name[st]);
		json_kstr(&j, "group", report_group_name(st, g));
		json_kint(&j, "count", (long long)s->n);
		json_key(&j, "median_seconds");
		s->n ? json_int(&j, report_median(s)) : json_null(&j);
		json_key(&j, "mean_seconds");
		s->n ? json_int(&j, report_mean(s)) : json_null(&j);
		json_key(&j, "p90_seconds");
		s->n ? json_int(&j, report_p90(s)) : json_null(&j);
		json_key(&j, "deadline_seconds");
		r->deadline[st][g] ? json_int(&j, r->deadline[st][g]) :
		    json_null(&j);
		json_key(&j, "deadline_business");
		json_bool(&j, r->business[st][g]);
		json_key(&j, "met");
		st == ST_ACK ? json_null(&j) : json_int(&j, s->on_time);
		json_share(&j, "share_met", s->on_time, st == ST_ACK ? 0 :
		    (long long)s->n);
		json_kint(&j, "running", s->running);
		json_kint(&j, "overdue", s->overdue);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_key(&j, "overdue");
	json_arr_begin(&j);
	for (i = 0; i < r->nlate; i++) {
		json_obj_begin(&j);
		json_kstr(&j, "case", r->late[i].id);
		json_kstr(&j, "clock", r->late[i].clock);
		json_key(&j, "owner");
		r->late[i].owner ? json_str(&j, r->late[i].owner) :
		    json_null(&j);
		json_key(&j, "assigned");
		json_bool(&j, r->late[i].assigned);
		json_key(&j, "severity");
		r->late[i].severity ? json_str(&j, r->late[i].severity) :
		    json_null(&j);
		json_key(&j, "level");
		r->late[i].incident && r->late[i].level ? json_int(&j,
		    r->late[i].level) : json_null(&j);
		json_time(&j, "due_at", r->late[i].due_at);
		json_kint(&j, "late_seconds", r->now - r->late[i].due_at);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_key(&j, "paused");
	json_arr_begin(&j);
	for (i = 0; i < r->nheld; i++) {
		json_obj_begin(&j);
		json_kstr(&j, "case", r->held[i].id);
		json_kstr(&j, "reason", r->held[i].reason);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_key(&j, "exceptions");
	json_arr_begin(&j);
	for (i = 0; i < r->nexc; i++) {
		json_obj_begin(&j);
		json_kstr(&j, "case", r->exc[i].case_id);
		json_kstr(&j, "reason", r->exc[i].reason);
		json_key(&j, "approved");
		json_bool(&j, r->exc[i].approved);
		json_time(&j, "at", r->exc[i].at);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_key(&j, "conformance");
	json_obj_begin(&j);
	json_kint(&j, "checked", r->checked);
	json_kint(&j, "complete", r->checked - (long long)r->ngap);
	json_share(&j, "share_complete", r->checked - (long long)r->ngap,
	    r->checked);
	json_key(&j, "missing");
	json_obj_begin(&j);
	for (g = 0; g < NGAP; g++)
		json_kint(&j, gap_name[g], r->gaps[g]);
	json_obj_end(&j);
	json_key(&j, "cases");
	json_arr_begin(&j);
	for (i = 0; i < r->ngap; i++) {
		json_obj_begin(&j);
		json_kstr(&j, "case", r->gap[i].id);
		json_key(&j, "missing");
		json_arr_begin(&j);
		for (g = 0; g < NGAP; g++)
			if (r->gap[i].missing & (1u << g))
				json_str(&j, gap_name[g]);
		json_arr_end(&j);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	json_key(&j, "reporters");
	json_obj_begin(&j);
	json_kint(&j, "total", r->rs.reporters);
	json_kint(&j, "repeat", r->rs.repeat);
	json_kint(&j, "reports", r->rs.reports);
	json_kint(&j, "valid", r->rs.valid);
	json_share(&j, "share_valid", r->rs.valid, r->rs.reports);
	json_key(&j, "top");
	json_arr_begin(&j);
	for (i = 0; i < r->ntop; i++) {
		json_obj_begin(&j);
		json_kstr(&j, "address", r->top[i].key);
		json_kint(&j, "valid", r->top[i].count);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	report_kpis(r, &resp, &hand, &fok, &fn, &aok, &an);
	json_key(&j, "kpis");
	json_obj_begin(&j);
	json_key(&j, "mean_response_seconds");
	resp >= 0 ? json_int(&j, resp) : json_null(&j);
	json_key(&j, "mean_handling_seconds");
	hand >= 0 ? json_int(&j, hand) : json_null(&j);
	json_key(&j, "mean_human_response_seconds");
	r->human.n ? json_int(&j, report_mean(&r->human)) : json_null(&j);
	json_response(&j, r);
	json_share(&j, "fix_on_time", fok, fn);
	json_kint(&j, "fix_on_time_met", fok);
	json_kint(&j, "fix_on_time_count", fn);
	json_share(&j, "advisory_timeliness", aok, an);
	json_kint(&j, "advisory_timeliness_met", aok);
	json_kint(&j, "advisory_timeliness_count", an);
	json_share(&j, "report_quality", r->valid, r->triaged);
	json_overruns(&j, r);
	json_obj_end(&j);
	json_definitions(&j);
	json_obj_end(&j);
	buf_putc(b, '\n');
}

/* CSV (RFC 4180): one figure per row. */
static void
csv_field(struct buf *b, const char *s)
{
	if (s == NULL)
		return;
	if (strpbrk(s, ",\"\r\n") == NULL) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

static void
csv_row(struct buf *b, const char *sec, const char *dim, const char *key,
    const char *metric, long long v)
{
	csv_field(b, sec);
	buf_putc(b, ',');
	csv_field(b, dim);
	buf_putc(b, ',');
	csv_field(b, key);
	buf_putc(b, ',');
	csv_field(b, metric);
	buf_printf(b, ",%lld\r\n", v);
}

void
render_csv(const struct report *r, struct buf *b)
{
	long long	resp, hand, fok, fn, aok, an;
	size_t		i;
	int		d, st, g;

	buf_puts(b, "section,dimension,key,metric,value\r\n");
	csv_row(b, "cases", "", "total", "count", r->total);
	csv_row(b, "cases", "", "open", "count", r->open);
	csv_row(b, "cases", "", "vulnerabilities", "count", r->vuln);
	csv_row(b, "cases", "", "incidents", "count", r->incid);
	for (d = 0; d < NDIM; d++)
		for (i = 0; i < r->dim[d].n; i++)
			csv_row(b, "by", dim_name[d], r->dim[d].v[i].key,
			    "count", r->dim[d].v[i].count);
	for (i = 0; i < r->nmon; i++) {
		csv_row(b, "trend", "month", r->mon[i].key, "opened",
		    r->mon[i].opened);
		csv_row(b, "trend", "month", r->mon[i].key, "fixed",
		    r->mon[i].fixed);
	}
	EACH_TIME(r, st, g) {
		const struct series *s = &r->t[st][g];
		const char *k = report_group_name(st, g);

		csv_row(b, "times", step_name[st], k, "count", (long long)s->n);
		if (s->n) {
			csv_row(b, "times", step_name[st], k, "median_seconds",
			    report_median(s));
			csv_row(b, "times", step_name[st], k, "mean_seconds",
			    report_mean(s));
			csv_row(b, "times", step_name[st], k, "p90_seconds",
			    report_p90(s));
		}
		if (r->deadline[st][g])
			csv_row(b, "times", step_name[st], k,
			    "deadline_seconds", r->deadline[st][g]);
		if (st != ST_ACK)
			csv_row(b, "times", step_name[st], k, "met",
			    s->on_time);
		csv_row(b, "times", step_name[st], k, "running", s->running);
		csv_row(b, "times", step_name[st], k, "overdue", s->overdue);
	}
	for (i = 0; i < r->nlate; i++)
		csv_row(b, "overdue", r->late[i].clock, r->late[i].id,
		    "late_seconds", r->now - r->late[i].due_at);
	for (i = 0; i < r->nheld; i++)
		csv_row(b, "paused", r->held[i].reason, r->held[i].id, "paused",
		    1);
	for (i = 0; i < r->nexc; i++)
		csv_row(b, "exceptions", r->exc[i].reason, r->exc[i].case_id,
		    "approved", r->exc[i].approved);
	csv_row(b, "conformance", "", "checked", "count", r->checked);
	csv_row(b, "conformance", "", "complete", "count", r->checked -
	    (long long)r->ngap);
	for (g = 0; g < NGAP; g++)
		csv_row(b, "conformance", "missing", gap_name[g], "count",
		    r->gaps[g]);
	csv_row(b, "reporters", "", "total", "count", r->rs.reporters);
	csv_row(b, "reporters", "", "repeat", "count", r->rs.repeat);
	csv_row(b, "reporters", "", "reports", "count", r->rs.reports);
	csv_row(b, "reporters", "", "valid", "count", r->rs.valid);
	report_kpis(r, &resp, &hand, &fok, &fn, &aok, &an);
	if (resp >= 0)
		csv_row(b, "kpis", "", "mean_response", "seconds", resp);
	if (hand >= 0)
		csv_row(b, "kpis", "", "mean_handling", "seconds", hand);
	if (r->human.n) {
		csv_row(b, "kpis", "", "mean_human_response", "seconds",
		    report_mean(&r->human));
		csv_row(b, "kpis", "response", "median", "seconds",
		    report_median(&r->human));
		csv_row(b, "kpis", "response", "p90", "seconds",
		    report_p90(&r->human));
	}
	csv_row(b, "kpis", "response", "answered", "count",
	    (long long)r->human.n);
	for (g = 0; g < OVR_MAX; g++) {
		csv_row(b, "overruns", "", overrun_groups[g], "deadlines",
		    r->overrun[g].deadlines);
		csv_row(b, "overruns", "", overrun_groups[g], "cases",
		    r->overrun[g].cases);
	}
	csv_row(b, "kpis", "", "fix_on_time", "met", fok);
	csv_row(b, "kpis", "", "fix_on_time", "count", fn);
	csv_row(b, "kpis", "", "advisory_timeliness", "met", aok);
	csv_row(b, "kpis", "", "advisory_timeliness", "count", an);
	csv_row(b, "kpis", "", "report_quality", "valid", r->valid);
	csv_row(b, "kpis", "", "report_quality", "count", r->triaged);
}

/* The policy's deadline of a step, as the policy gives it. */
static const char *
due_text(const struct report *r, int st, int g, char *s, size_t n)
{
	if (r->deadline[st][g] == 0)
		snprintf(s, n, "-");
	else if (r->bdays[st][g])
		snprintf(s, n, "%d bus. days", r->bdays[st][g]);
	else if (r->business[st][g])
		snprintf(s, n, "%lld bus. hours", r->deadline[st][g] / 3600);
	else
		fmt_span(r->deadline[st][g], s, n);
	return s;
}

static const char *
pct(long long part, long long all, char *s, size_t n)
{
	if (all == 0)
		snprintf(s, n, "-");
	else
		snprintf(s, n, "%lld%%", (part * 100 + all / 2) / all);
	return s;
}

/* How serious an overdue case is: a vulnerability's severity, an
 * incident's level. */
static const char *
late_grade(const struct late *l, char *s, size_t n)
{
	if (!l->incident)
		snprintf(s, n, "%s", l->severity ? l->severity : "-");
	else if (l->level)
		snprintf(s, n, "level %d", l->level);
	else
		snprintf(s, n, "level ?");
	return s;
}

void
render_text(const struct report *r, struct buf *b)
{
	char		 s1[32], s2[32], s3[32], s4[32], s5[32], s6[32], t[32];
	long long	 resp, hand, fok, fn, aok, an;
	size_t		 i;
	int		 d, st, g;

	fmt_utc(r->now, ISO_FMT, t, sizeof(t));
	buf_printf(b, "PSIRT report, %s\n", t);
	if (r->from > 0)
		fmt_utc(r->from, "%Y-%m-%d", s1, sizeof(s1));
	if (r->to < FAR_FUTURE)
		fmt_utc(r->to, "%Y-%m-%d", s2, sizeof(s2));
	buf_printf(b, "Cases registered %s%s%s%s\n\n", r->from > 0 ? "from " :
	    "", r->from > 0 ? s1 : "", r->to < FAR_FUTURE ? " before " :
	    r->from > 0 ? "" : "at any time", r->to < FAR_FUTURE ? s2 : "");
	buf_printf(b, "Cases: %lld (%lld open): %lld %s, %lld %s\n",
	    r->total, r->open, r->vuln, r->vuln == 1 ? "vulnerability" :
	    "vulnerabilities", r->incid, r->incid == 1 ? "incident" :
	    "incidents");
	report_kpis(r, &resp, &hand, &fok, &fn, &aok, &an);
	buf_printf(b, "\nKPIs\n  response time         mean %s, median %s, "
	    "p90 %s (%zu answered)\n  mean handling time    "
	    "%s\n  fixes on time         %s (%lld of %lld)\n  advisories on time    "
	    "%s (%lld of %lld)\n  report quality        %s valid (%lld of "
	    "%lld triaged)\n", resp >= 0 ? fmt_span(resp, s1, sizeof(s1)) : "-",
	    r->human.n ? fmt_span(report_median(&r->human), s6, sizeof(s6)) :
	    "-", r->human.n ? fmt_span(report_p90(&r->human), t, sizeof(t)) :
	    "-", r->human.n, hand >= 0 ? fmt_span(hand, s2, sizeof(s2)) : "-",
	    pct(fok, fn, s3, sizeof(s3)), fok, fn, pct(aok, an, s4,
	    sizeof(s4)), aok, an, pct(r->valid, r->triaged, s5, sizeof(s5)),
	    r->valid, r->triaged);
	buf_puts(b, "  overruns              ");
	for (g = 0; g < OVR_MAX; g++)
		buf_printf(b, "%s%s %lld (%lld case%s)", g ? ", " : "",
		    g == OVR_NONE ? "no reason given" : overrun_groups[g],
		    r->overrun[g].deadlines, r->overrun[g].cases,
		    r->overrun[g].cases == 1 ? "" : "s");
	buf_putc(b, '\n');
	for (d = 0; d < NDIM; d++) {
		if (r->dim[d].n == 0)
			continue;
		buf_printf(b, "\nBy %s\n", dim_name[d]);
		for (i = 0; i < r->dim[d].n && i < 20; i++)
			buf_printf(b, "  %-40.40s %7lld\n", r->dim[d].v[i].key,
			    r->dim[d].v[i].count);
		if (r->dim[d].n > 20)
			buf_printf(b, "  (%zu more)\n", r->dim[d].n - 20);
	}
	buf_puts(b, "\nTrend    opened  vuln  incid  fixed\n");
	for (i = 0; i < r->nmon; i++)
		buf_printf(b, "  %s %6lld %5lld %6lld %6lld\n", r->mon[i].key,
		    r->mon[i].opened, r->mon[i].vuln, r->mon[i].incid,
		    r->mon[i].fixed);
	buf_printf(b, "\nTimes %-18s %5s %8s %8s %8s %14s %5s %7s %7s\n",
	    "step/group", "done", "median", "mean", "p90", "deadline", "met",
	    "running", "overdue");
	EACH_TIME(r, st, g) {
		const struct series *s = &r->t[st][g];
		char k[40];

		snprintf(k, sizeof(k), "%s/%s", step_name[st],
		    report_group_name(st, g));
		buf_printf(b, "  %-22s %5zu %8s %8s %8s %14s %5s %7lld "
		    "%7lld\n", k, s->n, s->n ? fmt_span(report_median(s), s1, sizeof(s1)) :
		    "-", s->n ? fmt_span(report_mean(s), s2, sizeof(s2)) : "-", s->n ?
		    fmt_span(report_p90(s), s3, sizeof(s3)) : "-", due_text(r, st, g, s4,
		    sizeof(s4)), st ==
		    ST_ACK ? "-" : pct(s->on_time, (long long)s->n, s5,
		    sizeof(s5)), s->running, s->overdue);
	}
	buf_printf(b, "\nOverdue: %zu\n", r->nlate);
	for (i = 0; i < r->nlate && i < 50; i++)
		buf_printf(b, "  %-20s %-10s %-10s %-20s late by %s\n",
		    r->late[i].id, r->late[i].clock, late_grade(&r->late[i],
		    s2, sizeof(s2)), r->late[i].owner ? r->late[i].owner : "-",
		    fmt_span(r->now - r->late[i].due_at, s1, sizeof(s1)));
	buf_printf(b, "\nPaused: %zu\n", r->nheld);
	for (i = 0; i < r->nheld && i < 50; i++)
		buf_printf(b, "  %-20s %s\n", r->held[i].id, r->held[i].reason);
	buf_printf(b, "\nExceptions: %zu\n", r->nexc);
	for (i = 0; i < r->nexc; i++)
		buf_printf(b, "  %-20s %-9s %s\n", r->exc[i].case_id,
		    r->exc[i].approved ? "approved" : "pending",
		    r->exc[i].reason);
	buf_printf(b, "\nConformance: %lld of %lld cases complete (%s)\n",
	    r->checked - (long long)r->ngap, r->checked, pct(r->checked -
	    (long long)r->ngap, r->checked, s1, sizeof(s1)));
	for (g = 0; g < NGAP; g++)
		if (r->gaps[g])
			buf_printf(b, "  missing %-20s %lld\n", gap_name[g],
			    r->gaps[g]);
	buf_printf(b, "\nReporters: %lld (%lld more than once), %lld reports, "
	    "%lld valid\n", r->rs.reporters, r->rs.repeat, r->rs.reports,
	    r->rs.valid);
	for (i = 0; i < r->ntop; i++)
		buf_printf(b, "  %-40.40s %5lld valid\n", r->top[i].key,
		    r->top[i].count);
	buf_puts(b, "\nDefinitions\n");
	for (i = 0; i < report_ndefs; i++)
		buf_printf(b, "  %s\n", report_defs[i].en);
}

/* HTML: one page, no external asset; bilingual headings. */
static void
h2(struct buf *b, const char *en, const char *zh)
{
	buf_printf(b, "<h2>%s <span lang=\"zh-TW\">%s</span></h2>\n", en, zh);
}

/* Horizontal bars, one per key, scaled to the largest. */
static void
svg_bars(struct buf *b, const char *dim, const struct store_count *v, size_t n,
    size_t max)
{
	long long	top = 1;
	size_t		i;

	if (n > max)
		n = max;
	for (i = 0; i < n; i++)
		if (v[i].count > top)
			top = v[i].count;
	buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"bars\" data-dim=\"%s\" width=\"560\" height=\"%zu\" "
	    "role=\"img\">\n",
	    dim, n * 22 + 4);
	for (i = 0; i < n; i++) {
		buf_printf(b, "<text x=\"0\" y=\"%zu\" class=\"l\">", i * 22 + 16);
		markup_html(b, v[i].key);
		buf_printf(b, "</text><rect x=\"200\" y=\"%zu\" width=\"%lld\" "
		    "height=\"16\" class=\"b\"/><text x=\"%lld\" y=\"%zu\">"
		    "%lld</text>\n", i * 22 + 4, v[i].count * 300 / top + 1,
		    v[i].count * 300 / top + 206, i * 22 + 16, v[i].count);
	}
	buf_puts(b, "</svg>\n");
}

/*
 * The trend: per month from the first to the last of the period's (the
 * months between included, at most TREND_MONTHS, the latest), the cases
 * opened and fixed as two bars, each labelled with its value, over a
 * value axis of round steps (1, 2 or 5 times a power of ten, at most
 * five) with its tick labels; the months below.
 */
#define TREND_MONTHS	60
#define TR_LEFT		44	/* the axis and its labels */
#define TR_TOP		26	/* room for the tallest bar's label */
#define TR_H		160	/* the plot */
#define TR_W		48	/* one month */

static long long
axis_step(long long top)
{
	long long	p = 1;

	for (;;) {
		if (top <= 5 * p)
			return p;
		if (top <= 10 * p)
			return 2 * p;
		if (top <= 25 * p)
			return 5 * p;
		p *= 10;
	}
}

/* "YYYY-MM" as months since year 0. */
static long
month_index(const char *key)
{
	return strtol(key, NULL, 10) * 12 + strtol(key + 5, NULL, 10) - 1;
}

static long long
trend_y(long long v, long long axis)
{
	return TR_TOP + TR_H - (v * TR_H + axis / 2) / axis;
}

static void
trend_bar(struct buf *b, long x, long long v, long long axis,
    const char *cls, const char *month, const char *what)
{
	long long	y = trend_y(v, axis);

	buf_printf(b, "<rect x=\"%ld\" y=\"%lld\" width=\"16\" height=\"%lld\" "
	    "class=\"%s\" data-value=\"%lld\"><title>%s %s %lld</title></rect>"
	    "<text x=\"%ld\" y=\"%lld\" class=\"val\">%lld</text>", x, y,
	    (long long)TR_TOP + TR_H - y, cls, v, month, what, v, x + 8, y - 3,
	    v);
}

static void
svg_trend(struct buf *b, const struct report *r)
{
	long long	 top = 0, step, axis, k, o, f;
	long		 first, last, m, x, w;
	size_t		 i, j;
	char		 key[48];

	if (r->nmon == 0) {
		buf_puts(b, "<p>No case in the period. <span lang=\"zh-TW\">"
		    "期間內無案件。</span></p>\n");
		return;
	}
	first = month_index(r->mon[0].key);
	last = month_index(r->mon[r->nmon - 1].key);
	if (last - first >= TREND_MONTHS) {
		first = last - TREND_MONTHS + 1;
		buf_printf(b, "<p>The last %d months. <span lang=\"zh-TW\">"
		    "最近 %d 個月。</span></p>\n", TREND_MONTHS, TREND_MONTHS);
	}
	for (i = 0; i < r->nmon; i++) {
		if (month_index(r->mon[i].key) < first)
			continue;
		if (r->mon[i].opened > top)
			top = r->mon[i].opened;
		if (r->mon[i].fixed > top)
			top = r->mon[i].fixed;
	}
	step = axis_step(top);
	axis = top ? (top + step - 1) / step * step : step;
	w = TR_LEFT + (last - first + 1) * TR_W;
	buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"trend\" width=\"%ld\" height=\"%d\" viewBox=\"0 0 %ld "
	    "%d\" role=\"img\" aria-label=\"cases opened and fixed per "
	    "month\">\n<g class=\"axis\"><text x=\"0\" y=\"10\" "
	    "class=\"s\">cases <tspan lang=\"zh-TW\">件數</tspan></text>\n", w + 8, TR_TOP + TR_H + 24,
	    w + 8, TR_TOP + TR_H + 24);
	for (k = 0; k <= axis; k += step)
		buf_printf(b, "<line x1=\"%d\" y1=\"%lld\" x2=\"%ld\" "
		    "y2=\"%lld\" class=\"g\"/><text x=\"%d\" y=\"%lld\" "
		    "class=\"tick\">%lld</text>\n", TR_LEFT, trend_y(k, axis),
		    w, trend_y(k, axis), TR_LEFT - 6, trend_y(k, axis) + 4, k);
	buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "class=\"ax\"/></g>\n", TR_LEFT, TR_TOP, TR_LEFT, TR_TOP + TR_H);
	/* r->mon is sorted: walk it beside the months */
	for (m = first, j = 0; m <= last; m++) {
		while (j < r->nmon && month_index(r->mon[j].key) < m)
			j++;
		o = f = 0;
		if (j < r->nmon && month_index(r->mon[j].key) == m) {
			o = r->mon[j].opened;
			f = r->mon[j].fixed;
		}
		snprintf(key, sizeof(key), "%04ld-%02ld", m / 12, m % 12 + 1);
		x = TR_LEFT + (m - first) * TR_W;
		buf_printf(b, "<g class=\"month\" data-month=\"%s\">", key);
		trend_bar(b, x + 6, o, axis, "b", key, "opened");
		trend_bar(b, x + 24, f, axis, "f", key, "fixed");
		buf_printf(b, "<text x=\"%ld\" y=\"%d\" class=\"s m\">%s</text>"
		    "</g>\n", x + TR_W / 2, TR_TOP + TR_H + 16, key);
	}
	buf_puts(b, "</svg>\n");
}

/* Per step with a deadline: the share done on time as a bar (the
 * dashed line is 90%), with the median and the deadline. */
static void
svg_times(struct buf *b, const struct report *r)
{
	char	s1[32], s2[32];
	size_t	rows = 0, y;
	int	st, g;

	EACH_TIME(r, st, g)
		if (r->deadline[st][g] && r->t[st][g].n)
			rows++;
	if (rows == 0) {
		buf_puts(b, "<p>No step has ended yet. <span lang=\"zh-TW\">"
		    "尚無完成之步驟。</span></p>\n");
		return;
	}
	buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" "
	    "height=\"%zu\" role=\"img\">\n<line x1=\"434\" y1=\"0\" x2=\"434\" "
	    "y2=\"%zu\" class=\"d\"/>\n", rows * 22 + 4, rows * 22 + 4);
	y = 0;
	EACH_TIME(r, st, g) {
		const struct series *s = &r->t[st][g];
		long long share;

		if (!r->deadline[st][g] || s->n == 0)
			continue;
		share = s->on_time * 100 / (long long)s->n;
		buf_printf(b, "<text x=\"0\" y=\"%zu\" class=\"l\">%s %s <tspan "
		    "lang=\"zh-TW\">%s</tspan></text>"
		    "<rect x=\"200\" y=\"%zu\" width=\"%lld\" height=\"16\" "
		    "class=\"%s\"><title>%lld of %zu on time</title></rect>"
		    "<text x=\"466\" y=\"%zu\">%lld%% · median %s · deadline "
		    "%s</text>\n", y * 22 + 16, step_name[st], report_group_name(st, g),
		    step_zh[st], y * 22 + 4, share * 26 / 10 + 1, share >= 90 ?
		    "ok" : share >= 60 ? "warn" : "bad", s->on_time, s->n,
		    y * 22 + 16, share, fmt_span(report_median(s), s1, sizeof(s1)),
		    due_text(r, st, g, s2, sizeof(s2)));
		y++;
	}
	buf_puts(b, "</svg>\n");
}

/*
 * The overdue clocks, most late first (as report.c lists them): the
 * case, its owner (the assignee, or the R of the clock's task, marked
 * so), how serious it is, the clock, when it was due and how many days
 * late it is (tenths, rounded down).
 */
static void
html_overdue(struct buf *b, const struct report *r)
{
	const struct late	*l;
	char			 s1[32], s2[32];
	long long		 late;
	size_t			 i;

	if (r->nlate == 0) {
		buf_puts(b, "<p>No clock is overdue. <span lang=\"zh-TW\">"
		    "無逾期案件。</span></p>\n");
		return;
	}
	buf_puts(b, "<table class=\"overdue\"><thead><tr><th>case <span "
	    "lang=\"zh-TW\">案件</span></th><th>owner <span lang=\"zh-TW\">"
	    "負責人</span></th><th>severity / level <span lang=\"zh-TW\">"
	    "風險／事件等級</span></th><th>clock <span lang=\"zh-TW\">時限"
	    "</span></th><th>due <span lang=\"zh-TW\">到期</span></th><th>"
	    "days late <span lang=\"zh-TW\">逾期天數</span></th></tr>"
	    "</thead><tbody>\n");
	for (i = 0; i < r->nlate && i < 100; i++) {
		l = &r->late[i];
		late = r->now - l->due_at;
		buf_puts(b, "<tr><td>");
		markup_html(b, l->id);
		buf_puts(b, "</td><td>");
		if (l->owner) {
			markup_html(b, l->owner);
			if (!l->assigned)
				buf_puts(b, " <span class=\"n\" title=\"not "
				    "assigned: R of the clock's task\">(R)"
				    "</span>");
		} else
			buf_puts(b, "-");
		fmt_utc(l->due_at, "%Y-%m-%d %H:%M UTC", s2, sizeof(s2));
		buf_printf(b, "</td><td>%s</td><td>%s</td><td>%s</td><td "
		    "class=\"r\">%lld.%lld</td></tr>\n", late_grade(l, s1,
		    sizeof(s1)), l->clock, s2, late / 86400, late % 86400 * 10 /
		    86400);
	}
	buf_puts(b, "</tbody></table>\n");
	if (r->nlate > 100)
		buf_printf(b, "<p>%zu more. <span lang=\"zh-TW\">另有 %zu 筆。"
		    "</span></p>\n", r->nlate - 100, r->nlate - 100);
}

static void
html_paused(struct buf *b, const struct report *r)
{
	size_t	i;

	if (r->nheld == 0) {
		buf_puts(b, "<p>No case is paused. <span lang=\"zh-TW\">"
		    "無暫停案件。</span></p>\n");
		return;
	}
	buf_puts(b, "<table class=\"paused\"><thead><tr><th>case <span "
	    "lang=\"zh-TW\">案件</span></th><th>reason <span lang=\"zh-TW\">"
	    "原因</span></th></tr></thead><tbody>\n");
	for (i = 0; i < r->nheld && i < 100; i++) {
		buf_puts(b, "<tr><td>");
		markup_html(b, r->held[i].id);
		buf_puts(b, "</td><td>");
		markup_html(b, r->held[i].reason);
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</tbody></table>\n");
}

static void
tile(struct buf *b, const char *en, const char *zh, const char *value)
{
	buf_printf(b, "<div class=\"t\"><div class=\"v\">%s</div><div>%s<br>"
	    "<span lang=\"zh-TW\">%s</span></div></div>\n", value, en, zh);
}

void
render_html(const struct report *r, struct buf *b)
{
	char		 s1[48], t[32], iso[32];
	long long	 resp, hand, fok, fn, aok, an;
	size_t		 i;
	int		 d, g;

	fmt_utc(r->now, "%Y-%m-%d %H:%M:%S UTC", t, sizeof(t));
	fmt_utc(r->now, ISO_FMT, iso, sizeof(iso));
	buf_printf(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
	    "charset=\"utf-8\"><meta name=\"viewport\" content=\"width="
	    "device-width\"><title>PSIRT report %s</title>\n<style>\n"
	    "body{font-family:sans-serif;max-width:60em;margin:2em auto;"
	    "color:#222}\nh2{border-bottom:1px solid #ccc;margin-top:2em}\n"
	    "h2 span,.t span{color:#666;font-weight:normal}\n"
	    ".k{display:flex;flex-wrap:wrap;gap:1em}\n"
	    ".t{border:1px solid #ccc;border-radius:6px;padding:.8em;"
	    "min-width:10em}\n.v{font-size:1.8em;font-weight:bold}\n"
	    "svg text{font-size:12px}\n.b{fill:#4a78b0}\n.f{fill:#6aa84f}\n"
	    ".ok{fill:#6aa84f}\n.warn{fill:#e6a23c}\n.bad{fill:#cc4125}\n"
	    ".d{stroke:#222;stroke-dasharray:4 2}\n.s{font-size:10px}\n"
	    ".m,.val{text-anchor:middle}\n.val{font-size:10px}\n"
	    ".tick{text-anchor:end;font-size:10px}\n.g{stroke:#e4e4e4}\n"
	    ".ax{stroke:#222}\n.n{color:#666;font-size:.85em}\n"
	    "table{border-collapse:collapse}td,th{padding:.2em .6em;"
	    "border-bottom:1px solid #eee;text-align:left}\n"
	    "td.r{text-align:right}\n.overdue td{white-space:nowrap}\n"
	    "footer{margin-top:3em;font-size:.85em;color:#444}\n</style></head>"
	    "\n<body>\n<h1>PSIRT report <span lang=\"zh-TW\">PSIRT 報告"
	    "</span></h1>\n<p class=\"generated\">Generated <time datetime="
	    "\"%s\">%s</time>. <span lang=\"zh-TW\">產生時間：<time "
	    "datetime=\"%s\">%s</time></span></p>\n", t, iso, t, iso, t);
	report_kpis(r, &resp, &hand, &fok, &fn, &aok, &an);
	buf_puts(b, "<div class=\"k\">\n");
	snprintf(s1, sizeof(s1), "%lld", r->total);
	tile(b, "cases", "案件數", s1);
	snprintf(s1, sizeof(s1), "%lld", r->open);
	tile(b, "open", "處理中", s1);
	tile(b, "mean response time", "平均回應時間", resp >= 0 ? fmt_span(resp,
	    s1, sizeof(s1)) : "-");
	tile(b, "mean handling time", "平均處理時間", hand >= 0 ? fmt_span(hand,
	    s1, sizeof(s1)) : "-");
	tile(b, "fixes on time", "如期修補", pct(fok, fn, s1, sizeof(s1)));
	tile(b, "advisories on time", "如期公告", pct(aok, an, s1,
	    sizeof(s1)));
	tile(b, "valid reports", "有效通報", pct(r->valid, r->triaged, s1,
	    sizeof(s1)));
	snprintf(s1, sizeof(s1), "%zu", r->nlate);
	tile(b, "overdue", "逾期", s1);
	buf_puts(b, "</div>\n");
	h2(b, "Time taken against the deadline", "實際處理時間與期限");
	buf_puts(b, "<p>Share of each step done within its deadline; the "
	    "dashed line is 90%. <span lang=\"zh-TW\">各步驟於期限內完成之"
	    "比例；虛線為 90%。</span></p>\n");
	svg_times(b, r);
	h2(b, "Trend per month", "每月趨勢");
	buf_puts(b, "<p>Blue: opened; green: fixed. <span lang=\"zh-TW\">"
	    "藍：受理；綠：修補完成。</span></p>\n");
	svg_trend(b, r);
	for (d = 0; d < NDIM; d++) {
		char en[48];

		if (r->dim[d].n == 0)
			continue;
		snprintf(en, sizeof(en), "Cases by %s", dim_name[d]);
		h2(b, en, dim_zh[d]);
		svg_bars(b, dim_name[d], r->dim[d].v, r->dim[d].n, 15);
	}
	h2(b, "Conformance", "流程符合度");
	buf_printf(b, "<p>%lld of %lld cases have every record their status "
	    "needs (%s).</p>\n<table><tr><th>missing <span lang=\"zh-TW\">"
	    "缺少</span></th><th>cases</th></tr>\n", r->checked -
	    (long long)r->ngap, r->checked, pct(r->checked - (long long)
	    r->ngap, r->checked, s1, sizeof(s1)));
	for (g = 0; g < NGAP; g++)
		if (r->gaps[g])
			buf_printf(b, "<tr><td>%s</td><td>%lld</td></tr>\n",
			    gap_name[g], r->gaps[g]);
	buf_puts(b, "</table>\n");
	h2(b, "Overdue", "逾期");
	html_overdue(b, r);
	h2(b, "Paused", "暫停");
	html_paused(b, r);
	h2(b, "Exceptions", "例外");
	buf_puts(b, "<table>\n");
	for (i = 0; i < r->nexc; i++) {
		buf_puts(b, "<tr><td>");
		markup_html(b, r->exc[i].case_id);
		buf_printf(b, "</td><td>%s</td><td>", r->exc[i].approved ?
		    "approved" : "pending");
		markup_html(b, r->exc[i].reason);
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</table>\n");
	h2(b, "Reporters", "通報者");
	buf_printf(b, "<p>%lld reporters, %lld of them more than once; %lld "
	    "reports, %lld valid.</p>\n", r->rs.reporters, r->rs.repeat,
	    r->rs.reports, r->rs.valid);
	svg_bars(b, "reporters", r->top, r->ntop, 10);
	/* the definition of each figure, one line each: the footnote */
	render_html_definitions(b);
	buf_puts(b, "</body></html>\n");
}

/* The footnote: each figure's definition, in both languages. */
void
render_html_definitions(struct buf *b)
{
	size_t	i;

	buf_puts(b, "<footer id=\"definitions\">\n<h2>Definitions <span "
	    "lang=\"zh-TW\">定義</span></h2>\n<dl>\n");
	for (i = 0; i < report_ndefs; i++) {
		buf_printf(b, "<dt>%s</dt><dd>", report_defs[i].key);
		markup_html(b, report_defs[i].en);
		buf_puts(b, "<br><span lang=\"zh-TW\">");
		markup_html(b, report_defs[i].zh_TW);
		buf_puts(b, "</span></dd>\n");
	}
	buf_puts(b, "</dl>\n</footer>\n");
}
