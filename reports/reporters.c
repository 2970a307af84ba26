/*
 * reporters.c: `psirt-agent reporters [--json]`, the reporter
 * relationship record of the guideline's Check phase: per reporter the
 * reports and how many were valid, when, how fast the team answered,
 * how they write, what they find (CWE), how they want to be credited.
 * `psirt-agent halloffame [--format markdown|html]`: the reporters who
 * chose to be credited by name (#credit, not "anonymous"), with their
 * valid reports and CVE IDs, as a page to publish.
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
#include "spool/store.h"
#include "spool/store_report.h"

cmd_fn	cmd_reporters, cmd_halloffame;

#define ISO_FMT	"%Y-%m-%dT%H:%M:%SZ"

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
	if (store_reporters(a->st, &v, &n, &err) == -1) {
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
	struct store_reporter	*v;
	struct buf		 b;
	char			*err = NULL;
	size_t			 n, i;
	int			 html = 0;

	if (argc == 3 && strcmp(argv[1], "--format") == 0 &&
	    (strcmp(argv[2], "html") == 0 || strcmp(argv[2], "markdown") == 0))
		html = argv[2][0] == 'h';
	else if (argc != 1) {
		fprintf(stderr, "usage: psirt-agent halloffame "
		    "[--format markdown|html]\n");
		return EX_USAGE;
	}
	if (store_reporters(a->st, &v, &n, &err) == -1) {
		log_warnx("halloffame: %s", err);
		free(err);
		return EX_TEMPFAIL;
	}
	buf_init(&b);
	if (html)
		buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
		    "charset=\"utf-8\"><title>Hall of fame</title></head>\n"
		    "<body>\n<h1>Hall of fame</h1>\n<p>We thank these people "
		    "for reporting vulnerabilities to us.</p>\n<ul>\n");
	else
		buf_puts(&b, "# Hall of fame\n\nWe thank these people for "
		    "reporting vulnerabilities to us.\n\n");
	for (i = 0; i < n; i++) {
		/* named only by their own choice */
		if (v[i].credit == NULL || strcasecmp(v[i].credit,
		    "anonymous") == 0 || v[i].valid == 0)
			continue;
		if (html) {
			buf_puts(&b, "<li>");
			markup_html(&b, v[i].credit);
			buf_printf(&b, " (%lld report%s)</li>\n", v[i].valid,
			    v[i].valid == 1 ? "" : "s");
		} else {
			buf_puts(&b, "- ");
			markup_md(&b, v[i].credit);
			buf_printf(&b, " (%lld report%s)\n", v[i].valid,
			    v[i].valid == 1 ? "" : "s");
		}
	}
	if (html)
		buf_puts(&b, "</ul>\n</body></html>\n");
	fwrite(b.s, 1, b.len, stdout);
	buf_free(&b);
	store_reporters_free(v, n);
	return fflush(stdout) ? EX_IOERR : EX_OK;
}
