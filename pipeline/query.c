/*
 * query.c: a member reads and finds cases by mail. See query.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent/agent.h"
#include "agent/config.h"
#include "crypto/unwrap.h"
#include "crypto/wrap.h"
#include "out/outbox.h"
#include "out/reply.h"
#include "parsers/mime.h"
#include "pipeline/job.h"
#include "pipeline/query.h"
#include "policies/policy.h"
#include "policies/raci.h"
#include "policies/template.h"
#include "reports/caseview.h"
#include "reports/find.h"
#include "spool/store.h"
#include "spool/vault.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* Files sent with one #show: at most this many bytes in all (the rest
 * listed by `case show` only, to be fetched with `case attachment`). */
#define SHOW_FILES_MAX	(16 * 1024 * 1024)
#define SHOW_PARTS_MAX	64

/* One query line. */
struct qline {
	int		 line;
	const char	*name;
	const char	*arg;
};

int
query_command(const char *name)
{
	return strcmp(name, "show") == 0 || strcmp(name, "list") == 0 ||
	    strcmp(name, "search") == 0;
}

/*
 * Compose the answer, encrypt it to the member, queue it. 0 queued, 1
 * the member's key could not be used (why), -1 *errstr.
 */
static int
send_answer(struct job *j, const struct raci_member *m, const char *case_id,
    const char *title, const char *text, const struct reply_part *parts,
    size_t nparts, struct buf *why, const struct qline *c,
    char **errstr)
{
	const struct template	*tp;
	struct reply_in		 ri;
	struct reply_out	 ro;
	struct wrap_to		 to;
	struct crypto		 cr;
	struct tvar		 v[5];
	char			*subj = NULL, *body = NULL, *outer, *err = NULL;
	char			*d;
	int			 r, rv = -1;

	v[0].name = "title";
	v[0].value = title;
	v[1].name = "text";
	v[1].value = text;
	v[2].name = "recipient_name";
	v[2].value = m->name;
	v[3].name = "psirt_name";
	v[3].value = j->a->cf->psirt_name;
	v[4].name = "psirt_address";
	v[4].value = j->a->cf->psirt_address;
	if ((tp = policy_template(j->a->pol, "query-answer", NULL)) == NULL) {
		*errstr = xstrdup("no template query-answer");
		return -1;
	}
	if (template_render(tp, v, 5, 64 * 1024 * 1024, &subj, &body,
	    errstr) == -1)
		return -1;
	memset(&ri, 0, sizeof(ri));
	ri.to_addr = m->addr;
	ri.to_name = m->name;
	ri.subject = subj ? subj : title;
	ri.body = body;
	ri.in_reply_to = j->m->message_id;
	ri.auto_submitted = "auto-replied";
	ri.parts = parts;
	ri.nparts = nparts;
	if (reply_compose(j->a->cf, &ri, &ro, errstr) == -1)
		goto out;
	agent_crypto(j->a, &cr);
	memset(&to, 0, sizeof(to));
	to.proto = m->pgp ? "pgp" : "smime";
	to.fingerprint = m->pgp ? m->pgp : m->smime;
	to.signer = m->pgp ? j->a->cf->psirt_fingerprint :
	    j->a->cf->psirt_smime_fingerprint;
	outer = xasprintf("Re: %s", case_id ? case_id : "your query");
	r = wrap_reply(&cr, &to, &ro.text, &ro.len, outer, &err);
	free(outer);
	if (r == -1) {
		buf_printf(why, "line %d: #%s: the answer could not be "
		    "encrypted to your %s key %s (%s): nothing of the cases "
		    "is sent in clear\n", c->line, c->name, to.proto,
		    to.fingerprint, err);
		free(err);
		reply_out_free(&ro);
		rv = 1;
		goto out;
	}
	if (outbox_queue(j->a, case_id, "query-answer", m->addr, &ro,
	    errstr) == -1) {
		reply_out_free(&ro);
		goto out;
	}
	d = xasprintf("#%s answered to %s, encrypted with %s, Message-ID "
	    "<%s>", c->name, m->addr, to.proto, ro.message_id);
	rv = store_event_add(j->a->st, case_id, case_id ? "case-shown" :
	    "query-answered", d, m->addr, errstr) == -1 ? -1 : 0;
	log_info("%s%s%s", case_id ? case_id : "", case_id ? ": " : "", d);
	free(d);
	reply_out_free(&ro);
out:
	free(subj);
	free(body);
	return rv;
}

static int
show(struct job *j, const struct raci_member *m, const struct qline *c,
    struct buf *why, char **errstr)
{
	struct caseview		 cv;
	struct reply_part	 parts[SHOW_PARTS_MAX];
	unsigned char		*data[SHOW_PARTS_MAX];
	struct vault		*v;
	struct buf		 b;
	char			*title, *err = NULL;
	size_t			 i, k, np = 0, total = 0, len;
	int			 r;

	if ((r = caseview_load(j->a, c->arg, &cv, errstr)) == -1)
		return -1;
	if (r == 0) {
		buf_printf(why, "line %d: #show: no case \"%.64s\"\n", c->line,
		    c->arg);
		return 1;
	}
	if ((r = find_may_see(j->a, &cv.c, m->addr, errstr)) != 1) {
		if (r == 0)
			buf_printf(why, "line %d: #show: case %s is TLP:RED "
			    "and its rule does not name you (the R and A of "
			    "its tasks, its assignee)\n", c->line, cv.c.id);
		caseview_free(&cv);
		return r == 0 ? 1 : -1;
	}
	buf_init(&b);
	caseview_text(&cv, &b);
	/* the attachments, decrypted, as parts: up to the bound */
	for (i = 0; i < cv.nm; i++)
		for (k = 0; k < cv.m[i].natt && np < SHOW_PARTS_MAX; k++) {
			if (cv.m[i].att[k].ref == NULL ||
			    total + (size_t)cv.m[i].att[k].size >
			    SHOW_FILES_MAX)
				continue;
			if ((v = agent_vault(j->a, &err)) == NULL ||
			    vault_get(v, cv.m[i].att[k].ref, &data[np], &len,
			    &err) == -1) {
				log_warnx("%s: attachment %s: %s", cv.c.id,
				    cv.m[i].att[k].ref, err);
				free(err);
				err = NULL;
				continue;
			}
			parts[np].name = cv.m[i].att[k].name;
			parts[np].type = cv.m[i].att[k].type;
			parts[np].data = data[np];
			parts[np++].len = len;
			total += len;
		}
	title = xasprintf("[%s] #show %s", cv.c.id, cv.c.id);
	r = send_answer(j, m, cv.c.id, title, b.s, parts, np, why, c, errstr);
	free(title);
	for (i = 0; i < np; i++)
		vault_free_plain(data[i]);
	buf_free(&b);
	caseview_free(&cv);
	return r;
}

static int
find(struct job *j, const struct raci_member *m, const struct qline *c,
    struct buf *why, char **errstr)
{
	struct find_filter	 f;
	struct find_row		*rows;
	struct buf		 b;
	char			*storage = NULL, *line, *err = NULL, *title;
	size_t			 n;
	int			 r;

	/* the parser takes the command's own word first */
	line = xasprintf("%s %s", c->name, c->arg);
	memset(&f, 0, sizeof(f));
	if (find_filter_parse(line, &f, &storage, &err) == -1 ||
	    (strcmp(c->name, "search") == 0 && (f.words == NULL ||
	    f.words[0] == '\0') && (err = xstrdup("no words to search "
	    "for")) != NULL) || find_filter_check(j->a, &f, &err) != 0) {
		buf_printf(why, "line %d: #%s: %s\n", c->line, c->name, err);
		free(err);
		free(storage);
		free(line);
		return 1;
	}
	f.viewer = m->addr;
	if (find_cases(j->a, &f, &rows, &n, errstr) == -1) {
		free(storage);
		free(line);
		return -1;
	}
	buf_init(&b);
	if (n == 0)
		buf_puts(&b, "(no case)\n");
	else
		find_render(rows, n, 0, &b);
	title = xasprintf("#%.200s: %zu case%s", line, n, n == 1 ? "" : "s");
	r = send_answer(j, m, NULL, title, b.s, NULL, 0, why, c, errstr);
	free(title);
	buf_free(&b);
	find_rows_free(rows, n);
	free(storage);
	free(line);
	return r;
}

int
query_answer(struct job *j, const struct raci_member *m, int line,
    const char *name, const char *arg, struct buf *why, char **errstr)
{
	struct qline	 q = { line, name, arg }, *c = &q;

	/* the sender's key is checked before (staffcmd.c: a member with
	 * no key in the policy commands nothing and asks nothing) */
	if (strcmp(c->name, "show") == 0) {
		if (c->arg[0] == '\0' || strpbrk(c->arg, " \t")) {
			buf_printf(why, "line %d: #show: one case ID\n",
			    c->line);
			return 1;
		}
		return show(j, m, c, why, errstr);
	}
	return find(j, m, c, why, errstr);
}
