/*
 * notice: mail from the agent to a member of the team about a case
 * (escalations, probable duplicates), from a template, through the
 * outbox. Case content (its subject, reporter and TLP, as the template
 * variable ${case_summary}) goes only encrypted, to the OpenPGP key the
 * policy lists for the member, and for a TLP:RED case only to members
 * who may see it; anyone else is told where to read the case instead.
 *
 * notice.c and outbox.c include each other, the one pair that does
 * (tests/integration/005-layout.t allows it): a notice is queued in the
 * outbox, and the outbox, holding a reply the case's TLP does not
 * allow, tells the team by a notice (a guard keeps it from looping).
 */
#ifndef PSIRT_AGENT_NOTICE_H
#define PSIRT_AGENT_NOTICE_H

#include <stddef.h>

struct agent;
struct raci_member;
struct store_case;
struct tvar;

/* A mail to a member m from template tmpl in lang (NULL: the policy's
 * language), with v[0..nv) and ${recipient_name}, ${psirt_name},
 * ${psirt_address} added; with `encrypt`, signed and encrypted to the
 * OpenPGP key the policy lists for m. case_id NULL: about no one case
 * (the digest). 1 queued (*message_id, malloc'd), 0 not sent: it was
 * to be encrypted and could not be (logged; *why the reason, malloc'd,
 * when why is not NULL), -1 *errstr. */
int	notice_mail(struct agent *, const char *case_id, const char *kind,
	    const char *tmpl, const char *lang, const struct tvar *v,
	    size_t nv, const struct raci_member *, int encrypt,
	    const char *outer_subject, char **message_id, char **why,
	    char **errstr);
/* v[0..nv) are the caller's variables; ${case_summary}, ${psirt_name},
 * ${psirt_address}, ${recipient_name} and ${case_id} are added. 1
 * queued (*message_id, malloc'd; *encrypted), 0 not sent (the mail
 * could not be encrypted: logged), -1 *errstr. */
int	notice_member(struct agent *, const struct store_case *,
	    const char *kind, const char *tmpl, const struct tvar *v,
	    size_t nv, const struct raci_member *, int may_see_red,
	    const char *outer_subject, char **message_id, int *encrypted,
	    char **errstr);
/* The same to the members of the roles of a task that `which` names
 * ("RA", "CI", ...), each once, with an event of type `event` on the case
 * per mail. Returns the number queued, or -1. */
int	notice_task(struct agent *, const struct store_case *,
	    const char *task, const char *which, const char *kind,
	    const char *tmpl, const struct tvar *v, size_t nv,
	    const char *event, char **errstr);

/* The R of the intake task told about case_id by the status-notice
 * template: "now STATUS (set by NOTE)"; events of type kind. 0, or -1. */
int	notice_intake(struct agent *, const char *case_id, const char *kind,
	    const char *status, const char *note, char **errstr);

/* Record that the members the policy names for event ev (enum
 * policy_event; `notify` in psirt-policy(5)) are to be told of it: one
 * pending notice each, in the caller's transaction, sent by
 * notify_flush() (notify.h). case_id NULL for a quarantined message;
 * ref: the queue ID or Message-ID it is about; detail: the reason
 * (quarantine, review, exception). The number recorded, or -1. */
int	notice_event(struct agent *, int ev, const char *case_id,
	    const char *ref, const char *detail, char **errstr);

#endif
