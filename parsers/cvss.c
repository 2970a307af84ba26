/*
 * cvss.c: parse and score CVSS v3.0/v3.1/v4.0 vectors. See cvss.h.
 *
 * Written from the FIRST specifications (https://www.first.org/cvss/):
 * CVSS v3.0 and v3.1 Specification sections 6 (vector string), 7.1
 * (Base equations), 7.4 (metric values) and v3.1 Appendix A (Roundup);
 * CVSS v4.0 Specification sections 7 (vector string, Table 23) and 8
 * (MacroVectors EQ1..EQ6, interpolation). The v4.0 MacroVector score
 * table, the highest-severity vectors of each EQ level and the depth of
 * each EQ level ("max severity") are FIRST CVSS v4.0 specification data
 * (published with FIRST's v4.0 calculator, github.com/FIRSTdotorg/
 * cvss-v4-calculator: cvss_lookup.js, max_composed.js, max_severity.js,
 * BSD-2-Clause, (c) 2023 FIRST.ORG, Inc., Red Hat, and contributors),
 * transcribed here; no code was taken. CVSS is owned by FIRST.Org, Inc.
 * and used by permission.
 *
 * Scoring arithmetic.
 *  v3: doubles, as the specification's equations are written. Roundup is
 *  the v3.1 Appendix A definition for 3.1 (round to 5 decimals as an
 *  integer, then up to one decimal) and, for 3.0, the 3.0 definition
 *  ("the smallest number, to one decimal place, equal to or higher than
 *  its input") taken as a ceiling of the value times ten. The test data
 *  cover every v3.0 and v3.1 base vector. No libm: the 15th power is
 *  four multiplications of squares.
 *  v4: exact, in integers. Every quantity of the interpolation is
 *  rational with small terms: MacroVector scores are tenths, severity
 *  distances are whole steps of 0.1, depths are whole steps. With V the
 *  MacroVector score and a_i the distance to the next lower MacroVector
 *  (both in tenths), d_i the severity distance and m_i the depth of EQ
 *  i, and n the number of lower MacroVectors that exist, the score in
 *  tenths is
 *	V - (sum a_i d_i / m_i) / n = (V P n - sum a_i d_i P / m_i) / (P n)
 *  with P = m_1 m_2 m_3 m_4, a fraction X / D of integers (D <= 3000).
 *  Rounding half up is then floor((2X + D) / 2D), with no error at all.
 *  A floating-point round(x * 10) / 10 would give 0.1 less for several
 *  hundred vectors whose exact value ends in 5 (x.x4999...); the
 *  specification means half up.
 *
 * Diagnostics: one line naming the metric; input bytes in it are shown
 * printable and cut short.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/xmalloc.h"
#include "parsers/cvss.h"

#define NVALUES		6	/* values of one metric, with NULL */
#define NMETRICS	32	/* metrics of the largest version (4.0) */
#define SHOW_BYTES	24	/* input bytes quoted in a diagnostic */
#define SHOW_SIZE	(SHOW_BYTES * 4 + 4)

struct metric {
	const char	*name;
	const char	*values[NVALUES];	/* NULL-terminated */
	int		 mandatory;
};

struct version {
	int			 version;	/* 30, 31, 40 */
	const char		*prefix;	/* "CVSS:3.1/" */
	const struct metric	*metrics;
	int			 nmetrics;
	int			 ordered;	/* v4: Table 23 order */
};

/*
 * CVSS v3.x metrics (v3.1 spec sections 6 and 7.4). The values of the
 * Base metrics are listed in the order of the weights below.
 */
enum {
	V3_AV, V3_AC, V3_PR, V3_UI, V3_S, V3_C, V3_I, V3_A,
	V3_E, V3_RL, V3_RC,
	V3_CR, V3_IR, V3_AR, V3_MAV, V3_MAC, V3_MPR, V3_MUI, V3_MS,
	V3_MC, V3_MI, V3_MA,
	V3_NMETRICS
};

static const struct metric v3_metrics[V3_NMETRICS] = {
	{ "AV", { "N", "A", "L", "P" }, 1 },
	{ "AC", { "L", "H" }, 1 },
	{ "PR", { "N", "L", "H" }, 1 },
	{ "UI", { "N", "R" }, 1 },
	{ "S", { "U", "C" }, 1 },
	{ "C", { "H", "L", "N" }, 1 },
	{ "I", { "H", "L", "N" }, 1 },
	{ "A", { "H", "L", "N" }, 1 },
	{ "E", { "X", "U", "P", "F", "H" }, 0 },
	{ "RL", { "X", "O", "T", "W", "U" }, 0 },
	{ "RC", { "X", "U", "R", "C" }, 0 },
	{ "CR", { "X", "L", "M", "H" }, 0 },
	{ "IR", { "X", "L", "M", "H" }, 0 },
	{ "AR", { "X", "L", "M", "H" }, 0 },
	{ "MAV", { "X", "N", "A", "L", "P" }, 0 },
	{ "MAC", { "X", "L", "H" }, 0 },
	{ "MPR", { "X", "N", "L", "H" }, 0 },
	{ "MUI", { "X", "N", "R" }, 0 },
	{ "MS", { "X", "U", "C" }, 0 },
	{ "MC", { "X", "N", "L", "H" }, 0 },
	{ "MI", { "X", "N", "L", "H" }, 0 },
	{ "MA", { "X", "N", "L", "H" }, 0 },
};

/*
 * CVSS v4.0 metrics in the order of the v4.0 spec's Table 23: Base,
 * Threat, Environmental, Supplemental. Each modified metric MAV..MSA is
 * its base metric plus V4_MOD.
 */
enum {
	V4_AV, V4_AC, V4_AT, V4_PR, V4_UI, V4_VC, V4_VI, V4_VA,
	V4_SC, V4_SI, V4_SA,
	V4_E,
	V4_CR, V4_IR, V4_AR, V4_MAV, V4_MAC, V4_MAT, V4_MPR, V4_MUI,
	V4_MVC, V4_MVI, V4_MVA, V4_MSC, V4_MSI, V4_MSA,
	V4_S, V4_AU, V4_R, V4_V, V4_RE, V4_U,
	V4_NMETRICS
};
#define V4_MOD	(V4_MAV - V4_AV)
_Static_assert(V4_MSA - V4_MAV == V4_SA - V4_AV, "v4 modified metrics");
_Static_assert(V4_NMETRICS <= NMETRICS && V3_NMETRICS <= NMETRICS,
    "NMETRICS");

static const struct metric v4_metrics[V4_NMETRICS] = {
	{ "AV", { "N", "A", "L", "P" }, 1 },
	{ "AC", { "L", "H" }, 1 },
	{ "AT", { "N", "P" }, 1 },
	{ "PR", { "N", "L", "H" }, 1 },
	{ "UI", { "N", "P", "A" }, 1 },
	{ "VC", { "H", "L", "N" }, 1 },
	{ "VI", { "H", "L", "N" }, 1 },
	{ "VA", { "H", "L", "N" }, 1 },
	{ "SC", { "H", "L", "N" }, 1 },
	{ "SI", { "H", "L", "N" }, 1 },
	{ "SA", { "H", "L", "N" }, 1 },
	{ "E", { "X", "A", "P", "U" }, 0 },
	{ "CR", { "X", "H", "M", "L" }, 0 },
	{ "IR", { "X", "H", "M", "L" }, 0 },
	{ "AR", { "X", "H", "M", "L" }, 0 },
	{ "MAV", { "X", "N", "A", "L", "P" }, 0 },
	{ "MAC", { "X", "L", "H" }, 0 },
	{ "MAT", { "X", "N", "P" }, 0 },
	{ "MPR", { "X", "N", "L", "H" }, 0 },
	{ "MUI", { "X", "N", "P", "A" }, 0 },
	{ "MVC", { "X", "H", "L", "N" }, 0 },
	{ "MVI", { "X", "H", "L", "N" }, 0 },
	{ "MVA", { "X", "H", "L", "N" }, 0 },
	{ "MSC", { "X", "H", "L", "N" }, 0 },
	{ "MSI", { "X", "S", "H", "L", "N" }, 0 },
	{ "MSA", { "X", "S", "H", "L", "N" }, 0 },
	{ "S", { "X", "N", "P" }, 0 },
	{ "AU", { "X", "N", "Y" }, 0 },
	{ "R", { "X", "A", "U", "I" }, 0 },
	{ "V", { "X", "D", "C" }, 0 },
	{ "RE", { "X", "L", "M", "H" }, 0 },
	{ "U", { "X", "Clear", "Green", "Amber", "Red" }, 0 },
};

static const struct version versions[] = {
	{ 30, "CVSS:3.0/", v3_metrics, V3_NMETRICS, 0 },
	{ 31, "CVSS:3.1/", v3_metrics, V3_NMETRICS, 0 },
	{ 40, "CVSS:4.0/", v4_metrics, V4_NMETRICS, 1 },
};
#define PREFIX_LEN	9	/* strlen("CVSS:x.y/") */

/*
 * CVSS v4.0 scoring data (FIRST CVSS v4.0 specification, section 8).
 *
 * The score of each MacroVector, in tenths, indexed by
 * [((EQ1 * 2 + EQ2) * 3 + EQ3) * 3 + EQ4][EQ5 * 2 + EQ6]; -1 where the
 * MacroVector cannot occur (EQ3 2 with EQ6 0). 270 MacroVectors.
 * Columns: EQ5 EQ6 = 00 01 10 11 20 21; the comment is EQ1..EQ4.
 */
static const signed char v4_mv_score[54][6] = {
	{ 100,  99,  98,  95,  95,  92 },	/* 0000 */
	{ 100,  96,  93,  87,  91,  81 },	/* 0001 */
	{  93,  90,  89,  80,  81,  68 },	/* 0002 */
	{  98,  95,  95,  92,  90,  84 },	/* 0010 */
	{  93,  92,  89,  81,  81,  65 },	/* 0011 */
	{  88,  80,  78,  70,  69,  48 },	/* 0012 */
	{  -1,  92,  -1,  82,  -1,  72 },	/* 0020 */
	{  -1,  79,  -1,  69,  -1,  50 },	/* 0021 */
	{  -1,  69,  -1,  55,  -1,  27 },	/* 0022 */
	{  99,  97,  95,  92,  92,  85 },	/* 0100 */
	{  95,  91,  90,  83,  84,  71 },	/* 0101 */
	{  92,  81,  82,  71,  72,  53 },	/* 0102 */
	{  95,  93,  92,  85,  85,  73 },	/* 0110 */
	{  92,  82,  80,  72,  70,  59 },	/* 0111 */
	{  84,  70,  71,  52,  50,  30 },	/* 0112 */
	{  -1,  86,  -1,  75,  -1,  52 },	/* 0120 */
	{  -1,  71,  -1,  52,  -1,  29 },	/* 0121 */
	{  -1,  63,  -1,  29,  -1,  17 },	/* 0122 */
	{  98,  95,  94,  87,  91,  81 },	/* 1000 */
	{  94,  89,  86,  74,  77,  64 },	/* 1001 */
	{  87,  75,  74,  63,  63,  49 },	/* 1002 */
	{  94,  89,  88,  77,  76,  67 },	/* 1010 */
	{  86,  76,  74,  58,  59,  50 },	/* 1011 */
	{  72,  57,  57,  52,  52,  25 },	/* 1012 */
	{  -1,  83,  -1,  70,  -1,  54 },	/* 1020 */
	{  -1,  65,  -1,  58,  -1,  26 },	/* 1021 */
	{  -1,  53,  -1,  21,  -1,  13 },	/* 1022 */
	{  95,  90,  88,  76,  76,  70 },	/* 1100 */
	{  90,  77,  75,  62,  61,  53 },	/* 1101 */
	{  77,  66,  68,  59,  52,  30 },	/* 1102 */
	{  89,  78,  76,  67,  62,  58 },	/* 1110 */
	{  74,  59,  57,  57,  47,  23 },	/* 1111 */
	{  61,  52,  57,  29,  24,  16 },	/* 1112 */
	{  -1,  71,  -1,  59,  -1,  30 },	/* 1120 */
	{  -1,  58,  -1,  26,  -1,  15 },	/* 1121 */
	{  -1,  23,  -1,  13,  -1,   6 },	/* 1122 */
	{  93,  87,  86,  72,  75,  58 },	/* 2000 */
	{  86,  74,  74,  61,  56,  34 },	/* 2001 */
	{  70,  54,  52,  40,  40,  22 },	/* 2002 */
	{  85,  75,  74,  55,  62,  51 },	/* 2010 */
	{  72,  57,  55,  41,  46,  19 },	/* 2011 */
	{  53,  36,  34,  19,  19,   8 },	/* 2012 */
	{  -1,  64,  -1,  51,  -1,  20 },	/* 2020 */
	{  -1,  47,  -1,  21,  -1,  11 },	/* 2021 */
	{  -1,  24,  -1,   9,  -1,   4 },	/* 2022 */
	{  88,  75,  73,  53,  60,  50 },	/* 2100 */
	{  73,  55,  59,  40,  41,  20 },	/* 2101 */
	{  54,  43,  45,  22,  20,  11 },	/* 2102 */
	{  75,  55,  58,  45,  40,  21 },	/* 2110 */
	{  61,  51,  48,  18,  20,   9 },	/* 2111 */
	{  46,  18,  17,   7,   8,   2 },	/* 2112 */
	{  -1,  53,  -1,  24,  -1,  14 },	/* 2120 */
	{  -1,  24,  -1,  12,  -1,   5 },	/* 2121 */
	{  -1,  10,  -1,   3,  -1,   1 },	/* 2122 */
};

/*
 * Interpolation works on "levels": the position of each metric's
 * (effective) value in its order of decreasing severity, one step of
 * the specification's 0.1 severity distance each. The metrics are
 * grouped by the EQ they belong to, EQ3 and EQ6 together.
 */
enum {
	L_AV, L_PR, L_UI,			/* EQ1 */
	L_AC, L_AT,				/* EQ2 */
	L_VC, L_VI, L_VA, L_CR, L_IR, L_AR,	/* EQ3 + EQ6 */
	L_SC, L_SI, L_SA,			/* EQ4 */
	L_N
};

/* Severity order of each level's values; SC/SI/SA start at S (Safety,
 * MSI and MSA only) so that H is one step below it. */
static const char *const v4_level_order[L_N] = {
	"NALP", "NLH", "NPA", "LH", "NP",
	"HLN", "HLN", "HLN", "HML", "HML", "HML",
	"SHLN", "SHLN", "SHLN",
};

#define NGROUPS		4	/* EQ1, EQ2, EQ3+EQ6, EQ4 */
#define GROUP_MAX	6	/* metrics in the largest group */
#define NMAXVEC		5	/* highest-severity vectors of one level */

struct v4_group {
	int		 first, width;	/* its levels L_x */
	/* per EQ level (EQ3+EQ6: EQ3 * 2 + EQ6): its depth (the max
	 * severity distance) and the levels of its highest-severity
	 * vectors, in the specification's order */
	struct {
		int		 depth;
		int		 nvec;
		signed char	 vec[NMAXVEC][GROUP_MAX];
	}		 eq[6];
};

static const struct v4_group v4_groups[NGROUPS] = {
	/* EQ1: AV PR UI */
	{ L_AV, 3, {
		{ 1, 1, { { 0, 0, 0 } } },
		{ 4, 3, { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } } },
		{ 5, 2, { { 3, 0, 0 }, { 1, 1, 1 } } },
	} },
	/* EQ2: AC AT */
	{ L_AC, 2, {
		{ 1, 1, { { 0, 0 } } },
		{ 2, 2, { { 1, 0 }, { 0, 1 } } },
	} },
	/* EQ3 and EQ6: VC VI VA CR IR AR */
	{ L_VC, 6, {
		{ 7, 1, { { 0, 0, 0, 0, 0, 0 } } },
		{ 6, 2, { { 0, 0, 1, 1, 1, 0 }, { 0, 0, 0, 1, 1, 1 } } },
		{ 8, 2, { { 1, 0, 0, 0, 0, 0 }, { 0, 1, 0, 0, 0, 0 } } },
		{ 8, 5, { { 1, 0, 1, 0, 1, 0 }, { 1, 0, 0, 0, 1, 1 },
		    { 0, 1, 0, 1, 0, 1 }, { 0, 1, 1, 1, 0, 0 },
		    { 1, 1, 0, 0, 0, 1 } } },
		{ 0, 0, { { 0 } } },		/* EQ3 2, EQ6 0: none */
		{ 10, 1, { { 1, 1, 1, 0, 0, 0 } } },
	} },
	/* EQ4: SC SI SA */
	{ L_SC, 3, {
		{ 6, 1, { { 1, 0, 0 } } },
		{ 5, 1, { { 1, 1, 1 } } },
		{ 4, 1, { { 2, 2, 2 } } },
	} },
};

static int	 fail(char **, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static const char *show(char *, const char *, size_t);
static int	 find_metric(const struct version *, const char *, size_t);
static int	 find_value(const struct metric *, const char *, size_t);
static int	 is_blank(char);
static int	 is_prefixlike(const char *, size_t);
static int	 bare_version(const char *, size_t);
static int	 parse_fields(const struct version *, const char *, size_t,
		    int *, char **);
static int	 v3_score(int, const int *);
static int	 v3_roundup(int, double);
static char	 v4_value(const int *, int);
static int	 v4_level(const int *, int);
static int	 v4_mv(const int *);
static int	 v4_lower(const int *, int);
static int	 v4_score(const int *);

static int
fail(char **errstr, const char *fmt, ...)
{
	char	 msg[256];
	va_list	 ap;

	if (errstr == NULL)
		return -1;
	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	*errstr = xstrdup(msg);
	return -1;
}

/* s[0..n) for a diagnostic in buf (SHOW_SIZE bytes): printable ASCII as
 * is, other bytes as \xHH, at most SHOW_BYTES of them, then "...". */
static const char *
show(char *buf, const char *s, size_t n)
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 i, o = 0;
	unsigned char		 c;

	for (i = 0; i < n && i < SHOW_BYTES; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			buf[o++] = (char)c;
		else {
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 0xf];
		}
	}
	if (i < n) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

static int
find_metric(const struct version *v, const char *name, size_t n)
{
	int	 m;

	for (m = 0; m < v->nmetrics; m++)
		if (strlen(v->metrics[m].name) == n &&
		    memcmp(v->metrics[m].name, name, n) == 0)
			return m;
	return -1;
}

static int
find_value(const struct metric *mt, const char *val, size_t n)
{
	int	 i;

	for (i = 0; i < NVALUES && mt->values[i] != NULL; i++)
		if (strlen(mt->values[i]) == n &&
		    memcmp(mt->values[i], val, n) == 0)
			return i;
	return -1;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	    c == '\v' || c == '\f';
}

/* Does s[0..n) start like a prefix ("CVSS" in any case)? */
static int
is_prefixlike(const char *s, size_t n)
{
	static const char	 cvss[] = "CVSS";
	size_t			 i;

	if (n < 4)
		return 0;
	for (i = 0; i < 4; i++)
		if ((s[i] & ~0x20) != cvss[i])
			return 0;
	return 1;
}

/* The version of a vector without prefix: 4.0 if a field is named like
 * a v4.0-only base metric (every v4.0 vector has them), else 3.1. */
static int
bare_version(const char *s, size_t len)
{
	static const char *const v4only[] = {
		"AT", "VC", "VI", "VA", "SC", "SI", "SA"
	};
	size_t		 p = 0, q, i;

	while (p < len) {
		for (q = p; q < len && s[q] != '/' && s[q] != ':'; q++)
			;
		if (q - p == 2)
			for (i = 0; i < sizeof(v4only) / sizeof(v4only[0]); i++)
				if (memcmp(s + p, v4only[i], 2) == 0)
					return 40;
		while (q < len && s[q] != '/')
			q++;
		p = q + 1;
	}
	return 31;
}

/* The "METRIC:VALUE/..." fields of s[0..len) (len > 0) into val[]:
 * the index of each metric's value, -1 if absent. */
static int
parse_fields(const struct version *v, const char *s, size_t len, int *val,
    char **errstr)
{
	const char	*colon;
	char		 t1[SHOW_SIZE], t2[SHOW_SIZE];
	size_t		 p = 0, q, nl, vl;
	int		 m, i, last = -1;

	for (m = 0; m < v->nmetrics; m++)
		val[m] = -1;
	for (;;) {
		for (q = p; q < len && s[q] != '/'; q++)
			;
		if (q == p)
			return fail(errstr, p == len ? "trailing slash" :
			    "empty field (\"//\")");
		if ((colon = memchr(s + p, ':', q - p)) == NULL)
			return fail(errstr, "malformed field %s (no colon)",
			    show(t1, s + p, q - p));
		nl = (size_t)(colon - (s + p));
		vl = q - p - nl - 1;
		if (memchr(colon + 1, ':', vl) != NULL) {
			if (is_prefixlike(s + p, q - p))
				return fail(errstr, "repeated prefix %s",
				    show(t1, s + p, q - p));
			return fail(errstr, "malformed field %s (two colons)",
			    show(t1, s + p, q - p));
		}
		if (nl == 0)
			return fail(errstr, "empty metric name in %s",
			    show(t1, s + p, q - p));
		if ((m = find_metric(v, s + p, nl)) == -1) {
			if (is_prefixlike(s + p, q - p))
				return fail(errstr, "repeated prefix %s",
				    show(t1, s + p, q - p));
			return fail(errstr, "unknown metric %s",
			    show(t1, s + p, nl));
		}
		if (val[m] != -1)
			return fail(errstr, "duplicate metric %s",
			    v->metrics[m].name);
		if (v->ordered && m < last)
			return fail(errstr, "metrics out of order (%s before "
			    "%s)", v->metrics[last].name, v->metrics[m].name);
		if (vl == 0)
			return fail(errstr, "empty value for %s",
			    v->metrics[m].name);
		if ((i = find_value(&v->metrics[m], colon + 1, vl)) == -1)
			return fail(errstr, "bad value %s for %s",
			    show(t2, colon + 1, vl), v->metrics[m].name);
		val[m] = i;
		last = m;
		if (q == len)
			break;
		p = q + 1;
	}
	for (m = 0; m < v->nmetrics; m++)
		if (v->metrics[m].mandatory && val[m] == -1)
			return fail(errstr, "missing mandatory metric %s",
			    v->metrics[m].name);
	return 0;
}

/*
 * v3 Base score (v3.1 spec section 7.1; the same equations in 3.0).
 * val[] holds value indices in the order of the tables here.
 */
static int
v3_score(int version, const int *val)
{
	static const double	 av[] = { 0.85, 0.62, 0.55, 0.2 };  /* NALP */
	static const double	 ac[] = { 0.77, 0.44 };		    /* LH */
	static const double	 pr_u[] = { 0.85, 0.62, 0.27 };	    /* NLH */
	static const double	 pr_c[] = { 0.85, 0.68, 0.5 };	    /* S:C */
	static const double	 ui[] = { 0.85, 0.62 };		    /* NR */
	static const double	 cia[] = { 0.56, 0.22, 0 };	    /* HLN */
	double			 iss, impact, expl, t, t2, t4, t8, x;
	int			 changed = val[V3_S] == 1;

	iss = 1 - (1 - cia[val[V3_C]]) * (1 - cia[val[V3_I]]) *
	    (1 - cia[val[V3_A]]);
	if (changed) {
		t = iss - 0.02;
		t2 = t * t;
		t4 = t2 * t2;
		t8 = t4 * t4;
		impact = 7.52 * (iss - 0.029) - 3.25 * (t8 * t4 * t2 * t);
	} else
		impact = 6.42 * iss;
	expl = 8.22 * av[val[V3_AV]] * ac[val[V3_AC]] *
	    (changed ? pr_c : pr_u)[val[V3_PR]] * ui[val[V3_UI]];
	if (impact <= 0)
		return 0;
	x = changed ? 1.08 * (impact + expl) : impact + expl;
	if (x > 10)
		x = 10;
	return v3_roundup(version, x);
}

/* Roundup, in tenths, of 0 <= x <= 10. */
static int
v3_roundup(int version, double x)
{
	long	 i;
	int	 k;

	if (version == 30) {
		/* v3.0: the smallest one-decimal number >= x */
		k = (int)(x * 10);
		return k < x * 10 ? k + 1 : k;
	}
	/* v3.1 Appendix A: to an integer of 1/100000, then up to 1/10 */
	i = (long)(x * 100000 + 0.5);
	if (i % 10000 == 0)
		return (int)(i / 10000);
	return (int)(i / 10000) + 1;
}

/* The value of v4 metric m as a character ('X' when absent). */
static char
v4_value(const int *val, int m)
{
	return val[m] == -1 ? 'X' : v4_metrics[m].values[val[m]][0];
}

/*
 * Level l (L_x) of a v4 vector: the position in v4_level_order[l] of
 * the effective value of its metric, the modified metric when it is
 * given and not X; CR, IR, AR X or absent count as H, the most severe
 * (v4.0 spec section 8).
 */
static int
v4_level(const int *val, int l)
{
	static const int	 metric[L_N] = {
		V4_AV, V4_PR, V4_UI, V4_AC, V4_AT,
		V4_VC, V4_VI, V4_VA, V4_CR, V4_IR, V4_AR,
		V4_SC, V4_SI, V4_SA,
	};
	const char		*p;
	int			 m = metric[l];
	char			 c;

	if (m == V4_CR || m == V4_IR || m == V4_AR) {
		if ((c = v4_value(val, m)) == 'X')
			c = 'H';
	} else if ((c = v4_value(val, m + V4_MOD)) == 'X')
		c = v4_value(val, m);
	/* c is a validated value, so it is in the order */
	for (p = v4_level_order[l]; *p != '\0' && *p != c; p++)
		;
	return (int)(p - v4_level_order[l]);
}

/* The score of MacroVector eq[0..5] in tenths, -1 if there is none. */
static int
v4_mv(const int *eq)
{
	static const int	 nlev[6] = { 3, 2, 3, 3, 3, 2 };
	int			 i;

	for (i = 0; i < 6; i++)
		if (eq[i] < 0 || eq[i] >= nlev[i])
			return -1;
	return v4_mv_score[((eq[0] * 2 + eq[1]) * 3 + eq[2]) * 3 + eq[3]]
	    [eq[4] * 2 + eq[5]];
}

/*
 * The score in tenths of the next lower MacroVector of group g (0 EQ1,
 * 1 EQ2, 2 EQ3+EQ6, 3 EQ4, 4 EQ5), -1 if there is none. EQ3 and EQ6 go
 * down together, to the higher of (EQ3 + 1, EQ6) and (EQ3, EQ6 + 1)
 * that exists: 00 -> 01 or 10, 01 -> 11, 10 -> 11, 11 -> 21, 21 -> none.
 */
static int
v4_lower(const int *eq, int g)
{
	int	 low[6], a, b;

	memcpy(low, eq, sizeof(low));
	if (g != 2) {
		low[g]++;		/* EQ1, EQ2, EQ4, EQ5: eq[g] */
		return v4_mv(low);
	}
	low[2]++;
	a = v4_mv(low);
	low[2]--;
	low[5]++;
	b = v4_mv(low);
	return a > b ? a : b;
}

/* The CVSS v4.0 score in tenths (v4.0 spec section 8). */
static int
v4_score(const int *val)
{
	int	 lv[L_N], eq[6], cls[NGROUPS], d[NGROUPS];
	int	 i, j, k, g, ok, score, lower, n, p, x, den, num;
	char	 e;

	for (i = 0; i < L_N; i++)
		lv[i] = v4_level(val, i);
	/* no impact on either system: 0 */
	if (lv[L_VC] == 2 && lv[L_VI] == 2 && lv[L_VA] == 2 &&
	    lv[L_SC] == 3 && lv[L_SI] == 3 && lv[L_SA] == 3)
		return 0;

	/* EQ1: 0 AV:N and PR:N and UI:N; 1 (AV:N or PR:N or UI:N) and
	 * not AV:P; 2 otherwise */
	if (lv[L_AV] == 0 && lv[L_PR] == 0 && lv[L_UI] == 0)
		eq[0] = 0;
	else if ((lv[L_AV] == 0 || lv[L_PR] == 0 || lv[L_UI] == 0) &&
	    lv[L_AV] != 3)
		eq[0] = 1;
	else
		eq[0] = 2;
	/* EQ2: 0 AC:L and AT:N; 1 otherwise */
	eq[1] = lv[L_AC] == 0 && lv[L_AT] == 0 ? 0 : 1;
	/* EQ3: 0 VC:H and VI:H; 1 VC:H or VI:H or VA:H; 2 otherwise */
	if (lv[L_VC] == 0 && lv[L_VI] == 0)
		eq[2] = 0;
	else if (lv[L_VC] == 0 || lv[L_VI] == 0 || lv[L_VA] == 0)
		eq[2] = 1;
	else
		eq[2] = 2;
	/* EQ4: 0 MSI:S or MSA:S; 1 SC:H or SI:H or SA:H; 2 otherwise */
	if (lv[L_SI] == 0 || lv[L_SA] == 0)
		eq[3] = 0;
	else if (lv[L_SC] == 1 || lv[L_SI] == 1 || lv[L_SA] == 1)
		eq[3] = 1;
	else
		eq[3] = 2;
	/* EQ5: E:A (or X) 0, E:P 1, E:U 2 */
	e = v4_value(val, V4_E);
	eq[4] = e == 'U' ? 2 : e == 'P' ? 1 : 0;
	/* EQ6: 0 (CR:H and VC:H) or (IR:H and VI:H) or (AR:H and VA:H) */
	eq[5] = (lv[L_CR] == 0 && lv[L_VC] == 0) ||
	    (lv[L_IR] == 0 && lv[L_VI] == 0) ||
	    (lv[L_AR] == 0 && lv[L_VA] == 0) ? 0 : 1;

	score = v4_mv(eq);
	cls[0] = eq[0];
	cls[1] = eq[1];
	cls[2] = eq[2] * 2 + eq[5];
	cls[3] = eq[3];

	/*
	 * Severity distance of each group from the first of its level's
	 * highest-severity vectors that is at least as severe in every
	 * metric. The groups are independent, so this is the first such
	 * vector of their combinations. One always exists (checked for
	 * every combination of values); the last one stands in otherwise.
	 */
	for (g = 0; g < NGROUPS; g++) {
		const struct v4_group	*gr = &v4_groups[g];
		const signed char	*mx = NULL;

		for (j = 0; j < gr->eq[cls[g]].nvec; j++) {
			mx = gr->eq[cls[g]].vec[j];
			for (ok = 1, k = 0; k < gr->width; k++)
				if (lv[gr->first + k] < mx[k])
					ok = 0;
			if (ok)
				break;
		}
		d[g] = 0;
		for (k = 0; k < gr->width && mx != NULL; k++)
			d[g] += lv[gr->first + k] - mx[k];
	}

	/*
	 * Each group's part: the score down to its next lower MacroVector
	 * times the proportion d / depth; their mean over the lower
	 * MacroVectors that exist (EQ5 counts, with a proportion of 0).
	 */
	p = 1;
	for (g = 0; g < NGROUPS; g++)
		p *= v4_groups[g].eq[cls[g]].depth;
	num = n = 0;
	for (g = 0; g < NGROUPS; g++) {
		if ((lower = v4_lower(eq, g)) == -1)
			continue;
		n++;
		num += (score - lower) * d[g] *
		    (p / v4_groups[g].eq[cls[g]].depth);
	}
	if (v4_lower(eq, NGROUPS) != -1)
		n++;
	if (n == 0)
		return score;
	/* score - num / (p n), rounded half up, within 0..100 */
	den = p * n;
	x = score * den - num;
	if (x <= 0)
		return 0;
	if (x >= 100 * den)
		return 100;
	return (2 * x + den) / (2 * den);
}

int
cvss_parse(const char *s, size_t len, int flags, struct cvss *cv,
    char **errstr)
{
	const struct version	*v = NULL;
	char			 t1[SHOW_SIZE];
	int			 val[NMETRICS];
	size_t			 i, off, q;
	int			 want;

	memset(cv, 0, sizeof(*cv));
	if (errstr != NULL)
		*errstr = NULL;
	if (len == 0)
		return fail(errstr, "empty vector");
	if (len >= CVSS_VECTOR_MAX)
		return fail(errstr, "vector too long (%zu bytes, at most %d)",
		    len, CVSS_VECTOR_MAX - 1);
	if (is_blank(s[0]))
		return fail(errstr, "leading blank");
	if (is_blank(s[len - 1]))
		return fail(errstr, "trailing blank");

	for (q = 0; q < len && s[q] != '/'; q++)
		;
	if (len >= 5 && memcmp(s, "CVSS:", 5) == 0) {
		for (i = 0; i < sizeof(versions) / sizeof(versions[0]); i++)
			if (q == 8 && memcmp(s, versions[i].prefix, 8) == 0)
				v = &versions[i];
		if (v == NULL)
			return fail(errstr, "unknown version %s",
			    show(t1, s, q));
		if (q == len)
			return fail(errstr, "no metrics after %s",
			    show(t1, s, q));
		off = q + 1;
		if (off == len)
			return fail(errstr, "trailing slash (no metrics)");
	} else if (is_prefixlike(s, q))
		return fail(errstr, "bad prefix %s (want CVSS:3.0, CVSS:3.1 "
		    "or CVSS:4.0)", show(t1, s, q));
	else if ((flags & CVSS_BARE) == 0)
		return fail(errstr, "missing prefix (CVSS:3.1/ or CVSS:4.0/)");
	else if (s[0] == '/')
		return fail(errstr, "leading slash");
	else {
		want = bare_version(s, len);
		for (i = 0; i < sizeof(versions) / sizeof(versions[0]); i++)
			if (versions[i].version == want)
				v = &versions[i];
		if (len + PREFIX_LEN >= CVSS_VECTOR_MAX)
			return fail(errstr, "vector too long (%zu bytes and "
			    "the prefix, at most %d)", len,
			    CVSS_VECTOR_MAX - 1);
		off = 0;
	}

	if (parse_fields(v, s + off, len - off, val, errstr) == -1)
		return -1;
	cv->version = v->version;
	cv->score10 = v->version == 40 ? v4_score(val) :
	    v3_score(v->version, val);
	if (off == 0) {
		memcpy(cv->vector, v->prefix, PREFIX_LEN);
		memcpy(cv->vector + PREFIX_LEN, s, len);
		cv->vector[PREFIX_LEN + len] = '\0';
	} else {
		memcpy(cv->vector, s, len);
		cv->vector[len] = '\0';
	}
	return 0;
}

const char *
cvss_severity(int score10)
{
	if (score10 <= 0)
		return "None";
	if (score10 < 40)
		return "Low";
	if (score10 < 70)
		return "Medium";
	if (score10 < 90)
		return "High";
	return "Critical";
}
