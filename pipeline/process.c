/*
 * process.c: one spooled message through the pipeline.
 *
 * Each message is moved incoming/ -> active/ first; its attempt count
 * is committed to the store before any parsing, so a message that
 * crashes the agent is quarantined after process_max_attempts runs
 * instead of looping. Everything a message changes (case, message rows,
 * attachments, events, the queued acknowledgement) is one transaction;
 * the spool file leaves active/ only after that commit, and a message
 * whose queue ID is already stored is just archived, so a crash between
 * the two steps neither loses nor duplicates anything.
 *
 * Results: PROC_DONE (archive/), PROC_HELD (hold/: automatic mail that
 * belongs to no case), PROC_DEFER (deferred/: store busy or I/O fault;
 * retried with backoff), PROC_QUARANTINE (quarantine/: no mail at all
 * (no header field and no body), repeated crashes). Header limits cut
 * (header.h) and a report with no sender address is a case marked "no
 * reply address". Every reason is logged
 * with the queue ID and kept for `queue list`.
 */
#include <sys/wait.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "agent/agent.h"
#include "pipeline/assess.h"
#include "pipeline/credit.h"
#include "pipeline/ask.h"
#include "pipeline/copied.h"
#include "pipeline/staffcmd.h"
#include "agent/config.h"
#include "out/timers.h"
#include "util/log.h"
#include "out/notice.h"
#include "out/notify.h"
#include "out/outbox.h"
#include "out/reply.h"
#include "pipeline/process.h"
#include "crypto/gpg.h"
#include "pipeline/job.h"
#include "pipeline/thread.h"
#include "crypto/unwrap.h"
#include "util/buf.h"
#include "util/fmt.h"
#include "util/hash.h"
#include "util/json.h"
#include "util/xmalloc.h"
#include "parsers/header.h"
#include "parsers/mailkind.h"
#include "parsers/mime.h"
#include "policies/raci.h"
#include "policies/policy.h"
#include "spool/queue.h"
#include "spool/store.h"
#include "spool/store_case.h"
#include "spool/store_msg.h"
#include "spool/store_out.h"
#include "spool/vault.h"

#define TMP_MAX_AGE	(36 * 3600)

static enum proc_result	 process_one(struct agent *, const char *,
			    enum queue_dir, char **, long long *, int *);
static enum proc_result	 read_job(struct job *);
static enum proc_result	 run_job(struct job *);
static int		 retry_one(struct agent *, const char *);
static int		 store_in_case(struct job *, const char *kind,
			    char **);
static int		 seal_content(struct job *, char **);
static void		 job_free(struct job *);
static int		 open_case(struct job *, char **);


static char		*facts_json(const struct job *);
static char		*sig_json(const struct job *);
static void		 crypto_stage(struct job *);
static int		 crypto_event(struct job *, char **);
static int		 finish(struct agent *, const char *, enum proc_result,
			    const char *, long long, int);
static char		*order_key(struct agent *, const char *);
static int		 run_list(struct agent *, enum queue_dir, char **,
			    size_t);

static char *
facts_json(const struct job *j)
{
	struct buf	b;
	struct json	js;

	buf_init(&b);
	json_init(&js, &b);
	json_obj_begin(&js);
	json_kstr(&js, "class", mailkind_name(j->cls.kind));
	json_kstr(&js, "evidence", j->cls.evidence[0] ? j->cls.evidence :
	    NULL);
	json_key(&js, "is_list");
	json_bool(&js, j->cls.is_list);
	json_key(&js, "is_feedback_report");
	json_bool(&js, j->cls.is_feedback);
	json_kstr(&js, "content_type", j->m->content_type);
	json_kstr(&js, "report_type", j->m->report_type);
	if (j->m->has_dsn) {
		json_kstr(&js, "dsn_action", j->m->dsn_action);
		json_kstr(&js, "dsn_status", j->m->dsn_status);
		json_kstr(&js, "dsn_final_recipient",
		    j->m->dsn_final_recipient);
	}
	json_kstr(&js, "envelope_sender", j->qm.env.sender);
	if (j->u.decrypted_by)
		json_kstr(&js, "decrypted_by", j->u.decrypted_by);
	if (j->u.notes)
		json_kstr(&js, "crypto", j->u.notes);
	json_obj_end(&js);
	return buf_release(&b);
}

/* messages[].signature: null, or what the verdict says. */
static char *
sig_json(const struct job *j)
{
	const struct sig_info	*s = &j->u.sig;
	struct buf		 b;
	struct json		 js;

	if (!j->u.has_sig)
		return NULL;
	buf_init(&b);
	json_init(&js, &b);
	json_obj_begin(&js);
	json_kstr(&js, "status", sig_status_name(s->status));
	json_kstr(&js, "fingerprint", s->fingerprint);
	json_kstr(&js, "signer", s->signer);
	json_key(&js, "from_matches");
	json_bool(&js, unwrap_from_matches(&j->u, j->m->from.addr));
	json_kstr(&js, "protocol", s->proto);
	json_key(&js, "trusted");
	json_bool(&js, s->trusted);
	json_kstr(&js, "covers", j->u.sig_whole ? "whole" : "part");
	json_kstr(&js, "addresses", s->addrs);
	json_kstr(&js, "detail", s->detail);
	if (s->created > 0) {
		char	t[40];

		fmt_utc(s->created, "%Y-%m-%dT%H:%M:%SZ", t, sizeof(t));
		json_kstr(&js, "created", t);
	}
	json_obj_end(&js);
	return buf_release(&b);
}

/*
 * Take encryption and signatures off (unwrap.h); the parse of what the
 * reader sees replaces that of the spooled bytes. A result that no
 * longer parses keeps the outer parse, with a note.
 */
static void
crypto_stage(struct job *j)
{
	struct crypto	 c;
	struct mime_msg	*m2 = NULL;
	char		*err = NULL;

	agent_crypto(j->a, &c);
	learn_preimport(j);
	if (unwrap_timed(&c, j->qm.data, j->qm.len,
	    j->a->cf->crypto_time_limit, &j->u, &err) == -1) {
		log_warnx("crypto stage: %s", err);
		free(err);
		return;
	}
	/* signed with a key the message carries (attached or pasted): with
	 * those keys imported, once more, so that the signature can prove
	 * the key (learn_keys) */
	if (j->u.has_sig && j->u.sig.status == SIG_UNKNOWN_KEY &&
	    j->u.nkeys > 0 && learn_import_attached(j) > 0) {
		unwrap_free(&j->u);
		if (unwrap_timed(&c, j->qm.data, j->qm.len,
		    j->a->cf->crypto_time_limit, &j->u, &err) == -1) {
			log_warnx("crypto stage: %s", err);
			free(err);
			return;
		}
	}
	if (!j->u.changed)
		return;
	if (mime_parse(j->u.buf, j->u.len, &j->a->cf->limits, &m2,
	    &err) == -1) {
		log_warnx("decrypted message unreadable: %s", err);
		free(err);
		return;
	}
	mime_free(&j->m);
	j->m = m2;
	j->mbuf = j->u.buf;
	j->mlen = j->u.len;
}

/* Record on the case what the crypto stage could not do. */
static int
crypto_event(struct job *j, char **errstr)
{
	char	*d;
	int	 rv;

	if (j->u.encryption == NULL || j->u.decrypted)
		return 0;
	d = xasprintf("queue ID %s: %s message not decrypted: %s", j->qid,
	    strcmp(j->u.encryption, "pgp") == 0 ? "OpenPGP" : "S/MIME",
	    j->u.error ? j->u.error : "unknown reason");
	log_warnx("%s", d);
	rv = store_event_add(j->a->st, j->case_id, "undecryptable", d,
	    "agent", errstr);
	free(d);
	return rv;
}

/*
 * The message's text and attachments into the vault, sealed, before
 * the store transaction (fsyncs outside the write lock): names go to
 * j->text_ref and j->att_refs, in the order of the attachment parts.
 */
static int
seal_content(struct job *j, char **errstr)
{
	struct vault	*v;
	char		*body;
	size_t		 i, blen;
	int		 r;

	if ((v = agent_vault(j->a, errstr)) == NULL)
		return -1;
	j->text_ref = xasprintf("%s.text", j->qid);
	if (vault_put(v, j->text_ref, j->m->text, strlen(j->m->text),
	    errstr) == -1)
		return -1;
	j->att_refs = xcalloc(j->m->nparts + 1, sizeof(char *));
	for (i = 0; i < j->m->nparts; i++) {
		const struct mime_part *p = &j->m->parts[i];

		if (!p->attachment)
			continue;
		j->att_refs[j->natt_refs] = xasprintf("%s.%zu", j->qid,
		    j->natt_refs + 1);
		mime_part_body(p, j->mbuf, &body, &blen);
		r = vault_put(v, j->att_refs[j->natt_refs++], body, blen,
		    errstr);
		sodium_memzero(body, blen);
		free(body);
		if (r == -1)
			return -1;
	}
	return 0;
}

/* Insert the message (and attachments) with case_id (may be NULL);
 * its content is in the vault already (seal_content). */
static int
store_in_case(struct job *j, const char *kind, char **errstr)
{
	struct store_message	 sm;
	struct store_attachment	*att;
	size_t			 i, n = 0;
	int			 rv;

	memset(&sm, 0, sizeof(sm));
	att = xcalloc(j->m->nparts ? j->m->nparts : 1, sizeof(*att));
	for (i = 0; i < j->m->nparts; i++) {
		const struct mime_part *p = &j->m->parts[i];

		if (!p->attachment || n >= j->natt_refs)
			continue;
		att[n].name = p->filename;
		att[n].type = p->type;
		att[n].size = (long long)p->size;
		att[n].sha256 = (char *)p->sha256;
		att[n].ref = j->att_refs[n];
		n++;
	}
	sm.qid = (char *)j->qid;
	sm.case_id = j->case_id;
	/* a member's mail to outsiders is correspondence we sent */
	sm.direction = j->copied && strcmp(kind, "correspondence") == 0 ?
	    "out" : "in";
	sm.kind = (char *)kind;
	sm.message_id = j->m->message_id;
	sm.from_addr = j->sender_addr;
	sm.from_name = j->sender_name;
	sm.sender_source = (char *)j->sender_source;
	sm.to_addr = strcmp(sm.direction, "out") == 0 ? j->copied :
	    j->qm.env.recipient;
	sm.subject = j->m->subject;
	sm.date = j->m->date;
	sm.text_ref = j->text_ref;
	sm.text_source = j->m->text_source;
	sm.raw_sha256 = j->raw_sha256[0] ? j->raw_sha256 : NULL;
	sm.warnings = j->m->warnings;
	sm.facts = facts_json(j);
	sm.received_at = j->qm.env.received;
	sm.encryption = (char *)j->u.encryption;
	sm.decrypted = j->u.decrypted;
	sm.decrypt_error = j->u.error;
	sm.signature = sig_json(j);
	sm.att = att;
	sm.natt = n;
	rv = j->reread ? store_message_reread(j->a->st, &sm, errstr) :
	    store_message_insert(j->a->st, &sm, errstr);
	free(sm.facts);
	free(sm.signature);
	free(att);
	return rv;
}

static void
job_free(struct job *j)
{
	size_t	i;

	queue_close(&j->qm);
	unwrap_free(&j->u);
	triage_free(&j->tri);
	mime_free(&j->m);
	free(j->case_id);
	free(j->sender_addr);
	free(j->sender_name);
	free(j->sender_note);
	free(j->copied);
	free(j->named_case);
	free(j->text_ref);
	for (i = 0; i < j->natt_refs; i++)
		free(j->att_refs[i]);
	free(j->att_refs);
}

static int
open_case(struct job *j, char **errstr)
{
	struct store_case	 c;
	struct tm		 tm;
	time_t			 now = (time_t)fmt_now();
	long long		 seq;
	char			*prefix, *detail;
	int			 rv, tries;

	gmtime_r(&now, &tm);
	prefix = policy_case_prefix(j->a->pol, tm.tm_year + 1900);
	/* a counter behind its IDs (a store put together by hand) skips
	 * the taken ones, never collides */
	for (tries = 0;; tries++) {
		if (store_next_seq(j->a->st, prefix, &seq, errstr) == -1) {
			free(prefix);
			return -1;
		}
		j->case_id = policy_case_id(j->a->pol, tm.tm_year + 1900, seq);
		if ((rv = store_case_get(j->a->st, j->case_id, &c,
		    errstr)) != 1)
			break;
		store_case_free(&c);
		log_warnx("case ID %s is taken (the case counter was behind "
		    "it): the next one is used", j->case_id);
		free(j->case_id);
		j->case_id = NULL;
		if (tries == 10000) {
			*errstr = xstrdup("no free case ID after 10000 tries");
			rv = -1;
			break;
		}
	}
	free(prefix);
	if (rv == -1)
		return -1;
	memset(&c, 0, sizeof(c));
	c.id = j->case_id;
	c.kind = (char *)j->dec.kind;
	c.status = "new";
	c.subject = j->m->subject;
	c.reporter = (char *)j->reply_addr;
	c.reporter_name = (char *)j->reply_name;
	c.source = (char *)j->dec.source;
	c.lang = (char *)j->dec.lang;
	c.created_at = c.updated_at = (long long)now;
	if (store_case_insert(j->a->st, &c, errstr) == -1)
		return -1;
	if (j->a->cf->case_reply_addresses) {
		char	h[65];

		hash_random_hex(j->reply_token, 12);
		hash_sha256_hex(j->reply_token, strlen(j->reply_token), h);
		if (store_case_set_token(j->a->st, j->case_id, j->reply_token,
		    h, errstr) == -1)
			return -1;
	}
	detail = xasprintf("%s report from %s (%s), queue ID %s",
	    j->dec.kind, j->reply_addr ? j->reply_addr : "(unknown)",
	    j->dec.source, j->qid);
	rv = store_event_add(j->a->st, j->case_id, "case-opened", detail,
	    "agent", errstr);
	free(detail);
	return rv;
}

/* The sender is a: the job takes its strings, from source. */
static void
take_sender(struct job *j, struct header_addr *a, const char *source)
{
	j->sender_addr = a->addr;
	j->sender_name = a->name;
	a->addr = a->name = NULL;
	j->sender_source = source;
}

/*
 * Who sent the message, from wherever it can be found, in this order:
 * From; an address inside From's decoded encoded-word (a common misuse:
 * "From: =?UTF-8?B?...?=" whose text is "Name <addr>"); Sender; Reply-To;
 * Return-Path; the envelope sender (deliver -f, or the Return-Path the
 * IMAP server kept). A From with more than one mailbox gives way to
 * Sender (RFC 5322 3.6.2), else its first address is used. Only an
 * address reply_addr_ok() takes counts. Sets j->sender_*; a From that
 * gave no address is named in j->sender_note.
 */
static void
find_sender(struct job *j)
{
	static const char *const other[][2] = {
		{ "Sender", "sender" }, { "Reply-To", "reply-to" },
		{ "Return-Path", "return-path" }
	};
	const struct header_field	*f, *snd;
	struct header_addr		 l[2], ha;
	const char			*why = NULL, *es = j->qm.env.sender;
	char				*t;
	size_t				 n = 0, i;

	j->sender_source = "none";
	memset(l, 0, sizeof(l));
	memset(&ha, 0, sizeof(ha));
	snd = header_get(&j->m->hdr, "Sender", 0);
	if ((f = header_get(&j->m->hdr, "From", 0)) == NULL)
		j->sender_note = xstrdup("there is no From");
	else if ((n = header_addr_list(f->value, f->value_len, NULL, l,
	    2)) == 2 && snd != NULL && header_addr_parse(snd->value,
	    snd->value_len, NULL, &ha) == 0 && reply_addr_ok(ha.addr)) {
		take_sender(j, &ha, "sender");
		j->sender_note = xstrdup("From has more than one address: "
		    "Sender is used");
	} else if (n >= 1 && reply_addr_ok(l[0].addr)) {
		take_sender(j, &l[0], "from");
		/* the name as mime.c read it: raw 8-bit in the body's
		 * charset */
		if (j->m->from.addr && strcmp(j->m->from.addr,
		    j->sender_addr) == 0) {
			free(j->sender_name);
			j->sender_name = j->m->from.name ?
			    xstrdup(j->m->from.name) : NULL;
		}
		if (n == 2)
			j->sender_note = xstrdup("From has more than one "
			    "address and no Sender: the first is used");
	} else if (memchr(f->value, '\0', f->value_len) != NULL)
		why = "it has a NUL byte";
	else if (n >= 1)
		why = "its address is not usable";
	else {
		/* the address inside an encoded-word */
		header_addr_free(&ha);
		t = header_decode_text(f->value, f->value_len, NULL);
		if (strstr(f->value, "=?") != NULL && header_addr_parse(t,
		    strlen(t), NULL, &ha) == 0 && reply_addr_ok(ha.addr)) {
			take_sender(j, &ha, "from-encoded-word");
			why = "its address is inside an encoded-word";
		} else
			why = f->value_len == 0 ? "it is empty" :
			    "it has no address";
		free(t);
	}
	for (i = 0; i < 2; i++)
		header_addr_free(&l[i]);
	header_addr_free(&ha);
	if (why != NULL)
		j->sender_note = xasprintf("From is malformed: %s", why);
	for (i = 0; j->sender_addr == NULL && i < 3; i++) {
		if ((f = header_get(&j->m->hdr, other[i][0], 0)) == NULL)
			continue;
		if (header_addr_parse(f->value, f->value_len, NULL,
		    &ha) == 0 && reply_addr_ok(ha.addr))
			take_sender(j, &ha, other[i][1]);
		header_addr_free(&ha);
	}
	if (j->sender_addr == NULL && es != NULL && reply_addr_ok(es)) {
		j->sender_addr = xstrdup(es);
		j->sender_source = "envelope";
	}
}

/*
 * The case records where its sender came from when it is not From
 * itself, and why: the message's warnings and an event ("sender").
 */
static int
sender_event(struct job *j, char **errstr)
{
	char	*d;
	int	 rv;

	if (strcmp(j->sender_source, "from") == 0 && j->sender_note == NULL)
		return 0;
	d = xasprintf("queue ID %s: sender %s (from %s)%s%s", j->qid,
	    j->sender_addr ? j->sender_addr : "(none)", j->sender_source,
	    j->sender_note ? "; " : "", j->sender_note ? j->sender_note : "");
	rv = store_event_add(j->a->st, j->case_id, "sender", d, "agent",
	    errstr);
	free(d);
	return rv;
}

/* Parse, decrypt, classify, decide: everything before the store. */
static enum proc_result
read_job(struct job *j)
{
	const struct header_field *to;
	struct policy_facts	 pf;
	char			*err = NULL, *w;

	/* the one refusal: no mail at all (header limits cut, and a
	 * report without a sender is a case all the same) */
	if (mime_parse(j->qm.data, j->qm.len, &j->a->cf->limits, &j->m,
	    &err) == -1) {
		j->reason = err;
		return PROC_QUARANTINE;
	}
	j->mbuf = j->qm.data;
	j->mlen = j->qm.len;
	crypto_stage(j);
	mailkind_classify(j->m, j->qm.env.sender, &j->cls);
	find_sender(j);
	if (j->sender_note) {
		w = j->m->warnings;
		j->m->warnings = w ? xasprintf("%s; %s", w, j->sender_note) :
		    xstrdup(j->sender_note);
		free(w);
	}
	/* replies go to Reply-To, else to the sender */
	if (reply_addr_ok(j->m->reply_to.addr)) {
		j->reply_addr = j->m->reply_to.addr;
		j->reply_name = j->m->reply_to.name;
	} else {
		j->reply_addr = j->sender_addr;
		j->reply_name = j->sender_name;
	}
	memset(&pf, 0, sizeof(pf));
	pf.subject = j->m->subject;
	pf.text = j->m->text;
	pf.from = j->sender_addr ? j->sender_addr : "";
	/* the address written to: the envelope's, else the To field */
	to = header_get(&j->m->hdr, "To", 0);
	pf.to = j->qm.env.recipient && j->qm.env.recipient[0] ?
	    j->qm.env.recipient : to && to->value ? to->value : "";
	if (policy_decide(j->a->pol, &pf, &j->dec, &err) == -1) {
		j->reason = err;
		return PROC_QUARANTINE;
	}
	/* a regex limit hit keeps what was found, and says so in
	 * tri.warnings: the message goes on */
	if (triage_extract(j->m->subject, j->m->text,
	    (size_t)j->a->cf->triage_items_limit, &j->tri, &err) == -1) {
		log_warnx("triage: %s", err);
		free(err);
	}
	if (j->tri.kind)	/* an explicit "Kind:" line */
		j->dec.kind = j->tri.kind;
	return PROC_DONE;
}

static enum proc_result
run_job(struct job *j)
{
	enum proc_result	 res;
	char			*err = NULL, *detail, *dq = NULL, *dcase = NULL;
	const char		*kind;
	int			 r, staff = 0;

	if ((res = read_job(j)) != PROC_DONE)
		return res;
	/*
	 * The same bytes stored before (the MTA or IMAP gave the message
	 * twice, e.g. after a crash between commit and acknowledgement):
	 * recorded, archived, not a second case or reply.
	 */
	hash_sha256_hex(j->qm.data, j->qm.len, j->raw_sha256);
	if ((r = store_raw_known(j->a->st, j->raw_sha256, &dq, &dcase,
	    &err)) == -1)
		goto store_fail;
	if (r == 1) {
		/* kept beside the first copy, visibly, as a duplicate */
		detail = xasprintf("queue ID %s has the same bytes as queue ID "
		    "%s: stored as a duplicate, not processed again", j->qid,
		    dq);
		free(dq);
		j->case_id = dcase;
		if (seal_content(j, &err) == -1 ||
		    store_begin(j->a->st, &err) == -1) {
			free(detail);
			goto store_fail;
		}
		if (store_in_case(j, "duplicate", &err) == -1 ||
		    store_event_add(j->a->st, j->case_id, "duplicate", detail,
		    "agent", &err) == -1 || (j->case_id == NULL &&
		    (store_queue_set(j->a->st, j->qid, "hold", detail, 0, 0,
		    &err) == -1 || notice_event(j->a, PEV_HOLD, NULL, j->qid,
		    detail, &err) == -1)) || store_commit(j->a->st, &err) == -1) {
			free(detail);
			goto tx_fail;
		}
		log_info("%s", detail);
		free(detail);
		return j->case_id ? PROC_DONE : PROC_HELD;
	}
	if (seal_content(j, &err) == -1)
		goto store_fail;
	if (store_begin(j->a->st, &err) == -1)
		goto store_fail;
	/* the case's own reply address is a capability: whoever writes
	 * to it joins the case; otherwise threading, bound to the sender */
	if ((r = thread_token(j, &err)) == -1)
		goto tx_fail;
	if (r == 0 && thread_find(j->a->st, j->m->subject, j->m->refs,
	    j->m->nrefs, &j->case_id, &j->thread_how, &err) == -1)
		goto tx_fail;
	/* a bounce or receipt names our message in its returned part */
	if (j->case_id == NULL && j->cls.kind != MAIL_PERSON) {
		if (thread_find(j->a->st, NULL, j->m->returned,
		    j->m->nreturned, &j->case_id, &j->thread_how, &err) == -1)
			goto tx_fail;
		if (j->case_id)
			j->thread_how = "Message-ID of the returned message";
	}
	/* a person's message joins a case it names only when the sender
	 * takes part in it (or signed with a key pinned to one who does);
	 * otherwise it is a new report, linked to the case it named */
	if (j->case_id && j->cls.kind == MAIL_PERSON && r == 0 &&
	    (r = thread_participant(j, &err)) != 1) {
		if (r == -1)
			goto tx_fail;
		j->named_case = j->case_id;
		j->case_id = NULL;
	}
	if (j->case_id) {
		log_set_id(j->case_id);
		/* a team member's mail is an internal note of the case */
		staff = j->cls.kind == MAIL_PERSON && raci_member(
		    policy_raci(j->a->pol), j->m->from.addr) != NULL;
		if (staff)
			j->copied = copied_outsiders(j);
		kind = j->copied ? "correspondence" : staff ? "note" :
		    j->cls.kind == MAIL_PERSON ? "followup" :
		    mailkind_name(j->cls.kind);
		if (store_in_case(j, kind, &err) == -1 ||
		    sender_event(j, &err) == -1)
			goto tx_fail;
		detail = xasprintf("%s from %s (by %s), queue ID %s", kind,
		    j->m->from.addr ? j->m->from.addr : "(unknown)",
		    j->thread_how, j->qid);
		r = store_event_add(j->a->st, j->case_id, "message-added",
		    detail, "agent", &err);
		free(detail);
		/* a reporter's follow-up: the team is told (`notify`) */
		if (r == 0 && strcmp(kind, "followup") == 0 &&
		    notice_event(j->a, PEV_FOLLOWUP, j->case_id, j->qid, NULL,
		    &err) == -1)
			r = -1;
		if (r == -1 || store_case_touch(j->a->st, j->case_id,
		    &err) == -1 || crypto_event(j, &err) == -1 ||
		    (j->copied && copied_record(j, j->copied, &err) == -1) ||
		    learn_keys(j, 0, &err) == -1 || (j->cls.kind == MAIL_PERSON &&
		    (assess_case(j, &err) == -1 || (staff &&
		    command_mail(j, &err) == -1) || (!staff &&
		    (ask_answered(j->a, j->case_id, j->m->from.addr ?
		    j->m->from.addr : j->reply_addr, &err) == -1 ||
		    credit_mail(j, &err) == -1)) ||
		    deadline_update(j->a,
		    j->case_id, fmt_now(), "agent", &err) == -1)))
			goto tx_fail;
		if (j->cls.kind == MAIL_BOUNCE) {
			struct store_case	 c;
			char			*addrs, *a, *save = NULL;

			if (store_case_get(j->a->st, j->case_id, &c,
			    &err) == -1)
				goto tx_fail;
			addrs = xstrdup(j->m->dsn_final_recipient ?
			    j->m->dsn_final_recipient : c.reporter ?
			    c.reporter : "");
			for (a = strtok_r(addrs, ",", &save); a;
			    a = strtok_r(NULL, ",", &save)) {
				detail = xasprintf("%s: %s%s%s", a,
				    j->cls.evidence, j->m->dsn_status ?
				    ", status " : "", j->m->dsn_status ?
				    j->m->dsn_status : "");
				if (store_address_fail(j->a->st, j->case_id,
				    a, detail, &err) == -1 ||
				    store_event_add(j->a->st, j->case_id,
				    "address-failing", detail, "agent",
				    &err) == -1) {
					free(detail);
					free(addrs);
					store_case_free(&c);
					goto tx_fail;
				}
				free(detail);
			}
			free(addrs);
			store_case_free(&c);
		}
		if (store_commit(j->a->st, &err) == -1)
			goto tx_fail;
		log_info("queue ID %s added to case as %s (%s)", j->qid, kind,
		    j->thread_how);
		return PROC_DONE;
	}
	/* a member's signed #show, #list or #search to the agent */
	if (j->cls.kind == MAIL_PERSON && j->named_case == NULL &&
	    (r = command_query_mail(j, &err)) != 0) {
		if (r == -1 || store_in_case(j, "query", &err) == -1 ||
		    store_commit(j->a->st, &err) == -1)
			goto tx_fail;
		log_info("queue ID %s: a query by %s", j->qid,
		    j->m->from.addr);
		return PROC_DONE;
	}
	if (j->cls.kind != MAIL_PERSON) {
		kind = mailkind_name(j->cls.kind);
		detail = xasprintf("%s without a case: %s", kind,
		    j->cls.evidence);
		if (store_in_case(j, kind, &err) == -1 ||
		    store_queue_set(j->a->st, j->qid, "hold", detail, 0, 0,
		    &err) == -1 || notice_event(j->a, PEV_HOLD, NULL, j->qid,
		    detail, &err) == -1 || store_commit(j->a->st, &err) == -1) {
			free(detail);
			goto tx_fail;
		}
		log_info("%s", detail);
		free(detail);
		return PROC_HELD;
	}
	/* no address anywhere: a case all the same, its clocks running,
	 * marked as having no reply address (nothing can be sent to it) */
	if (open_case(j, &err) == -1)
		goto tx_fail;
	log_set_id(j->case_id);
	if (j->reply_addr == NULL && store_event_add(j->a->st, j->case_id,
	    "no-reply-address", "no reply address in From, Sender, Reply-To, "
	    "Return-Path or the envelope: no acknowledgement can be sent",
	    "agent", &err) == -1)
		goto tx_fail;
	if (store_in_case(j, "report", &err) == -1 || sender_event(j,
	    &err) == -1 ||
	    crypto_event(j, &err) == -1 || learn_keys(j, 1, &err) == -1 ||
	    assess_case(j, &err) == -1 || credit_mail(j, &err) == -1 ||
	    thread_named(j, &err) == -1 || notice_event(j->a, PEV_REPORT,
	    j->case_id, j->qid, NULL, &err) == -1)
		goto tx_fail;
	maybe_ack(j, &err);
	if (err != NULL || deadline_update(j->a, j->case_id, fmt_now(),
	    "agent", &err) == -1)
		goto tx_fail;
	if (store_commit(j->a->st, &err) == -1)
		goto tx_fail;
	log_info("new %s case from %s, queue ID %s", j->dec.kind,
	    j->reply_addr ? j->reply_addr : "(unknown)", j->qid);
	return PROC_DONE;
tx_fail:
	store_rollback(j->a->st);
store_fail:
	j->reason = err ? err : xstrdup("store error");
	return PROC_DEFER;	/* quarantined after max attempts */
}

/* Record the outcome and move the spool file. */
static int
finish(struct agent *a, const char *qid, enum proc_result res,
    const char *reason, long long attempts, int has_row)
{
	char		*err = NULL;
	enum queue_dir	 to;
	struct vault	*v;
	long long	 next = 0, d;
	int		 rv = 0;

	switch (res) {
	case PROC_DONE:
		to = Q_ARCHIVE;
		if (has_row && store_queue_del(a->st, qid, &err) == -1)
			goto warn;
		goto seal;
	case PROC_HELD:
		to = Q_HOLD;
		break;
	case PROC_DEFER:
		to = Q_DEFERRED;
		d = a->cf->retry_min_seconds;
		for (next = 1; next < attempts &&
		    d < a->cf->retry_max_seconds; next++)
			d *= 2;
		next = (long long)time(NULL) + (d > a->cf->retry_max_seconds ?
		    a->cf->retry_max_seconds : d);
		if (store_queue_set(a->st, qid, "deferred", reason,
		    attempts, next, &err) == -1)
			goto warn;
		break;
	default:
		to = Q_QUARANTINE;
		/* kept, and the team told (`notify quarantine`) */
		if (store_begin(a->st, &err) == -1)
			goto warn;
		if (store_queue_set(a->st, qid, "quarantine", reason,
		    attempts, 0, &err) == -1 || notice_event(a, PEV_QUARANTINE,
		    NULL, qid, reason ? reason : "(no reason)", &err) == -1 ||
		    store_commit(a->st, &err) == -1) {
			store_rollback(a->st);
			goto warn;
		}
		break;
	}
	goto move;
warn:
	log_warnx("recording the queue state: %s", err);
	free(err);
	err = NULL;
move:
	if (queue_move(a->cf->spool_directory, qid, Q_ACTIVE, to,
	    &err) == -1) {
		log_warnx("%s", err);
		free(err);
		rv = -1;
	}
	return rv;
seal:
	/* stored: the message as received goes to archive/ sealed; if that
	 * fails it stays in active/ and the next run finishes the job */
	if ((v = agent_vault(a, &err)) == NULL ||
	    vault_archive(v, qid, Q_ACTIVE, &err) == -1) {
		log_warnx("archiving sealed: %s", err);
		free(err);
		rv = -1;
	}
	return rv;
}

static enum proc_result
process_one(struct agent *a, const char *qid, enum queue_dir from,
    char **reason, long long *attempts, int *has_row)
{
	struct store_queue_entry qe;
	struct job		 j;
	enum proc_result	 res;
	char			*err = NULL;
	int			 r, k;

	*reason = NULL;
	*attempts = 1;
	*has_row = 0;
	log_set_id(qid);
	if ((r = store_queue_get(a->st, qid, &qe, &err)) == -1) {
		*reason = err;
		return PROC_DEFER;
	}
	*has_row = r == 1;
	/*
	 * Already stored (a run died after its commit, before the move):
	 * finish the move without touching the recorded state.
	 */
	if ((k = store_qid_known(a->st, qid, &err)) != 0) {
		if (r == 1)
			store_queue_clear(&qe);
		if (k == -1) {
			*reason = err;
			return PROC_DEFER;
		}
		/* a held message keeps its hold row; a done one loses its
		 * attempt row */
		*has_row = k == 1 && r == 1;
		return k == 2 ? PROC_HELD : PROC_DONE;
	}
	/*
	 * A first try straight from incoming/ writes nothing here: if it
	 * crashes, the file is found in active/ by the next run, which
	 * then counts attempts in the store before parsing, so a message
	 * that crashes the agent is quarantined after
	 * process_max_attempts instead of looping.
	 */
	if (r == 1 || from != Q_INCOMING) {
		*attempts = (r == 1 ? qe.attempts : 0) + 1 +
		    (r == 0 && from == Q_ACTIVE);
		if (*attempts > a->cf->process_max_attempts) {
			*reason = xasprintf("gave up after %lld attempts; "
			    "last: %s", *attempts - 1, r == 1 && qe.reason ?
			    qe.reason : "crashed while processing");
			if (r == 1)
				store_queue_clear(&qe);
			return PROC_QUARANTINE;
		}
		if (r == 1)
			store_queue_clear(&qe);
		if (store_queue_set(a->st, qid, "active", "processing (or "
		    "crashed while processing)", *attempts, 0, &err) == -1) {
			*reason = err;
			return PROC_DEFER;
		}
		*has_row = 1;
	}
	memset(&j, 0, sizeof(j));
	j.a = a;
	j.qid = qid;
	if (queue_open(a->cf->spool_directory, Q_ACTIVE, qid, &j.qm,
	    &err) == -1) {
		/* EMFILE, ENOMEM...: retried, quarantined after the attempts */
		*reason = err;
		return PROC_DEFER;
	}
	res = run_job(&j);
	*reason = j.reason;
	job_free(&j);
	return res;
}

/* Process every message of `ids` taken from `from`; count the bad. */
static int
run_list(struct agent *a, enum queue_dir from, char **ids, size_t n)
{
	const char		*spool = a->cf->spool_directory;
	struct store_queue_entry qe;
	enum proc_result	 res;
	char			*err = NULL, *reason = NULL;
	long long		 att;
	size_t			 i;
	int			 r, bad = 0, has_row, due;

	for (i = 0; i < n; i++) {
		if (from == Q_DEFERRED) {
			if ((r = store_queue_get(a->st, ids[i], &qe,
			    &err)) == -1) {
				free(err);
				err = NULL;
				continue;
			}
			due = r == 0 || qe.next_try <= (long long)time(NULL);
			if (r == 1)
				store_queue_clear(&qe);
			if (!due)
				continue;
		}
		if (from != Q_ACTIVE && queue_move(spool, ids[i], from,
		    Q_ACTIVE, &err) == -1) {
			log_warnx("%s", err);
			free(err);
			err = NULL;
			continue;
		}
		res = process_one(a, ids[i], from, &reason, &att, &has_row);
		if (res == PROC_DEFER)
			log_warnx("deferred: %s", reason);
		else if (res == PROC_QUARANTINE)
			log_warnx("quarantined: %s", reason);
		if (res == PROC_DEFER || res == PROC_QUARANTINE)
			bad++;
		finish(a, ids[i], res, reason, att, has_row);
		free(reason);
		reason = NULL;
		log_set_id(NULL);
	}
	return bad;
}

/*
 * Whose message it is, for keeping one sender's messages in order: the
 * envelope sender, else the From address (IMAP mail has no envelope),
 * else the queue ID (then order does not matter).
 */
static char *
order_key(struct agent *a, const char *qid)
{
	struct queue_msg		 qm;
	struct header_list		 hl;
	struct header_limits		 lim;
	struct header_addr		 ha;
	const struct header_field	*f;
	char				*err = NULL, *key = NULL;
	size_t				 off;

	if (queue_open(a->cf->spool_directory, Q_INCOMING, qid, &qm,
	    &err) == -1) {
		free(err);	/* gone meanwhile: no matter */
		return xstrdup(qid);
	}
	if (qm.env.sender && qm.env.sender[0])
		key = xstrdup(qm.env.sender);
	else {
		memset(&hl, 0, sizeof(hl));
		memset(&ha, 0, sizeof(ha));
		lim = header_limits_of(&a->cf->limits);
		header_split(qm.data, qm.len, &lim, &hl, &off);
		if ((f = header_get(&hl, "From", 0)) != NULL &&
		    header_addr_parse(f->value, f->value_len, NULL, &ha) == 0 &&
		    ha.addr)
			key = xstrdup(ha.addr);
		header_addr_free(&ha);
		header_list_free(&hl);
		free(err);
	}
	queue_close(&qm);
	return key ? key : xstrdup(qid);
}

/* a worker's share of the messages (run_parallel) */
static char	**worker_mine;

/*
 * New mail with more than one worker: each worker is a child process
 * with its own store connection and takes the messages whose envelope
 * sender hashes to it, oldest first, so one sender's messages (a
 * report and its follow-ups) keep their order. Returns the bad count,
 * or -1 if the workers could not be started (the caller then runs the
 * list itself).
 */
static int
run_parallel(struct agent *a, char **ids, size_t n, long workers)
{
	unsigned char		*slot;
	pid_t			*pid;
	char			*err = NULL;
	size_t			 i, k, cnt;
	long			 w, started = 0;
	int			 st, bad = 0;
	char			**mine;

	slot = xcalloc(n ? n : 1, 1);
	for (i = 0; i < n; i++) {
		unsigned long	 h = 5381;
		char		*key = order_key(a, ids[i]);
		const char	*p;

		for (p = key; *p; p++)
			h = h * 33 + (unsigned char)*p;
		slot[i] = (unsigned char)(h % (unsigned long)workers);
		free(key);
	}
	pid = xcalloc((size_t)workers, sizeof(*pid));
	fflush(NULL);
	/*
	 * No SQLite connection may cross a fork: a child would inherit
	 * SQLite's idea of the parent's locks without the locks, and a
	 * later process could then reset the WAL index under it (SIGBUS).
	 * The parent closes its connection and opens it again after.
	 */
	store_close(&a->st);
	for (w = 0; w < workers; w++) {
		if ((pid[w] = fork()) == -1)
			break;
		if (pid[w] == 0) {
			/*
			 * The worker keeps what it uses where LeakSanitizer
			 * sees it (the crypto stage's child checks for leaks,
			 * and a pointer only the parent's frame held may be
			 * in no register or stack slot by then).
			 */
			free(pid);
			if (agent_store(a, &err) < 0) {
				log_warnx("worker: %s", err);
				_exit(255);
			}
			worker_mine = mine = xcalloc(n ? n : 1,
			    sizeof(char *));
			for (i = cnt = 0; i < n; i++)
				if (slot[i] == w)
					mine[cnt++] = ids[i];
			free(slot);
			k = (size_t)run_list(a, Q_INCOMING, mine, cnt);
			outbox_flush(a);
			store_close(&a->st);
			_exit(k > 254 ? 254 : (int)k);
		}
		started++;
	}
	for (w = 0; w < started; w++) {
		while (waitpid(pid[w], &st, 0) == -1 && errno == EINTR)
			;
		if (WIFEXITED(st) && WEXITSTATUS(st) != 255)
			bad += WEXITSTATUS(st);
		else
			bad++;
	}
	free(pid);
	free(slot);
	if (agent_store(a, &err) < 0) {
		log_warnx("%s", err);
		free(err);
		return -2;
	}
	/* a worker that did not start leaves its messages for the re-check */
	return started > 0 ? bad : -1;
}

static long
workers_for(const struct agent *a, size_t n)
{
	long	w = (long)a->cf->process_workers;

	if (w <= 0 && (w = sysconf(_SC_NPROCESSORS_ONLN)) < 1)
		w = 1;
	if (w > 16)
		w = 16;
	if ((size_t)w > n / 4)	/* a few messages: not worth a fork */
		w = (long)(n / 4);
	return w < 1 ? 1 : w;
}

int
process_queue(struct agent *a, int wait)
{
	static const enum queue_dir order[] = { Q_INCOMING, Q_DEFERRED };
	const char	*spool = a->cf->spool_directory;
	char		**ids, **suspects, *err = NULL;
	size_t		 n, nsusp, k;
	long		 w;
	int		 lock, bad = 0, again, r;

	do {
		if ((lock = queue_lock(spool, wait)) == -1)
			return 0;	/* another runner is at work */
		if (lock < 0) {
			log_warn("lock %s/runner.lock", spool);
			return -1;
		}
		queue_clean_tmp(spool, TMP_MAX_AGE);
		if (store_outbox_unclaim(a->st, (long long)time(NULL),
		    &err) == -1) {
			log_warnx("outbox: %s", err);
			free(err);
			err = NULL;
		}
		/*
		 * Files already in active/ were being processed when a run
		 * died: suspects. They go last, after the new mail and the
		 * outbox, so a message that crashes the agent cannot hold
		 * up the others while it uses up its attempts.
		 */
		if (queue_list(spool, Q_ACTIVE, &suspects, &nsusp,
		    &err) == -1)
			goto fail;
		for (k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
			if (queue_list(spool, order[k], &ids, &n, &err) == -1) {
				queue_list_free(suspects, nsusp);
				goto fail;
			}
			r = -1;
			if (order[k] == Q_INCOMING &&
			    (w = workers_for(a, n)) > 1 &&
			    (r = run_parallel(a, ids, n, w)) == -2) {
				queue_list_free(ids, n);
				queue_list_free(suspects, nsusp);
				close(lock);
				return -1;
			}
			if (r >= 0)
				bad += r;
			else
				bad += run_list(a, order[k], ids, n);
			queue_list_free(ids, n);
		}
		/* the team's notices of this run, per member one mail */
		(void)notify_flush(a, fmt_now());
		outbox_flush(a);
		if (nsusp > 0) {
			bad += run_list(a, Q_ACTIVE, suspects, nsusp);
			(void)notify_flush(a, fmt_now());
			outbox_flush(a);
		}
		queue_list_free(suspects, nsusp);
		close(lock);
		/* a deliver that found us busy relies on this re-check */
		again = 0;
		if (queue_list(spool, Q_INCOMING, &ids, &n, &err) == 0) {
			again = n > 0;
			queue_list_free(ids, n);
		} else
			free(err);
		err = NULL;
	} while (again);
	queue_stamp(spool, "run", fmt_now());	/* for `status` */
	return bad;
fail:
	log_warnx("%s", err);
	free(err);
	close(lock);
	return -1;
}

/*
 * `process --retry QID`: read a stored message again (after a key was
 * added): its text, attachments, encryption and signature facts are
 * replaced, the case records it, and a report that is readable now for
 * the first time gets the acknowledgement it could not get before.
 */
static int
retry_one(struct agent *a, const char *qid)
{
	struct store_message_state ms;
	struct job		 j;
	struct vault		*v;
	char			*err = NULL, *detail;
	int			 r, rv = -1;

	memset(&j, 0, sizeof(j));
	if ((r = store_message_state(a->st, qid, &ms, &err)) != 1) {
		log_warnx("%s: %s", qid, r == 0 ? "no stored message with "
		    "this queue ID" : err);
		free(err);
		return -1;
	}
	j.a = a;
	j.qid = qid;
	j.reread = 1;
	if (ms.case_id) {
		if ((v = agent_vault(a, &err)) == NULL ||
		    vault_open_archived(v, qid, &j.qm, &err) == -1)
			goto out;
	} else if (queue_open(a->cf->spool_directory, Q_HOLD, qid, &j.qm,
	    &err) == -1)
		goto out;
	log_set_id(ms.case_id ? ms.case_id : qid);
	if (read_job(&j) != PROC_DONE) {
		err = j.reason;
		j.reason = NULL;
		goto out;
	}
	j.case_id = ms.case_id ? xstrdup(ms.case_id) : NULL;
	if (seal_content(&j, &err) == -1 || store_begin(a->st, &err) == -1)
		goto out;
	detail = xasprintf("queue ID %s read again: %s%s%s", qid,
	    j.u.encryption == NULL ? "not encrypted" : j.u.decrypted ?
	    "decrypted" : "still not decrypted: ", j.u.encryption &&
	    !j.u.decrypted && j.u.error ? j.u.error : "",
	    j.u.has_sig ? (j.u.sig.status == SIG_VALID ?
	    ", valid signature" : ", signature not valid") : "");
	r = store_in_case(&j, ms.kind, &err) == -1 ||
	    (j.case_id && store_event_add(a->st, j.case_id,
	    "message-reread", detail, "operator", &err) == -1) ||
	    ((strcmp(ms.kind, "report") == 0 || strcmp(ms.kind,
	    "followup") == 0) && (assess_case(&j, &err) == -1 ||
	    credit_mail(&j, &err) == -1));
	log_info("%s", detail);
	free(detail);
	if (r)
		goto tx_fail;
	if (j.case_id && strcmp(ms.kind, "report") == 0 && !ms.decrypted &&
	    ms.encryption && j.u.decrypted) {
		if (store_case_set_subject(a->st, j.case_id, j.m->subject,
		    &err) == -1)
			goto tx_fail;
		maybe_ack(&j, &err);
		if (err)
			goto tx_fail;
	}
	if (store_commit(a->st, &err) == -1)
		goto tx_fail;
	rv = 0;
	goto out;
tx_fail:
	store_rollback(a->st);
out:
	if (rv == -1)
		log_warnx("%s: %s", qid, err ? err : "cannot read it again");
	free(err);
	free(j.reason);
	job_free(&j);
	store_message_state_free(&ms);
	log_set_id(NULL);
	return rv;
}

int
process_retry(struct agent *a, char **qids, size_t n)
{
	size_t	i;
	char	*err = NULL;
	int	lock, bad = 0;

	if ((lock = queue_lock(a->cf->spool_directory, 1)) < 0) {
		log_warn("lock %s/runner.lock", a->cf->spool_directory);
		return -1;
	}
	if (store_outbox_unclaim(a->st, (long long)time(NULL), &err) == -1) {
		log_warnx("outbox: %s", err);
		free(err);
	}
	for (i = 0; i < n; i++)
		if (retry_one(a, qids[i]) == -1)
			bad++;
	outbox_flush(a);
	close(lock);
	return bad;
}
