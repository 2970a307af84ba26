/*
 * status.c: status replies to the reporter. See status.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent/agent.h"
#include "agent/config.h"
#include "util/log.h"
#include "out/outbox.h"
#include "out/reply.h"
#include "out/status.h"
#include "crypto/unwrap.h"
#include "util/xmalloc.h"
#include "crypto/wrap.h"
#include "policies/policy.h"
#include "policies/template.h"
#include "spool/store.h"
#include "spool/store_case.h"
#include "spool/store_msg.h"
#include "spool/store_keys.h"

static const char *const names[] = {
	"confirmed", "fix-scheduled", "fixed", "cannot-fix", "rejected",
	"duplicate", "disclosed", NULL
};

/* The reply encrypted and signed to key fpr of protocol proto (ours
 * signs); outside, the Subject names the case only. 0, or -1 *err. */
static int
seal_to(struct agent *a, const char *case_id, const char *proto,
    const char *fpr, struct reply_out *ro, char **err)
{
	struct wrap_to	 to;
	struct crypto	 cr;
	char		*outer;
	int		 r;

	agent_crypto(a, &cr);
	memset(&to, 0, sizeof(to));
	to.proto = proto;
	to.fingerprint = fpr;
	to.signer = strcmp(proto, "pgp") == 0 ? a->cf->psirt_fingerprint :
	    a->cf->psirt_smime_fingerprint;
	outer = xasprintf("[%s] Encrypted message", case_id);
	r = wrap_reply(&cr, &to, &ro->text, &ro->len, outer, err);
	free(outer);
	return r;
}

int
status_known(const char *name)
{
	size_t	i;

	for (i = 0; names[i]; i++)
		if (strcmp(names[i], name) == 0)
			return 1;
	return 0;
}

int
status_reply(struct agent *a, const char *case_id, const char *name,
    const char *note, const char *actor, char **errstr)
{
	const struct template	*tp;
	struct store_case	 c;
	struct store_message	*m = NULL;
	struct reply_in		 ri;
	struct reply_out	 ro;
	struct tvar		 v[8];
	char			*tname, *subj = NULL, *body = NULL, *fpr = NULL;
	char			*err = NULL, *d;
	const char		*report_id = NULL, *rsubj = NULL;
	const char		*proto = NULL;
	size_t			 nm = 0, i, nv = 0;
	int			 r, rv = -1, sealed = 0, k;

	if ((r = store_case_get(a->st, case_id, &c, errstr)) != 1)
		return r == 0 ? 0 : -1;
	if (c.reporter == NULL || !status_known(name)) {
		if (!status_known(name))
			*errstr = xasprintf("no status reply \"%s\"", name);
		store_case_free(&c);
		return c.reporter == NULL && status_known(name) ? 0 : -1;
	}
	if (store_messages(a->st, c.id, &m, &nm, errstr) == -1)
		goto out;
	for (i = 0; i < nm; i++)
		if (strcmp(m[i].direction, "in") == 0 &&
		    strcmp(m[i].kind, "report") == 0) {
			report_id = m[i].message_id;
			rsubj = m[i].subject;
			sealed = m[i].encryption != NULL;
			break;
		}
	/* a key pinned for the reporter: the reply goes encrypted */
	for (k = 0; k < 2 && fpr == NULL; k++) {
		proto = k ? "smime" : "pgp";
		if (store_pin_get(a->st, c.reporter, proto, &fpr,
		    errstr) == -1)
			goto out;
	}
	v[nv].name = "case_id";
	v[nv++].value = c.id;
	v[nv].name = "reporter_name";
	v[nv++].value = c.reporter_name ? c.reporter_name : c.reporter;
	/* the report's subject only where it cannot leak */
	v[nv].name = "subject";
	v[nv++].value = !sealed || fpr ? (rsubj ? rsubj : c.subject) :
	    "your encrypted report";
	v[nv].name = "note";
	v[nv++].value = note ? note : "";
	v[nv].name = "psirt_name";
	v[nv++].value = a->cf->psirt_name;
	v[nv].name = "psirt_address";
	v[nv++].value = a->cf->psirt_address;
	tname = xasprintf("status-%s", name);
	tp = policy_template(a->pol, tname, c.lang);
	free(tname);
	if (tp == NULL) {
		*errstr = xasprintf("no template status-%s", name);
		goto out;
	}
	if (template_render(tp, v, nv, 256 * 1024, &subj, &body, errstr) ==
	    -1)
		goto out;
	memset(&ri, 0, sizeof(ri));
	ri.to_addr = c.reporter;
	ri.to_name = c.reporter_name;
	ri.subject = subj ? subj : c.id;
	ri.body = body;
	ri.in_reply_to = report_id;
	ri.auto_submitted = "no";	/* a person's decision (RFC 3834) */
	if (reply_compose(a->cf, &ri, &ro, errstr) == -1)
		goto out;
	if (fpr) {
		if (seal_to(a, c.id, proto, fpr, &ro, &err) == -1) {
			*errstr = xasprintf("the %s reply could not be "
			    "encrypted to %s: %s", name, fpr, err);
			free(err);
			reply_out_free(&ro);
			goto out;
		}
	}
	if (outbox_queue(a, c.id, "status", c.reporter, &ro, errstr) == -1) {
		reply_out_free(&ro);
		goto out;
	}
	d = xasprintf("%s reply to %s%s, Message-ID <%s>", name, c.reporter,
	    fpr ? ", encrypted" : "", ro.message_id);
	reply_out_free(&ro);
	r = store_event_add(a->st, c.id, "status-reply", d, actor, errstr);
	log_info("%s", d);
	free(d);
	rv = r == -1 ? -1 : 1;
out:
	free(fpr);
	free(subj);
	free(body);
	store_messages_free(m, nm);
	store_case_free(&c);
	return rv;
}

/* The recipient's last message in the case and the case's report: the
 * thread to answer in. *sealed when the recipient wrote encrypted,
 * *proto the protocol of their last encrypted message. */
static void
thread_of(const struct store_message *m, size_t nm, const char *to,
    const char **report_id, const char **last_id, int *sealed,
    const char **proto)
{
	size_t	i;

	*report_id = *last_id = *proto = NULL;
	*sealed = 0;
	for (i = 0; i < nm; i++) {
		if (strcmp(m[i].direction, "in") == 0 &&
		    strcmp(m[i].kind, "report") == 0 && *report_id == NULL)
			*report_id = m[i].message_id;
		if (m[i].message_id == NULL)
			continue;
		if (strcmp(m[i].direction, "in") == 0 && m[i].from_addr &&
		    strcasecmp(m[i].from_addr, to) == 0) {
			*last_id = m[i].message_id;
			if (m[i].encryption) {
				*sealed = 1;
				*proto = m[i].encryption;
			}
		} else if (strcmp(m[i].direction, "out") == 0 &&
		    m[i].to_addr && strcasecmp(m[i].to_addr, to) == 0 &&
		    *last_id == NULL)
			*last_id = m[i].message_id;
	}
	if (*sealed == 0 && *report_id)
		for (i = 0; i < nm; i++)
			if (strcmp(m[i].direction, "in") == 0 &&
			    strcmp(m[i].kind, "report") == 0 &&
			    m[i].encryption && m[i].from_addr &&
			    strcasecmp(m[i].from_addr, to) == 0)
				*sealed = 1;
}

int
answer_send(struct agent *a, const struct answer *an, char **message_id,
    char **why, char **errstr)
{
	const struct template	*tp;
	struct store_case	 c;
	struct store_message	*m = NULL;
	struct reply_in		 ri;
	struct reply_out	 ro;
	struct crypto		 cr;
	struct tvar		 v[8];
	const char		*to, *report_id, *last_id, *lproto, *proto = NULL;
	const char		*refs[2];
	char			*subj = NULL, *body = NULL, *fpr = NULL, *d;
	char			*err = NULL, *from = NULL;
	size_t			 nm = 0, nv = 0, nrefs = 0;
	int			 r, rv = -1, sealed, k, open_ok;

	*why = NULL;
	if (message_id)
		*message_id = NULL;
	if ((r = store_case_get(a->st, an->case_id, &c, errstr)) != 1) {
		if (r == 0)
			*errstr = xasprintf("no case %s", an->case_id);
		return -1;
	}
	if ((to = an->to ? an->to : c.reporter) == NULL ||
	    !reply_addr_ok(to)) {
		*why = xasprintf("no address to send it to%s%s",
		    to ? ": " : " (the case has no reporter address)",
		    to ? to : "");
		rv = 0;
		goto out;
	}
	if (store_messages(a->st, c.id, &m, &nm, errstr) == -1)
		goto out;
	thread_of(m, nm, to, &report_id, &last_id, &sealed, &lproto);
	/* the key pinned for the recipient, the protocol they used first */
	for (k = 0; k < 3 && fpr == NULL; k++) {
		proto = k == 0 ? lproto : k == 1 ? "pgp" : "smime";
		if (proto && store_pin_get(a->st, to, proto, &fpr,
		    errstr) == -1)
			goto out;
	}
	if (fpr == NULL && sealed) {
		*why = xasprintf("%s wrote to us encrypted and no key is "
		    "pinned for that address: nothing is sent in clear (#pin "
		    "the key they offered, or ask them for one)", to);
		rv = 0;
		goto out;
	}
	v[nv].name = "case_id";
	v[nv++].value = c.id;
	v[nv].name = "reporter_name";
	v[nv++].value = an->to == NULL && c.reporter_name ? c.reporter_name :
	    to;
	/* the report's subject only where it cannot leak: encrypted, or
	 * a case that came in clear and whose TLP allows anyone */
	for (k = 0, open_ok = 1; (size_t)k < nm; k++)
		if (strcmp(m[k].direction, "in") == 0 && m[k].encryption)
			open_ok = 0;
	if (an->to && c.tlp && strcmp(c.tlp, "CLEAR") != 0 &&
	    strcmp(c.tlp, "GREEN") != 0)
		open_ok = 0;
	v[nv].name = "subject";
	v[nv++].value = (fpr || open_ok) && c.subject ? c.subject : "";
	v[nv].name = "text";
	v[nv++].value = an->text ? an->text : "";
	v[nv].name = "member_name";
	v[nv++].value = an->actor_name && policy_reply_from_member(a->pol) ?
	    an->actor_name : a->cf->psirt_name;
	v[nv].name = "psirt_name";
	v[nv++].value = a->cf->psirt_name;
	v[nv].name = "psirt_address";
	v[nv++].value = a->cf->psirt_address;
	if ((tp = policy_template(a->pol, an->name, c.lang)) == NULL) {
		*errstr = xasprintf("no template %s", an->name);
		goto out;
	}
	if (template_render(tp, v, nv, 1024 * 1024, &subj, &body, errstr) ==
	    -1)
		goto out;
	memset(&ri, 0, sizeof(ri));
	ri.to_addr = to;
	ri.to_name = an->to == NULL ? c.reporter_name : NULL;
	ri.subject = subj ? subj : c.id;
	ri.body = body;
	if (report_id && last_id && strcmp(report_id, last_id) != 0)
		refs[nrefs++] = report_id;
	ri.refs = (char *const *)refs;
	ri.nrefs = nrefs;
	ri.in_reply_to = last_id ? last_id : an->to == NULL ? report_id :
	    NULL;
	/* a person's words: no automatic reply (RFC 3834) but the
	 * reminder, which the agent sends on its own */
	ri.auto_submitted = strcmp(an->name, "ask-reminder") == 0 ?
	    "auto-generated" : "no";
	if (an->actor_name && policy_reply_from_member(a->pol))
		ri.from_name = from = xasprintf("%s (%s)", an->actor_name,
		    a->cf->psirt_name);
	if (reply_compose(a->cf, &ri, &ro, errstr) == -1)
		goto out;
	if (fpr) {
		if (seal_to(a, c.id, proto, fpr, &ro, &err) == -1) {
			*why = xasprintf("it could not be encrypted to %s "
			    "(%s): %s", to, fpr, err);
			free(err);
			reply_out_free(&ro);
			rv = 0;
			goto out;
		}
	} else if (a->cf->psirt_fingerprint && a->cf->psirt_fingerprint[0]) {
		/* in clear: signed by the PSIRT's OpenPGP key */
		agent_crypto(a, &cr);
		if (wrap_sign(&cr, a->cf->psirt_fingerprint, &ro.text, &ro.len,
		    &err) == -1) {
			log_warnx("%s: the %s to %s goes unsigned: %s", c.id,
			    an->name, to, err);
			free(err);
			err = NULL;
		}
	}
	if (outbox_queue(a, c.id, an->name, to, &ro, errstr) == -1 ||
	    outbox_keep(a, c.id, an->name, to, &ro, subj, body, fpr ? proto :
	    NULL, errstr) == -1) {
		reply_out_free(&ro);
		goto out;
	}
	d = xasprintf("%s to %s%s%s, Message-ID <%s>", strcmp(an->name,
	    "ask") == 0 ? "question" : strcmp(an->name, "reply") == 0 ?
	    "reply" : "reminder of the question", to, fpr ? ", encrypted "
	    "with " : "", fpr ? proto : "", ro.message_id);
	r = store_event_add(a->st, c.id, strcmp(an->name, "ask") == 0 ?
	    "question-sent" : strcmp(an->name, "reply") == 0 ? "reply-sent" :
	    "question-reminder", d, an->actor, errstr);
	log_info("%s", d);
	free(d);
	if (r == 0 && message_id)
		*message_id = xstrdup(ro.message_id);
	reply_out_free(&ro);
	rv = r == -1 ? -1 : 1;
out:
	free(from);
	free(fpr);
	free(subj);
	free(body);
	store_messages_free(m, nm);
	store_case_free(&c);
	return rv;
}
