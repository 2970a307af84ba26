/*
 * assess: what a report says about itself (parsers/triage.c), applied
 * to its case inside the message's store transaction: CVE, CWE and CVSS
 * facts; the TLP label (raised, never lowered, by mail); the severity
 * from the highest CVSS score by the policy's bands (unless staff set
 * it); the incident level; and links to other cases that name the same
 * CVE (probable duplicates). Each change is an event on the case.
 */
#ifndef PSIRT_AGENT_ASSESS_H
#define PSIRT_AGENT_ASSESS_H

struct job;

struct agent;

/* 0, or -1 on a store error (*errstr; roll back). */
int	assess_case(struct job *, char **errstr);
/* The severity of a case again from its CVSS facts (after a merge),
 * unless staff set it. */
int	assess_severity(struct agent *, const char *case_id, char **errstr);

#endif
