/*
 * test-reply.c: reply composition (headers, encoding, threading) and
 * the RFC 3834 loop and rate-limit rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "agent/config.h"
#include "out/reply.h"
#include "parsers/encode.h"

static struct reply_check
base(void)
{
	struct reply_check	c;

	memset(&c, 0, sizeof(c));
	c.env_sender = "alice@example.net";
	c.reply_addr = "alice@example.net";
	c.from_addr = "alice@example.net";
	c.our_addr = "security@example.org";
	c.limit_per_hour = 5;
	return c;
}

static void
test_refusal_rules(void **state)
{
	struct reply_check	c;

	(void)state;
	c = base();
	assert_null(reply_refusal(&c));
	c = base();
	c.automatic = 1;
	assert_string_equal(reply_refusal(&c),
	    "automatic message (bounce or auto-reply)");
	c = base();
	c.is_list = 1;
	assert_string_equal(reply_refusal(&c), "mailing list message (List-Id)");
	c = base();
	c.env_sender = "";
	assert_string_equal(reply_refusal(&c), "null envelope sender");
	c.env_sender = "<>";
	assert_string_equal(reply_refusal(&c), "null envelope sender");
	c = base();
	c.env_sender = NULL;	/* unknown envelope: judged by headers */
	assert_null(reply_refusal(&c));
	c = base();
	c.reply_addr = "Security@Example.ORG";
	assert_string_equal(reply_refusal(&c), "message from our own address");
	c = base();
	c.from_addr = "security@example.org";
	assert_string_equal(reply_refusal(&c), "message from our own address");
	c = base();
	c.reply_addr = "MAILER-DAEMON@mx.example.net";
	assert_string_equal(reply_refusal(&c),
	    "reply address is a mail system account");
	c = base();
	c.reply_addr = "evil@example.net\r\nBcc: x@y";
	assert_string_equal(reply_refusal(&c), "no usable reply address");
	c = base();
	c.policy_no_ack = 1;
	assert_string_equal(reply_refusal(&c), "policy rule no-ack");
}

static void
test_rate_limit(void **state)
{
	struct reply_check	c;

	(void)state;
	c = base();
	c.sent_last_hour = 4;
	assert_null(reply_refusal(&c));
	c.sent_last_hour = 5;
	assert_string_equal(reply_refusal(&c),
	    "ack-limit per hour reached for this sender");
	c.limit_per_hour = 0;
	c.sent_last_hour = 0;
	assert_non_null(reply_refusal(&c));
}

static void
test_addr_ok(void **state)
{
	(void)state;
	assert_true(reply_addr_ok("a.b+c@example.net"));
	assert_false(reply_addr_ok(""));
	assert_false(reply_addr_ok("no-at-sign"));
	assert_false(reply_addr_ok("@example.net"));
	assert_false(reply_addr_ok("a@"));
	assert_false(reply_addr_ok("a@b@c"));
	assert_false(reply_addr_ok("a b@example.net"));
	assert_false(reply_addr_ok("a@example.net\n"));
	assert_false(reply_addr_ok("<a@example.net>"));
	assert_false(reply_addr_ok("a,b@example.net"));
	assert_false(reply_addr_ok("\xc3\xa9@example.net"));
}

static void
test_encode_header(void **state)
{
	char	*h;

	(void)state;
	h = header_encode("Subject", "plain ascii");
	assert_string_equal(h, "Subject: plain ascii\n");
	free(h);
	h = header_encode("Subject", "a\r\nBcc: x");
	assert_string_equal(h, "Subject: a  Bcc: x\n");
	free(h);
	/* 漏洞 in UTF-8 is e6 bc 8f e6 b4 9e */
	h = header_encode("Subject", "\xe6\xbc\x8f\xe6\xb4\x9e");
	assert_string_equal(h, "Subject: =?UTF-8?B?5ryP5rSe?=\n");
	free(h);
	/* literal encoded-word text is encoded so it is not decoded */
	h = header_encode("Subject", "=?UTF-8?B?QmNjOg==?=");
	assert_non_null(strstr(h, "=?UTF-8?B?PT9VVEYtOD9CP1FtTmpPZz09Pz0=?="));
	free(h);
}

static void
test_encode_long_utf8(void **state)
{
	char	 in[400], *h, *p;
	size_t	 i;

	(void)state;
	for (i = 0; i + 3 < sizeof(in); i += 3)
		memcpy(in + i, "\xe6\xbc\x8f", 3);
	in[i] = '\0';
	h = header_encode("Subject", in);
	/* folded into several encoded-words, each line under 78 chars */
	for (p = h; (p = strchr(p, '\n')) != NULL && p[1]; p++)
		assert_int_equal(p[1], ' ');
	for (p = strtok(h, "\n"); p; p = strtok(NULL, "\n"))
		assert_true(strlen(p) <= 78);
	free(h);
}

/* Unfold (LF + SP -> SP) the value of a "Name: value\n" header. */
static char *
unfold(const char *h)
{
	char	*r = malloc(strlen(h) + 1), *o = r;

	for (h = strchr(h, ':') + 2; *h; h++) {
		if (*h == '\n' && h[1] == ' ')
			continue;	/* the SP that follows stays */
		if (*h != '\n')
			*o++ = *h;
	}
	*o = '\0';
	return r;
}

static void
test_fold_long_ascii(void **state)
{
	char	 in[3000], *h, *p, *u, *copy;
	size_t	 i;

	(void)state;
	in[0] = '\0';
	for (i = 0; i < 300; i++)
		strcat(in, i ? " word" : "word");
	h = header_encode("Subject", in);
	copy = strdup(h);
	for (p = strtok(copy, "\n"); p; p = strtok(NULL, "\n"))
		assert_true(strlen(p) <= 78);
	free(copy);
	u = unfold(h);
	assert_string_equal(u, in);
	free(u);
	free(h);
	/* one unbreakable run longer than a line may be: encoded-words */
	memset(in, 'x', 2000);
	in[2000] = '\0';
	h = header_encode("Subject", in);
	assert_int_equal(strncmp(h, "Subject: =?UTF-8?B?", 19), 0);
	for (p = h; (p = strchr(p, '\n')) != NULL && p[1]; p++)
		assert_int_equal(p[1], ' ');
	free(h);
	/* a run of blanks longer than a line may be: encoded-words
	 * (a folded line of blanks only is obsolete syntax), every line
	 * under RFC 5322's 998 and none of blanks only */
	memset(in, ' ', 2500);
	memcpy(in, "a", 1);
	memcpy(in + 2499, "b", 2);
	h = header_encode("Subject", in);
	assert_int_equal(strncmp(h, "Subject: =?UTF-8?B?", 19), 0);
	copy = strdup(h);
	for (p = strtok(copy, "\n"); p; p = strtok(NULL, "\n")) {
		assert_true(strlen(p) <= 998);
		assert_true(strspn(p, " ") < strlen(p));
	}
	free(copy);
	free(h);
	/* a run of a few hundred blanks is kept as it is */
	memset(in, ' ', 600);
	memcpy(in, "a", 1);
	memcpy(in + 599, "b", 2);
	h = header_encode("Subject", in);
	u = unfold(h);
	assert_string_equal(u, in);
	free(u);
	free(h);
}

static void
test_compose(void **state)
{
	struct config		cf;
	struct reply_in		in;
	struct reply_out	out;
	char			*refs[] = { "root@example.net", "bad\nid@x" };
	char			*err = NULL;

	(void)state;
	memset(&cf, 0, sizeof(cf));
	cf.psirt_address = "security@example.org";
	cf.psirt_name = "Example PSIRT";
	memset(&in, 0, sizeof(in));
	in.to_addr = "alice@example.net";
	in.to_name = "Alice \"A\" Smith";
	in.subject = "[PSIRT-2026-0001] Re: bug";
	in.body = "line 1\r\nline 2";
	in.in_reply_to = "r1@example.net";
	in.refs = refs;
	in.nrefs = 2;
	assert_int_equal(reply_compose(&cf, &in, &out, &err), 0);
	assert_non_null(strstr(out.text, "From: \"Example PSIRT\" "
	    "<security@example.org>\n"));
	assert_non_null(strstr(out.text,
	    "To: \"Alice \\\"A\\\" Smith\" <alice@example.net>\n"));
	assert_non_null(strstr(out.text, "Subject: [PSIRT-2026-0001] Re: "
	    "bug\n"));
	assert_non_null(strstr(out.text, "In-Reply-To: <r1@example.net>\n"));
	assert_non_null(strstr(out.text, "References:\n <root@example.net>\n"
	    " <r1@example.net>\n"));
	assert_null(strstr(out.text, "<bad"));	/* the unsafe ID is dropped */
	assert_non_null(strstr(out.text, "Auto-Submitted: auto-replied\n"));
	assert_non_null(strstr(out.text, "\n\nline 1\nline 2\n"));
	assert_null(strchr(out.text, '\r'));
	assert_non_null(strstr(out.message_id, "@example.org"));
	assert_int_equal(strncmp(out.message_id, "psirt.", 6), 0);
	assert_non_null(strstr(out.text, out.message_id));
	reply_out_free(&out);

	in.to_addr = "not an address";
	assert_int_equal(reply_compose(&cf, &in, &out, &err), -1);
	assert_string_equal(err, "reply address is not a plain address");
	free(err);
}

static void
test_message_ids_unique(void **state)
{
	struct config		cf;
	struct reply_in		in;
	struct reply_out	a, b;
	char			*err = NULL;

	(void)state;
	memset(&cf, 0, sizeof(cf));
	cf.psirt_address = "security@example.org";
	cf.psirt_name = "P";
	memset(&in, 0, sizeof(in));
	in.to_addr = "a@example.net";
	in.subject = "s";
	in.body = "b";
	assert_int_equal(reply_compose(&cf, &in, &a, &err), 0);
	assert_int_equal(reply_compose(&cf, &in, &b, &err), 0);
	assert_string_not_equal(a.message_id, b.message_id);
	reply_out_free(&a);
	reply_out_free(&b);
}

static void
test_quote(void **state)
{
	char	*q;

	(void)state;
	q = reply_quote("a\nb\nc\nd", 2, 1000);
	assert_string_equal(q, "> a\n> b\n> [...]");
	free(q);
	q = reply_quote("", 5, 100);
	assert_string_equal(q, "");
	free(q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refusal_rules),
		cmocka_unit_test(test_rate_limit),
		cmocka_unit_test(test_addr_ok),
		cmocka_unit_test(test_encode_header),
		cmocka_unit_test(test_encode_long_utf8),
		cmocka_unit_test(test_fold_long_ascii),
		cmocka_unit_test(test_compose),
		cmocka_unit_test(test_message_ids_unique),
		cmocka_unit_test(test_quote),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
