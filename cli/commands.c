/*
 * commands.c: the one table of commands. Dispatch (core.c), the usage
 * message and `help` (help.c) and the bash completion (`help --commands`
 * and `help --words COMMAND`, read by contrib/bash-completion) all come
 * from it: a command is an entry here and its handler. psirt-agent(8)
 * has the whole story, and 015-manpages.t checks that it names each
 * command and option.
 */
#include <stddef.h>
#include <string.h>

#include "agent/agent.h"
#include "cli/commands.h"

/* the handlers, in their files (cli/, intake/, reports/) */
cmd_fn	cmd_advisory;
cmd_fn	cmd_audit;
cmd_fn	cmd_backup;
cmd_fn	cmd_case;
cmd_fn	cmd_check;
cmd_fn	cmd_config;
cmd_fn	cmd_cve_request;
cmd_fn	cmd_expire;
cmd_fn	cmd_halloffame;
cmd_fn	cmd_help;
cmd_fn	cmd_init;
cmd_fn	cmd_inspect;
cmd_fn	cmd_key;
cmd_fn	cmd_policy;
cmd_fn	cmd_poll;
cmd_fn	cmd_process;
cmd_fn	cmd_queue;
cmd_fn	cmd_report;
cmd_fn	cmd_reporters;
cmd_fn	cmd_status;
cmd_fn	cmd_version;

const struct command commands[] = {
	{ "init", cmd_init, OPEN_NONE,
	  "init [--address A] [--name N] [--sendmail CMD] "
	  "[--generate-keys] [DIR] | init --data CONFIG",
	  "Create an instance in DIR (default: where the commands look "
	  "without -c): configuration, policy and templates, "
	  "spool, store, seal key (and with --generate-keys the team's "
	  "OpenPGP key and S/MIME certificate); with --data, only the data "
	  "an existing configuration names." },
	{ "deliver", NULL, OPEN_FRONT,
	  "deliver [-f sender] [-r recipient]",
	  "The MTA pipe: commit the message on standard input to the spool "
	  "(exit 0), or exit 75 so that the MTA retries." },
	{ "process", cmd_process, OPEN_POLICY,
	  "process [--background] | process --retry QUEUE-ID...",
	  "Run the queue now: parse, decrypt, thread, open cases, reply; "
	  "--retry reads stored messages again (after a key was added)." },
	{ "tick", cmd_process, OPEN_POLICY,
	  "tick [--now TIME]",
	  "What is due now: deadlines and escalations, the daily digests, "
	  "then a queue run "
	  "(for a timer, every minute)." },
	{ "poll", cmd_poll, OPEN_POLICY,
	  "poll [--once]",
	  "Take mail from imap_url (with IDLE), and run the queue." },
	{ "case", cmd_case, OPEN_STORE,
	  "case list [--status S] [--kind K] [--severity S] [--product P] "
	  "[--reporter A] [--assigned ROLE|ADDR] [--overdue] [--since DATE] "
	  "[--json] | case search WORDS... [--json] | "
	  "case show ID [--json] | case set ID KEY=VALUE... | "
	  "case merge INTO FROM | case attachment ID SHA256",
	  "Cases: list them (filtered), search their text, show one, "
	  "change one (status, severity, TLP, facts...), merge two, get an "
	  "attachment decrypted." },
	{ "queue", cmd_queue, OPEN_STORE,
	  "queue list [--json] | queue requeue QUEUE-ID... | "
	  "queue release MESSAGE-ID",
	  "Mail that waits: deferred, held, quarantined, and replies held "
	  "for TLP review." },
	{ "inspect", cmd_inspect, OPEN_CONFIG,
	  "inspect [-f sender] [FILE]",
	  "Parse a message only and print what the agent sees, as JSON." },
	{ "key", cmd_key, OPEN_CONFIG,
	  "key import FILE [--passphrase-file F] | key list [--json] | "
	  "key pin ADDRESS FINGERPRINT [--smime]",
	  "Keys: import the team's or others' keys, list them, pin a "
	  "reporter's key." },
	{ "policy", cmd_policy, OPEN_CONFIG,
	  "policy check",
	  "Load the policy and print every problem (file:line: reason)." },
	{ "audit", cmd_audit, OPEN_STORE,
	  "audit verify [--max N] | audit export ID | audit sign",
	  "The tamper-evident record: verify the chain and its signed "
	  "heads, export a case's entries, sign the head now." },
	{ "reporters", cmd_reporters, OPEN_STORE,
	  "reporters [--json]",
	  "The reporter relationship record." },
	{ "halloffame", cmd_halloffame, OPEN_STORE,
	  "halloffame [--format markdown|html]",
	  "Credited reporters who chose to be named, as a page to publish." },
	{ "report", cmd_report, OPEN_POLICY,
	  "report [--from DATE] [--to DATE] "
	  "[--format text|csv|json|html]",
	  "Counts, trends, time per step against the deadlines, overdue "
	  "and paused cases, exceptions, conformance, KPIs." },
	{ "advisory", cmd_advisory, OPEN_POLICY,
	  "advisory ID [--format csaf|text|markdown|cve] "
	  "[--lang LANG]",
	  "The advisory of a case: CSAF 2.0 (VEX when not affected), text "
	  "or Markdown from the templates, or CVE JSON 5 records." },
	{ "cve-request", cmd_cve_request, OPEN_POLICY,
	  "cve-request ID [--lang LANG]",
	  "Ask the policy's CNA for a CVE ID by mail." },
	{ "check", cmd_check, OPEN_STORE,
	  "check [--max N]",
	  "Do the spool, the store and the audit record agree? (exit 65 "
	  "if not)" },
	{ "expire", cmd_expire, OPEN_CONFIG,
	  "expire [--dry-run]",
	  "Retention: remove the mail of cases closed longer than the "
	  "policy keeps it (not under hold); the case and its record "
	  "stay. Daily from tick." },
	{ "backup", cmd_backup, OPEN_STORE,
	  "backup DIR",
	  "An online backup into the new directory DIR: the store, the "
	  "spool, the keys and the policy, usable as an instance." },
	{ "status", cmd_status, OPEN_CONFIG,
	  "status [--format text|json|prometheus] | "
	  "status --check",
	  "A short summary for people and monitoring: queues, oldest "
	  "deferred, review, open and overdue cases, last tick and queue "
	  "run, audit head age; --check exits 0/1/2/3 as Nagios plugins do." },
	{ "config", cmd_config, OPEN_CONFIG,
	  "config [-n | -d] [NAME...]",
	  "Print settings as \"name = value\": every one, the NAMEs given, "
	  "only those that differ from the default (-n), or the defaults "
	  "(-d)." },
	{ "version", cmd_version, OPEN_NONE,
	  "version", "Print the version." },
	{ "help", cmd_help, OPEN_NONE,
	  "help [COMMAND | --commands | --words COMMAND | --keys]",
	  "This help; --commands lists the command names." },
};
const size_t ncommands = sizeof(commands) / sizeof(commands[0]);

const struct command *
command_find(const char *name)
{
	size_t	i;

	for (i = 0; i < ncommands; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}
