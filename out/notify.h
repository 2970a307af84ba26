/*
 * notify: the team told at once of new reports, reporters' follow-ups,
 * quarantined messages, replies held for review and exceptions awaiting
 * approval (`notify` in psirt-policy(5)). notice_event() (notice.h)
 * records one pending notice per event and member in the transaction of
 * the change; notify_flush() sends them, per member one mail (one event:
 * the full notice, template team-notice; several: a list, template
 * team-batch), through the outbox, each member at most once per
 * notice_batch_delay.
 */
#ifndef PSIRT_AGENT_NOTIFY_H
#define PSIRT_AGENT_NOTIFY_H

struct agent;

/* Under the runner lock, at the end of a queue run (and so by `tick`):
 * one transaction per member (the mail queued, its events on the cases,
 * the pending notices removed). Returns the number of mails queued, or
 * -1 when the store failed (logged; what is pending stays). */
int	notify_flush(struct agent *, long long now);

#endif
