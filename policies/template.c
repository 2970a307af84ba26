/*
 * template.c: load, check and render reply templates.
 *
 * Trust: template files come from the operator and are checked strictly
 * at load; variable values come from reporters and are never trusted:
 * in the Subject they are flattened to one line (header-safe), and the
 * rendered output is bounded by max_out.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/xmalloc.h"
#include "policies/template.h"

const char *const template_variables[] = {
	"case_id", "reporter_name", "reporter_address", "subject", "date",
	"received", "psirt_address", "psirt_name", "psirt_fingerprint",
	"next_step", "next_deadline", "quote", "kind", "psirt_public_key",
	/* escalation mail */
	"clock", "step", "due", "late", "percent", "severity", "level",
	"recipient_name", "role", "responsible", "accountable", "case_summary",
	/* probable duplicates */
	"other_case", "reason",
	/* status replies and notices */
	"note", "status",
	/* team notices (team-notice, team-batch) */
	"event", "elements", "content", "count", "events",
	/* advisories and CVE requests */
	"title", "summary", "cves", "products", "cvss", "cwe", "remediation",
	"mitigation", "credit", "tlp", "references", "release_date",
	"publisher", "embargo",
	/* a member's own words (#reply, #ask) and the wait for an answer */
	"text", "member_name", "asked_at", "reminded_at", "asked_by",
	/* the daily digest, and the coordinator's notice of a key */
	"digest_date", "digest_cases", "digest_overdue_count",
	"digest_today_count", "digest_exceptions_count",
	"digest_review_count", "digest_quarantine_count", "digest_overdue",
	"digest_today", "digest_open", "digest_exceptions", "digest_review",
	"digest_quarantine", "member_address", "member_fingerprint",
	NULL
};

struct template {
	char	*name;
	char	*subject;	/* raw, with ${...}; NULL if none */
	char	*body;		/* raw, with ${...} */
};

static int	 check_vars(const char *, const char *, size_t, char **);
static int	 expand(const char *, const struct tvar *, size_t, int,
		    struct buf *, size_t, char **);
static int	 known(const char *, size_t);

static int
known(const char *name, size_t n)
{
	size_t	i;

	for (i = 0; template_variables[i]; i++)
		if (strlen(template_variables[i]) == n &&
		    strncmp(template_variables[i], name, n) == 0)
			return 1;
	return 0;
}

/* Check every ${...} of one line-numbered section. */
static int
check_vars(const char *file, const char *s, size_t line0, char **errstr)
{
	const char	*p, *e;
	size_t		 line = line0;

	for (p = s; *p; p++) {
		if (*p == '\n')
			line++;
		if (*p != '$')
			continue;
		if (p[1] == '$') {
			p++;
			continue;
		}
		if (p[1] != '{') {
			*errstr = xasprintf("%s:%zu: '$' must start ${name} "
			    "or be written $$", file, line);
			return -1;
		}
		if ((e = strchr(p + 2, '}')) == NULL ||
		    memchr(p + 2, '\n', (size_t)(e - p - 2)) != NULL) {
			*errstr = xasprintf("%s:%zu: unterminated ${", file,
			    line);
			return -1;
		}
		if (!known(p + 2, (size_t)(e - p - 2))) {
			*errstr = xasprintf("%s:%zu: unknown variable ${%.*s}",
			    file, line, (int)(e - p - 2), p + 2);
			return -1;
		}
		p = e;
	}
	return 0;
}

int
template_parse(const char *name, const char *text, size_t len,
    struct template **out, char **errstr)
{
	struct template	*t;
	const char	*p = text, *end = text + len, *nl, *body;
	size_t		 line = 1, body_line;

	if (memchr(text, '\0', len) != NULL) {
		*errstr = xasprintf("%s: contains a NUL byte", name);
		return -1;
	}
	t = xcalloc(1, sizeof(*t));
	t->name = xstrdup(name);
	body = text;
	body_line = 1;
	/* header section: only if the first line looks like "Name:" */
	if (len > 8 && strncasecmp(text, "Subject:", 8) == 0) {
		while (p < end) {
			nl = memchr(p, '\n', (size_t)(end - p));
			if (nl == NULL)
				nl = end;
			if (nl == p || (nl == p + 1 && *p == '\r')) {
				body = nl < end ? nl + 1 : end;
				body_line = line + 1;
				break;
			}
			if ((size_t)(nl - p) > 8 &&
			    strncasecmp(p, "Subject:", 8) == 0) {
				const char	*v = p + 8, *ve = nl;

				while (v < ve && (*v == ' ' || *v == '\t'))
					v++;
				if (ve > v && ve[-1] == '\r')
					ve--;
				free(t->subject);
				t->subject = xstrndup(v, (size_t)(ve - v));
			} else {
				*errstr = xasprintf("%s:%zu: only a Subject: "
				    "header may be set by a template", name,
				    line);
				template_free(&t);
				return -1;
			}
			line++;
			p = nl < end ? nl + 1 : end;
			body = end;
			body_line = line;
		}
	}
	t->body = xstrndup(body, (size_t)(end - body));
	if ((t->subject && check_vars(name, t->subject, 1, errstr) == -1) ||
	    check_vars(name, t->body, body_line, errstr) == -1) {
		template_free(&t);
		return -1;
	}
	*out = t;
	return 0;
}

int
template_load(const char *path, struct template **out, char **errstr)
{
	FILE		*fp;
	struct buf	 b;
	char		 blk[4096];
	size_t		 n;
	int		 rv;

	if ((fp = fopen(path, "r")) == NULL) {
		*errstr = xasprintf("open %s: %s", path, strerror(errno));
		return -1;
	}
	buf_init(&b);
	while ((n = fread(blk, 1, sizeof(blk), fp)) > 0) {
		buf_add(&b, blk, n);
		if (b.len > 1024 * 1024) {
			*errstr = xasprintf("%s: template larger than 1 MB",
			    path);
			fclose(fp);
			buf_free(&b);
			return -1;
		}
	}
	fclose(fp);
	rv = template_parse(path, b.s, b.len, out, errstr);
	buf_free(&b);
	return rv;
}

static int
expand(const char *s, const struct tvar *vars, size_t nvars, int oneline,
    struct buf *out, size_t max_out, char **errstr)
{
	const char	*p, *e, *v;
	size_t		 i;

	for (p = s; *p; p++) {
		if (*p == '$' && p[1] == '$') {
			buf_putc(out, '$');
			p++;
		} else if (*p == '$' && p[1] == '{' &&
		    (e = strchr(p + 2, '}')) != NULL) {
			v = NULL;
			for (i = 0; i < nvars; i++)
				if (strlen(vars[i].name) == (size_t)(e - p - 2)
				    && strncmp(vars[i].name, p + 2,
				    (size_t)(e - p - 2)) == 0) {
					v = vars[i].value;
					break;
				}
			for (; v && *v; v++) {
				if (oneline && ((unsigned char)*v < 0x20 ||
				    *v == 0x7f))
					buf_putc(out, ' ');
				else
					buf_putc(out, *v);
			}
			p = e;
		} else if (oneline && (*p == '\r' || *p == '\n'))
			buf_putc(out, ' ');
		else
			buf_putc(out, *p);
		if (out->len > max_out) {
			*errstr = xasprintf("rendered template exceeds %zu "
			    "bytes", max_out);
			return -1;
		}
	}
	return 0;
}

int
template_render(const struct template *t, const struct tvar *vars,
    size_t nvars, size_t max_out, char **subject, char **body,
    char **errstr)
{
	struct buf	s, b;

	*subject = *body = NULL;
	buf_init(&s);
	buf_init(&b);
	if ((t->subject && expand(t->subject, vars, nvars, 1, &s, max_out,
	    errstr) == -1) || expand(t->body, vars, nvars, 0, &b, max_out,
	    errstr) == -1) {
		buf_free(&s);
		buf_free(&b);
		return -1;
	}
	if (t->subject)
		*subject = buf_release(&s);
	buf_free(&s);
	*body = buf_release(&b);
	return 0;
}

void
template_free(struct template **tp)
{
	if (*tp == NULL)
		return;
	free((*tp)->name);
	free((*tp)->subject);
	free((*tp)->body);
	free(*tp);
	*tp = NULL;
}
