/*
 * copied.c: a member's mail to outsiders that copied the agent. See
 * copied.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent/agent.h"
#include "agent/config.h"
#include "out/notice.h"
#include "parsers/header.h"
#include "parsers/mime.h"
#include "pipeline/copied.h"
#include "pipeline/job.h"
#include "policies/policy.h"
#include "policies/raci.h"
#include "policies/template.h"
#include "spool/store.h"
#include "spool/store_case.h"
#include "spool/store_msg.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define MAX_RCPTS	64

/* The agent's own address, or one of its case reply addresses
 * (local+TOKEN@domain). */
static int
ours(const struct job *j, const char *addr)
{
	const char	*our = j->a->cf->psirt_address, *at = strchr(our, '@');
	size_t		 ll = (size_t)(at - our);

	if (strcasecmp(addr, our) == 0)
		return 1;
	if (j->qm.env.recipient && strcasecmp(addr, j->qm.env.recipient) == 0)
		return 1;
	return strncasecmp(addr, our, ll) == 0 && addr[ll] == '+' &&
	    strchr(addr, '@') && strcasecmp(strchr(addr, '@'), at) == 0;
}

char *
copied_outsiders(const struct job *j)
{
	static const char *const fields[] = { "To", "Cc" };
	const struct header_field *f;
	struct header_addr	 ha[MAX_RCPTS];
	struct buf		 b;
	size_t			 i, k, n;

	buf_init(&b);
	for (i = 0; i < 2; i++) {
		if ((f = header_get(&j->m->hdr, fields[i], 0)) == NULL)
			continue;
		n = header_addr_list(f->value, f->value_len, NULL, ha,
		    MAX_RCPTS);
		for (k = 0; k < n; k++) {
			if (!ours(j, ha[k].addr) && raci_member(policy_raci(
			    j->a->pol), ha[k].addr) == NULL &&
			    strchr(ha[k].addr, '@') != NULL &&
			    strpbrk(ha[k].addr, ", \t\r\n") == NULL)
				buf_printf(&b, "%s%s", b.len ? ", " : "",
				    ha[k].addr);
			header_addr_free(&ha[k]);
		}
	}
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_release(&b);
}

/* What broke the rules, or "" (in why). */
static int
breaches(struct job *j, const struct store_case *c, const char *outsiders,
    struct buf *why, char **errstr)
{
	struct store_message	*m;
	char			*list = xstrdup(outsiders), *a, *save = NULL;
	size_t			 n, i;
	int			 sealed = 0;

	for (a = strtok_r(list, ", ", &save); a; a = strtok_r(NULL, ", ",
	    &save))
		if (!policy_tlp_allows(j->a->pol, c->tlp, a, c->reporter))
			buf_printf(why, "%sTLP:%s does not allow %s",
			    why->len ? "; " : "", c->tlp, a);
	free(list);
	if (j->u.encryption != NULL)
		return 0;
	if (store_messages(j->a->st, c->id, &m, &n, errstr) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (strcmp(m[i].direction, "in") == 0 && m[i].encryption &&
		    (strcmp(m[i].kind, "report") == 0 ||
		    strcmp(m[i].kind, "followup") == 0))
			sealed = 1;
	store_messages_free(m, n);
	if (sealed)
		buf_printf(why, "%sit went in clear, and the reporter wrote "
		    "to the case encrypted", why->len ? "; " : "");
	return 0;
}

int
copied_record(struct job *j, const char *outsiders, char **errstr)
{
	struct store_case	 c;
	struct buf		 why;
	struct tvar		 v[2];
	char			*d;
	int			 r;

	if ((r = store_case_get(j->a->st, j->case_id, &c, errstr)) != 1)
		return r == 0 ? 0 : -1;
	d = xasprintf("%s wrote to %s, copying the agent (Message-ID <%s>)",
	    j->m->from.addr, outsiders, j->m->message_id ?
	    j->m->message_id : "none");
	r = store_event_add(j->a->st, c.id, "correspondence", d,
	    j->m->from.addr, errstr);
	free(d);
	buf_init(&why);
	if (r == 0)
		r = breaches(j, &c, outsiders, &why, errstr);
	if (r == 0 && why.len) {
		d = xasprintf("mail by %s to %s: %s", j->m->from.addr,
		    outsiders, why.s);
		log_warnx("%s: %s", c.id, d);
		r = store_event_add(j->a->st, c.id, "correspondence-breach", d,
		    "agent", errstr);
		free(d);
		v[0].name = "note";
		v[0].value = j->m->from.addr;
		v[1].name = "reason";
		v[1].value = why.s;
		if (r == 0 && notice_task(j->a, &c, "intake", "R",
		    "correspondence-breach", "correspondence-breach", v, 2,
		    "correspondence-breach-notice", errstr) == -1)
			r = -1;
	}
	buf_free(&why);
	store_case_free(&c);
	return r;
}
