/*
 * cvss: parse and score a CVSS vector string (FIRST CVSS v3.0, v3.1 and
 * v4.0; CVSS is owned by FIRST.Org, Inc., https://www.first.org/cvss/).
 *
 * A vector is "CVSS:3.0/", "CVSS:3.1/" or "CVSS:4.0/" followed by
 * "METRIC:VALUE" fields separated by '/'. Names and values are case
 * sensitive; every field must be known and valid for the version, none
 * may repeat, the base metrics are mandatory (and may not be X). The
 * score is:
 *  - v3.0, v3.1: the Base score (v3.1 spec section 7.1; Roundup as in
 *    each version's specification). Metrics may come in any order;
 *    Temporal and Environmental metrics are validated but do not change
 *    the score.
 *  - v4.0: the one CVSS v4.0 score of all the metrics given (CVSS-B,
 *    -BT, -BE or -BTE, v4.0 spec section 8), rounded half up on the
 *    exact value. Metrics must follow the order of the spec's Table 23;
 *    Supplemental metrics are validated but do not change the score.
 * With CVSS_BARE a vector without its prefix is accepted: it is v4.0
 * if it has one of the v4.0 base metrics AT VC VI VA SC SI SA, v3.1
 * otherwise, and the prefix is added to the stored vector.
 * Trust: none. The input is s[0..len), no NUL needed, nothing read past
 * len; blanks or other bytes around the vector make it invalid (the
 * caller gives its exact bounds). Work is linear in len, and any input
 * of CVSS_VECTOR_MAX bytes or more is rejected at once (no valid vector
 * is that long). Nothing is allocated but the error string.
 */
#ifndef PSIRT_PARSERS_CVSS_H
#define PSIRT_PARSERS_CVSS_H

#include <stddef.h>

#define CVSS_VECTOR_MAX	256
#define CVSS_BARE	0x01	/* accept a vector without its CVSS:x.y/ prefix */

struct cvss {
	int	version;		/* 30, 31 or 40 */
	int	score10;		/* the score times ten, 0..100 */
	char	vector[CVSS_VECTOR_MAX];/* with its prefix ("CVSS:3.1/..."), metrics as given */
};

/* Parse and score the vector s[0..len). 0, or -1 and *errstr (malloc'd,
 * one line) saying why, naming the metric: "unknown metric XX",
 * "duplicate metric AV", "missing mandatory metric A", "bad value Q for
 * AV", "metrics out of order (AC before AV)" (v4), "trailing slash",
 * "unknown version CVSS:3.2", ... Bytes of the input quoted in *errstr
 * are shown printable (\xHH) and shortened. errstr may be NULL (then
 * nothing is allocated). On error *cvss is zeroed. */
int		 cvss_parse(const char *s, size_t len, int flags, struct cvss *,
		    char **errstr);
/* The qualitative rating of a score: "None", "Low", "Medium", "High",
 * "Critical" (the same scale for v3.x and v4.0; a score10 below 0
 * counts as 0, above 100 as 100). */
const char	*cvss_severity(int score10);

#endif
