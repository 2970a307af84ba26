/*
 * fuzz-header: libFuzzer target for the header helpers on one field
 * value: RFC 2047 text, addresses, message IDs, dates, RFC 2231
 * parameters, and the header block splitter (its cuts stay within the
 * limits and never move the body).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/header.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char		*s = (const char *)data;
	struct header_limits	 lim = { 4096, 100, 65536 };
	struct header_list	 hl;
	struct header_addr	 a;
	struct header_param	 ps[3];
	char			**ids, *t, *v;
	size_t			 n, off;

	t = header_decode_text(s, size, size & 1 ? "big5" : NULL);
	free(t);
	memset(&a, 0, sizeof(a));
	header_addr_parse(s, size, "iso-2022-jp", &a);
	header_addr_free(&a);
	n = header_msgids(s, size, 10, &ids);
	header_msgids_free(ids, n);
	(void)header_date_parse(s, size);
	/* the limits cut: never more fields or longer ones than they
	 * allow, and the body is where it is without them */
	header_split(s, size, &lim, &hl, &off);
	if (off > size || hl.count > lim.count_max)
		abort();
	for (n = 0; n < hl.count; n++)	/* name, colon (if named), value */
		if (strlen(hl.fields[n].name) + (hl.fields[n].name[0] !=
		    '\0') + hl.fields[n].value_len > lim.line_max)
			abort();
	header_list_free(&hl);
	header_split(s, size, NULL, &hl, &n);
	if (n != off)
		abort();
	header_list_free(&hl);
	v = malloc(size + 1);
	memcpy(v, data, size);
	v[size] = '\0';
	ps[0].name = "filename*0*";
	ps[0].value = v;
	ps[1].name = "filename*1";
	ps[1].value = v + size / 2;
	ps[2].name = "filename";
	ps[2].value = v;
	t = header_param_get(ps, 3, "filename", NULL);
	free(t);
	free(v);
	return 0;
}
