/*
 * fuzz-template: libFuzzer target for template parsing and rendering
 * with hostile variable values (the input is both).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policies/template.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct template	*t;
	struct tvar	 v[2];
	char		*val, *s = NULL, *b = NULL, *err = NULL;

	if (template_parse("fuzz", (const char *)data, size, &t, &err) == -1) {
		free(err);
		return 0;
	}
	val = malloc(size + 1);
	memcpy(val, data, size);
	val[size] = '\0';
	v[0].name = "subject";
	v[0].value = val;
	v[1].name = "case_id";
	v[1].value = val;
	if (template_render(t, v, 2, 65536, &s, &b, &err) == 0) {
		if (s != NULL && (strchr(s, '\n') || strchr(s, '\r')))
			abort();	/* a header line could be injected */
		free(s);
		free(b);
	} else
		free(err);
	free(val);
	template_free(&t);
	return 0;
}
