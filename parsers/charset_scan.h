/*
 * charset_scan: what the bytes look like, for charset.c's guesses (an
 * internal header of charset.c). Linear scans, no decoding, no
 * allocation: UTF-8's view of the bytes, whether their high bytes read
 * as Latin text, and a double-byte CJK charset's view of them.
 */
#ifndef PSIRT_PARSERS_CHARSET_SCAN_H
#define PSIRT_PARSERS_CHARSET_SCAN_H

#include <stddef.h>

/* What UTF-8 makes of the bytes (utf8_scan()). */
struct u8_stat {
	size_t		 good;		/* valid multibyte sequences */
	size_t		 longer;	/* of them, of three or four bytes */
	size_t		 errors;	/* ill-formed subparts */
	int		 cut;		/* an incomplete sequence at the end */
};

/* The CJK charsets of guess (c). */
enum cjk_scheme { CJK_BIG5, CJK_GB, CJK_SJIS, CJK_EUCJP, CJK_UHC };

/* What a CJK charset's structure makes of the bytes (cjk_scan()). */
struct cjk_stat {
	size_t		 chars;		/* characters of two or more bytes */
	size_t		 common;	/* of them, in the common range */
	size_t		 bad;		/* a high byte in no valid character */
	size_t		 gaps;		/* one space between two characters */
	size_t		 marks;		/* Big5: trail byte 0x40..0x7e;
					 * GB: lead byte 0xc9..0xf7;
					 * Japanese: kana */
	int		 cut;		/* a character cut at the end */
};

/* cjk_plausible(): at most one space-separated pair in CJK_GAPS
 * characters, and CJK_MARKS_N characters without a mark are not it */
#define CJK_GAPS	8
#define CJK_GAPS_N	8
#define CJK_MARKS_N	6

/* Length of the well-formed UTF-8 sequence at p (1..4), or 0 with *bad
 * the length of the ill-formed subpart to replace. */
size_t	 utf8_valid(const unsigned char *, size_t, size_t *bad);
void	 utf8_scan(const unsigned char *, size_t, struct u8_stat *);
int	 latin_plausible(const unsigned char *, size_t);
void	 cjk_scan(enum cjk_scheme, const unsigned char *, size_t,
	    struct cjk_stat *);
int	 cjk_plausible(enum cjk_scheme, const struct cjk_stat *);

#endif
