/*
 * fuzz-cvss: libFuzzer target for the CVSS vector parser (reporters
 * write vectors in mail), with and without CVSS_BARE. Aborts if an
 * accepted vector breaks the API contract: score out of 0..100, stored
 * vector not accepted again with the same score, or an error without a
 * reason in one line of printable ASCII.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/cvss.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*s = (const char *)data, *nul, *c;
	struct cvss	 cv, again;
	char		*err;
	int		 flags;

	for (flags = 0; flags <= CVSS_BARE; flags += CVSS_BARE) {
		err = NULL;
		if (cvss_parse(s, size, flags, &cv, &err) == -1) {
			if (err == NULL || *err == '\0')
				abort();
			/* one line of printable ASCII, whatever the input */
			for (c = err; *c != '\0'; c++)
				if (*c < 0x20 || *c > 0x7e)
					abort();
			free(err);
			continue;
		}
		if (err != NULL || cv.score10 < 0 || cv.score10 > 100 ||
		    (cv.version != 30 && cv.version != 31 && cv.version != 40))
			abort();
		(void)cvss_severity(cv.score10);
		nul = memchr(cv.vector, '\0', sizeof(cv.vector));
		if (nul == NULL ||
		    cvss_parse(cv.vector, (size_t)(nul - cv.vector), 0, &again,
		    NULL) == -1 ||
		    again.score10 != cv.score10 ||
		    again.version != cv.version ||
		    strcmp(again.vector, cv.vector) != 0)
			abort();
	}
	return 0;
}
