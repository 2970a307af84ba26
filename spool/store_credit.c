/*
 * store_credit.c: the credits of a case. See store_credit.h.
 *
 * A credit's number is its place among the case's credits in the
 * order recorded (by row ID), so that "credit 2" is what `case show`
 * lists second.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sqlite3.h>

#include "util/xmalloc.h"
#include "spool/store.h"
#include "spool/store_credit.h"
#include "spool/store_int.h"

#define CREDIT_COLS	"name, organization, contact, choice, confirmed, " \
	"source, at"

/* The row at column i on as a credit. A credit carried over from the
 * credit fact of before (choice NULL) is anonymous when its name says
 * so, else named. */
static void
credit_row(struct store *st, sqlite3_stmt *stmt, int i,
    struct store_credit *c)
{
	memset(c, 0, sizeof(*c));
	c->name = st_col_open(st, stmt, i);
	c->organization = st_col_open(st, stmt, i + 1);
	c->contact = st_col_open(st, stmt, i + 2);
	c->choice = col_text(stmt, i + 3);
	c->confirmed = sqlite3_column_int(stmt, i + 4);
	c->source = col_text(stmt, i + 5);
	c->at = sqlite3_column_int64(stmt, i + 6);
	if (c->choice == NULL) {
		if (c->name && strcasecmp(c->name, "anonymous") == 0) {
			free(c->name);
			c->name = NULL;
		}
		c->choice = xstrdup(c->name ? "named" : "anonymous");
	}
	if (c->source == NULL)
		c->source = xstrdup("staff");
}

void
store_credit_clear(struct store_credit *c)
{
	free(c->name);
	free(c->organization);
	free(c->contact);
	free(c->choice);
	free(c->source);
}

int
store_credits(struct store *st, const char *case_id,
    struct store_credit **out, size_t *np, char **errstr)
{
	sqlite3_stmt		*stmt;
	struct store_credit	*v = NULL;
	size_t			 n = 0, cap = 0;
	int			 rc;

	*out = NULL;
	*np = 0;
	if (st_prepare(st, &stmt, "SELECT " CREDIT_COLS " FROM case_credits "
	    "WHERE case_id = ?1 ORDER BY id", errstr) == -1)
		return -1;
	bind_text(stmt, 1, case_id);
	while ((rc = st_step(stmt)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		credit_row(st, stmt, 0, &v[n++]);
	}
	sqlite3_finalize(stmt);
	*out = v;
	*np = n;
	return rc == SQLITE_DONE ? 0 : st_err(st, errstr, "credits");
}

void
store_credits_free(struct store_credit *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		store_credit_clear(&v[i]);
	free(v);
}

int
store_credit_add(struct store *st, const char *case_id,
    const struct store_credit *c, const char *sender, const char *qid,
    char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "INSERT INTO case_credits(case_id, name, "
	    "organization, contact, choice, confirmed, source, sender, qid, "
	    "at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	    errstr) == -1)
		return -1;
	bind_text(stmt, 1, case_id);
	if (st_bind_sealed(st, stmt, 2, c->name, errstr) == -1 ||
	    st_bind_sealed(st, stmt, 3, c->organization, errstr) == -1 ||
	    st_bind_sealed(st, stmt, 4, c->contact, errstr) == -1) {
		sqlite3_finalize(stmt);
		return -1;
	}
	bind_text(stmt, 5, c->choice);
	sqlite3_bind_int(stmt, 6, c->confirmed != 0);
	bind_text(stmt, 7, c->source);
	bind_text(stmt, 8, sender);
	bind_text(stmt, 9, qid);
	sqlite3_bind_int64(stmt, 10, (long long)time(NULL));
	return st_step_done(st, stmt, "add credit", errstr);
}

long long
store_credit_count(struct store *st, const char *case_id, char **errstr)
{
	sqlite3_stmt	*stmt;
	long long	 n = -1;

	if (st_prepare(st, &stmt, "SELECT count(*) FROM case_credits WHERE "
	    "case_id = ?1", errstr) == -1)
		return -1;
	bind_text(stmt, 1, case_id);
	if (st_step(stmt) == SQLITE_ROW)
		n = sqlite3_column_int64(stmt, 0);
	else
		st_err(st, errstr, "count credits");
	sqlite3_finalize(stmt);
	return n;
}

/* Run sql on credit n of the case (?2 its row ID), or on all (n 0). */
static int
credit_nth(struct store *st, const char *case_id, size_t n,
    const char *sql_one, const char *sql_all, const char *what,
    char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, n ? sql_one : sql_all, errstr) == -1)
		return -1;
	bind_text(stmt, 1, case_id);
	if (n)
		sqlite3_bind_int64(stmt, 2, (long long)n - 1);
	if (st_step_done(st, stmt, what, errstr) == -1)
		return -1;
	return sqlite3_changes(st->db);
}

#define NTH	"(SELECT id FROM case_credits WHERE case_id = ?1 ORDER BY id " \
	"LIMIT 1 OFFSET ?2)"

int
store_credit_confirm(struct store *st, const char *case_id, size_t n,
    char **errstr)
{
	return credit_nth(st, case_id, n, "UPDATE case_credits SET "
	    "confirmed = 1 WHERE confirmed = 0 AND id = " NTH,
	    "UPDATE case_credits SET confirmed = 1 WHERE confirmed = 0 AND "
	    "case_id = ?1", "confirm credits", errstr);
}

int
store_credit_remove(struct store *st, const char *case_id, size_t n,
    char **errstr)
{
	return credit_nth(st, case_id, n, "DELETE FROM case_credits WHERE "
	    "id = " NTH, "DELETE FROM case_credits WHERE case_id = ?1",
	    "remove credits", errstr);
}

int
store_credit_drop_unconfirmed(struct store *st, const char *case_id,
    const char *sender, char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "DELETE FROM case_credits WHERE case_id = "
	    "?1 AND sender = ?2 AND source = 'reporter' AND confirmed = 0",
	    errstr) == -1)
		return -1;
	bind_text(stmt, 1, case_id);
	bind_text(stmt, 2, sender);
	if (st_step_done(st, stmt, "replace credits", errstr) == -1)
		return -1;
	return sqlite3_changes(st->db);
}

int
store_credits_fame(struct store *st, struct store_fame **out, size_t *np,
    char **errstr)
{
	sqlite3_stmt		*stmt;
	struct store_fame	*v = NULL;
	size_t			 n = 0, cap = 0;
	int			 rc;

	*out = NULL;
	*np = 0;
	/* anonymous ones are left out in C: a credit of before has its
	 * choice in its sealed name */
	if (st_prepare(st, &stmt, "SELECT r.case_id, r.name, r.organization, "
	    "r.contact, r.choice, r.confirmed, r.source, r.at FROM "
	    "case_credits r JOIN cases c ON c.id = r.case_id WHERE "
	    "r.confirmed = 1 AND (r.choice IS NULL OR r.choice != "
	    "'anonymous') AND c.merged_into IS NULL AND c.status NOT IN "
	    "('rejected', 'duplicate', 'merged') ORDER BY r.case_id, r.id",
	    errstr) == -1)
		return -1;
	while ((rc = st_step(stmt)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[n].case_id = col_text(stmt, 0);
		credit_row(st, stmt, 1, &v[n].cr);
		if (strcmp(v[n].cr.choice, "anonymous") == 0) {
			free(v[n].case_id);
			store_credit_clear(&v[n].cr);
			continue;
		}
		n++;
	}
	sqlite3_finalize(stmt);
	*out = v;
	*np = n;
	return rc == SQLITE_DONE ? 0 : st_err(st, errstr, "hall of fame");
}

void
store_fame_free(struct store_fame *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].case_id);
		store_credit_clear(&v[i].cr);
	}
	free(v);
}

int
store_credit_of_reporter(struct store *st, const char *addr,
    struct store_credit *out, char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	memset(out, 0, sizeof(*out));
	/* stated by their own mail (or their one credit of before): a
	 * credit staff added, or one a merge brought from another case,
	 * may be someone else's */
	if (st_prepare(st, &stmt, "SELECT r.name, r.organization, r.contact, "
	    "r.choice, r.confirmed, r.source, r.at FROM case_credits r JOIN "
	    "cases c ON c.id = r.case_id WHERE c.reporter = ?1 COLLATE "
	    "NOCASE AND c.merged_into IS NULL AND r.confirmed = 1 AND "
	    "r.sender = ?1 ORDER BY r.at DESC, r.id DESC LIMIT 1",
	    errstr) == -1)
		return -1;
	bind_text(stmt, 1, addr);
	if ((rc = st_step(stmt)) == SQLITE_ROW)
		credit_row(st, stmt, 0, out);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_err(st, errstr, "reporter credit");
	return rc == SQLITE_ROW;
}
