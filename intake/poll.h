/*
 * poll: intake from an IMAP mailbox (`psirt-agent poll`); the only
 * user of libetpan's IMAP client.
 *
 * Takes: new messages of the mailbox. Hands on: each one committed to
 * the spool's incoming/ queue, as `deliver` does. Never: parses MIME,
 * runs the queue, the deadlines or the audit signing; the service that
 * runs the loop (cli/poll_cmd.c) does those in its hooks.
 *
 * Exactly once: new messages are found by UID above the last one taken
 * (with the mailbox's UIDVALIDITY kept in the store), each is committed
 * to the spool (fsync) before it is flagged, moved or expunged, and its
 * SHA-256 is recorded so that a message seen again (a crash between
 * the commit and the flag, a UIDVALIDITY change) is not spooled again.
 * The queue run adds a second check on the same bytes. A message over
 * message_size_limit, or one that does not come, is recorded and
 * skipped; it never blocks the others.
 */
#ifndef PSIRT_INTAKE_POLL_H
#define PSIRT_INTAKE_POLL_H

#include <stddef.h>

struct agent;

struct poll_hooks {
	/* after each round: what the service runs between rounds */
	void	(*after_round)(struct agent *);
	/* on SIGHUP: the configuration and policy again (EX_OK to go on,
	 * else the exit status) */
	int	(*reload)(struct agent *);
};

/*
 * The envelope sender the server kept, from the first "Return-Path:
 * <addr>" line of the header block (malloc'd), or NULL: "<>", no angle
 * brackets, no @, or a blank or control byte inside. A byte scan, the
 * one look into a message before it is committed.
 */
char	*poll_return_path(const char *msg, size_t len);

/* The loop: rounds until SIGTERM (or one with once); a sysexits code. */
int	poll_run(struct agent *, int once, const struct poll_hooks *);

#endif
