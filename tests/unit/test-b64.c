/*
 * test-b64.c: base64 (agent/util/b64.c) against RFC 4648's test
 * vectors, MIME's 76-character lines, and what the strict decoder
 * refuses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/b64.h"
#include "util/buf.h"

static const char *const vec[][2] = {	/* RFC 4648, section 10 */
	{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
	{ "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" },
	{ "foobar", "Zm9vYmFy" },
};

static void
test_vectors(void **state)
{
	struct buf	 b;
	char		*d;
	size_t		 i, dl;

	(void)state;
	for (i = 0; i < sizeof(vec) / sizeof(vec[0]); i++) {
		buf_init(&b);
		b64_put(&b, vec[i][0], strlen(vec[i][0]));
		assert_string_equal(b.s, vec[i][1]);
		buf_free(&b);
		assert_int_equal(b64_decode(vec[i][1], strlen(vec[i][1]), &d,
		    &dl), 0);
		assert_int_equal(dl, strlen(vec[i][0]));
		assert_memory_equal(d, vec[i][0], dl);
		assert_int_equal(d[dl], '\0');
		free(d);
	}
}

static void
test_lines(void **state)
{
	unsigned char	 in[1000];
	struct buf	 b, one;
	char		*d, *p, *nl;
	size_t		 i, dl;

	(void)state;
	for (i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(i * 7 + 3);
	buf_init(&b);
	b64_put_lines(&b, in, sizeof(in));
	/* 76 characters a line but the last, each ended by CRLF */
	for (p = b.s; (nl = strstr(p, "\r\n")) != NULL; p = nl + 2)
		assert_true(nl - p == 76 || nl[2] == '\0');
	assert_int_equal(*p, '\0');
	/* the same text as on one line, and it decodes back */
	buf_init(&one);
	b64_put(&one, in, sizeof(in));
	assert_int_equal(b64_decode(b.s, b.len, &d, &dl), 0);
	assert_int_equal(dl, sizeof(in));
	assert_memory_equal(d, in, dl);
	free(d);
	assert_int_equal(one.len, 4 * ((sizeof(in) + 2) / 3));
	assert_int_equal(b.len, one.len + 2 * ((sizeof(in) + 56) / 57));
	buf_free(&one);
	buf_free(&b);
}

static void
test_refused(void **state)
{
	static const char *const bad[] = { "Zm9vYg", "Zm9v!YmFy",
	    "Zm9vYg==junk", "Zg==Zg==x", "Z" };
	const char	*p;
	char		*d = NULL;
	size_t		 i, dl;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(b64_decode(bad[i], strlen(bad[i]), &d, &dl),
		    -1);
		assert_null(d);
	}
	/* blanks and line ends anywhere between */
	p = " Zm9v\r\n YmFy \t\r\n";
	assert_int_equal(b64_decode(p, strlen(p), &d, &dl), 0);
	assert_string_equal(d, "foobar");
	free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
