/*
 * test-affected.c: affected pairs (parsers/affected.c): the grammar and
 * its normal form, version order, what is refused and why, the
 * contradictions between two pairs, and a vers URI per range.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "parsers/affected.h"

static char *
norm(const char *s)
{
	struct affected	 a;
	char		*why = NULL;

	if (affected_parse(s, strlen(s), &a, &why) == -1) {
		free(why);
		return NULL;
	}
	return affected_format(&a);
}

/* The reason s is refused (must be). */
static char *
refused(const char *s)
{
	struct affected	 a;
	char		*why = NULL;

	assert_int_equal(affected_parse(s, strlen(s), &a, &why), -1);
	assert_non_null(why);
	return why;
}

static void
test_vercmp(void **state)
{
	(void)state;
	assert_int_equal(affected_vercmp("5.1.3", "5.1.4"), -1);
	assert_int_equal(affected_vercmp("5.10", "5.9"), 1);
	assert_int_equal(affected_vercmp("5.1", "5.1.0"), 0);
	assert_int_equal(affected_vercmp("5.01", "5.1"), 0);
	assert_int_equal(affected_vercmp("5.1", "5.1a"), -1);
	assert_int_equal(affected_vercmp("2.0", "10.0"), -1);
	assert_int_equal(affected_vercmp("", ""), 0);
}

static void
test_forms(void **state)
{
	static const char *const v[][2] = {
		{ "product=SmartCam affected=<5.1.4 fixed=5.1.4",
		  "product=SmartCam affected=<5.1.4 fixed=5.1.4 status=fixed" },
		{ "product=Smart Cam Pro vendor=ACME Inc. affected=>=5.0 "
		  "<5.1.4 fixed=5.1.4",
		  "product=Smart Cam Pro vendor=ACME Inc. affected=>=5.0 "
		  "<5.1.4 fixed=5.1.4 status=fixed" },
		{ "product=X affected=5.0.0-5.1.3 fixed=5.1.4",
		  "product=X affected=>=5.0.0 <=5.1.3 fixed=5.1.4 "
		  "status=fixed" },
		{ "product=X affected=5.1.1,5.1.2",
		  "product=X affected=5.1.1,5.1.2 status=affected" },
		{ "  product=X\taffected=5.1.2   status=no_fix_planned ",
		  "product=X affected=5.1.2 status=no-fix-planned" },
		{ "product=X status=not-affected "
		  "justification=vulnerable-code-not-present",
		  "product=X affected=* status=not-affected "
		  "justification=vulnerable_code_not_present" },
		{ "product=X affected=<5.1.4 >5.0",
		  "product=X affected=>5.0 <5.1.4 status=affected" },
	};
	size_t	 i;
	char	*n, *n2;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		n = norm(v[i][0]);
		assert_non_null(n);
		assert_string_equal(n, v[i][1]);
		n2 = norm(n);		/* the normal form reads back alike */
		assert_string_equal(n2, n);
		free(n);
		free(n2);
	}
}

static void
test_refused(void **state)
{
	static const char *const v[][2] = {
		{ "affected=5.1", "product= is missing" },
		{ "product=X", "affected= is missing" },
		{ "product=X affected=5.1 product=Y", "product= given twice" },
		{ "colour=red product=X", "expected one of product=" },
		{ "product=X affected=>=5.2 <5.1", "holds no version" },
		{ "product=X affected=>5 <5", "holds no version" },
		{ "product=X affected=<5 <=6", "two upper bounds" },
		{ "product=X affected=5.1-", "is not a version" },
		{ "product=X affected=5.1,,5.2", "is not a version" },
		{ "product=X affected=5.1,5.1.0", "in the list twice" },
		{ "product=X affected=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17",
		  "more than 16 versions" },
		{ "product=X affected=<5.1.4 fixed=5.1.3", "not above every" },
		{ "product=X affected=>=5 fixed=6", "not above every" },
		{ "product=X affected=* fixed=6", "not above every" },
		{ "product=X affected=5 fixed=6 status=affected",
		  "fixed= contradicts status=affected" },
		{ "product=X affected=5 status=fixed", "needs fixed=VERSION" },
		{ "product=X status=not-affected", "needs justification" },
		{ "product=X affected=5 justification=component_not_present",
		  "goes with status=not-affected" },
		{ "product=X affected=5 status=broken", "is not fixed, affected" },
		{ "product=X affected=5 status=not-affected justification=x",
		  "is not one of" },
		{ "product=X\x01 affected=5", "a control character" },
		{ "product=X\x7f affected=5", "a control character" },
		{ "product=X affected=5.1 beta", "is not a version" },
	};
	size_t	 i;
	char	*why;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		why = refused(v[i][0]);
		if (strstr(why, v[i][1]) == NULL)
			fail_msg("\"%s\": \"%s\" lacks \"%s\"", v[i][0], why,
			    v[i][1]);
		free(why);
	}
}

/* An input of the largest size, blank words that continue a value:
 * read in one pass and refused for its length beyond. */
static void
test_limits(void **state)
{
	char	 s[AFF_INPUT_MAX + 2], *why;
	size_t	 i;

	(void)state;
	memcpy(s, "product=", 8);
	for (i = 8; i < AFF_INPUT_MAX; i++)
		s[i] = i % 2 ? ' ' : 'x';
	s[AFF_INPUT_MAX] = '\0';
	why = refused(s);
	assert_non_null(strstr(why, "product: longer than 127"));
	free(why);
	s[AFF_INPUT_MAX] = 'x';
	s[AFF_INPUT_MAX + 1] = '\0';
	why = refused(s);
	assert_non_null(strstr(why, "longer than 1024 bytes"));
	free(why);
}

static int
conflict(const char *x, const char *y, const char *want)
{
	struct affected	 a, b;
	char		*why = NULL;
	int		 r;

	assert_int_equal(affected_parse(x, strlen(x), &a, &why), 0);
	assert_int_equal(affected_parse(y, strlen(y), &b, &why), 0);
	r = affected_conflict(&a, &b, &why);
	if (r && want && strstr(why, want) == NULL)
		fail_msg("\"%s\" lacks \"%s\"", why, want);
	free(why);
	return r;
}

static void
test_conflicts(void **state)
{
	(void)state;
	assert_true(conflict("product=X affected=<5.1.4 fixed=5.1.4",
	    "product=X affected=<=5.1.3 fixed=5.1.5", "overlap"));
	assert_true(conflict("product=X affected=5.0-5.2 fixed=5.3",
	    "product=X affected=5.1.9", "overlap"));
	assert_true(conflict("product=X affected=<5.1 fixed=5.1.2",
	    "product=X affected=5.1.1,5.1.2", "fixed version 5.1.2 is "
	    "inside"));
	assert_true(conflict("product=X vendor=A affected=5",
	    "product=x affected=5", "overlap"));
	/* not the same product, or ranges that only touch */
	assert_false(conflict("product=X affected=5", "product=Y affected=5",
	    NULL));
	assert_false(conflict("product=X vendor=A affected=5",
	    "product=X vendor=B affected=5", NULL));
	assert_false(conflict("product=X affected=<5.1.4 fixed=5.1.4",
	    "product=X affected=>=5.1.4 status=not-affected "
	    "justification=component_not_present", NULL));
	assert_false(conflict("product=X affected=>=4.0 <4.2.1 fixed=4.2.1",
	    "product=X affected=>=5.0 <5.1.4 fixed=5.1.4", NULL));
	assert_false(conflict("product=X affected=<5", "product=X "
	    "affected=>5", NULL));
	assert_true(conflict("product=X affected=<=5", "product=X "
	    "affected=>=5", "overlap"));
}

static void
test_vers(void **state)
{
	static const char *const v[][2] = {
		{ "product=X affected=<5.1.4", "vers:generic/<5.1.4" },
		{ "product=X affected=>=5.0 <5.1.4", "vers:generic/>=5.0|<5.1.4" },
		{ "product=X affected=5.0-5.1", "vers:generic/>=5.0|<=5.1" },
		{ "product=X affected=5.1.1,5.1.2", "vers:generic/5.1.1|5.1.2" },
		{ "product=X affected=*", "vers:generic/*" },
	};
	struct affected	 a;
	size_t		 i;
	char		*why = NULL, *s;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(affected_parse(v[i][0], strlen(v[i][0]), &a,
		    &why), 0);
		s = affected_vers(&a);
		assert_string_equal(s, v[i][1]);
		free(s);
	}
	assert_true(affected_contains(&a, "0.1"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vercmp),
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_conflicts),
		cmocka_unit_test(test_vers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
