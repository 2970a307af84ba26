/*
 * reply: compose replies (acknowledgements, later status notices) as
 * complete RFC 5322 messages, and decide whether a reply may be sent at
 * all (RFC 3834: never to automatic mail, bounces, lists, the null
 * sender, ourselves; at most N acknowledgements per sender per hour).
 */
#ifndef PSIRT_AGENT_REPLY_H
#define PSIRT_AGENT_REPLY_H

#include <stddef.h>

struct config;
struct template;
struct tvar;

struct reply_in {
	const char	*to_addr;	/* where the reply goes */
	const char	*to_name;	/* may be NULL */
	const char	*subject;	/* rendered, UTF-8, one line */
	const char	*body;		/* rendered, UTF-8 */
	const char	*in_reply_to;	/* Message-ID without <>, or NULL */
	char *const	*refs;		/* References of the original */
	size_t		 nrefs;
	const char	*auto_submitted; /* "auto-replied", ... */
};

struct reply_out {
	char	*message_id;	/* without <> */
	char	*text;		/* the whole message, LF line ends */
	size_t	 len;
};

/* 1 if addr is a plain, safe address (local@domain, no specials). */
int	 reply_addr_ok(const char *);
/* RFC 2047-encode a UTF-8 header value if needed; folds long values. */
char	*reply_encode_header(const char *name, const char *value);
int	 reply_compose(const struct config *, const struct reply_in *,
	    struct reply_out *, char **errstr);
void	 reply_out_free(struct reply_out *);
/* "> "-quoted first lines of text, bounded. */
char	*reply_quote(const char *text, size_t max_lines, size_t max_bytes);

#endif
