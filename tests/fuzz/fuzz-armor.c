/*
 * fuzz-armor: libFuzzer target for the OpenPGP armour finder and the
 * Autocrypt header parser (both read hostile mail text).
 */
#include <stddef.h>
#include <stdint.h>

#include "parsers/armor.h"
#include "parsers/autocrypt.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char		*s = (const char *)data;
	struct armor_block	*b;
	struct autocrypt	 ac;
	const char		*why;
	size_t			 n, i, sum = 0;

	n = armor_find(s, size, 16, &b);
	for (i = 0; i < n; i++)
		sum += b[i].textlen + b[i].off + b[i].len;
	armor_free(b, n);
	(void)armor_is_openpgp(s, size);
	if (autocrypt_parse(s, size, &ac, &why) == 0)
		autocrypt_free(&ac);
	return sum == (size_t)-1;
}
