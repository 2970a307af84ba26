/*
 * command.c: signed staff commands by mail. See command.h.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "agent/agent.h"
#include "pipeline/case.h"
#include "pipeline/staffcmd.h"
#include "agent/config.h"
#include "crypto/gpg.h"
#include "pipeline/job.h"
#include "util/log.h"
#include "out/notice.h"
#include "out/outbox.h"
#include "out/reply.h"
#include "out/status.h"
#include "util/buf.h"
#include "util/fmt.h"
#include "util/hash.h"
#include "util/xmalloc.h"
#include "policies/policy.h"
#include "policies/clocks.h"
#include "policies/raci.h"
#include "parsers/answer.h"
#include "pipeline/query.h"
#include "pipeline/ask.h"
#include "spool/store.h"
#include "spool/store_case.h"
#include "spool/store_out.h"
#include "spool/store_keys.h"

#define MAX_CMDS	32

static const char *authentic(struct job *, const struct raci_member *);
static const char *bound(struct job *, struct command_line *, size_t,
		    char **);
static void	 signature_key(const struct job *, char[65]);
static int	 refusal_mail(struct job *, const char *, const struct buf *,
		    char **);
static const char *pin_proto(struct job *, const char *, char **);
static int	 pin_apply(struct job *, const char *, const char *, char **);
static int	 tell(struct job *, const char *, const char *, char **);
static int	 apply(struct job *, struct command_line *, size_t,
		    const char *, struct buf *, char **);
static int	 answer_check(struct job *, const struct command_line *,
		    const char *, char **, struct buf *);
static int	 answer_apply(struct job *, const struct command_line *,
		    const char *, const char *, struct buf *, char **);
static int	 accountable(struct job *, const char *);
static char	*pending_exception(struct job *, char **);
static int	 exception_event(struct job *, const char *, const char *,
		    const char *, char **);

/* Is the sender the A of a task (a member of its A role)? */
static int
accountable(struct job *j, const char *task)
{
	const struct raci	*r = policy_raci(j->a->pol);
	const struct raci_task	*t = raci_task(r, task);
	size_t			 i;

	for (i = 0; t && i < r->nmembers; i++)
		if (strcmp(r->members[i].role, t->a) == 0 &&
		    j->m->from.addr && strcasecmp(r->members[i].addr,
		    j->m->from.addr) == 0)
			return 1;
	return 0;
}

/* The reason of the newest exception not yet approved, or NULL. */
static char *
pending_exception(struct job *j, char **errstr)
{
	struct store_fact	*f;
	char			*p = NULL;
	size_t			 n, i, k;
	int			 done;

	if (store_facts(j->a->st, j->case_id, &f, &n, errstr) == -1)
		return NULL;
	for (i = n; i-- > 0 && p == NULL; ) {
		if (strcmp(f[i].kind, "exception-pending") != 0)
			continue;
		for (k = done = 0; k < n; k++)
			done |= strcmp(f[k].kind, "exception") == 0 &&
			    strcmp(f[k].value, f[i].value) == 0;
		if (!done)
			p = xstrdup(f[i].value);
	}
	store_facts_free(f, n);
	return p;
}

static int
exception_event(struct job *j, const char *type, const char *reason,
    const char *actor, char **errstr)
{
	char	*d = xasprintf("%s: %s", type, reason);
	int	 r;

	r = store_event_add(j->a->st, j->case_id, type, d, actor, errstr);
	free(d);
	return r;
}

int
command_present(const char *text)
{
	const char	*p = text, *e;

	/* whole blank lines before, as command_parse() skips them: an
	 * indented "#status" is no command line there either (found by
	 * tests/fuzz/fuzz-command.c) */
	while (p && *p) {
		e = p + strcspn(p, "\n");
		if (strspn(p, " \t\r") != (size_t)(e - p))
			break;
		p = *e ? e + 1 : e;
	}
	return p && *p == '#' && isalpha((unsigned char)p[1]);
}

/* The command lines at the top of text, and where the text after them
 * starts (*rest, may be NULL). */
static size_t
scan(const char *text, struct command_line *c, size_t max,
    const char **rest)
{
	const char	*p = text, *e, *sp;
	size_t		 n = 0;
	int		 line = 1;

	for (; *p; line++, p = *e ? e + 1 : e) {
		e = p + strcspn(p, "\n");
		if (n == 0 && strspn(p, " \t\r") == (size_t)(e - p))
			continue;		/* blank lines before */
		if (*p != '#' || !isalpha((unsigned char)p[1]) || n == max)
			break;
		sp = p + 1 + strcspn(p + 1, " \t\r\n");
		c[n].line = line;
		c[n].name = xstrndup(p + 1, (size_t)(sp - p - 1));
		while (sp < e && (*sp == ' ' || *sp == '\t'))
			sp++;
		c[n].arg = xstrndup(sp, (size_t)(e - sp));
		c[n].arg[strcspn(c[n].arg, "\r")] = '\0';
		n++;
	}
	if (rest)
		*rest = n ? p : text;
	return n;
}

size_t
command_parse(const char *text, struct command_line *c, size_t max)
{
	return scan(text, c, max, NULL);
}

/* NULL when the message may command; else why not. */
static const char *
authentic(struct job *j, const struct raci_member *m)
{
	const struct sig_info	*s = &j->u.sig;
	const char		*want;
	long long		 age;

	if (!j->u.has_sig)
		return "the message is not signed";
	if (s->status != SIG_VALID)
		return "its signature is not valid";
	want = strcmp(s->proto, "smime") == 0 ? m->smime : m->pgp;
	if (m->pgp == NULL && m->smime == NULL)
		return "the policy lists no key for the sender (pgp or smime "
		    "on the member line): commands and queries need one";
	if (want == NULL || s->fingerprint == NULL ||
	    strcasecmp(want, s->fingerprint) != 0)
		return "it is not signed with the key the policy lists for "
		    "the sender";
	age = fmt_now() - s->created;
	if (s->created == 0 || age > j->a->cf->command_max_age)
		return "its signature is older than command_max_age "
		    "(a replay?)";
	if (!j->u.sig_whole)
		return "its signature covers only a part of the message: "
		    "commands are read only from a message whose whole body "
		    "is signed, and a signed part beside unsigned parts "
		    "carries none";
	return NULL;
}

/*
 * NULL when the signed content binds the commands to this case: a
 * "#case ID" line naming it; else the case's ID in the signed text (or
 * in a protected Subject the signature covers) and no other case's.
 * Else why not (in *own when made here), with how to fix it.
 */
static const char *
bound(struct job *j, struct command_line *c, size_t n, char **own)
{
	const char	*t[2];
	size_t		 i, k, len, off, ml, ls, lp;
	char		*other = NULL;
	int		 named = 0;

	*own = NULL;
	for (i = 0; i < n; i++) {
		if (strcmp(c[i].name, "case") != 0)
			continue;
		if (strcasecmp(c[i].arg, j->case_id) != 0) {
			*own = xasprintf("line %d: #case %.64s, but the mail "
			    "belongs to case %s (by its Subject tag or "
			    "References): commands go only to the case they "
			    "name", c[i].line, c[i].arg, j->case_id);
			return *own;
		}
		named = 1;
	}
	if (named)
		return NULL;
	t[0] = j->m->body;
	t[1] = j->u.sig_subject ? j->m->subject : NULL;
	for (k = 0; k < 2 && other == NULL; k++) {
		len = t[k] ? strlen(t[k]) : 0;
		ls = lp = 0;
		for (i = 0; other == NULL && policy_case_id_find(j->a->pol,
		    t[k], len, i, &off, &ml); i = off + ml) {
			/* the start of its line, moving on only */
			for (; lp < off; lp++)
				if (t[k][lp] == '\n')
					ls = lp + 1;
			/* "#merge OTHER" names the other case by design */
			if (strncmp(t[k] + ls, "#merge", 6) == 0)
				continue;
			if (ml == strlen(j->case_id) &&
			    strncasecmp(t[k] + off, j->case_id, ml) == 0)
				named = 1;
			else
				other = xstrndup(t[k] + off, ml);
		}
	}
	if (other) {
		*own = xasprintf("the signed text names another case (%s): "
		    "add a line \"#case %s\" to the commands to say which "
		    "case they are for", other, j->case_id);
		free(other);
		return *own;
	}
	if (!named) {
		*own = xasprintf("the signed text does not name case %s: add "
		    "a line \"#case %s\" to the commands, or reply to the "
		    "case's notice quoting it", j->case_id, j->case_id);
		return *own;
	}
	return NULL;
}

/* The replay guard's key: the signature's key, time and signed text
 * (trimmed: the blanks around a clear-signed block are not signed). */
static void
signature_key(const struct job *j, char out[65])
{
	const char	*f[4], *t = j->m->body ? j->m->body : "";
	char		 when[32], *body;
	size_t		 n;

	t += strspn(t, " \t\r\n");
	for (n = strlen(t); n > 0 && strchr(" \t\r\n", t[n - 1]); n--)
		;
	body = xstrndup(t, n);
	snprintf(when, sizeof(when), "%lld", j->u.sig.created);
	f[0] = j->u.sig.proto;
	f[1] = j->u.sig.fingerprint;
	f[2] = when;
	f[3] = body;
	hash_fields_hex("psirt-command-signature", f, 4, out);
	free(body);
}

/*
 * The replay guard: a signed block is taken once, anywhere: the same
 * signature under a new Message-ID or another case's tag (or none) is a
 * replay. Records this one; 1 seen before, 0 not, -1 *errstr.
 */
static int
replayed(struct job *j, char **errstr)
{
	char	sig[65];
	int	seen;

	signature_key(j, sig);
	if ((seen = store_command_sig_seen(j->a->st, sig, j->case_id,
	    j->m->message_id, errstr)) == 0)
		seen = store_command_seen(j->a->st, j->m->message_id,
		    j->case_id, errstr);
	return seen;
}

/*
 * May this mail command (or query)? *no NULL when it may, else why not
 * (in *own when made here). The sender a member, the signature theirs,
 * a Message-ID, the commands bound to the case (own not NULL: a mail to
 * a case; NULL: a query that joined none), not a replay (recorded). 0,
 * or -1 *errstr.
 */
static int
admitted(struct job *j, const struct raci_member *m, struct command_line *c,
    size_t n, char **own, const char **no, char **errstr)
{
	int	seen;

	if (m == NULL)
		*no = "the sender is not a member of the team";
	else if ((*no = authentic(j, m)) != NULL)
		;
	else if (j->m->message_id == NULL)
		*no = "it has no Message-ID";
	else if (own && (*no = bound(j, c, n, own)) != NULL)
		;
	else if ((seen = replayed(j, errstr)) == -1)
		return -1;
	else if (seen)
		*no = "a command mail with this signature or Message-ID was "
		    "taken before (a replay?)";
	return 0;
}

/* Mail the sender what happened to their commands (not the reporter:
 * the text names only the case and the lines). */
static int
tell(struct job *j, const char *to, const char *text, char **errstr)
{
	struct reply_in		 ri;
	struct reply_out	 ro;
	char			*subj;
	int			 r;

	memset(&ri, 0, sizeof(ri));
	subj = j->case_id ? xasprintf("[%s] your commands were not applied",
	    j->case_id) : xstrdup("your query was not answered");
	ri.to_addr = to;
	ri.subject = subj;
	ri.body = text;
	ri.in_reply_to = j->m->message_id;
	ri.auto_submitted = "auto-replied";
	r = reply_compose(j->a->cf, &ri, &ro, errstr);
	free(subj);
	if (r == -1)
		return -1;
	r = outbox_queue(j->a, j->case_id, "command-refused", to, &ro, errstr);
	reply_out_free(&ro);
	return r;
}

/* The protocol of key fpr when it has the case reporter's address
 * ("pgp" or "smime"), else NULL; *reporter (malloc'd) that address. */
static const char *
pin_proto(struct job *j, const char *fpr, char **reporter)
{
	struct store_case	 c;
	const char		*p = NULL;
	char			*e = NULL;

	*reporter = NULL;
	if (fpr[0] == '\0' || j->a->gpg == NULL || store_case_get(j->a->st,
	    j->case_id, &c, &e) != 1) {
		free(e);	/* the line is refused */
		return NULL;
	}
	if (c.reporter && gpg_key_has_addr(j->a->gpg, GPG_PGP, fpr,
	    c.reporter))
		p = "pgp";
	else if (c.reporter && gpg_key_has_addr(j->a->gpg, GPG_CMS, fpr,
	    c.reporter))
		p = "smime";
	if (p)
		*reporter = xstrdup(c.reporter);
	store_case_free(&c);
	return p;
}

/* #pin FPR: the key is the reporter's, a member says so (signed). */
static int
pin_apply(struct job *j, const char *fpr, const char *actor, char **errstr)
{
	const char	*proto;
	char		*rep, *d;
	int		 r;

	if ((proto = pin_proto(j, fpr, &rep)) == NULL)
		return 0;
	d = xasprintf("%s key %s pinned for %s by %s", proto, fpr, rep,
	    actor);
	r = store_pin_set(j->a->st, rep, proto, fpr, "member", errstr) ==
	    -1 || store_event_add(j->a->st, j->case_id, "key-pinned", d,
	    actor, errstr) == -1 ? -1 : 0;
	free(d);
	free(rep);
	return r;
}

/* The recipients of a #reply ADDR... or #ask: each word "reporter" or
 * a plain address; *n how many. NULL, or why not. */
static const char *
answer_rcpts(const char *arg, char **rc, size_t max, size_t *n)
{
	const char	*p = arg;
	size_t		 w;

	*n = 0;
	for (;;) {
		p += strspn(p, " \t,");
		if (*p == '\0')
			return NULL;
		w = strcspn(p, " \t,");
		if (*n == max)
			return "too many recipients";
		rc[*n] = xstrndup(p, w);
		if (strcmp(rc[*n], "reporter") != 0 && !reply_addr_ok(rc[*n])) {
			free(rc[*n]);
			return "a recipient is \"reporter\" or a plain address "
			    "(local@domain)";
		}
		(*n)++;
		p += w;
	}
}

/* 0 when the #reply or #ask line may be applied (*text the words to
 * send, once per mail); 1, why appended. */
static int
answer_check(struct job *j, const struct command_line *c, const char *rest,
    char **text, struct buf *why)
{
	size_t	 w = strcspn(c->arg, " \t"), n, i;
	char	*nm = xstrndup(c->arg, w), *rc[8];
	const char *no;
	int	 tmpl;

	if ((tmpl = strcmp(c->name, "reply") == 0 && status_known(nm)) ||
	    (strcmp(c->name, "reply") == 0 && w && memchr(c->arg, '@', w) ==
	    NULL && strcmp(nm, "reporter") != 0)) {
		if (!tmpl)
			buf_printf(why, "line %d: #reply: no status reply "
			    "\"%.64s\" (confirmed, fix-scheduled, fixed, "
			    "cannot-fix, rejected, duplicate, disclosed), nor "
			    "an address\n", c->line, nm);
		free(nm);
		return !tmpl;	/* a status reply, as before */
	}
	free(nm);
	no = answer_rcpts(c->arg, rc, 8, &n);
	for (i = 0; i < n; i++) {
		if (strcmp(c->name, "ask") == 0 && strcmp(rc[i], "reporter") &&
		    no == NULL)
			no = "a question goes to the reporter alone (#ask, "
			    "with no address)";
		free(rc[i]);
	}
	if (no == NULL && strcmp(c->name, "ask") == 0 && !clocks_paused_in(
	    policy_clocks(j->a->pol), "waiting-reporter"))
		no = "the policy has no waiting-reporter status (pause-in) "
		    "for a question to wait in";
	if (no == NULL && *text == NULL)
		*text = answer_text(rest, strlen(rest));
	if (no == NULL && **text == '\0')
		no = "no text to send: write it below the command lines "
		    "(quoted lines, the signature and what follows a line "
		    "#internal are not sent)";
	if (no)
		buf_printf(why, "line %d: #%s: %s\n", c->line, c->name, no);
	return no != NULL;
}

/* Send a #reply or #ask; 1 when it cannot go (why says so), 0, -1. */
static int
answer_apply(struct job *j, const struct command_line *c, const char *text,
    const char *was, struct buf *why, char **errstr)
{
	const struct raci_member *mb;
	struct answer	 an;
	size_t		 w = strcspn(c->arg, " \t"), n, i;
	char		*nm = xstrndup(c->arg, w), *rc[8], *mid, *no;
	const char	*note = c->arg + w;
	int		 r = 0;

	if (strcmp(c->name, "reply") == 0 && status_known(nm)) {
		while (*note == ' ' || *note == '\t')
			note++;
		r = status_reply(j->a, j->case_id, nm, *note ? note : NULL,
		    j->m->from.addr, errstr) == -1 ? -1 : 0;
		free(nm);
		return r;
	}
	free(nm);
	if (answer_rcpts(c->arg, rc, 8, &n) != NULL) {
		for (i = 0; i < n; i++)	/* checked before: not reached */
			free(rc[i]);
		return 1;
	}
	if (n == 0)
		rc[n++] = xstrdup("reporter");
	mb = raci_member(policy_raci(j->a->pol), j->m->from.addr);
	memset(&an, 0, sizeof(an));
	an.case_id = j->case_id;
	an.name = c->name;
	an.text = text;
	an.actor = j->m->from.addr;
	an.actor_name = mb ? mb->name : NULL;
	for (i = 0; i < n && r == 0; i++) {
		an.to = strcmp(rc[i], "reporter") == 0 ? NULL : rc[i];
		if ((r = answer_send(j->a, &an, &mid, &no, errstr)) == -1)
			break;
		if (r == 0) {
			buf_printf(why, "line %d: #%s: %s\n", c->line, c->name,
			    no);
			free(no);
			r = 1;
			break;
		}
		r = strcmp(c->name, "ask") == 0 ? ask_record(j->a, j->case_id,
		    was, mid, j->m->from.addr, errstr) : 0;
		free(mid);
	}
	for (i = 0; i < n; i++)
		free(rc[i]);
	return r;
}

/* Check every line, then apply them all; any bad line: nothing. */
static int
apply(struct job *j, struct command_line *c, size_t n, const char *rest,
    struct buf *why, char **errstr)
{
	static const char *const kv_cmds[] = { "status", "severity", "tlp",
	    "kind", "level", "pause", "resume", "embargo", "unset", NULL };
	char		*kv[MAX_CMDS], *actor = j->m->from.addr, *e2 = NULL;
	char		*pending, *text = NULL, *was = NULL;
	struct store_case c0;
	size_t		 i, k, nkv = 0;
	int		 r = 0, bad = 0;

	pending = pending_exception(j, errstr);
	/* the status before the commands: where an answered #ask returns */
	if (store_case_get(j->a->st, j->case_id, &c0, errstr) == 1) {
		was = xstrdup(c0.status);
		store_case_free(&c0);
	}

	for (i = 0; i < n; i++) {
		for (k = 0; kv_cmds[k] && strcmp(c[i].name, kv_cmds[k]); k++)
			;
		if (kv_cmds[k] || (case_fact_kind(c[i].name) &&
		    c[i].arg[0])) {
			kv[nkv++] = strcmp(c[i].name, "resume") == 0 ?
			    xstrdup("resume") : xasprintf("%s=%s", c[i].name,
			    c[i].arg);
			continue;
		}
		if (strcmp(c[i].name, "note") == 0 ||
		    strcmp(c[i].name, "case") == 0 ||
		    (strcmp(c[i].name, "merge") == 0 && c[i].arg[0]) ||
		    (strcmp(c[i].name, "exception") == 0 && c[i].arg[0]))
			continue;
		if (strcmp(c[i].name, "approve") == 0) {
			if (!accountable(j, "remediation")) {
				buf_printf(why, "line %d: #approve: only the A "
				    "of the remediation task may approve an "
				    "exception\n", c[i].line);
				bad = 1;
			} else if (!pending) {
				buf_printf(why, "line %d: #approve: no "
				    "exception waits for approval\n",
				    c[i].line);
				bad = 1;
			}
			continue;
		}
		if (strcmp(c[i].name, "pin") == 0) {
			char	*rep;

			if (pin_proto(j, c[i].arg, &rep) == NULL) {
				buf_printf(why, "line %d: #pin: no OpenPGP key "
				    "or certificate %.64s with the reporter's "
				    "address in the keyring\n", c[i].line,
				    c[i].arg);
				bad = 1;
			}
			free(rep);
			continue;
		}
		if (query_command(c[i].name))
			continue;	/* answered below */
		if (strcmp(c[i].name, "reply") == 0 ||
		    strcmp(c[i].name, "ask") == 0) {
			if (answer_check(j, &c[i], rest, &text, why))
				bad = 1;
			else if (strcmp(c[i].name, "ask") == 0)
				kv[nkv++] = xstrdup("status=waiting-reporter");
			continue;
		}
		buf_printf(why, "line %d: unknown command #%s, or it needs "
		    "an argument\n", c[i].line, c[i].name);
		bad = 1;
	}
	/* the state changes are checked by applying them: a bad value or
	 * a forbidden status move fails the whole transaction part */
	if (!bad && nkv && case_apply(j->a, j->case_id, kv, nkv, actor,
	    fmt_now(), &e2) == -1) {
		buf_printf(why, "%s\n", e2 ? e2 : "rejected");
		free(e2);
		bad = 1;
	}
	for (i = 0; !bad && r == 0 && i < n; i++) {
		if (strcmp(c[i].name, "exception") == 0) {
			/* recorded; the A of remediation must approve */
			r = store_fact_add(j->a->st, j->case_id,
			    "exception-pending", c[i].arg, 0, 0, j->qid,
			    errstr) == -1 || exception_event(j, "exception-"
			    "requested", c[i].arg, actor, errstr) == -1 ||
			    notice_event(j->a, PEV_EXCEPTION, j->case_id,
			    j->qid, c[i].arg, errstr) == -1 ? -1 : 0;
			continue;
		}
		if (strcmp(c[i].name, "approve") == 0) {
			char	*met = xstrdup("met=fix");

			r = store_fact_add(j->a->st, j->case_id, "exception",
			    pending, 0, 0, j->qid, errstr) == -1 ||
			    exception_event(j, "exception-approved", pending,
			    actor, errstr) == -1 ? -1 : 0;
			/* the fix deadline is set aside */
			if (r == 0 && case_apply(j->a, j->case_id, &met, 1,
			    actor, fmt_now(), &e2) == -1) {
				free(e2);	/* no running fix clock */
				e2 = NULL;
			}
			free(met);
			continue;
		}
		if (strcmp(c[i].name, "merge") == 0) {
			/* #merge CASE: that case into this one */
			if ((r = case_merge_apply(j->a, j->case_id, c[i].arg,
			    actor, &e2)) == 1) {
				buf_printf(why, "line %d: #merge %s: %s\n",
				    c[i].line, c[i].arg, e2);
				free(e2);
				e2 = NULL;
				bad = 1;
				r = 0;
			} else if (r == -1) {
				*errstr = e2;
				e2 = NULL;
			}
			continue;
		}
		if (strcmp(c[i].name, "pin") == 0) {
			r = pin_apply(j, c[i].arg, actor, errstr);
			continue;
		}
		if (query_command(c[i].name)) {
			if ((r = query_answer(j, raci_member(policy_raci(
			    j->a->pol), actor), c[i].line, c[i].name, c[i].arg,
			    why, errstr)) == 1) {
				bad = 1;
				r = 0;
			}
			continue;
		}
		if (strcmp(c[i].name, "reply") == 0 ||
		    strcmp(c[i].name, "ask") == 0) {
			if ((r = answer_apply(j, &c[i], text, was, why,
			    errstr)) == 1) {
				bad = 1;
				r = 0;
			}
			continue;
		}
	}
	for (i = 0; i < nkv; i++)
		free(kv[i]);
	free(pending);
	free(text);
	free(was);
	if (r == -1)
		return -1;
	return bad ? 1 : 0;
}

/*
 * Tell the sender why nothing was applied, at most refusal-limit times
 * an hour per address; past it the refusal is an event only, and the
 * first one held back in an hour is told to the intake's R, once.
 */
static int
refusal_mail(struct job *j, const char *no, const struct buf *why,
    char **errstr)
{
	const char		*to = j->m->from.addr;
	long long		 count = 0, now = (long long)time(NULL);
	long long		 lim = policy_refusal_limit(j->a->pol);
	char			*d;
	int			 r;

	if (store_replies_since(j->a->st, to, "command-refused", now - 3600,
	    &count, errstr) == -1)
		return -1;
	if (count < lim && j->case_id == NULL) {
		/* a query (#show, #list, #search) that joined no case */
		d = xasprintf("Your query was not answered:\n\n  %s\n%s%s\n"
		    "Queries need a valid signature over the whole message "
		    "by the key the policy lists for you, a From: that is "
		    "you, and a signature no older than %lld seconds; each "
		    "signed mail is answered once, and only encrypted to "
		    "your key.\n\n-- \n%s\n", no, why->len ? "\n" : "",
		    why->len ? why->s : "", j->a->cf->command_max_age,
		    j->a->cf->psirt_name);
		r = tell(j, to, d, errstr);
		free(d);
		return r;
	}
	if (count < lim) {
		d = xasprintf("Nothing of your commands to case %s was "
		    "applied:\n\n  %s\n%s%s\nCommands need a valid "
		    "signature over the whole message by the key the "
		    "team's policy lists for you, a From: that is you, "
		    "the case's ID in the signed text (or a line "
		    "\"#case %s\" among the commands), and a signature "
		    "no older than %lld seconds; each signed mail is "
		    "applied once.\n\n-- \n%s\n", j->case_id, no,
		    why->len ? "\n" : "", why->len ? why->s : "",
		    j->case_id, j->a->cf->command_max_age,
		    j->a->cf->psirt_name);
		r = tell(j, to, d, errstr);
		free(d);
		return r;
	}
	d = xasprintf("no refusal mail to %s: refusal-limit %lld per hour "
	    "reached", to, lim);
	log_warnx("%s: %s", j->case_id, d);
	r = store_event_add(j->a->st, j->case_id, "refusal-held", d, "agent",
	    errstr);
	free(d);
	if (r == -1 || (r = store_refusal_burst(j->a->st, to, now,
	    errstr)) != 1)
		return r == -1 ? -1 : 0;
	d = xasprintf("%lld command mails from %s refused within an hour; "
	    "more refusals to that address are recorded on their cases, "
	    "not mailed, until an hour has passed", count + 1, to);
	r = notice_intake(j->a, j->case_id, "refusal-burst",
	    "receiving refused command mails", d, errstr);
	free(d);
	return r;
}

/*
 * Commands are read in the member's own words (the body, mime.h), not
 * in the report's text chosen from a file or a forwarded message: the
 * lines of a report a member forwards are never taken as commands, and
 * what a #reply sends never reaches into the forwarded text.
 */
int
command_mail(struct job *j, char **errstr)
{
	const struct raci_member *m;
	struct command_line	 c[MAX_CMDS];
	struct buf		 why;
	const char		*no, *rest;
	char			*d, *own = NULL;
	size_t			 n, i;
	int			 r = 0;

	if (!command_present(j->m->body))
		return 0;
	m = raci_member(policy_raci(j->a->pol), j->m->from.addr);
	n = scan(j->m->body, c, MAX_CMDS, &rest);
	buf_init(&why);
	if (admitted(j, m, c, n, &own, &no, errstr) == -1) {
		r = -1;
		goto out;
	}
	if (no == NULL) {
		/* a savepoint: a refused mail leaves no change behind */
		if (store_savepoint(j->a->st, "commands", errstr) == -1) {
			r = -1;
			goto out;
		}
		if ((r = apply(j, c, n, rest, &why, errstr)) == -1)
			goto out;
		if (r == 1) {
			if (store_rollback_to(j->a->st, "commands",
			    errstr) == -1) {
				r = -1;
				goto out;
			}
			no = "a command cannot be applied";
		} else if (store_release(j->a->st, "commands", errstr) == -1) {
			r = -1;
			goto out;
		}
		r = 0;
	}
	if (no) {
		d = xasprintf("commands from %s not applied: %s%s%s",
		    j->m->from.addr ? j->m->from.addr : "(unknown)", no,
		    why.len ? "; " : "", why.len ? why.s : "");
		for (i = 0; d[i]; i++)
			if (d[i] == '\n')
				d[i] = ' ';
		log_warnx("%s", d);
		r = store_event_add(j->a->st, j->case_id, "command-refused", d,
		    "agent", errstr);
		free(d);
		if (r == 0 && j->m->from.addr)
			r = refusal_mail(j, no, &why, errstr);
	} else {
		d = xasprintf("%zu command%s from %s applied", n, n == 1 ? "" :
		    "s", j->m->from.addr);
		r = store_event_add(j->a->st, j->case_id, "commands-applied",
		    d, j->m->from.addr, errstr);
		free(d);
	}
out:
	for (i = 0; i < n; i++) {
		free(c[i].name);
		free(c[i].arg);
	}
	free(own);
	buf_free(&why);
	return r;
}

int
command_query_mail(struct job *j, char **errstr)
{
	const struct raci_member *m;
	struct command_line	 c[MAX_CMDS];
	struct buf		 why;
	const char		*no = NULL;
	char			*d;
	size_t			 n, i;
	int			 r = 0, x;

	if ((m = raci_member(policy_raci(j->a->pol), j->m->from.addr)) ==
	    NULL || !command_present(j->m->body))
		return 0;
	n = scan(j->m->body, c, MAX_CMDS, NULL);
	for (i = 0; i < n && query_command(c[i].name); i++)
		;
	if (i < n) {
		for (i = 0; i < n; i++) {
			free(c[i].name);
			free(c[i].arg);
		}
		return 0;	/* not a query alone: a report, as before */
	}
	buf_init(&why);
	if (admitted(j, m, c, n, NULL, &no, errstr) == -1) {
		r = -1;
		goto out;
	}
	if (no == NULL) {
		/* all lines answered, or none */
		if (store_savepoint(j->a->st, "query", errstr) == -1) {
			r = -1;
			goto out;
		}
		for (i = 0, x = 0; i < n && x != -1; i++)
			if ((x = query_answer(j, m, c[i].line, c[i].name,
			    c[i].arg, &why, errstr)) == 1)
				no = "a query cannot be answered";
		if (x == -1 || (no ? store_rollback_to(j->a->st, "query",
		    errstr) : store_release(j->a->st, "query", errstr)) == -1) {
			r = -1;
			goto out;
		}
	}
	d = xasprintf("query by %s %s%s%s%s", j->m->from.addr, no ?
	    "not answered: " : "answered", no ? no : "", why.len ? "; " :
	    "", why.len ? why.s : "");
	for (i = 0; d[i]; i++)
		if (d[i] == '\n')
			d[i] = ' ';
	if (no)
		log_warnx("%s", d);
	r = store_event_add(j->a->st, NULL, no ? "query-refused" : "query", d,
	    j->m->from.addr, errstr);
	free(d);
	if (r == 0 && no)
		r = refusal_mail(j, no, &why, errstr);
out:
	for (i = 0; i < n; i++) {
		free(c[i].name);
		free(c[i].arg);
	}
	buf_free(&why);
	return r == -1 ? -1 : 1;
}
