/*
 * fakeimap: a scripted IMAP server for the faults a real server will not
 * produce on demand. One connection on 127.0.0.1:PORT, then exit.
 *   fakeimap PORT huge   the message literal is announced as 4 GiB,
 *                        100 bytes come, then the server waits, then
 *                        closes
 *   fakeimap PORT cut    a 5000-byte literal is cut after 100 bytes
 *                        by a disconnect
 *   fakeimap PORT authplain  LOGINDISABLED and AUTH=PLAIN: the client
 *                        must AUTHENTICATE PLAIN; the credentials line
 *                        it sends is printed; the mailbox is empty
 *   fakeimap PORT many   100 000 messages, listed in descending UID
 *                        order; all but the last five are announced
 *                        as 2 GB; those five are served
 * Everything else (CAPABILITY, LOGIN, SELECT, the size FETCH) is
 * answered as a plain IMAP4rev1 server would.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
say(int fd, const char *s)
{
	size_t	off = 0, n = strlen(s);
	ssize_t	w;

	while (off < n && (w = write(fd, s + off, n - off)) > 0)
		off += (size_t)w;
}

/* every message, highest UID first, in one response */
static void
list_many(int fd)
{
	char		*big = malloc(100000 * 64), *p = big;
	uint32_t	 u;

	for (u = 100000; u >= 1; u--)
		p += sprintf(p, "* %u FETCH (UID %u RFC822.SIZE %u)\r\n", u, u,
		    u > 99995 ? 300u : 2000000000u);
	*p = '\0';
	say(fd, big);
	free(big);
}

/* "UID FETCH a,b:c BODY.PEEK[]": each asked-for UID, a small report */
static void
serve_many(int fd, const char *cmd)
{
	char		 msg[512], out[1024];
	const char	*p = cmd + strcspn(cmd, "0123456789");
	unsigned long	 a, b, u;
	char		*e;

	while (*p >= '0' && *p <= '9') {
		a = b = strtoul(p, &e, 10);
		if (*e == ':')
			b = strtoul(e + 1, &e, 10);
		for (u = a; u <= b && u <= 100000; u++) {
			snprintf(msg, sizeof(msg), "From: many%lu@example.net\r\n"
			    "To: security@localhost\r\nSubject: report %lu of "
			    "many\r\nMessage-ID: <many%lu@example.net>\r\n\r\n"
			    "body %lu\r\n", u, u, u, u);
			snprintf(out, sizeof(out), "* %lu FETCH (UID %lu BODY[] "
			    "{%zu}\r\n%s)\r\n", u, u, strlen(msg), msg);
			say(fd, out);
		}
		p = e;
		if (*p == ',')
			p++;
	}
}

int
main(int argc, char **argv)
{
	struct sockaddr_in	 sin;
	char			 line[4096], out[8192], tag[64], auth_tag[64];
	size_t			 len = 0;
	ssize_t			 r;
	int			 ls, fd, one = 1, huge, authplain, many;
	int			 in_auth = 0;
	char			 body[101];

	if (argc != 3)
		return 2;
	huge = strcmp(argv[2], "huge") == 0;
	authplain = strcmp(argv[2], "authplain") == 0;
	many = strcmp(argv[2], "many") == 0;
	ls = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)atoi(argv[1]));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(ls, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(ls, 1) == -1) {
		perror("fakeimap");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	if ((fd = accept(ls, NULL, NULL)) == -1)
		return 1;
	say(fd, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] fake ready\r\n");
	memset(body, 'x', 100);
	body[100] = '\0';
	for (;;) {
		char	*nl, *sp;

		if ((r = read(fd, line + len, sizeof(line) - 1 - len)) <= 0)
			break;
		len += (size_t)r;
		line[len] = '\0';
		while ((nl = strstr(line, "\r\n")) != NULL) {
			*nl = '\0';
			sp = strchr(line, ' ');
			snprintf(tag, sizeof(tag), "%.*s",
			    sp ? (int)(sp - line) : 0, line);
			if (in_auth) {		/* the SASL PLAIN line */
				printf("auth %s\n", line);
				fflush(stdout);
				snprintf(out, sizeof(out), "%s OK logged in\r\n",
				    auth_tag);
				in_auth = 0;
			} else if (sp && strncasecmp(sp + 1, "AUTHENTICATE PLAIN",
			    18) == 0) {
				snprintf(auth_tag, sizeof(auth_tag), "%s", tag);
				snprintf(out, sizeof(out), "+ \r\n");
				in_auth = 1;
			} else if (sp && strncasecmp(sp + 1, "LOGIN", 5) == 0 &&
			    authplain)
				snprintf(out, sizeof(out), "%s NO LOGIN is "
				    "disabled\r\n", tag);
			else if (sp && strncasecmp(sp + 1, "CAPABILITY", 10) == 0)
				snprintf(out, sizeof(out), "* CAPABILITY "
				    "IMAP4rev1%s\r\n%s OK done\r\n", authplain ?
				    " LOGINDISABLED AUTH=PLAIN" : "", tag);
			else if (sp && strncasecmp(sp + 1, "SELECT", 6) == 0 &&
			    (authplain || many))
				snprintf(out, sizeof(out), "* %d EXISTS\r\n"
				    "* OK [UIDVALIDITY 7] v\r\n* OK [UIDNEXT %d]"
				    " n\r\n%s OK [READ-WRITE] done\r\n",
				    many ? 100000 : 0, many ? 100001 : 1, tag);
			else if (sp && strstr(sp, "RFC822.SIZE") && authplain)
				snprintf(out, sizeof(out), "%s OK done\r\n",
				    tag);
			else if (sp && strstr(sp, "RFC822.SIZE") && many) {
				list_many(fd);
				snprintf(out, sizeof(out), "%s OK done\r\n",
				    tag);
			} else if (sp && strstr(sp, "BODY.PEEK") && many) {
				serve_many(fd, sp + 1);
				snprintf(out, sizeof(out), "%s OK done\r\n",
				    tag);
			} else if (sp && strncasecmp(sp + 1, "SELECT", 6) == 0)
				snprintf(out, sizeof(out), "* 1 EXISTS\r\n"
				    "* OK [UIDVALIDITY 7] v\r\n* OK [UIDNEXT 2]"
				    " n\r\n%s OK [READ-WRITE] done\r\n", tag);
			else if (sp && strstr(sp, "RFC822.SIZE"))
				snprintf(out, sizeof(out), "* 1 FETCH (UID 1 "
				    "RFC822.SIZE 100)\r\n%s OK done\r\n", tag);
			else if (sp && strstr(sp, "BODY.PEEK")) {
				snprintf(out, sizeof(out), "* 1 FETCH (UID 1 "
				    "BODY[] {%s}\r\n%s", huge ? "4294967296" :
				    "5000", body);
				say(fd, out);
				if (huge)
					sleep(6);
				close(fd);
				return 0;
			} else if (sp && strncasecmp(sp + 1, "LOGOUT", 6) == 0) {
				snprintf(out, sizeof(out), "* BYE bye\r\n"
				    "%s OK done\r\n", tag);
				say(fd, out);
				close(fd);
				return 0;
			} else
				snprintf(out, sizeof(out), "%s OK done\r\n",
				    tag);
			say(fd, out);
			len -= (size_t)(nl + 2 - line);
			memmove(line, nl + 2, len + 1);
		}
	}
	close(fd);
	return 0;
}
