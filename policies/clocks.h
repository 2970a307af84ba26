/*
 * clocks: the deadlines of psirt-policy(5), their escalation ladders,
 * and the business calendar business-time clocks count in.
 *
 *   calendar tz ZONE hours HH:MM-HH:MM days DAY-DAY
 *   holiday YYYY-MM-DD ["name"]
 *   holidays "FILE"               lines "YYYY-MM-DD [name]", '#' comments
 *   deadline triage within N business-days|business-hours|days|hours
 *   deadline fix critical|high|medium|low within N UNIT
 *   deadline disclosure within N UNIT
 *   deadline incident levels 3-4|1-2 within N UNIT
 *   deadline reassessment within N UNIT
 *   deadline improvement-mid|improvement-long within N UNIT
 *   pause-in STATUS...
 *   escalate CLOCK at P% to WHO[,WHO...] [urgent]
 *   quiet-hours HH:MM-HH:MM
 *   digest at HH:MM [days DAY-DAY] | digest off
 *   reopen-restarts CLOCK... | reopen-restarts none
 * UNIT: business-days, business-hours, hours, days, months (30 days),
 * years (365 days). WHO: R, A, C, I (of the clock's task) or a role.
 * Defaults follow the guideline (see psirt-policy(5)).
 */
#ifndef PSIRT_POLICIES_CLOCKS_H
#define PSIRT_POLICIES_CLOCKS_H

#include <stddef.h>

struct buf;
struct raci;

enum clock_id { CLK_TRIAGE, CLK_FIX, CLK_DISCLOSURE, CLK_INCIDENT,
	CLK_REASSESS, CLK_IMPROVE_MID, CLK_IMPROVE_LONG, CLK_MAX };

struct calendar {
	char		 tz[65];
	int		 start_min, end_min;	/* working hours, minutes */
	int		 days;			/* bit 0 Sunday ... 6 Saturday */
	int		*holidays;		/* yyyymmdd, sorted */
	size_t		 nholidays;
};

struct ladder_step {
	int		 pct;			/* of the clock's duration */
	char		*who[16];		/* "R", "A", "C", "I" or a role */
	size_t		 nwho;
	int		 urgent;		/* no quiet hours */
	char		*where;
};

struct clock_def {
	long long	 secs;			/* duration */
	int		 business;		/* counted in business time */
	int		 bdays;			/* given in business days */
};

struct clocks {
	struct calendar	  cal;
	/* durations: fix by severity (0 critical .. 3 low), incident by
	 * level (index 1..4) */
	struct clock_def  triage, fix[4], disclosure, incident[5], reassess,
			  improve_mid, improve_long;
	char		 *pause_in[16];
	size_t		  npause;
	struct ladder_step *steps[CLK_MAX];
	size_t		  nsteps[CLK_MAX];
	int		  quiet_start, quiet_end;	/* minutes */
	/* the daily digest: minutes after midnight in each member's
	 * zone (-1: none, the default), on these days (bit 0 Sunday) */
	int		  digest_min, digest_days;
	/* the clocks a case reopened (moved from rejected, duplicate or
	 * closed to an open status) starts again, from the reopening */
	int		  reopen[CLK_MAX];
};

struct clocks	*clocks_new(void);
void		 clocks_free(struct clocks **);
/* 1 taken, 0 not ours, -1 *errstr; path is the policy file (for a
 * relative holidays file); problems collects "file:line: reason" of a
 * holidays file. */
int		 clocks_stmt(struct clocks *, char *const *w, const char *types,
		    size_t n, const char *where, const char *path,
		    struct buf *problems, char **errstr);
/* After the file: the default ladders where none is given, and every
 * role an escalate names must exist. Returns the number of problems. */
size_t		 clocks_check(struct clocks *, const struct raci *,
		    struct buf *problems);
const char	*clock_name(enum clock_id);
int		 clock_by_name(const char *);
/* The task of the team whose R, A, C and I a clock escalates to. */
const char	*clock_task(enum clock_id);
/* "NUMBER UNIT" of calendar time (hours, days, months of 30 days,
 * years of 365) in seconds, as a deadline's; 0, or -1 and *errstr. */
int		 clocks_duration(const char *num, const char *unit,
		    long long *secs, char **errstr);
/* Does a case in this status hold its clocks? */
int		 clocks_paused_in(const struct clocks *, const char *status);

/* Is a move from status `from` to `to` a reopening: from rejected,
 * duplicate or closed to a status that is not one of them? */
int		 clocks_reopening(const char *from, const char *to);

/*
 * Why a deadline was missed, as staff give it (case set ID
 * overrun-reason=GROUP[: TEXT]): one of the groups, the text free.
 * clocks_overrun_group() gives the group of such a value, or -1 when it
 * does not start with one (a group alone, or followed by ':').
 */
enum { OVR_RESOURCES, OVR_THIRD_PARTY, OVR_PROCESS, OVR_NONE, OVR_MAX };
extern const char *const overrun_groups[OVR_MAX];
int		 clocks_overrun_group(const char *value);

/* The statuses of a case's life (NULL-terminated); a policy adds its
 * pause-in statuses (clocks_paused_in). */
extern const char *const case_statuses[];

#endif
