/*
 * store_case: the cases: a case's row, the ID counter, the facts people state, its
 * own reply address, merges, links between cases, participants (store*.c.c unless said;
 * see store.h for the store itself).
 */
#ifndef PSIRT_SPOOL_STORE_CASE_H
#define PSIRT_SPOOL_STORE_CASE_H

#include <stddef.h>

struct store;

struct store_case {
	char		*id;
	char		*kind;		/* vulnerability | incident */
	char		*status;
	char		*subject;
	char		*reporter;	/* address */
	char		*reporter_name;
	char		*source;	/* external | internal | cert */
	char		*lang;
	long long	 created_at;
	long long	 updated_at;
	char		*tlp;		/* CLEAR ... RED, or NULL */
	char		*severity;	/* critical|high|medium|low, or NULL */
	char		*severity_by;	/* "cvss", "staff" */
	int		 level;		/* incident level 1-4, 0 unknown */
	char		*merged_into;	/* status "merged": the case it is in */
	char		*reply_token;	/* of its own reply address, or NULL */
	char		*paused;	/* why its clocks are held, or NULL */
	long long	 embargo;	/* agreed disclosure time, or 0 */
	char		*hold;		/* "yes": legal hold, never expired */
};


/* Next ID for `prefix` (e.g. "PSIRT-2026-"): 1, 2, ... per prefix. */
int	 store_next_seq(struct store *, const char *prefix, long long *,
	    char **errstr);
int	 store_case_insert(struct store *, const struct store_case *,
	    char **errstr);
int	 store_case_get(struct store *, const char *id, struct store_case *,
	    char **errstr);		/* 1 found, 0 not, -1 error */
int	 store_case_list(struct store *, struct store_case **, size_t *,
	    char **errstr);
int	 store_case_touch(struct store *, const char *id, char **errstr);
int	 store_case_set_subject(struct store *, const char *id,
	    const char *subject, char **errstr);
void	 store_case_free(struct store_case *);

/* Triage facts of a case: kind "cve", "cwe" or "cvss" (value the
 * vector; version 30/31/40 and score10 for it). add: 1 new, 0 known. */
struct store_fact {
	char		*kind;
	char		*value;
	int		 version;
	int		 score10;
	char		*qid;		/* the message that stated it */
	long long	 at;
};
int	 store_fact_add(struct store *, const char *case_id, const char *kind,
	    const char *value, int version, int score10, const char *qid,
	    char **errstr);
/* Remove a fact of a case, or every fact of its kind when value is
 * NULL: how many went, or -1. */
int	 store_fact_remove(struct store *, const char *case_id,
	    const char *kind, const char *value, char **errstr);
int	 store_facts(struct store *, const char *case_id, struct store_fact **,
	    size_t *, char **errstr);
void	 store_facts_free(struct store_fact *, size_t);
/* Other cases (not case_id) with the same fact; *ids malloc'd. */
int	 store_fact_cases(struct store *, const char *kind, const char *value,
	    const char *case_id, char ***ids, size_t *n, char **errstr);
/* Every case with a fact of this kind (*ids malloc'd). */
int	 store_fact_kind_cases(struct store *, const char *kind, char ***ids,
	    size_t *n, char **errstr);
/* The same, of the cases not over (STORE_ENDED). */
int	 store_fact_open_cases(struct store *, const char *kind, char ***ids,
	    size_t *n, char **errstr);
/* The secret of a case's own reply address, and its SHA-256 (hex) to
 * find it by; by_token: 1 with the case and its stored token (for a
 * constant-time comparison by the caller), 0 none, -1 error. */
int	 store_case_set_token(struct store *, const char *id,
	    const char *token, const char *hash, char **errstr);
int	 store_case_by_token(struct store *, const char *hash, char **id,
	    char **token, char **errstr);
/* Merge case b into case a: b's messages, events, replies, facts,
 * links and address states become a's; b stays, as status "merged"
 * with merged_into a, so that its ID still finds a. */
int	 store_case_merge(struct store *, const char *a, const char *b,
	    char **errstr);
/* Other cases (not case_id) with this product and this CWE. */
int	 store_product_cwe_cases(struct store *, const char *product,
	    const char *cwe, const char *case_id, char ***ids, size_t *n,
	    char **errstr);
/* Set one case field: "tlp", "severity", "severity_by", "kind",
 * "status", "paused" or "hold" (value text or NULL), the level, the
 * embargo. */
int	 store_case_set(struct store *, const char *id, const char *field,
	    const char *value, char **errstr);
int	 store_case_set_level(struct store *, const char *id, int level,
	    char **errstr);
int	 store_case_set_embargo(struct store *, const char *id, long long at,
	    char **errstr);
/* Links between cases, each way (how: "named by a non-participant",
 * "probable duplicate", ...). */
struct store_link {
	char		*other;
	char		*how;
	long long	 at;
};
int	 store_link_add(struct store *, const char *a, const char *b,
	    const char *how, char **errstr);
int	 store_links(struct store *, const char *case_id, struct store_link **,
	    size_t *, char **errstr);
void	 store_links_free(struct store_link *, size_t);
/* Is addr a participant of the case: its reporter, the sender of one of
 * its messages, or the recipient of one of its replies? 1, 0, -1. */
int	 store_participant(struct store *, const char *case_id,
	    const char *addr, char **errstr);

/* The statuses in which a case is over (SQL list). */
#define STORE_ENDED	"'closed','rejected','duplicate','disclosed','merged'"

#endif
