/*
 * case: the case state machine (case.c).
 *
 * Takes: KEY=VALUE changes from staff (`case set`, a signed #command
 * mail): severity, kind, level, status, tlp, pause=REASON, resume,
 * embargo=DATE, met=CLOCK, hold=yes|no (the operator only),
 * overrun-reason=GROUP[: TEXT] (why deadlines were missed: resources,
 * third-party or process; a new one replaces), the facts KIND=VALUE
 * (cve, cwe, cvss, product, version, fixed, module, scope, assign,
 * title, summary, remediation, mitigation, reference; title, summary,
 * remediation and mitigation: a new value replaces), and the credits
 * (credit=VALUE adds one, credit-confirm=N|all, credit-remove=N|all:
 * pipeline/credit.h). Hands on: the case changed, an event for each
 * change, the reporter's status reply and the team's notice where the
 * policy says, and the clocks updated (a case reopened from rejected,
 * duplicate or closed runs again the clocks the policy's
 * reopen-restarts names). Never: commits (the caller's transaction), or
 * moves a case along a path the state machine does not have.
 */
#ifndef PSIRT_PIPELINE_CASE_H
#define PSIRT_PIPELINE_CASE_H

#include <stddef.h>

struct agent;

/* Apply KEY=VALUE changes to a case inside the caller's transaction;
 * 0, or -1 with *errstr naming the change and the reason. */
int	case_apply(struct agent *, const char *id, char *const *kv, size_t n,
	    const char *actor, long long now, char **errstr);
/* The keys case_apply takes (status, severity, ..., the fact kinds),
 * at most max of them into v; how many. */
size_t	case_keys(const char **v, size_t max);
/* Is `kind` a fact people state (cve, product, remediation, ...)? */
int	case_fact_kind(const char *kind);
/* The task of the team that works a case in this status: the one whose
 * C and I hear of a move to it, else intake for "new" and triage (or
 * incident-response for an incident) for the rest. */
const char *case_task(const char *status, const char *kind);
/* Merge case `from` into `into` (inside the caller's transaction): 0,
 * 1 when they cannot be merged (*errstr says why), -1 store error. */
int	case_merge_apply(struct agent *, const char *into, const char *from,
	    const char *actor, char **errstr);

#endif
