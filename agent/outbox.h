/*
 * outbox: durable outgoing mail. A composed reply is written to the
 * spool's outbox/ and recorded in the store in the caller's transaction;
 * outbox_flush() later runs the sendmail command for every due reply,
 * with exponential backoff on failure, until outbox_lifetime.
 */
#ifndef PSIRT_AGENT_OUTBOX_H
#define PSIRT_AGENT_OUTBOX_H

struct agent;
struct reply_out;

/* Write the file and add the row (inside the caller's transaction). */
int	outbox_queue(struct agent *, const char *case_id, const char *kind,
	    const char *rcpt, const struct reply_out *, char **file,
	    char **errstr);
/* Send what is due; returns the number of failures this round. */
int	outbox_flush(struct agent *);

#endif
