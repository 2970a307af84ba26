/*
 * ack.c: the acknowledgement of a report (and the reply that says a
 * message could not be decrypted).
 *
 * RFC 3834 rules and the ack-limit decide whether it goes out at all
 * (reply_refusal). A report that came encrypted gets the full
 * acknowledgement only encrypted, to the key pinned for the reporter
 * (wrap.c); without one, the ack-private template, which carries no
 * case content. The composed reply is stored sealed in the outbox in
 * the caller's transaction and sent after the commit.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent/agent.h"
#include "agent/config.h"
#include "crypto/gpg.h"
#include "pipeline/job.h"
#include "util/log.h"
#include "out/outbox.h"
#include "out/reply.h"
#include "util/b64.h"
#include "util/buf.h"
#include "util/fmt.h"
#include "util/xmalloc.h"
#include "crypto/wrap.h"
#include "parsers/mime.h"
#include "policies/template.h"
#include "spool/store.h"
#include "spool/store_msg.h"
#include "spool/store_out.h"
#include "spool/store_keys.h"
#include "spool/vault.h"

#define DATE_FMT	"%Y-%m-%d %H:%M UTC"	/* in replies */

static const char	*ack_template(const struct job *);
static int		 reply_key(struct job *, struct wrap_to *, char **,
			    char **);
static const char	*autocrypt_keydata(struct agent *);
static int		 compose_ack(struct job *, const char *,
			    struct reply_out *, char **, char **, char **);

/*
 * The acknowledgement's template: a report we could not read gets the
 * key and how to use it; one that came encrypted gets no case content
 * (no subject, no quote) until replies can be encrypted to the reporter.
 */
static const char *
ack_template(const struct job *j)
{
	if (j->u.encryption && !j->u.decrypted)
		return "undecryptable";
	if (j->u.encryption)
		return "ack-private";
	return "ack";
}

/*
 * The key a reply to this job may be encrypted to: only when the report
 * came encrypted and was read, to the key pinned for the reply address,
 * same protocol first. 1 and *to, 0 none, -1 store error.
 */
static int
reply_key(struct job *j, struct wrap_to *to, char **fpr, char **errstr)
{
	const char	*order[2];
	int		 k, r;

	*fpr = NULL;
	if (j->u.encryption == NULL || !j->u.decrypted ||
	    j->reply_addr == NULL || j->a->gpg == NULL)
		return 0;
	order[0] = j->u.encryption;
	order[1] = strcmp(j->u.encryption, "pgp") == 0 ? "smime" : "pgp";
	for (k = 0; k < 2; k++) {
		if ((r = store_pin_get(j->a->st, j->reply_addr, order[k], fpr,
		    errstr)) == -1)
			return -1;
		if (r == 1) {
			to->proto = order[k];
			to->fingerprint = *fpr;
			to->signer = strcmp(order[k], "pgp") == 0 ?
			    j->a->cf->psirt_fingerprint :
			    j->a->cf->psirt_smime_fingerprint;
			return 1;
		}
	}
	return 0;
}

/* Our OpenPGP key for the Autocrypt header (minimal, base64), once. */
static const char *
autocrypt_keydata(struct agent *a)
{
	struct buf	 b;
	char		*key = NULL, *err = NULL;
	size_t		 len = 0;

	if (a->autocrypt_tried++)
		return a->autocrypt;
	if (a->gpg == NULL || a->cf->psirt_fingerprint[0] == '\0')
		return NULL;
	if (gpg_export(a->gpg, GPG_PGP, a->cf->psirt_fingerprint,
	    GPG_EXPORT_MINIMAL, &key, &len, &err) == -1) {
		log_warnx("no Autocrypt header: %s", err);
		free(err);
		return NULL;
	}
	buf_init(&b);
	b64_put(&b, key, len);
	a->autocrypt = buf_release(&b);
	free(key);
	return a->autocrypt;
}

/* Render and compose the acknowledgement from template `name`. */
static int
compose_ack(struct job *j, const char *name, struct reply_out *ro,
    char **subj, char **body, char **err)
{
	const struct template	*t;
	struct reply_in		 ri;
	struct tvar		 v[14];
	char			 received[40], deadline[40], *quote;
	const char		*pubkey;
	char			*e2 = NULL, *reply_to = NULL;
	size_t			 nv = 0, pklen = 0;
	int			 rv = -1;

	*subj = *body = NULL;
	if ((t = policy_template(j->a->pol, name, j->dec.lang)) == NULL) {
		*err = xasprintf("no template \"%s\"", name);
		return -1;
	}
	/* our public key, armoured, once per process */
	if (!j->a->pubkey_tried++ && j->a->gpg &&
	    j->a->cf->psirt_fingerprint[0] && gpg_export(j->a->gpg, GPG_PGP,
	    j->a->cf->psirt_fingerprint, GPG_EXPORT_ARMOR, &j->a->pubkey,
	    &pklen, &e2) == -1) {
		log_warnx("PSIRT public key: %s", e2);
		free(e2);
	}
	pubkey = j->a->pubkey;
	fmt_utc(j->qm.env.received, DATE_FMT, received, sizeof(received));
	fmt_utc(j->qm.env.received + policy_next_step_seconds(j->a->pol),
	    DATE_FMT, deadline, sizeof(deadline));
	quote = reply_quote(j->m->text, 20, 2000);
#define V(n, val)	do { v[nv].name = (n); v[nv].value = (val); nv++; } \
			    while (0)
	V("case_id", j->case_id);
	V("reporter_name", j->reply_name && j->reply_name[0] ?
	    j->reply_name : j->reply_addr);
	V("reporter_address", j->reply_addr);
	V("subject", j->m->subject[0] ? j->m->subject : "(no subject)");
	V("date", j->m->date ? j->m->date : received);
	V("received", received);
	V("psirt_address", j->a->cf->psirt_address);
	V("psirt_name", j->a->cf->psirt_name);
	V("psirt_fingerprint", j->a->cf->psirt_fingerprint[0] ?
	    j->a->cf->psirt_fingerprint : "(not yet published)");
	V("next_step", policy_next_step(j->a->pol));
	V("next_deadline", deadline);
	V("quote", quote);
	V("kind", j->dec.kind);
	V("psirt_public_key", pubkey ? pubkey : "(not available)");
#undef V
	if (template_render(t, v, nv, 256 * 1024, subj, body, err) == -1)
		goto out;
	memset(&ri, 0, sizeof(ri));
	ri.to_addr = j->reply_addr;
	ri.to_name = j->reply_name;
	ri.subject = *subj ? *subj : j->m->subject;
	ri.body = *body;
	ri.in_reply_to = j->m->message_id;
	ri.autocrypt = autocrypt_keydata(j->a);
	if (j->reply_token[0]) {	/* the case's own reply address */
		const char *at = strchr(j->a->cf->psirt_address, '@');

		reply_to = xasprintf("%.*s+%s%s", (int)(at -
		    j->a->cf->psirt_address), j->a->cf->psirt_address,
		    j->reply_token, at);
		ri.reply_to = reply_to;
	}
	/* RFC 5322 3.6.4: the parent's References, else its In-Reply-To */
	if (j->m->nrefs > j->m->nirt) {
		ri.refs = j->m->refs + j->m->nirt;
		ri.nrefs = j->m->nrefs - j->m->nirt;
	} else {
		ri.refs = j->m->refs;
		ri.nrefs = j->m->nirt > 0 ? 1 : 0;
	}
	if (reply_compose(j->a->cf, &ri, ro, err) == -1)
		goto out;
	if (*subj == NULL)
		*subj = xstrdup(j->m->subject);
	rv = 0;
out:
	free(quote);
	free(reply_to);
	return rv;
}

/* Queue the acknowledgement or record why not (inside the tx). */
void
maybe_ack(struct job *j, char **errstr)
{
	struct reply_check	 rc;
	struct reply_out	 ro;
	struct wrap_to		 to;
	struct crypto		 c;
	const char		*why = NULL, *from = j->m->from.addr, *name;
	char			*subj = NULL, *body = NULL, *pinned = NULL;
	char			*detail, *err = NULL, *outer;
	long long		 count = 0;
	int			 enc;

	*errstr = NULL;
	if (j->reply_addr && store_replies_since(j->a->st, j->reply_addr,
	    "ack", (long long)time(NULL) - 3600, &count, errstr) == -1)
		return;
	memset(&rc, 0, sizeof(rc));
	rc.automatic = j->cls.kind != MAIL_PERSON;
	rc.is_list = j->cls.is_list;
	rc.policy_no_ack = j->dec.no_ack;
	rc.env_sender = j->qm.env.sender;
	rc.reply_addr = j->reply_addr;
	rc.from_addr = from;
	rc.our_addr = j->a->cf->psirt_address;
	rc.sent_last_hour = count;
	rc.limit_per_hour = policy_ack_limit(j->a->pol);
	if ((why = reply_refusal(&rc)) != NULL) {
		detail = xasprintf("no acknowledgement: %s", why);
		if (store_event_add(j->a->st, j->case_id, "ack-suppressed",
		    detail, "agent", errstr) == 0)
			log_info("%s", detail);
		free(detail);
		return;
	}
	memset(&to, 0, sizeof(to));
	if ((enc = reply_key(j, &to, &pinned, errstr)) == -1)
		return;
	/*
	 * A reporter who wrote encrypted gets the full acknowledgement
	 * only encrypted; without a key for them, one without case content.
	 */
	name = enc ? "ack" : ack_template(j);
	if (compose_ack(j, name, &ro, &subj, &body, &err) == -1)
		goto suppressed;
	if (enc) {
		agent_crypto(j->a, &c);
		outer = xasprintf("[%s] Encrypted message", j->case_id);
		if (wrap_reply(&c, &to, &ro.text, &ro.len, outer, &err) == -1) {
			detail = xasprintf("acknowledgement not encrypted "
			    "(%s key %s): %s; sent without case content",
			    to.proto, to.fingerprint, err);
			log_warnx("%s", detail);
			free(err);
			err = NULL;
			reply_out_free(&ro);
			free(subj);
			free(body);
			enc = 0;
			if (store_event_add(j->a->st, j->case_id,
			    "reply-not-encrypted", detail, "agent",
			    errstr) == -1 || compose_ack(j, "ack-private",
			    &ro, &subj, &body, &err) == -1) {
				free(detail);
				free(outer);
				goto suppressed;
			}
			free(detail);
		}
		free(outer);
	}
	if (outbox_queue(j->a, j->case_id, "ack", j->reply_addr, &ro,
	    errstr) == -1) {
		reply_out_free(&ro);
		goto out;
	}
	if (outbox_keep(j->a, j->case_id, "ack", j->reply_addr, &ro, subj,
	    body, enc ? to.proto : NULL, errstr) == -1) {
		reply_out_free(&ro);
		goto out;
	}
	detail = xasprintf("acknowledgement to %s (%s%s%s), Message-ID <%s>",
	    j->reply_addr, j->dec.lang, enc ? ", encrypted with " : "",
	    enc ? to.proto : "", ro.message_id);
	if (store_event_add(j->a->st, j->case_id, "ack-queued", detail,
	    "agent", errstr) == 0)
		log_info("%s", detail);
	free(detail);
	reply_out_free(&ro);
	goto out;
suppressed:
	detail = xasprintf("no acknowledgement: %s", err);
	log_warnx("%s", detail);
	store_event_add(j->a->st, j->case_id, "ack-suppressed", detail,
	    "agent", errstr);
	free(detail);
	free(err);
out:
	free(pinned);
	free(subj);
	free(body);
}
