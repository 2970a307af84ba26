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

/* A file sent with a reply (multipart/mixed, base64). */
struct reply_part {
	const char	*name;		/* the file name, UTF-8, or NULL */
	const char	*type;		/* its media type, or NULL */
	const void	*data;
	size_t		 len;
};

struct reply_in {
	const char	*to_addr;	/* where the reply goes */
	const char	*to_name;	/* may be NULL */
	const char	*subject;	/* rendered, UTF-8, one line */
	const char	*body;		/* rendered, UTF-8 */
	const char	*in_reply_to;	/* Message-ID without <>, or NULL */
	char *const	*refs;		/* References of the original */
	size_t		 nrefs;
	const char	*auto_submitted; /* "auto-replied", ... */
	const char	*autocrypt;	/* our key (base64) or NULL */
	const char	*reply_to;	/* an address, or NULL */
	const char	*from_name;	/* NULL: the PSIRT's name */
	const struct reply_part *parts;	/* after the text, or NULL */
	size_t		 nparts;
};

struct reply_out {
	char	*message_id;	/* without <> */
	char	*text;		/* the whole message, LF line ends */
	size_t	 len;
};

/* What decides whether an automatic reply may go out (RFC 3834). */
struct reply_check {
	int		 automatic;	/* bounce or auto-reply */
	int		 is_list;	/* List-Id etc. */
	int		 policy_no_ack;
	const char	*env_sender;	/* NULL unknown, "" or "<>" null */
	const char	*reply_addr;	/* Reply-To, From or envelope */
	const char	*from_addr;
	const char	*our_addr;
	long long	 sent_last_hour; /* acks to reply_addr */
	long long	 limit_per_hour;
};

/* NULL if a reply may be sent, else the reason it may not. */
const char *reply_refusal(const struct reply_check *);

/* 1 if addr is a plain, safe address (local@domain, no specials). */
int	 reply_addr_ok(const char *);

int	 reply_compose(const struct config *, const struct reply_in *,
	    struct reply_out *, char **errstr);
void	 reply_out_free(struct reply_out *);
/* "> "-quoted first lines of text, bounded. */
char	*reply_quote(const char *text, size_t max_lines, size_t max_bytes);

#endif
