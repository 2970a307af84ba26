/*
 * fuzz.h: what the fuzz targets share. A target checks the promises of
 * the API it drives and calls abort() when one is broken, so that
 * libFuzzer keeps the input as a crash like any memory error.
 */
#ifndef PSIRT_TESTS_FUZZ_H
#define PSIRT_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/charset.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The input as a C string (it may hold NULs: the string ends there). */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char	*s = malloc(size + 1);

	if (s == NULL)
		abort();
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/*
 * s (if not NULL) is well-formed UTF-8 without a C0 control other than
 * those listed in ok: what every parser promises for text it derived
 * from mail, since the text is later logged, stored and put in headers.
 */
static inline void
fuzz_check_text(const char *s, const char *ok)
{
	const unsigned char	*p;

	if (s == NULL)
		return;
	if (!charset_is_utf8(s, strlen(s)))
		abort();
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 && strchr(ok, *p) == NULL)
			abort();
}

/* ... and neither starts nor ends with a space (trimmed). */
static inline void
fuzz_check_trimmed(const char *s)
{
	size_t	n;

	if (s == NULL)
		return;
	fuzz_check_text(s, "");
	n = strlen(s);
	if (n > 0 && (s[0] == ' ' || s[n - 1] == ' '))
		abort();
}

#endif
