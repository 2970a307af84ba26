/*
 * store_check.c: what `psirt-agent check` asks of the store: rows that
 * refer to nothing, cases without their opening, a message processed
 * twice, a case counter behind the IDs it gave. See store.h.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "util/xmalloc.h"
#include "spool/store.h"
#include "spool/store_report.h"
#include "spool/store_int.h"

/* Each query yields the rows that break one rule: the first column
 * names the row, the second (optional) adds to the text. */
static const struct {
	const char	*sql;
	const char	*what;
} rules[] = {
	{ "SELECT DISTINCT case_id, NULL FROM events WHERE case_id IS NOT "
	  "NULL AND case_id NOT IN (SELECT id FROM cases)",
	  "events of a case that does not exist" },
	{ "SELECT DISTINCT case_id, NULL FROM messages WHERE case_id IS NOT "
	  "NULL AND case_id NOT IN (SELECT id FROM cases)",
	  "messages of a case that does not exist" },
	{ "SELECT DISTINCT case_id, NULL FROM outbox WHERE case_id IS NOT "
	  "NULL AND case_id NOT IN (SELECT id FROM cases)",
	  "mail of a case that does not exist" },
	{ "SELECT id, NULL FROM cases c WHERE NOT EXISTS (SELECT 1 FROM "
	  "events e WHERE e.case_id = c.id AND e.type = 'case-opened')",
	  "a case without its case-opened event" },
	{ "SELECT id, NULL FROM cases c WHERE merged_into IS NULL AND NOT "
	  "EXISTS (SELECT 1 FROM messages m WHERE m.case_id = c.id AND "
	  "m.direction = 'in')",
	  "a case without a message" },
	{ "SELECT raw_sha256, group_concat(qid, ' ') FROM messages WHERE "
	  "direction = 'in' AND raw_sha256 IS NOT NULL AND kind != "
	  "'duplicate' GROUP BY raw_sha256 HAVING count(*) > 1",
	  "the same message processed more than once (queue IDs)" },
	{ "SELECT message_id, count(*) FROM outbox GROUP BY message_id "
	  "HAVING count(*) > 1",
	  "one outgoing Message-ID queued more than once" },
	/* a counter's key is the case ID format with the year filled in
	 * and "%N" for the number: h bytes before it, t after (in any
	 * case, as case IDs are looked up) */
	{ "WITH k AS (SELECT prefix, value, instr(prefix, '%N') - 1 AS h, "
	  "length(prefix) - instr(prefix, '%N') - 1 AS t FROM counters "
	  "WHERE instr(prefix, '%N') > 0), n AS (SELECT k.prefix, k.value, "
	  "substr(c.id, k.h + 1, length(c.id) - k.h - k.t) AS num FROM k "
	  "JOIN cases c ON length(c.id) > k.h + k.t AND substr(c.id, 1, "
	  "k.h) = substr(k.prefix, 1, k.h) COLLATE NOCASE AND (k.t = 0 OR "
	  "substr(c.id, -k.t) = substr(k.prefix, -k.t) COLLATE NOCASE)) "
	  "SELECT prefix, value FROM n "
	  "WHERE num NOT GLOB '*[^0-9]*' GROUP BY prefix, value HAVING "
	  "max(CAST(num AS INTEGER)) > value",
	  "a case ID counter behind the IDs it gave (the next case would "
	  "collide)" },
	{ "SELECT qid, state FROM queue WHERE state NOT IN ('active', "
	  "'deferred', 'hold', 'quarantine')",
	  "a queue row in an unknown state" },
};

int
store_check(struct store *st, void (*cb)(void *, const char *, const char *,
    const char *), void *arg, struct store_counts *cn, char **errstr)
{
	sqlite3_stmt	*stmt;
	size_t		 i;
	int		 rc;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		if (st_prepare(st, &stmt, rules[i].sql, errstr) == -1)
			return -1;
		while ((rc = st_step(stmt)) == SQLITE_ROW)
			cb(arg, rules[i].what, col_cstr(stmt, 0),
			    col_cstr(stmt, 1));
		sqlite3_finalize(stmt);
		if (rc != SQLITE_DONE)
			return st_err(st, errstr, "check");
	}
	if (st_prepare(st, &stmt, "SELECT (SELECT count(*) FROM cases), "
	    "(SELECT count(*) FROM messages WHERE direction = 'in'), "
	    "(SELECT count(*) FROM events), (SELECT count(*) FROM outbox)",
	    errstr) == -1)
		return -1;
	if ((rc = st_step(stmt)) == SQLITE_ROW) {
		cn->cases = sqlite3_column_int64(stmt, 0);
		cn->messages = sqlite3_column_int64(stmt, 1);
		cn->events = sqlite3_column_int64(stmt, 2);
		cn->outbox = sqlite3_column_int64(stmt, 3);
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_ROW ? 0 : st_err(st, errstr, "check");
}

/* The rows of one text column, malloc'd. */
static int
column(struct store *st, const char *sql, char ***out, size_t *np,
    char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*out = NULL;
	*np = 0;
	if (st_prepare(st, &stmt, sql, errstr) == -1)
		return -1;
	while ((rc = st_step(stmt)) == SQLITE_ROW) {
		*out = xreallocarray(*out, *np + 1, sizeof(**out));
		(*out)[(*np)++] = col_text(stmt, 0);
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : st_err(st, errstr, "check");
}

int
store_check_refs(struct store *st, char ***qids, size_t *nq, char ***refs,
    size_t *nr, char **errstr)
{
	*refs = NULL;
	*nr = 0;
	/* retention: a message expired has no files (2), or still has
	 * them until `expire` finishes (1); its vault names are not
	 * required either way */
	if (column(st, "SELECT qid FROM messages WHERE direction = 'in' AND "
	    "qid IS NOT NULL AND coalesce(expired, 0) < 2 ORDER BY qid", qids,
	    nq, errstr) == -1)
		return -1;
	return column(st, "SELECT text_ref FROM messages WHERE text_ref IS "
	    "NOT NULL AND expired IS NULL UNION SELECT a.ref FROM "
	    "attachments a JOIN messages m ON m.id = a.message WHERE a.ref "
	    "IS NOT NULL AND m.expired IS NULL", refs, nr, errstr);
}
