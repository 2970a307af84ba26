/*
 * store_credit: the credits of a case (store_credit.c; see store.h for
 * the store itself). A case holds any number of credits, each a finder
 * as they chose to be named: choice "named" (name, optional
 * organization and contact), "handle" (name is the handle, "@j4ne")
 * or "anonymous" (name NULL). source is "reporter" (read from the
 * reporter's own mail, parsers/credit.c) or "staff" (case set, a
 * signed #credit); staff confirm what a reporter stated. Credits are
 * numbered 1, 2, ... in the order they were recorded. Name,
 * organization and contact are sealed at rest.
 */
#ifndef PSIRT_SPOOL_STORE_CREDIT_H
#define PSIRT_SPOOL_STORE_CREDIT_H

#include <stddef.h>

struct store;

struct store_credit {
	char		*name, *organization, *contact, *choice;
	int		 confirmed;
	char		*source;
	long long	 at;
};

/* A case's credits in the order recorded: 0, or -1. */
int	 store_credits(struct store *, const char *case_id,
	    struct store_credit **, size_t *, char **errstr);
void	 store_credits_free(struct store_credit *, size_t);
/* Free what one credit holds (not the credit itself). */
void	 store_credit_clear(struct store_credit *);
/* Record one credit (its at is now); sender: the address whose mail
 * stated it, or NULL (staff). 0, or -1. */
int	 store_credit_add(struct store *, const char *case_id,
	    const struct store_credit *, const char *sender, const char *qid,
	    char **errstr);
/* How many credits the case holds, or -1. */
long long store_credit_count(struct store *, const char *case_id,
	    char **errstr);
/* Confirm credit number n (1, 2, ...), or all of them (n == 0); remove
 * credit n, or all (n == 0): how many changed, or -1. */
int	 store_credit_confirm(struct store *, const char *case_id, size_t n,
	    char **errstr);
int	 store_credit_remove(struct store *, const char *case_id, size_t n,
	    char **errstr);
/* Remove the credits that sender's mail stated and staff have not
 * confirmed (a new mail's choice replaces them): how many, or -1. */
int	 store_credit_drop_unconfirmed(struct store *, const char *case_id,
	    const char *sender, char **errstr);

/*
 * The hall of fame: every confirmed credit, not anonymous, of a case
 * that is not merged into another, rejected or a duplicate, with its
 * case (ordered by case, then as recorded).
 */
struct store_fame {
	char			*case_id;
	struct store_credit	 cr;
};
int	 store_credits_fame(struct store *, struct store_fame **, size_t *,
	    char **errstr);
void	 store_fame_free(struct store_fame *, size_t);
/* The reporter record's credit: the newest confirmed credit on the
 * cases of address addr (not merged) that addr's own mail stated (or
 * the one credit fact of before on such a case). 1 with *out, 0 none,
 * -1. */
int	 store_credit_of_reporter(struct store *, const char *addr,
	    struct store_credit *out, char **errstr);

#endif
