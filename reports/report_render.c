/*
 * report_render.c: the figures of a report (report.c) as JSON, CSV,
 * text and one self-contained HTML page with inline SVG.
 */

#include <stdio.h>
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
	buf_printf(b, "Cases: %lld (%lld open): %lld vulnerabilities, %lld "
	    "incidents\n", r->total, r->open, r->vuln, r->incid);
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
		buf_printf(b, "%s%s %lld (%lld cases)", g ? ", " : "",
		    g == OVR_NONE ? "no reason given" : overrun_groups[g],
		    r->overrun[g].deadlines, r->overrun[g].cases);
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
		buf_printf(b, "  %-20s %-10s late by %s\n", r->late[i].id,
		    r->late[i].clock, fmt_span(r->now - r->late[i].due_at, s1,
		    sizeof(s1)));
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
svg_bars(struct buf *b, const struct store_count *v, size_t n, size_t max)
{
	long long	top = 1;
	size_t		i;

	if (n > max)
		n = max;
	for (i = 0; i < n; i++)
		if (v[i].count > top)
			top = v[i].count;
	buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"560\" "
	    "height=\"%zu\" role=\"img\">\n", n * 22 + 4);
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

static void
svg_trend(struct buf *b, const struct report *r)
{
	long long	top = 1;
	size_t		i, w = 36;

	for (i = 0; i < r->nmon; i++) {
		if (r->mon[i].opened > top)
			top = r->mon[i].opened;
		if (r->mon[i].fixed > top)
			top = r->mon[i].fixed;
	}
	buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%zu\" "
	    "height=\"190\" role=\"img\">\n", r->nmon * w + 20);
	for (i = 0; i < r->nmon; i++) {
		long long ho = r->mon[i].opened * 150 / top;
		long long hf = r->mon[i].fixed * 150 / top;

		buf_printf(b, "<rect x=\"%zu\" y=\"%lld\" width=\"14\" "
		    "height=\"%lld\" class=\"b\"><title>%s opened %lld"
		    "</title></rect><rect x=\"%zu\" y=\"%lld\" width=\"14\" "
		    "height=\"%lld\" class=\"f\"><title>%s fixed %lld</title>"
		    "</rect><text x=\"%zu\" y=\"180\" class=\"s\">%s</text>\n",
		    i * w + 4, 160 - ho, ho, r->mon[i].key, r->mon[i].opened,
		    i * w + 19, 160 - hf, hf, r->mon[i].key, r->mon[i].fixed,
		    i * w + 2, r->mon[i].key + 2);
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
		buf_printf(b, "<text x=\"0\" y=\"%zu\" class=\"l\">%s %s %s</text>"
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

static void
tile(struct buf *b, const char *en, const char *zh, const char *value)
{
	buf_printf(b, "<div class=\"t\"><div class=\"v\">%s</div><div>%s<br>"
	    "<span lang=\"zh-TW\">%s</span></div></div>\n", value, en, zh);
}

void
render_html(const struct report *r, struct buf *b)
{
	char		 s1[48], t[32];
	long long	 resp, hand, fok, fn, aok, an;
	size_t		 i;
	int		 d, g;

	fmt_utc(r->now, "%Y-%m-%d %H:%M UTC", t, sizeof(t));
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
	    "table{border-collapse:collapse}td,th{padding:.2em .6em;"
	    "border-bottom:1px solid #eee;text-align:left}\n</style></head>"
	    "\n<body>\n<h1>PSIRT report <span lang=\"zh-TW\">PSIRT 報告"
	    "</span></h1>\n<p>Generated %s. <span lang=\"zh-TW\">產生時間"
	    "</span></p>\n", t, t);
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
		svg_bars(b, r->dim[d].v, r->dim[d].n, 15);
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
	h2(b, "Overdue and paused", "逾期與暫停");
	buf_puts(b, "<table><tr><th>case</th><th>clock</th><th>late by</th>"
	    "</tr>\n");
	for (i = 0; i < r->nlate && i < 100; i++) {
		buf_puts(b, "<tr><td>");
		markup_html(b, r->late[i].id);
		buf_printf(b, "</td><td>%s</td><td>%s</td></tr>\n",
		    r->late[i].clock, fmt_span(r->now - r->late[i].due_at, s1,
		    sizeof(s1)));
	}
	for (i = 0; i < r->nheld && i < 100; i++) {
		buf_puts(b, "<tr><td>");
		markup_html(b, r->held[i].id);
		buf_puts(b, "</td><td>paused</td><td>");
		markup_html(b, r->held[i].reason);
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</table>\n");
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
	svg_bars(b, r->top, r->ntop, 10);
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
