/*
 * charset: bytes in a named charset -> valid UTF-8 (glibc iconv).
 *
 * Never fails and never drops input: an invalid or truncated byte sequence
 * becomes U+FFFD and conversion continues after it; an unknown charset
 * name is treated as "unknown" (UTF-8 if the bytes are valid UTF-8,
 * otherwise windows-1252). NUL bytes and C0 controls other than TAB, LF
 * and CR become U+FFFD as well, so the result is a C string safe to store.
 * Aliases map common mislabels to supersets (ks_c_5601-1987 -> CP949,
 * gb2312/gbk -> GB18030, shift_jis -> CP932, iso-2022-jp -> ISO-2022-JP-2,
 * big5 -> BIG5-HKSCS where iconv has it, us-ascii with 8-bit bytes ->
 * UTF-8 if valid, otherwise windows-1252; also iso-8859-1 -> windows-1252
 * and euc-kr -> CP949). A label neither in our table nor iconv's is
 * tried again as programs write labels, each step changing it a little
 * more, the first known form winning: a locale's suffix cut
 * ("zh_TW.Big5"), underscores as hyphens ("koi8_r", "iso8859_5"), no
 * "x-" ("x-windows-950"), no vendor tail ("big5-eten"), a code page
 * number as cpNNN ("ms950", "windows-950", "cp-1251"; "ibm-866" as
 * ibm866), no punctuation at all. Big5's variants (cp950, big5-eten)
 * are read as BIG5-HKSCS, their superset.
 */
#ifndef PSIRT_PARSERS_CHARSET_H
#define PSIRT_PARSERS_CHARSET_H

#include <stddef.h>

/* Returns a malloc'd NUL-terminated UTF-8 string; *outlen (may be NULL)
 * gets its length. charset may be NULL (= unknown). *replaced (may be
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

#endif
