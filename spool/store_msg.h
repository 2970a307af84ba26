/*
 * store_msg: the messages: stored messages and attachments, their processing
 * state and queue rows, the IMAP intake's record (store_msg.c unless said;
 * see store.h for the store itself).
 */
#ifndef PSIRT_SPOOL_STORE_MSG_H
#define PSIRT_SPOOL_STORE_MSG_H

#include <stddef.h>

struct store;

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
	char		*text_source;	/* where the text came from
					 * (mime.h), or NULL */
	char		*text_error;	/* not stored: a reader's note */
	char		*raw_sha256;	/* of the bytes as received */
	char		*sender_source;	/* where from_addr was found: from,
					 * from-encoded-word, sender,
					 * reply-to, return-path, envelope,
					 * none; NULL before it was kept */
	int		 expired;	/* content removed by retention (then
					 * text_error says so, no refs) */
	struct store_attachment *att;
	size_t		 natt;
};

struct store_queue_entry {
	char		*qid;
	char		*state;		/* deferred quarantine hold */
	char		*reason;
	long long	 attempts;
	long long	 next_try;
	long long	 updated_at;
};


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
/* 1 and *case_id (malloc'd, may be NULL) if a message has this ID, or
 * a mail of ours in the outbox (a notice, a status reply) does. */
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

#endif
