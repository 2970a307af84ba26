/*
 * process: run spooled messages through parse -> classify -> thread ->
 * case -> reply, moving each between queues by its result.
 */
#ifndef PSIRT_AGENT_PROCESS_H
#define PSIRT_AGENT_PROCESS_H

#include <stddef.h>

struct agent;

enum proc_result {
	PROC_DONE,		/* stored in a case: archive/ */
	PROC_HELD,		/* bounce/auto-reply without a case: hold/ */
	PROC_DEFER,		/* transient fault: deferred/, retried */
	PROC_QUARANTINE		/* cannot be processed: quarantine/ */
};

/*
 * One queue run under the runner lock: active/ left by a crashed run,
 * incoming/, due deferred/, then the outbox. wait=0 returns at once
 * (0) if another runner holds the lock. Returns the number of messages
 * that ended deferred or quarantined, or -1 on a fatal error.
 */
int	process_queue(struct agent *, int wait);
/* process --retry: read stored messages again; the count that failed. */
int	process_retry(struct agent *, char **qids, size_t n);

#endif
