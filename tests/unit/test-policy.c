/*
 * test-policy.c: psirt-policy(5) parsing (errors as file:line: reason),
 * match rules (first rule to set a field wins), case ID formats, regex
 * limits.
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

#include "policies/policy.h"
#include "policies/raci.h"
#include "parsers/regex.h"

static char	dir[64];

static int
setup(void **state)
{
	static const char *const names[] = {
		"ack", "ack-private", "undecryptable"
	};
	char	path[128];
	FILE	*fp;
	size_t	i;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/psirt-pol.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/templates", dir);
	mkdir(path, 0700);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/templates/%s.en.txt", dir,
		    names[i]);
		fp = fopen(path, "w");
		fputs("Subject: [${case_id}]\n\nhello\n", fp);
		fclose(fp);
		snprintf(path, sizeof(path), "%s/templates/%s.zh-TW.txt", dir,
		    names[i]);
		fp = fopen(path, "w");
		fputs("Subject: [${case_id}]\n\n您好\n", fp);
		fclose(fp);
	}
	return 0;
}

static int
teardown(void **state)
{
	char	cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int
load(const char *text, struct policy **pol, char **err)
{
	char	path[128];
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/p.policy", dir);
	fp = fopen(path, "w");
	fputs(text, fp);
	fclose(fp);
	*pol = NULL;
	*err = NULL;
	return policy_load(path, pol, err);
}

static void
expect_error(const char *text, const char *msg)
{
	struct policy	*pol;
	char		*err, want[1024];

	assert_int_equal(load(text, &pol, &err), -1);
	assert_null(pol);
	snprintf(want, sizeof(want), "%s/p.policy:%s", dir, msg);
	assert_string_equal(err, want);
	free(err);
}

/* Retention: the kind's; for TLP:RED the longer of it and tlp:red's
 * when that is stated; nothing stated is forever (0). */
static void
test_retention(void **state)
{
	struct policy	*pol;
	const char	*w;
	char		*err;

	(void)state;
	assert_int_equal(load("# none\n", &pol, &err), 0);
	assert_int_equal(policy_retention(pol, "vulnerability", "RED", &w), 0);
	assert_int_equal(policy_retention(pol, "incident", NULL, &w), 0);
	policy_free(&pol);
	assert_int_equal(load("retention vulnerability 2 years\n"
	    "retention tlp:red 1 years\n", &pol, &err), 0);
	assert_int_equal(policy_retention(pol, "vulnerability", "AMBER", &w),
	    2 * 365 * 86400LL);
	assert_string_equal(w, "vulnerability");
	/* a shorter tlp:red does not shorten it */
	assert_int_equal(policy_retention(pol, "vulnerability", "RED", &w),
	    2 * 365 * 86400LL);
	assert_int_equal(policy_retention(pol, "incident", "RED", &w), 0);
	policy_free(&pol);
	assert_int_equal(load("retention incident 3 years\n"
	    "retention TLP:RED 5 years\nretention vulnerability 90 days\n"
	    "retention vulnerability forever\n", &pol, &err), 0);
	assert_int_equal(policy_retention(pol, "incident", "RED", &w),
	    5 * 365 * 86400LL);
	assert_string_equal(w, "tlp:red");
	assert_int_equal(policy_retention(pol, "incident", "red", &w),
	    5 * 365 * 86400LL);
	assert_int_equal(policy_retention(pol, "incident", "GREEN", &w),
	    3 * 365 * 86400LL);
	/* the later statement replaces the earlier */
	assert_int_equal(policy_retention(pol, "vulnerability", NULL, &w), 0);
	policy_free(&pol);
	expect_error("retention vulnerability 2 weeks\n", "1: unknown unit "
	    "\"weeks\" (business-days, business-hours, hours, days, months, "
	    "years)");
	expect_error("\nretention tlp:amber 1 years\n", "2: usage: retention "
	    "vulnerability|incident|tlp:red NUMBER days|months|years, or "
	    "forever");
	expect_error("retention incident -1 days\n", "1: bad number \"-1\"");
}

static void
test_defaults(void **state)
{
	struct policy		*pol;
	struct policy_decision	 d;
	struct policy_facts	 f = { "s", "t", "a@b", "" };
	char			*err, *id, *prefix;

	(void)state;
	assert_int_equal(load("# empty\n\n", &pol, &err), 0);
	id = policy_case_id(pol, 2026, 42);
	assert_string_equal(id, "PSIRT-2026-0042");
	free(id);
	prefix = policy_case_prefix(pol, 2026);
	assert_string_equal(prefix, "PSIRT-2026-%N");
	free(prefix);
	assert_int_equal(policy_ack_limit(pol), 5);
	assert_int_equal(policy_refusal_limit(pol), 5);	/* the ack-limit */
	assert_int_equal(policy_decide(pol, &f, &d, &err), 0);
	assert_string_equal(d.kind, "vulnerability");
	assert_string_equal(d.lang, "en");
	assert_string_equal(d.source, "external");
	assert_false(d.no_ack);
	assert_non_null(policy_template(pol, "ack", "fr"));
	policy_free(&pol);
	assert_null(pol);
}

static void
test_case_id_formats(void **state)
{
	struct policy	*pol;
	char		*err, *id, *prefix;

	(void)state;
	assert_int_equal(load("case-id \"SEC-%6N-%Y\"\n", &pol, &err), 0);
	id = policy_case_id(pol, 2027, 7);
	assert_string_equal(id, "SEC-000007-2027");
	free(id);
	id = policy_case_id(pol, 2027, 1234567);
	assert_string_equal(id, "SEC-1234567-2027");
	free(id);
	policy_free(&pol);
	/* without %Y the counter does not restart with the year */
	assert_int_equal(load("case-id \"CASE-%N\"\n", &pol, &err), 0);
	id = policy_case_prefix(pol, 2026);
	prefix = policy_case_prefix(pol, 2027);
	assert_string_equal(id, prefix);
	free(id);
	free(prefix);
	policy_free(&pol);
	expect_error("languages \"zh-TW\"\n",
	    " default language \"en\" is not in `languages`");
	expect_error("case-id \"X-%Y\"\n", "1: case-id needs exactly one %N");
	expect_error("case-id \"X %N\"\n", "1: case-id may contain only "
	    "letters, digits, '-', '_', '.', %Y and %N");
	expect_error("case-id \"X-%Q-%N\"\n", "1: case-id knows only %Y and %N");
}

static void
test_rules(void **state)
{
	struct policy		*pol;
	struct policy_decision	 d;
	struct policy_facts	 f;
	char			*err;

	(void)state;
	assert_int_equal(load(
	    "languages \"en\" \"zh-TW\"\n"
	    "ack-limit 2 per hour\n"
	    "match subject /incident/i kind incident\n"
	    "match any /\\p{Han}/ language \"zh-TW\"\n"
	    "match text /ignored/ kind vulnerability language \"en\"\n"
	    "match from /@cert\\.example$/ source cert no-ack\n",
	    &pol, &err), 0);
	assert_int_equal(policy_ack_limit(pol), 2);
	assert_int_equal(policy_refusal_limit(pol), 2);
	memset(&f, 0, sizeof(f));
	f.subject = "Security INCIDENT";
	f.text = "漏洞 ignored";
	f.from = "a@cert.example";
	assert_int_equal(policy_decide(pol, &f, &d, &err), 0);
	assert_string_equal(d.kind, "incident");	/* first rule wins */
	assert_string_equal(d.lang, "zh-TW");
	assert_string_equal(d.source, "cert");
	assert_true(d.no_ack);
	f.subject = "bug";
	f.text = "plain";
	f.from = "a@example.net";
	assert_int_equal(policy_decide(pol, &f, &d, &err), 0);
	assert_string_equal(d.kind, "vulnerability");
	assert_string_equal(d.lang, "en");
	assert_false(d.no_ack);
	policy_free(&pol);
}

#define ACTIONS " (expected kind vulnerability|incident, language \"xx\", " \
	"source external|internal|cert|vendor, origin own|supplier|" \
	"third-party, product \"x\", version \"x\", module \"x\", tag " \
	"\"x\", assign \"x\", no-ack)"

/* classification rules; severity bands */
static void
test_classify(void **state)
{
	struct policy		*pol;
	struct policy_decision	 d;
	struct policy_facts	 f = { "Overflow in AR-200", "firmware 2.1",
	    "x@vendor.example", "security+router@example.org" };
	char			*err;

	(void)state;
	assert_int_equal(load(
	    "severity critical from 9.5\nseverity high from 8.0\n"
	    "match any /AR-\\d+/ product \"ACME Router\" origin own tag "
	    "\"network\" assign \"lead\"\n"
	    "match text /firmware/ module \"firmware\" version \"2.x\" tag "
	    "\"fw\" product \"Other\"\n"
	    "match to /^security\\+router@/ tag \"router-alias\"\n"
	    "match from /@vendor\\.example$/ source vendor origin supplier\n",
	    &pol, &err), 0);
	assert_int_equal(policy_decide(pol, &f, &d, &err), 0);
	assert_string_equal(d.product, "ACME Router");	/* first rule wins */
	assert_string_equal(d.origin, "own");
	assert_string_equal(d.module, "firmware");
	assert_string_equal(d.version, "2.x");
	assert_string_equal(d.source, "vendor");
	assert_int_equal(d.ntags, 3);
	assert_string_equal(d.tags[2], "router-alias");
	assert_int_equal(d.nassign, 1);
	assert_string_equal(d.assign[0], "lead");
	assert_string_equal(policy_severity(pol, 95), "critical");
	assert_string_equal(policy_severity(pol, 94), "high");
	assert_string_equal(policy_severity(pol, 80), "high");
	assert_string_equal(policy_severity(pol, 79), "medium");
	assert_string_equal(policy_severity(pol, 0), "low");
	policy_free(&pol);
}

static void
test_errors(void **state)
{
	char	two[512];

	(void)state;
	expect_error("\n\nfrobnicate 3\n",
	    "3: unknown or malformed statement \"frobnicate\"");
	expect_error("match subject /(/ kind incident\n",
	    "1: bad regex at offset 1: missing closing parenthesis");
	expect_error("match body /x/ kind incident\n",
	    "1: match: unknown field \"body\"");
	expect_error("match subject /x/ kind vague\n", "1: match: bad action "
	    "\"kind\"" ACTIONS);
	expect_error("match subject /x/i language\n", "1: match: bad action "
	    "\"language\"" ACTIONS);
	expect_error("match text /x/ origin ours\n", "1: match: bad action "
	    "\"origin\"" ACTIONS);
	expect_error("match text /x/ product\n", "1: match: bad action "
	    "\"product\"" ACTIONS);
	expect_error("match text /x/ tag \"\"\n", "1: match: bad action "
	    "\"tag\"" ACTIONS);
	expect_error("severity urgent from 9.5\n", "1: expected: severity "
	    "critical|high|medium|low from SCORE");
	expect_error("severity high from 11\n",
	    "1: bad score \"11\" (0.0 to 10.0)");
	expect_error("severity high from 9.5\n",
	    "1: severity high starts at or above severity critical");
	/* every problem, one line each */
	snprintf(two, sizeof(two), "1: unterminated string\n%s/p.policy:2: "
	    "unknown or malformed statement \"x\"", dir);
	expect_error("language \"en\nx\n", two);
	expect_error("ack-limit many per hour\n", "1: bad number \"many\"");
	expect_error("next-step \"x\" within 3 weeks\n",
	    "1: next-step: expected hours or days");
	expect_error("match subject /x/q kind incident\n",
	    "1: unknown regex flag 'q'");
}

static void
test_missing_template(void **state)
{
	struct policy	*pol;
	char		*err, want[256];

	(void)state;
	assert_int_equal(load("languages \"en\" \"de\"\n", &pol, &err), -1);
	snprintf(want, sizeof(want), "open %s/templates/ack.de.txt: No such "
	    "file or directory", dir);
	assert_string_equal(err, want);
	free(err);
	expect_error("match subject /x/ language \"fr\"\n",
	    "1: language \"fr\" is not in `languages`");
}

static void
test_regex_limit(void **state)
{
	struct regex	*re;
	char		*err = NULL, *s;
	int		 r;

	(void)state;
	assert_int_equal(regex_compile("(a+)+$", "", &re, &err), 0);
	s = malloc(40);
	memset(s, 'a', 38);
	s[38] = 'b';
	s[39] = '\0';
	r = regex_match(re, s, 39, &err);
	/* catastrophic backtracking must end in an error, not a hang or a
	 * silent no-match */
	assert_int_equal(r, -1);
	assert_non_null(strstr(err, "regex match failed"));
	free(err);
	free(s);
	regex_free(&re);
	assert_null(re);
}

/* policy_case_id_find: IDs of the policy's format standing alone, in
 * any case; not inside a word or a longer number */
static void
test_case_id_find(void **state)
{
	struct policy	*pol;
	char		*err;
	const char	*t = "re [psirt-2026-0042] and PSIRT-2026-7 x"
	    "PSIRT-2026-1 PSIRT-2026-12a PSIRT-20260-1 PSIRT-2026-0000000000000000001";
	size_t		 off, ml, from = 0, n = 0;
	const char	*want[] = { "psirt-2026-0042", "PSIRT-2026-7",
	    "PSIRT-2026-0000000000000000001" };

	(void)state;
	assert_int_equal(load("case-id \"PSIRT-%Y-%N\"\n", &pol, &err), 0);
	while (policy_case_id_find(pol, t, strlen(t), from, &off, &ml)) {
		assert_true(n < 3);
		assert_int_equal(ml, strlen(want[n]));
		assert_memory_equal(t + off, want[n], ml);
		n++;
		from = off + ml;
	}
	assert_int_equal(n, 3);
	assert_int_equal(policy_case_id_find(pol, "", 0, 0, &off, &ml), 0);
	policy_free(&pol);
}

/* notify: the default (R and A of intake; the A of remediation for an
 * exception), a statement per event, one per kind winning over it,
 * none, a rotating role's member on duty, each person once, and the
 * members who may see TLP:RED content. */
static void
test_notify(void **state)
{
	static const char team[] =
	    "role lead \"Lead\"\nrole coord \"Coord\" rotation daily\n"
	    "role ana \"Analyst\"\nrole ciso \"CISO\"\n"
	    "member lead \"Lea\" lea@x.example\n"
	    "member coord \"Cai\" cai@x.example\n"
	    "member coord \"Cem\" cem@x.example\n"
	    "member ana \"Ana\" ana@x.example\n"
	    "member ana \"Lea\" lea@x.example\n"
	    "member ciso \"Cis\" cis@x.example\n"
	    "task intake R coord A lead I ana\n"
	    "task remediation R ana A ciso\n";
	const struct raci_member *m[8];
	struct policy	*pol;
	char		*err, text[2048];
	int		 red[8];
	size_t		 n;

	(void)state;
	assert_int_equal(load(team, &pol, &err), 0);
	/* day 0: the first coordinator; day 1: the second */
	n = policy_notify(pol, PEV_REPORT, "vulnerability", 0, m, red, 8);
	assert_int_equal(n, 2);
	assert_string_equal(m[0]->addr, "lea@x.example");
	assert_string_equal(m[1]->addr, "cai@x.example");
	assert_true(red[0] && red[1]);
	n = policy_notify(pol, PEV_QUARANTINE, NULL, 86400, m, red, 8);
	assert_int_equal(n, 2);
	assert_string_equal(m[1]->addr, "cem@x.example");
	n = policy_notify(pol, PEV_EXCEPTION, "vulnerability", 0, m, red, 8);
	assert_int_equal(n, 1);
	assert_string_equal(m[0]->addr, "cis@x.example");
	assert_true(red[0]);
	policy_free(&pol);

	snprintf(text, sizeof(text), "%snotify report ana\n"
	    "notify report kind incident none\nnotify followup ana,lead\n",
	    team);
	assert_int_equal(load(text, &pol, &err), 0);
	n = policy_notify(pol, PEV_REPORT, "vulnerability", 0, m, red, 8);
	assert_int_equal(n, 2);		/* Ana, and Lea as an analyst */
	assert_string_equal(m[0]->addr, "ana@x.example");
	assert_false(red[0]);		/* Ana is neither R nor A */
	assert_string_equal(m[1]->addr, "lea@x.example");
	assert_true(red[1]);		/* Lea is the A of intake too */
	assert_int_equal(policy_notify(pol, PEV_REPORT, "incident", 0, m, red,
	    8), 0);
	n = policy_notify(pol, PEV_FOLLOWUP, "incident", 0, m, red, 8);
	assert_int_equal(n, 2);		/* each person once */
	policy_free(&pol);

	expect_error("notify reprot lead\n", "1: usage: notify report|"
	    "followup|quarantine|review|exception|hold [kind vulnerability|"
	    "incident] ROLE[,ROLE...]|none (did you mean \"report\"?)");
	expect_error("notify report kind bug lead\n", "1: notify: expected "
	    "kind vulnerability|incident, then ROLE[,ROLE...] or none");
	expect_error("notify quarantine kind incident none\n", "1: notify "
	    "quarantine: a quarantined message has no case, so no kind");
	expect_error("notify report lead, ana\n", "1: notify: one list of "
	    "roles, ROLE[,ROLE...] without blanks, or none");
	snprintf(text, sizeof(text), "%snotify review nobody\n", team);
	expect_error(text, "13: notify: no role \"nobody\"");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_case_id_formats),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_missing_template),
		cmocka_unit_test(test_regex_limit),
		cmocka_unit_test(test_case_id_find),
		cmocka_unit_test(test_retention),
		cmocka_unit_test(test_notify),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
