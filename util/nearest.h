/*
 * nearest: the known word nearest to a mistyped one, for "did you
 * mean" hints (commands, options, settings, policy values).
 */
#ifndef UTIL_NEAREST_H
#define UTIL_NEAREST_H

#include <stddef.h>

/*
 * The candidate nearest to word by edit distance (insertions, deletions,
 * substitutions and swaps of two neighbours, case ignored), or NULL when
 * none is near enough to be a likely typo: none for words of up to 2
 * letters ("-x"), at most 1 edit up to 4 letters, 2 up to 8, 3 beyond.
 * A candidate of which word (3 letters or more) is a prefix also counts. cands ends with NULL; n is their number or 0 for
 * "up to NULL". Ties go to the first.
 */
const char	*nearest(const char *word, const char *const *cands, size_t n);

/* 1 if word is one of list (NULL-terminated), exactly */
int		 word_in(const char *word, const char *const *list);

/* " (did you mean \"X\"?)" or "", for error messages (static buffer). */
const char	*nearest_hint(const char *word, const char *const *cands,
		    size_t n);

#endif
