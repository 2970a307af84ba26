/*
 * caseview: one case as people read it: its record, facts, credits, links,
 * messages (sealed text opened from the vault) and events, for `case
 * show` (cli/case_cmd.c) and for #show by mail (pipeline/query.c). It
 * reads the store and the vault; it never changes a case.
 */
#ifndef PSIRT_REPORTS_CASEVIEW_H
#define PSIRT_REPORTS_CASEVIEW_H

#include <stddef.h>

#include "spool/store.h"
#include "util/json.h"
#include "spool/store_case.h"
#include "spool/store_credit.h"
#include "spool/store_msg.h"

struct agent;
struct buf;

struct caseview {
	struct store_case	 c;
	struct store_message	*m;
	size_t			 nm;
	struct store_event	*ev;
	size_t			 ne;
	struct store_fact	*f;
	size_t			 nf;
	struct store_link	*l;
	size_t			 nl;
	struct store_credit	*cr;		/* numbered from 1 */
	size_t			 ncr;
	const char		*vendor;	/* of a pair without one; NULL: no pairs */
};

/* 1 loaded (free with caseview_free), 0 no such case, -1 *errstr. A
 * message whose sealed text cannot be opened has text_error set. */
int	caseview_load(struct agent *, const char *id, struct caseview *,
	    char **errstr);
void	caseview_free(struct caseview *);
/* The text of `case show` (control characters made harmless). */
void	caseview_text(const struct caseview *, struct buf *);
/* The "affected" array of `case show --json`: an object per affected
 * pair (product, vendor, affected, fixed, status, justification). */
void	caseview_affected_json(const struct caseview *, struct json *);
/* The vendor a pair without one has: the policy's publisher (when the
 * command opened the policy), else the team's name (psirt_name). */
const char *caseview_vendor(struct agent *);
/* Open the sealed texts of messages (text_ref) into text. */
void	caseview_unseal(struct agent *, struct store_message *, size_t);

#endif
