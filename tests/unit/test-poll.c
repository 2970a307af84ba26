/*
 * test-poll.c: the one look poll takes into a message before the spool
 * commit, poll_return_path() (intake/poll.c): the envelope sender from
 * the header block's first Return-Path, by a byte scan, and what it
 * refuses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "intake/poll.h"

/* the sender of message m, or NULL */
static char *
rp(const char *m)
{
	return poll_return_path(m, strlen(m));
}

static void
expect(const char *m, const char *want)
{
	char	*got = rp(m);

	if (want == NULL)
		assert_null(got);
	else {
		assert_non_null(got);
		assert_string_equal(got, want);
	}
	free(got);
}

static void
test_found(void **state)
{
	(void)state;
	expect("Return-Path: <rita@example.net>\nFrom: x\n\nbody\n",
	    "rita@example.net");
	/* any case, CRLF, after other fields, the first one wins */
	expect("From: x\r\nreturn-path:<a@b.example>\r\nReturn-Path: "
	    "<c@d.example>\r\n\r\n", "a@b.example");
	/* no end of header block, no final newline */
	expect("Return-Path: <a@b.example>", "a@b.example");
}

static void
test_refused(void **state)
{
	(void)state;
	expect("Return-Path: <>\n\n", NULL);		/* the null sender */
	expect("Return-Path: a@b.example\n\n", NULL);	/* no brackets */
	expect("Return-Path: <postmaster>\n\n", NULL);	/* no @ */
	expect("Return-Path: <a b@c.example>\n\n", NULL);
	expect("Return-Path: <a\tb@c.example>\n\n", NULL);
	expect("Return-Path: <a@b.example\n>\n\n", NULL);	/* across lines */
	expect("Return-Pathx: <a@b.example>\n\n", NULL);
	expect("X-Return-Path: <a@b.example>\n\n", NULL);
	/* only the header block: not in the body */
	expect("From: x\n\nReturn-Path: <a@b.example>\n", NULL);
	expect("From: x\r\n\r\nReturn-Path: <a@b.example>\r\n", NULL);
	expect("", NULL);
	assert_null(poll_return_path("Return-Path: <a@b.example>", 20));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_found),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
