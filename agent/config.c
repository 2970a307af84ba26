/*
 * config.c: read psirt-agent.conf.
 *
 * Format: one "name = value" per line; '#' starts a comment line; blank
 * lines are ignored; values may be wrapped in double quotes. Every name
 * is in conf_table with its type and default (Postfix mail_params style).
 * Sizes accept k/m/g suffixes (powers of 1024), durations s/m/h/d.
 *
 * Trust: the file is written by the operator, but is parsed strictly:
 * every error names file:line and the reason, and nothing is guessed.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "agent/config.h"
#include "util/buf.h"
#include "util/nearest.h"
#include "util/xmalloc.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

enum conf_type { CT_STR, CT_PATH, CT_BOOL, CT_NUM, CT_SIZE, CT_TIME };

struct conf_item {
	const char	*name;
	enum conf_type	 type;
	size_t		 off;
	const char	*def;
	const char	*desc;
};

#define C(f)	offsetof(struct config, f)
#define NITEMS	(sizeof(conf_table) / sizeof(conf_table[0]))
static const struct conf_item conf_table[] = {
	{ "psirt_address", CT_STR, C(psirt_address), "security@localhost",
	  "address reporters write to; From of every reply" },
	{ "psirt_name", CT_STR, C(psirt_name), "Product Security Team",
	  "display name of the team" },
	{ "spool_directory", CT_PATH, C(spool_directory), "spool",
	  "queue directories" },
	{ "database", CT_PATH, C(database), "psirt.db", "SQLite case store" },
	{ "policy_file", CT_PATH, C(policy_file), "policies/psirt.policy",
	  "psirt-policy(5) file" },
	{ "gnupg_home", CT_PATH, C(gnupg_home), "gnupg",
	  "GnuPG home of the PSIRT keys (mode 0700)" },
	{ "seal_key_file", CT_PATH, C(seal_key_file), "seal.key",
	  "key for content stored at rest (mode 0600, made by init)" },
	{ "audit_key_file", CT_PATH, C(audit_key_file), "audit.key",
	  "Ed25519 key that signs the head of the event chain (made on "
	  "first use, mode 0600)" },
	{ "audit_anchor_file", CT_PATH, C(audit_anchor_file), "audit.anchor",
	  "append-only file: each signed head of the event chain, with its "
	  "event count, outside the store (also logged); a record cut or "
	  "rewritten in the store no longer continues it" },
	{ "sendmail", CT_STR, C(sendmail), "/usr/sbin/sendmail -i -t",
	  "command that sends a message read on stdin" },
	{ "psirt_fingerprint", CT_STR, C(psirt_fingerprint), "",
	  "OpenPGP key of the team: quoted in replies, signs them" },
	{ "psirt_smime_fingerprint", CT_STR, C(psirt_smime_fingerprint), "",
	  "S/MIME certificate of the team (SHA-1): signs S/MIME replies" },
	{ "case_reply_addresses", CT_BOOL, C(case_reply_addresses), "no",
	  "give each case its own reply address, local+token@domain of "
	  "psirt_address (the MTA must deliver it to the agent)" },
	{ "command_max_age", CT_TIME, C(command_max_age), "1d",
	  "oldest signature a staff command mail may have (older: a "
	  "replay, refused)" },
	{ "background_process", CT_BOOL, C(background_process), "yes",
	  "deliver starts a queue run after the commit" },
	{ "syslog", CT_BOOL, C(use_syslog), "yes", "log to syslog (mail)" },
	{ "database_busy_timeout", CT_TIME, C(busy_timeout), "30s",
	  "how long a store operation waits for another process's lock "
	  "before it fails (and is retried later)" },
	{ "allow_root", CT_BOOL, C(allow_root), "no",
	  "run even as root (the agent needs no privilege: run it as its "
	  "own user)" },
	{ "process_workers", CT_NUM, C(process_workers), "0",
	  "processes a queue run uses for new mail (0: one per CPU)" },
	{ "process_max_attempts", CT_NUM, C(process_max_attempts), "5",
	  "tries before a message is quarantined" },
	{ "retry_min_time", CT_TIME, C(retry_min_seconds), "60s",
	  "first retry delay (doubles each time)" },
	{ "retry_max_time", CT_TIME, C(retry_max_seconds), "1h",
	  "longest retry delay" },
	{ "outbox_lifetime", CT_TIME, C(outbox_lifetime), "5d",
	  "how long an unsent reply is retried" },
	{ "notice_batch_delay", CT_TIME, C(notice_batch_delay), "60s",
	  "a team member told less than this ago gets new events in the "
	  "next flush, together (0: at the end of every queue run)" },
	{ "imap_url", CT_STR, C(imap_url), "",
	  "mailbox `poll` reads: imaps://user@host[:port]/Mailbox, or imap:// "
	  "(STARTTLS)" },
	{ "imap_password_file", CT_PATH, C(imap_password_file), "",
	  "file whose first line is the IMAP password (else "
	  "$PSIRT_IMAP_PASSWORD)" },
	{ "imap_ca_file", CT_PATH, C(imap_ca_file), "",
	  "PEM CA certificates for the IMAP server (empty: the system's)" },
	{ "imap_fingerprint", CT_STR, C(imap_fingerprint), "",
	  "SHA-256 of the IMAP server certificate, checked as well" },
	{ "imap_processed", CT_STR, C(imap_processed), "seen",
	  "what `poll` does with a message once spooled: seen, move:Folder "
	  "or delete" },
	{ "imap_initial", CT_STR, C(imap_initial), "all",
	  "on the first poll of a mailbox take all its messages, or only "
	  "new ones (those that arrive later)" },
	{ "imap_poll_interval", CT_TIME, C(imap_poll_interval), "60s",
	  "poll this often without IDLE; with IDLE, run the queue this "
	  "often" },
	{ "imap_allow_plaintext", CT_BOOL, C(imap_allow_plaintext), "no",
	  "allow IMAP without TLS when the server has no STARTTLS" },
	{ "imap_timeout", CT_TIME, C(imap_timeout), "60s",
	  "IMAP network timeout" },
	{ "smtp_url", CT_STR, C(smtp_url), "",
	  "send replies through this SMTP server instead of the sendmail "
	  "command: smtps://[user@]host[:port] (TLS), or smtp:// (STARTTLS)" },
	{ "smtp_password_file", CT_PATH, C(smtp_password_file), "",
	  "file whose first line is the SMTP password (else "
	  "$PSIRT_SMTP_PASSWORD)" },
	{ "smtp_ca_file", CT_PATH, C(smtp_ca_file), "",
	  "PEM CA certificates for the SMTP server (empty: the system's)" },
	{ "smtp_fingerprint", CT_STR, C(smtp_fingerprint), "",
	  "SHA-256 of the SMTP server certificate, checked as well" },
	{ "smtp_allow_plaintext", CT_BOOL, C(smtp_allow_plaintext), "no",
	  "allow SMTP without TLS when the server has no STARTTLS" },
	{ "smtp_timeout", CT_TIME, C(smtp_timeout), "60s",
	  "SMTP network timeout" },
	{ "message_size_limit", CT_SIZE, C(limits.message_size), "64m",
	  "largest message deliver accepts" },
	{ "header_line_limit", CT_SIZE, C(limits.header_line), "64k",
	  "largest unfolded header field" },
	{ "header_count_limit", CT_NUM, C(limits.header_count), "1000",
	  "most header fields in one header block" },
	{ "header_size_limit", CT_SIZE, C(limits.header_size), "1m",
	  "largest header block" },
	{ "mime_depth_limit", CT_NUM, C(limits.mime_depth), "32",
	  "deepest MIME nesting walked" },
	{ "mime_parts_limit", CT_NUM, C(limits.mime_parts), "1000",
	  "most MIME parts walked" },
	{ "text_size_limit", CT_SIZE, C(limits.text_size), "1m",
	  "most body text kept per message" },
	{ "references_limit", CT_NUM, C(limits.msgids), "100",
	  "most References IDs used for threading" },
	{ "decrypted_size_limit", CT_SIZE, C(limits.decrypted_size), "64m",
	  "most bytes one decryption or signed content may yield" },
	{ "crypto_layers_limit", CT_NUM, C(limits.crypto_layers), "8",
	  "most encryption and signature layers opened per message" },
	{ "triage_items_limit", CT_NUM, C(triage_items_limit), "100",
	  "most CVE IDs, CWE IDs and CVSS vectors kept from one message" },
	{ "search_max_length", CT_SIZE, C(search_max_length), "1024",
	  "longest query `case search` (and #search by mail) takes, in "
	  "bytes; a longer one is refused" },
	{ "crypto_time_limit", CT_TIME, C(crypto_time_limit), "60s",
	  "longest time the crypto stage may take for one message" },
	/* status --check: WARNING and CRITICAL at or above (0: never) */
	{ "status_tick_warning", CT_TIME, C(status.tick[0]), "5m",
	  "status --check: the last tick is this old (or never ran)" },
	{ "status_tick_critical", CT_TIME, C(status.tick[1]), "15m",
	  "status --check: the last tick is this old" },
	{ "status_queue_warning", CT_TIME, C(status.queue[0]), "1h",
	  "status --check: mail waits this long in incoming, deferred or "
	  "the outbox" },
	{ "status_queue_critical", CT_TIME, C(status.queue[1]), "6h",
	  "status --check: mail waits this long" },
	{ "status_overdue_warning", CT_NUM, C(status.overdue[0]), "1",
	  "status --check: this many open cases are past a deadline" },
	{ "status_overdue_critical", CT_NUM, C(status.overdue[1]), "0",
	  "status --check: this many open cases are past a deadline" },
	{ "status_quarantine_warning", CT_NUM, C(status.quarantine[0]), "1",
	  "status --check: this many messages are in quarantine or hold" },
	{ "status_quarantine_critical", CT_NUM, C(status.quarantine[1]), "0",
	  "status --check: this many messages are in quarantine or hold" },
	{ "status_review_warning", CT_TIME, C(status.review[0]), "1d",
	  "status --check: a reply waits this long for TLP review" },
	{ "status_review_critical", CT_TIME, C(status.review[1]), "0",
	  "status --check: a reply waits this long for TLP review" },
	{ "status_audit_warning", CT_TIME, C(status.audit[0]), "1d",
	  "status --check: events this old are not under a signed head" },
	{ "status_audit_critical", CT_TIME, C(status.audit[1]), "0",
	  "status --check: events this old are not under a signed head" },
};
#undef C

static int	conf_set(struct config *, const struct conf_item *,
		    const char *, char **);
static int	conf_number(const char *, enum conf_type, long long *);

static int
conf_number(const char *s, enum conf_type type, long long *out)
{
	char		*end;
	long long	 v, mul = 1;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || v < 0)
		return -1;
	if (type == CT_SIZE) {
		switch (*end) {
		case 'k': case 'K': mul = 1024LL; end++; break;
		case 'm': case 'M': mul = 1024LL * 1024; end++; break;
		case 'g': case 'G': mul = 1024LL * 1024 * 1024; end++; break;
		}
	} else if (type == CT_TIME) {
		switch (*end) {
		case 's': case 'S': end++; break;
		case 'm': case 'M': mul = 60; end++; break;
		case 'h': case 'H': mul = 3600; end++; break;
		case 'd': case 'D': mul = 86400; end++; break;
		}
	}
	if (*end != '\0' || v > LLONG_MAX / mul)
		return -1;
	*out = v * mul;
	return 0;
}

static int
conf_set(struct config *cf, const struct conf_item *it, const char *val,
    char **errstr)
{
	char		*field = (char *)cf + it->off;
	long long	 n;

	switch (it->type) {
	case CT_STR:
	case CT_PATH:
		free(*(char **)field);
		if (it->type == CT_PATH && val[0] != '/' && val[0] != '\0')
			*(char **)field = xasprintf("%s/%s", cf->dir, val);
		else
			*(char **)field = xstrdup(val);
		return 0;
	case CT_BOOL:
		if (!strcasecmp(val, "yes") || !strcasecmp(val, "true") ||
		    !strcmp(val, "1"))
			*(int *)field = 1;
		else if (!strcasecmp(val, "no") || !strcasecmp(val, "false") ||
		    !strcmp(val, "0"))
			*(int *)field = 0;
		else {
			*errstr = xasprintf("%s: expected yes or no, not "
			    "\"%s\"", it->name, val);
			return -1;
		}
		return 0;
	case CT_NUM:
	case CT_SIZE:
	case CT_TIME:
		if (conf_number(val, it->type, &n) == -1) {
			*errstr = xasprintf("%s: bad %s \"%s\"", it->name,
			    it->type == CT_TIME ? "duration" :
			    it->type == CT_SIZE ? "size" : "number", val);
			return -1;
		}
		if (it->off >= offsetof(struct config, limits)) {
			if (n == 0) {
				*errstr = xasprintf("%s: must be above 0",
				    it->name);
				return -1;
			}
			*(size_t *)field = (size_t)n;
		} else
			*(long long *)field = n;
		return 0;
	}
	return -1;
}

/* a setting as the file gives it, before $name expansion */
struct raw {
	char	*val;
	size_t	 line;
};

static size_t
item_index(const char *name)
{
	size_t	i;

	for (i = 0; i < NITEMS; i++)
		if (strcmp(conf_table[i].name, name) == 0)
			break;
	return i;
}

static const char *const *
item_names(void)
{
	static const char	*names[NITEMS];
	size_t			 i;

	for (i = 0; i < NITEMS; i++)
		names[i] = conf_table[i].name;
	return names;
}

static void
raw_free(struct raw *raw)
{
	size_t	i;

	if (raw == NULL)
		return;
	for (i = 0; i < NITEMS; i++)
		free(raw[i].val);
	free(raw);
}

/*
 * The value of setting i with $name, ${name} and $(name) replaced by the
 * value of that setting (as the file gives it, else its default), as in
 * Postfix's main.cf; "$$" is one "$", and a "$" before anything else
 * stays. An unknown name or a loop is an error.
 */
static char *
expand(const struct raw *raw, size_t i, int depth, char **errstr)
{
	const char	*s = raw[i].val ? raw[i].val : conf_table[i].def, *e;
	struct buf	 b;
	char		*name, *sub;
	size_t		 j, len;
	int		 paren;

	if (depth > 8) {
		*errstr = xasprintf("%s: $name references nest too deep (a "
		    "loop?)", conf_table[i].name);
		return NULL;
	}
	buf_init(&b);
	while (*s) {
		if (s[0] != '$') {
			buf_putc(&b, *s++);
			continue;
		}
		if (s[1] == '$') {
			buf_putc(&b, '$');
			s += 2;
			continue;
		}
		paren = s[1] == '{' || s[1] == '(';
		e = s + 1 + paren;
		len = strspn(e, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
		if (len == 0 || (paren && e[len] != (s[1] == '{' ? '}' : ')'))) {
			buf_putc(&b, *s++);
			continue;
		}
		name = xstrndup(e, len);
		if ((j = item_index(name)) == NITEMS) {
			*errstr = xasprintf("%s: unknown setting $%s%s",
			    conf_table[i].name, name, nearest_hint(name,
			    item_names(), NITEMS));
			free(name);
			buf_free(&b);
			return NULL;
		}
		free(name);
		if ((sub = expand(raw, j, depth + 1, errstr)) == NULL) {
			buf_free(&b);
			return NULL;
		}
		buf_puts(&b, sub);
		free(sub);
		s = e + len + paren;
	}
	return buf_release(&b);
}

int
config_load(const char *path, struct config **out, char **errstr)
{
	struct config	*cf;
	FILE		*fp = NULL;
	struct raw	*raw;
	char		*line = NULL, *p, *name, *val, *end, *err = NULL;
	size_t		 cap = 0, i, lineno = 0;
	ssize_t		 n;
	const char	*slash;

	raw = xcalloc(NITEMS, sizeof(*raw));
	cf = xcalloc(1, sizeof(*cf));
	cf->path = xstrdup(path);
	slash = strrchr(path, '/');
	cf->dir = slash ? xstrndup(path, slash == path ? 1 :
	    (size_t)(slash - path)) : xstrdup(".");
	for (i = 0; i < sizeof(conf_table) / sizeof(conf_table[0]); i++)
		if (conf_set(cf, &conf_table[i], conf_table[i].def, &err) == -1)
			abort();	/* a bad built-in default is a bug */

	if ((fp = fopen(path, "r")) == NULL) {
		*errstr = xasprintf("open %s: %s", path, strerror(errno));
		goto fail;
	}
	while ((n = getline(&line, &cap, fp)) != -1) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		p = line + strspn(line, " \t");
		if (*p == '#' || *p == '\0')
			continue;
		name = p;
		if ((p = strchr(p, '=')) == NULL) {
			*errstr = xasprintf("%s:%zu: expected \"name = value\"",
			    path, lineno);
			goto fail;
		}
		*p++ = '\0';
		for (end = p - 1; end > name && (end[-1] == ' ' ||
		    end[-1] == '\t'); end--)
			end[-1] = '\0';
		val = p + strspn(p, " \t");
		for (end = val + strlen(val); end > val && (end[-1] == ' ' ||
		    end[-1] == '\t'); end--)
			end[-1] = '\0';
		if (val[0] == '"' && strlen(val) >= 2 &&
		    val[strlen(val) - 1] == '"') {
			val[strlen(val) - 1] = '\0';
			val++;
		}
		if ((i = item_index(name)) == NITEMS) {
			*errstr = xasprintf("%s:%zu: unknown setting \"%s\"%s",
			    path, lineno, name, nearest_hint(name, item_names(),
			    NITEMS));
			goto fail;
		}
		/* the last line for a setting wins, as in main.cf */
		free(raw[i].val);
		raw[i].val = xstrdup(val);
		raw[i].line = lineno;
	}
	/*
	 * getline(3) returns -1 on ENOMEM too, without the error flag
	 * (glibc before 2.37): a stop short of end of file is an error,
	 * never a shorter configuration.
	 */
	if (ferror(fp) || !feof(fp)) {
		*errstr = xasprintf("read %s: %s", path, strerror(errno ?
		    errno : EIO));
		goto fail;
	}
	fclose(fp);
	fp = NULL;
	for (i = 0; i < NITEMS; i++) {
		if (raw[i].val == NULL)
			continue;
		if ((val = expand(raw, i, 0, &err)) == NULL ||
		    conf_set(cf, &conf_table[i], val, &err) == -1) {
			*errstr = xasprintf("%s:%zu: %s", path, raw[i].line,
			    err);
			free(err);
			free(val);
			goto fail;
		}
		free(val);
	}
	raw_free(raw);
	free(line);
	if (cf->process_max_attempts < 1) {
		*errstr = xasprintf("%s: process_max_attempts must be at "
		    "least 1", path);
		config_free(&cf);
		return -1;
	}
	if (strchr(cf->psirt_address, '@') == NULL ||
	    strpbrk(cf->psirt_address, " \t\r\n<>\",") != NULL) {
		*errstr = xasprintf("%s: psirt_address \"%s\" is not a plain "
		    "address", path, cf->psirt_address);
		config_free(&cf);
		return -1;
	}
	*out = cf;
	return 0;
fail:
	if (fp)
		fclose(fp);
	raw_free(raw);
	free(line);
	config_free(&cf);
	return -1;
}

int
config_find(const char *path, struct config **out, char **errstr)
{
	if (path == NULL && (path = getenv(CONFIG_ENV)) != NULL && *path == '\0') {
		*errstr = xasprintf("%s is set but empty", CONFIG_ENV);
		return -1;
	}
	if (path == NULL) {
		path = CONFIG_DEFAULT;
		if (access(path, F_OK) == -1 && errno == ENOENT) {
			*errstr = xasprintf("no configuration at %s (the "
			    "default): make one with `psirt-agent init`, or "
			    "name one with -c FILE or %s", path, CONFIG_ENV);
			return -1;
		}
	}
	return config_load(path, out, errstr);
}

void
config_free(struct config **cfp)
{
	struct config	*cf = *cfp;
	size_t		 i;

	if (cf == NULL)
		return;
	for (i = 0; i < sizeof(conf_table) / sizeof(conf_table[0]); i++)
		if (conf_table[i].type == CT_STR ||
		    conf_table[i].type == CT_PATH)
			free(*(char **)((char *)cf + conf_table[i].off));
	free(cf->path);
	free(cf->dir);
	free(cf);
	*cfp = NULL;
}

/* setting i of cf as config prints it */
static void
format_item(const struct config *cf, size_t i, struct buf *b)
{
	const struct conf_item	*it = &conf_table[i];
	const char		*field = (const char *)cf + it->off;

	switch (it->type) {
	case CT_STR:
	case CT_PATH:
		buf_puts(b, *(char *const *)field);
		break;
	case CT_BOOL:
		buf_puts(b, *(const int *)field ? "yes" : "no");
		break;
	default:
		if (it->off >= offsetof(struct config, limits))
			buf_printf(b, "%zu", *(const size_t *)field);
		else
			buf_printf(b, "%lld", *(const long long *)field);
	}
}

int
config_print(const struct config *cf, int fd, int mode, char **names,
    size_t nnames, char **errstr)
{
	struct config	*def;
	struct buf	 b, v, d;
	size_t		 i, k;
	char		*err = NULL;
	int		 want;

	for (k = 0; k < nnames; k++)
		if (item_index(names[k]) == NITEMS) {
			*errstr = xasprintf("unknown setting \"%s\"%s",
			    names[k], nearest_hint(names[k], item_names(),
			    NITEMS));
			return -1;
		}
	/* the defaults, with paths resolved as cf's are */
	def = xcalloc(1, sizeof(*def));
	def->dir = xstrdup(cf->dir);
	for (i = 0; i < NITEMS; i++)
		if (conf_set(def, &conf_table[i], conf_table[i].def,
		    &err) == -1)
			abort();	/* a bad built-in default is a bug */
	buf_init(&b);
	buf_init(&v);
	buf_init(&d);
	for (i = 0; i < NITEMS; i++) {
		want = nnames == 0;
		for (k = 0; k < nnames; k++)
			if (strcmp(names[k], conf_table[i].name) == 0)
				want = 1;
		if (!want)
			continue;
		buf_truncate(&v, 0);
		buf_truncate(&d, 0);
		format_item(cf, i, &v);
		format_item(def, i, &d);
		if (mode == CONFIG_NONDEFAULT && strcmp(v.s, d.s) == 0)
			continue;
		buf_printf(&b, "%s = %s\n", conf_table[i].name,
		    mode == CONFIG_DEFAULTS ? d.s : v.s);
	}
	if (write(fd, b.s, b.len) < 0) {
		/* best effort: stdout closed */
	}
	buf_free(&b);
	buf_free(&v);
	buf_free(&d);
	config_free(&def);
	return 0;
}

int
config_write_default(const char *path, const char *address,
    const char *sendmail, char **errstr)
{
	FILE	*fp;
	size_t	 i;

	if ((fp = fopen(path, "wx")) == NULL) {
		*errstr = xasprintf("create %s: %s", path, strerror(errno));
		return -1;
	}
	fprintf(fp, "# psirt-agent.conf: see psirt-agent(8).\n"
	    "# Relative paths are relative to this file's directory.\n\n");
	for (i = 0; i < sizeof(conf_table) / sizeof(conf_table[0]); i++) {
		const struct conf_item	*it = &conf_table[i];
		const char		*v = it->def;

		if (strcmp(it->name, "psirt_address") == 0 && address)
			v = address;
		if (strcmp(it->name, "sendmail") == 0 && sendmail)
			v = sendmail;
		fprintf(fp, "# %s\n%s%s = %s\n", it->desc,
		    (v == it->def && it->type != CT_PATH) ? "#" : "",
		    it->name, v);
	}
	if (fflush(fp) == EOF || fsync(fileno(fp)) == -1) {
		*errstr = xasprintf("write %s: %s", path, strerror(errno));
		fclose(fp);
		return -1;
	}
	if (fclose(fp) == EOF) {
		*errstr = xasprintf("close %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int
config_root_ok(const struct config *cf)
{
	const char	*e = getenv("PSIRT_ALLOW_ROOT");

	return geteuid() != 0 || (cf && cf->allow_root) || (e && strcmp(e,
	    "1") == 0);
}
