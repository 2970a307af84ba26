/*
 * test-mailkind.c: bounce / auto-reply / person classification, and the
 * MIME body choice that feeds it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "parsers/limits.h"
#include "parsers/mailkind.h"
#include "parsers/mime.h"

static const struct limits lim = {
	LIMIT_MESSAGE_SIZE, LIMIT_HEADER_LINE, LIMIT_HEADER_COUNT,
	LIMIT_HEADER_SIZE, LIMIT_MIME_DEPTH, LIMIT_MIME_PARTS,
	LIMIT_TEXT_SIZE, LIMIT_MSGIDS,
	LIMIT_DECRYPTED_SIZE, LIMIT_CRYPTO_LAYERS, ""
};

static enum mail_kind
classify(const char *msg, const char *sender, struct mail_class *c)
{
	struct mime_msg	*m;
	char		*err = NULL;

	assert_int_equal(mime_parse(msg, strlen(msg), &lim, &m, &err), 0);
	mailkind_classify(m, sender, c);
	mime_free(&m);
	assert_null(m);
	return c->kind;
}

static void
test_person(void **state)
{
	struct mail_class	c;

	(void)state;
	assert_int_equal(classify("From: a@example.net\nSubject: XSS\n\nhi\n",
	    "a@example.net", &c), MAIL_PERSON);
	/* a report about a vacation app is not an auto-reply */
	assert_int_equal(classify("From: a@example.net\nSubject: Bug in the "
	    "vacation planner\n\nhi\n", "a@example.net", &c), MAIL_PERSON);
	assert_int_equal(classify("From: a@example.net\nAuto-Submitted: no\n"
	    "Subject: x\n\nhi\n", NULL, &c), MAIL_PERSON);
}

static void
test_autoreply(void **state)
{
	struct mail_class	c;

	(void)state;
	assert_int_equal(classify("From: a@example.net\nAuto-Submitted: "
	    "auto-replied\nSubject: x\n\nhi\n", NULL, &c), MAIL_AUTOREPLY);
	assert_string_equal(c.evidence, "Auto-Submitted");
	assert_int_equal(classify("From: a@example.net\nPrecedence: bulk\n"
	    "Subject: x\n\nhi\n", NULL, &c), MAIL_AUTOREPLY);
	assert_int_equal(classify("From: a@example.net\nX-Autoreply: yes\n"
	    "Subject: x\n\nhi\n", NULL, &c), MAIL_AUTOREPLY);
	assert_int_equal(classify("From: a@example.net\nSubject: Out of "
	    "Office: your mail\n\nhi\n", NULL, &c), MAIL_AUTOREPLY);
	assert_int_equal(classify("From: a@example.net\nSubject: x\n"
	    "Content-Type: multipart/report; report-type="
	    "disposition-notification; boundary=b\n\n--b\n\nread\n--b--\n",
	    NULL, &c), MAIL_AUTOREPLY);
	assert_int_equal(classify("From: a@example.net\nSubject: x\n\nhi\n",
	    "", &c), MAIL_AUTOREPLY);
	assert_string_equal(c.evidence, "null envelope sender");
}

static void
test_bounce(void **state)
{
	struct mail_class	 c;
	struct mime_msg		*m;
	char			*err = NULL;
	const char		*dsn =
	    "From: MAILER-DAEMON@mx.example.net\n"
	    "Subject: Undelivered Mail Returned to Sender\n"
	    "Auto-Submitted: auto-replied\n"
	    "Content-Type: multipart/report; report-type=delivery-status;"
	    " boundary=\"b\"\n\n--b\n\nsorry\n--b\n"
	    "Content-Type: message/delivery-status\n\n"
	    "Reporting-MTA: dns; mx\n\n"
	    "Final-Recipient: rfc822; <x@example.net>\nAction: failed\n"
	    "Status: 5.1.1 (user unknown)\n\n"
	    "Final-Recipient: rfc822;y@example.net\nAction: delayed\n"
	    "Status: 4.4.1\n--b--\n";

	(void)state;
	/* a DSN also carries Auto-Submitted: it is still a bounce */
	assert_int_equal(classify(dsn, "", &c), MAIL_BOUNCE);
	assert_int_equal(mime_parse(dsn, strlen(dsn), &lim, &m, &err), 0);
	assert_string_equal(m->dsn_action, "failed,delayed");
	assert_string_equal(m->dsn_status, "5.1.1,4.4.1");
	assert_string_equal(m->dsn_final_recipient,
	    "x@example.net,y@example.net");
	assert_string_equal(m->text, "sorry");
	mime_free(&m);
	assert_int_equal(classify("From: a@example.net\nX-Failed-Recipients: "
	    "b@example.net\nSubject: x\n\nhi\n", NULL, &c), MAIL_BOUNCE);
	assert_int_equal(classify("From: postmaster@example.net\nSubject: "
	    "Delivery Status Notification (Failure)\n\nhi\n", NULL, &c),
	    MAIL_BOUNCE);
	assert_int_equal(classify("From: friend@example.net\nSubject: "
	    "Undeliverable: bug\n\nhi\n", "friend@example.net", &c),
	    MAIL_PERSON);
}

static void
test_list(void **state)
{
	struct mail_class	c;

	(void)state;
	assert_int_equal(classify("From: a@example.net\nList-Id: <l.x>\n"
	    "Subject: x\n\nhi\n", NULL, &c), MAIL_PERSON);
	assert_true(c.is_list);
}

static void
test_body_choice(void **state)
{
	struct mime_msg	*m;
	char		*err = NULL;
	const char	*alt = "From: a@b\nSubject: s\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/alternative; boundary=b\n\n--b\n"
	    "Content-Type: text/html\n\n<p>HTML &amp; more</p>\n--b\n"
	    "Content-Type: text/plain; charset=iso-8859-1\n"
	    "Content-Transfer-Encoding: quoted-printable\n\ncaf=E9\n--b--\n";
	const char	*html = "From: a@b\nSubject: s\n"
	    "Content-Type: text/html; charset=utf-8\n\n<html><head><style>x"
	    "</style></head><body><p>One</p><p>Two &lt;3 &#x263A;</p>"
	    "<script>bad()</script></body></html>\n";

	(void)state;
	assert_int_equal(mime_parse(alt, strlen(alt), &lim, &m, &err), 0);
	assert_string_equal(m->text, "caf\xc3\xa9");
	mime_free(&m);
	assert_int_equal(mime_parse(html, strlen(html), &lim, &m, &err), 0);
	assert_string_equal(m->text, "One\n\nTwo <3 \xe2\x98\xba");
	mime_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_person),
		cmocka_unit_test(test_autoreply),
		cmocka_unit_test(test_bounce),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_body_choice),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
