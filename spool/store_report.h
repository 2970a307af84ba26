/*
 * store_report: what reports read: the reporter record, the cases of a period, the
 * monitoring summary, exceptions, the integrity check (store_report.c unless said;
 * see store.h for the store itself).
 */
#ifndef PSIRT_SPOOL_STORE_REPORT_H
#define PSIRT_SPOOL_STORE_REPORT_H

#include <stddef.h>

struct store;

/* The reporter relationship record: per reporter address (cases not
 * merged into another), how many reports, how many valid (not
 * rejected or duplicate), when, how fast the first reply left (median
 * seconds from opening a case to its first outgoing message), how they
 * write (encrypted share), their CWE tags and their credit choice. */
struct store_reporter {
	char		*addr;
	char		*name;
	long long	 reports;
	long long	 valid;
	long long	 first_at;
	long long	 last_at;
	long long	 median_reply;	/* -1: none yet */
	long long	 encrypted;	/* reports that came encrypted */
	char		*cwes;		/* "CWE-79,CWE-89", most stated first */
	char		*credit;	/* NULL here; the caller's to fill
					 * (store_credit_of_reporter) */
};
int	 store_reporters(struct store *, struct store_reporter **, size_t *,
	    char **errstr);
void	 store_reporters_free(struct store_reporter *, size_t);

/*
 * The Check phase's report: the cases registered in [from, to) (merged
 * ones left out), each with its first outgoing message, the facts it
 * holds, its clocks and whether it ever reached fixed or disclosed;
 * strings are valid during the callback only.
 */
#define STORE_RFACTS_MAX	64
struct store_rcase {
	const char	*id, *kind, *status, *source, *severity, *tlp;
	const char	*paused;
	int		 level, has_reporter;
	long long	 created_at;
	long long	 ack_at;		/* first outgoing message, or 0 */
	long long	 human_at;	/* first answer by a person, or 0 */
	int		 ack_suppressed;
	/* counts of the facts of each kind RF_* */
	int		 nfacts[9];
	struct {
		const char	*kind, *value;
	}		 facts[STORE_RFACTS_MAX];	/* the first ones */
	size_t		 nf;
	struct {
		const char	*state;		/* running|paused|met, NULL */
		long long	 started_at, ended_at, due_at;
	} clk[4];			/* triage, fix, disclosure, incident */
	int		 reached_fixed, reached_disclosed;
};
enum { RF_CVE, RF_CWE, RF_CVSS, RF_PRODUCT, RF_VERSION, RF_FIXED,
	RF_REMEDIATION, RF_EXCEPTION, RF_EXCEPTION_PENDING, RF_MAX };
int	 store_report_cases(struct store *, long long from, long long to,
	    void (*)(const struct store_rcase *, void *), void *,
	    char **errstr);

/* For `status`: figures of the store at time now (0: none). */
struct store_summary {
	long long	 open;		/* cases not ended */
	long long	 overdue;	/* ... with a clock past due */
	long long	 outbox, outbox_oldest;	/* replies waiting to go */
	long long	 review, review_oldest;	/* held for TLP review */
	long long	 head_at;	/* the newest signed head */
	long long	 unsigned_events;	/* events after it */
};
int	 store_summary(struct store *, long long now, struct store_summary *,
	    char **errstr);
struct store_count {
	char		*key;
	long long	 count;
};
void	 store_counts_free(struct store_count *, size_t);
struct store_exception {
	char		*case_id;
	char		*reason;
	int		 approved;
	long long	 at;
};
int	 store_report_exceptions(struct store *, long long from, long long to,
	    struct store_exception **, size_t *, char **errstr);
void	 store_exceptions_free(struct store_exception *, size_t);
struct store_reporter_stats {
	long long	 reporters, repeat, reports, valid;
};
/* With the ten reporters of the most valid reports (key: address). */
int	 store_report_reporters(struct store *, long long from, long long to,
	    struct store_reporter_stats *, struct store_count **top,
	    size_t *ntop, char **errstr);

/*
 * `check`: every row that breaks a rule of the store is passed to cb
 * (the rule, the row's name, a detail or NULL); *counts gets the sizes.
 * store_check_refs: the queue IDs of the stored incoming messages
 * (sorted) and the vault names the store refers to (not those whose
 * files retention removed, store_expire_gone).
 */
struct store_counts {
	long long	 cases, messages, events, outbox;
};
int	 store_check(struct store *, void (*cb)(void *, const char *,
	    const char *, const char *), void *, struct store_counts *,
	    char **errstr);
int	 store_check_refs(struct store *, char ***qids, size_t *nq,
	    char ***refs, size_t *nr, char **errstr);

#endif
