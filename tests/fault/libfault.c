/*
 * libfault.so: make one system call or allocation fail, for the fault
 * injection tests (tests/integration/230-faults.t). LD_PRELOAD it with
 *
 *   FAULT=FUNC:N      the Nth call of FUNC in the process fails (with
 *                     FAULT=FUNC:N+ every call from the Nth on: a full
 *                     disk that stays full)
 *   FAULT_PROG=NAME   only in a process of that name (the agent, not
 *                     the shell scripts it runs)
 *   FAULT_LOG=FILE    where "FUNC N PID" is appended when it fires
 *
 * FUNC: write (write, pwrite, pwrite64), fsync (fsync, fdatasync),
 * rename (rename, renameat), open (open, open64, openat, openat64),
 * malloc (malloc, calloc, realloc), fork, unlink. The failure sets the
 * errno a real one would: ENOSPC, EIO, EIO, EMFILE, ENOMEM, EAGAIN,
 * EIO.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

enum { F_WRITE, F_FSYNC, F_RENAME, F_OPEN, F_MALLOC, F_FORK, F_UNLINK,
	F_NONE };
static const char *const names[] = { "write", "fsync", "rename", "open",
	"malloc", "fork", "unlink" };
static const int errnos[] = { ENOSPC, EIO, EIO, EMFILE, ENOMEM, EAGAIN,
	EIO };

static int	 which = -1;	/* -1: not read yet */
static long	 nth, count;
static int	 sticky;

extern void	*__libc_malloc(size_t);
extern void	*__libc_calloc(size_t, size_t);
extern void	*__libc_realloc(void *, size_t);

static void
setup(void)
{
	const char	*f = getenv("FAULT"), *p = getenv("FAULT_PROG");
	char		*end;
	int		 i;

	which = F_NONE;
	if (f == NULL || (p && strcmp(p, program_invocation_short_name)))
		return;
	for (i = 0; i < F_NONE; i++)
		if (strncmp(f, names[i], strlen(names[i])) == 0 &&
		    f[strlen(names[i])] == ':')
			break;
	if (i == F_NONE)
		return;
	nth = strtol(f + strlen(names[i]) + 1, &end, 10);
	sticky = *end == '+';
	which = i;
}

/* Does this call fail? Logged (with raw system calls) when it does. */
static int
fails(int f)
{
	char	line[64];
	int	fd, n;

	if (which == -1)
		setup();
	if (f != which || ++count < nth || (!sticky && count > nth))
		return 0;
	const char *log = getenv("FAULT_LOG");
	if (log && count == nth) {
		n = snprintf(line, sizeof(line), "%s %ld %ld\n", names[f], nth,
		    (long)getpid());
		fd = (int)syscall(SYS_openat, AT_FDCWD, log, O_WRONLY |
		    O_APPEND | O_CREAT, 0600);
		if (fd >= 0) {
			(void)syscall(SYS_write, fd, line, (size_t)n);
			(void)syscall(SYS_close, fd);
		}
	}
	errno = errnos[f];
	return 1;
}

#define REAL(type, name, args) \
	static type (*real_##name) args; \
	if (real_##name == NULL) \
		*(void **)&real_##name = dlsym(RTLD_NEXT, #name)

ssize_t
write(int fd, const void *b, size_t n)
{
	REAL(ssize_t, write, (int, const void *, size_t));
	return fails(F_WRITE) ? -1 : real_write(fd, b, n);
}

ssize_t
pwrite(int fd, const void *b, size_t n, off_t o)
{
	REAL(ssize_t, pwrite, (int, const void *, size_t, off_t));
	return fails(F_WRITE) ? -1 : real_pwrite(fd, b, n, o);
}

ssize_t
pwrite64(int fd, const void *b, size_t n, off_t o)
{
	REAL(ssize_t, pwrite64, (int, const void *, size_t, off_t));
	return fails(F_WRITE) ? -1 : real_pwrite64(fd, b, n, o);
}

int
fsync(int fd)
{
	REAL(int, fsync, (int));
	return fails(F_FSYNC) ? -1 : real_fsync(fd);
}

int
fdatasync(int fd)
{
	REAL(int, fdatasync, (int));
	return fails(F_FSYNC) ? -1 : real_fdatasync(fd);
}

int
rename(const char *a, const char *b)
{
	REAL(int, rename, (const char *, const char *));
	return fails(F_RENAME) ? -1 : real_rename(a, b);
}

int
unlink(const char *p)
{
	REAL(int, unlink, (const char *));
	return fails(F_UNLINK) ? -1 : real_unlink(p);
}

int
renameat(int da, const char *a, int db, const char *b)
{
	REAL(int, renameat, (int, const char *, int, const char *));
	return fails(F_RENAME) ? -1 : real_renameat(da, a, db, b);
}

#define OPEN_MODE(flags, mode) do { \
	if ((flags) & (O_CREAT | O_TMPFILE)) { \
		va_list ap; \
		va_start(ap, flags); \
		mode = va_arg(ap, int); \
		va_end(ap); \
	} \
} while (0)

int
open(const char *p, int flags, ...)
{
	int	mode = 0;

	REAL(int, open, (const char *, int, ...));
	OPEN_MODE(flags, mode);
	return fails(F_OPEN) ? -1 : real_open(p, flags, mode);
}

int
open64(const char *p, int flags, ...)
{
	int	mode = 0;

	REAL(int, open64, (const char *, int, ...));
	OPEN_MODE(flags, mode);
	return fails(F_OPEN) ? -1 : real_open64(p, flags, mode);
}

int
openat(int d, const char *p, int flags, ...)
{
	int	mode = 0;

	REAL(int, openat, (int, const char *, int, ...));
	OPEN_MODE(flags, mode);
	return fails(F_OPEN) ? -1 : real_openat(d, p, flags, mode);
}

int
openat64(int d, const char *p, int flags, ...)
{
	int	mode = 0;

	REAL(int, openat64, (int, const char *, int, ...));
	OPEN_MODE(flags, mode);
	return fails(F_OPEN) ? -1 : real_openat64(d, p, flags, mode);
}

void *
malloc(size_t n)
{
	return fails(F_MALLOC) ? NULL : __libc_malloc(n);
}

void *
calloc(size_t n, size_t s)
{
	return fails(F_MALLOC) ? NULL : __libc_calloc(n, s);
}

void *
realloc(void *p, size_t n)
{
	return fails(F_MALLOC) ? NULL : __libc_realloc(p, n);
}

pid_t
fork(void)
{
	REAL(pid_t, fork, (void));
	return fails(F_FORK) ? -1 : real_fork();
}
