/*
 * fuzz-credit: libFuzzer target for the credit grammar (a reporter's
 * Credit: lines, staff's credit=VALUE): credit_scan over the input as a
 * mail's text, credit_parse over it as one value. Aborts if a promise
 * of parsers/credit.h breaks: an accepted credit with a control
 * character, U+FFFD, a bracket in its name, a field over its limit, a
 * handle that is not "@" and 1 to 64 handle characters, an anonymous
 * one with a name; a refusal without a reason in printable ASCII; more
 * lines than CREDITS_MAX + 1, or line numbers not rising.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/credit.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_text(const char *s, size_t max, int brackets)
{
	const unsigned char	*p;
	size_t			 n;

	if (s == NULL)
		return;
	if ((n = strlen(s)) == 0 || n > max)
		abort();
	for (p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f ||
		    (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) ||
		    (p[0] == 0xef && p[1] == 0xbf && p[2] == 0xbd) ||
		    (brackets && strchr("()<>", *p)))
			abort();
}

static void
check(const struct credit *c, const char *why)
{
	const char	*p;

	if (why) {
		if (*why == '\0')
			abort();
		for (p = why; *p; p++)
			if (*p < 0x20 || *p > 0x7e)
				abort();
		return;
	}
	switch (c->choice) {
	case CREDIT_ANONYMOUS:
		if (c->name || c->organization || c->contact)
			abort();
		return;
	case CREDIT_HANDLE:
		if (c->name == NULL || c->name[0] != '@' ||
		    strlen(c->name) < 2 ||
		    strlen(c->name) > CREDIT_HANDLE_MAX + 1 ||
		    strspn(c->name + 1, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") !=
		    strlen(c->name) - 1)
			abort();
		break;
	case CREDIT_NAMED:
		if (c->name == NULL)
			abort();
		check_text(c->name, CREDIT_NAME_MAX, 1);
		break;
	}
	check_text(c->organization, CREDIT_ORG_MAX, 1);
	check_text(c->contact, CREDIT_CONTACT_MAX, 1);
	if (c->contact && strpbrk(c->contact, " \t"))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct credit_line	*v;
	struct credit		 c;
	char			*why;
	size_t			 n, i;

	credit_scan((const char *)data, size, &v, &n);
	if (n > CREDITS_MAX + 1)
		abort();
	for (i = 0; i < n; i++) {
		if (v[i].line == 0 || (i && v[i].line <= v[i - 1].line))
			abort();
		check(&v[i].c, v[i].why);
	}
	credit_lines_free(v, n);
	if (credit_parse((const char *)data, size, &c, &why) == 0) {
		if (why)
			abort();
		check(&c, NULL);
		credit_free(&c);
	} else {
		if (c.name || c.organization || c.contact)
			abort();
		check(&c, why);
		free(why);
	}
	return 0;
}
