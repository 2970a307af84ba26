/*
 * store.c: the SQLite case store.
 *
 * Contract: see store.h. Schema changes are appended to `migrations`;
 * each runs once, in its own transaction, and bumps PRAGMA user_version,
 * so an old database is upgraded in place on open and a newer one than
 * this binary knows is refused.
 *
 * Trust: all values are bound parameters; no SQL is built from input.
 * Diagnostics name the operation and SQLite's message.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "agent/util/xmalloc.h"
#include "spool/store.h"

struct store {
	sqlite3	*db;
};

static const char *const migrations[] = {
	/* 1: the first schema */
	"CREATE TABLE counters ("
	"  prefix TEXT PRIMARY KEY, value INTEGER NOT NULL);"
	"CREATE TABLE cases ("
	"  id TEXT PRIMARY KEY, kind TEXT NOT NULL, status TEXT NOT NULL,"
	"  subject TEXT, reporter TEXT, reporter_name TEXT, source TEXT,"
	"  lang TEXT, created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL);"
	"CREATE TABLE messages ("
	"  id INTEGER PRIMARY KEY, qid TEXT, case_id TEXT REFERENCES cases,"
	"  direction TEXT NOT NULL, kind TEXT NOT NULL, message_id TEXT,"
	"  from_addr TEXT, from_name TEXT, to_addr TEXT, subject TEXT,"
	"  date TEXT, text TEXT, warnings TEXT, facts TEXT,"
	"  received_at INTEGER NOT NULL);"
	"CREATE UNIQUE INDEX messages_qid ON messages(qid);"
	"CREATE INDEX messages_msgid ON messages(message_id);"
	"CREATE INDEX messages_case ON messages(case_id);"
	"CREATE TABLE attachments ("
	"  message INTEGER NOT NULL REFERENCES messages(id),"
	"  name TEXT, type TEXT, size INTEGER, sha256 TEXT);"
	"CREATE INDEX attachments_message ON attachments(message);"
	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY, case_id TEXT, at INTEGER NOT NULL,"
	"  type TEXT NOT NULL, detail TEXT, actor TEXT);"
	"CREATE INDEX events_case ON events(case_id);"
	"CREATE TABLE queue ("
	"  qid TEXT PRIMARY KEY, state TEXT NOT NULL, reason TEXT,"
	"  attempts INTEGER NOT NULL DEFAULT 0, next_try INTEGER,"
	"  updated_at INTEGER NOT NULL);"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY, case_id TEXT, message_id TEXT UNIQUE,"
	"  rcpt TEXT NOT NULL, kind TEXT NOT NULL, raw BLOB NOT NULL,"
	"  state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_try INTEGER NOT NULL, last_error TEXT,"
	"  created_at INTEGER NOT NULL);"
	"CREATE INDEX outbox_rcpt ON outbox(rcpt, created_at);"
	"CREATE TABLE address_status ("
	"  case_id TEXT, addr TEXT, status TEXT, reason TEXT, at INTEGER,"
	"  PRIMARY KEY (case_id, addr));",
	/* 2: encryption and signature facts per message */
	"ALTER TABLE messages ADD COLUMN encryption TEXT;"
	"ALTER TABLE messages ADD COLUMN decrypted INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE messages ADD COLUMN decrypt_error TEXT;"
	"ALTER TABLE messages ADD COLUMN signature TEXT;",
	/* 3: reporter keys pinned on first use */
	"CREATE TABLE key_pins ("
	"  addr TEXT NOT NULL, protocol TEXT NOT NULL,"
	"  fingerprint TEXT NOT NULL, source TEXT, first_seen INTEGER,"
	"  last_seen INTEGER, PRIMARY KEY (addr, protocol));",
	/* 4: content sealed in the vault, referred to by name */
	("ALTER TABLE messages ADD COLUMN text_ref TEXT;"
	 "ALTER TABLE attachments ADD COLUMN ref TEXT;"),
	/* 5: a reply being sent by one of a run's workers */
	"ALTER TABLE outbox ADD COLUMN claimed INTEGER NOT NULL DEFAULT 0;",
	/* 6: IMAP intake, and the bytes of every stored message */
	"CREATE TABLE imap_state ("
	"  mailbox TEXT PRIMARY KEY, uidvalidity INTEGER NOT NULL,"
	"  last_uid INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
	"CREATE TABLE imap_seen ("
	"  sha256 TEXT PRIMARY KEY, source TEXT, qid TEXT, at INTEGER);"
	"ALTER TABLE messages ADD COLUMN raw_sha256 TEXT;"
	"CREATE INDEX messages_raw ON messages(raw_sha256);",
};
#define NMIGRATIONS	(sizeof(migrations) / sizeof(migrations[0]))

#define MSG_COLS "id, qid, case_id, direction, kind, message_id, " \
	"from_addr, from_name, to_addr, subject, date, text, warnings, " \
	"facts, received_at, encryption, decrypted, decrypt_error, signature, " \
	"text_ref"

static int	 st_err(struct store *, char **, const char *);
static int	 busy_wait(void *, int);
static int	 message_att_insert(struct store *,
		    const struct store_message *, char **);
static int	 st_prepare(struct store *, sqlite3_stmt **, const char *,
		    char **);
static int	 st_exec(struct store *, const char *, char **);
static void	 bind_text(sqlite3_stmt *, int, const char *);
static char	*col_text(sqlite3_stmt *, int);
static int	 st_step_done(struct store *, sqlite3_stmt *, const char *,
		    char **);

static int
st_err(struct store *st, char **errstr, const char *what)
{
	*errstr = xasprintf("database %s: %s", what, sqlite3_errmsg(st->db));
	return -1;
}

static int
st_prepare(struct store *st, sqlite3_stmt **stmt, const char *sql,
    char **errstr)
{
	if (sqlite3_prepare_v2(st->db, sql, -1, stmt, NULL) != SQLITE_OK) {
		*stmt = NULL;
		return st_err(st, errstr, "prepare");
	}
	return 0;
}

static int
st_exec(struct store *st, const char *sql, char **errstr)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return st_err(st, errstr, "exec");
	return 0;
}

static int
st_step_done(struct store *st, sqlite3_stmt *stmt, const char *what,
    char **errstr)
{
	int	rc = sqlite3_step(stmt);

	if (rc != SQLITE_DONE) {
		st_err(st, errstr, what);
		sqlite3_finalize(stmt);
		return -1;
	}
	sqlite3_finalize(stmt);
	return 0;
}

static void
bind_text(sqlite3_stmt *stmt, int i, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(stmt, i);
	else
		sqlite3_bind_text(stmt, i, s, -1, SQLITE_TRANSIENT);
}

static char *
col_text(sqlite3_stmt *stmt, int i)
{
	const unsigned char	*s = sqlite3_column_text(stmt, i);

	return s ? xstrdup((const char *)s) : NULL;
}

/*
 * Another writer holds the lock (a queue runner's workers, the CLI):
 * wait in short steps, up to STORE_BUSY_MS. SQLite's own busy timeout
 * sleeps up to 100 ms at a time, long against transactions of a few
 * milliseconds.
 */
#define STORE_BUSY_MS	30000
static int
busy_wait(void *arg, int n)
{
	struct timespec	ts = { 0, 500000 };	/* 0.5 ms */
	long long	waited;		/* ms so far */

	(void)arg;
	waited = n <= 200 ? n / 2 : 100 + (long long)(n - 200) * 5;
	if (waited >= STORE_BUSY_MS)
		return 0;
	if (n > 200)
		ts.tv_nsec = 5000000;	/* long waits: 5 ms steps */
	nanosleep(&ts, NULL);
	return 1;
}

int
store_open(const char *path, struct store **out, char **errstr)
{
	struct store	*st;
	sqlite3_stmt	*stmt;
	int		 version;
	size_t		 i;
	char		*sql;

	st = xcalloc(1, sizeof(*st));
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		st_err(st, errstr, "open");
		store_close(&st);
		return -1;
	}
	sqlite3_busy_handler(st->db, busy_wait, NULL);
	if (st_exec(st, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	    "PRAGMA foreign_keys=ON;", errstr) == -1)
		goto fail;
	if (st_prepare(st, &stmt, "PRAGMA user_version", errstr) == -1)
		goto fail;
	version = sqlite3_step(stmt) == SQLITE_ROW ?
	    sqlite3_column_int(stmt, 0) : 0;
	sqlite3_finalize(stmt);
	if ((size_t)version > NMIGRATIONS) {
		*errstr = xasprintf("database %s: schema version %d is newer "
		    "than this program (%zu)", path, version, NMIGRATIONS);
		goto fail;
	}
	for (i = (size_t)version; i < NMIGRATIONS; i++) {
		if (store_begin(st, errstr) == -1)
			goto fail;
		/* another process may have migrated meanwhile */
		if (st_prepare(st, &stmt, "PRAGMA user_version", errstr) == -1)
			goto fail_tx;
		version = sqlite3_step(stmt) == SQLITE_ROW ?
		    sqlite3_column_int(stmt, 0) : 0;
		sqlite3_finalize(stmt);
		if ((size_t)version > i) {
			store_rollback(st);
			continue;
		}
		sql = xasprintf("%s PRAGMA user_version = %zu;",
		    migrations[i], i + 1);
		if (st_exec(st, sql, errstr) == -1) {
			free(sql);
			goto fail_tx;
		}
		free(sql);
		if (store_commit(st, errstr) == -1)
			goto fail;
	}
	*out = st;
	return 0;
fail_tx:
	store_rollback(st);
fail:
	store_close(&st);
	return -1;
}

void
store_close(struct store **stp)
{
	if (*stp == NULL)
		return;
	sqlite3_close((*stp)->db);
	free(*stp);
	*stp = NULL;
}

int
store_begin(struct store *st, char **errstr)
{
	return st_exec(st, "BEGIN IMMEDIATE", errstr);
}

int
store_commit(struct store *st, char **errstr)
{
	return st_exec(st, "COMMIT", errstr);
}

void
store_rollback(struct store *st)
{
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

int
store_next_seq(struct store *st, const char *prefix, long long *out,
    char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "INSERT INTO counters(prefix, value) "
	    "VALUES (?1, 1) ON CONFLICT(prefix) DO UPDATE SET "
	    "value = value + 1 RETURNING value", errstr) == -1)
		return -1;
	bind_text(stmt, 1, prefix);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		st_err(st, errstr, "next case number");
		sqlite3_finalize(stmt);
		return -1;
	}
	*out = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return 0;
}

int
store_case_insert(struct store *st, const struct store_case *c,
    char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "INSERT INTO cases(id, kind, status, "
	    "subject, reporter, reporter_name, source, lang, created_at, "
	    "updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)", errstr) == -1)
		return -1;
	bind_text(stmt, 1, c->id);
	bind_text(stmt, 2, c->kind);
	bind_text(stmt, 3, c->status);
	bind_text(stmt, 4, c->subject);
	bind_text(stmt, 5, c->reporter);
	bind_text(stmt, 6, c->reporter_name);
	bind_text(stmt, 7, c->source);
	bind_text(stmt, 8, c->lang);
	sqlite3_bind_int64(stmt, 9, c->created_at);
	sqlite3_bind_int64(stmt, 10, c->updated_at);
	return st_step_done(st, stmt, "insert case", errstr);
}

#define CASE_COLS "id, kind, status, subject, reporter, reporter_name, " \
	"source, lang, created_at, updated_at"

static void
case_from_row(sqlite3_stmt *stmt, struct store_case *c)
{
	c->id = col_text(stmt, 0);
	c->kind = col_text(stmt, 1);
	c->status = col_text(stmt, 2);
	c->subject = col_text(stmt, 3);
	c->reporter = col_text(stmt, 4);
	c->reporter_name = col_text(stmt, 5);
	c->source = col_text(stmt, 6);
	c->lang = col_text(stmt, 7);
	c->created_at = sqlite3_column_int64(stmt, 8);
	c->updated_at = sqlite3_column_int64(stmt, 9);
}

int
store_case_get(struct store *st, const char *id, struct store_case *c,
    char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	memset(c, 0, sizeof(*c));
	if (st_prepare(st, &stmt, "SELECT " CASE_COLS " FROM cases WHERE "
	    "id = ?1 COLLATE NOCASE", errstr) == -1)
		return -1;
	bind_text(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		case_from_row(stmt, c);
	else if (rc != SQLITE_DONE) {
		st_err(st, errstr, "read case");
		sqlite3_finalize(stmt);
		return -1;
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_ROW;
}

int
store_case_list(struct store *st, struct store_case **out, size_t *np,
    char **errstr)
{
	sqlite3_stmt		*stmt;
	struct store_case	*v = NULL;
	size_t			 n = 0, cap = 0;
	int			 rc;

	if (st_prepare(st, &stmt, "SELECT " CASE_COLS " FROM cases "
	    "ORDER BY created_at, id", errstr) == -1)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xrealloc(v, cap * sizeof(*v));
		}
		case_from_row(stmt, &v[n++]);
	}
	sqlite3_finalize(stmt);
	*out = v;
	*np = n;
	if (rc != SQLITE_DONE)
		return st_err(st, errstr, "list cases");
	return 0;
}

int
store_case_touch(struct store *st, const char *id, char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "UPDATE cases SET updated_at = ?2 "
	    "WHERE id = ?1", errstr) == -1)
		return -1;
	bind_text(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, (long long)time(NULL));
	return st_step_done(st, stmt, "update case", errstr);
}

int
store_case_set_subject(struct store *st, const char *id, const char *subject,
    char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "UPDATE cases SET subject = ?2, "
	    "updated_at = ?3 WHERE id = ?1", errstr) == -1)
		return -1;
	bind_text(stmt, 1, id);
	bind_text(stmt, 2, subject);
	sqlite3_bind_int64(stmt, 3, (long long)time(NULL));
	return st_step_done(st, stmt, "update case", errstr);
}

void
store_case_free(struct store_case *c)
{
	free(c->id);
	free(c->kind);
	free(c->status);
	free(c->subject);
	free(c->reporter);
	free(c->reporter_name);
	free(c->source);
	free(c->lang);
	memset(c, 0, sizeof(*c));
}

int
store_event_add(struct store *st, const char *case_id, const char *type,
    const char *detail, const char *actor, char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "INSERT INTO events(case_id, at, type, "
	    "detail, actor) VALUES (?,?,?,?,?)", errstr) == -1)
		return -1;
	bind_text(stmt, 1, case_id);
	sqlite3_bind_int64(stmt, 2, (long long)time(NULL));
	bind_text(stmt, 3, type);
	bind_text(stmt, 4, detail);
	bind_text(stmt, 5, actor);
	return st_step_done(st, stmt, "insert event", errstr);
}

int
store_events(struct store *st, const char *case_id, struct store_event **out,
    size_t *np, char **errstr)
{
	sqlite3_stmt		*stmt;
	struct store_event	*v = NULL;
	size_t			 n = 0, cap = 0;
	int			 rc;

	if (st_prepare(st, &stmt, "SELECT at, type, detail, actor FROM events "
	    "WHERE case_id = ?1 ORDER BY id", errstr) == -1)
		return -1;
	bind_text(stmt, 1, case_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[n].at = sqlite3_column_int64(stmt, 0);
		v[n].type = col_text(stmt, 1);
		v[n].detail = col_text(stmt, 2);
		v[n].actor = col_text(stmt, 3);
		n++;
	}
	sqlite3_finalize(stmt);
	*out = v;
	*np = n;
	if (rc != SQLITE_DONE)
		return st_err(st, errstr, "list events");
	return 0;
}

void
store_events_free(struct store_event *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].type);
		free(v[i].detail);
		free(v[i].actor);
	}
	free(v);
}

int
store_message_insert(struct store *st, struct store_message *m,
    char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "INSERT INTO messages(qid, case_id, "
	    "direction, kind, message_id, from_addr, from_name, to_addr, "
	    "subject, date, text, warnings, facts, received_at, encryption, "
	    "decrypted, decrypt_error, signature, text_ref, raw_sha256) VALUES "
	    "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", errstr) == -1)
		return -1;
	bind_text(stmt, 1, m->qid);
	bind_text(stmt, 2, m->case_id);
	bind_text(stmt, 3, m->direction);
	bind_text(stmt, 4, m->kind);
	bind_text(stmt, 5, m->message_id);
	bind_text(stmt, 6, m->from_addr);
	bind_text(stmt, 7, m->from_name);
	bind_text(stmt, 8, m->to_addr);
	bind_text(stmt, 9, m->subject);
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
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		sqlite3_finalize(stmt);
		return st_err(st, errstr, "find message");
	}
	m->rowid = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	if (st_prepare(st, &stmt, "UPDATE messages SET subject = ?2, "
	    "text = ?3, warnings = ?4, facts = ?5, encryption = ?6, "
	    "decrypted = ?7, decrypt_error = ?8, signature = ?9, "
	    "text_ref = ?10 WHERE id = ?1", errstr) == -1)
		return -1;
	sqlite3_bind_int64(stmt, 1, m->rowid);
	bind_text(stmt, 2, m->subject);
	bind_text(stmt, 3, m->text);
	bind_text(stmt, 4, m->warnings);
	bind_text(stmt, 5, m->facts);
	bind_text(stmt, 6, m->encryption);
	sqlite3_bind_int(stmt, 7, m->decrypted);
	bind_text(stmt, 8, m->decrypt_error);
	bind_text(stmt, 9, m->signature);
	bind_text(stmt, 10, m->text_ref);
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
		bind_text(stmt, 2, m->att[i].name);
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
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (m->natt == cap) {
			cap = cap ? cap * 2 : 4;
			m->att = xrealloc(m->att, cap * sizeof(*m->att));
		}
		m->att[m->natt].name = col_text(stmt, 0);
		m->att[m->natt].type = col_text(stmt, 1);
		m->att[m->natt].size = sqlite3_column_int64(stmt, 2);
		m->att[m->natt].sha256 = col_text(stmt, 3);
		m->att[m->natt].ref = col_text(stmt, 4);
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
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
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
		m->from_name = col_text(stmt, 7);
		m->to_addr = col_text(stmt, 8);
		m->subject = col_text(stmt, 9);
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
		free(v[i].text_error);
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
	if (st_prepare(st, &stmt, "SELECT case_id FROM messages WHERE "
	    "message_id = ?1 ORDER BY case_id IS NULL, id LIMIT 1",
	    errstr) == -1)
		return -1;
	bind_text(stmt, 1, msgid);
	rc = sqlite3_step(stmt);
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
	rc = sqlite3_step(stmt);
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
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
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
	rc = sqlite3_step(stmt);
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
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
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
store_outbox_add(struct store *st, const struct store_outbox *o,
    char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "INSERT INTO outbox(case_id, message_id, "
	    "rcpt, kind, raw, state, attempts, next_try, created_at) "
	    "VALUES (?,?,?,?,?,'queued',0,?,?)", errstr) == -1)
		return -1;
	bind_text(stmt, 1, o->case_id);
	bind_text(stmt, 2, o->message_id);
	bind_text(stmt, 3, o->rcpt);
	bind_text(stmt, 4, o->kind);
	sqlite3_bind_blob(stmt, 5, o->raw, (int)o->rawlen, SQLITE_TRANSIENT);
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
	    "outbox WHERE state = 'queued' AND (?1 < 0 OR next_try <= ?1) "
	    "ORDER BY id",
	    errstr) == -1)
		return -1;
	sqlite3_bind_int64(stmt, 1, now);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
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
	rc = sqlite3_step(stmt);
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
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
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
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
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
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
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
	rc = sqlite3_step(stmt);
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
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*qid = col_text(stmt, 0);
		*case_id = col_text(stmt, 1);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_err(st, errstr, "find message bytes");
	return rc == SQLITE_ROW;
}
