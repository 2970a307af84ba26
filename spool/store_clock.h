/*
 * store_clock: the clocks: deadlines of a case and their escalation steps (store_clock.c unless said;
 * see store.h for the store itself).
 */
#ifndef PSIRT_SPOOL_STORE_CLOCK_H
#define PSIRT_SPOOL_STORE_CLOCK_H

#include <stddef.h>

struct store;

/* A deadline (clock) of a case: state running, paused or met; its
 * time runs from `since` with `used` seconds (wall or business) used
 * before it; next_at is when the next escalation step (or the due time)
 * wants a tick, NULL when nothing is pending. */
struct store_deadline {
	char		*case_id;
	char		*clock;
	char		*state;
	int		 business;
	long long	 duration;
	long long	 used;
	long long	 since;
	long long	 due_at;
	long long	 next_at;	/* 0: none */
	long long	 missed_at;	/* 0: not yet */
	long long	 started_at;
	long long	 ended_at;	/* 0: not yet */
	int		 step;		/* the next escalation step */
};
int	 store_deadline_get(struct store *, const char *case_id,
	    const char *clock, struct store_deadline *, char **errstr);
int	 store_deadline_put(struct store *, const struct store_deadline *,
	    char **errstr);
/* All of a case's, or all with next_at <= now (due), or all running
 * past their due time (overdue). */
int	 store_deadlines(struct store *, const char *case_id,
	    struct store_deadline **, size_t *, char **errstr);
int	 store_deadlines_due(struct store *, long long now,
	    struct store_deadline **, size_t *, char **errstr);
int	 store_deadlines_overdue(struct store *, long long now,
	    struct store_deadline **, size_t *, char **errstr);
/* Every clock not met (running or paused), soonest due first. */
int	 store_deadlines_open(struct store *, struct store_deadline **,
	    size_t *, char **errstr);
void	 store_deadline_free(struct store_deadline *);
void	 store_deadlines_free(struct store_deadline *, size_t);
/* An escalation step sent to rcpt: 1 recorded now, 0 it was already. */
int	 store_escalation_add(struct store *, const char *case_id,
	    const char *clock, int step, const char *rcpt,
	    const char *message_id, long long at, char **errstr);
int	 store_escalation_sent(struct store *, const char *case_id,
	    const char *clock, int step, const char *rcpt, char **errstr);
/* How many were sent for a clock. */
/* A clock restarted (a reopened case): its ladder may be sent again. */
int	 store_escalations_clear(struct store *, const char *case_id,
	    const char *clock, char **errstr);
int	 store_escalations_count(struct store *, const char *case_id,
	    const char *clock, long long *n, char **errstr);

/* The daily digest (out/digest.c): was one of `kind` ("digest", or
 * "key NAME") sent to rcpt for day (YYYY-MM-DD in rcpt's zone)? 1, 0,
 * -1. add: 1 recorded now, 0 it was already. */
int	 store_digest_sent(struct store *, const char *rcpt, const char *day,
	    const char *kind, char **errstr);
int	 store_digest_add(struct store *, const char *rcpt, const char *day,
	    const char *kind, const char *message_id, long long at,
	    char **errstr);

#endif
