/*
 * keys.c: `psirt-agent key import FILE [--passphrase-file P]` and
 * `key list [--json]`, and the key pair `init --generate-keys` makes.
 *
 * What a file holds decides where it goes: OpenPGP data (armoured or
 * binary) to gpg; a PKCS#12 bundle or a PEM private key with its
 * certificate to the S/MIME key directory (for OpenSSL) and to gpgsm
 * (RSA keys; an EC key would crash gpgsm 2.2, so only its certificate);
 * a certificate alone (PEM or DER) to gpgsm.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

#include <sodium.h>

#include "agent/agent.h"
#include "crypto/cms.h"
#include "agent/config.h"
#include "crypto/gpg.h"
#include "cli/keys.h"
#include "util/log.h"
#include "crypto/unwrap.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/xmalloc.h"
#include "parsers/armor.h"
#include "spool/store.h"
#include "spool/store_keys.h"

cmd_fn	cmd_key;

static int	 read_all(const char *, size_t, struct buf *, char **);
static int	 key_import(struct agent *, const char *, const char *);
static int	 key_list(struct agent *, int);
static int	 key_pin(struct agent *, const char *, const char *,
		    const char *);
static int	 smime_trust(const char *, const char *, char **);
static int	 to_gpgsm(struct gpg *, const char *, struct cms_key *,
		    char **);

/*
 * The key into gpgsm. gpgsm 2.2 now and then (about one bundle in 50)
 * fails to decrypt a PKCS#12 with an empty password ("decryption
 * failed; trying charset ..."), always the same bundle: so a new one,
 * with a new salt, is made for each of up to five tries.
 */
static int
to_gpgsm(struct gpg *g, const char *keydir, struct cms_key *k, char **errstr)
{
	int	i, rv = -1;

	for (i = 0; i < 5 && rv == -1; i++) {
		if (i > 0) {
			log_info("gpgsm refused the PKCS#12 (%s); a new one",
			    *errstr);
			free(*errstr);
			*errstr = NULL;
			free(k->p12);
			k->p12 = NULL;
			if (cms_p12(keydir, k->fingerprint, &k->p12, &k->p12len,
			    errstr) == -1)
				return -1;
		}
		rv = gpg_import_p12(g, k->p12, k->p12len, errstr);
	}
	return rv;
}

static int
read_all(const char *path, size_t max, struct buf *b, char **errstr)
{
	FILE	*fp;
	char	 blk[8192];
	size_t	 n;

	buf_init(b);
	if ((fp = fopen(path, "rb")) == NULL) {
		*errstr = xasprintf("%s: %s", path, strerror(errno));
		return -1;	/* b stays initialised, empty */
	}
	while ((n = fread(blk, 1, sizeof(blk), fp)) > 0) {
		buf_add(b, blk, n);
		if (b->len > max) {
			fclose(fp);
			*errstr = xasprintf("%s: larger than %zu bytes", path,
			    max);
			return -1;
		}
	}
	n = (size_t)ferror(fp);
	fclose(fp);
	if (n) {
		*errstr = xasprintf("%s: read error", path);
		return -1;
	}
	return 0;
}

/*
 * Our own self-signed S/MIME certificate must be trusted by gpgsm to
 * sign with it: "FPR S relax" in trustlist.txt (gpg-agent rereads it
 * when told; keys_smime_generate's caller starts no agent before).
 */
static int
smime_trust(const char *home, const char *fpr, char **errstr)
{
	FILE	*fp;
	char	*path = xasprintf("%s/trustlist.txt", home);
	size_t	 i;

	if ((fp = fopen(path, "a")) == NULL) {
		*errstr = xasprintf("%s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	for (i = 0; fpr[i]; i += 2)
		fprintf(fp, "%s%.2s", i ? ":" : "", fpr + i);
	fprintf(fp, " S relax\n");
	free(path);
	if (fclose(fp) == EOF) {
		*errstr = xstrdup("write trustlist.txt");
		return -1;
	}
	return 0;
}

int
keys_generate(struct gpg *g, const char *home, const char *addr,
    const char *name, char **fpr, char **smime_fpr, char **errstr)
{
	struct cms_key	 k;
	char		*uid, *dir;
	int		 rv;

	uid = xasprintf("%s <%s>", name, addr);
	rv = gpg_generate(g, uid, fpr, errstr);
	free(uid);
	if (rv == -1)
		return -1;
	dir = xasprintf("%s/smime", home);
	memset(&k, 0, sizeof(k));
	rv = cms_generate(dir, addr, name, &k, errstr);
	if (rv == 0)
		rv = to_gpgsm(g, dir, &k, errstr);
	free(dir);
	if (rv == -1) {
		cms_key_free(&k);
		return -1;
	}
	if (rv == 0)
		rv = smime_trust(home, k.fingerprint, errstr);
	*smime_fpr = rv == 0 ? xstrdup(k.fingerprint) : NULL;
	cms_key_free(&k);
	return rv;
}

static int
key_import(struct agent *a, const char *file, const char *passfile)
{
	struct crypto	 c;
	struct cms_key	 k;
	struct buf	 in, pass;
	char		*err = NULL, **fprs = NULL;
	size_t		 nf = 0, i;
	int		 n = 0, r;

	if (passfile == NULL)
		buf_init(&pass);
	else {
		if (read_all(passfile, 4096, &pass, &err) == -1)
			goto fail;
		while (pass.len && (pass.s[pass.len - 1] == '\n' ||
		    pass.s[pass.len - 1] == '\r'))
			pass.s[--pass.len] = '\0';
	}
	if (read_all(file, a->cf->limits.message_size, &in, &err) == -1)
		goto fail_in;
	agent_crypto(a, &c);
	if (c.gpg == NULL) {
		err = xstrdup("GnuPG is not available");
		goto fail_in;
	}
	/* armour, or a binary key (a public or secret key packet first) */
	if (armor_is_openpgp(in.s, in.len) ||
	    armor_packet_tag(in.s, in.len) == 5 ||
	    armor_packet_tag(in.s, in.len) == 6) {
		if (gpg_import(c.gpg, GPG_PGP, in.s, in.len, &n, &fprs, &nf,
		    &err) == -1)
			goto fail_in;
		/*
		 * The agent works unattended: a secret key that came with a
		 * passphrase is kept without one (in the 0700 GnuPG home).
		 */
		for (i = 0; passfile && i < nf; i++) {
			if (!gpg_has_secret(c.gpg, fprs[i]))
				continue;
			if (gpg_unprotect(c.gpg, fprs[i], pass.s, &err) == -1) {
				strv_free(fprs, nf);
				goto fail_in;
			}
		}
		strv_free(fprs, nf);
		printf("%s: %d OpenPGP key(s) imported\n", file, n);
		goto done;
	}
	r = cms_key_store(c.smime_keydir, in.s, in.len,
	    passfile ? pass.s : NULL, &k, &err);
	if (r == -1)
		goto fail_in;
	if (r == 1) {
		if (k.p12)
			r = to_gpgsm(c.gpg, c.smime_keydir, &k, &err);
		else
			r = gpg_import(c.gpg, GPG_CMS, k.cert_der,
			    k.cert_derlen, &n, NULL, NULL, &err);
		if (r == -1) {
			cms_key_free(&k);
			goto fail_in;
		}
		printf("%s: S/MIME key and certificate %s (%s) imported%s\n",
		    file, k.fingerprint, k.subject, k.p12 ? "" :
		    "; gpgsm has the certificate, OpenSSL the key");
		cms_key_free(&k);
		goto done;
	}
	if (gpg_import(c.gpg, GPG_CMS, in.s, in.len, &n, NULL, NULL,
	    &err) == -1) {
		free(err);
		err = xasprintf("%s: neither an OpenPGP key, a PKCS#12 "
		    "bundle, a PEM private key nor a certificate", file);
		goto fail_in;
	}
	printf("%s: %d certificate(s) imported\n", file, n);
done:
	sodium_memzero(in.s, in.len);
	buf_free(&in);
	sodium_memzero(pass.s, pass.len);
	buf_free(&pass);
	return EX_OK;
fail_in:
	sodium_memzero(in.s, in.len);
	buf_free(&in);
fail:
	sodium_memzero(pass.s, pass.len);
	buf_free(&pass);
	log_warnx("key import: %s", err);
	free(err);
	return EX_DATAERR;
}

static int
key_list(struct agent *a, int as_json)
{
	struct crypto	 c;
	struct gpg_key	*k[2] = { NULL, NULL };
	struct store_pin *pins = NULL;
	size_t		 n[2] = { 0, 0 }, p, i, np = 0, q;
	struct buf	 b, pf;
	struct json	 j;
	char		*err = NULL;

	if (agent_open(a, 0, &err) < 0 ||
	    store_pins(a->st, &pins, &np, &err) == -1) {
		log_warnx("key list: %s", err);
		free(err);
		return EX_TEMPFAIL;
	}
	agent_crypto(a, &c);
	if (c.gpg == NULL) {
		log_warnx("key list: GnuPG is not available");
		return EX_UNAVAILABLE;
	}
	for (p = 0; p < 2; p++)
		if (gpg_keys(c.gpg, p == 0 ? GPG_PGP : GPG_CMS, NULL, &k[p],
		    &n[p], &err) == -1) {
			log_warnx("%s", err);
			free(err);
			gpg_keys_free(k[0], n[0]);
			return EX_UNAVAILABLE;
		}
	buf_init(&b);
	json_init(&j, &b);
	if (as_json)
		json_arr_begin(&j);
	for (p = 0; p < 2; p++)
		for (i = 0; i < n[p]; i++) {
			const struct gpg_key *x = &k[p][i];

			buf_init(&pf);
			for (q = 0; q < np; q++)
				if (strcmp(pins[q].protocol, x->proto) == 0 &&
				    strcasecmp(pins[q].fingerprint,
				    x->fingerprint) == 0) {
					if (pf.len)
						buf_putc(&pf, ',');
					buf_puts(&pf, pins[q].addr);
				}
			if (!as_json) {
				printf("%-5s %s %s %s%s%s%s%s\n", x->proto,
				    x->secret ? "sec" : "pub",
				    x->fingerprint, x->uid,
				    x->revoked ? " [revoked]" : "",
				    x->expired ? " [expired]" : "",
				    pf.len ? " [pinned for " : "",
				    pf.len ? pf.s : "");
				if (pf.len)
					printf("]\n");
				buf_free(&pf);
				continue;
			}
			json_obj_begin(&j);
			json_kstr(&j, "protocol", x->proto);
			json_kstr(&j, "fingerprint", x->fingerprint);
			json_kstr(&j, "uid", x->uid);
			json_kstr(&j, "addresses", x->addrs);
			json_key(&j, "secret");
			json_bool(&j, x->secret);
			json_key(&j, "revoked");
			json_bool(&j, x->revoked);
			json_key(&j, "expired");
			json_bool(&j, x->expired);
			json_kstr(&j, "pinned_for", pf.len ? pf.s : NULL);
			json_obj_end(&j);
			buf_free(&pf);
		}
	if (as_json) {
		json_arr_end(&j);
		printf("%s\n", b.s);
	}
	buf_free(&b);
	gpg_keys_free(k[0], n[0]);
	gpg_keys_free(k[1], n[1]);
	store_pins_free(pins, np);
	return EX_OK;
}

/* `key pin ADDRESS FINGERPRINT [--smime]`: an operator's decision. */
static int
key_pin(struct agent *a, const char *addr, const char *fpr,
    const char *proto)
{
	struct crypto	 c;
	char		*err = NULL, *d;

	if (agent_open(a, 0, &err) < 0)
		goto fail;
	agent_crypto(a, &c);
	if (!gpg_key_has_addr(c.gpg, strcmp(proto, "pgp") == 0 ? GPG_PGP :
	    GPG_CMS, fpr, addr)) {
		err = xasprintf("no valid %s key %s with address %s", proto,
		    fpr, addr);
		goto fail;
	}
	if (store_begin(a->st, &err) == -1)
		goto fail;
	d = xasprintf("%s key %s pinned for %s by an operator", proto, fpr,
	    addr);
	if (store_pin_set(a->st, addr, proto, fpr, "operator", &err) == -1 ||
	    store_event_add(a->st, NULL, "key-pinned", d, "operator",
	    &err) == -1 || store_commit(a->st, &err) == -1) {
		free(d);
		store_rollback(a->st);
		goto fail;
	}
	printf("%s\n", d);
	free(d);
	return EX_OK;
fail:
	log_warnx("key pin: %s", err);
	free(err);
	return EX_DATAERR;
}

int
cmd_key(struct agent *a, int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "import") == 0) {
		if (argc == 3)
			return key_import(a, argv[2], NULL);
		if (argc == 5 && strcmp(argv[3], "--passphrase-file") == 0)
			return key_import(a, argv[2], argv[4]);
	}
	if (argc == 4 && strcmp(argv[1], "pin") == 0)
		return key_pin(a, argv[2], argv[3], "pgp");
	if (argc == 5 && strcmp(argv[1], "pin") == 0 &&
	    strcmp(argv[4], "--smime") == 0)
		return key_pin(a, argv[2], argv[3], "smime");
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return key_list(a, 0);
	if (argc == 3 && strcmp(argv[1], "list") == 0 &&
	    strcmp(argv[2], "--json") == 0)
		return key_list(a, 1);
	fprintf(stderr, "usage: psirt-agent key import FILE "
	    "[--passphrase-file FILE] | key list [--json] |\n"
	    "       key pin ADDRESS FINGERPRINT [--smime]\n");
	return EX_USAGE;
}
