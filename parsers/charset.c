/*
 * charset.c: bytes in a named charset -> valid UTF-8.
 *
 * Contract (see charset.h): charset_to_utf8() never fails and never drops
 * input silently. Every byte of the input ends up either converted or as
 * part of a U+FFFD; the result is well-formed UTF-8 (checked by our own
 * strict validator, not trusted from iconv) without NUL or C0 controls
 * other than TAB, LF and CR.
 *
 * Trust: nothing. The charset name comes straight from a mail header; it
 * is trimmed (whitespace, quotes), cut at an RFC 2231 "*lang" suffix,
 * lowercased, and only passed to iconv_open() if it is short and made of
 * [a-z0-9._:+()-] (no "/" so no "//IGNORE" games, nothing that could be
 * taken as a path by gconv). Anything else is "unknown".
 *
 * Decoding strategy:
 *  - UTF-8 (and "unknown" input that is valid UTF-8) is validated and
 *    copied directly; each maximal ill-formed subpart becomes one U+FFFD
 *    (Unicode "best practice", as the WHATWG decoder does).
 *  - windows-1252 is decoded with our own table, so the fallback for
 *    unknown/lying labels works even where gconv modules are missing (a
 *    chroot). ISO-8859-1 and its aliases are decoded as windows-1252, its
 *    de-facto superset in mail (as WHATWG does); the five undefined
 *    windows-1252 bytes become U+FFFD.
 *  - us-ascii is trusted only if the bytes are 7-bit; otherwise the input
 *    is treated as unknown. The same goes for 7-bit ISO-2022-* labels on
 *    input that has 8-bit bytes and is valid UTF-8.
 *  - everything else goes through glibc iconv to UTF-8. On EILSEQ one
 *    U+FFFD is emitted and one byte skipped. For ISO-2022 (stateful) the
 *    shift state iconv holds is kept, since it still reflects the last
 *    valid escape sequence; we track that state ourselves and, in a
 *    double-byte mode, skip the whole invalid two-byte pair so that the
 *    rest of the text stays aligned; an unknown escape sequence is
 *    skipped whole (ESC, intermediate and final bytes). EINVAL
 *    (truncated sequence at the end) becomes one U+FFFD.
 *
 * Guessing (charset.h has the order): the label's decoding is judged by
 * its invalid sequences and the characters it read well; the guesses by
 * linear scans that do not decode (utf8_scan(), latin_plausible(),
 * cjk_scan()), and only the one chosen is decoded, with iconv confirming
 * a CJK guess. So a text is read at most three times whatever its size.
 *
 * Diagnostics: a label unknown or that did not fit is told in the
 * context's notes (charset_decode()); the number of substitutions is
 * reported through *replaced for the caller to log if it cares.
 */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/xmalloc.h"
#include "parsers/charset.h"
#include "parsers/charset_scan.h"

#define CS_NAME_MAX	64	/* longest charset name we pass to iconv */

enum cs_kind {
	CS_UNKNOWN,		/* UTF-8 if valid, else windows-1252 */
	CS_UTF8,
	CS_ASCII,		/* 7-bit, else unknown */
	CS_CP1252,		/* our own table */
	CS_ICONV		/* iconv name in the name buffer */
};

struct cs_alias {
	const char	*label;
	enum cs_kind	 kind;
	const char	*iconv_name;
};

static enum cs_kind	 cs_classify(const char *, char *, size_t);
static int		 cs_lookup(char *, size_t, enum cs_kind *);
static int		 cs_normalize(const char *, char *, size_t);
static int		 cs_iconv_name(char *);
static int		 cs_iconv_ok(const char *);
static int		 has_8bit(const unsigned char *, size_t);
static void		 put_fffd(struct buf *, size_t *);
static void		 put_cp(struct buf *, unsigned int);
static void		 sanitize(const unsigned char *, size_t, struct buf *,
			    size_t *);
static void		 decode_cp1252(const unsigned char *, size_t,
			    struct buf *, size_t *);
static int		 decode_iconv(const char *, const unsigned char *,
			    size_t, struct buf *, size_t *, size_t *);
static int		 iso2022_mode(const unsigned char *,
			    const unsigned char *, int);

/* One reading of the bytes, and how well it went. */
struct cs_read {
	enum cs_kind	 kind;
	char		 name[CS_NAME_MAX + 1];
	struct buf	 raw;		/* UTF-8 to sanitize (not for CS_UTF8) */
	size_t		 rep;		/* U+FFFD in raw */
	size_t		 errors;	/* invalid sequences, the cut not counted */
	size_t		 good;		/* non-ASCII characters read well */
	int		 cut;		/* an incomplete character at the end */
};

/* The CJK charsets of guess (c), in the fixed order. */
static const struct cjk {
	const char	*name;		/* in an order; iconv's name */
	const char	*shown;		/* in a note */
	enum cjk_scheme	 scheme;
} cjk_tab[] = {
	{ "big5-hkscs",	"Big5",		CJK_BIG5 },
	{ "gb18030",	"GB18030",	CJK_GB },
	{ "cp932",	"Shift_JIS",	CJK_SJIS },
	{ "euc-jp",	"EUC-JP",	CJK_EUCJP },
	{ "cp949",	"CP949",	CJK_UHC },
};
#define CJK_N	(sizeof(cjk_tab) / sizeof(cjk_tab[0]))

enum cs_why { WHY_NOLABEL, WHY_UNKNOWN, WHY_NOFIT };

static int		 cs_read(struct cs_read *, enum cs_kind, const char *,
			    const unsigned char *, size_t);
static int		 cs_fits(const struct cs_read *,
			    const struct u8_stat *, const unsigned char *,
			    size_t);
static void		 cs_pick(struct charset_ctx *, const char *,
			    const unsigned char *, size_t, struct cs_read *);
static int		 cs_cjk_ok(const struct cjk *, const unsigned char *,
			    size_t, struct cs_read *);
static void		 cs_note(struct charset_ctx *, enum cs_why,
			    const char *, const char *, const char *);
static const struct cjk	*cjk_find(const char *, size_t);
static char		*cs_finish(struct cs_read *, const unsigned char *,
			    size_t, size_t *, size_t *);

/*
 * Labels seen in mail, lowercased. Mislabels map to supersets (charset.h).
 * Labels not listed here are handed to iconv as they are.
 */
static const struct cs_alias cs_aliases[] = {
	{ "utf-8",		CS_UTF8,	NULL },
	{ "utf8",		CS_UTF8,	NULL },
	{ "unicode-1-1-utf-8",	CS_UTF8,	NULL },
	{ "unicode-2-0-utf-8",	CS_UTF8,	NULL },
	{ "x-unicode20utf8",	CS_UTF8,	NULL },

	{ "us-ascii",		CS_ASCII,	NULL },
	{ "ascii",		CS_ASCII,	NULL },
	{ "us",			CS_ASCII,	NULL },
	{ "ansi_x3.4-1968",	CS_ASCII,	NULL },
	{ "ansi_x3.4-1986",	CS_ASCII,	NULL },
	{ "iso646-us",		CS_ASCII,	NULL },
	{ "iso-ir-6",		CS_ASCII,	NULL },
	{ "iso_646.irv:1991",	CS_ASCII,	NULL },
	{ "cp367",		CS_ASCII,	NULL },
	{ "ibm367",		CS_ASCII,	NULL },
	{ "csascii",		CS_ASCII,	NULL },

	{ "unknown",		CS_UNKNOWN,	NULL },
	{ "unknown-8bit",	CS_UNKNOWN,	NULL },
	{ "x-unknown",		CS_UNKNOWN,	NULL },
	{ "x-user-defined",	CS_UNKNOWN,	NULL },
	{ "default",		CS_UNKNOWN,	NULL },
	{ "none",		CS_UNKNOWN,	NULL },

	{ "windows-1252",	CS_CP1252,	NULL },
	{ "cp1252",		CS_CP1252,	NULL },
	{ "x-cp1252",		CS_CP1252,	NULL },
	{ "ms-ansi",		CS_CP1252,	NULL },
	{ "iso-8859-1",		CS_CP1252,	NULL },
	{ "iso8859-1",		CS_CP1252,	NULL },
	{ "iso_8859-1",		CS_CP1252,	NULL },
	{ "iso_8859-1:1987",	CS_CP1252,	NULL },
	{ "iso88591",		CS_CP1252,	NULL },
	{ "iso-ir-100",		CS_CP1252,	NULL },
	{ "latin1",		CS_CP1252,	NULL },
	{ "latin-1",		CS_CP1252,	NULL },
	{ "l1",			CS_CP1252,	NULL },
	{ "cp819",		CS_CP1252,	NULL },
	{ "ibm819",		CS_CP1252,	NULL },
	{ "csisolatin1",	CS_CP1252,	NULL },

	{ "ks_c_5601-1987",	CS_ICONV,	"CP949" },
	{ "ks_c_5601-1989",	CS_ICONV,	"CP949" },
	{ "ks_c_5601",		CS_ICONV,	"CP949" },
	{ "ksc5601",		CS_ICONV,	"CP949" },
	{ "ksc_5601",		CS_ICONV,	"CP949" },
	{ "csksc56011987",	CS_ICONV,	"CP949" },
	{ "iso-ir-149",		CS_ICONV,	"CP949" },
	{ "korean",		CS_ICONV,	"CP949" },
	{ "euc-kr",		CS_ICONV,	"CP949" },
	{ "x-euc-kr",		CS_ICONV,	"CP949" },
	{ "cseuckr",		CS_ICONV,	"CP949" },
	{ "windows-949",	CS_ICONV,	"CP949" },
	{ "x-windows-949",	CS_ICONV,	"CP949" },
	{ "uhc",		CS_ICONV,	"CP949" },

	{ "gb2312",		CS_ICONV,	"GB18030" },
	{ "gb_2312-80",		CS_ICONV,	"GB18030" },
	{ "csgb2312",		CS_ICONV,	"GB18030" },
	{ "iso-ir-58",		CS_ICONV,	"GB18030" },
	{ "chinese",		CS_ICONV,	"GB18030" },
	{ "euc-cn",		CS_ICONV,	"GB18030" },
	{ "x-euc-cn",		CS_ICONV,	"GB18030" },
	{ "gbk",		CS_ICONV,	"GB18030" },
	{ "x-gbk",		CS_ICONV,	"GB18030" },
	{ "cp936",		CS_ICONV,	"GB18030" },
	{ "ms936",		CS_ICONV,	"GB18030" },
	{ "windows-936",	CS_ICONV,	"GB18030" },

	{ "shift_jis",		CS_ICONV,	"CP932" },
	{ "shift-jis",		CS_ICONV,	"CP932" },
	{ "sjis",		CS_ICONV,	"CP932" },
	{ "x-sjis",		CS_ICONV,	"CP932" },
	{ "ms_kanji",		CS_ICONV,	"CP932" },
	{ "csshiftjis",		CS_ICONV,	"CP932" },
	{ "windows-31j",	CS_ICONV,	"CP932" },
	{ "x-ms-cp932",		CS_ICONV,	"CP932" },
	{ "ms932",		CS_ICONV,	"CP932" },

	{ "iso-2022-jp",	CS_ICONV,	"ISO-2022-JP-2" },
	{ "csiso2022jp",	CS_ICONV,	"ISO-2022-JP-2" },
	{ "iso2022jp",		CS_ICONV,	"ISO-2022-JP-2" },

	/* BIG5-HKSCS is tried first, BIG5 if iconv lacks it. */
	{ "big5",		CS_ICONV,	"BIG5-HKSCS" },
	{ "big-5",		CS_ICONV,	"BIG5-HKSCS" },
	{ "cn-big5",		CS_ICONV,	"BIG5-HKSCS" },
	{ "x-x-big5",		CS_ICONV,	"BIG5-HKSCS" },
	{ "x-big5",		CS_ICONV,	"BIG5-HKSCS" },
	{ "csbig5",		CS_ICONV,	"BIG5-HKSCS" },
	{ "big5hkscs",		CS_ICONV,	"BIG5-HKSCS" },
	{ "hkscs",		CS_ICONV,	"BIG5-HKSCS" },
	/* Microsoft's, Java's and Perl's names of their Big5 variants */
	{ "cp950",		CS_ICONV,	"BIG5-HKSCS" },
	{ "big5-eten",		CS_ICONV,	"BIG5-HKSCS" },
	{ "big5eten",		CS_ICONV,	"BIG5-HKSCS" },
	{ "big5-tw",		CS_ICONV,	"BIG5-HKSCS" },
	{ "x-euc-tw",		CS_ICONV,	"EUC-TW" },
	{ "cns11643",		CS_ICONV,	"EUC-TW" },
	{ "gb18030-2000",	CS_ICONV,	"GB18030" },
	{ "gb18030-2005",	CS_ICONV,	"GB18030" },
	{ "euc-jp-ms",		CS_ICONV,	"EUC-JP-MS" },
	{ "x-mac-cyrillic",	CS_ICONV,	"MAC-CYRILLIC" },
	{ "maccyrillic",	CS_ICONV,	"MAC-CYRILLIC" },
	{ "utf-8-sig",		CS_UTF8,	NULL },

	{ "x-mac-roman",	CS_ICONV,	"MACINTOSH" },
	{ "macroman",		CS_ICONV,	"MACINTOSH" },

	/* the WHATWG Encoding Standard's labels iconv does not know */
	{ "unicode11utf8",	CS_UTF8,	NULL },
	{ "unicode20utf8",	CS_UTF8,	NULL },
	{ "csiso58gb231280",	CS_ICONV,	"GB18030" },
	{ "sun_eu_greek",	CS_ICONV,	"ISO-8859-7" },
	{ "csisolatin9",	CS_ICONV,	"ISO-8859-15" },
	{ "l9",			CS_ICONV,	"ISO-8859-15" },
	{ "koi",		CS_ICONV,	"KOI8-R" },
	{ "dos-874",		CS_ICONV,	"CP874" },
	{ "unicodefffe",	CS_ICONV,	"UTF-16BE" },
	{ "unicodefeff",	CS_ICONV,	"UTF-16LE" },
	{ "iso-10646-ucs-2",	CS_ICONV,	"UTF-16LE" },

	/* Visual/logical-order variants of the same repertoire. */
	{ "csiso88598e",	CS_ICONV,	"ISO-8859-8" },
	{ "csiso88598i",	CS_ICONV,	"ISO-8859-8" },
	{ "visual",		CS_ICONV,	"ISO-8859-8" },
	{ "logical",		CS_ICONV,	"ISO-8859-8" },
	{ "csiso88596e",	CS_ICONV,	"ISO-8859-6" },
	{ "csiso88596i",	CS_ICONV,	"ISO-8859-6" },
	{ "iso-8859-8-i",	CS_ICONV,	"ISO-8859-8" },
	{ "iso-8859-8-e",	CS_ICONV,	"ISO-8859-8" },
	{ "iso-8859-6-i",	CS_ICONV,	"ISO-8859-6" },
	{ "iso-8859-6-e",	CS_ICONV,	"ISO-8859-6" },
};

/* windows-1252 0x80..0x9f; 0 = undefined. */
static const unsigned short cp1252_high[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
};

char *
charset_to_utf8(const char *charset, const char *in, size_t len,
    size_t *outlen, size_t *replaced)
{
	return charset_decode(NULL, charset, in, len, outlen, replaced);
}

char *
charset_decode(struct charset_ctx *cx, const char *charset, const char *in,
    size_t len, size_t *outlen, size_t *replaced)
{
	const unsigned char	*p;
	struct cs_read		 r;

	if (in == NULL) {
		in = "";
		len = 0;
	}
	p = (const unsigned char *)in;
	cs_pick(cx, charset, p, len, &r);
	return cs_finish(&r, p, len, outlen, replaced);
}

const char *
charset_choose(struct charset_ctx *cx, const char *charset, const char *in,
    size_t len)
{
	static char	 name[CS_NAME_MAX + 1];
	struct cs_read	 r;

	if (in == NULL) {
		in = "";
		len = 0;
	}
	cs_pick(cx, charset, (const unsigned char *)in, len, &r);
	buf_free(&r.raw);
	switch (r.kind) {
	case CS_ICONV:
		snprintf(name, sizeof(name), "%s", r.name);
		return name;
	case CS_CP1252:
		return "windows-1252";
	default:
		return "utf-8";
	}
}

char *
charset_read(const char *charset, const char *in, size_t len,
    size_t *outlen, size_t *replaced)
{
	const unsigned char	*p;
	char			 name[CS_NAME_MAX + 1];
	struct cs_read		 r;
	enum cs_kind		 k;

	if (in == NULL) {
		in = "";
		len = 0;
	}
	p = (const unsigned char *)in;
	k = cs_classify(charset, name, sizeof(name));
	if (k == CS_ASCII || k == CS_UNKNOWN ||
	    cs_read(&r, k, name, p, len) == -1) {
		/* not a name charset_choose() gives: the old fallback */
		k = charset_is_utf8(in, len) ? CS_UTF8 : CS_CP1252;
		(void)cs_read(&r, k, NULL, p, len);
	}
	return cs_finish(&r, p, len, outlen, replaced);
}

void
charset_ctx_declare(struct charset_ctx *cx, const char *charset)
{
	size_t	i;

	/* UTF-16 and its kind say nothing of how 8-bit bytes read, and
	 * a header must stay ASCII whatever its body is in */
	if (cx == NULL || charset == NULL ||
	    cx->ndeclared == CHARSET_DECLARED_MAX || !charset_known(charset) ||
	    !charset_ascii_compatible(charset))
		return;
	for (i = 0; i < cx->ndeclared; i++)
		if (strcasecmp(cx->declared[i], charset) == 0)
			return;
	cx->declared[cx->ndeclared++] = charset;
}

void
charset_order(const char *const *langs, size_t n, char *out, size_t outsz)
{
	int		 used[CJK_N] = { 0 };
	char		 t[32], *sub;
	size_t		 i, j, len = 0;
	int		 want[CJK_N];

	if (outsz == 0)
		return;
	out[0] = '\0';
	for (i = 0; i <= n; i++) {
		memset(want, 0, sizeof(want));
		if (i == n) {
			/* the languages not named, in the fixed order */
			for (j = 0; j < CJK_N; j++)
				want[j] = 1;
		} else {
			snprintf(t, sizeof(t), "%s", langs[i] ? langs[i] : "");
			for (sub = t; *sub; sub++)
				*sub = *sub == '_' ? '-' :
				    (char)tolower((unsigned char)*sub);
			if (strncmp(t, "zh", 2) == 0 &&
			    (t[2] == '\0' || t[2] == '-')) {
				/* Traditional Chinese by script or region */
				if (strstr(t, "-hant") || strstr(t, "-tw") ||
				    strstr(t, "-hk") || strstr(t, "-mo"))
					want[0] = 1;
				else
					want[1] = 1;
			} else if (strncmp(t, "ja", 2) == 0 &&
			    (t[2] == '\0' || t[2] == '-'))
				want[2] = want[3] = 1;
			else if (strncmp(t, "ko", 2) == 0 &&
			    (t[2] == '\0' || t[2] == '-'))
				want[4] = 1;
		}
		for (j = 0; j < CJK_N; j++) {
			if (!want[j] || used[j] || len + strlen(cjk_tab[j].name)
			    + 2 > outsz)
				continue;
			used[j] = 1;
			len += (size_t)snprintf(out + len, outsz - len, "%s%s",
			    len ? " " : "", cjk_tab[j].name);
		}
	}
}

/*
 * Read the bytes in the label if it fits them, else in the first guess
 * that does (charset.h); r gets the reading, its raw buffer to free.
 */
static void
cs_pick(struct charset_ctx *cx, const char *charset, const unsigned char *p,
    size_t len, struct cs_read *r)
{
	static const char	 fixed[] = "big5-hkscs gb18030 cp932 euc-jp "
	    "cp949";
	struct cs_read		 g;
	struct u8_stat		 u8;
	char			 name[CS_NAME_MAX + 1], dn[CS_NAME_MAX + 1];
	const char		*o, *e;
	const struct cjk	*c;
	enum cs_kind		 k;
	enum cs_why		 why;
	size_t			 i, tried = 0;
	int			 have = 0, latin;

	k = cs_classify(charset, name, sizeof(name));
	if (!has_8bit(p, len)) {
		/* 7-bit: ASCII, or a 7-bit or ASCII-less charset */
		if ((k != CS_ICONV && k != CS_CP1252) ||
		    cs_read(r, k, name, p, len) == -1)
			(void)cs_read(r, CS_UTF8, NULL, p, len);
		return;
	}
	why = cs_normalize(charset, dn, sizeof(dn)) == -1 &&
	    (charset == NULL || strspn(charset, " \t\r\n\"'") ==
	    strlen(charset)) ? WHY_NOLABEL : WHY_UNKNOWN;
	utf8_scan(p, len, &u8);
	if (k == CS_ASCII)
		why = WHY_NOFIT;
	else if (k != CS_UNKNOWN && cs_read(r, k, name, p, len) == 0) {
		if (cs_fits(r, &u8, p, len) && (k != CS_CP1252 ||
		    latin_plausible(p, len)))
			return;
		why = WHY_NOFIT;
		/* a Latin-1 label on bytes that only look odd: (d) */
		have = k == CS_CP1252 && r->errors == 0;
		if (!have)
			buf_free(&r->raw);
	}

	/* (a) UTF-8: valid, or three multibyte characters at least, one
	 * of three or four bytes, and twice as many as the ill-formed
	 * sequences (a character broken on the way: Python's header
	 * folding turns the 0x85 byte of UTF-8 under a Latin-1 label into
	 * a space, which leaves two); text in another charset makes few
	 * well-formed sequences among many ill-formed ones */
	if ((u8.errors == 0 && (!u8.cut || u8.good > 0)) ||
	    (u8.good >= 2 * u8.errors && u8.good >= 3 && u8.longer > 0)) {
		if (have)
			buf_free(&r->raw);
		(void)cs_read(r, CS_UTF8, NULL, p, len);
		if (why != WHY_NOLABEL)
			cs_note(cx, why, charset, "UTF-8", NULL);
		return;
	}
	latin = latin_plausible(p, len);

	/* (b) the message's other charsets */
	for (i = 0; cx != NULL && i < cx->ndeclared; i++) {
		char	dname[CS_NAME_MAX + 1];

		k = cs_classify(cx->declared[i], dname, sizeof(dname));
		if (k == CS_UNKNOWN || k == CS_ASCII || k == CS_UTF8 ||
		    strcmp(dname, name) == 0 || tried++ >= 4)
			continue;
		/* Latin text is not read in a CJK charset, nor the other
		 * way round; the charsets of other scripts are believed */
		if ((k == CS_CP1252 && !latin) ||
		    (cjk_find(dname, strlen(dname)) != NULL && latin))
			continue;
		if (cs_read(&g, k, dname, p, len) == -1)
			continue;
		if (!cs_fits(&g, &u8, p, len) || g.errors > 0) {
			buf_free(&g.raw);
			continue;
		}
		if (have)
			buf_free(&r->raw);
		*r = g;
		if (why != WHY_NOLABEL)
			cs_note(cx, why, charset, cx->declared[i],
			    "the message's");
		return;
	}

	/* (c) the CJK charsets, in the team's order */
	o = cx != NULL && cx->order != NULL && cx->order[0] != '\0' ?
	    cx->order : fixed;
	for (; !latin && *o != '\0'; o = *e ? e + 1 : e) {
		if ((e = strchr(o, ' ')) == NULL)
			e = o + strlen(o);
		if ((c = cjk_find(o, (size_t)(e - o))) == NULL ||
		    !cs_cjk_ok(c, p, len, &g))
			continue;
		if (have)
			buf_free(&r->raw);
		*r = g;
		cs_note(cx, why, charset, c->shown, NULL);
		return;
	}

	/* (d) the label if it read without an error, else windows-1252 */
	if (have)
		return;
	(void)cs_read(r, CS_CP1252, NULL, p, len);
	cs_note(cx, why, charset, "windows-1252", NULL);
}

/*
 * 1 if the reading is good enough to keep the label (charset.h): UTF-8
 * with four good characters for every bad sequence (random bytes make
 * two-byte sequences now and then), another charset with as many good
 * characters as bad ones (vendors' characters iconv lacks); a cut
 * counts only after good characters. Latin text is not read in a CJK
 * label where the CJK reading is not plausible ("résumé" in Big5).
 */
static int
cs_fits(const struct cs_read *r, const struct u8_stat *u8,
    const unsigned char *p, size_t len)
{
	const struct cjk	*c;
	struct cjk_stat		 st;

	if ((r->errors > 0 || r->cut) && r->good == 0)
		return 0;
	if (r->kind == CS_UTF8 ? r->good < 4 * r->errors :
	    r->good < r->errors)
		return 0;
	/* valid UTF-8 with a multibyte character beats any other label
	 * that keeps ASCII as it is: the classic mislabel; over a CJK
	 * label, where two-byte pairs may be valid UTF-8 by chance ("目录"
	 * in GB2312), it takes a character of three or four bytes */
	c = r->kind == CS_ICONV ? cjk_find(r->name, strlen(r->name)) : NULL;
	if (r->kind != CS_UTF8 && u8->errors == 0 && u8->good > 0 &&
	    (c == NULL || u8->longer > 0) &&
	    (r->kind == CS_CP1252 || charset_ascii_compatible(r->name)))
		return 0;
	if (c != NULL) {
		cjk_scan(c->scheme, p, len, &st);
		if (!cjk_plausible(c->scheme, &st) && latin_plausible(p, len))
			return 0;
	}
	return 1;
}

/* 1 (and the reading in r) if the bytes read well and plausibly in c. */
static int
cs_cjk_ok(const struct cjk *c, const unsigned char *p, size_t len,
    struct cs_read *r)
{
	struct cjk_stat	 st;

	cjk_scan(c->scheme, p, len, &st);
	if (!cjk_plausible(c->scheme, &st))
		return 0;
	if (cs_read(r, CS_ICONV, c->name, p, len) == -1 &&
	    (c->scheme != CJK_BIG5 || cs_read(r, CS_ICONV, "big5", p,
	    len) == -1))
		return 0;
	if (r->errors > 0) {
		buf_free(&r->raw);
		return 0;
	}
	return 1;
}

/* Tell the context what was read how, once per distinct note. */
static void
cs_note(struct charset_ctx *cx, enum cs_why why, const char *label,
    const char *used, const char *whose)
{
	char	 note[160], shown[48];
	size_t	 i, k;

	if (cx == NULL || cx->notes == NULL || cx->nnotes >= 8)
		return;
	/* the label comes from the mail: only its harmless characters */
	for (i = k = 0; label != NULL && label[i] && k < sizeof(shown) - 4;
	    i++)
		if (isalnum((unsigned char)label[i]) ||
		    strchr("-_.:+()", label[i]) != NULL)
			shown[k++] = label[i];
		else if (label[i] != '"' && label[i] != '\'' &&
		    label[i] != ' ' && label[i] != '\t')
			shown[k++] = '?';
	if (label != NULL && label[i])
		shown[k++] = '.', shown[k++] = '.', shown[k++] = '.';
	shown[k] = '\0';
	switch (why) {
	case WHY_NOLABEL:
		snprintf(note, sizeof(note), "charset: 8-bit text without "
		    "a label, read as %s%s%s", whose ? whose : "",
		    whose ? " " : "", used);
		break;
	case WHY_UNKNOWN:
		snprintf(note, sizeof(note), "charset: label \"%s\" unknown, "
		    "read as %s%s%s", shown, whose ? whose : "",
		    whose ? " " : "", used);
		break;
	default:
		snprintf(note, sizeof(note), "charset: bytes do not fit "
		    "\"%s\", read as %s%s%s", shown, whose ? whose : "",
		    whose ? " " : "", used);
	}
	if (cx->notes->len > 0 && strstr(cx->notes->s, note) != NULL)
		return;
	if (cx->notes->len > 0)
		buf_puts(cx->notes, "; ");
	buf_puts(cx->notes, note);
	cx->nnotes++;
}

/* Read the bytes as kind/name; -1 if iconv has no such charset. */
static int
cs_read(struct cs_read *r, enum cs_kind kind, const char *name,
    const unsigned char *p, size_t len)
{
	struct u8_stat	 u8;
	size_t		 cut = 0, i;

	memset(r, 0, sizeof(*r));
	r->kind = kind;
	snprintf(r->name, sizeof(r->name), "%s", name ? name : "");
	buf_init(&r->raw);
	switch (kind) {
	case CS_ICONV:
		if (decode_iconv(r->name, p, len, &r->raw, &r->rep, &cut) ==
		    -1) {
			buf_free(&r->raw);
			return -1;
		}
		r->errors = r->rep - cut;
		r->cut = cut > 0;
		for (i = 0; i < r->raw.len; i++)
			if ((unsigned char)r->raw.s[i] >= 0xc0)
				r->good++;
		r->good -= r->rep;
		break;
	case CS_CP1252:
		decode_cp1252(p, len, &r->raw, &r->rep);
		r->errors = r->rep;
		for (i = 0; i < len; i++)
			if (p[i] >= 0x80)
				r->good++;
		r->good -= r->rep;
		break;
	default:
		r->kind = CS_UTF8;
		utf8_scan(p, len, &u8);
		r->errors = u8.errors;
		r->good = u8.good;
		r->cut = u8.cut;
		break;
	}
	return 0;
}

/* The reading, sanitized: the caller's result. Frees r's buffer. */
static char *
cs_finish(struct cs_read *r, const unsigned char *p, size_t len,
    size_t *outlen, size_t *replaced)
{
	struct buf	 out;
	size_t		 rep = r->rep;

	buf_init(&out);
	if (r->kind == CS_UTF8)
		sanitize(p, len, &out, &rep);
	else
		sanitize((unsigned char *)r->raw.s, r->raw.len, &out, &rep);
	buf_free(&r->raw);
	if (outlen != NULL)
		*outlen = out.len;
	if (replaced != NULL)
		*replaced = rep;
	return buf_release(&out);
}

int
charset_is_utf8(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n, bad;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = utf8_valid(p + i, len - i, &bad)) == 0)
			return 0;
		i += n;
	}
	return 1;
}

char *
charset_imap_utf7(const char *s)
{
	iconv_t		 cd;
	struct buf	 out;
	char		 chunk[256], *in = (char *)s, *o;
	size_t		 il = strlen(s), ol, r;
	const char	*p;
	int		 flushed = 0;

	if (!charset_is_utf8(s, il))
		return NULL;
	for (p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return NULL;
	if ((cd = iconv_open("UTF-7-IMAP", "UTF-8")) == (iconv_t)-1)
		return NULL;
	buf_init(&out);
	for (;;) {
		o = chunk;
		ol = sizeof(chunk);
		/* the input, then a call without it that ends the
		 * base64 run (its closing '-') */
		r = flushed ? iconv(cd, NULL, NULL, &o, &ol) :
		    iconv(cd, &in, &il, &o, &ol);
		buf_add(&out, chunk, sizeof(chunk) - ol);
		if (r == (size_t)-1 && errno == E2BIG)
			continue;
		if (r == (size_t)-1 || flushed)
			break;
		flushed = 1;
	}
	iconv_close(cd);
	if (r == (size_t)-1) {
		buf_free(&out);
		return NULL;
	}
	return buf_release(&out);
}

int
charset_ascii_compatible(const char *charset)
{
	static const char probe[] = " !\"#$%&'()*+,-./0123456789:;<=>?@"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";
	char	*u;
	size_t	 ul;
	int	 same;

	u = charset_to_utf8(charset, probe, sizeof(probe) - 1, &ul, NULL);
	same = ul == sizeof(probe) - 1 && memcmp(u, probe, ul) == 0;
	free(u);
	return same;
}

int
charset_known(const char *charset)
{
	char	name[CS_NAME_MAX + 1];

	switch (cs_classify(charset, name, sizeof(name))) {
	case CS_UNKNOWN:
		return 0;
	case CS_ICONV:
		return cs_iconv_ok(name);
	default:
		return 1;
	}
}

/*
 * Normalize a label into name (lowercase, trimmed, no "*lang") and say
 * how to decode it. For CS_ICONV, name holds the name to give iconv.
 */
static enum cs_kind
cs_classify(const char *charset, char *name, size_t namesz)
{
	static const char *const cp_prefix[] = { "windows-", "ms", "cp-",
	    "ibm-", NULL };
	enum cs_kind	 k;
	char		 v[CS_NAME_MAX + 1], t[CS_NAME_MAX + 1], *p;
	size_t		 i, n;
	int		 step;

	name[0] = '\0';
	if (cs_normalize(charset, name, namesz) == -1)
		return CS_UNKNOWN;
	if (cs_lookup(name, namesz, &k) == 0)
		return k;
	/*
	 * The label as programs write it: each step changes the label a
	 * little more, and the first form known wins. A locale's suffix
	 * ("zh_TW.Big5"), underscores for hyphens (Python's "koi8_r",
	 * "iso8859_5"), "x-" (Java's "x-windows-950"), a vendor's tail
	 * (Perl's "big5-eten"), a code page number written "ms950",
	 * "windows-950", "cp-950" or "ibm-866", and last no punctuation
	 * at all ("big5_hk_scs").
	 */
	snprintf(v, sizeof(v), "%s", name);
	for (step = 0; step < 6; step++) {
		switch (step) {
		case 0:
			if ((p = strrchr(v, '.')) == NULL || p[1] == '\0')
				continue;
			memmove(v, p + 1, strlen(p + 1) + 1);
			break;
		case 1:
			if (strchr(v, '_') == NULL)
				continue;
			for (p = v; *p; p++)
				if (*p == '_')
					*p = '-';
			break;
		case 2:
			if (strncmp(v, "x-", 2) != 0 || v[2] == '\0')
				continue;
			memmove(v, v + 2, strlen(v + 2) + 1);
			break;
		case 3:
			n = strlen(v);
			if (n > 5 && strcmp(v + n - 5, "-eten") == 0)
				v[n - 5] = '\0';
			else
				continue;
			break;
		case 4:
			for (i = 0; cp_prefix[i] && strncmp(v, cp_prefix[i],
			    strlen(cp_prefix[i])) != 0; i++)
				;
			if (cp_prefix[i] == NULL)
				continue;
			p = v + strlen(cp_prefix[i]);
			if (*p == '\0' || strspn(p, "0123456789") != strlen(p))
				continue;
			/* "cp" or "ibm" and the digits: shorter than v was */
			memcpy(t, i == 3 ? "ibm" : "cp", i == 3 ? 3 : 2);
			memcpy(t + (i == 3 ? 3 : 2), p, strlen(p) + 1);
			memcpy(v, t, strlen(t) + 1);
			break;
		case 5:
			for (p = v, i = 0; v[i]; i++)
				if (v[i] != '-' && v[i] != '_')
					*p++ = v[i];
			*p = '\0';
			break;
		}
		if (v[0] != '\0' && cs_lookup(v, sizeof(v), &k) == 0) {
			snprintf(name, namesz, "%s", v);
			return k;
		}
	}
	return CS_UNKNOWN;
}

/* The label name (normalized) in our table or iconv's: 0 and *k (name
 * rewritten for iconv), or -1. */
static int
cs_lookup(char *name, size_t namesz, enum cs_kind *k)
{
	char	*q;
	size_t	 i;

	for (i = 0; i < sizeof(cs_aliases) / sizeof(cs_aliases[0]); i++) {
		if (strcmp(name, cs_aliases[i].label) != 0)
			continue;
		if (cs_aliases[i].iconv_name != NULL) {
			if (strcmp(cs_aliases[i].iconv_name, "BIG5-HKSCS") == 0 &&
			    !cs_iconv_ok("BIG5-HKSCS"))
				snprintf(name, namesz, "%s", "big5");
			else
				snprintf(name, namesz, "%s",
				    cs_aliases[i].iconv_name);
			/* keep the iconv name lowercase like the others */
			for (q = name; *q != '\0'; q++)
				if (*q >= 'A' && *q <= 'Z')
					*q = (char)(*q - 'A' + 'a');
		}
		*k = cs_aliases[i].kind;
		return 0;
	}
	*k = CS_ICONV;
	return cs_iconv_name(name);
}

/*
 * Trim whitespace and quotes, cut at '*' (RFC 2231 language), lowercase
 * and check the characters. Returns -1 for an empty or suspicious name.
 */
static int
cs_normalize(const char *charset, char *name, size_t namesz)
{
	const char	*s, *e;
	size_t		 n, i;

	if (charset == NULL)
		return -1;
	s = charset;
	e = s + strlen(s);
	while (s < e && (*s == ' ' || *s == '\t' || *s == '\r' ||
	    *s == '\n' || *s == '"' || *s == '\''))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n' || e[-1] == '"' || e[-1] == '\''))
		e--;
	if ((n = (size_t)(e - s)) == 0 || n >= namesz)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '*')
			break;
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == ':' ||
		    c == '+' || c == '(' || c == ')'))
			return -1;
		name[i] = (char)c;
	}
	name[i] = '\0';
	return i == 0 ? -1 : 0;
}

/*
 * name is not one of ours: accept it if iconv knows it, possibly
 * without an "x-" prefix. Returns 0 with the usable name in place.
 */
static int
cs_iconv_name(char *name)
{
	if (cs_iconv_ok(name))
		return 0;
	if (strncmp(name, "x-", 2) == 0 && name[2] != '\0' &&
	    cs_iconv_ok(name + 2)) {
		memmove(name, name + 2, strlen(name + 2) + 1);
		return 0;
	}
	return -1;
}

static int
cs_iconv_ok(const char *name)
{
	iconv_t	cd;

	if ((cd = iconv_open("UTF-8", name)) == (iconv_t)-1)
		return 0;
	iconv_close(cd);
	return 1;
}


/* The charset of the table named n[0..len), or NULL. */
static const struct cjk *
cjk_find(const char *n, size_t len)
{
	size_t	i;

	for (i = 0; i < CJK_N; i++)
		if (strlen(cjk_tab[i].name) == len &&
		    strncasecmp(cjk_tab[i].name, n, len) == 0)
			return &cjk_tab[i];
	if (len == 4 && strncasecmp(n, "big5", 4) == 0)
		return &cjk_tab[0];
	return NULL;
}


static int
has_8bit(const unsigned char *p, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (p[i] & 0x80)
			return 1;
	return 0;
}

static void
put_fffd(struct buf *b, size_t *rep)
{
	buf_add(b, "\xef\xbf\xbd", 3);
	(*rep)++;
}

static void
put_cp(struct buf *b, unsigned int cp)
{
	char	u[3];

	if (cp < 0x80)
		buf_putc(b, (int)cp);
	else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 2);
	} else {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 3);
	}
}

/*
 * Copy well-formed UTF-8 to out; ill-formed subparts, NUL and C0
 * controls other than TAB, LF and CR become U+FFFD.
 */
static void
sanitize(const unsigned char *p, size_t len, struct buf *out, size_t *rep)
{
	size_t	i = 0, run = 0, n, bad;

	while (i < len) {
		if (p[i] >= 0x20 && p[i] < 0x80) {
			i++;
			continue;
		}
		if (p[i] == '\t' || p[i] == '\n' || p[i] == '\r') {
			i++;
			continue;
		}
		if (p[i] >= 0x80 && (n = utf8_valid(p + i, len - i, &bad)) > 0) {
			i += n;
			continue;
		}
		if (p[i] < 0x20)
			bad = 1;
		buf_add(out, p + run, i - run);
		put_fffd(out, rep);
		i += bad;
		run = i;
	}
	buf_add(out, p + run, i - run);
}

static void
decode_cp1252(const unsigned char *p, size_t len, struct buf *out,
    size_t *rep)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (p[i] < 0x80)
			buf_putc(out, p[i]);
		else if (p[i] >= 0xa0)
			put_cp(out, p[i]);
		else if (cp1252_high[p[i] - 0x80] != 0)
			put_cp(out, cp1252_high[p[i] - 0x80]);
		else
			put_fffd(out, rep);
	}
}

/*
 * Convert with iconv. Returns -1 (nothing written) if iconv cannot open
 * the charset. Progress is guaranteed: every error skips >= 1 byte.
 * *cut counts the U+FFFD of an incomplete sequence at the end.
 */
static int
decode_iconv(const char *name, const unsigned char *in, size_t len,
    struct buf *out, size_t *rep, size_t *cut)
{
	iconv_t			 cd;
	char			 obuf[4096], *ip, *op;
	const unsigned char	*scanned = in;
	size_t			 il, ol, r, skip;
	int			 stateful, mode = 1, e;

	if ((cd = iconv_open("UTF-8", name)) == (iconv_t)-1)
		return -1;
	stateful = strncmp(name, "iso-2022-", 9) == 0;
	ip = (char *)(uintptr_t)in;
	il = len;
	while (il > 0) {
		op = obuf;
		ol = sizeof(obuf);
		r = iconv(cd, &ip, &il, &op, &ol);
		e = errno;
		buf_add(out, obuf, (size_t)(op - obuf));
		if (r != (size_t)-1)
			break;
		if (e == E2BIG && op != obuf)
			continue;
		if (e == EINVAL) {
			/* truncated multibyte sequence at the end */
			put_fffd(out, rep);
			(*cut)++;
			break;
		}
		/* EILSEQ (or anything odd): replace and skip */
		skip = 1;
		if (stateful) {
			const unsigned char *q = (const unsigned char *)ip;

			mode = iso2022_mode(scanned, q, mode);
			if (q[0] == 0x1b) {
				/* unknown escape: ESC, intermediates, final */
				while (skip < il && q[skip] >= 0x20 &&
				    q[skip] <= 0x2f)
					skip++;
				if (skip < il && q[skip] >= 0x30 &&
				    q[skip] <= 0x7e)
					skip++;
			} else if (mode == 2 && il >= 2 && q[0] >= 0x21 &&
			    q[0] <= 0x7e && q[1] >= 0x21 && q[1] <= 0x7e)
				skip = 2;
			scanned = q + skip;
		}
		put_fffd(out, rep);
		ip += skip;
		il -= skip;
	}
	op = obuf;
	ol = sizeof(obuf);
	(void)iconv(cd, NULL, NULL, &op, &ol);
	buf_add(out, obuf, (size_t)(op - obuf));
	iconv_close(cd);
	return 0;
}

/*
 * Follow the ISO 2022 shift state over [p, end) starting from mode:
 * 1 = single-byte (ASCII, JIS X 0201), 2 = double-byte (JIS X 0208/0212,
 * GB 2312, KS C 5601 via ESC $ or SO). Only what changes G0 matters.
 */
static int
iso2022_mode(const unsigned char *p, const unsigned char *end, int mode)
{
	for (; p < end; p++) {
		if (*p == 0x0e)
			mode = 2;	/* SO */
		else if (*p == 0x0f)
			mode = 1;	/* SI */
		else if (*p == 0x1b && end - p >= 3) {
			if (p[1] == '(')
				mode = 1;
			else if (p[1] == '$' && (p[2] == '@' || p[2] == 'A' ||
			    p[2] == 'B' || p[2] == '('))
				mode = 2;
		}
	}
	return mode;
}

char *
charset_fold_width(const char *s, size_t len, size_t *outlen)
{
	const unsigned char	*p = (const unsigned char *)s;
	const unsigned char	*end = p + len;
	struct buf		 b;
	uint32_t		 cp;
	size_t			 n;

	buf_init(&b);
	buf_reserve(&b, len);
	while (p < end) {
		if (*p < 0x80) {
			buf_putc(&b, *p++);
			continue;
		}
		if ((*p & 0xe0) == 0xc0 && end - p >= 2 &&
		    (p[1] & 0xc0) == 0x80) {
			cp = (uint32_t)(*p & 0x1f) << 6 | (p[1] & 0x3f);
			n = 2;
		} else if ((*p & 0xf0) == 0xe0 && end - p >= 3 &&
		    (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80) {
			cp = (uint32_t)(*p & 0x0f) << 12 |
			    (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
			n = 3;
		} else {
			buf_putc(&b, *p++);
			continue;
		}
		if (cp >= 0xff01 && cp <= 0xff5e)
			buf_putc(&b, (int)(cp - 0xfee0));
		else if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 ||
		    cp == 0xfe58 || cp == 0xfe63)
			buf_putc(&b, '-');
		else if (cp == 0xa0 || cp == 0x3000)
			buf_putc(&b, ' ');
		else
			buf_add(&b, p, n);
		p += n;
	}
	*outlen = b.len;
	return buf_release(&b);
}
