/*
 * nearest.c: see nearest.h. Optimal string alignment distance over two
 * rows plus the one before, bounded: words longer than NEAR_MAX are
 * never near anything, so the cost is small and fixed per candidate.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/nearest.h"

#define NEAR_MAX	64

static size_t
distance(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b), i, j, c, v;
	size_t	 r0[NEAR_MAX + 1], r1[NEAR_MAX + 1], r2[NEAR_MAX + 1];
	size_t	*pp = r0, *p = r1, *q = r2, *t;

	for (j = 0; j <= lb; j++)
		p[j] = j;
	for (i = 1; i <= la; i++) {
		q[0] = i;
		for (j = 1; j <= lb; j++) {
			c = tolower((unsigned char)a[i - 1]) !=
			    tolower((unsigned char)b[j - 1]);
			v = p[j - 1] + c;
			if (p[j] + 1 < v)
				v = p[j] + 1;
			if (q[j - 1] + 1 < v)
				v = q[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			q[j] = v;
		}
		t = pp;
		pp = p;
		p = q;
		q = t;
	}
	return p[lb];
}

const char *
nearest(const char *word, const char *const *cands, size_t n)
{
	const char	*best = NULL;
	size_t		 i, d, bestd = (size_t)-1, lw = strlen(word), limit;

	if (lw == 0 || lw > NEAR_MAX)
		return NULL;
	limit = lw <= 2 ? 0 : lw <= 4 ? 1 : lw <= 8 ? 2 : 3;
	for (i = 0; n ? i < n : cands[i] != NULL; i++) {
		if (cands[i] == NULL || strlen(cands[i]) > NEAR_MAX)
			continue;
		if (lw >= 3 && strncasecmp(cands[i], word, lw) == 0)
			d = 0;
		else
			d = distance(word, cands[i]);
		if (d <= limit && d < bestd) {
			best = cands[i];
			bestd = d;
		}
	}
	return best;
}

const char *
nearest_hint(const char *word, const char *const *cands, size_t n)
{
	static char	 hint[NEAR_MAX + 32];
	const char	*w = nearest(word, cands, n);

	if (w == NULL)
		return "";
	snprintf(hint, sizeof(hint), " (did you mean \"%s\"?)", w);
	return hint;
}

int
word_in(const char *word, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(*list, word) == 0)
			return 1;
	return 0;
}
