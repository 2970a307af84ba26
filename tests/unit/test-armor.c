/*
 * test-armor.c: OpenPGP armour in text (parsers/armor.c) and the
 * Autocrypt header (parsers/autocrypt.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/hash.h"
#include "parsers/armor.h"
#include "parsers/autocrypt.h"

static void
test_message_block(void **state)
{
	const char	*t = "Hello,\r\n\r\n  -----BEGIN PGP MESSAGE-----\r\n"
	    "\r\nhQEMA1234\r\n=abcd\r\n-----END PGP MESSAGE-----  \r\nBye\r\n";
	struct armor_block *b;
	size_t		 n;

	(void)state;
	n = armor_find(t, strlen(t), 8, &b);
	assert_int_equal(n, 1);
	assert_int_equal(b[0].kind, ARMOR_MESSAGE);
	/* from the BEGIN line's indent through the END line (with its
	 * trailing blanks, without its line end) */
	assert_int_equal(b[0].off, 10);
	assert_memory_equal(t + b[0].off + b[0].len, "\r\nBye", 5);
	assert_string_equal(b[0].text, "-----BEGIN PGP MESSAGE-----\n\n"
	    "hQEMA1234\n=abcd\n-----END PGP MESSAGE-----\n");
	armor_free(b, n);
}

/* A quoted-printable encoder left U+00A0 on the armour's blank line. */
static void
test_nbsp_blank_line(void **state)
{
	const char	*t = "-----BEGIN PGP MESSAGE-----\n\xc2\xa0\nAAAA\n"
	    "-----END PGP MESSAGE-----\n";
	struct armor_block *b;
	size_t		 n;

	(void)state;
	n = armor_find(t, strlen(t), 8, &b);
	assert_int_equal(n, 1);
	assert_string_equal(b[0].text, "-----BEGIN PGP MESSAGE-----\n\nAAAA\n"
	    "-----END PGP MESSAGE-----\n");
	armor_free(b, n);
}

/* The signed text of a cleartext signature is kept as written. */
static void
test_cleartext_signature(void **state)
{
	const char	*t = "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256"
	    "\n\n  indented line  \n- -- dash escaped\n"
	    "-----BEGIN PGP SIGNATURE-----\n\niQ\n=x\n"
	    "-----END PGP SIGNATURE-----\n";
	struct armor_block *b;
	size_t		 n;

	(void)state;
	n = armor_find(t, strlen(t), 8, &b);
	assert_int_equal(n, 1);
	assert_int_equal(b[0].kind, ARMOR_SIGNED);
	assert_non_null(strstr(b[0].text, "\n  indented line  \n- -- dash"));
	assert_int_equal(b[0].len, strlen(t) - 1);
	armor_free(b, n);
}

static void
test_incomplete_and_nested(void **state)
{
	const char	*trunc = "-----BEGIN PGP MESSAGE-----\n\nAAAA\n";
	const char	*nest = "-----BEGIN PGP MESSAGE-----\n\n"
	    "-----BEGIN PGP MESSAGE-----\n\nAA\n-----END PGP MESSAGE-----\n";
	const char	*sig_only = "-----BEGIN PGP SIGNED MESSAGE-----\n"
	    "Hash: SHA1\n\ntext\n-----END PGP SIGNATURE-----\n";
	struct armor_block *b;
	size_t		 n;

	(void)state;
	assert_int_equal(armor_find(trunc, strlen(trunc), 8, &b), 0);
	assert_null(b);
	/* the inner, complete block is found; the outer is not armour */
	n = armor_find(nest, strlen(nest), 8, &b);
	assert_int_equal(n, 1);
	assert_int_equal(b[0].off, 29);
	armor_free(b, n);
	/* an END SIGNATURE without its BEGIN SIGNATURE */
	assert_int_equal(armor_find(sig_only, strlen(sig_only), 8, &b), 0);
}

static void
test_block_limit(void **state)
{
	const char	*one = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQ\n"
	    "-----END PGP PUBLIC KEY BLOCK-----\n";
	char		 t[4096] = "";
	struct armor_block *b;
	size_t		 n, i;

	(void)state;
	for (i = 0; i < 20; i++)
		strcat(t, one);
	n = armor_find(t, strlen(t), 16, &b);
	assert_int_equal(n, 16);
	assert_int_equal(b[15].kind, ARMOR_PUBKEY);
	armor_free(b, n);
}

static void
test_is_openpgp(void **state)
{
	(void)state;
	assert_true(armor_is_openpgp("\n -----BEGIN PGP MESSAGE-----", 29));
	assert_true(armor_is_openpgp("\x85\x01\x0c", 3));	/* old PKESK */
	assert_true(armor_is_openpgp("\xc1\x10", 2));		/* new PKESK */
	assert_true(armor_is_openpgp("\xa3\x01", 2));		/* compressed */
	assert_false(armor_is_openpgp("\xc6\x10", 2));	/* public key */
	assert_false(armor_is_openpgp("PK\x03\x04", 4));
	assert_false(armor_is_openpgp("", 0));
	assert_int_equal(armor_packet_tag("\x99\x01", 2), 6);	/* old */
	assert_int_equal(armor_packet_tag("\xc5\x01", 2), 5);	/* new */
	assert_int_equal(armor_packet_tag("-----", 5), -1);
}

static void
test_autocrypt(void **state)
{
	struct autocrypt	 ac;
	const char		*why;
	const char		*ok = "addr=Alice@Example.ORG; prefer-encrypt="
	    "mutual; _hint=x; keydata=\r\n mQ0EX1\r\n 2Jcg==";

	(void)state;
	assert_int_equal(autocrypt_parse(ok, strlen(ok), &ac, &why), 0);
	assert_string_equal(ac.addr, "alice@example.org");
	assert_true(ac.mutual);
	assert_int_equal(ac.keylen, 7);
	assert_memory_equal(ac.key, "\x99\x0d\x04\x5f\x5d\x89\x72", 7);
	autocrypt_free(&ac);
#define BAD(s, w) do { \
	assert_int_equal(autocrypt_parse(s, strlen(s), &ac, &why), -1); \
	assert_string_equal(why, w); \
	assert_null(ac.addr); \
} while (0)
	BAD("addr=a@b; keydata=!!!", "keydata is not base64");
	BAD("addr=a@b; type=2; keydata=AAAA", "unknown critical attribute");
	BAD("addr=a@b", "addr or keydata missing");
	BAD("keydata=AAAA", "addr or keydata missing");
	BAD("addr=a@b; addr=c@d; keydata=AAAA", "bad or repeated addr");
	BAD("addr=nobody; keydata=AAAA", "bad or repeated addr");
	BAD("addr", "attribute without a value");
#undef BAD
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_message_block),
		cmocka_unit_test(test_nbsp_blank_line),
		cmocka_unit_test(test_cleartext_signature),
		cmocka_unit_test(test_incomplete_and_nested),
		cmocka_unit_test(test_block_limit),
		cmocka_unit_test(test_is_openpgp),
		cmocka_unit_test(test_autocrypt),
	};

	if (hash_init() == -1)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
