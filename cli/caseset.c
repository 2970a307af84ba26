/*
 * caseset.c: `case set`, `case list --overdue` and deadlines in JSON.
 * See caseset.h; the changes themselves are pipeline/case.c's.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "agent/agent.h"
#include "pipeline/assess.h"
#include "cli/caseset.h"
#include "pipeline/case.h"
#include "agent/config.h"
#include "out/timers.h"
#include "util/log.h"
#include "out/notice.h"
#include "out/status.h"
#include "util/buf.h"
#include "util/fmt.h"
#include "util/nearest.h"
#include "util/json.h"
#include "util/xmalloc.h"
#include "parsers/cvss.h"
#include "parsers/triage.h"
#include "policies/clocks.h"
#include "policies/policy.h"
#include "policies/template.h"
#include "spool/store.h"
#include "spool/store_clock.h"

#define ISO_FMT	"%Y-%m-%dT%H:%M:%SZ"
int
case_set(struct agent *a, int argc, char **argv)
{
	char	*err = NULL;

	/* argv: "set" ID KEY=VALUE... */
	if (argc < 3) {
		fprintf(stderr, "usage: psirt-agent case set ID KEY=VALUE...\n");
		return EX_USAGE;
	}
	if (agent_open(a, 1, &err) < 0 || store_begin(a->st, &err) == -1) {
		log_warnx("%s", err);
		free(err);
		return EX_TEMPFAIL;
	}
	if (case_apply(a, argv[1], argv + 2, (size_t)(argc - 2), "operator",
	    fmt_now(), &err) == -1) {
		store_rollback(a->st);
		log_warnx("case set %s: %s", argv[1], err ? err : "failed");
		free(err);
		return EX_DATAERR;
	}
	if (store_commit(a->st, &err) == -1) {
		log_warnx("%s", err);
		free(err);
		return EX_TEMPFAIL;
	}
	return EX_OK;
}

/* A deadline's state for people: running past due is missed. */
static const char *
dl_state(const struct store_deadline *d, long long now)
{
	if (strcmp(d->state, "running") == 0 && now > d->due_at)
		return "missed";
	return d->state;
}

void
json_deadlines(struct agent *a, struct json *j, const char *id)
{
	struct store_deadline	*v;
	size_t			 n, i;
	long long		 sent, now = fmt_now();
	char			 t[32], *err = NULL;

	json_key(j, "deadlines");
	json_arr_begin(j);
	if (store_deadlines(a->st, id, &v, &n, &err) == -1) {
		log_warnx("%s", err);
		free(err);
		json_arr_end(j);
		return;
	}
	for (i = 0; i < n; i++) {
		json_obj_begin(j);
		json_kstr(j, "name", v[i].clock);
		fmt_utc(v[i].due_at, ISO_FMT, t, sizeof(t));
		json_kstr(j, "due_at", t);
		json_kstr(j, "state", dl_state(&v[i], now));
		fmt_utc(v[i].started_at, ISO_FMT, t, sizeof(t));
		json_kstr(j, "started_at", t);
		if (v[i].ended_at) {
			fmt_utc(v[i].ended_at, ISO_FMT, t, sizeof(t));
			json_kstr(j, "ended_at", t);
		}
		json_kstr(j, "time_base", v[i].business ? "business" : "wall");
		if (store_escalations_count(a->st, id, v[i].clock, &sent,
		    &err) == -1) {
			free(err);
			err = NULL;
			sent = 0;
		}
		json_kint(j, "escalations_sent", sent);
		json_obj_end(j);
	}
	json_arr_end(j);
	store_deadlines_free(v, n);
}

int
case_overdue(struct agent *a, int as_json)
{
	struct store_deadline	*v;
	struct buf		 b;
	struct json		 j;
	size_t			 n, i;
	long long		 now = fmt_now();
	char			 t[32], late[64], *err = NULL;

	if (store_deadlines_overdue(a->st, now, &v, &n, &err) == -1) {
		log_warnx("%s", err);
		free(err);
		return EX_TEMPFAIL;
	}
	buf_init(&b);
	json_init(&j, &b);
	json_arr_begin(&j);
	if (!as_json)
		printf("%-16s %-18s %-20s %s\n", "ID", "DEADLINE", "DUE",
		    "LATE BY");
	for (i = 0; i < n; i++) {
		fmt_utc(v[i].due_at, ISO_FMT, t, sizeof(t));
		deadline_span(now - v[i].due_at, late, sizeof(late));
		if (as_json) {
			json_obj_begin(&j);
			json_kstr(&j, "id", v[i].case_id);
			json_kstr(&j, "deadline", v[i].clock);
			json_kstr(&j, "due_at", t);
			json_kint(&j, "late_seconds", now - v[i].due_at);
			json_obj_end(&j);
		} else
			printf("%-16s %-18s %-20s %s\n", v[i].case_id,
			    v[i].clock, t, late);
	}
	json_arr_end(&j);
	if (as_json)
		printf("%s\n", b.s);
	buf_free(&b);
	store_deadlines_free(v, n);
	return fflush(stdout) ? EX_IOERR : EX_OK;
}

