/*
 * test-credit.c: the credit grammar (parsers/credit.c): values, the
 * lines of a mail's text, what is refused and why, and linear time on
 * long input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "parsers/credit.h"
#include "util/buf.h"

/* Parse s: the credit as "choice|name|organization|contact" ("-" for
 * NULL), or "why: ..." */
static char *
parse(const char *s)
{
	struct credit	 c;
	struct buf	 b;
	char		*why;

	buf_init(&b);
	if (credit_parse(s, strlen(s), &c, &why) == -1) {
		buf_printf(&b, "why: %s", why);
		free(why);
		return buf_release(&b);
	}
	assert_null(why);
	buf_printf(&b, "%s|%s|%s|%s", credit_choice_name(c.choice),
	    c.name ? c.name : "-", c.organization ? c.organization : "-",
	    c.contact ? c.contact : "-");
	credit_free(&c);
	return buf_release(&b);
}

#define PARSES(s, want) do {						\
	char *got_ = parse(s);						\
	assert_string_equal(got_, want);				\
	free(got_);							\
} while (0)

#define REFUSED(s, reason) do {						\
	char *got_ = parse(s);						\
	if (strncmp(got_, "why: ", 5) != 0 || strstr(got_, reason) == NULL) \
		fail_msg("%s: got \"%s\", not \"%s\"", s, got_, reason);\
	free(got_);							\
} while (0)

static void
test_values(void **state)
{
	(void)state;
	PARSES("Jane Doe", "named|Jane Doe|-|-");
	/* full-width brackets as a CJK input method writes them; a tab
	 * is a space */
	PARSES("李小華（台灣資安研究社）＜hua@example.tw＞",
	    "named|李小華|台灣資安研究社|hua@example.tw");
	PARSES("Jane\tDoe\t(ACME)", "named|Jane Doe|ACME|-");
	REFUSED("李小華（台灣資安研究社", "not closed");
	PARSES("  Jane Doe (ACME Labs) <jane@example.net>  ",
	    "named|Jane Doe|ACME Labs|jane@example.net");
	PARSES("Jane Doe <jane@example.net> (ACME Labs)",
	    "named|Jane Doe|ACME Labs|jane@example.net");
	PARSES("Jane Doe<https://jane.example>",
	    "named|Jane Doe|-|https://jane.example");
	PARSES("anonymous", "anonymous|-|-|-");
	PARSES("ANONYMOUS", "anonymous|-|-|-");
	PARSES("\xe5\x8c\xbf\xe5\x90\x8d", "anonymous|-|-|-");	/* 匿名 */
	PARSES("handle @j4ne", "handle|@j4ne|-|-");
	PARSES("Handle j4ne (ACME)", "handle|@j4ne|ACME|-");
	PARSES("@kev_1n", "handle|@kev_1n|-|-");
	PARSES("@a.b-c", "handle|@a.b-c|-|-");
	PARSES("\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e (\xe5\x8f\xb0\xe5\xa4"
	    "\xa7)", "named|\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e|\xe5\x8f\xb0"
	    "\xe5\xa4\xa7|-");
	/* "handle" as a first name is a name */
	PARSES("Handleman Joe", "named|Handleman Joe|-|-");
	PARSES("anonymous coward", "named|anonymous coward|-|-");
	PARSES("Jane\tDoe", "named|Jane Doe|-|-");	/* a tab is a space */
}

static void
test_refused(void **state)
{
	char	s[400], *got;

	(void)state;
	REFUSED("", "empty");
	REFUSED("   ", "empty");
	REFUSED("Jane\x1b[2J", "a control character (byte 5)");
	REFUSED("Jane\x7f", "a control character");
	REFUSED("Jane\xc2\x85", "a control character");		/* NEL */
	/* RLO */
	REFUSED("Jane\xe2\x80\xae" "eod", "a control character");
	REFUSED("Jane\xe2\x81\xa6x", "a control character");	/* LRI */
	REFUSED("Jane\xe2\x80\x8f", "a control character");	/* RLM */
	REFUSED("J\xef\xbf\xbdne", "did not decode");
	REFUSED("Jane (ACME", "not closed");
	REFUSED("Jane <jane@x", "not closed");
	REFUSED("Jane ) Doe", "without its opening");
	REFUSED("Jane (ACME) Doe", "text after");
	REFUSED("Jane (A) (B)", "two organizations");
	REFUSED("Jane <a> <b>", "two contacts");
	REFUSED("Jane <a b>", "a space in the contact");
	REFUSED("Jane (A <b>)", "inside the organization");
	REFUSED("Jane ()", "an empty organization");
	REFUSED("(ACME)", "no name");
	REFUSED("handle ", "a handle needs its name");
	REFUSED("handle (ACME)", "a handle needs its name");
	REFUSED("@", "a handle needs its name");
	REFUSED("@j4ne doe", "a handle is 1 to 64");
	REFUSED("handle @j\xc3\xa4ne", "a handle is 1 to 64");
	REFUSED("anonymous (ACME)", "anonymous takes no");
	memset(s, 'a', 201);
	s[201] = '\0';
	REFUSED(s, "the name is longer than 200 bytes");
	s[200] = '\0';
	free(parse(s));		/* 200: fine */
	/* 64 handle characters, and 65 */
	memset(s, 'a', sizeof(s));
	s[0] = '@';
	s[65] = '\0';
	got = parse(s);
	assert_string_equal(got, "handle|@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa|-|-");
	free(got);
	s[65] = 'a';
	s[66] = '\0';
	REFUSED(s, "a handle is 1 to 64");
	snprintf(s, sizeof(s), "J (%0201d)", 0);
	REFUSED(s, "the organization is longer than 200 bytes");
	snprintf(s, sizeof(s), "J <%0255d>", 0);
	REFUSED(s, "the contact is longer than 254 bytes");
}

/* The lines scanned, "line:choice:name" or "line:why", joined by ";". */
static char *
scan(const char *text)
{
	struct credit_line	*v;
	struct buf		 b;
	size_t			 n, i;

	credit_scan(text, strlen(text), &v, &n);
	buf_init(&b);
	for (i = 0; i < n; i++) {
		buf_printf(&b, "%s%zu:", i ? ";" : "", v[i].line);
		if (v[i].why)
			buf_puts(&b, v[i].why);
		else
			buf_printf(&b, "%s:%s", credit_choice_name(
			    v[i].c.choice), v[i].c.name ? v[i].c.name : "-");
	}
	credit_lines_free(v, n);
	buf_putc(&b, '\0');
	return buf_release(&b);
}

#define SCANS(text, want) do {						\
	char *got_ = scan(text);					\
	assert_string_equal(got_, want);				\
	free(got_);							\
} while (0)

static void
test_scan(void **state)
{
	(void)state;
	SCANS("", "");
	SCANS("no credit here\nCredits are due to someone", "");
	SCANS("Hi\nCredit: Jane\r\n  #credit @j4ne\nCREDIT:anonymous",
	    "2:named:Jane;3:handle:@j4ne;4:anonymous:-");
	/* "#credits" is not the command; "credit:" only at a line start */
	SCANS("#credits Jane\nsee Credit: Jane", "");
	SCANS("#credit\tJane", "1:named:Jane");
	SCANS("#credit", "1:credit: empty (a name, \"handle @NAME\" or "
	    "\"anonymous\")");
	/* 致謝: and 致謝： */
	SCANS("\xe8\x87\xb4\xe8\xac\x9d: A\n\xe8\x87\xb4\xe8\xac\x9d\xef\xbc"
	    "\x9a B", "1:named:A;2:named:B");
	/* quoted lines are skipped; a quoted message ends the reading */
	SCANS("> Credit: Q\n  >Credit: Q\nCredit: Mine", "3:named:Mine");
	SCANS("Credit: Mine\nOn Sun, Jane wrote:\nCredit: Old", "1:named:Mine");
	SCANS("Credit: Mine\n-----Original Message-----\nCredit: Old",
	    "1:named:Mine");
	SCANS("Credit: Mine\nBegin forwarded message:\nCredit: Old",
	    "1:named:Mine");
	SCANS("Credit: Mine\n\xe7\x8e\x8b \xe5\xaf\xab\xe9\x81\x93\xef\xbc\x9a"
	    "\nCredit: Old", "1:named:Mine");	/* 寫道： */
	/* a bad line is refused, the others kept */
	SCANS("Credit: A\x07" "B\nCredit: C",
	    "1:credit: a control character (byte 3): refused;2:named:C");
}

/* More than CREDITS_MAX lines: the first ones, and one refusal. Long
 * texts in linear time: 100 000 credit lines and one line of 1 MiB. */
static void
test_limits(void **state)
{
	struct credit_line	*v;
	struct buf		 b;
	size_t			 n, i;
	clock_t			 t0;

	(void)state;
	buf_init(&b);
	for (i = 0; i < 100000; i++)
		buf_printf(&b, "Credit: Finder %zu\n", i);
	t0 = clock();
	credit_scan(b.s, b.len, &v, &n);
	assert_int_equal(n, CREDITS_MAX + 1);
	assert_string_equal(v[CREDITS_MAX - 1].c.name, "Finder 255");
	assert_non_null(strstr(v[CREDITS_MAX].why, "more than 256"));
	assert_int_equal(v[CREDITS_MAX].line, CREDITS_MAX + 1);
	credit_lines_free(v, n);
	buf_truncate(&b, 0);
	buf_puts(&b, "Credit: ");
	for (i = 0; i < 1024 * 1024; i++)
		buf_putc(&b, i % 2 ? '(' : 'x');
	credit_scan(b.s, b.len, &v, &n);
	assert_int_equal(n, 1);
	assert_non_null(v[0].why);
	credit_lines_free(v, n);
	buf_truncate(&b, 0);
	for (i = 0; i < 1024 * 1024; i++)
		buf_puts(&b, "> Credit: x\n");
	credit_scan(b.s, b.len, &v, &n);
	assert_int_equal(n, 0);
	credit_lines_free(v, n);
	buf_free(&b);
	/* all of it: well under a second even under valgrind's pace */
	assert_true((clock() - t0) / CLOCKS_PER_SEC < 10);
}

static void
test_label(void **state)
{
	struct buf	b;

	(void)state;
	buf_init(&b);
	credit_label(&b, "named", "Jane Doe", "ACME Labs");
	buf_putc(&b, '|');
	credit_label(&b, "handle", "@j4ne", NULL);
	buf_putc(&b, '|');
	credit_label(&b, "anonymous", NULL, NULL);
	buf_putc(&b, '\0');
	assert_string_equal(b.s, "Jane Doe (ACME Labs)|@j4ne|");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_scan),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_label),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
