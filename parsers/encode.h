/*
 * encode: header fields as we write them. Every text that reaches a
 * header we send goes through here: control characters become blanks,
 * so nothing a reporter wrote can start a header line of its own, and
 * what folding cannot keep under 998 bytes a line becomes encoded-words.
 */
#ifndef PSIRT_PARSERS_ENCODE_H
#define PSIRT_PARSERS_ENCODE_H

struct buf;

/* "Name: value\n", folded or RFC 2047-encoded (malloc'd). */
char	*header_encode(const char *name, const char *value);
/* A display name: a quoted-string if ASCII, else encoded-words. */
void	 header_encode_phrase(struct buf *, const char *name);

#endif
