/*
 * store_audit.c: reading the chained event log and its signed heads.
 * See store.h; the chain is written by store_event_add() in store.c.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "util/xmalloc.h"
#include "spool/store.h"
#include "spool/store_keys.h"
#include "spool/store_audit.h"
#include "spool/store_int.h"

int
store_chain_walk(struct store *st, long long first_id,
    int (*fn)(void *, const struct store_chain *), void *ctx,
    char **errstr)
{
	sqlite3_stmt		*stmt;
	struct store_chain	 e;
	int			 rc, r = 0;

	if (st_prepare(st, &stmt, "SELECT id, at, case_id, type, detail, "
	    "actor, digest, prev, hash FROM events WHERE id >= ?1 ORDER BY id",
	    errstr) == -1)
		return -1;
	sqlite3_bind_int64(stmt, 1, first_id);
	while (r == 0 && (rc = st_step(stmt)) == SQLITE_ROW) {
		e.id = sqlite3_column_int64(stmt, 0);
		e.at = sqlite3_column_int64(stmt, 1);
		e.case_id = col_text(stmt, 2);
		e.type = col_text(stmt, 3);
		e.detail = col_text(stmt, 4);
		e.actor = col_text(stmt, 5);
		e.digest = col_text(stmt, 6);
		e.prev = col_text(stmt, 7);
		e.hash = col_text(stmt, 8);
		r = fn(ctx, &e);
		free(e.case_id);
		free(e.type);
		free(e.detail);
		free(e.actor);
		free(e.digest);
		free(e.prev);
		free(e.hash);
	}
	sqlite3_finalize(stmt);
	if (r == 0 && rc != SQLITE_DONE)
		return st_err(st, errstr, "read events");
	return r;
}

int
store_chain_last(struct store *st, long long *id, char **hash,
    char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*id = 0;
	*hash = NULL;
	if (st_prepare(st, &stmt, "SELECT id, hash FROM events WHERE hash IS "
	    "NOT NULL ORDER BY id DESC LIMIT 1", errstr) == -1)
		return -1;
	if ((rc = st_step(stmt)) == SQLITE_ROW) {
		*id = sqlite3_column_int64(stmt, 0);
		*hash = col_text(stmt, 1);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_err(st, errstr, "read events");
	return rc == SQLITE_ROW;
}

/* One integer from sql, with ?1 bound to arg when arg >= 0. */
static int
one_int(struct store *st, const char *sql, long long arg, long long *out,
    const char *what, char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*out = 0;
	if (st_prepare(st, &stmt, sql, errstr) == -1)
		return -1;
	if (arg >= 0)
		sqlite3_bind_int64(stmt, 1, arg);
	if ((rc = st_step(stmt)) == SQLITE_ROW)
		*out = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW)
		return st_err(st, errstr, what);
	return 0;
}

int
store_events_last(struct store *st, long long *id, char **errstr)
{
	return one_int(st, "SELECT coalesce(max(id), 0) FROM events", -1, id,
	    "read events", errstr);
}

int
store_chain_count(struct store *st, long long upto, long long *n,
    char **errstr)
{
	return one_int(st, "SELECT count(*) FROM events WHERE hash IS NOT "
	    "NULL AND id <= ?1", upto, n, "count events", errstr);
}

int
store_event_hash(struct store *st, long long id, char **hash, char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*hash = NULL;
	if (st_prepare(st, &stmt, "SELECT hash FROM events WHERE id = ?1",
	    errstr) == -1)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	if ((rc = st_step(stmt)) == SQLITE_ROW)
		*hash = col_text(stmt, 0);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_err(st, errstr, "read events");
	return 0;
}

int
store_chain_first_of(struct store *st, const char *case_id, long long *id,
    char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*id = 0;
	if (st_prepare(st, &stmt, "SELECT min(id) FROM events WHERE case_id "
	    "= ?1 AND hash IS NOT NULL", errstr) == -1)
		return -1;
	bind_text(stmt, 1, case_id);
	if ((rc = st_step(stmt)) == SQLITE_ROW)
		*id = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW)
		return st_err(st, errstr, "read events");
	return 0;
}

int
store_head_add(struct store *st, const struct store_head *h, char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "INSERT INTO audit_heads(event_id, hash, "
	    "at, signature, public_key) VALUES (?,?,?,?,?)", errstr) == -1)
		return -1;
	sqlite3_bind_int64(stmt, 1, h->event_id);
	bind_text(stmt, 2, h->hash);
	sqlite3_bind_int64(stmt, 3, h->at);
	bind_text(stmt, 4, h->signature);
	bind_text(stmt, 5, h->public_key);
	return st_step_done(st, stmt, "sign the audit head", errstr);
}

int
store_heads(struct store *st, struct store_head **out, size_t *np,
    char **errstr)
{
	sqlite3_stmt		*stmt;
	struct store_head	*v = NULL;
	size_t			 n = 0;
	int			 rc;

	*out = NULL;
	*np = 0;
	if (st_prepare(st, &stmt, "SELECT id, event_id, hash, at, signature, "
	    "public_key FROM audit_heads ORDER BY id", errstr) == -1)
		return -1;
	while ((rc = st_step(stmt)) == SQLITE_ROW) {
		v = xrealloc(v, (n + 1) * sizeof(*v));
		v[n].id = sqlite3_column_int64(stmt, 0);
		v[n].event_id = sqlite3_column_int64(stmt, 1);
		v[n].hash = col_text(stmt, 2);
		v[n].at = sqlite3_column_int64(stmt, 3);
		v[n].signature = col_text(stmt, 4);
		v[n++].public_key = col_text(stmt, 5);
	}
	sqlite3_finalize(stmt);
	*out = v;
	*np = n;
	if (rc != SQLITE_DONE)
		return st_err(st, errstr, "read audit heads");
	return 0;
}

int
store_head_last(struct store *st, long long *event_id, char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*event_id = 0;
	if (st_prepare(st, &stmt, "SELECT event_id FROM audit_heads ORDER BY "
	    "id DESC LIMIT 1", errstr) == -1)
		return -1;
	if ((rc = st_step(stmt)) == SQLITE_ROW)
		*event_id = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_err(st, errstr, "read audit heads");
	return 0;
}

void
store_heads_free(struct store_head *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].hash);
		free(v[i].signature);
		free(v[i].public_key);
	}
	free(v);
}

int
store_command_seen(struct store *st, const char *message_id,
    const char *case_id, char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "INSERT OR IGNORE INTO command_mails("
	    "message_id, case_id, at) VALUES (?, ?, strftime('%s', 'now'))",
	    errstr) == -1)
		return -1;
	bind_text(stmt, 1, message_id);
	bind_text(stmt, 2, case_id);
	if (st_step_done(st, stmt, "record a command mail", errstr) == -1)
		return -1;
	return sqlite3_changes(st->db) == 0;
}

int
store_key_offer(struct store *st, const char *addr, const char *proto,
    const char *fpr, char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "INSERT OR IGNORE INTO key_offers(addr, "
	    "protocol, fingerprint, at) VALUES (?, ?, ?, strftime('%s', "
	    "'now'))", errstr) == -1)
		return -1;
	bind_text(stmt, 1, addr);
	bind_text(stmt, 2, proto);
	bind_text(stmt, 3, fpr);
	if (st_step_done(st, stmt, "record a key offer", errstr) == -1)
		return -1;
	return sqlite3_changes(st->db) == 1;
}

int
store_refusal_burst(struct store *st, const char *addr, long long now,
    char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "INSERT INTO refusal_bursts(addr, since) "
	    "VALUES (?1, ?2) ON CONFLICT(addr) DO UPDATE SET since = ?2 "
	    "WHERE since <= ?2 - 3600", errstr) == -1)
		return -1;
	bind_text(stmt, 1, addr);
	sqlite3_bind_int64(stmt, 2, now);
	if (st_step_done(st, stmt, "record a refusal burst", errstr) == -1)
		return -1;
	return sqlite3_changes(st->db) == 1;
}

int
store_command_sig_seen(struct store *st, const char *sig,
    const char *case_id, const char *message_id, char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "INSERT OR IGNORE INTO command_signatures("
	    "sig, case_id, message_id, at) VALUES (?, ?, ?, "
	    "strftime('%s', 'now'))", errstr) == -1)
		return -1;
	bind_text(stmt, 1, sig);
	bind_text(stmt, 2, case_id);
	bind_text(stmt, 3, message_id);
	if (st_step_done(st, stmt, "record a command signature",
	    errstr) == -1)
		return -1;
	return sqlite3_changes(st->db) == 0;
}
