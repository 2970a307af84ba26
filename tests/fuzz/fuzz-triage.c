/*
 * fuzz-triage: libFuzzer target for the triage extractors (CVE, CWE,
 * CVSS, TLP, kind, level) on a report's text, the first line as its
 * subject. Aborts when a result breaks the contract: more items than
 * the limit, a CVSS score out of range, a level out of 1..4.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"
#include "parsers/charset.h"
#include "parsers/triage.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct triage	 t;
	char		*text, *nl, *err = NULL;
	size_t		 i;

	if (size > 1 << 20)
		return 0;
	/* the pipeline hands over valid UTF-8 (charset.c) */
	text = charset_to_utf8("utf-8", (const char *)data, size, NULL, NULL);
	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	if (triage_extract(text, nl ? nl + 1 : "", 8, &t, &err) == -1)
		free(err);
	/* the two CVE lists share the limit and never share an ID */
	if (t.ncves + t.ncves_mentioned > 8 || t.ncwes > 8 || t.ncvss > 8 || t.level < 0 ||
	    t.level > 4 || t.tlp > TLP_RED)
		abort();
	for (i = 0; i < t.ncves * t.ncves_mentioned; i++)
		if (strcmp(t.cves[i / t.ncves_mentioned],
		    t.cves_mentioned[i % t.ncves_mentioned]) == 0)
			abort();
	for (i = 0; i < t.ncvss; i++)
		if (t.cvss[i].score10 < 0 || t.cvss[i].score10 > 100)
			abort();
	triage_free(&t);
	free(text);
	return 0;
}
