/*
 * thread: which case a message belongs to. A case tag "[ID]" in the
 * Subject (any case) naming an existing case wins; otherwise the first
 * In-Reply-To/References ID that the store knows (ours or theirs).
 */
#ifndef PSIRT_AGENT_THREAD_H
#define PSIRT_AGENT_THREAD_H

#include <stddef.h>

struct store;

/* 1 with *case_id (malloc'd), 0 none, -1 error. `how` gets the rule. */
int	thread_find(struct store *, const char *subject, char *const *refs,
	    size_t nrefs, char **case_id, const char **how, char **errstr);

#endif
