/*
 * test-triage.c: what a report states about itself (parsers/triage.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/buf.h"
#include "parsers/triage.h"

static void
extract(const char *subject, const char *text, size_t max, struct triage *t)
{
	char	*err = NULL;

	assert_int_equal(triage_extract(subject, text, max, t, &err), 0);
	assert_null(err);
}

static void
test_cve(void **state)
{
	struct triage	t;

	(void)state;
	/* any letter case, full-width, Unicode dashes; each once; not
	 * inside a longer word or number */
	extract("cve-2024-1234 fixed", "See CVE-2024-1234, "
	    "\xef\xbc\xa3\xef\xbc\xb6\xef\xbc\xa5\xef\xbc\x8d"
	    "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x95-0001 and "
	    "CVE\xe2\x80\x93" "2023\xe2\x80\x91" "123456. Not XCVE-2020-1111 "
	    "or CVE-2020-11112222333344445555 or CVE-20-1234.", 10, &t);
	assert_int_equal(t.ncves, 3);
	assert_string_equal(t.cves[0], "CVE-2024-1234");
	assert_string_equal(t.cves[1], "CVE-2025-0001");
	assert_string_equal(t.cves[2], "CVE-2023-123456");
	triage_free(&t);
}

static void
test_cwe(void **state)
{
	struct triage	t;

	(void)state;
	extract(NULL, "CWE-79, cwe:89, CWE 787, CWE-79 again, CWE-0, "
	    "NOTCWE-1", 10, &t);
	assert_int_equal(t.ncwes, 3);
	assert_int_equal(t.cwes[0], 79);
	assert_int_equal(t.cwes[1], 89);
	assert_int_equal(t.cwes[2], 787);
	triage_free(&t);
}

static void
test_cvss(void **state)
{
	struct triage	t;

	(void)state;
	extract("", "Vector: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H. "
	    "(CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H) bare v3 "
	    "AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N, v2 AV:N/AC:L/Au:N/C:P/I:P/"
	    "A:P, bad CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:Y", 10,
	    &t);
	assert_int_equal(t.ncvss, 3);
	assert_int_equal(t.cvss[0].version, 31);
	assert_int_equal(t.cvss[0].score10, 98);
	assert_int_equal(t.cvss[1].version, 30);
	assert_int_equal(t.cvss[1].score10, 78);
	assert_string_equal(t.cvss[2].vector,
	    "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N");
	assert_non_null(t.warnings);
	assert_non_null(strstr(t.warnings, "unknown metric XX"));
	assert_null(strstr(t.warnings, "Au"));	/* v2: ignored quietly */
	triage_free(&t);
}

static void
test_tlp(void **state)
{
	struct triage	t;

	(void)state;
	extract("TLP:GREEN", "tlp:amber+strict\n> TLP:RED (quoted)\n", 10, &t);
	assert_int_equal(t.tlp, TLP_AMBER_STRICT);
	assert_string_equal(triage_tlp_name(t.tlp), "AMBER+STRICT");
	triage_free(&t);
	extract("TLP:WHITE", "", 10, &t);
	assert_int_equal(t.tlp, TLP_CLEAR);
	triage_free(&t);
	extract("", "TLP:REDACTED is no label, nor XTLP:RED", 10, &t);
	assert_int_equal(t.tlp, TLP_NONE);
	triage_free(&t);
	assert_int_equal(triage_tlp_parse("amber"), TLP_AMBER);
	assert_int_equal(triage_tlp_parse("purple"), TLP_NONE);
}

static void
test_kind_level(void **state)
{
	struct triage	t;

	(void)state;
	extract("x", "Hello\n  Kind: Incident  \nIncident level: 4\n", 10, &t);
	assert_string_equal(t.kind, "incident");
	assert_int_equal(t.level, 4);
	triage_free(&t);
	/* in prose, or out of range: nothing */
	extract("x", "the Kind: incident of thing\nLevel: 5\n", 10, &t);
	assert_null(t.kind);
	assert_int_equal(t.level, 0);
	triage_free(&t);
	extract("x", "\xe4\xba\x8b\xe4\xbb\xb6\xe7\xad\x89\xe7\xb4\x9a"
	    "\xef\xbc\x9a\xef\xbc\x93\n", 10, &t);	/* 事件等級：３ */
	assert_int_equal(t.level, 3);
	triage_free(&t);
}

/* 10 000 IDs: the first `max` kept, the rest counted; junk runs that
 * could make a backtracking matcher slow finish */
static void
test_limits(void **state)
{
	struct triage	t;
	struct buf	b;
	int		i;

	(void)state;
	buf_init(&b);
	for (i = 0; i < 10000; i++)
		buf_printf(&b, "CVE-2025-%05d ", i);
	for (i = 0; i < 20000; i++)
		buf_puts(&b, "AV:N/");
	for (i = 0; i < 20000; i++)
		buf_puts(&b, "CVSS:3.1/");
	for (i = 0; i < 20000; i++)
		buf_puts(&b, "TLP: ");
	extract("", b.s, 100, &t);
	assert_int_equal(t.ncves, 100);
	assert_string_equal(t.cves[99], "CVE-2025-00099");
	assert_non_null(strstr(t.warnings,
	    "more than 100 CVE IDs named; the first 100 kept, the rest not "
	    "read"));
	triage_free(&t);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cve),
		cmocka_unit_test(test_cwe),
		cmocka_unit_test(test_cvss),
		cmocka_unit_test(test_tlp),
		cmocka_unit_test(test_kind_level),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
