/*
 * thread: which case a message belongs to. A case tag "[ID]" in the
 * Subject (any case) naming an existing case wins; otherwise the first
 * In-Reply-To/References ID that the store knows (ours or theirs).
 */
#ifndef PSIRT_AGENT_THREAD_H
#define PSIRT_AGENT_THREAD_H

#include <stddef.h>

struct job;
struct store;

/* 1 with *case_id (malloc'd), 0 none, -1 error. `how` gets the rule. */
int	thread_find(struct store *, const char *subject, char *const *refs,
	    size_t nrefs, char **case_id, const char **how, char **errstr);

/* The case's own reply address in the envelope recipient, To or Cc (with
 * case_reply_addresses): 1 and j->case_id, 0 none, -1 error. */
int	thread_token(struct job *, char **errstr);
/* May the sender join j->case_id: a team member, a participant of the
 * case, or a valid signature by a key pinned to one? 1, 0, -1. */
int	thread_participant(struct job *, char **errstr);
/* A stranger's new case, linked to the case it named (j->named_case):
 * events on both. 0, or -1. */
int	thread_named(struct job *, char **errstr);

#endif
