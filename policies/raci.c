/*
 * raci.c: roles, members and tasks of psirt-policy(5). See raci.h.
 */
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/xmalloc.h"
#include "policies/raci.h"

#ifndef ZONEINFO_DIR
#define ZONEINFO_DIR	"/usr/share/zoneinfo"
#endif

/* The tasks of the guideline (3.1.5) and the incident procedure. */
static const char *const task_names[] = {
	"intake", "triage", "analysis", "remediation", "disclosure",
	"incident-response", "re-assessment", "root-cause",
	"improvement-tracking",
};
#define NTASKS	(sizeof(task_names) / sizeof(task_names[0]))

static int	 is_id(const char *);
static char	**split_roles(const char *, size_t *, char **);
static void	 strv_add(char ***, size_t *, char *);
static int	 stmt_role(struct raci *, char *const *, const char *, size_t,
		    const char *, char **);
static int	 stmt_member(struct raci *, char *const *, const char *,
		    size_t, const char *, char **);
static int	 stmt_task(struct raci *, char *const *, const char *, size_t,
		    const char *, char **);

struct raci *
raci_new(void)
{
	return xcalloc(1, sizeof(struct raci));
}

void
raci_free(struct raci **rp)
{
	struct raci	*r = *rp;
	size_t		 i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nroles; i++) {
		free(r->roles[i].id);
		free(r->roles[i].name);
		free(r->roles[i].name_zh);
		free(r->roles[i].where);
	}
	for (i = 0; i < r->nmembers; i++) {
		free(r->members[i].role);
		free(r->members[i].name);
		free(r->members[i].addr);
		free(r->members[i].pgp);
		free(r->members[i].smime);
		free(r->members[i].tz);
		free(r->members[i].where);
	}
	for (i = 0; i < r->ntasks; i++) {
		free(r->tasks[i].name);
		strv_free(r->tasks[i].r, r->tasks[i].nr);
		free(r->tasks[i].a);
		strv_free(r->tasks[i].c, r->tasks[i].nc);
		strv_free(r->tasks[i].i, r->tasks[i].ni);
		free(r->tasks[i].where);
	}
	free(r->roles);
	free(r->members);
	free(r->tasks);
	free(r);
	*rp = NULL;
}

/* a role ID: [a-z0-9-], starting with a letter, at most 32 */
static int
is_id(const char *s)
{
	size_t	i;

	if (!islower((unsigned char)s[0]))
		return 0;
	for (i = 0; s[i]; i++)
		if (!islower((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]) && s[i] != '-')
			return 0;
	return i <= 32;
}

/* 40 hex digits (an OpenPGP v4 key, an X.509 SHA-1) or 64 (SHA-256) */
int
raci_is_fpr(const char *s)
{
	size_t	n = strspn(s, "0123456789abcdefABCDEF");

	return s[n] == '\0' && (n == 40 || n == 64);
}

int
raci_is_addr(const char *s)
{
	const char	*at = strchr(s, '@');

	return at && at != s && at[1] && strchr(at + 1, '@') == NULL &&
	    strpbrk(s, " \t\r\n<>\"(),;:\\[]") == NULL && strlen(s) < 255;
}

int
raci_tz_valid(const char *zone)
{
	char	path[512], magic[4];
	int	fd, ok = 0;
	size_t	i;

	if (zone[0] == '\0' || zone[0] == '/' || strstr(zone, "..") ||
	    strlen(zone) > 64)
		return 0;
	for (i = 0; zone[i]; i++)
		if (!isalnum((unsigned char)zone[i]) &&
		    !strchr("/_+-", zone[i]))
			return 0;
	snprintf(path, sizeof(path), "%s/%s", ZONEINFO_DIR, zone);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	ok = read(fd, magic, 4) == 4 && memcmp(magic, "TZif", 4) == 0;
	close(fd);
	return ok;
}

static void
strv_add(char ***v, size_t *n, char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = s;
}

/* "a,b,c" -> role IDs; NULL and *errstr on a bad one */
static char **
split_roles(const char *s, size_t *np, char **errstr)
{
	char	**v = NULL, *copy = xstrdup(s), *p, *save = NULL;
	size_t	 n = 0;

	for (p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",",
	    &save)) {
		if (!is_id(p)) {
			*errstr = xasprintf("bad role name \"%s\"", p);
			strv_free(v, n);
			free(copy);
			return NULL;
		}
		strv_add(&v, &n, xstrdup(p));
	}
	free(copy);
	if (n == 0) {
		*errstr = xstrdup("no role named");
		return NULL;
	}
	*np = n;
	return v;
}

static int
stmt_role(struct raci *r, char *const *w, const char *ty, size_t n,
    const char *where, char **errstr)
{
	struct raci_role	 ro;
	size_t			 i = 3;

	if (n < 3 || ty[1] != 'w' || ty[2] != 's') {
		*errstr = xstrdup("expected: role ID \"Name\" [\"name in "
		    "zh-TW\"] [rotation daily|weekly]");
		return -1;
	}
	if (!is_id(w[1])) {
		*errstr = xasprintf("bad role name \"%s\" (a-z, 0-9 and -, "
		    "starting with a letter)", w[1]);
		return -1;
	}
	if (raci_role(r, w[1])) {
		*errstr = xasprintf("role %s is defined twice", w[1]);
		return -1;
	}
	memset(&ro, 0, sizeof(ro));
	if (n > 3 && ty[3] == 's')
		ro.name_zh = xstrdup(w[i++]);
	if (i + 2 == n && strcmp(w[i], "rotation") == 0 &&
	    (strcmp(w[i + 1], "daily") == 0 || strcmp(w[i + 1],
	    "weekly") == 0))
		ro.rotation = w[i + 1][0] == 'd' ? 1 : 7;
	else if (i != n) {
		free(ro.name_zh);
		*errstr = xasprintf("role %s: unexpected \"%s\" (expected "
		    "rotation daily|weekly)", w[1], w[i]);
		return -1;
	}
	ro.id = xstrdup(w[1]);
	ro.name = xstrdup(w[2]);
	ro.where = xstrdup(where);
	r->roles = xrealloc(r->roles, (r->nroles + 1) * sizeof(*r->roles));
	r->roles[r->nroles++] = ro;
	return 1;
}

static int
stmt_member(struct raci *r, char *const *w, const char *ty, size_t n,
    const char *where, char **errstr)
{
	struct raci_member	 m;
	size_t			 i;
	int			 digest_set = 0;

	if (n < 4 || ty[1] != 'w' || ty[2] != 's') {
		*errstr = xstrdup("expected: member ROLE \"Name\" ADDRESS "
		    "[pgp FINGERPRINT] [smime FINGERPRINT] [tz ZONE] "
		    "[digest on|off]");
		return -1;
	}
	if (!raci_is_addr(w[3])) {
		*errstr = xasprintf("member %s: \"%s\" is not a plain address",
		    w[2], w[3]);
		return -1;
	}
	memset(&m, 0, sizeof(m));
	m.digest = 1;
	for (i = 4; i < n; i += 2) {
		char	**slot = strcmp(w[i], "pgp") == 0 ? &m.pgp :
			    strcmp(w[i], "smime") == 0 ? &m.smime :
			    strcmp(w[i], "tz") == 0 ? &m.tz : NULL;

		if (strcmp(w[i], "digest") == 0 && i + 1 < n && !digest_set &&
		    (strcmp(w[i + 1], "on") == 0 || strcmp(w[i + 1],
		    "off") == 0)) {
			m.digest = strcmp(w[i + 1], "on") == 0;
			digest_set = 1;
			continue;
		}
		if (slot == NULL || i + 1 >= n || *slot) {
			*errstr = xasprintf("member %s: unexpected \"%s\" "
			    "(expected pgp, smime, tz or digest on|off, each "
			    "once)", w[2], w[i]);
			goto fail;
		}
		if (slot != &m.tz && !raci_is_fpr(w[i + 1])) {
			*errstr = xasprintf("member %s: bad %s fingerprint "
			    "\"%s\" (40 or 64 hex digits)", w[2], w[i],
			    w[i + 1]);
			goto fail;
		}
		if (slot == &m.tz && !raci_tz_valid(w[i + 1])) {
			*errstr = xasprintf("member %s: unknown time zone "
			    "\"%s\"", w[2], w[i + 1]);
			goto fail;
		}
		*slot = xstrdup(w[i + 1]);
	}
	if (m.tz == NULL)
		m.tz = xstrdup(RACI_DEFAULT_TZ);
	m.role = xstrdup(w[1]);
	m.name = xstrdup(w[2]);
	m.addr = xstrdup(w[3]);
	m.where = xstrdup(where);
	r->members = xrealloc(r->members, (r->nmembers + 1) *
	    sizeof(*r->members));
	r->members[r->nmembers++] = m;
	return 1;
fail:
	free(m.pgp);
	free(m.smime);
	free(m.tz);
	return -1;
}

static int
stmt_task(struct raci *r, char *const *w, const char *ty, size_t n,
    const char *where, char **errstr)
{
	struct raci_task	 t;
	size_t			 i, k, *np;
	char			***vp;

	(void)ty;
	if (n < 2) {
		*errstr = xstrdup("expected: task NAME R ROLES A ROLE "
		    "[C ROLES] [I ROLES]");
		return -1;
	}
	for (k = 0; k < NTASKS && strcmp(w[1], task_names[k]) != 0; k++)
		;
	if (k == NTASKS) {
		*errstr = xasprintf("unknown task \"%s\" (intake, triage, "
		    "analysis, remediation, disclosure, incident-response, "
		    "re-assessment, root-cause, improvement-tracking)", w[1]);
		return -1;
	}
	if (raci_task(r, w[1])) {
		*errstr = xasprintf("task %s is defined twice", w[1]);
		return -1;
	}
	memset(&t, 0, sizeof(t));
	for (i = 2; i < n; i += 2) {
		if (i + 1 >= n) {
			*errstr = xasprintf("task %s: %s without roles", w[1],
			    w[i]);
			goto fail;
		}
		if (strcmp(w[i], "A") == 0) {
			if (t.a || strchr(w[i + 1], ',')) {
				*errstr = xasprintf("task %s: more than one "
				    "A (accountable); a task has exactly one",
				    w[1]);
				goto fail;
			}
			if (!is_id(w[i + 1])) {
				*errstr = xasprintf("task %s: bad role name "
				    "\"%s\"", w[1], w[i + 1]);
				goto fail;
			}
			t.a = xstrdup(w[i + 1]);
			continue;
		}
		vp = strcmp(w[i], "R") == 0 ? &t.r : strcmp(w[i], "C") == 0 ?
		    &t.c : strcmp(w[i], "I") == 0 ? &t.i : NULL;
		np = vp == &t.r ? &t.nr : vp == &t.c ? &t.nc : &t.ni;
		if (vp == NULL || *vp) {
			*errstr = xasprintf("task %s: unexpected \"%s\" "
			    "(expected R, A, C and I, each once)", w[1], w[i]);
			goto fail;
		}
		if ((*vp = split_roles(w[i + 1], np, errstr)) == NULL)
			goto fail;
	}
	if (t.a == NULL || t.nr == 0) {
		*errstr = xasprintf("task %s: needs R (one or more roles) and "
		    "exactly one A", w[1]);
		goto fail;
	}
	t.name = xstrdup(w[1]);
	t.where = xstrdup(where);
	r->tasks = xrealloc(r->tasks, (r->ntasks + 1) * sizeof(*r->tasks));
	r->tasks[r->ntasks++] = t;
	return 1;
fail:
	strv_free(t.r, t.nr);
	free(t.a);
	strv_free(t.c, t.nc);
	strv_free(t.i, t.ni);
	return -1;
}

int
raci_stmt(struct raci *r, char *const *w, const char *types, size_t n,
    const char *where, char **errstr)
{
	if (strcmp(w[0], "role") == 0)
		return stmt_role(r, w, types, n, where, errstr);
	if (strcmp(w[0], "member") == 0)
		return stmt_member(r, w, types, n, where, errstr);
	if (strcmp(w[0], "task") == 0)
		return stmt_task(r, w, types, n, where, errstr);
	return 0;
}

size_t
raci_check(const struct raci *r, struct buf *out)
{
	const struct raci_task	*t;
	size_t			 i, k, n = 0, members;

	for (i = 0; i < r->nmembers; i++)
		if (raci_role(r, r->members[i].role) == NULL) {
			buf_printf(out, "%s: member %s: unknown role %s\n",
			    r->members[i].where, r->members[i].name,
			    r->members[i].role);
			n++;
		}
	for (i = 0; i < r->nroles; i++) {
		for (k = members = 0; k < r->nmembers; k++)
			members += strcmp(r->members[k].role,
			    r->roles[i].id) == 0;
		if (members == 0) {
			buf_printf(out, "%s: role %s has no members\n",
			    r->roles[i].where, r->roles[i].id);
			n++;
		}
	}
	for (i = 0; i < r->ntasks; i++) {
		t = &r->tasks[i];
		for (k = 0; k < t->nr + 1 + t->nc + t->ni; k++) {
			const char *id = k < t->nr ? t->r[k] : k == t->nr ?
			    t->a : k < t->nr + 1 + t->nc ?
			    t->c[k - t->nr - 1] : t->i[k - t->nr - 1 - t->nc];

			if (raci_role(r, id) == NULL) {
				buf_printf(out, "%s: task %s: unknown role "
				    "%s\n", t->where, t->name, id);
				n++;
			}
		}
	}
	return n;
}

const struct raci_role *
raci_role(const struct raci *r, const char *id)
{
	size_t	i;

	for (i = 0; i < r->nroles; i++)
		if (strcmp(r->roles[i].id, id) == 0)
			return &r->roles[i];
	return NULL;
}

const struct raci_task *
raci_task(const struct raci *r, const char *name)
{
	size_t	i;

	for (i = 0; i < r->ntasks; i++)
		if (strcmp(r->tasks[i].name, name) == 0)
			return &r->tasks[i];
	return NULL;
}

const struct raci_member *
raci_member(const struct raci *r, const char *addr)
{
	size_t	i;

	if (addr == NULL)
		return NULL;
	for (i = 0; i < r->nmembers; i++)
		if (strcasecmp(r->members[i].addr, addr) == 0)
			return &r->members[i];
	return NULL;
}
