/*
 * gpg: OpenPGP (gpg) and CMS (gpgsm) through GPGME; the only GPGME user.
 *
 * One struct gpg per process, opened on the instance's GnuPG home. Every
 * operation runs offline (no key servers, no dirmngr, no CRL fetch) with
 * loopback pinentry and an empty passphrase, so nothing can wait on a
 * terminal. Output is cut at max_out bytes (a decompression bomb ends
 * with an error, not with a full disk). Errors fill *reason (malloc'd)
 * and never contain decrypted data.
 */
#ifndef PSIRT_AGENT_GPG_H
#define PSIRT_AGENT_GPG_H

#include <stddef.h>

struct gpg;

enum gpg_proto { GPG_PGP, GPG_CMS };

enum sig_status {
	SIG_VALID, SIG_BAD, SIG_UNKNOWN_KEY, SIG_EXPIRED, SIG_REVOKED,
	SIG_ERROR
};

struct sig_info {
	enum sig_status	 status;
	const char	*proto;		/* "pgp" or "smime" */
	char		*fingerprint;	/* key or certificate; or key ID */
	char		*signer;	/* user ID or certificate subject */
	char		*addrs;		/* the key's addresses, lowercased,
					 * comma-joined, or NULL */
	int		 trusted;	/* chain/ownertrust says so */
	long long	 created;	/* signature time, 0 if unknown */
	char		*detail;	/* GPGME's words, or NULL */
};

struct gpg_key {
	char		*fingerprint;
	char		*uid;		/* first user ID / subject */
	char		*addrs;		/* comma-joined, or NULL */
	const char	*proto;
	int		 secret;
	int		 revoked, expired;
	long long	 expires;	/* 0: never */
};

int	 gpg_open(const char *home, size_t max_out, struct gpg **,
	    char **errstr);
void	 gpg_close(struct gpg **);
/*
 * The keyring lock of a GnuPG home: flock(2) on HOME/psirt-keyring.lock,
 * which every operation here takes, shared to read the keyring and
 * exclusive to change it (gpg replaces pubring.kbx in two renames; a gpg
 * reading it meanwhile fails). HOME/psirt-keyring.gate, held while
 * waiting for it, keeps readers from holding off a writer. Another tool
 * that changes the keyring takes both, in this order: flock
 * HOME/psirt-keyring.gate flock HOME/psirt-keyring.lock gpg --import ...
 * Returns an fd to close to release it, or -1 (no lock could be had;
 * the caller goes on without).
 */
int	 gpg_home_lock(const char *home, int exclusive);

/* Decrypt (and verify what is signed inside, OpenPGP). 0 or -1. */
int	 gpg_decrypt(struct gpg *, enum gpg_proto, const char *, size_t,
	    char **out, size_t *outlen, struct sig_info **, size_t *nsig,
	    char **reason);
/*
 * Verify: detached (signed_text given), or opaque / cleartext-signed
 * (signed_text NULL; the signed content goes to *out). 0 when gpg could
 * judge the signature (whatever the verdict), -1 when it could not.
 */
int	 gpg_verify(struct gpg *, enum gpg_proto, const char *sig,
	    size_t siglen, const char *signed_text, size_t stlen,
	    char **out, size_t *outlen, struct sig_info **, size_t *nsig,
	    char **reason);
void	 sig_info_free(struct sig_info *, size_t);
const char *sig_status_name(enum sig_status);

/* Import keys or certificates; *nimported counts new or changed ones;
 * fprs (may be NULL) gets the fingerprints imported (strv_free). */
int	 gpg_import(struct gpg *, enum gpg_proto, const char *, size_t,
	    int *nimported, char ***fprs, size_t *nfprs, char **reason);
/* Is addr a valid user ID address of that key (not revoked/expired)? */
int	 gpg_key_has_addr(struct gpg *, enum gpg_proto, const char *fpr,
	    const char *addr);
/* OpenPGP: encrypt to recipient (and to signer, who signs), armoured. */
int	 gpg_encrypt_sign(struct gpg *, const char *recipient,
	    const char *signer, const char *, size_t, char **out,
	    size_t *outlen, char **reason);
/* OpenPGP: a detached, armoured signature by signer over in; *micalg
 * the hash as RFC 3156 names it ("pgp-sha256"; malloc'd). */
int	 gpg_sign_detached(struct gpg *, const char *signer, const char *,
	    size_t, char **out, size_t *outlen, char **micalg,
	    char **reason);
/* A PKCS#12 bundle with an empty passphrase into gpgsm. */
int	 gpg_import_p12(struct gpg *, const char *, size_t, char **reason);
int	 gpg_keys(struct gpg *, enum gpg_proto, const char *pattern,
	    struct gpg_key **, size_t *, char **reason);
void	 gpg_keys_free(struct gpg_key *, size_t);
/* Is there an OpenPGP secret key with this fingerprint? */
int	 gpg_has_secret(struct gpg *, const char *fpr);
/* Remove the passphrase of an imported OpenPGP secret key. */
int	 gpg_unprotect(struct gpg *, const char *fpr, const char *pass,
	    char **reason);
/* A new OpenPGP key (sign + encrypt, no passphrase); *fpr malloc'd. */
int	 gpg_generate(struct gpg *, const char *uid, char **fpr,
	    char **reason);
#define GPG_EXPORT_ARMOR	1
#define GPG_EXPORT_MINIMAL	2	/* no third-party signatures */
/* Export public key(s) or certificates matching pattern. */
int	 gpg_export(struct gpg *, enum gpg_proto, const char *pattern,
	    int flags, char **out, size_t *outlen, char **reason);

#endif
