/*
 * answer: the words a team member wrote for the reporter, out of the
 * mail they wrote it in (the text after the command block of a #reply
 * or #ask). Left out: quoted lines ("> ..."), the attribution line
 * before a quote ("On ... wrote:", "... 寫道："), everything from a
 * signature separator ("-- "), from a mail client's copy of the
 * previous message ("-----Original Message-----", a line of
 * underscores), and from a line "#internal" on (internal notes stay on
 * the case, in the stored mail). Blank lines at either end and runs of
 * blank lines are folded; a bare CR inside a line becomes a blank. Linear in the length of the text.
 */
#ifndef PSIRT_PARSERS_ANSWER_H
#define PSIRT_PARSERS_ANSWER_H

#include <stddef.h>

/* The text to send (malloc'd, LF line ends; "" when nothing is left). */
char	*answer_text(const char *text, size_t len);
/* Where the first line that ends a member's own words (a signature
 * separator, a client's copy of the previous message, "#internal")
 * starts; len when none. Triage reads the CVE IDs below it as cited. */
size_t	 answer_end(const char *text, size_t len);

#endif
