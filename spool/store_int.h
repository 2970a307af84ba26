/*
 * store_int.h: what the parts of the store (store.c, store_msg.c,
 * store_out.c) share; nothing outside spool/store*.c includes it.
 */
#ifndef PSIRT_SPOOL_STORE_INT_H
#define PSIRT_SPOOL_STORE_INT_H

#include <sqlite3.h>

struct seal_key;

struct store {
	sqlite3	 *db;
	const struct seal_key *key;	/* seals text columns (seal.h) */
	char	**dirty;	/* scopes whose state changed (store_state.c) */
	size_t	  ndirty;
	int	  later_cols;	/* cases has the columns added after the
				 * record of state began: 0 not looked yet
				 * (a migration resets it), 1 no, 2 yes */
	int	  credits_tbl;	/* case_credits exists: the same values */
};

/* -1 with *errstr naming the operation and SQLite's message */
int	 st_err(struct store *, char **errstr, const char *what);
int	 st_prepare(struct store *, sqlite3_stmt **, const char *sql,
	    char **errstr);
int	 st_exec(struct store *, const char *sql, char **errstr);
/* step a statement that returns no rows, and finalize it */
int	 st_step_done(struct store *, sqlite3_stmt *, const char *what,
	    char **errstr);
/* The recorded state (store_state.c): the triggers that note what a
 * transaction changed, the events that record it before the commit,
 * the notes dropped on a rollback, and every case noted at once (when
 * the record of state begins). */
int	 st_state_init(struct store *, char **errstr);
int	 st_state_triggers(struct store *, char **errstr);
int	 st_state_flush(struct store *, char **errstr);
void	 st_state_clear(struct store *);
int	 st_state_baseline(struct store *, char **errstr);
/*
 * Text people wrote (subjects, names, facts such as a summary, event
 * details with free text) is sealed in its column (seal_text): bind it
 * with st_bind_sealed (-1 when the seal key is not loaded), read it
 * with st_col_open ("[sealed]" when it does not open). st_sealed_kind:
 * the fact kinds whose values are sealed (IDs and versions stay clear:
 * cases are matched on them). st_bind_detail: an event detail, sealed
 * unless it is a short token such as "status=fixed".
 */
int	 st_bind_sealed(struct store *, sqlite3_stmt *, int, const char *,
	    char **errstr);
int	 st_bind_detail(struct store *, sqlite3_stmt *, int, const char *,
	    char **errstr);
char	*st_col_open(struct store *, sqlite3_stmt *, int);
int	 st_sealed_kind(const char *kind);
/* s is 1..max characters of [A-Za-z0-9._:/+@-] and extra */
int	 st_token(const char *s, size_t max, const char *extra);
/* A case's columns, in the order st_case_row reads them (from 0). */
#define ST_CASE_COLS "id, kind, status, subject, reporter, " \
	"reporter_name, source, lang, created_at, updated_at, tlp, " \
	"severity, severity_by, level, merged_into, reply_token, paused, " \
	"embargo, hold"
struct store_case;
void	 st_case_row(struct store *, sqlite3_stmt *, struct store_case *);
/* NULL binds NULL */
void	 bind_check(sqlite3_stmt *, int rc);
/* sqlite3_step(), failing a statement whose bind failed (bind_check) */
int	 st_step(sqlite3_stmt *);
void	 bind_text(sqlite3_stmt *, int, const char *);
/* malloc'd copy, or NULL */
char	*col_text(sqlite3_stmt *, int);
const char *col_cstr(sqlite3_stmt *, int);

#endif
