/*
 * test-config.c: psirt-agent.conf (agent/config.c): $name expansion as
 * in main.cf, its errors (unknown name, loop), config_print's modes, and
 * the nearest-name hints (util/nearest.c) the errors carry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "agent/config.h"
#include "util/nearest.h"

static char	dir[] = "/tmp/test-config.XXXXXX";

/* the configuration text s, loaded: 0 and *cf, or -1 and *err */
static int
load(const char *s, struct config **cf, char **err)
{
	char	 path[64];
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/psirt-agent.conf", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(s, fp);
	fclose(fp);
	*cf = NULL;
	*err = NULL;
	return config_load(path, cf, err);
}

/* what config_print writes */
static char *
printed(const struct config *cf, int mode, char **names, size_t n)
{
	char	 path[64], *err = NULL, *out;
	FILE	*fp;
	long	 len;

	snprintf(path, sizeof(path), "%s/out", dir);
	fp = fopen(path, "w+");
	assert_non_null(fp);
	assert_int_equal(config_print(cf, fileno(fp), mode, names, n, &err),
	    0);
	len = ftell(fp) >= 0 ? lseek(fileno(fp), 0, SEEK_END) : 0;
	out = calloc(1, (size_t)len + 1);
	assert_int_equal(pread(fileno(fp), out, (size_t)len, 0), len);
	fclose(fp);
	return out;
}

static void
test_expand(void **state)
{
	struct config	*cf;
	char		*err, want[128];

	(void)state;
	/* a later line, a default, braces, parentheses, $$, a lone $ */
	assert_int_equal(load("database = $spool_directory/../x.db\n"
	    "spool_directory = /var/spool/p\n"
	    "audit_anchor_file = ${spool_directory}/a$(psirt_address)\n"
	    "psirt_name = Team $$5 $ and $-\n"
	    "sendmail = /usr/sbin/sendmail -f $psirt_address\n", &cf, &err),
	    0);
	assert_string_equal(cf->database, "/var/spool/p/../x.db");
	assert_string_equal(cf->audit_anchor_file,
	    "/var/spool/p/asecurity@localhost");
	assert_string_equal(cf->psirt_name, "Team $5 $ and $-");
	assert_string_equal(cf->sendmail,
	    "/usr/sbin/sendmail -f security@localhost");
	config_free(&cf);
	/* a relative result is made absolute after the expansion */
	assert_int_equal(load("gnupg_home = $psirt_name\n"
	    "psirt_name = keys\n", &cf, &err), 0);
	snprintf(want, sizeof(want), "%s/keys", dir);
	assert_string_equal(cf->gnupg_home, want);
	config_free(&cf);
}

static void
test_expand_errors(void **state)
{
	struct config	*cf;
	char		*err;

	(void)state;
	assert_int_equal(load("psirt_name = a\n\npsirt_name = $psirt_adress\n",
	    &cf, &err), -1);
	assert_non_null(strstr(err, "psirt-agent.conf:3: "));
	assert_non_null(strstr(err, "unknown setting $psirt_adress"));
	assert_non_null(strstr(err, "did you mean \"psirt_address\""));
	free(err);
	assert_int_equal(load("psirt_name = $sendmail\nsendmail = "
	    "${psirt_name}\n", &cf, &err), -1);
	assert_non_null(strstr(err, "loop"));
	free(err);
	assert_int_equal(load("psirt_nme = x\n", &cf, &err), -1);
	assert_non_null(strstr(err, ":1: unknown setting \"psirt_nme\" "
	    "(did you mean \"psirt_name\"?)"));
	free(err);
	/* a bad value after expansion names the line */
	assert_int_equal(load("syslog = $psirt_name\n", &cf, &err), -1);
	assert_non_null(strstr(err, ":1: syslog: expected yes or no"));
	free(err);
}

static void
test_print(void **state)
{
	struct config	*cf;
	char		*err, *out, *names[] = { "database", "psirt_name" };
	char		*bad[] = { "databse" };

	(void)state;
	assert_int_equal(load("psirt_name = Blue Team\n"
	    "process_workers = 0\nsyslog = no\n", &cf, &err), 0);
	out = printed(cf, CONFIG_NONDEFAULT, NULL, 0);
	/* process_workers = 0 is its default: not shown */
	assert_string_equal(out, "psirt_name = Blue Team\nsyslog = no\n");
	free(out);
	out = printed(cf, CONFIG_ALL, names, 2);
	assert_non_null(strstr(out, "psirt_name = Blue Team\n"));
	assert_non_null(strstr(out, "database = "));
	assert_null(strstr(out, "syslog"));
	free(out);
	out = printed(cf, CONFIG_DEFAULTS, names + 1, 1);
	assert_string_equal(out, "psirt_name = Product Security Team\n");
	free(out);
	assert_int_equal(config_print(cf, 1, CONFIG_ALL, bad, 1, &err), -1);
	assert_non_null(strstr(err, "did you mean \"database\""));
	free(err);
	config_free(&cf);
}

static void
test_nearest(void **state)
{
	static const char *const cmds[] = { "process", "policy", "poll",
	    "case", "check", "config", "queue", NULL };

	(void)state;
	assert_string_equal(nearest("procss", cmds, 0), "process");
	assert_string_equal(nearest("prcoess", cmds, 0), "process");
	assert_string_equal(nearest("CASE", cmds, 0), "case");
	assert_string_equal(nearest("conf", cmds, 0), "config");
	assert_string_equal(nearest("queu", cmds, 0), "queue");
	assert_null(nearest("xyzzy", cmds, 0));
	assert_null(nearest("", cmds, 0));
	assert_null(nearest("-x", cmds, 0));	/* too short to guess */
	assert_string_equal(nearest_hint("chek", cmds, 0),
	    " (did you mean \"check\"?)");
	assert_string_equal(nearest_hint("zzzzzzzz", cmds, 0), "");
	assert_true(word_in("poll", cmds));
	assert_false(word_in("pol", cmds));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_expand_errors),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_nearest),
	};
	int	rv;

	if (mkdtemp(dir) == NULL)
		return 1;
	rv = cmocka_run_group_tests(tests, NULL, NULL);
	{
		char	cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd) != 0)
			rv = 1;
	}
	return rv;
}
