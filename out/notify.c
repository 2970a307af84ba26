/*
 * notify.c: the team's notices of new events, batched per member. See
 * notify.h.
 *
 * A notice carries the case's standard elements: case ID, kind, status,
 * severity or level, TLP, the running clocks and what is due next, and,
 * to a member the case's TLP allows, the reporter, CVE IDs and products
 * (in clear never for a TLP:RED case). What people wrote (the subject,
 * the message's text up to NOTIFY_TEXT_MAX, an exception's reason, the
 * recipient of a held reply) goes only encrypted to the OpenPGP key the
 * policy lists for the member, and for a TLP:RED case only to the R and
 * A of the event's task (notice_member's rule), and only to members the
 * case's TLP allows; otherwise the notice says how to ask for it
 * (#show).
 * Encryption that fails sends the notice without content: nothing is
 * lost, nothing leaks. A quarantined message has no case: its notice
 * names the queue ID and the reason, never content.
 *
 * Trust: the texts are the reporters'; they go into the body of a mail
 * to the team only, and into the Subject never (templates make header
 * values safe).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "agent/agent.h"
#include "agent/config.h"
#include "crypto/unwrap.h"
#include "crypto/wrap.h"
#include "out/notify.h"
#include "out/outbox.h"
#include "out/reply.h"
#include "out/timers.h"
#include "policies/policy.h"
#include "policies/raci.h"
#include "policies/template.h"
#include "spool/store.h"
#include "spool/store_case.h"
#include "spool/store_clock.h"
#include "spool/store_notice.h"
#include "spool/vault.h"
#include "util/buf.h"
#include "util/fmt.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define NOTIFY_TEXT_MAX		(64 * 1024)	/* of one message */
#define NOTIFY_CONTENT_MAX	(1024 * 1024)	/* of one mail */
#define NOTIFY_OUT_MAX		(2 * 1024 * 1024)	/* template output */

struct item {
	struct store_notice	*n;
	struct store_case	 c;
	int			 has_case;
	int			 content;	/* may carry the content */
	int			 may;		/* the TLP lets the member see
						 * the case's elements */
};

static int	 flush_member(struct agent *, const char *, long long,
		    char **);
static void	 title(const struct item *, int, struct buf *);
static void	 elements(struct agent *, const struct item *, int, int,
		    struct buf *);
static void	 content(struct agent *, const struct item *, int, size_t *,
		    struct buf *);
static void	 wipe(struct buf *);
static int	 compose(struct agent *, const struct raci_member *,
		    struct item *, size_t, int, struct reply_out *,
		    char **);

/* Case content was in it. */
static void
wipe(struct buf *b)
{
	if (b->s)
		sodium_memzero(b->s, b->len);
	buf_free(b);
}

/* The line that says what happened. */
static void
title(const struct item *it, int zh, struct buf *b)
{
	const char	*e = it->n->event;

	if (strcmp(e, "report") == 0)
		buf_puts(b, zh ? "新通報" : "New report");
	else if (strcmp(e, "followup") == 0)
		buf_puts(b, zh ? "通報者的後續來信" :
		    "Follow-up from the reporter");
	else if (strcmp(e, "quarantine") == 0)
		buf_printf(b, zh ? "郵件已隔離（佇列編號 %s）" :
		    "Message quarantined (queue ID %s)", it->n->ref);
	else if (strcmp(e, "hold") == 0)
		buf_printf(b, zh ? "郵件已暫存待查（佇列編號 %s）" :
		    "Message held (queue ID %s)", it->n->ref);
	else if (strcmp(e, "review") == 0)
		buf_puts(b, zh ? "回覆信件因 TLP 待審" :
		    "Reply held for review (TLP)");
	else if (strcmp(e, "exception") == 0)
		buf_puts(b, zh ? "例外申請待核准" :
		    "Exception awaiting approval");
	else
		buf_puts(b, e);
}

/* The case's elements: ID, kind, status, severity or level, TLP and the
 * clocks always; the reporter, CVEs and products when the TLP lets the
 * member see the case (with; in clear never for TLP:RED); the subject,
 * what a person wrote, only with the content (encrypted). */
static void
elements(struct agent *a, const struct item *it, int zh, int with,
    struct buf *b)
{
	const struct store_case	*c = &it->c;
	struct store_deadline	*d = NULL;
	struct store_fact	*f = NULL;
	size_t			 nd = 0, nf = 0, i, first;
	char			*err = NULL, t[40];
	const char		*next = NULL;

	if (!it->has_case) {
		buf_printf(b, zh ? "佇列編號：%s\n原因：    %s\n" :
		    "Queue ID: %s\nReason:   %s\n", it->n->ref,
		    it->n->detail ? it->n->detail : "");
		buf_printf(b, zh ? "查看：    psirt-agent queue list\n" :
		    "See:      psirt-agent queue list\n");
		return;
	}
	buf_printf(b, zh ? "案件：    %s\n類型：    %s\n狀態：    %s\n" :
	    "Case:     %s\nKind:     %s\nStatus:   %s\n", c->id, c->kind,
	    c->status);
	if (strcmp(c->kind, "incident") == 0) {
		if (c->level)
			buf_printf(b, zh ? "等級：    %d\n" : "Level:    %d\n",
			    c->level);
		else
			buf_puts(b, zh ? "等級：    （未設定）\n" :
			    "Level:    (not set)\n");
	} else
		buf_printf(b, zh ? "嚴重度：  %s\n" : "Severity: %s\n",
		    c->severity ? c->severity : zh ? "（未設定）" :
		    "(not set)");
	buf_printf(b, "TLP:      %s\n", c->tlp ? c->tlp : zh ? "（無）" :
	    "(none)");
	if (c->merged_into)
		buf_printf(b, zh ? "已併入：  %s\n" : "Merged:   into %s\n",
		    c->merged_into);
	/* that nobody can be answered is no secret, and the team must
	 * know it at once */
	if (c->reporter == NULL)
		buf_puts(b, zh ? "通報者：  （無回覆地址）\n" :
		    "Reporter: (no reply address)\n");
	if (with) {
		if (c->reporter != NULL)
			buf_printf(b, zh ? "通報者：  %s%s<%s>\n" :
			    "Reporter: %s%s<%s>\n", c->reporter_name ?
			    c->reporter_name : "", c->reporter_name ? " " :
			    "", c->reporter);
		if (it->content)
			buf_printf(b, zh ? "主旨：    %s\n" : "Subject:  %s\n",
			    c->subject ? c->subject : "");
		if (store_facts(a->st, c->id, &f, &nf, &err) == -1) {
			log_warnx("notice: %s", err);
			free(err);
			err = NULL;
		}
		for (i = 0; i < nf; i++)
			if (strcmp(f[i].kind, "cve") == 0 ||
			    strcmp(f[i].kind, "product") == 0)
				buf_printf(b, "%s%s\n", strcmp(f[i].kind,
				    "cve") == 0 ? "CVE:      " : zh ?
				    "產品：    " : "Product:  ", f[i].value);
		store_facts_free(f, nf);
	}
	if (store_deadlines(a->st, c->id, &d, &nd, &err) == -1) {
		log_warnx("notice: %s", err);
		free(err);
		nd = 0;
	}
	for (i = 0, first = nd; i < nd; i++) {
		if (strcmp(d[i].state, "met") == 0)
			continue;
		fmt_utc(d[i].due_at, "%Y-%m-%d %H:%M UTC", t, sizeof(t));
		buf_printf(b, zh ? "時限：    %s，%s 到期（%s）\n" :
		    "Clock:    %s, due %s (%s)\n", d[i].clock, t, d[i].state);
		if (strcmp(d[i].state, "running") == 0 && (first == nd ||
		    d[i].due_at < d[first].due_at))
			first = i;
	}
	if (first < nd)
		next = deadline_next(d[first].clock);
	if (next)
		buf_printf(b, zh ? "下一步：  %s（%s 時限）\n" :
		    "Next:     %s (the %s clock)\n", next, d[first].clock);
	store_deadlines_free(d, nd);
}

/* The message itself (or the reason), or how to ask for it. */
static void
content(struct agent *a, const struct item *it, int zh, size_t *used,
    struct buf *b)
{
	const struct store_notice	*n = it->n;
	struct vault			*v;
	unsigned char			*text;
	size_t				 len;
	char				*name, *err = NULL;

	if (!it->has_case)
		return;		/* a queue ID and a reason: no content */
	if (!it->content) {
		buf_printf(b, zh ? "本信不含案件內容。如需內容，請以簽章郵件"
		    "寄送一行 #show %s 至 %s\n" : "This notice carries no case "
		    "content. To get it, send a signed mail with the line "
		    "#show %s to %s\n", it->c.id, a->cf->psirt_address);
		return;
	}
	if (n->detail && (strcmp(n->event, "review") == 0 ||
	    strcmp(n->event, "exception") == 0)) {
		buf_printf(b, "%s%s\n", zh ? "說明：" : "Detail: ", n->detail);
		return;
	}
	if (n->ref[0] == '\0')
		return;
	if (*used >= NOTIFY_CONTENT_MAX) {
		buf_printf(b, zh ? "（本信已達長度上限，未附內文；請寄 #show %s）"
		    "\n" : "(the text is left out: this mail is at its size "
		    "limit; send #show %s)\n", it->c.id);
		return;
	}
	name = xasprintf("%s.text", n->ref);
	if ((v = agent_vault(a, &err)) == NULL ||
	    vault_get(v, name, &text, &len, &err) == -1) {
		buf_printf(b, zh ? "（內文無法讀取：%s）\n" :
		    "(the text cannot be read: %s)\n", err);
		free(err);
		free(name);
		return;
	}
	free(name);
	buf_printf(b, zh ? "---- 來信內容（佇列編號 %s）----\n" :
	    "---- the message (queue ID %s) ----\n", n->ref);
	if (len > NOTIFY_TEXT_MAX) {
		/* cut at a character boundary */
		size_t	k = NOTIFY_TEXT_MAX;

		while (k > 0 && (text[k] & 0xc0) == 0x80)
			k--;
		buf_add(b, text, k);
		buf_printf(b, zh ? "\n（以下省略，全文共 %zu 位元組）\n" :
		    "\n(cut here: %zu bytes in all)\n", len);
		*used += k;
	} else {
		buf_add(b, text, len);
		*used += len;
	}
	buf_puts(b, "\n----\n");
	vault_free_plain(text);
}

/* The mail for items[0..n): encrypted when `crypt`; 0 or -1. */
static int
compose(struct agent *a, const struct raci_member *m, struct item *it,
    size_t n, int crypt, struct reply_out *ro, char **errstr)
{
	const struct template	*tp;
	struct reply_in		 ri;
	struct wrap_to		 to;
	struct crypto		 cr;
	struct tvar		 v[10];
	struct buf		 ev, el, ct, list;
	char			*subj = NULL, *body = NULL, *outer, cnt[24];
	const char		*lang;
	size_t			 i, nv = 0, used = 0;
	int			 zh, rv = -1;

	lang = n == 1 && it[0].has_case ? it[0].c.lang : NULL;
	tp = policy_template(a->pol, n == 1 ? "team-notice" : "team-batch",
	    lang);
	if (tp == NULL) {
		*errstr = xstrdup("no template team-notice or team-batch");
		return -1;
	}
	zh = lang != NULL && strcmp(lang, "zh-TW") == 0;
	buf_init(&ev);
	buf_init(&el);
	buf_init(&ct);
	buf_init(&list);
#define V(k, val)	do { v[nv].name = (k); v[nv].value = (val); nv++; } \
			    while (0)
	if (n == 1) {
		title(&it[0], zh, &ev);
		elements(a, &it[0], zh, it[0].may, &el);
		content(a, &it[0], zh, &used, &ct);
		V("case_id", it[0].has_case ? it[0].c.id : it[0].n->event);
		V("event", ev.s ? ev.s : "");
		V("elements", el.s ? el.s : "");
		V("content", ct.s ? ct.s : "");
	} else {
		for (i = 0; i < n; i++) {
			buf_printf(&list, "%s== %zu. ", i ? "\n" : "", i + 1);
			title(&it[i], zh, &list);
			buf_puts(&list, "\n");
			elements(a, &it[i], zh, it[i].may, &list);
			content(a, &it[i], zh, &used, &list);
		}
		snprintf(cnt, sizeof(cnt), "%zu", n);
		V("count", cnt);
		V("events", list.s ? list.s : "");
	}
	V("recipient_name", m->name);
	V("psirt_name", a->cf->psirt_name);
	V("psirt_address", a->cf->psirt_address);
#undef V
	if (template_render(tp, v, nv, NOTIFY_OUT_MAX, &subj, &body,
	    errstr) == -1)
		goto out;
	memset(&ri, 0, sizeof(ri));
	ri.to_addr = m->addr;
	ri.to_name = m->name;
	ri.subject = subj ? subj : "team notice";
	ri.body = body;
	ri.auto_submitted = "auto-generated";
	ri.reply_to = a->cf->psirt_address;
	if (reply_compose(a->cf, &ri, ro, errstr) == -1)
		goto out;
	if (crypt) {
		agent_crypto(a, &cr);
		memset(&to, 0, sizeof(to));
		to.proto = "pgp";
		to.fingerprint = m->pgp;
		to.signer = a->cf->psirt_fingerprint;
		outer = n == 1 && it[0].has_case ? xasprintf("[%s] team notice",
		    it[0].c.id) : xstrdup("team notice");
		if (wrap_reply(&cr, &to, &ro->text, &ro->len, outer,
		    errstr) == -1) {
			free(outer);
			reply_out_free(ro);
			goto out;
		}
		free(outer);
	}
	rv = 0;
out:
	wipe(&ct);
	wipe(&list);
	buf_free(&ev);
	buf_free(&el);
	free(subj);
	if (body) {
		sodium_memzero(body, strlen(body));
		free(body);
	}
	return rv;
}

/*
 * One member's pending notices in one mail, in one transaction: the
 * mail queued, an event on each case, the notices removed and the time
 * recorded. 1 queued, 0 nothing to send, -1 *errstr (rolled back).
 */
static int
flush_member(struct agent *a, const char *rcpt, long long now,
    char **errstr)
{
	const struct raci_member *m;
	struct store_notice	*ns = NULL;
	struct reply_out	 ro;
	struct item		*it = NULL;
	const char		*case_id = NULL;
	char			*d, *err = NULL;
	size_t			 nn = 0, i;
	int			 r, crypt = 0, same = 1, rv = -1;

	if (store_begin(a->st, errstr) == -1)
		return -1;
	if (store_notice_list(a->st, rcpt, &ns, &nn, errstr) == -1)
		goto fail;
	if (nn == 0) {
		store_rollback(a->st);
		return 0;
	}
	/* a member the policy no longer lists: nobody to tell */
	if ((m = raci_member(policy_raci(a->pol), rcpt)) == NULL) {
		log_warnx("%zu team notices to %s dropped: no longer a member "
		    "of the team in the policy", nn, rcpt);
		if (store_notice_done(a->st, rcpt, ns[nn - 1].id, now,
		    errstr) == -1 || store_commit(a->st, errstr) == -1)
			goto fail;
		store_notices_free(ns, nn);
		return 0;
	}
	it = xcalloc(nn, sizeof(*it));
	for (i = 0; i < nn; i++) {
		it[i].n = &ns[i];
		if (ns[i].case_id && (r = store_case_get(a->st, ns[i].case_id,
		    &it[i].c, errstr)) != 0) {
			if (r == -1)
				goto fail;
			it[i].has_case = 1;
		}
		/* the content: encrypted to the member's key, and the TLP
		 * allows them (RED: the R and A of the event's task) */
		it[i].may = it[i].has_case && (it[i].c.tlp == NULL ||
		    strcmp(it[i].c.tlp, "RED") != 0 || ns[i].red) &&
		    policy_tlp_allows(a->pol, it[i].c.tlp, m->addr,
		    it[i].c.reporter);
		it[i].content = it[i].may && m->pgp != NULL;
		/* a TLP:RED case's elements never go in clear */
		if (!it[i].content && it[i].c.tlp && strcmp(it[i].c.tlp,
		    "RED") == 0)
			it[i].may = 0;
		crypt |= it[i].content;
		if (i == 0)
			case_id = it[i].has_case ? it[i].c.id : NULL;
		else if (!it[i].has_case || case_id == NULL ||
		    strcmp(case_id, it[i].c.id) != 0)
			same = 0;
	}
	if (compose(a, m, it, nn, crypt, &ro, &err) == -1) {
		if (!crypt)
			goto fail_err;
		/* not encrypted: sent without content, never in clear */
		log_warnx("team notice to %s not encrypted: %s; sent without "
		    "case content", m->addr, err);
		free(err);
		err = NULL;
		for (i = 0; i < nn; i++) {
			it[i].content = 0;
			if (it[i].c.tlp && strcmp(it[i].c.tlp, "RED") == 0)
				it[i].may = 0;
		}
		crypt = 0;
		if (compose(a, m, it, nn, 0, &ro, &err) == -1)
			goto fail_err;
	}
	/* the Message-ID finds the case when a member replies to it */
	r = outbox_queue(a, same ? case_id : NULL, nn == 1 ? "team-notice" :
	    "team-batch", m->addr, &ro, errstr);
	reply_out_free(&ro);
	if (r == -1)
		goto fail;
	for (i = 0; i < nn; i++) {
		if (!it[i].has_case)
			continue;
		d = nn == 1 ? xasprintf("%s notice to %s <%s>%s", ns[i].event,
		    m->name, m->addr, it[i].content ? ", encrypted, with "
		    "content" : ", without content") : xasprintf("%s notice "
		    "to %s <%s>, one of %zu in one mail%s", ns[i].event,
		    m->name, m->addr, nn, it[i].content ? ", encrypted, with "
		    "content" : ", without content");
		r = store_event_add(a->st, it[i].c.id, "team-notice", d,
		    "agent", errstr);
		free(d);
		if (r == -1)
			goto fail;
	}
	if (store_notice_done(a->st, rcpt, ns[nn - 1].id, now, errstr) == -1 ||
	    store_commit(a->st, errstr) == -1)
		goto fail;
	log_info("team notice to %s: %zu event%s%s", m->addr, nn, nn == 1 ?
	    "" : "s", crypt ? ", encrypted" : "");
	rv = 1;
	goto out;
fail_err:
	*errstr = err;
fail:
	store_rollback(a->st);
out:
	for (i = 0; it && i < nn; i++)
		if (it[i].has_case)
			store_case_free(&it[i].c);
	free(it);
	store_notices_free(ns, nn);
	return rv;
}

int
notify_flush(struct agent *a, long long now)
{
	char		**rcpts, *err = NULL;
	long long	 *last;
	size_t		 n, i;
	int		 sent = 0, r, failed = 0;

	if (a->pol == NULL || a->st == NULL)
		return 0;
	if (store_notice_rcpts(a->st, &rcpts, &last, &n, &err) == -1) {
		log_warnx("team notices: %s", err);
		free(err);
		return -1;
	}
	for (i = 0; i < n; i++) {
		/* told a moment ago: the next flush, with whatever else
		 * comes meanwhile */
		if (last[i] > 0 && now - last[i] < a->cf->notice_batch_delay &&
		    now >= last[i])
			continue;
		if ((r = flush_member(a, rcpts[i], now, &err)) == -1) {
			log_warnx("team notice to %s: %s (kept for the next "
			    "flush)", rcpts[i], err ? err : "failed");
			free(err);
			err = NULL;
			failed = 1;
			continue;
		}
		sent += r;
	}
	store_notice_rcpts_free(rcpts, last, n);
	return failed ? -1 : sent;
}
