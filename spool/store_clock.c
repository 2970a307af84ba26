/*
 * store_clock.c: deadlines of cases and the escalation steps sent. See
 * store.h.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "util/xmalloc.h"
#include "spool/store.h"
#include "spool/store_clock.h"
#include "spool/store_int.h"

#define DL_COLS "case_id, clock, state, business, duration, used, since, " \
	"due_at, next_at, missed_at, started_at, ended_at, step"

static void	 dl_row(sqlite3_stmt *, struct store_deadline *);
static int	 dl_list(struct store *, const char *, const char *,
		    long long, struct store_deadline **, size_t *, char **);

static void
dl_row(sqlite3_stmt *stmt, struct store_deadline *d)
{
	d->case_id = col_text(stmt, 0);
	d->clock = col_text(stmt, 1);
	d->state = col_text(stmt, 2);
	d->business = sqlite3_column_int(stmt, 3);
	d->duration = sqlite3_column_int64(stmt, 4);
	d->used = sqlite3_column_int64(stmt, 5);
	d->since = sqlite3_column_int64(stmt, 6);
	d->due_at = sqlite3_column_int64(stmt, 7);
	d->next_at = sqlite3_column_int64(stmt, 8);
	d->missed_at = sqlite3_column_int64(stmt, 9);
	d->started_at = sqlite3_column_int64(stmt, 10);
	d->ended_at = sqlite3_column_int64(stmt, 11);
	d->step = sqlite3_column_int(stmt, 12);
}

int
store_deadline_get(struct store *st, const char *case_id, const char *clock,
    struct store_deadline *d, char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	memset(d, 0, sizeof(*d));
	if (st_prepare(st, &stmt, "SELECT " DL_COLS " FROM deadlines WHERE "
	    "case_id = ?1 AND clock = ?2", errstr) == -1)
		return -1;
	bind_text(stmt, 1, case_id);
	bind_text(stmt, 2, clock);
	if ((rc = st_step(stmt)) == SQLITE_ROW)
		dl_row(stmt, d);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_err(st, errstr, "read deadline");
	return rc == SQLITE_ROW;
}

int
store_deadline_put(struct store *st, const struct store_deadline *d,
    char **errstr)
{
	sqlite3_stmt	*stmt;
	long long	 v[9] = { d->duration, d->used, d->since, d->due_at,
		d->next_at, d->missed_at, d->started_at, d->ended_at, 0 };
	int		 i;

	if (st_prepare(st, &stmt, "INSERT OR REPLACE INTO deadlines("
	    DL_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", errstr) == -1)
		return -1;
	bind_text(stmt, 1, d->case_id);
	bind_text(stmt, 2, d->clock);
	bind_text(stmt, 3, d->state);
	sqlite3_bind_int(stmt, 4, d->business);
	for (i = 0; i < 8; i++) {
		/* next_at, missed_at, ended_at: 0 is NULL */
		if (v[i] == 0 && (i == 4 || i == 5 || i == 7))
			continue;
		sqlite3_bind_int64(stmt, 5 + i, v[i]);
	}
	sqlite3_bind_int(stmt, 13, d->step);
	return st_step_done(st, stmt, "write deadline", errstr);
}

static int
dl_list(struct store *st, const char *sql, const char *case_id,
    long long now, struct store_deadline **out, size_t *np, char **errstr)
{
	sqlite3_stmt		*stmt;
	struct store_deadline	*v = NULL;
	size_t			 n = 0;
	int			 rc;

	*out = NULL;
	*np = 0;
	if (st_prepare(st, &stmt, sql, errstr) == -1)
		return -1;
	if (case_id)
		bind_text(stmt, 1, case_id);
	else
		sqlite3_bind_int64(stmt, 1, now);
	while ((rc = st_step(stmt)) == SQLITE_ROW) {
		v = xrealloc(v, (n + 1) * sizeof(*v));
		memset(&v[n], 0, sizeof(v[n]));
		dl_row(stmt, &v[n++]);
	}
	sqlite3_finalize(stmt);
	*out = v;
	*np = n;
	if (rc != SQLITE_DONE)
		return st_err(st, errstr, "read deadlines");
	return 0;
}

int
store_deadlines(struct store *st, const char *case_id,
    struct store_deadline **out, size_t *np, char **errstr)
{
	return dl_list(st, "SELECT " DL_COLS " FROM deadlines WHERE "
	    "case_id = ?1 ORDER BY started_at, rowid", case_id, 0, out, np,
	    errstr);
}

int
store_deadlines_due(struct store *st, long long now,
    struct store_deadline **out, size_t *np, char **errstr)
{
	return dl_list(st, "SELECT " DL_COLS " FROM deadlines WHERE "
	    "next_at IS NOT NULL AND next_at <= ?1 ORDER BY next_at", NULL,
	    now, out, np, errstr);
}

int
store_deadlines_open(struct store *st, struct store_deadline **out,
    size_t *np, char **errstr)
{
	return dl_list(st, "SELECT " DL_COLS " FROM deadlines WHERE "
	    "state != 'met' ORDER BY due_at, case_id",
	    NULL, 0, out, np, errstr);
}

int
store_deadlines_overdue(struct store *st, long long now,
    struct store_deadline **out, size_t *np, char **errstr)
{
	return dl_list(st, "SELECT " DL_COLS " FROM deadlines WHERE "
	    "state = 'running' AND due_at < ?1 ORDER BY due_at", NULL, now,
	    out, np, errstr);
}

void
store_deadline_free(struct store_deadline *d)
{
	free(d->case_id);
	free(d->clock);
	free(d->state);
	memset(d, 0, sizeof(*d));
}

void
store_deadlines_free(struct store_deadline *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		store_deadline_free(&v[i]);
	free(v);
}

int
store_escalation_add(struct store *st, const char *case_id,
    const char *clock, int step, const char *rcpt, const char *message_id,
    long long at, char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "INSERT OR IGNORE INTO escalations(case_id, "
	    "clock, step, rcpt, sent_at, message_id) VALUES (?,?,?,?,?,?)",
	    errstr) == -1)
		return -1;
	bind_text(stmt, 1, case_id);
	bind_text(stmt, 2, clock);
	sqlite3_bind_int(stmt, 3, step);
	bind_text(stmt, 4, rcpt);
	sqlite3_bind_int64(stmt, 5, at);
	bind_text(stmt, 6, message_id);
	if (st_step_done(st, stmt, "record escalation", errstr) == -1)
		return -1;
	return sqlite3_changes(st->db) == 1;
}

int
store_escalation_sent(struct store *st, const char *case_id,
    const char *clock, int step, const char *rcpt, char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	if (st_prepare(st, &stmt, "SELECT 1 FROM escalations WHERE case_id = "
	    "?1 AND clock = ?2 AND step = ?3 AND rcpt = ?4", errstr) == -1)
		return -1;
	bind_text(stmt, 1, case_id);
	bind_text(stmt, 2, clock);
	sqlite3_bind_int(stmt, 3, step);
	bind_text(stmt, 4, rcpt);
	rc = st_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_err(st, errstr, "read escalations");
	return rc == SQLITE_ROW;
}

int
store_escalations_clear(struct store *st, const char *case_id,
    const char *clock, char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "DELETE FROM escalations WHERE case_id = "
	    "?1 AND clock = ?2", errstr) == -1)
		return -1;
	bind_text(stmt, 1, case_id);
	bind_text(stmt, 2, clock);
	return st_step_done(st, stmt, "clear escalations", errstr);
}

int
store_escalations_count(struct store *st, const char *case_id,
    const char *clock, long long *n, char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*n = 0;
	if (st_prepare(st, &stmt, "SELECT count(*) FROM escalations WHERE "
	    "case_id = ?1 AND clock = ?2", errstr) == -1)
		return -1;
	bind_text(stmt, 1, case_id);
	bind_text(stmt, 2, clock);
	if ((rc = st_step(stmt)) == SQLITE_ROW)
		*n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW)
		return st_err(st, errstr, "count escalations");
	return 0;
}

int
store_digest_sent(struct store *st, const char *rcpt, const char *day,
    const char *kind, char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	if (st_prepare(st, &stmt, "SELECT 1 FROM digests WHERE rcpt = ?1 AND "
	    "day = ?2 AND kind = ?3", errstr) == -1)
		return -1;
	bind_text(stmt, 1, rcpt);
	bind_text(stmt, 2, day);
	bind_text(stmt, 3, kind);
	rc = st_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_err(st, errstr, "read digests");
	return rc == SQLITE_ROW;
}

int
store_digest_add(struct store *st, const char *rcpt, const char *day,
    const char *kind, const char *message_id, long long at, char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "INSERT OR IGNORE INTO digests(rcpt, day, "
	    "kind, sent_at, message_id) VALUES (?,?,?,?,?)", errstr) == -1)
		return -1;
	bind_text(stmt, 1, rcpt);
	bind_text(stmt, 2, day);
	bind_text(stmt, 3, kind);
	sqlite3_bind_int64(stmt, 4, at);
	bind_text(stmt, 5, message_id);
	if (st_step_done(st, stmt, "record digest", errstr) == -1)
		return -1;
	return sqlite3_changes(st->db) == 1;
}
