/*
 * cverecord: a case as CVE JSON 5.x records (record format 5.1), the
 * part a CNA publishes: for each CVE ID, the CNA container.
 *
 * The output is one JSON array, an element per CVE of the case in the
 * order stated: {"cveId": ID, "cnaContainer": {...}}. Without "cveId"
 * an element is the body CVE Services takes for that ID (PUT
 * /cve/ID/cna) and validates against the format's
 * cnaPublishedContainer schema; with a cveMetadata beside it, the
 * container is a full record's containers.cna.
 *
 * The container: providerMetadata (orgId, shortName: the policy's
 * cna-org-id and cna-short-name), title, descriptions (one per
 * language, English first, which the format requires), affected (a
 * product per vendor and product, its versions from the affected pairs:
 * "affected" or "unaffected", a range as version/lessThan[OrEqual] with
 * versionType "custom", a fixed version as "unaffected", a pair for
 * every version as the product's defaultStatus), problemTypes (the
 * CWEs), metrics (cvssV3_0, cvssV3_1, cvssV4_0), references, credits
 * (the reporter, type finder), solutions and workarounds (English),
 * datePublic once disclosed.
 *
 * A field longer than the format allows (title 256 bytes, a
 * description 4096, a vendor 512, a product 2048, a URL 2048, the
 * credit 4096, more than 512 references, a CWE ID of more than 9
 * characters) is refused, never cut: a record is published as written,
 * and a text cut short can say something else. *errstr names the field
 * and the limit.
 */
#ifndef PSIRT_REPORTS_CVERECORD_H
#define PSIRT_REPORTS_CVERECORD_H

#include <stddef.h>

#include "parsers/affected.h"
#include "util/buf.h"

struct cve_text {
	const char	*lang;
	const char	*text;
};

struct cve_cwe {
	const char	*id;		/* "CWE-78" */
	const char	*name;		/* or NULL */
};

struct cve_cvss {
	int		 version;	/* 30, 31, 40 */
	int		 score10;
	const char	*vector;
};

struct cve_in {
	const char		*org_id, *short_name;
	const char *const	*cves;
	size_t			 ncves;
	const char		*title;
	const struct cve_text	*desc;		/* desc[0] in English */
	size_t			 ndesc;
	const struct affected	*af;
	size_t			 naf;
	const char		*vendor;	/* of a pair without one */
	const struct cve_cwe	*cwe;
	size_t			 ncwe;
	const struct cve_cvss	*cvss;
	size_t			 ncvss;
	const char *const	*refs;
	size_t			 nrefs;
	const char *const	*credits;	/* one per finder named */
	size_t			 ncredits;
	const char		*solution;	/* or NULL */
	const char		*workaround;	/* or NULL */
	const char		*date_public;	/* ISO 8601, or NULL */
};

/* Append the records to out: 0, or -1 and *errstr (a field too long). */
int	cve_record(const struct cve_in *, struct buf *out, char **errstr);

#endif
