/*
 * learn.c: reporter keys, learnt without manual work.
 *
 * Sources: the Autocrypt header (its addr must be the From address),
 * OpenPGP keys attached or pasted in the message (unwrap.c collects
 * them), and the key or certificate of a valid signature by the From
 * address. gpg imports the key; it is kept only if it has the sender's
 * address as a user ID. The first key seen for an address and protocol
 * is pinned (trust on first use); another one later is recorded as a
 * key-changed event and not used until an operator pins it.
 * Trust: the key data is hostile; gpg parses it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent/agent.h"
#include "agent/gpg.h"
#include "agent/job.h"
#include "agent/log.h"
#include "agent/util/xmalloc.h"
#include "parsers/autocrypt.h"
#include "parsers/header.h"
#include "parsers/mime.h"
#include "spool/store.h"

static int	 case_event(struct job *, const char *, char **, const char *,
		    ...) __attribute__((format(printf, 4, 5)));
static int	 pin_key(struct job *, const char *, const char *,
		    const char *, char **);
static int	 learn_key(struct job *, const char *, size_t, const char *,
		    char **);

/* An event on the job's case, its detail formatted. */
static int
case_event(struct job *j, const char *type, char **errstr, const char *fmt,
    ...)
{
	va_list	 ap;
	char	*d;
	int	 rv;

	va_start(ap, fmt);
	if (vasprintf(&d, fmt, ap) == -1) {
		va_end(ap);
		*errstr = xstrdup("out of memory");
		return -1;
	}
	va_end(ap);
	rv = store_event_add(j->a->st, j->case_id, type, d, "agent", errstr);
	free(d);
	return rv;
}

/* Pin fpr for the sender (trust on first use), or flag a changed key. */
static int
pin_key(struct job *j, const char *proto, const char *fpr,
    const char *source, char **errstr)
{
	const char	*addr = j->m->from.addr;
	char		*old = NULL, *d;
	int		 r, rv;

	if ((r = store_pin_get(j->a->st, addr, proto, &old, errstr)) == -1)
		return -1;
	if (r == 1 && strcasecmp(old, fpr) != 0) {
		d = xasprintf("%s offers %s key %s (%s), but %s is pinned: "
		    "the new key is not used until an operator pins it "
		    "(psirt-agent key pin %s %s)", addr, proto, fpr, source,
		    old, addr, fpr);
		log_warnx("%s", d);
		rv = store_event_add(j->a->st, j->case_id, "key-changed", d,
		    "agent", errstr);
	} else {
		rv = store_pin_set(j->a->st, addr, proto, fpr, source, errstr);
		d = xasprintf("%s key %s pinned for %s (%s)", proto, fpr, addr,
		    source);
		if (rv == 0 && r == 0) {
			log_info("%s", d);
			rv = store_event_add(j->a->st, j->case_id,
			    "key-learned", d, "agent", errstr);
		}
	}
	free(d);
	free(old);
	return rv;
}

/* Keys offered in a message: import them, keep those for the sender. */
static int
learn_key(struct job *j, const char *data, size_t len, const char *source,
    char **errstr)
{
	char	**fprs = NULL, *why = NULL;
	size_t	  nf = 0, i;
	int	  n, rv = 0;

	if (gpg_import(j->a->gpg, GPG_PGP, data, len, &n, &fprs, &nf,
	    &why) == -1) {
		rv = case_event(j, "key-rejected", errstr,
		    "%s: not a usable OpenPGP key: %s", source, why);
		free(why);
		return rv;
	}
	for (i = 0; i < nf && rv == 0; i++)
		rv = gpg_key_has_addr(j->a->gpg, GPG_PGP, fprs[i],
		    j->m->from.addr) ? pin_key(j, "pgp", fprs[i], source,
		    errstr) : case_event(j, "key-rejected", errstr,
		    "%s: key %s has no user ID for %s", source, fprs[i],
		    j->m->from.addr);
	strv_free(fprs, nf);
	return rv;
}

/*
 * Reporter keys, learnt without manual work: the Autocrypt header (its
 * addr must be the From address), attached keys, and the key of a valid
 * signature by the From address (S/MIME: its certificate).
 */
int
learn_keys(struct job *j, char **errstr)
{
	const struct header_field	*f;
	struct autocrypt		 ac;
	const char			*why, *addr = j->m->from.addr;
	size_t				 i;
	int				 r;

	if (addr == NULL || j->a->gpg == NULL || j->cls.kind != MAIL_PERSON)
		return 0;
	for (i = 0; (f = header_get(&j->m->hdr, "Autocrypt", i)) != NULL;
	    i++) {
		if (autocrypt_parse(f->value, f->value_len, &ac, &why) == -1) {
			if (case_event(j, "key-rejected", errstr,
			    "Autocrypt header ignored: %s", why) == -1)
				return -1;
			continue;
		}
		if (strcasecmp(ac.addr, addr) != 0) {
			r = case_event(j, "key-rejected", errstr,
			    "Autocrypt header ignored: addr %s is not the From "
			    "address", ac.addr);
			autocrypt_free(&ac);
			if (r == -1)
				return -1;
			continue;
		}
		if (learn_key(j, (char *)ac.key, ac.keylen,
		    "Autocrypt header", errstr) == -1) {
			autocrypt_free(&ac);
			return -1;
		}
		autocrypt_free(&ac);
	}
	for (i = 0; i < j->u.nkeys; i++)
		if (learn_key(j, j->u.keys[i], j->u.keylens[i],
		    "attached key", errstr) == -1)
			return -1;
	if (j->u.has_sig && j->u.sig.status == SIG_VALID &&
	    j->u.sig.fingerprint && unwrap_from_matches(&j->u, addr))
		return pin_key(j, j->u.sig.proto, j->u.sig.fingerprint,
		    "valid signature", errstr);
	return 0;
}
