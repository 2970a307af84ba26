/*
 * test-charset.c: unit tests for parsers/charset.c.
 *
 * Every non-UTF-8 input below is a byte string produced and checked with
 * the iconv(1) command (iconv -f UTF-8 -t CHARSET, then back), so the
 * expected UTF-8 strings are independent of the code under test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "util/buf.h"
#include "parsers/charset.h"

#define FFFD	"\xef\xbf\xbd"

static void	check(const char *, const char *, size_t, const char *,
		    size_t);

/* Convert and compare with the exact expected UTF-8 and FFFD count. */
static void
check(const char *cs, const char *in, size_t len, const char *want,
    size_t want_rep)
{
	char	*s;
	size_t	 n = 12345, rep = 12345;

	s = charset_to_utf8(cs, in, len, &n, &rep);
	assert_non_null(s);
	assert_string_equal(s, want);
	assert_int_equal(n, strlen(want));
	assert_int_equal(rep, want_rep);
	assert_true(charset_is_utf8(s, n));
	free(s);
}

#define CHECK(cs, in, want, rep)	check(cs, in, sizeof(in) - 1, want, rep)

static void
test_utf8_valid(void **state)
{
	(void)state;
	CHECK("UTF-8", "\xe6\xbc\x8f\xe6\xb4\x9e", "漏洞", 0);
	CHECK("utf8", "Sicherheitsl\xc3\xbc" "cke", "Sicherheitslücke", 0);
	CHECK("utf-8", "\xf0\x9f\x98\x80", "😀", 0);
	CHECK("utf-8", "", "", 0);
}

static void
test_utf8_invalid(void **state)
{
	(void)state;
	/*
	 * UTF-8 with four good characters for each bad sequence stays
	 * UTF-8 (charset.h); "漏洞脆弱性" four times before each.
	 */
#define G5	"\xe6\xbc\x8f\xe6\xb4\x9e\xe8\x84\x86\xe5\xbc\xb1\xe6\x80\xa7"
#define G	G5 G5 G5 G5
#define GU	"漏洞脆弱性漏洞脆弱性漏洞脆弱性漏洞脆弱性"
	/* truncated 3-byte sequence: one U+FFFD (maximal subpart) */
	CHECK("utf-8", G "a\xe2\x82" "b", GU "a" FFFD "b", 1);
	CHECK("utf-8", G "\xff", GU FFFD, 1);
	/* overlong '/' */
	CHECK("utf-8", G "\xc0\xaf", GU FFFD FFFD, 2);
	/* surrogate U+D800 */
	CHECK("utf-8", G "\xed\xa0\x80", GU FFFD FFFD FFFD, 3);
	/* > U+10FFFF */
	CHECK("utf-8", G "\xf4\x90\x80\x80", GU FFFD FFFD FFFD FFFD, 4);
	/* lone continuation byte */
	CHECK("utf-8", G "x\x80y", GU "x" FFFD "y", 1);
	/* truncated at the end (a text cut short): not a misfit after
	 * good characters; alone, it is windows-1252 */
	CHECK("utf-8", G "abc\xe6\xbc", GU "abc" FFFD, 1);
	CHECK("utf-8", "\xe6\xbc\x8f" "abc\xe6\xbc", "漏abc" FFFD, 1);
	CHECK("utf-8", "abc\xe6\xbc", "abcæ¼", 0);
#undef G5
#undef G
#undef GU
}

static void
test_is_utf8(void **state)
{
	(void)state;
	assert_true(charset_is_utf8("", 0));
	assert_true(charset_is_utf8("plain", 5));
	assert_true(charset_is_utf8("\xe6\xbc\x8f", 3));
	assert_true(charset_is_utf8("\xf4\x8f\xbf\xbf", 4));
	assert_true(charset_is_utf8("a\0b", 3));
	assert_false(charset_is_utf8("\xe6\xbc", 2));
	assert_false(charset_is_utf8("\xc1\xbf", 2));
	assert_false(charset_is_utf8("\xe0\x80\xaf", 3));
	assert_false(charset_is_utf8("\xed\xbf\xbf", 3));
	assert_false(charset_is_utf8("\xf0\x8f\xbf\xbf", 4));
	assert_false(charset_is_utf8("\xf5\x80\x80\x80", 4));
	assert_false(charset_is_utf8("Caf\xe9", 4));
}

static void
test_nul_and_controls(void **state)
{
	(void)state;
	CHECK("utf-8", "a\0b\x01" "c\td\ne\rf\x7f", "a" FFFD "b" FFFD
	    "c\td\ne\rf\x7f", 2);
	CHECK("windows-1252", "\0\x1b", FFFD FFFD, 2);
	CHECK(NULL, "x\0", "x" FFFD, 1);
	/* a NUL code unit produced by iconv */
	CHECK("UTF-16LE", "a\0\0\0b\0", "a" FFFD "b", 1);
}

static void
test_names(void **state)
{
	(void)state;
	/* case, quotes, whitespace, RFC 2231 language suffix */
	CHECK("  \"Big5\" ", "\xba\x7c\xac\x7d", "漏洞", 0);
	CHECK("'KOI8-R'", "\xf5\xd1\xda\xd7\xc9\xcd\xcf\xd3\xd4\xd8",
	    "Уязвимость", 0);
	CHECK("UTF-8*en", "\xc3\xa9", "é", 0);
	CHECK("\tSHIFT_JIS\r\n", "\x90\xc6\x8e\xe3\x90\xab", "脆弱性", 0);
	/* "x-" prefix iconv does not know */
	CHECK("x-cp1250", "Za\xbf\xf3\xb3\xe6", "Zażółć", 0);
	assert_true(charset_known("utf-8"));
	assert_true(charset_known("UTF8"));
	assert_true(charset_known("us-ascii"));
	assert_true(charset_known("ks_c_5601-1987"));
	assert_true(charset_known("gb2312"));
	assert_true(charset_known("Big5"));
	assert_true(charset_known("ISO-8859-15"));
	assert_true(charset_known("\"windows-1258\""));
	assert_true(charset_known("x-cp1250"));
	assert_false(charset_known(NULL));
	assert_false(charset_known(""));
	assert_false(charset_known("  "));
	assert_false(charset_known("x-no-such-charset"));
	assert_false(charset_known("unknown-8bit"));
	assert_false(charset_known("utf-8//IGNORE"));
	assert_false(charset_known("../../../tmp/x"));
	assert_false(charset_known("utf 8"));
}

static void
test_cjk(void **state)
{
	(void)state;
	CHECK("big5", "\xba\x7c\xac\x7d", "漏洞", 0);
	/* HKSCS character in text labelled plain Big5 */
	CHECK("big5", "\x9d\xef\xba\x7c\xac\x7d", "嘅漏洞", 0);
	CHECK("Big5-HKSCS", "\x9d\xef\xba\x7c\xac\x7d", "嘅漏洞", 0);
	CHECK("gb2312", "\xc2\xa9\xb6\xb4\xb1\xa8\xb8\xe6", "漏洞报告", 0);
	/* GBK-only character (報) labelled gb2312 */
	CHECK("gb2312", "\xc2\xa9\xb6\xb4\x88\xf3\xb8\xe6", "漏洞報告", 0);
	CHECK("GBK", "\xc2\xa9\xb6\xb4\x88\xf3\xb8\xe6", "漏洞報告", 0);
	/* GB18030 two- and four-byte sequences */
	CHECK("GB18030", "\xc2\xa9\xb6\xb4\xa2\xe3\x94\x39\xfc\x36",
	    "漏洞€😀", 0);
	CHECK("iso-2022-jp", "\x1b$B@H<e@-\x1b(B", "脆弱性", 0);
	CHECK("ISO-2022-JP", "CVE \x1b$B@H<e@-\x1b(B fix", "CVE 脆弱性 fix",
	    0);
	CHECK("shift_jis", "\x90\xc6\x8e\xe3\x90\xab", "脆弱性", 0);
	/* CP932 extension (circled digit) labelled Shift_JIS */
	CHECK("Shift_JIS", "\x87\x40\x90\xc6\x8e\xe3\x90\xab", "①脆弱性", 0);
	CHECK("euc-kr", "\xc3\xeb\xbe\xe0\xc1\xa1", "취약점", 0);
	/* CP949-only syllable labelled EUC-KR and ks_c_5601-1987 */
	CHECK("EUC-KR", "\x8c\x63\xc3\xeb\xbe\xe0\xc1\xa1", "똠취약점", 0);
	CHECK("ks_c_5601-1987", "\x8c\x63\xc3\xeb\xbe\xe0\xc1\xa1",
	    "똠취약점", 0);
}

static void
test_iso8859(void **state)
{
	(void)state;
	CHECK("iso-8859-1", "Caf\xe9", "Café", 0);
	CHECK("iso-8859-2", "\xa3\xf3" "d\xbc", "Łódź", 0);
	CHECK("iso-8859-3", "\xa1" "al G\xb1" "arg\xb1ur", "Ħal Għargħur", 0);
	CHECK("iso-8859-4", "R\xefga \xf3", "Rīga ķ", 0);
	CHECK("iso-8859-5", "\xbf\xe0\xd8\xd2\xd5\xe2", "Привет", 0);
	CHECK("iso-8859-6", "\xe5\xd1\xcd\xc8\xc7", "مرحبا", 0);
	CHECK("iso-8859-7", "\xca\xe1\xeb\xe7\xec\xdd\xf1\xe1", "Καλημέρα", 0);
	CHECK("iso-8859-8", "\xf9\xec\xe5\xed", "שלום", 0);
	CHECK("iso-8859-8-i", "\xf9\xec\xe5\xed", "שלום", 0);
	CHECK("iso-8859-9", "a\xe7\xfd\xf0\xfd", "açığı", 0);
	CHECK("iso-8859-10", "\xbf \xf0", "ŋ ð", 0);
	CHECK("iso-8859-11", "\xca\xc7\xd1\xca\xb4\xd5", "สวัสดี", 0);
	CHECK("iso-8859-13", "\xc0\xfeuolas", "Ąžuolas", 0);
	CHECK("iso-8859-14", "\xd0\xfe", "Ŵŷ", 0);
	CHECK("iso-8859-15", "\xa4 \xbcuvre", "€ Œuvre", 0);
	/* ISO-8859-1 labels carry windows-1252 in practice */
	CHECK("ISO-8859-1", "\x93hi\x94", "“hi”", 0);
	CHECK("latin1", "\xe9", "é", 0);
}

static void
test_windows(void **state)
{
	(void)state;
	CHECK("windows-1250", "Za\xbf\xf3\xb3\xe6", "Zażółć", 0);
	CHECK("windows-1251", "\xd3\xff\xe7\xe2\xe8\xec\xee\xf1\xf2\xfc",
	    "Уязвимость", 0);
	CHECK("windows-1252", "\x93quoted\x94 \x80", "“quoted” €", 0);
	CHECK("cp1252", "\x81", FFFD, 1);	/* undefined in 1252 */
	CHECK("windows-1253", "\xc5\xf5\xf0\xdc\xe8\xe5\xe9\xe1", "Ευπάθεια",
	    0);
	CHECK("windows-1254", "a\xe7\xfd\xf0\xfd", "açığı", 0);
	CHECK("windows-1255", "\xf9\xec\xe5\xed", "שלום", 0);
	CHECK("windows-1256", "\xcb\xdb\xd1\xc9", "ثغرة", 0);
	CHECK("windows-1257", "Pa\xfe" "eid\xfeiamumas", "Pažeidžiamumas", 0);
	CHECK("windows-1258", "L\xf4\xde h\xf4\xd2ng", "Lỗ hổng", 0);
	CHECK("koi8-r", "\xf5\xd1\xda\xd7\xc9\xcd\xcf\xd3\xd4\xd8",
	    "Уязвимость", 0);
}

static void
test_unknown_and_lying(void **state)
{
	(void)state;
	/* unknown label: UTF-8 if valid, else windows-1252 */
	CHECK("x-no-such-charset", "\xe6\xbc\x8f\xe6\xb4\x9e", "漏洞", 0);
	CHECK("x-no-such-charset", "Caf\xe9 \x93ok\x94", "Café “ok”", 0);
	CHECK(NULL, "Caf\xc3\xa9", "Café", 0);
	CHECK(NULL, "Caf\xe9", "Café", 0);
	CHECK("unknown-8bit", "\xe9", "é", 0);
	CHECK("utf-8//IGNORE", "Caf\xe9", "Café", 0);
	/* us-ascii that is not */
	CHECK("us-ascii", "plain", "plain", 0);
	CHECK("us-ascii", "Caf\xc3\xa9", "Café", 0);
	CHECK("US-ASCII", "\x93hi\x94", "“hi”", 0);
	CHECK("ascii", "\xe6\xbc\x8f\xe6\xb4\x9e", "漏洞", 0);
	/* 7-bit ISO-2022-JP label on UTF-8 text */
	CHECK("iso-2022-jp", "\xe8\x84\x86\xe5\xbc\xb1", "脆弱", 0);
}

static void
test_bad_bytes(void **state)
{
	(void)state;
	CHECK("shift_jis", "\x90\xc6\xff\x8e\xe3", "脆" FFFD "弱", 1);
	CHECK("big5", "\xba\x7c\xff\xac\x7d", "漏" FFFD "洞", 1);
	CHECK("euc-kr", "\xc3\xeb\xff\xbe\xe0", "취" FFFD "약", 1);
	CHECK("gb2312", "\xc2\xa9\xff\xb6\xb4", "漏" FFFD "洞", 1);
	/* truncated multibyte sequence at the end (EINVAL) */
	CHECK("big5", "\xba\x7c\xac", "漏" FFFD, 1);
	CHECK("gb18030", "\xc2\xa9\x94\x39\xfc", "漏" FFFD, 1);
	CHECK("utf-16le", "a\0b", "a" FFFD, 1);
}

static void
test_iso2022_state(void **state)
{
	(void)state;
	/* unassigned JIS X 0208 pair: one U+FFFD, rest stays aligned */
	CHECK("iso-2022-jp", "\x1b$B@H\x22\x2f@-\x1b(Bok", "脆" FFFD "性ok",
	    1);
	/* 8-bit byte inside the double-byte mode */
	CHECK("iso-2022-jp", "\x1b$B@H\x80@-\x1b(Bok", "脆" FFFD "性ok", 1);
	/* text truncated inside a character and inside an escape */
	CHECK("iso-2022-jp", "\x1b$B@H<", "脆" FFFD, 1);
	CHECK("iso-2022-jp", "ab\x1b$", "ab" FFFD, 1);
	/* the state is per call */
	CHECK("iso-2022-jp", "\x1b$B@H", "脆", 0);
	CHECK("iso-2022-jp", "@H", "@H", 0);
}

static void
test_large(void **state)
{
	size_t	 n = 1024 * 1024, i, outlen, rep;
	char	*in, *s;

	(void)state;
	in = malloc(n);
	assert_non_null(in);
	for (i = 0; i < n; i++)
		in[i] = (char)(i % 2 ? 0xe9 : 'a');	/* "aé" in latin1 */
	s = charset_to_utf8("iso-8859-1", in, n, &outlen, &rep);
	assert_int_equal(outlen, n / 2 * 3);
	assert_int_equal(rep, 0);
	assert_memory_equal(s, "a\xc3\xa9" "a\xc3\xa9", 6);
	free(s);
	/* latin1 labelled UTF-8: read as windows-1252 */
	s = charset_to_utf8("utf-8", in, n, &outlen, &rep);
	assert_int_equal(outlen, n / 2 * 3);
	assert_int_equal(rep, 0);
	free(s);
	s = charset_to_utf8("windows-1251", in, n, &outlen, &rep);
	assert_int_equal(outlen, n / 2 * 3);
	assert_memory_equal(s, "a\xd0\xb9", 3);	/* 0xe9 = й */
	free(s);
	free(in);
}

static void
test_null_input(void **state)
{
	char	*s;
	size_t	 n = 1;

	(void)state;
	s = charset_to_utf8("utf-8", NULL, 0, &n, NULL);
	assert_string_equal(s, "");
	assert_int_equal(n, 0);
	free(s);
	s = charset_to_utf8(NULL, "x", 1, NULL, NULL);
	assert_string_equal(s, "x");
	free(s);
}

/* mailbox names for IMAP: RFC 3501 5.1.3 modified UTF-7 */
static void
test_imap_utf7(void **state)
{
	char	*r;

	(void)state;
	r = charset_imap_utf7("INBOX");
	assert_string_equal(r, "INBOX");
	free(r);
	/* '&' is "&-"; non-ASCII is modified base64 ("," for "/") */
	r = charset_imap_utf7("Sicherheit/Berichte-\xc3\xa4\xc3\xb6&x");
	assert_string_equal(r, "Sicherheit/Berichte-&AOQA9g-&-x");
	free(r);
	r = charset_imap_utf7("\xe8\xb3\x87\xe5\xae\x89");	/* 資安 */
	assert_string_equal(r, "&jMdbiQ-");
	free(r);
	r = charset_imap_utf7("\xe2\x98\xba\xef\xbf\xbe");	/* "/" in base64 */
	assert_non_null(strchr(r, ','));
	assert_null(strchr(r, '/'));
	free(r);
	/* not UTF-8, or a control character: no name */
	assert_null(charset_imap_utf7("Sicherheit\xff"));
	assert_null(charset_imap_utf7("a\xc3"));
	assert_null(charset_imap_utf7("a\r\nb"));
}

static void
test_ascii_compatible(void **state)
{
	(void)state;
	assert_int_equal(charset_ascii_compatible(NULL), 1);
	assert_int_equal(charset_ascii_compatible("utf-8"), 1);
	assert_int_equal(charset_ascii_compatible("us-ascii"), 1);
	assert_int_equal(charset_ascii_compatible("ISO-8859-15"), 1);
	assert_int_equal(charset_ascii_compatible("big5"), 1);
	assert_int_equal(charset_ascii_compatible("gb2312"), 1);
	assert_int_equal(charset_ascii_compatible("x-no-such-charset"), 1);
	/* ASCII is not itself in these: a header must not be read in them */
	assert_int_equal(charset_ascii_compatible("utf-16"), 0);
	assert_int_equal(charset_ascii_compatible("UTF-16LE"), 0);
	assert_int_equal(charset_ascii_compatible("utf-32"), 0);
	assert_int_equal(charset_ascii_compatible("utf-7"), 0);
	assert_int_equal(charset_ascii_compatible("ibm037"), 0);
}

/* Labels as programs write them: Perl's, Python's, Java's and
 * Microsoft's codec names, locale suffixes, underscores, case. */
static void
test_program_labels(void **state)
{
	(void)state;
	CHECK("big5-eten", "\xba\x7c\xac\x7d", "漏洞", 0);	/* Perl */
	CHECK("Big5_HKSCS", "\xba\x7c\xac\x7d", "漏洞", 0);	/* Python */
	CHECK("zh_TW.Big5", "\xba\x7c\xac\x7d", "漏洞", 0);	/* locale */
	CHECK("x-windows-950", "\xba\x7c\xac\x7d", "漏洞", 0);	/* Java */
	CHECK("MS950", "\xba\x7c\xac\x7d", "漏洞", 0);
	CHECK("cp950", "\xba\x7c\xac\x7d", "漏洞", 0);
	CHECK("koi8_r", "\xf0\xd2\xc9\xd7\xc5\xd4", "Привет", 0);
	CHECK("mac_cyrillic", "\x8f\xf0\xe8\xe2\xe5\xf2", "Привет", 0);
	CHECK("iso8859_5", "\xbf\xe0\xd8\xd2\xd5\xe2", "Привет", 0);
	CHECK("windows_1251", "\xcf\xf0\xe8\xe2\xe5\xf2", "Привет", 0);
	CHECK("cp-1251", "\xcf\xf0\xe8\xe2\xe5\xf2", "Привет", 0);
	CHECK("ibm-866", "\x8f\xe0\xa8\xa2\xa5\xe2", "Привет", 0);
	CHECK("utf_8", "\xc3\xa9", "é", 0);
	CHECK("UTF-8-SIG", "\xc3\xa9", "é", 0);
	CHECK("en_US.UTF-8", "\xc3\xa9", "é", 0);
	assert_true(charset_known("gb18030-2005"));
	assert_true(charset_known("euc_tw"));
	assert_true(charset_known("Big5-ETen"));
	/* garbage stays unknown: UTF-8 if it is, else windows-1252 */
	assert_false(charset_known("no_such.thing-42"));
	assert_false(charset_known("x-"));
	assert_false(charset_known("ms"));
	assert_false(charset_known("windows-"));
	CHECK("no_such.thing-42", "Caf\xe9", "Café", 0);
}

/*
 * Decode with a context: declared charsets (NULL-terminated), the CJK
 * order, and compare the text and the notes made ("" for none).
 */
static void
guess(const char *cs, const char *in, size_t len, const char *const *decl,
    const char *order, const char *want, const char *want_notes)
{
	struct charset_ctx	 cx;
	struct buf		 notes;
	char			*s;
	size_t			 n;

	memset(&cx, 0, sizeof(cx));
	buf_init(&notes);
	cx.notes = &notes;
	cx.order = order;
	for (; decl != NULL && *decl != NULL; decl++)
		charset_ctx_declare(&cx, *decl);
	s = charset_decode(&cx, cs, in, len, &n, NULL);
	assert_string_equal(s, want);
	assert_true(charset_is_utf8(s, n));
	assert_string_equal(notes.s, want_notes);
	free(s);
	buf_free(&notes);
}

#define GUESS(cs, in, decl, order, want, notes) \
	guess(cs, in, sizeof(in) - 1, decl, order, want, notes)

#define BIG5_REPORT	"\xba\x7c\xac\x7d\xb3\xf8\xa7\x69\xa1\x47\xbd\x77" \
			"\xbd\xc4\xb0\xcf\xb7\xb8\xa6\xec"
#define U8_REPORT	"漏洞報告：緩衝區溢位"
#define GB_SHORT	"\xc4\xda\xb4\xe6\xb2\xbb\xd7\xe3"	/* 内存不足 */
#define KOI8_HELLO	"\xf0\xd2\xc9\xd7\xc5\xd4"		/* Привет */

static const char *const no_decl[] = { NULL };

/* The order of guesses for an unknown label (charset.h a-d). */
static void
test_guess_order(void **state)
{
	static const char *const big5[] = { "big5", NULL };
	static const char *const koi8[] = { "KOI8-R", NULL };
	static const char *const latin[] = { "iso-8859-1", NULL };
	char	 tw[CHARSET_ORDER_MAX], cn[CHARSET_ORDER_MAX];
	const char *en_tw[] = { "en", "zh-TW" }, *cn_en[] = { "zh_CN", "en" };

	(void)state;
	charset_order(en_tw, 2, tw, sizeof(tw));
	charset_order(cn_en, 2, cn, sizeof(cn));
	/* (a) UTF-8 */
	GUESS("x-foo", "\xe6\xbc\x8f\xe6\xb4\x9e", no_decl, NULL, "漏洞",
	    "charset: label \"x-foo\" unknown, read as UTF-8");
	/* (b) the message's charsets, before the team's order */
	GUESS("x-foo", BIG5_REPORT, big5, cn, U8_REPORT, "charset: label "
	    "\"x-foo\" unknown, read as the message's big5");
	GUESS("x-foo", KOI8_HELLO, koi8, NULL, "Привет", "charset: label "
	    "\"x-foo\" unknown, read as the message's KOI8-R");
	/* a Latin-1 message does not make CJK bytes Latin */
	GUESS("x-foo", BIG5_REPORT, latin, tw, U8_REPORT,
	    "charset: label \"x-foo\" unknown, read as Big5");
	/* (c) the team's languages decide what both charsets read */
	GUESS("x-foo", GB_SHORT, no_decl, tw, "囀湔祥逋",
	    "charset: label \"x-foo\" unknown, read as Big5");
	GUESS("x-foo", GB_SHORT, no_decl, cn, "内存不足",
	    "charset: label \"x-foo\" unknown, read as GB18030");
	GUESS("x-foo", "\x90\xc6\x8e\xe3\x90\xab\x82\xcc\x95\xf1\x8d\x90",
	    no_decl, tw, "脆弱性の報告",
	    "charset: label \"x-foo\" unknown, read as Shift_JIS");
	GUESS("x-foo", "\xc3\xeb\xbe\xe0\xc1\xa1 \xba\xb8\xb0\xed", no_decl,
	    "cp949", "취약점 보고",
	    "charset: label \"x-foo\" unknown, read as CP949");
	/* (d) windows-1252; European text is never taken for CJK */
	GUESS("x-foo", "Caf\xe9 \x93ok\x94", no_decl, tw, "Café “ok”",
	    "charset: label \"x-foo\" unknown, read as windows-1252");
	GUESS("x-foo", "\xc4" "rger \xfc" "ber Gr\xf6\xdf" "e", no_decl, tw,
	    "Ärger über Größe",
	    "charset: label \"x-foo\" unknown, read as windows-1252");
	GUESS("x-foo", "\xbf" "Es correcto?", no_decl, tw, "¿Es correcto?",
	    "charset: label \"x-foo\" unknown, read as windows-1252");
	/* no label: UTF-8 and the message's charset without a note */
	GUESS(NULL, "Caf\xc3\xa9", no_decl, NULL, "Café", "");
	GUESS(NULL, BIG5_REPORT, big5, NULL, U8_REPORT, "");
	GUESS(NULL, "Caf\xe9", no_decl, NULL, "Café", "charset: 8-bit text "
	    "without a label, read as windows-1252");
	/* a UTF-16 body says nothing of 8-bit header bytes */
	{
		static const char *const u16[] = { "utf-16", NULL };

		GUESS(NULL, "Caf\xe9", u16, NULL, "Café", "charset: 8-bit "
		    "text without a label, read as windows-1252");
	}
	/* 7-bit text: nothing to guess, nothing noted */
	GUESS("x-foo", "plain", no_decl, NULL, "plain", "");
}

/* Labels that lie (issue 21 item 6), and labels that fit are kept. */
static void
test_lying_labels(void **state)
{
	char	 tw[CHARSET_ORDER_MAX];
	const char *en_tw[] = { "en", "zh-TW" };

	(void)state;
	charset_order(en_tw, 2, tw, sizeof(tw));
	/* Big5 labelled Latin-1: every byte "decodes", none is Latin */
	GUESS("iso-8859-1", BIG5_REPORT, no_decl, tw, U8_REPORT,
	    "charset: bytes do not fit \"iso-8859-1\", read as Big5");
	GUESS("ISO-8859-1", "Re: " BIG5_REPORT " (CVE-2024-1234)", no_decl,
	    tw, "Re: " U8_REPORT " (CVE-2024-1234)",
	    "charset: bytes do not fit \"ISO-8859-1\", read as Big5");
	/* UTF-8 labelled Latin-1: the classic mislabel */
	GUESS("latin1", "Caf\xc3\xa9 cr\xc3\xa8me", no_decl, tw,
	    "Café crème",
	    "charset: bytes do not fit \"latin1\", read as UTF-8");
	GUESS("windows-1251", "\xd0\x9f\xd1\x80\xd0\xb8", no_decl, NULL,
	    "При", "charset: bytes do not fit \"windows-1251\", read as "
	    "UTF-8");
	/* windows-1252 labelled UTF-8; "résumé" is not Big5 (E9 73 is a
	 * valid pair) */
	GUESS("utf-8", "r\xe9sum\xe9", no_decl, tw, "résumé",
	    "charset: bytes do not fit \"utf-8\", read as windows-1252");
	GUESS("UTF-8", "na\xefve caf\xe9", no_decl, tw, "naïve café",
	    "charset: bytes do not fit \"UTF-8\", read as windows-1252");
	/* Big5 labelled UTF-8 */
	GUESS("utf-8", BIG5_REPORT, no_decl, tw, U8_REPORT,
	    "charset: bytes do not fit \"utf-8\", read as Big5");
	/* Latin text labelled Big5 */
	GUESS("big5", "k\xf6nnen", no_decl, tw, "können",
	    "charset: bytes do not fit \"big5\", read as windows-1252");
	/* us-ascii with 8-bit bytes */
	GUESS("us-ascii", "Caf\xc3\xa9", no_decl, NULL, "Café",
	    "charset: bytes do not fit \"us-ascii\", read as UTF-8");
	/* labels that fit are kept, without a note */
	GUESS("iso-8859-1", "Caf\xe9 \xe0 la cr\xe8me", no_decl, tw,
	    "Café à la crème", "");
	GUESS("windows-1252", "\x93quoted\x94 \x80 5", no_decl, tw,
	    "“quoted” € 5", "");
	GUESS("big5", BIG5_REPORT, no_decl, NULL, U8_REPORT, "");
	GUESS("big5", "\x9d\xef\xba\x7c\xac\x7d", no_decl, NULL, "嘅漏洞",
	    "");
	GUESS("koi8-r", KOI8_HELLO, no_decl, NULL, "Привет", "");
	/* GB2312 that happens to be valid UTF-8 (Ŀ¼) stays GB2312 */
	GUESS("gb2312", "\xc4\xbf\xc2\xbc", no_decl, NULL, "目录", "");
	/* a few bad bytes in text the label reads well: kept */
	GUESS("shift_jis", "\x90\xc6\xff\x8e\xe3", no_decl, NULL,
	    "脆" FFFD "弱", "");
	/* a Latin-1 label on bytes that only look odd: kept */
	GUESS("iso-8859-1", "\xa4\xa6\xa8", no_decl, tw, "¤¦¨", "");
}

/* Notes: one per distinct case, at most eight, the label made safe. */
static void
test_guess_notes(void **state)
{
	struct charset_ctx	 cx;
	struct buf		 notes;
	char			*s, label[32];
	int			 i;

	(void)state;
	memset(&cx, 0, sizeof(cx));
	buf_init(&notes);
	cx.notes = &notes;
	for (i = 0; i < 3; i++)
		free(charset_decode(&cx, "x-foo", "Caf\xe9", 4, NULL, NULL));
	assert_string_equal(notes.s,
	    "charset: label \"x-foo\" unknown, read as windows-1252");
	for (i = 0; i < 20; i++) {
		snprintf(label, sizeof(label), "x-foo-%d", i);
		free(charset_decode(&cx, label, "Caf\xe9", 4, NULL, NULL));
	}
	assert_int_equal(cx.nnotes, 8);
	buf_truncate(&notes, 0);
	cx.nnotes = 0;
	/* quotes, controls, markup and 8-bit bytes in a label */
	s = charset_decode(&cx, "x\"<b>\r\n\xff" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "Caf\xe9", 4, NULL, NULL);
	assert_string_equal(s, "Café");
	assert_null(strchr(notes.s, '<'));
	assert_null(strchr(notes.s, '\r'));
	assert_true(charset_is_utf8(notes.s, notes.len));
	assert_non_null(strstr(notes.s, "...\" unknown"));
	free(s);
	buf_free(&notes);
}

/* The team's languages as a CJK order. */
static void
test_order(void **state)
{
	char		 o[CHARSET_ORDER_MAX];
	const char	*a[] = { "en", "zh-TW" };
	const char	*b[] = { "ko-KR", "ja", "zh-Hans" };
	const char	*c[] = { "zh_HK", "zh" };
	const char	*d[] = { "xx", "", "zh-TW-x-very-long-tag-indeed" };

	(void)state;
	charset_order(a, 2, o, sizeof(o));
	assert_string_equal(o, "big5-hkscs gb18030 cp932 euc-jp cp949");
	charset_order(b, 3, o, sizeof(o));
	assert_string_equal(o, "cp949 cp932 euc-jp gb18030 big5-hkscs");
	charset_order(c, 2, o, sizeof(o));
	assert_string_equal(o, "big5-hkscs gb18030 cp932 euc-jp cp949");
	charset_order(NULL, 0, o, sizeof(o));
	assert_string_equal(o, "big5-hkscs gb18030 cp932 euc-jp cp949");
	charset_order(d, 3, o, sizeof(o));
	assert_string_equal(o, "big5-hkscs gb18030 cp932 euc-jp cp949");
	charset_order(b, 3, o, 12);
	assert_string_equal(o, "cp949 cp932");
}

/*
 * Every label of the IANA registry and of the WHATWG Encoding Standard
 * (tests/data/charset-labels.txt) resolves or falls to the guesses,
 * without a crash and with valid UTF-8 out.
 */
static void
test_label_lists(void **state)
{
	static const char	 bytes[] = "Caf\xe9 \xc3\xa9 " BIG5_REPORT
	    " \x1b$B@H\x1b(B \x00\xff";
	const char		*top = getenv("top_srcdir");
	struct charset_ctx	 cx;
	struct buf		 notes;
	char			 path[4096], line[256], *label, *s;
	FILE			*fp;
	size_t			 n, total = 0, known = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/data/charset-labels.txt",
	    top ? top : ".");
	assert_non_null(fp = fopen(path, "r"));
	buf_init(&notes);
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (line[0] == '#' || (label = strchr(line, '\t')) == NULL)
			continue;
		label[strcspn(label, "\n")] = '\0';
		label++;
		memset(&cx, 0, sizeof(cx));
		cx.notes = &notes;
		buf_truncate(&notes, 0);
		s = charset_decode(&cx, label, bytes, sizeof(bytes) - 1, &n,
		    NULL);
		assert_true(charset_is_utf8(s, n));
		assert_int_equal(strlen(s), n);
		free(s);
		s = charset_decode(&cx, label, "plain", 5, &n, NULL);
		free(s);
		total++;
		if (charset_known(label))
			known++;
		else if (strncmp(line, "whatwg", 6) == 0)
			/* what WHATWG reads as nothing or bytes */
			assert_true(strcmp(label, "replacement") == 0 ||
			    strcmp(label, "hz-gb-2312") == 0 ||
			    strcmp(label, "x-user-defined") == 0);
	}
	fclose(fp);
	buf_free(&notes);
	assert_true(total > 1000);
	assert_true(known > 800);
}

/* Garbage labels: no crash, the guesses read the text. */
static void
test_garbage_labels(void **state)
{
	static const char *const labels[] = { "", " ", "\"\"", "*", "*en",
	    "-", "x-", "utf-8//TRANSLIT", "../../etc/passwd", "%s%n",
	    "\xe6\xbc\x8f", "utf\0-8", "big5\r\nX-Evil: 1", "(((", ")",
	    "iso-2022-jp-3", "ebcdic-cp-us", "utf-16", "utf-7", NULL };
	char	 longl[300];
	char	*s;
	size_t	 i, n;

	(void)state;
	memset(longl, 'a', sizeof(longl) - 1);
	longl[sizeof(longl) - 1] = '\0';
	for (i = 0; labels[i] != NULL; i++) {
		s = charset_to_utf8(labels[i], BIG5_REPORT, sizeof(BIG5_REPORT)
		    - 1, &n, NULL);
		assert_true(charset_is_utf8(s, n));
		free(s);
		s = charset_to_utf8(labels[i], "r\xe9sum\xe9", 6, &n, NULL);
		assert_true(charset_is_utf8(s, n));
		free(s);
	}
	s = charset_to_utf8(longl, "r\xe9sum\xe9", 6, &n, NULL);
	assert_string_equal(s, "résumé");
	free(s);
}

/* charset_fold_width: full-width ASCII, dashes and wide spaces to ASCII;
 * CJK and bytes that are not UTF-8 as they are; never past len. */
static void
test_fold_width(void **state)
{
	char	*r;
	size_t	 n;

	(void)state;
	r = charset_fold_width("李小華（ACME）＜a＠b.tw＞\xe3\x80\x80x\xe2\x80\x93y",
	    strlen("李小華（ACME）＜a＠b.tw＞\xe3\x80\x80x\xe2\x80\x93y"), &n);
	assert_string_equal(r, "李小華(ACME)<a@b.tw> x-y");
	assert_int_equal(n, strlen(r));
	free(r);
	/* a lone 8-bit byte is kept; a sequence cut by len is not read on */
	r = charset_fold_width("a\xff\xef\xbc\x88", 4, &n);
	assert_int_equal(n, 4);
	assert_memory_equal(r, "a\xff\xef\xbc", 4);
	free(r);
	r = charset_fold_width("", 0, &n);
	assert_string_equal(r, "");
	assert_int_equal(n, 0);
	free(r);
}

/* A megabyte of mixed bytes with an unknown label: linear time. */
static void
test_guess_large(void **state)
{
	size_t	 n = 1024 * 1024, i, outlen, k;
	char	*in, *s;
	clock_t	 t0, t[3];
	uint32_t r = 1;

	(void)state;
	in = malloc(4 * n);
	assert_non_null(in);
	for (i = 0; i < 4 * n; i++) {
		r = r * 1103515245 + 12345;
		in[i] = (char)(i % 3 ? 'a' + (r >> 16) % 26 : (r >> 16) & 0xff);
	}
	for (k = 0; k < 3; k++) {
		t0 = clock();
		s = charset_to_utf8(k == 2 ? "utf-8" : NULL, in, n << k,
		    &outlen, NULL);
		t[k] = clock() - t0;
		assert_true(charset_is_utf8(s, outlen));
		free(s);
	}
	print_message("# 1 MB %.3fs, 2 MB %.3fs (unknown label), "
	    "4 MB %.3fs (lying utf-8 label)\n", (double)t[0] / CLOCKS_PER_SEC,
	    (double)t[1] / CLOCKS_PER_SEC, (double)t[2] / CLOCKS_PER_SEC);
	/* twice the bytes, not much more than twice the time */
	assert_true(t[1] < 4 * t[0] + CLOCKS_PER_SEC / 10);
	free(in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_invalid),
		cmocka_unit_test(test_is_utf8),
		cmocka_unit_test(test_nul_and_controls),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_cjk),
		cmocka_unit_test(test_iso8859),
		cmocka_unit_test(test_windows),
		cmocka_unit_test(test_unknown_and_lying),
		cmocka_unit_test(test_bad_bytes),
		cmocka_unit_test(test_iso2022_state),
		cmocka_unit_test(test_large),
		cmocka_unit_test(test_null_input),
		cmocka_unit_test(test_imap_utf7),
		cmocka_unit_test(test_ascii_compatible),
		cmocka_unit_test(test_program_labels),
		cmocka_unit_test(test_guess_order),
		cmocka_unit_test(test_lying_labels),
		cmocka_unit_test(test_guess_notes),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_label_lists),
		cmocka_unit_test(test_garbage_labels),
		cmocka_unit_test(test_guess_large),
		cmocka_unit_test(test_fold_width),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
