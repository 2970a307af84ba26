/*
 * status: replies to the reporter at the guideline's communication
 * points (confirmed, fix scheduled, fix released, cannot fix now,
 * rejected, duplicate, disclosed), from the templates status-NAME in
 * the case's language; sent when a case moves to a status the policy
 * marks (`reply-on`), or by a staff member's #reply. The reply threads
 * to the report (In-Reply-To, References). It is encrypted to the key
 * pinned for the reporter when there is one; otherwise, for a report
 * that came encrypted, the subject of the report is left out.
 */
#ifndef PSIRT_AGENT_STATUS_H
#define PSIRT_AGENT_STATUS_H

struct agent;

/* Queue the reply `name` (e.g. "confirmed") with the staff's note (may
 * be NULL) and record it; inside the caller's transaction. 1 queued, 0
 * nobody to reply to, -1 *errstr. */
int	status_reply(struct agent *, const char *case_id, const char *name,
	    const char *note, const char *actor, char **errstr);
/* Is there a status reply of that name? */
int	status_known(const char *name);

#endif
