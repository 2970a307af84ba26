/*
 * thread.c: follow-up -> case.
 *
 * Rules, in order: (1) every "[...]" token of the Subject that names an
 * existing case (case-insensitive); a tag for a case that does not exist
 * is ignored; (2) the IDs given, in order (the caller passes
 * In-Reply-To first, then References), looked up among stored
 * Message-IDs, including our own replies; a stored message outside any
 * case does not count.
 * Trust: the subject and IDs are reporter input; they are only used as
 * bound SQL parameters, and tags are length-checked.
 */
#include <stdlib.h>
#include <string.h>

#include "agent/thread.h"
#include "agent/util/xmalloc.h"
#include "spool/store.h"

#define TAG_MAX	64

int
thread_find(struct store *st, const char *subject, char *const *refs,
    size_t nrefs, char **case_id, const char **how, char **errstr)
{
	struct store_case	 c;
	const char		*p, *e, *s, *t;
	char			 tag[TAG_MAX];
	size_t			 i, n;
	int			 r;

	*case_id = NULL;
	*how = NULL;
	for (p = subject; p && (p = strchr(p, '[')) != NULL; p = e) {
		if ((e = strchr(p + 1, ']')) == NULL)
			break;
		s = p + 1;
		t = e;
		while (s < t && *s == ' ')
			s++;
		while (t > s && t[-1] == ' ')
			t--;
		n = (size_t)(t - s);
		if (n == 0 || n >= TAG_MAX)
			continue;
		memcpy(tag, s, n);
		tag[n] = '\0';
		if ((r = store_case_get(st, tag, &c, errstr)) == -1)
			return -1;
		if (r == 1) {
			*case_id = c.id;
			c.id = NULL;
			store_case_free(&c);
			*how = "subject tag";
			return 1;
		}
	}
	/* refs: In-Reply-To first, then References */
	for (i = 0; i < nrefs; i++) {
		if ((r = store_case_by_msgid(st, refs[i], case_id,
		    errstr)) == -1)
			return -1;
		if (r == 1 && *case_id != NULL) {
			*how = "In-Reply-To/References";
			return 1;
		}
		free(*case_id);
		*case_id = NULL;
	}
	return 0;
}
