/*
 * wrap: a composed reply, encrypted for its recipient (the opposite of
 * unwrap). OpenPGP: RFC 3156 multipart/encrypted, signed and encrypted
 * in one OpenPGP message, with protected headers (the real Subject,
 * From and To inside; outside only outer_subject). S/MIME (RFC 8551):
 * multipart/signed inside enveloped-data. Both are encrypted to our own
 * key too, so the copy kept in the outbox stays readable to the team.
 */
#ifndef PSIRT_AGENT_WRAP_H
#define PSIRT_AGENT_WRAP_H

#include <stddef.h>

struct crypto;

struct wrap_to {
	const char	*proto;		/* "pgp" or "smime" */
	const char	*fingerprint;	/* the recipient's key/cert */
	const char	*signer;	/* ours for that protocol, or "" */
};

/* A whole message (*text, *len: malloc'd, LF line ends, as
 * reply_compose makes it) replaced by its signed and encrypted form; 0,
 * or -1 with *errstr (the message unchanged). */
int	 wrap_reply(const struct crypto *, const struct wrap_to *,
	    char **text, size_t *len, const char *outer_subject,
	    char **errstr);

/* A whole message replaced by its OpenPGP/MIME signed form (RFC 3156
 * multipart/signed, signer's detached signature; 8-bit text re-encoded
 * as base64 inside): 0, or -1 with *errstr (the message unchanged). */
int	 wrap_sign(const struct crypto *, const char *signer, char **text,
	    size_t *len, char **errstr);

#endif
