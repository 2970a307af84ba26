/*
 * config: psirt-agent.conf, "name = value" lines, one typed table.
 *
 * Unknown names, bad numbers and bad booleans are errors reported as
 * "file:line: reason". Relative paths are relative to the directory of
 * the configuration file. The struct is filled once at start-up and then
 * only read.
 */
#ifndef PSIRT_AGENT_CONFIG_H
#define PSIRT_AGENT_CONFIG_H

#include "parsers/limits.h"

struct config {
	char		*path;			/* the file read */
	char		*dir;			/* its directory */
	char		*psirt_address;
	char		*psirt_name;
	char		*spool_directory;
	char		*database;
	char		*policy_file;
	char		*gnupg_home;
	char		*seal_key_file;
	char		*audit_key_file;
	char		*audit_anchor_file;
	char		*sendmail;
	char		*psirt_fingerprint;
	char		*psirt_smime_fingerprint;
	char		*imap_url;
	char		*imap_password_file;
	char		*imap_ca_file;
	char		*imap_fingerprint;
	char		*imap_processed;
	char		*imap_initial;		/* all, new */
	long long	 imap_poll_interval;
	long long	 imap_timeout;
	int		 imap_allow_plaintext;
	char		*smtp_url;		/* "": the sendmail command */
	char		*smtp_password_file;
	char		*smtp_ca_file;
	char		*smtp_fingerprint;
	long long	 smtp_timeout;
	int		 smtp_allow_plaintext;
	int		 background_process;	/* deliver forks a runner */
	int		 case_reply_addresses;	/* local+token@domain */
	long long	 command_max_age;	/* seconds */
	int		 use_syslog;
	int		 allow_root;		/* run even as root */
	long long	 busy_timeout;		/* database_busy_timeout, s */
	long long	 process_workers;	/* 0: one per CPU */
	long long	 process_max_attempts;
	long long	 retry_min_seconds;
	long long	 retry_max_seconds;
	long long	 outbox_lifetime;	/* seconds before giving up */
	long long	 notice_batch_delay;	/* team notices: hold-off, s */
	long long	 crypto_time_limit;	/* seconds per message */
	long long	 triage_items_limit;	/* per kind and message */
	long long	 search_max_length;	/* bytes of a case search */
	struct {			/* status --check: [0] WARNING, [1] */
		long long	 tick[2], queue[2], overdue[2];
		long long	 quarantine[2], review[2], audit[2];
	}		 status;
	struct limits	 limits;
};

#define CONFIG_ENV	"PSIRT_AGENT_CONF"
/* where the package puts it (init with no DIR makes it there) */
#define CONFIG_DIR	SYSCONFDIR "/psirt-agent"
#define CONFIG_DEFAULT	CONFIG_DIR "/psirt-agent.conf"

int	 config_load(const char *path, struct config **, char **errstr);
/* Load the file named by -c (path, may be NULL), else $PSIRT_AGENT_CONF,
 * else the installed sysconfdir file. */
int	 config_find(const char *path, struct config **, char **errstr);
void	 config_free(struct config **);
/* May this process go on? Not as root unless allow_root or
 * $PSIRT_ALLOW_ROOT=1 (cf may be NULL: the environment only). */
int	 config_root_ok(const struct config *);
/*
 * Print settings as "name = value" (`psirt-agent config`): the names
 * given (all when nnames is 0), as set, only those that differ from the
 * default, or their defaults. -1 with errstr for an unknown name.
 */
#define CONFIG_ALL		0
#define CONFIG_NONDEFAULT	1
#define CONFIG_DEFAULTS		2
int	 config_print(const struct config *, int fd, int mode, char **names,
	    size_t nnames, char **errstr);
/* Write a fresh configuration for `init`. */
int	 config_write_default(const char *path, const char *address,
	    const char *sendmail, char **errstr);

#endif
