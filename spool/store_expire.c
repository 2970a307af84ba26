/*
 * store_expire.c: retention (`psirt-agent expire`, cli/expire.c):
 * the closed cases and when they closed, the content of their messages
 * removed, the files that held it listed until they are gone, the
 * VACUUM after, and the store's own settings (meta). See store.h.
 *
 * Order: a case's messages are marked expired (1) and their text and
 * sent replies' bodies cleared in one transaction, with the event that
 * records it; the files (archive/QID, vault/NAME) are removed after the
 * commit, and only then is the message marked gone (2). A run that
 * stops in between leaves messages at 1, whose files the next run
 * removes: nothing is half removed in the store, and nothing removed
 * from disk is still claimed by it.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "util/buf.h"
#include "util/xmalloc.h"
#include "spool/store.h"
#include "spool/store_case.h"
#include "spool/store_report.h"
#include "spool/store_expire.h"
#include "spool/store_int.h"

int
store_closed_cases(struct store *st, struct store_closed **out, size_t *np,
    char **errstr)
{
	sqlite3_stmt		*stmt;
	struct store_closed	*v = NULL, *c;
	size_t			 n = 0;
	int			 rc;

	*out = NULL;
	*np = 0;
	/* closed: the newest move to the status it is in (case set and
	 * mail commands record "status=NAME") */
	if (st_prepare(st, &stmt, "SELECT c.id, c.kind, c.status, c.tlp, "
	    "c.hold, (SELECT max(e.at) FROM events e WHERE e.case_id = c.id "
	    "AND e.type = 'case-set' AND e.detail = 'status=' || c.status), "
	    "(SELECT count(*) FROM messages m WHERE m.case_id = c.id "
	    "AND m.expired IS NULL) + (SELECT count(*) FROM outbox o WHERE "
	    "o.case_id = c.id AND o.state IN ('sent', 'failed') AND "
	    "length(o.raw) > 0) FROM cases c WHERE c.merged_into IS NULL "
	    "AND c.status IN (" STORE_ENDED ") ORDER BY c.id", errstr) == -1)
		return -1;
	while ((rc = st_step(stmt)) == SQLITE_ROW) {
		v = xreallocarray(v, n + 1, sizeof(*v));
		c = &v[n++];
		c->id = col_text(stmt, 0);
		c->kind = col_text(stmt, 1);
		c->status = col_text(stmt, 2);
		c->tlp = col_text(stmt, 3);
		c->hold = col_text(stmt, 4);
		c->closed_at = sqlite3_column_int64(stmt, 5);
		c->kept = sqlite3_column_int64(stmt, 6);
	}
	sqlite3_finalize(stmt);
	*out = v;
	*np = n;
	if (rc != SQLITE_DONE)
		return st_err(st, errstr, "list closed cases");
	return 0;
}

void
store_closed_free(struct store_closed *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].kind);
		free(v[i].status);
		free(v[i].tlp);
		free(v[i].hold);
	}
	free(v);
}

/* One integer from sql with ?1 the case and ?2 the cutoff. */
static int
case_int(struct store *st, const char *sql, const char *id,
    long long cutoff, long long *out, char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*out = 0;
	if (st_prepare(st, &stmt, sql, errstr) == -1)
		return -1;
	bind_text(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, cutoff);
	if ((rc = st_step(stmt)) == SQLITE_ROW)
		*out = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 :
	    st_err(st, errstr, "count what expires");
}

/* the messages of a case whose content goes */
#define EXPIRING "m.case_id = ?1 AND m.expired IS NULL AND m.received_at " \
	"<= ?2"

int
store_expire_case(struct store *st, const char *id, long long cutoff,
    struct store_expiry *x, char **errstr)
{
	sqlite3_stmt	*stmt;
	struct buf	 b;
	int		 rc;

	memset(x, 0, sizeof(*x));
	if (case_int(st, "SELECT count(*) FROM messages m WHERE " EXPIRING,
	    id, cutoff, &x->messages, errstr) == -1 ||
	    case_int(st, "SELECT count(*) FROM messages m WHERE " EXPIRING
	    " AND m.direction = 'in' AND m.qid IS NOT NULL", id, cutoff,
	    &x->originals, errstr) == -1 ||
	    case_int(st, "SELECT count(*) FROM attachments a JOIN "
	    "messages m ON m.id = a.message WHERE " EXPIRING, id, cutoff,
	    &x->attachments, errstr) == -1 ||
	    case_int(st, "SELECT coalesce(sum(a.size), 0) FROM attachments a "
	    "JOIN messages m ON m.id = a.message WHERE " EXPIRING, id, cutoff,
	    &x->bytes, errstr) == -1 ||
	    case_int(st, "SELECT count(*) FROM outbox WHERE case_id = ?1 AND "
	    "state IN ('sent', 'failed') AND length(raw) > 0 AND created_at "
	    "<= ?2", id, cutoff, &x->replies, errstr) == -1)
		return -1;
	/* what the record keeps of each original: its hash */
	if (st_prepare(st, &stmt, "SELECT m.qid, coalesce(m.raw_sha256, "
	    "'-') FROM messages m WHERE " EXPIRING " AND m.direction = 'in' "
	    "AND m.qid IS NOT NULL ORDER BY m.id", errstr) == -1)
		return -1;
	bind_text(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, cutoff);
	buf_init(&b);
	while ((rc = st_step(stmt)) == SQLITE_ROW)
		buf_printf(&b, "%s%s:%s", b.len ? " " : "",
		    col_cstr(stmt, 0),
		    col_cstr(stmt, 1));
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		buf_free(&b);
		return st_err(st, errstr, "list what expires");
	}
	x->digests = buf_release(&b);
	if (st_prepare(st, &stmt, "UPDATE messages AS m SET text = NULL, "
	    "expired = 1 WHERE " EXPIRING, errstr) == -1)
		goto fail;
	bind_text(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, cutoff);
	if (st_step_done(st, stmt, "expire messages", errstr) == -1)
		goto fail;
	/* a reply queued or held for review keeps its body: it has not
	 * gone yet */
	if (st_prepare(st, &stmt, "UPDATE outbox SET raw = x'' WHERE "
	    "case_id = ?1 AND state IN ('sent', 'failed') AND created_at <= "
	    "?2", errstr) == -1)
		goto fail;
	bind_text(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, cutoff);
	if (st_step_done(st, stmt, "expire replies", errstr) == -1)
		goto fail;
	return 0;
fail:
	store_expiry_free(x);
	return -1;
}

void
store_expiry_free(struct store_expiry *x)
{
	free(x->digests);
	memset(x, 0, sizeof(*x));
}

int
store_expire_pending(struct store *st, struct store_expire_files **out,
    size_t *np, char **errstr)
{
	sqlite3_stmt			*stmt;
	struct store_expire_files	*v = NULL, *f;
	size_t				 n = 0, i;
	int				 rc;

	*out = NULL;
	*np = 0;
	if (st_prepare(st, &stmt, "SELECT id, CASE WHEN direction = 'in' "
	    "THEN qid END, text_ref FROM messages WHERE expired = 1 ORDER BY "
	    "id", errstr) == -1)
		return -1;
	while ((rc = st_step(stmt)) == SQLITE_ROW) {
		v = xreallocarray(v, n + 1, sizeof(*v));
		f = &v[n++];
		memset(f, 0, sizeof(*f));
		f->rowid = sqlite3_column_int64(stmt, 0);
		f->qid = col_text(stmt, 1);
		if (sqlite3_column_type(stmt, 2) != SQLITE_NULL) {
			f->refs = xcalloc(1, sizeof(*f->refs));
			f->refs[f->nrefs++] = col_text(stmt, 2);
		}
	}
	sqlite3_finalize(stmt);
	*out = v;
	*np = n;
	if (rc != SQLITE_DONE)
		return st_err(st, errstr, "list expired messages");
	for (i = 0; i < n; i++) {
		f = &v[i];
		if (st_prepare(st, &stmt, "SELECT ref FROM attachments WHERE "
		    "message = ?1 AND ref IS NOT NULL ORDER BY rowid",
		    errstr) == -1)
			return -1;
		sqlite3_bind_int64(stmt, 1, f->rowid);
		while ((rc = st_step(stmt)) == SQLITE_ROW) {
			f->refs = xreallocarray(f->refs, f->nrefs + 1,
			    sizeof(*f->refs));
			f->refs[f->nrefs++] = col_text(stmt, 0);
		}
		sqlite3_finalize(stmt);
		if (rc != SQLITE_DONE)
			return st_err(st, errstr, "list expired attachments");
	}
	return 0;
}

void
store_expire_pending_free(struct store_expire_files *v, size_t n)
{
	size_t	i, k;

	for (i = 0; i < n; i++) {
		free(v[i].qid);
		for (k = 0; k < v[i].nrefs; k++)
			free(v[i].refs[k]);
		free(v[i].refs);
	}
	free(v);
}

int
store_expire_gone(struct store *st, long long rowid, char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "UPDATE messages SET expired = 2 WHERE "
	    "id = ?1 AND expired = 1", errstr) == -1)
		return -1;
	sqlite3_bind_int64(stmt, 1, rowid);
	return st_step_done(st, stmt, "mark expired files gone", errstr);
}

int
store_meta_get(struct store *st, const char *key, char **value,
    char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*value = NULL;
	if (st_prepare(st, &stmt, "SELECT value FROM meta WHERE key = ?1",
	    errstr) == -1)
		return -1;
	bind_text(stmt, 1, key);
	if ((rc = st_step(stmt)) == SQLITE_ROW)
		*value = col_text(stmt, 0);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_err(st, errstr, "read a setting");
	return rc == SQLITE_ROW;
}

int
store_meta_set(struct store *st, const char *key, const char *value,
    char **errstr)
{
	sqlite3_stmt	*stmt;

	if (st_prepare(st, &stmt, "INSERT OR REPLACE INTO meta(key, value) "
	    "VALUES (?1, ?2)", errstr) == -1)
		return -1;
	bind_text(stmt, 1, key);
	bind_text(stmt, 2, value);
	return st_step_done(st, stmt, "write a setting", errstr);
}

/* A PRAGMA's integer. */
static int
pragma(struct store *st, const char *sql, long long *out, char **errstr)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*out = 0;
	if (st_prepare(st, &stmt, sql, errstr) == -1)
		return -1;
	if ((rc = st_step(stmt)) == SQLITE_ROW)
		*out = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return rc == SQLITE_ROW ? 0 : st_err(st, errstr, "read the size");
}

int
store_vacuum(struct store *st, int force, long long *freepages,
    long long *pages, long long *freed, char **errstr)
{
	long long	size, after, psize;

	*freed = 0;
	if (pragma(st, "PRAGMA freelist_count", freepages, errstr) == -1 ||
	    pragma(st, "PRAGMA page_count", pages, errstr) == -1 ||
	    pragma(st, "PRAGMA page_size", &psize, errstr) == -1)
		return -1;
	/* worth it when a quarter of the file is free pages: VACUUM
	 * rewrites the whole file (and needs its size again on disk) */
	if (*freepages == 0 || (!force && *freepages * 4 < *pages))
		return 0;
	size = *pages * psize;
	if (st_exec(st, "VACUUM", errstr) == -1 ||
	    pragma(st, "PRAGMA page_count", &after, errstr) == -1)
		return -1;
	*freed = size - after * psize;
	return 1;
}
