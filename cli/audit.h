/*
 * audit: the tamper-evident record. Every event is a link of a BLAKE2b
 * hash chain (spool/store.c); the head of the chain is signed with the
 * instance's Ed25519 key (audit_key_file, made on first use, mode 0600)
 * after each queue run and tick, and appended with its event count to
 * an anchor file outside the store (audit_anchor_file) and the log; a
 * run does not sign over a chain that no longer holds the newest
 * anchored head (cut, wiped, rewritten, rolled back). `audit verify`
 * recomputes every digest and link, checks every signed head and the
 * anchor, and names the first entry that does not hold; `audit export CASE` writes a case's entries with what
 * a third party needs to check them against a signed head, without the
 * content of other cases.
 */
#ifndef PSIRT_AGENT_AUDIT_H
#define PSIRT_AGENT_AUDIT_H

struct agent;

/* Sign the chain's head if it moved since the last signature. 0, or
 * -1 with *errstr. */
int	audit_sign_head(struct agent *, char **errstr);
int	cmd_audit(struct agent *, int argc, char **argv);
/* `audit verify`: prints one line; EX_OK intact, EX_DATAERR broken
 * (the line names where), another sysexits code on error. The lines on
 * each disagreeing case go through the listing (capped). */
struct listing;
int	audit_verify(struct agent *, struct listing *);

#endif
