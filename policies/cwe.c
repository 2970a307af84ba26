/*
 * cwe.c: the names of common CWE weaknesses, as the CWE list (MITRE,
 * version 4) gives them; a CSAF advisory must carry the exact name of
 * the CWE it cites. See cwe.h.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "policies/cwe.h"

static const struct {
	int		 id;
	const char	*name;
} names[] = {	/* by ID */
	{ 20, "Improper Input Validation" },
	{ 22, "Improper Limitation of a Pathname to a Restricted Directory "
	    "('Path Traversal')" },
	{ 59, "Improper Link Resolution Before File Access ('Link "
	    "Following')" },
	{ 73, "External Control of File Name or Path" },
	{ 74, "Improper Neutralization of Special Elements in Output Used by "
	    "a Downstream Component ('Injection')" },
	{ 77, "Improper Neutralization of Special Elements used in a Command "
	    "('Command Injection')" },
	{ 78, "Improper Neutralization of Special Elements used in an OS "
	    "Command ('OS Command Injection')" },
	{ 79, "Improper Neutralization of Input During Web Page Generation "
	    "('Cross-site Scripting')" },
	{ 88, "Improper Neutralization of Argument Delimiters in a Command "
	    "('Argument Injection')" },
	{ 89, "Improper Neutralization of Special Elements used in an SQL "
	    "Command ('SQL Injection')" },
	{ 94, "Improper Control of Generation of Code ('Code Injection')" },
	{ 117, "Improper Output Neutralization for Logs" },
	{ 119, "Improper Restriction of Operations within the Bounds of a "
	    "Memory Buffer" },
	{ 120, "Buffer Copy without Checking Size of Input ('Classic Buffer "
	    "Overflow')" },
	{ 121, "Stack-based Buffer Overflow" },
	{ 122, "Heap-based Buffer Overflow" },
	{ 125, "Out-of-bounds Read" },
	{ 134, "Use of Externally-Controlled Format String" },
	{ 190, "Integer Overflow or Wraparound" },
	{ 200, "Exposure of Sensitive Information to an Unauthorized Actor" },
	{ 209, "Generation of Error Message Containing Sensitive "
	    "Information" },
	{ 250, "Execution with Unnecessary Privileges" },
	{ 269, "Improper Privilege Management" },
	{ 276, "Incorrect Default Permissions" },
	{ 284, "Improper Access Control" },
	{ 287, "Improper Authentication" },
	{ 288, "Authentication Bypass Using an Alternate Path or Channel" },
	{ 290, "Authentication Bypass by Spoofing" },
	{ 294, "Authentication Bypass by Capture-replay" },
	{ 295, "Improper Certificate Validation" },
	{ 306, "Missing Authentication for Critical Function" },
	{ 307, "Improper Restriction of Excessive Authentication Attempts" },
	{ 311, "Missing Encryption of Sensitive Data" },
	{ 312, "Cleartext Storage of Sensitive Information" },
	{ 319, "Cleartext Transmission of Sensitive Information" },
	{ 327, "Use of a Broken or Risky Cryptographic Algorithm" },
	{ 330, "Use of Insufficiently Random Values" },
	{ 345, "Insufficient Verification of Data Authenticity" },
	{ 347, "Improper Verification of Cryptographic Signature" },
	{ 352, "Cross-Site Request Forgery (CSRF)" },
	{ 362, "Concurrent Execution using Shared Resource with Improper "
	    "Synchronization ('Race Condition')" },
	{ 369, "Divide By Zero" },
	{ 384, "Session Fixation" },
	{ 400, "Uncontrolled Resource Consumption" },
	{ 401, "Missing Release of Memory after Effective Lifetime" },
	{ 415, "Double Free" },
	{ 416, "Use After Free" },
	{ 427, "Uncontrolled Search Path Element" },
	{ 428, "Unquoted Search Path or Element" },
	{ 434, "Unrestricted Upload of File with Dangerous Type" },
	{ 444, "Inconsistent Interpretation of HTTP Requests ('HTTP "
	    "Request/Response Smuggling')" },
	{ 476, "NULL Pointer Dereference" },
	{ 494, "Download of Code Without Integrity Check" },
	{ 502, "Deserialization of Untrusted Data" },
	{ 521, "Weak Password Requirements" },
	{ 522, "Insufficiently Protected Credentials" },
	{ 532, "Insertion of Sensitive Information into Log File" },
	{ 601, "URL Redirection to Untrusted Site ('Open Redirect')" },
	{ 611, "Improper Restriction of XML External Entity Reference" },
	{ 613, "Insufficient Session Expiration" },
	{ 617, "Reachable Assertion" },
	{ 639, "Authorization Bypass Through User-Controlled Key" },
	{ 667, "Improper Locking" },
	{ 674, "Uncontrolled Recursion" },
	{ 693, "Protection Mechanism Failure" },
	{ 704, "Incorrect Type Conversion or Cast" },
	{ 732, "Incorrect Permission Assignment for Critical Resource" },
	{ 754, "Improper Check for Unusual or Exceptional Conditions" },
	{ 755, "Improper Handling of Exceptional Conditions" },
	{ 770, "Allocation of Resources Without Limits or Throttling" },
	{ 772, "Missing Release of Resource after Effective Lifetime" },
	{ 787, "Out-of-bounds Write" },
	{ 798, "Use of Hard-coded Credentials" },
	{ 824, "Access of Uninitialized Pointer" },
	{ 834, "Excessive Iteration" },
	{ 835, "Loop with Unreachable Exit Condition ('Infinite Loop')" },
	{ 843, "Access of Resource Using Incompatible Type ('Type "
	    "Confusion')" },
	{ 862, "Missing Authorization" },
	{ 863, "Incorrect Authorization" },
	{ 908, "Use of Uninitialized Resource" },
	{ 909, "Missing Initialization of Resource" },
	{ 912, "Hidden Functionality" },
	{ 918, "Server-Side Request Forgery (SSRF)" },
	{ 1021, "Improper Restriction of Rendered UI Layers or Frames" },
	{ 1321, "Improperly Controlled Modification of Object Prototype "
	    "Attributes ('Prototype Pollution')" },
	{ 1333, "Inefficient Regular Expression Complexity" },
};

const char *
cwe_name(const char *id)
{
	size_t	lo = 0, hi = sizeof(names) / sizeof(names[0]), mid;
	int	n;

	if (id == NULL || strncasecmp(id, "CWE-", 4) != 0)
		return NULL;
	n = atoi(id + 4);
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (names[mid].id == n)
			return names[mid].name;
		if (names[mid].id < n)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
