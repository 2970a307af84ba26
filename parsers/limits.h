/*
 * limits: every bound the agent puts on untrusted input, in one place.
 *
 * Each limit has a psirt-agent.conf key (the field name plus "_limit")
 * and a default; psirt-agent(8) documents them all. Parsers take a
 * struct limits and never use a hidden constant instead.
 */
#ifndef PSIRT_PARSERS_LIMITS_H
#define PSIRT_PARSERS_LIMITS_H

#include <stddef.h>

#define LIMIT_MESSAGE_SIZE	(64UL * 1024 * 1024)	/* message_size_limit */
#define LIMIT_HEADER_LINE	(64UL * 1024)		/* header_line_limit */
#define LIMIT_HEADER_COUNT	1000UL			/* header_count_limit */
#define LIMIT_HEADER_SIZE	(1024UL * 1024)		/* header_size_limit */
#define LIMIT_MIME_DEPTH	32UL			/* mime_depth_limit */
#define LIMIT_MIME_PARTS	1000UL			/* mime_parts_limit */
#define LIMIT_TEXT_SIZE		(1024UL * 1024)		/* text_size_limit */
#define LIMIT_MSGIDS		100UL			/* references_limit */
#define LIMIT_DECRYPTED_SIZE	(64UL * 1024 * 1024)	/* decrypted_size_limit */
#define LIMIT_CRYPTO_LAYERS	8UL			/* crypto_layers_limit */

struct limits {
	size_t	message_size;	/* bytes deliver accepts */
	size_t	header_line;	/* bytes in one unfolded header field */
	size_t	header_count;	/* header fields in one header block */
	size_t	header_size;	/* bytes in one header block */
	size_t	mime_depth;	/* nesting of multipart and message/rfc822 */
	size_t	mime_parts;	/* MIME parts walked in one message */
	size_t	text_size;	/* decoded body text kept per message */
	size_t	msgids;		/* Message-IDs taken from References */
	size_t	decrypted_size;	/* bytes one decryption may produce */
	size_t	crypto_layers;	/* encryption/signature layers opened */
	/*
	 * Not a bound, but how untrusted text is read: the CJK charsets
	 * tried, in order, for text whose charset label is unknown or
	 * lies (charset.h's charset_order(), from psirt-policy(5)'s
	 * `languages`); "" is the fixed order.
	 */
	char	charset_order[64];
};

#endif
