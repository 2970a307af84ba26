/*
 * test-bodytext.c: stubs, forward notes and inline forwards in a mail's
 * text (parsers/bodytext.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "parsers/bodytext.h"

static int
stub(const char *s, enum bodytext_stub k)
{
	return bodytext_stub(s, strlen(s), k);
}

static void
test_stub(void **state)
{
	char	long_[600];

	(void)state;
	assert_true(stub("", BODYTEXT_ATTACHMENT));
	/* white space, a no-break and an ideographic space too */
	assert_true(stub(" \r\n\t\xc2\xa0\xe3\x80\x80\n", BODYTEXT_ATTACHMENT));
	assert_true(stub("See attached.", BODYTEXT_ATTACHMENT));
	assert_true(stub("Hi,\n\nPlease SEE THE ATTACHMENT.\n\nBob",
	    BODYTEXT_ATTACHMENT));
	assert_true(stub("details attached", BODYTEXT_ATTACHMENT));
	assert_true(stub("Report attached, thanks", BODYTEXT_ATTACHMENT));
	assert_true(stub("\xe8\xa9\xb3\xe8\xa6\x8b\xe9\x99\x84\xe4\xbb\xb6",
	    BODYTEXT_ATTACHMENT));		/* 詳見附件 */
	assert_true(stub("\xe8\xaf\xb7\xe8\xa7\x81\xe9\x99\x84\xe4\xbb\xb6",
	    BODYTEXT_ATTACHMENT));		/* 请见附件 */
	assert_true(stub("\xe5\xa6\x82\xe9\x99\x84\xe4\xbb\xb6",
	    BODYTEXT_ATTACHMENT));		/* 如附件 */
	/* a short text without such words is a body */
	assert_false(stub("SQL injection in /login via the id parameter.",
	    BODYTEXT_ATTACHMENT));
	assert_false(stub("FYI", BODYTEXT_ATTACHMENT));
	/* a long text that mentions an attachment is a body too */
	memset(long_, 'x', sizeof(long_) - 1);
	long_[sizeof(long_) - 1] = '\0';
	memcpy(long_, "see attached ", 13);
	assert_false(stub(long_, BODYTEXT_ATTACHMENT));
	/* 199 characters (3 bytes each) is short; 200 is not */
	{
		char	cjk[201 * 3 + 8];
		size_t	i;

		for (i = 0; i < 199; i++)
			memcpy(cjk + 3 * i, "\xe9\x99\x84", 3);	/* 附 */
		memcpy(cjk + 3 * 199, "\xe4\xbb\xb6", 3);	/* 件 */
		cjk[3 * 200] = '\0';
		assert_false(stub(cjk, BODYTEXT_ATTACHMENT));
		cjk[3 * 199] = '\0';
		memcpy(cjk, "\xe9\x99\x84\xe4\xbb\xb6", 6);	/* 附件 */
		assert_true(stub(cjk, BODYTEXT_ATTACHMENT));
	}
	assert_true(stub("This is an HTML message.", BODYTEXT_HTML));
	assert_true(stub("Your mail client does not support HTML.",
	    BODYTEXT_HTML));
	assert_true(stub("  \n", BODYTEXT_HTML));
	assert_false(stub("see attached", BODYTEXT_HTML));
	assert_false(stub("This is an HTML message.", BODYTEXT_ATTACHMENT));
}

static void
test_short(void **state)
{
	char	*s;

	(void)state;
	assert_true(bodytext_short("FYI", 3));
	/* white space around does not count, however much */
	s = calloc(1, 100002);
	memset(s, ' ', 100001);
	s[50000] = 'x';
	assert_true(bodytext_short(s, 100001));
	assert_true(bodytext_blank(s, 50000));
	assert_false(bodytext_blank(s, 100001));
	assert_int_equal(bodytext_start(s, 100001), 50000);
	assert_int_equal(bodytext_end(s, 100001), 50001);
	free(s);
}

/* The note and the inner text of an inline forward in s, or NULL. */
static const char *
fwd(const char *s, size_t *note)
{
	size_t	in;

	if (!bodytext_forward(s, strlen(s), note, &in))
		return NULL;
	return s + in;
}

static void
test_forward(void **state)
{
	const char	*in;
	size_t		 note;
	char		*big;

	(void)state;
	/* Gmail's */
	in = fwd("---------- Forwarded message ---------\n"
	    "From: Rita <rita@example.net>\nDate: Mon, 7 Dec 2026 at 10:00\n"
	    "Subject: vuln\nTo: <a@example.org>\n\n\nThe report.\n", &note);
	assert_non_null(in);
	assert_int_equal(note, 0);
	assert_string_equal(in, "The report.\n");
	/* Thunderbird's, below a note; tabs after the colons */
	in = fwd("FYI\r\n\r\n-------- Original Message --------\r\n"
	    "Subject: \tvuln\r\nFrom: \tRita\r\n\r\nBody\r\n", &note);
	assert_non_null(in);
	assert_int_equal(note, 7);
	assert_string_equal(in, "Body\r\n");
	/* Outlook's */
	in = fwd("-----Original Message-----\nFrom: X\nSent: Monday\n"
	    "To: Y\nSubject: Z\n\nBody", &note);
	assert_string_equal(in, "Body");
	/* Apple Mail's: a blank line before the header lines; a folded
	 * To: line */
	in = fwd("Begin forwarded message:\n\nFrom: X\nSubject: Z\nTo: a,\n"
	    " b\n\nBody", &note);
	assert_string_equal(in, "Body");
	/* zh-TW: 轉寄的郵件, 寄件者 and 主旨 with full-width colons */
	in = fwd("---------- \xe8\xbd\x89\xe5\xaf\x84\xe7\x9a\x84\xe9\x83\xb5"
	    "\xe4\xbb\xb6 ---------\n\xe5\xaf\x84\xe4\xbb\xb6\xe8\x80\x85"
	    "\xef\xbc\x9a X\n\xe4\xb8\xbb\xe6\x97\xa8\xef\xbc\x9a Y\n\nBody",
	    &note);
	assert_string_equal(in, "Body");
	/* no header lines: the text right after the marker */
	in = fwd("-----Original Message-----\nBody\nFrom: not a header", &note);
	assert_string_equal(in, "Body\nFrom: not a header");
	/* a forward of nothing */
	in = fwd("---------- Forwarded message ---------\nFrom: X\n", &note);
	assert_string_equal(in, "");
	/* not markers: one dash, no dashes after, other words */
	assert_null(fwd("- Forwarded message -\nBody", &note));
	assert_null(fwd("----- Forwarded message\nBody", &note));
	assert_null(fwd("----- Forwarded messages -----\nBody", &note));
	assert_null(fwd("> ---------- Forwarded message ---------\nBody",
	    &note));
	/* a note of 200 characters or more is a body: no forward */
	big = malloc(400);
	memset(big, 'n', 250);
	strcpy(big + 250, "\n-----Original Message-----\nBody");
	assert_null(fwd(big, &note));
	/* 199 on two lines, blank lines between: a note */
	memset(big, 'n', 199);
	big[100] = '\n';
	strcpy(big + 199, "\n\n\n-----Original Message-----\nBody");
	assert_non_null(fwd(big, &note));
	free(big);
}

static void
test_file(void **state)
{
	(void)state;
	assert_true(bodytext_file("text/plain", NULL));
	assert_true(bodytext_file("text/plain", "poc.c"));
	assert_true(bodytext_file("text/markdown", "report.md"));
	assert_true(bodytext_file("text/x-log", "crash.LOG"));
	assert_true(bodytext_file("application/octet-stream", "report.txt"));
	assert_false(bodytext_file("application/octet-stream", "report.bin"));
	assert_false(bodytext_file("application/octet-stream", NULL));
	assert_false(bodytext_file("application/pdf", "report.txt"));
	assert_false(bodytext_file("text/html", "report.txt"));
	assert_false(bodytext_file("text/markdown", "report"));
	assert_false(bodytext_file("image/png", "shot.log"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stub),
		cmocka_unit_test(test_short),
		cmocka_unit_test(test_forward),
		cmocka_unit_test(test_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
