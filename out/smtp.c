/*
 * smtp.c: the SMTP submission client. See smtp.h.
 *
 * Connection: smtps:// is TLS from the first byte; smtp:// must offer
 * STARTTLS, or smtp_allow_plaintext must say yes; with that yes, a
 * loopback server (an address in 127.0.0.0/8 or ::1, not a name) is
 * spoken to in plain text even when it offers STARTTLS: nothing but
 * root can read loopback traffic, which is what a local MTA's own
 * sendmail relies on, and its certificate (Debian's Postfix: the
 * self-signed snakeoil one, named after the host) could not be
 * verified for 127.0.0.1 anyway. The certificate is
 * verified as for IMAP (stream.c): chain to smtp_ca_file or the system
 * CAs, host name or IP address, optional SHA-256 pin. With a user in
 * the URL the agent authenticates (AUTH PLAIN, else LOGIN, through
 * libetpan's SASL) with the password from smtp_password_file or
 * $PSIRT_SMTP_PASSWORD, never logged and wiped after use; without a
 * user it does not.
 * Trust: the envelope addresses come from the store (the reporter's
 * address was parsed by parsers/address.c); one that could break the
 * command line (CR, LF, blanks, angle brackets) is refused here too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <libetpan/libetpan.h>
#include <sodium.h>

#include "agent/config.h"
#include "net/net.h"
#include "out/smtp.h"
#include "util/xmalloc.h"

struct smtp {
	mailsmtp	*s;
	char		*down;		/* why the session cannot be used */
};

static int	 smtp_open(struct smtp *, const struct config *, char **);
static char	*says(mailsmtp *, const char *);
static int	 addr_ok(const char *);
static int	 loopback(const char *);
static void	 drop(struct smtp *);

/* Free a session without a QUIT: it may be broken or half in TLS. */
static void
drop(struct smtp *sm)
{
	if (sm->s == NULL)
		return;
	if (sm->s->stream) {
		mailstream_close(sm->s->stream);
		sm->s->stream = NULL;
	}
	mailsmtp_free(sm->s);
	sm->s = NULL;
}

/* "what: 550 5.1.1 <x>: Recipient address rejected" (one line) */
static char *
says(mailsmtp *s, const char *what)
{
	char	*r, *p;

	if (s->response_code == 0)
		return xasprintf("%s: the connection was lost", what);
	r = xasprintf("%s: %d %s", what, s->response_code,
	    s->response ? s->response : "");
	for (p = r; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p == 0x7f)
			*p = ' ';
	for (p = r + strlen(r); p > r && p[-1] == ' '; p--)
		p[-1] = '\0';
	return r;
}

static int
addr_ok(const char *a)
{
	return a[0] != '\0' && strlen(a) < 500 &&
	    strpbrk(a, "\r\n <>\t") == NULL;
}

/* 127.0.0.0/8 or ::1, written as an address */
static int
loopback(const char *host)
{
	unsigned char	a[16];

	if (inet_pton(AF_INET, host, a) == 1)
		return a[0] == 127;
	return inet_pton(AF_INET6, host, a) == 1 &&
	    memcmp(a, in6addr_loopback.s6_addr, 16) == 0;
}

static int
smtp_open(struct smtp *sm, const struct config *cf, char **errstr)
{
	struct net_url	 u;
	struct tls_opts	 o;
	mailstream	*st;
	char		*pw;
	const char	*mech;
	int		 fd, r;

	if (net_url_parse(cf->smtp_url, "smtp_url", "smtp", "587", "smtps",
	    "465", &u, errstr) == -1)
		return -1;
	memset(&o, 0, sizeof(o));
	o.host = u.host;
	o.ca_file = cf->smtp_ca_file[0] ? cf->smtp_ca_file : NULL;
	o.pin = cf->smtp_fingerprint[0] ? cf->smtp_fingerprint : NULL;
	o.timeout = (int)cf->smtp_timeout;
	if ((fd = net_connect(u.host, u.port, o.timeout, errstr)) == -1 ||
	    (st = net_stream(fd, u.implicit_tls ? &o : NULL, errstr)) == NULL)
		goto fail;
	sm->s = mailsmtp_new(0, NULL);
	mailsmtp_set_timeout(sm->s, (time_t)cf->smtp_timeout);
	if (mailsmtp_connect(sm->s, st) != MAILSMTP_NO_ERROR) {
		*errstr = says(sm->s, "SMTP greeting");
		goto fail;
	}
	if (mailesmtp_ehlo(sm->s) != MAILSMTP_NO_ERROR) {
		*errstr = says(sm->s, "EHLO");
		goto fail;
	}
	if (!u.implicit_tls &&
	    !(cf->smtp_allow_plaintext && loopback(u.host))) {
		if (sm->s->esmtp & MAILSMTP_ESMTP_STARTTLS) {
			if (mailesmtp_starttls(sm->s) != MAILSMTP_NO_ERROR) {
				*errstr = says(sm->s, "STARTTLS");
				goto fail;
			}
			if (net_starttls(sm->s->stream, &o, errstr) == -1)
				goto fail;
			/* what was said before TLS does not count */
			if (mailesmtp_ehlo(sm->s) != MAILSMTP_NO_ERROR) {
				*errstr = says(sm->s, "EHLO after STARTTLS");
				goto fail;
			}
		} else if (!cf->smtp_allow_plaintext) {
			*errstr = xasprintf("%s offers no STARTTLS and "
			    "smtp_allow_plaintext is no", u.host);
			goto fail;
		}
	}
	if (u.user) {
		mech = sm->s->auth & MAILSMTP_AUTH_PLAIN ? "PLAIN" :
		    sm->s->auth & MAILSMTP_AUTH_LOGIN ? "LOGIN" : NULL;
		if (mech == NULL) {
			*errstr = xasprintf("%s offers neither AUTH PLAIN nor "
			    "AUTH LOGIN", u.host);
			goto fail;
		}
		if ((pw = net_secret(cf->smtp_password_file,
		    "PSIRT_SMTP_PASSWORD", "SMTP", errstr)) == NULL)
			goto fail;
		r = mailesmtp_auth_sasl(sm->s, mech, u.host, NULL, NULL, "",
		    u.user, pw, NULL);
		sodium_memzero(pw, strlen(pw));
		free(pw);
		if (r != MAILSMTP_NO_ERROR) {
			char	*w = xasprintf("AUTH %s as %s at %s", mech,
			    u.user, u.host);

			*errstr = says(sm->s, w);
			free(w);
			goto fail;
		}
	}
	net_url_free(&u);
	return 0;
fail:
	net_url_free(&u);
	drop(sm);
	return -1;
}

int
smtp_send(struct smtp **sp, const struct config *cf, const char *from,
    const char *rcpt, const char *msg, size_t len, char **errstr)
{
	struct smtp	*sm;
	char		*w;
	int		 code;

	if (!addr_ok(from) || !addr_ok(rcpt)) {
		*errstr = xstrdup("an envelope address is not a plain "
		    "address");
		return SMTP_REFUSED;
	}
	if (*sp == NULL)
		*sp = xcalloc(1, sizeof(**sp));
	sm = *sp;
	if (sm->down) {
		*errstr = xstrdup(sm->down);
		return SMTP_LATER;
	}
	if (sm->s == NULL && smtp_open(sm, cf, errstr) == -1) {
		sm->down = xstrdup(*errstr);
		return SMTP_LATER;
	}
	if (mailsmtp_mail(sm->s, from) != MAILSMTP_NO_ERROR) {
		w = xasprintf("MAIL FROM:<%s>", from);
		goto later;
	}
	if (mailsmtp_rcpt(sm->s, rcpt) != MAILSMTP_NO_ERROR) {
		w = xasprintf("RCPT TO:<%s>", rcpt);
		goto refused;
	}
	if (mailsmtp_data(sm->s) != MAILSMTP_NO_ERROR) {
		w = xstrdup("DATA");
		goto later;
	}
	if (mailsmtp_data_message(sm->s, msg, len) != MAILSMTP_NO_ERROR) {
		w = xstrdup("end of DATA");
		goto refused;
	}
	return SMTP_SENT;
refused:
	code = sm->s->response_code;
	*errstr = says(sm->s, w);
	free(w);
	if (code >= 500 && code < 600) {
		(void)mailsmtp_reset(sm->s);
		return SMTP_REFUSED;
	}
	goto reset;
later:
	*errstr = says(sm->s, w);
	free(w);
reset:
	/* a lost or confused session: the rest of the run waits */
	if (sm->s->response_code == 0 ||
	    mailsmtp_reset(sm->s) != MAILSMTP_NO_ERROR) {
		drop(sm);
		sm->down = xstrdup(*errstr);
	}
	return SMTP_LATER;
}

void
smtp_close(struct smtp **sp)
{
	if (*sp == NULL)
		return;
	if ((*sp)->s) {
		(void)mailsmtp_quit((*sp)->s);
		mailsmtp_free((*sp)->s);
	}
	free((*sp)->down);
	free(*sp);
	*sp = NULL;
}
