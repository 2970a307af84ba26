/*
 * test-state.c: the state the program acts on, recorded in the chain
 * (spool/store_state.c). A change made through the store is recorded
 * and agrees; a change made around it (SQL on the file) is reported
 * field by field; and a change made by someone who can write the file
 * and even run this code, but does not hold the instance's seal key,
 * records a state whose MAC does not hold, and is reported too.
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

static char		 dir[64], path[128];
static struct seal_key	*k1, *k2;	/* the instance's, a forger's */

struct seen {
	int	 n;
	char	 last[512];
};

static void
seen(void *arg, const char *case_id, const char *key, const char *rec,
    const char *now)
{
	struct seen	*s = arg;

	s->n++;
	snprintf(s->last, sizeof(s->last), "%s|%s|%s|%s",
	    case_id ? case_id : "-", key ? key : "(none)", rec ? rec : "-",
	    now ? now : "-");
}

static int
check(struct seal_key *k, struct seen *s)
{
	struct store	*st;
	char		*err = NULL;
	long long	 n;
	int		 r;

	memset(s, 0, sizeof(*s));
	if (store_open(path, k, &st, &err) < 0)
		fail_msg("open: %s", err);
	r = store_state_check(st, seen, s, &n, &err);
	if (r == -1)
		fail_msg("check: %s", err);
	store_close(&st);
	return r;
}

static void
sql(const char *q)
{
	sqlite3	*db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, q, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void
test_state(void **state)
{
	struct store		*st;
	struct store_case	 c;
	struct seen		 s;
	char			*err = NULL;

	(void)state;
	assert_int_equal(store_open(path, k1, &st, &err), 0);
	memset(&c, 0, sizeof(c));
	c.id = "T-1";
	c.kind = "vulnerability";
	c.status = "new";
	c.subject = "a parser overflow";
	c.reporter = "r@example.net";
	assert_int_equal(store_begin(st, &err), 0);
	assert_int_equal(store_case_insert(st, &c, &err), 0);
	assert_int_equal(store_fact_add(st, "T-1", "summary", "heap overflow",
	    0, 0, NULL, &err), 1);
	assert_int_equal(store_commit(st, &err), 0);
	/* a change outside a transaction is recorded too */
	assert_int_equal(store_case_set(st, "T-1", "status", "triaged", &err),
	    0);
	/* a row whose text holds "mac<TAB>" (the recorded state's last
	 * line) is not taken for it */
	assert_int_equal(store_link_add(st, "T-1", "X-mac", "duplicate",
	    &err), 0);
	store_close(&st);
	assert_int_equal(check(k1, &s), 0);

	/* around the store: SQL on the file */
	sql("UPDATE cases SET status = 'rejected'");
	assert_int_equal(check(k1, &s), 1);
	assert_string_equal(s.last, "T-1|case status|triaged|rejected");
	sql("UPDATE cases SET status = 'triaged'");
	assert_int_equal(check(k1, &s), 0);

	/* a legal hold is state: set through the store it is recorded,
	 * lifted around it the check finds it (and a case never held has
	 * no hold line: states recorded before the column still agree) */
	assert_int_equal(store_open(path, k1, &st, &err), 0);
	assert_int_equal(store_case_set(st, "T-1", "hold", "yes", &err), 0);
	store_close(&st);
	assert_int_equal(check(k1, &s), 0);
	sql("UPDATE cases SET hold = NULL");
	assert_int_equal(check(k1, &s), 1);
	assert_string_equal(s.last, "T-1|case hold|yes|-");
	assert_int_equal(store_open(path, k1, &st, &err), 0);
	assert_int_equal(store_case_set(st, "T-1", "hold", NULL, &err), 0);
	store_close(&st);
	assert_int_equal(check(k1, &s), 0);

	/* through the store, without the instance's key: a forged state
	 * event, well chained, whose MAC does not hold */
	assert_int_equal(store_open(path, k2, &st, &err), 0);
	assert_int_equal(store_case_set(st, "T-1", "status", "closed", &err),
	    0);
	store_close(&st);
	assert_int_equal(check(k1, &s), 1);
	assert_string_equal(s.last, "T-1||-|-");

	/* a store that holds text but no key: no change can be committed */
	assert_int_equal(store_open(path, NULL, &st, &err), 0);
	assert_int_equal(store_case_set(st, "T-1", "status", "new", &err), 0);
	assert_int_equal(store_begin(st, &err), -1);
	assert_non_null(strstr(err, "seal key"));
	free(err);
	store_close(&st);
}

static int
setup(void **state)
{
	char	 kp[160], *err = NULL;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/psirt-state.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/s.db", dir);
	snprintf(kp, sizeof(kp), "%s/k1", dir);
	if (seal_key_create(kp, &err) == -1 ||
	    seal_key_load(kp, &k1, &err) == -1)
		return -1;
	unlink(kp);
	snprintf(kp, sizeof(kp), "%s/k2", dir);
	if (seal_key_create(kp, &err) == -1 ||
	    seal_key_load(kp, &k2, &err) == -1)
		return -1;
	unlink(kp);
	return 0;
}

static int
teardown(void **state)
{
	char	p[160];

	(void)state;
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
	rmdir(dir);
	seal_key_free(&k1);
	seal_key_free(&k2);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
