/*
 * store_state.c: the state the program acts on, recorded in the chain.
 *
 * What a case is (its row in cases: kind, status, TLP, severity,
 * level, pause, embargo, reporter, merge; its facts, exceptions among
 * them; its links; its clocks) and the pinned keys are read from
 * tables, not replayed from events. So that the chain still covers
 * them, every transaction that changes one records the new state of
 * what it changed as a "state" event: one line per field or row,
 * "KEY<TAB>VALUE", sorted. Text people wrote appears only as its
 * SHA-256. Triggers on this connection note what changed; the commit
 * writes the events. A change made around the agent (sqlite3 on the
 * file) writes none, and store_state_check() finds the rows that
 * disagree with the newest recorded state. See store.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "util/buf.h"
#include "util/hash.h"
#include "util/xmalloc.h"
#include "spool/seal.h"
#include "spool/store.h"
#include "spool/store_audit.h"
#include "spool/store_int.h"

#define STATE_TYPE	"state"
#define KEYS_SCOPE	""		/* the pinned keys: no case */

static const char *const triggers[] = {
	"cases AFTER INSERT ON main.cases BEGIN SELECT psirt_dirty(new.id)",
	"cases_u AFTER UPDATE ON main.cases BEGIN SELECT psirt_dirty(old.id), "
	"psirt_dirty(new.id)",
	"cases_d AFTER DELETE ON main.cases BEGIN SELECT psirt_dirty(old.id)",
	"facts AFTER INSERT ON main.case_facts BEGIN "
	"SELECT psirt_dirty(new.case_id)",
	"facts_u AFTER UPDATE ON main.case_facts BEGIN "
	"SELECT psirt_dirty(old.case_id), psirt_dirty(new.case_id)",
	"facts_d AFTER DELETE ON main.case_facts BEGIN "
	"SELECT psirt_dirty(old.case_id)",
	"links AFTER INSERT ON main.case_links BEGIN "
	"SELECT psirt_dirty(new.case_id)",
	"links_u AFTER UPDATE ON main.case_links BEGIN "
	"SELECT psirt_dirty(old.case_id), psirt_dirty(new.case_id)",
	"links_d AFTER DELETE ON main.case_links BEGIN "
	"SELECT psirt_dirty(old.case_id)",
	"clocks AFTER INSERT ON main.deadlines BEGIN "
	"SELECT psirt_dirty(new.case_id)",
	"clocks_u AFTER UPDATE ON main.deadlines BEGIN "
	"SELECT psirt_dirty(old.case_id), psirt_dirty(new.case_id)",
	"clocks_d AFTER DELETE ON main.deadlines BEGIN "
	"SELECT psirt_dirty(old.case_id)",
	"credits AFTER INSERT ON main.case_credits BEGIN "
	"SELECT psirt_dirty(new.case_id)",
	"credits_u AFTER UPDATE ON main.case_credits BEGIN "
	"SELECT psirt_dirty(old.case_id), psirt_dirty(new.case_id)",
	"credits_d AFTER DELETE ON main.case_credits BEGIN "
	"SELECT psirt_dirty(old.case_id)",
	"pins AFTER INSERT ON main.key_pins BEGIN SELECT psirt_dirty('')",
	"pins_u AFTER UPDATE ON main.key_pins BEGIN SELECT psirt_dirty('')",
	"pins_d AFTER DELETE ON main.key_pins BEGIN SELECT psirt_dirty('')",
};

/* The cases columns in the state: 1 in clear, 0 as a digest; later
 * ones (added after the record of state began) have no line while
 * NULL, so that the states recorded before them still agree. */
static const struct {
	const char	*name;
	int		 clear;
	int		 later;
} case_cols[] = {
	{ "kind", 1, 0 }, { "status", 1, 0 }, { "subject", 0, 0 },
	{ "reporter", 1, 0 }, { "reporter_name", 0, 0 }, { "lang", 1, 0 },
	{ "created_at", 1, 0 }, { "tlp", 1, 0 }, { "severity", 1, 0 },
	{ "severity_by", 1, 0 }, { "level", 1, 0 }, { "merged_into", 1, 0 },
	{ "reply_token_hash", 1, 0 }, { "paused", 1, 0 },
	{ "embargo", 1, 0 }, { "hold", 1, 1 },
};
#define NCASE_COLS	(sizeof(case_cols) / sizeof(case_cols[0]))

static void
dirty_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct store	*st = sqlite3_user_data(ctx);
	const char	*s;

	(void)argc;
	if ((s = (const char *)sqlite3_value_text(argv[0])) == NULL) {
		/* out of memory: the change fails, never goes unrecorded */
		if (sqlite3_value_type(argv[0]) != SQLITE_NULL)
			sqlite3_result_error_nomem(ctx);
		return;
	}
	if (st->ndirty && strcmp(st->dirty[st->ndirty - 1], s) == 0)
		return;		/* the flush sorts out the other repeats */
	st->dirty = xreallocarray(st->dirty, st->ndirty + 1,
	    sizeof(*st->dirty));
	st->dirty[st->ndirty++] = xstrdup(s);
}

void
st_state_clear(struct store *st)
{
	size_t	i;

	for (i = 0; i < st->ndirty; i++)
		free(st->dirty[i]);
	free(st->dirty);
	st->dirty = NULL;
	st->ndirty = 0;
}

int
st_state_init(struct store *st, char **errstr)
{
	if (sqlite3_create_function(st->db, "psirt_dirty", 1, SQLITE_UTF8,
	    st, dirty_fn, NULL, NULL) != SQLITE_OK)
		return st_err(st, errstr, "register the state triggers");
	return 0;
}

int
st_state_triggers(struct store *st, char **errstr)
{
	size_t	 i;
	char	*sql;
	int	 r;

	for (i = 0; i < sizeof(triggers) / sizeof(triggers[0]); i++) {
		sql = xasprintf("CREATE TEMP TRIGGER IF NOT EXISTS psirt_%s; "
		    "END", triggers[i]);
		r = st_exec(st, sql, errstr);
		free(sql);
		if (r == -1)
			return -1;
	}
	return 0;
}

/* A value as it appears in the state: in clear when it is a short
 * token (an ID, a CVSS vector, a date), else its SHA-256. */
static void
put_value(struct buf *b, const char *v, int clear)
{
	char		 hex[65];

	if (v == NULL) {
		buf_puts(b, "-");
		return;
	}
	if (clear && st_token(v, 200, "")) {
		buf_puts(b, v);
		return;
	}
	hash_sha256_hex(v, strlen(v), hex);
	buf_puts(b, "sha256:");
	buf_puts(b, hex);
}

static int
cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Each row of sql (?1 the case): a line of the key prefix, columns
 * 0..nkey-1 (in clear when they are tokens) as the key, the rest as
 * the value. */
static int
rows(struct store *st, const char *scope, const char *prefix, int nkey,
    const char *sql, char ***lines, size_t *n, char **errstr)
{
	sqlite3_stmt	*stmt;
	struct buf	 b;
	int		 rc, i, ncol;

	if (st_prepare(st, &stmt, sql, errstr) == -1)
		return -1;
	bind_text(stmt, 1, scope);
	ncol = sqlite3_column_count(stmt);
	while ((rc = st_step(stmt)) == SQLITE_ROW) {
		buf_init(&b);
		buf_puts(&b, prefix);
		for (i = 0; i < ncol; i++) {
			buf_puts(&b, i == 0 ? " " : i == nkey ? "\t" : " ");
			put_value(&b, col_cstr(stmt, i), 1);
		}
		if (nkey == ncol)
			buf_puts(&b, "\t");
		*lines = xreallocarray(*lines, *n + 1, sizeof(**lines));
		(*lines)[(*n)++] = buf_release(&b);
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : st_err(st, errstr, "read the state");
}

/* Does cases have the later columns yet? st->later_cols 1 or 2. */
static int
later_cols(struct store *st, char **errstr)
{
	sqlite3_stmt	*stmt;
	size_t		 i;
	int		 rc;

	for (i = 0; i < NCASE_COLS && !case_cols[i].later; i++)
		;
	if (st_prepare(st, &stmt, "SELECT count(*) FROM "
	    "pragma_table_info('cases') WHERE name = ?1", errstr) == -1)
		return -1;
	bind_text(stmt, 1, i < NCASE_COLS ? case_cols[i].name : "");
	if ((rc = st_step(stmt)) == SQLITE_ROW)
		st->later_cols = sqlite3_column_int(stmt, 0) ? 2 : 1;
	sqlite3_finalize(stmt);
	return rc == SQLITE_ROW ? 0 : st_err(st, errstr, "read the schema");
}

/* Does the table exist: 2 yes, 1 no, -1 *errstr. */
static int
has_table(struct store *st, const char *name, char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc, r = -1;

	if (st_prepare(st, &stmt, "SELECT count(*) FROM sqlite_master WHERE "
	    "type = 'table' AND name = ?1", errstr) == -1)
		return -1;
	bind_text(stmt, 1, name);
	if ((rc = st_step(stmt)) == SQLITE_ROW)
		r = sqlite3_column_int(stmt, 0) ? 2 : 1;
	sqlite3_finalize(stmt);
	return rc == SQLITE_ROW ? r : st_err(st, errstr, "read the schema");
}

/* The state of one scope (a case ID, or KEYS_SCOPE) as sorted lines;
 * *out NULL when there is nothing (no such case, no pinned key). */
static int
state_text(struct store *st, const char *scope, char **out, char **errstr)
{
	sqlite3_stmt	*stmt;
	struct buf	 b;
	char		**lines = NULL, *sql;
	size_t		 n = 0, i;
	int		 rc, r = -1;

	*out = NULL;
	if (strcmp(scope, KEYS_SCOPE) == 0) {
		if (rows(st, scope, "pin", 2, "SELECT lower(addr), protocol, "
		    "upper(fingerprint), source FROM key_pins WHERE ?1 = ''",
		    &lines, &n, errstr) == -1)
			goto out;
	} else {
		/* an upgrade records the state before the later columns
		 * exist (they are the last ones, and all come at once) */
		if (st->later_cols == 0 && later_cols(st, errstr) == -1)
			goto out;
		buf_init(&b);
		for (i = 0; i < NCASE_COLS; i++)
			if (!case_cols[i].later || st->later_cols == 2)
				buf_printf(&b, "%s%s", i ? ", " : "",
				    case_cols[i].name);
		sql = xasprintf("SELECT %s FROM cases WHERE id = ?1",
		    b.s);
		buf_free(&b);
		rc = st_prepare(st, &stmt, sql, errstr);
		free(sql);
		if (rc == -1)
			goto out;
		bind_text(stmt, 1, scope);
		if ((rc = st_step(stmt)) == SQLITE_ROW)
			for (i = 0; i < NCASE_COLS; i++) {
				if (case_cols[i].later && (st->later_cols !=
				    2 || sqlite3_column_type(stmt, (int)i) ==
				    SQLITE_NULL))
					continue;
				buf_init(&b);
				buf_printf(&b, "case %s\t", case_cols[i].name);
				put_value(&b, col_cstr(stmt, (int)i),
				    case_cols[i].clear);
				lines = xreallocarray(lines, n + 1,
				    sizeof(*lines));
				lines[n++] = buf_release(&b);
			}
		sqlite3_finalize(stmt);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			st_err(st, errstr, "read the state");
			goto out;
		}
		if (rows(st, scope, "fact", 2, "SELECT kind, value, version, "
		    "score10 FROM case_facts WHERE case_id = ?1", &lines, &n,
		    errstr) == -1 ||
		    rows(st, scope, "link", 1, "SELECT other, how FROM "
		    "case_links WHERE case_id = ?1", &lines, &n,
		    errstr) == -1 ||
		    rows(st, scope, "clock", 1, "SELECT clock, state, "
		    "business, duration, used, since, due_at, next_at, "
		    "missed_at, started_at, ended_at, step FROM deadlines "
		    "WHERE case_id = ?1", &lines, &n, errstr) == -1)
			goto out;
		/* the credits (store_credit.c), once an upgrade made them:
		 * the row ID is the key, the sealed texts digests */
		if (st->credits_tbl == 0)
			st->credits_tbl = has_table(st, "case_credits",
			    errstr);
		if (st->credits_tbl == -1 || (st->credits_tbl == 2 &&
		    rows(st, scope, "credit", 1, "SELECT id, name, "
		    "organization, contact, choice, confirmed, source, sender "
		    "FROM case_credits WHERE case_id = ?1", &lines, &n,
		    errstr) == -1)) {
			st->credits_tbl = 0;
			goto out;
		}
	}
	if (n) {
		qsort(lines, n, sizeof(*lines), cmp_line);
		buf_init(&b);
		for (i = 0; i < n; i++) {
			buf_puts(&b, lines[i]);
			buf_puts(&b, "\n");
		}
		*out = buf_release(&b);
	}
	r = 0;
out:
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	return r;
}

/* The MAC of a recorded state: under a key derived from the seal key,
 * over the scope, the state and the ID of the scope's state event
 * before it (so that an older state copied to the end does not pass). */
static int
state_mac(struct store *st, const char *scope, const char *text,
    long long prev, char out[65], char **errstr)
{
	const char	*f[3];
	char		 ps[24];

	if (st->key == NULL) {
		*errstr = xstrdup("database: the recorded state is signed with "
		    "the seal key, which is not loaded (seal_key_file)");
		return -1;
	}
	snprintf(ps, sizeof(ps), "%lld", prev);
	f[0] = scope;
	f[1] = text;
	f[2] = ps;
	seal_mac_hex(st->key, "psirt-agent state v1", f, 3, out);
	return 0;
}

/*
 * The newest recorded state of a scope: 1 with *out (malloc'd, NULL
 * when it recorded that the scope is empty), *id its event and *valid
 * whether its MAC holds; 0 none recorded.
 */
static int
state_recorded(struct store *st, const char *scope, char **out,
    long long *id, int *valid, char **errstr)
{
	sqlite3_stmt	*stmt;
	long long	 prev = 0;
	char		*d = NULL, *m, mac[65];
	size_t		 len;
	int		 rc, n = 0;

	*out = NULL;
	*id = 0;
	*valid = 0;
	/* by the index events_state: no expression on case_id */
	if (st_prepare(st, &stmt, *scope ? "SELECT id, detail FROM events "
	    "WHERE type = '" STATE_TYPE "' AND case_id = ?1 ORDER BY id DESC "
	    "LIMIT 2" : "SELECT id, detail FROM events WHERE type = '"
	    STATE_TYPE "' AND case_id IS NULL ORDER BY id DESC LIMIT 2",
	    errstr) == -1)
		return -1;
	if (*scope)
		bind_text(stmt, 1, scope);
	while ((rc = st_step(stmt)) == SQLITE_ROW && n < 2) {
		if (n++ == 0) {
			*id = sqlite3_column_int64(stmt, 0);
			d = st_col_open(st, stmt, 1);
		} else
			prev = sqlite3_column_int64(stmt, 0);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		free(d);
		return st_err(st, errstr, "read the state");
	}
	if (n == 0)
		return 0;
	/* the last line is "mac<TAB>HEX" */
	len = d ? strlen(d) : 0;
	m = len >= 4 + 64 + 1 ? d + len - (4 + 64 + 1) : NULL;
	if (m && (m == d || m[-1] == '\n') && strncmp(m, "mac\t", 4) == 0 &&
	    m[68] == '\n') {
		m[68] = '\0';
		*m = '\0';
		if (state_mac(st, scope, d, prev, mac, errstr) == -1) {
			free(d);
			return -1;
		}
		*valid = hash_hex_equal(mac, m + 4);
	}
	if (d && *d == '\0') {
		free(d);
		d = NULL;
	}
	*out = d;
	return 1;
}

int
st_state_flush(struct store *st, char **errstr)
{
	char		*now, *rec, *d, mac[65];
	long long	 id;
	size_t		 i;
	int		 r, same, valid;

	if (st->ndirty == 0)
		return 0;
	qsort(st->dirty, st->ndirty, sizeof(*st->dirty), cmp_line);
	for (i = 0; i < st->ndirty; i++) {
		if (i > 0 && strcmp(st->dirty[i], st->dirty[i - 1]) == 0)
			continue;
		if (state_text(st, st->dirty[i], &now, errstr) == -1)
			return -1;
		if ((r = state_recorded(st, st->dirty[i], &rec, &id, &valid,
		    errstr)) == -1) {
			free(now);
			return -1;
		}
		same = (now == NULL && rec == NULL) || (now && rec &&
		    strcmp(now, rec) == 0);
		free(rec);
		if (same) {
			free(now);
			continue;
		}
		if (state_mac(st, st->dirty[i], now ? now : "", id, mac,
		    errstr) == -1) {
			free(now);
			return -1;
		}
		d = xasprintf("%smac\t%s\n", now ? now : "", mac);
		free(now);
		r = store_event_add(st, *st->dirty[i] ? st->dirty[i] : NULL,
		    STATE_TYPE, d, "agent", errstr);
		free(d);
		if (r == -1)
			return -1;
	}
	st_state_clear(st);
	return 0;
}

int
st_state_baseline(struct store *st, char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	if (st_prepare(st, &stmt, "SELECT psirt_dirty(id) FROM cases UNION "
	    "ALL SELECT psirt_dirty('') FROM key_pins", errstr) == -1)
		return -1;
	while ((rc = st_step(stmt)) == SQLITE_ROW)
		;
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : st_err(st, errstr, "record the state");
}

/* Split a state text into its lines (in place). */
static size_t
split(char *s, char ***out)
{
	size_t	 n = 0;
	char	*nl;

	*out = NULL;
	while (s && *s) {
		*out = xreallocarray(*out, n + 1, sizeof(**out));
		(*out)[n++] = s;
		if ((nl = strchr(s, '\n')) == NULL)
			break;
		*nl = '\0';
		s = nl + 1;
	}
	return n;
}

/* The key of a line: up to its tab. */
static int
keycmp(const char *a, const char *b)
{
	size_t	la = strcspn(a, "\t"), lb = strcspn(b, "\t");
	int	c = strncmp(a, b, la < lb ? la : lb);

	return c ? c : (la > lb) - (la < lb);
}

static void
report(const char *scope, const char *a, const char *b,
    void (*cb)(void *, const char *, const char *, const char *,
    const char *), void *arg)
{
	const char	*l = a ? a : b;
	char		*key = xstrndup(l, strcspn(l, "\t"));

	cb(arg, *scope ? scope : NULL, key, a ? a + strcspn(a, "\t") + 1 :
	    NULL, b ? b + strcspn(b, "\t") + 1 : NULL);
	free(key);
}

static int
compare(const char *scope, char *rec, char *now, int recorded,
    void (*cb)(void *, const char *, const char *, const char *,
    const char *), void *arg)
{
	char	**r, **w;
	size_t	 nr, nw, i = 0, j = 0;
	int	 bad = 0, c;

	/* the pinned keys: none until the first is recorded */
	if (!recorded && now && *scope) {
		cb(arg, *scope ? scope : NULL, NULL, NULL, NULL);
		return 1;
	}
	nr = split(rec, &r);
	nw = split(now, &w);
	while (i < nr || j < nw) {
		c = i == nr ? 1 : j == nw ? -1 : keycmp(r[i], w[j]);
		if (c == 0 && strcmp(r[i], w[j]) == 0) {
			i++, j++;
			continue;
		}
		bad++;
		if (c == 0)
			report(scope, r[i++], w[j++], cb, arg);
		else if (c < 0)
			report(scope, r[i++], NULL, cb, arg);
		else
			report(scope, NULL, w[j++], cb, arg);
	}
	free(r);
	free(w);
	return bad;
}

int
store_state_check(struct store *st, void (*cb)(void *, const char *case_id,
    const char *key, const char *recorded, const char *now), void *arg,
    long long *nscopes, char **errstr)
{
	sqlite3_stmt	*stmt;
	char		*scope, *now, *rec;
	long long	 id;
	int		 rc, r, bad = 0, valid;

	*nscopes = 0;
	/* every case, every case the record has a state of, and the
	 * pinned keys */
	if (st_prepare(st, &stmt, "SELECT id FROM cases UNION SELECT "
	    "coalesce(case_id, '') FROM events WHERE type = '" STATE_TYPE "' "
	    "UNION SELECT '' ORDER BY 1", errstr) == -1)
		return -1;
	while ((rc = st_step(stmt)) == SQLITE_ROW) {
		scope = col_text(stmt, 0);
		if (state_text(st, scope, &now, errstr) == -1 ||
		    (r = state_recorded(st, scope, &rec, &id, &valid,
		    errstr)) == -1) {
			free(scope);
			sqlite3_finalize(stmt);
			return -1;
		}
		(*nscopes)++;
		if (r == 1 && !valid) {
			/* not written by the agent: compare with nothing */
			cb(arg, *scope ? scope : NULL, "", NULL, NULL);
			bad++;
		} else
			bad += compare(scope, rec, now, r, cb, arg);
		free(scope);
		free(now);
		free(rec);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		return st_err(st, errstr, "read the state");
	return bad;
}
