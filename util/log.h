/*
 * log: diagnostics to stderr and/or syslog. Every line carries the current
 * queue or case ID (log_set_id). log_warn appends strerror(errno),
 * log_warnx does not. fatal/fatalx exit with the code set by
 * log_set_fatal_exit (EX_TEMPFAIL by default, so an MTA retries).
 * Callers escape untrusted text (printable_*) before logging it.
 */
#ifndef PSIRT_AGENT_LOG_H
#define PSIRT_AGENT_LOG_H

void	log_init(const char *progname, int use_syslog, int verbose);
void	log_set_id(const char *id);
void	log_set_fatal_exit(int code);
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
