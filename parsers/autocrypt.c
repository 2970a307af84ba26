/*
 * autocrypt.c: parse an Autocrypt header. See autocrypt.h.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/b64.h"
#include "util/xmalloc.h"
#include "parsers/autocrypt.h"

int
autocrypt_parse(const char *s, size_t n, struct autocrypt *ac,
    const char **errstr)
{
	const char	*p = s, *end = s + n, *semi, *eq, *v;
	size_t		 nl, vl, k, blen;

	memset(ac, 0, sizeof(*ac));
	while (p < end) {
		while (p < end && isspace((unsigned char)*p))
			p++;
		if (p == end)
			break;
		semi = memchr(p, ';', (size_t)(end - p));
		if (semi == NULL)
			semi = end;
		eq = memchr(p, '=', (size_t)(semi - p));
		if (eq == NULL) {
			*errstr = "attribute without a value";
			goto bad;
		}
		nl = (size_t)(eq - p);
		while (nl > 0 && isspace((unsigned char)p[nl - 1]))
			nl--;
		v = eq + 1;
		vl = (size_t)(semi - v);
		while (vl > 0 && isspace((unsigned char)*v)) {
			v++;
			vl--;
		}
		while (vl > 0 && isspace((unsigned char)v[vl - 1]))
			vl--;
		if (nl == 4 && strncasecmp(p, "addr", 4) == 0) {
			/* no NUL (it would cut the address the caller
			 * compares) and no control (it goes into events) */
			for (k = 0; k < vl && (unsigned char)v[k] >= 0x20 &&
			    v[k] != 0x7f; k++)
				;
			if (ac->addr != NULL || vl == 0 || k < vl ||
			    memchr(v, '@', vl) == NULL) {
				*errstr = "bad or repeated addr";
				goto bad;
			}
			ac->addr = xstrndup(v, vl);
			for (k = 0; k < vl; k++)
				ac->addr[k] = (char)tolower(
				    (unsigned char)ac->addr[k]);
		} else if (nl == 14 &&
		    strncasecmp(p, "prefer-encrypt", 14) == 0)
			ac->mutual = vl == 6 && strncasecmp(v, "mutual", 6) == 0;
		else if (nl == 7 && strncasecmp(p, "keydata", 7) == 0) {
			char	*kd = NULL;

			if (ac->key != NULL || vl == 0) {
				*errstr = "bad or repeated keydata";
				goto bad;
			}
			if (b64_decode(v, vl, &kd, &blen) != 0 || blen == 0) {
				free(kd);
				*errstr = "keydata is not base64";
				goto bad;
			}
			ac->key = (unsigned char *)kd;
			ac->keylen = blen;
		} else if (nl == 0 || p[0] != '_') {
			*errstr = "unknown critical attribute";
			goto bad;
		}
		p = semi + 1;
	}
	if (ac->addr == NULL || ac->key == NULL) {
		*errstr = "addr or keydata missing";
		goto bad;
	}
	return 0;
bad:
	autocrypt_free(ac);
	return -1;
}

void
autocrypt_free(struct autocrypt *ac)
{
	free(ac->addr);
	free(ac->key);
	memset(ac, 0, sizeof(*ac));
}
