/*
 * tls: verified TLS for libetpan streams, with GnuTLS (the library
 * libetpan itself is built with); the only GnuTLS user.
 *
 * libetpan's own TLS accepts any certificate. This one verifies the
 * chain (to the system CAs, or to ca_file when given), the host name or
 * IP address, and, when pin is set, the SHA-256 fingerprint of the
 * server certificate too. A failure is an error that says why; there
 * is no way to continue past it.
 */
#ifndef PSIRT_AGENT_TLS_H
#define PSIRT_AGENT_TLS_H

#include <libetpan/libetpan.h>

struct tls_opts {
	const char	*host;		/* name or IP address to match */
	const char	*ca_file;	/* PEM; NULL: the system CAs */
	const char	*pin;		/* SHA-256 hex (colons allowed) or NULL */
	int		 timeout;	/* seconds, for the handshake and I/O */
};

/* TLS over the connected socket fd; on error fd is left open. */
mailstream_low	*tls_open(int fd, const struct tls_opts *, char **errstr);
/* Decrypted bytes waiting inside the session (poll() cannot see them);
 * 0 for a stream that is not ours. */
int		 tls_pending(mailstream_low *);

#endif
