/*
 * check.c: `psirt-agent check`, the integrity check operators (and the
 * load test) run: do the spool, the store and the audit record agree?
 *
 *   - every rule of the store holds (store_check: rows that refer to a
 *     missing case, cases without their opening event or a message, a
 *     message processed twice, a Message-ID queued twice, a case
 *     counter behind its IDs);
 *   - every file in active/, deferred/, hold/ and quarantine/ has its
 *     queue row in that state, and every queue row its file;
 *   - every file in archive/ is a stored message, and every stored
 *     message has its file in archive/ or hold/;
 *   - no file in incoming/ is stored already;
 *   - every vault name the store refers to exists;
 *   - the audit chain and its signed heads verify (audit verify).
 * It holds the queue runner lock, so no queue run moves files under it;
 * `deliver` may go on adding to incoming/. Exit 0 when all holds, 65
 * when anything does not, each problem on its own line up to --max
 * lines (100), then counted per kind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "agent/agent.h"
#include "cli/commands.h"
#include "cli/audit.h"
#include "agent/config.h"
#include "util/log.h"
#include "util/listing.h"
#include "util/xmalloc.h"
#include "spool/queue.h"
#include "spool/store.h"
#include "spool/store_msg.h"
#include "spool/store_report.h"

cmd_fn	cmd_check;

struct tally {
	long long	 problems;
	struct listing	 list;
};

static void
problem(void *arg, const char *rule, const char *name, const char *detail)
{
	struct tally	*t = arg;

	t->problems++;
	if (listing_want(&t->list, rule))
		printf("check: %s: %s%s%s\n", rule, name ? name : "(null)", detail ?
	    " " : "", detail ? detail : "");
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
has(char **v, size_t n, const char *s)
{
	return n && bsearch(&s, v, n, sizeof(*v), str_cmp) != NULL;
}

static int
file_in(const char *spool, enum queue_dir d, const char *qid)
{
	struct stat	 sb;
	char		*p = queue_path(spool, d, qid);
	int		 r = stat(p, &sb) == 0;

	free(p);
	return r;
}

int
cmd_check(struct agent *a, int argc, char **argv)
{
	static const enum queue_dir held[] = { Q_ACTIVE, Q_DEFERRED, Q_HOLD,
	    Q_QUARANTINE };
	const char		*spool = a->cf->spool_directory;
	struct store_queue_entry *qe = NULL;
	struct store_counts	 cn;
	struct tally		 t;
	struct stat		 sb;
	char			**files[Q_NDIRS], **qids = NULL, **refs = NULL;
	char			*err = NULL, *p;
	size_t			 nfiles[Q_NDIRS], nq = 0, nr = 0, nqe = 0, i, k;
	size_t			 nspool = 0;
	long long		 max = LISTING_DEFAULT;
	int			 lock, d, rv = EX_TEMPFAIL, audit, ai;

	for (ai = 1; ai < argc; ai++)
		if (listing_option(argv, argc, &ai, &max) != 1) {
			fprintf(stderr, "usage: psirt-agent check [--max N]\n");
			return EX_USAGE;
		}
	memset(&t, 0, sizeof(t));
	listing_init(&t.list, max);
	memset(files, 0, sizeof(files));
	memset(nfiles, 0, sizeof(nfiles));
	if ((lock = queue_lock(spool, 1)) < 0) {
		log_warnx("check: cannot take the queue runner lock");
		return EX_TEMPFAIL;
	}
	for (d = 0; d < Q_NDIRS; d++) {
		if (queue_list(spool, d, &files[d], &nfiles[d], &err) == -1)
			goto out;
		if (nfiles[d])
			qsort(files[d], nfiles[d], sizeof(char *), str_cmp);
		nspool += d == Q_TMP ? 0 : nfiles[d];
	}
	if (store_check(a->st, problem, &t, &cn, &err) == -1 ||
	    store_check_refs(a->st, &qids, &nq, &refs, &nr, &err) == -1 ||
	    store_queue_list(a->st, &qe, &nqe, &err) == -1)
		goto out;
	/* the queues a row describes, and their rows */
	for (k = 0; k < sizeof(held) / sizeof(held[0]); k++)
		for (i = 0; i < nfiles[held[k]]; i++) {
			size_t q;

			for (q = 0; q < nqe; q++)
				if (strcmp(qe[q].qid, files[held[k]][i]) == 0)
					break;
			if (q == nqe || strcmp(qe[q].state,
			    queue_dir_name(held[k])) != 0)
				problem(&t, held[k] == Q_ACTIVE ? "a file in "
				    "active/ with no queue run going (the next "
				    "run takes it again)" : "a spool file whose "
				    "queue row says otherwise",
				    files[held[k]][i], q == nqe ? "(no row)" :
				    qe[q].state);
		}
	for (i = 0; i < nqe; i++) {
		for (d = 0; d < Q_NDIRS; d++)
			if (strcmp(queue_dir_name(d), qe[i].state) == 0)
				break;
		if (d == Q_NDIRS || !file_in(spool, d, qe[i].qid))
			problem(&t, "a queue row without its spool file",
			    qe[i].qid, qe[i].state);
	}
	/* processed messages: stored, and their files kept */
	for (i = 0; i < nfiles[Q_ARCHIVE]; i++)
		if (!has(qids, nq, files[Q_ARCHIVE][i]))
			problem(&t, "a file in archive/ that the store does "
			    "not hold", files[Q_ARCHIVE][i], NULL);
	for (i = 0; i < nq; i++)
		if (!has(files[Q_ARCHIVE], nfiles[Q_ARCHIVE], qids[i]) &&
		    !has(files[Q_HOLD], nfiles[Q_HOLD], qids[i]))
			problem(&t, "a stored message without its spool file",
			    qids[i], NULL);
	for (i = 0; i < nfiles[Q_INCOMING]; i++)
		if (has(qids, nq, files[Q_INCOMING][i]))
			problem(&t, "a file in incoming/ that is stored "
			    "already (the next run archives it)",
			    files[Q_INCOMING][i], NULL);
	for (i = 0; i < nr; i++) {
		if (strchr(refs[i], '/')) {
			problem(&t, "a vault name with a slash", refs[i], NULL);
			continue;
		}
		p = xasprintf("%s/vault/%s", spool, refs[i]);
		if (stat(p, &sb) == -1)
			problem(&t, "sealed content the store refers to is "
			    "missing", refs[i], NULL);
		free(p);
	}
	fflush(stdout);
	audit = audit_verify(a, &t.list);
	listing_end(&t.list, "check");
	if (audit != EX_OK) {
		t.problems++;
		if (audit != EX_DATAERR) {
			rv = audit;
			goto out;
		}
	}
	if (t.problems) {
		printf("check: %lld problem%s\n", t.problems, t.problems == 1 ?
		    "" : "s");
		rv = EX_DATAERR;
	} else {
		printf("check: ok: %zu spool files (%zu not yet processed), "
		    "%lld messages, %lld cases, %lld events, %lld outgoing "
		    "mails%s\n", nspool, nfiles[Q_INCOMING], cn.messages,
		    cn.cases, cn.events, cn.outbox, nfiles[Q_TMP] ? "; tmp/ "
		    "has unfinished files of deliveries that failed" : "");
		rv = EX_OK;
	}
out:
	listing_end(&t.list, "check");	/* frees; prints once */
	if (err) {
		log_warnx("check: %s", err);
		free(err);
	}
	for (d = 0; d < Q_NDIRS; d++)
		queue_list_free(files[d], nfiles[d]);
	strv_free(qids, nq);
	strv_free(refs, nr);
	for (i = 0; i < nqe; i++)
		store_queue_clear(&qe[i]);
	free(qe);
	close(lock);
	return fflush(stdout) && rv == EX_OK ? EX_IOERR : rv;
}
