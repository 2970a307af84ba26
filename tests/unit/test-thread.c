/*
 * test-thread.c: the threading rules against a real SQLite store:
 * subject tags (any case, anywhere, unknown ones ignored) first, then
 * In-Reply-To/References, including our own replies' Message-IDs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "pipeline/thread.h"
#include "spool/store.h"
#include "spool/store_case.h"
#include "spool/store_msg.h"

static char		 path[64];
static struct store	*st;

static void
add_case(const char *id)
{
	struct store_case	c;
	char			*err = NULL;

	memset(&c, 0, sizeof(c));
	c.id = (char *)id;
	c.kind = "vulnerability";
	c.status = "new";
	assert_int_equal(store_case_insert(st, &c, &err), 0);
}

static void
add_msg(const char *case_id, const char *msgid, const char *dir)
{
	struct store_message	m;
	char			*err = NULL;

	memset(&m, 0, sizeof(m));
	m.case_id = (char *)case_id;
	m.message_id = (char *)msgid;
	m.direction = (char *)dir;
	m.kind = "report";
	assert_int_equal(store_message_insert(st, &m, &err), 0);
}

static int
setup(void **state)
{
	char	*err = NULL;
	int	 fd;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/psirt-thr.XXXXXX");
	if ((fd = mkstemp(path)) == -1)
		return -1;
	close(fd);
	if (store_open(path, NULL, &st, &err) < 0)
		return -1;
	add_case("PSIRT-2026-0001");
	add_case("PSIRT-2026-0002");
	add_msg("PSIRT-2026-0001", "report1@example.net", "in");
	add_msg("PSIRT-2026-0002", "psirt.ack2@example.org", "out");
	add_msg(NULL, "held@example.net", "in");
	return 0;
}

static int
teardown(void **state)
{
	char	p[80];

	(void)state;
	store_close(&st);
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
	return 0;
}

static const char *
find(const char *subject, char **refs, size_t n, const char **how)
{
	static char	 buf[64];
	char		*id = NULL, *err = NULL;
	int		 r;

	r = thread_find(st, subject, refs, n, &id, how, &err);
	assert_int_not_equal(r, -1);
	if (r == 0) {
		assert_null(id);
		return NULL;
	}
	snprintf(buf, sizeof(buf), "%s", id);
	free(id);
	return buf;
}

static void
test_subject_tags(void **state)
{
	const char	*how;

	(void)state;
	assert_string_equal(find("[PSIRT-2026-0002] Re: x", NULL, 0, &how),
	    "PSIRT-2026-0002");
	assert_string_equal(how, "subject tag");
	assert_string_equal(find("Re: more [psirt-2026-0001]", NULL, 0, &how),
	    "PSIRT-2026-0001");
	assert_string_equal(find("[ PSIRT-2026-0001 ]", NULL, 0, &how),
	    "PSIRT-2026-0001");
	/* unknown tags are skipped, a later known one still counts */
	assert_string_equal(find("[SPAM] [PSIRT-2026-0999] [PSIRT-2026-0002]",
	    NULL, 0, &how), "PSIRT-2026-0002");
	assert_null(find("[PSIRT-2026-0999] new", NULL, 0, &how));
	assert_null(find("PSIRT-2026-0001 without brackets", NULL, 0, &how));
	assert_null(find("[unterminated PSIRT-2026-0001", NULL, 0, &how));
	assert_null(find(NULL, NULL, 0, &how));
}

static void
test_references(void **state)
{
	char		*r1[] = { "unknown@x", "report1@example.net" };
	char		*r2[] = { "psirt.ack2@example.org" };
	char		*r3[] = { "held@example.net", "nope@x" };
	const char	*how;

	(void)state;
	assert_string_equal(find("Re: hi", r1, 2, &how), "PSIRT-2026-0001");
	assert_string_equal(how, "In-Reply-To/References");
	assert_string_equal(find("Re: hi", r2, 1, &how), "PSIRT-2026-0002");
	/* a known message outside any case does not thread */
	assert_null(find("Re: hi", r3, 2, &how));
	/* the tag wins over references */
	assert_string_equal(find("[PSIRT-2026-0002]", r1, 2, &how),
	    "PSIRT-2026-0002");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_subject_tags),
		cmocka_unit_test(test_references),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
