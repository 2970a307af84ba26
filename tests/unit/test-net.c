/*
 * test-net.c: server URLs of imap_url and smtp_url (net/net.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/net.h"

static int
parse(const char *s, struct net_url *u, char **err)
{
	*err = NULL;
	return net_url_parse(s, "smtp_url", "smtp", "587", "smtps", "465", u,
	    err);
}

static void
test_forms(void **state)
{
	struct net_url	 u;
	char		*err;

	(void)state;
	assert_int_equal(parse("smtps://a%40b.example@mail.example:2465", &u,
	    &err), 0);
	assert_true(u.implicit_tls);
	assert_string_equal(u.user, "a@b.example");
	assert_string_equal(u.host, "mail.example");
	assert_string_equal(u.port, "2465");
	assert_string_equal(u.path, "");
	net_url_free(&u);

	/* no user, default port, the scheme in any case */
	assert_int_equal(parse("SMTP://127.0.0.1", &u, &err), 0);
	assert_false(u.implicit_tls);
	assert_null(u.user);
	assert_string_equal(u.port, "587");
	net_url_free(&u);
	assert_int_equal(parse("smtps://relay", &u, &err), 0);
	assert_string_equal(u.port, "465");
	net_url_free(&u);

	/* a path is %-decoded; the '@' of a path is not the user's */
	assert_int_equal(parse("smtp://u@h/Sicherheit%20Berichte@x", &u, &err),
	    0);
	assert_string_equal(u.user, "u");
	assert_string_equal(u.host, "h");
	assert_string_equal(u.path, "Sicherheit Berichte@x");
	net_url_free(&u);
}

static void
test_bad(void **state)
{
	static const char *bad[] = {
		"imap://u@h",		/* another scheme */
		"smtp:/h",
		"smtpx://h",
		"smtp://",		/* no host */
		"smtp://u@",
		"smtp://@h",		/* an empty user */
		"smtp://h:",		/* an empty port */
		"smtp://h:25x",
		"smtp://h:-1",
	};
	struct net_url	 u;
	char		*err;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(bad[i], &u, &err), -1);
		assert_non_null(err);
		assert_non_null(strstr(err, "smtp_url"));
		free(err);
	}
}

static void
test_secret(void **state)
{
	char	*err = NULL, *pw;

	(void)state;
	unsetenv("PSIRT_TEST_PW");
	assert_null(net_secret(NULL, "PSIRT_TEST_PW", "SMTP", &err));
	assert_non_null(strstr(err, "PSIRT_TEST_PW"));
	free(err);
	setenv("PSIRT_TEST_PW", "s3cret pass", 1);
	pw = net_secret("", "PSIRT_TEST_PW", "SMTP", &err);
	assert_string_equal(pw, "s3cret pass");
	free(pw);
	err = NULL;
	assert_null(net_secret("/nonexistent/pw", "PSIRT_TEST_PW", "SMTP",
	    &err));
	assert_non_null(strstr(err, "/nonexistent/pw"));
	free(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_secret),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
