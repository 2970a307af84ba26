/*
 * fuzz-imap: libFuzzer target for this project's code on the IMAP
 * intake path (intake/poll.c). libetpan parses the protocol and is not
 * fuzzed here; what poll.c does with the results is:
 *
 *  - poll_return_path(): the Return-Path of the message bytes the server
 *    sent, by a byte scan, as the envelope sender written to the spool.
 *    Aborts when the sender could break the envelope file: empty, or
 *    holding a blank, a control or a line break.
 *  - charset_imap_utf7() (parsers/charset.c): the mailbox names of
 *    imap_url and imap_processed, UTF-8, to modified UTF-7 (RFC 3501
 *    5.1.3) for the wire. The input's first line is the name. Aborts
 *    when an accepted name gives anything but printable ASCII, when it
 *    does not convert back to the name, or when a well-formed name
 *    without controls is refused.
 *
 * The FETCH walk of drain() and take() only copies UIDs, sizes and the
 * body pointer out of libetpan's structures; it is not fuzzed (FUZZING.md).
 */
#include <errno.h>
#include <iconv.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "parsers/charset.h"
#include "intake/poll.h"
#include "tests/fuzz/fuzz.h"

static void	 check_sender(const char *, size_t);
static void	 check_utf7(const char *);
static char	*from_utf7(const char *);

static void
check_sender(const char *msg, size_t len)
{
	const unsigned char	*p;
	char			*sender;

	if ((sender = poll_return_path(msg, len)) == NULL)
		return;
	if (sender[0] == '\0')
		abort();
	for (p = (const unsigned char *)sender; *p != '\0'; p++)
		if (*p <= ' ' || *p == 0x7f)
			abort();
	free(sender);
}

/* Modified UTF-7 back to UTF-8 (NULL if iconv refuses it). */
static char *
from_utf7(const char *s)
{
	iconv_t		 cd;
	struct buf	 out;
	char		 chunk[256], *in = (char *)(uintptr_t)s, *o;
	size_t		 il = strlen(s), ol, r;

	if ((cd = iconv_open("UTF-8", "UTF-7-IMAP")) == (iconv_t)-1)
		abort();
	buf_init(&out);
	do {
		o = chunk;
		ol = sizeof(chunk);
		r = iconv(cd, &in, &il, &o, &ol);
		buf_add(&out, chunk, sizeof(chunk) - ol);
	} while (r == (size_t)-1 && errno == E2BIG);
	iconv_close(cd);
	if (r == (size_t)-1) {
		buf_free(&out);
		return NULL;
	}
	return buf_release(&out);
}

static void
check_utf7(const char *name)
{
	const unsigned char	*p;
	char			*w, *back;
	int			 ok;

	ok = charset_is_utf8(name, strlen(name));
	for (p = (const unsigned char *)name; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			ok = 0;
	if ((w = charset_imap_utf7(name)) == NULL) {
		if (ok)
			abort();
		return;
	}
	if (!ok)
		abort();
	for (p = (const unsigned char *)w; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e)
			abort();
	if ((back = from_utf7(w)) == NULL || strcmp(back, name) != 0)
		abort();
	free(back);
	free(w);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t	*nl;
	char		*name;

	if (size > 1 << 20)
		return 0;
	check_sender((const char *)data, size);
	nl = memchr(data, '\n', size);
	name = fuzz_cstr(data, nl ? (size_t)(nl - data) : size);
	check_utf7(name);
	free(name);
	return 0;
}
