/*
 * charset_scan.c: what the bytes look like (charset_scan.h), for the
 * guesses of charset.c.
 */
#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include "parsers/charset_scan.h"

/*
 * Length of the well-formed UTF-8 sequence at p (1..4), or 0 with *bad
 * set to the length of the maximal ill-formed subpart to replace (>= 1).
 * Ranges per Unicode table 3-7: no overlongs, surrogates or > U+10FFFF.
 */
size_t
utf8_valid(const unsigned char *p, size_t n, size_t *bad)
{
	unsigned char	lo = 0x80, hi = 0xbf;
	size_t		need, i;

	*bad = 1;
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		need = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		need = 3;
		if (p[0] == 0xe0)
			lo = 0xa0;
		else if (p[0] == 0xed)
			hi = 0x9f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		need = 4;
		if (p[0] == 0xf0)
			lo = 0x90;
		else if (p[0] == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	for (i = 1; i < need; i++) {
		if (i >= n || p[i] < lo || p[i] > hi) {
			*bad = i;
			return 0;
		}
		lo = 0x80;
		hi = 0xbf;
	}
	return need;
}

/* UTF-8's view of the bytes: valid multibyte sequences, ill-formed
 * subparts, and whether the end cuts a sequence (a text cut short). */
void
utf8_scan(const unsigned char *p, size_t len, struct u8_stat *st)
{
	size_t	i = 0, n, bad;

	memset(st, 0, sizeof(*st));
	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = utf8_valid(p + i, len - i, &bad)) > 0) {
			st->good++;
			st->longer += n > 2;
			i += n;
			continue;
		}
		if (i + bad == len && p[i] >= 0xc2 && p[i] <= 0xf4 &&
		    (bad > 1 || len - i == 1))
			st->cut = 1;
		else
			st->errors++;
		i += bad;
	}
}

/*
 * 1 if the high bytes read as windows-1252 look like Latin text, half of
 * them at least: runs of one to three letters inside words ("Größe",
 * "naïve"), a word-initial capital ("Ärger", "Élan"), a letter alone
 * ("à"), punctuation ("“", "…", "«", "¿" before a word) and symbols
 * ("©", "°") that do not touch an ASCII letter. Double-byte text gives long runs, C1 bytes,
 * and symbols and capitals glued to ASCII (Big5 "漏洞" is "º|¬}", "無效"
 * "µL®Ä"), since its lead bytes are 0x81-0x9f or 0xa1-0xc8 for the
 * common characters and a trail byte may be ASCII.
 */
int
latin_plausible(const unsigned char *p, size_t len)
{
	size_t	i = 0, j, k, high = 0, good = 0;
	int	ok, sym, before, after, after2;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		for (j = i; j < len && p[j] >= 0x80; j++)
			;
		high += j - i;
		before = i > 0 && isalpha(p[i - 1]);
		after = j < len && isalpha(p[j]);
		after2 = after && j + 1 < len && isalpha(p[j + 1]);
		ok = j - i <= 3;
		sym = 0;
		for (k = i; k < j && ok; k++) {
			if (p[k] >= 0xc0 && p[k] != 0xd7 && p[k] != 0xf7)
				continue;	/* a letter */
			if (p[k] == 0x8a || p[k] == 0x8c || p[k] == 0x8e ||
			    p[k] == 0x9a || p[k] == 0x9c || p[k] == 0x9e ||
			    p[k] == 0x9f)
				continue;	/* Š Œ Ž š œ ž Ÿ */
			if (memchr("\x80\x84\x85\x8b\x91\x92\x93\x94"
			    "\x95\x96\x97\x99\x9b\xa0\xab\xbb", p[k], 16))
				continue;	/* quotes, dashes, NBSP, € */
			if ((p[k] == 0xa1 || p[k] == 0xbf) && k == i &&
			    !before)
				continue;	/* Spanish ¡ ¿ open a word */
			if (memchr("\xa2\xa3\xa5\xa7\xa9\xae\xb0\xb1\xb2"
			    "\xb3\xb5\xb7\xb9\xbc\xbd\xbe\xd7\xf7", p[k], 18))
				sym = 1;	/* £ § © ° ± µ ½ ×: alone */
			else
				ok = 0;		/* C1, ¤ ¦ ¨ ¬ ¯ ¸ ‚ ƒ † ‰ ˜ */
		}
		if (ok && sym)
			ok = j - i == 1 && !before && !after;
		/* a capital starts a word, or is in one in capitals */
		if (ok && p[i] >= 0xc0 && p[i] <= 0xde && p[i] != 0xd7 &&
		    i > 0 && (p[i - 1] >= 0x80 || islower(p[i - 1])))
			ok = 0;
		if (ok && p[i] >= 0xc0 && p[i] <= 0xde && after && !after2 &&
		    !isupper(p[j]))
			ok = 0;
		if (ok)
			good += j - i;
		i = j;
	}
	return good * 2 >= high;
}

/*
 * The structure of a double-byte charset over the bytes: how many
 * characters, how many in its common range (the punctuation row and the
 * first level of characters, where the frequent ones are), and whether
 * a high byte fits in no character (the scan stops there). No decoding,
 * no allocation.
 */
void
cjk_scan(enum cjk_scheme sc, const unsigned char *p, size_t len,
    struct cjk_stat *st)
{
	size_t		 i = 0, w, last = (size_t)-1;
	unsigned int	 c, t;
	int		 common;

	memset(st, 0, sizeof(*st));
	while (i < len) {
		c = p[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		w = 2;
		common = 0;
		t = i + 1 < len ? p[i + 1] : 0;
		switch (sc) {
		case CJK_BIG5:
			if (c < 0x81 || c == 0xff || !((t >= 0x40 &&
			    t <= 0x7e) || (t >= 0xa1 && t <= 0xfe)))
				w = 0;
			common = c == 0xa1 || (c >= 0xa4 && c <= 0xc5) ||
			    (c == 0xc6 && t <= 0x7e);
			if (t <= 0x7e)
				st->marks++;
			break;
		case CJK_GB:
			if (c == 0x80 || c == 0xff)
				w = 0;
			else if (t >= 0x30 && t <= 0x39) {
				w = i + 3 < len && p[i + 2] >= 0x81 &&
				    p[i + 2] <= 0xfe && p[i + 3] >= 0x30 &&
				    p[i + 3] <= 0x39 ? 4 : 0;
				if (i + 3 >= len)
					t = 0;
			} else if (t < 0x40 || t == 0x7f || t == 0xff)
				w = 0;
			common = t >= 0xa1 && ((c >= 0xb0 && c <= 0xd7) ||
			    c == 0xa1 || c == 0xa3);
			if (c >= 0xc9 && c <= 0xf7 && t >= 0xa1)
				st->marks++;
			break;
		case CJK_SJIS:
			if (c >= 0xa1 && c <= 0xdf) {
				w = 1;	/* half-width katakana */
				break;
			}
			if (!((c >= 0x81 && c <= 0x9f) ||
			    (c >= 0xe0 && c <= 0xfc)) || !((t >= 0x40 &&
			    t <= 0x7e) || (t >= 0x80 && t <= 0xfc)))
				w = 0;
			if ((c == 0x82 && t >= 0x9f) || (c == 0x83 &&
			    t <= 0x96))
				st->marks++;
			common = c == 0x81 || (c == 0x82 && t >= 0x4f) ||
			    (c == 0x83 && t <= 0x96) ||
			    (c == 0x88 && t >= 0x9f) ||
			    (c >= 0x89 && c <= 0x97) ||
			    (c == 0x98 && t <= 0x72);
			break;
		case CJK_EUCJP:
			if (c == 0x8e)
				w = t >= 0xa1 && t <= 0xdf ? 2 : 0;
			else if (c == 0x8f)
				w = t >= 0xa1 && t <= 0xfe && i + 2 < len &&
				    p[i + 2] >= 0xa1 && p[i + 2] <= 0xfe ? 3 : 0;
			else if (c < 0xa1 || c == 0xff || t < 0xa1 ||
			    t == 0xff)
				w = 0;
			common = c == 0xa1 || c == 0xa3 || c == 0xa4 ||
			    c == 0xa5 || (c >= 0xb0 && c <= 0xcf);
			if (c == 0xa4 || c == 0xa5)
				st->marks++;
			break;
		case CJK_UHC:
			if (c == 0x80 || c == 0xff || !((t >= 0x41 &&
			    t <= 0x5a) || (t >= 0x61 && t <= 0x7a) ||
			    (t >= 0x81 && t <= 0xfe)))
				w = 0;
			common = t >= 0xa1 && ((c >= 0xb0 && c <= 0xc8) ||
			    c == 0xa1 || c == 0xa3);
			break;
		}
		if (w == 0 || i + w > len) {
			if (i + 1 >= len || (w > 2 && i + w > len) || t == 0) {
				st->cut = 1;
				i++;
				continue;
			}
			st->bad++;
			return;		/* not this charset: no need to go on */
		}
		if (w >= 2 || sc == CJK_SJIS) {
			st->chars++;
			if (common && w >= 2)
				st->common++;
			if (last != (size_t)-1 && i == last + 1 &&
			    p[last] == ' ')
				st->gaps++;
			last = i + w;
		}
		i += w;
	}
}

/*
 * Plausible text in the charset: no high byte outside a character (a
 * cut at the end is allowed after two characters), three in four in
 * the common range, and what tells the EUC charsets apart, whose bytes
 * overlap (charset.h): Chinese and Japanese words are not separated by
 * spaces as Korean ones are; Big5 has trail bytes below 0x7f, EUC text
 * none; Chinese text has characters past GB2312's lead 0xc8 (pinyin
 * from "m" on), Korean Hangul none; Japanese text has kana.
 */
int
cjk_plausible(enum cjk_scheme sc, const struct cjk_stat *st)
{
	if (st->bad > 0 || st->chars == 0 || (st->cut && st->chars < 2))
		return 0;
	if (st->common * 4 < st->chars * 3)
		return 0;
	if (sc != CJK_UHC && st->chars >= CJK_GAPS_N &&
	    st->gaps * CJK_GAPS > st->chars)
		return 0;
	if (sc != CJK_UHC && st->chars >= CJK_MARKS_N && st->marks == 0)
		return 0;
	return 1;
}
