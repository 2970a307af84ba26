/*
 * credit: the credits of a case (credit.c), as the finders chose them.
 *
 * Takes: the reporter's own mail (the report, a follow-up of the case:
 * its Credit: and #credit lines, parsers/credit.h), and staff's keys
 * (case set, a signed #credit): credit=VALUE adds a confirmed credit
 * (the same one again confirms it), credit=confirm [N|all] and
 * credit-confirm=N|all confirm what a reporter stated, credit=remove
 * N|all and credit-remove=N|all remove one. Hands on: the credits in
 * the store (store_credit.h), an event for each change. Never: takes a
 * credit from anyone's mail but the case's reporter's, or from the text
 * they quote; commits (the caller's transaction).
 */
#ifndef PSIRT_PIPELINE_CREDIT_H
#define PSIRT_PIPELINE_CREDIT_H

struct agent;
struct job;

/* Is key one of credit, credit-confirm, credit-remove? */
int	credit_key(const char *key);
/* Apply one staff key: 1 done, 0 refused (*why says what and why), -1
 * a store error. */
int	credit_apply(struct agent *, const char *id, const char *key,
	    const char *val, char **why, char **errstr);
/* The credit lines of a mail to the case j->case_id, when it is its
 * reporter's: a new choice replaces that reporter's unconfirmed ones;
 * each refused line is an event with the reason. 0, or -1. */
int	credit_mail(struct job *, char **errstr);

#endif
