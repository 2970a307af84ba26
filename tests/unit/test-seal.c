/*
 * test-seal.c: sealed storage round trips at chunk boundaries, and
 * detection of tampering, truncation, trailing bytes, a foreign key and
 * an unsafe key file.
 */
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "spool/seal.h"

static char		 dir[64];
static struct seal_key	*k1, *k2;

static int
setup(void **state)
{
	char	p[128], *err = NULL;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/psirt-seal.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(p, sizeof(p), "%s/k1", dir);
	if (seal_key_create(p, &err) == -1 || seal_key_load(p, &k1,
	    &err) == -1)
		return -1;
	snprintf(p, sizeof(p), "%s/k2", dir);
	if (seal_key_create(p, &err) == -1 || seal_key_load(p, &k2,
	    &err) == -1)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	char	cmd[128];

	(void)state;
	seal_key_free(&k1);
	seal_key_free(&k2);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
roundtrip(size_t n)
{
	struct buf	 b;
	unsigned char	*in, *out;
	size_t		 outlen, i;
	char		*err = NULL;

	in = malloc(n ? n : 1);
	for (i = 0; i < n; i++)
		in[i] = (unsigned char)(i * 7 + 3);
	buf_init(&b);
	assert_int_equal(seal_buf(k1, in, n, &b, &err), 0);
	assert_true(b.len > n);
	if (n > 16)
		assert_null(memmem(b.s, b.len, in, 16));	/* not clear */
	assert_int_equal(seal_open(k1, b.s, b.len, &out, &outlen, &err), 0);
	assert_int_equal(outlen, n);
	assert_memory_equal(out, in, n);
	assert_int_equal(out[n], '\0');
	seal_plain_free(out);
	buf_free(&b);
	free(in);
}

static void
test_roundtrip(void **state)
{
	(void)state;
	roundtrip(0);
	roundtrip(1);
	roundtrip(SEAL_CHUNK - 1);
	roundtrip(SEAL_CHUNK);
	roundtrip(SEAL_CHUNK + 1);
	roundtrip(3 * SEAL_CHUNK + 17);
}

static void
expect_fail(const struct seal_key *k, const char *s, size_t n,
    const char *want)
{
	unsigned char	*out = (unsigned char *)"x";
	size_t		 outlen = 1;
	char		*err = NULL;

	assert_int_equal(seal_open(k, s, n, &out, &outlen, &err), -1);
	assert_null(out);
	assert_int_equal(outlen, 0);
	assert_non_null(err);
	assert_non_null(strstr(err, want));
	free(err);
}

static void
test_tamper(void **state)
{
	struct buf	 b;
	char		*err = NULL, msg[2 * SEAL_CHUNK];
	size_t		 i;

	(void)state;
	memset(msg, 'r', sizeof(msg));
	buf_init(&b);
	assert_int_equal(seal_buf(k1, msg, sizeof(msg), &b, &err), 0);
	/* every byte after the magic matters */
	for (i = 11; i < b.len; i += 997) {
		b.s[i] ^= 0x01;
		expect_fail(k1, b.s, b.len, "sealed data");
		b.s[i] ^= 0x01;
	}
	expect_fail(k2, b.s, b.len, "another key");
	expect_fail(k1, b.s, b.len - 1, "truncated");
	/* drop the whole last chunk: no FINAL tag */
	expect_fail(k1, b.s, 11 + 24 + 4 + SEAL_CHUNK + 17, "truncated");
	buf_add(&b, "x", 1);
	expect_fail(k1, b.s, b.len, "bytes after its end");
	expect_fail(k1, "hello", 5, "not sealed data");
	buf_free(&b);
}

/* Text in a column: deterministic, authenticated, bound to the key. */
static void
test_text(void **state)
{
	char	*a, *b, *o, *err = NULL;
	size_t	 n;

	(void)state;
	assert_int_equal(seal_text(k1, "heap overflow in the parser", &a,
	    &err), 0);
	assert_true(seal_text_is(a));
	assert_null(strstr(a, "overflow"));
	assert_int_equal(seal_text(k1, "heap overflow in the parser", &b,
	    &err), 0);
	assert_string_equal(a, b);		/* equal text seals equal */
	free(b);
	assert_int_equal(seal_text(k2, "heap overflow in the parser", &b,
	    &err), 0);
	assert_string_not_equal(a, b);		/* another key, another seal */
	assert_int_equal(seal_text_open(k1, b, &o, &err), -1);
	assert_non_null(strstr(err, "does not open"));
	free(err);
	err = NULL;
	free(b);
	assert_int_equal(seal_text_open(k1, a, &o, &err), 1);
	assert_string_equal(o, "heap overflow in the parser");
	free(o);
	/* one character changed, or cut short: an error, never text */
	n = strlen(a);
	a[n - 3] = a[n - 3] == 'A' ? 'B' : 'A';
	assert_int_equal(seal_text_open(k1, a, &o, &err), -1);
	free(err);
	err = NULL;
	a[n - 3] = '\0';
	assert_int_equal(seal_text_open(k1, a, &o, &err), -1);
	free(err);
	err = NULL;
	strcpy(a, SEAL_TEXT_PREFIX "!!");
	assert_int_equal(seal_text_open(k1, a, &o, &err), -1);
	assert_non_null(strstr(err, "damaged"));
	free(err);
	free(a);
	/* text from before sealing: as it is */
	assert_int_equal(seal_text_open(k1, "plain", &o, &err), 0);
	assert_string_equal(o, "plain");
	free(o);
	/* the empty text too */
	assert_int_equal(seal_text(k1, "", &a, &err), 0);
	assert_int_equal(seal_text_open(k1, a, &o, &err), 1);
	assert_string_equal(o, "");
	free(o);
	free(a);
}

static void
test_key_file(void **state)
{
	struct seal_key	*k = NULL;
	char		 p[128], *err = NULL;
	FILE		*fp;

	(void)state;
	snprintf(p, sizeof(p), "%s/k1", dir);
	assert_int_equal(seal_key_create(p, &err), -1);	/* exists */
	assert_non_null(strstr(err, "File exists"));
	free(err);
	err = NULL;
	chmod(p, 0644);
	assert_int_equal(seal_key_load(p, &k, &err), -1);
	assert_non_null(strstr(err, "mode 0600"));
	free(err);
	err = NULL;
	chmod(p, 0600);
	snprintf(p, sizeof(p), "%s/short", dir);
	fp = fopen(p, "w");
	fputs("short", fp);
	fclose(fp);
	chmod(p, 0600);
	assert_int_equal(seal_key_load(p, &k, &err), -1);
	assert_non_null(strstr(err, "32-byte"));
	free(err);
	assert_null(k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_tamper),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_key_file),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
