/*
 * find: finding cases, for `case list` with filters and `case search`
 * (cli/case_cmd.c) and for #list and #search by mail. It reads the
 * store and the vault; it never changes a case.
 *
 * Filters are AND-ed. A search's words are literal bytes (no pattern:
 * '.', '*', '(' and the like are ordinary characters), compared without
 * regard to ASCII case; a case matches when every word occurs in one of
 * its texts: its subject, a fact's value (CVE, product, ...), a
 * message's subject or text (sealed text is opened from the vault as
 * the search goes). One pass over the texts for all the words
 * (Aho-Corasick): time linear in the text read, for a query of at most
 * search_max_length bytes.
 */
#ifndef PSIRT_REPORTS_FIND_H
#define PSIRT_REPORTS_FIND_H

#include <stddef.h>

struct agent;
struct buf;

struct find_filter {
	const char	*status, *kind, *severity, *product, *reporter;
	const char	*assigned;	/* a role ID or a member's address */
	int		 overdue;	/* only cases with a deadline passed */
	long long	 since;		/* created at or after (epoch); 0 any */
	const char	*words;		/* case search: every word, or NULL */
	const char	*viewer;	/* a member's address: TLP:RED cases the
					 * policy does not let them see are left
					 * out; NULL: the operator sees all */
};

struct find_row {
	char		*id, *status, *kind, *severity, *tlp, *subject,
			*reporter;
	long long	 created, updated;
	char		*due;		/* next deadline, e.g. "triage 2026-12-09T10:00Z", or NULL */
	int		 overdue;
	char		*match;		/* search: where the words were found
					 * ("subject", "fact product", "message 2"), or NULL */
	/* the rest of `case list --json`'s object (psirt-agent(8)) */
	char		*reporter_name, *source, *lang, *severity_by;
	int		 hold;
	int		 level;		/* 0: unknown */
};

/*
 * The cases that pass f, oldest first: 0 with *rows (malloc'd, free
 * with find_rows_free) and *n, or -1 with *errstr (a bad filter, see
 * find_filter_check, or the store). Loads the policy when f names an
 * assignee or a viewer.
 */
int	find_cases(struct agent *, const struct find_filter *,
	    struct find_row **rows, size_t *n, char **errstr);
void	find_rows_free(struct find_row *, size_t);
/* a text table (id, status, kind, severity, TLP, due, subject) or a JSON array */
void	find_render(const struct find_row *, size_t, int json, struct buf *out);
/* the filter words of "#list status=triaged overdue since=2026-12-01" or
 * "--status triaged --overdue" (both forms), into f; strings point into
 * *storage (malloc'd, caller frees). 0, or -1 with *errstr naming the bad word. */
int	find_filter_parse(const char *args, struct find_filter *f,
	    char **storage, char **errstr);

struct store_case;
/* May the member at viewer see the content of case c (its TLP:RED
 * rule: the reporter, the R and A of intake or of a task whose clock
 * the case has, or the case's assignee)? 1, 0, -1 *errstr. */
int	find_may_see(struct agent *, const struct store_case *c,
	    const char *viewer, char **errstr);

/*
 * One filter by name ("status", "kind", "severity", "product",
 * "reporter", "assigned", "since", "overdue" with value NULL, "words"),
 * checked and set in f (value is kept, not copied): 0, or -1 with
 * *errstr ("status: \"trage\" is not a status (did you mean ...)").
 * What find_filter_parse does for each word, and the command line for
 * each option.
 */
int	find_filter_set(struct find_filter *, const char *name,
	    const char *value, char **errstr);
/*
 * What needs the instance: the query no longer than search_max_length
 * and holding a word; an assignee that is a role of the policy or an
 * address. 0, or -1 with *errstr. find_cases checks it first; a
 * caller that must tell a bad filter (exit 64) from a fault calls it
 * before.
 */
int	find_filter_check(struct agent *, const struct find_filter *,
	    char **errstr);

#endif
