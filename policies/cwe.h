/*
 * cwe: the official names of common CWE weaknesses (a built-in list;
 * a policy's `cwe-name` statements add others: policy_cwe_name()).
 */
#ifndef PSIRT_POLICIES_CWE_H
#define PSIRT_POLICIES_CWE_H

/* The name of "CWE-79", or NULL when the list does not have it. */
const char	*cwe_name(const char *id);

#endif
