/*
 * store: the case store; spool/store*.c are the only SQLite users.
 *
 * WAL journal, a busy timeout, prepared statements only, versioned
 * migrations (PRAGMA user_version). Writers wrap related changes in
 * store_begin()/store_commit(); every case state change also appends an
 * event row in the same transaction. Errors fill *errstr and return -1;
 * callers treat every store error as passing (the message is deferred,
 * and quarantined only after process_max_attempts).
 */
#ifndef PSIRT_SPOOL_STORE_H
#define PSIRT_SPOOL_STORE_H

/* The domain tag of an event's digest (the audit chain). */
#define STORE_EVENT_TAG	"psirt-agent event v1"

#include <stddef.h>

struct store;

struct store_event {
	long long	 at;
	char		*type;
	char		*detail;
	char		*actor;
};

/* 0; or -1 and *errstr (the store is not usable until someone acts: a
 * path that cannot be opened, a newer schema, damage); or -2 and
 * *errstr, a fault that may pass (busy, locked, I/O, disk full, out of
 * memory): the caller may try again later. */
struct seal_key;
/* key: the instance's seal key (seal.h), which seals text and signs the
 * recorded state; NULL only for a store that holds no case yet, or one
 * opened to read (sealed text then reads "[sealed]", and a change to a
 * case's state cannot be committed). */
int	 store_open(const char *path, const struct seal_key *key,
	    struct store **, char **errstr);
void	 store_close(struct store **);
/* The schema's migrations: SQL that takes version i to i + 1 (for the
 * upgrade tests, which build stores of every earlier version). */
const char *const *store_migrations(size_t *n);
/* An online copy of the whole store into a new file (SQLite's backup
 * API); 0, or -1 with *errstr. */
int	 store_backup(struct store *, const char *path, char **errstr);
/* How long a statement waits for another process's lock (all stores
 * of the process; default 30 s). */
void	 store_set_busy_timeout(long long ms);
int	 store_begin(struct store *, char **errstr);	/* IMMEDIATE */
int	 store_commit(struct store *, char **errstr);
void	 store_rollback(struct store *);


int	 store_event_add(struct store *, const char *case_id,
	    const char *type, const char *detail, const char *actor,
	    char **errstr);
/* The same with the detail written by fmt. */
int	 store_event_addf(struct store *, const char *case_id,
	    const char *type, const char *actor, char **errstr,
	    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
int	 store_events(struct store *, const char *case_id,
	    struct store_event **, size_t *, char **errstr);
void	 store_events_free(struct store_event *, size_t);

/* Savepoints inside a transaction (name: a plain word). */
int	 store_savepoint(struct store *, const char *name, char **errstr);
int	 store_rollback_to(struct store *, const char *name, char **errstr);
int	 store_release(struct store *, const char *name, char **errstr);

/* Text as stored, opened if it is sealed (malloc'd; NULL for NULL;
 * "[sealed]" when the key is not loaded or it does not open). */
char	*store_text_open(struct store *, const char *);


/* When the first event of that type and detail happened on a case: 1
 * and *at, 0 never, -1. */
int	 store_case_event_at(struct store *, const char *case_id,
	    const char *type, const char *detail, long long *at,
	    char **errstr);

/* The store's own settings: get 1 and *value (malloc'd), 0 none. */
int	 store_meta_get(struct store *, const char *key, char **value,
	    char **errstr);
int	 store_meta_set(struct store *, const char *key, const char *value,
	    char **errstr);
/* VACUUM when free pages are a quarter of the file or more (or with
 * force, when there are any): 1 done (*freed bytes), 0 not worth it;
 * *freepages and *pages as found. Outside a transaction. */
int	 store_vacuum(struct store *, int force, long long *freepages,
	    long long *pages, long long *freed, char **errstr);

/*
 * The rest of the store's interface is in parts, each caller including
 * the ones it uses: store_case.h (cases, facts, links), store_msg.h
 * (messages, queue rows, IMAP), store_out.h (the outbox), store_keys.h
 * (pinned keys, command mails), store_clock.h (deadlines), store_audit.h
 * (the chain, the recorded state, signed heads), store_report.h (what
 * reports read, the integrity check), store_expire.h (retention),
 * store_find.h (what finding cases reads: case list filters, search).
 * spool/store*.c and these headers are one module, split for size:
 * they include each other (tests/integration/005-layout.t knows it).
 */

#endif
