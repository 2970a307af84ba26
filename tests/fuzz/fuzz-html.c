/*
 * fuzz-html: libFuzzer target for the HTML-to-text reduction
 * (parsers/html.c) of a text/html body. The pipeline hands it what
 * charset_to_utf8() made of the part, so the target does the same.
 *
 * Aborts when the text is not well-formed UTF-8, holds a control other
 * than TAB or LF (line breaks and blanks are its own, references to
 * controls become U+FFFD), or is longer than the HTML: every reference
 * and tag it replaces is longer than what it puts in their place.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/charset.h"
#include "parsers/html.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*html, *text;
	size_t	 len;

	if (size > 1 << 20)
		return 0;
	html = charset_to_utf8("utf-8", (const char *)data, size, &len, NULL);
	text = html_to_text(html, len);
	fuzz_check_text(text, "\t\n");
	if (strlen(text) > len)
		abort();
	free(text);
	free(html);
	return 0;
}
