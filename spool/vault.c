/*
 * vault.c: sealed content at rest. See vault.h.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "util/buf.h"
#include "util/hash.h"
#include "util/xmalloc.h"
#include "spool/queue.h"
#include "spool/seal.h"
#include "spool/vault.h"

#define SEAL_MAGIC	"PSIRTSEAL1\n"

struct vault {
	char		*spool;
	char		*dir;		/* spool/vault */
	struct seal_key	*key;
};

static int	 read_file(const char *, struct buf *, char **);
static int	 write_sealed(struct vault *, const char *, const void *,
		    size_t, char **);
static int	 name_ok(const char *);
static void	 release_plain(void *);

int
vault_open(const char *spool, const char *keyfile, struct vault **vp,
    char **errstr)
{
	struct vault	*v;

	v = xcalloc(1, sizeof(*v));
	v->spool = xstrdup(spool);
	v->dir = xasprintf("%s/vault", spool);
	if (seal_key_load(keyfile, &v->key, errstr) == -1) {
		vault_close(&v);
		return -1;
	}
	if (mkdir(v->dir, 0700) == -1 && errno != EEXIST) {
		*errstr = xasprintf("mkdir %s: %s", v->dir, strerror(errno));
		vault_close(&v);
		return -1;
	}
	*vp = v;
	return 0;
}

const struct seal_key *
vault_key(const struct vault *v)
{
	return v->key;
}

void
vault_close(struct vault **vp)
{
	struct vault	*v = *vp;

	if (v == NULL)
		return;
	seal_key_free(&v->key);
	free(v->spool);
	free(v->dir);
	free(v);
	*vp = NULL;
}

static int
read_file(const char *path, struct buf *b, char **errstr)
{
	char		blk[65536];
	ssize_t		n;
	int		fd;
	struct stat	sb;

	buf_init(b);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		*errstr = xasprintf("open %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) == 0 && sb.st_size > 0)
		buf_reserve(b, (size_t)sb.st_size);
	while ((n = read(fd, blk, sizeof(blk))) > 0)
		buf_add(b, blk, (size_t)n);
	close(fd);
	if (n == -1) {
		*errstr = xasprintf("read %s: %s", path, strerror(errno));
		buf_free(b);
		return -1;
	}
	return 0;
}

/* Seal data into `path` by way of tmp/: write, fsync, rename. */
static int
write_sealed(struct vault *v, const char *path, const void *data, size_t len,
    char **errstr)
{
	struct buf	 b;
	char		*tmp, rnd[17];
	size_t		 off = 0;
	ssize_t		 w;
	int		 fd;

	buf_init(&b);
	if (seal_buf(v->key, data, len, &b, errstr) == -1) {
		buf_free(&b);
		return -1;
	}
	hash_random_hex(rnd, 8);
	tmp = xasprintf("%s/tmp/vault.%s", v->spool, rnd);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) ==
	    -1) {
		*errstr = xasprintf("create %s: %s", tmp, strerror(errno));
		goto fail;
	}
	while (off < b.len) {
		if ((w = write(fd, b.s + off, b.len - off)) == -1) {
			if (errno == EINTR)
				continue;
			*errstr = xasprintf("write %s: %s", tmp,
			    strerror(errno));
			close(fd);
			unlink(tmp);
			goto fail;
		}
		off += (size_t)w;
	}
	if (fsync(fd) == -1 || close(fd) == -1) {
		*errstr = xasprintf("fsync %s: %s", tmp, strerror(errno));
		unlink(tmp);
		goto fail;
	}
	if (rename(tmp, path) == -1) {
		*errstr = xasprintf("rename %s: %s", path, strerror(errno));
		unlink(tmp);
		goto fail;
	}
	free(tmp);
	buf_free(&b);
	return 0;
fail:
	free(tmp);
	buf_free(&b);
	return -1;
}

int
vault_archive(struct vault *v, const char *qid, enum queue_dir from,
    char **errstr)
{
	struct buf	 b;
	char		*src = queue_path(v->spool, from, qid);
	char		*dst = queue_path(v->spool, Q_ARCHIVE, qid);
	int		 rv = -1;

	if (read_file(src, &b, errstr) == -1)
		goto out;
	if (b.len >= strlen(SEAL_MAGIC) &&
	    memcmp(b.s, SEAL_MAGIC, strlen(SEAL_MAGIC)) == 0) {
		/* sealed already (a run that died before the unlink) */
		rv = rename(src, dst) == -1 ? -1 : 0;
		if (rv == -1)
			*errstr = xasprintf("rename %s: %s", dst,
			    strerror(errno));
	} else if ((rv = write_sealed(v, dst, b.s, b.len, errstr)) == 0 &&
	    unlink(src) == -1) {
		*errstr = xasprintf("unlink %s: %s", src, strerror(errno));
		rv = -1;
	}
	sodium_memzero(b.s, b.len);
	buf_free(&b);
out:
	free(src);
	free(dst);
	return rv;
}

static void
release_plain(void *p)
{
	seal_plain_free(p);
}

int
vault_open_archived(struct vault *v, const char *qid, struct queue_msg *m,
    char **errstr)
{
	struct buf	 b;
	unsigned char	*plain;
	size_t		 plen;
	char		*path = queue_path(v->spool, Q_ARCHIVE, qid), *e = NULL;

	memset(m, 0, sizeof(*m));
	if (read_file(path, &b, errstr) == -1) {
		free(path);
		return -1;
	}
	if (b.len < strlen(SEAL_MAGIC) ||
	    memcmp(b.s, SEAL_MAGIC, strlen(SEAL_MAGIC)) != 0) {
		buf_free(&b);
		free(path);
		return queue_open(v->spool, Q_ARCHIVE, qid, m, errstr);
	}
	if (seal_open(v->key, b.s, b.len, &plain, &plen, &e) == -1) {
		*errstr = xasprintf("%s: %s", path, e);
		free(e);
		buf_free(&b);
		free(path);
		return -1;
	}
	buf_free(&b);
	snprintf(m->qid, sizeof(m->qid), "%s", qid);
	m->owned = plain;
	m->release = release_plain;
	if (queue_parse(m, (const char *)plain, plen) == -1) {
		*errstr = xasprintf("%s: not a queue file", path);
		queue_close(m);
		free(path);
		return -1;
	}
	free(path);
	return 0;
}

/* unlink; a file gone already is done */
static int
remove_file(char *path, char **errstr)
{
	int	r = 0;

	if (unlink(path) == -1 && errno != ENOENT) {
		*errstr = xasprintf("remove %s: %s", path, strerror(errno));
		r = -1;
	}
	free(path);
	return r;
}

int
vault_remove_archived(struct vault *v, const char *qid, char **errstr)
{
	if (!name_ok(qid)) {
		*errstr = xasprintf("archive: bad queue ID \"%s\"", qid);
		return -1;
	}
	return remove_file(queue_path(v->spool, Q_ARCHIVE, qid), errstr);
}

int
vault_remove(struct vault *v, const char *name, char **errstr)
{
	if (!name_ok(name)) {
		*errstr = xasprintf("vault: bad name \"%s\"", name);
		return -1;
	}
	return remove_file(xasprintf("%s/%s", v->dir, name), errstr);
}

int
vault_sync_removed(struct vault *v, char **errstr)
{
	if (queue_sync(v->spool, Q_ARCHIVE, errstr) == -1)
		return -1;
	return queue_fsync_dir(v->dir, errstr);
}

static int
name_ok(const char *name)
{
	const char	*p;

	if (name[0] == '\0' || name[0] == '.' || strlen(name) > 200)
		return 0;
	for (p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
		    *p == '-'))
			return 0;
	return 1;
}

int
vault_put(struct vault *v, const char *name, const void *data, size_t len,
    char **errstr)
{
	char	*path;
	int	 rv;

	if (!name_ok(name)) {
		*errstr = xasprintf("bad vault name \"%s\"", name);
		return -1;
	}
	path = xasprintf("%s/%s", v->dir, name);
	rv = write_sealed(v, path, data, len, errstr);
	free(path);
	return rv;
}

int
vault_get(struct vault *v, const char *name, unsigned char **out,
    size_t *outlen, char **errstr)
{
	struct buf	 b;
	char		*path, *e = NULL;
	int		 rv;

	if (!name_ok(name)) {
		*errstr = xasprintf("bad vault name \"%s\"", name);
		return -1;
	}
	path = xasprintf("%s/%s", v->dir, name);
	if (read_file(path, &b, errstr) == -1) {
		free(path);
		return -1;
	}
	rv = seal_open(v->key, b.s, b.len, out, outlen, &e);
	if (rv == -1) {
		*errstr = xasprintf("%s: %s", path, e);
		free(e);
	}
	buf_free(&b);
	free(path);
	return rv;
}

void
vault_free_plain(unsigned char *p)
{
	seal_plain_free(p);
}

int
vault_seal(struct vault *v, const void *data, size_t len, struct buf *out,
    char **errstr)
{
	return seal_buf(v->key, data, len, out, errstr);
}

int
vault_unseal(struct vault *v, const void *sealed, size_t len,
    unsigned char **out, size_t *outlen, char **errstr)
{
	if (len < strlen(SEAL_MAGIC) ||
	    memcmp(sealed, SEAL_MAGIC, strlen(SEAL_MAGIC)) != 0) {
		/* stored before sealing existed */
		*out = sodium_malloc(len + 1);
		if (*out == NULL) {
			*errstr = xstrdup("out of memory");
			return -1;
		}
		memcpy(*out, sealed, len);
		(*out)[len] = '\0';
		*outlen = len;
		return 0;
	}
	return seal_open(v->key, sealed, len, out, outlen, errstr);
}
