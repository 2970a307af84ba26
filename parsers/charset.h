/*
 * charset: bytes in a named charset -> valid UTF-8 (glibc iconv).
 *
 * Never fails and never drops input: an invalid or truncated byte sequence
 * becomes U+FFFD and conversion continues after it. NUL bytes and C0
 * controls other than TAB, LF and CR become U+FFFD as well, so the
 * result is a C string safe to store.
 * Aliases map common mislabels to supersets (ks_c_5601-1987 -> CP949,
 * gb2312/gbk -> GB18030, shift_jis -> CP932, iso-2022-jp -> ISO-2022-JP-2,
 * big5 -> BIG5-HKSCS where iconv has it, iso-8859-1 -> windows-1252,
 * euc-kr -> CP949). A label neither in our table nor iconv's is
 * tried again as programs write labels, each step changing it a little
 * more, the first known form winning: a locale's suffix cut
 * ("zh_TW.Big5"), underscores as hyphens ("koi8_r", "iso8859_5"), no
 * "x-" ("x-windows-950"), no vendor tail ("big5-eten"), a code page
 * number as cpNNN ("ms950", "windows-950", "cp-1251"; "ibm-866" as
 * ibm866), no punctuation at all. Big5's variants (cp950, big5-eten)
 * are read as BIG5-HKSCS, their superset.
 *
 * A label that fits the bytes is kept. It does not fit when:
 *  - its decoding has invalid sequences, more than one for every four
 *    characters it decodes well (an incomplete character at the very
 *    end, where a text was cut, does not count);
 *  - the bytes are valid UTF-8 with a multibyte character and the label
 *    is another ASCII-compatible charset (UTF-8 labelled Latin-1: the
 *    classic mislabel);
 *  - the label is us-ascii (or a 7-bit ISO-2022 one) and there are 8-bit
 *    bytes;
 *  - the label is ISO-8859-1 or windows-1252 and the bytes do not look
 *    like Latin text (the high bytes are not letters among ASCII
 *    letters, or punctuation standing alone) while they do look like a
 *    CJK charset (Big5 labelled ISO-8859-1).
 * Text whose label is unknown, missing (8-bit bytes) or does not fit is
 * read in the first of, in this order:
 *  a. UTF-8, when the bytes are valid UTF-8, or when they hold three
 *     multibyte characters at least, one of three or four bytes, and
 *     twice as many as ill-formed sequences (a character broken on the
 *     way);
 *  b. the charsets the message declares elsewhere (struct charset_ctx:
 *     for a header, the charset of the message's text part first), each
 *     when it fits by the same rules and, for a CJK charset, looks
 *     plausible;
 *  c. the CJK charsets in the order of psirt-policy(5)'s `languages`
 *     (zh-TW: Big5 (BIG5-HKSCS); zh-CN: GB18030; ja: Shift_JIS (CP932),
 *     then EUC-JP; ko: CP949), then the ones no language named in that
 *     same order: the first that decodes without an error and looks
 *     plausible (every high byte in a valid double-byte pair, three in
 *     four characters in the charset's common range: Big5 level 1,
 *     GB2312 level 1, kana and JIS X 0208 level 1, KS X 1001 Hangul,
 *     and their punctuation) while the bytes do not look like Latin
 *     text;
 *  d. the label itself when it decoded without an error (a Latin-1 label
 *     on bytes that only looked odd), else windows-1252.
 * Every step is a linear scan; at most eight candidates are tried.
 * Each time the text is not read in its label (or, with no label, not as
 * UTF-8 or the message's charset), a note is added to charset_ctx's
 * notes: `charset: label "x-foo" unknown, read as Big5`, `charset: bytes
 * do not fit "iso-8859-1", read as UTF-8`.
 */
#ifndef PSIRT_PARSERS_CHARSET_H
#define PSIRT_PARSERS_CHARSET_H

#include <stddef.h>

struct buf;

#define CHARSET_DECLARED_MAX	8	/* charsets of a message kept for (b) */
#define CHARSET_ORDER_MAX	64	/* bytes of an order (charset_order) */

/* What a decoder knows of the message around the text it reads. */
struct charset_ctx {
	const char	*declared[CHARSET_DECLARED_MAX];	/* guess (b) */
	size_t		 ndeclared;
	const char	*order;		/* guess (c): charset_order()'s, or
					 * NULL / "" for the fixed order */
	struct buf	*notes;		/* "; "-joined notes go here, or NULL */
	size_t		 nnotes;	/* notes made (at most 8 are kept) */
};

/* Decode as the comment at the top says, telling cx (may be NULL) of a
 * label that is unknown or does not fit. The result is as for
 * charset_to_utf8(). */
char	*charset_decode(struct charset_ctx *cx, const char *charset,
	    const char *in, size_t len, size_t *outlen, size_t *replaced);

/* The charset charset_decode() would read the bytes in: a name that
 * charset_read() takes, valid until the next call (and notes made as
 * charset_decode() does). */
const char *charset_choose(struct charset_ctx *cx, const char *charset,
	    const char *in, size_t len);

/* Decode in a charset chosen already (charset_choose()): no guess. */
char	*charset_read(const char *charset, const char *in, size_t len,
	    size_t *outlen, size_t *replaced);

/* Add a declared charset to cx (once; unknown names and charsets in
 * which ASCII is not itself are skipped). */
void	 charset_ctx_declare(struct charset_ctx *cx, const char *charset);

/*
 * The CJK guess order for the languages a team reads (psirt-policy(5)'s
 * `languages`: "zh-TW", "zh_CN", "ja", "ko-KR", ...) into out (at most
 * CHARSET_ORDER_MAX bytes): the charsets of the languages named, in
 * their order, then the others in the fixed order.
 */
void	 charset_order(const char *const *langs, size_t n, char *out,
	    size_t outsz);

/* charset_decode() without a context: a malloc'd NUL-terminated UTF-8
 * string; *outlen (may be NULL) gets its length. charset may be NULL (= unknown). *replaced (may be
 * NULL) is set to the number of U+FFFD substitutions made. */
char	*charset_to_utf8(const char *charset, const char *in, size_t len,
	    size_t *outlen, size_t *replaced);

/* 1 if [s, s+len) is well-formed UTF-8 (no overlongs, no surrogates). */
int	 charset_is_utf8(const char *s, size_t len);

/* A mailbox name in UTF-8 -> IMAP's modified UTF-7 (RFC 3501 5.1.3),
 * malloc'd; NULL when s is not well-formed UTF-8, has a control
 * character, or iconv has no UTF-7-IMAP. */
char	*charset_imap_utf7(const char *s);

/* 1 if printable ASCII in this charset is itself (UTF-8, ISO-8859-*,
 * Shift_JIS...), so that it may stand for the raw 8-bit bytes of a
 * header; 0 for UTF-16, UTF-32, UTF-7, EBCDIC and their kind. NULL and
 * unknown names are 1 (they are read as UTF-8 or windows-1252). */
int	 charset_ascii_compatible(const char *charset);

/* 1 if iconv can convert from this charset name (after aliasing). */
int	 charset_known(const char *charset);

/*
 * [s, s+len) of UTF-8 with the forms a CJK input method writes folded to
 * ASCII: full-width ASCII (U+FF01..U+FF5E: "（", "：", "＠"), dashes
 * (U+2010..U+2015, U+2212, U+FE58, U+FE63) as "-", U+00A0 and U+3000 as
 * a space. Bytes that are not UTF-8 are copied as they are. Malloc'd,
 * NUL-terminated; *outlen its length. Linear, never fails.
 */
char	*charset_fold_width(const char *s, size_t len, size_t *outlen);

#endif
