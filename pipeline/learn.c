/*
 * learn.c: reporter keys, learnt without manual work.
 *
 * Sources: the Autocrypt header (its addr must be the From address),
 * OpenPGP keys attached or pasted in the message (unwrap.c collects
 * them), and the key or certificate of a valid signature by the From
 * address. gpg imports the key; it is kept only if it has the sender's
 * address as a user ID.
 * A key is pinned for the address only with proof: the message carries
 * a valid signature by that very key, and it opened a case or came to
 * the case's own reply address (not a follow-up that joined by its
 * Subject, References or From alone, which anyone can forge). The
 * first key so proven for an address and protocol is pinned (trust on
 * first use); any other key is recorded as offered (key-offered), or,
 * when another is pinned, as changed (key-changed), the team's intake
 * R is told once per address and key, and the key is used only after
 * `key pin` or a member's signed "#pin FINGERPRINT".
 * Trust: the key data is hostile; gpg parses it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent/agent.h"
#include "crypto/gpg.h"
#include "pipeline/job.h"
#include "util/log.h"
#include "out/notice.h"
#include "util/xmalloc.h"
#include "parsers/autocrypt.h"
#include "parsers/header.h"
#include "parsers/mime.h"
#include "spool/store.h"
#include "spool/store_keys.h"

static int	 case_event(struct job *, const char *, char **, const char *,
		    ...) __attribute__((format(printf, 4, 5)));
static int	 pin_key(struct job *, const char *, const char *,
		    const char *, int, char **);
static int	 learn_key(struct job *, const char *, size_t, const char *,
		    int, char **);
static int	 proven(const struct job *, int, const char *);
static int	 tell_team(struct job *, const char *, const char *,
		    const char *, char **);
static size_t	 import_quietly(struct job *, const char *, size_t);

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

/*
 * Does the message prove that its sender holds key fpr (NULL: the key
 * of its signature)? A valid signature by that key, on a message that
 * opened a case or came to the case's reply address.
 */
static int
proven(const struct job *j, int new_case, const char *fpr)
{
	if (!new_case && (j->thread_how == NULL ||
	    strcmp(j->thread_how, "the case's reply address") != 0))
		return 0;
	if (!j->u.has_sig || j->u.sig.status != SIG_VALID ||
	    j->u.sig.fingerprint == NULL)
		return 0;
	return fpr == NULL || strcasecmp(j->u.sig.fingerprint, fpr) == 0;
}

/* The intake's R told of a key offered or changed, once per address,
 * protocol and key (the store remembers the offer). */
static int
tell_team(struct job *j, const char *proto, const char *fpr,
    const char *what, char **errstr)
{
	char	*d;
	int	 r;

	if ((r = store_key_offer(j->a->st, j->m->from.addr, proto, fpr,
	    errstr)) != 1)
		return r == -1 ? -1 : 0;
	d = xasprintf("%s; use it only if %s confirms it: psirt-agent key "
	    "pin %s %s, or \"#pin %s\" in a signed mail to the case",
	    what, j->m->from.addr, j->m->from.addr, fpr, fpr);
	r = notice_intake(j->a, j->case_id, "key-notice",
	    "offered a key that is not used", d, errstr);
	free(d);
	return r;
}

/* Pin fpr for the sender (trust on first use) when the message proves
 * it; else record the offer, or flag a changed key. */
static int
pin_key(struct job *j, const char *proto, const char *fpr,
    const char *source, int proof, char **errstr)
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
		if (rv == 0)
			rv = tell_team(j, proto, fpr, d, errstr);
	} else if (r == 0 && !proof) {
		d = xasprintf("%s offers %s key %s (%s), not pinned: the "
		    "message is not signed by that key, or it joined the "
		    "case by headers anyone can forge; the key is used only "
		    "once pinned (psirt-agent key pin %s %s)", addr, proto,
		    fpr, source, addr, fpr);
		log_warnx("%s", d);
		rv = store_event_add(j->a->st, j->case_id, "key-offered", d,
		    "agent", errstr);
		if (rv == 0)
			rv = tell_team(j, proto, fpr, d, errstr);
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
    int new_case, char **errstr)
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
		    proven(j, new_case, fprs[i]), errstr) :
		    case_event(j, "key-rejected", errstr,
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
learn_keys(struct job *j, int new_case, char **errstr)
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
		    "Autocrypt header", new_case, errstr) == -1) {
			autocrypt_free(&ac);
			return -1;
		}
		autocrypt_free(&ac);
	}
	for (i = 0; i < j->u.nkeys; i++)
		if (learn_key(j, j->u.keys[i], j->u.keylens[i],
		    "attached key", new_case, errstr) == -1)
			return -1;
	if (j->u.has_sig && j->u.sig.status == SIG_VALID &&
	    j->u.sig.fingerprint && unwrap_from_matches(&j->u, addr))
		return pin_key(j, j->u.sig.proto, j->u.sig.fingerprint,
		    "valid signature", proven(j, new_case, NULL), errstr);
	return 0;
}

/* Keys into the keyring, trusting nothing: how many; a key that does
 * not import is learn_key's to report, later. */
static size_t
import_quietly(struct job *j, const char *data, size_t len)
{
	char	**fprs = NULL, *err = NULL;
	size_t	  nf = 0;
	int	  n;

	if (gpg_import(j->a->gpg, GPG_PGP, data, len, &n, &fprs, &nf,
	    &err) == 0)
		strv_free(fprs, nf);
	else
		nf = 0;
	free(err);
	return nf;
}

/*
 * Before the signatures are checked: the keys of the Autocrypt headers
 * that name the From address go into the keyring, so that a message
 * signed with the key it offers can prove it (learn_keys). Importing
 * trusts nothing: only pins and the policy's keys are used. Only for
 * messages that may carry a signature.
 */
void
learn_preimport(struct job *j)
{
	const struct header_field	*f;
	struct autocrypt		 ac;
	const char			*why, *addr = j->m->from.addr;
	size_t				 i;

	if (addr == NULL || j->a->gpg == NULL ||
	    (memmem(j->qm.data, j->qm.len, "signed", 6) == NULL &&
	    memmem(j->qm.data, j->qm.len, "SIGNED", 6) == NULL &&
	    memmem(j->qm.data, j->qm.len, "encrypted", 9) == NULL))
		return;
	for (i = 0; (f = header_get(&j->m->hdr, "Autocrypt", i)) != NULL;
	    i++) {
		if (autocrypt_parse(f->value, f->value_len, &ac, &why) == -1)
			continue;
		if (strcasecmp(ac.addr, addr) == 0)
			import_quietly(j, (char *)ac.key, ac.keylen);
		autocrypt_free(&ac);
	}
}

/*
 * After the signatures were checked: a signature by a key the message
 * carries itself (attached, or pasted) found no key. Import those keys
 * (trusting nothing, as above); the caller checks once more. Returns
 * how many keys were imported.
 */
int
learn_import_attached(struct job *j)
{
	size_t	i, total = 0;

	if (j->a->gpg == NULL)
		return 0;
	for (i = 0; i < j->u.nkeys; i++)
		total += import_quietly(j, j->u.keys[i], j->u.keylens[i]);
	return (int)total;
}
