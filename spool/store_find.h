/*
 * store_find: what finding cases reads (reports/find.c, `case list`
 * with filters and `case search`): the cases that match the filters
 * SQL can judge, every fact, every message's text (store_find.c; see
 * store.h for the store itself). Nothing here changes the store.
 */
#ifndef PSIRT_SPOOL_STORE_FIND_H
#define PSIRT_SPOOL_STORE_FIND_H

#include <stddef.h>

#include "spool/store_case.h"

struct store;

/* Filters, AND-ed; NULL or 0 is any. Text compares without regard to
 * ASCII case. */
struct store_case_query {
	const char	*status, *kind, *severity;
	const char	*reporter;	/* the reporter's address */
	const char	*product;	/* a product fact of the case */
	long long	 since;		/* created at or after */
	int		 overdue;	/* a running deadline due before now */
	long long	 now;
};

/* A case found, with its running deadline that falls due first. */
struct store_found {
	struct store_case c;
	char		*next_clock;	/* NULL: none running */
	long long	 next_due;
};

/* The cases matching q, oldest first (as store_case_list). */
int	 store_case_find(struct store *, const struct store_case_query *,
	    struct store_found **, size_t *, char **errstr);
void	 store_found_free(struct store_found *, size_t);
/* Every fact of every case (kind NULL) or of one kind, ordered by case
 * ID: cb gets the value opened; a non-zero return stops the walk. */
int	 store_facts_each(struct store *, const char *kind,
	    int (*cb)(void *, const char *case_id, const char *kind,
	    const char *value), void *, char **errstr);
/* Every message in a case, ordered by case ID, then as store_messages
 * orders them (n is its number in the case, from 1): the subject
 * opened, the text when the store holds it, else the name of the
 * vault file that does (NULL both when retention removed it). */
int	 store_texts_each(struct store *, int (*cb)(void *,
	    const char *case_id, size_t n, const char *subject,
	    const char *text, const char *text_ref), void *, char **errstr);

#endif
