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

/* t's two lists, each "A,B,..." */
static void
lists(const struct triage *t, const char *want_cves, const char *want_cited)
{
	struct buf	a, b;
	size_t		i;

	buf_init(&a);
	buf_init(&b);
	for (i = 0; i < t->ncves; i++)
		buf_printf(&a, "%s%s", i ? "," : "", t->cves[i]);
	for (i = 0; i < t->ncves_mentioned; i++)
		buf_printf(&b, "%s%s", i ? "," : "", t->cves_mentioned[i]);
	assert_string_equal(a.s ? a.s : "", want_cves);
	assert_string_equal(b.s ? b.s : "", want_cited);
	buf_free(&a);
	buf_free(&b);
}

static void
cited(const char *subject, const char *text, const char *want_cves,
    const char *want_cited)
{
	struct triage	t;

	extract(subject, text, 10, &t);
	lists(&t, want_cves, want_cited);
	triage_free(&t);
}

/* reported or cited in passing (issue 22) */
static void
test_cve_cited(void **state)
{
	(void)state;
	/* no cue: reported, as before; the subject always is */
	cited("SmartCam RCE", "I found CVE-2026-1001 in SmartCam.",
	    "CVE-2026-1001", "");
	cited("Similar to CVE-2021-44228", "Details below.",
	    "CVE-2021-44228", "");
	/* the cues in the brief, and the nearest cue wins */
	cited("RCE", "CVE: CVE-2026-1002\nThis is similar to "
	    "CVE-2021-44228 and CVE-2022-22965.", "CVE-2026-1002",
	    "CVE-2021-44228,CVE-2022-22965");
	cited("x", "See also CVE-2020-0001. Like CVE-2020-0002, cf. "
	    "CVE-2020-0003; compare CVE-2020-0004. Related: CVE-2020-0005, "
	    "previously reported as CVE-2020-0006.", "",
	    "CVE-2020-0001,CVE-2020-0002,CVE-2020-0003,CVE-2020-0004,"
	    "CVE-2020-0005,CVE-2020-0006");
	cited("x", "Related: this is CVE-2026-1003. Regarding CVE-2026-1004, "
	    "assigned CVE-2026-1005.", "CVE-2026-1003,CVE-2026-1004,"
	    "CVE-2026-1005", "");
	/* "like" is a word, and "report" nearer wins over it; "looks
	 * like" names the ID */
	cited("x", "I would like to report CVE-2026-1006, it is unlikely "
	    "CVE-2026-1007 helps. Looks like CVE-2026-1023 again.",
	    "CVE-2026-1006,CVE-2026-1007,CVE-2026-1023", "");
	/* a sentence end, a blank line and the span stop the look back */
	cited("x", "It is similar. CVE-2026-1008 is new.\nSee also:\n\n"
	    "CVE-2026-1009\nSimilar to the old issue we talked about last "
	    "year in the meeting, CVE-2026-1010", "CVE-2026-1008,"
	    "CVE-2026-1009,CVE-2026-1010", "");
	/* a list after "Related:": each item, also past the span */
	cited("x", "CVE-2026-1011 allows RCE.\nRelated:\n- CVE-2019-0001\n"
	    "- CVE-2019-0002\n\nCVE-2026-1012 too.\nSimilar to CVE-2019-0003,"
	    " CVE-2019-0004, CVE-2019-0005, CVE-2019-0006, CVE-2019-0007",
	    "CVE-2026-1011,CVE-2026-1012", "CVE-2019-0001,CVE-2019-0002,"
	    "CVE-2019-0003,CVE-2019-0004,CVE-2019-0005,CVE-2019-0006,"
	    "CVE-2019-0007");
	/* zh-TW, full-width colon and letters */
	cited("x", "\xe6\x9c\xac\xe6\xbc\x8f\xe6\xb4\x9e\xe7\x82\xba "
	    "CVE-2026-1013\xef\xbc\x8c\xe9\xa1\x9e\xe4\xbc\xbc "
	    "CVE-2021-44228\xe3\x80\x81" "CVE-2022-22965\xe3\x80\x82"
	    "\xe5\x8f\x83\xe8\x80\x83\xef\xbc\x9a"
	    "\xef\xbc\xa3\xef\xbc\xb6\xef\xbc\xa5-2017-5638\xe3\x80\x82"
	    "\xe5\x8f\x83\xe8\xa6\x8b CVE-2014-0160",
	    /* 本漏洞為 ...，類似 ...、...。參考：ＣＶＥ-2017-5638。參見 ... */
	    "CVE-2026-1013", "CVE-2021-44228,CVE-2022-22965,CVE-2017-5638,"
	    "CVE-2014-0160");
	/* quoted lines and what is below a forward: cited; but a cited
	 * ID that the report names as its own is reported */
	cited("Re: [PSIRT-2026-0001]", "My new finding: CVE-2026-1014\n"
	    "> On Monday you wrote:\n> CVE-2026-1015 and CVE-2026-1014\n",
	    "CVE-2026-1014", "CVE-2026-1015");
	cited("x", "similar to CVE-2026-1016. This is CVE-2026-1016.",
	    "CVE-2026-1016", "");
	/* a forward is the report (bodytext.c unwraps it); a signature
	 * is not */
	cited("Fwd: report", "FYI\n\n---------- Forwarded message ---------\n"
	    "From: someone\nCVE-2026-1017\n-- \nBob, who found "
	    "CVE-2019-1111\n", "CVE-2026-1017", "CVE-2019-1111");
	cited("x", "CVE-2026-1018\n-----Original Message-----\n"
	    "CVE-2026-1019\n", "CVE-2026-1018", "CVE-2026-1019");
	cited("x", "CVE-2026-1028\n________________________________\n"
	    "From: PSIRT\nCVE-2026-1029\n", "CVE-2026-1028", "CVE-2026-1029");
	cited("x", "\xe5\x9b\x9e\xe8\xa6\x86\n-----\xe5\x8e\x9f\xe5\xa7"
	    "\x8b\xe9\x83\xb5\xe4\xbb\xb6-----\nCVE-2026-1020\n", "",
	    "CVE-2026-1020");	/* -----原始郵件----- */
	/* staff command lines at the top are the commands' to decide */
	cited("x", "\n#cve CVE-2026-1024\n#cve-mentioned CVE-2026-1025\n"
	    "\nCVE-2026-1026\n#cve CVE-2026-1027", "CVE-2026-1026,"
	    "CVE-2026-1027", "");
	/* a list separator after a quoted ID inherits nothing */
	cited("x", "> similar to CVE-2026-1021\nCVE-2026-1022", "CVE-2026-1022",
	    "CVE-2026-1021");
}

/* the limit counts both lists; many cues and IDs stay fast */
static void
test_cve_cited_limits(void **state)
{
	struct triage	t;
	struct buf	b;
	int		i;

	(void)state;
	buf_init(&b);
	for (i = 0; i < 6; i++)
		buf_printf(&b, "similar to CVE-2025-%04d ", i);
	for (i = 0; i < 6; i++)
		buf_printf(&b, "this is CVE-2026-%04d. ", i);
	extract("", b.s, 10, &t);
	assert_int_equal(t.ncves_mentioned, 6);
	assert_int_equal(t.ncves, 4);
	assert_non_null(strstr(t.warnings, "more than 10 CVE IDs"));
	triage_free(&t);
	buf_truncate(&b, 0);
	for (i = 0; i < 50000; i++)
		buf_puts(&b, "similar like cf. see also CVE-2025-0001 ");
	extract("", b.s, 10, &t);
	assert_int_equal(t.ncves_mentioned, 1);
	assert_int_equal(t.ncves, 0);
	triage_free(&t);
	buf_free(&b);
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
		cmocka_unit_test(test_cve_cited),
		cmocka_unit_test(test_cve_cited_limits),
		cmocka_unit_test(test_cwe),
		cmocka_unit_test(test_cvss),
		cmocka_unit_test(test_tlp),
		cmocka_unit_test(test_kind_level),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
