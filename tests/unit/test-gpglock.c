/*
 * test-gpglock.c: the keyring lock of gpg.c. While another process
 * imports a key and deletes it again, over and over (the import through
 * gpg_import, the deletion by gpg under flock(1) on the same lock files,
 * as psirt-agent(8) tells a script to), every verification of a good
 * signature in the same GnuPG home says "valid". Without the lock a
 * gpg that reads pubring.kbx while it is being replaced reports no
 * signature or no public key, or aborts (110-imap.t saw it in CI with
 * parallel workers).
 */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "crypto/gpg.h"

#define VERIFIES	200	/* verifications while the keyring changes, */
#define MIN_CHANGES	30	/* import+delete rounds meanwhile, at least */
#define MAX_VERIFIES	3000	/* (a writer that cannot get in fails) */

static char		 dir[64], home[96];
static struct gpg	*g;
static char		*fpr_a, *signed_msg, *key_b, fpr_b[64];
static size_t		 signed_len, key_b_len;

/* Run a shell command line; 0 when it exited 0. */
static int
sh(const char *fmt, ...)
{
	char	cmd[1024];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd) == 0 ? 0 : -1;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	*fp = fopen(path, "rb");
	char	*s;
	long	 n;

	if (fp == NULL || fseek(fp, 0, SEEK_END) == -1 ||
	    (n = ftell(fp)) <= 0 || fseek(fp, 0, SEEK_SET) == -1 ||
	    (s = malloc((size_t)n + 1)) == NULL) {
		if (fp)
			fclose(fp);
		return NULL;
	}
	*len = fread(s, 1, (size_t)n, fp);
	s[*len] = '\0';
	fclose(fp);
	return s;
}

static int
setup(void **state)
{
	char	*err = NULL, p[160];
	FILE	*fp;
	size_t	 n;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/psirt-gl.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(home, sizeof(home), "%s/gnupg", dir);
	if (sh("mkdir -m 700 %s", home) == -1 ||
	    gpg_open(home, 1 << 20, &g, &err) == -1 ||
	    gpg_generate(g, "Signer <a@example.org>", &fpr_a, &err) == -1 ||
	    gpg_encrypt_sign(g, fpr_a, fpr_a, "hello\n", 6, &signed_msg,
	    &signed_len, &err) == -1) {
		fprintf(stderr, "# setup: %s\n", err ? err : "mkdir");
		return -1;
	}
	/* the other key, made by gpg and kept only as an export */
	if (sh("gpg --homedir %s --batch --quiet --passphrase '' "
	    "--quick-gen-key b@example.org ed25519 sign never 2>/dev/null",
	    home) == -1 ||
	    sh("gpg --homedir %s --with-colons --list-keys b@example.org "
	    "2>/dev/null | awk -F: '/^fpr/ { print $10; exit }' >%s/fpr", home, dir) == -1 ||
	    sh("gpg --homedir %s --armor --export b@example.org >%s/b.pub",
	    home, dir) == -1)
		return -1;
	snprintf(p, sizeof(p), "%s/fpr", dir);
	if ((fp = fopen(p, "r")) == NULL ||
	    fgets(fpr_b, sizeof(fpr_b), fp) == NULL) {
		if (fp)
			fclose(fp);
		return -1;
	}
	fclose(fp);
	fpr_b[strcspn(fpr_b, "\n")] = '\0';
	if (sh("gpg --homedir %s --batch --yes --delete-secret-and-public-key "
	    "%s 2>/dev/null", home, fpr_b) == -1)
		return -1;
	snprintf(p, sizeof(p), "%s/b.pub", dir);
	if ((key_b = slurp(p, &n)) == NULL)
		return -1;
	key_b_len = n;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	gpg_close(&g);
	free(fpr_a);
	free(signed_msg);
	free(key_b);
	(void)sh("gpgconf --homedir %s --kill all 2>/dev/null", home);
	return sh("rm -rf %s", dir);
}

/*
 * The writer: import (gpg_import) and delete (gpg under the locks)
 * until the parent closes its end of `stop`; each round done is a byte
 * on `done`. Exits 0 after a whole round, never in the middle of one.
 */
static void
writer(int stop, int done)
{
	char	*err, c;
	int	 n;

	for (;;) {
		err = NULL;
		if (gpg_import(g, GPG_PGP, key_b, key_b_len, &n, NULL,
		    NULL, &err) == -1) {
			fprintf(stderr, "# writer: %s\n", err);
			_exit(2);
		}
		if (sh("flock %s/psirt-keyring.gate flock "
		    "%s/psirt-keyring.lock gpg --homedir %s --batch --yes "
		    "--delete-key %s 2>/dev/null", home, home, home,
		    fpr_b) == -1)
			_exit(3);
		if (write(done, "x", 1) != 1)
			_exit(4);
		if (read(stop, &c, 1) == 0)
			_exit(0);	/* the parent is done */
	}
}

static void
verify_while_keyring_changes(void **state)
{
	struct sig_info	*sigs;
	size_t		 nsig, outlen, i;
	char		*out, *err, buf[4096], first_bad[512] = "";
	int		 p[2], q[2], st, bad = 0;
	long		 changes = 0;
	ssize_t		 r;
	pid_t		 pid;

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(pipe(q), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		close(p[0]);
		close(q[1]);
		if (fcntl(q[0], F_SETFL, O_NONBLOCK) == -1)
			_exit(5);
		writer(q[0], p[1]);
	}
	close(p[1]);
	close(q[0]);
	assert_int_equal(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
	for (i = 0; i < MAX_VERIFIES &&
	    (i < VERIFIES || changes < MIN_CHANGES); i++) {
		while ((r = read(p[0], buf, sizeof(buf))) > 0)
			changes += r;
		err = NULL;
		if (gpg_decrypt(g, GPG_PGP, signed_msg, signed_len, &out,
		    &outlen, &sigs, &nsig, &err) == -1 || nsig != 1 ||
		    sigs[0].status != SIG_VALID) {
			if (bad++ == 0)
				snprintf(first_bad, sizeof(first_bad),
				    "%s; %zu signature(s), %s", err ? err :
				    "decrypted", nsig, nsig ? (sigs[0].detail ?
				    sigs[0].detail : sig_status_name(
				    sigs[0].status)) : "-");
		}
		if (err == NULL) {
			free(out);
			sig_info_free(sigs, nsig);
		}
		free(err);
	}
	close(q[1]);		/* the writer ends its round and exits */
	while (waitpid(pid, &st, 0) == -1)
		assert_int_equal(errno, EINTR);
	close(p[0]);
	if (bad)
		fprintf(stderr, "# %d of %zu verifications failed, the first: "
		    "%s\n", bad, i, first_bad);
	fprintf(stderr, "# %zu verifications, %ld keyring changes "
	    "meanwhile\n", i, changes);
	/* the writer ran all along and did not fail */
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_true(changes >= MIN_CHANGES);
	assert_int_equal(bad, 0);
}

/*
 * A lock file that cannot be opened (here a symlink, which the agent
 * does not follow): the operations go on, unlocked, and the process
 * says so once.
 */
static void
no_lock_warns_once(void **state)
{
	struct sig_info	*sigs;
	size_t		 nsig, outlen, len = 0;
	char		*out, *err, path[160], log[160], *text;
	int		 i, saved, fd;

	(void)state;
	snprintf(path, sizeof(path), "%s/psirt-keyring.lock", home);
	snprintf(log, sizeof(log), "%s/stderr", dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink("/dev/null", path), 0);
	fflush(stderr);
	saved = dup(2);
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(saved != -1 && fd != -1 && dup2(fd, 2) == 2);
	for (i = 0; i < 2; i++) {
		err = NULL;
		assert_int_equal(gpg_decrypt(g, GPG_PGP, signed_msg,
		    signed_len, &out, &outlen, &sigs, &nsig, &err), 0);
		assert_int_equal(nsig, 1);
		assert_int_equal(sigs[0].status, SIG_VALID);
		free(out);
		sig_info_free(sigs, nsig);
	}
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fd);
	unlink(path);
	assert_non_null(text = slurp(log, &len));
	assert_non_null(strstr(text, "psirt-keyring.lock: keyring "
	    "operations go on without the lock"));
	assert_null(strstr(strstr(text, "without the lock") + 1,
	    "without the lock"));
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(verify_while_keyring_changes),
		cmocka_unit_test(no_lock_warns_once),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
