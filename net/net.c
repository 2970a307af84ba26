/*
 * net.c: server URLs, TCP connections, passwords and streams for the
 * IMAP and SMTP clients. See net.h.
 */
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "net/net.h"
#include "util/xmalloc.h"

static char	*pct_decode(const char *, size_t);

/* A copy of s[0..n) with %XX decoded (an address as user name: %40). */
static char *
pct_decode(const char *s, size_t n)
{
	char	*d = xstrndup(s, n);
	size_t	 i, k;

	for (i = k = 0; d[i]; i++, k++) {
		if (d[i] == '%' && isxdigit((unsigned char)d[i + 1]) &&
		    isxdigit((unsigned char)d[i + 2])) {
			char	h[3] = { d[i + 1], d[i + 2], 0 };

			d[k] = (char)strtol(h, NULL, 16);
			i += 2;
		} else
			d[k] = d[i];
	}
	d[k] = '\0';
	return d;
}

int
net_url_parse(const char *s, const char *setting, const char *plain,
    const char *plain_port, const char *tls, const char *tls_port,
    struct net_url *u, char **errstr)
{
	const char	*p, *at, *slash, *colon;
	size_t		 lp = strlen(plain), lt = strlen(tls), hl;

	memset(u, 0, sizeof(*u));
	if (strncasecmp(s, tls, lt) == 0 && strncmp(s + lt, "://", 3) == 0) {
		u->implicit_tls = 1;
		p = s + lt + 3;
	} else if (strncasecmp(s, plain, lp) == 0 &&
	    strncmp(s + lp, "://", 3) == 0)
		p = s + lp + 3;
	else {
		*errstr = xasprintf("%s \"%s\": not %s:// or %s://", setting,
		    s, plain, tls);
		return -1;
	}
	slash = strchr(p, '/');
	hl = slash ? (size_t)(slash - p) : strlen(p);
	if ((at = memchr(p, '@', hl)) != NULL) {
		u->user = pct_decode(p, (size_t)(at - p));
		hl -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	if ((colon = memchr(p, ':', hl)) != NULL) {
		u->host = xstrndup(p, (size_t)(colon - p));
		u->port = xstrndup(colon + 1, hl - (size_t)(colon + 1 - p));
	} else {
		u->host = xstrndup(p, hl);
		u->port = xstrdup(u->implicit_tls ? tls_port : plain_port);
	}
	u->path = slash ? pct_decode(slash + 1, strlen(slash + 1)) :
	    xstrdup("");
	if (u->host[0] == '\0' || u->port[0] == '\0' ||
	    strspn(u->port, "0123456789") != strlen(u->port) ||
	    (u->user && u->user[0] == '\0')) {
		*errstr = xasprintf("%s \"%s\": bad user, host or port",
		    setting, s);
		net_url_free(u);
		return -1;
	}
	return 0;
}

void
net_url_free(struct net_url *u)
{
	free(u->user);
	free(u->host);
	free(u->port);
	free(u->path);
	memset(u, 0, sizeof(*u));
}

int
net_connect(const char *host, const char *port, int timeout, char **errstr)
{
	struct addrinfo	 hints, *res, *ai;
	struct timeval	 tv = { timeout, 0 };
	int		 fd = -1, r, e = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if ((r = getaddrinfo(host, port, &hints, &res)) != 0) {
		*errstr = xasprintf("%s: %s", host, gai_strerror(r));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol)) == -1)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		e = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd == -1)
		*errstr = xasprintf("connect %s port %s: %s", host, port,
		    strerror(e ? e : ECONNREFUSED));
	return fd;
}

char *
net_secret(const char *file, const char *env, const char *what,
    char **errstr)
{
	FILE		*fp;
	char		 line[1024];
	const char	*e;

	if (file && file[0]) {
		if ((fp = fopen(file, "r")) == NULL) {
			*errstr = xasprintf("%s: %s", file, strerror(errno));
			return NULL;
		}
		if (fgets(line, sizeof(line), fp) == NULL) {
			if (ferror(fp)) {
				*errstr = xasprintf("read %s: %s", file,
				    strerror(errno));
				fclose(fp);
				return NULL;
			}
			line[0] = '\0';
		}
		fclose(fp);
		line[strcspn(line, "\r\n")] = '\0';
		return xstrdup(line);
	}
	if ((e = getenv(env)) != NULL)
		return xstrdup(e);
	*errstr = xasprintf("no %s password: set the password file or $%s",
	    what, env);
	return NULL;
}

mailstream *
net_stream(int fd, const struct tls_opts *tls, char **errstr)
{
	mailstream_low	*low;
	mailstream	*st;

	if (tls) {
		if ((low = tls_open(fd, tls, errstr)) == NULL) {
			close(fd);
			return NULL;
		}
	} else
		low = plain_open(fd);
	if ((st = mailstream_new(low, 8192)) == NULL) {
		mailstream_low_close(low);
		mailstream_low_free(low);
		*errstr = xstrdup("no stream");
	}
	return st;
}

int
net_starttls(mailstream *st, const struct tls_opts *tls, char **errstr)
{
	mailstream_low	*low = mailstream_get_low(st), *nl;

	if ((nl = tls_open(mailstream_low_get_fd(low), tls, errstr)) == NULL)
		return -1;
	mailstream_low_free(low);	/* the socket stays open: nl has it */
	mailstream_set_low(st, nl);
	return 0;
}
