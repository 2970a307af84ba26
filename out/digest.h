/*
 * digest: the daily digest mail to each member of the team (policy
 * statement `digest at HH:MM [days DAYS]`, member option `digest off`;
 * psirt-policy(5)).
 *
 * digest_tick() sends it, from `tick`, to each member whose local time
 * (the member's `tz`) is past the digest time on a digest day and who
 * has not had that day's digest: a tick that was not run at the hour
 * sends it at the next tick the same day; none is sent twice for a
 * day. Each member's digest is one transaction: the mail queued in the
 * outbox, the day recorded (store table digests), an event without a
 * case (type digest-sent).
 *
 * What it lists: the clocks not met of the cases whose clock's task has
 * the member in R or A (picked as an escalation of the clock to "R,A"
 * is, deadline_people()), as overdue, due today (in the member's zone)
 * or open; for the A of the remediation task, the exceptions waiting
 * for approval; for the R and A of the intake task, the mail held for
 * review and the quarantine. Case subjects only when the digest goes
 * encrypted to the member's OpenPGP key (notice_mail()); otherwise case
 * IDs and counts only. A member with a key that does not encrypt
 * (expired, revoked, not in the keyring) gets the content-free digest,
 * and the A of the intake task (the coordinator) is told, once a day
 * per member.
 */
#ifndef PSIRT_OUT_DIGEST_H
#define PSIRT_OUT_DIGEST_H

struct agent;

/* The digests due at now: the number queued, or -1 (*errstr) when the
 * store failed (what was committed stays; the next tick does the rest). */
int	digest_tick(struct agent *, long long now, char **errstr);

#endif
