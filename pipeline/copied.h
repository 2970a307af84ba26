/*
 * copied: a member's mail to someone outside the team that copied the
 * agent (security@ in Cc, or beside the outsider in To). It is not an
 * internal note but correspondence sent to them: kept on the case as an
 * outgoing message of kind "correspondence" (the outsiders in to_addr),
 * an event that counts as a person's answer in the KPIs, and its
 * recipients take part in the case (their answers join it). It is
 * checked after the fact: an outsider the case's TLP does not allow, or
 * a mail in clear on a case a reporter wrote to encrypted, is told at
 * once to the R of the intake task (the coordinators), template
 * correspondence-breach.
 */
#ifndef PSIRT_PIPELINE_COPIED_H
#define PSIRT_PIPELINE_COPIED_H

struct job;

/* The addresses of To and Cc that are neither the team's members nor
 * the agent's, ", "-joined (malloc'd), or NULL when there are none. */
char	*copied_outsiders(const struct job *);
/* After the message is stored in its case (inside the transaction):
 * the event, and the check. 0, or -1 *errstr. */
int	 copied_record(struct job *, const char *outsiders, char **errstr);

#endif
