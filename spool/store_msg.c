/*
 * store_msg.c: messages, their attachments, and the queue state rows.
 * See store.h; the helpers are in store_int.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "util/xmalloc.h"
#include "spool/store.h"
#include "spool/store_msg.h"
#include "spool/store_int.h"

#define MSG_COLS "id, qid, case_id, direction, kind, message_id, " \
	"from_addr, from_name, to_addr, subject, date, text, warnings, " \
	"facts, received_at, encryption, decrypted, decrypt_error, signature, " \
	"text_ref, expired, sender_source, text_source"

static int	 message_att_insert(struct store *,
		    const struct store_message *, char **);

int
store_message_insert(struct store *st, struct store_message *m,
    char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "INSERT INTO messages(qid, case_id, "
	    "direction, kind, message_id, from_addr, from_name, to_addr, "
	    "subject, date, text, warnings, facts, received_at, encryption, "
	    "decrypted, decrypt_error, signature, text_ref, raw_sha256, "
	    "sender_source, text_source) VALUES "
	    "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", errstr) == -1)
		return -1;
	bind_text(stmt, 1, m->qid);
	bind_text(stmt, 2, m->case_id);
	bind_text(stmt, 3, m->direction);
	bind_text(stmt, 4, m->kind);
	bind_text(stmt, 5, m->message_id);
	bind_text(stmt, 6, m->from_addr);
	bind_text(stmt, 8, m->to_addr);
	if (st_bind_sealed(st, stmt, 7, m->from_name, errstr) == -1 ||
	    st_bind_sealed(st, stmt, 9, m->subject, errstr) == -1) {
		sqlite3_finalize(stmt);
		return -1;
	}
	bind_text(stmt, 10, m->date);
	bind_text(stmt, 11, m->text);
	bind_text(stmt, 12, m->warnings);
	bind_text(stmt, 13, m->facts);
	sqlite3_bind_int64(stmt, 14, m->received_at);
	bind_text(stmt, 15, m->encryption);
	sqlite3_bind_int(stmt, 16, m->decrypted);
	bind_text(stmt, 17, m->decrypt_error);
	bind_text(stmt, 18, m->signature);
	bind_text(stmt, 19, m->text_ref);
	bind_text(stmt, 20, m->raw_sha256);
	bind_text(stmt, 21, m->sender_source);
	bind_text(stmt, 22, m->text_source);
	if (st_step_done(st, stmt, "insert message", errstr) == -1)
		return -1;
	m->rowid = sqlite3_last_insert_rowid(st->db);
	return message_att_insert(st, m, errstr);
}

/* What a new reading of a stored message changes (process --retry). */
int
store_message_reread(struct store *st, struct store_message *m,
    char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "SELECT id FROM messages WHERE qid = ?1",
	    errstr) == -1)
		return -1;
	bind_text(stmt, 1, m->qid);
	if (st_step(stmt) != SQLITE_ROW) {
		sqlite3_finalize(stmt);
		return st_err(st, errstr, "find message");
	}
	m->rowid = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	if (st_prepare(st, &stmt, "UPDATE messages SET subject = ?2, "
	    "text = ?3, warnings = ?4, facts = ?5, encryption = ?6, "
	    "decrypted = ?7, decrypt_error = ?8, signature = ?9, "
	    "text_ref = ?10, sender_source = ?11, text_source = ?12 "
	    "WHERE id = ?1", errstr) == -1)
		return -1;
	sqlite3_bind_int64(stmt, 1, m->rowid);
	if (st_bind_sealed(st, stmt, 2, m->subject, errstr) == -1) {
		sqlite3_finalize(stmt);
		return -1;
	}
	bind_text(stmt, 3, m->text);
	bind_text(stmt, 4, m->warnings);
	bind_text(stmt, 5, m->facts);
	bind_text(stmt, 6, m->encryption);
	sqlite3_bind_int(stmt, 7, m->decrypted);
	bind_text(stmt, 8, m->decrypt_error);
	bind_text(stmt, 9, m->signature);
	bind_text(stmt, 10, m->text_ref);
	bind_text(stmt, 11, m->sender_source);
	bind_text(stmt, 12, m->text_source);
	if (st_step_done(st, stmt, "update message", errstr) == -1)
		return -1;
	if (st_prepare(st, &stmt, "DELETE FROM attachments WHERE message = ?1",
	    errstr) == -1)
		return -1;
	sqlite3_bind_int64(stmt, 1, m->rowid);
	if (st_step_done(st, stmt, "drop attachments", errstr) == -1)
		return -1;
	return message_att_insert(st, m, errstr);
}

static int
message_att_insert(struct store *st, const struct store_message *m,
    char **errstr)
{
	sqlite3_stmt	*stmt;
	size_t		 i;

	for (i = 0; i < m->natt; i++) {
		if (st_prepare(st, &stmt, "INSERT INTO attachments(message, "
		    "name, type, size, sha256, ref) VALUES (?,?,?,?,?,?)",
		    errstr) == -1)
			return -1;
		sqlite3_bind_int64(stmt, 1, m->rowid);
		if (st_bind_sealed(st, stmt, 2, m->att[i].name,
		    errstr) == -1) {
			sqlite3_finalize(stmt);
			return -1;
		}
		bind_text(stmt, 3, m->att[i].type);
		sqlite3_bind_int64(stmt, 4, m->att[i].size);
		bind_text(stmt, 5, m->att[i].sha256);
		bind_text(stmt, 6, m->att[i].ref);
		if (st_step_done(st, stmt, "insert attachment", errstr) == -1)
			return -1;
	}
	return 0;
}

static int
message_attachments(struct store *st, struct store_message *m,
    char **errstr)
{
	sqlite3_stmt	*stmt;
	size_t		 cap = 0;
	int		 rc;

	if (st_prepare(st, &stmt, "SELECT name, type, size, sha256, ref FROM "
	    "attachments WHERE message = ?1 ORDER BY rowid", errstr) == -1)
		return -1;
	sqlite3_bind_int64(stmt, 1, m->rowid);
	while ((rc = st_step(stmt)) == SQLITE_ROW) {
		if (m->natt == cap) {
			cap = cap ? cap * 2 : 4;
			m->att = xrealloc(m->att, cap * sizeof(*m->att));
		}
		m->att[m->natt].name = st_col_open(st, stmt, 0);
		m->att[m->natt].type = col_text(stmt, 1);
		m->att[m->natt].size = sqlite3_column_int64(stmt, 2);
		m->att[m->natt].sha256 = col_text(stmt, 3);
		m->att[m->natt].ref = m->expired ? NULL : col_text(stmt, 4);
		m->natt++;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		return st_err(st, errstr, "list attachments");
	return 0;
}

int
store_messages(struct store *st, const char *case_id,
    struct store_message **out, size_t *np, char **errstr)
{
	sqlite3_stmt		*stmt;
	struct store_message	*v = NULL, *m;
	size_t			 n = 0, cap = 0, i;
	int			 rc;

	if (st_prepare(st, &stmt, case_id ?
	    "SELECT " MSG_COLS " FROM messages WHERE case_id = ?1 ORDER BY id" :
	    "SELECT " MSG_COLS " FROM messages WHERE case_id IS NULL "
	    "ORDER BY id",
	    errstr) == -1)
		return -1;
	if (case_id)
		bind_text(stmt, 1, case_id);
	while ((rc = st_step(stmt)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			v = xrealloc(v, cap * sizeof(*v));
		}
		m = &v[n++];
		memset(m, 0, sizeof(*m));
		m->rowid = sqlite3_column_int64(stmt, 0);
		m->qid = col_text(stmt, 1);
		m->case_id = col_text(stmt, 2);
		m->direction = col_text(stmt, 3);
		m->kind = col_text(stmt, 4);
		m->message_id = col_text(stmt, 5);
		m->from_addr = col_text(stmt, 6);
		m->from_name = st_col_open(st, stmt, 7);
		m->to_addr = col_text(stmt, 8);
		m->subject = st_col_open(st, stmt, 9);
		m->date = col_text(stmt, 10);
		m->text = col_text(stmt, 11);
		m->warnings = col_text(stmt, 12);
		m->facts = col_text(stmt, 13);
		m->received_at = sqlite3_column_int64(stmt, 14);
		m->encryption = col_text(stmt, 15);
		m->decrypted = sqlite3_column_int(stmt, 16);
		m->decrypt_error = col_text(stmt, 17);
		m->signature = col_text(stmt, 18);
		m->text_ref = col_text(stmt, 19);
		m->sender_source = col_text(stmt, 21);
		m->text_source = col_text(stmt, 22);
		/* its content went by retention: no names of files
		 * that are gone, and no text to show */
		if ((m->expired = sqlite3_column_int(stmt, 20)) != 0) {
			free(m->text);
			free(m->text_ref);
			m->text = m->text_ref = NULL;
			m->text_error = xstrdup("removed by retention "
			    "(expire)");
		}
	}
	sqlite3_finalize(stmt);
	*out = v;
	*np = n;
	if (rc != SQLITE_DONE)
		return st_err(st, errstr, "list messages");
	for (i = 0; i < n; i++)
		if (message_attachments(st, &v[i], errstr) == -1)
			return -1;
	return 0;
}

void
store_messages_free(struct store_message *v, size_t n)
{
	size_t	i, j;

	for (i = 0; i < n; i++) {
		free(v[i].qid);
		free(v[i].case_id);
		free(v[i].direction);
		free(v[i].kind);
		free(v[i].message_id);
		free(v[i].from_addr);
		free(v[i].from_name);
		free(v[i].to_addr);
		free(v[i].subject);
		free(v[i].date);
		free(v[i].text);
		free(v[i].warnings);
		free(v[i].facts);
		free(v[i].encryption);
		free(v[i].decrypt_error);
		free(v[i].signature);
		free(v[i].text_ref);
		free(v[i].text_source);
		free(v[i].text_error);
		free(v[i].sender_source);
		for (j = 0; j < v[i].natt; j++) {
			free(v[i].att[j].ref);
			free(v[i].att[j].name);
			free(v[i].att[j].type);
			free(v[i].att[j].sha256);
		}
		free(v[i].att);
	}
	free(v);
}

int
store_case_by_msgid(struct store *st, const char *msgid, char **case_id,
    char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*case_id = NULL;
	/* a stored message first (one in a case before a held one); else
	 * our mail kept only in the outbox (notices to the team, status
	 * replies), with its case */
	if (st_prepare(st, &stmt, "SELECT case_id FROM ("
	    "SELECT case_id, 0 AS o, case_id IS NULL AS held, id FROM messages "
	    "WHERE message_id = ?1 UNION ALL "
	    "SELECT case_id, 1, 0, id FROM outbox WHERE message_id = ?1 AND "
	    "case_id IS NOT NULL) ORDER BY o, held, id LIMIT 1", errstr) == -1)
		return -1;
	bind_text(stmt, 1, msgid);
	rc = st_step(stmt);
	if (rc == SQLITE_ROW)
		*case_id = col_text(stmt, 0);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_err(st, errstr, "find message");
	return rc == SQLITE_ROW;
}

int
store_qid_known(struct store *st, const char *qid, char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc, incase = 0;

	if (st_prepare(st, &stmt, "SELECT case_id IS NOT NULL FROM messages "
	    "WHERE qid = ?1", errstr) == -1)
		return -1;
	bind_text(stmt, 1, qid);
	rc = st_step(stmt);
	if (rc == SQLITE_ROW)
		incase = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_err(st, errstr, "find queue ID");
	return rc == SQLITE_ROW ? (incase ? 1 : 2) : 0;
}

int
store_message_state(struct store *st, const char *qid,
    struct store_message_state *ms, char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	memset(ms, 0, sizeof(*ms));
	if (st_prepare(st, &stmt, "SELECT case_id, kind, encryption, "
	    "decrypted FROM messages WHERE qid = ?1 AND direction = 'in'",
	    errstr) == -1)
		return -1;
	bind_text(stmt, 1, qid);
	if ((rc = st_step(stmt)) == SQLITE_ROW) {
		ms->case_id = col_text(stmt, 0);
		ms->kind = col_text(stmt, 1);
		ms->encryption = col_text(stmt, 2);
		ms->decrypted = sqlite3_column_int(stmt, 3);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_err(st, errstr, "find queue ID");
	return rc == SQLITE_ROW;
}

void
store_message_state_free(struct store_message_state *ms)
{
	free(ms->case_id);
	free(ms->kind);
	free(ms->encryption);
	memset(ms, 0, sizeof(*ms));
}

int
store_queue_set(struct store *st, const char *qid, const char *state,
    const char *reason, long long attempts, long long next_try,
    char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "INSERT OR REPLACE INTO queue(qid, state, "
	    "reason, attempts, next_try, updated_at) VALUES (?,?,?,?,?,?)",
	    errstr) == -1)
		return -1;
	bind_text(stmt, 1, qid);
	bind_text(stmt, 2, state);
	bind_text(stmt, 3, reason);
	sqlite3_bind_int64(stmt, 4, attempts);
	sqlite3_bind_int64(stmt, 5, next_try);
	sqlite3_bind_int64(stmt, 6, (long long)time(NULL));
	return st_step_done(st, stmt, "update queue", errstr);
}

#define QUEUE_COLS "qid, state, reason, attempts, next_try, updated_at"

static void
queue_from_row(sqlite3_stmt *stmt, struct store_queue_entry *q)
{
	q->qid = col_text(stmt, 0);
	q->state = col_text(stmt, 1);
	q->reason = col_text(stmt, 2);
	q->attempts = sqlite3_column_int64(stmt, 3);
	q->next_try = sqlite3_column_int64(stmt, 4);
	q->updated_at = sqlite3_column_int64(stmt, 5);
}

int
store_queue_get(struct store *st, const char *qid,
    struct store_queue_entry *q, char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	memset(q, 0, sizeof(*q));
	if (st_prepare(st, &stmt, "SELECT " QUEUE_COLS " FROM queue "
	    "WHERE qid = ?1", errstr) == -1)
		return -1;
	bind_text(stmt, 1, qid);
	rc = st_step(stmt);
	if (rc == SQLITE_ROW)
		queue_from_row(stmt, q);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_err(st, errstr, "read queue");
	return rc == SQLITE_ROW;
}

int
store_queue_del(struct store *st, const char *qid, char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "DELETE FROM queue WHERE qid = ?1",
	    errstr) == -1)
		return -1;
	bind_text(stmt, 1, qid);
	return st_step_done(st, stmt, "delete queue entry", errstr);
}

int
store_queue_list(struct store *st, struct store_queue_entry **out,
    size_t *np, char **errstr)
{
	sqlite3_stmt			*stmt;
	struct store_queue_entry	*v = NULL;
	size_t				 n = 0, cap = 0;
	int				 rc;

	if (st_prepare(st, &stmt, "SELECT " QUEUE_COLS " FROM queue "
	    "ORDER BY qid", errstr) == -1)
		return -1;
	while ((rc = st_step(stmt)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xrealloc(v, cap * sizeof(*v));
		}
		queue_from_row(stmt, &v[n++]);
	}
	sqlite3_finalize(stmt);
	*out = v;
	*np = n;
	if (rc != SQLITE_DONE)
		return st_err(st, errstr, "list queue");
	return 0;
}

void
store_queue_clear(struct store_queue_entry *q)
{
	free(q->qid);
	free(q->state);
	free(q->reason);
	memset(q, 0, sizeof(*q));
}

void
store_queue_free(struct store_queue_entry *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		store_queue_clear(&v[i]);
	free(v);
}

int
store_raw_known(struct store *st, const char *sha256, char **qid,
    char **case_id, char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*qid = *case_id = NULL;
	if (st_prepare(st, &stmt, "SELECT qid, case_id FROM messages WHERE "
	    "raw_sha256 = ?1 AND direction = 'in' LIMIT 1", errstr) == -1)
		return -1;
	bind_text(stmt, 1, sha256);
	if ((rc = st_step(stmt)) == SQLITE_ROW) {
		*qid = col_text(stmt, 0);
		*case_id = col_text(stmt, 1);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_err(st, errstr, "find message bytes");
	return rc == SQLITE_ROW;
}
