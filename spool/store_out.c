/*
 * store_out.c: the outbox, failing addresses, reporter key pins and the
 * IMAP intake state. See store.h; the helpers are in store_int.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "util/xmalloc.h"
#include "spool/store.h"
#include "spool/store_msg.h"
#include "spool/store_out.h"
#include "spool/store_keys.h"
#include "spool/store_int.h"

int
store_outbox_add(struct store *st, const struct store_outbox *o,
    char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "INSERT INTO outbox(case_id, message_id, "
	    "rcpt, kind, raw, state, attempts, next_try, created_at) "
	    "VALUES (?1,?2,?3,?4,?5,coalesce(?8, 'queued'),0,?6,?7)",
	    errstr) == -1)
		return -1;
	bind_text(stmt, 8, o->state);
	bind_text(stmt, 1, o->case_id);
	bind_text(stmt, 2, o->message_id);
	bind_text(stmt, 3, o->rcpt);
	bind_text(stmt, 4, o->kind);
	bind_check(stmt, sqlite3_bind_blob(stmt, 5, o->raw, (int)o->rawlen,
	    SQLITE_TRANSIENT));
	sqlite3_bind_int64(stmt, 6, o->next_try);
	sqlite3_bind_int64(stmt, 7, o->created_at);
	return st_step_done(st, stmt, "queue reply", errstr);
}

int
store_outbox_due(struct store *st, long long now, struct store_outbox **out,
    size_t *np, char **errstr)
{
	sqlite3_stmt		*stmt;
	struct store_outbox	*v = NULL, *o;
	size_t			 n = 0, cap = 0;
	int			 rc;

	if (st_prepare(st, &stmt, "SELECT id, case_id, message_id, rcpt, "
	    "raw, state, kind, attempts, next_try, last_error, created_at FROM "
	    "outbox WHERE (state = 'queued' OR (?1 < 0 AND state = 'review')) "
	    "AND (?1 < 0 OR next_try <= ?1) "
	    "ORDER BY id",
	    errstr) == -1)
		return -1;
	sqlite3_bind_int64(stmt, 1, now);
	while ((rc = st_step(stmt)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			v = xrealloc(v, cap * sizeof(*v));
		}
		o = &v[n++];
		o->id = sqlite3_column_int64(stmt, 0);
		o->case_id = col_text(stmt, 1);
		o->message_id = col_text(stmt, 2);
		o->rcpt = col_text(stmt, 3);
		o->rawlen = (size_t)sqlite3_column_bytes(stmt, 4);
		o->raw = xmalloc(o->rawlen + 1);
		if (o->rawlen)
			memcpy(o->raw, sqlite3_column_blob(stmt, 4),
			    o->rawlen);
		o->raw[o->rawlen] = '\0';
		o->state = col_text(stmt, 5);
		o->kind = col_text(stmt, 6);
		o->attempts = sqlite3_column_int64(stmt, 7);
		o->next_try = sqlite3_column_int64(stmt, 8);
		o->last_error = col_text(stmt, 9);
		o->created_at = sqlite3_column_int64(stmt, 10);
	}
	sqlite3_finalize(stmt);
	*out = v;
	*np = n;
	if (rc != SQLITE_DONE)
		return st_err(st, errstr, "list outbox");
	return 0;
}

int
store_outbox_pending(struct store *st, struct store_outbox **out, size_t *np,
    char **errstr)
{
	return store_outbox_due(st, -1, out, np, errstr);
}

int
store_outbox_release(struct store *st, const char *message_id,
    char **case_id, char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*case_id = NULL;
	if (st_prepare(st, &stmt, "SELECT case_id FROM outbox WHERE "
	    "message_id = ?1 AND state = 'review'", errstr) == -1)
		return -1;
	bind_text(stmt, 1, message_id);
	if ((rc = st_step(stmt)) == SQLITE_ROW)
		*case_id = col_text(stmt, 0);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : st_err(st, errstr, "outbox");
	if (st_prepare(st, &stmt, "UPDATE outbox SET state = 'queued', "
	    "next_try = 0 WHERE message_id = ?1 AND state = 'review'",
	    errstr) == -1)
		return -1;
	bind_text(stmt, 1, message_id);
	if (st_step_done(st, stmt, "release reply", errstr) == -1)
		return -1;
	return 1;
}

int
store_outbox_update(struct store *st, long long id, const char *state,
    long long attempts, long long next_try, const char *error,
    char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "UPDATE outbox SET state = ?2, "
	    "attempts = ?3, next_try = ?4, last_error = ?5, claimed = 0 "
	    "WHERE id = ?1", errstr) == -1)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	bind_text(stmt, 2, state);
	sqlite3_bind_int64(stmt, 3, attempts);
	sqlite3_bind_int64(stmt, 4, next_try);
	bind_text(stmt, 5, error);
	return st_step_done(st, stmt, "update outbox", errstr);
}

void
store_outbox_free(struct store_outbox *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].case_id);
		free(v[i].message_id);
		free(v[i].rcpt);
		free(v[i].raw);
		free(v[i].kind);
		free(v[i].state);
		free(v[i].last_error);
	}
	free(v);
}

int
store_replies_since(struct store *st, const char *rcpt, const char *kind,
    long long since, long long *count, char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	if (st_prepare(st, &stmt, "SELECT count(*) FROM outbox WHERE "
	    "rcpt = ?1 COLLATE NOCASE AND kind = ?2 AND created_at >= ?3",
	    errstr) == -1)
		return -1;
	bind_text(stmt, 1, rcpt);
	bind_text(stmt, 2, kind);
	sqlite3_bind_int64(stmt, 3, since);
	rc = st_step(stmt);
	*count = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW)
		return st_err(st, errstr, "count replies");
	return 0;
}

int
store_address_fail(struct store *st, const char *case_id, const char *addr,
    const char *reason, char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "INSERT OR REPLACE INTO address_status("
	    "case_id, addr, status, reason, at) VALUES (?,?,'failing',?,?)",
	    errstr) == -1)
		return -1;
	bind_text(stmt, 1, case_id);
	bind_text(stmt, 2, addr);
	bind_text(stmt, 3, reason);
	sqlite3_bind_int64(stmt, 4, (long long)time(NULL));
	return st_step_done(st, stmt, "mark address failing", errstr);
}

int
store_pin_get(struct store *st, const char *addr, const char *proto,
    char **fpr, char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*fpr = NULL;
	if (st_prepare(st, &stmt, "SELECT fingerprint FROM key_pins "
	    "WHERE addr = lower(?1) AND protocol = ?2", errstr) == -1)
		return -1;
	bind_text(stmt, 1, addr);
	bind_text(stmt, 2, proto);
	if ((rc = st_step(stmt)) == SQLITE_ROW)
		*fpr = col_text(stmt, 0);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_err(st, errstr, "key pin");
	return rc == SQLITE_ROW;
}

int
store_pin_set(struct store *st, const char *addr, const char *proto,
    const char *fpr, const char *source, char **errstr)
{
	sqlite3_stmt	*stmt;
	long long	 now = (long long)time(NULL);

	if (st_prepare(st, &stmt, "INSERT INTO key_pins(addr, protocol, "
	    "fingerprint, source, first_seen, last_seen) VALUES "
	    "(lower(?1), ?2, ?3, ?4, ?5, ?5) ON CONFLICT(addr, protocol) DO "
	    "UPDATE SET last_seen = ?5, source = CASE WHEN fingerprint = ?3 "
	    "THEN source ELSE ?4 END, first_seen = CASE WHEN fingerprint = ?3 "
	    "THEN first_seen ELSE ?5 END, fingerprint = ?3", errstr) == -1)
		return -1;
	bind_text(stmt, 1, addr);
	bind_text(stmt, 2, proto);
	bind_text(stmt, 3, fpr);
	bind_text(stmt, 4, source);
	sqlite3_bind_int64(stmt, 5, now);
	return st_step_done(st, stmt, "key pin", errstr);
}

int
store_pins(struct store *st, struct store_pin **out, size_t *np,
    char **errstr)
{
	sqlite3_stmt		*stmt;
	struct store_pin	*v = NULL;
	size_t			 n = 0;
	int			 rc;

	if (st_prepare(st, &stmt, "SELECT addr, protocol, fingerprint, "
	    "source, first_seen, last_seen FROM key_pins ORDER BY addr",
	    errstr) == -1)
		return -1;
	while ((rc = st_step(stmt)) == SQLITE_ROW) {
		v = xrealloc(v, (n + 1) * sizeof(*v));
		v[n].addr = col_text(stmt, 0);
		v[n].protocol = col_text(stmt, 1);
		v[n].fingerprint = col_text(stmt, 2);
		v[n].source = col_text(stmt, 3);
		v[n].first_seen = sqlite3_column_int64(stmt, 4);
		v[n].last_seen = sqlite3_column_int64(stmt, 5);
		n++;
	}
	sqlite3_finalize(stmt);
	*out = v;
	*np = n;
	if (rc != SQLITE_DONE)
		return st_err(st, errstr, "list key pins");
	return 0;
}

void
store_pins_free(struct store_pin *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].addr);
		free(v[i].protocol);
		free(v[i].fingerprint);
		free(v[i].source);
	}
	free(v);
}

int
store_outbox_claim(struct store *st, long long id, long long now,
    long long until, char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "UPDATE outbox SET next_try = ?3, "
	    "claimed = 1 WHERE id = ?1 AND state = 'queued' AND "
	    "next_try <= ?2", errstr) == -1)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, now);
	sqlite3_bind_int64(stmt, 3, until);
	if (st_step_done(st, stmt, "claim reply", errstr) == -1)
		return -1;
	return sqlite3_changes(st->db) == 1;
}

int
store_outbox_unclaim(struct store *st, long long now, char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "UPDATE outbox SET claimed = 0, "
	    "next_try = min(next_try, ?1) WHERE claimed = 1 AND "
	    "state = 'queued'", errstr) == -1)
		return -1;
	sqlite3_bind_int64(stmt, 1, now);
	return st_step_done(st, stmt, "unclaim replies", errstr);
}

int
store_imap_state(struct store *st, const char *mailbox, long long *uidvalidity,
    long long *last_uid, char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	if (st_prepare(st, &stmt, "SELECT uidvalidity, last_uid FROM "
	    "imap_state WHERE mailbox = ?1", errstr) == -1)
		return -1;
	bind_text(stmt, 1, mailbox);
	if ((rc = st_step(stmt)) == SQLITE_ROW) {
		*uidvalidity = sqlite3_column_int64(stmt, 0);
		*last_uid = sqlite3_column_int64(stmt, 1);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_err(st, errstr, "IMAP state");
	return rc == SQLITE_ROW;
}

int
store_imap_state_set(struct store *st, const char *mailbox,
    long long uidvalidity, long long last_uid, char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "INSERT OR REPLACE INTO imap_state(mailbox, "
	    "uidvalidity, last_uid, updated_at) VALUES (?1, ?2, ?3, ?4)",
	    errstr) == -1)
		return -1;
	bind_text(stmt, 1, mailbox);
	sqlite3_bind_int64(stmt, 2, uidvalidity);
	sqlite3_bind_int64(stmt, 3, last_uid);
	sqlite3_bind_int64(stmt, 4, (long long)time(NULL));
	return st_step_done(st, stmt, "IMAP state", errstr);
}

int
store_imap_seen(struct store *st, const char *sha256, char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	if (st_prepare(st, &stmt, "SELECT 1 FROM imap_seen WHERE sha256 = ?1",
	    errstr) == -1)
		return -1;
	bind_text(stmt, 1, sha256);
	rc = st_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_err(st, errstr, "IMAP seen");
	return rc == SQLITE_ROW;
}

int
store_imap_seen_add(struct store *st, const char *sha256, const char *source,
    const char *qid, char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "INSERT OR IGNORE INTO imap_seen(sha256, "
	    "source, qid, at) VALUES (?1, ?2, ?3, ?4)", errstr) == -1)
		return -1;
	bind_text(stmt, 1, sha256);
	bind_text(stmt, 2, source);
	bind_text(stmt, 3, qid);
	sqlite3_bind_int64(stmt, 4, (long long)time(NULL));
	return st_step_done(st, stmt, "IMAP seen", errstr);
}
