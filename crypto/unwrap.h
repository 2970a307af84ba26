/*
 * unwrap: a message with its encryption and signatures taken off.
 *
 * Input: the message as spooled. Output: the message as a reader sees
 * it: every PGP/MIME, S/MIME (enveloped, auth-enveloped, opaque signed),
 * inline PGP and encrypted attachment layer that could be opened is
 * replaced by its content, every multipart/signed by its signed part,
 * and a PGP/MIME protected Subject replaces the outer one. Each layer is
 * a splice of the byte range mime_parse() reports, then a new parse, up
 * to crypto_layers_limit rounds, so nestings in any order come apart
 * one after the other. A layer that cannot be opened stays as it is
 * (the ciphertext is an attachment) and its reason is kept.
 *
 * The message's signature is the first one over its content: not one
 * over encrypted data (it proves nothing about the content), not one
 * inside an attached message. Every other verdict is listed in notes.
 */
#ifndef PSIRT_AGENT_UNWRAP_H
#define PSIRT_AGENT_UNWRAP_H

#include <stddef.h>

#include "crypto/gpg.h"
#include "parsers/limits.h"

struct crypto {
	struct gpg		*gpg;		/* NULL: no crypto at all */
	const char		*smime_keydir;	/* OpenSSL fallback keys */
	const struct limits	*lim;
};

struct unwrap {
	char		*buf;		/* the message as read, when changed;
					 * NULL: the input is (no copy) */
	size_t		 len;
	int		 changed;	/* a layer was taken off */
	const char	*encryption;	/* "pgp", "smime" or NULL */
	int		 decrypted;	/* every encrypted layer opened */
	const char	*decrypted_by;	/* "gpg", "gpgsm" or "openssl" */
	char		*error;		/* why a layer stayed closed */
	int		 has_sig;
	struct sig_info	 sig;		/* the message's signature */
	int		 sig_whole;	/* it covers the whole message */
	int		 sig_subject;	/* the Subject is a protected one
					 * that the signature covers */
	char		*notes;		/* "; "-joined, or NULL */
	char		**keys;		/* OpenPGP public keys found */
	size_t		*keylens;
	size_t		 nkeys;
};

/* 0, or -1 only on a fault that a retry may cure (*errstr). */
int	 unwrap(const struct crypto *, const char *, size_t, struct unwrap *,
	    char **errstr);
void	 unwrap_free(struct unwrap *);
/* unwrap() in a child process that may take at most `limit` seconds;
 * past it, or if the child dies, the message is kept as it came and
 * u->error says why. */
int	 unwrap_timed(const struct crypto *, const char *, size_t,
	    long long limit, struct unwrap *, char **errstr);
/* Does the signer have this address (case-insensitive)? */
int	 unwrap_from_matches(const struct unwrap *, const char *addr);

#endif
