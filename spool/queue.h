/*
 * queue: the durable spool. One file per message, moved between queue
 * directories by rename(2); a file is visible in a queue only once it is
 * complete and fsync'ed (tmp/ -> O_EXCL, write, fsync, rename, fsync dir).
 *
 * A queue file starts with an envelope block ("PSIRT-QUEUE 1", then
 * "key value" lines with %XX-escaped values, then an empty line),
 * followed by the message exactly as received.
 */
#ifndef PSIRT_SPOOL_QUEUE_H
#define PSIRT_SPOOL_QUEUE_H

#include <stddef.h>

enum queue_dir {
	Q_TMP, Q_INCOMING, Q_ACTIVE, Q_DEFERRED, Q_HOLD, Q_QUARANTINE,
	Q_ARCHIVE, Q_NDIRS
};

#define QUEUE_ID_MAX	32

struct envelope {
	char		*sender;	/* NULL: unknown; "" : null sender */
	char		*recipient;	/* may be NULL */
	char		*source;	/* "pipe", "imap", ... */
	long long	 received;	/* unix time */
};

struct queue_msg {
	char		 qid[QUEUE_ID_MAX];
	struct envelope	 env;
	const char	*data;		/* the message (after the envelope) */
	size_t		 len;
	void		*map;		/* private */
	size_t		 maplen;
	void		*owned;		/* or a buffer queue_close() */
	void		(*release)(void *);	/* releases with this */
};

const char *queue_dir_name(enum queue_dir);
int	 queue_init(const char *spool, char **errstr);
char	*queue_path(const char *spool, enum queue_dir, const char *qid);

/*
 * Copy fd to a new queue file in `to`. An mbox "From " first line is
 * dropped. Returns 0 with qid filled, -1 on error (*errstr), or -2 when
 * the message is larger than max_size (nothing is left behind).
 */
int	 queue_store_fd(const char *spool, enum queue_dir to, int fd,
	    const struct envelope *, size_t max_size, char qid[QUEUE_ID_MAX],
	    char **errstr);
/* The same for a batch: without sync_dir the directory is not
 * fsync'ed, and the file is durable only after queue_sync(). */
int	 queue_store(const char *spool, enum queue_dir to, int fd,
	    const struct envelope *, size_t max_size, int sync_dir,
	    char qid[QUEUE_ID_MAX], char **errstr);
int	 queue_sync(const char *spool, enum queue_dir, char **errstr);
/* fsync(2) a directory (after names in it changed) */
int	 queue_fsync_dir(const char *dir, char **errstr);
/* rename (atomic; not fsync'ed: see queue.c) */
int	 queue_move(const char *spool, const char *qid, enum queue_dir from,
	    enum queue_dir to, char **errstr);

/* Sorted (oldest first) list of queue IDs in a queue directory. */
int	 queue_list(const char *spool, enum queue_dir, char ***ids,
	    size_t *n, char **errstr);
void	 queue_list_free(char **ids, size_t n);

int	 queue_open(const char *spool, enum queue_dir, const char *qid,
	    struct queue_msg *, char **errstr);
void	 queue_close(struct queue_msg *);
/* The envelope and message of a queue file already in memory (the
 * caller keeps buf alive); -1 if it is not a queue file. */
int	 queue_parse(struct queue_msg *, const char *buf, size_t len);
void	 envelope_free(struct envelope *);

/*
 * The queue runner lock (flock on spool/runner.lock). wait=0 returns -1
 * at once if another runner holds it; -2 means the lock file could not
 * be opened or locked. Returns the fd to close to unlock.
 */
int	 queue_lock(const char *spool, int wait);
/* Remove tmp/ files older than max_age seconds (crashed writers). */
void	 queue_clean_tmp(const char *spool, long long max_age);
/* The time of the last successful run of name ("tick", "run"): set
 * (0 or -1), get (0: never). */
int	 queue_stamp(const char *spool, const char *name, long long t);
long long queue_stamp_get(const char *spool, const char *name);

#endif
