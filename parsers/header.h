/*
 * header: RFC 5322 header fields -> UTF-8 text, addresses and message IDs.
 *
 * Mail-agnostic of libetpan: works on raw bytes. Trusts nothing; every
 * output is valid UTF-8 with no CR, LF or NUL (folding whitespace and
 * control characters become single spaces), so it can be logged, stored
 * and later placed in a header by the template code.
 * Clarification: folding (CRLF/LF + WSP) is removed, other CR, LF and
 * TAB become one space each; NUL and the other C0 controls become U+FFFD
 * (charset_to_utf8() does that before this code can see them).
 */
#ifndef PSIRT_PARSERS_HEADER_H
#define PSIRT_PARSERS_HEADER_H

#include <stddef.h>

#include "parsers/limits.h"

struct header_field {
	char	*name;		/* as written, NUL-terminated */
	char	*value;		/* raw, unfolded (CRLF/LF + WSP -> WSP) */
	size_t	 value_len;
};

struct header_list {
	struct header_field	*fields;
	size_t			 count;
	size_t			 cap;
	char			*cuts;	/* what the limits cut or dropped
					 * ("; "-joined), or NULL */
};

/*
 * A limit is exceeded when the count is greater than it; 0 (or a NULL
 * limits pointer) means no limit. line_max counts the field's lines
 * (name, colon, value) without their line terminators; size_max counts
 * all header lines with their terminators, not the empty line after them.
 */
struct header_limits {
	size_t	line_max;	/* bytes in one unfolded field */
	size_t	count_max;	/* number of fields */
	size_t	size_max;	/* bytes in the whole header block */
};

/* The three header limits of the configured limits. */
struct header_limits header_limits_of(const struct limits *);

/*
 * Split the header block at the start of buf into fields. Stops at the
 * first empty line (CRLF or LF) or at the end of the buffer; *body_off
 * gets the offset of the body (after the empty line). A line that is not
 * a field ("name:" with printable ASCII name) and not a continuation is
 * kept as a field with name "" (lenient, like most MUAs) unless it is the
 * very first line. If the first line is neither a field nor empty there
 * is no header block: 0 fields and *body_off = 0. A value has the WSP
 * after the colon and at its end removed. The list is overwritten (not
 * appended to).
 *
 * The limits cut, they never fail (as Postfix's header_size_limit: the
 * excess is discarded), and list->cuts says what went:
 *  - a field over line_max is cut to line_max bytes (name, colon and
 *    value); References and In-Reply-To keep their first message ID and
 *    as many of the last as fit (RFC 5322 3.6.4), any other value is cut
 *    at a UTF-8 character boundary;
 *  - the first field of each of these names is always kept: From, Sender,
 *    Reply-To, Subject, Message-ID, In-Reply-To, References, To, Cc,
 *    Date, Content-Type, Content-Transfer-Encoding, MIME-Version,
 *    Return-Path, Content-Disposition, Auto-Submitted, Precedence,
 *    List-Id; the other fields are kept, in order, while they fit in
 *    what count_max and size_max leave beside those, and every one after
 *    the first that does not fit is dropped.
 * So at most max(count_max, 18) fields and max(size_max, 18 * line_max)
 * bytes are kept, in two linear passes over the header block.
 */
void	 header_split(const char *buf, size_t len, const struct header_limits *,
	    struct header_list *, size_t *body_off);
void	 header_list_free(struct header_list *);
/* First field with this name (case-insensitive), or NULL. n-th with idx. */
const struct header_field *header_get(const struct header_list *,
	    const char *name, size_t idx);
size_t	 header_count(const struct header_list *, const char *name);

/*
 * Decode an unstructured field value (Subject, display names) to UTF-8:
 * RFC 2047 encoded-words (B and Q, any charset, whitespace between
 * adjacent encoded-words dropped, RFC 2231 language suffix "*lang"
 * ignored), raw 8-bit bytes converted from fallback_charset (NULL: UTF-8
 * if valid, else windows-1252). Leading/trailing whitespace trimmed, runs
 * of whitespace kept as they are except CR/LF/TAB -> space.
 * Returns malloc'd UTF-8.
 */
char	*header_decode_text(const char *raw, size_t len,
	    const char *fallback_charset);

/*
 * Parameters of a structured field (Content-Type, Content-Disposition) as
 * the MIME parser found them: name as written (may carry RFC 2231 "*0*"
 * suffixes) and value (quotes removed).
 */
struct header_param {
	const char	*name;
	const char	*value;
};

/*
 * RFC 2231 value of parameter `name` (e.g. "filename"): joins name*0,
 * name*1*, ... in numeric order, percent-decodes the extended ones and
 * converts from the charset given in the first segment ("utf-8''..."),
 * then falls back to plain name= (decoded with header_decode_text, since
 * many mailers put RFC 2047 words there). Returns malloc'd UTF-8 or NULL.
 */
char	*header_param_get(const struct header_param *, size_t n,
	    const char *name, const char *fallback_charset);

/* One mailbox: addr is "local@domain" (lowercased domain), name decoded. */
struct header_addr {
	char	*name;		/* may be NULL */
	char	*addr;		/* may be NULL if unparseable */
};

/*
 * Parse the first mailbox of an address field (From, Reply-To, Sender):
 * "Name <a@b>", "a@b (Name)", "<a@b>", groups, encoded-word names,
 * quoted local parts. Returns 0 and fills *out (free with
 * header_addr_free), or -1 if no address was found (out->name may still
 * be set). Call header_addr_free() in both cases.
 */
int	 header_addr_parse(const char *raw, size_t len,
	    const char *fallback_charset, struct header_addr *out);
void	 header_addr_free(struct header_addr *);
/* Every mailbox with an address of an address list (To, Cc), in order,
 * at most max: how many were put in out[] (each freed with
 * header_addr_free). Linear in len. */
size_t	 header_addr_list(const char *raw, size_t len,
	    const char *fallback_charset, struct header_addr *out,
	    size_t max);

/*
 * The _cx forms read charsets as charset_decode() does with a message's
 * context (charset.h): a label that is unknown or does not fit is
 * replaced by a guess and told in cx's notes; raw 8-bit bytes are read
 * as UTF-8, else in the first declared charset that fits, else guessed.
 * The forms above are these with fallback_charset as the one declared.
 */
struct charset_ctx;
char	*header_decode_text_cx(const char *raw, size_t len,
	    struct charset_ctx *cx);
char	*header_param_get_cx(const struct header_param *, size_t n,
	    const char *name, struct charset_ctx *cx);
int	 header_addr_parse_cx(const char *raw, size_t len,
	    struct charset_ctx *cx, struct header_addr *out);

/*
 * Message IDs in a msg-id list field (Message-ID, In-Reply-To,
 * References): every "<...>" token, whitespace inside removed, returned
 * without the angle brackets. *ids is a malloc'd array of malloc'd
 * strings. At most max_ids are returned (the LAST ones for References,
 * which are the closest ancestors). Returns the count.
 * The function is not told which field it parses, so it always keeps the
 * last max_ids; *ids is NULL when the count is 0.
 */
size_t	 header_msgids(const char *raw, size_t len, size_t max_ids,
	    char ***ids);
void	 header_msgids_free(char **ids, size_t n);

/* RFC 5322 date -> time_t (UTC), or -1 if unparseable. */
long long header_date_parse(const char *raw, size_t len);

#endif
