/*
 * store.c: the SQLite case store: opening, migrations, transactions,
 * the helpers of store_int.h, cases and events. Messages and the queue
 * are in store_msg.c, replies, keys and IMAP state in store_out.c.
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

#include "util/hash.h"
#include "util/log.h"
#include "util/xmalloc.h"
#include "spool/seal.h"
#include "spool/store.h"
#include "spool/store_case.h"
#include "spool/store_audit.h"
#include "spool/store_expire.h"
#include "spool/store_int.h"


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
	/* 7: triage facts (CVE, CWE, CVSS), TLP, severity, level, and
	 * links between cases */
	"ALTER TABLE cases ADD COLUMN tlp TEXT;"
	"ALTER TABLE cases ADD COLUMN severity TEXT;"
	"ALTER TABLE cases ADD COLUMN severity_by TEXT;"
	"ALTER TABLE cases ADD COLUMN level INTEGER;"
	"CREATE TABLE case_facts ("
	"  case_id TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL,"
	"  version INTEGER, score10 INTEGER, qid TEXT, at INTEGER NOT NULL,"
	"  PRIMARY KEY (case_id, kind, value));"
	"CREATE INDEX case_facts_value ON case_facts(kind, value);"
	"CREATE TABLE case_links ("
	"  case_id TEXT NOT NULL, other TEXT NOT NULL, how TEXT NOT NULL,"
	"  at INTEGER NOT NULL, PRIMARY KEY (case_id, other));"
	"ALTER TABLE cases ADD COLUMN merged_into TEXT;"
	"ALTER TABLE cases ADD COLUMN reply_token TEXT;"
	"ALTER TABLE cases ADD COLUMN reply_token_hash TEXT;"
	"CREATE UNIQUE INDEX cases_reply_token ON cases(reply_token_hash);",
	/* 8: deadlines (clocks) per case and the escalation steps sent */
	"CREATE TABLE deadlines ("
	"  case_id TEXT NOT NULL, clock TEXT NOT NULL, state TEXT NOT NULL,"
	"  business INTEGER NOT NULL, duration INTEGER NOT NULL,"
	"  used INTEGER NOT NULL DEFAULT 0, since INTEGER NOT NULL,"
	"  due_at INTEGER NOT NULL, next_at INTEGER, missed_at INTEGER,"
	"  started_at INTEGER NOT NULL, ended_at INTEGER,"
	"  step INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (case_id, clock));"
	"CREATE INDEX deadlines_next ON deadlines(next_at)"
	"  WHERE next_at IS NOT NULL;"
	"CREATE INDEX deadlines_due ON deadlines(due_at)"
	"  WHERE state = 'running';"
	"CREATE TABLE escalations ("
	"  case_id TEXT NOT NULL, clock TEXT NOT NULL, step INTEGER NOT NULL,"
	"  rcpt TEXT NOT NULL, sent_at INTEGER NOT NULL, message_id TEXT,"
	"  PRIMARY KEY (case_id, clock, step, rcpt));"
	"ALTER TABLE cases ADD COLUMN paused TEXT;"
	"ALTER TABLE cases ADD COLUMN embargo INTEGER;",
	/* 9: the tamper-evident record: each event's digest and its link in
	 * a hash chain, and the signed heads of the chain */
	"ALTER TABLE events ADD COLUMN digest TEXT;"
	"ALTER TABLE events ADD COLUMN prev TEXT;"
	"ALTER TABLE events ADD COLUMN hash TEXT;"
	"CREATE TABLE audit_heads ("
	"  id INTEGER PRIMARY KEY, event_id INTEGER NOT NULL,"
	"  hash TEXT NOT NULL, at INTEGER NOT NULL, signature TEXT NOT NULL,"
	"  public_key TEXT NOT NULL);"
	"CREATE TABLE command_mails ("
	"  message_id TEXT PRIMARY KEY, case_id TEXT, at INTEGER NOT NULL);",
	/* 10: the replay guard of command mails keys on the signature (its
	 * key, time and signed text), not only on the Message-ID */
	"CREATE TABLE command_signatures ("
	"  sig TEXT PRIMARY KEY, case_id TEXT, message_id TEXT,"
	"  at INTEGER NOT NULL);"
	/* and when refusal mails to an address were last held back */
	"CREATE TABLE refusal_bursts ("
	"  addr TEXT PRIMARY KEY COLLATE NOCASE, since INTEGER NOT NULL);"
	/* keys offered for an address but not pinned (the team told once) */
	"CREATE TABLE key_offers ("
	"  addr TEXT NOT NULL COLLATE NOCASE, protocol TEXT NOT NULL,"
	"  fingerprint TEXT NOT NULL COLLATE NOCASE, at INTEGER NOT NULL,"
	"  PRIMARY KEY (addr, protocol, fingerprint));",
	/* 11: the state the program acts on is recorded in the chain
	 * ("state" events, store_state.c): find a case's newest one */
	"CREATE INDEX events_state ON events(case_id, id) WHERE type = "
	"'state';",
	/* 12: retention (store_expire.c): a case under legal hold; a
	 * message whose content went (1: its files are still to be
	 * removed, 2: gone); settings such as the last expire run */
	"ALTER TABLE cases ADD COLUMN hold TEXT;"
	"ALTER TABLE messages ADD COLUMN expired INTEGER;"
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
	/* 13: the daily digests sent (out/digest.c), one per recipient,
	 * day (in the recipient's zone) and kind: "digest", or "key NAME"
	 * (the coordinator told of a member's unusable key) */
	"CREATE TABLE digests ("
	"  rcpt TEXT NOT NULL COLLATE NOCASE, day TEXT NOT NULL,"
	"  kind TEXT NOT NULL, sent_at INTEGER NOT NULL, message_id TEXT,"
	"  PRIMARY KEY (rcpt, day, kind));",
	/* 14: team notices waiting for their member's next flush (one per
	 * event and person), and when each member was last told
	 * (store_notice.c) */
	"CREATE TABLE notice_pending ("
	"  id INTEGER PRIMARY KEY, rcpt TEXT NOT NULL COLLATE NOCASE,"
	"  event TEXT NOT NULL, case_id TEXT, ref TEXT NOT NULL,"
	"  detail TEXT, red INTEGER NOT NULL, at INTEGER NOT NULL,"
	"  UNIQUE (rcpt, event, case_id, ref));"
	"CREATE TABLE notice_last ("
	"  rcpt TEXT PRIMARY KEY COLLATE NOCASE, at INTEGER NOT NULL);",
	/* 15: where a message's sender address was found (from,
	 * from-encoded-word, sender, reply-to, return-path, envelope,
	 * none); NULL for messages stored before */
	"ALTER TABLE messages ADD COLUMN sender_source TEXT;",
	/* 16: where a message's text came from (parsers/mime.h
	 * text_source: "body", "attachment report.txt", "forwarded
	 * message (depth 2)"...); NULL before, and for our own mail */
	"ALTER TABLE messages ADD COLUMN text_source TEXT;",
	/* 17: the credits of a case (store_credit.c): any number, each
	 * with the finder's own choice (named, handle, anonymous), where
	 * it came from (the reporter's mail or staff) and whether staff
	 * confirmed it, whose choice it is (sender: the reporter whose
	 * mail stated it); name, organization and contact sealed. The one
	 * credit fact a case held before (the reporter's choice, as staff
	 * recorded it) is a confirmed staff credit of the case's reporter,
	 * whose choice (NULL) is read from its name when it is opened */
	"CREATE TABLE case_credits ("
	"  id INTEGER PRIMARY KEY, case_id TEXT NOT NULL, name TEXT,"
	"  organization TEXT, contact TEXT, choice TEXT,"
	"  confirmed INTEGER NOT NULL DEFAULT 0, source TEXT NOT NULL,"
	"  sender TEXT COLLATE NOCASE, qid TEXT, at INTEGER NOT NULL);"
	"CREATE INDEX case_credits_case ON case_credits(case_id, id);"
	/* the cases whose credit moves: their state is recorded anew */
	"SELECT psirt_dirty(case_id) FROM case_facts WHERE kind = 'credit';"
	"INSERT INTO case_credits(case_id, name, choice, confirmed, source,"
	"  sender, at) SELECT f.case_id, f.value, NULL, 1, 'staff',"
	"  c.reporter, f.at FROM case_facts f JOIN cases c ON c.id ="
	"  f.case_id WHERE f.kind = 'credit' ORDER BY f.at, f.rowid;"
	"DELETE FROM case_facts WHERE kind = 'credit';",
};
/* the migration after which the state is recorded */
#define STATE_MIGRATION	11
#define NMIGRATIONS	(sizeof(migrations) / sizeof(migrations[0]))

const char *const *
store_migrations(size_t *n)
{
	*n = NMIGRATIONS;
	return migrations;
}

static int	 busy_wait(void *, int);

int
st_err(struct store *st, char **errstr, const char *what)
{
	*errstr = xasprintf("database %s: %s", what, sqlite3_errmsg(st->db));
	return -1;
}

static sqlite3_stmt	*bind_failed;	/* st_step() fails it (bind_check) */

int
st_prepare(struct store *st, sqlite3_stmt **stmt, const char *sql,
    char **errstr)
{
	if (sqlite3_prepare_v2(st->db, sql, -1, stmt, NULL) != SQLITE_OK) {
		*stmt = NULL;
		return st_err(st, errstr, "prepare");
	}
	if (*stmt == bind_failed)	/* a finalized one's address again */
		bind_failed = NULL;
	return 0;
}

int
st_exec(struct store *st, const char *sql, char **errstr)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return st_err(st, errstr, "exec");
	return 0;
}

int
st_step_done(struct store *st, sqlite3_stmt *stmt, const char *what,
    char **errstr)
{
	int	rc = st_step(stmt);

	if (rc != SQLITE_DONE) {
		st_err(st, errstr, what);
		sqlite3_finalize(stmt);
		return -1;
	}
	sqlite3_finalize(stmt);
	return 0;
}

int
st_bind_sealed(struct store *st, sqlite3_stmt *stmt, int i, const char *s,
    char **errstr)
{
	char	*c;

	if (s == NULL) {
		sqlite3_bind_null(stmt, i);
		return 0;
	}
	if (st->key == NULL) {
		*errstr = xstrdup("database: text must be sealed and the seal "
		    "key is not loaded (seal_key_file)");
		return -1;
	}
	if (seal_text(st->key, s, &c, errstr) == -1)
		return -1;
	bind_check(stmt, sqlite3_bind_text(stmt, i, c, -1, free));
	return 0;
}

/* The kinds of facts, and which hold text people wrote (sealed); the
 * others are identifiers that cases are matched and linked on. A kind
 * not listed is sealed. */
static const struct {
	const char	*kind;
	int		 text;
} fact_kinds[] = {
	{ "cve", 0 }, { "cwe", 0 }, { "cvss", 0 }, { "product", 0 },
	{ "version", 0 }, { "fixed", 0 }, { "module", 1 }, { "scope", 1 },
	{ "assign", 1 }, { "credit", 1 }, { "title", 1 }, { "summary", 1 },
	{ "remediation", 1 }, { "mitigation", 1 }, { "reference", 1 },
	{ "exception", 1 }, { "exception-pending", 1 }, { "tag", 1 },
	{ "origin", 1 },
	/* a CVE ID a report cites in passing (triage.h), not the case's */
	{ "cve-mentioned", 0 },
	{ "affected", 0 }, { "workaround", 1 }, { "description", 1 },
};

/* 1 a text kind, 0 an identifier, -1 not a kind of fact */
static int
fact_text(const char *kind, size_t len)
{
	size_t	i;

	for (i = 0; i < sizeof(fact_kinds) / sizeof(fact_kinds[0]); i++)
		if (strlen(fact_kinds[i].kind) == len &&
		    strncmp(kind, fact_kinds[i].kind, len) == 0)
			return fact_kinds[i].text;
	return -1;
}

int
st_sealed_kind(const char *kind)
{
	return fact_text(kind, strlen(kind)) != 0;
}

int
st_token(const char *s, size_t max, const char *extra)
{
	const char	*p;

	for (p = s; *p && (size_t)(p - s) < max; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("._:/+@-", *p) ||
		    strchr(extra, *p)))
			return 0;
	return p > s && *p == '\0';
}

int
st_bind_detail(struct store *st, sqlite3_stmt *stmt, int i, const char *s,
    char **errstr)
{
	/* in clear: a token (no spaces, no text) that does not set a
	 * fact holding text, such as "status=fixed" or "cve=CVE-2026-1" */
	if (s == NULL || *s == '\0' || (st_token(s, 120, "=") &&
	    fact_text(s, strcspn(s, "=")) != 1)) {
		bind_text(stmt, i, s);
		return 0;
	}
	return st_bind_sealed(st, stmt, i, s, errstr);
}

char *
st_col_open(struct store *st, sqlite3_stmt *stmt, int i)
{
	return store_text_open(st, col_cstr(stmt, i));
}

char *
store_text_open(struct store *st, const char *s)
{
	char	*out, *err = NULL;

	if (s == NULL)
		return NULL;
	if (!seal_text_is(s))
		return xstrdup(s);
	if (st->key == NULL)
		return xstrdup("[sealed]");
	if (seal_text_open(st->key, s, &out, &err) == -1) {
		free(err);
		return xstrdup("[sealed: does not open]");
	}
	return out;
}

/*
 * A bind that failed leaves its parameter NULL, and SQLite would run the
 * statement all the same: a row written with a field missing, behind an
 * audit record that has it. Binding fails for memory (SQLite copies the
 * value): the statement is marked, and st_step() fails it, so that the
 * transaction rolls back as for any other error (and the outbox, say,
 * tries its record again rather than send twice).
 */
void
bind_check(sqlite3_stmt *stmt, int rc)
{
	/* SQLITE_RANGE is a parameter the statement does not use, which
	 * callers binding a fixed set to several statements allow */
	if (rc != SQLITE_OK && rc != SQLITE_RANGE)
		bind_failed = stmt;
}

int
st_step(sqlite3_stmt *stmt)
{
	if (stmt == bind_failed) {
		bind_failed = NULL;
		return SQLITE_NOMEM;	/* sqlite3_errmsg() says so */
	}
	return sqlite3_step(stmt);
}

void
bind_text(sqlite3_stmt *stmt, int i, const char *s)
{
	bind_check(stmt, s == NULL ? sqlite3_bind_null(stmt, i) :
	    sqlite3_bind_text(stmt, i, s, -1, SQLITE_TRANSIENT));
}

/*
 * A column as text, NULL only when it is NULL. SQLite also answers NULL
 * when it runs out of memory converting a number to text: that is
 * fatal here (as xmalloc's is), never a NULL value, which the recorded
 * state would take for a field that is not set.
 */
const char *
col_cstr(sqlite3_stmt *stmt, int i)
{
	const unsigned char	*s = sqlite3_column_text(stmt, i);

	if (s == NULL && sqlite3_column_type(stmt, i) != SQLITE_NULL)
		fatalx("out of memory reading the store");
	return (const char *)s;
}

char *
col_text(sqlite3_stmt *stmt, int i)
{
	const char	*s = col_cstr(stmt, i);

	return s ? xstrdup(s) : NULL;
}

/*
 * Another writer holds the lock (a queue runner's workers, the CLI):
 * wait in short steps, up to STORE_BUSY_MS. SQLite's own busy timeout
 * sleeps up to 100 ms at a time, long against transactions of a few
 * milliseconds.
 */
static long long	busy_ms = 30000;	/* database_busy_timeout */

void
store_set_busy_timeout(long long ms)
{
	busy_ms = ms;
}

static int
busy_wait(void *arg, int n)
{
	struct timespec	ts = { 0, 500000 };	/* 0.5 ms */
	long long	waited;		/* ms so far */

	(void)arg;
	waited = n <= 200 ? n / 2 : 100 + (long long)(n - 200) * 5;
	if (waited >= busy_ms)
		return 0;
	if (n > 200)
		ts.tv_nsec = 5000000;	/* long waits: 5 ms steps */
	nanosleep(&ts, NULL);
	return 1;
}

int
store_open(const char *path, const struct seal_key *key, struct store **out,
    char **errstr)
{
	struct store	*st;
	sqlite3_stmt	*stmt;
	int		 version, rc;
	size_t		 i;
	char		*sql;

	st = xcalloc(1, sizeof(*st));
	st->key = key;
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		st_err(st, errstr, "open");
		goto fail;
	}
	sqlite3_busy_handler(st->db, busy_wait, NULL);
	if (st_state_init(st, errstr) == -1)
		goto fail;
	if (st_exec(st, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	    "PRAGMA foreign_keys=ON;", errstr) == -1)
		goto fail;
	if (st_prepare(st, &stmt, "PRAGMA user_version", errstr) == -1)
		goto fail;
	version = st_step(stmt) == SQLITE_ROW ?
	    sqlite3_column_int(stmt, 0) : 0;
	sqlite3_finalize(stmt);
	if ((size_t)version > NMIGRATIONS) {
		*errstr = xasprintf("database %s: schema version %d was made "
		    "by a newer psirt-agent (this one knows versions up to "
		    "%zu); refusing to downgrade: run that version, or "
		    "restore a backup made by this one", path, version,
		    NMIGRATIONS);
		store_close(&st);
		return -1;
	}
	for (i = (size_t)version; i < NMIGRATIONS; i++) {
		if (store_begin(st, errstr) == -1)
			goto fail;
		/* another process may have migrated meanwhile */
		if (st_prepare(st, &stmt, "PRAGMA user_version", errstr) == -1)
			goto fail_tx;
		version = st_step(stmt) == SQLITE_ROW ?
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
		st->later_cols = 0;
		st->credits_tbl = 0;
		/* an older store: its state as the upgrade finds it is where
		 * the record of state begins, in the same transaction */
		if (i + 1 == STATE_MIGRATION &&
		    st_state_baseline(st, errstr) == -1)
			goto fail_tx;
		if (store_commit(st, errstr) == -1)
			goto fail_tx;
	}
	if (st_state_triggers(st, errstr) == -1)
		goto fail;
	*out = st;
	return 0;
fail_tx:
	rc = sqlite3_errcode(st->db);
	store_rollback(st);
	goto out;
fail:
	rc = st->db ? sqlite3_errcode(st->db) : SQLITE_NOMEM;
out:
	store_close(&st);
	return rc == SQLITE_BUSY || rc == SQLITE_LOCKED || rc == SQLITE_IOERR ||
	    rc == SQLITE_FULL || rc == SQLITE_NOMEM || rc == SQLITE_PROTOCOL ?
	    -2 : -1;
}

void
store_close(struct store **stp)
{
	char	*err = NULL;

	if (*stp == NULL)
		return;
	/* state changed outside a transaction: record it now */
	if ((*stp)->ndirty && store_begin(*stp, &err) == 0 &&
	    store_commit(*stp, &err) == -1)
		store_rollback(*stp);
	free(err);
	st_state_clear(*stp);
	sqlite3_close((*stp)->db);
	free(*stp);
	*stp = NULL;
}

int
store_begin(struct store *st, char **errstr)
{
	if (st_exec(st, "BEGIN IMMEDIATE", errstr) == -1)
		return -1;
	/* state changed outside a transaction: record it in this one */
	if (st->ndirty && st_state_flush(st, errstr) == -1) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

int
store_savepoint(struct store *st, const char *name, char **errstr)
{
	char	sql[80];

	snprintf(sql, sizeof(sql), "SAVEPOINT %s", name);
	return st_exec(st, sql, errstr);
}

int
store_rollback_to(struct store *st, const char *name, char **errstr)
{
	char	sql[80];

	snprintf(sql, sizeof(sql), "ROLLBACK TO %s; RELEASE %s", name, name);
	return st_exec(st, sql, errstr);
}

int
store_release(struct store *st, const char *name, char **errstr)
{
	char	sql[80];

	snprintf(sql, sizeof(sql), "RELEASE %s", name);
	return st_exec(st, sql, errstr);
}

int
store_commit(struct store *st, char **errstr)
{
	if (st_state_flush(st, errstr) == -1)
		return -1;
	return st_exec(st, "COMMIT", errstr);
}

void
store_rollback(struct store *st)
{
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st_state_clear(st);
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
	if (st_step(stmt) != SQLITE_ROW) {
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
	bind_text(stmt, 5, c->reporter);
	if (st_bind_sealed(st, stmt, 4, c->subject, errstr) == -1 ||
	    st_bind_sealed(st, stmt, 6, c->reporter_name, errstr) == -1) {
		sqlite3_finalize(stmt);
		return -1;
	}
	bind_text(stmt, 7, c->source);
	bind_text(stmt, 8, c->lang);
	sqlite3_bind_int64(stmt, 9, c->created_at);
	sqlite3_bind_int64(stmt, 10, c->updated_at);
	return st_step_done(st, stmt, "insert case", errstr);
}

void
st_case_row(struct store *st, sqlite3_stmt *stmt, struct store_case *c)
{
	c->id = col_text(stmt, 0);
	c->kind = col_text(stmt, 1);
	c->status = col_text(stmt, 2);
	c->subject = st_col_open(st, stmt, 3);
	c->reporter = col_text(stmt, 4);
	c->reporter_name = st_col_open(st, stmt, 5);
	c->source = col_text(stmt, 6);
	c->lang = col_text(stmt, 7);
	c->created_at = sqlite3_column_int64(stmt, 8);
	c->updated_at = sqlite3_column_int64(stmt, 9);
	c->tlp = col_text(stmt, 10);
	c->severity = col_text(stmt, 11);
	c->severity_by = col_text(stmt, 12);
	c->level = sqlite3_column_int(stmt, 13);
	c->merged_into = col_text(stmt, 14);
	c->reply_token = col_text(stmt, 15);
	c->paused = col_text(stmt, 16);
	c->embargo = sqlite3_column_int64(stmt, 17);
	c->hold = col_text(stmt, 18);
}

/* The case with this ID, or, for a case merged into another, that one
 * (so a merged case's tag and ID keep working). */
int
store_case_get(struct store *st, const char *id, struct store_case *c,
    char **errstr)
{
	sqlite3_stmt	*stmt;
	char		*next = NULL;
	int		 rc, hops;

	memset(c, 0, sizeof(*c));
	for (hops = 0; hops < 8; hops++) {
		if (st_prepare(st, &stmt, "SELECT " ST_CASE_COLS " FROM cases "
		    "WHERE id = ?1 COLLATE NOCASE", errstr) == -1) {
			free(next);
			return -1;
		}
		bind_text(stmt, 1, next ? next : id);
		free(next);
		next = NULL;
		rc = st_step(stmt);
		if (rc == SQLITE_ROW) {
			store_case_free(c);
			st_case_row(st, stmt, c);
		} else if (rc != SQLITE_DONE) {
			st_err(st, errstr, "read case");
			sqlite3_finalize(stmt);
			return -1;
		}
		sqlite3_finalize(stmt);
		if (rc != SQLITE_ROW || c->merged_into == NULL)
			break;
		next = xstrdup(c->merged_into);
	}
	free(next);
	return c->id != NULL;
}

int
store_case_list(struct store *st, struct store_case **out, size_t *np,
    char **errstr)
{
	sqlite3_stmt		*stmt;
	struct store_case	*v = NULL;
	size_t			 n = 0, cap = 0;
	int			 rc;

	if (st_prepare(st, &stmt, "SELECT " ST_CASE_COLS " FROM cases "
	    "ORDER BY created_at, id", errstr) == -1)
		return -1;
	while ((rc = st_step(stmt)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xrealloc(v, cap * sizeof(*v));
		}
		st_case_row(st, stmt, &v[n++]);
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
	if (st_bind_sealed(st, stmt, 2, subject, errstr) == -1) {
		sqlite3_finalize(stmt);
		return -1;
	}
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
	free(c->tlp);
	free(c->severity);
	free(c->severity_by);
	free(c->merged_into);
	free(c->reply_token);
	free(c->paused);
	free(c->hold);
	memset(c, 0, sizeof(*c));
}

/*
 * An event, chained: its digest covers its ID, time, case, type, detail
 * and actor; its hash covers the previous event's hash and its digest.
 * The insert and the link are one transaction (the caller's, or one of
 * its own), so two writers cannot fork the chain.
 */
int
store_event_addf(struct store *st, const char *case_id, const char *type,
    const char *actor, char **errstr, const char *fmt, ...)
{
	va_list	 ap;
	char	*d;
	int	 r;

	va_start(ap, fmt);
	if (vasprintf(&d, fmt, ap) == -1)
		d = NULL;
	va_end(ap);
	r = store_event_add(st, case_id, type, d ? d : type, actor, errstr);
	free(d);
	return r;
}

int
store_event_add(struct store *st, const char *case_id, const char *type,
    const char *detail, const char *actor, char **errstr)
{
	sqlite3_stmt	*stmt;
	long long	 id, at = (long long)time(NULL);
	char		 ids[24], ats[24], digest[65], hash[65], *prev = NULL;
	char		*stored = NULL;
	const char	*f[6];
	int		 own = 0, rc;

	if (sqlite3_get_autocommit(st->db)) {
		if (store_begin(st, errstr) == -1)
			return -1;
		own = 1;
	}
	if (st_prepare(st, &stmt, "INSERT INTO events(case_id, at, type, "
	    "detail, actor) VALUES (?,?,?,?,?)", errstr) == -1)
		goto fail;
	bind_text(stmt, 1, case_id);
	sqlite3_bind_int64(stmt, 2, at);
	bind_text(stmt, 3, type);
	bind_text(stmt, 5, actor);
	if (st_bind_detail(st, stmt, 4, detail, errstr) == -1) {
		sqlite3_finalize(stmt);
		goto fail;
	}
	if (st_step_done(st, stmt, "insert event", errstr) == -1)
		goto fail;
	id = sqlite3_last_insert_rowid(st->db);
	/* the digest covers the detail as stored */
	if (st_prepare(st, &stmt, "SELECT detail FROM events WHERE id = ?1",
	    errstr) == -1)
		goto fail;
	sqlite3_bind_int64(stmt, 1, id);
	if (st_step(stmt) == SQLITE_ROW)
		stored = col_text(stmt, 0);
	sqlite3_finalize(stmt);
	if (st_prepare(st, &stmt, "SELECT hash FROM events WHERE id < ?1 AND "
	    "hash IS NOT NULL ORDER BY id DESC LIMIT 1", errstr) == -1)
		goto fail;
	sqlite3_bind_int64(stmt, 1, id);
	if ((rc = st_step(stmt)) == SQLITE_ROW)
		prev = col_text(stmt, 0);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		st_err(st, errstr, "read the chain");
		goto fail;
	}
	snprintf(ids, sizeof(ids), "%lld", id);
	snprintf(ats, sizeof(ats), "%lld", at);
	f[0] = ids;
	f[1] = ats;
	f[2] = case_id;
	f[3] = type;
	f[4] = stored;
	f[5] = actor;
	hash_fields_hex(STORE_EVENT_TAG, f, 6, digest);
	if (hash_chain_hex(prev ? prev : "", digest, hash) == -1) {
		*errstr = xasprintf("event %lld: the previous hash is not "
		    "hex: the chain is damaged (audit verify)", id);
		goto fail;
	}
	if (st_prepare(st, &stmt, "UPDATE events SET digest = ?2, prev = ?3, "
	    "hash = ?4 WHERE id = ?1", errstr) == -1)
		goto fail;
	sqlite3_bind_int64(stmt, 1, id);
	bind_text(stmt, 2, digest);
	bind_text(stmt, 3, prev ? prev : "");
	bind_text(stmt, 4, hash);
	if (st_step_done(st, stmt, "chain event", errstr) == -1)
		goto fail;
	free(prev);
	free(stored);
	if (own && store_commit(st, errstr) == -1) {
		store_rollback(st);
		return -1;
	}
	return 0;
fail:
	free(prev);
	free(stored);
	if (own)
		store_rollback(st);
	return -1;
}

int
store_events(struct store *st, const char *case_id, struct store_event **out,
    size_t *np, char **errstr)
{
	sqlite3_stmt		*stmt;
	struct store_event	*v = NULL;
	size_t			 n = 0, cap = 0;
	int			 rc;

	/* with those of the cases merged into it (events never move:
	 * they are chained) */
	if (st_prepare(st, &stmt, "SELECT at, type, detail, actor FROM events "
	    "WHERE (case_id = ?1 OR case_id IN (SELECT id FROM cases WHERE "
	    "merged_into = ?1)) AND type != 'state' ORDER BY id",
	    errstr) == -1)
		return -1;
	bind_text(stmt, 1, case_id);
	while ((rc = st_step(stmt)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[n].at = sqlite3_column_int64(stmt, 0);
		v[n].type = col_text(stmt, 1);
		v[n].detail = st_col_open(st, stmt, 2);
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
store_backup(struct store *st, const char *path, char **errstr)
{
	sqlite3		*dst;
	sqlite3_backup	*bk;
	int		 rc;

	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_EXCLUSIVE | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK) {
		*errstr = xasprintf("%s: %s", path, sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return -1;
	}
	/* all pages in one step: a consistent copy, taken while others
	 * wait at most the busy timeout */
	if ((bk = sqlite3_backup_init(dst, "main", st->db, "main")) == NULL) {
		*errstr = xasprintf("%s: %s", path, sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return -1;
	}
	do {
		rc = sqlite3_backup_step(bk, -1);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(50);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(bk);
	if (rc != SQLITE_DONE) {
		*errstr = xasprintf("backup to %s: %s", path,
		    sqlite3_errstr(rc));
		sqlite3_close(dst);
		return -1;
	}
	if (sqlite3_close(dst) != SQLITE_OK) {
		*errstr = xasprintf("%s: closing failed", path);
		return -1;
	}
	return 0;
}
