/*
 * credit: how a finder wants to be credited, in their own words
 * (credit.c). The grammar, for a reporter's mail and for staff alike
 * (psirt-agent(8), CREDITS):
 *
 *   credit-line = *WSP marker *WSP value
 *   marker      = "Credit:" / "#credit" WSP / "致謝:" / "致謝："
 *                 (ASCII letters in any case)
 *   value       = "anonymous" / "匿名"
 *               / ("handle" 1*WSP / "@") handle *extra
 *               / name *extra
 *   extra       = *WSP "(" organization ")" / *WSP "<" contact ">"
 *                 (each at most once, in either order)
 *   handle      = 1*64 (ALPHA / DIGIT / "_" / "." / "-")
 *
 * e.g. "Credit: Jane Doe (ACME Labs) <jane@example.net>", "Credit:
 * anonymous", "Credit: handle @j4ne", "#credit @j4ne", "致謝: 王小明
 * (台灣大學)". A name is any text without "(", ")", "<", ">".
 * Control characters (C0, DEL, C1) and the bidirectional controls that
 * reorder what a reader sees are refused, with the reason; so are
 * values over the length limits below. Input is UTF-8; linear time.
 */
#ifndef PSIRT_PARSERS_CREDIT_H
#define PSIRT_PARSERS_CREDIT_H

#include <stddef.h>

struct buf;

#define CREDIT_NAME_MAX		200	/* bytes of a name or handle */
#define CREDIT_ORG_MAX		200	/* bytes of an organization */
#define CREDIT_CONTACT_MAX	254	/* bytes of a contact */
#define CREDIT_HANDLE_MAX	64	/* characters of a handle */
#define CREDITS_MAX		256	/* credits one case holds, and
					 * credit lines read from one mail */

enum credit_choice { CREDIT_NAMED, CREDIT_HANDLE, CREDIT_ANONYMOUS };

struct credit {
	enum credit_choice	 choice;
	char			*name;		/* NULL when anonymous; a
						 * handle as "@j4ne" */
	char			*organization;	/* or NULL */
	char			*contact;	/* or NULL */
};

/* "named", "handle", "anonymous" */
const char	*credit_choice_name(enum credit_choice);
/* One value (no marker): 0 with *c, or -1 with *why (malloc'd). */
int	 credit_parse(const char *s, size_t n, struct credit *c, char **why);
void	 credit_free(struct credit *);

/* The credit lines of a mail's text, as its writer wrote them: lines
 * quoted with ">" are skipped, and reading stops at a quoted message
 * ("... wrote:", "-----Original Message-----", a forwarded message). */
struct credit_line {
	size_t		 line;		/* 1, 2, ... in the text */
	struct credit	 c;		/* when why is NULL */
	char		*why;		/* refused: the reason */
};
/* At most CREDITS_MAX lines are read; one more is refused with why. */
void	 credit_scan(const char *text, size_t n, struct credit_line **,
	    size_t *);
void	 credit_lines_free(struct credit_line *, size_t);

/* What people read of a credit: "Jane Doe (ACME Labs)", "@j4ne";
 * nothing for an anonymous one. */
void	 credit_label(struct buf *, const char *choice, const char *name,
	    const char *organization);

#endif
