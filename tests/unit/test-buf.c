/*
 * test-buf.c: line ends as buf_add_eol() (util/buf.c) writes them: the
 * canonical CRLF form of a signed part and the LF form, a lone CR kept.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/buf.h"

static const char *const vec[][3] = {	/* in, CRLF form, LF form */
	{ "", "", "" },
	{ "no line end", "no line end", "no line end" },
	{ "\n", "\r\n", "\n" },
	{ "\r\n", "\r\n", "\n" },
	{ "\nHi\n", "\r\nHi\r\n", "\nHi\n" },
	{ "a\r\nb\nc", "a\r\nb\r\nc", "a\nb\nc" },
	{ "\n\n\r\n", "\r\n\r\n\r\n", "\n\n\n" },
	{ "lone\rcr\r", "lone\rcr\r", "lone\rcr\r" },
	{ "two\r\r\nend ", "two\r\r\nend ", "two\r\nend " },
	{ "ws \t\n", "ws \t\r\n", "ws \t\n" },
};

static void
test_eol(void **state)
{
	struct buf	 b;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(vec) / sizeof(vec[0]); i++) {
		buf_init(&b);
		buf_add_eol(&b, vec[i][0], strlen(vec[i][0]), "\r\n");
		assert_int_equal(b.len, strlen(vec[i][1]));
		assert_string_equal(b.s, vec[i][1]);
		buf_free(&b);
		buf_init(&b);
		buf_add_eol(&b, vec[i][0], strlen(vec[i][0]), "\n");
		assert_int_equal(b.len, strlen(vec[i][2]));
		assert_string_equal(b.s, vec[i][2]);
		buf_free(&b);
	}
}

/* bytes after a NUL and 8-bit bytes are copied as they are */
static void
test_binary(void **state)
{
	static const char	in[] = "\0\xc3\xbc\n\xff";
	struct buf		b;

	(void)state;
	buf_init(&b);
	buf_add_eol(&b, in, sizeof(in) - 1, "\r\n");
	assert_int_equal(b.len, 6);
	assert_memory_equal(b.s, "\0\xc3\xbc\r\n\xff", 6);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eol),
		cmocka_unit_test(test_binary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
