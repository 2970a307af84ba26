/*
 * fuzz-address: libFuzzer target for parsers/address.c on one field
 * value: the mailbox parser (From, Reply-To, Sender) and the message-ID
 * list parser (Message-ID, In-Reply-To, References; also the
 * Return-Path the IMAP intake reads the envelope sender from).
 *
 * Aborts when a result breaks header.h: a name or address that is not
 * trimmed UTF-8 free of controls, an empty one instead of NULL, an
 * address without its '@' when the bytes are read as UTF-8 or
 * windows-1252, a return value that disagrees with the address; a
 * message ID that is empty or holds a blank or a control, more IDs than
 * asked for, or not the last ones of the field.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/header.h"
#include "tests/fuzz/fuzz.h"

static void	check_addr(const char *, size_t, const char *);
static void	check_msgids(const char *, size_t);

/* The fallback is the message's charset: some a sender would choose. */
static const char *const fallbacks[] = {
	"iso-2022-jp", "big5", "koi8-r", "utf-8"
};

static void
check_addr(const char *s, size_t size, const char *fallback)
{
	struct header_addr	a;
	int			r;

	memset(&a, 0, sizeof(a));
	r = header_addr_parse(s, size, fallback, &a);
	if ((r == 0) != (a.addr != NULL))
		abort();
	if ((a.name != NULL && a.name[0] == '\0') ||
	    (a.addr != NULL && a.addr[0] == '\0'))
		abort();
	fuzz_check_trimmed(a.name);
	fuzz_check_trimmed(a.addr);
	/* an ASCII-compatible reading keeps the '@' the parser split at */
	if (a.addr != NULL && fallback == NULL && strchr(a.addr, '@') == NULL)
		abort();
	header_addr_free(&a);
}

static void
check_msgids(const char *s, size_t size)
{
	const unsigned char	*p;
	char			**all, **last;
	size_t			  nall, n, i, k;

	nall = header_msgids(s, size, SIZE_MAX, &all);
	if ((nall == 0) != (all == NULL))
		abort();
	for (i = 0; i < nall; i++) {
		if (all[i] == NULL || all[i][0] == '\0')
			abort();
		fuzz_check_text(all[i], "");
		for (p = (const unsigned char *)all[i]; *p != '\0'; p++)
			if (*p == ' ' || *p == 0x7f)
				abort();
	}
	/* a short limit keeps the last IDs (References: the closest) */
	for (k = 1; k <= 3; k++) {
		n = header_msgids(s, size, k, &last);
		if (n != (nall < k ? nall : k))
			abort();
		for (i = 0; i < n; i++)
			if (strcmp(last[i], all[nall - n + i]) != 0)
				abort();
		header_msgids_free(last, n);
	}
	if (header_msgids(s, size, 0, &last) != 0 || last != NULL)
		abort();
	header_msgids_free(all, nall);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*s = (const char *)data;

	if (size > 1 << 16)	/* header_line_limit is 64k */
		return 0;
	check_addr(s, size, NULL);
	check_addr(s, size, fallbacks[size % 4]);
	check_msgids(s, size);
	return 0;
}
