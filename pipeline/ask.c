/*
 * ask.c: a question to the reporter and the wait for the answer. See
 * ask.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent/agent.h"
#include "pipeline/ask.h"
#include "out/notice.h"
#include "out/reply.h"
#include "out/status.h"
#include "pipeline/case.h"
#include "policies/policy.h"
#include "policies/template.h"
#include "spool/store.h"
#include "spool/store_case.h"
#include "spool/store_msg.h"
#include "spool/vault.h"
#include "util/fmt.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define Q_WORDS	4

/* The waiting question of a case: 1 (w[0] status before, w[1] its
 * Message-ID, w[2] who asked, w[3] when; malloc'd; *at that time), 0
 * none, -1. Also whether it was reminded (*reminded: when) and the R
 * told. The times are the agent's clock (fmt_now: PSIRT_NOW in tests). */
static int
question(struct agent *a, const char *case_id, char *w[Q_WORDS],
    long long *at, long long *reminded, int *told, char **errstr)
{
	struct store_fact	*f;
	size_t			 n, i, k;
	const char		*p;
	int			 found = 0;

	*at = *reminded = 0;
	*told = 0;
	memset(w, 0, Q_WORDS * sizeof(*w));
	if (store_facts(a->st, case_id, &f, &n, errstr) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (strcmp(f[i].kind, "question-reminded") == 0)
			*reminded = (p = strchr(f[i].value, ' ')) ?
			    strtoll(p + 1, NULL, 10) : f[i].at;
		else if (strcmp(f[i].kind, "question-unanswered") == 0)
			*told = 1;
		if (strcmp(f[i].kind, "question") != 0)
			continue;
		for (k = 0; k < Q_WORDS; k++)
			free(w[k]);
		for (k = 0, p = f[i].value; k < Q_WORDS; k++) {
			p += strspn(p, " ");
			w[k] = xstrndup(p, strcspn(p, " "));
			p += strcspn(p, " ");
		}
		*at = w[3][0] ? strtoll(w[3], NULL, 10) : f[i].at;
		found = 1;
	}
	store_facts_free(f, n);
	return found;
}

static void
question_free(char *w[Q_WORDS])
{
	size_t	k;

	for (k = 0; k < Q_WORDS; k++)
		free(w[k]);
}

/* The wait is over: its facts go (they stay in the event record). */
static int
question_clear(struct agent *a, const char *case_id, char **errstr)
{
	return store_fact_remove(a->st, case_id, "question", NULL,
	    errstr) == -1 || store_fact_remove(a->st, case_id,
	    "question-reminded", NULL, errstr) == -1 ||
	    store_fact_remove(a->st, case_id, "question-unanswered", NULL,
	    errstr) == -1 ? -1 : 0;
}

int
ask_record(struct agent *a, const char *case_id, const char *was,
    const char *msgid, const char *actor, char **errstr)
{
	char		*w[Q_WORDS], *v;
	long long	 at, rem;
	int		 told, r;

	/* asked again while waiting: the answer still returns the case to
	 * where it was before the first question */
	if ((r = question(a, case_id, w, &at, &rem, &told, errstr)) == -1)
		return -1;
	v = xasprintf("%s %s %s %lld", r == 1 ? w[0] : was ? was : "new",
	    msgid, actor, fmt_now());
	question_free(w);
	r = question_clear(a, case_id, errstr) == -1 ||
	    store_fact_add(a->st, case_id, "question", v, 0, 0, NULL,
	    errstr) == -1 ? -1 : 0;
	free(v);
	return r;
}

int
ask_answered(struct agent *a, const char *case_id, const char *from,
    char **errstr)
{
	struct store_case	 c;
	char			*w[Q_WORDS], *kv, *d;
	long long		 at, rem;
	int			 told, r;

	if ((r = question(a, case_id, w, &at, &rem, &told, errstr)) != 1)
		return r;
	if ((r = store_case_get(a->st, case_id, &c, errstr)) != 1) {
		question_free(w);
		return r == 0 ? 0 : -1;
	}
	/* a member may have moved the case on meanwhile: then only the
	 * wait ends */
	if (strcmp(c.status, "waiting-reporter") == 0) {
		kv = xasprintf("status=%s", w[0]);
		r = case_apply(a, case_id, &kv, 1, from ? from : "reporter",
		    fmt_now(), errstr);
		free(kv);
	} else
		r = 0;
	d = xasprintf("the reporter (%s) answered the question of %s; %s",
	    from ? from : "unknown", w[2], strcmp(c.status,
	    "waiting-reporter") == 0 ? "the case is back in its status "
	    "before it, the clocks run again" : "the case had moved on "
	    "meanwhile");
	if (r == 0)
		r = question_clear(a, case_id, errstr) == -1 ||
		    store_event_add(a->st, case_id, "question-answered", d,
		    from ? from : "reporter", errstr) == -1 ? -1 : 0;
	if (r == 0)
		log_info("%s: %s", case_id, d);
	free(d);
	question_free(w);
	store_case_free(&c);
	return r == -1 ? -1 : 1;
}

/* The question's words, quoted, from the copy kept on the case. */
static char *
question_text(struct agent *a, const char *case_id, const char *msgid)
{
	struct store_message	*m;
	struct vault		*v;
	unsigned char		*t = NULL;
	size_t			 n, i, len;
	char			*q = NULL, *err = NULL;

	if (store_messages(a->st, case_id, &m, &n, &err) == -1) {
		free(err);
		return NULL;
	}
	for (i = 0; i < n; i++)
		if (m[i].message_id && strcmp(m[i].message_id, msgid) == 0 &&
		    m[i].text_ref && (v = agent_vault(a, &err)) != NULL &&
		    vault_get(v, m[i].text_ref, &t, &len, &err) == 0) {
			q = reply_quote((const char *)t, 200, 64 * 1024);
			vault_free_plain(t);
			break;
		}
	free(err);
	store_messages_free(m, n);
	return q;
}

static int
tick_one(struct agent *a, const char *case_id, long long now, char **errstr)
{
	struct store_case	 c;
	struct answer		 an;
	struct tvar		 v[3];
	char			*w[Q_WORDS], *q, *why, *d, t1[32], t2[32];
	long long		 at, rem, wait = policy_ask_wait(a->pol);
	int			 told, r, sent = 0;
	struct tm		 tm;
	time_t			 tt;

	if ((r = question(a, case_id, w, &at, &rem, &told, errstr)) != 1)
		return r;
	if ((r = store_case_get(a->st, case_id, &c, errstr)) != 1) {
		question_free(w);
		return r;
	}
	if (strcmp(c.status, "waiting-reporter") != 0) {
		/* moved on by a member: the wait is over */
		r = question_clear(a, case_id, errstr);
		goto out;
	}
	if (rem == 0 && now >= at + wait) {
		q = question_text(a, case_id, w[1]);
		memset(&an, 0, sizeof(an));
		an.case_id = case_id;
		an.name = "ask-reminder";
		an.text = q ? q : "";
		an.actor = "agent";
		if ((r = answer_send(a, &an, NULL, &why, errstr)) == 0) {
			d = xasprintf("no reminder of the question: %s", why);
			log_warnx("%s: %s", case_id, d);
			r = store_event_add(a->st, case_id,
			    "question-reminder-held", d, "agent", errstr);
			free(d);
			free(why);
		} else if (r == 1) {
			sent++;
			r = 0;
		}
		free(q);
		if (r == 0) {
			q = xasprintf("%s %lld", w[1], now);
			r = store_fact_add(a->st, case_id, "question-reminded",
			    q, 0, 0, NULL, errstr);
			free(q);
		}
	} else if (rem && !told && now >= at + 2 * wait) {
		tt = (time_t)at;
		strftime(t1, sizeof(t1), "%Y-%m-%d %H:%M UTC",
		    gmtime_r(&tt, &tm));
		tt = (time_t)rem;
		strftime(t2, sizeof(t2), "%Y-%m-%d %H:%M UTC",
		    gmtime_r(&tt, &tm));
		v[0].name = "asked_at";
		v[0].value = t1;
		v[1].name = "reminded_at";
		v[1].value = t2;
		v[2].name = "asked_by";
		v[2].value = w[2];
		if ((r = notice_task(a, &c, case_task(w[0], c.kind), "R",
		    "question-unanswered", "question-unanswered", v, 3,
		    "question-unanswered", errstr)) >= 0) {
			sent += r;
			r = store_fact_add(a->st, case_id,
			    "question-unanswered", w[1], 0, 0, NULL, errstr);
		}
	} else
		r = 0;
out:
	question_free(w);
	store_case_free(&c);
	return r == -1 ? -1 : sent;
}

int
ask_tick(struct agent *a, long long now, char **errstr)
{
	char	**ids;
	size_t	  n, i;
	int	  sent = 0, r = 0;

	if (store_fact_kind_cases(a->st, "question", &ids, &n, errstr) == -1)
		return -1;
	for (i = 0; i < n && r != -1; i++) {
		log_set_id(ids[i]);
		if ((r = store_begin(a->st, errstr)) == -1)
			break;
		if ((r = tick_one(a, ids[i], now, errstr)) == -1) {
			store_rollback(a->st);
			break;
		}
		sent += r;
		if ((r = store_commit(a->st, errstr)) == -1)
			break;
	}
	log_set_id(NULL);
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	return r == -1 ? -1 : sent;
}
