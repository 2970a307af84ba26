/*
 * reporters.c: `psirt-agent reporters [--json]`, the reporter
 * relationship record of the guideline's Check phase: per reporter the
 * reports and how many were valid, when, how fast the team answered,
 * how they write, what they find (CWE), how they want to be credited
 * (the newest confirmed credit their own mail stated on their cases;
 * a credit staff added may be a co-finder's, and is not theirs).
 * `psirt-agent halloffame [--format markdown|html]`: the page to
 * publish: each finder as they chose to be credited on THEIR cases
 * (the confirmed credits, by name or handle; anonymous ones never),
 * with the number of valid cases that credit them. A credit belongs to
 * its case, not to the reporter's address: the finder credited on one
 * case is never given the reporter's other cases (a reporter's two
 * reports were once credited to another finder's name this way).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "agent/agent.h"
#include "util/log.h"
#include "util/buf.h"
#include "util/fmt.h"
#include "util/json.h"
#include "util/markup.h"
#include "util/xmalloc.h"
#include "parsers/credit.h"
#include "spool/store.h"
#include "spool/store_credit.h"
#include "spool/store_report.h"

cmd_fn	cmd_reporters, cmd_halloffame;

#define ISO_FMT	"%Y-%m-%dT%H:%M:%SZ"

/* Each reporter's own credit choice: its label, or "anonymous". */
static int
reporter_credits(struct agent *a, struct store_reporter *v, size_t n,
    char **errstr)
{
	struct store_credit	c;
	struct buf		b;
	size_t			i;
	int			r;

	for (i = 0; i < n; i++) {
		if ((r = store_credit_of_reporter(a->st, v[i].addr, &c,
		    errstr)) == -1)
			return -1;
		if (r == 0)
			continue;
		buf_init(&b);
		credit_label(&b, c.choice, c.name, c.organization);
		v[i].credit = b.len ? buf_release(&b) : xstrdup("anonymous");
		buf_free(&b);
		store_credit_clear(&c);
	}
	return 0;
}

/* One finder of the hall of fame: the label and the valid cases. */
struct fame {
	char		*key;		/* choice, name, organization */
	char		*label;
	const char	*case_id;
	long long	 cases;
};

static int
fame_cmp(const void *x, const void *y)
{
	const struct fame	*a = x, *b = y;
	int			 c;

	if ((c = strcmp(a->key, b->key)) != 0)
		return c;
	return strcmp(a->case_id, b->case_id);
}

static int
fame_rank(const void *x, const void *y)
{
	const struct fame	*a = x, *b = y;

	if (a->cases != b->cases)
		return a->cases > b->cases ? -1 : 1;
	return strcmp(a->key, b->key);
}

/* Lower case ASCII, for the key that finds one finder's credits. */
static void
put_lower(struct buf *b, const char *s)
{
	for (; s && *s; s++)
		buf_putc(b, *s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s);
	buf_putc(b, '\x1f');
}

/*
 * The finders: the confirmed, named credits of valid cases, one line
 * per finder (choice, name and organization alike, case aside) with
 * the number of distinct cases that credit them; most first.
 */
static struct fame *
fame_list(struct store_fame *v, size_t n, size_t *np)
{
	struct fame	*f = xreallocarray(NULL, n + 1, sizeof(*f));
	struct buf	 b;
	size_t		 i, k = 0;

	for (i = 0; i < n; i++) {
		buf_init(&b);
		put_lower(&b, v[i].cr.choice);
		put_lower(&b, v[i].cr.name);
		put_lower(&b, v[i].cr.organization);
		f[i].key = buf_release(&b);
		buf_init(&b);
		credit_label(&b, v[i].cr.choice, v[i].cr.name,
		    v[i].cr.organization);
		f[i].label = b.len ? buf_release(&b) : xstrdup("");
		buf_free(&b);
		f[i].case_id = v[i].case_id;
		f[i].cases = 1;
	}
	qsort(f, n, sizeof(*f), fame_cmp);
	for (i = 0; i < n; i++) {
		if (k && strcmp(f[k - 1].key, f[i].key) == 0) {
			/* the same finder again: another case, or twice on
			 * one (counted once) */
			f[k - 1].cases += strcmp(f[k - 1].case_id,
			    f[i].case_id) != 0;
			f[k - 1].case_id = f[i].case_id;
			free(f[i].key);
			free(f[i].label);
			continue;
		}
		f[k++] = f[i];
	}
	qsort(f, k, sizeof(*f), fame_rank);
	*np = k;
	return f;
}

int
cmd_reporters(struct agent *a, int argc, char **argv)
{
	struct store_reporter	*v;
	struct buf		 b;
	struct json		 j;
	char			*err = NULL, t[32], *p, *q;
	size_t			 n, i;
	int			 as_json = argc == 2 && strcmp(argv[1], "--json") == 0;

	if (argc > 2 || (argc == 2 && !as_json)) {
		fprintf(stderr, "usage: psirt-agent reporters [--json]\n");
		return EX_USAGE;
	}
	if (store_reporters(a->st, &v, &n, &err) == -1 ||
	    reporter_credits(a, v, n, &err) == -1) {
		log_warnx("reporters: %s", err);
		free(err);
		return EX_TEMPFAIL;
	}
	if (!as_json)
		printf("%-32s %7s %5s %9s %9s  %s\n", "REPORTER", "REPORTS",
		    "VALID", "REPLY(s)", "ENCRYPTED", "CWE");
	buf_init(&b);
	json_init(&j, &b);
	json_arr_begin(&j);
	for (i = 0; i < n; i++) {
		if (!as_json) {
			printf("%-32.32s %7lld %5lld %9lld %9lld  %s\n",
			    v[i].addr, v[i].reports, v[i].valid,
			    v[i].median_reply, v[i].encrypted, v[i].cwes ?
			    v[i].cwes : "-");
			continue;
		}
		json_obj_begin(&j);
		json_kstr(&j, "address", v[i].addr);
		json_kstr(&j, "name", v[i].name);
		json_kint(&j, "reports", v[i].reports);
		json_kint(&j, "valid", v[i].valid);
		fmt_utc(v[i].first_at, ISO_FMT, t, sizeof(t));
		json_kstr(&j, "first_report_at", t);
		fmt_utc(v[i].last_at, ISO_FMT, t, sizeof(t));
		json_kstr(&j, "last_report_at", t);
		json_key(&j, "median_reply_seconds");
		if (v[i].median_reply >= 0)
			json_int(&j, v[i].median_reply);
		else
			json_null(&j);
		json_kint(&j, "encrypted_reports", v[i].encrypted);
		json_kstr(&j, "preferred_encryption", v[i].encrypted * 2 >
		    v[i].reports ? "yes" : "no");
		json_kstr(&j, "channel", "mail");
		json_key(&j, "expertise");
		json_arr_begin(&j);
		for (p = v[i].cwes; p && *p; p = q ? q + 1 : NULL) {
			q = strchr(p, ',');
			if (q)
				*q = '\0';
			json_str(&j, p);
			if (q == NULL)
				break;
		}
		json_arr_end(&j);
		json_kstr(&j, "credit", v[i].credit);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	if (as_json)
		printf("%s\n", b.s);
	buf_free(&b);
	store_reporters_free(v, n);
	return fflush(stdout) ? EX_IOERR : EX_OK;
}

int
cmd_halloffame(struct agent *a, int argc, char **argv)
{
	struct store_fame	*v;
	struct fame		*f;
	struct buf		 b;
	char			*err = NULL;
	size_t			 n, nf, i;
	int			 html = 0;

	if (argc == 3 && strcmp(argv[1], "--format") == 0 &&
	    (strcmp(argv[2], "html") == 0 || strcmp(argv[2], "markdown") == 0))
		html = argv[2][0] == 'h';
	else if (argc != 1) {
		fprintf(stderr, "usage: psirt-agent halloffame "
		    "[--format markdown|html]\n");
		return EX_USAGE;
	}
	if (store_credits_fame(a->st, &v, &n, &err) == -1) {
		log_warnx("halloffame: %s", err);
		free(err);
		return EX_TEMPFAIL;
	}
	f = fame_list(v, n, &nf);
	buf_init(&b);
	if (html)
		buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
		    "charset=\"utf-8\"><title>Hall of fame</title></head>\n"
		    "<body>\n<h1>Hall of fame</h1>\n<p>We thank these people "
		    "for reporting vulnerabilities to us.</p>\n<ul>\n");
	else
		buf_puts(&b, "# Hall of fame\n\nWe thank these people for "
		    "reporting vulnerabilities to us.\n\n");
	for (i = 0; i < nf; i++) {
		if (html) {
			buf_puts(&b, "<li>");
			markup_html(&b, f[i].label);
			buf_printf(&b, " (%lld report%s)</li>\n", f[i].cases,
			    f[i].cases == 1 ? "" : "s");
		} else {
			buf_puts(&b, "- ");
			markup_md(&b, f[i].label);
			buf_printf(&b, " (%lld report%s)\n", f[i].cases,
			    f[i].cases == 1 ? "" : "s");
		}
		free(f[i].key);
		free(f[i].label);
	}
	free(f);
	if (html)
		buf_puts(&b, "</ul>\n</body></html>\n");
	fwrite(b.s, 1, b.len, stdout);
	buf_free(&b);
	store_fame_free(v, n);
	return fflush(stdout) ? EX_IOERR : EX_OK;
}
