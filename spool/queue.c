/*
 * queue.c: durable spool files.
 *
 * Contract: a file appears in any queue directory other than tmp/ only
 * complete and on stable storage: written under tmp/ with O_CREAT|O_EXCL
 * and mode 0600, fsync'ed, closed and checked, renamed, and the target
 * directory fsync'ed. Callers acknowledge (deliver's exit 0) only after
 * queue_store_fd() returned 0. A writer killed at any point leaves at most
 * a tmp/ file, which queue_clean_tmp() removes later.
 *
 * Trust: message bytes are copied, never interpreted, except that a
 * leading mbox "From " line is dropped. Envelope values are %XX-escaped
 * so no envelope value can end the envelope block early.
 */
#include "autoconf.h"

#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_SYS_RANDOM_H
#include <sys/random.h>
#endif

#include "util/buf.h"
#include "util/fmt.h"
#include "util/xmalloc.h"
#include "spool/queue.h"

static const char *const queue_names[Q_NDIRS] = {
	"tmp", "incoming", "active", "deferred", "hold", "quarantine",
	"archive"
};

#define ENV_MAGIC	"PSIRT-QUEUE 1\n"

static int	 write_all(int, const char *, size_t);
static void	 new_qid(char [QUEUE_ID_MAX]);
static void	 env_put(struct buf *, const char *, const char *);
static char	*env_unescape(const char *, size_t);
static int	 qid_valid(const char *);
static int	 cmp_str(const void *, const void *);

const char *
queue_dir_name(enum queue_dir q)
{
	return queue_names[q];
}

char *
queue_path(const char *spool, enum queue_dir q, const char *qid)
{
	if (qid == NULL)
		return xasprintf("%s/%s", spool, queue_names[q]);
	return xasprintf("%s/%s/%s", spool, queue_names[q], qid);
}

int
queue_init(const char *spool, char **errstr)
{
	char	*p;
	int	 i;

	if (mkdir(spool, 0700) == -1 && errno != EEXIST) {
		*errstr = xasprintf("mkdir %s: %s", spool, strerror(errno));
		return -1;
	}
	for (i = 0; i < Q_NDIRS; i++) {
		p = queue_path(spool, i, NULL);
		if (mkdir(p, 0700) == -1 && errno != EEXIST) {
			*errstr = xasprintf("mkdir %s: %s", p, strerror(errno));
			free(p);
			return -1;
		}
		free(p);
	}
	return 0;
}

/* fsync(2) a directory; -1 with errno, and nothing allocated */
static int
sync_path(const char *dir)
{
	int	fd, e;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) == -1)
		return -1;
	if (fsync(fd) == -1) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	close(fd);
	return 0;
}

int
queue_fsync_dir(const char *dir, char **errstr)
{
	if (sync_path(dir) == -1) {
		*errstr = xasprintf("fsync %s: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t	w;

	while (n > 0) {
		if ((w = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Time-ordered and unique: seconds, microseconds, pid, random. */
static void
new_qid(char qid[QUEUE_ID_MAX])
{
	struct timeval	tv;
	unsigned int	r = 0;

#ifdef HAVE_GETRANDOM
	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
#endif
		r = (unsigned int)rand() ^ (unsigned int)getpid();
	gettimeofday(&tv, NULL);
	snprintf(qid, QUEUE_ID_MAX, "%010llX%05lX%05X%04X",
	    (unsigned long long)tv.tv_sec, (unsigned long)tv.tv_usec,
	    (unsigned int)getpid() & 0xfffff, r & 0xffff);
}

static int
qid_valid(const char *s)
{
	if (*s == '\0' || strlen(s) >= QUEUE_ID_MAX)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= 'a' && *s <= 'z') || *s == '-' || *s == '.'))
			return 0;
	return 1;
}

static void
env_put(struct buf *b, const char *key, const char *val)
{
	const unsigned char	*p;

	if (val == NULL)
		return;
	buf_printf(b, "%s ", key);
	for (p = (const unsigned char *)val; *p; p++) {
		if (*p <= 0x20 || *p >= 0x7f || *p == '%')
			buf_printf(b, "%%%02X", *p);
		else
			buf_putc(b, *p);
	}
	buf_putc(b, '\n');
}

int
queue_store_fd(const char *spool, enum queue_dir to, int in,
    const struct envelope *env, size_t max_size, char qid[QUEUE_ID_MAX],
    char **errstr)
{
	return queue_store(spool, to, in, env, max_size, 1, qid, errstr);
}

int
queue_sync(const char *spool, enum queue_dir q, char **errstr)
{
	char	*dir = queue_path(spool, q, NULL);
	int	 rv = queue_fsync_dir(dir, errstr);

	free(dir);
	return rv;
}

int
queue_store(const char *spool, enum queue_dir to, int in,
    const struct envelope *env, size_t max_size, int sync_dir,
    char qid[QUEUE_ID_MAX], char **errstr)
{
	struct buf	 hdr;
	char		*tmp = NULL, *dst = NULL, *dir = NULL, *p;
	char		 blk[65536];
	size_t		 total = 0, skip, have = 0;
	ssize_t		 n;
	int		 fd = -1, first = 1, rv = -1, infrom = 0, e;

	new_qid(qid);
	tmp = queue_path(spool, Q_TMP, qid);
	dst = queue_path(spool, to, qid);
	/* every name before the rename: after it, nothing may fail but
	 * the directory's fsync, which takes the file back */
	dir = queue_path(spool, to, NULL);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1) {
		*errstr = xasprintf("create %s: %s", tmp, strerror(errno));
		goto out;
	}
	buf_init(&hdr);
	buf_puts(&hdr, ENV_MAGIC);
	env_put(&hdr, "sender", env->sender);
	env_put(&hdr, "recipient", env->recipient);
	env_put(&hdr, "source", env->source);
	buf_printf(&hdr, "received %lld\n\n", env->received);
	if (write_all(fd, hdr.s, hdr.len) == -1) {
		*errstr = xasprintf("write %s: %s", tmp, strerror(errno));
		buf_free(&hdr);
		goto out;
	}
	buf_free(&hdr);

	for (;;) {
		if ((n = read(in, blk + have, sizeof(blk) - have)) == -1) {
			if (errno == EINTR)
				continue;
			*errstr = xasprintf("read message: %s",
			    strerror(errno));
			goto out;
		}
		have += (size_t)n;
		/* decide about an mbox From_ line on 5 bytes, or at EOF */
		if (first && have < 5 && n > 0)
			continue;
		if (first && have >= 5 && memcmp(blk, "From ", 5) == 0)
			infrom = 1;
		first = 0;
		skip = 0;
		if (infrom) {
			/* drop the mbox From_ line, however long */
			if ((p = memchr(blk, '\n', have)) == NULL) {
				if (n == 0)
					break;
				have = 0;
				continue;
			}
			skip = (size_t)(p - blk) + 1;
			infrom = 0;
		}
		total += have - skip;
		if (total > max_size) {
			rv = -2;
			*errstr = xasprintf("message larger than "
			    "message_size_limit (%zu bytes)", max_size);
			goto out;
		}
		if (write_all(fd, blk + skip, have - skip) == -1) {
			*errstr = xasprintf("write %s: %s", tmp,
			    strerror(errno));
			goto out;
		}
		have = 0;
		if (n == 0)
			break;
	}
	if (fsync(fd) == -1) {
		*errstr = xasprintf("fsync %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (close(fd) == -1) {
		fd = -1;
		*errstr = xasprintf("close %s: %s", tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, dst) == -1) {
		*errstr = xasprintf("rename %s, %s: %s", tmp, dst,
		    strerror(errno));
		goto out;
	}
	if (sync_dir && sync_path(dir) == -1) {
		/* the file is there but maybe not durable: don't claim it
		 * (and take it back before anything may fail) */
		e = errno;
		unlink(dst);
		*errstr = xasprintf("fsync %s: %s", dir, strerror(e));
		goto out;
	}
	rv = 0;
out:
	if (fd != -1)
		close(fd);
	if (rv != 0)
		unlink(tmp);
	free(tmp);
	free(dst);
	free(dir);
	return rv;
}

int
queue_move(const char *spool, const char *qid, enum queue_dir from,
    enum queue_dir to, char **errstr)
{
	char	*src, *dst;
	int	 rv = -1;

	if (!qid_valid(qid)) {
		*errstr = xasprintf("bad queue ID \"%s\"", qid);
		return -1;
	}
	src = queue_path(spool, from, qid);
	dst = queue_path(spool, to, qid);
	/*
	 * No fsync: rename(2) is atomic, so after a crash the file is in
	 * `from` or in `to`, never lost; every caller has recorded the
	 * outcome in the store first, and a file found again in active/
	 * whose queue ID the store knows is simply archived.
	 */
	if (rename(src, dst) == -1)
		*errstr = xasprintf("rename %s/%s, %s/%s: %s",
		    queue_names[from], qid, queue_names[to], qid,
		    strerror(errno));
	else
		rv = 0;
	free(src);
	free(dst);
	return rv;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
queue_list(const char *spool, enum queue_dir q, char ***idsp, size_t *np,
    char **errstr)
{
	DIR		*d;
	struct dirent	*de;
	char		*dir, **ids = NULL;
	size_t		 n = 0, cap = 0;

	dir = queue_path(spool, q, NULL);
	if ((d = opendir(dir)) == NULL) {
		*errstr = xasprintf("opendir %s: %s", dir, strerror(errno));
		free(dir);
		return -1;
	}
	free(dir);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || !qid_valid(de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			ids = xrealloc(ids, cap * sizeof(*ids));
		}
		ids[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(ids, n, sizeof(*ids), cmp_str);
	*idsp = ids;
	*np = n;
	return 0;
}

void
queue_list_free(char **ids, size_t n)
{
	strv_free(ids, n);
}

static char *
env_unescape(const char *s, size_t n)
{
	struct buf	b;
	size_t		i;

	buf_init(&b);
	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && fmt_hexval(s[i + 1]) >= 0 &&
		    fmt_hexval(s[i + 2]) >= 0) {
			buf_putc(&b, fmt_hexval(s[i + 1]) * 16 + fmt_hexval(s[i + 2]));
			i += 2;
		} else
			buf_putc(&b, s[i]);
	}
	return buf_release(&b);
}

int
queue_open(const char *spool, enum queue_dir q, const char *qid,
    struct queue_msg *m, char **errstr)
{
	struct stat	 st;
	char		*path;
	int		 fd;

	memset(m, 0, sizeof(*m));
	if (!qid_valid(qid)) {
		*errstr = xasprintf("bad queue ID \"%s\"", qid);
		return -1;
	}
	snprintf(m->qid, sizeof(m->qid), "%s", qid);
	path = queue_path(spool, q, qid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		*errstr = xasprintf("open %s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		free(path);
		return -1;
	}
	m->maplen = (size_t)st.st_size;
	if (m->maplen > 0) {
		m->map = mmap(NULL, m->maplen, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m->map == MAP_FAILED) {
			*errstr = xasprintf("mmap %s: %s", path,
			    strerror(errno));
			m->map = NULL;
			close(fd);
			free(path);
			return -1;
		}
	}
	close(fd);
	if (queue_parse(m, m->map, m->maplen) == -1) {
		*errstr = xasprintf("%s: not a queue file", path);
		free(path);
		queue_close(m);
		return -1;
	}
	free(path);
	return 0;
}

int
queue_parse(struct queue_msg *m, const char *buf, size_t len)
{
	const char	*p = buf, *end = buf + len, *nl, *sp;

	if (len < strlen(ENV_MAGIC) ||
	    memcmp(p, ENV_MAGIC, strlen(ENV_MAGIC)) != 0)
		return -1;
	p += strlen(ENV_MAGIC);
	while (p < end && *p != '\n') {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
		if ((sp = memchr(p, ' ', (size_t)(nl - p))) != NULL) {
			size_t	 kl = (size_t)(sp - p);
			char	*v = env_unescape(sp + 1,
				    (size_t)(nl - sp - 1));

			if (kl == 6 && memcmp(p, "sender", 6) == 0)
				m->env.sender = v;
			else if (kl == 9 && memcmp(p, "recipient", 9) == 0)
				m->env.recipient = v;
			else if (kl == 6 && memcmp(p, "source", 6) == 0)
				m->env.source = v;
			else {
				if (kl == 8 && memcmp(p, "received", 8) == 0)
					m->env.received = strtoll(v, NULL, 10);
				free(v);
			}
		}
		p = nl + 1;
	}
	if (p < end)
		p++;		/* the empty line */
	m->data = p;
	m->len = (size_t)(end - p);
	return 0;
}

void
envelope_free(struct envelope *e)
{
	free(e->sender);
	free(e->recipient);
	free(e->source);
	memset(e, 0, sizeof(*e));
}

void
queue_close(struct queue_msg *m)
{
	if (m->map)
		munmap(m->map, m->maplen);
	if (m->release)
		m->release(m->owned);
	envelope_free(&m->env);
	memset(m, 0, sizeof(*m));
}

int
queue_lock(const char *spool, int wait)
{
	char	*p;
	int	 fd;

	p = xasprintf("%s/runner.lock", spool);
	fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	free(p);
	if (fd == -1)
		return -2;
	while (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) == -1) {
		if (errno == EINTR)
			continue;
		close(fd);
		return errno == EWOULDBLOCK ? -1 : -2;
	}
	return fd;
}

void
queue_clean_tmp(const char *spool, long long max_age)
{
	char		**ids, *p;
	size_t		  n, i;
	struct stat	  st;
	char		 *err = NULL;
	time_t		  now = time(NULL);

	if (queue_list(spool, Q_TMP, &ids, &n, &err) == -1) {
		free(err);
		return;
	}
	for (i = 0; i < n; i++) {
		p = queue_path(spool, Q_TMP, ids[i]);
		if (stat(p, &st) == 0 && now - st.st_mtime > max_age)
			unlink(p);
		free(p);
	}
	queue_list_free(ids, n);
}

/*
 * Stamps for monitoring (`status`): spool/last-NAME holds the time of the
 * last successful run of NAME as decimal seconds. Written by rename, so a
 * reader sees the old or the new time; not synced: a stamp lost in a
 * crash only makes the run look older.
 */
int
queue_stamp(const char *spool, const char *name, long long t)
{
	char	*tmp, *path;
	FILE	*fp;
	int	 rv = -1;

	tmp = xasprintf("%s/tmp/last-%s.%ld", spool, name, (long)getpid());
	path = xasprintf("%s/last-%s", spool, name);
	if ((fp = fopen(tmp, "w")) != NULL) {
		rv = fprintf(fp, "%lld\n", t) > 0 ? 0 : -1;
		if (fclose(fp) == EOF)
			rv = -1;
		if (rv == 0)
			rv = rename(tmp, path);
		if (rv == -1)
			unlink(tmp);
	}
	free(tmp);
	free(path);
	return rv;
}

long long
queue_stamp_get(const char *spool, const char *name)
{
	char		*path;
	FILE		*fp;
	long long	 t = 0;

	path = xasprintf("%s/last-%s", spool, name);
	if ((fp = fopen(path, "r")) != NULL) {
		if (fscanf(fp, "%lld", &t) != 1 || t < 0)
			t = 0;
		fclose(fp);
	}
	free(path);
	return t;
}
