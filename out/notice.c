/*
 * notice.c: mail to the team about a case. See notice.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent.h"
#include "agent/config.h"
#include "util/log.h"
#include "out/notice.h"
#include "out/outbox.h"
#include "out/reply.h"
#include "crypto/unwrap.h"
#include "util/xmalloc.h"
#include "crypto/wrap.h"
#include "policies/policy.h"
#include "policies/raci.h"
#include "policies/template.h"
#include "spool/store.h"
#include "spool/store_case.h"
#include "spool/store_notice.h"
#include "util/fmt.h"

#define NV_MAX	32

int
notice_mail(struct agent *a, const char *case_id, const char *kind,
    const char *tmpl, const char *lang, const struct tvar *cv, size_t ncv,
    const struct raci_member *m, int encrypt, const char *outer,
    char **message_id, char **why, char **errstr)
{
	const struct template	*tp;
	struct reply_in		 ri;
	struct reply_out	 ro;
	struct wrap_to		 to;
	struct crypto		 cr;
	struct tvar		 v[NV_MAX];
	char			*subj = NULL, *body = NULL, *err = NULL;
	size_t			 nv = 0, i;
	int			 rv = -1;

	*message_id = NULL;
	if (why)
		*why = NULL;
	for (i = 0; i < ncv && nv < NV_MAX - 3; i++)
		v[nv++] = cv[i];
	v[nv].name = "recipient_name";
	v[nv++].value = m->name;
	v[nv].name = "psirt_name";
	v[nv++].value = a->cf->psirt_name;
	v[nv].name = "psirt_address";
	v[nv++].value = a->cf->psirt_address;
	if ((tp = policy_template(a->pol, tmpl, lang)) == NULL) {
		*errstr = xasprintf("no template \"%s\"", tmpl);
		goto out;
	}
	if (template_render(tp, v, nv, 256 * 1024, &subj, &body, errstr) ==
	    -1)
		goto out;
	memset(&ri, 0, sizeof(ri));
	ri.to_addr = m->addr;
	ri.to_name = m->name;
	ri.subject = subj ? subj : (case_id ? case_id : kind);
	ri.body = body;
	ri.auto_submitted = "auto-generated";
	if (reply_compose(a->cf, &ri, &ro, errstr) == -1)
		goto out;
	if (encrypt) {
		agent_crypto(a, &cr);
		memset(&to, 0, sizeof(to));
		to.proto = "pgp";
		to.fingerprint = m->pgp;
		to.signer = a->cf->psirt_fingerprint;
		if (m->pgp == NULL || wrap_reply(&cr, &to, &ro.text, &ro.len,
		    outer, &err) == -1) {
			/* no content in clear: not at all */
			log_warnx("%s to %s not encrypted: %s; not sent",
			    kind, m->addr, err ? err : "no OpenPGP key");
			if (why)
				*why = err ? err : xstrdup("no OpenPGP key");
			else
				free(err);
			reply_out_free(&ro);
			rv = 0;
			goto out;
		}
	}
	if (outbox_queue(a, case_id, kind, m->addr, &ro, errstr) == -1) {
		reply_out_free(&ro);
		goto out;
	}
	*message_id = xstrdup(ro.message_id);
	reply_out_free(&ro);
	rv = 1;
out:
	free(subj);
	free(body);
	return rv;
}

int
notice_member(struct agent *a, const struct store_case *c, const char *kind,
    const char *tmpl, const struct tvar *cv, size_t ncv,
    const struct raci_member *m, int may_see_red, const char *outer,
    char **message_id, int *encrypted, char **errstr)
{
	struct tvar		 v[NV_MAX];
	char			*summary;
	size_t			 nv = 0, i;
	int			 content, rv;

	*encrypted = 0;
	content = m->pgp != NULL && (c->tlp == NULL ||
	    strcmp(c->tlp, "RED") != 0 || may_see_red);
	summary = content ? xasprintf("Subject:  %s\nReporter: %s%s<%s>\n"
	    "TLP:      %s", c->subject ? c->subject : "", c->reporter_name ?
	    c->reporter_name : "", c->reporter_name ? " " : "", c->reporter ?
	    c->reporter : "", c->tlp ? c->tlp : "(none)") : xasprintf(
	    "This message carries no case content (%s). To get it, send a "
	    "signed mail with the line #show %s to %s", m->pgp == NULL ?
	    "no OpenPGP key for you in the policy" : "TLP:RED", c->id,
	    a->cf->psirt_address);
	for (i = 0; i < ncv && nv < NV_MAX - 5; i++)
		v[nv++] = cv[i];
	v[nv].name = "case_id";
	v[nv++].value = c->id;
	v[nv].name = "case_summary";
	v[nv++].value = summary;
	rv = notice_mail(a, c->id, kind, tmpl, c->lang, v, nv, m, content,
	    outer, message_id, NULL, errstr);
	if (rv == 1)
		*encrypted = content;
	free(summary);
	return rv;
}

int
notice_task(struct agent *a, const struct store_case *c, const char *task,
    const char *which, const char *kind, const char *tmpl,
    const struct tvar *v, size_t nv, const char *event, char **errstr)
{
	const struct raci	*r = policy_raci(a->pol);
	const struct raci_task	*t = raci_task(r, task);
	const char		*done[64];
	char			*mid, *outer, *d;
	size_t			 i, k, q, nd = 0;
	int			 n = 0, x, enc;

	if (t == NULL)
		return 0;
	outer = xasprintf("[%s] %s", c->id, kind);
	/* the roles of the task that `which` names: R, A, C, I */
	for (i = 0; i < t->nr + 1 + t->nc + t->ni; i++) {
		const char *role = i < t->nr ? t->r[i] : i == t->nr ? t->a :
		    i < t->nr + 1 + t->nc ? t->c[i - t->nr - 1] :
		    t->i[i - t->nr - 1 - t->nc];
		int	 part = i < t->nr ? 'R' : i == t->nr ? 'A' :
		    i < t->nr + 1 + t->nc ? 'C' : 'I';

		if (strchr(which, part) == NULL)
			continue;
		for (k = 0; k < r->nmembers && nd < 64; k++) {
			const struct raci_member *m = &r->members[k];

			if (strcmp(m->role, role) != 0)
				continue;
			for (q = 0; q < nd && strcasecmp(done[q], m->addr); q++)
				;
			if (q < nd)
				continue;
			done[nd++] = m->addr;
			/* TLP:RED content only to R and A */
			if ((x = notice_member(a, c, kind, tmpl, v, nv, m,
			    part == 'R' || part == 'A', outer, &mid, &enc,
			    errstr)) == -1) {
				free(outer);
				return -1;
			}
			if (x == 0)
				continue;
			d = xasprintf("%s to %s <%s>%s", kind, m->name, m->addr,
			    enc ? ", encrypted" : "");
			x = store_event_add(a->st, c->id, event, d, "agent",
			    errstr);
			free(d);
			free(mid);
			if (x == -1) {
				free(outer);
				return -1;
			}
			n++;
		}
	}
	free(outer);
	return n;
}

int
notice_intake(struct agent *a, const char *case_id, const char *kind,
    const char *status, const char *note, char **errstr)
{
	struct store_case	 c;
	struct tvar		 v[2];
	int			 r;

	if ((r = store_case_get(a->st, case_id, &c, errstr)) != 1)
		return r == -1 ? -1 : 0;
	v[0].name = "status";
	v[0].value = status;
	v[1].name = "note";
	v[1].value = note;
	r = notice_task(a, &c, "intake", "R", kind, "status-notice", v, 2,
	    kind, errstr) == -1 ? -1 : 0;
	store_case_free(&c);
	return r;
}

int
notice_event(struct agent *a, int ev, const char *case_id, const char *ref,
    const char *detail, char **errstr)
{
	const struct raci_member *m[64];
	struct store_case	 c;
	struct store_notice	 n;
	int			 red[64], r, k = 0;
	size_t			 nm, i;
	char			*kind = NULL;

	if (a->pol == NULL)
		return 0;
	if (case_id) {
		if ((r = store_case_get(a->st, case_id, &c, errstr)) == -1)
			return -1;
		if (r == 1) {
			kind = c.kind;
			c.kind = NULL;
			store_case_free(&c);
		}
	}
	memset(&n, 0, sizeof(n));
	n.at = fmt_now();
	nm = policy_notify(a->pol, ev, kind, n.at, m, red, 64);
	free(kind);
	n.event = (char *)policy_event_name(ev);
	n.case_id = (char *)case_id;
	n.ref = (char *)ref;
	n.detail = (char *)detail;
	for (i = 0; i < nm; i++) {
		n.rcpt = m[i]->addr;
		n.red = red[i];
		if ((r = store_notice_add(a->st, &n, errstr)) == -1)
			return -1;
		k += r;
	}
	return k;
}
