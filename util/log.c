/*
 * log.c: stderr and syslog diagnostics with the current queue/case ID.
 *
 * The ID prefix lets an operator grep one message's life from intake to
 * acknowledgement. Log lines carry text from outside (addresses,
 * subjects, server replies): every control character, C0, DEL and the
 * UTF-8 encoded C1 range, becomes '?' here, so that no value can forge
 * a log line or drive the terminal that shows it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sysexits.h>

#include "util/log.h"

static const char	*log_prog = "psirt-agent";
static int		 log_syslog;
static int		 log_verbose;
static int		 log_fatal_code = EX_TEMPFAIL;
static char		 log_id[64];

static void	log_vlog(int, const char *, const char *, va_list)
		    __attribute__((format(printf, 3, 0)));

void
log_init(const char *progname, int use_syslog, int verbose)
{
	log_prog = progname;
	log_syslog = use_syslog;
	log_verbose = verbose;
	if (use_syslog)
		openlog(progname, LOG_PID | LOG_NDELAY, LOG_MAIL);
}

void
log_set_id(const char *id)
{
	if (id == NULL)
		log_id[0] = '\0';
	else
		snprintf(log_id, sizeof(log_id), "%s", id);
}

void
log_set_fatal_exit(int code)
{
	log_fatal_code = code;
}

/* Control characters to '?', in place (a C1 pair becomes "??"). */
static void
log_sanitise(char *s)
{
	unsigned char	*p = (unsigned char *)s;

	for (; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = '?';
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			p[0] = p[1] = '?';
			p++;
		}
}

static void
log_vlog(int pri, const char *suffix, const char *fmt, va_list ap)
{
	char	msg[4096], suf[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	log_sanitise(msg);
	if (suffix) {
		snprintf(suf, sizeof(suf), "%s", suffix);
		log_sanitise(suf);
		suffix = suf;
	}
	if (pri == LOG_DEBUG && !log_verbose)
		return;
	if (pri != LOG_INFO || log_verbose || !log_syslog)
		fprintf(stderr, "%s: %s%s%s%s%s\n", log_prog,
		    log_id[0] ? log_id : "", log_id[0] ? ": " : "", msg,
		    suffix ? ": " : "", suffix ? suffix : "");
	if (log_syslog)
		syslog(pri, "%s%s%s%s%s", log_id[0] ? log_id : "",
		    log_id[0] ? ": " : "", msg, suffix ? ": " : "",
		    suffix ? suffix : "");
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;
	char	err[256];

	snprintf(err, sizeof(err), "%s", strerror(errno));
	va_start(ap, fmt);
	log_vlog(LOG_WARNING, err, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vlog(LOG_WARNING, NULL, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vlog(LOG_INFO, NULL, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vlog(LOG_DEBUG, NULL, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	ap;
	char	err[256];

	snprintf(err, sizeof(err), "%s", strerror(errno));
	va_start(ap, fmt);
	log_vlog(LOG_CRIT, err, fmt, ap);
	va_end(ap);
	exit(log_fatal_code);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vlog(LOG_CRIT, NULL, fmt, ap);
	va_end(ap);
	exit(log_fatal_code);
}
