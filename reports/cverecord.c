/*
 * cverecord.c: CVE JSON 5.x CNA containers. See cverecord.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/affected.h"
#include "parsers/cvss.h"
#include "reports/cverecord.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/xmalloc.h"

/* The record format's limits (CVE_Record_Format 5.1), in bytes: the
 * schema counts characters, and a byte count is never fewer. */
#define CVE_TITLE_MAX	256
#define CVE_TEXT_MAX	4096
#define CVE_VENDOR_MAX	512
#define CVE_PRODUCT_MAX	2048
#define CVE_URL_MAX	2048
#define CVE_REFS_MAX	512
#define CVE_CWE_MAX	9

static int
too_long(const char *field, const char *s, size_t max, char **errstr)
{
	if (s == NULL || strlen(s) <= max)
		return 0;
	*errstr = xasprintf("%s: %zu bytes, the CVE record format allows %zu "
	    "(a record is published as written: shorten it rather than have "
	    "it cut)", field, strlen(s), max);
	return 1;
}

static int
check(const struct cve_in *in, char **errstr)
{
	size_t	i;

	if (too_long("title", in->title, CVE_TITLE_MAX, errstr) ||
	    too_long("vendor", in->vendor, CVE_VENDOR_MAX, errstr) ||
	    too_long("remediation (solutions)", in->solution, CVE_TEXT_MAX,
	    errstr) || too_long("mitigation and workaround (workarounds)",
	    in->workaround, CVE_TEXT_MAX, errstr))
		return -1;
	for (i = 0; i < in->ncredits; i++)
		if (too_long("credit", in->credits[i], CVE_TEXT_MAX, errstr))
			return -1;
	for (i = 0; i < in->ndesc; i++)
		if (too_long(i ? "description" : "summary (the English "
		    "description)", in->desc[i].text, CVE_TEXT_MAX, errstr))
			return -1;
	for (i = 0; i < in->naf; i++)
		if (too_long("vendor", in->af[i].vendor, CVE_VENDOR_MAX,
		    errstr) || too_long("product", in->af[i].product,
		    CVE_PRODUCT_MAX, errstr))
			return -1;
	for (i = 0; i < in->nrefs; i++)
		if (too_long("reference", in->refs[i], CVE_URL_MAX, errstr))
			return -1;
	for (i = 0; i < in->ncwe; i++)
		if (too_long("cwe", in->cwe[i].id, CVE_CWE_MAX, errstr) ||
		    too_long("cwe name", in->cwe[i].name, CVE_TEXT_MAX -
		    CVE_CWE_MAX - 1, errstr))
			return -1;
	if (in->nrefs > CVE_REFS_MAX) {
		*errstr = xasprintf("references: %zu, the CVE record format "
		    "allows %d", in->nrefs, CVE_REFS_MAX);
		return -1;
	}
	return 0;
}

static const char *
vendor_of(const struct cve_in *in, const struct affected *af)
{
	return af->vendor[0] ? af->vendor : in->vendor;
}

static void
version(struct json *j, const char *v, const char *status)
{
	json_obj_begin(j);
	json_kstr(j, "status", status);
	json_kstr(j, "version", v);
	json_obj_end(j);
}

/* One pair's versions: a list as single versions, a range as
 * version/lessThan[OrEqual] (an open end is "*"), the fixed version
 * unaffected. An excluded lower bound (">5.0") is "unknown" on its own
 * before the range, which would otherwise include it. */
static void
pair_versions(struct json *j, const struct affected *af)
{
	const char	*st = af->status == AFF_NOT_AFFECTED ? "unaffected" :
			    "affected";
	size_t		 i;

	switch (af->kind) {
	case AFF_LIST:
		for (i = 0; i < af->nlist; i++)
			version(j, af->list[i], st);
		break;
	default:
		if (af->kind == AFF_SPAN && af->lo.set && !af->lo.incl)
			version(j, af->lo.v, "unknown");
		json_obj_begin(j);
		if (af->kind == AFF_SPAN && af->hi.set)
			json_kstr(j, af->hi.incl ? "lessThanOrEqual" :
			    "lessThan", af->hi.v);
		else
			json_kstr(j, "lessThan", "*");
		json_kstr(j, "status", st);
		json_kstr(j, "version", af->kind == AFF_SPAN && af->lo.set ?
		    af->lo.v : "0");
		json_kstr(j, "versionType", "custom");
		json_obj_end(j);
	}
	if (af->fixed[0])
		version(j, af->fixed, "unaffected");
}

/* A product per vendor and product, in the order first stated. */
static void
affected(struct json *j, const struct cve_in *in)
{
	size_t	i, k, x;

	json_key(j, "affected");
	json_arr_begin(j);
	for (i = 0; i < in->naf; i++) {
		for (x = 0; x < i && (strcmp(in->af[x].product,
		    in->af[i].product) || strcmp(vendor_of(in, &in->af[x]),
		    vendor_of(in, &in->af[i]))); x++)
			;
		if (x < i)
			continue;
		json_obj_begin(j);
		json_kstr(j, "defaultStatus", "unknown");
		json_kstr(j, "product", in->af[i].product);
		json_kstr(j, "vendor", vendor_of(in, &in->af[i]));
		json_key(j, "versions");
		json_arr_begin(j);
		for (k = i; k < in->naf; k++)
			if (strcmp(in->af[k].product, in->af[i].product) ==
			    0 && strcmp(vendor_of(in, &in->af[k]),
			    vendor_of(in, &in->af[i])) == 0)
				pair_versions(j, &in->af[k]);
		json_arr_end(j);
		json_obj_end(j);
	}
	json_arr_end(j);
}

static void
metric(struct json *j, const struct cve_cvss *c)
{
	char	key[32], ver[32], sc[32], sev[16];
	size_t	i;

	snprintf(key, sizeof(key), "cvssV%d_%d", c->version / 10,
	    c->version % 10);
	snprintf(ver, sizeof(ver), "%d.%d", c->version / 10, c->version % 10);
	snprintf(sc, sizeof(sc), "%d.%d", c->score10 / 10, c->score10 % 10);
	snprintf(sev, sizeof(sev), "%s", cvss_severity(c->score10));
	for (i = 0; sev[i]; i++)
		if (sev[i] >= 'a' && sev[i] <= 'z')
			sev[i] = (char)(sev[i] - 'a' + 'A');
	json_obj_begin(j);
	json_kstr(j, "format", "CVSS");
	json_key(j, key);
	json_obj_begin(j);
	json_key(j, "baseScore");
	json_raw(j, sc);
	json_kstr(j, "baseSeverity", sev);
	json_kstr(j, "vectorString", c->vector);
	json_kstr(j, "version", ver);
	json_obj_end(j);
	json_obj_end(j);
}

static void
english(struct json *j, const char *key, const char *text)
{
	json_key(j, key);
	json_arr_begin(j);
	json_obj_begin(j);
	json_kstr(j, "lang", "en");
	json_kstr(j, "value", text);
	json_obj_end(j);
	json_arr_end(j);
}

static void
container(struct json *j, const struct cve_in *in)
{
	size_t	i;
	char	*d;

	json_obj_begin(j);
	affected(j, in);
	if (in->ncredits) {
		json_key(j, "credits");
		json_arr_begin(j);
		for (i = 0; i < in->ncredits; i++) {
			json_obj_begin(j);
			json_kstr(j, "lang", "en");
			json_kstr(j, "type", "finder");
			json_kstr(j, "value", in->credits[i]);
			json_obj_end(j);
		}
		json_arr_end(j);
	}
	if (in->date_public)
		json_kstr(j, "datePublic", in->date_public);
	json_key(j, "descriptions");
	json_arr_begin(j);
	for (i = 0; i < in->ndesc; i++) {
		json_obj_begin(j);
		json_kstr(j, "lang", in->desc[i].lang);
		json_kstr(j, "value", in->desc[i].text);
		json_obj_end(j);
	}
	json_arr_end(j);
	if (in->ncvss) {
		json_key(j, "metrics");
		json_arr_begin(j);
		for (i = 0; i < in->ncvss; i++)
			metric(j, &in->cvss[i]);
		json_arr_end(j);
	}
	if (in->ncwe) {
		json_key(j, "problemTypes");
		json_arr_begin(j);
		for (i = 0; i < in->ncwe; i++) {
			json_obj_begin(j);
			json_key(j, "descriptions");
			json_arr_begin(j);
			json_obj_begin(j);
			json_kstr(j, "cweId", in->cwe[i].id);
			d = in->cwe[i].name ? xasprintf("%s %s", in->cwe[i].id,
			    in->cwe[i].name) : xstrdup(in->cwe[i].id);
			json_kstr(j, "description", d);
			free(d);
			json_kstr(j, "lang", "en");
			json_kstr(j, "type", "CWE");
			json_obj_end(j);
			json_arr_end(j);
			json_obj_end(j);
		}
		json_arr_end(j);
	}
	json_key(j, "providerMetadata");
	json_obj_begin(j);
	json_kstr(j, "orgId", in->org_id);
	if (in->short_name)
		json_kstr(j, "shortName", in->short_name);
	json_obj_end(j);
	json_key(j, "references");
	json_arr_begin(j);
	for (i = 0; i < in->nrefs; i++) {
		json_obj_begin(j);
		json_kstr(j, "url", in->refs[i]);
		json_obj_end(j);
	}
	json_arr_end(j);
	if (in->solution)
		english(j, "solutions", in->solution);
	if (in->title)
		json_kstr(j, "title", in->title);
	if (in->workaround)
		english(j, "workarounds", in->workaround);
	json_obj_end(j);
}

int
cve_record(const struct cve_in *in, struct buf *out, char **errstr)
{
	struct json	j;
	size_t		i;

	if (check(in, errstr) == -1)
		return -1;
	json_init(&j, out);
	json_arr_begin(&j);
	for (i = 0; i < in->ncves; i++) {
		json_obj_begin(&j);
		json_key(&j, "cnaContainer");
		container(&j, in);
		json_kstr(&j, "cveId", in->cves[i]);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	buf_putc(out, '\n');
	return 0;
}
