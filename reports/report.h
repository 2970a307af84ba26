/*
 * report.h: the figures of `psirt-agent report` (report.c) and their
 * four renderings (report_render.c).
 */
#ifndef AGENT_REPORT_H
#define AGENT_REPORT_H

#include <stddef.h>

#include "util/buf.h"
#include "policies/clocks.h"
#include "spool/store.h"
#include "spool/store_report.h"

#define ISO_FMT		"%Y-%m-%dT%H:%M:%SZ"
#define NGROUP		5
#define FAR_FUTURE	253402300799LL	/* 9999-12-31T23:59:59Z */

enum { ST_ACK, ST_TRIAGE, ST_FIX, ST_DISCLOSURE, ST_RECOVERY, NSTEP };
extern const char *const step_name[NSTEP];
extern const char *const step_zh[NSTEP];
extern const char *const sev_group[NGROUP];
extern const char *const lvl_group[NGROUP];

enum { D_KIND, D_SOURCE, D_SEVERITY, D_STATUS, D_LEVEL, D_TLP, D_CWE,
	D_PRODUCT, D_MODULE, D_SCOPE, NDIM };
extern const char *const dim_name[NDIM];
extern const char *const dim_zh[NDIM];

/* What a case in its status must have on record. */
enum { G_ACK, G_SEVERITY, G_CVSS, G_CWE, G_PRODUCT, G_FIX, G_CVE, G_LEVEL,
	G_APPROVAL, NGAP };
extern const char *const gap_name[NGAP];

struct series {
	long long	*v;
	size_t		 n, cap;
	long long	 on_time, running, overdue;
};

struct counts {			/* keys hashed: products can be many */
	struct store_count *v;
	size_t		 n;
	size_t		*slot;		/* index + 1, 0 empty */
	size_t		 nslot;
};

struct month {
	char		 key[8];	/* YYYY-MM */
	long long	 opened, vuln, incid, fixed;
};

/* An overdue clock: whose it is, how serious the case is. */
struct late {
	char		*id;
	const char	*clock;
	char		*severity;	/* a vulnerability's, or NULL */
	int		 level;		/* an incident's, 0 unknown */
	int		 incident;
	char		*owner;		/* the assignee, or the R */
	int		 assigned;	/* 1: owner is the assignee */
	long long	 due_at;
};

struct held {
	char		*id;
	char		*reason;
};

struct gap {
	char		*id;
	unsigned	 missing;	/* bits of G_* */
};

/* Each figure's definition, one line in English and in Traditional
 * Chinese: the text and JSON reports, the HTML footnote and the manual
 * (psirt-agent(8), REPORT) say the same. */
struct report_def {
	const char	*key;
	const char	*en;
	const char	*zh_TW;
};
extern const struct report_def report_defs[];
extern const size_t report_ndefs;

/* Deadlines missed, by the case's overrun reason (OVR_* of
 * policies/clocks.h: resources, third-party, process, none given). */
struct overrun {
	long long	 deadlines;	/* clocks ended late or running late */
	long long	 cases;		/* cases with one or more */
};

struct report {
	long long	 now, from, to;
	long long	 total, open, vuln, incid;
	struct counts	 dim[NDIM];
	struct series	 t[NSTEP][NGROUP];
	long long	 deadline[NSTEP][NGROUP];	/* seconds, 0 none */
	int		 business[NSTEP][NGROUP];
	int		 bdays[NSTEP][NGROUP];
	struct series	 handling;
	struct series	 human;		/* report to a person's first answer */
	struct overrun	 overrun[OVR_MAX];
	struct month	*mon;
	size_t		 nmon;
	struct late	*late;
	size_t		 nlate;
	struct held	*held;
	size_t		 nheld;
	struct gap	*gap;
	size_t		 ngap;
	long long	 checked, gaps[NGAP];
	long long	 triaged, valid;
	struct store_exception *exc;
	size_t		 nexc;
	struct store_reporter_stats rs;
	struct store_count *top;
	size_t		 ntop;
};

/* Every step of every group with a case in it. */
#define EACH_TIME(r, st, g) \
	for ((st) = 0; (st) < NSTEP; (st)++) \
		for ((g) = 0; (g) < NGROUP; (g)++) \
			if ((r)->t[st][g].n || (r)->t[st][g].running)

long long	 report_median(const struct series *);
long long	 report_mean(const struct series *);
long long	 report_p90(const struct series *);
long long	 report_ended(const struct series *);
const char	*report_group_name(int, int);
void		 report_kpis(const struct report *, long long *, long long *,
		    long long *, long long *, long long *, long long *);

void		 render_json(const struct report *, struct buf *);
void		 render_csv(const struct report *, struct buf *);
void		 render_text(const struct report *, struct buf *);
void		 render_html(const struct report *, struct buf *);
void		 render_html_definitions(struct buf *);

#endif
