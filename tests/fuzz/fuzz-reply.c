/*
 * fuzz-reply: libFuzzer target for what out/reply.c does with a
 * reporter's text in a reply: header_encode() puts the subject
 * (through the template) into the Subject field, reply_quote() quotes
 * the report, reply_addr_ok() decides whether an address may be
 * written to at all. The text is what charset_to_utf8() made of the
 * input, as in the pipeline.
 *
 * Aborts when a header could be injected or broken: a CR, a control or
 * an 8-bit byte in it, a line break not followed by a blank (a new
 * field instead of folding), no final line break, an encoded word over
 * 75 characters; when the quote of UTF-8 is not UTF-8 or has more lines
 * than asked for; when an accepted address has no '@', a blank, a
 * control, an 8-bit byte or a special; when a header line is longer
 * than RFC 5322's 998 bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "out/reply.h"
#include "parsers/encode.h"
#include "parsers/charset.h"
#include "tests/fuzz/fuzz.h"

#define QUOTE_LINES	20
#define QUOTE_BYTES	4096

static void	check_header(const char *);
static void	check_quote(const char *);
static void	check_addr(const char *);

static void
check_header(const char *h)
{
	const unsigned char	*p = (const unsigned char *)h;
	const char		*w, *e;
	size_t			 n = strlen(h);

	if (strncmp(h, "Subject: ", 9) != 0 || n < 10 || h[n - 1] != '\n')
		abort();
	for (w = h; *p != '\0'; p++) {
		if ((*p < 0x20 && *p != '\n') || *p >= 0x7f ||
		    (*p == '\n' && p[1] != '\0' && p[1] != ' ' &&
		    p[1] != '\t'))
			abort();
		if (*p == '\n') {
			if ((const char *)p - w > 998)
				abort();
			w = (const char *)p + 1;
		}
	}
	for (w = h; (w = strstr(w, "=?UTF-8?B?")) != NULL; w = e) {
		if ((e = strstr(w + 10, "?=")) == NULL || e + 2 - w > 75)
			abort();
		e += 2;
	}
}

static void
check_quote(const char *q)
{
	const char	*p;
	size_t		 lines = 1;

	fuzz_check_text(q, "\t\n\r");
	for (p = q; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	if (q[0] != '\0' && lines > QUOTE_LINES + 1)
		abort();
}

static void
check_addr(const char *a)
{
	const unsigned char	*p;

	if (!reply_addr_ok(a))
		return;
	if (strchr(a, '@') == NULL)
		abort();
	for (p = (const unsigned char *)a; *p != '\0'; p++)
		if (*p <= ' ' || *p >= 0x7f || strchr("<>()[]\\,;:\"", *p))
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*text, *s, *raw;

	if (size > 1 << 16)
		return 0;
	text = charset_to_utf8("utf-8", (const char *)data, size, NULL, NULL);
	s = header_encode("Subject", text);
	check_header(s);
	free(s);
	s = reply_quote(text, QUOTE_LINES, QUOTE_BYTES);
	check_quote(s);
	free(s);
	raw = fuzz_cstr(data, size);
	check_addr(raw);
	free(raw);
	free(text);
	return 0;
}
