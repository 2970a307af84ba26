/*
 * backup.c: `psirt-agent backup DIR`, an online backup that is itself
 * an instance: DIR/psirt.db (SQLite's online backup API: a consistent
 * copy while deliveries and runs go on), DIR/spool (taken under the
 * queue runner lock, so no run moves a file meanwhile), the seal and
 * audit keys, the GnuPG home (keys and S/MIME keys; not its sockets),
 * the policy directory, and DIR/psirt-agent.conf: the configuration
 * with its paths pointed at the copies. Restoring is using DIR (or
 * copying it back): `psirt-agent -c DIR/psirt-agent.conf check`.
 * Everything is written 0600/0700 and fsync'ed.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "agent/agent.h"
#include "agent/config.h"
#include "crypto/gpg.h"
#include "util/log.h"
#include "util/buf.h"
#include "util/fmt.h"
#include "util/xmalloc.h"
#include "spool/queue.h"
#include "spool/store.h"

cmd_fn	cmd_backup;

struct copied {
	long long	 files, bytes;
};

/* Copy one regular file, 0600, fsync'ed. */
static int
copy_file(const char *from, const char *to, struct copied *n, char **errstr)
{
	char	buf[65536];
	ssize_t	r;
	int	in, out = -1, rv = -1;

	if ((in = open(from, O_RDONLY | O_CLOEXEC)) == -1) {
		*errstr = xasprintf("%s: %s", from, strerror(errno));
		return -1;
	}
	if ((out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1) {
		*errstr = xasprintf("%s: %s", to, strerror(errno));
		goto out;
	}
	while ((r = read(in, buf, sizeof(buf))) > 0) {
		if (write(out, buf, (size_t)r) != r) {
			*errstr = xasprintf("%s: %s", to, strerror(errno));
			goto out;
		}
		n->bytes += r;
	}
	if (r == -1 || fsync(out) == -1) {
		*errstr = xasprintf("%s: %s", r == -1 ? from : to,
		    strerror(errno));
		goto out;
	}
	n->files++;
	rv = 0;
out:
	close(in);
	if (out != -1 && close(out) == -1 && rv == 0) {
		*errstr = xasprintf("%s: %s", to, strerror(errno));
		rv = -1;
	}
	return rv;
}

/* Copy a directory tree: directories 0700, regular files 0600;
 * sockets, pipes, links and the names `skip` lists (",a,b,") are left
 * out. */
static int
copy_tree(const char *from, const char *to, const char *skip,
    struct copied *n, char **errstr)
{
	DIR		*d;
	struct dirent	*e;
	struct stat	 sb;
	char		*f, *t, key[300];
	int		 rv = 0;

	if (mkdir(to, 0700) == -1 && errno != EEXIST) {
		*errstr = xasprintf("%s: %s", to, strerror(errno));
		return -1;
	}
	if ((d = opendir(from)) == NULL) {
		*errstr = xasprintf("%s: %s", from, strerror(errno));
		return -1;
	}
	while (rv == 0 && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(key, sizeof(key), ",%s,", e->d_name);
		if (skip && strstr(skip, key))
			continue;
		f = xasprintf("%s/%s", from, e->d_name);
		t = xasprintf("%s/%s", to, e->d_name);
		if (lstat(f, &sb) == -1) {
			/* gone meanwhile (a file deliver just renamed) */
			if (errno != ENOENT) {
				*errstr = xasprintf("%s: %s", f,
				    strerror(errno));
				rv = -1;
			}
		} else if (S_ISDIR(sb.st_mode))
			rv = copy_tree(f, t, NULL, n, errstr);
		else if (S_ISREG(sb.st_mode))
			rv = copy_file(f, t, n, errstr);
		free(f);
		free(t);
	}
	closedir(d);
	return rv;
}

static int
sync_dir(const char *path)
{
	int	fd, r;

	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	r = fsync(fd);
	close(fd);
	return r;
}

int
cmd_backup(struct agent *a, int argc, char **argv)
{
	const struct config	*cf = a->cf;
	struct copied		 n;
	struct buf		 conf;
	struct stat		 sb;
	char			*err = NULL, *p, *pdir, *slash, t[32];
	const char		*dir;
	int			 lock = -1, fd, rv = EX_TEMPFAIL;

	if (argc != 2) {
		fprintf(stderr, "usage: psirt-agent backup DIR\n");
		return EX_USAGE;
	}
	dir = argv[1];
	memset(&n, 0, sizeof(n));
	if (mkdir(dir, 0700) == -1) {
		log_warnx("backup: %s: %s (give a new directory)", dir,
		    strerror(errno));
		return errno == EEXIST ? EX_USAGE : EX_CANTCREAT;
	}
	buf_init(&conf);
	/* the store and the spool as one moment: no run moves a file
	 * while they are copied */
	if ((lock = queue_lock(cf->spool_directory, 1)) < 0) {
		err = xstrdup("cannot take the queue runner lock");
		goto out;
	}
	/* the audit anchor before the store: every head it holds covers
	 * events the store's copy has (a run may sign meanwhile) */
	if (stat(cf->audit_anchor_file, &sb) == 0) {
		p = xasprintf("%s/audit.anchor", dir);
		rv = copy_file(cf->audit_anchor_file, p, &n, &err);
		free(p);
		if (rv == -1)
			goto fail;
	}
	p = xasprintf("%s/psirt.db", dir);
	rv = store_backup(a->st, p, &err);
	free(p);
	if (rv == -1)
		goto fail;
	p = xasprintf("%s/spool", dir);
	rv = copy_tree(cf->spool_directory, p, ",tmp,runner.lock,", &n, &err);
	if (rv == 0) {
		free(p);
		p = xasprintf("%s/spool/tmp", dir);
		if (mkdir(p, 0700) == -1 && errno != EEXIST)
			rv = -1;
	}
	free(p);
	close(lock);
	lock = -1;
	if (rv == -1)
		goto fail;
	p = xasprintf("%s/seal.key", dir);
	rv = copy_file(cf->seal_key_file, p, &n, &err);
	free(p);
	if (rv == 0 && stat(cf->audit_key_file, &sb) == 0) {
		p = xasprintf("%s/audit.key", dir);
		rv = copy_file(cf->audit_key_file, p, &n, &err);
		free(p);
	}
	if (rv == 0 && stat(cf->gnupg_home, &sb) == 0) {
		/* no gpg of ours rewrites the keyring meanwhile */
		int	kl = gpg_home_lock(cf->gnupg_home, 0);

		p = xasprintf("%s/gnupg", dir);
		rv = copy_tree(cf->gnupg_home, p, NULL, &n, &err);
		free(p);
		if (kl != -1)
			close(kl);
	}
	/* the policy's directory (its templates are beside it) */
	pdir = xstrdup(cf->policy_file);
	if ((slash = strrchr(pdir, '/')) != NULL)
		*slash = '\0';
	if (rv == 0) {
		p = xasprintf("%s/policies", dir);
		rv = copy_tree(slash ? pdir : ".", p, NULL, &n, &err);
		free(p);
	}
	if (rv == -1) {
		free(pdir);
		goto fail;
	}
	/* the configuration, its paths pointed at the copies (the last
	 * setting of a name counts) */
	if (cf->path && stat(cf->path, &sb) == 0) {
		FILE	*fp = fopen(cf->path, "r");
		char	 line[4096];

		while (fp && fgets(line, sizeof(line), fp))
			buf_puts(&conf, line);
		if (fp == NULL || ferror(fp)) {
			err = xasprintf("read %s: %s", cf->path,
			    strerror(errno));
			if (fp)
				fclose(fp);
			free(pdir);
			goto fail;
		}
		fclose(fp);
		if (conf.len && conf.s[conf.len - 1] != '\n')
			buf_putc(&conf, '\n');
	}
	fmt_utc(fmt_now(), "%Y-%m-%dT%H:%M:%SZ", t, sizeof(t));
	buf_printf(&conf, "\n# psirt-agent backup of %s at %s: the paths "
	    "of this copy\nspool_directory = spool\ndatabase = psirt.db\n"
	    "seal_key_file = seal.key\naudit_key_file = audit.key\n"
	    "audit_anchor_file = audit.anchor\n"
	    "gnupg_home = gnupg\npolicy_file = policies/%s\n",
	    cf->path ? cf->path : "(defaults)", t, slash ? slash + 1 :
	    cf->policy_file);
	free(pdir);
	p = xasprintf("%s/psirt-agent.conf", dir);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1 || write(fd, conf.s, conf.len) != (ssize_t)conf.len ||
	    fsync(fd) == -1) {
		err = xasprintf("%s: %s", p, strerror(errno));
		if (fd != -1)
			close(fd);
		free(p);
		goto fail;
	}
	close(fd);
	free(p);
	if (sync_dir(dir) == -1) {
		err = xasprintf("%s: %s", dir, strerror(errno));
		goto fail;
	}
	printf("backup: %s: the store, %lld files (%lld bytes) of spool, "
	    "keys and policy; use it with psirt-agent -c "
	    "%s/psirt-agent.conf\n", dir, n.files, n.bytes, dir);
	rv = EX_OK;
	goto out;
fail:
	rv = EX_IOERR;
out:
	if (lock >= 0)
		close(lock);
	if (err) {
		log_warnx("backup: %s (the backup in %s is not complete)", err,
		    dir);
		free(err);
	}
	buf_free(&conf);
	return rv;
}
