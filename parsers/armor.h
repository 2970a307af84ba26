/*
 * armor: OpenPGP ASCII armour (RFC 4880 section 6) inside text.
 *
 * Finds "-----BEGIN PGP MESSAGE-----", "-----BEGIN PGP SIGNED
 * MESSAGE-----" (cleartext signature, up to its END PGP SIGNATURE line)
 * and "-----BEGIN PGP PUBLIC KEY BLOCK-----" blocks in the decoded bytes
 * of a text part, as mail clients write them: a BEGIN line may be
 * indented, lines may end in CRLF or LF, and a line holding only
 * whitespace or U+00A0 (a no-break space that a quoted-printable
 * encoder left on the armour's blank line) counts as empty. The
 * returned text is the block as gpg reads it: LF line ends, the armour
 * lines trimmed, the signed text of a cleartext signature unchanged.
 * Trust: none; linear in the input, at most max blocks.
 */
#ifndef PSIRT_PARSERS_ARMOR_H
#define PSIRT_PARSERS_ARMOR_H

#include <stddef.h>

enum armor_kind {
	ARMOR_MESSAGE,		/* encrypted (or signed) OpenPGP message */
	ARMOR_SIGNED,		/* cleartext signature */
	ARMOR_PUBKEY		/* public key block */
};

struct armor_block {
	enum armor_kind	 kind;
	size_t		 off;	/* start of the BEGIN line's indent */
	size_t		 len;	/* through the END line (without its EOL) */
	char		*text;	/* normalised block, NUL-terminated */
	size_t		 textlen;
};

/* Complete blocks only (an unterminated one is not returned). */
size_t	armor_find(const char *s, size_t n, size_t max,
	    struct armor_block **out);
void	armor_free(struct armor_block *, size_t);
/* Does s look like an OpenPGP message, armoured or binary (the tag of
 * an encrypted, signed or compressed packet first)? */
int	armor_is_openpgp(const char *s, size_t n);
/* The packet tag of binary OpenPGP data (5 secret key, 6 public key,
 * ...), or -1 if s does not start with a packet header. */
int	armor_packet_tag(const char *s, size_t n);

#endif
