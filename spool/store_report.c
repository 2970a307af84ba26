/*
 * store_report.c: what the store tells about reporters (the guideline's
 * reporter relationship record). See store.h.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "agent/util/xmalloc.h"
#include "spool/store.h"
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
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
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
	    "ORDER BY count(*) DESC, f.value LIMIT 5)), "
	    "(SELECT f.value FROM case_facts f JOIN cases c4 ON c4.id = "
	    "f.case_id WHERE c4.reporter = c.reporter COLLATE NOCASE AND "
	    "f.kind = 'credit' ORDER BY f.at DESC, f.rowid DESC LIMIT 1) "
	    "FROM cases c WHERE c.reporter IS NOT NULL AND c.merged_into IS "
	    "NULL GROUP BY lower(c.reporter) ORDER BY count(*) DESC, "
	    "lower(c.reporter)", errstr) == -1)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		v = xrealloc(v, (n + 1) * sizeof(*v));
		r = &v[n++];
		memset(r, 0, sizeof(*r));
		r->addr = col_text(stmt, 0);
		r->name = col_text(stmt, 1);
		r->reports = sqlite3_column_int64(stmt, 2);
		r->valid = sqlite3_column_int64(stmt, 3);
		r->first_at = sqlite3_column_int64(stmt, 4);
		r->last_at = sqlite3_column_int64(stmt, 5);
		r->encrypted = sqlite3_column_int64(stmt, 6);
		r->cwes = col_text(stmt, 7);
		r->credit = col_text(stmt, 8);
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
