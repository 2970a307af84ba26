/*
 * fuzz-mime: libFuzzer target for the message parser and classifier
 * (parsers/mime.c, header.c, address.c, date.c, charset.c, html.c,
 * mailkind.c) on a whole message, then for the decoded body of every
 * part (mime_part_body(): base64 and quoted-printable, as the crypto
 * layer and attachment storage read them). The envelope sender the
 * classifier sees (none, the null sender, MAILER-DAEMON, a person)
 * follows the input's size.
 *
 * Aborts when a promise of mime.h or mailkind.h is broken: a subject,
 * address, body or report text that is not well-formed UTF-8 or has a
 * control it must not have, a text longer than text_size_limit or with
 * no text_source, a part whose byte ranges leave the message, a
 * decoded body whose length is not its own, or an unknown kind.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/limits.h"
#include "parsers/mailkind.h"
#include "parsers/mime.h"
#include "tests/fuzz/fuzz.h"

static void	check(const struct mime_msg *, const char *, size_t);

static const char *const senders[] = {
	NULL, "", "MAILER-DAEMON@mx.example.org", "reporter@example.org"
};

static void
check(const struct mime_msg *m, const char *buf, size_t size)
{
	const struct mime_part	*p;
	char			*body;
	size_t			 i, blen;

	fuzz_check_trimmed(m->subject);
	fuzz_check_trimmed(m->from.name);
	fuzz_check_trimmed(m->from.addr);
	fuzz_check_trimmed(m->reply_to.addr);
	fuzz_check_text(m->text, "\t\n\r");
	fuzz_check_text(m->body, "\t\n\r");
	fuzz_check_text(m->text_source, "");
	if (m->text_source == NULL || strlen(m->text) > LIMIT_TEXT_SIZE ||
	    strlen(m->body) > LIMIT_TEXT_SIZE)
		abort();
	for (i = 0; i < m->nrefs; i++)
		fuzz_check_text(m->refs[i], "");
	for (i = 0; i < m->nparts; i++) {
		p = &m->parts[i];
		fuzz_check_text(p->filename, "");
		if (p->off > size || p->len > size - p->off ||
		    p->body_off > size || p->body_len > size - p->body_off ||
		    (p->parent != -1 && (p->parent < 0 ||
		    (size_t)p->parent >= i)))
			abort();
		(void)mime_part_body(p, buf, &body, &blen);
		if (body == NULL || body[blen] != '\0')
			abort();
		free(body);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct limits lim = {
		LIMIT_MESSAGE_SIZE, LIMIT_HEADER_LINE, LIMIT_HEADER_COUNT,
		LIMIT_HEADER_SIZE, LIMIT_MIME_DEPTH, LIMIT_MIME_PARTS,
		LIMIT_TEXT_SIZE, LIMIT_MSGIDS,
		LIMIT_DECRYPTED_SIZE, LIMIT_CRYPTO_LAYERS, ""
	};
	struct mime_msg		*m;
	struct mail_class	 c;
	char			*err = NULL;

	if (mime_parse((const char *)data, size, &lim, &m, &err) == -1) {
		if (err == NULL)
			abort();
		free(err);
		return 0;
	}
	check(m, (const char *)data, size);
	mailkind_classify(m, senders[size % 4], &c);
	if (c.kind != MAIL_PERSON && c.kind != MAIL_AUTOREPLY &&
	    c.kind != MAIL_BOUNCE)
		abort();
	if (memchr(c.evidence, '\0', sizeof(c.evidence)) == NULL)
		abort();
	mime_free(&m);
	return 0;
}
