/*
 * fuzz-affected: libFuzzer target for the affected-pair parser (staff
 * state products, ranges and fixed versions by signed mail). Aborts if
 * a promise of affected.h breaks: an error without a reason, or with a
 * control character in it; an accepted pair whose normal form does not
 * read back to itself; a pair that does not overlap itself.
 */
#include "tests/fuzz/fuzz.h"

#include "parsers/affected.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct affected	 a, b;
	const char	*c;
	char		*why = NULL, *n, *n2, *v;

	if (affected_parse((const char *)data, size, &a, &why) == -1) {
		if (why == NULL || *why == '\0')
			abort();
		for (c = why; *c != '\0'; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				abort();
		free(why);
		return 0;
	}
	if (why != NULL)
		abort();
	n = affected_format(&a);
	if (affected_parse(n, strlen(n), &b, &why) == -1)
		abort();
	n2 = affected_format(&b);
	if (strcmp(n, n2) != 0 || !affected_conflict(&a, &b, &why))
		abort();
	free(why);
	v = affected_vers(&a);
	if (strncmp(v, "vers:generic/", 13) != 0)
		abort();
	free(v);
	free(n);
	free(n2);
	return 0;
}
