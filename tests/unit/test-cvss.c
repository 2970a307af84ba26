/*
 * test-cvss.c: CVSS v3.0/v3.1/v4.0 vector parsing and scoring
 * (parsers/cvss.c), against the reference data in
 * $top_srcdir/tests/data/cvss/ (see its README) and by hand.
 *
 * A data row that does not give the expected result is printed as a
 * TAP comment ("# vector: expected ..., got ...") and counted; the test
 * fails at the end if any did, so one run shows every mismatch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "parsers/cvss.h"

#define MAXCOLS		8
#define SHOW_MISMATCHES	30	/* printed per file; all are counted */

struct tally {
	int	 rows;
	int	 bad;
};

typedef void	row_fn(char **, struct tally *);

static int	 score10(const char *);
static void	 mismatch(struct tally *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	 for_each_row(const char *, int, row_fn *, struct tally *);
static int	 version_of(const char *);
static void	 check_parse(const char *, int, const char *, int, int,
		    struct tally *);
static void	 vector_row(char **, struct tally *);
static void	 invalid_row(char **, struct tally *);
static void	 rounding_row(char **, struct tally *);
static void	 expect_error(const char *, size_t, int, const char *);

/* "9.9", "10.0" -> 99, 100; -1 if malformed. */
static int
score10(const char *s)
{
	int	 v = 0;

	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	if (s[0] != '.' || s[1] < '0' || s[1] > '9' || s[2] != '\0')
		return -1;
	return v * 10 + (s[1] - '0');
}

static void
mismatch(struct tally *t, const char *fmt, ...)
{
	va_list	 ap;

	if (t->bad++ < SHOW_MISMATCHES) {
		printf("# ");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
		fflush(stdout);
	}
}

/* Call fn on each data row (split on tabs, exactly ncols fields) of
 * $top_srcdir/tests/data/cvss/name. */
static void
for_each_row(const char *name, int ncols, row_fn *fn, struct tally *t)
{
	const char	*top = getenv("top_srcdir");
	char		 path[4096], line[4096], *f[MAXCOLS], *p;
	FILE		*fp;
	int		 n, lineno = 0;

	t->rows = t->bad = 0;
	snprintf(path, sizeof(path), "%s/tests/data/cvss/%s",
	    top != NULL ? top : ".", name);
	if ((fp = fopen(path, "r")) == NULL)
		fail_msg("%s: cannot open (is top_srcdir set?)", path);
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		if ((p = strchr(line, '\n')) == NULL) {
			mismatch(t, "%s:%d: line too long", name, lineno);
			break;
		}
		*p = '\0';
		if (lineno == 1) {
			if (strncmp(line, "version\t", 8) != 0)
				mismatch(t, "%s: no header line", name);
			continue;
		}
		for (n = 0, p = line; n < MAXCOLS; ) {
			f[n++] = p;
			if ((p = strchr(p, '\t')) == NULL)
				break;
			*p++ = '\0';
		}
		if (n != ncols) {
			mismatch(t, "%s:%d: %d fields, want %d", name, lineno,
			    n, ncols);
			continue;
		}
		t->rows++;
		fn(f, t);
	}
	fclose(fp);
}

static int
version_of(const char *s)
{
	if (strcmp(s, "3.0") == 0)
		return 30;
	if (strcmp(s, "3.1") == 0)
		return 31;
	if (strcmp(s, "4.0") == 0)
		return 40;
	return -1;
}

/* Parse s (with flags) and expect version, score and the stored vector
 * want. */
static void
check_parse(const char *s, int flags, const char *want, int version,
    int score, struct tally *t)
{
	struct cvss	 cv;
	const char	*how = flags & CVSS_BARE ? " (CVSS_BARE)" : "";
	char		*err = NULL, *copy;
	size_t		 n = strlen(s);

	/* an exact-size buffer without NUL: ASan sees any overread */
	copy = malloc(n ? n : 1);
	assert_non_null(copy);
	memcpy(copy, s, n);
	if (cvss_parse(copy, n, flags, &cv, &err) == -1) {
		mismatch(t, "%s%s: expected %d.%d, got an error: %s", s, how,
		    score / 10, score % 10, err != NULL ? err : "(none)");
		free(err);
	} else if (cv.score10 != score)
		mismatch(t, "%s%s: expected %d.%d, got %d.%d", s, how,
		    score / 10, score % 10, cv.score10 / 10, cv.score10 % 10);
	else if (cv.version != version || strcmp(cv.vector, want) != 0)
		mismatch(t, "%s%s: expected version %d vector %s, got %d %s",
		    s, how, version, want, cv.version, cv.vector);
	free(copy);
}

/* version vector base_score severity source */
static void
vector_row(char **f, struct tally *t)
{
	int	 v = version_of(f[0]), score = score10(f[2]);
	int	 before = t->bad;

	if (v == -1 || score == -1) {
		mismatch(t, "%s: bad version %s or score %s", f[1], f[0], f[2]);
		return;
	}
	if (strcmp(cvss_severity(score), f[3]) != 0)
		mismatch(t, "%s: severity of %s is %s, expected %s", f[1],
		    f[2], cvss_severity(score), f[3]);
	check_parse(f[1], 0, f[1], v, score, t);
	if (t->bad != before)
		return;
	/* the flag changes nothing when the prefix is there */
	check_parse(f[1], CVSS_BARE, f[1], v, score, t);
	/* without its prefix (a bare v3 vector is 3.1) */
	if (v != 30 && strncmp(f[1], "CVSS:", 5) == 0)
		check_parse(f[1] + 9, CVSS_BARE, f[1], v, score, t);
}

/* version vector reason rejected_by */
static void
invalid_row(char **f, struct tally *t)
{
	struct cvss	 cv;
	char		*err;
	int		 flags;

	for (flags = 0; flags <= CVSS_BARE; flags += CVSS_BARE) {
		/* CVSS_BARE accepts the rows that only lack the prefix */
		if (flags == CVSS_BARE && strncmp(f[1], "AV:", 3) == 0)
			continue;
		err = NULL;
		if (cvss_parse(f[1], strlen(f[1]), flags, &cv, &err) == 0)
			mismatch(t, "%s (%s): accepted%s, score %d", f[1],
			    f[2], flags ? " with CVSS_BARE" : "", cv.score10);
		else if (err == NULL || *err == '\0' ||
		    strchr(err, '\n') != NULL)
			mismatch(t, "%s (%s): no one-line reason", f[1], f[2]);
		free(err);
	}
}

/* version vector python_cvss first_calculator_js redhat_cvss40_js src */
static void
rounding_row(char **f, struct tally *t)
{
	int	 want = score10(f[2]), fl = score10(f[3]);

	if (want == -1 || fl == -1 || want != fl + 1 ||
	    strcmp(f[0], "4.0") != 0) {
		mismatch(t, "%s: unexpected data row %s %s", f[1], f[2], f[3]);
		return;
	}
	check_parse(f[1], 0, f[1], 40, want, t);
}

static void
test_vectors(void **state)
{
	struct tally	 t;

	(void)state;
	for_each_row("cvss-vectors.tsv", 5, vector_row, &t);
	printf("# cvss-vectors.tsv: %d rows, %d mismatches\n", t.rows, t.bad);
	assert_int_equal(t.bad, 0);
	assert_int_equal(t.rows, 954);
}

static void
test_vectors_extended(void **state)
{
	struct tally	 t;

	(void)state;
	for_each_row("cvss-vectors-extended.tsv", 5, vector_row, &t);
	printf("# cvss-vectors-extended.tsv: %d rows, %d mismatches\n",
	    t.rows, t.bad);
	assert_int_equal(t.bad, 0);
	assert_int_equal(t.rows, 6318);
}

static void
test_invalid(void **state)
{
	struct tally	 t;

	(void)state;
	for_each_row("cvss-invalid.tsv", 4, invalid_row, &t);
	printf("# cvss-invalid.tsv: %d rows, %d mismatches\n", t.rows, t.bad);
	assert_int_equal(t.bad, 0);
	assert_int_equal(t.rows, 61);
}

/* The exact value ends in 5 and rounds half up (python_cvss), where a
 * float round(x * 10) / 10 gives 0.1 less (first_calculator_js). */
static void
test_v4_rounding(void **state)
{
	struct tally	 t;

	(void)state;
	for_each_row("cvss-v4-rounding-disagreements.tsv", 6, rounding_row,
	    &t);
	printf("# cvss-v4-rounding-disagreements.tsv: %d rows, %d "
	    "mismatches\n", t.rows, t.bad);
	assert_int_equal(t.bad, 0);
	assert_int_equal(t.rows, 523);
}

static void
test_bare(void **state)
{
	const char	*v3 = "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
	const char	*v3t = "E:F/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/RL:O";
	const char	*v4 = "AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/"
	    "SI:N/SA:N";
	struct cvss	 cv;
	char		*err = NULL;

	(void)state;
	assert_int_equal(cvss_parse(v3, strlen(v3), CVSS_BARE, &cv, &err), 0);
	assert_null(err);
	assert_int_equal(cv.version, 31);
	assert_int_equal(cv.score10, 98);
	assert_string_equal(cv.vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/"
	    "C:H/I:H/A:H");
	assert_int_equal(cvss_parse(v3t, strlen(v3t), CVSS_BARE, &cv, &err),
	    0);
	assert_int_equal(cv.score10, 98);
	assert_int_equal(cvss_parse(v4, strlen(v4), CVSS_BARE, &cv, &err), 0);
	assert_int_equal(cv.version, 40);
	assert_int_equal(cv.score10, 93);
	assert_string_equal(cv.vector, "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/"
	    "VC:H/VI:H/VA:H/SC:N/SI:N/SA:N");
	/* without the flag a missing prefix is an error */
	expect_error(v3, strlen(v3), 0,
	    "missing prefix (CVSS:3.1/ or CVSS:4.0/)");
	expect_error(v4, strlen(v4), 0,
	    "missing prefix (CVSS:3.1/ or CVSS:4.0/)");
	/* a bare mix is judged as v4 (it has VC), where S:U is bad */
	expect_error("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/VC:H", 40,
	    CVSS_BARE, "bad value U for S");
	/* and a v3 vector with a stray v4 supplemental metric as v3 */
	expect_error("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AU:Y", 40,
	    CVSS_BARE, "unknown metric AU");
	/* a prefix is still checked with the flag */
	expect_error("CVSS:3.2/AV:N", 13, CVSS_BARE,
	    "unknown version CVSS:3.2");
	expect_error("/AV:N", 5, CVSS_BARE, "leading slash");
	/* errstr may be NULL */
	assert_int_equal(cvss_parse(v3, strlen(v3), 0, &cv, NULL), -1);
	assert_int_equal(cvss_parse(v3, strlen(v3), CVSS_BARE, &cv, NULL), 0);
}

static void
expect_error(const char *s, size_t n, int flags, const char *want)
{
	struct cvss	 cv;
	char		*err = NULL;

	assert_int_equal(cvss_parse(s, n, flags, &cv, &err), -1);
	if (err == NULL || strcmp(err, want) != 0) {
		printf("# %.*s: expected \"%s\", got \"%s\"\n",
		    n < 80 ? (int)n : 80, s, want, err != NULL ? err : "(none)");
		free(err);
		fail();
	}
	free(err);
	assert_int_equal(cv.score10, 0);
	assert_string_equal(cv.vector, "");
}

#define E(s, want)	expect_error(s, sizeof(s) - 1, 0, want)
#define V3	"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
#define V4	"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/" \
	    "SI:H/SA:H"

static void
test_errors(void **state)
{
	(void)state;
	E(V3 "/XX:Y", "unknown metric XX");
	E(V3 "/AV:L", "duplicate metric AV");
	E("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",
	    "missing mandatory metric A");
	E("CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "bad value Q for AV");
	E("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "bad value X for AV");
	E("CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H",
	    "metrics out of order (AC before AV)");
	E(V4 "/S:N/E:A", "metrics out of order (S before E)");
	E(V4 "/E:A/E:A", "duplicate metric E");
	E(V4 "/MSC:S", "bad value S for MSC");
	E(V4 "/U:red", "bad value red for U");
	E(V3 "/", "trailing slash");
	E("CVSS:3.1//AV:N", "empty field (\"//\")");
	E("CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
	    "unknown version CVSS:3.2");
	E("CVSS:3.1", "no metrics after CVSS:3.1");
	E("CVSS:4.0/", "trailing slash (no metrics)");
	E("cvss:3.1/AV:N", "bad prefix cvss:3.1 (want CVSS:3.0, CVSS:3.1 or "
	    "CVSS:4.0)");
	E("CVSS:3.1/CVSS:3.1/AV:N", "repeated prefix CVSS:3.1");
	E(V3 "/E", "malformed field E (no colon)");
	E(V3 "/E:F:F", "malformed field E:F:F (two colons)");
	E(V3 "/:F", "empty metric name in :F");
	E(V3 "/E:", "empty value for E");
	E(" " V3, "leading blank");
	E(V3 "\n", "trailing blank");
	E("", "empty vector");
	/* hostile bytes are shown escaped and cut short, on one line */
	E(V3 "/\n\x01\\:X", "unknown metric \\x0a\\x01\\x5c");
	E(V3 "/ABCDEFGHIJKLMNOPQRSTUVWXYZ:X",
	    "unknown metric ABCDEFGHIJKLMNOPQRSTUVWX...");
	expect_error(V3 "/E\0:X", sizeof(V3 "/E\0:X") - 1, 0,
	    "unknown metric E\\x00");
}

/* The caller gives exact bounds: nothing around the vector is skipped,
 * and nothing after len is read. */
static void
test_bounds(void **state)
{
	const char	*in = "see CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/"
	    "A:H, thanks";
	const char	*v4 = V4;
	struct cvss	 cv;
	char		*err = NULL, *buf;
	size_t		 n = strlen(V3), k;

	(void)state;
	assert_int_equal(cvss_parse(in + 4, n, 0, &cv, &err), 0);
	assert_string_equal(cv.vector, V3);
	expect_error(in + 4, n + 1, 0, "bad value H, for A");
	expect_error(in + 4, n + 8, 0, "bad value H, thanks for A");
	expect_error(in, n + 4, 0, "missing prefix (CVSS:3.1/ or CVSS:4.0/)");
	expect_error(in, n + 4, CVSS_BARE, "unknown metric see CVSS");
	expect_error(V3 "junk", n + 4, 0, "bad value Hjunk for A");
	expect_error(V3 "/junk", n + 5, 0, "malformed field junk (no colon)");

	/* every proper prefix of a vector, in an exact-size buffer: no
	 * overread, and only a vector that is complete is accepted */
	for (k = 0; k < strlen(v4); k++) {
		buf = malloc(k ? k : 1);
		assert_non_null(buf);
		memcpy(buf, v4, k);
		assert_int_equal(cvss_parse(buf, k, CVSS_BARE, &cv, &err), -1);
		assert_non_null(err);
		free(err);
		free(buf);
	}
	buf = malloc(strlen(v4));
	assert_non_null(buf);
	memcpy(buf, v4, strlen(v4));
	assert_int_equal(cvss_parse(buf, strlen(v4), 0, &cv, &err), 0);
	assert_int_equal(cv.score10, 100);
	free(buf);
}

/* Long input is refused at once, whatever it holds. */
static void
test_long(void **state)
{
	struct cvss	 cv;
	char		*buf, *err = NULL;
	size_t		 n = 10000, k;
	int		 flags;

	(void)state;
	buf = malloc(n);
	assert_non_null(buf);
	memcpy(buf, V3, strlen(V3));
	for (k = strlen(V3); k + 4 <= n; k += 4)
		memcpy(buf + k, "/E:X", 4);
	memset(buf + k, 'X', n - k);
	for (flags = 0; flags <= CVSS_BARE; flags += CVSS_BARE) {
		expect_error(buf, n, flags,
		    "vector too long (10000 bytes, at most 255)");
		expect_error(buf, CVSS_VECTOR_MAX, flags,
		    "vector too long (256 bytes, at most 255)");
	}
	/* 255 bytes is parsed (and fails on its content) */
	assert_int_equal(cvss_parse(buf, CVSS_VECTOR_MAX - 1, 0, &cv, &err),
	    -1);
	assert_string_equal(err, "duplicate metric E");
	free(err);
	/* bare, 255 bytes: too long once the prefix is added */
	memset(buf, 'A', n);
	expect_error(buf, CVSS_VECTOR_MAX - 1, CVSS_BARE,
	    "vector too long (255 bytes and the prefix, at most 255)");
	free(buf);
}

static void
test_severity(void **state)
{
	(void)state;
	assert_string_equal(cvss_severity(0), "None");
	assert_string_equal(cvss_severity(-5), "None");
	assert_string_equal(cvss_severity(1), "Low");
	assert_string_equal(cvss_severity(39), "Low");
	assert_string_equal(cvss_severity(40), "Medium");
	assert_string_equal(cvss_severity(69), "Medium");
	assert_string_equal(cvss_severity(70), "High");
	assert_string_equal(cvss_severity(89), "High");
	assert_string_equal(cvss_severity(90), "Critical");
	assert_string_equal(cvss_severity(100), "Critical");
	assert_string_equal(cvss_severity(150), "Critical");
}

/* A few scores by hand: the spec examples, v3 Roundup, v4 with the
 * environmental metrics changing the MacroVector. */
static void
test_scores(void **state)
{
	static const struct {
		const char	*v;
		int		 score;
	} tests[] = {
		/* v3.1 spec section 6 */
		{ "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:N", 38 },
		/* all-None impact */
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:N/A:N", 0 },
		/* scope changed, capped at 10 */
		{ "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 100 },
		/* temporal/environmental metrics do not change a v3 score */
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U/"
		  "CR:L/IR:L/AR:L/MAV:P/MAC:H/MPR:H/MUI:R/MS:C/MC:N/MI:N/MA:N",
		  98 },
		{ V4, 100 },
		{ V4 "/E:U", 91 },
		/* modified metrics remove all impact */
		{ V4 "/MVC:N/MVI:N/MVA:N/MSC:N/MSI:N/MSA:N", 0 },
		/* supplemental metrics do not change the score */
		{ V4 "/S:P/AU:Y/R:I/V:C/RE:H/U:Red", 100 },
		/* every optional metric X */
		{ V4 "/E:X/CR:X/IR:X/AR:X/MAV:X/MAC:X/MAT:X/MPR:X/MUI:X/"
		  "MVC:X/MVI:X/MVA:X/MSC:X/MSI:X/MSA:X/S:X/AU:X/R:X/V:X/"
		  "RE:X/U:X", 100 },
		/* x.x5 exactly: 5.0, where float rounding gives 4.9 */
		{ "CVSS:4.0/AV:L/AC:L/AT:P/PR:N/UI:A/VC:L/VI:L/VA:N/SC:H/"
		  "SI:H/SA:H", 50 },
	};
	struct cvss	 cv;
	char		*err = NULL;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		if (cvss_parse(tests[i].v, strlen(tests[i].v), 0, &cv,
		    &err) == -1)
			fail_msg("%s: %s", tests[i].v, err);
		if (cv.score10 != tests[i].score)
			fail_msg("%s: expected %d, got %d", tests[i].v,
			    tests[i].score, cv.score10);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_vectors_extended),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_v4_rounding),
		cmocka_unit_test(test_bare),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_long),
		cmocka_unit_test(test_severity),
		cmocka_unit_test(test_scores),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
