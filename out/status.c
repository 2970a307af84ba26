/*
 * status.c: status replies to the reporter. See status.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	struct wrap_to		 to;
	struct crypto		 cr;
	struct tvar		 v[8];
	char			*tname, *subj = NULL, *body = NULL, *fpr = NULL;
	char			*err = NULL, *d, *outer;
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
		agent_crypto(a, &cr);
		memset(&to, 0, sizeof(to));
		to.proto = proto;
		to.fingerprint = fpr;
		to.signer = strcmp(proto, "pgp") == 0 ?
		    a->cf->psirt_fingerprint : a->cf->psirt_smime_fingerprint;
		outer = xasprintf("[%s] Encrypted message", c.id);
		r = wrap_reply(&cr, &to, &ro.text, &ro.len, outer, &err);
		free(outer);
		if (r == -1) {
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
