/*
 * store_int.h: what the parts of the store (store.c, store_msg.c,
 * store_out.c) share; nothing outside spool/store*.c includes it.
 */
#ifndef PSIRT_SPOOL_STORE_INT_H
#define PSIRT_SPOOL_STORE_INT_H

#include <sqlite3.h>

struct store {
	sqlite3	 *db;
	char	**dirty;	/* scopes whose state changed (store_state.c) */
	size_t	  ndirty;
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
int	 st_state_flush(struct store *, char **errstr);
void	 st_state_clear(struct store *);
int	 st_state_baseline(struct store *, char **errstr);
/* NULL binds NULL */
void	 bind_text(sqlite3_stmt *, int, const char *);
/* malloc'd copy, or NULL */
char	*col_text(sqlite3_stmt *, int);

#endif
