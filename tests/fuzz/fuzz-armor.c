/*
 * fuzz-armor: libFuzzer target for the OpenPGP armour finder and the
 * Autocrypt header parser (both read hostile mail text). Aborts when an
 * accepted Autocrypt header has no address with '@' (a NUL cut it), an
 * address with capitals or controls, or no key data, or when a refused
 * one has no reason or leaves memory behind in the struct.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/armor.h"
#include "parsers/autocrypt.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char		*s = (const char *)data;
	struct armor_block	*b;
	struct autocrypt	 ac;
	const char		*why = NULL;
	size_t			 n, i, sum = 0;

	n = armor_find(s, size, 16, &b);
	for (i = 0; i < n; i++)
		sum += b[i].textlen + b[i].off + b[i].len;
	armor_free(b, n);
	(void)armor_is_openpgp(s, size);
	if (autocrypt_parse(s, size, &ac, &why) == 0) {
		/* autocrypt.h: a lowercased addr and decoded key data */
		if (ac.addr == NULL || strchr(ac.addr, '@') == NULL ||
		    ac.key == NULL || ac.keylen == 0)
			abort();
		/* it goes into events and `case show`: no controls */
		for (i = 0; ac.addr[i] != '\0'; i++)
			if ((ac.addr[i] >= 'A' && ac.addr[i] <= 'Z') ||
			    (unsigned char)ac.addr[i] < 0x20 ||
			    ac.addr[i] == 0x7f)
				abort();
		autocrypt_free(&ac);
	} else if (why == NULL || ac.addr != NULL || ac.key != NULL)
		abort();
	return sum == (size_t)-1;
}
