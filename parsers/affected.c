/*
 * affected.c: a product's affected range, fixed version and status as
 * staff state them. See affected.h for the grammar.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parsers/affected.h"
#include "util/buf.h"
#include "util/xmalloc.h"

static const char *const keys[] = { "product", "vendor", "affected",
	"fixed", "status", "justification" };
#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

/* CSAF 2.0's VEX flag labels (/vulnerabilities[]/flags[]/label). */
static const char *const flags[] = { "component_not_present",
	"vulnerable_code_not_present",
	"vulnerable_code_cannot_be_controlled_by_adversary",
	"vulnerable_code_not_in_execute_path",
	"inline_mitigations_already_exist" };

static const char *const statuses[] = { "affected", "fixed",
	"no-fix-planned", "not-affected" };

const char *
affected_status_name(enum aff_status s)
{
	return statuses[s];
}

/* Only '.' and '0' are left: "5.1" and "5.1.0" are one version. */
static int
rest_zero(const char *s)
{
	return *s == '.' && strspn(s, ".0") == strlen(s);
}

int
affected_vercmp(const char *a, const char *b)
{
	size_t	la, lb;
	int	c;

	while (*a || *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			while (*a == '0' && isdigit((unsigned char)a[1]))
				a++;
			while (*b == '0' && isdigit((unsigned char)b[1]))
				b++;
			la = strspn(a, "0123456789");
			lb = strspn(b, "0123456789");
			if (la != lb)
				return la < lb ? -1 : 1;
			if ((c = memcmp(a, b, la)) != 0)
				return c < 0 ? -1 : 1;
			a += la;
			b += lb;
			continue;
		}
		if (*a == '\0')
			return rest_zero(b) ? 0 : -1;
		if (*b == '\0')
			return rest_zero(a) ? 0 : 1;
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return 0;
}

/* A version of s[0..len) into out: 0, or -1 and *why. */
static int
version(const char *s, size_t len, char *out, const char *what, char **why)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._+~", s[i]))
			break;
	if (len == 0 || i < len || len >= AFF_VER_MAX) {
		*why = xasprintf("%s: \"%.*s\" is not a version (1 to %d of "
		    "A-Z a-z 0-9 . _ + ~)", what, (int)(len > 80 ? 80 : len),
		    s, AFF_VER_MAX - 1);
		return -1;
	}
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}

/* One comparator "<V", "<=V", ">V", ">=V" into the pair's bounds. */
static int
comparator(const char *s, size_t len, struct affected *a, char **why)
{
	struct aff_bound	*b = s[0] == '<' ? &a->hi : &a->lo;
	size_t			 op = len > 1 && s[1] == '=' ? 2 : 1;

	if (b->set) {
		*why = xasprintf("affected: two %s bounds", s[0] == '<' ?
		    "upper" : "lower");
		return -1;
	}
	b->set = 1;
	b->incl = op == 2;
	return version(s + op, len - op, b->v, "affected", why);
}

static int
range(const char *s, struct affected *a, char **why)
{
	const char	*p, *e, *dash;
	size_t		 len = strlen(s), k;
	int		 c;

	if (strcmp(s, "*") == 0) {
		a->kind = AFF_ALL;
		return 0;
	}
	if (*s == '<' || *s == '>') {
		a->kind = AFF_SPAN;
		for (p = s; *p; p = e + (*e == ' ')) {
			e = p + strcspn(p, " ");
			if (*p != '<' && *p != '>') {
				*why = xasprintf("affected: \"%.*s\" is not "
				    "<V, <=V, >V or >=V", (int)(e - p > 80 ?
				    80 : e - p), p);
				return -1;
			}
			if (comparator(p, (size_t)(e - p), a, why) == -1)
				return -1;
		}
	} else if ((dash = strchr(s, '-')) && !strchr(s, ',')) {
		a->kind = AFF_SPAN;
		a->lo.set = a->hi.set = a->lo.incl = a->hi.incl = 1;
		if (version(s, (size_t)(dash - s), a->lo.v, "affected",
		    why) == -1 || version(dash + 1, strlen(dash + 1),
		    a->hi.v, "affected", why) == -1)
			return -1;
	} else {
		a->kind = AFF_LIST;
		for (p = s; p <= s + len; p = e + 1) {
			e = p + strcspn(p, ",");
			if (a->nlist == AFF_LIST_MAX) {
				*why = xasprintf("affected: more than %d "
				    "versions in a list (write a range)",
				    AFF_LIST_MAX);
				return -1;
			}
			if (version(p, (size_t)(e - p), a->list[a->nlist],
			    "affected", why) == -1)
				return -1;
			for (k = 0; k < a->nlist; k++)
				if (affected_vercmp(a->list[k],
				    a->list[a->nlist]) == 0) {
					*why = xasprintf("affected: %s is in "
					    "the list twice", a->list[k]);
					return -1;
				}
			a->nlist++;
			if (*e == '\0')
				break;
		}
		return 0;
	}
	if (a->lo.set && a->hi.set && ((c = affected_vercmp(a->lo.v,
	    a->hi.v)) > 0 || (c == 0 && !(a->lo.incl && a->hi.incl)))) {
		*why = xasprintf("affected: the range \"%s\" holds no version",
		    s);
		return -1;
	}
	return 0;
}

/* The split of the input into its key=value fields. */
static int
fields(const char *s, size_t len, char vals[NKEYS][AFF_INPUT_MAX + 1],
    int seen[NKEYS], char **why)
{
	const char	*p = s, *end = s + len, *w;
	size_t		 k, wl, kl, cur = NKEYS, vl = 0;

	while (p < end) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end)
			break;
		for (w = p; p < end && *p != ' ' && *p != '\t'; p++)
			;
		wl = (size_t)(p - w);
		for (k = 0; k < NKEYS; k++) {
			kl = strlen(keys[k]);
			if (wl > kl && w[kl] == '=' && memcmp(w, keys[k],
			    kl) == 0)
				break;
		}
		if (k < NKEYS) {
			if (seen[k]) {
				*why = xasprintf("%s= given twice", keys[k]);
				return -1;
			}
			seen[k] = 1;
			cur = k;
			kl = strlen(keys[k]) + 1;
			memcpy(vals[k], w + kl, wl - kl);
			vl = wl - kl;
			vals[k][vl] = '\0';
		} else if (cur == NKEYS) {
			*why = xasprintf("\"%.*s\": expected one of product=, "
			    "vendor=, affected=, fixed=, status=, "
			    "justification=", (int)(wl > 80 ? 80 : wl), w);
			return -1;
		} else {
			vals[cur][vl++] = ' ';
			memcpy(vals[cur] + vl, w, wl);
			vl += wl;
			vals[cur][vl] = '\0';
		}
	}
	return 0;
}

static int
name(const char *v, char *out, const char *what, char **why)
{
	if (*v == '\0' || strlen(v) >= AFF_NAME_MAX) {
		*why = xasprintf("%s: %s", what, *v ? "longer than 127 bytes" :
		    "empty");
		return -1;
	}
	memcpy(out, v, strlen(v) + 1);
	return 0;
}

/* Is every version of the range below v? */
static int
all_below(const struct affected *a, const char *v)
{
	size_t	i;
	int	c;

	if (a->kind == AFF_LIST) {
		for (i = 0; i < a->nlist; i++)
			if (affected_vercmp(a->list[i], v) >= 0)
				return 0;
		return 1;
	}
	if (a->kind != AFF_SPAN || !a->hi.set)
		return 0;
	c = affected_vercmp(a->hi.v, v);
	return c < 0 || (c == 0 && !a->hi.incl);
}

int
affected_parse(const char *s, size_t len, struct affected *a, char **why)
{
	char		 vals[NKEYS][AFF_INPUT_MAX + 1];
	int		 seen[NKEYS];
	size_t		 i;
	char		*j;

	memset(a, 0, sizeof(*a));
	memset(seen, 0, sizeof(seen));
	if (len > AFF_INPUT_MAX) {
		*why = xasprintf("affected: longer than %d bytes",
		    AFF_INPUT_MAX);
		return -1;
	}
	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t') ||
		    s[i] == 0x7f)
			break;
	if (i < len) {
		*why = xstrdup("affected: a control character");
		return -1;
	}
	if (fields(s, len, vals, seen, why) == -1)
		return -1;
	if (!seen[0]) {
		*why = xstrdup("affected: product= is missing");
		return -1;
	}
	if (name(vals[0], a->product, "product", why) == -1 ||
	    (seen[1] && name(vals[1], a->vendor, "vendor", why) == -1))
		return -1;
	a->status = seen[3] ? AFF_FIXED : AFF_AFFECTED;
	if (seen[4]) {
		for (j = vals[4]; *j; j++)
			if (*j == '_')
				*j = '-';
		for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
			if (strcasecmp(vals[4], statuses[i]) == 0)
				break;
		if (i == sizeof(statuses) / sizeof(statuses[0])) {
			*why = xasprintf("status: \"%.80s\" is not fixed, "
			    "affected, no-fix-planned or not-affected",
			    vals[4]);
			return -1;
		}
		a->status = (enum aff_status)i;
	}
	if (seen[5]) {
		for (j = vals[5]; *j; j++)
			if (*j == '-')
				*j = '_';
		for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
			if (strcasecmp(vals[5], flags[i]) == 0)
				a->justification = flags[i];
		if (a->justification == NULL) {
			*why = xasprintf("justification: \"%.80s\" is not one "
			    "of component_not_present, "
			    "vulnerable_code_not_present, "
			    "vulnerable_code_cannot_be_controlled_by_adversary,"
			    " vulnerable_code_not_in_execute_path, "
			    "inline_mitigations_already_exist", vals[5]);
			return -1;
		}
	}
	if (a->status == AFF_NOT_AFFECTED && a->justification == NULL) {
		*why = xstrdup("not-affected needs justification=FLAG (CSAF "
		    "VEX: component_not_present, vulnerable_code_not_present, "
		    "...): a statement of not affected says why");
		return -1;
	}
	if (a->status != AFF_NOT_AFFECTED && a->justification) {
		*why = xstrdup("justification= goes with status=not-affected "
		    "only");
		return -1;
	}
	if (seen[3] && a->status != AFF_FIXED) {
		*why = xasprintf("fixed= contradicts status=%s",
		    statuses[a->status]);
		return -1;
	}
	if (a->status == AFF_FIXED && !seen[3]) {
		*why = xstrdup("status=fixed needs fixed=VERSION");
		return -1;
	}
	if (!seen[2] && a->status != AFF_NOT_AFFECTED) {
		*why = xstrdup("affected= is missing (the affected versions: "
		    "<5.1.4, >=5.0 <5.1.4, 5.0-5.1.3, 5.1.2, 5.1.1,5.1.2 "
		    "or *)");
		return -1;
	}
	if (range(seen[2] ? vals[2] : "*", a, why) == -1)
		return -1;
	if (seen[3]) {
		if (version(vals[3], strlen(vals[3]), a->fixed, "fixed",
		    why) == -1)
			return -1;
		if (!all_below(a, a->fixed)) {
			*why = xasprintf("fixed: %s is not above every "
			    "affected version (%s): a fixed version cannot be "
			    "affected", a->fixed, vals[2]);
			return -1;
		}
	}
	return 0;
}

/* The range into b, its list items and its two bounds each joined by
 * sep: "," and " " as written, "|" and "|" in a vers URI. */
static void
range_put(struct buf *b, const struct affected *a, const char *lsep,
    const char *bsep)
{
	size_t	i;

	switch (a->kind) {
	case AFF_LIST:
		for (i = 0; i < a->nlist; i++)
			buf_printf(b, "%s%s", i ? lsep : "", a->list[i]);
		break;
	case AFF_SPAN:
		if (a->lo.set)
			buf_printf(b, ">%s%s", a->lo.incl ? "=" : "",
			    a->lo.v);
		if (a->hi.set)
			buf_printf(b, "%s<%s%s", a->lo.set ? bsep : "",
			    a->hi.incl ? "=" : "", a->hi.v);
		break;
	default:
		buf_puts(b, "*");
	}
}

char *
affected_range(const struct affected *a)
{
	struct buf	b;

	buf_init(&b);
	range_put(&b, a, ",", " ");
	return buf_release(&b);
}

char *
affected_vers(const struct affected *a)
{
	struct buf	b;

	buf_init(&b);
	buf_puts(&b, "vers:generic/");
	range_put(&b, a, "|", "|");
	return buf_release(&b);
}

char *
affected_format(const struct affected *a)
{
	struct buf	 b;
	char		*r = affected_range(a);

	buf_init(&b);
	buf_printf(&b, "product=%s", a->product);
	if (a->vendor[0])
		buf_printf(&b, " vendor=%s", a->vendor);
	buf_printf(&b, " affected=%s", r);
	if (a->fixed[0])
		buf_printf(&b, " fixed=%s", a->fixed);
	buf_printf(&b, " status=%s", statuses[a->status]);
	if (a->justification)
		buf_printf(&b, " justification=%s", a->justification);
	free(r);
	return buf_release(&b);
}

/* The range as intervals: a list is points, a span one interval. */
struct ival {
	const char	*lo, *hi;	/* NULL: unbounded */
	int		 lo_incl, hi_incl;
};

static size_t
ivals(const struct affected *a, struct ival *v)
{
	size_t	i;

	if (a->kind == AFF_LIST) {
		for (i = 0; i < a->nlist; i++) {
			v[i].lo = v[i].hi = a->list[i];
			v[i].lo_incl = v[i].hi_incl = 1;
		}
		return a->nlist;
	}
	v[0].lo = a->kind == AFF_SPAN && a->lo.set ? a->lo.v : NULL;
	v[0].hi = a->kind == AFF_SPAN && a->hi.set ? a->hi.v : NULL;
	v[0].lo_incl = a->lo.incl;
	v[0].hi_incl = a->hi.incl;
	return 1;
}

/* Is x wholly below y? */
static int
below(const struct ival *x, const struct ival *y)
{
	int	c;

	if (x->hi == NULL || y->lo == NULL)
		return 0;
	c = affected_vercmp(x->hi, y->lo);
	return c < 0 || (c == 0 && !(x->hi_incl && y->lo_incl));
}

static int
overlap(const struct affected *a, const struct affected *b)
{
	struct ival	va[AFF_LIST_MAX], vb[AFF_LIST_MAX];
	size_t		na = ivals(a, va), nb = ivals(b, vb), i, k;

	for (i = 0; i < na; i++)
		for (k = 0; k < nb; k++)
			if (!below(&va[i], &vb[k]) && !below(&vb[k], &va[i]))
				return 1;
	return 0;
}

int
affected_contains(const struct affected *a, const char *v)
{
	struct affected	p;

	memset(&p, 0, sizeof(p));
	p.kind = AFF_LIST;
	p.nlist = 1;
	snprintf(p.list[0], sizeof(p.list[0]), "%s", v);
	return overlap(a, &p);
}

int
affected_same_product(const struct affected *a, const struct affected *b)
{
	return strcasecmp(a->product, b->product) == 0 && (a->vendor[0] ==
	    '\0' || b->vendor[0] == '\0' || strcasecmp(a->vendor,
	    b->vendor) == 0);
}

int
affected_conflict(const struct affected *a, const struct affected *b,
    char **why)
{
	char	*ra, *rb;
	int	 r = 0;

	if (!affected_same_product(a, b))
		return 0;
	ra = affected_range(a);
	rb = affected_range(b);
	if (overlap(a, b)) {
		*why = xasprintf("%s: the ranges %s (%s) and %s (%s) overlap: "
		    "a version has one status", a->product, ra,
		    statuses[a->status], rb, statuses[b->status]);
		r = 1;
	} else if (a->fixed[0] && b->status != AFF_NOT_AFFECTED &&
	    affected_contains(b, a->fixed)) {
		*why = xasprintf("%s: the fixed version %s is inside the "
		    "affected range %s", a->product, a->fixed, rb);
		r = 1;
	} else if (b->fixed[0] && a->status != AFF_NOT_AFFECTED &&
	    affected_contains(a, b->fixed)) {
		*why = xasprintf("%s: the fixed version %s is inside the "
		    "affected range %s", a->product, b->fixed, ra);
		r = 1;
	}
	free(ra);
	free(rb);
	return r;
}
