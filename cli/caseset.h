/*
 * caseset: staff changes to a case from the command line, and the
 * case's deadlines as people and tools see them.
 *
 *   case set ID KEY=VALUE...   severity, kind, level, status, tlp,
 *                              pause=REASON, resume, embargo=DATE,
 *                              met=CLOCK, and the facts KIND=VALUE:
 *                              cve, cwe, cvss, product, version, fixed,
 *                              module, scope, assign, credit, title,
 *                              summary, remediation, mitigation,
 *                              reference (several of each may be held;
 *                              title, summary, remediation, mitigation
 *                              and credit: a new value replaces);
 *                              all or nothing, each an event (actor
 *                              "operator"), then the clocks
 *   case list --overdue        running deadlines past due
 * The mail commands of staff (a later issue) call case_apply() too.
 */
#ifndef PSIRT_AGENT_CASESET_H
#define PSIRT_AGENT_CASESET_H

#include <stddef.h>

struct agent;
struct json;

/* Apply KEY=VALUE changes to a case inside the caller's transaction;
 * 0, or -1 with *errstr naming the change and the reason. */
int	case_apply(struct agent *, const char *id, char *const *kv, size_t n,
	    const char *actor, long long now, char **errstr);
int	case_set(struct agent *, int argc, char **argv);
/* Is `kind` a fact people state (cve, product, remediation, ...)? */
int	case_fact_kind(const char *kind);
/* Merge case `from` into `into` (inside the caller's transaction): 0,
 * 1 when they cannot be merged (*errstr says why), -1 store error. */
int	case_merge_apply(struct agent *, const char *into, const char *from,
	    const char *actor, char **errstr);
int	case_overdue(struct agent *, int as_json);
/* "deadlines": [...] of a case (case show). */
void	json_deadlines(struct agent *, struct json *, const char *id);

#endif
