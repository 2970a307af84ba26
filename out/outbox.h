/*
 * outbox: durable outgoing mail. A composed reply is stored whole in the
 * store's outbox table, in the caller's transaction (so a case and its
 * acknowledgement commit together); outbox_flush() later runs the
 * sendmail command for every due reply, with exponential backoff on
 * failure, until outbox_lifetime. A reply the case's TLP does not
 * allow is held for review, and the team told by a notice: notice.c and
 * outbox.c include each other (see notice.h).
 */
#ifndef PSIRT_AGENT_OUTBOX_H
#define PSIRT_AGENT_OUTBOX_H

struct agent;
struct reply_out;

/* Add the reply (inside the caller's transaction). */
int	outbox_queue(struct agent *, const char *case_id, const char *kind,
	    const char *rcpt, const struct reply_out *, char **errstr);
/* Keep the text we sent (body: what the sender wrote, before any
 * encryption) on the case as an outgoing message of that kind, sealed
 * in the vault; enc the protocol it went encrypted with, or NULL. */
int	outbox_keep(struct agent *, const char *case_id, const char *kind,
	    const char *rcpt, const struct reply_out *, const char *subject,
	    const char *body, const char *enc, char **errstr);
/* Send what is due; returns the number of failures this round. */
int	outbox_flush(struct agent *);

#endif
