/*
 * policy.c: read and apply psirt-policy(5).
 *
 * Grammar (one statement per line, '#' comments, "..." strings with \"
 * and \\ escapes, /regex/flags):
 *   case-id STRING             e.g. "PSIRT-%Y-%N" (%Y year, %N or %<w>N
 *                              counter zero-padded to w, default 4)
 *   language STRING            default reply language ("en")
 *   languages STRING...        languages templates must exist for
 *   templates STRING           template directory (relative to the file)
 *   ack-limit NUMBER per hour  acknowledgements to one sender per hour
 *   refusal-limit NUMBER per hour
 *                              refused-command mails to one sender per
 *                              hour (default: the ack-limit)
 *   next-step STRING within NUMBER (hours|days)
 *   ask-wait NUMBER UNIT       a #ask unanswered this long: the reporter
 *                              reminded once; twice this long: the case's
 *                              R told (default 7 days)
 *   reply-from (team|member)   whose name a #reply shows in From (the
 *                              address is always the PSIRT's; default team)
 *   severity (critical|high|medium|low) from SCORE
 *                              the band's lowest CVSS score (defaults
 *                              9.0, 7.0, 4.0, 0.0: the CVSS scale)
 *   retention (vulnerability|incident|tlp:red) (NUMBER UNIT|forever)
 *                              how long a closed case keeps its mail
 *                              (policy_retention; default: forever)
 *   notify (report|followup|quarantine|review|exception)
 *          [kind (vulnerability|incident)] (ROLE[,ROLE...]|none)
 *                              whom an event is told to at once
 *                              (policy_notify; default: the R and A
 *                              of intake, the A of remediation)
 *   match (subject|text|from|to|any) REGEX action...
 *      actions: kind (vulnerability|incident), language STRING,
 *               source (external|internal|cert|vendor),
 *               origin (own|supplier|third-party), product STRING,
 *               version STRING, module STRING, tag STRING,
 *               assign STRING, no-ack
 * Templates "ack" must exist for every listed language.
 *
 * Trust: the file is the operator's, parsed strictly; regexes run on
 * reporter text only under regex.c's limits.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/nearest.h"
#include "util/xmalloc.h"
#include "policies/clocks.h"
#include "policies/demo.h"
#include "policies/policy.h"
#include "policies/cwe.h"
#include "policies/raci.h"
#include "parsers/regex.h"
#include "policies/template.h"

#define MAXLANGS	16
#define MAXTOKS		32

enum rule_on { ON_SUBJECT, ON_TEXT, ON_FROM, ON_TO, ON_ANY };

/* The actions of a rule that set one value: the word after the action
 * name is one of `words` (NULL: any "string"). */
enum { A_KIND, A_LANG, A_SOURCE, A_ORIGIN, A_PRODUCT, A_VERSION, A_MODULE,
	A_MAX };
static const struct {
	const char	*name;
	const char	*words[5];
} one_actions[A_MAX] = {
	[A_KIND] = { "kind", { "vulnerability", "incident" } },
	[A_LANG] = { "language", { NULL } },
	[A_SOURCE] = { "source", { "external", "internal", "cert",
	    "vendor" } },
	[A_ORIGIN] = { "origin", { "own", "supplier", "third-party" } },
	[A_PRODUCT] = { "product", { NULL } },
	[A_VERSION] = { "version", { NULL } },
	[A_MODULE] = { "module", { NULL } },
};

struct rule {
	enum rule_on	 on;
	struct regex	*re;
	char		*where;		/* "file:line" */
	char		*set[A_MAX];
	char		*tags[POLICY_LIST_MAX];
	size_t		 ntags;
	char		*assign[POLICY_LIST_MAX];
	size_t		 nassign;
	int		 no_ack;
};

static void	rule_free(struct rule *);

static void
rule_free(struct rule *r)
{
	size_t	i;

	regex_free(&r->re);
	free(r->where);
	for (i = 0; i < A_MAX; i++)
		free(r->set[i]);
	for (i = 0; i < r->ntags; i++)
		free(r->tags[i]);
	for (i = 0; i < r->nassign; i++)
		free(r->assign[i]);
	memset(r, 0, sizeof(*r));
}

struct tmpl {
	char		*name;
	char		*lang;
	struct template	*t;
};

static const char *const sev_names[] = { "critical", "high", "medium",
	"low" };
#define NSEV	(sizeof(sev_names) / sizeof(sev_names[0]))

struct policy {
	char		*path;
	int		 sev_from[NSEV];	/* score10 where each band starts */
	char		*case_fmt;
	char		*lang;
	char		*tdir;
	char		*langs[MAXLANGS];
	size_t		 nlangs;
	long long	 ack_limit;
	long long	 refusal_limit;	/* -1: the ack_limit */
	long long	 ask_wait;	/* seconds */
	int		 reply_from_member;
	char		*next_step;
	long long	 next_secs;
	struct rule	*rules;
	size_t		 nrules;
	struct tmpl	*tmpls;
	size_t		 ntmpls;
	struct raci	*raci;		/* roles, members, tasks */
	struct clocks	*clocks;	/* deadlines, ladders, calendar */
	struct buf	*problems;	/* while loading */
	char		*reply_on[16][2];	/* status, reply name */
	char		*reply_on_where[16];	/* file:line */
	size_t		 nreply_on;
	char		*org[32];		/* organisation domains */
	size_t		 norg;
	char		*clients[32];		/* its clients' domains */
	size_t		 nclients;
	char		*pub_name, *pub_ns;	/* advisory publisher */
	struct policy_cna cna;			/* where CVE requests go */
	char		*cna_org_id, *cna_short;	/* our own CNA identity */
	char		*cwe[64][2];		/* cwe-name: ID, name */
	size_t		 ncwe;
	long long	 retention[3];	/* by ret_names: seconds, 0 forever,
					 * -1 not stated (forever) */
	struct notify_rule *notify;	/* `notify`, in file order */
	size_t		 nnotify;
};

/* notify EVENT [kind K] ROLE[,ROLE...]|none */
struct notify_rule {
	int	 ev;		/* enum policy_event */
	int	 kind;		/* 0 any, 1 vulnerability, 2 incident */
	char	**roles;	/* none: nroles 0 */
	size_t	 nroles;
	char	*where;
};

static const char *const ev_names[PEV_MAX + 1] = {
	[PEV_REPORT] = "report", [PEV_FOLLOWUP] = "followup",
	[PEV_QUARANTINE] = "quarantine", [PEV_REVIEW] = "review",
	[PEV_EXCEPTION] = "exception", [PEV_HOLD] = "hold", [PEV_MAX] = NULL
};

static const char *const ret_names[] = { "vulnerability", "incident",
	"tlp:red" };

struct tok {
	int	 type;		/* 'w' word, 's' string, 'r' regex */
	char	*s;
	char	*flags;		/* regex flags */
};

static int	 lex_line(const char *, struct tok *, size_t *, char **);
static void	 toks_free(struct tok *, size_t);
static int	 parse_stmt(struct policy *, struct tok *, size_t,
		    const char *, char **);
static int	 load_templates(struct policy *, char **);
static int	 check_case_fmt(const char *, char **);

static void
toks_free(struct tok *t, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(t[i].s);
		free(t[i].flags);
	}
}

static int
lex_line(const char *p, struct tok *t, size_t *np, char **errstr)
{
	struct buf	b;
	size_t		n = 0;
	char		q;

	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			break;
		if (n == MAXTOKS) {
			*errstr = xstrdup("too many words on one line");
			goto fail;
		}
		buf_init(&b);
		if (*p == '"' || *p == '/') {
			q = *p++;
			while (*p && *p != q) {
				if (*p == '\\' && p[1] != '\0' && (q == '"' ||
				    p[1] == '/')) {
					if (q == '/' && p[1] != '/')
						buf_putc(&b, *p);
					p++;
				}
				buf_putc(&b, *p++);
			}
			if (*p != q) {
				*errstr = xasprintf("unterminated %s",
				    q == '"' ? "string" : "regex");
				buf_free(&b);
				goto fail;
			}
			p++;
			t[n].type = q == '"' ? 's' : 'r';
			t[n].flags = NULL;
			if (q == '/') {
				const char *f = p;

				while (isalpha((unsigned char)*p))
					p++;
				t[n].flags = xstrndup(f, (size_t)(p - f));
			}
		} else {
			while (*p && *p != ' ' && *p != '\t' && *p != '#')
				buf_putc(&b, *p++);
			t[n].type = 'w';
			t[n].flags = NULL;
		}
		t[n++].s = buf_release(&b);
	}
	*np = n;
	return 0;
fail:
	toks_free(t, n);
	*np = 0;
	return -1;
}

static int
check_case_fmt(const char *f, char **errstr)
{
	int	n = 0;

	for (; *f; f++) {
		if (*f != '%') {
			if (!isalnum((unsigned char)*f) && *f != '-' &&
			    *f != '_' && *f != '.') {
				*errstr = xstrdup("case-id may contain only "
				    "letters, digits, '-', '_', '.', %Y and "
				    "%N");
				return -1;
			}
			continue;
		}
		f++;
		while (isdigit((unsigned char)*f))
			f++;
		if (*f == 'N')
			n++;
		else if (*f != 'Y') {
			*errstr = xstrdup("case-id knows only %Y and %N");
			return -1;
		}
	}
	if (n != 1) {
		*errstr = xstrdup("case-id needs exactly one %N");
		return -1;
	}
	return 0;
}

/* A version 4 UUID as the CVE record format's uuidType has it. */
static int
cna_uuid(const char *s)
{
	size_t	i;

	if (strlen(s) != 36)
		return 0;
	for (i = 0; i < 36; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23 ? s[i] != '-' :
		    !isxdigit((unsigned char)s[i]))
			return 0;
	return s[14] == '4' && strchr("89abAB", s[19]) != NULL;
}

static int
parse_stmt(struct policy *pol, struct tok *t, size_t n, const char *where,
    char **errstr)
{
	struct rule	 r;
	size_t		 i;
	char		*end, *e = NULL;
	long long	 v;

	{	/* the team: role, member, task */
		char	*w[MAXTOKS], ty[MAXTOKS + 1];
		int	 rr;

		for (i = 0; i < n; i++) {
			w[i] = t[i].s;
			ty[i] = (char)t[i].type;
		}
		ty[n] = '\0';
		if ((rr = raci_stmt(pol->raci, w, ty, n, where, errstr)) != 0)
			return rr == 1 ? 0 : -1;
		if ((rr = clocks_stmt(pol->clocks, w, ty, n, where, pol->path,
		    pol->problems, errstr)) != 0)
			return rr == 1 ? 0 : -1;
	}
	if (t[0].type != 'w') {
		*errstr = xstrdup("a statement starts with a keyword");
		return -1;
	}
	if (strcmp(t[0].s, "case-id") == 0 && n == 2 && t[1].type == 's') {
		if (check_case_fmt(t[1].s, errstr) == -1)
			return -1;
		free(pol->case_fmt);
		pol->case_fmt = xstrdup(t[1].s);
		return 0;
	}
	if (strcmp(t[0].s, "language") == 0 && n == 2 && t[1].type == 's') {
		free(pol->lang);
		pol->lang = xstrdup(t[1].s);
		return 0;
	}
	if (strcmp(t[0].s, "languages") == 0 && n >= 2) {
		for (i = 1; i < n; i++) {
			if (t[i].type != 's' || pol->nlangs == MAXLANGS) {
				*errstr = xasprintf("languages takes up to %d "
				    "quoted names", MAXLANGS);
				return -1;
			}
			pol->langs[pol->nlangs++] = xstrdup(t[i].s);
		}
		return 0;
	}
	if (strcmp(t[0].s, "templates") == 0 && n == 2 && t[1].type == 's') {
		const char	*slash = strrchr(pol->path, '/');

		free(pol->tdir);
		pol->tdir = t[1].s[0] == '/' || slash == NULL ?
		    xstrdup(t[1].s) : xasprintf("%.*s/%s",
		    (int)(slash - pol->path), pol->path, t[1].s);
		return 0;
	}
	if ((strcmp(t[0].s, "ack-limit") == 0 ||
	    strcmp(t[0].s, "refusal-limit") == 0) && n == 4 &&
	    strcmp(t[2].s, "per") == 0 && strcmp(t[3].s, "hour") == 0) {
		errno = 0;
		v = strtoll(t[1].s, &end, 10);
		if (errno || *end || v < 0) {
			*errstr = xasprintf("bad number \"%s\"", t[1].s);
			return -1;
		}
		if (t[0].s[0] == 'a')
			pol->ack_limit = v;
		else
			pol->refusal_limit = v;
		return 0;
	}
	if (strcmp(t[0].s, "ask-wait") == 0) {
		if (n != 3) {
			*errstr = xstrdup("expected: ask-wait NUMBER "
			    "(hours|days|months)");
			return -1;
		}
		if (clocks_duration(t[1].s, t[2].s, &v, &e) == -1) {
			*errstr = xasprintf("ask-wait: %s", e);
			free(e);
			return -1;
		}
		if (v <= 0) {
			*errstr = xstrdup("ask-wait: the time must be more "
			    "than nothing");
			return -1;
		}
		pol->ask_wait = v;
		return 0;
	}
	if (strcmp(t[0].s, "reply-from") == 0) {
		if (n != 2 || (strcmp(t[1].s, "team") != 0 &&
		    strcmp(t[1].s, "member") != 0)) {
			*errstr = xstrdup("expected: reply-from team|member");
			return -1;
		}
		pol->reply_from_member = strcmp(t[1].s, "member") == 0;
		return 0;
	}
	if (strcmp(t[0].s, "organisation") == 0 ||
	    strcmp(t[0].s, "clients") == 0) {
		char	**dv = t[0].s[0] == 'o' ? pol->org : pol->clients;
		size_t	*nv = t[0].s[0] == 'o' ? &pol->norg : &pol->nclients;

		for (i = 1; i < n; i++) {
			if (*nv == 32 || strchr(t[i].s, '@') ||
			    strchr(t[i].s, '.') == NULL) {
				*errstr = xasprintf("%s: \"%s\" is not a "
				    "domain (or more than 32)", t[0].s,
				    t[i].s);
				return -1;
			}
			dv[(*nv)++] = xstrdup(t[i].s);
		}
		return 0;
	}
	if (strcmp(t[0].s, "publisher") == 0) {
		if (n != 3 || t[1].type != 's' || t[2].type != 's' ||
		    strncmp(t[2].s, "https://", 8) != 0 || strpbrk(t[2].s,
		    " \t\"<>") || t[1].s[0] == '\0') {
			*errstr = xstrdup("usage: publisher \"NAME\" "
			    "\"https://NAMESPACE\"");
			return -1;
		}
		free(pol->pub_name);
		free(pol->pub_ns);
		pol->pub_name = xstrdup(t[1].s);
		pol->pub_ns = xstrdup(t[2].s);
		return 0;
	}
	if (strcmp(t[0].s, "cwe-name") == 0) {
		if (n != 3 || t[2].type != 's' || t[2].s[0] == '\0' ||
		    strncmp(t[1].s, "CWE-", 4) != 0 || atoi(t[1].s + 4) <= 0 ||
		    strspn(t[1].s + 4, "0123456789") != strlen(t[1].s + 4) ||
		    pol->ncwe == 64) {
			*errstr = xstrdup("usage: cwe-name CWE-NUMBER \"NAME\" "
			    "(at most 64)");
			return -1;
		}
		pol->cwe[pol->ncwe][0] = xstrdup(t[1].s);
		pol->cwe[pol->ncwe++][1] = xstrdup(t[2].s);
		return 0;
	}
	if (strcmp(t[0].s, "cna") == 0) {
		if ((n != 3 && n != 5) || t[1].type != 's' || t[1].s[0] ==
		    '\0' || !raci_is_addr(t[2].s) || (n == 5 &&
		    (strcmp(t[3].s, "pgp") != 0 || !raci_is_fpr(t[4].s)))) {
			*errstr = xstrdup("usage: cna \"NAME\" ADDRESS "
			    "[pgp FINGERPRINT]");
			return -1;
		}
		free(pol->cna.name);
		free(pol->cna.addr);
		free(pol->cna.pgp);
		pol->cna.name = xstrdup(t[1].s);
		pol->cna.addr = xstrdup(t[2].s);
		pol->cna.pgp = n == 5 ? xstrdup(t[4].s) : NULL;
		return 0;
	}
	if (strcmp(t[0].s, "cna-org-id") == 0) {
		if (n != 2 || !cna_uuid(t[1].s)) {
			*errstr = xasprintf("cna-org-id: %s is not a version 4 "
			    "UUID (the CVE program's organisation IDs are: "
			    "xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx)",
			    n == 2 ? t[1].s : "(none)");
			return -1;
		}
		free(pol->cna_org_id);
		pol->cna_org_id = xstrdup(t[1].s);
		return 0;
	}
	if (strcmp(t[0].s, "cna-short-name") == 0) {
		const char	*c;

		for (c = n == 2 ? t[1].s : ""; *c > ' ' && *c < 0x7f &&
		    *c != '"'; c++)
			;
		if (n != 2 || *c || strlen(t[1].s) < 2 || strlen(t[1].s) >
		    32) {
			*errstr = xstrdup("usage: cna-short-name NAME (2 to 32 "
			    "printable ASCII characters, no blank: the CVE "
			    "program's shortName)");
			return -1;
		}
		free(pol->cna_short);
		pol->cna_short = xstrdup(t[1].s);
		return 0;
	}
	if (strcmp(t[0].s, "retention") == 0) {
		long long	secs = 0;
		size_t		k;

		for (k = 0; n >= 2 && k < 3 && strcasecmp(t[1].s,
		    ret_names[k]); k++)
			;
		if (k == 3 || (n != 3 && n != 4) || (n == 3 &&
		    strcmp(t[2].s, "forever") != 0)) {
			*errstr = xstrdup("usage: retention vulnerability|"
			    "incident|tlp:red NUMBER days|months|years, or "
			    "forever");
			return -1;
		}
		if (n == 4 && clocks_duration(t[2].s, t[3].s, &secs,
		    errstr) == -1)
			return -1;
		pol->retention[k] = secs;
		return 0;
	}
	if (strcmp(t[0].s, "notify") == 0) {
		struct notify_rule	 nr;
		size_t			 k, at = 2;
		char			*p, *save = NULL, *list;

		memset(&nr, 0, sizeof(nr));
		for (k = 0; n >= 2 && ev_names[k] && strcmp(t[1].s,
		    ev_names[k]); k++)
			;
		if (n < 3 || ev_names[k] == NULL) {
			*errstr = xasprintf("usage: notify report|followup|"
			    "quarantine|review|exception|hold [kind vulnerability|"
			    "incident] ROLE[,ROLE...]|none%s", n >= 2 &&
			    ev_names[k] == NULL ? nearest_hint(t[1].s, ev_names,
			    0) : "");
			return -1;
		}
		nr.ev = (int)k;
		if (strcmp(t[2].s, "kind") == 0 && t[2].type == 'w') {
			if (n != 5 || (strcmp(t[3].s, "vulnerability") != 0 &&
			    strcmp(t[3].s, "incident") != 0)) {
				*errstr = xstrdup("notify: expected kind "
				    "vulnerability|incident, then ROLE[,ROLE...] "
				    "or none");
				return -1;
			}
			if (nr.ev == PEV_QUARANTINE || nr.ev == PEV_HOLD) {
				*errstr = xasprintf("notify %s: a %s message "
				    "has no case, so no kind", ev_names[nr.ev],
				    nr.ev == PEV_HOLD ? "held" : "quarantined");
				return -1;
			}
			nr.kind = t[3].s[0] == 'v' ? 1 : 2;
			at = 4;
		}
		if (n != at + 1 || t[at].type != 'w') {
			*errstr = xstrdup("notify: one list of roles, "
			    "ROLE[,ROLE...] without blanks, or none");
			return -1;
		}
		if (strcmp(t[at].s, "none") != 0) {
			list = xstrdup(t[at].s);
			for (p = strtok_r(list, ",", &save); p;
			    p = strtok_r(NULL, ",", &save)) {
				nr.roles = xreallocarray(nr.roles,
				    nr.nroles + 1, sizeof(*nr.roles));
				nr.roles[nr.nroles++] = xstrdup(p);
			}
			free(list);
			if (nr.nroles == 0) {
				*errstr = xstrdup("notify: an empty list of "
				    "roles (none says nobody)");
				return -1;
			}
		}
		nr.where = xstrdup(where);
		pol->notify = xreallocarray(pol->notify, pol->nnotify + 1,
		    sizeof(*pol->notify));
		pol->notify[pol->nnotify++] = nr;
		return 0;
	}
	if (strcmp(t[0].s, "reply-on") == 0) {
		static const char *const names[] = { "confirmed",
		    "fix-scheduled", "fixed", "cannot-fix", "rejected",
		    "duplicate", "disclosed", NULL };
		size_t	k;

		for (k = 0; n == 3 && names[k] && strcmp(t[2].s, names[k]);
		    k++)
			;
		if (n != 3 || names[k] == NULL || pol->nreply_on == 16) {
			*errstr = xasprintf("expected: reply-on STATUS confirmed|"
			    "fix-scheduled|fixed|cannot-fix|rejected|"
			    "duplicate|disclosed%s", n == 3 ?
			    nearest_hint(t[2].s, names, 0) : "");
			return -1;
		}
		pol->reply_on_where[pol->nreply_on] = xstrdup(where);
		pol->reply_on[pol->nreply_on][0] = xstrdup(t[1].s);
		pol->reply_on[pol->nreply_on++][1] = xstrdup(t[2].s);
		return 0;
	}
	if (strcmp(t[0].s, "severity") == 0) {
		size_t	k;
		double	d;

		for (k = 0; n == 4 && k < NSEV; k++)
			if (strcmp(t[1].s, sev_names[k]) == 0)
				break;
		if (n != 4 || k == NSEV || strcmp(t[2].s, "from") != 0) {
			*errstr = xstrdup("expected: severity critical|high|"
			    "medium|low from SCORE");
			return -1;
		}
		errno = 0;
		d = strtod(t[3].s, &end);
		if (errno || *end || end == t[3].s || d < 0 || d > 10) {
			*errstr = xasprintf("bad score \"%s\" (0.0 to 10.0)",
			    t[3].s);
			return -1;
		}
		pol->sev_from[k] = (int)(d * 10 + 0.5);
		/* bands in order: each starts below the one above it */
		for (k = 1; k < NSEV; k++)
			if (pol->sev_from[k] >= pol->sev_from[k - 1]) {
				*errstr = xasprintf("severity %s starts at or "
				    "above severity %s", sev_names[k],
				    sev_names[k - 1]);
				return -1;
			}
		return 0;
	}
	if (strcmp(t[0].s, "next-step") == 0 && n == 5 && t[1].type == 's' &&
	    strcmp(t[2].s, "within") == 0) {
		errno = 0;
		v = strtoll(t[3].s, &end, 10);
		if (errno || *end || v <= 0 || v > 10000) {
			*errstr = xasprintf("bad number \"%s\"", t[3].s);
			return -1;
		}
		if (strcmp(t[4].s, "hours") == 0 || strcmp(t[4].s, "hour") == 0)
			v *= 3600;
		else if (strcmp(t[4].s, "days") == 0 ||
		    strcmp(t[4].s, "day") == 0)
			v *= 86400;
		else {
			*errstr = xstrdup("next-step: expected hours or days");
			return -1;
		}
		free(pol->next_step);
		pol->next_step = xstrdup(t[1].s);
		pol->next_secs = v;
		return 0;
	}
	if (strcmp(t[0].s, "match") == 0) {
		size_t	a, w;

		memset(&r, 0, sizeof(r));
		if (n < 4 || t[2].type != 'r') {
			*errstr = xstrdup("expected: match (subject|text|from|"
			    "to|any) /regex/ action...");
			return -1;
		}
		if (strcmp(t[1].s, "subject") == 0)
			r.on = ON_SUBJECT;
		else if (strcmp(t[1].s, "text") == 0)
			r.on = ON_TEXT;
		else if (strcmp(t[1].s, "from") == 0)
			r.on = ON_FROM;
		else if (strcmp(t[1].s, "to") == 0)
			r.on = ON_TO;
		else if (strcmp(t[1].s, "any") == 0)
			r.on = ON_ANY;
		else {
			*errstr = xasprintf("match: unknown field \"%s\"",
			    t[1].s);
			return -1;
		}
		for (i = 3; i < n; i++) {
			if (strcmp(t[i].s, "no-ack") == 0 && t[i].type == 'w') {
				r.no_ack = 1;
				continue;
			}
			if (i + 1 >= n || t[i].type != 'w')
				goto badaction;
			if ((strcmp(t[i].s, "tag") == 0 ||
			    strcmp(t[i].s, "assign") == 0) &&
			    t[i + 1].type == 's' && t[i + 1].s[0]) {
				int	 tag = t[i].s[0] == 't';
				char	**lv = tag ? r.tags : r.assign;
				size_t	*nv = tag ? &r.ntags : &r.nassign;

				if (*nv == POLICY_LIST_MAX) {
					*errstr = xasprintf("match: more than "
					    "%d %s actions", POLICY_LIST_MAX,
					    t[i].s);
					goto fail;
				}
				lv[(*nv)++] = xstrdup(t[++i].s);
				continue;
			}
			for (a = 0; a < A_MAX; a++)
				if (strcmp(t[i].s, one_actions[a].name) == 0)
					break;
			if (a == A_MAX)
				goto badaction;
			if (one_actions[a].words[0] == NULL) {
				if (t[i + 1].type != 's' || !t[i + 1].s[0])
					goto badaction;
			} else {
				for (w = 0; one_actions[a].words[w]; w++)
					if (strcmp(t[i + 1].s,
					    one_actions[a].words[w]) == 0)
						break;
				if (one_actions[a].words[w] == NULL)
					goto badaction;
			}
			free(r.set[a]);
			r.set[a] = xstrdup(t[++i].s);
		}
		if (regex_compile(t[2].s, t[2].flags, &r.re, errstr) == -1)
			goto fail;
		r.where = xstrdup(where);
		pol->rules = xrealloc(pol->rules,
		    (pol->nrules + 1) * sizeof(*pol->rules));
		pol->rules[pol->nrules++] = r;
		return 0;
badaction:
		*errstr = xasprintf("match: bad action \"%s\" (expected kind "
		    "vulnerability|incident, language \"xx\", source "
		    "external|internal|cert|vendor, origin own|supplier|"
		    "third-party, product \"x\", version \"x\", module "
		    "\"x\", tag \"x\", assign \"x\", no-ack)", t[i].s);
fail:
		rule_free(&r);
		return -1;
	}
	*errstr = xasprintf("unknown or malformed statement \"%s\"", t[0].s);
	return -1;
}

/* A template of the built-in demo, in lang or else in English. */
static int
builtin(const char *name, const char *lang, struct template **t,
    char **errstr)
{
	const struct demo_file	*f, *en = NULL;
	char			*want, *wen;

	want = xasprintf("policies/templates/%s.%s.txt", name, lang);
	wen = xasprintf("policies/templates/%s.en.txt", name);
	for (f = demo_files; f->name; f++) {
		if (strcmp(f->name, want) == 0)
			break;
		if (strcmp(f->name, wen) == 0)
			en = f;
	}
	if (f->name == NULL)
		f = en;
	free(want);
	free(wen);
	if (f == NULL) {
		*errstr = xasprintf("no built-in template %s", name);
		return -1;
	}
	return template_parse(f->name, f->text, strlen(f->text), t, errstr);
}

static int
load_templates(struct policy *pol, char **errstr)
{
	static const char *const names[] = {
		"ack", "ack-private", "undecryptable", "escalation",
		"duplicate", "status-confirmed", "status-fix-scheduled",
		"status-fixed", "status-cannot-fix", "status-rejected",
		"status-duplicate", "status-disclosed", "status-notice",
		"advisory", "advisory-md", "cve-request", "reply", "ask",
		"ask-reminder", "question-unanswered", "correspondence-breach",
		"query-answer", "digest", "digest-key", "team-notice",
		"team-batch"
	};
	size_t		 i, j;
	char		*path;
	struct template	*t;
	int		 r;

	if (pol->nlangs == 0)
		pol->langs[pol->nlangs++] = xstrdup(pol->lang);
	for (i = 0; i < pol->nlangs; i++)
		for (j = 0; j < sizeof(names) / sizeof(names[0]); j++) {
			path = xasprintf("%s/%s.%s.txt", pol->tdir, names[j],
			    pol->langs[i]);
			/* the templates after the first three came later:
			 * an instance made before them uses the built-in
			 * ones */
			if (j >= 3 &&
			    access(path, F_OK) == -1 && errno == ENOENT) {
				r = builtin(names[j], pol->langs[i], &t,
				    errstr);
			} else
				r = template_load(path, &t, errstr);
			free(path);
			if (r == -1)
				return -1;
			pol->tmpls = xrealloc(pol->tmpls,
			    (pol->ntmpls + 1) * sizeof(*pol->tmpls));
			pol->tmpls[pol->ntmpls].name = xstrdup(names[j]);
			pol->tmpls[pol->ntmpls].lang = xstrdup(pol->langs[i]);
			pol->tmpls[pol->ntmpls++].t = t;
		}
	for (j = 0; j < pol->nlangs; j++)
		if (strcmp(pol->langs[j], pol->lang) == 0)
			break;
	if (j == pol->nlangs) {
		*errstr = xasprintf("%s: default language \"%s\" is not in "
		    "`languages`", pol->path, pol->lang);
		return -1;
	}
	for (i = 0; i < pol->nrules; i++)
		if (pol->rules[i].set[A_LANG]) {
			for (j = 0; j < pol->nlangs; j++)
				if (strcmp(pol->langs[j],
				    pol->rules[i].set[A_LANG]) == 0)
					break;
			if (j == pol->nlangs) {
				*errstr = xasprintf("%s: language \"%s\" is "
				    "not in `languages`", pol->rules[i].where,
				    pol->rules[i].set[A_LANG]);
				return -1;
			}
		}
	return 0;
}


/*
 * The names the statements give that the whole file defines: each
 * reply-on status is a status of a case's life or a pause-in status,
 * and each match's assign names a role, or a member by name or address
 * (once the policy has roles).
 */
static void
check_names(const struct policy *pol, struct buf *problems)
{
	const struct raci	*rc = pol->raci;
	const char		*cands[65];
	size_t			 i, k, n;

	for (i = 0; i < pol->nreply_on; i++) {
		if (word_in(pol->reply_on[i][0], case_statuses) ||
		    clocks_paused_in(pol->clocks, pol->reply_on[i][0]))
			continue;
		buf_printf(problems, "%s: reply-on: unknown status \"%s\"%s\n",
		    pol->reply_on_where[i], pol->reply_on[i][0],
		    nearest_hint(pol->reply_on[i][0], case_statuses, 0));
	}
	for (i = 0; i < pol->nnotify; i++)
		for (k = 0; k < pol->notify[i].nroles; k++) {
			const char *who = pol->notify[i].roles[k];

			if (raci_role(rc, who))
				continue;
			for (n = 0; n < rc->nroles && n < 64; n++)
				cands[n] = rc->roles[n].id;
			cands[n] = NULL;
			buf_printf(problems, "%s: notify: no role \"%s\"%s\n",
			    pol->notify[i].where, who, nearest_hint(who, cands,
			    n));
		}
	/* a policy without a team yet: assign names whom it likes */
	for (i = 0; rc->nroles > 0 && i < pol->nrules; i++)
		for (k = 0; k < pol->rules[i].nassign; k++) {
			const char *who = pol->rules[i].assign[k];

			if (raci_role(rc, who) || raci_member(rc, who))
				continue;
			for (n = 0; n < rc->nmembers; n++)
				if (strcmp(rc->members[n].name, who) == 0)
					break;
			if (n < rc->nmembers)
				continue;
			for (n = 0; n < rc->nroles && n < 64; n++)
				cands[n] = rc->roles[n].id;
			cands[n] = NULL;
			buf_printf(problems, "%s: match: assign \"%s\" is no "
			    "role, member name or member address%s\n",
			    pol->rules[i].where, who, nearest_hint(who, cands,
			    n));
		}
}

int
policy_load(const char *path, struct policy **out, char **errstr)
{
	struct policy	*pol;
	struct tok	 t[MAXTOKS];
	struct buf	 problems;
	FILE		*fp;
	char		*line = NULL, *err = NULL, where[512];
	size_t		 cap = 0, lineno = 0, n;
	ssize_t		 len;
	const char	*slash;

	pol = xcalloc(1, sizeof(*pol));
	pol->path = xstrdup(path);
	pol->raci = raci_new();
	pol->clocks = clocks_new();
	pol->case_fmt = xstrdup("PSIRT-%Y-%N");
	pol->lang = xstrdup("en");
	pol->ack_limit = 5;
	pol->refusal_limit = -1;
	pol->ask_wait = 7 * 86400;
	pol->sev_from[0] = 90;
	pol->sev_from[1] = 70;
	pol->sev_from[2] = 40;
	pol->sev_from[3] = 0;
	pol->next_step = xstrdup("initial assessment");
	pol->next_secs = 3 * 86400;
	pol->retention[0] = pol->retention[1] = pol->retention[2] = -1;
	slash = strrchr(path, '/');
	pol->tdir = slash ? xasprintf("%.*s/templates", (int)(slash - path),
	    path) : xstrdup("templates");
	if ((fp = fopen(path, "r")) == NULL) {
		*errstr = xasprintf("open %s: %s", path, strerror(errno));
		policy_free(&pol);
		return -1;
	}
	/* every problem of the file, one "file:line: reason" each */
	buf_init(&problems);
	pol->problems = &problems;
	while ((len = getline(&line, &cap, fp)) != -1) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		snprintf(where, sizeof(where), "%s:%zu", path, lineno);
		if (lex_line(line, t, &n, &err) == -1) {
			buf_printf(&problems, "%s: %s\n", where, err);
			free(err);
			err = NULL;
			continue;
		}
		if (n == 0)
			continue;
		if (parse_stmt(pol, t, n, where, &err) == -1) {
			buf_printf(&problems, "%s: %s\n", where, err);
			free(err);
			err = NULL;
		}
		toks_free(t, n);
	}
	/* getline(3) returns -1 on ENOMEM too: only end of file ends it */
	if (ferror(fp) || !feof(fp))
		buf_printf(&problems, "%s: read error: %s\n", path,
		    strerror(errno ? errno : EIO));
	fclose(fp);
	free(line);
	pol->problems = NULL;
	(void)raci_check(pol->raci, &problems);
	(void)clocks_check(pol->clocks, pol->raci, &problems);
	check_names(pol, &problems);
	if (problems.len) {
		problems.s[--problems.len] = '\0';	/* the last \n */
		*errstr = buf_release(&problems);
		policy_free(&pol);
		return -1;
	}
	buf_free(&problems);
	if (load_templates(pol, errstr) == -1) {
		policy_free(&pol);
		return -1;
	}
	*out = pol;
	return 0;
}

void
policy_free(struct policy **pp)
{
	struct policy	*p = *pp;
	size_t		 i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nrules; i++)
		rule_free(&p->rules[i]);
	free(p->rules);
	for (i = 0; i < p->ntmpls; i++) {
		free(p->tmpls[i].name);
		free(p->tmpls[i].lang);
		template_free(&p->tmpls[i].t);
	}
	free(p->tmpls);
	for (i = 0; i < p->nlangs; i++)
		free(p->langs[i]);
	free(p->path);
	free(p->case_fmt);
	free(p->lang);
	free(p->tdir);
	free(p->next_step);
	raci_free(&p->raci);
	clocks_free(&p->clocks);
	for (i = 0; i < p->nreply_on; i++) {
		free(p->reply_on[i][0]);
		free(p->reply_on[i][1]);
		free(p->reply_on_where[i]);
	}
	for (i = 0; i < p->norg; i++)
		free(p->org[i]);
	for (i = 0; i < p->nclients; i++)
		free(p->clients[i]);
	free(p->pub_name);
	free(p->pub_ns);
	free(p->cna.name);
	free(p->cna.addr);
	free(p->cna.pgp);
	free(p->cna_org_id);
	free(p->cna_short);
	for (i = 0; i < p->ncwe; i++) {
		free(p->cwe[i][0]);
		free(p->cwe[i][1]);
	}
	for (i = 0; i < p->nnotify; i++) {
		size_t	k;

		for (k = 0; k < p->notify[i].nroles; k++)
			free(p->notify[i].roles[k]);
		free(p->notify[i].roles);
		free(p->notify[i].where);
	}
	free(p->notify);
	free(p);
	*pp = NULL;
}

/* The decision's field for a one-value action. */
static const char **
decided(struct policy_decision *d, size_t a)
{
	switch (a) {
	case A_KIND:	return &d->kind;
	case A_LANG:	return &d->lang;
	case A_SOURCE:	return &d->source;
	case A_ORIGIN:	return &d->origin;
	case A_PRODUCT:	return &d->product;
	case A_VERSION:	return &d->version;
	default:	return &d->module;
	}
}

int
policy_decide(const struct policy *pol, const struct policy_facts *f,
    struct policy_decision *d, char **errstr)
{
	const struct rule	*r;
	const char		*subj[4];
	size_t			 i, k, ns;
	int			 hit;
	char			*err = NULL;

	memset(d, 0, sizeof(*d));
	for (i = 0; i < pol->nrules; i++) {
		r = &pol->rules[i];
		ns = 0;
		if (r->on == ON_SUBJECT || r->on == ON_ANY)
			subj[ns++] = f->subject;
		if (r->on == ON_TEXT || r->on == ON_ANY)
			subj[ns++] = f->text;
		if (r->on == ON_FROM || r->on == ON_ANY)
			subj[ns++] = f->from;
		if (r->on == ON_TO || r->on == ON_ANY)
			subj[ns++] = f->to;
		hit = 0;
		for (k = 0; k < ns && !hit; k++) {
			if (subj[k] == NULL)
				continue;
			hit = regex_match(r->re, subj[k], strlen(subj[k]),
			    &err);
			if (hit == -1) {
				*errstr = xasprintf("%s: %s", r->where, err);
				free(err);
				return -1;
			}
		}
		if (!hit)
			continue;
		for (k = 0; k < A_MAX; k++)
			if (r->set[k] && *decided(d, k) == NULL)
				*decided(d, k) = r->set[k];
		for (k = 0; k < r->ntags && d->ntags < POLICY_LIST_MAX; k++)
			d->tags[d->ntags++] = r->tags[k];
		for (k = 0; k < r->nassign && d->nassign < POLICY_LIST_MAX;
		    k++)
			d->assign[d->nassign++] = r->assign[k];
		if (r->no_ack)
			d->no_ack = 1;
	}
	if (d->kind == NULL)
		d->kind = "vulnerability";
	if (d->lang == NULL)
		d->lang = pol->lang;
	if (d->source == NULL)
		d->source = "external";
	return 0;
}

static char *
case_fmt(const struct policy *pol, int year, long long seq, int prefix)
{
	struct buf	 b;
	const char	*f;
	int		 w;

	buf_init(&b);
	for (f = pol->case_fmt; *f; f++) {
		if (*f != '%') {
			buf_putc(&b, *f);
			continue;
		}
		f++;
		w = 0;
		while (isdigit((unsigned char)*f))
			w = w * 10 + (*f++ - '0');
		if (*f == 'Y')
			buf_printf(&b, "%04d", year);
		else {
			if (prefix)
				break;
			buf_printf(&b, "%0*lld", w ? w : 4, seq);
		}
	}
	return buf_release(&b);
}

char *
policy_case_id(const struct policy *pol, int year, long long seq)
{
	return case_fmt(pol, year, seq, 0);
}

/*
 * The counter key: the ID with the number left out, so that a format
 * with %Y restarts every year and one without keeps counting.
 */
char *
policy_case_prefix(const struct policy *pol, int year)
{
	struct buf	 b;
	const char	*f;

	buf_init(&b);
	for (f = pol->case_fmt; *f; f++) {
		if (*f != '%') {
			buf_putc(&b, *f);
			continue;
		}
		while (f[1] >= '0' && f[1] <= '9')
			f++;
		if (*++f == 'Y')
			buf_printf(&b, "%04d", year);
		else
			buf_puts(&b, "%N");
	}
	return buf_release(&b);
}

/* The length of an ID of format fmt at s (n bytes), 0 if none there. */
static size_t
case_id_at(const char *fmt, const char *s, size_t n)
{
	const char	*f;
	size_t		 i = 0, k;
	int		 year;

	for (f = fmt; *f; f++) {
		if (*f != '%') {
			if (i >= n || tolower((unsigned char)s[i]) !=
			    tolower((unsigned char)*f))
				return 0;
			i++;
			continue;
		}
		while (isdigit((unsigned char)f[1]))
			f++;
		year = *++f == 'Y';
		for (k = 0; i < n && isdigit((unsigned char)s[i]) &&
		    (year ? k < 4 : k < 19); k++)
			i++;
		if (year ? k != 4 : k == 0)
			return 0;
	}
	return i;
}

int
policy_case_id_find(const struct policy *pol, const char *s, size_t len,
    size_t from, size_t *off, size_t *mlen)
{
	size_t	i, m;

	for (i = from; i < len; i++) {
		if (i > 0 && isalnum((unsigned char)s[i - 1]))
			continue;
		if ((m = case_id_at(pol->case_fmt, s + i, len - i)) == 0 ||
		    (i + m < len && isalnum((unsigned char)s[i + m])))
			continue;
		*off = i;
		*mlen = m;
		return 1;
	}
	return 0;
}

/* addr's domain is d or under it */
static int
in_domain(const char *addr, const char *d)
{
	const char	*at = strrchr(addr, '@');
	size_t		 la, ld = strlen(d);

	if (at == NULL)
		return 0;
	at++;
	la = strlen(at);
	return (la == ld && strcasecmp(at, d) == 0) || (la > ld &&
	    at[la - ld - 1] == '.' && strcasecmp(at + la - ld, d) == 0);
}

int
policy_tlp_allows(const struct policy *pol, const char *tlp,
    const char *rcpt, const char *reporter)
{
	size_t	i;
	int	org = 0, member;

	if (tlp == NULL || strcmp(tlp, "CLEAR") == 0 ||
	    strcmp(tlp, "GREEN") == 0)
		return 1;
	/* the reporter is the source of what the case holds */
	if (reporter && strcasecmp(rcpt, reporter) == 0)
		return 1;
	member = raci_member(pol->raci, rcpt) != NULL;
	if (strcmp(tlp, "RED") == 0)
		return member;		/* the people the policy names */
	/* the organisation: its domains, or those of the team's members */
	for (i = 0; i < pol->norg; i++)
		org |= in_domain(rcpt, pol->org[i]);
	if (pol->norg == 0)
		for (i = 0; i < pol->raci->nmembers; i++)
			org |= in_domain(rcpt, strrchr(pol->raci->members[i].addr,
			    '@') + 1);
	if (org)
		return 1;
	if (strcmp(tlp, "AMBER") == 0)
		for (i = 0; i < pol->nclients; i++)
			if (in_domain(rcpt, pol->clients[i]))
				return 1;
	return 0;
}

long long
policy_retention(const struct policy *pol, const char *kind,
    const char *tlp, const char **which)
{
	long long	r;
	size_t		k;

	/* the kind's (not stated: forever), and for a RED case the
	 * longer of it and tlp:red's, when that is stated */
	k = kind && strcmp(kind, "incident") == 0 ? 1 : 0;
	r = pol->retention[k];
	*which = ret_names[k];
	if (r > 0 && tlp && strcasecmp(tlp, "RED") == 0 &&
	    (pol->retention[2] == 0 || pol->retention[2] > r)) {
		r = pol->retention[2];
		*which = ret_names[2];
	}
	return r > 0 ? r : 0;
}

const char *
policy_reply_on(const struct policy *pol, const char *status)
{
	size_t	i;

	for (i = 0; status && i < pol->nreply_on; i++)
		if (strcmp(pol->reply_on[i][0], status) == 0)
			return pol->reply_on[i][1];
	return NULL;
}

const struct raci *
policy_raci(const struct policy *pol)
{
	return pol->raci;
}

const struct clocks *
policy_clocks(const struct policy *pol)
{
	return pol->clocks;
}

const char *
policy_severity(const struct policy *pol, int score10)
{
	size_t	k;

	for (k = 0; k < NSEV; k++)
		if (score10 >= pol->sev_from[k])
			return sev_names[k];
	return sev_names[NSEV - 1];
}

long long
policy_ack_limit(const struct policy *pol)
{
	return pol->ack_limit;
}

size_t
policy_languages(const struct policy *pol, const char *const **langs)
{
	*langs = (const char *const *)pol->langs;
	return pol->nlangs;
}

long long
policy_ask_wait(const struct policy *pol)
{
	return pol->ask_wait;
}

int
policy_reply_from_member(const struct policy *pol)
{
	return pol->reply_from_member;
}

long long
policy_refusal_limit(const struct policy *pol)
{
	return pol->refusal_limit < 0 ? pol->ack_limit : pol->refusal_limit;
}

const char *
policy_cwe_name(const struct policy *pol, const char *id)
{
	size_t	i;

	for (i = pol->ncwe; i > 0; i--)	/* the last one given wins */
		if (strcasecmp(pol->cwe[i - 1][0], id) == 0)
			return pol->cwe[i - 1][1];
	return cwe_name(id);
}

const char *
policy_cna_id(const struct policy *pol, const char **short_name)
{
	*short_name = pol->cna_short;
	return pol->cna_org_id;
}

const struct policy_cna *
policy_cna(const struct policy *pol)
{
	return pol->cna.addr ? &pol->cna : NULL;
}

const char *
policy_publisher(const struct policy *pol, const char **ns)
{
	*ns = pol->pub_ns;
	return pol->pub_name;
}

const char *
policy_next_step(const struct policy *pol)
{
	return pol->next_step;
}

long long
policy_next_step_seconds(const struct policy *pol)
{
	return pol->next_secs;
}

const struct template *
policy_template(const struct policy *pol, const char *name, const char *lang)
{
	const char	*tries[3] = { lang, pol->lang, "en" };
	size_t		 i, k;

	for (k = 0; k < 3; k++)
		for (i = 0; tries[k] && i < pol->ntmpls; i++)
			if (strcmp(pol->tmpls[i].name, name) == 0 &&
			    strcmp(pol->tmpls[i].lang, tries[k]) == 0)
				return pol->tmpls[i].t;
	return NULL;
}

const char *
policy_event_name(int ev)
{
	return ev >= 0 && ev < PEV_MAX ? ev_names[ev] : "unknown";
}

/* Is role the R or the A of the task? */
static int
resp_or_acc(const struct raci_task *t, const char *role, int only_a)
{
	size_t	i;

	if (t == NULL)
		return 0;
	if (strcmp(t->a, role) == 0)
		return 1;
	for (i = 0; !only_a && i < t->nr; i++)
		if (strcmp(t->r[i], role) == 0)
			return 1;
	return 0;
}

/* A member of a rotating role is on duty (the member of the day or
 * week, as escalations pick them); of any other role always. */
static int
on_duty(const struct raci *rc, const struct raci_member *m, long long now)
{
	const struct raci_role	*ro = raci_role(rc, m->role);
	size_t			 k, cnt = 0, idx = 0;

	if (ro == NULL || ro->rotation == 0)
		return 1;
	for (k = 0; k < rc->nmembers; k++)
		if (strcmp(rc->members[k].role, m->role) == 0) {
			if (&rc->members[k] == m)
				idx = cnt;
			cnt++;
		}
	return cnt == 0 || (size_t)(now / 86400 / ro->rotation) % cnt == idx;
}

size_t
policy_notify(const struct policy *pol, int ev, const char *kind,
    long long now, const struct raci_member **out, int *red, size_t max)
{
	const struct raci		*rc = pol->raci;
	const struct raci_task		*t;
	const struct notify_rule	*rule = NULL, *any = NULL;
	size_t				 i, k, q, n = 0;
	int				 want, in;

	want = kind == NULL ? 0 : strcmp(kind, "incident") == 0 ? 2 : 1;
	for (i = 0; i < pol->nnotify; i++) {
		if (pol->notify[i].ev != ev)
			continue;
		if (pol->notify[i].kind == 0)
			any = &pol->notify[i];
		else if (pol->notify[i].kind == want)
			rule = &pol->notify[i];
	}
	if (rule == NULL)
		rule = any;
	/* the task whose R and A may see TLP:RED content, and whom the
	 * default tells */
	t = ev == PEV_EXCEPTION ? raci_task(rc, "remediation") :
	    raci_task(rc, "intake") ? raci_task(rc, "intake") :
	    raci_task(rc, "triage");
	for (k = 0; k < rc->nmembers && n < max; k++) {
		const struct raci_member *m = &rc->members[k];

		if (rule != NULL) {
			for (i = in = 0; i < rule->nroles && !in; i++)
				in = strcmp(rule->roles[i], m->role) == 0;
		} else
			in = resp_or_acc(t, m->role, ev == PEV_EXCEPTION);
		if (!in || !on_duty(rc, m, now))
			continue;
		for (q = 0; q < n && strcasecmp(out[q]->addr, m->addr); q++)
			;
		if (q < n)	/* one notice per person */
			continue;
		/* the person is the task's R or A in any of their roles */
		out[n] = m;
		red[n] = 0;
		for (q = 0; q < rc->nmembers; q++)
			if (strcasecmp(rc->members[q].addr, m->addr) == 0)
				red[n] |= resp_or_acc(t, rc->members[q].role,
				    ev == PEV_EXCEPTION);
		n++;
	}
	return n;
}
