/*
 * test-template.c: template parsing, checking and rendering, and that no
 * variable can inject a header line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "policies/template.h"

static struct template *
load(const char *text)
{
	struct template	*t = NULL;
	char		*err = NULL;

	assert_int_equal(template_parse("t.txt", text, strlen(text), &t,
	    &err), 0);
	assert_null(err);
	return t;
}

static char *
load_err(const char *text)
{
	struct template	*t = NULL;
	char		*err = NULL;

	assert_int_equal(template_parse("t.txt", text, strlen(text), &t,
	    &err), -1);
	assert_null(t);
	assert_non_null(err);
	return err;
}

static void
test_render_basic(void **state)
{
	struct template	*t;
	struct tvar	 v[] = { { "case_id", "PSIRT-2026-0001" },
	    { "subject", "XSS" }, { "reporter_name", "Alice" } };
	char		*s, *b, *err = NULL;

	(void)state;
	t = load("Subject: [${case_id}] Re: ${subject}\n\nDear ${reporter_name},"
	    "\ncost: $$5\n");
	assert_int_equal(template_render(t, v, 3, 4096, &s, &b, &err), 0);
	assert_string_equal(s, "[PSIRT-2026-0001] Re: XSS");
	assert_string_equal(b, "Dear Alice,\ncost: $5\n");
	free(s);
	free(b);
	template_free(&t);
	assert_null(t);
}

static void
test_no_subject(void **state)
{
	struct template	*t;
	char		*s, *b, *err = NULL;

	(void)state;
	t = load("Just a body with ${case_id}\n");
	assert_int_equal(template_render(t, NULL, 0, 4096, &s, &b, &err), 0);
	assert_null(s);
	assert_string_equal(b, "Just a body with \n");
	free(b);
	template_free(&t);
}

static void
test_subject_injection(void **state)
{
	struct template	*t;
	struct tvar	 v[] = {
		{ "subject", "hi\r\nBcc: evil@example.com\r\n\r\nbody" },
		{ "reporter_name", "Eve\nX-Evil: 1" },
		{ "case_id", "A\rB\tC\001D\177E" },
	};
	char		*s, *b, *err = NULL;

	(void)state;
	t = load("Subject: ${case_id} ${subject} ${reporter_name}\n\n${subject}\n");
	assert_int_equal(template_render(t, v, 3, 4096, &s, &b, &err), 0);
	assert_null(strchr(s, '\r'));
	assert_null(strchr(s, '\n'));
	assert_string_equal(s, "A B C D E hi  Bcc: evil@example.com    body "
	    "Eve X-Evil: 1");
	/* the body may carry newlines: it is not a header */
	assert_non_null(strstr(b, "\nBcc: evil"));
	free(s);
	free(b);
	template_free(&t);
}

static void
test_unknown_variable(void **state)
{
	char	*err;

	(void)state;
	err = load_err("Subject: x\n\nline two\n${nosuch}\n");
	assert_string_equal(err, "t.txt:4: unknown variable ${nosuch}");
	free(err);
	err = load_err("Subject: ${bad}\n\nx\n");
	assert_string_equal(err, "t.txt:1: unknown variable ${bad}");
	free(err);
	err = load_err("a $ b\n");
	assert_string_equal(err, "t.txt:1: '$' must start ${name} or be "
	    "written $$");
	free(err);
	err = load_err("x ${case_id\n}\n");
	assert_string_equal(err, "t.txt:1: unterminated ${");
	free(err);
}

static void
test_only_subject_header(void **state)
{
	char	*err;

	(void)state;
	err = load_err("Subject: x\nBcc: y\n\nbody\n");
	assert_string_equal(err, "t.txt:2: only a Subject: header may be set "
	    "by a template");
	free(err);
}

static void
test_output_limit(void **state)
{
	struct template	*t;
	struct tvar	 v[] = { { "quote", NULL } };
	char		*s, *b, *err = NULL, *big;

	(void)state;
	big = malloc(5000);
	memset(big, 'q', 4999);
	big[4999] = '\0';
	v[0].value = big;
	t = load("${quote}\n");
	assert_int_equal(template_render(t, v, 1, 1000, &s, &b, &err), -1);
	assert_string_equal(err, "rendered template exceeds 1000 bytes");
	free(err);
	err = NULL;
	assert_int_equal(template_render(t, v, 1, 5000, &s, &b, &err), 0);
	assert_int_equal(strlen(b), 5000);
	free(b);
	free(big);
	template_free(&t);
}

static void
test_nul_rejected(void **state)
{
	struct template	*t = NULL;
	char		*err = NULL;

	(void)state;
	assert_int_equal(template_parse("t.txt", "a\0b", 3, &t, &err), -1);
	assert_string_equal(err, "t.txt: contains a NUL byte");
	free(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render_basic),
		cmocka_unit_test(test_no_subject),
		cmocka_unit_test(test_subject_injection),
		cmocka_unit_test(test_unknown_variable),
		cmocka_unit_test(test_only_subject_header),
		cmocka_unit_test(test_output_limit),
		cmocka_unit_test(test_nul_rejected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
