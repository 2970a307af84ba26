/*
 * raci: the team in psirt-policy(5): roles and their members, and for
 * each task of the guideline who is Responsible (one or more roles),
 * Accountable (exactly one), Consulted and Informed.
 *
 *   role ID "Name" ["name in zh-TW"] [rotation daily|weekly]
 *   member ROLE "Name" ADDRESS [pgp FINGERPRINT] [smime FINGERPRINT]
 *          [tz ZONE] [digest on|off]
 *   task TASK R ROLE[,ROLE...] A ROLE [C ROLE[,ROLE...]] [I ROLE[,...]]
 *
 * Statements are checked as they are read (names, addresses,
 * fingerprints, time zones against the system's zoneinfo, one A);
 * references between them (a member or task naming a role that does not
 * exist, a role without members) when the whole file has been read.
 * Trust: the file is the operator's; a time zone name is used as a path
 * only after it is checked to be a plain relative name.
 */
#ifndef PSIRT_POLICIES_RACI_H
#define PSIRT_POLICIES_RACI_H

#include <stddef.h>

struct buf;

#define RACI_DEFAULT_TZ	"Asia/Taipei"

struct raci_member {
	char	*role;
	char	*name;
	char	*addr;
	char	*pgp;		/* OpenPGP fingerprint, or NULL */
	char	*smime;		/* S/MIME certificate fingerprint, or NULL */
	char	*tz;		/* IANA time zone */
	int	 digest;	/* 1: the daily digest (default), 0: off */
	char	*where;		/* "file:line" */
};

struct raci_role {
	char	*id;
	char	*name;
	char	*name_zh;	/* or NULL */
	int	 rotation;	/* 0 all members; 1 daily; 7 weekly */
	char	*where;
};

struct raci_task {
	char	*name;
	char	**r;
	size_t	 nr;
	char	*a;
	char	**c;
	size_t	 nc;
	char	**i;
	size_t	 ni;
	char	*where;
};

struct raci {
	struct raci_role	*roles;
	size_t			 nroles;
	struct raci_member	*members;
	size_t			 nmembers;
	struct raci_task	*tasks;
	size_t			 ntasks;
};

struct raci	*raci_new(void);
void		 raci_free(struct raci **);
/* One statement (words w[0..n), types[k] 'w' word or 's' string): 1
 * taken, 0 not a team statement, -1 with *errstr. */
int		 raci_stmt(struct raci *, char *const *w, const char *types,
		    size_t n, const char *where, char **errstr);
/* The checks that need the whole file: each problem appended to
 * problems as "file:line: reason\n"; returns their number. */
size_t		 raci_check(const struct raci *, struct buf *problems);
const struct raci_role	 *raci_role(const struct raci *, const char *id);
const struct raci_task	 *raci_task(const struct raci *, const char *name);
/* The member with this address (any role), or NULL. */
const struct raci_member *raci_member(const struct raci *, const char *addr);
/* 1 if zone names a time zone of the system (a TZif file). */
int		 raci_tz_valid(const char *zone);
/* A plain address (local@domain); a key fingerprint (40 or 64 hex). */
int		 raci_is_addr(const char *);
int		 raci_is_fpr(const char *);

#endif
