/*
 * test-find.c: find_filter_parse() (reports/find.c), the filter words
 * of "#list"/"#search" by mail and of the command line's options: both
 * forms, quoting, every filter, the search words, and each refusal
 * naming the bad word.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "reports/find.h"

static void
test_forms(void **state)
{
	struct find_filter	 f;
	char			*st, *err = NULL;

	(void)state;
	assert_int_equal(find_filter_parse("#list status=triaged overdue "
	    "since=2026-12-01", &f, &st, &err), 0);
	assert_string_equal(f.status, "triaged");
	assert_int_equal(f.overdue, 1);
	assert_true(f.since == 1796083200LL);	/* 2026-12-01T00:00:00Z */
	assert_null(f.words);
	assert_null(f.kind);
	free(st);

	assert_int_equal(find_filter_parse("--status triaged --overdue "
	    "--kind=incident --severity high --product \"Acme Router\" "
	    "--reporter rita@example.net --assigned analyst", &f, &st, &err),
	    0);
	assert_string_equal(f.status, "triaged");
	assert_int_equal(f.overdue, 1);
	assert_string_equal(f.kind, "incident");
	assert_string_equal(f.severity, "high");
	assert_string_equal(f.product, "Acme Router");
	assert_string_equal(f.reporter, "rita@example.net");
	assert_string_equal(f.assigned, "analyst");
	free(st);

	assert_int_equal(find_filter_parse("product=\"Acme Router\" "
	    "since=2026-12-01T10:00:00Z", &f, &st, &err), 0);
	assert_string_equal(f.product, "Acme Router");
	assert_true(f.since == 1796083200LL + 36000);
	free(st);
	/* an ISO 8601 offset */
	assert_int_equal(find_filter_parse("since=2026-12-01T18:00:00+08:00",
	    &f, &st, &err), 0);
	assert_true(f.since == 1796083200LL + 36000);
	free(st);
	assert_int_equal(find_filter_parse("", &f, &st, &err), 0);
	assert_null(f.status);
	free(st);
}

static void
test_search(void **state)
{
	struct find_filter	 f;
	char			*st, *err = NULL;

	(void)state;
	assert_int_equal(find_filter_parse("#search heap  overflow "
	    "status=new a.*b", &f, &st, &err), 0);
	assert_string_equal(f.words, "heap overflow a.*b");
	assert_string_equal(f.status, "new");
	free(st);
	assert_int_equal(find_filter_parse("#search \"CVE-2026-1\" (x|y)+",
	    &f, &st, &err), 0);
	assert_string_equal(f.words, "CVE-2026-1 (x|y)+");
	free(st);
}

static void
refused(const char *args, const char *want)
{
	struct find_filter	 f;
	char			*st = (char *)"x", *err = NULL;

	assert_int_equal(find_filter_parse(args, &f, &st, &err), -1);
	assert_null(st);
	assert_non_null(err);
	if (strstr(err, want) == NULL)
		fail_msg("\"%s\": got \"%s\", wanted \"%s\"", args, err, want);
	free(err);
}

static void
test_refused(void **state)
{
	(void)state;
	refused("status=trage", "\"trage\" is not a status (did you mean "
	    "\"triaged\"?)");
	refused("kind=bug", "kind: \"bug\"");
	refused("severity=urgent", "severity: \"urgent\"");
	refused("since=2026-13-01", "since: \"2026-13-01\" is not a date");
	refused("since=yesterday", "since: \"yesterday\"");
	refused("--since", "since: a value is needed");
	refused("stauts=new", "\"stauts\" is not a filter (did you mean "
	    "\"status\"?)");
	refused("#list frobnicate", "\"frobnicate\" is not a filter");
	refused("overdue=yes", "overdue takes no value");
	refused("#search status=new", "no words");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
