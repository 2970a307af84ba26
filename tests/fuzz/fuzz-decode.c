/*
 * fuzz-decode: libFuzzer target for header decoding with a charset the
 * sender names: charset conversion (parsers/charset.c), RFC 2047
 * encoded words and RFC 2231 parameters (parsers/header.c).
 *
 * Input: a charset label, a newline, then the bytes (no newline: no
 * label). The bytes are converted from the label (and, with the label
 * as the message's charset, read by the guesses), decoded as a field
 * value with the label as the message's charset, and read as the
 * parameters of a Content-Disposition, "name=value" separated by ';'
 * (so the fuzzer can write filename*0*=utf-8''..., filename*1=...).
 *
 * Aborts when a result breaks charset.h or header.h: text that is not
 * well-formed UTF-8, a NUL or a control other than TAB/LF/CR from
 * charset_to_utf8() (none at all, and trimmed, from the header
 * functions), or a length that is not the string's. (An empty result
 * for bytes is fine: an ISO 2022 escape or a BOM alone is no text.)
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "parsers/charset.h"
#include "parsers/header.h"
#include "tests/fuzz/fuzz.h"

#define MAXPARAMS	16

static size_t	split_params(char *, struct header_param *, size_t);

/* "a=b;c*0*=d;..." in place -> name/value pairs (value may be ""). */
static size_t
split_params(char *s, struct header_param *ps, size_t max)
{
	char	*semi, *eq;
	size_t	 n = 0;

	while (s != NULL && n < max) {
		if ((semi = strchr(s, ';')) != NULL)
			*semi++ = '\0';
		s += strspn(s, " \t\r\n");	/* as the MIME parser trims */
		if ((eq = strchr(s, '=')) != NULL) {
			*eq++ = '\0';
			ps[n].name = s;
			ps[n++].value = eq;
		}
		s = semi;
	}
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct header_param	 ps[MAXPARAMS];
	struct charset_ctx	 cx;
	struct buf		 notes;
	const char		*nl, *text = (const char *)data;
	char			*label = NULL, *u, *copy;
	size_t			 len = size, ulen, rep, n;

	if (size > 1 << 16)
		return 0;
	if ((nl = memchr(data, '\n', size)) != NULL) {
		label = fuzz_cstr(data, (size_t)(nl - text));
		text = nl + 1;
		len = size - (size_t)(text - (const char *)data);
	}

	(void)charset_known(label);
	u = charset_to_utf8(label, text, len, &ulen, &rep);
	fuzz_check_text(u, "\t\n\r");
	if (ulen != strlen(u))
		abort();
	free(u);

	/* the guesses with the label as the message's charset too, in
	 * the order of a zh-CN team; the notes are text as well */
	memset(&cx, 0, sizeof(cx));
	buf_init(&notes);
	cx.notes = &notes;
	cx.order = "gb18030 big5-hkscs cp949";
	charset_ctx_declare(&cx, label);
	u = charset_decode(&cx, size & 1 ? label : NULL, text, len, &ulen,
	    &rep);
	fuzz_check_text(u, "\t\n\r");
	fuzz_check_text(notes.s, "");
	if (ulen != strlen(u))
		abort();
	free(u);
	buf_free(&notes);

	u = header_decode_text(text, len, label);
	fuzz_check_trimmed(u);
	free(u);

	copy = fuzz_cstr((const uint8_t *)text, len);
	n = split_params(copy, ps, MAXPARAMS);
	u = header_param_get(ps, n, "filename", label);
	fuzz_check_trimmed(u);
	free(u);
	u = header_param_get(ps, n, "name", NULL);
	fuzz_check_trimmed(u);
	free(u);
	free(copy);
	free(label);
	return 0;
}
