/*
 * gpg.c: GPGME contexts for OpenPGP and CMS. See gpg.h.
 *
 * Trust: the data is hostile; gpg and gpgsm parse it in their own
 * processes. Our side only bounds the output and maps results.
 */
#include <sys/file.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <gpgme.h>
#include <sodium.h>

#include "crypto/gpg.h"
#include "util/log.h"
#include "util/buf.h"
#include "util/xmalloc.h"

struct gpg {
	size_t		 max_out;
	char		*home;
	int		 lock_fd;	/* the keyring lock, while held */
	int		 lock_depth;	/* contexts that hold it */
};

/*
 * What an operation does to the keyring that gpg and gpgsm share
 * (pubring.kbx). A writer rewrites the file beside it and renames it
 * into place in two steps: a gpg that reads it meanwhile finds no file
 * and reports no signature, no key, or aborts on an assertion. So
 * every process of an instance (parallel workers, poll, tick, key
 * commands) takes a lock on a file in the home: shared to read,
 * exclusive to write.
 */
enum kr_use {
	KR_NONE,	/* no keyring access (engine version checks) */
	KR_READ,	/* verify, decrypt, key listing, export, encrypt */
	KR_WRITE	/* import, key generation, passphrase removal,
			   gpgsm verify (it stores the certificates a
			   signature carries) */
};

/* An output sink that refuses to grow past a limit. */
struct sink {
	struct buf	 b;
	size_t		 max;
	int		 overflow;
};

static ssize_t	 sink_write(void *, const void *, size_t);
static gpgme_error_t passphrase_cb(void *, const char *, const char *, int,
		    int);
static char	*why(const char *, gpgme_error_t);
static gpgme_ctx_t ctx_new(struct gpg *, enum gpg_proto, enum kr_use,
		    char **);
static void	 ctx_done(struct gpg *, gpgme_ctx_t);
static void	 kr_lock(struct gpg *, enum kr_use);
static void	 kr_unlock(struct gpg *);
static void	 sig_fill(struct gpg *, enum gpg_proto, gpgme_signature_t,
		    struct sig_info *);
static void	 sigs_from(struct gpg *, enum gpg_proto, gpgme_ctx_t,
		    struct sig_info **, size_t *);
static char	*key_addrs(gpgme_key_t);

static ssize_t
sink_write(void *h, const void *p, size_t n)
{
	struct sink	*s = h;

	if (s->b.len + n > s->max) {
		s->overflow = 1;
		errno = EFBIG;
		return -1;
	}
	buf_add(&s->b, p, n);
	return (ssize_t)n;
}

/* Keys are stored without a passphrase: answer the empty one, once. */
static gpgme_error_t
passphrase_cb(void *h, const char *uid_hint, const char *info, int prev_bad,
    int fd)
{
	(void)h;
	(void)uid_hint;
	(void)info;
	if (prev_bad)
		return gpg_error(GPG_ERR_CANCELED);
	if (gpgme_io_writen(fd, "\n", 1) != 0)
		return gpg_error_from_syserror();
	return 0;
}

static char *
why(const char *what, gpgme_error_t e)
{
	return xasprintf("%s: %s", what, gpgme_strerror(e));
}

int
gpg_open(const char *home, size_t max_out, struct gpg **gp, char **errstr)
{
	struct gpg	*g;
	gpgme_ctx_t	 c;
	char		*err = NULL;
	int		 i;

	if (gpgme_check_version(NULL) == NULL) {
		*errstr = xstrdup("GPGME initialisation failed");
		return -1;
	}
	g = xcalloc(1, sizeof(*g));
	g->max_out = max_out;
	g->home = xstrdup(home);
	g->lock_fd = -1;
	/*
	 * The home for every context, set once: a context given its own
	 * engine info runs `gpg --version` again, a fork per operation.
	 */
	if (gpgme_set_engine_info(GPGME_PROTOCOL_OpenPGP, NULL, home) != 0 ||
	    gpgme_set_engine_info(GPGME_PROTOCOL_CMS, NULL, home) != 0) {
		*errstr = xstrdup("GPGME: cannot set the GnuPG home");
		gpg_close(&g);
		return -1;
	}
	for (i = 0; i < 2; i++) {
		if (gpgme_engine_check_version(i == 0 ?
		    GPGME_PROTOCOL_OpenPGP : GPGME_PROTOCOL_CMS) != 0 ||
		    (c = ctx_new(g, (enum gpg_proto)i, KR_NONE,
		    &err)) == NULL) {
			if (err == NULL)
				err = xstrdup(i == 0 ? "gpg not usable" :
				    "gpgsm not usable");
			*errstr = err;
			gpg_close(&g);
			return -1;
		}
		ctx_done(g, c);
	}
	*gp = g;
	return 0;
}

/*
 * A fresh context per operation: a gpgsm server session that saw an
 * error may refuse the next command, and gpg runs once per operation
 * anyway.
 */
static gpgme_ctx_t
ctx_new(struct gpg *g, enum gpg_proto pr, enum kr_use use, char **errstr)
{
	gpgme_protocol_t	 p = pr == GPG_PGP ? GPGME_PROTOCOL_OpenPGP :
				    GPGME_PROTOCOL_CMS;
	gpgme_ctx_t		 c = NULL;
	gpgme_error_t		 e;

	/* the home was set for all contexts by gpg_open() */
	kr_lock(g, use);
	if ((e = gpgme_new(&c)) != 0 ||
	    (e = gpgme_set_protocol(c, p)) != 0 ||
	    (e = gpgme_set_pinentry_mode(c, GPGME_PINENTRY_MODE_LOOPBACK))
	    != 0) {
		*errstr = why(pr == GPG_PGP ? "gpg" : "gpgsm", e);
		if (c)
			gpgme_release(c);
		kr_unlock(g);
		return NULL;
	}
	/* GPGME's gpgsm engine has no command handler: with a passphrase
	 * callback set, decryption fails with "Not implemented" */
	if (pr == GPG_PGP) {
		gpgme_set_passphrase_cb(c, passphrase_cb, NULL);
		gpgme_set_armor(c, 1);
	}
	gpgme_set_offline(c, 1);
	return c;
}

/* The end of an operation: its context (NULL: none) and its lock. */
static void
ctx_done(struct gpg *g, gpgme_ctx_t c)
{
	if (c == NULL)
		return;
	gpgme_release(c);	/* a gpgsm server stops here */
	kr_unlock(g);
}

/*
 * Take the keyring lock for a context, or count one more holder. The
 * file is opened for each outermost holder: flock(2) locks belong to
 * an open file, which forked workers would otherwise share.
 */
static void
kr_lock(struct gpg *g, enum kr_use use)
{
	if (g == NULL || use == KR_NONE) {
		if (g)
			g->lock_depth++;	/* kr_unlock() counts it */
		return;
	}
	/* nested: the outer context holds it (no caller opens a writer
	 * inside a reader, which would keep the shared lock) */
	if (g->lock_depth++ > 0 && g->lock_fd != -1)
		return;
	if (g->lock_fd == -1)
		g->lock_fd = gpg_home_lock(g->home, use == KR_WRITE);
}

/*
 * Open (creating) and flock one file of the home; its fd, or -1 and a
 * warning (once a process). Read-only will do where the file is not
 * ours to write, except on NFS, where an exclusive flock needs it.
 */
static int
lock_file(const char *home, const char *name, int how)
{
	static int	 warned;
	char		*path;
	int		 fd;

	path = xasprintf("%s/%s", home, name);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd == -1 && (errno == EACCES || errno == EROFS))
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd != -1)
		while (flock(fd, how) == -1)
			if (errno != EINTR) {
				int	e = errno;

				close(fd);
				fd = -1;
				errno = e;
				break;
			}
	if (fd == -1 && !warned++)
		log_warn("%s: keyring operations go on without the lock",
		    path);
	free(path);
	return fd;
}

/*
 * Readers share the lock, so a writer could wait for as long as the
 * parallel workers keep reading. The way in is a second, exclusive
 * lock, held only while waiting for the first: a waiting writer holds
 * it, so readers that come after it wait behind it.
 */
int
gpg_home_lock(const char *home, int exclusive)
{
	int	gate, fd;

	gate = lock_file(home, "psirt-keyring.gate", LOCK_EX);
	fd = lock_file(home, "psirt-keyring.lock",
	    exclusive ? LOCK_EX : LOCK_SH);
	if (gate != -1)
		close(gate);
	return fd;
}

static void
kr_unlock(struct gpg *g)
{
	if (g == NULL || g->lock_depth == 0 || --g->lock_depth > 0)
		return;
	if (g->lock_fd != -1) {
		close(g->lock_fd);	/* releases the lock */
		g->lock_fd = -1;
	}
}

void
gpg_close(struct gpg **gp)
{
	struct gpg	*g = *gp;

	if (g == NULL)
		return;
	if (g->lock_fd != -1)
		close(g->lock_fd);
	free(g->home);
	free(g);
	*gp = NULL;
}

const char *
sig_status_name(enum sig_status s)
{
	switch (s) {
	case SIG_VALID:		return "valid";
	case SIG_BAD:		return "bad";
	case SIG_UNKNOWN_KEY:	return "unknown-key";
	case SIG_EXPIRED:	return "expired";
	case SIG_REVOKED:	return "revoked";
	default:		return "error";
	}
}

static char *
key_addrs(gpgme_key_t k)
{
	gpgme_user_id_t	 u;
	struct buf	 b;
	char		*p;

	buf_init(&b);
	for (u = k->uids; u; u = u->next) {
		if (u->email == NULL || strchr(u->email, '@') == NULL ||
		    u->revoked || u->invalid)
			continue;
		if (b.len)
			buf_putc(&b, ',');
		/* gpgsm gives "<addr>" */
		for (p = u->email; *p; p++)
			if (*p != '<' && *p != '>')
				buf_putc(&b, (*p >= 'A' && *p <= 'Z') ?
				    *p + 32 : *p);
	}
	return b.len ? buf_release(&b) : (buf_free(&b), NULL);
}

static void
sig_fill(struct gpg *g, enum gpg_proto pr, gpgme_signature_t s,
    struct sig_info *si)
{
	gpgme_key_t	 k = NULL;
	gpgme_ctx_t	 kc = NULL;
	gpgme_err_code_t c = gpg_err_code(s->status);
	char		*err = NULL;

	memset(si, 0, sizeof(*si));
	si->proto = pr == GPG_PGP ? "pgp" : "smime";
	si->fingerprint = s->fpr ? xstrdup(s->fpr) : NULL;
	si->created = (long long)s->timestamp;
	switch (c) {
	case GPG_ERR_NO_ERROR:
		if (s->summary & GPGME_SIGSUM_KEY_REVOKED)
			si->status = SIG_REVOKED;
		else if (s->summary & (GPGME_SIGSUM_KEY_EXPIRED |
		    GPGME_SIGSUM_SIG_EXPIRED))
			si->status = SIG_EXPIRED;
		else
			si->status = SIG_VALID;
		break;
	case GPG_ERR_BAD_SIGNATURE:
		si->status = SIG_BAD;
		break;
	case GPG_ERR_NO_PUBKEY:
		si->status = SIG_UNKNOWN_KEY;
		break;
	case GPG_ERR_SIG_EXPIRED:
	case GPG_ERR_KEY_EXPIRED:
	case GPG_ERR_CERT_EXPIRED:
		si->status = SIG_EXPIRED;
		break;
	case GPG_ERR_CERT_REVOKED:
		si->status = SIG_REVOKED;
		break;
	default:
		si->status = SIG_ERROR;
	}
	if (c != GPG_ERR_NO_ERROR)
		si->detail = xstrdup(gpgme_strerror(s->status));
	else if (s->validity_reason)
		si->detail = xstrdup(gpgme_strerror(s->validity_reason));
	si->trusted = (s->summary & GPGME_SIGSUM_VALID) ||
	    s->validity >= GPGME_VALIDITY_FULL;
	if (s->fpr && c != GPG_ERR_NO_PUBKEY &&
	    (kc = ctx_new(g, pr, KR_READ, &err)) != NULL &&
	    gpgme_get_key(kc, s->fpr, &k, 0) == 0 && k) {
		if (k->uids && k->uids->uid)
			si->signer = xstrdup(k->uids->uid);
		si->addrs = key_addrs(k);
		if (k->subkeys && k->subkeys->fpr && pr == GPG_PGP) {
			free(si->fingerprint);
			si->fingerprint = xstrdup(k->subkeys->fpr);
		}
		gpgme_key_unref(k);
	}
	if (kc)
		ctx_done(g, kc);
	free(err);
}

static void
sigs_from(struct gpg *g, enum gpg_proto pr, gpgme_ctx_t c,
    struct sig_info **v, size_t *n)
{
	gpgme_verify_result_t	 r = gpgme_op_verify_result(c);
	gpgme_signature_t	 s;
	size_t			 k = 0;

	*v = NULL;
	*n = 0;
	if (r == NULL)
		return;
	for (s = r->signatures; s; s = s->next)
		k++;
	if (k == 0)
		return;
	*v = xcalloc(k, sizeof(**v));
	k = 0;
	for (s = r->signatures; s; s = s->next)
		sig_fill(g, pr, s, &(*v)[k++]);
	*n = k;
}

void
sig_info_free(struct sig_info *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].fingerprint);
		free(v[i].signer);
		free(v[i].addrs);
		free(v[i].detail);
	}
	free(v);
}

int
gpg_decrypt(struct gpg *g, enum gpg_proto pr, const char *in, size_t inlen,
    char **out, size_t *outlen, struct sig_info **sigs, size_t *nsig,
    char **reason)
{
	struct gpgme_data_cbs	 cbs = { NULL, sink_write, NULL, NULL };
	struct sink		 sk;
	gpgme_data_t		 din = NULL, dout = NULL;
	gpgme_decrypt_result_t	 dr;
	gpgme_recipient_t	 rc;
	gpgme_error_t		 e;
	gpgme_ctx_t		 c = NULL;
	struct buf		 b;

	*out = NULL;
	*outlen = 0;
	*sigs = NULL;
	*nsig = 0;
	if (g == NULL) {
		*reason = xstrdup("GnuPG is not available");
		return -1;
	}
	memset(&sk, 0, sizeof(sk));
	buf_init(&sk.b);
	sk.max = g->max_out;
	if ((c = ctx_new(g, pr, KR_READ, reason)) == NULL)
		goto fail;
	if ((e = gpgme_data_new_from_mem(&din, in, inlen, 0)) != 0 ||
	    (e = gpgme_data_new_from_cbs(&dout, &cbs, &sk)) != 0) {
		*reason = why("decrypt", e);
		goto fail;
	}
	e = pr == GPG_PGP ? gpgme_op_decrypt_verify(c, din, dout) :
	    gpgme_op_decrypt(c, din, dout);
	if (sk.overflow) {
		*reason = xasprintf("decrypted data exceeds "
		    "decrypted_size_limit (%zu bytes)", g->max_out);
		goto fail;
	}
	if (e != 0) {
		buf_init(&b);
		buf_printf(&b, "%s", gpgme_strerror(e));
		dr = gpgme_op_decrypt_result(c);
		if (dr && dr->unsupported_algorithm)
			buf_printf(&b, " (unsupported algorithm %s)",
			    dr->unsupported_algorithm);
		if (dr && dr->recipients) {
			buf_puts(&b, "; encrypted to");
			for (rc = dr->recipients; rc; rc = rc->next)
				buf_printf(&b, " %s%s", rc->keyid,
				    strcmp(rc->keyid, "0000000000000000") ?
				    "" : " (hidden recipient)");
		}
		*reason = buf_release(&b);
		goto fail;
	}
	if (pr == GPG_PGP)
		sigs_from(g, pr, c, sigs, nsig);
	gpgme_data_release(din);
	gpgme_data_release(dout);
	ctx_done(g, c);
	*outlen = sk.b.len;
	*out = buf_release(&sk.b);
	return 0;
fail:
	if (din)
		gpgme_data_release(din);
	if (dout)
		gpgme_data_release(dout);
	if (c)
		ctx_done(g, c);
	sodium_memzero(sk.b.s, sk.b.len);
	buf_free(&sk.b);
	return -1;
}

int
gpg_verify(struct gpg *g, enum gpg_proto pr, const char *sig, size_t siglen,
    const char *signed_text, size_t stlen, char **out, size_t *outlen,
    struct sig_info **sigs, size_t *nsig, char **reason)
{
	struct gpgme_data_cbs	 cbs = { NULL, sink_write, NULL, NULL };
	struct sink		 sk;
	gpgme_data_t		 dsig = NULL, dtext = NULL, dout = NULL;
	gpgme_error_t		 e;
	gpgme_ctx_t		 c = NULL;

	if (out) {
		*out = NULL;
		*outlen = 0;
	}
	*sigs = NULL;
	*nsig = 0;
	if (g == NULL) {
		*reason = xstrdup("GnuPG is not available");
		return -1;
	}
	memset(&sk, 0, sizeof(sk));
	buf_init(&sk.b);
	sk.max = g->max_out;
	if ((c = ctx_new(g, pr, pr == GPG_CMS ? KR_WRITE : KR_READ,
	    reason)) == NULL)
		goto fail;
	if ((e = gpgme_data_new_from_mem(&dsig, sig, siglen, 0)) != 0 ||
	    (signed_text && (e = gpgme_data_new_from_mem(&dtext,
	    signed_text, stlen, 0)) != 0) ||
	    (!signed_text && (e = gpgme_data_new_from_cbs(&dout, &cbs,
	    &sk)) != 0)) {
		*reason = why("verify", e);
		goto fail;
	}
	e = gpgme_op_verify(c, dsig, dtext, dout);
	if (sk.overflow) {
		*reason = xasprintf("signed data exceeds "
		    "decrypted_size_limit (%zu bytes)", g->max_out);
		goto fail;
	}
	sigs_from(g, pr, c, sigs, nsig);
	if (*nsig == 0) {
		*reason = e ? why("verify", e) :
		    xstrdup("verify: no signature found");
		goto fail;
	}
	gpgme_data_release(dsig);
	if (dtext)
		gpgme_data_release(dtext);
	if (dout)
		gpgme_data_release(dout);
	ctx_done(g, c);
	if (out) {
		*outlen = sk.b.len;
		*out = buf_release(&sk.b);
	} else
		buf_free(&sk.b);
	return 0;
fail:
	if (dsig)
		gpgme_data_release(dsig);
	if (dtext)
		gpgme_data_release(dtext);
	if (dout)
		gpgme_data_release(dout);
	if (c)
		ctx_done(g, c);
	sodium_memzero(sk.b.s, sk.b.len);
	buf_free(&sk.b);
	return -1;
}

int
gpg_import(struct gpg *g, enum gpg_proto pr, const char *in, size_t inlen,
    int *nimported, char ***fprs, size_t *nfprs, char **reason)
{
	gpgme_import_status_t	 is;
	gpgme_data_t		 d;
	gpgme_import_result_t	 r;
	gpgme_error_t		 e;
	gpgme_ctx_t		 c;
	int			 rv = -1;

	*nimported = 0;
	if (fprs) {
		*fprs = NULL;
		*nfprs = 0;
	}
	if (g == NULL) {
		*reason = xstrdup("GnuPG is not available");
		return -1;
	}
	if ((c = ctx_new(g, pr, KR_WRITE, reason)) == NULL)
		return -1;
	if ((e = gpgme_data_new_from_mem(&d, in, inlen, 0)) != 0) {
		*reason = why("import", e);
		goto out;
	}
	e = gpgme_op_import(c, d);
	gpgme_data_release(d);
	if (e != 0) {
		*reason = why("import", e);
		goto out;
	}
	r = gpgme_op_import_result(c);
	if (r == NULL || r->considered == 0) {
		*reason = xstrdup("import: no key or certificate found");
		goto out;
	}
	*nimported = r->imported + r->secret_imported + r->new_user_ids +
	    r->new_sub_keys + r->new_signatures + r->new_revocations +
	    r->unchanged + r->secret_unchanged;
	if (*nimported == 0 && r->not_imported > 0) {
		*reason = xasprintf("import: %d key(s) not imported",
		    r->not_imported);
		goto out;
	}
	for (is = r->imports; fprs && is; is = is->next) {
		if (is->fpr == NULL || is->result != 0)
			continue;
		*fprs = xrealloc(*fprs, (*nfprs + 1) * sizeof(char *));
		(*fprs)[(*nfprs)++] = xstrdup(is->fpr);
	}
	rv = 0;
out:
	ctx_done(g, c);
	return rv;
}

int
gpg_keys(struct gpg *g, enum gpg_proto pr, const char *pattern,
    struct gpg_key **out, size_t *n, char **reason)
{
	gpgme_ctx_t	 c;
	gpgme_key_t	 k;
	gpgme_error_t	 e;
	struct gpg_key	*v = NULL;
	size_t		 nk = 0;
	int		 secret;

	if ((c = ctx_new(g, pr, KR_READ, reason)) == NULL)
		return -1;
	for (secret = 1; secret >= 0; secret--) {
		if ((e = gpgme_op_keylist_start(c, pattern, secret)) != 0) {
			*reason = why("key list", e);
			gpg_keys_free(v, nk);
			ctx_done(g, c);
			return -1;
		}
		while (gpgme_op_keylist_next(c, &k) == 0) {
			size_t	i;

			for (i = 0; i < nk; i++)
				if (k->subkeys && strcmp(v[i].fingerprint,
				    k->subkeys->fpr) == 0)
					break;
			if (i < nk || k->subkeys == NULL) {
				gpgme_key_unref(k);
				continue;
			}
			v = xrealloc(v, (nk + 1) * sizeof(*v));
			memset(&v[nk], 0, sizeof(*v));
			v[nk].fingerprint = xstrdup(k->subkeys->fpr);
			v[nk].uid = xstrdup(k->uids && k->uids->uid ?
			    k->uids->uid : "");
			v[nk].addrs = key_addrs(k);
			v[nk].proto = pr == GPG_PGP ? "pgp" : "smime";
			v[nk].secret = secret;
			v[nk].revoked = k->revoked;
			v[nk].expired = k->expired;
			v[nk].expires = (long long)k->subkeys->expires;
			nk++;
			gpgme_key_unref(k);
		}
		gpgme_op_keylist_end(c);
	}
	ctx_done(g, c);
	*out = v;
	*n = nk;
	return 0;
}

void
gpg_keys_free(struct gpg_key *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].fingerprint);
		free(v[i].uid);
		free(v[i].addrs);
	}
	free(v);
}

int
gpg_generate(struct gpg *g, const char *uid, char **fpr, char **reason)
{
	gpgme_genkey_result_t	 r;
	gpgme_error_t		 e;
	gpgme_ctx_t		 c;
	int			 rv = -1;

	if ((c = ctx_new(g, GPG_PGP, KR_WRITE, reason)) == NULL)
		return -1;
	e = gpgme_op_createkey(c, uid, "future-default", 0, 0, NULL,
	    GPGME_CREATE_NOPASSWD | GPGME_CREATE_FORCE |
	    GPGME_CREATE_NOEXPIRE);
	if (e != 0)
		*reason = why("generate key", e);
	else if ((r = gpgme_op_genkey_result(c)) == NULL || r->fpr == NULL)
		*reason = xstrdup("generate key: no fingerprint returned");
	else {
		*fpr = xstrdup(r->fpr);
		rv = 0;
	}
	ctx_done(g, c);
	return rv;
}

int
gpg_export(struct gpg *g, enum gpg_proto pr, const char *pattern, int flags,
    char **out, size_t *outlen, char **reason)
{
	struct gpgme_data_cbs	 cbs = { NULL, sink_write, NULL, NULL };
	struct sink		 sk;
	gpgme_data_t		 d;
	gpgme_error_t		 e;
	gpgme_ctx_t		 c;

	if (g == NULL) {
		*reason = xstrdup("GnuPG is not available");
		return -1;
	}
	if ((c = ctx_new(g, pr, KR_READ, reason)) == NULL)
		return -1;
	memset(&sk, 0, sizeof(sk));
	buf_init(&sk.b);
	sk.max = g->max_out;
	if ((e = gpgme_data_new_from_cbs(&d, &cbs, &sk)) != 0) {
		*reason = why("export", e);
		ctx_done(g, c);
		return -1;
	}
	gpgme_set_armor(c, (flags & GPG_EXPORT_ARMOR) != 0);
	e = gpgme_op_export(c, pattern, (flags & GPG_EXPORT_MINIMAL) ?
	    GPGME_EXPORT_MODE_MINIMAL : 0, d);
	ctx_done(g, c);
	gpgme_data_release(d);
	if (e != 0 || sk.b.len == 0) {
		*reason = e ? why("export", e) :
		    xasprintf("export: no key for %s", pattern);
		buf_free(&sk.b);
		return -1;
	}
	*outlen = sk.b.len;
	*out = buf_release(&sk.b);
	return 0;
}

/* One gpgsm --import run: 0, or -1 and what gpgsm said in *reason. */
static int
p12_run(const char *prog, const char *home, const char *p12, size_t len,
    char **reason)
{
	int		 in[2], er[2], st, fd;
	pid_t		 pid;
	size_t		 off = 0;
	ssize_t		 w;
	char		 msg[1024];

	if (pipe(in) == -1 || pipe(er) == -1) {
		*reason = xasprintf("pipe: %s", strerror(errno));
		return -1;
	}
	if ((pid = fork()) == -1) {
		*reason = xasprintf("fork: %s", strerror(errno));
		close(in[0]);
		close(in[1]);
		close(er[0]);
		close(er[1]);
		return -1;
	}
	if (pid == 0) {
		if (dup2(in[0], 0) == -1 || dup2(er[1], 2) == -1)
			_exit(127);
		if ((fd = open("/dev/null", O_RDWR)) == -1 ||
		    dup2(fd, 3) == -1 || dup2(fd, 1) == -1)
			_exit(127);
		close(in[1]);
		close(er[0]);
		execl(prog, "gpgsm", "--homedir", home, "--batch",
		    "--pinentry-mode", "loopback", "--passphrase-fd", "3",
		    "--import", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(er[1]);
	while (off < len) {
		if ((w = write(in[1], p12 + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		off += (size_t)w;
	}
	close(in[1]);
	off = 0;
	while (off < sizeof(msg) - 1 &&
	    (w = read(er[0], msg + off, sizeof(msg) - 1 - off)) > 0)
		off += (size_t)w;
	msg[off] = '\0';
	close(er[0]);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		for (w = 0; msg[w]; w++)
			if (msg[w] == '\n')
				msg[w] = ' ';
		*reason = xasprintf("gpgsm could not import the key (exit "
		    "%d): %s", WIFEXITED(st) ? WEXITSTATUS(st) : -1, msg);
		return -1;
	}
	return 0;
}

/*
 * gpgsm asks for the PKCS#12 passphrase through the agent's pinentry,
 * which GPGME's loopback does not reach for this command: run gpgsm
 * the way it imports unattended (batch, loopback, an empty passphrase
 * on fd 3), the bundle on its standard input.
 */
int
gpg_import_p12(struct gpg *g, const char *p12, size_t len, char **reason)
{
	gpgme_engine_info_t	 ei;
	char			*prog = NULL;
	gpgme_ctx_t		 c;
	int			 rv;

	if ((c = ctx_new(g, GPG_CMS, KR_WRITE, reason)) == NULL)
		return -1;
	for (ei = gpgme_ctx_get_engine_info(c); ei; ei = ei->next)
		if (ei->protocol == GPGME_PROTOCOL_CMS && prog == NULL &&
		    ei->file_name)
			prog = xstrdup(ei->file_name);
	if (prog == NULL) {
		*reason = xstrdup("gpgsm not found");
		ctx_done(g, c);
		return -1;
	}
	rv = p12_run(prog, g->home, p12, len, reason);	/* under the lock */
	ctx_done(g, c);
	free(prog);
	return rv;
}

int
gpg_encrypt_sign(struct gpg *g, const char *recipient, const char *signer,
    const char *in, size_t inlen, char **out, size_t *outlen, char **reason)
{
	struct gpgme_data_cbs	 cbs = { NULL, sink_write, NULL, NULL };
	struct sink		 sk;
	gpgme_data_t		 din = NULL, dout = NULL;
	gpgme_key_t		 rk[3] = { NULL, NULL, NULL }, sk_key = NULL;
	gpgme_ctx_t		 c;
	gpgme_error_t		 e;
	int			 rv = -1;

	*out = NULL;
	if (g == NULL) {
		*reason = xstrdup("GnuPG is not available");
		return -1;
	}
	if ((c = ctx_new(g, GPG_PGP, KR_READ, reason)) == NULL)
		return -1;
	memset(&sk, 0, sizeof(sk));
	buf_init(&sk.b);
	sk.max = g->max_out;
	if ((e = gpgme_get_key(c, recipient, &rk[0], 0)) != 0) {
		*reason = why("recipient key", e);
		goto out;
	}
	/* our own key too, so that the sent copy stays readable */
	if (signer && signer[0]) {
		if ((e = gpgme_get_key(c, signer, &sk_key, 1)) != 0 ||
		    (e = gpgme_signers_add(c, sk_key)) != 0) {
			*reason = why("signing key", e);
			goto out;
		}
		(void)gpgme_get_key(c, signer, &rk[1], 0);
	}
	if ((e = gpgme_data_new_from_mem(&din, in, inlen, 0)) != 0 ||
	    (e = gpgme_data_new_from_cbs(&dout, &cbs, &sk)) != 0) {
		*reason = why("encrypt", e);
		goto out;
	}
	e = sk_key ? gpgme_op_encrypt_sign(c, rk, GPGME_ENCRYPT_ALWAYS_TRUST,
	    din, dout) : gpgme_op_encrypt(c, rk, GPGME_ENCRYPT_ALWAYS_TRUST,
	    din, dout);
	if (e != 0) {
		*reason = why("encrypt", e);
		goto out;
	}
	*outlen = sk.b.len;
	*out = buf_release(&sk.b);
	rv = 0;
out:
	if (din)
		gpgme_data_release(din);
	if (dout)
		gpgme_data_release(dout);
	if (rk[0])
		gpgme_key_unref(rk[0]);
	if (rk[1])
		gpgme_key_unref(rk[1]);
	if (sk_key)
		gpgme_key_unref(sk_key);
	buf_free(&sk.b);
	ctx_done(g, c);
	return rv;
}

int
gpg_sign_detached(struct gpg *g, const char *signer, const char *in,
    size_t inlen, char **out, size_t *outlen, char **micalg, char **reason)
{
	struct gpgme_data_cbs	 cbs = { NULL, sink_write, NULL, NULL };
	struct sink		 sk;
	gpgme_data_t		 din = NULL, dout = NULL;
	gpgme_key_t		 key = NULL;
	gpgme_sign_result_t	 res;
	gpgme_ctx_t		 c;
	gpgme_error_t		 e;
	const char		*h;
	char			*p;
	int			 rv = -1;

	*out = *micalg = NULL;
	if (g == NULL) {
		*reason = xstrdup("GnuPG is not available");
		return -1;
	}
	if ((c = ctx_new(g, GPG_PGP, KR_READ, reason)) == NULL)
		return -1;
	memset(&sk, 0, sizeof(sk));
	buf_init(&sk.b);
	sk.max = g->max_out;
	if ((e = gpgme_get_key(c, signer, &key, 1)) != 0 ||
	    (e = gpgme_signers_add(c, key)) != 0) {
		*reason = why("signing key", e);
		goto out;
	}
	if ((e = gpgme_data_new_from_mem(&din, in, inlen, 0)) != 0 ||
	    (e = gpgme_data_new_from_cbs(&dout, &cbs, &sk)) != 0 ||
	    (e = gpgme_op_sign(c, din, dout, GPGME_SIG_MODE_DETACH)) != 0) {
		*reason = why("sign", e);
		goto out;
	}
	res = gpgme_op_sign_result(c);
	h = res && res->signatures ?
	    gpgme_hash_algo_name(res->signatures->hash_algo) : NULL;
	*micalg = xasprintf("pgp-%s", h ? h : "sha256");
	for (p = *micalg; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	*outlen = sk.b.len;
	*out = buf_release(&sk.b);
	rv = 0;
out:
	if (din)
		gpgme_data_release(din);
	if (dout)
		gpgme_data_release(dout);
	if (key)
		gpgme_key_unref(key);
	buf_free(&sk.b);
	ctx_done(g, c);
	return rv;
}

int
gpg_key_has_addr(struct gpg *g, enum gpg_proto pr, const char *fpr,
    const char *addr)
{
	struct gpg_key	*k = NULL;
	size_t		 n = 0, i, al = strlen(addr);
	const char	*p;
	char		*err = NULL;
	int		 yes = 0;

	if (gpg_keys(g, pr, fpr, &k, &n, &err) == -1) {
		free(err);
		return 0;
	}
	for (i = 0; i < n && !yes; i++)
		for (p = k[i].addrs; p && !yes; p = strchr(p, ',') ?
		    strchr(p, ',') + 1 : NULL)
			yes = strcspn(p, ",") == al &&
			    strncasecmp(p, addr, al) == 0 &&
			    !k[i].revoked && !k[i].expired;
	gpg_keys_free(k, n);
	return yes;
}

struct pw_state {
	const char	*old;
	int		 calls;
};

/* First the current passphrase, then the new, empty one. */
static gpgme_error_t
passwd_cb(void *h, const char *uid_hint, const char *info, int prev_bad,
    int fd)
{
	struct pw_state	*ps = h;
	const char	*p;

	(void)uid_hint;
	(void)info;
	if (prev_bad || ps->calls++ > 3)
		return gpg_error(GPG_ERR_BAD_PASSPHRASE);
	p = ps->calls == 1 ? ps->old : "";
	if (gpgme_io_writen(fd, p, strlen(p)) != 0 ||
	    gpgme_io_writen(fd, "\n", 1) != 0)
		return gpg_error_from_syserror();
	return 0;
}

int
gpg_unprotect(struct gpg *g, const char *fpr, const char *pass,
    char **reason)
{
	struct pw_state	 ps = { pass, 0 };
	gpgme_ctx_t	 c;
	gpgme_key_t	 k = NULL;
	gpgme_error_t	 e;

	/* the agent rewrites the key file: no copy (backup) meanwhile */
	if ((c = ctx_new(g, GPG_PGP, KR_WRITE, reason)) == NULL)
		return -1;
	gpgme_set_passphrase_cb(c, passwd_cb, &ps);
	if ((e = gpgme_get_key(c, fpr, &k, 1)) != 0 ||
	    (e = gpgme_op_passwd(c, k, 0)) != 0)
		*reason = why("remove the passphrase", e);
	if (k)
		gpgme_key_unref(k);
	ctx_done(g, c);
	return e == 0 ? 0 : -1;
}

int
gpg_has_secret(struct gpg *g, const char *fpr)
{
	gpgme_ctx_t	 c;
	gpgme_key_t	 k = NULL;
	char		*err = NULL;
	int		 yes;

	if ((c = ctx_new(g, GPG_PGP, KR_READ, &err)) == NULL) {
		free(err);
		return 0;
	}
	yes = gpgme_get_key(c, fpr, &k, 1) == 0 && k != NULL;
	if (k)
		gpgme_key_unref(k);
	ctx_done(g, c);
	return yes;
}
