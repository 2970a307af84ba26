/*
 * store: the case store; spool/store*.c are the only SQLite users.
 *
 * WAL journal, a busy timeout, prepared statements only, versioned
 * migrations (PRAGMA user_version). Writers wrap related changes in
 * store_begin()/store_commit(); every case state change also appends an
 * event row in the same transaction. Errors fill *errstr and return -1;
 * callers treat every store error as passing (the message is deferred,
 * and quarantined only after process_max_attempts).
 */
#ifndef PSIRT_SPOOL_STORE_H
#define PSIRT_SPOOL_STORE_H

/* The domain tag of an event's digest (the audit chain). */
#define STORE_EVENT_TAG	"psirt-agent event v1"

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

struct store_attachment {
	char		*name;
	char		*type;
	long long	 size;
	char		*sha256;
	char		*ref;		/* sealed content in the vault */
};

struct store_message {
	long long	 rowid;
	char		*qid;
	char		*case_id;	/* NULL: not in a case */
	char		*direction;	/* in | out */
	char		*kind;		/* report followup autoreply bounce ack */
	char		*message_id;
	char		*from_addr;
	char		*from_name;
	char		*to_addr;
	char		*subject;
	char		*date;		/* RFC 5322 text as sent */
	char		*text;
	char		*warnings;	/* "; "-joined, or NULL */
	char		*facts;		/* JSON object text, or NULL */
	long long	 received_at;
	char		*encryption;	/* "pgp", "smime" or NULL */
	int		 decrypted;
	char		*decrypt_error;	/* why not, or NULL */
	char		*signature;	/* JSON object text, or NULL */
	char		*text_ref;	/* text sealed in the vault (then
					 * text is NULL) */
	char		*text_error;	/* not stored: a reader's note */
	char		*raw_sha256;	/* of the bytes as received */
	int		 expired;	/* content removed by retention (then
					 * text_error says so, no refs) */
	struct store_attachment *att;
	size_t		 natt;
};

struct store_event {
	long long	 at;
	char		*type;
	char		*detail;
	char		*actor;
};

struct store_queue_entry {
	char		*qid;
	char		*state;		/* deferred quarantine hold */
	char		*reason;
	long long	 attempts;
	long long	 next_try;
	long long	 updated_at;
};

struct store_outbox {
	long long	 id;
	char		*case_id;
	char		*message_id;
	char		*rcpt;
	char		*kind;		/* ack, status, ... */
	char		*raw;		/* the whole message */
	size_t		 rawlen;
	char		*state;		/* queued sent failed */
	long long	 attempts;
	long long	 next_try;
	char		*last_error;
	long long	 created_at;
};

/* 0; or -1 and *errstr (the store is not usable until someone acts: a
 * path that cannot be opened, a newer schema, damage); or -2 and
 * *errstr, a fault that may pass (busy, locked, I/O, disk full, out of
 * memory): the caller may try again later. */
struct seal_key;
/* key: the instance's seal key (seal.h), which seals text and signs the
 * recorded state; NULL only for a store that holds no case yet, or one
 * opened to read (sealed text then reads "[sealed]", and a change to a
 * case's state cannot be committed). */
int	 store_open(const char *path, const struct seal_key *key,
	    struct store **, char **errstr);
void	 store_close(struct store **);
/* The schema's migrations: SQL that takes version i to i + 1 (for the
 * upgrade tests, which build stores of every earlier version). */
const char *const *store_migrations(size_t *n);
/* An online copy of the whole store into a new file (SQLite's backup
 * API); 0, or -1 with *errstr. */
int	 store_backup(struct store *, const char *path, char **errstr);
/* How long a statement waits for another process's lock (all stores
 * of the process; default 30 s). */
void	 store_set_busy_timeout(long long ms);
int	 store_begin(struct store *, char **errstr);	/* IMMEDIATE */
int	 store_commit(struct store *, char **errstr);
void	 store_rollback(struct store *);

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

int	 store_event_add(struct store *, const char *case_id,
	    const char *type, const char *detail, const char *actor,
	    char **errstr);
int	 store_events(struct store *, const char *case_id,
	    struct store_event **, size_t *, char **errstr);
void	 store_events_free(struct store_event *, size_t);

/* Inserts the message and its attachments; sets m->rowid. */
int	 store_message_insert(struct store *, struct store_message *,
	    char **errstr);
/* A stored message read again (by qid): subject, text, warnings,
 * facts, crypto fields and attachments replaced; sets m->rowid. */
int	 store_message_reread(struct store *, struct store_message *,
	    char **errstr);
/* Messages of a case (case_id) or held ones (case_id NULL). */
int	 store_messages(struct store *, const char *case_id,
	    struct store_message **, size_t *, char **errstr);
void	 store_messages_free(struct store_message *, size_t);
/* 1 and *case_id (malloc'd, may be NULL) if a message has this ID. */
int	 store_case_by_msgid(struct store *, const char *msgid,
	    char **case_id, char **errstr);
struct store_message_state {
	char		*case_id;	/* NULL: held */
	char		*kind;
	char		*encryption;
	int		 decrypted;
};

/* An incoming message by queue ID: 1 found, 0 not, -1 error. */
int	 store_message_state(struct store *, const char *qid,
	    struct store_message_state *, char **errstr);
void	 store_message_state_free(struct store_message_state *);
/* 1 stored in a case, 2 stored without a case (held), 0 not, -1. */
int	 store_qid_known(struct store *, const char *qid, char **errstr);

int	 store_queue_set(struct store *, const char *qid, const char *state,
	    const char *reason, long long attempts, long long next_try,
	    char **errstr);
int	 store_queue_get(struct store *, const char *qid,
	    struct store_queue_entry *, char **errstr);
int	 store_queue_del(struct store *, const char *qid, char **errstr);
int	 store_queue_list(struct store *, struct store_queue_entry **,
	    size_t *, char **errstr);
void	 store_queue_free(struct store_queue_entry *, size_t);
void	 store_queue_clear(struct store_queue_entry *);

int	 store_outbox_add(struct store *, const struct store_outbox *,
	    char **errstr);
int	 store_outbox_due(struct store *, long long now,
	    struct store_outbox **, size_t *, char **errstr);
/* Every queued reply, due or not (for `queue list`). */
int	 store_outbox_pending(struct store *, struct store_outbox **,
	    size_t *, char **errstr);
int	 store_outbox_update(struct store *, long long id, const char *state,
	    long long attempts, long long next_try, const char *error,
	    char **errstr);
void	 store_outbox_free(struct store_outbox *, size_t);
/* Take a due reply for sending: its next_try moves to `until`, so no
 * other runner sends it meanwhile (and a crashed sender's reply is due
 * again then). 1 claimed, 0 someone else has it, -1 error. */
int	 store_outbox_claim(struct store *, long long id, long long now,
	    long long until, char **errstr);
/* A new run (under the runner lock): replies claimed by a run that
 * died are due again (sent at least once, as before claims). */
int	 store_outbox_unclaim(struct store *, long long now, char **errstr);
/* Replies of `kind` sent or queued to rcpt since `since`. */
int	 store_replies_since(struct store *, const char *rcpt,
	    const char *kind, long long since, long long *count,
	    char **errstr);

/* Trust on first use: the key (fingerprint) pinned for an address and
 * protocol ("pgp", "smime"). get: 1 and *fpr, 0 none, -1 error. set:
 * pins, or keeps last_seen current when it is the same key. */
/* A reply held for review goes out: 1 (and its case), 0 none held by
 * that Message-ID. */
int	 store_outbox_release(struct store *, const char *message_id,
	    char **case_id, char **errstr);
int	 store_pin_get(struct store *, const char *addr, const char *proto,
	    char **fpr, char **errstr);
int	 store_pin_set(struct store *, const char *addr, const char *proto,
	    const char *fpr, const char *source, char **errstr);

struct store_pin {
	char		*addr;
	char		*protocol;
	char		*fingerprint;
	char		*source;	/* how it was learnt */
	long long	 first_seen;
	long long	 last_seen;
};

int	 store_pins(struct store *, struct store_pin **, size_t *,
	    char **errstr);
void	 store_pins_free(struct store_pin *, size_t);

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
/* Does addr have the key fpr pinned (any protocol)? 1, 0, -1. */
int	 store_pin_match(struct store *, const char *addr, const char *fpr,
	    char **errstr);

/* A deadline (clock) of a case: state running, paused or met; its
 * time runs from `since` with `used` seconds (wall or business) used
 * before it; next_at is when the next escalation step (or the due time)
 * wants a tick, NULL when nothing is pending. */
struct store_deadline {
	char		*case_id;
	char		*clock;
	char		*state;
	int		 business;
	long long	 duration;
	long long	 used;
	long long	 since;
	long long	 due_at;
	long long	 next_at;	/* 0: none */
	long long	 missed_at;	/* 0: not yet */
	long long	 started_at;
	long long	 ended_at;	/* 0: not yet */
	int		 step;		/* the next escalation step */
};
int	 store_deadline_get(struct store *, const char *case_id,
	    const char *clock, struct store_deadline *, char **errstr);
int	 store_deadline_put(struct store *, const struct store_deadline *,
	    char **errstr);
/* All of a case's, or all with next_at <= now (due), or all running
 * past their due time (overdue). */
int	 store_deadlines(struct store *, const char *case_id,
	    struct store_deadline **, size_t *, char **errstr);
int	 store_deadlines_due(struct store *, long long now,
	    struct store_deadline **, size_t *, char **errstr);
int	 store_deadlines_overdue(struct store *, long long now,
	    struct store_deadline **, size_t *, char **errstr);
void	 store_deadline_free(struct store_deadline *);
void	 store_deadlines_free(struct store_deadline *, size_t);
/* An escalation step sent to rcpt: 1 recorded now, 0 it was already. */
int	 store_escalation_add(struct store *, const char *case_id,
	    const char *clock, int step, const char *rcpt,
	    const char *message_id, long long at, char **errstr);
int	 store_escalation_sent(struct store *, const char *case_id,
	    const char *clock, int step, const char *rcpt, char **errstr);
/* How many were sent for a clock. */
int	 store_escalations_count(struct store *, const char *case_id,
	    const char *clock, long long *n, char **errstr);

/* Savepoints inside a transaction (name: a plain word). */
int	 store_savepoint(struct store *, const char *name, char **errstr);
int	 store_rollback_to(struct store *, const char *name, char **errstr);
int	 store_release(struct store *, const char *name, char **errstr);
/* A command mail's Message-ID: 0 first time (recorded), 1 seen before. */
int	 store_command_seen(struct store *, const char *message_id,
	    const char *case_id, char **errstr);
/* A command mail's signature (a digest of its key, time and signed
 * text): 0 first time (recorded), 1 seen before, in any case. */
int	 store_command_sig_seen(struct store *, const char *sig,
	    const char *case_id, const char *message_id, char **errstr);
/* Refusal mails to addr are held back at `now`: 1 when this starts a
 * burst (none held in the hour before: tell someone), 0 when one is
 * going on, -1 on error. */
int	 store_refusal_burst(struct store *, const char *addr, long long now,
	    char **errstr);
/* A key offered for addr and not pinned: 1 the first time (recorded),
 * 0 offered before, -1 on error. */
int	 store_key_offer(struct store *, const char *addr, const char *proto,
	    const char *fpr, char **errstr);

/* The audit chain: every event with its digest and links, in order. */
struct store_chain {
	long long	 id;
	long long	 at;
	char		*case_id;
	char		*type;
	char		*detail;
	char		*actor;
	char		*digest;	/* NULL: from before the chain */
	char		*prev;
	char		*hash;
};
/* fn for each event from first_id on, in order, until it returns
 * nonzero (then that value is returned); -1 on a store error. */
int	 store_chain_walk(struct store *, long long first_id,
	    int (*fn)(void *, const struct store_chain *), void *ctx,
	    char **errstr);
/* The newest chained event: 1 with *id and *hash (malloc'd), 0 none. */
int	 store_chain_last(struct store *, long long *id, char **hash,
	    char **errstr);
/* The newest event's ID, chained or not (0: none). */
int	 store_events_last(struct store *, long long *id, char **errstr);
/* How many events up to id (inclusive) are chained. */
int	 store_chain_count(struct store *, long long upto, long long *n,
	    char **errstr);
/* The chain hash of event id (*hash NULL: no such event, or none). */
int	 store_event_hash(struct store *, long long id, char **hash,
	    char **errstr);
/* The first event of a case (0 none). */
int	 store_chain_first_of(struct store *, const char *case_id,
	    long long *id, char **errstr);
/*
 * The recorded state (store_state.c): every case, and the pinned keys,
 * against the newest "state" event of each. cb gets each disagreement:
 * the case (NULL: the pinned keys), the field or row, its value in the
 * record and now (NULL: none); key NULL says that the case has no
 * recorded state at all, key "" that its newest recorded state was not
 * written by the agent (each carries a MAC under the seal key, over the
 * state and its place; the check needs the key). Returns how many disagree (*nscopes: how many
 * were compared), -1 on error.
 */
/* Text as stored, opened if it is sealed (malloc'd; NULL for NULL;
 * "[sealed]" when the key is not loaded or it does not open). */
char	*store_text_open(struct store *, const char *);
int	 store_state_check(struct store *, void (*cb)(void *,
	    const char *case_id, const char *key, const char *recorded,
	    const char *now), void *, long long *nscopes, char **errstr);
struct store_head {
	long long	 id;
	long long	 event_id;
	char		*hash;
	long long	 at;
	char		*signature;
	char		*public_key;
};
int	 store_head_add(struct store *, const struct store_head *,
	    char **errstr);
int	 store_heads(struct store *, struct store_head **, size_t *,
	    char **errstr);
/* The event ID of the newest signed head (0 none). */
int	 store_head_last(struct store *, long long *event_id, char **errstr);
void	 store_heads_free(struct store_head *, size_t);

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
	char		*credit;	/* the latest #credit, or NULL */
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
/* The statuses in which a case is over (SQL list). */
#define STORE_ENDED	"'closed','rejected','duplicate','disclosed','merged'"
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

/* When the first event of that type and detail happened on a case: 1
 * and *at, 0 never, -1. */
int	 store_case_event_at(struct store *, const char *case_id,
	    const char *type, const char *detail, long long *at,
	    char **errstr);

/* IMAP intake: the last UID taken per mailbox (1 found, 0 not), and
 * the SHA-256 of every message taken (1 seen, 0 not). */
int	 store_imap_state(struct store *, const char *mailbox,
	    long long *uidvalidity, long long *last_uid, char **errstr);
int	 store_imap_state_set(struct store *, const char *mailbox,
	    long long uidvalidity, long long last_uid, char **errstr);
int	 store_imap_seen(struct store *, const char *sha256, char **errstr);
int	 store_imap_seen_add(struct store *, const char *sha256,
	    const char *source, const char *qid, char **errstr);
/* A stored incoming message with these bytes: 1 and its queue ID and
 * case (malloc'd, case may be NULL), 0 none, -1 error. */
int	 store_raw_known(struct store *, const char *sha256, char **qid,
	    char **case_id, char **errstr);

int	 store_address_fail(struct store *, const char *case_id,
	    const char *addr, const char *reason, char **errstr);

/*
 * Retention (store_expire.c). The cases that are over (STORE_ENDED),
 * not merged, with when they entered that status (0: no record of it)
 * and how many messages and sent replies still hold content.
 */
struct store_closed {
	char		*id, *kind, *status, *tlp, *hold;
	long long	 closed_at;
	long long	 kept;
};
int	 store_closed_cases(struct store *, struct store_closed **, size_t *,
	    char **errstr);
void	 store_closed_free(struct store_closed *, size_t);
/* In the caller's transaction: every message of the case received at
 * or before cutoff that holds content loses it (its text; marked
 * expired = 1), and replies sent by then their bodies; *x tells what
 * went (digests: "QID:SHA256 ..." of the
 * originals). Their files go after the commit: store_expire_pending
 * lists them (archive/QID of incoming ones, vault names), and
 * store_expire_gone marks a message whose files are removed (2). */
struct store_expiry {
	long long	 messages, originals, attachments, bytes, replies;
	char		*digests;
};
int	 store_expire_case(struct store *, const char *id, long long cutoff,
	    struct store_expiry *x, char **errstr);
void	 store_expiry_free(struct store_expiry *);
struct store_expire_files {
	long long	 rowid;
	char		*qid;		/* archive/QID, or NULL */
	char		**refs;		/* vault/NAME */
	size_t		 nrefs;
};
int	 store_expire_pending(struct store *, struct store_expire_files **,
	    size_t *, char **errstr);
void	 store_expire_pending_free(struct store_expire_files *, size_t);
int	 store_expire_gone(struct store *, long long rowid, char **errstr);
/* The store's own settings: get 1 and *value (malloc'd), 0 none. */
int	 store_meta_get(struct store *, const char *key, char **value,
	    char **errstr);
int	 store_meta_set(struct store *, const char *key, const char *value,
	    char **errstr);
/* VACUUM when free pages are a quarter of the file or more (or with
 * force, when there are any): 1 done (*freed bytes), 0 not worth it;
 * *freepages and *pages as found. Outside a transaction. */
int	 store_vacuum(struct store *, int force, long long *freepages,
	    long long *pages, long long *freed, char **errstr);

#endif
