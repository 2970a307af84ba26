/*
 * store_notice: team notices waiting to go (store_notice.c; see store.h
 * for the store itself). A pending notice is one event (report,
 * followup, quarantine, review, exception) for one member, recorded in
 * the transaction of the change that caused it; the flush (out/notify.c)
 * takes a member's pending notices, queues one mail for them and
 * removes them in one transaction, and records when the member was
 * last told.
 */
#ifndef PSIRT_SPOOL_STORE_NOTICE_H
#define PSIRT_SPOOL_STORE_NOTICE_H

#include <stddef.h>

struct store;

struct store_notice {
	long long	 id;
	char		*rcpt;
	char		*event;
	char		*case_id;	/* NULL: a quarantined message */
	char		*ref;		/* queue ID, Message-ID, or "" */
	char		*detail;	/* sealed at rest; NULL none */
	int		 red;		/* may see TLP:RED content */
	long long	 at;
};

/* One event for one member: 1 recorded, 0 it was already (the same
 * event, case, ref and member), -1 *errstr. */
int	 store_notice_add(struct store *, const struct store_notice *,
	    char **errstr);
/* The members with pending notices, and when each was last told (0:
 * never): rcpts[i], last[i]. */
int	 store_notice_rcpts(struct store *, char ***rcpts, long long **last,
	    size_t *n, char **errstr);
/* A member's pending notices, oldest first. */
int	 store_notice_list(struct store *, const char *rcpt,
	    struct store_notice **, size_t *, char **errstr);
/* Those up to id are done: removed, and the member told at `at`. */
int	 store_notice_done(struct store *, const char *rcpt, long long upto,
	    long long at, char **errstr);
/* How many notices are pending (for `status`). */
int	 store_notice_count(struct store *, long long *n, char **errstr);
void	 store_notices_free(struct store_notice *, size_t);
void	 store_notice_rcpts_free(char **, long long *, size_t);

#endif
