/*
 * test-migrate.c: upgrades from every earlier schema version with data
 * in it. For each version v (1 .. the current one), a store is built as
 * that version left it (the migrations up to v, then user_version = v),
 * filled with a case, its messages, an attachment, events, a queue row
 * and a reply as that version could hold them; then store_open()
 * upgrades it, and every row must still be there with its values, the
 * new columns at their defaults, and the new tables usable. A store of
 * a newer version than this program is refused, untouched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "spool/seal.h"
#include "spool/store.h"
#include "spool/store_case.h"
#include "spool/store_audit.h"
#include "spool/store_credit.h"

static char	dir[64];
static int	old_credit;	/* build() stored a credit fact */
static struct seal_key *skey;	/* the instance key of the upgraded stores */

static void
exec_ok(sqlite3 *db, const char *sql)
{
	char	*err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
}

static long long
one(sqlite3 *db, const char *sql)
{
	sqlite3_stmt	*st;
	long long	 v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The state triggers' function (store_state.c): what the migrations
 * call of it does not matter to a store built here */
static void
dirty_noop(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
}

/* A store as version v left it, with data of that version in it. */
static void
build(const char *path, size_t v)
{
	const char *const	*m;
	sqlite3			*db;
	char			 sql[128];
	size_t			 n, i;

	m = store_migrations(&n);
	assert_true(v <= n);
	unlink(path);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_create_function(db, "psirt_dirty", 1,
	    SQLITE_UTF8, NULL, dirty_noop, NULL, NULL), SQLITE_OK);
	for (i = 0; i < v; i++)
		exec_ok(db, m[i]);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %zu", v);
	exec_ok(db, sql);
	/* version 1 has these tables; later versions add columns */
	exec_ok(db, "INSERT INTO counters VALUES ('OLD-2025-', 7);"
	    "INSERT INTO cases(id, kind, status, subject, reporter, "
	    "reporter_name, source, lang, created_at, updated_at) VALUES "
	    "('OLD-2025-0007', 'vulnerability', 'confirmed', 'old case', "
	    "'rita@example.net', 'Rita', 'external', 'zh-TW', 1700000000, "
	    "1700000100);"
	    "INSERT INTO messages(qid, case_id, direction, kind, message_id, "
	    "from_addr, subject, text, received_at) VALUES ('Q1', "
	    "'OLD-2025-0007', 'in', 'report', 'r1@example.net', "
	    "'rita@example.net', 'old case', 'the old text', 1700000000);"
	    "INSERT INTO attachments(message, name, type, size, sha256) "
	    "VALUES (1, 'poc.py', 'text/x-python', 42, 'ab');"
	    "INSERT INTO events(case_id, at, type, detail, actor) VALUES "
	    "('OLD-2025-0007', 1700000000, 'case-opened', 'from Q1', "
	    "'agent');"
	    "INSERT INTO queue VALUES ('Q2', 'hold', 'auto-reply', 1, 0, "
	    "1700000000);"
	    "INSERT INTO outbox(case_id, message_id, rcpt, kind, raw, state, "
	    "attempts, next_try, created_at) VALUES ('OLD-2025-0007', "
	    "'a1@x', 'rita@example.net', 'ack', x'00', 'sent', 1, 0, "
	    "1700000001);");
	if (v >= 2)
		exec_ok(db, "UPDATE messages SET encryption = 'pgp', "
		    "decrypted = 1");
	if (v >= 7)
		exec_ok(db, "UPDATE cases SET tlp = 'AMBER', severity = "
		    "'high'; INSERT INTO case_facts(case_id, kind, value, at) "
		    "VALUES ('OLD-2025-0007', 'cve', 'CVE-2025-0001', 1)");
	/* the one credit fact a case held before it held credits */
	old_credit = v >= 7 && one(db, "SELECT count(*) FROM sqlite_master "
	    "WHERE name = 'case_credits'") == 0;
	if (old_credit)
		exec_ok(db, "INSERT INTO case_facts(case_id, kind, value, at) "
		    "VALUES ('OLD-2025-0007', 'credit', 'Rita R.', 2)");
	if (v >= 8)
		exec_ok(db, "INSERT INTO deadlines(case_id, clock, state, "
		    "business, duration, since, due_at, started_at) VALUES "
		    "('OLD-2025-0007', 'fix', 'running', 0, 604800, "
		    "1700000000, 1700604800, 1700000000)");
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* A disagreement with the recorded state: only "none recorded" is
 * expected here, of the one case. */
static void
no_state(void *arg, const char *case_id, const char *key,
    const char *recorded, const char *now)
{
	(void)arg;
	(void)recorded;
	(void)now;
	assert_string_equal(case_id, "OLD-2025-0007");
	assert_null(key);
}

static void
test_upgrade_from_every_version(void **state)
{
	long long	 nc;
	struct store	*st;
	struct store_case c;
	struct store_credit *cr, rc;
	size_t		 ncr;
	const char	*const *m;
	sqlite3		*db;
	char		 path[128], *err = NULL;
	size_t		 n, v;

	(void)state;
	m = store_migrations(&n);
	(void)m;
	snprintf(path, sizeof(path), "%s/s.db", dir);
	for (v = 1; v <= n; v++) {
		build(path, v);
		if (store_open(path, skey, &st, &err) < 0)
			fail_msg("from version %zu: %s", v, err);
		/* an upgrade records the state it finds; a store of the
		 * current version written around the agent has a case
		 * without recorded state, and the check finds it (unless
		 * the credits' upgrade recorded the state of its case) */
		assert_int_equal(store_state_check(st, no_state, NULL, &nc,
		    &err), v < 11 || old_credit ? 0 : 1);
		/* the old rows, by the store's own reading */
		assert_int_equal(store_case_get(st, "OLD-2025-0007", &c, &err),
		    1);
		assert_string_equal(c.subject, "old case");
		assert_string_equal(c.lang, "zh-TW");
		assert_string_equal(c.status, "confirmed");
		if (v >= 7)
			assert_string_equal(c.tlp, "AMBER");
		else
			assert_null(c.tlp);
		assert_null(c.hold);	/* 12: no case under legal hold */
		store_case_free(&c);
		/* the credit fact: a confirmed staff credit, the reporter's
		 * own choice (not a fact any more) */
		assert_int_equal(store_credits(st, "OLD-2025-0007", &cr, &ncr,
		    &err), 0);
		assert_int_equal(ncr, old_credit);
		if (ncr) {
			assert_string_equal(cr[0].name, "Rita R.");
			assert_string_equal(cr[0].choice, "named");
			assert_string_equal(cr[0].source, "staff");
			assert_int_equal(cr[0].confirmed, 1);
			assert_int_equal(store_credit_of_reporter(st,
			    "RITA@example.net", &rc, &err), 1);
			assert_string_equal(rc.name, "Rita R.");
			store_credit_clear(&rc);
		}
		store_credits_free(cr, ncr);
		/* new things work on the upgraded store */
		assert_int_not_equal(store_fact_add(st, "OLD-2025-0007", "cwe",
		    "CWE-79", 0, 0, NULL, &err), -1);
		assert_int_equal(store_event_add(st, "OLD-2025-0007",
		    "upgraded", "test", "test", &err), 0);
		store_close(&st);

		assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
		assert_int_equal(one(db, "PRAGMA user_version"), (long long)n);
		assert_int_equal(one(db, "SELECT count(*) FROM messages WHERE "
		    "text = 'the old text' AND qid = 'Q1'"), 1);
		assert_int_equal(one(db, "SELECT size FROM attachments"), 42);
		/* from before the record of state (version 11): the state
		 * as the upgrade found it, then as the new fact changed it */
		assert_int_equal(one(db, "SELECT count(*) FROM events WHERE "
		    "type != 'state'"), 2);
		assert_int_equal(one(db, "SELECT count(*) FROM events WHERE "
		    "type = 'state' AND case_id = 'OLD-2025-0007'"),
		    (v < 11 ? 2 : 1) + old_credit);
		assert_int_equal(one(db, "SELECT value FROM counters"), 7);
		assert_int_equal(one(db, "SELECT count(*) FROM queue WHERE "
		    "state = 'hold'"), 1);
		assert_int_equal(one(db, "SELECT count(*) FROM outbox WHERE "
		    "state = 'sent' AND claimed = 0"), 1);
		assert_int_equal(one(db, "SELECT decrypted FROM messages"),
		    v >= 2 ? 1 : 0);
		assert_int_equal(one(db, "SELECT count(*) FROM case_facts"),
		    v >= 7 ? 2 : 1);
		assert_int_equal(one(db, "SELECT count(*) FROM deadlines"),
		    v >= 8 ? 1 : 0);
		/* 12: nothing expired, no setting yet, and one can be set */
		assert_int_equal(one(db, "SELECT count(*) FROM messages WHERE "
		    "expired IS NULL"), 1);
		assert_int_equal(one(db, "SELECT count(*) FROM meta"), 0);
		exec_ok(db, "INSERT INTO meta VALUES ('k', 'v')");
		sqlite3_close(db);
	}
}

static void
test_newer_version_refused(void **state)
{
	struct store	*st = NULL;
	sqlite3		*db;
	char		 path[128], sql[64], *err = NULL;
	size_t		 n;

	(void)state;
	store_migrations(&n);
	snprintf(path, sizeof(path), "%s/new.db", dir);
	build(path, n);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %zu", n + 1);
	exec_ok(db, sql);
	sqlite3_close(db);
	assert_int_equal(store_open(path, skey, &st, &err), -1);
	assert_non_null(strstr(err, "refusing to downgrade"));
	free(err);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(one(db, "PRAGMA user_version"), (long long)n + 1);
	assert_int_equal(one(db, "SELECT count(*) FROM cases"), 1);
	sqlite3_close(db);
}

/* An upgrade records the state it finds, signed: without the seal key
 * a store with cases is not upgraded, and stays as it was. */
static void
test_upgrade_needs_the_key(void **state)
{
	struct store	*st = NULL;
	sqlite3		*db;
	char		 path[128], *err = NULL;

	(void)state;
	snprintf(path, sizeof(path), "%s/s.db", dir);
	build(path, 10);
	assert_int_equal(store_open(path, NULL, &st, &err), -1);
	assert_non_null(strstr(err, "seal key"));
	free(err);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(one(db, "PRAGMA user_version"), 10);
	sqlite3_close(db);
}

static int
setup(void **state)
{
	(void)state;
	char	 path[128], *err = NULL;

	snprintf(dir, sizeof(dir), "/tmp/psirt-migrate.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/seal.key", dir);
	if (seal_key_create(path, &err) == -1 ||
	    seal_key_load(path, &skey, &err) == -1) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	char	cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "%s/s.db", dir);
	unlink(cmd);
	snprintf(cmd, sizeof(cmd), "%s/new.db", dir);
	unlink(cmd);
	snprintf(cmd, sizeof(cmd), "%s/s.db-wal", dir);
	unlink(cmd);
	snprintf(cmd, sizeof(cmd), "%s/s.db-shm", dir);
	unlink(cmd);
	snprintf(cmd, sizeof(cmd), "%s/seal.key", dir);
	unlink(cmd);
	seal_key_free(&skey);
	rmdir(dir);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_upgrade_from_every_version),
		cmocka_unit_test(test_newer_version_refused),
		cmocka_unit_test(test_upgrade_needs_the_key),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
