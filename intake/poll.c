/*
 * poll.c: intake from an IMAP mailbox, the loop of `psirt-agent poll
 * [--once]`. See poll.h.
 *
 * One connection: TLS (implicit, or STARTTLS) verified by stream.c, or
 * plain text only with imap_allow_plaintext; LOGIN with the password
 * from imap_password_file or $PSIRT_IMAP_PASSWORD (never logged, never
 * an argument). A round: SELECT, compare UIDVALIDITY with the store,
 * list UIDs above the last one taken with their sizes, then per message
 * FETCH BODY.PEEK[], spool (fsync), record, mark processed. Then the
 * service's after-round hook (cli/poll_cmd.c: the queue run, the tick,
 * the audit signing; intake calls none of them). The long-running mode
 * waits with IDLE (re-issued before the 29-minute limit) or sleeps imap_poll_interval, reconnects with
 * exponential backoff and jitter, stops on SIGTERM and reloads the
 * configuration on SIGHUP (through the service's reload hook).
 * Trust: the server is not trusted more than mail is: sizes are
 * checked against message_size_limit before a fetch, and every message
 * goes through the same pipeline as piped mail.
 */
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <libetpan/libetpan.h>
#include <sodium.h>

#include "agent/agent.h"
#include "agent/config.h"
#include "intake/poll.h"
#include "util/log.h"
#include "net/net.h"
#include "net/stream.h"
#include "util/fmt.h"
#include "util/hash.h"
#include "util/xmalloc.h"
#include "parsers/charset.h"
#include "spool/queue.h"
#include "spool/store.h"
#include "spool/store_msg.h"

#define IDLE_MAX	(28 * 60)	/* re-issue IDLE before 29 minutes */
#define BACKOFF_MAX	300
#define FETCH_CHUNK	50		/* messages per FETCH */
#define BIG_LOGGED	10		/* oversized ones named per round */

struct conn {
	mailimap	*imap;
	struct net_url	 u;		/* u.path: the mailbox */
	char		*key;		/* user@host:port/mailbox */
	char		*mbox;		/* the mailbox, modified UTF-7 */
	char		*move_to;	/* imap_processed move:, the same */
	int		 idle;		/* the server offers IDLE */
	int		 move;		/* ... and MOVE */
	int		 uidplus;
};

enum { ERR_NONE, ERR_NET, ERR_AUTH, ERR_CONFIG };

static volatile sig_atomic_t	got_term, got_hup;

static void	 on_signal(int);
static int	 parse_url(const struct config *, struct conn *, char **);
static void	 url_free(struct conn *);
static int	 conn_open(struct agent *, struct conn *, char **);
static void	 conn_close(struct conn *);
static int	 drain(struct agent *, struct conn *, size_t *, char **);
static int	 take(struct agent *, struct conn *, uint32_t,
		    const uint32_t *, size_t, size_t *, char **);
static int	 processed(struct agent *, struct conn *,
		    struct mailimap_set *, char **);
static int	 by_uid(const void *, const void *);
static int	 by_uid_size(const void *, const void *);
static int	 wait_idle(struct conn *, long long, char **);
static char	*server_says(const struct conn *);
static int	 caps(struct conn *);
static int	 spool_buf(struct agent *, const char *, size_t,
		    char qid[QUEUE_ID_MAX], char **);

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		got_hup = 1;
	else
		got_term = 1;
}

/* imaps://user@host:port/Mailbox or imap://... (STARTTLS) */
static int
parse_url(const struct config *cf, struct conn *c, char **errstr)
{
	const char	*s = cf->imap_url;

	if (net_url_parse(s, "imap_url", "imap", "143", "imaps", "993",
	    &c->u, errstr) == -1)
		return -1;
	if (c->u.user == NULL) {
		*errstr = xstrdup("imap_url: no user (imaps://user@host/...)");
		net_url_free(&c->u);
		return -1;
	}
	if (c->u.path[0] == '\0') {
		free(c->u.path);
		c->u.path = xstrdup("INBOX");
	}
	c->key = xasprintf("%s@%s:%s/%s", c->u.user, c->u.host, c->u.port,
	    c->u.path);
	/* names are written in UTF-8; the wire wants modified UTF-7 */
	if ((c->mbox = charset_imap_utf7(c->u.path)) == NULL) {
		*errstr = xasprintf("imap_url: mailbox \"%s\" is not a "
		    "UTF-8 name", c->u.path);
		url_free(c);
		return -1;
	}
	if (strcmp(cf->imap_processed, "seen") != 0 &&
	    strcmp(cf->imap_processed, "delete") != 0 &&
	    strncmp(cf->imap_processed, "move:", 5) != 0) {
		*errstr = xasprintf("imap_processed \"%s\": not seen, "
		    "move:Folder or delete", cf->imap_processed);
		url_free(c);
		return -1;
	}
	if (strcmp(cf->imap_initial, "all") != 0 &&
	    strcmp(cf->imap_initial, "new") != 0) {
		*errstr = xasprintf("imap_initial \"%s\": not all or new",
		    cf->imap_initial);
		url_free(c);
		return -1;
	}
	if (strncmp(cf->imap_processed, "move:", 5) == 0 &&
	    (cf->imap_processed[5] == '\0' || (c->move_to =
	    charset_imap_utf7(cf->imap_processed + 5)) == NULL)) {
		*errstr = xasprintf("imap_processed \"%s\": not a UTF-8 "
		    "folder name", cf->imap_processed);
		url_free(c);
		return -1;
	}
	return 0;
}

static void
url_free(struct conn *c)
{
	net_url_free(&c->u);
	free(c->key);
	free(c->mbox);
	free(c->move_to);
	c->key = c->mbox = c->move_to = NULL;
}

/* CAPABILITY; libetpan keeps the answer for mailimap_has_*(). */
static int
caps(struct conn *c)
{
	struct mailimap_capability_data	*cd = NULL;
	int				 r;

	r = mailimap_capability(c->imap, &cd);
	if (cd)
		mailimap_capability_data_free(cd);
	return r;
}

static char *
server_says(const struct conn *c)
{
	const char	*r = c->imap ? c->imap->imap_response : NULL;

	return xstrdup(r && r[0] ? r : "no reason given");
}

/* Connect, secure, log in, select. -1 and *errstr, with the kind of
 * error in the return of the caller's choice through errno-like codes. */
static int
conn_open(struct agent *a, struct conn *c, char **errstr)
{
	const struct config	*cf = a->cf;
	struct tls_opts		 o;
	mailstream		*st;
	char			*pw = NULL, *why;
	int			 fd, r;

	memset(&o, 0, sizeof(o));
	o.host = c->u.host;
	o.ca_file = cf->imap_ca_file[0] ? cf->imap_ca_file : NULL;
	o.pin = cf->imap_fingerprint[0] ? cf->imap_fingerprint : NULL;
	o.timeout = (int)cf->imap_timeout;
	if ((fd = net_connect(c->u.host, c->u.port, o.timeout, errstr)) == -1)
		return ERR_NET;
	if ((st = net_stream(fd, c->u.implicit_tls ? &o : NULL,
	    errstr)) == NULL)
		return ERR_NET;
	c->imap = mailimap_new(0, NULL);
	mailimap_set_timeout(c->imap, (time_t)cf->imap_timeout);
	r = mailimap_connect(c->imap, st);
	if (r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED &&
	    r != MAILIMAP_NO_ERROR_AUTHENTICATED) {
		*errstr = xasprintf("%s: no IMAP greeting", c->u.host);
		return ERR_NET;
	}
	if (caps(c) != MAILIMAP_NO_ERROR) {
		*errstr = xstrdup("CAPABILITY failed");
		return ERR_NET;
	}
	if (!c->u.implicit_tls) {
		if (mailimap_has_extension(c->imap, "STARTTLS")) {
			if (mailimap_starttls(c->imap) != MAILIMAP_NO_ERROR) {
				*errstr = xstrdup("STARTTLS refused");
				return ERR_NET;
			}
			if (net_starttls(c->imap->imap_stream, &o,
			    errstr) == -1)
				return ERR_NET;
			/* what was said before TLS does not count */
			if (caps(c) != MAILIMAP_NO_ERROR) {
				*errstr = xstrdup("CAPABILITY failed");
				return ERR_NET;
			}
		} else if (!cf->imap_allow_plaintext) {
			*errstr = xasprintf("%s offers no STARTTLS and "
			    "imap_allow_plaintext is no", c->u.host);
			return ERR_CONFIG;
		} else
			log_warnx("IMAP to %s in plain text "
			    "(imap_allow_plaintext)", c->u.host);
	}
	if ((pw = net_secret(cf->imap_password_file, "PSIRT_IMAP_PASSWORD",
	    "IMAP", errstr)) == NULL)
		return ERR_CONFIG;
	/* AUTHENTICATE PLAIN (UTF-8 safe) where offered, else LOGIN */
	if (mailimap_has_authentication(c->imap, "PLAIN"))
		r = mailimap_authenticate(c->imap, "PLAIN", c->u.host, NULL,
		    NULL, "", c->u.user, pw, NULL);	/* no authzid */
	else if (mailimap_has_extension(c->imap, "LOGINDISABLED"))
		r = -1;
	else
		r = mailimap_login(c->imap, c->u.user, pw);
	sodium_memzero(pw, strlen(pw));
	free(pw);
	if (r == -1) {
		*errstr = xasprintf("%s offers neither LOGIN nor AUTHENTICATE "
		    "PLAIN", c->u.host);
		return ERR_CONFIG;
	}
	if (r != MAILIMAP_NO_ERROR) {
		why = server_says(c);
		*errstr = xasprintf("IMAP login as %s at %s failed: %s",
		    c->u.user, c->u.host, why);
		free(why);
		return r == MAILIMAP_ERROR_LOGIN ? ERR_AUTH : ERR_NET;
	}
	(void)caps(c);
	c->idle = mailimap_has_idle(c->imap);
	c->move = mailimap_has_extension(c->imap, "MOVE");
	c->uidplus = mailimap_has_extension(c->imap, "UIDPLUS");
	if (mailimap_select(c->imap, c->mbox) != MAILIMAP_NO_ERROR) {
		why = server_says(c);
		*errstr = xasprintf("SELECT %s: %s", c->u.path, why);
		free(why);
		return ERR_CONFIG;
	}
	return ERR_NONE;
}

static void
conn_close(struct conn *c)
{
	if (c->imap) {
		if (c->imap->imap_stream)
			(void)mailimap_logout(c->imap);
		mailimap_free(c->imap);
		c->imap = NULL;
	}
}

/*
 * The envelope sender the server kept in Return-Path (see poll.h): a
 * byte scan of the header block, read before the spool commit, where
 * nothing is parsed.
 */
char *
poll_return_path(const char *msg, size_t len)
{
	const char	*p = msg, *end = msg + len, *nl, *lt, *gt, *q;
	size_t		 k = sizeof("Return-Path:") - 1;

	while (p < end && *p != '\n' && !(*p == '\r' && p + 1 < end &&
	    p[1] == '\n')) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((size_t)(nl - p) > k && strncasecmp(p, "Return-Path:",
		    k) == 0 && (lt = memchr(p + k, '<', (size_t)(nl - p -
		    k))) != NULL && (gt = memchr(lt, '>', (size_t)(nl -
		    lt))) != NULL && gt - lt > 1 && memchr(lt, '@',
		    (size_t)(gt - lt)) != NULL) {
			for (q = lt + 1; q < gt; q++)
				if ((unsigned char)*q <= ' ' ||
				    (unsigned char)*q == 0x7f)
					return NULL;
			return xstrndup(lt + 1, (size_t)(gt - lt - 1));
		}
		p = nl + 1;
	}
	return NULL;
}

/* Write a fetched message to the spool through a memory file. */
static int
spool_buf(struct agent *a, const char *msg, size_t len,
    char qid[QUEUE_ID_MAX], char **errstr)
{
	struct envelope	 env;
	size_t		 off;
	ssize_t		 w;
	int		 fd, rv;

	memset(&env, 0, sizeof(env));
	/* the envelope sender, when the server kept it (Return-Path) */
	env.sender = poll_return_path(msg, len);
	env.source = "imap";
	env.received = (long long)time(NULL);
	if ((fd = memfd_create("psirt-imap", MFD_CLOEXEC)) == -1) {
		*errstr = xasprintf("memfd: %s", strerror(errno));
		free(env.sender);
		return -1;
	}
	for (off = 0; off < len; off += (size_t)w)
		if ((w = write(fd, msg + off, len - off)) <= 0) {
			*errstr = xasprintf("memfd: %s", strerror(errno));
			close(fd);
			free(env.sender);
			return -1;
		}
	lseek(fd, 0, SEEK_SET);
	/* the directory is fsync'ed once for the whole window (take) */
	rv = queue_store(a->cf->spool_directory, Q_INCOMING, fd, &env,
	    a->cf->limits.message_size, 0, qid, errstr);
	close(fd);
	free(env.sender);
	return rv;
}

/* Flag, move or expunge messages as imap_processed says. */
static int
processed(struct agent *a, struct conn *c, struct mailimap_set *set,
    char **errstr)
{
	const char		*how = a->cf->imap_processed;
	struct mailimap_flag_list *fl = mailimap_flag_list_new_empty();
	int			 r;

	if (c->move_to && c->move)
		r = mailimap_uid_move(c->imap, set, c->move_to);
	else if (c->move_to &&
	    (r = mailimap_uid_copy(c->imap, set, c->move_to)) !=
	    MAILIMAP_NO_ERROR)
		;
	else {
		struct mailimap_store_att_flags	*sf;

		mailimap_flag_list_add(fl, strcmp(how, "seen") == 0 ?
		    mailimap_flag_new_seen() : mailimap_flag_new_deleted());
		/* the store attribute (and with it fl) stays ours */
		sf = mailimap_store_att_flags_new_add_flags_silent(fl);
		fl = NULL;
		r = mailimap_uid_store(c->imap, set, sf);
		mailimap_store_att_flags_free(sf);
		if (r == MAILIMAP_NO_ERROR && strcmp(how, "seen") != 0)
			r = c->uidplus ? mailimap_uid_expunge(c->imap, set) :
			    mailimap_expunge(c->imap);
	}
	if (fl)
		mailimap_flag_list_free(fl);
	if (r != MAILIMAP_NO_ERROR) {
		*errstr = xasprintf("marking messages processed (%s) failed",
		    how);
		return -1;
	}
	return 0;
}

struct listed {		/* a new message: UID and RFC822.SIZE */
	uint32_t	 uid;
	uint32_t	 size;
};

static int
by_uid_size(const void *x, const void *y)
{
	const struct listed *a = x, *b = y;

	return a->uid < b->uid ? -1 : a->uid > b->uid;
}

struct fetched {
	uint32_t	 uid;
	const char	*body;
	size_t		 len;
};

static int
by_uid(const void *x, const void *y)
{
	const struct fetched *a = x, *b = y;

	return a->uid < b->uid ? -1 : a->uid > b->uid;
}

/*
 * A window of UIDs: one FETCH for their bodies; each spooled unless its
 * bytes were taken before, the digests recorded in one transaction;
 * then one STORE (or MOVE) for all of them. 0, or -1 (*errstr).
 */
static int
take(struct agent *a, struct conn *c, uint32_t uidvalidity,
    const uint32_t *uids, size_t n, size_t *ntaken, char **errstr)
{
	struct mailimap_set		*set = mailimap_set_new_empty();
	struct mailimap_fetch_type	*ft;
	struct fetched			*f;
	clist				*res = NULL;
	clistiter			*it, *jt;
	char				 sha[65], qid[QUEUE_ID_MAX], *d;
	size_t				 i, nf = 0, taken0 = *ntaken;
	int				 r, seen, rv = -1;

	for (i = 0; i < n; i++)
		mailimap_set_add_single(set, uids[i]);
	ft = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_body_peek_section(
	    mailimap_section_new(NULL)));
	r = mailimap_uid_fetch(c->imap, set, ft, &res);
	mailimap_fetch_type_free(ft);
	if (r != MAILIMAP_NO_ERROR) {
		*errstr = n == 1 ? xasprintf("FETCH UID %u failed", uids[0]) :
		    xasprintf("FETCH UID %u:%u failed", uids[0], uids[n - 1]);
		mailimap_set_free(set);
		return -1;
	}
	f = xcalloc(n ? n : 1, sizeof(*f));
	for (it = clist_begin(res); it && nf < n; it = clist_next(it)) {
		struct mailimap_msg_att *ma = clist_content(it);

		f[nf].uid = 0;
		f[nf].body = NULL;
		for (jt = clist_begin(ma->att_list); jt; jt = clist_next(jt)) {
			struct mailimap_msg_att_item	*x = clist_content(jt);
			struct mailimap_msg_att_static	*st;

			if (x->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
				continue;
			st = x->att_data.att_static;
			if (st->att_type == MAILIMAP_MSG_ATT_UID)
				f[nf].uid = st->att_data.att_uid;
			else if (st->att_type == MAILIMAP_MSG_ATT_BODY_SECTION) {
				f[nf].body = st->att_data.att_body_section->
				    sec_body_part;
				f[nf].len = st->att_data.att_body_section->
				    sec_length;
			}
		}
		if (f[nf].uid != 0 && f[nf].body != NULL)
			nf++;
	}
	/* messages expunged meanwhile by another client are just gone */
	if (nf < n)
		log_warnx("%s: %zu of %zu messages did not come back from "
		    "FETCH", c->key, n - nf, n);
	qsort(f, nf, sizeof(*f), by_uid);
	if (store_begin(a->st, errstr) == -1)
		goto out;
	for (i = 0; i < nf; i++) {
		hash_sha256_hex(f[i].body, f[i].len, sha);
		if ((seen = store_imap_seen(a->st, sha, errstr)) == -1)
			goto rollback;
		if (seen) {
			log_info("IMAP UID %u: taken before (same bytes), not "
			    "spooled again", f[i].uid);
			continue;
		}
		if ((r = spool_buf(a, f[i].body, f[i].len, qid, errstr)) ==
		    -2) {
			/* the size lied: too large after all */
			log_warnx("IMAP UID %u: %s; left on the server",
			    f[i].uid, *errstr);
			free(*errstr);
			*errstr = NULL;
			continue;
		}
		if (r == -1)
			goto rollback;
		d = xasprintf("%s UID %u/%u", c->key, uidvalidity,
		    f[i].uid);
		r = store_imap_seen_add(a->st, sha, d, qid, errstr);
		if (r == 0)
			log_info("%s: accepted from IMAP %s", qid, d);
		free(d);
		if (r == -1)
			goto rollback;
		(*ntaken)++;
	}
	/* every new file of the window durable, then the record */
	if ((*ntaken > taken0 && queue_sync(a->cf->spool_directory,
	    Q_INCOMING, errstr) == -1) || store_commit(a->st, errstr) == -1)
		goto rollback;
	/* only now, with every message durable and recorded */
	rv = processed(a, c, set, errstr);
	goto out;
rollback:
	store_rollback(a->st);
out:
	free(f);
	mailimap_fetch_list_free(res);
	mailimap_set_free(set);
	return rv;
}

/*
 * One round over the selected mailbox: every UID above the last one
 * taken, in order. 0, or -1 (*errstr) when the connection failed.
 */
static int
drain(struct agent *a, struct conn *c, size_t *nnew, char **errstr)
{
	struct mailimap_selection_info	*si = c->imap->imap_selection_info;
	struct mailimap_set		*set;
	struct mailimap_fetch_type	*ft;
	clist				*res = NULL;
	clistiter			*it, *jt;
	struct listed			*l = NULL;
	uint32_t			 uidv, last = 0, uid, size;
	size_t				 n = 0, cap = 0, i, w, big = 0;
	long long			 sv, sl;
	int				 r;

	*nnew = 0;
	uidv = si ? si->sel_uidvalidity : 0;
	if ((r = store_imap_state(a->st, c->key, &sv, &sl, errstr)) == -1)
		return -1;
	if (r == 1 && (uint32_t)sv == uidv)
		last = (uint32_t)sl;
	else if (r == 0 && strcmp(a->cf->imap_initial, "new") == 0 &&
	    si && si->sel_uidnext > 0) {
		/* first contact, imap_initial = new: what is there stays */
		last = si->sel_uidnext - 1;
		log_info("%s: first poll: the %u messages already there are "
		    "left alone (imap_initial = new)", c->key,
		    si->sel_exists);
	} else if (r == 1)
		log_warnx("%s: UIDVALIDITY changed (%lld -> %u): every "
		    "message is looked at again; those taken before are "
		    "known by their bytes", c->key, sv, uidv);
	set = mailimap_set_new_interval(last + 1, 0);
	ft = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_rfc822_size());
	r = mailimap_uid_fetch(c->imap, set, ft, &res);
	mailimap_fetch_type_free(ft);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR) {
		*errstr = xstrdup("UID FETCH of the new messages failed");
		return -1;
	}
	for (it = clist_begin(res); it; it = clist_next(it)) {
		struct mailimap_msg_att *ma = clist_content(it);

		uid = size = 0;
		for (jt = clist_begin(ma->att_list); jt; jt = clist_next(jt)) {
			struct mailimap_msg_att_item *a2 = clist_content(jt);

			if (a2->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
				continue;
			if (a2->att_data.att_static->att_type ==
			    MAILIMAP_MSG_ATT_UID)
				uid = a2->att_data.att_static->att_data.att_uid;
			else if (a2->att_data.att_static->att_type ==
			    MAILIMAP_MSG_ATT_RFC822_SIZE)
				size = a2->att_data.att_static->att_data.
				    att_rfc822_size;
		}
		if (uid <= last)	/* "N:*" returns the last one too */
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			l = xrealloc(l, cap * sizeof(*l));
		}
		l[n].uid = uid;
		l[n++].size = size;
	}
	mailimap_fetch_list_free(res);
	/* UIDs ascend in the mailbox; the server's order may not */
	if (n > 1)
		qsort(l, n, sizeof(*l), by_uid_size);
	/* windows of FETCH_CHUNK UIDs; the state advances after each */
	r = 0;
	for (i = 0; i < n && !got_term && r == 0; i += w) {
		uint32_t	ok[FETCH_CHUNK];
		size_t		k, nok = 0;

		w = n - i > FETCH_CHUNK ? FETCH_CHUNK : n - i;
		for (k = i; k < i + w; k++) {
			if (l[k].size <= a->cf->limits.message_size)
				ok[nok++] = l[k].uid;
			else if (big++ < BIG_LOGGED)
				log_warnx("%s UID %u: %u bytes, over "
				    "message_size_limit: left on the server",
				    c->key, l[k].uid, l[k].size);
		}
		if ((nok > 0 && take(a, c, uidv, ok, nok, nnew,
		    errstr) == -1) || store_imap_state_set(a->st, c->key,
		    uidv, l[i + w - 1].uid, errstr) == -1)
			r = -1;
	}
	if (big > BIG_LOGGED)
		log_warnx("%s: %zu more messages over message_size_limit "
		    "left on the server", c->key, big - BIG_LOGGED);
	if (n == 0 && store_imap_state_set(a->st, c->key, uidv, last,
	    errstr) == -1)
		r = -1;
	free(l);
	return r;
}

/*
 * Wait for new mail: IDLE until the server says something, the limit,
 * or a signal. 0, or -1 when the connection failed.
 */
static int
wait_idle(struct conn *c, long long secs, char **errstr)
{
	struct pollfd	 p;
	struct timespec	 ts;
	sigset_t	 block, old;
	time_t		 end = time(NULL) + (time_t)secs, left;
	int		 r;

	if (mailimap_idle(c->imap) != MAILIMAP_NO_ERROR) {
		*errstr = xstrdup("IDLE failed");
		return -1;
	}
	p.fd = mailimap_idle_get_fd(c->imap);
	p.events = POLLIN;
	/* the signals are let in only inside ppoll(): one that comes
	 * between the test of its flag and the wait ends the wait at once
	 * instead of after imap_poll_interval */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	while (!got_term && !got_hup &&
	    c->imap->imap_stream->read_buffer_len == 0 &&
	    !tls_pending(mailstream_get_low(c->imap->imap_stream))) {
		if ((left = end - time(NULL)) <= 0)
			break;
		ts.tv_sec = left;
		ts.tv_nsec = 0;
		r = ppoll(&p, 1, &ts, &old);
		if (r == -1 && errno == EINTR)
			continue;
		if (r != 0)
			break;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (mailimap_idle_done(c->imap) != MAILIMAP_NO_ERROR) {
		*errstr = xstrdup("IDLE ended badly (connection lost?)");
		return -1;
	}
	return 0;
}

int
poll_run(struct agent *a, int once, const struct poll_hooks *hooks)
{
	struct sigaction sa;
	struct timespec	 t0, t1;
	struct conn	 c;
	char		*err = NULL;
	long long	 backoff = 1, d;
	size_t		 n;
	int		 rv = EX_OK, e;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	memset(&c, 0, sizeof(c));
	while (!got_term) {
		if (got_hup) {
			/* SIGHUP: the configuration and policy again, as
			 * the service reloads them */
			got_hup = 0;
			conn_close(&c);
			if ((e = hooks->reload(a)) != EX_OK)
				return e;
		}
		url_free(&c);
		if (a->cf->imap_url[0] == '\0') {
			log_warnx("poll: imap_url is not set");
			return EX_CONFIG;
		}
		if (parse_url(a->cf, &c, &err) == -1) {
			log_warnx("%s", err);
			free(err);
			return EX_CONFIG;
		}
		if (c.imap == NULL &&
		    (e = conn_open(a, &c, &err)) != ERR_NONE) {
			log_warnx("%s", err);
			free(err);
			err = NULL;
			conn_close(&c);
			if (once || e == ERR_CONFIG) {
				rv = e == ERR_AUTH ? EX_NOPERM : e ==
				    ERR_CONFIG ? EX_CONFIG : EX_UNAVAILABLE;
				break;
			}
			/* exponential backoff with jitter; a refused login
			 * starts at a minute (no lockout storm) */
			if (e == ERR_AUTH && backoff < 60)
				backoff = 60;
			d = backoff * 3 / 4 + (long long)randombytes_uniform(
			    (uint32_t)(backoff / 2 + 1));
			log_info("reconnecting in %lld s", d);
			for (; d > 0 && !got_term && !got_hup; d--)
				sleep(1);
			backoff = backoff * 2 > BACKOFF_MAX ? BACKOFF_MAX :
			    backoff * 2;
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (drain(a, &c, &n, &err) == -1) {
			log_warnx("%s: %s", c.key, err);
			free(err);
			err = NULL;
			conn_close(&c);
			if (once) {
				rv = EX_TEMPFAIL;
				break;
			}
			continue;
		}
		backoff = 1;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (n > 0)
			log_info("%s: %zu new messages taken in %lld ms",
			    c.key, n, (long long)(t1.tv_sec - t0.tv_sec) *
			    1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
		/* new mail, and between events what is due: the service's
		 * business (the queue run, the tick) */
		hooks->after_round(a);
		if (once)
			break;
		d = a->cf->imap_poll_interval > IDLE_MAX ? IDLE_MAX :
		    a->cf->imap_poll_interval;
		if (c.idle) {
			if (wait_idle(&c, d, &err) == -1) {
				log_warnx("%s: %s", c.key, err);
				free(err);
				err = NULL;
				conn_close(&c);
			}
		} else
			for (; d > 0 && !got_term && !got_hup; d--)
				sleep(1);
	}
	conn_close(&c);
	url_free(&c);
	if (got_term)
		log_info("poll: stopped");
	return rv;
}
