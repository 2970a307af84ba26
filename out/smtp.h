/*
 * smtp: outgoing mail through an SMTP submission server (smtp_url), the
 * alternative to the sendmail command for hosts with no local MTA;
 * libetpan's SMTP client over the verified streams of net.h.
 *
 * One session serves a whole outbox run: it is opened at the first
 * message and reused (RSET between messages). When the connection,
 * TLS or authentication fails, the session is marked down and every
 * further message of the run is deferred with the same reason, without
 * a new attempt: a wrong password is tried once per run, not once per
 * message.
 */
#ifndef PSIRT_AGENT_SMTP_H
#define PSIRT_AGENT_SMTP_H

#include <stddef.h>

struct config;
struct smtp;

#define SMTP_SENT	0
#define SMTP_LATER	(-1)	/* try again later */
#define SMTP_REFUSED	(-2)	/* refused for good: 5xx to RCPT or DATA */

/* Send msg from `from` to `rcpt` (bare addresses); *sp is the run's
 * session (NULL at first). On SMTP_LATER and SMTP_REFUSED *errstr says
 * why, with the server's reply. */
int	 smtp_send(struct smtp **sp, const struct config *, const char *from,
	    const char *rcpt, const char *msg, size_t len, char **errstr);
/* QUIT and free; *sp becomes NULL. */
void	 smtp_close(struct smtp **sp);

#endif
