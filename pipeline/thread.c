/*
 * thread.c: follow-up -> case.
 *
 * Rules, in order: (1) every "[...]" token of the Subject that names an
 * existing case (case-insensitive); a tag for a case that does not exist
 * is ignored; (2) the IDs given, in order (the caller passes
 * In-Reply-To first, then References), looked up among stored
 * Message-IDs, including our own replies; a stored message outside any
 * case does not count.
 * Then who may join: thread_participant() (the sender takes part in the
 * case), thread_token() (the case's own reply address), thread_named()
 * (a stranger's new case, linked to the one it named).
 * Trust: the subject and IDs are reporter input; they are only used as
 * bound SQL parameters, and tags are length-checked.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "agent/agent.h"
#include "agent/config.h"
#include "pipeline/job.h"
#include "util/log.h"
#include "pipeline/thread.h"
#include "util/hash.h"
#include "parsers/header.h"
#include "parsers/mime.h"
#include "policies/policy.h"
#include "policies/raci.h"
#include "util/xmalloc.h"
#include "spool/store.h"
#include "spool/store_case.h"
#include "spool/store_msg.h"
#include "spool/store_keys.h"

#define TAG_MAX	64

int
thread_find(struct store *st, const char *subject, char *const *refs,
    size_t nrefs, char **case_id, const char **how, char **errstr)
{
	struct store_case	 c;
	const char		*p, *e, *s, *t;
	char			 tag[TAG_MAX];
	size_t			 i, n;
	int			 r;

	*case_id = NULL;
	*how = NULL;
	for (p = subject; p && (p = strchr(p, '[')) != NULL; p = e) {
		if ((e = strchr(p + 1, ']')) == NULL)
			break;
		s = p + 1;
		t = e;
		while (s < t && *s == ' ')
			s++;
		while (t > s && t[-1] == ' ')
			t--;
		n = (size_t)(t - s);
		if (n == 0 || n >= TAG_MAX)
			continue;
		memcpy(tag, s, n);
		tag[n] = '\0';
		if ((r = store_case_get(st, tag, &c, errstr)) == -1)
			return -1;
		if (r == 1) {
			*case_id = c.id;
			c.id = NULL;
			store_case_free(&c);
			*how = "subject tag";
			return 1;
		}
	}
	/* refs: In-Reply-To first, then References */
	for (i = 0; i < nrefs; i++) {
		if ((r = store_case_by_msgid(st, refs[i], case_id,
		    errstr)) == -1)
			return -1;
		if (r == 1 && *case_id != NULL) {
			*how = "In-Reply-To/References";
			return 1;
		}
		free(*case_id);
		*case_id = NULL;
	}
	return 0;
}

/*
 * A case's own reply address (local+token@domain of psirt_address) in
 * the envelope recipient, To or Cc: 1 with j->case_id, 0 none. The
 * token is looked up by its SHA-256 and then compared in constant time.
 */
int
thread_token(struct job *j, char **errstr)
{
	const char	*addr = j->a->cf->psirt_address, *at, *src[3], *p;
	const struct header_field *f;
	char		 tok[25], h[65], *id, *stored;
	size_t		 ll, dl, i, k;
	int		 r;

	if (!j->a->cf->case_reply_addresses)
		return 0;
	at = strchr(addr, '@');
	ll = (size_t)(at - addr);
	dl = strlen(at);
	src[0] = j->qm.env.recipient;
	src[1] = (f = header_get(&j->m->hdr, "To", 0)) ? f->value : NULL;
	src[2] = (f = header_get(&j->m->hdr, "Cc", 0)) ? f->value : NULL;
	for (i = 0; i < 3; i++) {
		for (p = src[i]; p && *p; p++) {
			if (strncasecmp(p, addr, ll) != 0 || p[ll] != '+' ||
			    (p != src[i] && (isalnum((unsigned char)p[-1]) ||
			    strchr(".-_+", p[-1]))))
				continue;
			for (k = 0; k < 24 && isxdigit((unsigned char)
			    p[ll + 1 + k]); k++)
				tok[k] = (char)tolower((unsigned char)
				    p[ll + 1 + k]);
			tok[k] = '\0';
			if (k != 24 || strncasecmp(p + ll + 25, at, dl) != 0)
				continue;
			hash_sha256_hex(tok, 24, h);
			if ((r = store_case_by_token(j->a->st, h, &id, &stored,
			    errstr)) == -1)
				return -1;
			if (r == 1 && strlen(stored) == 24 &&
			    sodium_memcmp(stored, tok, 24) == 0) {
				struct store_case c;

				free(stored);
				/* a merged case: the one it is in */
				r = store_case_get(j->a->st, id, &c, errstr);
				free(id);
				if (r != 1)
					return r;
				j->case_id = c.id;
				c.id = NULL;
				store_case_free(&c);
				j->thread_how = "the case's reply address";
				return 1;
			}
			free(id);
			free(stored);
		}
	}
	return 0;
}

/*
 * May the sender of j join j->case_id? 1 when the From address is a
 * member of the team (the policy's roster), the sender address
 * (j->sender_addr) takes part in the case,
 * or the message carries a valid signature by a key
 * pinned to an address that does; 0 not; -1 store error.
 */
int
thread_participant(struct job *j, char **errstr)
{
	const struct sig_info	*s = &j->u.sig;
	char			*addrs, *a, *save = NULL;
	int			 r;

	/* staff of the team's roster take part in every case */
	if (raci_member(policy_raci(j->a->pol), j->m->from.addr))
		return 1;
	/* the sender found wherever it was (a From that is malformed, an
	 * address only in an encoded-word: process.c find_sender()) */
	if ((r = store_participant(j->a->st, j->case_id, j->sender_addr,
	    errstr)) != 0)
		return r;
	if (!j->u.has_sig || s->status != SIG_VALID || s->fingerprint ==
	    NULL || s->addrs == NULL)
		return 0;
	addrs = xstrdup(s->addrs);
	for (a = strtok_r(addrs, ",", &save); a && r == 0;
	    a = strtok_r(NULL, ",", &save))
		if ((r = store_participant(j->a->st, j->case_id, a,
		    errstr)) == 1)
			r = store_pin_match(j->a->st, a, s->fingerprint,
			    errstr);
	free(addrs);
	return r;
}

/* The new case of a stranger who named another case: linked both
 * ways, and the named case is told (the stranger is told nothing of
 * it). */
int
thread_named(struct job *j, char **errstr)
{
	char	*d;
	int	 r;

	if (j->named_case == NULL)
		return 0;
	d = xasprintf("%s from %s named %s (by %s) but takes no part in it: "
	    "a new case, %s", j->qid, j->m->from.addr ? j->m->from.addr :
	    "(unknown)", j->named_case, j->thread_how, j->case_id);
	r = store_link_add(j->a->st, j->case_id, j->named_case,
	    "named by a non-participant", errstr) == -1 ||
	    store_event_add(j->a->st, j->case_id, "named-other-case", d,
	    "agent", errstr) == -1 ||
	    store_event_add(j->a->st, j->named_case, "named-by-stranger", d,
	    "agent", errstr) == -1 ? -1 : 0;
	log_warnx("%s", d);
	free(d);
	return r;
}
