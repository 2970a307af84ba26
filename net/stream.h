/*
 * stream: the network under libetpan's IMAP client: a plain socket and
 * verified TLS with GnuTLS (the library libetpan itself is built with);
 * the only GnuTLS user.
 *
 * libetpan's own socket driver spins when a server closes the
 * connection in the middle of a literal (read returns 0, select says
 * readable, again); these drivers make end of file and a timeout an
 * error, so a fetch fails instead.
 *
 * libetpan's own TLS accepts any certificate. This one verifies the
 * chain (to the system CAs, or to ca_file when given), the host name or
 * IP address, and, when pin is set, the SHA-256 fingerprint of the
 * server certificate too. A failure is an error that says why; there
 * is no way to continue past it.
 */
#ifndef PSIRT_AGENT_STREAM_H
#define PSIRT_AGENT_STREAM_H

#include <libetpan/libetpan.h>

struct tls_opts {
	const char	*host;		/* name or IP address to match */
	const char	*ca_file;	/* PEM; NULL: the system CAs */
	const char	*pin;		/* SHA-256 hex (colons allowed) or NULL */
	int		 timeout;	/* seconds, for the handshake and I/O */
};

/* TLS over the connected socket fd; on error fd is left open. */
mailstream_low	*tls_open(int fd, const struct tls_opts *, char **errstr);
/* The socket as it is (its SO_RCVTIMEO bounds each read). */
mailstream_low	*plain_open(int fd);
/* Decrypted bytes waiting inside the session (poll() cannot see them);
 * 0 for a stream that is not ours. */
int		 tls_pending(mailstream_low *);

#endif
