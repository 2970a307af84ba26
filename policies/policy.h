/*
 * policy: the psirt-policy(5) file: case ID format, reply language,
 * acknowledgement limits, next step, templates and `match` rules.
 * Loading checks everything (regexes compiled, templates parsed, the
 * team of raci.h); every problem is reported, one "file:line: reason"
 * line each. Evaluation does no I/O.
 */
#ifndef PSIRT_POLICIES_POLICY_H
#define PSIRT_POLICIES_POLICY_H

#include <stddef.h>

struct clocks;
struct policy;
struct raci;
struct template;

#define POLICY_LIST_MAX	16	/* tags, assignments per rule and decision */

struct policy_facts {
	const char	*subject;
	const char	*text;
	const char	*from;		/* address */
	const char	*to;		/* the address written to */
};

struct policy_decision {
	const char	*kind;		/* vulnerability | incident */
	const char	*lang;		/* template language */
	const char	*source;	/* external | internal | cert | vendor */
	const char	*origin;	/* own | supplier | third-party, NULL */
	const char	*product;	/* or NULL, and so on */
	const char	*version;
	const char	*module;
	const char	*tags[POLICY_LIST_MAX];
	size_t		 ntags;
	const char	*assign[POLICY_LIST_MAX];	/* roles or people */
	size_t		 nassign;
	int		 no_ack;	/* a rule said: do not acknowledge */
};

int	 policy_load(const char *path, struct policy **, char **errstr);
void	 policy_free(struct policy **);

/* Applies the match rules in order; first rule to set a field wins. */
int	 policy_decide(const struct policy *, const struct policy_facts *,
	    struct policy_decision *, char **errstr);

/* Case ID for `seq` in year `year` and the counter prefix it uses. */
char	*policy_case_id(const struct policy *, int year, long long seq);
char	*policy_case_prefix(const struct policy *, int year);
/* The first case ID of the policy's format in s[0, len) at or after
 * `from`, standing alone (no letter or digit touching it), compared
 * without regard to case: 1 with its offset and length, 0 none. %Y is
 * four digits, %N one or more. Linear in len. */
int	policy_case_id_find(const struct policy *, const char *s, size_t len,
	    size_t from, size_t *off, size_t *mlen);
long long policy_ack_limit(const struct policy *);	/* per hour */
/* The languages the team reads and writes (`languages`, else the one
 * `language`), in the policy's order. */
size_t	policy_languages(const struct policy *, const char *const **);
/* refused-command mails to one address per hour */
long long policy_refusal_limit(const struct policy *);
/* ask-wait in seconds (a #ask unanswered: reminder, then the R told). */
long long policy_ask_wait(const struct policy *);
/* reply-from member: a #reply shows the member's name in From. */
int	 policy_reply_from_member(const struct policy *);
/* May mail about a case with this TLP go to rcpt? CLEAR, GREEN and no
 * label: anyone; the case's reporter always; RED: the team's members;
 * AMBER+STRICT: the organisation (`organisation` domains, else the
 * members' domains); AMBER: also `clients` domains. */
int	 policy_tlp_allows(const struct policy *, const char *tlp,
	    const char *rcpt, const char *reporter);
/* The status reply (template status-NAME) a move to status sends to
 * the reporter, or NULL (`reply-on STATUS NAME`). */
const char *policy_reply_on(const struct policy *, const char *status);
/* How long a closed case of this kind and TLP keeps its messages
 * (`retention`), in seconds; 0 forever. The kind's (not stated:
 * forever); for TLP:RED, the longer of it and tlp:red's, when that is
 * stated. *which:
 * the statement that decided ("vulnerability", "incident",
 * "tlp:red"). */
long long policy_retention(const struct policy *, const char *kind,
	    const char *tlp, const char **which);
/* The team: roles, members, tasks (raci.h). */
const struct raci *policy_raci(const struct policy *);
/* Deadlines, escalation ladders, the business calendar (clocks.h). */
const struct clocks *policy_clocks(const struct policy *);
/* The organisation's severity for a CVSS score (times ten) by the
 * policy's bands: "critical", "high", "medium" or "low". */
const char *policy_severity(const struct policy *, int score10);
const char *policy_next_step(const struct policy *);
/* The official name of a CWE ("CWE-79"): `cwe-name`, else the built-in
 * list (cwe.h); NULL if neither has it. */
const char *policy_cwe_name(const struct policy *, const char *id);
/* The CNA that CVE IDs are requested from (`cna`), or NULL. */
struct policy_cna {
	char	*name;
	char	*addr;
	char	*pgp;		/* fingerprint, or NULL */
};
const struct policy_cna *policy_cna(const struct policy *);
/* Our own CNA identity for CVE records (`cna-org-id`, `cna-short-name`):
 * the organisation's UUID, or NULL, and *short_name, or NULL. */
const char *policy_cna_id(const struct policy *, const char **short_name);
/* The advisory publisher (`publisher`): its name, or NULL, and *ns its
 * namespace URL. */
const char *policy_publisher(const struct policy *, const char **ns);
long long policy_next_step_seconds(const struct policy *);
/* The events the team is told of at once (`notify`). */
enum policy_event { PEV_REPORT, PEV_FOLLOWUP, PEV_QUARANTINE, PEV_REVIEW,
	PEV_EXCEPTION, PEV_HOLD, PEV_MAX };
const char *policy_event_name(int ev);
/* The members to tell of event ev about a case of this kind (NULL: no
 * case): the roles of the `notify` statement for the event and kind,
 * else of the one for the event, else the R and A of the intake task
 * (triage when there is none; the A of remediation for an exception).
 * A rotating role gives its member on duty at `now`. Each person once,
 * at most max; red[i] is set when the member may see TLP:RED content (a
 * role that is R or A of that task). */
struct raci_member;
size_t	 policy_notify(const struct policy *, int ev, const char *kind,
	    long long now, const struct raci_member **out, int *red,
	    size_t max);
/* Template `name` in `lang`, else in the default language, else "en". */
const struct template *policy_template(const struct policy *,
	    const char *name, const char *lang);

#endif
