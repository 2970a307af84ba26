/*
 * audit.c: signing the head of the event chain, `audit verify` and
 * `audit export`. See audit.h.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "agent/agent.h"
#include "cli/commands.h"
#include "cli/audit.h"
#include "agent/config.h"
#include "util/log.h"
#include "util/buf.h"
#include "util/fmt.h"
#include "util/hash.h"
#include "util/json.h"
#include "util/listing.h"
#include "util/xmalloc.h"
#include "spool/store.h"
#include "spool/store_case.h"
#include "spool/store_audit.h"

cmd_fn	cmd_audit;

#define HEAD_TAG	"psirt-agent audit head v1"
#define ANCHOR_TAG	"psirt-agent audit anchor v1"
#define ANCHOR_LINE	512	/* longer lines are not anchors */

/* A signed head as the anchor file keeps it. */
struct anchor {
	long long	 event_id, events, at;
	char		 hash[65];
	char		 sig[2 * crypto_sign_BYTES + 1];
};

struct verify {
	char		 last[65];	/* hash of the previous event */
	long long	 chained, before, bad_id;
	char		*why;
};

struct exporter {
	struct store	*st;
	struct json	*j;
	const char	*case_id;
	long long	 until;
};

static int	 audit_key(const struct config *, unsigned char *,
		    unsigned char *, char **);
static void	 head_message(long long, const char *, char *, size_t);
static void	 anchor_message(const struct anchor *, char *, size_t);
static int	 anchor_last(const struct config *, struct anchor *, int *,
		    char **);
static const char *anchor_check(struct agent *, const struct anchor *,
		    const unsigned char *, char **);
static int	 anchor_append(const struct config *, const struct anchor *,
		    char **);
static int	 verify_one(void *, const struct store_chain *);
static int	 export_one(void *, const struct store_chain *);
static int	 audit_export(struct agent *, const char *);

/* The Ed25519 key pair from the 32-byte seed in audit_key_file; the
 * file is made, mode 0600, the first time. */
static int
audit_key(const struct config *cf, unsigned char *sk, unsigned char *pk,
    char **errstr)
{
	unsigned char	seed[crypto_sign_SEEDBYTES];
	ssize_t		n;
	int		fd;

	if ((fd = open(cf->audit_key_file, O_RDONLY | O_CLOEXEC)) == -1 &&
	    errno == ENOENT) {
		randombytes_buf(seed, sizeof(seed));
		if ((fd = open(cf->audit_key_file, O_WRONLY | O_CREAT |
		    O_EXCL | O_CLOEXEC, 0600)) == -1 ||
		    write(fd, seed, sizeof(seed)) != (ssize_t)sizeof(seed) ||
		    fsync(fd) == -1) {
			*errstr = xasprintf("%s: %s", cf->audit_key_file,
			    strerror(errno));
			if (fd != -1)
				close(fd);
			sodium_memzero(seed, sizeof(seed));
			return -1;
		}
		close(fd);
		fd = open(cf->audit_key_file, O_RDONLY | O_CLOEXEC);
	}
	if (fd == -1) {
		*errstr = xasprintf("%s: %s", cf->audit_key_file,
		    strerror(errno));
		return -1;
	}
	n = read(fd, seed, sizeof(seed));
	close(fd);
	if (n != (ssize_t)sizeof(seed)) {
		*errstr = xasprintf("%s: not a %zu-byte key",
		    cf->audit_key_file, sizeof(seed));
		sodium_memzero(seed, sizeof(seed));
		return -1;
	}
	crypto_sign_seed_keypair(pk, sk, seed);
	sodium_memzero(seed, sizeof(seed));
	return 0;
}

static void
head_message(long long event_id, const char *hash, char *out, size_t len)
{
	snprintf(out, len, "%s\n%lld\n%s\n", HEAD_TAG, event_id, hash);
}

static void
anchor_message(const struct anchor *x, char *out, size_t len)
{
	snprintf(out, len, "%s\n%lld\n%s\n%lld\n%lld\n", ANCHOR_TAG,
	    x->event_id, x->hash, x->events, x->at);
}

/*
 * The newest anchored head in *x: 1, 0 none (no file, or no line). The
 * anchor file has a line "EVENT-ID HASH EVENTS AT SIGNATURE" per head;
 * *bad counts the lines that are not such. -1 on a read error.
 */
static int
anchor_last(const struct config *cf, struct anchor *x, int *bad,
    char **errstr)
{
	FILE		*f;
	struct anchor	 y;
	char		 line[ANCHOR_LINE];
	int		 n = 0;

	*bad = 0;
	if ((f = fopen(cf->audit_anchor_file, "re")) == NULL) {
		if (errno == ENOENT)
			return 0;
		*errstr = xasprintf("%s: %s", cf->audit_anchor_file,
		    strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		memset(&y, 0, sizeof(y));
		if (strchr(line, '\n') == NULL || sscanf(line,
		    "%lld %64s %lld %lld %128s", &y.event_id, y.hash,
		    &y.events, &y.at, y.sig) != 5 || strlen(y.hash) != 64 ||
		    strlen(y.sig) != 128) {
			(*bad)++;
			if (strchr(line, '\n') == NULL)	/* the rest */
				while (fgets(line, sizeof(line), f) != NULL &&
				    strchr(line, '\n') == NULL)
					;
			continue;
		}
		*x = y;
		n = 1;
	}
	if (ferror(f)) {
		*errstr = xasprintf("%s: read error", cf->audit_anchor_file);
		fclose(f);
		return -1;
	}
	fclose(f);
	return n;
}

/*
 * Does the store's chain still hold the anchored head x? NULL yes; else
 * why not (in *own). pk: the instance's public key, to check the line's
 * signature.
 */
static const char *
anchor_check(struct agent *a, const struct anchor *x, const unsigned char *pk,
    char **own)
{
	unsigned char	 sig[crypto_sign_BYTES];
	char		 msg[256], *eh = NULL, *err = NULL;
	long long	 n, lastid;
	size_t		 l;

	*own = NULL;
	anchor_message(x, msg, sizeof(msg));
	if (sodium_hex2bin(sig, sizeof(sig), x->sig, strlen(x->sig), NULL, &l,
	    NULL) != 0 || l != sizeof(sig) || crypto_sign_verify_detached(sig,
	    (unsigned char *)msg, strlen(msg), pk) != 0)
		return *own = xasprintf("anchored head (event %lld) is not "
		    "signed with this instance's key", x->event_id);
	if (store_event_hash(a->st, x->event_id, &eh, &err) == -1 ||
	    store_chain_count(a->st, x->event_id, &n, &err) == -1 ||
	    store_events_last(a->st, &lastid, &err) == -1) {
		free(eh);
		*own = xasprintf("the store: %s", err);
		free(err);
		return *own;
	}
	if (eh == NULL && lastid < x->event_id)
		*own = xasprintf("the chain ends at event %lld, but a head "
		    "signed on %lld covers %lld events up to event %lld: "
		    "events were removed from the end, or an older copy of "
		    "the store was put back", lastid, x->at, x->events,
		    x->event_id);
	else if (eh == NULL)
		*own = xasprintf("event %lld, which a signed head covers, "
		    "has no chain hash or is gone: the chain was wiped or "
		    "cut", x->event_id);
	else if (strcmp(eh, x->hash) != 0)
		*own = xasprintf("event %lld is not the one a signed head "
		    "covers: the chain was rewritten", x->event_id);
	else if (n != x->events)
		*own = xasprintf("%lld events are chained up to event %lld, "
		    "but a signed head counted %lld: events were removed",
		    n, x->event_id, x->events);
	free(eh);
	return *own;
}

/* Append x to the anchor file (made mode 0600), flushed to disk. */
static int
anchor_append(const struct config *cf, const struct anchor *x, char **errstr)
{
	char	line[ANCHOR_LINE];
	int	fd, len;

	len = snprintf(line, sizeof(line), "%lld %s %lld %lld %s\n",
	    x->event_id, x->hash, x->events, x->at, x->sig);
	if ((fd = open(cf->audit_anchor_file, O_WRONLY | O_APPEND | O_CREAT |
	    O_CLOEXEC, 0600)) == -1 || write(fd, line, (size_t)len) != len ||
	    fsync(fd) == -1) {
		*errstr = xasprintf("%s: %s", cf->audit_anchor_file,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int
audit_sign_head(struct agent *a, char **errstr)
{
	unsigned char		 sk[crypto_sign_SECRETKEYBYTES];
	unsigned char		 pk[crypto_sign_PUBLICKEYBYTES];
	unsigned char		 sig[crypto_sign_BYTES];
	struct store_head	 h;
	struct anchor		 x;
	char			*hash, msg[256], sigx[2 * crypto_sign_BYTES + 1];
	char			 pkx[2 * crypto_sign_PUBLICKEYBYTES + 1];
	char			*why = NULL;
	long long		 id, last;
	int			 r, bad;

	if ((r = store_chain_last(a->st, &id, &hash, errstr)) != 1)
		return r;
	if (store_head_last(a->st, &last, errstr) == -1) {
		free(hash);
		return -1;
	}
	if (last == id) {	/* signed already */
		free(hash);
		return 0;
	}
	if (audit_key(a->cf, sk, pk, errstr) == -1) {
		free(hash);
		return -1;
	}
	/* the chain must go on from the last head anchored outside the
	 * store: a record cut or rewritten is not signed over */
	if ((r = anchor_last(a->cf, &x, &bad, errstr)) == -1 ||
	    (r == 1 && anchor_check(a, &x, pk, &why) != NULL)) {
		if (r == 1) {
			*errstr = xasprintf("not signing the record: %s (see "
			    "psirt-agent audit verify)", why);
			free(why);
		}
		sodium_memzero(sk, sizeof(sk));
		free(hash);
		return -1;
	}
	if (store_chain_count(a->st, id, &x.events, errstr) == -1) {
		sodium_memzero(sk, sizeof(sk));
		free(hash);
		return -1;
	}
	x.event_id = id;
	x.at = (long long)time(NULL);
	snprintf(x.hash, sizeof(x.hash), "%s", hash);
	anchor_message(&x, msg, sizeof(msg));
	crypto_sign_detached(sig, NULL, (unsigned char *)msg, strlen(msg), sk);
	sodium_bin2hex(x.sig, sizeof(x.sig), sig, sizeof(sig));
	head_message(id, hash, msg, sizeof(msg));
	crypto_sign_detached(sig, NULL, (unsigned char *)msg, strlen(msg), sk);
	sodium_memzero(sk, sizeof(sk));
	sodium_bin2hex(sigx, sizeof(sigx), sig, sizeof(sig));
	sodium_bin2hex(pkx, sizeof(pkx), pk, sizeof(pk));
	memset(&h, 0, sizeof(h));
	h.event_id = id;
	h.hash = hash;
	h.at = (long long)time(NULL);
	h.signature = sigx;
	h.public_key = pkx;
	/* the anchor first: a head in the store that the file lacks is
	 * signed again next time; the reverse would stop the signing */
	if ((r = anchor_append(a->cf, &x, errstr)) == 0 &&
	    (r = store_head_add(a->st, &h, errstr)) == 0)
		log_info("audit head: event %lld, %lld events, %s", x.event_id,
		    x.events, x.hash);
	free(hash);
	return r;
}

/* One event of the walk: its digest, then its link. */
static int
verify_one(void *ctx, const struct store_chain *e)
{
	struct verify	*v = ctx;
	char		 ids[24], ats[24], digest[65], hash[65];
	const char	*f[6];

	if (e->digest == NULL && e->hash == NULL) {
		if (v->chained == 0) {
			v->before++;	/* from before the chain began */
			return 0;
		}
		v->why = xstrdup("it is not chained (written around the "
		    "agent, or its hashes were removed)");
		goto bad;
	}
	snprintf(ids, sizeof(ids), "%lld", e->id);
	snprintf(ats, sizeof(ats), "%lld", e->at);
	f[0] = ids;
	f[1] = ats;
	f[2] = e->case_id;
	f[3] = e->type;
	f[4] = e->detail;
	f[5] = e->actor;
	hash_fields_hex(STORE_EVENT_TAG, f, 6, digest);
	if (e->digest == NULL || strcmp(digest, e->digest) != 0) {
		v->why = xstrdup("its content is not what was recorded (a "
		    "field was changed)");
		goto bad;
	}
	if (e->prev == NULL || strcmp(e->prev, v->last) != 0) {
		v->why = xstrdup("it does not follow the entry before it (an "
		    "entry was removed, inserted or reordered)");
		goto bad;
	}
	if (hash_chain_hex(v->last, digest, hash) == -1 || e->hash == NULL ||
	    strcmp(hash, e->hash) != 0) {
		v->why = xstrdup("its chain hash is wrong");
		goto bad;
	}
	memcpy(v->last, hash, sizeof(v->last));
	v->chained++;
	return 0;
bad:
	v->bad_id = e->id;
	{
		char	*w = xasprintf("event %lld (case %s, %s): %s", e->id,
			    e->case_id ? e->case_id : "-", e->type ? e->type :
			    "-", v->why);

		free(v->why);
		v->why = w;
	}
	return 1;
}

/* One row that disagrees with the recorded state. */
static void
state_one(void *ctx, const char *case_id, const char *key,
    const char *recorded, const char *now)
{
	struct listing	*l = ctx;
	char		 who[160];

	if (!listing_want(l, key == NULL ? "cases with no recorded state" :
	    *key == '\0' ? "recorded states not written by the agent" :
	    "fields or rows that disagree with the record"))
		return;
	if (case_id)
		snprintf(who, sizeof(who), "case %s", case_id);
	else
		snprintf(who, sizeof(who), "the pinned keys");
	if (key == NULL)
		printf("audit: %s: no state of it is recorded (written around "
		    "the agent)\n", who);
	else if (*key == '\0')
		printf("audit: %s: its newest recorded state was not written "
		    "by the agent (its MAC does not hold)\n", who);
	else if (recorded == NULL)
		printf("audit: %s: %s: is '%s', the record has no such "
		    "row\n", who, key, now);
	else if (now == NULL)
		printf("audit: %s: %s: the record has '%s', the row is "
		    "gone\n", who, key, recorded);
	else
		printf("audit: %s: %s: is '%s', the record says '%s'\n", who,
		    key, now, recorded);
}

int
audit_verify(struct agent *a, struct listing *list)
{
	unsigned char		 sk[crypto_sign_SECRETKEYBYTES];
	unsigned char		 pk[crypto_sign_PUBLICKEYBYTES], sig[64];
	unsigned char		 hpk[crypto_sign_PUBLICKEYBYTES];
	struct store_head	*h;
	struct verify		 v;
	struct anchor		 x;
	char			*err = NULL, msg[256], *why = NULL;
	char			 pkx[2 * crypto_sign_PUBLICKEYBYTES + 1];
	long long		 lastid, nstate;
	size_t			 n, i, l;
	int			 r, bad, ns;

	memset(&v, 0, sizeof(v));
	if ((r = store_chain_walk(a->st, 0, verify_one, &v, &err)) == -1) {
		log_warnx("audit: %s", err);
		free(err);
		return EX_TEMPFAIL;
	}
	if (r == 1) {
		printf("audit: broken at %s\n", v.why);
		free(v.why);
		return EX_DATAERR;
	}
	if (audit_key(a->cf, sk, pk, &err) == -1) {
		log_warnx("audit: %s", err);
		free(err);
		return EX_CONFIG;
	}
	sodium_memzero(sk, sizeof(sk));
	sodium_bin2hex(pkx, sizeof(pkx), pk, sizeof(pk));
	if (store_heads(a->st, &h, &n, &err) == -1) {
		log_warnx("audit: %s", err);
		free(err);
		return EX_TEMPFAIL;
	}
	/* every signed head: signed by our key, over the hash that its
	 * event has in the chain */
	for (i = 0; i < n; i++) {
		char	*eh = NULL;
		int	 ok;

		head_message(h[i].event_id, h[i].hash, msg, sizeof(msg));
		ok = h[i].public_key && strcmp(h[i].public_key, pkx) == 0 &&
		    sodium_hex2bin(hpk, sizeof(hpk), h[i].public_key,
		    strlen(h[i].public_key), NULL, &l, NULL) == 0 &&
		    l == sizeof(hpk) && h[i].signature &&
		    sodium_hex2bin(sig, sizeof(sig), h[i].signature,
		    strlen(h[i].signature), NULL, &l, NULL) == 0 &&
		    l == sizeof(sig) && crypto_sign_verify_detached(sig,
		    (unsigned char *)msg, strlen(msg), hpk) == 0;
		if (!ok) {
			printf("audit: broken at signed head %lld (event "
			    "%lld): the signature does not verify with this "
			    "instance's key\n", h[i].id, h[i].event_id);
			store_heads_free(h, n);
			return EX_DATAERR;
		}
		if (store_event_hash(a->st, h[i].event_id, &eh, &err) == -1) {
			log_warnx("audit: %s", err);
			free(err);
			store_heads_free(h, n);
			return EX_TEMPFAIL;
		}
		if (eh == NULL || strcmp(eh, h[i].hash) != 0) {
			printf("audit: broken at event %lld: signed head %lld "
			    "signed another hash for it (the entry %s)\n",
			    h[i].event_id, h[i].id, eh ? "was rewritten" :
			    "is gone");
			free(eh);
			store_heads_free(h, n);
			return EX_DATAERR;
		}
		free(eh);
	}
	lastid = n ? h[n - 1].event_id : 0;
	store_heads_free(h, n);
	/* the anchor outside the store: the chain must still hold its
	 * newest head (a hash covers every event before it) */
	if ((r = anchor_last(a->cf, &x, &bad, &err)) == -1) {
		log_warnx("audit: %s", err);
		free(err);
		return EX_TEMPFAIL;
	}
	if (r == 1 && anchor_check(a, &x, pk, &why) != NULL) {
		printf("audit: broken: %s (anchor %s)\n", why,
		    a->cf->audit_anchor_file);
		free(why);
		return EX_DATAERR;
	}
	/* the store's own heads may lag behind the anchor (a run appends
	 * to the anchor first; a backup copies the anchor first): what
	 * counts is that the chain holds the anchored head */
	if (bad) {
		printf("audit: broken: %d lines of %s are not signed heads "
		    "(the anchor was damaged)\n", bad,
		    a->cf->audit_anchor_file);
		return EX_DATAERR;
	}
	/* the state the program acts on, against the record of it */
	if ((ns = store_state_check(a->st, state_one, list, &nstate,
	    &err)) == -1) {
		log_warnx("audit: %s", err);
		free(err);
		return EX_TEMPFAIL;
	}
	if (ns > 0) {
		printf("audit: broken: %d field%s or row%s of the state %s "
		    "not what the record says (changed around the agent)\n",
		    ns, ns == 1 ? "" : "s", ns == 1 ? "" : "s", ns == 1 ?
		    "is" : "are");
		return EX_DATAERR;
	}
	printf("audit: %lld events chained%s, %zu heads signed%s, %s, "
	    "the state of %lld cases agrees with it: intact\n", v.chained, v.before ? " (and some from before the "
	    "chain began)" : "", n, lastid ? "" : " (none yet)", r == 1 ?
	    "the chain holds the anchored head" : "no anchored head yet",
	    nstate - 1);
	return EX_OK;
}

static int
export_one(void *ctx, const struct store_chain *e)
{
	struct exporter	*x = ctx;
	char		*t;

	if (e->id > x->until)
		return 1;
	if (e->hash == NULL)
		return 0;
	json_obj_begin(x->j);
	json_kint(x->j, "id", e->id);
	json_kstr(x->j, "prev", e->prev);
	json_kstr(x->j, "digest", e->digest);
	json_kstr(x->j, "hash", e->hash);
	if (e->case_id && strcmp(e->case_id, x->case_id) == 0) {
		json_kint(x->j, "at", e->at);
		json_kstr(x->j, "case_id", e->case_id);
		json_kstr(x->j, "type", e->type);
		json_kstr(x->j, "detail", e->detail);
		json_kstr(x->j, "actor", e->actor);
		/* a detail sealed at rest: the digest covers it as stored,
		 * "text" is what it says */
		if ((t = store_text_open(x->st, e->detail)) != NULL &&
		    strcmp(t, e->detail) != 0)
			json_kstr(x->j, "text", t);
		free(t);
	}
	json_obj_end(x->j);
	return 0;
}

static int
audit_export(struct agent *a, const char *case_id)
{
	struct store_head	*h;
	struct store_case	 c;
	struct exporter		 x;
	struct buf		 b;
	struct json		 j;
	char			*err = NULL;
	long long		 first;
	size_t			 n;
	int			 r;

	if ((r = store_case_get(a->st, case_id, &c, &err)) != 1) {
		log_warnx("audit export: %s", r == 0 ? "no such case" : err);
		free(err);
		return r == 0 ? EX_DATAERR : EX_TEMPFAIL;
	}
	if (audit_sign_head(a, &err) == -1 ||
	    store_chain_first_of(a->st, c.id, &first, &err) == -1 ||
	    store_heads(a->st, &h, &n, &err) == -1) {
		log_warnx("audit export: %s", err);
		free(err);
		store_case_free(&c);
		return EX_TEMPFAIL;
	}
	buf_init(&b);
	json_init(&j, &b);
	json_obj_begin(&j);
	json_kstr(&j, "case", c.id);
	json_kstr(&j, "digest_tag", STORE_EVENT_TAG);
	json_kstr(&j, "head_tag", HEAD_TAG);
	json_kstr(&j, "hash", "BLAKE2b-256; digest over (id, at, case_id, "
	    "type, detail, actor) as 4-byte big-endian length + bytes after "
	    "the tag and a NUL; hash = BLAKE2b-256(prev || digest), prev of "
	    "the first entry 32 zero bytes");
	if (n) {
		json_key(&j, "signed_head");
		json_obj_begin(&j);
		json_kint(&j, "event_id", h[n - 1].event_id);
		json_kstr(&j, "hash", h[n - 1].hash);
		json_kstr(&j, "signature", h[n - 1].signature);
		json_kstr(&j, "public_key", h[n - 1].public_key);
		json_kstr(&j, "signed_message", "head_tag \\n event_id \\n "
		    "hash \\n (Ed25519)");
		json_obj_end(&j);
	}
	json_key(&j, "entries");
	json_arr_begin(&j);
	x.st = a->st;
	x.j = &j;
	x.case_id = c.id;
	x.until = n ? h[n - 1].event_id : 0;
	if (first && store_chain_walk(a->st, first, export_one, &x,
	    &err) == -1) {
		log_warnx("audit export: %s", err);
		free(err);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	printf("%s\n", b.s);
	buf_free(&b);
	store_heads_free(h, n);
	store_case_free(&c);
	return fflush(stdout) ? EX_IOERR : EX_OK;
}

int
cmd_audit(struct agent *a, int argc, char **argv)
{
	char	*err = NULL;
	int	 rv;

	if (argc >= 2 && strcmp(argv[1], "verify") == 0) {
		struct listing	 l;
		long long	 max = LISTING_DEFAULT;
		int		 i;

		for (i = 2; i < argc; i++)
			if (listing_option(argv, argc, &i, &max) != 1) {
				fprintf(stderr, "usage: psirt-agent audit "
				    "verify [--max N]\n");
				return EX_USAGE;
			}
		listing_init(&l, max);
		rv = audit_verify(a, &l);
		listing_end(&l, "audit");
		return rv;
	}
	if (argc == 3 && strcmp(argv[1], "export") == 0)
		return audit_export(a, argv[2]);
	if (argc == 2 && strcmp(argv[1], "sign") == 0) {
		if ((rv = audit_sign_head(a, &err)) == -1) {
			log_warnx("audit sign: %s", err);
			free(err);
			return EX_TEMPFAIL;
		}
		return EX_OK;
	}
	fprintf(stderr, "usage: psirt-agent audit verify | audit export CASE "
	    "| audit sign\n");
	return EX_USAGE;
}
