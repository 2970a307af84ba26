/*
 * cms: S/MIME with OpenSSL's libcrypto; the only libcrypto user.
 *
 * gpgsm 2.2 (Debian 12) cannot decrypt RSA-OAEP key transport, ECDH key
 * agreement or AuthEnvelopedData (AES-GCM), and crashes importing an EC
 * PKCS#12. So every S/MIME private key the agent is given is also kept
 * as PEM in the key directory (mode 0600, in the 0700 GnuPG home), and
 * cms_decrypt() is the fallback when gpgsm fails. cms_key_store() turns
 * what an operator has (PKCS#12 with a password, or PEM key and
 * certificate) into those files plus a PKCS#12 that gpgsm can import
 * (3DES, SHA-1 MAC, empty password).
 */
#ifndef PSIRT_AGENT_CMS_H
#define PSIRT_AGENT_CMS_H

#include <stddef.h>

struct cms_key {
	char	*fingerprint;	/* SHA-1 of the certificate, hex */
	char	*subject;
	char	*p12;		/* for gpgsm: RSA keys only, else NULL */
	size_t	 p12len;
	char	*cert_der;	/* the certificate alone */
	size_t	 cert_derlen;
};

/* DER CMS (EnvelopedData or AuthEnvelopedData) with any stored key. */
int	 cms_decrypt(const char *keydir, const char *der, size_t len,
	    size_t max_out, char **out, size_t *outlen, char **reason);
/* 1 and *k if `in` holds a private key (PKCS#12 or PEM); 0 if it has
 * none (nothing stored); -1 on error. */
int	 cms_key_store(const char *keydir, const char *in, size_t len,
	    const char *pass, struct cms_key *k, char **reason);
/* A self-signed RSA certificate for addr, stored like an import. */
int	 cms_generate(const char *keydir, const char *addr, const char *name,
	    struct cms_key *k, char **reason);
void	 cms_key_free(struct cms_key *);
/* A new PKCS#12 for gpgsm (fresh salt) of the stored key fpr. */
int	 cms_p12(const char *keydir, const char *fpr, char **out,
	    size_t *len, char **reason);
/* Release what OpenSSL was given (at exit). */
void	 cms_done(void);
/*
 * A reply: the MIME entity `in` signed with our key (signer: its
 * fingerprint, NULL for none) as multipart/signed, then enveloped
 * (AES-256-CBC) for the recipient's certificate (DER) and ours. *out is
 * the application/pkcs7-mime entity, header fields included.
 */
int	 cms_sign_encrypt(const char *keydir, const char *signer,
	    const char *rcpt_der, size_t rlen, const char *in, size_t inlen,
	    char **out, size_t *outlen, char **reason);

#endif
