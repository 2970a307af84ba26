/*
 * expire.c: `psirt-agent expire [--dry-run]`, retention.
 *
 * A case closed (status closed, rejected, duplicate or disclosed) for
 * longer than the policy's retention for it (policy_retention), counted
 * from its move to that status, loses the content of its messages
 * older than the retention too (a late follow-up waits its own time):
 * their text, their attachments, the original as received
 * (archive/QID) and the bodies of the replies sent by then. The case, its facts, its events, the messages'
 * headers and the attachments' names, sizes and SHA-256 stay; an
 * "expired" event records what went, with the originals' hashes, in
 * the audit chain. A case under legal hold (`case set ID hold=yes`) is
 * never expired. Crash order: store_expire.c. Then VACUUM, when a
 * quarter of the store is free pages.
 *
 * It holds the queue runner lock (as `check` does), so no run archives
 * or reads a message under it. `tick` runs it once a day (expire_daily).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "agent/agent.h"
#include "cli/commands.h"
#include "agent/config.h"
#include "util/log.h"
#include "util/fmt.h"
#include "util/xmalloc.h"
#include "policies/policy.h"
#include "spool/queue.h"
#include "spool/store.h"
#include "spool/store_case.h"
#include "spool/store_report.h"
#include "spool/store_expire.h"
#include "spool/vault.h"

cmd_fn	cmd_expire;

#define ISO_FMT		"%Y-%m-%dT%H:%M:%SZ"
#define LAST_RUN	"expire-last-run"
#define DAY		86400

struct tally {
	long long	 cases, messages, attachments, bytes, held;
	int		 failed;
};

/* The files of expired messages: removed, made durable, then marked
 * gone; a failure leaves its message for the next run. */
static int
remove_files(struct agent *a, int dry, struct tally *t)
{
	struct store_expire_files	*f;
	struct vault			*v;
	size_t				 n, i, k;
	char				*err = NULL;
	int				*ok, r = 0;

	if (store_expire_pending(a->st, &f, &n, &err) == -1)
		goto fail;
	if (n == 0) {
		store_expire_pending_free(f, n);
		return 0;
	}
	if (dry) {
		printf("expire: %zu message%s expired before still have "
		    "files to remove\n", n, n == 1 ? "" : "s");
		store_expire_pending_free(f, n);
		return 0;
	}
	if ((v = agent_vault(a, &err)) == NULL) {
		store_expire_pending_free(f, n);
		goto fail;
	}
	ok = xcalloc(n, sizeof(*ok));
	for (i = 0; i < n; i++) {
		ok[i] = f[i].qid == NULL || vault_remove_archived(v, f[i].qid,
		    &err) == 0;
		for (k = 0; ok[i] && k < f[i].nrefs; k++)
			ok[i] = vault_remove(v, f[i].refs[k], &err) == 0;
		if (!ok[i]) {
			log_warnx("expire: %s", err);
			free(err);
			err = NULL;
			t->failed = 1;
		}
	}
	/* gone for good before the store says so */
	if (vault_sync_removed(v, &err) == -1) {
		log_warnx("expire: %s", err);
		free(err);
		err = NULL;
		t->failed = 1;
	} else
		for (i = 0; i < n && r == 0; i++)
			if (ok[i] && store_expire_gone(a->st, f[i].rowid,
			    &err) == -1)
				r = -1;
	free(ok);
	store_expire_pending_free(f, n);
	if (r == 0)
		return 0;
fail:
	log_warnx("expire: %s", err);
	free(err);
	t->failed = 1;
	return -1;
}

/* One case past its retention: the content of its messages received
 * by `cutoff` goes, in one transaction with the event that records it
 * (dry: counted, and rolled back). 1 done, 0 nothing (any more), -1. */
static int
expire_case(struct agent *a, const struct store_closed *c, long long cutoff,
    long long ret, const char *which, int dry, const char *actor,
    struct tally *t, char **errstr)
{
	struct store_case	 cur;
	struct store_expiry	 x;
	char			 at[32], *d;
	int			 r;

	if (store_begin(a->st, errstr) == -1)
		return -1;
	/* again inside the transaction: a hold or a reopening since the
	 * list was read keeps it */
	if ((r = store_case_get(a->st, c->id, &cur, errstr)) != 1 ||
	    strcmp(cur.id, c->id) != 0 || cur.hold != NULL ||
	    strcmp(cur.status, c->status) != 0) {
		store_case_free(&cur);
		store_rollback(a->st);
		return r == -1 ? -1 : 0;
	}
	store_case_free(&cur);
	if (store_expire_case(a->st, c->id, cutoff, &x, errstr) == -1) {
		store_rollback(a->st);
		return -1;
	}
	if ((x.messages == 0 && x.replies == 0) || dry) {
		store_rollback(a->st);
		if (x.messages || x.replies)
			goto done;
		store_expiry_free(&x);
		return 0;
	}
	fmt_utc(c->closed_at, ISO_FMT, at, sizeof(at));
	d = xasprintf("retention %s of %lld days, closed (%s) on %s: removed "
	    "the content of %lld messages (%lld originals, %lld attachments "
	    "of %lld bytes, %lld sent replies); originals: %s", which,
	    ret / DAY, c->status, at, x.messages, x.originals, x.attachments,
	    x.bytes, x.replies, *x.digests ? x.digests : "none");
	r = store_event_add(a->st, c->id, "expired", d, actor, errstr);
	free(d);
	if (r == -1 || store_commit(a->st, errstr) == -1) {
		store_expiry_free(&x);
		store_rollback(a->st);
		return -1;
	}
	log_set_id(c->id);
	log_info("expired: %lld messages (retention %s)", x.messages, which);
	log_set_id(NULL);
done:
	printf("expire: %s: %s %s: %s %lld message%s, %lld attachment%s "
	    "(%lld bytes), %lld original%s, %lld sent repl%s\n", c->id,
	    c->kind, c->status, dry ? "would remove" : "removed", x.messages,
	    x.messages == 1 ? "" : "s", x.attachments, x.attachments == 1 ?
	    "" : "s", x.bytes, x.originals, x.originals == 1 ? "" : "s",
	    x.replies, x.replies == 1 ? "y" : "ies");
	t->cases++;
	t->messages += x.messages;
	t->attachments += x.attachments;
	t->bytes += x.bytes;
	store_expiry_free(&x);
	return 1;
}

/* The whole run (under the runner lock): EX_OK, EX_TEMPFAIL. */
static int
expire_run(struct agent *a, long long now, int dry, int quiet,
    const char *actor)
{
	struct store_closed	*c = NULL;
	struct tally		 t;
	const char		*which;
	long long		 ret, fp, pages, freed;
	size_t			 n = 0, i;
	char			*err = NULL, ts[32];
	int			 lock, r;

	memset(&t, 0, sizeof(t));
	if ((lock = queue_lock(a->cf->spool_directory, 1)) < 0) {
		log_warnx("expire: cannot take the queue runner lock");
		return EX_TEMPFAIL;
	}
	/* what an interrupted run left, first */
	(void)remove_files(a, dry, &t);
	if (store_closed_cases(a->st, &c, &n, &err) == -1)
		goto fail;
	for (i = 0; i < n; i++) {
		if (c[i].kept == 0 || c[i].closed_at == 0 ||
		    (ret = policy_retention(a->pol, c[i].kind, c[i].tlp,
		    &which)) == 0 || now < c[i].closed_at + ret)
			continue;
		if (c[i].hold) {
			printf("expire: %s: under legal hold: kept (retention "
			    "%s is past)\n", c[i].id, which);
			t.held++;
			continue;
		}
		if (expire_case(a, &c[i], now - ret, ret, which, dry, actor,
		    &t, &err) == -1)
			goto fail;
	}
	if (!dry) {
		if (remove_files(a, 0, &t) == -1)
			goto fail;
		snprintf(ts, sizeof(ts), "%lld", now);
		if (store_meta_set(a->st, LAST_RUN, ts, &err) == -1)
			goto fail;
	}
	if (!quiet || t.cases || t.held)
		printf("expire: %s%lld case%s, %lld message%s, %lld "
		    "attachment bytes; %lld under legal hold kept\n", dry ?
		    "would expire " : "", t.cases, t.cases == 1 ? "" : "s",
		    t.messages, t.messages == 1 ? "" : "s", t.bytes, t.held);
	if (!dry) {
		if ((r = store_vacuum(a->st, 0, &fp, &pages, &freed,
		    &err)) == -1)
			goto fail;
		if (r == 1)
			printf("expire: VACUUM: %lld bytes freed\n", freed);
		else if (fp && !quiet)
			printf("expire: no VACUUM: %lld of %lld pages free "
			    "(less than a quarter)\n", fp, pages);
	}
	store_closed_free(c, n);
	close(lock);
	return fflush(stdout) ? EX_IOERR : t.failed ? EX_TEMPFAIL : EX_OK;
fail:
	log_warnx("expire: %s", err ? err : "failed");
	free(err);
	store_closed_free(c, n);
	close(lock);
	fflush(stdout);
	return EX_TEMPFAIL;
}

int
cmd_expire(struct agent *a, int argc, char **argv)
{
	char	*err = NULL;
	int	 dry = 0, r;

	if (argc == 2 && strcmp(argv[1], "--dry-run") == 0)
		dry = 1;
	else if (argc != 1) {
		fprintf(stderr, "usage: psirt-agent expire [--dry-run]\n");
		return EX_USAGE;
	}
	if ((r = agent_open(a, 1, &err)) < 0) {
		log_warnx("%s", err);
		free(err);
		return r == -2 ? EX_TEMPFAIL : EX_CONFIG;
	}
	return expire_run(a, fmt_now(), dry, 0, "operator");
}

void
expire_daily(struct agent *a, long long now)
{
	char		*v = NULL, *err = NULL;
	long long	 last = 0;
	int		 r;

	if ((r = store_meta_get(a->st, LAST_RUN, &v, &err)) == -1) {
		log_warnx("tick: %s", err);
		free(err);
		return;
	}
	if (r == 1)
		last = strtoll(v, NULL, 10);
	free(v);
	if (now - last < DAY)
		return;
	/* quiet: the tick says only what it removed */
	if (expire_run(a, now, 0, 1, "agent") != EX_OK)
		log_warnx("tick: expire did not finish; the next tick tries "
		    "again");
}
