/*
 * xmalloc: allocation that never returns NULL.
 * On exhaustion it logs and exits with EX_TEMPFAIL (the MTA keeps the mail).
 */
#ifndef PSIRT_UTIL_XMALLOC_H
#define PSIRT_UTIL_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t n, size_t size);	/* checks n*size */
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);	/* n bytes, NULs too, + NUL */
/* Free n malloc'd strings and the array that holds them. */
void	 strv_free(char **, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
