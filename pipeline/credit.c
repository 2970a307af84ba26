/*
 * credit.c: the credits of a case, from the reporter's mail and from
 * staff. See credit.h; the grammar is parsers/credit.c's, the rows
 * spool/store_credit.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent/agent.h"
#include "parsers/credit.h"
#include "parsers/mime.h"
#include "pipeline/credit.h"
#include "pipeline/job.h"
#include "spool/store.h"
#include "spool/store_case.h"
#include "spool/store_credit.h"
#include "util/log.h"
#include "util/xmalloc.h"

int
credit_key(const char *key)
{
	return strcmp(key, "credit") == 0 || strcmp(key, "credit-confirm") ==
	    0 || strcmp(key, "credit-remove") == 0;
}

static int
same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcasecmp(a, b) == 0);
}

/* "all" is 0; N the credit number, checked against the case's count
 * n; -1 when it is neither. */
static long long
number(const char *s, long long n)
{
	char		*end;
	long long	 v;

	if (strcmp(s, "all") == 0)
		return 0;
	if (*s < '1' || *s > '9' || strlen(s) > 6)
		return -1;
	v = strtoll(s, &end, 10);
	return *end == '\0' && v <= n ? v : -1;
}

/* credit=VALUE from staff: confirmed; the same credit again (choice,
 * name, organization) confirms the one the case holds. */
static int
staff_add(struct agent *a, const char *id, const char *val, char **why,
    char **errstr)
{
	struct store_credit	*v, sc;
	struct credit		 c;
	size_t			 n, i;
	int			 r;

	if (credit_parse(val, strlen(val), &c, why) == -1)
		return 0;
	if (store_credits(a->st, id, &v, &n, errstr) == -1) {
		credit_free(&c);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (strcmp(v[i].choice, credit_choice_name(c.choice)) == 0 &&
		    same(v[i].name, c.name) && same(v[i].organization,
		    c.organization))
			break;
	store_credits_free(v, n);
	if (i < n)
		r = store_credit_confirm(a->st, id, i + 1, errstr) == -1 ? -1 :
		    1;
	else if (n >= CREDITS_MAX) {
		*why = xasprintf("credit: the case holds %d credits, the most "
		    "one case holds; remove one first (credit-remove=N)",
		    CREDITS_MAX);
		r = 0;
	} else {
		memset(&sc, 0, sizeof(sc));
		sc.name = c.name;
		sc.organization = c.organization;
		sc.contact = c.contact;
		sc.choice = (char *)credit_choice_name(c.choice);
		sc.confirmed = 1;
		sc.source = "staff";
		r = store_credit_add(a->st, id, &sc, NULL, NULL, errstr) ==
		    -1 ? -1 : 1;
	}
	credit_free(&c);
	return r;
}

int
credit_apply(struct agent *a, const char *id, const char *key,
    const char *val, char **why, char **errstr)
{
	const char	*arg, *op = key;
	long long	 n, k;

	if (val == NULL || *val == '\0') {
		*why = xasprintf("%s needs a value: %s", key, strcmp(key,
		    "credit") == 0 ? "NAME [(ORGANIZATION)] [<CONTACT>], "
		    "handle @NAME, anonymous, confirm [N|all] or remove N|all"
		    : "a credit's number (case show) or all");
		return 0;
	}
	arg = val;
	if (strcmp(key, "credit") == 0) {
		/* the staff words: credit=confirm [N], credit=remove N */
		if (strncmp(val, "confirm", 7) == 0 && (val[7] == '\0' ||
		    val[7] == ' ')) {
			op = "credit-confirm";
			arg = val[7] ? val + 8 : "all";
		} else if (strncmp(val, "remove ", 7) == 0) {
			op = "credit-remove";
			arg = val + 7;
		} else
			return staff_add(a, id, val, why, errstr);
	}
	if ((n = store_credit_count(a->st, id, errstr)) == -1)
		return -1;
	if (n == 0) {
		*why = xasprintf("%s=%s: the case holds no credits", op, arg);
		return 0;
	}
	if ((k = number(arg, n)) == -1) {
		*why = xasprintf("%s=%s: a credit's number, 1 to %lld (case "
		    "show), or all", op, arg, n);
		return 0;
	}
	if (strcmp(op, "credit-confirm") == 0)
		return store_credit_confirm(a->st, id, (size_t)k, errstr) ==
		    -1 ? -1 : 1;
	return store_credit_remove(a->st, id, (size_t)k, errstr) == -1 ? -1 :
	    1;
}

/* Does the case hold this credit, confirmed, already? */
static int
held(const struct store_credit *have, size_t nhave, const struct credit *c)
{
	size_t	i;

	for (i = 0; i < nhave; i++)
		if (have[i].confirmed && strcmp(have[i].choice,
		    credit_choice_name(c->choice)) == 0 && same(have[i].name,
		    c->name) && same(have[i].organization, c->organization))
			return 1;
	return 0;
}

int
credit_mail(struct job *j, char **errstr)
{
	struct store_case	 c;
	struct store_credit	 sc, *hv = NULL;
	struct credit_line	*v;
	size_t			 n, i, good = 0, added = 0, nhv = 0;
	long long		 have = 0;
	const char		*from = j->m->from.addr;
	int			 r, rv = -1;

	if (j->case_id == NULL || j->cls.kind != MAIL_PERSON ||
	    j->m->text == NULL)
		return 0;
	if ((r = store_case_get(j->a->st, j->case_id, &c, errstr)) != 1)
		return r == 0 ? 0 : -1;
	/* the reporter's own mail only, as they wrote it */
	if (c.reporter == NULL || !((from && strcasecmp(from,
	    c.reporter) == 0) || (j->reply_addr && strcasecmp(j->reply_addr,
	    c.reporter) == 0))) {
		store_case_free(&c);
		return 0;
	}
	credit_scan(j->m->text, strlen(j->m->text), &v, &n);
	for (i = 0; i < n; i++)
		if (v[i].why == NULL)
			good++;
	/* a new choice replaces the reporter's unconfirmed one */
	if (good && store_credit_drop_unconfirmed(j->a->st, c.id,
	    c.reporter, errstr) == -1)
		goto out;
	if (good && store_credits(j->a->st, c.id, &hv, &nhv, errstr) == -1)
		goto out;
	have = (long long)nhv;
	for (i = 0; i < n; i++) {
		/* what staff confirmed already stays as it is (a mail
		 * read again, a choice restated) */
		if (v[i].why == NULL && held(hv, nhv, &v[i].c))
			continue;
		if (v[i].why == NULL && have + (long long)added >=
		    CREDITS_MAX) {
			v[i].why = xasprintf("the case holds %d credits, the "
			    "most one case holds", CREDITS_MAX);
			credit_free(&v[i].c);
		}
		if (v[i].why) {
			/* the reason names no part of the value */
			if (store_event_addf(j->a->st, c.id, "credit-refused",
			    "agent", errstr, "queue ID %s line %zu: %s",
			    j->qid, v[i].line, v[i].why) == -1)
				goto out;
			continue;
		}
		memset(&sc, 0, sizeof(sc));
		sc.name = v[i].c.name;
		sc.organization = v[i].c.organization;
		sc.contact = v[i].c.contact;
		sc.choice = (char *)credit_choice_name(v[i].c.choice);
		sc.source = "reporter";
		if (store_credit_add(j->a->st, c.id, &sc, c.reporter, j->qid,
		    errstr) == -1)
			goto out;
		added++;
	}
	if (added && store_event_addf(j->a->st, c.id, "credit-stated",
	    "agent", errstr, "%zu credit%s stated in queue ID %s, for staff "
	    "to confirm (case set %s credit-confirm=all)", added, added == 1 ?
	    "" : "s", j->qid, c.id) == -1)
		goto out;
	if (n)
		log_info("%zu credit line%s from the reporter, %zu recorded",
		    n, n == 1 ? "" : "s", added);
	rv = 0;
out:
	credit_lines_free(v, n);
	store_credits_free(hv, nhv);
	store_case_free(&c);
	return rv;
}
