/*
 * deadline: the clocks of each case (policies/clocks.h) against time.
 *
 * deadline_update() derives them from the case as it is now: which
 * clocks it has (triage, fix by severity and disclosure for a
 * vulnerability; the incident clock by level, and improvement tracking
 * once recovered, for an incident), started at the case's creation;
 * met by the statuses that end them; paused while the case is paused or
 * in a pause-in status, the time left kept; resumed with that time.
 * deadline_reopen() runs the ended clocks the policy names again for a
 * reopened case. Every change is an event on the case.
 *
 * deadline_tick() sends the escalation steps that are due, each to each
 * recipient exactly once: the step is recorded in the same transaction
 * that queues its mail (outbox), one transaction per clock, so a tick
 * that is killed and run again neither repeats nor skips one. A step that
 * is not urgent waits out the recipient's quiet hours (in their time
 * zone); incident clocks never wait. A missed incident clock starts the
 * one-hour re-assessment clock.
 */
#ifndef PSIRT_AGENT_DEADLINE_H
#define PSIRT_AGENT_DEADLINE_H

#include <stddef.h>

struct agent;
struct raci;
struct raci_member;

/* Inside the caller's transaction; 0, or -1 with *errstr. */
int		 deadline_update(struct agent *, const char *case_id,
		    long long now, const char *actor, char **errstr);
/* A case reopened from status `from` (clocks_reopening()): the clocks
 * the policy names (reopen-restarts) that it has and that ended run
 * again from now, with a new due time, each an event. Inside the
 * caller's transaction; 0, or -1 with *errstr. */
int		 deadline_reopen(struct agent *, const char *case_id,
		    const char *from, long long now, const char *actor,
		    char **errstr);
/* Its own transactions. Returns the number of escalation mails queued,
 * or -1 when the store failed (*errstr). */
int		 deadline_tick(struct agent *, long long now, char **errstr);
/* The members an escalation of a clock to `which` ("R", "A", "RA")
 * reaches at now, as deadline_tick() picks them (a rotating role gives
 * its member of the day or week), each once: up to max into out; how
 * many. */
size_t		 deadline_people(const struct raci *, const char *clock,
		    const char *which, long long now,
		    const struct raci_member **out, size_t max);
/* What must happen next for a clock ("triage the report: ..."), or
 * NULL for a name that is no clock. */
const char	*deadline_next(const char *clock);
/* "2 days 3 hours", "45 minutes": for people. */
void		 deadline_span(long long secs, char *buf, size_t len);

#endif
