/*
 * init.c: `psirt-agent init [--address A] [--name N] [--sendmail CMD]
 * DIR` creates a self-contained instance: DIR/psirt-agent.conf, the
 * demo policy and templates (built into the binary, see demo.h), the
 * spool, the SQLite database, the key for sealed storage and a private
 * GnuPG home, all mode 0600/0700. It refuses to overwrite an existing configuration.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "agent/agent.h"
#include "agent/config.h"
#include "crypto/cms.h"
#include "crypto/gpg.h"
#include "cli/keys.h"
#include "util/log.h"
#include "util/xmalloc.h"
#include "policies/demo.h"
#include "spool/queue.h"
#include "spool/seal.h"
#include "spool/store.h"

cmd_fn	cmd_init;

static int	mkdirs(const char *, char **);
static int	write_file(const char *, const char *, char **);
static int	gnupg_conf(const char *, char **);
static int	generate(const struct config *, const char *, char **);

/*
 * gpgsm works offline: no CRL fetches, no dirmngr. gpg-agent must never
 * ask whether to trust a root certificate: with nobody at a terminal
 * that question breaks the gpgsm session (GPGME: "Invalid value passed
 * to IPC"); trust is given in trustlist.txt.
 */
static int
gnupg_conf(const char *home, char **errstr)
{
	char	*p = xasprintf("%s/gpgsm.conf", home);
	int	 rv;

	rv = write_file(p, "disable-crl-checks\ndisable-dirmngr\n", errstr);
	free(p);
	if (rv == -1)
		return -1;
	p = xasprintf("%s/gpg-agent.conf", home);
	rv = write_file(p, "no-allow-mark-trusted\n", errstr);
	free(p);
	return rv;
}

/* --generate-keys: the team's key pair, its fingerprint in the config. */
static int
generate(const struct config *cf, const char *dir, char **errstr)
{
	struct gpg	*g = NULL;
	FILE		*fp;
	char		*fpr = NULL, *sfpr = NULL, *path;
	int		 rv = -1;

	if (gpg_open(cf->gnupg_home, cf->limits.decrypted_size, &g,
	    errstr) == -1 || keys_generate(g, cf->gnupg_home,
	    cf->psirt_address, cf->psirt_name, &fpr, &sfpr, errstr) == -1)
		goto out;
	path = xasprintf("%s/psirt-agent.conf", dir);
	if ((fp = fopen(path, "a")) == NULL ||
	    fprintf(fp, "psirt_fingerprint = %s\n"
	    "psirt_smime_fingerprint = %s\n", fpr, sfpr) < 0 ||
	    fclose(fp) == EOF) {
		*errstr = xasprintf("append to %s", path);
		free(path);
		goto out;
	}
	free(path);
	printf("OpenPGP key %s\nS/MIME certificate %s\n", fpr, sfpr);
	rv = 0;
out:
	free(fpr);
	free(sfpr);
	gpg_close(&g);
	cms_done();
	return rv;
}

/* mkdir -p with mode 0700 for every component we create. */
static int
mkdirs(const char *path, char **errstr)
{
	char	*p = xstrdup(path), *s;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) == -1 && errno != EEXIST)
			goto fail;
		*s = '/';
	}
	if (mkdir(p, 0700) == -1 && errno != EEXIST)
		goto fail;
	free(p);
	return 0;
fail:
	*errstr = xasprintf("mkdir %s: %s", p, strerror(errno));
	free(p);
	return -1;
}

static int
write_file(const char *path, const char *text, char **errstr)
{
	FILE	*fp;
	int	 fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1 ||
	    (fp = fdopen(fd, "w")) == NULL) {
		*errstr = xasprintf("create %s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	fputs(text, fp);
	if (fflush(fp) == EOF || fsync(fd) == -1 || fclose(fp) == EOF) {
		*errstr = xasprintf("write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int
cmd_init(struct agent *a, int argc, char **argv)
{
	(void)a;
	static const struct option longopts[] = {
		{ "address", required_argument, NULL, 'a' },
		{ "sendmail", required_argument, NULL, 's' },
		{ "name", required_argument, NULL, 'n' },
		{ "generate-keys", no_argument, NULL, 'g' },
		{ "data", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 }
	};
	const struct demo_file	*df;
	struct config		*cf = NULL;
	struct store		*st = NULL;
	struct seal_key		*sk = NULL;
	const char		*address = NULL, *sendmail = NULL;
	const char		*name = NULL, *data = NULL;
	struct stat		 sb;
	char			*dir, *path, *err = NULL, *slash;
	int			 ch, genkeys = 0;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "a:s:n:gd:", longopts, NULL)) != -1)
		switch (ch) {
		case 'd':
			data = optarg;
			break;
		case 'g':
			genkeys = 1;
			break;
		case 'a':
			address = optarg;
			break;
		case 's':
			sendmail = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		default:
			goto usage;
		}
	/* --data CONF: the data an existing configuration names (a
	 * packaged /etc configuration): spool, store, seal key, GnuPG
	 * home; what exists already is kept */
	if (data) {
		if (optind != argc || address || sendmail || name)
			goto usage;
		if (config_load(data, &cf, &err) == -1)
			goto fail;
		dir = cf->dir;
		if (stat(cf->seal_key_file, &sb) == 0)
			goto data;
		goto seal;
	}
	/* no DIR: the default configuration's directory, where the
	 * commands look without -c */
	if (optind < argc - 1)
		goto usage;
	dir = optind == argc - 1 ? argv[optind] : CONFIG_DIR;
	if (mkdirs(dir, &err) == -1)
		goto fail;
	path = xasprintf("%s/psirt-agent.conf", dir);
	if (config_write_default(path, address, sendmail, &err) == -1) {
		free(path);
		goto fail;
	}
	if (name) {
		FILE	*fp = fopen(path, "a");

		if (fp == NULL || fprintf(fp, "psirt_name = %s\n", name) < 0 ||
		    fclose(fp) == EOF) {
			err = xasprintf("append to %s", path);
			free(path);
			goto fail;
		}
	}
	if (config_load(path, &cf, &err) == -1) {
		free(path);
		goto fail;
	}
	free(path);
	for (df = demo_files; df->name; df++) {
		path = xasprintf("%s/%s", dir, df->name);
		slash = strrchr(path, '/');
		*slash = '\0';
		if (mkdirs(path, &err) == -1) {
			free(path);
			goto fail;
		}
		*slash = '/';
		if (write_file(path, df->text, &err) == -1) {
			free(path);
			goto fail;
		}
		free(path);
	}
seal:
	if (seal_key_create(cf->seal_key_file, &err) == -1)
		goto fail;
data:
	path = xasprintf("%s/gpgsm.conf", cf->gnupg_home);
	ch = stat(path, &sb) == 0;	/* a GnuPG home made before */
	free(path);
	if (queue_init(cf->spool_directory, &err) == -1 ||
	    mkdirs(cf->gnupg_home, &err) == -1 ||
	    chmod(cf->gnupg_home, 0700) == -1 ||
	    (!ch && gnupg_conf(cf->gnupg_home, &err) == -1) ||
	    seal_key_load(cf->seal_key_file, &sk, &err) == -1 ||
	    store_open(cf->database, sk, &st, &err) < 0)
		goto fail;
	store_close(&st);
	seal_key_free(&sk);
	if (genkeys && generate(cf, dir, &err) == -1)
		goto fail;
	if (data)
		printf("created the data of %s for %s\n", data,
		    cf->psirt_address);
	else
		printf("created %s/psirt-agent.conf for %s\n", dir,
		    cf->psirt_address);
	config_free(&cf);
	return EX_OK;
fail:
	log_warnx("init: %s", err ? err : strerror(errno));
	free(err);
	seal_key_free(&sk);
	config_free(&cf);
	return EX_CANTCREAT;
usage:
	fprintf(stderr, "usage: psirt-agent init [--address ADDR] "
	    "[--name NAME] [--sendmail \"COMMAND ARGS\"] "
	    "[--generate-keys] [DIR]\n"
	    "       psirt-agent init --data CONFIG [--generate-keys]\n");
	return EX_USAGE;
}
