/*
 * help.c: the commands, their synopses and what each does, in one
 * table: the usage message, `psirt-agent help [COMMAND]` and the bash
 * completion (`help --commands`) all read it; psirt-agent(8) has the
 * whole story, and 015-manpages.t checks that it names each command.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "agent/agent.h"
#include "agent/util/nearest.h"
#include "agent/util/xmalloc.h"

static const struct {
	const char	*name;		/* first word */
	const char	*synopsis;	/* after "psirt-agent [-c F] " */
	const char	*what;
} cmds[] = {
	{ "init", "init [--address A] [--name N] [--sendmail CMD] "
	  "[--generate-keys] [DIR] | init --data CONFIG",
	  "Create an instance in DIR (default: where the commands look "
	  "without -c): configuration, policy and templates, "
	  "spool, store, seal key (and with --generate-keys the team's "
	  "OpenPGP key and S/MIME certificate); with --data, only the data "
	  "an existing configuration names." },
	{ "deliver", "deliver [-f sender] [-r recipient]",
	  "The MTA pipe: commit the message on standard input to the spool "
	  "(exit 0), or exit 75 so that the MTA retries." },
	{ "process", "process [--background] | process --retry QUEUE-ID...",
	  "Run the queue now: parse, decrypt, thread, open cases, reply; "
	  "--retry reads stored messages again (after a key was added)." },
	{ "tick", "tick [--now TIME]",
	  "What is due now: deadlines and escalations, then a queue run "
	  "(for a timer, every minute)." },
	{ "poll", "poll [--once]",
	  "Take mail from imap_url (with IDLE), and run the queue." },
	{ "case", "case list [--json] | case list --overdue [--json] | "
	  "case show ID [--json] | case set ID KEY=VALUE... | "
	  "case merge INTO FROM | case attachment ID SHA256",
	  "Cases: list them, show one, change one (status, severity, TLP, "
	  "facts...), merge two, get an attachment decrypted." },
	{ "queue", "queue list [--json] | queue requeue QUEUE-ID... | "
	  "queue release MESSAGE-ID",
	  "Mail that waits: deferred, held, quarantined, and replies held "
	  "for TLP review." },
	{ "inspect", "inspect [-f sender] [FILE]",
	  "Parse a message only and print what the agent sees, as JSON." },
	{ "key", "key import FILE [--passphrase-file F] | key list [--json] | "
	  "key pin ADDRESS FINGERPRINT [--smime]",
	  "Keys: import the team's or others' keys, list them, pin a "
	  "reporter's key." },
	{ "policy", "policy check",
	  "Load the policy and print every problem (file:line: reason)." },
	{ "audit", "audit verify [--max N] | audit export ID | audit sign",
	  "The tamper-evident record: verify the chain and its signed "
	  "heads, export a case's entries, sign the head now." },
	{ "reporters", "reporters [--json]",
	  "The reporter relationship record." },
	{ "halloffame", "halloffame [--format markdown|html]",
	  "Credited reporters who chose to be named, as a page to publish." },
	{ "report", "report [--from DATE] [--to DATE] "
	  "[--format text|csv|json|html]",
	  "Counts, trends, time per step against the deadlines, overdue "
	  "and paused cases, exceptions, conformance, KPIs." },
	{ "advisory", "advisory ID [--format csaf|text|markdown] "
	  "[--lang LANG]",
	  "The advisory of a case: CSAF 2.0, or text or Markdown from the "
	  "templates." },
	{ "cve-request", "cve-request ID [--lang LANG]",
	  "Ask the policy's CNA for a CVE ID by mail." },
	{ "check", "check [--max N]",
	  "Do the spool, the store and the audit record agree? (exit 65 "
	  "if not)" },
	{ "expire", "expire [--dry-run]",
	  "Retention: remove the mail of cases closed longer than the "
	  "policy keeps it (not under hold); the case and its record "
	  "stay. Daily from tick." },
	{ "backup", "backup DIR",
	  "An online backup into the new directory DIR: the store, the "
	  "spool, the keys and the policy, usable as an instance." },
	{ "status", "status [--format text|json|prometheus] | "
	  "status --check",
	  "A short summary for people and monitoring: queues, oldest "
	  "deferred, review, open and overdue cases, last tick and queue "
	  "run, audit head age; --check exits 0/1/2/3 as Nagios plugins do." },
	{ "config", "config [-n | -d] [NAME...]",
	  "Print settings as \"name = value\": every one, the NAMEs given, "
	  "only those that differ from the default (-n), or the defaults "
	  "(-d)." },
	{ "version", "version", "Print the version." },
	{ "help", "help [COMMAND | --commands]",
	  "This help; --commands lists the command names." },
};
#define NCMDS	(sizeof(cmds) / sizeof(cmds[0]))

/*
 * The words a command's synopsis gives: subcommands (a lower-case word
 * right after the command's name in an alternative) and options, each
 * with whether it takes a value (the next word is neither an option nor
 * "|"). The synopsis is the one list of what a command accepts.
 */
struct words {
	char	*sub[16], *opt[24];
	int	 optarg[24];
	size_t	 nsub, nopt;
};

static void
words_of(size_t c, struct words *w)
{
	char	*s, *tok[96], *p, *save = NULL;
	size_t	 n = 0, i, j, k;

	memset(w, 0, sizeof(*w));
	if (c >= NCMDS)
		return;
	s = xstrdup(cmds[c].synopsis);
	for (p = strtok_r(s, " ", &save); p && n < 96;
	    p = strtok_r(NULL, " ", &save)) {
		p += strspn(p, "[");
		p[strcspn(p, "]")] = '\0';
		tok[n++] = p;
	}
	for (i = 0; i < n; i++) {
		if (strcmp(tok[i], cmds[c].name) == 0 && i + 1 < n &&
		    islower((unsigned char)tok[i + 1][0]) &&
		    strchr(tok[i + 1], '|') == NULL) {
			for (k = 0; k < w->nsub; k++)
				if (strcmp(w->sub[k], tok[i + 1]) == 0)
					break;
			if (k == w->nsub && w->nsub < 16)
				w->sub[w->nsub++] = xstrdup(tok[i + 1]);
		}
		if (tok[i][0] != '-' || tok[i][1] == '\0')
			continue;
		for (j = 0; j < w->nopt; j++)
			if (strcmp(w->opt[j], tok[i]) == 0)
				break;
		if (j == w->nopt && w->nopt < 24) {
			w->opt[w->nopt] = xstrdup(tok[i]);
			w->optarg[w->nopt++] = i + 1 < n &&
			    tok[i + 1][0] != '-' && tok[i + 1][0] != '|' &&
			    tok[i + 1][0] != '\0' &&
			    strcmp(tok[i + 1], cmds[c].name) != 0;
		}
	}
	free(s);
}

static void
words_free(struct words *w)
{
	size_t	i;

	for (i = 0; i < w->nsub; i++)
		free(w->sub[i]);
	for (i = 0; i < w->nopt; i++)
		free(w->opt[i]);
}

static const char *const globals[] = { "-c", "-v", "-h", "--help",
    "--version", NULL };

/* the entry of command name, or NULL */
static size_t
find(const char *name)
{
	size_t	i;

	for (i = 0; i < NCMDS; i++)
		if (strcmp(cmds[i].name, name) == 0)
			return i;
	return NCMDS;
}

static const char *
nearest_command(const char *word)
{
	const char	*names[NCMDS];
	size_t		 i;

	for (i = 0; i < NCMDS; i++)
		names[i] = cmds[i].name;
	return nearest_hint(word, names, NCMDS);
}

void
help_usage(FILE *fp)
{
	size_t	i;

	fprintf(fp, "usage: psirt-agent [-c config] [-v] command [args]\n"
	    "commands:\n");
	for (i = 0; i < NCMDS; i++)
		fprintf(fp, "  %s\n", cmds[i].synopsis);
	fprintf(fp, "See psirt-agent help COMMAND, and psirt-agent(8).\n");
}

int
help_unknown_command(const char *word)
{
	fprintf(stderr, "psirt-agent: unknown command \"%s\"%s; "
	    "`psirt-agent help` lists them\n", word, nearest_command(word));
	return EX_USAGE;
}

int
help_unknown_option(const char *cmd, const char *word)
{
	if (cmd == NULL)
		fprintf(stderr, "psirt-agent: unknown option \"%s\"%s; "
		    "`psirt-agent help` lists them\n", word,
		    nearest_hint(word, globals, 0));
	else {
		struct words	w;

		words_of(find(cmd), &w);
		fprintf(stderr, "psirt-agent %s: unknown option \"%s\"%s; "
		    "`psirt-agent help %s` lists them\n", cmd, word,
		    nearest_hint(word, (const char *const *)w.opt, w.nopt),
		    cmd);
		words_free(&w);
	}
	return EX_USAGE;
}

int
help_check_args(int argc, char **argv)
{
	struct words	 w;
	size_t		 c, j;
	int		 i, rv = 0;

	if ((c = find(argv[0])) == NCMDS)
		return help_unknown_command(argv[0]);
	words_of(c, &w);
	/* a command with subcommands: the first word names one */
	if (w.nsub > 0 && argc > 1 && argv[1][0] != '-') {
		for (j = 0; j < w.nsub; j++)
			if (strcmp(w.sub[j], argv[1]) == 0)
				break;
		if (j == w.nsub) {
			fprintf(stderr, "psirt-agent %s: unknown subcommand "
			    "\"%s\"%s; `psirt-agent help %s` lists them\n",
			    argv[0], argv[1], nearest_hint(argv[1],
			    (const char *const *)w.sub, w.nsub), argv[0]);
			rv = EX_USAGE;
		}
	}
	for (i = 1; rv == 0 && i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (argv[i][0] != '-' || argv[i][1] == '\0')
			continue;
		for (j = 0; j < w.nopt; j++)
			if (strcmp(w.opt[j], argv[i]) == 0 ||
			    (strncmp(w.opt[j], argv[i], strlen(w.opt[j])) ==
			    0 && argv[i][strlen(w.opt[j])] == '='))
				break;
		if (j == w.nopt) {
			help_unknown_option(argv[0], argv[i]);
			rv = EX_USAGE;
		} else if (w.optarg[j] && strchr(argv[i], '=') == NULL)
			i++;	/* its value may start with '-' */
	}
	words_free(&w);
	return rv;
}

int
cmd_help(int argc, char **argv)
{
	size_t	i;

	if (argc == 1) {
		help_usage(stdout);
		return EX_OK;
	}
	if (argc == 2 && strcmp(argv[1], "--commands") == 0) {
		for (i = 0; i < NCMDS; i++)
			printf("%s\n", cmds[i].name);
		return EX_OK;
	}
	if (argc > 2) {
		fprintf(stderr, "usage: psirt-agent help [COMMAND | "
		    "--commands]\n");
		return EX_USAGE;
	}
	if ((i = find(argv[1])) == NCMDS)
		return help_unknown_command(argv[1]);
	printf("usage: psirt-agent [-c config] %s\n\n%s\n\n"
	    "See psirt-agent(8).\n", cmds[i].synopsis, cmds[i].what);
	return EX_OK;
}
