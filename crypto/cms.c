/*
 * cms.c: the OpenSSL side of S/MIME. See cms.h.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "crypto/cms.h"
#include "util/xmalloc.h"

static void	 providers(void);
static char	*ossl_err(const char *);
static int	 write_pem(const char *, EVP_PKEY *, X509 *, char **);
static int	 load_pair(const char *, const char *, EVP_PKEY **, X509 **,
		    char **);
static int	 make_p12(EVP_PKEY *, X509 *, char **, size_t *, char **);
static int	 finish_key(const char *, EVP_PKEY *, X509 *, struct cms_key *,
		    char **);

/* The legacy provider reads the RC2/40 PKCS#12 files NSS and old
 * Windows write; the default one everything else. */
static OSSL_PROVIDER	*prov_legacy, *prov_default;

static void
providers(void)
{
	if (prov_default != NULL)
		return;
	prov_legacy = OSSL_PROVIDER_load(NULL, "legacy");
	prov_default = OSSL_PROVIDER_load(NULL, "default");
}

void
cms_done(void)
{
	if (prov_legacy)
		OSSL_PROVIDER_unload(prov_legacy);
	if (prov_default)
		OSSL_PROVIDER_unload(prov_default);
	prov_legacy = prov_default = NULL;
}

static char *
ossl_err(const char *what)
{
	unsigned long	e = ERR_peek_last_error();	/* the outermost */
	char		b[256];

	ERR_clear_error();
	if (e == 0)
		return xasprintf("%s failed", what);
	ERR_error_string_n(e, b, sizeof(b));
	return xasprintf("%s: %s", what, b);
}

int
cms_decrypt(const char *keydir, const char *der, size_t len, size_t max_out,
    char **out, size_t *outlen, char **reason)
{
	CMS_ContentInfo	*cms = NULL;
	BIO		*in, *ob;
	DIR		*d;
	struct dirent	*de;
	char		*path, *last = NULL;
	BUF_MEM		*bm;
	int		 ok = 0, tried = 0;

	providers();
	*out = NULL;
	in = BIO_new_mem_buf(der, (int)len);
	if (in == NULL || (cms = d2i_CMS_bio(in, NULL)) == NULL) {
		*reason = ossl_err("CMS structure");
		BIO_free(in);
		return -1;
	}
	BIO_free(in);
	if ((d = opendir(keydir)) == NULL) {
		*reason = xasprintf("no S/MIME key for OpenSSL (%s: %s)",
		    keydir, strerror(errno));
		CMS_ContentInfo_free(cms);
		return -1;
	}
	while (!ok && (de = readdir(d)) != NULL) {
		size_t		 nl = strlen(de->d_name);
		EVP_PKEY	*pk = NULL;
		X509		*crt = NULL;
		FILE		*fp;

		if (nl < 9 || strcmp(de->d_name + nl - 8, ".key.pem") != 0)
			continue;
		path = xasprintf("%s/%s", keydir, de->d_name);
		if ((fp = fopen(path, "r")) != NULL) {
			pk = PEM_read_PrivateKey(fp, NULL, NULL, (void *)"");
			crt = PEM_read_X509(fp, NULL, NULL, NULL);
			fclose(fp);
		}
		free(path);
		if (pk == NULL || crt == NULL) {
			EVP_PKEY_free(pk);
			X509_free(crt);
			ERR_clear_error();
			continue;
		}
		tried++;
		ob = BIO_new(BIO_s_mem());
		if (ob && CMS_decrypt(cms, pk, crt, NULL, ob, CMS_BINARY) ==
		    1) {
			BIO_get_mem_ptr(ob, &bm);
			if (bm->length > max_out) {
				free(last);
				last = xasprintf("decrypted data exceeds "
				    "decrypted_size_limit (%zu bytes)",
				    max_out);
			} else {
				*out = xstrndup(bm->data, bm->length);
				*outlen = bm->length;
				ok = 1;
			}
		} else {
			free(last);
			last = ossl_err("OpenSSL CMS decrypt");
		}
		BIO_free(ob);
		EVP_PKEY_free(pk);
		X509_free(crt);
	}
	closedir(d);
	CMS_ContentInfo_free(cms);
	if (ok) {
		free(last);
		return 0;
	}
	if (tried == 0) {
		free(last);
		*reason = xstrdup("no S/MIME private key in the key "
		    "directory");
	} else
		*reason = last ? last : xstrdup("no matching S/MIME key");
	return -1;
}

/* keydir/FPR.key.pem: the key, then the certificate; mode 0600. */
static int
write_pem(const char *path, EVP_PKEY *pk, X509 *crt, char **reason)
{
	FILE	*fp;
	int	 fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1 ||
	    (fp = fdopen(fd, "w")) == NULL) {
		*reason = xasprintf("create %s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	if (!PEM_write_PrivateKey(fp, pk, NULL, NULL, 0, NULL, NULL) ||
	    !PEM_write_X509(fp, crt) || fflush(fp) == EOF ||
	    fsync(fd) == -1) {
		*reason = xasprintf("write %s", path);
		fclose(fp);
		return -1;
	}
	if (fclose(fp) == EOF) {
		*reason = xasprintf("write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* A PKCS#12 gpgsm 2.2 reads: 3DES, SHA-1 MAC, empty password. */
static int
make_p12(EVP_PKEY *pk, X509 *crt, char **out, size_t *len, char **reason)
{
	PKCS12		*p12;
	unsigned char	*p;
	int		 n;

	p12 = PKCS12_create("", NULL, pk, crt, NULL,
	    NID_pbe_WithSHA1And3_Key_TripleDES_CBC,
	    NID_pbe_WithSHA1And3_Key_TripleDES_CBC, 0, -1, 0);
	if (p12 == NULL || !PKCS12_set_mac(p12, "", -1, NULL, 0, 2048,
	    EVP_sha1()) || (n = i2d_PKCS12(p12, NULL)) <= 0) {
		PKCS12_free(p12);
		*reason = ossl_err("PKCS#12 for gpgsm");
		return -1;
	}
	*out = xmalloc((size_t)n);
	p = (unsigned char *)*out;
	*len = (size_t)i2d_PKCS12(p12, &p);
	PKCS12_free(p12);
	return 0;
}

int
cms_p12(const char *keydir, const char *fpr, char **out, size_t *len,
    char **reason)
{
	EVP_PKEY	*pk;
	X509		*crt;
	int		 rv;

	providers();
	if (load_pair(keydir, fpr, &pk, &crt, reason) == -1)
		return -1;
	rv = make_p12(pk, crt, out, len, reason);
	EVP_PKEY_free(pk);
	X509_free(crt);
	return rv;
}

static int
finish_key(const char *keydir, EVP_PKEY *pk, X509 *crt, struct cms_key *k,
    char **reason)
{
	unsigned char	 md[EVP_MAX_MD_SIZE], *p;
	unsigned int	 mdl, i;
	char		*path, sub[512];
	int		 n;

	memset(k, 0, sizeof(*k));
	if (X509_check_private_key(crt, pk) != 1) {
		*reason = xstrdup("the private key does not belong to the "
		    "certificate");
		ERR_clear_error();
		return -1;
	}
	if (!X509_digest(crt, EVP_sha1(), md, &mdl)) {
		*reason = ossl_err("certificate digest");
		return -1;
	}
	k->fingerprint = xcalloc(mdl * 2 + 1, 1);
	for (i = 0; i < mdl; i++)
		snprintf(k->fingerprint + i * 2, 3, "%02X", md[i]);
	X509_NAME_oneline(X509_get_subject_name(crt), sub, sizeof(sub));
	k->subject = xstrdup(sub);
	if (mkdir(keydir, 0700) == -1 && errno != EEXIST) {
		*reason = xasprintf("mkdir %s: %s", keydir, strerror(errno));
		goto fail;
	}
	path = xasprintf("%s/%s.key.pem", keydir, k->fingerprint);
	n = write_pem(path, pk, crt, reason);
	free(path);
	if (n == -1)
		goto fail;
	if ((n = i2d_X509(crt, NULL)) > 0) {
		k->cert_der = xmalloc((size_t)n);
		p = (unsigned char *)k->cert_der;
		k->cert_derlen = (size_t)i2d_X509(crt, &p);
	}
	if (EVP_PKEY_get_base_id(pk) == EVP_PKEY_RSA &&
	    make_p12(pk, crt, &k->p12, &k->p12len, reason) == -1)
		goto fail;
	return 0;
fail:
	cms_key_free(k);
	return -1;
}

int
cms_key_store(const char *keydir, const char *in, size_t len,
    const char *pass, struct cms_key *k, char **reason)
{
	EVP_PKEY	*pk = NULL;
	X509		*crt = NULL;
	PKCS12		*p12;
	BIO		*b;
	int		 rv;

	providers();
	memset(k, 0, sizeof(*k));
	b = BIO_new_mem_buf(in, (int)len);
	if ((p12 = d2i_PKCS12_bio(b, NULL)) != NULL) {
		BIO_free(b);
		rv = PKCS12_parse(p12, pass ? pass : "", &pk, &crt, NULL);
		PKCS12_free(p12);
		if (rv != 1) {
			*reason = ossl_err("PKCS#12 (wrong passphrase?)");
			return -1;
		}
	} else {
		ERR_clear_error();
		(void)BIO_reset(b);
		pk = PEM_read_bio_PrivateKey(b, NULL, NULL,
		    (void *)(pass ? pass : ""));
		BIO_free(b);
		ERR_clear_error();
		if (pk == NULL)
			return 0;
		b = BIO_new_mem_buf(in, (int)len);
		crt = PEM_read_bio_X509(b, NULL, NULL, NULL);
		BIO_free(b);
		ERR_clear_error();
	}
	if (pk == NULL || crt == NULL) {
		EVP_PKEY_free(pk);
		X509_free(crt);
		*reason = xstrdup(pk ? "a private key without its "
		    "certificate (put both in one PEM file)" :
		    "a certificate without its private key");
		return -1;
	}
	rv = finish_key(keydir, pk, crt, k, reason);
	EVP_PKEY_free(pk);
	X509_free(crt);
	return rv == 0 ? 1 : -1;
}

int
cms_generate(const char *keydir, const char *addr, const char *name,
    struct cms_key *k, char **reason)
{
	EVP_PKEY	*pk;
	X509		*crt;
	X509_NAME	*nm;
	X509V3_CTX	 ctx;
	X509_EXTENSION	*ex;
	char		*san;
	int		 rv = -1, i;
	static const char *const ext[][2] = {
		{ "basicConstraints", "critical,CA:FALSE" },
		{ "keyUsage", "critical,digitalSignature,keyEncipherment" },
		{ "extendedKeyUsage", "emailProtection" },
	};

	providers();
	if ((pk = EVP_RSA_gen(3072)) == NULL) {
		*reason = ossl_err("RSA key");
		return -1;
	}
	crt = X509_new();
	X509_set_version(crt, 2);
	{
		unsigned char	serial[16];
		BIGNUM		*bn;
		FILE		*fp = fopen("/dev/urandom", "r");

		if (fp == NULL || fread(serial, 1, sizeof(serial), fp) !=
		    sizeof(serial)) {
			if (fp)
				fclose(fp);
			*reason = xstrdup("no random serial");
			goto out;
		}
		fclose(fp);
		serial[0] &= 0x7f;
		bn = BN_bin2bn(serial, sizeof(serial), NULL);
		BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(crt));
		BN_free(bn);
	}
	X509_gmtime_adj(X509_getm_notBefore(crt), -3600);
	X509_gmtime_adj(X509_getm_notAfter(crt), 5L * 365 * 86400);
	X509_set_pubkey(crt, pk);
	nm = X509_get_subject_name(crt);
	X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_UTF8,
	    (const unsigned char *)name, -1, -1, 0);
	X509_NAME_add_entry_by_txt(nm, "emailAddress", MBSTRING_ASC,
	    (const unsigned char *)addr, -1, -1, 0);
	X509_set_issuer_name(crt, nm);
	X509V3_set_ctx(&ctx, crt, crt, NULL, NULL, 0);
	san = xasprintf("email:%s", addr);
	for (i = 0; i < 4; i++) {
		ex = X509V3_EXT_conf(NULL, &ctx, i < 3 ? ext[i][0] :
		    "subjectAltName", i < 3 ? ext[i][1] : san);
		if (ex == NULL || !X509_add_ext(crt, ex, -1)) {
			X509_EXTENSION_free(ex);
			free(san);
			*reason = ossl_err("certificate extension");
			goto out;
		}
		X509_EXTENSION_free(ex);
	}
	free(san);
	if (!X509_sign(crt, pk, EVP_sha256())) {
		*reason = ossl_err("self-signature");
		goto out;
	}
	rv = finish_key(keydir, pk, crt, k, reason);
out:
	EVP_PKEY_free(pk);
	X509_free(crt);
	return rv;
}

void
cms_key_free(struct cms_key *k)
{
	free(k->fingerprint);
	free(k->subject);
	free(k->p12);
	free(k->cert_der);
	memset(k, 0, sizeof(*k));
}

/* keydir/FPR.key.pem: our key and certificate. */
static int
load_pair(const char *keydir, const char *fpr, EVP_PKEY **pk, X509 **crt,
    char **reason)
{
	char	*path = xasprintf("%s/%s.key.pem", keydir, fpr);
	FILE	*fp;

	*pk = NULL;
	*crt = NULL;
	if ((fp = fopen(path, "r")) != NULL) {
		*pk = PEM_read_PrivateKey(fp, NULL, NULL, (void *)"");
		*crt = PEM_read_X509(fp, NULL, NULL, NULL);
		fclose(fp);
	}
	if (*pk == NULL || *crt == NULL) {
		*reason = xasprintf("no S/MIME key %s in %s", fpr, keydir);
		EVP_PKEY_free(*pk);
		X509_free(*crt);
		ERR_clear_error();
		free(path);
		return -1;
	}
	free(path);
	return 0;
}

int
cms_sign_encrypt(const char *keydir, const char *signer, const char *rcpt_der,
    size_t rlen, const char *in, size_t inlen, char **out, size_t *outlen,
    char **reason)
{
	EVP_PKEY		*pk = NULL;
	X509			*crt = NULL, *rc = NULL;
	CMS_ContentInfo		*sig = NULL, *env = NULL;
	STACK_OF(X509)		*to = NULL;
	BIO			*b1 = NULL, *mid = NULL, *ob = NULL;
	BUF_MEM			*bm;
	const unsigned char	*p = (const unsigned char *)rcpt_der;
	int			 rv = -1;

	providers();
	ERR_clear_error();
	*out = NULL;
	if ((rc = d2i_X509(NULL, &p, (long)rlen)) == NULL) {
		*reason = ossl_err("recipient certificate");
		return -1;
	}
	if (signer && signer[0] && load_pair(keydir, signer, &pk, &crt,
	    reason) == -1)
		goto out;
	mid = BIO_new(BIO_s_mem());
	if (pk) {
		/*
		 * RFC 8551 multipart/signed, then enveloped. Streaming: a
		 * finished detached signature written with its data again
		 * is signed twice ("attribute error").
		 */
		b1 = BIO_new_mem_buf(in, (int)inlen);
		if ((sig = CMS_sign(crt, pk, NULL, b1, CMS_DETACHED |
		    CMS_BINARY | CMS_STREAM)) == NULL ||
		    !SMIME_write_CMS(mid, sig, b1, CMS_DETACHED | CMS_BINARY |
		    CMS_STREAM)) {
			*reason = ossl_err("S/MIME signature");
			goto out;
		}
	} else
		BIO_write(mid, in, (int)inlen);
	to = sk_X509_new_null();
	sk_X509_push(to, rc);
	if (crt)
		sk_X509_push(to, crt);
	if ((env = CMS_encrypt(to, mid, EVP_aes_256_cbc(), CMS_BINARY)) ==
	    NULL) {
		*reason = ossl_err("S/MIME encryption");
		goto out;
	}
	ob = BIO_new(BIO_s_mem());
	if (!SMIME_write_CMS(ob, env, NULL, CMS_BINARY)) {
		*reason = ossl_err("S/MIME output");
		goto out;
	}
	BIO_get_mem_ptr(ob, &bm);
	*out = xstrndup(bm->data, bm->length);
	*outlen = bm->length;
	rv = 0;
out:
	sk_X509_free(to);
	CMS_ContentInfo_free(sig);
	CMS_ContentInfo_free(env);
	BIO_free(b1);
	BIO_free(mid);
	BIO_free(ob);
	EVP_PKEY_free(pk);
	X509_free(crt);
	X509_free(rc);
	return rv;
}
