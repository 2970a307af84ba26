/*
 * cli.c: the staff commands `case list|show`, `queue list`, `process`
 * and `inspect`, with text or --json output.
 *
 * The JSON of `case list` and `case show` is a contract (psirt-agent(8)):
 * case objects have id, kind, status, subject, reporter, reporter_name,
 * source, lang, created_at, updated_at, no_reply_address; `case show`
 * adds messages (each with message_id, queue_id, direction, kind, from,
 * from_name, sender_source, to,
 * subject, date,
 * received_at, text, warnings, facts, attachments [name, type, size,
 * sha256]) and events (at, type, detail, actor). Times are ISO 8601 UTC.
 * Text output replaces control characters so no stored value can drive
 * the terminal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "agent/agent.h"
#include "cli/commands.h"
#include "pipeline/assess.h"
#include "cli/audit.h"
#include "cli/caseset.h"
#include "pipeline/case.h"
#include "agent/config.h"
#include "out/digest.h"
#include "out/timers.h"
#include "pipeline/ask.h"
#include "reports/caseview.h"
#include "util/log.h"
#include "pipeline/process.h"
#include "reports/find.h"
#include "util/buf.h"
#include "util/fmt.h"
#include "util/json.h"
#include "util/markup.h"
#include "util/xmalloc.h"
#include "parsers/cvss.h"
#include "parsers/mailkind.h"
#include "parsers/mime.h"
#include "parsers/triage.h"
#include "policies/policy.h"
#include "policies/raci.h"
#include "spool/queue.h"
#include "spool/store.h"
#include "spool/store_case.h"
#include "spool/store_msg.h"
#include "spool/store_out.h"
#include "spool/vault.h"

cmd_fn	cmd_case;
cmd_fn	cmd_queue;
cmd_fn	cmd_process;
cmd_fn	cmd_inspect;
cmd_fn	cmd_policy;
cmd_fn	cmd_config;

#define ISO_FMT	"%Y-%m-%dT%H:%M:%SZ"

static void	 json_case(struct json *, const struct store_case *);
static void	 put_safe(FILE *, const char *, size_t);
static int	 out(struct buf *);
static int	 case_merge(struct agent *, const char *, const char *);
static int	 queue_release(struct agent *, const char *);
static void	 sign_head(struct agent *);
static int	 case_attachment(struct agent *, const char *, const char *);

/* Text for a terminal (util/markup.h): at most max bytes. */
static void
put_safe(FILE *fp, const char *s, size_t max)
{
	struct buf	b;

	buf_init(&b);
	markup_term(&b, s, max, 1);
	fwrite(b.s, 1, b.len, fp);
	buf_free(&b);
}

static int
out(struct buf *b)
{
	buf_putc(b, '\n');
	if (fwrite(b->s, 1, b->len, stdout) != b->len || fflush(stdout)) {
		buf_free(b);
		return EX_IOERR;
	}
	buf_free(b);
	return EX_OK;
}

static void
json_case(struct json *j, const struct store_case *c)
{
	char	t[32];

	json_kstr(j, "id", c->id);
	json_kstr(j, "kind", c->kind);
	json_kstr(j, "status", c->status);
	json_kstr(j, "subject", c->subject);
	json_kstr(j, "reporter", c->reporter);
	json_kstr(j, "reporter_name", c->reporter_name);
	/* the one case without a reporter: no address anywhere */
	json_key(j, "no_reply_address");
	json_bool(j, c->reporter == NULL);
	json_kstr(j, "source", c->source);
	json_kstr(j, "lang", c->lang);
	fmt_utc(c->created_at, ISO_FMT, t, sizeof(t));
	json_kstr(j, "created_at", t);
	fmt_utc(c->updated_at, ISO_FMT, t, sizeof(t));
	json_kstr(j, "updated_at", t);
	json_kstr(j, "tlp", c->tlp);
	json_key(j, "hold");
	json_bool(j, c->hold != NULL);
	json_kstr(j, "severity", c->severity);
	json_kstr(j, "severity_by", c->severity_by);
	json_key(j, "level");
	if (c->level)
		json_int(j, c->level);
	else
		json_null(j);
}

/* "cves", "cves_mentioned", "cwes", "cvss" and "related" of a case
 * (case show). */
static void
json_triage(struct json *j, const struct store_fact *f, size_t nf,
    const struct store_link *l, size_t nl)
{
	static const char *const lists[][2] = { { "cve", "cves" },
	    { "cve-mentioned", "cves_mentioned" },
	    { "cwe", "cwes" }, { "tag", "tags" }, { "assign", "assigned" } };
	static const char *const ones[] = { "product", "version", "module",
	    "origin" };
	const char	*v;
	size_t		 i, k;
	char		 sc[32];

	for (k = 0; k < sizeof(lists) / sizeof(lists[0]); k++) {
		json_key(j, lists[k][1]);
		json_arr_begin(j);
		for (i = 0; i < nf; i++)
			if (strcmp(f[i].kind, lists[k][0]) == 0)
				json_str(j, f[i].value);
		json_arr_end(j);
	}
	for (k = 0; k < sizeof(ones) / sizeof(ones[0]); k++) {
		for (v = NULL, i = 0; v == NULL && i < nf; i++)
			if (strcmp(f[i].kind, ones[k]) == 0)
				v = f[i].value;
		json_kstr(j, ones[k], v);
	}
	/* why its deadlines were missed (case set overrun-reason=) */
	for (v = NULL, i = 0; v == NULL && i < nf; i++)
		if (strcmp(f[i].kind, "overrun-reason") == 0)
			v = f[i].value;
	json_kstr(j, "overrun_reason", v);
	json_key(j, "cvss");
	json_arr_begin(j);
	for (i = 0; i < nf; i++) {
		if (strcmp(f[i].kind, "cvss") != 0)
			continue;
		json_obj_begin(j);
		snprintf(sc, sizeof(sc), "%d.%d", f[i].version / 10,
		    f[i].version % 10);
		json_kstr(j, "version", sc);
		json_kstr(j, "vector", f[i].value);
		json_key(j, "base_score");
		snprintf(sc, sizeof(sc), "%d.%d", f[i].score10 / 10,
		    f[i].score10 % 10);
		json_raw(j, sc);
		json_kstr(j, "severity", cvss_severity(f[i].score10));
		json_kstr(j, "queue_id", f[i].qid);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_key(j, "related");
	json_arr_begin(j);
	for (i = 0; i < nl; i++) {
		json_obj_begin(j);
		json_kstr(j, "id", l[i].other);
		json_kstr(j, "how", l[i].how);
		json_obj_end(j);
	}
	json_arr_end(j);
}

/* "credits" of a case (case show): in the order recorded, so that the
 * Nth is credit-confirm=N's and credit-remove=N's. */
static void
json_credits(struct json *j, const struct store_credit *c, size_t n)
{
	size_t	i;
	char	t[32];

	json_key(j, "credits");
	json_arr_begin(j);
	for (i = 0; i < n; i++) {
		json_obj_begin(j);
		json_kint(j, "number", (long long)i + 1);
		json_kstr(j, "name", c[i].name);
		json_kstr(j, "organization", c[i].organization);
		json_kstr(j, "contact", c[i].contact);
		json_kstr(j, "choice", c[i].choice);
		json_key(j, "confirmed");
		json_bool(j, c[i].confirmed);
		json_kstr(j, "source", c[i].source);
		fmt_utc(c[i].at, ISO_FMT, t, sizeof(t));
		json_kstr(j, "at", t);
		json_obj_end(j);
	}
	json_arr_end(j);
}

/* One stored message as a JSON object (case show, held messages). */
static void
json_message(struct json *j, const struct store_message *m)
{
	size_t	k;
	char	t[32];

	json_obj_begin(j);
	json_kstr(j, "message_id", m->message_id);
	json_kstr(j, "queue_id", m->qid);
	json_kstr(j, "direction", m->direction);
	json_kstr(j, "kind", m->kind);
	json_kstr(j, "from", m->from_addr);
	json_kstr(j, "from_name", m->from_name);
	json_kstr(j, "sender_source", m->sender_source);
	json_kstr(j, "to", m->to_addr);
	json_kstr(j, "subject", m->subject);
	json_kstr(j, "date", m->date);
	fmt_utc(m->received_at, ISO_FMT, t, sizeof(t));
	json_kstr(j, "received_at", t);
	json_kstr(j, "text", m->text);
	json_kstr(j, "text_source", m->text_source);
	if (m->text_error)
		json_kstr(j, "text_error", m->text_error);
	json_kstr(j, "warnings", m->warnings);
	json_key(j, "facts");
	json_raw(j, m->facts);
	json_kstr(j, "encryption", m->encryption);
	json_key(j, "decrypted");
	json_bool(j, m->decrypted);
	json_kstr(j, "decrypt_error", m->decrypt_error);
	json_key(j, "signature");
	json_raw(j, m->signature);
	json_key(j, "attachments");
	json_arr_begin(j);
	for (k = 0; k < m->natt; k++) {
		json_obj_begin(j);
		json_kstr(j, "name", m->att[k].name);
		json_kstr(j, "type", m->att[k].type);
		json_kint(j, "size", m->att[k].size);
		json_kstr(j, "sha256", m->att[k].sha256);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

/*
 * Texts sealed in the vault, for display. A file that does not open
 * (tampered, truncated, another key) leaves text null and says why in
 * text_error; it is never shown as if it were the text.
 */
static void
json_messages(struct json *j, const struct store_message *m, size_t n)
{
	size_t	i;

	json_arr_begin(j);
	for (i = 0; i < n; i++)
		json_message(j, &m[i]);
	json_arr_end(j);
}

static int
case_list(struct agent *a, int as_json)
{
	struct store_case	*v;
	struct buf		 b;
	struct json		 j;
	size_t			 n, i, rl;
	char			*err = NULL, t[32];
	int			 rv = EX_OK;

	if (store_case_list(a->st, &v, &n, &err) == -1) {
		log_warnx("%s", err);
		free(err);
		return EX_TEMPFAIL;
	}
	if (as_json) {
		buf_init(&b);
		json_init(&j, &b);
		json_arr_begin(&j);
		for (i = 0; i < n; i++) {
			json_obj_begin(&j);
			json_case(&j, &v[i]);
			json_obj_end(&j);
		}
		json_arr_end(&j);
		rv = out(&b);
	} else {
		printf("%-16s %-13s %-8s %-20s %-28s %s\n", "ID", "KIND",
		    "STATUS", "CREATED", "REPORTER", "SUBJECT");
		for (i = 0; i < n; i++) {
			fmt_utc(v[i].created_at, ISO_FMT, t, sizeof(t));
			printf("%-16s %-13s %-8s %-20s ", v[i].id, v[i].kind,
			    v[i].status, t);
			put_safe(stdout, v[i].reporter ? v[i].reporter :
			    "(no reply address)", 28);
			rl = strlen(v[i].reporter ? v[i].reporter :
			    "(no reply address)");
			printf("%*s ", (int)(rl > 28 ? 0 : 28 - rl), "");
			put_safe(stdout, v[i].subject, 200);
			putchar('\n');
		}
		if (fflush(stdout))
			rv = EX_IOERR;
	}
	for (i = 0; i < n; i++)
		store_case_free(&v[i]);
	free(v);
	return rv;
}

static int
case_show(struct agent *a, const char *id, int as_json)
{
	struct caseview		 cv;
	size_t			 i;
	struct buf		 b;
	struct json		 j;
	char			*err = NULL, t[32];
	int			 r;

	if ((r = caseview_load(a, id, &cv, &err)) != 1) {
		if (r == 0)
			log_warnx("no case %s", id);
		else {
			log_warnx("%s", err);
			free(err);
		}
		return r == 0 ? EX_DATAERR : EX_TEMPFAIL;
	}
	buf_init(&b);
	if (as_json) {
		json_init(&j, &b);
		json_obj_begin(&j);
		json_case(&j, &cv.c);
		json_triage(&j, cv.f, cv.nf, cv.l, cv.nl);
		json_credits(&j, cv.cr, cv.ncr);
		caseview_affected_json(&cv, &j);
		json_deadlines(a, &j, cv.c.id);
		json_key(&j, "messages");
		json_messages(&j, cv.m, cv.nm);
		json_key(&j, "events");
		json_arr_begin(&j);
		for (i = 0; i < cv.ne; i++) {
			json_obj_begin(&j);
			fmt_utc(cv.ev[i].at, ISO_FMT, t, sizeof(t));
			json_kstr(&j, "at", t);
			json_kstr(&j, "type", cv.ev[i].type);
			json_kstr(&j, "detail", cv.ev[i].detail);
			json_kstr(&j, "actor", cv.ev[i].actor);
			json_obj_end(&j);
		}
		json_arr_end(&j);
		json_obj_end(&j);
		r = out(&b);
	} else {
		caseview_text(&cv, &b);
		r = fwrite(b.s, 1, b.len, stdout) != b.len || fflush(stdout) ?
		    EX_IOERR : EX_OK;
		buf_free(&b);
	}
	caseview_free(&cv);
	return r;
}

/*
 * `case merge A B`: B (its messages, events, replies, facts, links) into
 * A, in one transaction; B's ID keeps finding A. TLP: the stricter of
 * the two; the severity again from all CVSS facts unless staff set it.
 */
static int
case_merge(struct agent *a, const char *into, const char *from)
{
	char	*err = NULL;
	int	 r;

	if (agent_open(a, 1, &err) < 0 || store_begin(a->st, &err) == -1) {
		log_warnx("case merge: %s", err);
		free(err);
		return EX_TEMPFAIL;
	}
	if ((r = case_merge_apply(a, into, from, "operator", &err)) != 0 ||
	    store_commit(a->st, &err) == -1) {
		store_rollback(a->st);
		log_warnx("case merge: %s", err ? err : "failed");
		free(err);
		return r == 1 ? EX_DATAERR : EX_TEMPFAIL;
	}
	return fflush(stdout) ? EX_IOERR : EX_OK;
}

/*
 * `case list` with filters, and `case search WORDS...` (which takes the
 * same filters): reports/find.c finds, the table or JSON is its. A bad
 * filter is a usage error (64), named.
 */
static int
case_find(struct agent *a, int argc, char **argv, int search)
{
	struct find_filter	 f;
	struct find_row		*rows;
	struct buf		 b, words;
	size_t			 n;
	char			*err = NULL, *eq, nm[32];
	int			 i, as_json = 0, opts = 1, r;

	memset(&f, 0, sizeof(f));
	buf_init(&words);
	for (i = 2; i < argc; i++) {
		if (opts && strcmp(argv[i], "--") == 0) {
			opts = 0;
			continue;
		}
		if (opts && strcmp(argv[i], "--json") == 0) {
			as_json = 1;
			continue;
		}
		if (!opts || strncmp(argv[i], "--", 2) != 0) {
			if (!search)
				goto usage;
			if (words.len)
				buf_putc(&words, ' ');
			buf_puts(&words, argv[i]);
			continue;
		}
		/* --name value, or --name=value (the value stays in
		 * argv: find_filter_set keeps it) */
		if ((eq = strchr(argv[i], '=')) != NULL) {
			snprintf(nm, sizeof(nm), "%.*s", (int)(eq - argv[i] -
			    2), argv[i] + 2);
			eq++;
		} else {
			snprintf(nm, sizeof(nm), "%s", argv[i] + 2);
			if (strcmp(nm, "overdue") != 0) {
				if (i + 1 == argc) {
					fprintf(stderr, "psirt-agent case %s: "
					    "%s needs a value\n", argv[1],
					    argv[i]);
					goto bad;
				}
				eq = argv[++i];
			}
		}
		r = find_filter_set(&f, nm, eq, &err);
		if (r == -1) {
			fprintf(stderr, "psirt-agent case %s: %s\n", argv[1],
			    err);
			free(err);
			goto bad;
		}
	}
	if (search) {
		if (words.len == 0) {
			fprintf(stderr, "psirt-agent case search: no words to "
			    "look for\n");
			goto bad;
		}
		f.words = words.s;
	}
	if ((r = find_filter_check(a, &f, &err)) != 0) {
		log_warnx("case %s: %s", argv[1], err);
		free(err);
		buf_free(&words);
		return r == -1 ? EX_USAGE : EX_TEMPFAIL;
	}
	if (find_cases(a, &f, &rows, &n, &err) == -1) {
		log_warnx("case %s: %s", argv[1], err);
		free(err);
		buf_free(&words);
		return EX_TEMPFAIL;
	}
	buf_free(&words);
	buf_init(&b);
	find_render(rows, n, as_json, &b);
	find_rows_free(rows, n);
	r = fwrite(b.s, 1, b.len, stdout) != b.len || fflush(stdout) ?
	    EX_IOERR : EX_OK;
	buf_free(&b);
	return r;
usage:
	fprintf(stderr, "psirt-agent case %s: \"%s\" is not an option "
	    "of case %s\n", argv[1], argv[i], argv[1]);
bad:
	buf_free(&words);
	return EX_USAGE;
}

int
cmd_case(struct agent *a, int argc, char **argv)
{
	int	as_json = 0, i, nargs = 0, filters = 0;
	char	*args[2] = { NULL, NULL };

	if (argc == 4 && strcmp(argv[1], "attachment") == 0)
		return case_attachment(a, argv[2], argv[3]);
	if (argc == 4 && strcmp(argv[1], "merge") == 0)
		return case_merge(a, argv[2], argv[3]);
	if (argc >= 2 && strcmp(argv[1], "set") == 0)
		return case_set(a, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "search") == 0)
		return case_find(a, argc, argv, 1);
	/* list with a filter (--overdue alone keeps its own listing, the
	 * late deadlines) */
	for (i = 2; argc >= 2 && strcmp(argv[1], "list") == 0 && i < argc;
	    i++)
		if (strcmp(argv[i], "--json") != 0 &&
		    strcmp(argv[i], "--overdue") != 0)
			filters = 1;
	if (filters)
		return case_find(a, argc, argv, 0);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			as_json = 1;
		else if (nargs < 2)
			args[nargs++] = argv[i];
		else
			goto usage;
	}
	if (nargs == 1 && strcmp(args[0], "list") == 0)
		return case_list(a, as_json);
	if (nargs == 2 && strcmp(args[0], "list") == 0 &&
	    strcmp(args[1], "--overdue") == 0)
		return case_overdue(a, as_json);
	if (nargs == 2 && strcmp(args[0], "show") == 0)
		return case_show(a, args[1], as_json);
usage:
	fprintf(stderr, "usage: psirt-agent case list [--status S] [--kind K] "
	    "[--severity S]\n"
	    "           [--product P] [--reporter A] [--assigned ROLE|ADDR] "
	    "[--overdue]\n"
	    "           [--since DATE] [--json]\n"
	    "       psirt-agent case search WORDS... [--json]\n"
	    "       psirt-agent case show ID [--json]\n"
	    "       psirt-agent case attachment ID SHA256 >FILE\n"
	    "       psirt-agent case merge INTO FROM\n"
	    "       psirt-agent case set ID KEY=VALUE...\n"
	    "       psirt-agent case list --overdue [--json]\n");
	return EX_USAGE;
}

/*
 * `case attachment ID SHA256`: an attachment of the case (decrypted if
 * it came encrypted) on standard output, from the vault.
 */
static int
case_attachment(struct agent *a, const char *id, const char *sha)
{
	struct store_message	*m;
	struct vault		*v;
	unsigned char		*plain = NULL;
	size_t			 nm, i, k, len = 0;
	char			*err = NULL;
	const char		*ref = NULL;
	int			 rv = EX_DATAERR;

	if (store_messages(a->st, id, &m, &nm, &err) == -1) {
		log_warnx("%s", err);
		free(err);
		return EX_TEMPFAIL;
	}
	for (i = 0; i < nm && ref == NULL; i++)
		for (k = 0; k < m[i].natt && ref == NULL; k++)
			if (m[i].att[k].sha256 && m[i].att[k].ref &&
			    strcasecmp(m[i].att[k].sha256, sha) == 0)
				ref = m[i].att[k].ref;
	if (ref == NULL)
		log_warnx("case %s has no stored attachment %s", id, sha);
	else if ((v = agent_vault(a, &err)) == NULL ||
	    vault_get(v, ref, &plain, &len, &err) == -1) {
		log_warnx("%s", err);
		free(err);
	} else {
		rv = fwrite(plain, 1, len, stdout) == len &&
		    fflush(stdout) == 0 ? EX_OK : EX_IOERR;
		vault_free_plain(plain);
	}
	store_messages_free(m, nm);
	return rv;
}

/*
 * `queue list`: every spool file not yet archived, with its queue,
 * the recorded reason and, for held messages, what they were; then
 * every reply still waiting in the outbox, with its last error.
 */
/*
 * `queue requeue QID...`: a quarantined or deferred message goes back to
 * incoming/ with its attempts reset, for the next run (after the cause,
 * a limit say, was fixed). Held the runner lock, so no run moves it
 * meanwhile. Held messages are stored already and are not requeued.
 */
static int
queue_requeue(struct agent *a, int argc, char **argv)
{
	static const enum queue_dir from[] = { Q_QUARANTINE, Q_DEFERRED };
	const char	*spool = a->cf->spool_directory;
	char		*path, *err = NULL;
	size_t		 k;
	int		 i, lock, rv = EX_OK, found;

	if ((lock = queue_lock(spool, 1)) < 0) {
		log_warn("lock %s/runner.lock", spool);
		return EX_TEMPFAIL;
	}
	for (i = 2; i < argc; i++) {
		found = 0;
		for (k = 0; k < sizeof(from) / sizeof(from[0]) && !found;
		    k++) {
			path = queue_path(spool, from[k], argv[i]);
			found = access(path, F_OK) == 0;
			free(path);
			if (!found)
				continue;
			if (store_queue_del(a->st, argv[i], &err) == -1 ||
			    queue_move(spool, argv[i], from[k], Q_INCOMING,
			    &err) == -1) {
				log_warnx("%s", err);
				free(err);
				err = NULL;
				rv = EX_TEMPFAIL;
				continue;
			}
			log_set_id(argv[i]);
			log_info("requeued from %s by the operator",
			    queue_dir_name(from[k]));
			log_set_id(NULL);
			printf("%s requeued\n", argv[i]);
		}
		if (!found) {
			log_warnx("%s: not in quarantine or deferred", argv[i]);
			rv = EX_DATAERR;
		}
	}
	close(lock);
	return rv;
}

/* `queue release MESSAGE-ID`: a mail held for review goes out. */
static int
queue_release(struct agent *a, const char *mid)
{
	char	*err = NULL, *case_id = NULL, *d;
	int	 r;

	if (store_begin(a->st, &err) == -1 || (r = store_outbox_release(
	    a->st, mid, &case_id, &err)) == -1) {
		store_rollback(a->st);
		log_warnx("queue release: %s", err);
		free(err);
		return EX_TEMPFAIL;
	}
	if (r == 0) {
		store_rollback(a->st);
		log_warnx("queue release: no mail held for review with "
		    "Message-ID %s", mid);
		return EX_DATAERR;
	}
	d = xasprintf("%s released from review by the operator", mid);
	if ((case_id && store_event_add(a->st, case_id, "released", d,
	    "operator", &err) == -1) || store_commit(a->st, &err) == -1) {
		store_rollback(a->st);
		log_warnx("queue release: %s", err);
		free(err);
		free(d);
		free(case_id);
		return EX_TEMPFAIL;
	}
	free(d);
	free(case_id);
	return EX_OK;
}

int
cmd_queue(struct agent *a, int argc, char **argv)
{
	static const enum queue_dir dirs[] = { Q_INCOMING, Q_ACTIVE,
	    Q_DEFERRED, Q_HOLD, Q_QUARANTINE };
	struct store_queue_entry qe;
	struct store_message	*held;
	struct store_outbox	*ob;
	struct buf		 b;
	struct json		 j;
	size_t			 nheld, n, i, k, h, nob;
	char			**ids, *err = NULL, t[32];
	int			 as_json = 0, r;

	if (argc >= 3 && strcmp(argv[1], "requeue") == 0)
		return queue_requeue(a, argc, argv);
	if (argc == 3 && strcmp(argv[1], "release") == 0)
		return queue_release(a, argv[2]);
	for (i = 1; i < (size_t)argc; i++)
		if (strcmp(argv[i], "--json") == 0)
			as_json = 1;
		else if (strcmp(argv[i], "list") != 0) {
			fprintf(stderr, "usage: psirt-agent queue list "
			    "[--json]\n"
			    "       psirt-agent queue requeue QUEUE-ID...\n"
			    "       psirt-agent queue release MESSAGE-ID\n");
			return EX_USAGE;
		}
	if (store_messages(a->st, NULL, &held, &nheld, &err) == -1) {
		log_warnx("%s", err);
		free(err);
		return EX_TEMPFAIL;
	}
	if (as_json)
		caseview_unseal(a, held, nheld);
	buf_init(&b);
	json_init(&j, &b);
	json_arr_begin(&j);
	if (!as_json)
		printf("%-26s %-10s %-8s %s\n", "QUEUE-ID", "QUEUE",
		    "TRIES", "REASON");
	for (k = 0; k < sizeof(dirs) / sizeof(dirs[0]); k++) {
		if (queue_list(a->cf->spool_directory, dirs[k], &ids, &n,
		    &err) == -1) {
			log_warnx("%s", err);
			free(err);
			err = NULL;
			continue;
		}
		for (i = 0; i < n; i++) {
			r = store_queue_get(a->st, ids[i], &qe, &err);
			if (r == -1) {
				free(err);
				err = NULL;
			}
			for (h = 0; h < nheld; h++)
				if (held[h].qid &&
				    strcmp(held[h].qid, ids[i]) == 0)
					break;
			if (as_json) {
				json_obj_begin(&j);
				json_kstr(&j, "queue_id", ids[i]);
				json_kstr(&j, "queue",
				    queue_dir_name(dirs[k]));
				json_kstr(&j, "reason", r == 1 ? qe.reason :
				    NULL);
				json_kint(&j, "attempts", r == 1 ?
				    qe.attempts : 0);
				if (r == 1 && qe.next_try) {
					fmt_utc(qe.next_try, ISO_FMT, t, sizeof(t));
					json_kstr(&j, "next_try", t);
				}
				if (h < nheld) {
					json_kstr(&j, "kind", held[h].kind);
					json_kstr(&j, "from",
					    held[h].from_addr);
					json_kstr(&j, "subject",
					    held[h].subject);
					json_key(&j, "facts");
					json_raw(&j, held[h].facts);
					json_key(&j, "message");
					json_message(&j, &held[h]);
				}
				json_obj_end(&j);
			} else {
				printf("%-26s %-10s %-8lld ", ids[i],
				    queue_dir_name(dirs[k]), r == 1 ?
				    qe.attempts : 0LL);
				put_safe(stdout, r == 1 && qe.reason ?
				    qe.reason : "-", 300);
				if (h < nheld) {
					printf(" [");
					put_safe(stdout, held[h].subject, 80);
					printf("]");
				}
				putchar('\n');
			}
			if (r == 1)
				store_queue_clear(&qe);
		}
		queue_list_free(ids, n);
	}
	if (store_outbox_pending(a->st, &ob, &nob, &err) == -1) {
		log_warnx("%s", err);
		free(err);
		err = NULL;
		nob = 0;
		ob = NULL;
	}
	for (i = 0; i < nob; i++) {
		if (as_json) {
			json_obj_begin(&j);
			json_kstr(&j, "queue_id", ob[i].message_id);
			json_kstr(&j, "queue", strcmp(ob[i].state, "review") ==
			    0 ? "review" : "outbox");
			json_kstr(&j, "reason", ob[i].last_error);
			json_kint(&j, "attempts", ob[i].attempts);
			fmt_utc(ob[i].next_try, ISO_FMT, t, sizeof(t));
			json_kstr(&j, "next_try", t);
			json_kstr(&j, "kind", ob[i].kind);
			json_kstr(&j, "case", ob[i].case_id);
			json_kstr(&j, "to", ob[i].rcpt);
			json_obj_end(&j);
		} else {
			/* the whole Message-ID: queue release takes it */
			printf("%-26s %-10s %-8lld %s to %s",
			    ob[i].message_id, strcmp(ob[i].state, "review") ==
			    0 ? "review" : "outbox", ob[i].attempts,
			    ob[i].kind, ob[i].rcpt);
			if (ob[i].last_error) {
				printf(": ");
				put_safe(stdout, ob[i].last_error, 300);
			}
			putchar('\n');
		}
	}
	store_outbox_free(ob, nob);
	json_arr_end(&j);
	store_messages_free(held, nheld);
	if (as_json)
		return out(&b);
	buf_free(&b);
	return fflush(stdout) ? EX_IOERR : EX_OK;
}

int
cmd_process(struct agent *a, int argc, char **argv)
{
	int	r, background = 0;

	if (strcmp(argv[0], "tick") == 0) {
		/* the timer's run: the deadlines' escalations, then
		 * whatever is due in the queue and the outbox, waiting
		 * for a run already at work */
		long long	 now = fmt_now();
		char		*err = NULL;

		if (argc == 3 && strcmp(argv[1], "--now") == 0) {
			if (fmt_parse_time(argv[2], &now) == -1) {
				fprintf(stderr, "tick --now: \"%s\" is not "
				    "@EPOCH or YYYY-MM-DD[THH:MM[:SS]Z]\n",
				    argv[2]);
				return EX_USAGE;
			}
		} else if (argc != 1) {
			fprintf(stderr, "usage: psirt-agent tick "
			    "[--now TIME]\n");
			return EX_USAGE;
		}
		if (deadline_tick(a, now, &err) == -1 ||
		    ask_tick(a, now, &err) == -1) {
			log_warnx("tick: %s", err ? err : "failed");
			free(err);
			return EX_TEMPFAIL;
		}
		/* a digest that fails waits for the next tick; the rest
		 * of the tick goes on */
		if (digest_tick(a, now, &err) == -1) {
			log_warnx("tick: digest: %s", err ? err : "failed");
			free(err);
			err = NULL;
		}
		r = process_queue(a, 1);
		expire_daily(a, now);
		sign_head(a);
		if (r < 0)
			return EX_TEMPFAIL;
		queue_stamp(a->cf->spool_directory, "tick", now);
		return EX_OK;
	}
	if (argc >= 3 && strcmp(argv[1], "--retry") == 0) {
		r = process_retry(a, argv + 2, (size_t)(argc - 2));
		return r < 0 ? EX_TEMPFAIL : r > 0 ? EX_DATAERR : EX_OK;
	}
	if (argc == 2 && strcmp(argv[1], "--background") == 0)
		background = 1;
	else if (argc > 1) {
		fprintf(stderr, "usage: psirt-agent process [--background] | "
		    "process --retry QUEUE-ID...\n");
		return EX_USAGE;
	}
	/* --background: started by deliver; leave at once if a runner is
	 * at work (it will see our message) */
	r = process_queue(a, !background);
	sign_head(a);
	return r < 0 ? EX_TEMPFAIL : EX_OK;
}

/* After a run: the chain's head signed (a failure is logged; the next
 * run signs it). */
static void
sign_head(struct agent *a)
{
	char	*err = NULL;

	if (a->st && audit_sign_head(a, &err) == -1) {
		log_warnx("audit: %s", err);
		free(err);
	}
}

/*
 * `inspect [FILE]`: parse one message (stdin or FILE) and print what the
 * agent sees, as JSON, without storing anything (like postcat(1)).
 */
int
cmd_inspect(struct agent *a, int argc, char **argv)
{
	struct mime_msg		*m;
	struct mail_class	 cls;
	struct buf		 in, b;
	struct json		 j;
	FILE			*fp = stdin;
	char			 blk[65536], *err = NULL;
	const char		*sender = NULL;
	size_t			 n, i;
	int			 ch;

	optind = 1;
	while ((ch = getopt(argc, argv, "f:")) != -1) {
		if (ch != 'f') {
			fprintf(stderr, "usage: psirt-agent inspect "
			    "[-f sender] [file]\n");
			return EX_USAGE;
		}
		sender = optarg;
	}
	if (optind < argc && (fp = fopen(argv[optind], "r")) == NULL) {
		log_warn("open %s", argv[optind]);
		return EX_NOINPUT;
	}
	buf_init(&in);
	while ((n = fread(blk, 1, sizeof(blk), fp)) > 0) {
		buf_add(&in, blk, n);
		if (in.len > a->cf->limits.message_size) {
			log_warnx("larger than message_size_limit");
			buf_free(&in);
			return EX_DATAERR;
		}
	}
	if (fp != stdin)
		fclose(fp);
	i = 0;
	if (in.len >= 5 && memcmp(in.s, "From ", 5) == 0) {
		char	*nl = memchr(in.s, '\n', in.len);

		i = nl ? (size_t)(nl - in.s) + 1 : in.len;
	}
	if (mime_parse(in.s + i, in.len - i, &a->cf->limits, &m,
	    &err) == -1) {
		printf("{\"error\":\"");
		buf_init(&b);
		json_escape(&b, err);
		printf("%s\"}\n", b.s);
		buf_free(&b);
		free(err);
		buf_free(&in);
		return EX_DATAERR;
	}
	mailkind_classify(m, sender, &cls);
	buf_init(&b);
	json_init(&j, &b);
	json_obj_begin(&j);
	json_kstr(&j, "subject", m->subject);
	json_kstr(&j, "from", m->from.addr);
	json_kstr(&j, "from_name", m->from.name);
	json_kstr(&j, "reply_to", m->reply_to.addr);
	json_kstr(&j, "message_id", m->message_id);
	json_kstr(&j, "date", m->date);
	json_kstr(&j, "content_type", m->content_type);
	json_kstr(&j, "class", mailkind_name(cls.kind));
	json_kstr(&j, "evidence", cls.evidence[0] ? cls.evidence : NULL);
	json_key(&j, "is_bounce");
	json_bool(&j, cls.kind == MAIL_BOUNCE);
	json_key(&j, "is_autoreply");
	json_bool(&j, cls.kind == MAIL_AUTOREPLY);
	json_key(&j, "is_feedback_report");
	json_bool(&j, cls.is_feedback);
	json_key(&j, "is_list");
	json_bool(&j, cls.is_list);
	json_kstr(&j, "report_type", m->report_type);
	json_kstr(&j, "dsn_action", m->dsn_action);
	json_kstr(&j, "dsn_status", m->dsn_status);
	json_kstr(&j, "dsn_final_recipient", m->dsn_final_recipient);
	json_key(&j, "references");
	json_arr_begin(&j);
	for (i = 0; i < m->nrefs; i++)
		json_str(&j, m->refs[i]);
	json_arr_end(&j);
	json_key(&j, "returned_ids");
	json_arr_begin(&j);
	for (i = 0; i < m->nreturned; i++)
		json_str(&j, m->returned[i]);
	json_arr_end(&j);
	json_kstr(&j, "text", m->text);
	json_kstr(&j, "text_source", m->text_source);
	json_kstr(&j, "warnings", m->warnings);
	json_key(&j, "parts");
	json_arr_begin(&j);
	for (i = 0; i < m->nparts; i++) {
		json_obj_begin(&j);
		json_kstr(&j, "type", m->parts[i].type);
		json_kstr(&j, "charset", m->parts[i].charset);
		json_kstr(&j, "filename", m->parts[i].filename);
		json_kint(&j, "depth", (long long)m->parts[i].depth);
		json_kint(&j, "size", (long long)m->parts[i].size);
		json_key(&j, "attachment");
		json_bool(&j, m->parts[i].attachment);
		json_kstr(&j, "sha256", m->parts[i].sha256);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	mime_free(&m);
	buf_free(&in);
	return out(&b);
}

/*
 * `policy check`: load the policy as a queue run would and print every
 * problem ("file:line: reason"), or a summary of what it holds.
 */
int
cmd_policy(struct agent *a, int argc, char **argv)
{
	const struct raci	*r;
	struct policy		*pol = NULL;
	char			*err = NULL;

	if (argc != 2 || strcmp(argv[1], "check") != 0) {
		fprintf(stderr, "usage: psirt-agent policy check\n");
		return EX_USAGE;
	}
	if (policy_load(a->cf->policy_file, &pol, &err) == -1) {
		printf("%s\n", err);
		free(err);
		return EX_CONFIG;
	}
	r = policy_raci(pol);
	printf("%s: ok: %zu roles, %zu members, %zu tasks\n",
	    a->cf->policy_file, r->nroles, r->nmembers, r->ntasks);
	policy_free(&pol);
	return fflush(stdout) ? EX_IOERR : EX_OK;
}

/*
 * config [-n | -d] [NAME...]: the settings, as postconf prints main.cf:
 * all, the names given, only those that differ from the default, or the
 * defaults.
 */
int
cmd_config(struct agent *a, int argc, char **argv)
{
	char	*err = NULL;
	int	 i = 1, mode = CONFIG_ALL;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-n") == 0 && mode == CONFIG_ALL)
			mode = CONFIG_NONDEFAULT;
		else if (strcmp(argv[i], "-d") == 0 && mode == CONFIG_ALL)
			mode = CONFIG_DEFAULTS;
		else {
			fprintf(stderr, "usage: psirt-agent config [-n | -d] "
			    "[NAME...]\n");
			return EX_USAGE;
		}
	}
	if (config_print(a->cf, STDOUT_FILENO, mode, argv + i,
	    (size_t)(argc - i), &err) == -1) {
		log_warnx("config: %s", err);
		free(err);
		return EX_USAGE;
	}
	return EX_OK;
}
