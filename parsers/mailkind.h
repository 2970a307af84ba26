/*
 * mailkind: is this message a bounce, an automatic reply, or written by
 * a person? (RFC 3464, RFC 3834, RFC 5965 and the common vendor habits.)
 * Pure function of the parsed message and the envelope sender.
 */
#ifndef PSIRT_PARSERS_MAILKIND_H
#define PSIRT_PARSERS_MAILKIND_H

#include "parsers/mime.h"

enum mail_kind { MAIL_PERSON, MAIL_AUTOREPLY, MAIL_BOUNCE };

struct mail_class {
	enum mail_kind	 kind;
	int		 is_list;	/* List-Id / List-Post etc. */
	int		 is_feedback;	/* RFC 5965 abuse report */
	char		 evidence[160];	/* why, for logs and case show */
};

const char	*mailkind_name(enum mail_kind);
void		 mailkind_classify(const struct mime_msg *,
		    const char *env_sender, struct mail_class *);

#endif
