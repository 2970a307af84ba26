/*
 * imap: intake from an IMAP mailbox (`psirt-agent poll`); the only
 * user of libetpan's IMAP client.
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
#ifndef PSIRT_AGENT_IMAP_H
#define PSIRT_AGENT_IMAP_H

struct agent;

/* `poll [--once]`: returns a sysexits code. */
int	cmd_poll(struct agent *, int, char **);

#endif
