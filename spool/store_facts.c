/*
 * store_facts.c: what triage learns about a case (CVE, CWE and CVSS
 * facts, TLP, severity, level), links between cases, and who takes part
 * in a case. See store.h.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "util/xmalloc.h"
#include "spool/store.h"
#include "spool/store_case.h"
#include "spool/store_keys.h"
#include "spool/store_int.h"

int
store_fact_add(struct store *st, const char *case_id, const char *kind,
    const char *value, int version, int score10, const char *qid,
    char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "INSERT OR IGNORE INTO case_facts(case_id, "
	    "kind, value, version, score10, qid, at) VALUES (?,?,?,?,?,?,?)",
	    errstr) == -1)
		return -1;
	bind_text(stmt, 1, case_id);
	bind_text(stmt, 2, kind);
	if (st_sealed_kind(kind) ? st_bind_sealed(st, stmt, 3, value,
	    errstr) == -1 : (bind_text(stmt, 3, value), 0)) {
		sqlite3_finalize(stmt);
		return -1;
	}
	if (version)
		sqlite3_bind_int(stmt, 4, version);
	if (version)
		sqlite3_bind_int(stmt, 5, score10);
	bind_text(stmt, 6, qid);
	sqlite3_bind_int64(stmt, 7, (long long)time(NULL));
	if (st_step_done(st, stmt, "add fact", errstr) == -1)
		return -1;
	return sqlite3_changes(st->db) == 1;
}

int
store_fact_remove(struct store *st, const char *case_id, const char *kind,
    const char *value, char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "DELETE FROM case_facts WHERE case_id = ?1 "
	    "AND kind = ?2 AND (?3 IS NULL OR value = ?3)", errstr) == -1)
		return -1;
	bind_text(stmt, 1, case_id);
	bind_text(stmt, 2, kind);
	if (st_sealed_kind(kind) ? st_bind_sealed(st, stmt, 3, value,
	    errstr) == -1 : (bind_text(stmt, 3, value), 0)) {
		sqlite3_finalize(stmt);
		return -1;
	}
	if (st_step_done(st, stmt, "remove facts", errstr) == -1)
		return -1;
	return sqlite3_changes(st->db);
}

int
store_facts(struct store *st, const char *case_id, struct store_fact **out,
    size_t *np, char **errstr)
{
	sqlite3_stmt		*stmt;
	struct store_fact	*v = NULL;
	size_t			 n = 0;
	int			 rc;

	*out = NULL;
	*np = 0;
	if (st_prepare(st, &stmt, "SELECT kind, value, version, score10, qid, "
	    "at FROM case_facts WHERE case_id = ?1 ORDER BY at, rowid",
	    errstr) == -1)
		return -1;
	bind_text(stmt, 1, case_id);
	while ((rc = st_step(stmt)) == SQLITE_ROW) {
		v = xrealloc(v, (n + 1) * sizeof(*v));
		v[n].kind = col_text(stmt, 0);
		v[n].value = st_col_open(st, stmt, 1);
		v[n].version = sqlite3_column_int(stmt, 2);
		v[n].score10 = sqlite3_column_int(stmt, 3);
		v[n].qid = col_text(stmt, 4);
		v[n++].at = sqlite3_column_int64(stmt, 5);
	}
	sqlite3_finalize(stmt);
	*out = v;
	*np = n;
	if (rc != SQLITE_DONE)
		return st_err(st, errstr, "read facts");
	return 0;
}

void
store_facts_free(struct store_fact *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].kind);
		free(v[i].value);
		free(v[i].qid);
	}
	free(v);
}

/* The first column of every row of sql (bound to a, b, c). */
static int
case_ids(struct store *st, const char *sql, const char *a, const char *b,
    const char *c, char ***ids, size_t *np, char **errstr)
{
	sqlite3_stmt	*stmt;
	char		**v = NULL;
	size_t		 n = 0;
	int		 rc;

	*ids = NULL;
	*np = 0;
	if (st_prepare(st, &stmt, sql, errstr) == -1)
		return -1;
	bind_text(stmt, 1, a);
	bind_text(stmt, 2, b);
	bind_text(stmt, 3, c);
	while ((rc = st_step(stmt)) == SQLITE_ROW) {
		v = xrealloc(v, (n + 1) * sizeof(*v));
		v[n++] = col_text(stmt, 0);
	}
	sqlite3_finalize(stmt);
	*ids = v;
	*np = n;
	if (rc != SQLITE_DONE)
		return st_err(st, errstr, "read facts");
	return 0;
}

int
store_fact_cases(struct store *st, const char *kind, const char *value,
    const char *case_id, char ***ids, size_t *np, char **errstr)
{
	return case_ids(st, "SELECT case_id FROM case_facts WHERE kind = ?1 "
	    "AND value = ?2 AND case_id != ?3 ORDER BY at, rowid", kind, value,
	    case_id, ids, np, errstr);
}

int
store_fact_kind_cases(struct store *st, const char *kind, char ***ids,
    size_t *np, char **errstr)
{
	return case_ids(st, "SELECT DISTINCT case_id FROM case_facts WHERE "
	    "kind = ?1 ORDER BY case_id", kind, NULL, NULL, ids, np, errstr);
}

int
store_fact_open_cases(struct store *st, const char *kind, char ***ids,
    size_t *np, char **errstr)
{
	return case_ids(st, "SELECT DISTINCT f.case_id FROM case_facts f JOIN "
	    "cases c ON c.id = f.case_id WHERE f.kind = ?1 AND c.status NOT "
	    "IN (" STORE_ENDED ") ORDER BY f.case_id", kind, NULL, NULL, ids,
	    np, errstr);
}

int
store_product_cwe_cases(struct store *st, const char *product,
    const char *cwe, const char *case_id, char ***ids, size_t *np,
    char **errstr)
{
	return case_ids(st, "SELECT p.case_id FROM case_facts p JOIN "
	    "case_facts w ON w.case_id = p.case_id WHERE p.kind = 'product' "
	    "AND p.value = ?1 COLLATE NOCASE AND w.kind = 'cwe' AND "
	    "w.value = ?2 AND p.case_id != ?3 ORDER BY p.at, p.rowid",
	    product, cwe, case_id, ids, np, errstr);
}

int
store_case_set(struct store *st, const char *id, const char *field,
    const char *value, char **errstr)
{
	static const char *const ok[] = { "tlp", "severity", "severity_by",
	    "kind", "status", "paused", "hold" };
	sqlite3_stmt	*stmt;
	char		*sql;
	size_t		 i;
	int		 r;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(field, ok[i]) == 0)
			break;
	if (i == sizeof(ok) / sizeof(ok[0])) {
		*errstr = xasprintf("no case field %s", field);
		return -1;
	}
	sql = xasprintf("UPDATE cases SET %s = ?2, updated_at = ?3 WHERE "
	    "id = ?1", ok[i]);
	r = st_prepare(st, &stmt, sql, errstr);
	free(sql);
	if (r == -1)
		return -1;
	bind_text(stmt, 1, id);
	bind_text(stmt, 2, value);
	sqlite3_bind_int64(stmt, 3, (long long)time(NULL));
	return st_step_done(st, stmt, "update case", errstr);
}

int
store_case_set_level(struct store *st, const char *id, int level,
    char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "UPDATE cases SET level = ?2, updated_at = "
	    "?3 WHERE id = ?1", errstr) == -1)
		return -1;
	bind_text(stmt, 1, id);
	sqlite3_bind_int(stmt, 2, level);
	sqlite3_bind_int64(stmt, 3, (long long)time(NULL));
	return st_step_done(st, stmt, "update case", errstr);
}

int
store_case_set_embargo(struct store *st, const char *id, long long at,
    char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "UPDATE cases SET embargo = ?2, updated_at "
	    "= ?3 WHERE id = ?1", errstr) == -1)
		return -1;
	bind_text(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, at);
	sqlite3_bind_int64(stmt, 3, (long long)time(NULL));
	return st_step_done(st, stmt, "update case", errstr);
}

int
store_link_add(struct store *st, const char *a, const char *b,
    const char *how, char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 i;

	for (i = 0; i < 2; i++) {
		if (st_prepare(st, &stmt, "INSERT OR IGNORE INTO case_links("
		    "case_id, other, how, at) VALUES (?,?,?,?)", errstr) == -1)
			return -1;
		bind_text(stmt, 1, i ? b : a);
		bind_text(stmt, 2, i ? a : b);
		bind_text(stmt, 3, how);
		sqlite3_bind_int64(stmt, 4, (long long)time(NULL));
		if (st_step_done(st, stmt, "link cases", errstr) == -1)
			return -1;
	}
	return 0;
}

int
store_links(struct store *st, const char *case_id, struct store_link **out,
    size_t *np, char **errstr)
{
	sqlite3_stmt		*stmt;
	struct store_link	*v = NULL;
	size_t			 n = 0;
	int			 rc;

	*out = NULL;
	*np = 0;
	if (st_prepare(st, &stmt, "SELECT other, how, at FROM case_links "
	    "WHERE case_id = ?1 ORDER BY at, rowid", errstr) == -1)
		return -1;
	bind_text(stmt, 1, case_id);
	while ((rc = st_step(stmt)) == SQLITE_ROW) {
		v = xrealloc(v, (n + 1) * sizeof(*v));
		v[n].other = col_text(stmt, 0);
		v[n].how = col_text(stmt, 1);
		v[n++].at = sqlite3_column_int64(stmt, 2);
	}
	sqlite3_finalize(stmt);
	*out = v;
	*np = n;
	if (rc != SQLITE_DONE)
		return st_err(st, errstr, "read links");
	return 0;
}

void
store_links_free(struct store_link *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].other);
		free(v[i].how);
	}
	free(v);
}

int
store_case_merge(struct store *st, const char *a, const char *b,
    char **errstr)
{
	static const char *const sql[] = {
		"UPDATE messages SET case_id = ?1 WHERE case_id = ?2",
		"UPDATE outbox SET case_id = ?1 WHERE case_id = ?2",
		"INSERT OR IGNORE INTO address_status SELECT ?1, addr, status, "
		"reason, at FROM address_status WHERE case_id = ?2",
		"DELETE FROM address_status WHERE case_id = ?2",
		"INSERT OR IGNORE INTO case_facts SELECT ?1, kind, value, "
		"version, score10, qid, at FROM case_facts WHERE case_id = ?2",
		"DELETE FROM case_facts WHERE case_id = ?2",
		/* b's finders found a's vulnerability too (store_credit.c) */
		"UPDATE case_credits SET case_id = ?1 WHERE case_id = ?2",
		/* b's links are a's; links to b are links to a */
		"INSERT OR IGNORE INTO case_links SELECT ?1, other, how, at "
		"FROM case_links WHERE case_id = ?2 AND other != ?1",
		"INSERT OR IGNORE INTO case_links SELECT case_id, ?1, how, at "
		"FROM case_links WHERE other = ?2 AND case_id != ?1",
		"DELETE FROM case_links WHERE case_id = ?2 OR other = ?2",
		"UPDATE cases SET status = 'merged', merged_into = ?1, "
		"updated_at = strftime('%s', 'now') WHERE id = ?2",
		"UPDATE cases SET updated_at = strftime('%s', 'now') "
		"WHERE id = ?1",
	};
	sqlite3_stmt	*stmt;
	size_t		 i;

	for (i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		if (st_prepare(st, &stmt, sql[i], errstr) == -1)
			return -1;
		bind_text(stmt, 1, a);
		bind_text(stmt, 2, b);
		if (st_step_done(st, stmt, "merge cases", errstr) == -1)
			return -1;
	}
	return 0;
}

int
store_case_set_token(struct store *st, const char *id, const char *token,
    const char *hash, char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "UPDATE cases SET reply_token = ?2, "
	    "reply_token_hash = ?3 WHERE id = ?1", errstr) == -1)
		return -1;
	bind_text(stmt, 1, id);
	bind_text(stmt, 2, token);
	bind_text(stmt, 3, hash);
	return st_step_done(st, stmt, "set reply token", errstr);
}

int
store_case_by_token(struct store *st, const char *hash, char **id,
    char **token, char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*id = *token = NULL;
	if (st_prepare(st, &stmt, "SELECT id, reply_token FROM cases WHERE "
	    "reply_token_hash = ?1", errstr) == -1)
		return -1;
	bind_text(stmt, 1, hash);
	if ((rc = st_step(stmt)) == SQLITE_ROW) {
		*id = col_text(stmt, 0);
		*token = col_text(stmt, 1);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_err(st, errstr, "find case by reply token");
	return rc == SQLITE_ROW && *id && *token;
}

/* One row answers: 1, else 0 (or -1). */
static int
exists(struct store *st, const char *sql, const char *a, const char *b,
    char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	if (st_prepare(st, &stmt, sql, errstr) == -1)
		return -1;
	bind_text(stmt, 1, a);
	bind_text(stmt, 2, b);
	rc = st_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_err(st, errstr, "lookup");
	return rc == SQLITE_ROW;
}

int
store_participant(struct store *st, const char *case_id, const char *addr,
    char **errstr)
{
	if (addr == NULL || *addr == '\0')
		return 0;
	/* reporter; a sender of a message the case holds as a report or
	 * follow-up; a recipient of a reply, or of a member's mail that
	 * copied us (to_addr: ", "-joined) */
	return exists(st, "SELECT 1 FROM cases WHERE id = ?1 AND "
	    "reporter = ?2 COLLATE NOCASE UNION ALL "
	    "SELECT 1 FROM messages WHERE case_id = ?1 AND direction = 'in' "
	    "AND kind IN ('report', 'followup') AND from_addr = ?2 "
	    "COLLATE NOCASE UNION ALL "
	    "SELECT 1 FROM messages WHERE case_id = ?1 AND direction = 'out' "
	    "AND kind = 'correspondence' AND instr(lower(', ' || to_addr || "
	    "','), lower(', ' || ?2 || ',')) > 0 UNION ALL "
	    "SELECT 1 FROM outbox WHERE case_id = ?1 AND rcpt = ?2 "
	    "COLLATE NOCASE LIMIT 1", case_id, addr, errstr);
}

int
store_pin_match(struct store *st, const char *addr, const char *fpr,
    char **errstr)
{
	return exists(st, "SELECT 1 FROM key_pins WHERE addr = lower(?1) AND "
	    "fingerprint = ?2 COLLATE NOCASE LIMIT 1", addr, fpr, errstr);
}
