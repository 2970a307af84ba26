/*
 * net: what the IMAP and SMTP clients share below their protocols: the
 * server URL of a setting, a TCP connection with a timeout, the
 * password from a file or the environment, and the libetpan stream
 * over the socket, verified TLS at once or after STARTTLS (stream.c
 * does the TLS).
 */
#ifndef PSIRT_AGENT_NET_H
#define PSIRT_AGENT_NET_H

#include <libetpan/libetpan.h>

#include "net/stream.h"

struct net_url {
	char	*user;		/* %-decoded; NULL when the URL has none */
	char	*host;
	char	*port;
	char	*path;		/* after the first '/', %-decoded; "" if none */
	int	 implicit_tls;	/* the TLS scheme (imaps, smtps) */
};

/* scheme://[user@]host[:port][/path] where the scheme is plain (then
 * STARTTLS) or tls (implicit TLS), each with its default port. setting
 * names the configuration key in errors. */
int	 net_url_parse(const char *s, const char *setting,
	    const char *plain, const char *plain_port,
	    const char *tls, const char *tls_port,
	    struct net_url *, char **errstr);
void	 net_url_free(struct net_url *);
/* A connected TCP socket (close-on-exec; reads and writes time out
 * after timeout seconds), or -1 and *errstr. */
int	 net_connect(const char *host, const char *port, int timeout,
	    char **errstr);
/* The first line of file when file is set, else $env; NULL and *errstr
 * when neither gives one. The caller wipes and frees it. */
char	*net_secret(const char *file, const char *env, const char *what,
	    char **errstr);
/* A stream over the connected fd: TLS now when tls is given, else plain
 * text. On error fd is closed. */
mailstream *net_stream(int fd, const struct tls_opts *tls, char **errstr);
/* After the server accepted STARTTLS: TLS from now on. */
int	 net_starttls(mailstream *, const struct tls_opts *, char **errstr);

#endif
