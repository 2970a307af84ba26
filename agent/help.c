/*
 * help.c: the commands, their synopses and what each does, in one
 * table: the usage message, `psirt-agent help [COMMAND]` and the bash
 * completion (`help --commands`) all read it; psirt-agent(8) has the
 * whole story, and 015-manpages.t checks that it names each command.
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "agent/agent.h"

static const struct {
	const char	*name;		/* first word */
	const char	*synopsis;	/* after "psirt-agent [-c F] " */
	const char	*what;
} cmds[] = {
	{ "init", "init [--address A] [--name N] [--sendmail CMD] "
	  "[--generate-keys] DIR | init --data CONFIG",
	  "Create an instance in DIR: configuration, policy and templates, "
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
	{ "audit", "audit verify | audit export ID | audit sign",
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
	{ "check", "check",
	  "Do the spool, the store and the audit record agree? (exit 65 "
	  "if not)" },
	{ "expire", "expire [--dry-run]",
	  "Retention: remove the mail of cases closed longer than the "
	  "policy keeps it (not under hold); the case and its record "
	  "stay. Daily from tick." },
	{ "backup", "backup DIR",
	  "An online backup into the new directory DIR: the store, the "
	  "spool, the keys and the policy, usable as an instance." },
	{ "config", "config", "Print every setting with its value." },
	{ "version", "version", "Print the version." },
	{ "help", "help [COMMAND | --commands]",
	  "This help; --commands lists the command names." },
};
#define NCMDS	(sizeof(cmds) / sizeof(cmds[0]))

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
	for (i = 0; argc == 2 && i < NCMDS; i++)
		if (strcmp(cmds[i].name, argv[1]) == 0) {
			printf("usage: psirt-agent [-c config] %s\n\n%s\n\n"
			    "See psirt-agent(8).\n", cmds[i].synopsis,
			    cmds[i].what);
			return EX_OK;
		}
	fprintf(stderr, "psirt-agent: no command \"%s\"; psirt-agent help "
	    "lists them\n", argc == 2 ? argv[1] : "");
	return EX_USAGE;
}
