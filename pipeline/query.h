/*
 * query: a member reads and finds cases by mail. Signed command lines
 * (checked as all staff commands are: pipeline/staffcmd.h)
 *
 *   #show CASE        the case as `case show` gives it, with its
 *                     messages' decrypted text and its attachments as
 *                     MIME parts
 *   #list [FILTERS]   a table of the cases that pass the filters of
 *                     `case list` (status=S kind=K severity=S product=P
 *                     reporter=A assigned=R since=DATE overdue, or the
 *                     --option forms)
 *   #search WORDS     a table of the cases that hold every word
 *
 * are answered by mail to the member, only encrypted (and signed) to
 * the key the policy lists for them (OpenPGP first, else S/MIME): a
 * member with no key, or whose key cannot be used, gets a refusal that
 * says why and carries nothing of the cases. A TLP:RED case is shown
 * and listed only to members its rule names (reports/find.h). Each
 * answer is an event: on the case shown, or on the agent's record.
 */
#ifndef PSIRT_PIPELINE_QUERY_H
#define PSIRT_PIPELINE_QUERY_H

struct buf;
struct job;
struct raci_member;

/* Is #name a query? */
int	query_command(const char *name);
/* Answer the line (its number, #name and argument) to member m (inside the message's transaction,
 * through the outbox): 0 answered, 1 refused (the reason appended to
 * why as "line N: #name: ..."), -1 *errstr. */
int	query_answer(struct job *, const struct raci_member *m, int line,
	    const char *name, const char *arg, struct buf *why, char **errstr);

#endif
