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

/*
 * A member's own words to the reporter (or to another address the
 * command names): #reply, #ask, and the agent's reminder of a question.
 * From the PSIRT address (with the member's name when the policy says
 * reply-from member), threaded to the recipient's last message in the
 * case, encrypted and signed to the key pinned for the recipient (the
 * protocol the recipient last wrote in first), the TLP checked by the
 * outbox, kept sealed on the case as an outgoing message of kind
 * `name`. An address that wrote to us encrypted and has no key pinned
 * gets nothing: *why says so.
 */
struct answer {
	const char	*case_id;
	const char	*name;		/* "reply", "ask" or "ask-reminder":
					 * the template and message kind */
	const char	*text;		/* the words to send */
	const char	*to;		/* NULL: the reporter */
	const char	*actor;		/* who sends it (an address) */
	const char	*actor_name;	/* their name, or NULL */
};
/* 1 queued (*message_id malloc'd if message_id is not NULL), 0 not
 * (*why malloc'd), -1 *errstr. Inside the caller's transaction. */
int	answer_send(struct agent *, const struct answer *, char **message_id,
	    char **why, char **errstr);

#endif
