/*
 * store_notice.c: team notices waiting for their member's flush. See
 * store_notice.h; the helpers are in store_int.h. The detail may hold
 * text people wrote (an exception's reason): sealed in its column.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "util/xmalloc.h"
#include "spool/store.h"
#include "spool/store_notice.h"
#include "spool/store_int.h"

int
store_notice_add(struct store *st, const struct store_notice *n,
    char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "INSERT OR IGNORE INTO notice_pending(rcpt, "
	    "event, case_id, ref, detail, red, at) VALUES (?1,?2,?3,?4,?5,"
	    "?6,?7)", errstr) == -1)
		return -1;
	bind_text(stmt, 1, n->rcpt);
	bind_text(stmt, 2, n->event);
	/* a quarantined message has no case: '' keeps UNIQUE working */
	bind_text(stmt, 3, n->case_id ? n->case_id : "");
	bind_text(stmt, 4, n->ref ? n->ref : "");
	if (st_bind_sealed(st, stmt, 5, n->detail, errstr) == -1) {
		sqlite3_finalize(stmt);
		return -1;
	}
	sqlite3_bind_int(stmt, 6, n->red);
	sqlite3_bind_int64(stmt, 7, n->at);
	if (st_step_done(st, stmt, "record team notice", errstr) == -1)
		return -1;
	return sqlite3_changes(st->db) > 0;
}

int
store_notice_rcpts(struct store *st, char ***rcpts, long long **last,
    size_t *np, char **errstr)
{
	sqlite3_stmt	*stmt;
	size_t		 n = 0, cap = 0;
	int		 rc;

	*rcpts = NULL;
	*last = NULL;
	*np = 0;
	if (st_prepare(st, &stmt, "SELECT p.rcpt, coalesce(l.at, 0) FROM "
	    "(SELECT rcpt, min(id) AS first FROM notice_pending GROUP BY "
	    "rcpt) p LEFT JOIN notice_last l ON l.rcpt = p.rcpt ORDER BY "
	    "p.first", errstr) == -1)
		return -1;
	while ((rc = st_step(stmt)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			*rcpts = xrealloc(*rcpts, cap * sizeof(**rcpts));
			*last = xrealloc(*last, cap * sizeof(**last));
		}
		(*rcpts)[n] = col_text(stmt, 0);
		(*last)[n++] = sqlite3_column_int64(stmt, 1);
	}
	sqlite3_finalize(stmt);
	*np = n;
	if (rc != SQLITE_DONE)
		return st_err(st, errstr, "list team notices");
	return 0;
}

int
store_notice_list(struct store *st, const char *rcpt,
    struct store_notice **out, size_t *np, char **errstr)
{
	sqlite3_stmt		*stmt;
	struct store_notice	*v = NULL, *o;
	size_t			 n = 0, cap = 0;
	int			 rc;

	if (st_prepare(st, &stmt, "SELECT id, rcpt, event, case_id, ref, "
	    "detail, red, at FROM notice_pending WHERE rcpt = ?1 ORDER BY id",
	    errstr) == -1)
		return -1;
	bind_text(stmt, 1, rcpt);
	while ((rc = st_step(stmt)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			v = xrealloc(v, cap * sizeof(*v));
		}
		o = &v[n++];
		o->id = sqlite3_column_int64(stmt, 0);
		o->rcpt = col_text(stmt, 1);
		o->event = col_text(stmt, 2);
		o->case_id = col_text(stmt, 3);
		if (o->case_id && o->case_id[0] == '\0') {
			free(o->case_id);
			o->case_id = NULL;
		}
		o->ref = col_text(stmt, 4);
		o->detail = sqlite3_column_type(stmt, 5) == SQLITE_NULL ?
		    NULL : st_col_open(st, stmt, 5);
		o->red = sqlite3_column_int(stmt, 6);
		o->at = sqlite3_column_int64(stmt, 7);
	}
	sqlite3_finalize(stmt);
	*out = v;
	*np = n;
	if (rc != SQLITE_DONE)
		return st_err(st, errstr, "list team notices");
	return 0;
}

int
store_notice_done(struct store *st, const char *rcpt, long long upto,
    long long at, char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "DELETE FROM notice_pending WHERE rcpt = ?1 "
	    "AND id <= ?2", errstr) == -1)
		return -1;
	bind_text(stmt, 1, rcpt);
	sqlite3_bind_int64(stmt, 2, upto);
	if (st_step_done(st, stmt, "remove team notices", errstr) == -1)
		return -1;
	if (st_prepare(st, &stmt, "INSERT INTO notice_last(rcpt, at) VALUES "
	    "(?1, ?2) ON CONFLICT(rcpt) DO UPDATE SET at = excluded.at",
	    errstr) == -1)
		return -1;
	bind_text(stmt, 1, rcpt);
	sqlite3_bind_int64(stmt, 2, at);
	return st_step_done(st, stmt, "record team notice time", errstr);
}

int
store_notice_count(struct store *st, long long *n, char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*n = 0;
	if (st_prepare(st, &stmt, "SELECT count(*) FROM notice_pending",
	    errstr) == -1)
		return -1;
	if ((rc = st_step(stmt)) == SQLITE_ROW)
		*n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return rc == SQLITE_ROW ? 0 : st_err(st, errstr, "count notices");
}

void
store_notices_free(struct store_notice *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].rcpt);
		free(v[i].event);
		free(v[i].case_id);
		free(v[i].ref);
		free(v[i].detail);
	}
	free(v);
}

void
store_notice_rcpts_free(char **r, long long *last, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(r[i]);
	free(r);
	free(last);
}
