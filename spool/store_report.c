/*
 * store_report.c: what the store tells about reporters (the guideline's
 * reporter relationship record). See store.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "util/buf.h"
#include "util/xmalloc.h"
#include "spool/store.h"
#include "spool/store_case.h"
#include "spool/store_report.h"
#include "spool/store_expire.h"
#include "spool/store_int.h"

static long long	 median_reply(struct store *, const char *, char **);

/* The median of, over the reporter's cases, the time from the case's
 * opening to its first outgoing message; -1 when none has one. */
static long long
median_reply(struct store *st, const char *addr, char **errstr)
{
	sqlite3_stmt	*stmt;
	long long	*v = NULL, m = -1;
	size_t		 n = 0;
	int		 rc;

	if (st_prepare(st, &stmt, "SELECT (SELECT min(m.received_at) FROM "
	    "messages m WHERE m.case_id = c.id AND m.direction = 'out') - "
	    "c.created_at AS d FROM cases c WHERE c.reporter = ?1 COLLATE "
	    "NOCASE AND c.merged_into IS NULL AND d IS NOT NULL ORDER BY d",
	    errstr) == -1)
		return -2;
	bind_text(stmt, 1, addr);
	while ((rc = st_step(stmt)) == SQLITE_ROW) {
		v = xrealloc(v, (n + 1) * sizeof(*v));
		v[n++] = sqlite3_column_int64(stmt, 0);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		free(v);
		st_err(st, errstr, "reporters");
		return -2;
	}
	if (n)
		m = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	free(v);
	return m;
}

int
store_reporters(struct store *st, struct store_reporter **out, size_t *np,
    char **errstr)
{
	sqlite3_stmt		*stmt;
	struct store_reporter	*v = NULL, *r;
	size_t			 n = 0, i;
	int			 rc;

	*out = NULL;
	*np = 0;
	if (st_prepare(st, &stmt, "SELECT lower(c.reporter), "
	    "(SELECT c2.reporter_name FROM cases c2 WHERE c2.reporter = "
	    "c.reporter COLLATE NOCASE AND c2.reporter_name IS NOT NULL "
	    "ORDER BY c2.created_at DESC LIMIT 1), count(*), "
	    "sum(c.status NOT IN ('rejected', 'duplicate')), "
	    "min(c.created_at), max(c.created_at), "
	    "sum(EXISTS (SELECT 1 FROM messages m WHERE m.case_id = c.id AND "
	    "m.kind = 'report' AND m.encryption IS NOT NULL)), "
	    "(SELECT group_concat(value) FROM (SELECT f.value FROM case_facts "
	    "f JOIN cases c3 ON c3.id = f.case_id WHERE c3.reporter = "
	    "c.reporter COLLATE NOCASE AND f.kind = 'cwe' GROUP BY f.value "
	    "ORDER BY count(*) DESC, f.value LIMIT 5)) "
	    "FROM cases c WHERE c.reporter IS NOT NULL AND c.merged_into IS "
	    "NULL GROUP BY lower(c.reporter) ORDER BY count(*) DESC, "
	    "lower(c.reporter)", errstr) == -1)
		return -1;
	while ((rc = st_step(stmt)) == SQLITE_ROW) {
		v = xrealloc(v, (n + 1) * sizeof(*v));
		r = &v[n++];
		memset(r, 0, sizeof(*r));
		r->addr = col_text(stmt, 0);
		r->name = st_col_open(st, stmt, 1);
		r->reports = sqlite3_column_int64(stmt, 2);
		r->valid = sqlite3_column_int64(stmt, 3);
		r->first_at = sqlite3_column_int64(stmt, 4);
		r->last_at = sqlite3_column_int64(stmt, 5);
		r->encrypted = sqlite3_column_int64(stmt, 6);
		r->cwes = col_text(stmt, 7);
	}
	sqlite3_finalize(stmt);
	*out = v;
	*np = n;
	if (rc != SQLITE_DONE)
		return st_err(st, errstr, "reporters");
	for (i = 0; i < n; i++)
		if ((v[i].median_reply = median_reply(st, v[i].addr,
		    errstr)) == -2)
			return -1;
	return 0;
}

void
store_reporters_free(struct store_reporter *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].addr);
		free(v[i].name);
		free(v[i].cwes);
		free(v[i].credit);
	}
	free(v);
}

/*
 * The cases of a report, merge-joined in case ID order with what other
 * tables say of them: one ordered scan per table, no lookup per case
 * (100 000 cases must take well under a second).
 */
enum { S_CASES, S_OUT, S_FACTS, S_CLOCKS, S_EVENTS, S_CORR, S_MAX };

/* The events of a person's answer to the reporter: a status reply, a
 * member's own words or question. Not the agent's (the outbox records
 * every mail it sent, the acknowledgement too, as reply-sent by
 * "agent"), nor the reporter's own (an answer to a question can move
 * the case and so send a status reply). */
#define HUMAN_ANSWERS	"'status-reply', 'reply-sent', 'question-sent'"
#define BY_A_PERSON	"e.actor IS NOT NULL AND e.actor NOT IN ('agent', " \
	"'reporter') AND (c.reporter IS NULL OR e.actor <> c.reporter " \
	"COLLATE NOCASE)"

static const char *const scan_sql[S_MAX] = {
	[S_CASES] = "SELECT id, kind, status, source, severity, tlp, paused, "
	    "level, created_at, reporter IS NOT NULL FROM cases WHERE "
	    "merged_into IS NULL AND created_at >= ?1 AND created_at < ?2 "
	    "ORDER BY id",
	/* the agent's own: a member's mail that copied us is not */
	[S_OUT] = "SELECT case_id, min(received_at) FROM messages WHERE "
	    "case_id IS NOT NULL AND direction = 'out' AND kind <> "
	    "'correspondence' GROUP BY case_id ORDER BY case_id",
	[S_FACTS] = "SELECT case_id, kind, value FROM case_facts ORDER BY "
	    "case_id",
	[S_CLOCKS] = "SELECT case_id, clock, state, started_at, ended_at, "
	    "due_at FROM deadlines ORDER BY case_id",
	[S_EVENTS] = "SELECT e.case_id, max(e.detail IN ('status=fixed', "
	    "'status=disclosed')), max(e.detail = 'status=disclosed'), "
	    "max(e.type = 'ack-suppressed'), min(CASE WHEN e.type IN "
	    "(" HUMAN_ANSWERS ") AND " BY_A_PERSON " THEN e.at END) FROM "
	    "events e JOIN cases c ON c.id = e.case_id WHERE (e.type IN "
	    "('ack-suppressed', " HUMAN_ANSWERS ") OR (e.type = 'case-set' "
	    "AND e.detail IN ('status=fixed', 'status=disclosed'))) GROUP BY "
	    "e.case_id ORDER BY e.case_id",
	/* a member's own mail to the reporter that copied us (to_addr:
	 * ", "-joined); to others it is no answer to the reporter */
	[S_CORR] = "SELECT m.case_id, min(m.received_at) FROM messages m JOIN "
	    "cases c ON c.id = m.case_id WHERE m.direction = 'out' AND "
	    "m.kind = 'correspondence' AND c.reporter IS NOT NULL AND "
	    "instr(lower(', ' || m.to_addr || ','), lower(', ' || c.reporter "
	    "|| ',')) > 0 GROUP BY m.case_id ORDER BY m.case_id",
};

static const char *
ctext(sqlite3_stmt *s, int i)
{
	return col_cstr(s, i);
}

/* Step stream s until its case ID is not below id; 1 if it is id. */
static int
scan_to(sqlite3_stmt *s, int *rc, const char *id)
{
	int	c = 1;

	while (*rc == SQLITE_ROW && (c = strcmp(ctext(s, 0), id)) < 0)
		*rc = st_step(s);
	return *rc == SQLITE_ROW && c == 0;
}

int
store_report_cases(struct store *st, long long from, long long to,
    void (*cb)(const struct store_rcase *, void *), void *arg,
    char **errstr)
{
	static const char *const clocks[] = { "triage", "fix", "disclosure",
	    "incident" };
	sqlite3_stmt		*s[S_MAX] = { NULL };
	struct store_rcase	 c;
	static const char *const fact_kinds[RF_MAX] = { "cve", "cwe", "cvss",
	    "product", "version", "fixed", "remediation", "exception",
	    "exception-pending" };
	struct buf		 arena;
	size_t			 off[STORE_RFACTS_MAX][2], nf;
	const char		*id, *st_state;
	int			 rc[S_MAX], i, k, rv = -1;

	buf_init(&arena);
	for (i = 0; i < S_MAX; i++) {
		if (st_prepare(st, &s[i], scan_sql[i], errstr) == -1)
			goto out;
		if (i == S_CASES) {
			sqlite3_bind_int64(s[i], 1, from);
			sqlite3_bind_int64(s[i], 2, to);
		}
		rc[i] = st_step(s[i]);
	}
	for (; rc[S_CASES] == SQLITE_ROW; rc[S_CASES] =
	    st_step(s[S_CASES])) {
		memset(&c, 0, sizeof(c));
		id = c.id = ctext(s[S_CASES], 0);
		c.kind = ctext(s[S_CASES], 1);
		c.status = ctext(s[S_CASES], 2);
		c.source = ctext(s[S_CASES], 3);
		c.severity = ctext(s[S_CASES], 4);
		c.tlp = ctext(s[S_CASES], 5);
		c.paused = ctext(s[S_CASES], 6);
		c.level = sqlite3_column_int(s[S_CASES], 7);
		c.created_at = sqlite3_column_int64(s[S_CASES], 8);
		c.has_reporter = sqlite3_column_int(s[S_CASES], 9);
		if (scan_to(s[S_OUT], &rc[S_OUT], id))
			c.ack_at = sqlite3_column_int64(s[S_OUT], 1);
		/* the facts, copied: the row goes on the next step */
		arena.len = 0;
		nf = 0;
		while (scan_to(s[S_FACTS], &rc[S_FACTS], id)) {
			const char *kind = ctext(s[S_FACTS], 1);

			for (k = 0; k < RF_MAX; k++)
				if (strcmp(kind, fact_kinds[k]) == 0)
					c.nfacts[k]++;
			/* an affected pair (in clear: an identifier kind)
			 * names its product, and its fix when it has one */
			if (strcmp(kind, "affected") == 0) {
				const char *av = ctext(s[S_FACTS], 2);

				c.nfacts[RF_PRODUCT]++;
				if (av && strstr(av, " fixed="))
					c.nfacts[RF_FIXED]++;
			}
			if (nf < STORE_RFACTS_MAX) {
				char	*v = st_col_open(st, s[S_FACTS], 2);

				off[nf][0] = arena.len;
				buf_puts(&arena, kind);
				buf_putc(&arena, '\0');
				off[nf][1] = arena.len;
				buf_puts(&arena, v ? v : "");
				buf_putc(&arena, '\0');
				free(v);
				nf++;
			}
			rc[S_FACTS] = st_step(s[S_FACTS]);
		}
		for (k = 0; k < (int)nf; k++) {
			c.facts[k].kind = arena.s + off[k][0];
			c.facts[k].value = arena.s + off[k][1];
		}
		c.nf = nf;
		while (scan_to(s[S_CLOCKS], &rc[S_CLOCKS], id)) {
			for (k = 0; k < 4; k++)
				if (strcmp(ctext(s[S_CLOCKS], 1), clocks[k]) ==
				    0)
					break;
			if (k < 4) {
				/* a constant: the row goes on the next step */
				st_state = ctext(s[S_CLOCKS], 2);
				c.clk[k].state = st_state[0] == 'r' ? "running"
				    : st_state[0] == 'p' ? "paused" : "met";
				c.clk[k].started_at = sqlite3_column_int64(
				    s[S_CLOCKS], 3);
				c.clk[k].ended_at = sqlite3_column_int64(
				    s[S_CLOCKS], 4);
				c.clk[k].due_at = sqlite3_column_int64(
				    s[S_CLOCKS], 5);
			}
			rc[S_CLOCKS] = st_step(s[S_CLOCKS]);
		}
		if (scan_to(s[S_EVENTS], &rc[S_EVENTS], id)) {
			c.reached_fixed = sqlite3_column_int(s[S_EVENTS], 1);
			c.reached_disclosed = sqlite3_column_int(s[S_EVENTS],
			    2);
			c.ack_suppressed = sqlite3_column_int(s[S_EVENTS], 3);
			c.human_at = sqlite3_column_int64(s[S_EVENTS], 4);
		}
		if (scan_to(s[S_CORR], &rc[S_CORR], id) && (c.human_at == 0 ||
		    sqlite3_column_int64(s[S_CORR], 1) < c.human_at))
			c.human_at = sqlite3_column_int64(s[S_CORR], 1);
		cb(&c, arg);
	}
	for (i = 0; i < S_MAX; i++)
		if (rc[i] != SQLITE_DONE && rc[i] != SQLITE_ROW) {
			st_err(st, errstr, "report");
			goto out;
		}
	rv = 0;
out:
	for (i = 0; i < S_MAX; i++)
		sqlite3_finalize(s[i]);
	buf_free(&arena);
	return rv;
}

void
store_counts_free(struct store_count *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i].key);
	free(v);
}

int
store_report_exceptions(struct store *st, long long from, long long to,
    struct store_exception **out, size_t *np, char **errstr)
{
	sqlite3_stmt		*stmt;
	struct store_exception	*v = NULL;
	size_t			 n = 0;
	int			 rc;

	*out = NULL;
	*np = 0;
	/* approved ones, and requests that no approval of the same
	 * reason followed */
	if (st_prepare(st, &stmt, "SELECT f.case_id, f.value, f.kind = "
	    "'exception', f.at FROM case_facts f JOIN cases c ON c.id = "
	    "f.case_id WHERE c.merged_into IS NULL AND c.created_at >= ?1 AND "
	    "c.created_at < ?2 AND (f.kind = 'exception' OR (f.kind = "
	    "'exception-pending' AND NOT EXISTS (SELECT 1 FROM case_facts g "
	    "WHERE g.case_id = f.case_id AND g.kind = 'exception' AND "
	    "g.value = f.value))) ORDER BY f.case_id, f.at", errstr) == -1)
		return -1;
	sqlite3_bind_int64(stmt, 1, from);
	sqlite3_bind_int64(stmt, 2, to);
	while ((rc = st_step(stmt)) == SQLITE_ROW) {
		v = xrealloc(v, (n + 1) * sizeof(*v));
		v[n].case_id = col_text(stmt, 0);
		v[n].reason = st_col_open(st, stmt, 1);
		v[n].approved = sqlite3_column_int(stmt, 2);
		v[n++].at = sqlite3_column_int64(stmt, 3);
	}
	sqlite3_finalize(stmt);
	*out = v;
	*np = n;
	return rc == SQLITE_DONE ? 0 : st_err(st, errstr, "report");
}

void
store_exceptions_free(struct store_exception *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].case_id);
		free(v[i].reason);
	}
	free(v);
}

int
store_report_reporters(struct store *st, long long from, long long to,
    struct store_reporter_stats *rs, struct store_count **top, size_t *ntop,
    char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;
	static const char sub[] = "(SELECT lower(reporter) AS r, count(*) "
	    "AS n, sum(status NOT IN ('rejected', 'duplicate')) AS v FROM "
	    "cases WHERE reporter IS NOT NULL AND merged_into IS NULL AND "
	    "created_at >= ?1 AND created_at < ?2 GROUP BY lower(reporter))";
	char		 sql[1024];

	memset(rs, 0, sizeof(*rs));
	*top = NULL;
	*ntop = 0;
	snprintf(sql, sizeof(sql), "SELECT count(*), sum(n > 1), sum(n), "
	    "sum(v) FROM %s", sub);
	if (st_prepare(st, &stmt, sql, errstr) == -1)
		return -1;
	sqlite3_bind_int64(stmt, 1, from);
	sqlite3_bind_int64(stmt, 2, to);
	if ((rc = st_step(stmt)) == SQLITE_ROW) {
		rs->reporters = sqlite3_column_int64(stmt, 0);
		rs->repeat = sqlite3_column_int64(stmt, 1);
		rs->reports = sqlite3_column_int64(stmt, 2);
		rs->valid = sqlite3_column_int64(stmt, 3);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW)
		return st_err(st, errstr, "report");
	/* the most valid reports first: count is valid, key the address */
	snprintf(sql, sizeof(sql), "SELECT r, v FROM %s ORDER BY v DESC, n "
	    "DESC, r LIMIT 10", sub);
	if (st_prepare(st, &stmt, sql, errstr) == -1)
		return -1;
	sqlite3_bind_int64(stmt, 1, from);
	sqlite3_bind_int64(stmt, 2, to);
	while ((rc = st_step(stmt)) == SQLITE_ROW) {
		*top = xrealloc(*top, (*ntop + 1) * sizeof(**top));
		(*top)[*ntop].key = col_text(stmt, 0);
		(*top)[(*ntop)++].count = sqlite3_column_int64(stmt, 1);
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : st_err(st, errstr, "report");
}

int
store_case_event_at(struct store *st, const char *case_id, const char *type,
    const char *detail, long long *at, char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*at = 0;
	if (st_prepare(st, &stmt, "SELECT at FROM events WHERE case_id = ?1 "
	    "AND type = ?2 AND detail = ?3 ORDER BY id LIMIT 1", errstr) == -1)
		return -1;
	bind_text(stmt, 1, case_id);
	bind_text(stmt, 2, type);
	bind_text(stmt, 3, detail);
	if ((rc = st_step(stmt)) == SQLITE_ROW)
		*at = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_err(st, errstr, "find event");
	return rc == SQLITE_ROW;
}

/*
 * The monitoring summary (`status`): one statement, each figure a
 * subquery over an index or a small table.
 */
int
store_summary(struct store *st, long long now, struct store_summary *s,
    char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	memset(s, 0, sizeof(*s));
	if (st_prepare(st, &stmt, "SELECT "
	    "(SELECT count(*) FROM cases WHERE status NOT IN (" STORE_ENDED
	    ")), "
	    "(SELECT count(DISTINCT d.case_id) FROM deadlines d JOIN cases c "
	    "ON c.id = d.case_id WHERE d.state = 'running' AND d.due_at < ?1 "
	    "AND c.status NOT IN (" STORE_ENDED ")), "
	    "(SELECT count(*) FROM outbox WHERE state = 'queued'), "
	    "(SELECT min(created_at) FROM outbox WHERE state = 'queued'), "
	    "(SELECT count(*) FROM outbox WHERE state = 'review'), "
	    "(SELECT min(created_at) FROM outbox WHERE state = 'review'), "
	    "(SELECT at FROM audit_heads ORDER BY id DESC LIMIT 1), "
	    "(SELECT event_id FROM audit_heads ORDER BY id DESC LIMIT 1), "
	    "(SELECT max(id) FROM events)", errstr) == -1)
		return -1;
	sqlite3_bind_int64(stmt, 1, now);
	if ((rc = st_step(stmt)) == SQLITE_ROW) {
		s->open = sqlite3_column_int64(stmt, 0);
		s->overdue = sqlite3_column_int64(stmt, 1);
		s->outbox = sqlite3_column_int64(stmt, 2);
		s->outbox_oldest = sqlite3_column_int64(stmt, 3);
		s->review = sqlite3_column_int64(stmt, 4);
		s->review_oldest = sqlite3_column_int64(stmt, 5);
		s->head_at = sqlite3_column_int64(stmt, 6);
		s->unsigned_events = sqlite3_column_int64(stmt, 8) -
		    sqlite3_column_int64(stmt, 7);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW) {
		st_err(st, errstr, "summary");
		return -1;
	}
	return 0;
}
