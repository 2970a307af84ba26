/*
 * store_find.c: what finding cases reads. See store_find.h.
 *
 * The filters SQL can judge are SQL's (columns in clear: status, kind,
 * severity, the reporter's address, the creation time, product facts,
 * running deadlines); the text people wrote is sealed in its column,
 * so a search reads it opened, row by row, and looks in C
 * (reports/find.c). Prepared statements only; every value is bound.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "spool/store.h"
#include "spool/store_find.h"
#include "spool/store_int.h"
#include "util/buf.h"
#include "util/xmalloc.h"

/* the query's parameters, by number */
enum { P_STATUS = 1, P_KIND, P_SEVERITY, P_REPORTER, P_PRODUCT, P_SINCE,
	P_NOW };

int
store_case_find(struct store *st, const struct store_case_query *q,
    struct store_found **out, size_t *np, char **errstr)
{
	sqlite3_stmt		*stmt;
	struct store_found	*v = NULL, *f;
	struct buf		 sql;
	size_t			 n = 0, cap = 0;
	int			 rc, ncol;

	*out = NULL;
	*np = 0;
	buf_init(&sql);
	buf_puts(&sql, "SELECT " ST_CASE_COLS ", (SELECT clock FROM "
	    "deadlines d WHERE d.case_id = cases.id AND d.state = 'running' "
	    "ORDER BY d.due_at, d.rowid LIMIT 1), (SELECT min(due_at) FROM "
	    "deadlines d WHERE d.case_id = cases.id AND d.state = 'running') "
	    "FROM cases WHERE 1");
	if (q->status)
		buf_puts(&sql, " AND status = ?1 COLLATE NOCASE");
	if (q->kind)
		buf_puts(&sql, " AND kind = ?2 COLLATE NOCASE");
	if (q->severity)
		buf_puts(&sql, " AND severity = ?3 COLLATE NOCASE");
	if (q->reporter)
		buf_puts(&sql, " AND reporter = ?4 COLLATE NOCASE");
	if (q->product)
		/* a product fact, or an affected pair of that product
		 * ("product=NAME vendor=..." or "product=NAME affected=...") */
		buf_puts(&sql, " AND EXISTS (SELECT 1 FROM case_facts f WHERE "
		    "f.case_id = cases.id AND ((f.kind = 'product' AND "
		    "f.value = ?5 COLLATE NOCASE) OR (f.kind = 'affected' AND "
		    "substr(f.value, 1, length(?5) + 9) = 'product=' || ?5 || "
		    "' ' COLLATE NOCASE AND (substr(f.value, length(?5) + 10, "
		    "7) = 'vendor=' OR substr(f.value, length(?5) + 10, 9) = "
		    "'affected='))))");
	if (q->since)
		buf_puts(&sql, " AND created_at >= ?6");
	if (q->overdue)
		buf_puts(&sql, " AND EXISTS (SELECT 1 FROM deadlines d WHERE "
		    "d.case_id = cases.id AND d.state = 'running' AND "
		    "d.due_at < ?7)");
	buf_puts(&sql, " ORDER BY created_at, id");
	rc = st_prepare(st, &stmt, sql.s, errstr);
	buf_free(&sql);
	if (rc == -1)
		return -1;
	if (q->status)
		bind_text(stmt, P_STATUS, q->status);
	if (q->kind)
		bind_text(stmt, P_KIND, q->kind);
	if (q->severity)
		bind_text(stmt, P_SEVERITY, q->severity);
	if (q->reporter)
		bind_text(stmt, P_REPORTER, q->reporter);
	if (q->product)
		bind_text(stmt, P_PRODUCT, q->product);
	if (q->since)
		sqlite3_bind_int64(stmt, P_SINCE, q->since);
	if (q->overdue)
		sqlite3_bind_int64(stmt, P_NOW, q->now);
	while ((rc = st_step(stmt)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xrealloc(v, cap * sizeof(*v));
		}
		f = &v[n++];
		memset(f, 0, sizeof(*f));
		st_case_row(st, stmt, &f->c);
		ncol = sqlite3_column_count(stmt);
		f->next_clock = col_text(stmt, ncol - 2);
		f->next_due = sqlite3_column_int64(stmt, ncol - 1);
	}
	sqlite3_finalize(stmt);
	*out = v;
	*np = n;
	if (rc != SQLITE_DONE)
		return st_err(st, errstr, "find cases");
	return 0;
}

void
store_found_free(struct store_found *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		store_case_free(&v[i].c);
		free(v[i].next_clock);
	}
	free(v);
}

int
store_facts_each(struct store *st, const char *kind,
    int (*cb)(void *, const char *, const char *, const char *), void *arg,
    char **errstr)
{
	sqlite3_stmt	*stmt;
	char		*value;
	int		 rc, stop = 0;

	if (st_prepare(st, &stmt, kind ? "SELECT case_id, kind, value FROM "
	    "case_facts WHERE kind = ?1 ORDER BY case_id, at, rowid" :
	    "SELECT case_id, kind, value FROM case_facts "
	    "ORDER BY case_id, at, rowid", errstr) == -1)
		return -1;
	if (kind)
		bind_text(stmt, 1, kind);
	while (!stop && (rc = st_step(stmt)) == SQLITE_ROW) {
		value = st_col_open(st, stmt, 2);
		stop = cb(arg, col_cstr(stmt, 0),
		    col_cstr(stmt, 1), value ? value :
		    "");
		free(value);
	}
	sqlite3_finalize(stmt);
	if (!stop && rc != SQLITE_DONE)
		return st_err(st, errstr, "read facts");
	return 0;
}

int
store_texts_each(struct store *st, int (*cb)(void *, const char *, size_t,
    const char *, const char *, const char *), void *arg, char **errstr)
{
	sqlite3_stmt	*stmt;
	char		*subject, *last = NULL;
	const char	*id;
	size_t		 k = 0;
	int		 rc, stop = 0, gone;

	/* the order of store_messages within a case: by id */
	if (st_prepare(st, &stmt, "SELECT case_id, subject, text, text_ref, "
	    "expired FROM messages WHERE case_id IS NOT NULL "
	    "ORDER BY case_id, id", errstr) == -1)
		return -1;
	while (!stop && (rc = st_step(stmt)) == SQLITE_ROW) {
		id = col_cstr(stmt, 0);
		if (last == NULL || strcmp(last, id) != 0) {
			free(last);
			last = xstrdup(id);
			k = 0;
		}
		k++;
		gone = sqlite3_column_int(stmt, 4) != 0;
		subject = st_col_open(st, stmt, 1);
		stop = cb(arg, id, k, subject, gone ? NULL :
		    col_cstr(stmt, 2), gone ? NULL :
		    col_cstr(stmt, 3));
		free(subject);
	}
	free(last);
	sqlite3_finalize(stmt);
	if (!stop && rc != SQLITE_DONE)
		return st_err(st, errstr, "read messages");
	return 0;
}
