/*
 * listing.c: see listing.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/listing.h"
#include "util/xmalloc.h"

void
listing_init(struct listing *l, long long limit)
{
	memset(l, 0, sizeof(*l));
	l->limit = limit;
}

int
listing_want(struct listing *l, const char *kind)
{
	size_t	i;

	if (l->limit == 0 || l->shown < l->limit) {
		l->shown++;
		return 1;
	}
	for (i = 0; i < l->nmore; i++)
		if (strcmp(l->more[i].kind, kind) == 0)
			break;
	if (i == l->nmore) {
		l->more = xreallocarray(l->more, l->nmore + 1,
		    sizeof(*l->more));
		l->more[l->nmore].kind = xstrdup(kind);
		l->more[l->nmore++].n = 0;
	}
	l->more[i].n++;
	return 0;
}

void
listing_end(struct listing *l, const char *prefix)
{
	size_t	i;

	for (i = 0; i < l->nmore; i++) {
		printf("%s: %lld more: %s\n", prefix, l->more[i].n,
		    l->more[i].kind);
		free(l->more[i].kind);
	}
	if (l->nmore)
		printf("%s: the first %lld shown (--max N shows more, --max 0 "
		    "all)\n", prefix, l->limit);
	free(l->more);
	l->more = NULL;
	l->nmore = 0;
}

int
listing_option(char **argv, int argc, int *i, long long *limit)
{
	char	*end;
	long long v;

	if (strcmp(argv[*i], "--max") != 0)
		return 0;
	if (*i + 1 >= argc)
		return -1;
	v = strtoll(argv[*i + 1], &end, 10);
	if (*argv[*i + 1] == '\0' || *end != '\0' || v < 0)
		return -1;
	*limit = v;
	*i += 1;
	return 1;
}
