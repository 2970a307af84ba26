/*
 * affected: one product's place in a case, as staff state it
 * (`case set ID affected=...`, `#affected ...` by signed mail):
 *
 *   product=NAME [vendor=NAME] [affected=RANGE] [fixed=VERSION]
 *       [status=STATUS] [justification=FLAG]
 *
 * Fields are separated by blanks; a word that does not begin with one
 * of the six keys and '=' continues the value before it, so that
 * "product=Smart Cam Pro" and "affected=>=5.0 <5.1.4" need no quotes.
 *
 * A VERSION is 1 to 63 of [A-Za-z0-9._+~] (no '-': it separates a
 * span). A RANGE is one of
 *   5.1.2                 that version alone
 *   5.1.1,5.1.2           a list of versions (at most AFF_LIST_MAX)
 *   <5.1.4  <=5.1.3       every version below (up to and including)
 *   >5.0  >=5.0           every version above (from)
 *   >=5.0 <5.1.4          a lower and an upper bound, blank between
 *   5.0.0-5.1.3           from and up to, both included
 *   *                     every version
 * Versions compare as dotted numbers: digit runs by value, other bytes
 * by byte; a missing trailing ".0" is equal ("5.1" = "5.1.0").
 *
 * STATUS is what the case means for the product:
 *   fixed             fixed=VERSION is given (the default with fixed=)
 *   affected          affected, no fix (yet): the advisory gives the
 *                     case's mitigation or workaround (the default)
 *   no-fix-planned    affected, and no fix will come
 *   not-affected      needs justification=FLAG, one of CSAF's VEX
 *                     flags (component_not_present,
 *                     vulnerable_code_not_present,
 *                     vulnerable_code_cannot_be_controlled_by_adversary,
 *                     vulnerable_code_not_in_execute_path,
 *                     inline_mitigations_already_exist; '-' may stand
 *                     for '_'); affected= is then the versions the
 *                     statement covers ('*' when left out)
 * Refused with a reason: an unknown key, a key twice, a bad version or
 * range, an empty range (>=5.2 <5.1), a fixed version that is not
 * above every version of the range, fixed= with a status other than
 * fixed, not-affected without a justification, a justification
 * without not-affected. affected_conflict() checks two pairs of one
 * case: the same product (and vendor) with overlapping ranges, or one's
 * fixed version inside the other's range.
 * Trust: none (staff mail). Linear in the input, which is at most
 * AFF_INPUT_MAX bytes; nothing allocated but the strings returned.
 */
#ifndef PSIRT_PARSERS_AFFECTED_H
#define PSIRT_PARSERS_AFFECTED_H

#include <stddef.h>

#define AFF_INPUT_MAX	1024
#define AFF_NAME_MAX	128	/* product, vendor: bytes, NUL included */
#define AFF_VER_MAX	64	/* a version, NUL included */
#define AFF_LIST_MAX	16
#define AFF_CASE_MAX	256	/* pairs a case holds: the documents made
				 * of them compare pairs with each other */

enum aff_status { AFF_AFFECTED, AFF_FIXED, AFF_NO_FIX, AFF_NOT_AFFECTED };
enum aff_kind { AFF_NONE, AFF_ALL, AFF_LIST, AFF_SPAN };

struct aff_bound {
	char	v[AFF_VER_MAX];
	int	set;		/* 0: unbounded */
	int	incl;		/* the bound itself is in the range */
};

struct affected {
	char		 product[AFF_NAME_MAX];
	char		 vendor[AFF_NAME_MAX];	/* "" when not stated */
	enum aff_kind	 kind;
	size_t		 nlist;
	char		 list[AFF_LIST_MAX][AFF_VER_MAX];
	struct aff_bound lo, hi;
	char		 fixed[AFF_VER_MAX];	/* "" when none */
	enum aff_status	 status;
	const char	*justification;		/* a CSAF flag label, or NULL */
};

/* Parse s[0..len): 0, or -1 and *why (malloc'd, one line). */
int		 affected_parse(const char *s, size_t len, struct affected *,
		    char **why);
/* The normalised text (malloc'd) that affected_parse reads back alike:
 * "product=P [vendor=V] affected=R [fixed=F] status=S [justification=J]". */
char		*affected_format(const struct affected *);
/* The range alone as it is written back ("<5.1.4", ">=5.0 <5.1.4",
 * "5.1.1,5.1.2", "*"), malloc'd. */
char		*affected_range(const struct affected *);
/* The range as a vers URI ("vers:generic/>=5.0|<5.1.4"), malloc'd. */
char		*affected_vers(const struct affected *);
/* 1 when the two pairs of one case contradict each other (*why), 0. */
int		 affected_conflict(const struct affected *,
		    const struct affected *, char **why);
/* The same product of the same vendor (the vendor "" is the default). */
int		 affected_same_product(const struct affected *,
		    const struct affected *);
/* Is version v in the range? */
int		 affected_contains(const struct affected *, const char *v);
int		 affected_vercmp(const char *, const char *);
/* "fixed", "affected", "no-fix-planned", "not-affected" */
const char	*affected_status_name(enum aff_status);

#endif
