/*
 * triage: the facts a report states about itself, read from its subject
 * and decoded (and decrypted) text: CVE IDs, CWE IDs, CVSS v3.0, v3.1
 * and v4.0 vectors (scored by cvss.c), the TLP label, and an explicit
 * "Kind:" line and incident level.
 *
 * The text is normalised first: full-width ASCII (U+FF01..U+FF5E) as
 * ASCII, the Unicode hyphens and dashes as '-', no-break spaces as
 * spaces; so "ＣＶＥ－２０２４－１２３４" is CVE-2024-1234. A CVSS
 * vector may come without its "CVSS:x.y/" prefix when its metrics say
 * which version it is (v3 bare vectors are taken as 3.1); a prefixed
 * vector that does not parse is reported in the warnings, a bare one
 * that does not (a CVSS v2 vector, say) is ignored. TLP labels (2.0,
 * and TLP:WHITE read as CLEAR) count only outside quoted lines ('>'),
 * and the most restrictive one wins.
 *
 * A CVE ID is either one the report is about (cves) or one it cites in
 * passing (cves_mentioned); an ID that is both somewhere is the first.
 * Cited: on a quoted line ('>'), or below a signature or a mail client's
 * copy of the mail answered ("-- ", "-----Original Message-----",
 * "-----原始郵件-----", Outlook's "____" line: answer_end()), or after a citing cue (cite_cues in triage.c: "similar to", "see
 * also", "like", "cf.", "related:", "previously reported as", "類似",
 * "參考", "參見", ...) that is nearer the ID than any reporting cue
 * ("CVE:", "this is", "assigned", "regarding", "本漏洞為", ...): before
 * it, within TRIAGE_CUE_SPAN characters, in the same sentence and line
 * (or the line before, ending in ':', when the ID starts its line:
 * "Related:\n- CVE-..."); an ID that follows a cited one with only
 * list separators between (", ", " and ", "、", a new bullet) is cited
 * too. In the subject, with no cue, or in doubt: reported, as before.
 * "#command" lines at the top of the text (staff commands: "#cve ID")
 * are not read for CVE IDs: the command decides.
 * Trust: none. PCRE2 through regex.c, with its match and depth limits;
 * linear in the input; at most `max` items of each kind are kept: the
 * scan of a kind stops there (for CVSS vectors, after 2 * max read), the
 * TLP scan at the first TLP:RED, and the warnings say so.
 */
#ifndef PSIRT_PARSERS_TRIAGE_H
#define PSIRT_PARSERS_TRIAGE_H

#include <stddef.h>

#include "parsers/cvss.h"

enum tlp { TLP_NONE, TLP_CLEAR, TLP_GREEN, TLP_AMBER, TLP_AMBER_STRICT,
	TLP_RED };

/* how far before a CVE ID a cue is looked for, in characters */
#define TRIAGE_CUE_SPAN	40

struct triage {
	char		**cves;		/* "CVE-2024-1234", first seen first */
	size_t		  ncves;
	char		**cves_mentioned; /* cited in passing, not in cves */
	size_t		  ncves_mentioned;
	unsigned	 *cwes;		/* CWE numbers */
	size_t		  ncwes;
	struct cvss	 *cvss;		/* valid vectors, each once */
	size_t		  ncvss;
	enum tlp	  tlp;
	const char	 *kind;		/* "vulnerability", "incident", NULL */
	int		  level;	/* incident level 1-4 stated, or 0 */
	char		 *warnings;	/* "; "-joined, or NULL */
};

/* max bounds the CVE IDs of both lists together. 0, or -1 with *errstr
 * when a regex limit was hit (what was found
 * before it is kept in *t). */
int		 triage_extract(const char *subject, const char *text,
		    size_t max, struct triage *t, char **errstr);
void		 triage_free(struct triage *);
/* "CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"; NULL for none. */
const char	*triage_tlp_name(enum tlp);
/* The inverse (TLP:WHITE is CLEAR); TLP_NONE when unknown. */
enum tlp	 triage_tlp_parse(const char *);

#endif
