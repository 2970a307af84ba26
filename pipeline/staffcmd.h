/*
 * command: staff commands in mail. Lines "#command args" at the top of
 * a staff member's message to a case (until the first other line; blank
 * lines before them are skipped) change the case, but only when the
 * message carries a valid OpenPGP or S/MIME signature by the key the
 * policy lists for that member over its whole body (a signed part
 * beside unsigned parts carries no commands), its From is that member,
 * the signature is younger than command_max_age, the signed content
 * names the case the mail threads into (a "#case ID" line, or the ID in
 * the signed text or in a protected Subject the signature covers, and
 * no other case's ID there without a #case line), and neither its
 * signature (key, time and signed text) nor its Message-ID was taken
 * before, in any case. A command mail is all or nothing: one bad
 * line (named, with the reason) and nothing is applied; the sender is
 * told why by mail and the attempt is an event on the case.
 *
 *   #status S  #severity S  #tlp L  #kind K  #level N  #pause REASON
 *   #resume  #embargo DATE  #cvss VECTOR  #cve ID  #cwe ID  #product NAME
 *   #assign ROLE|ADDRESS  #credit CREDIT|confirm [N]|remove N
 *   (pipeline/credit.h)  #reply NAME [TEXT]
 *   #reply [ADDRESS...] (the member's own words below the commands, to
 *   the reporter or those addresses)  #ask (the same to the reporter;
 *   the case waits for the answer: pipeline/ask.h)
 *   #merge CASE (that case into this one)  #exception REASON
 *   #approve (by the A of remediation: the exception holds, the fix
 *   deadline is set aside)  #note  #case ID (the case they are for)
 *   #pin FINGERPRINT (that key, offered by the reporter, is theirs)
 */
#ifndef PSIRT_AGENT_COMMAND_H
#define PSIRT_AGENT_COMMAND_H

#include <stddef.h>

struct job;

/* One "#name arg" line. */
struct command_line {
	int	 line;		/* its number in the text, from 1 */
	char	*name;		/* after the '#', up to a blank */
	char	*arg;		/* the rest, without the blanks before it
				 * and from the first CR on; "" if none */
};

/* For a staff member's message in a case (inside its transaction): 0
 * (no commands, or applied, or refused and recorded), -1 on a store
 * error (*errstr). */
int	command_mail(struct job *, char **errstr);
/* A member's mail that joined no case and holds only queries (#show,
 * #list, #search: pipeline/query.h): checked as command mails are (but
 * for the case), answered, and the attempt recorded on the agent's
 * record. 1 it was one (handled), 0 not, -1 *errstr. */
int	command_query_mail(struct job *, char **errstr);
/* Does the text start with a command line? */
int	command_present(const char *text);
/* The command lines at the top of text, at most max: the grammar
 * alone, no check of names or arguments (exported for the fuzz
 * target). The caller frees each name and arg. */
size_t	command_parse(const char *text, struct command_line *, size_t max);

#endif
