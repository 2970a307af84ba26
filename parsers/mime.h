/*
 * mime: one message (bytes) -> a bounded tree of our own structs.
 *
 * The only libetpan user. Top-level header fields are split by
 * header_split() under the configured limits, which cut the header and
 * never refuse it: the fields a report needs are kept (header.h), and a
 * warning names the limit. A part's header block over the limits gets
 * the same warning ("part N: ..."); libetpan's reading of its Content-*
 * fields is used as it is. MIME nesting deeper than
 * mime_depth_limit and parts beyond mime_parts_limit are not walked:
 * the message is still used, with a warning naming the limit.
 * The body is chosen as a MUA would (text/plain preferred in
 * multipart/alternative, unless it is blank or only points at the HTML
 * part; text/html reduced to text when alone), decoded from its
 * transfer encoding and charset to UTF-8. The report's text is that
 * body, unless the report is elsewhere (parsers/bodytext.h): a blank
 * body or a stub ("see attached") gives way to the message's text
 * files (all of them, each under a line naming it when there are
 * more), a short note (or none) above a forwarded message (attached as
 * message/rfc822, or inline) to that message's text, read down to the
 * innermost one; the notes are kept above it. text_source says which.
 * Texts are cut at text_size_limit. Every leaf that is not body text of
 * the top message is an attachment with its decoded size and SHA-256
 * (a text file read into the text is one too).
 */
#ifndef PSIRT_PARSERS_MIME_H
#define PSIRT_PARSERS_MIME_H

#include <stddef.h>

#include "parsers/header.h"
#include "parsers/limits.h"

enum mime_enc {
	MIME_ENC_IDENTITY,	/* 7bit, 8bit, binary or none */
	MIME_ENC_BASE64,
	MIME_ENC_QP,
	MIME_ENC_UNKNOWN	/* an unknown token: kept as is */
};

struct mime_part {
	char	*type;		/* lowercased "type/subtype" */
	char	*charset;	/* lowercased, or NULL */
	char	*filename;	/* UTF-8, or NULL */
	char	*protocol;	/* lowercased "protocol" parameter, or NULL */
	char	*smime_type;	/* lowercased "smime-type" parameter */
	int	 protected_headers; /* protected-headers="v1" */
	int	 attachment;	/* listed as an attachment */
	int	 is_text;	/* read into the text */
	int	 in_message;	/* inside an attached message/rfc822 */
	size_t	 depth;
	long	 parent;	/* index in parts[], -1 for the top */
	/* byte ranges in the buffer given to mime_parse() */
	size_t	 off, len;	/* the entity: its header and body */
	size_t	 body_off, body_len;	/* the body as sent */
	enum mime_enc encoding;
	size_t	 size;		/* decoded bytes */
	char	 sha256[65];	/* hex, of the decoded bytes */
};

struct mime_msg {
	struct header_list	 hdr;		/* top-level fields */
	char			*subject;	/* UTF-8, "" if none */
	struct header_addr	 from;
	struct header_addr	 reply_to;
	char			*message_id;	/* without <>, or NULL */
	char			**refs;		/* In-Reply-To + References */
	size_t			 nrefs;
	size_t			 nirt;		/* the first nirt are
						 * In-Reply-To's */
	char			**returned;	/* Message-IDs of returned
						 * messages (DSN/MDN parts) */
	size_t			 nreturned;
	char			*date;		/* raw Date, or NULL */
	long long		 date_time;	/* -1 if none/bad */
	char			*content_type;	/* top, lowercased */
	char			*report_type;	/* multipart/report param */
	char			*text;		/* the report's text, UTF-8 */
	int			 text_truncated;
	char			*text_source;	/* where text is from: "body",
						 * "html alternative",
						 * "attachment NAME",
						 * "attachments A, B",
						 * "forwarded message (depth
						 * N)" and ", attachment
						 * NAME" or ", html
						 * alternative" after it */
	char			*body;		/* the top message's body,
						 * the sender's own words
						 * (staff commands are read
						 * there), UTF-8 */
	struct mime_part	*parts;
	size_t			 nparts;
	char			*warnings;	/* "; "-joined, or NULL */
	/* RFC 3464 delivery status, comma-joined per recipient */
	char			*dsn_action;
	char			*dsn_status;
	char			*dsn_final_recipient;
	int			 has_dsn;	/* a delivery-status part */
	int			 has_feedback;	/* an RFC 5965 report part */
};

/* 0 ok; -1 when it is no mail at all: no header field and nothing
 * but blanks after (*errstr says so, "empty message: ..."). */
int	 mime_parse(const char *buf, size_t len, const struct limits *,
	    struct mime_msg **, char **errstr);
void	 mime_free(struct mime_msg **);
/* The decoded body of a leaf part of the buffer m was parsed from
 * (malloc'd, NUL-terminated). -1 if the transfer encoding is bad: then
 * the bytes as sent. */
int	 mime_part_body(const struct mime_part *, const char *buf,
	    char **out, size_t *outlen);

#endif
