/*
 * stream.c: mailstream_low drivers for libetpan: a plain socket and a
 * GnuTLS client session. See stream.h.
 */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "net/stream.h"
#include "util/xmalloc.h"

struct tls_conn {
	gnutls_session_t			 s;
	gnutls_certificate_credentials_t	 cred;
	int					 fd;
	int					 timeout;	/* s */
};

static ssize_t	 tls_read(mailstream_low *, void *, size_t);
static ssize_t	 tls_write(mailstream_low *, const void *, size_t);
static int	 tls_close(mailstream_low *);
static int	 tls_get_fd(mailstream_low *);
static void	 tls_free(mailstream_low *);
static void	 tls_cancel(mailstream_low *);
static int	 pin_ok(gnutls_session_t, const char *, char **);

static mailstream_low_driver tls_driver = {
	tls_read, tls_write, tls_close, tls_get_fd, tls_free, tls_cancel,
	NULL, NULL, NULL, NULL, NULL
};

static ssize_t
tls_read(mailstream_low *l, void *b, size_t n)
{
	struct tls_conn	*t = l->data;
	ssize_t		 r;

	for (;;) {
		r = gnutls_record_recv(t->s, b, n);
		if (r == GNUTLS_E_INTERRUPTED)
			continue;
		if (r != GNUTLS_E_AGAIN)
			break;
		/*
		 * No application data yet (a TLS 1.3 session ticket, or the
		 * socket's receive timeout): wait for more, up to the
		 * timeout, then give up.
		 */
		if (gnutls_record_check_pending(t->s) == 0) {
			struct pollfd	p = { t->fd, POLLIN, 0 };
			int		k;

			do
				k = poll(&p, 1, t->timeout * 1000);
			while (k == -1 && errno == EINTR);
			if (k <= 0)
				return -1;
		}
	}
	/* end of file is an error too: libetpan would spin on 0 */
	return r <= 0 ? -1 : r;
}

static ssize_t
tls_write(mailstream_low *l, const void *b, size_t n)
{
	struct tls_conn	*t = l->data;
	ssize_t		 r;

	do
		r = gnutls_record_send(t->s, b, n);
	while (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED);
	return r < 0 ? -1 : r;
}

static int
tls_close(mailstream_low *l)
{
	struct tls_conn	*t = l->data;

	if (t->fd != -1) {
		gnutls_bye(t->s, GNUTLS_SHUT_WR);
		close(t->fd);
		t->fd = -1;
	}
	return 0;
}

static int
tls_get_fd(mailstream_low *l)
{
	struct tls_conn	*t = l->data;

	return t->fd;
}

static void
tls_free(mailstream_low *l)
{
	struct tls_conn	*t = l->data;

	gnutls_deinit(t->s);
	gnutls_certificate_free_credentials(t->cred);
	free(t);
	free(l);
}

static void
tls_cancel(mailstream_low *l)
{
	(void)l;
}

/* The server certificate's SHA-256 against the pin. */
static int
pin_ok(gnutls_session_t s, const char *pin, char **errstr)
{
	const gnutls_datum_t	*c;
	unsigned int		 n;
	unsigned char		 md[32];
	char			 hex[65], want[65];
	size_t			 i, k = 0;

	for (i = 0; pin[i] && k < 64; i++)
		if (isxdigit((unsigned char)pin[i]))
			want[k++] = (char)tolower((unsigned char)pin[i]);
	want[k] = '\0';
	if ((c = gnutls_certificate_get_peers(s, &n)) == NULL || n == 0 ||
	    gnutls_hash_fast(GNUTLS_DIG_SHA256, c[0].data, c[0].size, md) < 0) {
		*errstr = xstrdup("no server certificate to check the pin");
		return 0;
	}
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	if (strcmp(hex, want) != 0) {
		*errstr = xasprintf("server certificate SHA-256 %s does not "
		    "match imap_fingerprint", hex);
		return 0;
	}
	return 1;
}

mailstream_low *
tls_open(int fd, const struct tls_opts *o, char **errstr)
{
	struct tls_conn	*t;
	mailstream_low	*l;
	gnutls_datum_t	 msg;
	unsigned int	 st;
	int		 r, is_ip;

	t = xcalloc(1, sizeof(*t));
	t->fd = fd;
	t->timeout = o->timeout > 0 ? o->timeout : 60;
	if (gnutls_certificate_allocate_credentials(&t->cred) < 0) {
		*errstr = xstrdup("TLS: no credentials");
		free(t);
		return NULL;
	}
	r = o->ca_file ? gnutls_certificate_set_x509_trust_file(t->cred,
	    o->ca_file, GNUTLS_X509_FMT_PEM) :
	    gnutls_certificate_set_x509_system_trust(t->cred);
	if (r <= 0) {
		*errstr = xasprintf("TLS: no trusted CA loaded from %s",
		    o->ca_file ? o->ca_file : "the system store");
		goto fail_cred;
	}
	if (gnutls_init(&t->s, GNUTLS_CLIENT) < 0) {
		*errstr = xstrdup("TLS: cannot start a session");
		goto fail_cred;
	}
	gnutls_set_default_priority(t->s);
	gnutls_credentials_set(t->s, GNUTLS_CRD_CERTIFICATE, t->cred);
	is_ip = strspn(o->host, "0123456789.") == strlen(o->host) ||
	    strchr(o->host, ':') != NULL;
	if (!is_ip)
		gnutls_server_name_set(t->s, GNUTLS_NAME_DNS, o->host,
		    strlen(o->host));
	/* chain and host name (or IP address) in the handshake */
	gnutls_session_set_verify_cert(t->s, o->host, 0);
	gnutls_transport_set_int(t->s, fd);
	gnutls_handshake_set_timeout(t->s, (unsigned)o->timeout * 1000);
	do
		r = gnutls_handshake(t->s);
	while (r < 0 && !gnutls_error_is_fatal(r));
	if (r < 0) {
		if (r == GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR) {
			st = gnutls_session_get_verify_cert_status(t->s);
			if (gnutls_certificate_verification_status_print(st,
			    GNUTLS_CRT_X509, &msg, 0) == 0) {
				*errstr = xasprintf("TLS: certificate of %s "
				    "refused: %s", o->host, msg.data);
				gnutls_free(msg.data);
			} else
				*errstr = xasprintf("TLS: certificate of %s "
				    "refused", o->host);
		} else
			*errstr = xasprintf("TLS handshake with %s: %s",
			    o->host, gnutls_strerror(r));
		goto fail;
	}
	if (o->pin && o->pin[0] && !pin_ok(t->s, o->pin, errstr))
		goto fail;
	if ((l = mailstream_low_new(t, &tls_driver)) == NULL) {
		*errstr = xstrdup("TLS: no stream");
		goto fail;
	}
	mailstream_low_set_timeout(l, (unsigned long)o->timeout);
	return l;
fail:
	gnutls_deinit(t->s);
fail_cred:
	gnutls_certificate_free_credentials(t->cred);
	free(t);
	return NULL;
}

int
tls_pending(mailstream_low *l)
{
	struct tls_conn	*t;

	if (l == NULL || l->driver != &tls_driver)
		return 0;
	t = l->data;
	return gnutls_record_check_pending(t->s) > 0;
}

/* A plain socket: read and write as they are, end of file an error. */
static ssize_t
plain_read(mailstream_low *l, void *b, size_t n)
{
	int	fd = *(int *)l->data;
	ssize_t	r;

	do
		r = read(fd, b, n);
	while (r == -1 && errno == EINTR);
	return r <= 0 ? -1 : r;
}

static ssize_t
plain_write(mailstream_low *l, const void *b, size_t n)
{
	int	fd = *(int *)l->data;
	ssize_t	r;

	do
		r = write(fd, b, n);
	while (r == -1 && errno == EINTR);
	return r;
}

static int
plain_close(mailstream_low *l)
{
	int	*fd = l->data;

	if (*fd != -1)
		close(*fd);
	*fd = -1;
	return 0;
}

static int
plain_get_fd(mailstream_low *l)
{
	return *(int *)l->data;
}

static void
plain_free(mailstream_low *l)
{
	free(l->data);
	free(l);
}

static mailstream_low_driver plain_driver = {
	plain_read, plain_write, plain_close, plain_get_fd, plain_free,
	tls_cancel, NULL, NULL, NULL, NULL, NULL
};

mailstream_low *
plain_open(int fd)
{
	int	*p = xmalloc(sizeof(int));

	*p = fd;
	return mailstream_low_new(p, &plain_driver);
}
