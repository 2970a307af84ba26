/*
 * job: one message on its way through the pipeline (process.c), and
 * the stages process.c hands it to: the acknowledgement (ack.c) and
 * reporter keys (learn.c). Both run inside the message's store
 * transaction and record what they do as events on its case.
 */
#ifndef PSIRT_AGENT_JOB_H
#define PSIRT_AGENT_JOB_H

#include <stddef.h>

#include "crypto/unwrap.h"
#include "parsers/mailkind.h"
#include "parsers/triage.h"
#include "policies/policy.h"
#include "spool/queue.h"

struct agent;
struct mime_msg;

struct job {
	struct agent		*a;
	const char		*qid;
	struct queue_msg	 qm;
	struct mime_msg		*m;
	const char		*mbuf;		/* what m was parsed from */
	size_t			 mlen;
	struct unwrap		 u;		/* the crypto stage */
	struct mail_class	 cls;
	struct policy_decision	 dec;
	struct triage		 tri;		/* what the report states */
	const char		*reply_addr;	/* NULL: none anywhere */
	const char		*reply_name;
	char			*sender_addr;	/* the sender found (below) */
	char			*sender_name;
	const char		*sender_source;	/* "from", "from-encoded-word",
						 * "sender", "reply-to",
						 * "return-path", "envelope",
						 * "none" */
	char			*sender_note;	/* "From is malformed: ...",
						 * or NULL */
	char			*case_id;	/* threaded or new */
	const char		*thread_how;
	char			*named_case;	/* named by a non-participant */
	char			*copied;	/* a member's mail: the outsiders
						 * it went to (copied.h) */
	char			 reply_token[25];	/* of a new case, or "" */
	char			*reason;	/* why deferred/quarantined */
	int			 reread;	/* process --retry */
	char			*text_ref;	/* sealed in the vault */
	char			 raw_sha256[65];	/* of the bytes received */
	char			**att_refs;
	size_t			 natt_refs;
};

/* Queue the acknowledgement, or record why not; *errstr set only on a
 * store error (then the transaction must be rolled back). */
void	maybe_ack(struct job *, char **errstr);
/* Learn the sender's keys (Autocrypt, attached, signature): pin on
 * first use what the message proves (learn.c), record the others as
 * offered, flag a changed key. new_case: the message opened its case.
 * 0, or -1 on a store error. */
int	learn_keys(struct job *, int new_case, char **errstr);
/* The Autocrypt keys into the keyring before signatures are checked. */
void	learn_preimport(struct job *);
/* The keys the message carries into the keyring, after a signature
 * found no key: how many were imported. */
int	learn_import_attached(struct job *);

#endif
