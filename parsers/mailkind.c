/*
 * mailkind.c: classify a parsed message as person / autoreply / bounce.
 *
 * Bounce: multipart/report with report-type=delivery-status (RFC 3464),
 * a delivery-status part, X-Failed-Recipients, or a sender that is
 * MAILER-DAEMON/postmaster or the null envelope sender together with a
 * bounce-like subject. Autoreply: Auto-Submitted other than "no"
 * (RFC 3834), Precedence bulk/junk/list, X-Autoreply/X-Autorespond,
 * X-Auto-Response-Suppress, X-Apple-Action: VACATION, MDNs (report-type
 * disposition-notification), RFC 5965 feedback reports, or an
 * subject that starts like an out-of-office notice (a prefix, so a
 * report about, say, a vacation app is not mistaken for one). Evidence names the first rule that hit.
 * Trust: header values are compared, never copied into evidence.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xmalloc.h"
#include "parsers/header.h"
#include "parsers/mailkind.h"

static const char *const bounce_subjects[] = {
	"undelivered mail returned to sender", "delivery status notification",
	"mail delivery failed", "failure notice", "undeliverable",
	"returned mail", "delivery failure", "mail delivery failure",
	"non remis", "nicht zustellbar", "undelivered mail",
	"delivery has failed", "message not delivered",
	"mail system error", "warning: could not send message",
};

static const char *const auto_subjects[] = {
	"out of office", "out-of-office", "auto reply", "auto-reply",
	"autoreply", "auto:", "automatic reply", "automatische antwort",
	"abwesenheitsnotiz", "vacation reply", "on vacation",
	"réponse automatique", "respuesta automática", "自動回覆",
	"自动回复", "自動応答", "不在通知", "不在のお知らせ",
};

static int	 contains_ci(const char *, const char *);
static const char *field(const struct mime_msg *, const char *);

const char *
mailkind_name(enum mail_kind k)
{
	switch (k) {
	case MAIL_AUTOREPLY:
		return "autoreply";
	case MAIL_BOUNCE:
		return "bounce";
	default:
		return "person";
	}
}

static int
contains_ci(const char *hay, const char *needle)
{
	size_t	n = strlen(needle);

	for (; hay && *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

/* Raw value of a top-level field with leading blanks skipped. */
static const char *
field(const struct mime_msg *m, const char *name)
{
	const struct header_field	*f = header_get(&m->hdr, name, 0);
	const char			*v;

	if (f == NULL)
		return NULL;
	for (v = f->value; *v == ' ' || *v == '\t'; v++)
		;
	return v;
}

void
mailkind_classify(const struct mime_msg *m, const char *env_sender,
    struct mail_class *c)
{
	const char	*v, *from = m->from.addr;
	int		 daemon = 0, null_sender;
	size_t		 i;

	memset(c, 0, sizeof(*c));
	c->kind = MAIL_PERSON;
	c->is_list = header_get(&m->hdr, "List-Id", 0) != NULL ||
	    header_get(&m->hdr, "List-Post", 0) != NULL ||
	    header_get(&m->hdr, "List-Unsubscribe", 0) != NULL;
	null_sender = env_sender != NULL && (env_sender[0] == '\0' ||
	    strcmp(env_sender, "<>") == 0);
	if (from && (strncasecmp(from, "mailer-daemon@", 14) == 0 ||
	    strncasecmp(from, "postmaster@", 11) == 0 ||
	    strncasecmp(from, "mail-daemon@", 12) == 0))
		daemon = 1;

	/* bounces first: a DSN may also carry Auto-Submitted */
	if (m->report_type &&
	    strcmp(m->report_type, "delivery-status") == 0) {
		c->kind = MAIL_BOUNCE;
		snprintf(c->evidence, sizeof(c->evidence),
		    "multipart/report; report-type=delivery-status");
		return;
	}
	if (m->has_dsn) {
		c->kind = MAIL_BOUNCE;
		snprintf(c->evidence, sizeof(c->evidence),
		    "message/delivery-status part");
		return;
	}
	if (header_get(&m->hdr, "X-Failed-Recipients", 0)) {
		c->kind = MAIL_BOUNCE;
		snprintf(c->evidence, sizeof(c->evidence),
		    "X-Failed-Recipients");
		return;
	}
	for (i = 0; i < sizeof(bounce_subjects) / sizeof(bounce_subjects[0]);
	    i++)
		if (contains_ci(m->subject, bounce_subjects[i]) &&
		    (daemon || null_sender || from == NULL ||
		    header_get(&m->hdr, "Auto-Submitted", 0))) {
			c->kind = MAIL_BOUNCE;
			snprintf(c->evidence, sizeof(c->evidence),
			    "bounce subject from %s", daemon ?
			    "MAILER-DAEMON/postmaster" : null_sender ?
			    "the null sender" : "an automatic sender");
			return;
		}

	if (m->has_feedback || (m->report_type &&
	    strcmp(m->report_type, "feedback-report") == 0)) {
		c->kind = MAIL_AUTOREPLY;
		c->is_feedback = 1;
		snprintf(c->evidence, sizeof(c->evidence),
		    "feedback report (RFC 5965)");
		return;
	}
	if (m->report_type &&
	    strcmp(m->report_type, "disposition-notification") == 0) {
		c->kind = MAIL_AUTOREPLY;
		snprintf(c->evidence, sizeof(c->evidence),
		    "report-type=disposition-notification");
		return;
	}
	if ((v = field(m, "Auto-Submitted")) != NULL &&
	    strncasecmp(v, "no", 2) != 0) {
		c->kind = MAIL_AUTOREPLY;
		snprintf(c->evidence, sizeof(c->evidence), "Auto-Submitted");
		return;
	}
	if ((v = field(m, "Precedence")) != NULL &&
	    (strncasecmp(v, "bulk", 4) == 0 || strncasecmp(v, "junk", 4) == 0 ||
	    strncasecmp(v, "list", 4) == 0)) {
		c->kind = MAIL_AUTOREPLY;
		snprintf(c->evidence, sizeof(c->evidence), "Precedence");
		return;
	}
	if (header_get(&m->hdr, "X-Autoreply", 0) ||
	    header_get(&m->hdr, "X-Autorespond", 0) ||
	    header_get(&m->hdr, "X-Autogenerated", 0) ||
	    header_get(&m->hdr, "X-Auto-Response-Suppress", 0)) {
		c->kind = MAIL_AUTOREPLY;
		snprintf(c->evidence, sizeof(c->evidence),
		    "X-Autoreply/X-Auto-Response-Suppress");
		return;
	}
	if ((v = field(m, "X-Apple-Action")) != NULL &&
	    strncasecmp(v, "vacation", 8) == 0) {
		c->kind = MAIL_AUTOREPLY;
		snprintf(c->evidence, sizeof(c->evidence), "X-Apple-Action");
		return;
	}
	for (i = 0; i < sizeof(auto_subjects) / sizeof(auto_subjects[0]); i++)
		if (strncasecmp(m->subject, auto_subjects[i],
		    strlen(auto_subjects[i])) == 0) {
			c->kind = MAIL_AUTOREPLY;
			snprintf(c->evidence, sizeof(c->evidence),
			    "out-of-office subject");
			return;
		}
	if (daemon || null_sender) {
		/* from the mail system, no DSN: a non-standard bounce */
		c->kind = daemon ? MAIL_BOUNCE : MAIL_AUTOREPLY;
		snprintf(c->evidence, sizeof(c->evidence), "%s",
		    daemon ? "from MAILER-DAEMON/postmaster" :
		    "null envelope sender");
	}
}
