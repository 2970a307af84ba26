/*
 * fuzz-policy: libFuzzer target for the psirt-policy(5) loader
 * (policies/policy.c with raci.c, clocks.c, template.c and the PCRE2
 * rules of parsers/regex.c), then for what a loaded policy does with a
 * message: the match rules, case IDs, severity bands, TLP recipients.
 *
 * The file is the operator's, but a mistake in it must give
 * "file:line: reason", never a crash or a leak. policy_load() reads a
 * path, so each input is written to psirt.policy in a directory of the
 * process's own; beside it, templates/ holds the built-in templates, so
 * that a policy naming "templates" (as the demo one does) loads whole.
 *
 * An input that could make the loader read a file outside that
 * directory (a "holidays" statement with a '/' anywhere in the input)
 * is skipped: /dev/zero or a FIFO would only hang the fuzzer, and the
 * operator is trusted to name a file that ends.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policies/demo.h"
#include "policies/policy.h"
#include "tests/fuzz/fuzz.h"

static char	 dir[64];
static char	 path[96];

static void	 setup(void);
static void	 cleanup(void);
static void	 put(const char *, const char *, size_t);
static int	 reads_outside(const uint8_t *, size_t);
static void	 use(const struct policy *, const char *);

static void
put(const char *file, const char *s, size_t n)
{
	int	fd;

	if ((fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1 || (n > 0 && write(fd, s, n) != (ssize_t)n) ||
	    close(fd) == -1)
		abort();
}

/* The directory, its templates/ from the built-in demo files. */
static void
setup(void)
{
	const struct demo_file	*f;
	const char		*base;
	char			 tdir[96], file[256];

	snprintf(dir, sizeof(dir), "/tmp/psirt-fuzz-policy.XXXXXX");
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(path, sizeof(path), "%s/psirt.policy", dir);
	snprintf(tdir, sizeof(tdir), "%s/templates", dir);
	if (mkdir(tdir, 0700) == -1)
		abort();
	for (f = demo_files; f->name != NULL; f++) {
		if (strncmp(f->name, "policies/templates/", 19) != 0)
			continue;
		base = f->name + 19;
		snprintf(file, sizeof(file), "%s/%s", tdir, base);
		put(file, f->text, strlen(f->text));
	}
	atexit(cleanup);
}

static void
cleanup(void)
{
	const struct demo_file	*f;
	char			 file[256];

	for (f = demo_files; f->name != NULL; f++)
		if (strncmp(f->name, "policies/templates/", 19) == 0) {
			snprintf(file, sizeof(file), "%s/templates/%s", dir,
			    f->name + 19);
			unlink(file);
		}
	snprintf(file, sizeof(file), "%s/templates", dir);
	rmdir(file);
	unlink(path);
	rmdir(dir);
}

/*
 * "holidays" (written with any backslashes of a quoted string in it)
 * and a '/': the one statement that opens a file the input names.
 */
static int
reads_outside(const uint8_t *data, size_t size)
{
	static const char	 kw[] = "holidays";
	size_t			 i, k = 0;

	if (memchr(data, '/', size) == NULL)
		return 0;
	for (i = 0; i < size; i++) {
		if (data[i] == '\\')
			continue;
		k = data[i] == kw[k] ? k + 1 : data[i] == kw[0];
		if (k == sizeof(kw) - 1)
			return 1;
	}
	return 0;
}

/* What the agent asks of a policy, with the input as the message. */
static void
use(const struct policy *pol, const char *text)
{
	struct policy_facts	 f = { text, text, "a@b.example",
				    "security@corp.example" };
	struct policy_decision	 d;
	char			*s, *err = NULL;
	int			 v;

	if (policy_decide(pol, &f, &d, &err) == -1) {
		if (err == NULL)
			abort();
		free(err);
	} else if (d.kind == NULL || d.lang == NULL || d.source == NULL ||
	    policy_template(pol, "ack", d.lang) == NULL)
		abort();
	s = policy_case_id(pol, 2026, 12345);
	free(s);
	s = policy_case_prefix(pol, 2026);
	free(s);
	for (v = 0; v <= 100; v += 5)
		if (policy_severity(pol, v) == NULL)
			abort();
	(void)policy_tlp_allows(pol, "RED", "x@corp.example", NULL);
	(void)policy_tlp_allows(pol, "AMBER", "x@client.example", NULL);
	(void)policy_tlp_allows(pol, "AMBER+STRICT", "nobody", "y@z");
	(void)policy_reply_on(pol, "fixed");
	(void)policy_cwe_name(pol, "CWE-79");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy	*pol = NULL;
	char		*err = NULL, *text;

	if (size > 1 << 16 || reads_outside(data, size))
		return 0;
	if (dir[0] == '\0')
		setup();
	put(path, (const char *)data, size);
	if (policy_load(path, &pol, &err) == -1) {
		/* every problem is "file:line: reason" (or names the file) */
		if (err == NULL || pol != NULL || strstr(err, dir) == NULL)
			abort();
		free(err);
		return 0;
	}
	if (pol == NULL || err != NULL)
		abort();
	text = fuzz_cstr(data, size);
	use(pol, text);
	free(text);
	policy_free(&pol);
	if (pol != NULL)
		abort();
	return 0;
}
