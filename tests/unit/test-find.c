/*
 * test-find.c: find_filter_parse() (reports/find.c), the filter words
 * of "#list"/"#search" by mail and of the command line's options: both
 * forms, quoting, every filter, the search words, and each refusal
 * naming the bad word. Then find_cases() with a viewer, on an instance
 * that psirt-agent (PSIRT_AGENT, as make check sets it) makes: a
 * TLP:RED case is left out for a member who is not R or A of its tasks
 * nor assigned it, and for an outsider; kept for the R and A, the
 * reporter, an assignee and the operator (no viewer).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "agent/agent.h"
#include "agent/config.h"
#include "reports/find.h"

static char	dir[] = "/tmp/psirt-find.XXXXXX";

static void
test_forms(void **state)
{
	struct find_filter	 f;
	char			*st, *err = NULL;

	(void)state;
	assert_int_equal(find_filter_parse("#list status=triaged overdue "
	    "since=2026-12-01", &f, &st, &err), 0);
	assert_string_equal(f.status, "triaged");
	assert_int_equal(f.overdue, 1);
	assert_true(f.since == 1796083200LL);	/* 2026-12-01T00:00:00Z */
	assert_null(f.words);
	assert_null(f.kind);
	free(st);

	assert_int_equal(find_filter_parse("--status triaged --overdue "
	    "--kind=incident --severity high --product \"Acme Router\" "
	    "--reporter rita@example.net --assigned analyst", &f, &st, &err),
	    0);
	assert_string_equal(f.status, "triaged");
	assert_int_equal(f.overdue, 1);
	assert_string_equal(f.kind, "incident");
	assert_string_equal(f.severity, "high");
	assert_string_equal(f.product, "Acme Router");
	assert_string_equal(f.reporter, "rita@example.net");
	assert_string_equal(f.assigned, "analyst");
	free(st);

	assert_int_equal(find_filter_parse("product=\"Acme Router\" "
	    "since=2026-12-01T10:00:00Z", &f, &st, &err), 0);
	assert_string_equal(f.product, "Acme Router");
	assert_true(f.since == 1796083200LL + 36000);
	free(st);
	/* an ISO 8601 offset */
	assert_int_equal(find_filter_parse("since=2026-12-01T18:00:00+08:00",
	    &f, &st, &err), 0);
	assert_true(f.since == 1796083200LL + 36000);
	free(st);
	assert_int_equal(find_filter_parse("", &f, &st, &err), 0);
	assert_null(f.status);
	free(st);
}

static void
test_search(void **state)
{
	struct find_filter	 f;
	char			*st, *err = NULL;

	(void)state;
	assert_int_equal(find_filter_parse("#search heap  overflow "
	    "status=new a.*b", &f, &st, &err), 0);
	assert_string_equal(f.words, "heap overflow a.*b");
	assert_string_equal(f.status, "new");
	free(st);
	assert_int_equal(find_filter_parse("#search \"CVE-2026-1\" (x|y)+",
	    &f, &st, &err), 0);
	assert_string_equal(f.words, "CVE-2026-1 (x|y)+");
	free(st);
	/* a word with '=' that names no filter is a word */
	assert_int_equal(find_filter_parse("#search len=a.*b kind=incident",
	    &f, &st, &err), 0);
	assert_string_equal(f.words, "len=a.*b");
	assert_string_equal(f.kind, "incident");
	free(st);
}

static void
refused(const char *args, const char *want)
{
	struct find_filter	 f;
	char			*st = (char *)"x", *err = NULL;

	assert_int_equal(find_filter_parse(args, &f, &st, &err), -1);
	assert_null(st);
	assert_non_null(err);
	if (strstr(err, want) == NULL)
		fail_msg("\"%s\": got \"%s\", wanted \"%s\"", args, err, want);
	free(err);
}

static void
test_refused(void **state)
{
	(void)state;
	refused("status=trage", "\"trage\" is not a status (did you mean "
	    "\"triaged\"?)");
	refused("kind=bug", "kind: \"bug\"");
	refused("severity=urgent", "severity: \"urgent\"");
	refused("since=2026-13-01", "since: \"2026-13-01\" is not a date");
	refused("since=yesterday", "since: \"yesterday\"");
	refused("--since", "since: a value is needed");
	refused("stauts=new", "\"stauts\" is not a filter (did you mean "
	    "\"status\"?)");
	refused("#list frobnicate", "\"frobnicate\" is not a filter");
	refused("overdue=yes", "overdue takes no value");
	refused("#search status=new", "no words");
}

/* the instance, with case 1 (TLP:RED) and case 2 (GREEN) */
static int
instance(const char *agent)
{
	char	cmd[2048];

	snprintf(cmd, sizeof(cmd), "set -e; export PSIRT_ALLOW_ROOT=1; "
	    "A='%s -c %s/i/psirt-agent.conf'; "
	    "%s init --address security@example.org --sendmail /bin/true "
	    "%s/i >/dev/null; "
	    "printf 'background_process = no\\nsyslog = no\\n' "
	    ">>%s/i/psirt-agent.conf; "
	    "for k in 1 2; do printf 'From: r%%s@example.net\\nTo: "
	    "security@example.org\\nSubject: report %%s\\n"
	    "Message-ID: <f%%s@example.net>\\n\\nred herring\\n' $k $k $k "
	    "| $A deliver 2>/dev/null; done; $A process 2>/dev/null; "
	    "$A case set PSIRT-$(date +%%Y)-0001 tlp=RED; "
	    "$A case set PSIRT-$(date +%%Y)-0002 tlp=GREEN",
	    agent, dir, agent, dir, dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* how many cases the viewer finds (words NULL: all) */
static size_t
seen(const char *viewer, const char *words)
{
	struct find_filter	 f;
	struct find_row		*rows;
	struct agent		 a;
	char			*path, *err = NULL;
	size_t			 n;

	memset(&a, 0, sizeof(a));
	path = malloc(strlen(dir) + 32);
	assert_non_null(path);
	sprintf(path, "%s/i/psirt-agent.conf", dir);
	assert_int_equal(config_load(path, &a.cf, &err), 0);
	free(path);
	memset(&f, 0, sizeof(f));
	f.viewer = viewer;
	f.words = words;
	if (find_cases(&a, &f, &rows, &n, &err) == -1)
		fail_msg("find_cases: %s", err);
	find_rows_free(rows, n);
	agent_close(&a);
	return n;
}

static void
test_viewer(void **state)
{
	const char	*agent = getenv("PSIRT_AGENT");

	(void)state;
	if (agent == NULL || instance(agent) == -1) {
		skip();
		return;
	}
	assert_int_equal(seen(NULL, NULL), 2);	/* the operator */
	/* the demo policy: triage R analyst A psirt-lead, intake R
	 * coordinator A psirt-lead */
	assert_int_equal(seen("huang@corp.example", NULL), 2);	/* analyst */
	assert_int_equal(seen("lin@corp.example", NULL), 2);	/* lead */
	assert_int_equal(seen("chen@corp.example", NULL), 2);	/* intake R */
	assert_int_equal(seen("legal@corp.example", NULL), 1);	/* legal */
	assert_int_equal(seen("press@corp.example", NULL), 1);	/* pr */
	assert_int_equal(seen("eve@example.org", NULL), 1);	/* outsider */
	assert_int_equal(seen("r1@example.net", NULL), 2);	/* reporter */
	assert_int_equal(seen("legal@corp.example", "herring"), 1);
	assert_int_equal(seen("huang@corp.example", "herring"), 2);
	assert_int_equal(seen(NULL, "HERRING red"), 2);
	assert_int_equal(seen(NULL, "herring blue"), 0);
	{
		char	cmd[512];

		/* assigned to legal: legal sees it */
		snprintf(cmd, sizeof(cmd), "PSIRT_ALLOW_ROOT=1 %s -c "
		    "%s/i/psirt-agent.conf case set PSIRT-$(date +%%Y)-0001 "
		    "assign=legal", agent, dir);
		assert_int_equal(system(cmd), 0);
	}
	assert_int_equal(seen("legal@corp.example", NULL), 2);
	assert_int_equal(seen("press@corp.example", NULL), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_viewer),
	};
	char	cmd[128];
	int	rv;

	if (mkdtemp(dir) == NULL)
		return 1;
	rv = cmocka_run_group_tests(tests, NULL, NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		rv = 1;
	return rv;
}
