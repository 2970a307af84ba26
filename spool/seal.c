/*
 * seal.c: sealed storage (see seal.h).
 *
 * The key lives in sodium_malloc'd memory (guard pages, wiped and freed
 * by seal_key_free). Plaintext produced by seal_open is sodium_malloc'd
 * too and wiped on free. Nothing here logs content; errors name only the
 * operation and the file.
 *
 * Trust: sealed input may have been changed on disk: every length is
 * checked against what is left before use, and only data whose every
 * chunk authenticates, ending in a FINAL chunk with nothing after it, is
 * returned.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "util/hash.h"
#include "util/xmalloc.h"
#include "spool/seal.h"

#define SEAL_MAGIC	"PSIRTSEAL1\n"
#define SEAL_MAGICLEN	(sizeof(SEAL_MAGIC) - 1)
#define KEYBYTES	crypto_secretstream_xchacha20poly1305_KEYBYTES
#define HDRBYTES	crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define ABYTES		crypto_secretstream_xchacha20poly1305_ABYTES

struct seal_key {
	unsigned char	*k;	/* sodium_malloc'd */
};

int
seal_key_create(const char *path, char **errstr)
{
	unsigned char	k[KEYBYTES];
	int		fd, rv = -1;

	if (sodium_init() < 0) {
		*errstr = xstrdup("libsodium initialisation failed");
		return -1;
	}
	crypto_secretstream_xchacha20poly1305_keygen(k);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1)
		*errstr = xasprintf("create %s: %s", path, strerror(errno));
	else if (write(fd, k, sizeof(k)) != (ssize_t)sizeof(k) ||
	    fsync(fd) == -1) {
		*errstr = xasprintf("write %s: %s", path, strerror(errno));
		unlink(path);
	} else
		rv = 0;
	if (fd != -1 && close(fd) == -1 && rv == 0) {
		*errstr = xasprintf("close %s: %s", path, strerror(errno));
		rv = -1;
	}
	sodium_memzero(k, sizeof(k));
	return rv;
}

int
seal_key_load(const char *path, struct seal_key **out, char **errstr)
{
	struct seal_key	*key;
	struct stat	 st;
	ssize_t		 n;
	int		 fd;

	if (sodium_init() < 0) {
		*errstr = xstrdup("libsodium initialisation failed");
		return -1;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1 ||
	    fstat(fd, &st) == -1) {
		*errstr = xasprintf("open %s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || (st.st_mode & 077) != 0 ||
	    st.st_size != KEYBYTES) {
		*errstr = xasprintf("%s: the seal key must be a %d-byte "
		    "regular file of mode 0600", path, (int)KEYBYTES);
		close(fd);
		return -1;
	}
	key = xcalloc(1, sizeof(*key));
	if ((key->k = sodium_malloc(KEYBYTES)) == NULL) {
		free(key);
		close(fd);
		*errstr = xstrdup("sodium_malloc failed");
		return -1;
	}
	n = read(fd, key->k, KEYBYTES);
	close(fd);
	if (n != (ssize_t)KEYBYTES) {
		*errstr = xasprintf("read %s: short read", path);
		seal_key_free(&key);
		return -1;
	}
	sodium_mprotect_readonly(key->k);
	*out = key;
	return 0;
}

void
seal_key_free(struct seal_key **kp)
{
	if (*kp == NULL)
		return;
	sodium_free((*kp)->k);	/* wipes */
	free(*kp);
	*kp = NULL;
}

static void
put_be32(struct buf *b, uint32_t v)
{
	unsigned char	p[4] = { (unsigned char)(v >> 24),
	    (unsigned char)(v >> 16), (unsigned char)(v >> 8),
	    (unsigned char)v };

	buf_add(b, p, 4);
}

int
seal_buf(const struct seal_key *key, const void *data, size_t len,
    struct buf *out, char **errstr)
{
	crypto_secretstream_xchacha20poly1305_state	st;
	unsigned char	 hdr[HDRBYTES], *c;
	const unsigned char *p = data;
	size_t		 off = 0, n;
	unsigned long long clen;
	unsigned char	 tag;

	/* the sealed size is known: one allocation, not doublings */
	buf_reserve(out, SEAL_MAGICLEN + sizeof(hdr) + len + (len /
	    SEAL_CHUNK + 1) * (4 + ABYTES));
	buf_add(out, SEAL_MAGIC, SEAL_MAGICLEN);
	if (crypto_secretstream_xchacha20poly1305_init_push(&st, hdr,
	    key->k) != 0) {
		*errstr = xstrdup("seal: stream initialisation failed");
		return -1;
	}
	buf_add(out, hdr, sizeof(hdr));
	c = xmalloc(SEAL_CHUNK + ABYTES);
	do {
		n = len - off > SEAL_CHUNK ? SEAL_CHUNK : len - off;
		tag = off + n == len ?
		    crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0;
		crypto_secretstream_xchacha20poly1305_push(&st, c, &clen,
		    p + off, n, NULL, 0, tag);
		put_be32(out, (uint32_t)clen);
		buf_add(out, c, (size_t)clen);
		off += n;
	} while (off < len);
	free(c);
	sodium_memzero(&st, sizeof(st));
	return 0;
}

int
seal_open(const struct seal_key *key, const void *sealed, size_t len,
    unsigned char **out, size_t *outlen, char **errstr)
{
	crypto_secretstream_xchacha20poly1305_state	st;
	const unsigned char *p = sealed, *end = p + len;
	unsigned char	*plain = NULL, tag = 0;
	unsigned long long mlen;
	size_t		 total = 0, clen, cap;

	*out = NULL;
	*outlen = 0;
	if (len < SEAL_MAGICLEN + HDRBYTES ||
	    memcmp(p, SEAL_MAGIC, SEAL_MAGICLEN) != 0) {
		*errstr = xstrdup("not sealed data");
		return -1;
	}
	p += SEAL_MAGICLEN;
	if (crypto_secretstream_xchacha20poly1305_init_pull(&st, p,
	    key->k) != 0) {
		*errstr = xstrdup("sealed data: bad header");
		return -1;
	}
	p += HDRBYTES;
	/* the plaintext is never longer than the sealed data */
	cap = len + 1;
	if ((plain = sodium_malloc(cap)) == NULL) {
		*errstr = xstrdup("sodium_malloc failed");
		return -1;
	}
	while (tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
		if (end - p < 4) {
			*errstr = xstrdup("sealed data is truncated");
			goto fail;
		}
		clen = (size_t)p[0] << 24 | (size_t)p[1] << 16 |
		    (size_t)p[2] << 8 | p[3];
		p += 4;
		if (clen < ABYTES || clen > SEAL_CHUNK + ABYTES ||
		    clen > (size_t)(end - p)) {
			*errstr = xstrdup("sealed data is truncated or "
			    "damaged");
			goto fail;
		}
		if (crypto_secretstream_xchacha20poly1305_pull(&st,
		    plain + total, &mlen, &tag, p, clen, NULL, 0) != 0) {
			*errstr = xstrdup("sealed data is damaged, was "
			    "tampered with, or belongs to another key");
			goto fail;
		}
		total += (size_t)mlen;
		p += clen;
	}
	if (p != end) {
		*errstr = xstrdup("sealed data has bytes after its end");
		goto fail;
	}
	plain[total] = '\0';
	sodium_memzero(&st, sizeof(st));
	*out = plain;
	*outlen = total;
	return 0;
fail:
	sodium_memzero(&st, sizeof(st));
	sodium_free(plain);
	return -1;
}

void
seal_plain_free(unsigned char *p)
{
	sodium_free(p);
}

/*
 * Short text in a column: deterministic authenticated encryption (the
 * synthetic-IV construction). The nonce is a keyed BLAKE2b of the text
 * under one subkey, the ciphertext XChaCha20-Poly1305 under another,
 * both derived from the instance key; so the same text seals the same,
 * and equality, uniqueness and lookups in SQL still work, while the
 * text itself is not in the file.
 */
#define TEXT_CTX	"psirtcol"
#define TEXT_AD		"psirt-agent column v1"
#define NONCEBYTES	crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TABYTES		crypto_aead_xchacha20poly1305_ietf_ABYTES

static void
text_keys(const struct seal_key *key, unsigned char *prf,
    unsigned char *enc)
{
	crypto_kdf_derive_from_key(prf, crypto_generichash_KEYBYTES, 1,
	    TEXT_CTX, key->k);
	crypto_kdf_derive_from_key(enc,
	    crypto_aead_xchacha20poly1305_ietf_KEYBYTES, 2, TEXT_CTX, key->k);
}

int
seal_text_is(const char *s)
{
	return s != NULL && strncmp(s, SEAL_TEXT_PREFIX,
	    sizeof(SEAL_TEXT_PREFIX) - 1) == 0;
}

int
seal_text(const struct seal_key *key, const char *plain, char **out,
    char **errstr)
{
	unsigned char	 prf[crypto_generichash_KEYBYTES];
	unsigned char	 enc[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
	unsigned char	*bin;
	size_t		 len = strlen(plain), blen, b64;

	if (len > (1U << 30)) {
		*errstr = xstrdup("seal: text too long");
		return -1;
	}
	blen = NONCEBYTES + len + TABYTES;
	bin = xmalloc(blen);
	text_keys(key, prf, enc);
	crypto_generichash(bin, NONCEBYTES, (const unsigned char *)plain, len,
	    prf, sizeof(prf));
	crypto_aead_xchacha20poly1305_ietf_encrypt(bin + NONCEBYTES, NULL,
	    (const unsigned char *)plain, len, (const unsigned char *)TEXT_AD,
	    sizeof(TEXT_AD) - 1, NULL, bin, enc);
	sodium_memzero(prf, sizeof(prf));
	sodium_memzero(enc, sizeof(enc));
	b64 = sodium_base64_ENCODED_LEN(blen,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	*out = xmalloc(sizeof(SEAL_TEXT_PREFIX) - 1 + b64);
	memcpy(*out, SEAL_TEXT_PREFIX, sizeof(SEAL_TEXT_PREFIX) - 1);
	sodium_bin2base64(*out + sizeof(SEAL_TEXT_PREFIX) - 1, b64, bin, blen,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	free(bin);
	return 0;
}

int
seal_text_open(const struct seal_key *key, const char *s, char **out,
    char **errstr)
{
	unsigned char	 prf[crypto_generichash_KEYBYTES];
	unsigned char	 enc[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
	unsigned char	*bin, *plain;
	size_t		 slen, blen;
	unsigned long long plen;
	int		 r;

	if (!seal_text_is(s)) {
		*out = xstrdup(s);
		return 0;
	}
	s += sizeof(SEAL_TEXT_PREFIX) - 1;
	slen = strlen(s);
	bin = xmalloc(slen + 1);
	if (sodium_base642bin(bin, slen + 1, s, slen, NULL, &blen, NULL,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    blen < NONCEBYTES + TABYTES) {
		free(bin);
		*errstr = xstrdup("sealed text is damaged");
		return -1;
	}
	plain = xmalloc(blen - NONCEBYTES - TABYTES + 1);
	text_keys(key, prf, enc);
	r = crypto_aead_xchacha20poly1305_ietf_decrypt(plain, &plen, NULL,
	    bin + NONCEBYTES, blen - NONCEBYTES, (const unsigned char *)
	    TEXT_AD, sizeof(TEXT_AD) - 1, bin, enc);
	sodium_memzero(prf, sizeof(prf));
	sodium_memzero(enc, sizeof(enc));
	free(bin);
	if (r != 0 || memchr(plain, '\0', (size_t)plen) != NULL) {
		free(plain);
		*errstr = xstrdup("sealed text does not open with this "
		    "instance's seal key (damaged, or sealed by another)");
		return -1;
	}
	plain[plen] = '\0';
	*out = (char *)plain;
	return 1;
}

void
seal_mac_hex(const struct seal_key *key, const char *tag,
    const char *const *f, size_t n, char out[65])
{
	unsigned char	k[crypto_generichash_KEYBYTES];

	crypto_kdf_derive_from_key(k, sizeof(k), 3, TEXT_CTX, key->k);
	hash_fields_keyed_hex(k, sizeof(k), tag, f, n, out);
	sodium_memzero(k, sizeof(k));
}
