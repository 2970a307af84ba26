/*
 * caseview.c: one case as people read it. See caseview.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent.h"
#include "agent/config.h"
#include "parsers/affected.h"
#include "parsers/cvss.h"
#include "policies/policy.h"
#include "reports/caseview.h"
#include "spool/vault.h"
#include "util/buf.h"
#include "util/fmt.h"
#include "util/json.h"
#include "util/log.h"
#include "util/markup.h"
#include "util/xmalloc.h"

#define ISO_FMT	"%Y-%m-%dT%H:%M:%SZ"

static void
put(struct buf *b, const char *s, size_t max)
{
	markup_term(b, s, max, 1);
}

void
caseview_unseal(struct agent *a, struct store_message *m, size_t n)
{
	struct vault	*v;
	unsigned char	*plain;
	size_t		 i, len;
	char		*err = NULL;

	for (i = 0; i < n; i++) {
		if (m[i].text != NULL || m[i].text_ref == NULL)
			continue;
		if ((v = agent_vault(a, &err)) == NULL ||
		    vault_get(v, m[i].text_ref, &plain, &len, &err) == -1) {
			log_warnx("message %s: text unreadable: %s",
			    m[i].qid ? m[i].qid : m[i].message_id, err);
			m[i].text_error = err;
			err = NULL;
			continue;
		}
		m[i].text = xstrndup((char *)plain, len);
		vault_free_plain(plain);
	}
}

int
caseview_load(struct agent *a, const char *id, struct caseview *cv,
    char **errstr)
{
	size_t	i;
	int	r;

	memset(cv, 0, sizeof(*cv));
	if ((r = store_case_get(a->st, id, &cv->c, errstr)) != 1)
		return r;
	if (store_messages(a->st, cv->c.id, &cv->m, &cv->nm, errstr) == -1 ||
	    store_events(a->st, cv->c.id, &cv->ev, &cv->ne, errstr) == -1 ||
	    store_facts(a->st, cv->c.id, &cv->f, &cv->nf, errstr) == -1 ||
	    store_links(a->st, cv->c.id, &cv->l, &cv->nl, errstr) == -1 ||
	    store_credits(a->st, cv->c.id, &cv->cr, &cv->ncr, errstr) == -1) {
		caseview_free(cv);
		return -1;
	}
	caseview_unseal(a, cv->m, cv->nm);
	/* the default vendor of a pair without one: the policy is read
	 * only for a case that has pairs */
	for (i = 0; i < cv->nf; i++)
		if (strcmp(cv->f[i].kind, "affected") == 0) {
			cv->vendor = caseview_vendor(a);
			break;
		}
	return 1;
}

const char *
caseview_vendor(struct agent *a)
{
	const char	*ns, *name;
	char		*err = NULL;

	/* case show opens no policy for itself: one that does not load
	 * leaves the team's name */
	if (a->pol == NULL && agent_open(a, 1, &err) == -1)
		free(err);
	name = a->pol ? policy_publisher(a->pol, &ns) : NULL;
	return name ? name : a->cf->psirt_name;
}

void
caseview_affected_json(const struct caseview *cv, struct json *j)
{
	struct affected	 af;
	size_t		 i;
	char		*r, *e = NULL;

	json_key(j, "affected");
	json_arr_begin(j);
	for (i = 0; i < cv->nf; i++) {
		if (strcmp(cv->f[i].kind, "affected") != 0)
			continue;
		if (affected_parse(cv->f[i].value, strlen(cv->f[i].value), &af,
		    &e) == -1) {
			free(e);	/* stored by an older grammar */
			e = NULL;
			continue;
		}
		json_obj_begin(j);
		json_kstr(j, "product", af.product);
		json_kstr(j, "vendor", af.vendor[0] ? af.vendor : cv->vendor);
		r = affected_range(&af);
		json_kstr(j, "affected", r);
		free(r);
		json_kstr(j, "fixed", af.fixed[0] ? af.fixed : NULL);
		json_kstr(j, "status", affected_status_name(af.status));
		json_kstr(j, "justification", af.justification);
		json_obj_end(j);
	}
	json_arr_end(j);
}

void
caseview_free(struct caseview *cv)
{
	store_messages_free(cv->m, cv->nm);
	store_events_free(cv->ev, cv->ne);
	store_facts_free(cv->f, cv->nf);
	store_links_free(cv->l, cv->nl);
	store_credits_free(cv->cr, cv->ncr);
	store_case_free(&cv->c);
	memset(cv, 0, sizeof(*cv));
}

/* A fact's label in the text view, by its kind (case set KIND=). */
static void
fact_label(struct buf *b, const char *kind)
{
	static const struct {
		const char	*kind, *label;
	} labels[] = {
		{ "cvss", "CVSS:" }, { "cve", "CVE:" },
		{ "cve-mentioned", "Mentioned:" }, { "cwe", "CWE:" },
		{ "product", "Product:" }, { "version", "Version:" },
		{ "fixed", "Fixed:" }, { "module", "Module:" },
		{ "scope", "Scope:" }, { "assign", "Assigned:" },
		{ "title", "Title:" }, { "summary", "Summary:" },
		{ "description", "Text:" }, { "remediation", "Fix:" },
		{ "mitigation", "Mitigation:" },
		{ "workaround", "Workaround:" }, { "reference", "Reference:" },
		{ "exception", "Exception:" },
		{ "exception-pending", "Pending:" }, { "origin", "Origin:" },
		{ "tag", "Tag:" }, { "overrun-reason", "Overrun:" },
	};
	size_t	i;

	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(kind, labels[i].kind) == 0) {
			buf_printf(b, "%-10s ", labels[i].label);
			return;
		}
	buf_printf(b, "%-10s ", kind);	/* a kind of a later version */
}

/* "Affected:  SmartCam (Example Corp) <5.1.4: fixed in 5.1.4" */
static void
affected_line(struct buf *b, const struct store_fact *f, const char *vendor)
{
	struct affected	 af;
	char		*r, *e = NULL;

	buf_printf(b, "%-10s ", "Affected:");
	if (affected_parse(f->value, strlen(f->value), &af, &e) == -1) {
		free(e);
		put(b, f->value, 1100);
		buf_putc(b, '\n');
		return;
	}
	r = affected_range(&af);
	put(b, af.product, AFF_NAME_MAX);
	buf_puts(b, " (");
	put(b, af.vendor[0] ? af.vendor : vendor ? vendor : "", AFF_NAME_MAX);
	buf_printf(b, ") %s: %s", r, affected_status_name(af.status));
	if (af.fixed[0])
		buf_printf(b, " in %s", af.fixed);
	if (af.justification)
		buf_printf(b, " (%s)", af.justification);
	buf_putc(b, '\n');
	free(r);
}

void
caseview_text(const struct caseview *cv, struct buf *b)
{
	const struct store_case		 c = cv->c;
	const struct store_message	*m = cv->m;
	const struct store_event	*ev = cv->ev;
	const struct store_fact		*f = cv->f;
	const struct store_link		*l = cv->l;
	size_t				 nm = cv->nm, ne = cv->ne, nf = cv->nf;
	size_t				 nl = cv->nl, i, k;
	char				 t[32];

	buf_printf(b, "Case:      %s\nKind:      %s\nStatus:    %s\n", c.id,
	    c.kind, c.status);
	buf_printf(b, "Subject:   ");
	put(b, c.subject, 500);
	buf_printf(b, "\nReporter:  ");
	if (c.reporter == NULL)
		buf_puts(b, "(no reply address)");
	else {
		put(b, c.reporter_name ? c.reporter_name : "", 200);
		buf_printf(b, " <");
		put(b, c.reporter, 254);
		buf_putc(b, '>');
	}
	fmt_utc(c.created_at, ISO_FMT, t, sizeof(t));
	buf_printf(b, "\nSource:    %s\nLanguage:  %s\nCreated:   %s\n",
	    c.source, c.lang, t);
	if (c.tlp)
		buf_printf(b, "TLP:       %s\n", c.tlp);
	if (c.hold)
		buf_printf(b, "Hold:      yes (legal hold: never expired)\n");
	if (c.severity)
		buf_printf(b, "Severity:  %s (%s)\n", c.severity,
		    c.severity_by ? c.severity_by : "");
	if (c.level)
		buf_printf(b, "Level:     %d\n", c.level);
	for (i = 0; i < nf; i++) {
		if (strcmp(f[i].kind, "affected") == 0) {
			affected_line(b, &f[i], cv->vendor);
			continue;
		}
		fact_label(b, f[i].kind);
		put(b, f[i].value, 300);
		if (strcmp(f[i].kind, "cvss") == 0)
			buf_printf(b, " (%d.%d %s)", f[i].score10 / 10,
			    f[i].score10 % 10,
			    cvss_severity(f[i].score10));
		buf_putc(b, '\n');
	}
	/* numbered as credit-confirm=N and credit-remove=N take them */
	for (i = 0; i < cv->ncr; i++) {
		buf_printf(b, "Credit:    %zu. ", i + 1);
		if (strcmp(cv->cr[i].choice, "anonymous") == 0)
			buf_puts(b, "anonymous");
		else
			put(b, cv->cr[i].name, 300);
		if (cv->cr[i].organization) {
			buf_puts(b, " (");
			put(b, cv->cr[i].organization, 300);
			buf_putc(b, ')');
		}
		if (cv->cr[i].contact) {
			buf_puts(b, " <");
			put(b, cv->cr[i].contact, 300);
			buf_putc(b, '>');
		}
		buf_printf(b, " [%s, %s, %s]\n", cv->cr[i].choice,
		    cv->cr[i].confirmed ? "confirmed" : "not confirmed",
		    strcmp(cv->cr[i].source, "reporter") == 0 ?
		    "the reporter's mail" : "staff");
	}
	for (i = 0; i < nl; i++) {
		buf_printf(b, "Related:   %s (", l[i].other);
		put(b, l[i].how, 200);
		buf_printf(b, ")\n");
	}
	for (i = 0; i < nm; i++) {
		fmt_utc(m[i].received_at, ISO_FMT, t, sizeof(t));
		buf_printf(b, "\n--- message %zu: %s %s, %s\nFrom: ", i + 1,
		    m[i].direction, m[i].kind, t);	/* ours */
		put(b, m[i].from_addr, 254);
		buf_printf(b, "\nTo: ");
		put(b, m[i].to_addr ? m[i].to_addr : "",
		    254);
		buf_printf(b, "\nSubject: ");
		put(b, m[i].subject, 500);
		buf_printf(b, "\nMessage-ID: <");
		put(b, m[i].message_id ? m[i].message_id :
		    "", 500);
		buf_printf(b, ">\n");
		if (m[i].warnings) {
			buf_printf(b, "Warnings: ");
			put(b, m[i].warnings, 1000);
			buf_putc(b, '\n');
		}
		for (k = 0; k < m[i].natt; k++) {
			buf_printf(b, "Attachment: ");
			put(b, m[i].att[k].name ?
			    m[i].att[k].name : "(unnamed)", 200);
			buf_printf(b, " (");
			put(b, m[i].att[k].type, 200);
			buf_printf(b, ", %lld bytes, sha256 %s)\n",
			    m[i].att[k].size, m[i].att[k].sha256 ?
			    m[i].att[k].sha256 : "-");
		}
		if (m[i].text_source && strcmp(m[i].text_source,
		    "body") != 0) {
			buf_printf(b, "Text from: ");
			put(b, m[i].text_source, 500);
			buf_putc(b, '\n');
		}
		buf_putc(b, '\n');
		if (m[i].text_error) {
			buf_printf(b, "(text unreadable: ");
			put(b, m[i].text_error, 1000);
			buf_printf(b, ")");
		} else
			put(b, m[i].text ? m[i].text : "",
			    100000);
		buf_putc(b, '\n');
	}
	buf_printf(b, "\n--- events\n");
	for (i = 0; i < ne; i++) {
		fmt_utc(ev[i].at, ISO_FMT, t, sizeof(t));
		buf_printf(b, "%s %-16s ", t, ev[i].type);
		put(b, ev[i].detail ? ev[i].detail : "",
		    1000);
		buf_putc(b, '\n');
	}
}
