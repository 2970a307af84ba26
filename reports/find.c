/*
 * find.c: finding cases. See find.h.
 *
 * The filters SQL judges (status, kind, severity, reporter, product,
 * since, overdue) go to the store (spool/store_find.c); the assignee,
 * the viewer's TLP:RED rule and the words are judged here, on what the
 * store gives opened. The words are one Aho-Corasick automaton over
 * ASCII-folded bytes: every text is read once, whatever the number of
 * words, and each word is counted at most once per case (a word found
 * implies that every word that ends it was found with it, so the walk
 * of the output links stops at the first word found before).
 *
 * Trust: the filter's values and the words come from staff (the command
 * line, or a verified staff mail); they are bound as SQL values, never
 * compiled, and the query's length is capped (search_max_length). The
 * texts searched are untrusted mail, only compared.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent/agent.h"
#include "agent/config.h"
#include "policies/clocks.h"
#include "policies/policy.h"
#include "policies/raci.h"
#include "reports/find.h"
#include "spool/store.h"
#include "spool/store_case.h"
#include "spool/store_clock.h"
#include "spool/store_find.h"
#include "spool/vault.h"
#include "util/buf.h"
#include "util/fmt.h"
#include "util/json.h"
#include "util/log.h"
#include "util/markup.h"
#include "util/nearest.h"
#include "util/xmalloc.h"

#define ISO_FMT		"%Y-%m-%dT%H:%M:%SZ"
#define DUE_FMT		"%Y-%m-%dT%H:%MZ"

static const char *const kinds[] = { "vulnerability", "incident", NULL };
static const char *const filters[] = { "status", "kind", "severity",
	"product", "reporter", "assigned", "overdue", "since", NULL };
static const char *const severities[] = { "critical", "high", "medium",
	"low", NULL };

/* The automaton: node 0 is the root; children as sibling lists. */
struct ac_node {
	int32_t		 child, sibling, fail, out;	/* -1: none */
	int32_t		 term;		/* the word ending here, or -1 */
	unsigned char	 byte;
};
struct ac {
	struct ac_node	*v;
	size_t		 n, cap;
	size_t		 nterm;		/* distinct words */
};

/* A case on its way through the search. */
struct cand {
	struct store_found *f;
	int		 keep;		/* passes the filters so far */
	unsigned char	*hit;		/* per word: found in this case */
	size_t		 nhit;
	struct buf	 where;		/* "subject, message 2" */
};

struct search {
	struct agent	*a;
	struct ac	 ac;
	struct cand	*c;
	struct cand	**byid;		/* sorted by case ID */
	size_t		 n;
	const struct find_filter *f;
	const char	*const *assignees;	/* assigned: any of these */
	size_t		 nassignees;
	int		 failed;
	char		*err;
};

static int	 set_time(const char *, long long *);
static int32_t	 ac_child(const struct ac *, int32_t, unsigned char);
static int32_t	 ac_add_node(struct ac *, unsigned char);
static int	 ac_build(struct ac *, const char *);
static void	 ac_free(struct ac *);
static void	 ac_feed(struct search *, struct cand *, const char *, size_t,
		    const char *);
static struct cand *cand_find(struct search *, const char *);
static int	 by_id(const void *, const void *);
static int	 fact_cb(void *, const char *, const char *, const char *);
static int	 assign_cb(void *, const char *, const char *, const char *);
static int	 text_cb(void *, const char *, size_t, const char *,
		    const char *, const char *);
static void	 row_fill(struct find_row *, const struct cand *, long long);
static int	 fold(int);

static int
fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

int
find_filter_set(struct find_filter *f, const char *name, const char *value,
    char **errstr)
{
	if (strcmp(name, "overdue") == 0) {
		if (value != NULL) {
			*errstr = xasprintf("overdue takes no value");
			return -1;
		}
		f->overdue = 1;
		return 0;
	}
	if (value == NULL || *value == '\0') {
		*errstr = xasprintf("%s: a value is needed", name);
		return -1;
	}
	if (strcmp(name, "status") == 0) {
		if (!word_in(value, case_statuses)) {
			*errstr = xasprintf("status: \"%s\" is not a status%s",
			    value, nearest_hint(value, case_statuses, 0));
			return -1;
		}
		f->status = value;
	} else if (strcmp(name, "kind") == 0) {
		if (!word_in(value, kinds)) {
			*errstr = xasprintf("kind: \"%s\" is not vulnerability "
			    "or incident", value);
			return -1;
		}
		f->kind = value;
	} else if (strcmp(name, "severity") == 0) {
		if (!word_in(value, severities)) {
			*errstr = xasprintf("severity: \"%s\" is not critical, "
			    "high, medium or low", value);
			return -1;
		}
		f->severity = value;
	} else if (strcmp(name, "since") == 0) {
		if (set_time(value, &f->since) == -1) {
			*errstr = xasprintf("since: \"%s\" is not a date "
			    "(YYYY-MM-DD, or YYYY-MM-DDTHH:MM[:SS]Z)", value);
			return -1;
		}
	} else if (strcmp(name, "product") == 0)
		f->product = value;
	else if (strcmp(name, "reporter") == 0)
		f->reporter = value;
	else if (strcmp(name, "assigned") == 0)
		f->assigned = value;
	else if (strcmp(name, "words") == 0)
		f->words = value;
	else {
		*errstr = xasprintf("\"%s\" is not a filter%s", name,
		    nearest_hint(name, filters, 0));
		return -1;
	}
	return 0;
}

/* fmt_parse_time's forms (@EPOCH too), and the ISO 8601 offsets. */
static int
set_time(const char *s, long long *out)
{
	char	 b[32];
	size_t	 n = strlen(s);
	int	 sign, hh, mm;

	if (fmt_parse_time(s, out) == 0)
		return 0;
	/* YYYY-MM-DDTHH:MM[:SS]+HH:MM */
	if (n < 22 || n >= sizeof(b) || (s[n - 6] != '+' && s[n - 6] != '-') ||
	    s[n - 3] != ':' || sscanf(s + n - 5, "%2d:%2d", &hh, &mm) != 2 ||
	    hh > 23 || mm > 59)
		return -1;
	sign = s[n - 6] == '+' ? 1 : -1;
	memcpy(b, s, n - 6);
	b[n - 6] = 'Z';
	b[n - 5] = '\0';
	if (fmt_parse_time(b, out) == -1)
		return -1;
	*out -= sign * (hh * 3600LL + mm * 60LL);
	return 0;
}

int
find_filter_parse(const char *args, struct find_filter *f, char **storage,
    char **errstr)
{
	char	*s, *p, *w, *tok, *eq, *name;
	int	 search = 0, first = 1, q;
	struct buf words;

	memset(f, 0, sizeof(*f));
	/* the words, unquoted in place: "a b" and a=\"b c\" keep blanks */
	*storage = s = xmalloc(3 * strlen(args) + 3);
	p = (char *)args;
	w = s;
	buf_init(&words);
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (*p == '\0')
			break;
		tok = w;
		for (q = 0; *p && (q || !(*p == ' ' || *p == '\t' ||
		    *p == '\r' || *p == '\n')); p++)
			if (*p == '"')
				q = !q;
			else
				*w++ = *p;
		*w++ = '\0';
		if (first && (strcmp(tok, "#list") == 0 ||
		    strcmp(tok, "list") == 0 || strcmp(tok, "#search") == 0 ||
		    strcmp(tok, "search") == 0)) {
			search = strstr(tok, "search") != NULL;
			first = 0;
			continue;
		}
		first = 0;
		name = tok;
		if (name[0] == '-' && name[1] == '-')
			name += 2;
		if (search && (eq = strchr(name, '=')) != NULL) {
			/* len=a is a word unless "len" is a filter */
			*eq = '\0';
			if (!word_in(name, filters)) {
				*eq = '=';
				if (words.len)
					buf_putc(&words, ' ');
				buf_puts(&words, tok);
				continue;
			}
			*eq = '=';
		}
		if ((eq = strchr(name, '=')) != NULL)
			*eq++ = '\0';
		else if (tok[0] == '-' && tok[1] == '-' &&
		    strcmp(name, "overdue") != 0) {
			/* --name value */
			while (*p == ' ' || *p == '\t')
				p++;
			eq = w;
			for (q = 0; *p && (q || !(*p == ' ' || *p == '\t' ||
			    *p == '\r' || *p == '\n')); p++)
				if (*p == '"')
					q = !q;
				else
					*w++ = *p;
			*w++ = '\0';
		} else if (strcmp(name, "overdue") != 0) {
			if (!search) {
				*errstr = xasprintf("\"%s\" is not a filter "
				    "(name=value, or overdue)", tok);
				goto bad;
			}
			if (words.len)
				buf_putc(&words, ' ');
			buf_puts(&words, tok);
			continue;
		}
		if (find_filter_set(f, name, eq, errstr) == -1)
			goto bad;
	}
	if (search) {
		if (words.len == 0) {
			*errstr = xasprintf("search: no words to look for");
			goto bad;
		}
		/* after the last word: room for all of them */
		memcpy(w, words.s, words.len + 1);
		f->words = w;
	}
	buf_free(&words);
	return 0;
bad:
	buf_free(&words);
	free(*storage);
	*storage = NULL;
	memset(f, 0, sizeof(*f));
	return -1;
}

int
find_filter_check(struct agent *a, const struct find_filter *f,
    char **errstr)
{
	const struct raci	*r;
	const char		*p;

	if (f->words != NULL) {
		if ((long long)strlen(f->words) > a->cf->search_max_length) {
			*errstr = xasprintf("the query is %zu bytes, longer "
			    "than search_max_length (%lld)",
			    strlen(f->words), a->cf->search_max_length);
			return -1;
		}
		for (p = f->words; *p == ' ' || *p == '\t' || *p == '\n' ||
		    *p == '\r'; p++)
			;
		if (*p == '\0') {
			*errstr = xasprintf("no words to look for");
			return -1;
		}
	}
	if (f->assigned && strchr(f->assigned, '@') == NULL) {
		if (agent_open(a, 1, errstr) != 0)
			return -2;
		r = policy_raci(a->pol);
		if (raci_role(r, f->assigned) == NULL) {
			const char	*ids[64];
			size_t		 i;

			for (i = 0; i < r->nroles && i < 64; i++)
				ids[i] = r->roles[i].id;
			*errstr = xasprintf("assigned: \"%s\" is neither a role "
			    "of the policy nor an address%s", f->assigned,
			    nearest_hint(f->assigned, ids, i));
			return -1;
		}
	}
	return 0;
}

/* --- the automaton --- */

static int32_t
ac_child(const struct ac *ac, int32_t s, unsigned char c)
{
	int32_t	k;

	for (k = ac->v[s].child; k != -1; k = ac->v[k].sibling)
		if (ac->v[k].byte == c)
			return k;
	return -1;
}

static int32_t
ac_add_node(struct ac *ac, unsigned char c)
{
	struct ac_node	*x;

	if (ac->n == ac->cap) {
		ac->cap = ac->cap ? ac->cap * 2 : 64;
		ac->v = xreallocarray(ac->v, ac->cap, sizeof(*ac->v));
	}
	x = &ac->v[ac->n];
	x->child = x->sibling = x->fail = x->out = x->term = -1;
	x->byte = c;
	return (int32_t)ac->n++;
}

/* The words of s (split at blanks): 0, or -1 when there is none. */
static int
ac_build(struct ac *ac, const char *s)
{
	int32_t		*queue, s0, k, t, f;
	size_t		 head = 0, tail = 0;
	const char	*p;
	unsigned char	 c;

	memset(ac, 0, sizeof(*ac));
	ac_add_node(ac, 0);
	for (p = s; *p; ) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (*p == '\0')
			break;
		for (s0 = 0; *p && !(*p == ' ' || *p == '\t' || *p == '\r' ||
		    *p == '\n'); p++) {
			c = (unsigned char)fold((unsigned char)*p);
			if ((k = ac_child(ac, s0, c)) == -1) {
				k = ac_add_node(ac, c);
				ac->v[k].sibling = ac->v[s0].child;
				ac->v[s0].child = k;
			}
			s0 = k;
		}
		if (ac->v[s0].term == -1)
			ac->v[s0].term = (int32_t)ac->nterm++;
	}
	if (ac->nterm == 0)
		return -1;
	/* failure and output links, breadth first */
	queue = xreallocarray(NULL, ac->n, sizeof(*queue));
	ac->v[0].fail = 0;
	for (k = ac->v[0].child; k != -1; k = ac->v[k].sibling) {
		ac->v[k].fail = 0;
		queue[tail++] = k;
	}
	while (head < tail) {
		s0 = queue[head++];
		for (k = ac->v[s0].child; k != -1; k = ac->v[k].sibling) {
			queue[tail++] = k;
			for (f = ac->v[s0].fail; f != 0 &&
			    ac_child(ac, f, ac->v[k].byte) == -1;
			    f = ac->v[f].fail)
				;
			t = ac_child(ac, f, ac->v[k].byte);
			ac->v[k].fail = t != -1 && t != k ? t : 0;
			t = ac->v[k].fail;
			ac->v[k].out = ac->v[t].term != -1 ? t : ac->v[t].out;
		}
	}
	free(queue);
	return 0;
}

static void
ac_free(struct ac *ac)
{
	free(ac->v);
	memset(ac, 0, sizeof(*ac));
}

/* Look for the words in one text of a case; where: its name, recorded
 * when it holds a word not found before. */
static void
ac_feed(struct search *sr, struct cand *c, const char *s, size_t len,
    const char *where)
{
	const struct ac	*ac = &sr->ac;
	int32_t		 st = 0, k, t;
	size_t		 i, before = c->nhit;
	unsigned char	 ch;

	if (s == NULL || c->nhit == ac->nterm)
		return;
	for (i = 0; i < len && c->nhit < ac->nterm; i++) {
		ch = (unsigned char)fold((unsigned char)s[i]);
		while ((k = ac_child(ac, st, ch)) == -1 && st != 0)
			st = ac->v[st].fail;
		st = k == -1 ? 0 : k;
		for (t = ac->v[st].term != -1 ? st : ac->v[st].out; t > 0 &&
		    !c->hit[ac->v[t].term]; t = ac->v[t].out) {
			c->hit[ac->v[t].term] = 1;
			c->nhit++;
		}
	}
	if (c->nhit > before) {
		if (c->where.len)
			buf_puts(&c->where, ", ");
		buf_puts(&c->where, where);
	}
}

/* --- the cases --- */

static int
by_id(const void *x, const void *y)
{
	const struct cand *const *a = x, *const *b = y;

	return strcmp((*a)->f->c.id, (*b)->f->c.id);
}

static struct cand *
cand_find(struct search *sr, const char *id)
{
	size_t	lo = 0, hi = sr->n, mid;
	int	r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((r = strcmp(id, sr->byid[mid]->f->c.id)) == 0)
			return sr->byid[mid]->keep ? sr->byid[mid] : NULL;
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static int
assign_cb(void *arg, const char *id, const char *kind, const char *value)
{
	struct search	*sr = arg;
	struct cand	*c;
	size_t		 i;

	(void)kind;
	if ((c = cand_find(sr, id)) == NULL)
		return 0;
	for (i = 0; i < sr->nassignees; i++)
		if (strcasecmp(value, sr->assignees[i]) == 0)
			c->hit[0] = 1;	/* assigned: marked, see find_cases */
	return 0;
}

static int
fact_cb(void *arg, const char *id, const char *kind, const char *value)
{
	struct search	*sr = arg;
	struct cand	*c;
	char		*where;

	if ((c = cand_find(sr, id)) == NULL || c->nhit == sr->ac.nterm)
		return 0;
	where = xasprintf("fact %s", kind);
	ac_feed(sr, c, value, strlen(value), where);
	free(where);
	return 0;
}

static int
text_cb(void *arg, const char *id, size_t k, const char *subject,
    const char *text, const char *ref)
{
	struct search	*sr = arg;
	struct cand	*c;
	struct vault	*v;
	unsigned char	*plain;
	size_t		 len;
	char		 where[32], *err = NULL;

	if ((c = cand_find(sr, id)) == NULL || c->nhit == sr->ac.nterm)
		return 0;
	snprintf(where, sizeof(where), "message %zu", k);
	if (subject)
		ac_feed(sr, c, subject, strlen(subject), where);
	if (text)
		ac_feed(sr, c, text, strlen(text), where);
	else if (ref && c->nhit < sr->ac.nterm) {
		if ((v = agent_vault(sr->a, &err)) == NULL) {
			sr->err = err;
			sr->failed = 1;
			return 1;
		}
		if (vault_get(v, ref, &plain, &len, &err) == -1) {
			/* a damaged file is not the search's business:
			 * `check` finds it; the rest of the case is read */
			log_warnx("case %s message %zu: text unreadable: %s",
			    id, k, err);
			free(err);
			return 0;
		}
		ac_feed(sr, c, (const char *)plain, len, where);
		vault_free_plain(plain);
	}
	return 0;
}

/*
 * May viewer see this TLP:RED case? The policy's rule for mail
 * (policy_tlp_allows: the team's members, the reporter), narrowed as
 * notices are (out/notice.c: TLP:RED content only to the R and A of
 * the task): a member of a role that is R or A of intake or of the task
 * of one of the case's deadlines, or one the case is assigned to (the
 * member, or a role of theirs). 1, 0, -1.
 */
int
find_may_see(struct agent *a, const struct store_case *c, const char *viewer,
    char **errstr)
{
	const struct raci	*r = policy_raci(a->pol);
	const struct raci_task	*t;
	struct store_deadline	*d = NULL;
	struct store_fact	*f = NULL;
	size_t			 nd = 0, nf = 0, i, k, m;
	int			 yes = 0;

	if (c->tlp == NULL || strcmp(c->tlp, "RED") != 0)
		return 1;
	if (!policy_tlp_allows(a->pol, c->tlp, viewer, c->reporter))
		return 0;
	if (c->reporter && strcasecmp(viewer, c->reporter) == 0)
		return 1;
	if (store_deadlines(a->st, c->id, &d, &nd, errstr) == -1 ||
	    store_facts(a->st, c->id, &f, &nf, errstr) == -1) {
		store_deadlines_free(d, nd);
		return -1;
	}
	for (m = 0; m < r->nmembers && !yes; m++) {
		if (strcasecmp(r->members[m].addr, viewer) != 0)
			continue;
		for (i = 0; i <= nd && !yes; i++) {
			t = raci_task(r, i == nd ? "intake" :
			    clock_task((enum clock_id)clock_by_name(
			    d[i].clock)));
			for (k = 0; t && k <= t->nr && !yes; k++)
				yes = strcmp(k < t->nr ? t->r[k] : t->a,
				    r->members[m].role) == 0;
		}
		for (i = 0; i < nf && !yes; i++)
			yes = strcmp(f[i].kind, "assign") == 0 &&
			    (strcasecmp(f[i].value, viewer) == 0 ||
			    strcmp(f[i].value, r->members[m].role) == 0);
	}
	store_deadlines_free(d, nd);
	store_facts_free(f, nf);
	return yes;
}

static void
row_fill(struct find_row *r, const struct cand *c, long long now)
{
	const struct store_found *f = c->f;
	char	 t[32];

	memset(r, 0, sizeof(*r));
	r->id = xstrdup(f->c.id);
	r->status = xstrdup(f->c.status);
	r->kind = xstrdup(f->c.kind);
	r->severity = f->c.severity ? xstrdup(f->c.severity) : NULL;
	r->tlp = f->c.tlp ? xstrdup(f->c.tlp) : NULL;
	r->subject = f->c.subject ? xstrdup(f->c.subject) : NULL;
	r->reporter = f->c.reporter ? xstrdup(f->c.reporter) : NULL;
	r->reporter_name = f->c.reporter_name ?
	    xstrdup(f->c.reporter_name) : NULL;
	r->source = f->c.source ? xstrdup(f->c.source) : NULL;
	r->lang = f->c.lang ? xstrdup(f->c.lang) : NULL;
	r->severity_by = f->c.severity_by ? xstrdup(f->c.severity_by) : NULL;
	r->hold = f->c.hold != NULL;
	r->level = f->c.level;
	r->created = f->c.created_at;
	r->updated = f->c.updated_at;
	if (f->next_clock) {
		fmt_utc(f->next_due, DUE_FMT, t, sizeof(t));
		r->due = xasprintf("%s %s", f->next_clock, t);
		r->overdue = f->next_due < now;
	}
	if (c->where.len)
		r->match = xstrdup(c->where.s);
}

int
find_cases(struct agent *a, const struct find_filter *f,
    struct find_row **rows, size_t *n, char **errstr)
{
	struct store_case_query	 q;
	struct store_found	*v = NULL;
	struct search		 sr;
	const struct raci	*r;
	const char		*names[256];
	size_t			 nv = 0, i, k, nn = 0;
	long long		 now = fmt_now();
	int			 rv = -1, x;

	*rows = NULL;
	*n = 0;
	memset(&sr, 0, sizeof(sr));
	if (find_filter_check(a, f, errstr) != 0)
		return -1;
	if ((f->assigned || f->viewer) && agent_open(a, 1, errstr) != 0)
		return -1;
	if (a->st == NULL && agent_open(a, 0, errstr) != 0)
		return -1;
	memset(&q, 0, sizeof(q));
	q.status = f->status;
	q.kind = f->kind;
	q.severity = f->severity;
	q.reporter = f->reporter;
	q.product = f->product;
	q.since = f->since;
	q.overdue = f->overdue;
	q.now = now;
	if (store_case_find(a->st, &q, &v, &nv, errstr) == -1)
		return -1;
	sr.a = a;
	sr.f = f;
	sr.n = nv;
	sr.c = xcalloc(nv ? nv : 1, sizeof(*sr.c));
	sr.byid = xcalloc(nv ? nv : 1, sizeof(*sr.byid));
	for (i = 0; i < nv; i++) {
		sr.c[i].f = &v[i];
		sr.c[i].keep = 1;
		buf_init(&sr.c[i].where);
		sr.byid[i] = &sr.c[i];
	}
	qsort(sr.byid, nv, sizeof(*sr.byid), by_id);
	/* the viewer: TLP:RED cases they may not see are left out */
	for (i = 0; f->viewer && i < nv; i++)
		if ((x = find_may_see(a, &v[i].c, f->viewer, errstr)) != 1) {
			if (x == -1)
				goto out;
			sr.c[i].keep = 0;
		}
	/* the assignee: the role or address, and the members of the
	 * role, or the roles of the member */
	if (f->assigned) {
		r = policy_raci(a->pol);
		names[nn++] = f->assigned;
		for (k = 0; k < r->nmembers && nn < 256; k++)
			if (strcmp(r->members[k].role, f->assigned) == 0)
				names[nn++] = r->members[k].addr;
			else if (strcasecmp(r->members[k].addr, f->assigned) ==
			    0)
				names[nn++] = r->members[k].role;
		sr.assignees = names;
		sr.nassignees = nn;
		for (i = 0; i < nv; i++)
			sr.c[i].hit = xcalloc(1, 1);
		if (store_facts_each(a->st, "assign", assign_cb, &sr,
		    errstr) == -1)
			goto out;
		for (i = 0; i < nv; i++) {
			sr.c[i].keep &= sr.c[i].hit[0];
			free(sr.c[i].hit);
			sr.c[i].hit = NULL;
		}
	}
	/* the words: subjects, facts, messages */
	if (f->words) {
		if (ac_build(&sr.ac, f->words) == -1) {
			*errstr = xasprintf("no words to look for");
			goto out;
		}
		for (i = 0; i < nv; i++) {
			sr.c[i].hit = xcalloc(sr.ac.nterm, 1);
			if (sr.c[i].keep && v[i].c.subject)
				ac_feed(&sr, &sr.c[i], v[i].c.subject,
				    strlen(v[i].c.subject), "subject");
		}
		if (store_facts_each(a->st, NULL, fact_cb, &sr, errstr) == -1)
			goto out;
		if (store_texts_each(a->st, text_cb, &sr, errstr) == -1)
			goto out;
		if (sr.failed) {
			*errstr = sr.err;
			sr.err = NULL;
			goto out;
		}
		for (i = 0; i < nv; i++)
			sr.c[i].keep &= sr.c[i].nhit == sr.ac.nterm;
	}
	for (i = k = 0; i < nv; i++)
		k += sr.c[i].keep != 0;
	*rows = xcalloc(k ? k : 1, sizeof(**rows));
	for (i = 0; i < nv; i++)
		if (sr.c[i].keep)
			row_fill(&(*rows)[(*n)++], &sr.c[i], now);
	rv = 0;
out:
	for (i = 0; i < nv; i++) {
		free(sr.c[i].hit);
		buf_free(&sr.c[i].where);
	}
	free(sr.c);
	free(sr.byid);
	free(sr.err);
	ac_free(&sr.ac);
	store_found_free(v, nv);
	return rv;
}

void
find_rows_free(struct find_row *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].status);
		free(v[i].kind);
		free(v[i].severity);
		free(v[i].tlp);
		free(v[i].subject);
		free(v[i].reporter);
		free(v[i].due);
		free(v[i].match);
		free(v[i].reporter_name);
		free(v[i].source);
		free(v[i].lang);
		free(v[i].severity_by);
	}
	free(v);
}

void
find_render(const struct find_row *v, size_t n, int json, struct buf *out)
{
	struct json	j;
	size_t		i, match = 0;
	char		t[32];

	if (json) {
		/* `case list --json`'s objects; a search's with "match" */
		json_init(&j, out);
		json_arr_begin(&j);
		for (i = 0; i < n; i++) {
			json_obj_begin(&j);
			json_kstr(&j, "id", v[i].id);
			json_kstr(&j, "kind", v[i].kind);
			json_kstr(&j, "status", v[i].status);
			json_kstr(&j, "subject", v[i].subject);
			json_kstr(&j, "reporter", v[i].reporter);
			json_kstr(&j, "reporter_name", v[i].reporter_name);
			json_key(&j, "no_reply_address");
			json_bool(&j, v[i].reporter == NULL);
			json_kstr(&j, "source", v[i].source);
			json_kstr(&j, "lang", v[i].lang);
			fmt_utc(v[i].created, ISO_FMT, t, sizeof(t));
			json_kstr(&j, "created_at", t);
			fmt_utc(v[i].updated, ISO_FMT, t, sizeof(t));
			json_kstr(&j, "updated_at", t);
			json_kstr(&j, "tlp", v[i].tlp);
			json_key(&j, "hold");
			json_bool(&j, v[i].hold);
			json_kstr(&j, "severity", v[i].severity);
			json_kstr(&j, "severity_by", v[i].severity_by);
			json_key(&j, "level");
			if (v[i].level)
				json_int(&j, v[i].level);
			else
				json_null(&j);
			if (v[i].match)
				json_kstr(&j, "match", v[i].match);
			json_obj_end(&j);
		}
		json_arr_end(&j);
		buf_putc(out, '\n');
		return;
	}
	for (i = 0; i < n; i++)
		match |= v[i].match != NULL;
	buf_printf(out, "%-16s %-13s %-13s %-8s %-12s %-35s %s%s\n", "ID",
	    "STATUS", "KIND", "SEVERITY", "TLP", "DUE", match ?
	    "MATCH: " : "", "SUBJECT");
	for (i = 0; i < n; i++) {
		buf_printf(out, "%-16s %-13s %-13s %-8s %-12s ", v[i].id,
		    v[i].status, v[i].kind, v[i].severity ? v[i].severity :
		    "-", v[i].tlp ? v[i].tlp : "-");
		if (v[i].due) {
			char	*d = xasprintf("%s%s", v[i].due, v[i].overdue ?
			    " (late)" : "");

			buf_printf(out, "%-35s ", d);
			free(d);
		} else
			buf_printf(out, "%-35s ", "-");
		if (v[i].match) {
			markup_term(out, v[i].match, 200, 0);
			buf_puts(out, ": ");
		}
		markup_term(out, v[i].subject ? v[i].subject : "", 200, 0);
		if (v[i].reporter == NULL)
			buf_puts(out, " [no reply address]");
		buf_putc(out, '\n');
	}
}
