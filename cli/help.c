/*
 * help.c: the usage message, `psirt-agent help [COMMAND]`, the words
 * the bash completion offers (`help --commands`, `help --words CMD`) and
 * the check of a command's arguments, all read from the table of
 * commands (commands.c): each command's synopsis is the one list of its
 * subcommands and options.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "autoconf.h"

#include "agent/agent.h"
#include "cli/commands.h"
#include "pipeline/case.h"
#include "util/nearest.h"
#include "util/xmalloc.h"

cmd_fn	cmd_help, cmd_version;


/*
 * The words a command's synopsis gives: subcommands (a lower-case word
 * right after the command's name in an alternative) and options, each
 * with whether it takes a value (the next word is neither an option nor
 * "|"). The synopsis is the one list of what a command accepts.
 */
struct words {
	char	*sub[16], *opt[24];
	char	*optval[24];	/* its value's choices, "a|b|c", or NULL */
	int	 optarg[24];
	size_t	 nsub, nopt;
};

static void
words_of(size_t c, struct words *w)
{
	char	*s, *tok[96], *p, *save = NULL;
	size_t	 n = 0, i, j, k;

	memset(w, 0, sizeof(*w));
	if (c >= ncommands)
		return;
	s = xstrdup(commands[c].synopsis);
	for (p = strtok_r(s, " ", &save); p && n < 96;
	    p = strtok_r(NULL, " ", &save)) {
		p += strspn(p, "[");
		p[strcspn(p, "]")] = '\0';
		tok[n++] = p;
	}
	for (i = 0; i < n; i++) {
		if (strcmp(tok[i], commands[c].name) == 0 && i + 1 < n &&
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
			w->optval[w->nopt] = i + 1 < n &&
			    islower((unsigned char)tok[i + 1][0]) &&
			    strchr(tok[i + 1], '|') != NULL ?
			    xstrdup(tok[i + 1]) : NULL;
			w->optarg[w->nopt++] = i + 1 < n &&
			    tok[i + 1][0] != '-' && tok[i + 1][0] != '|' &&
			    tok[i + 1][0] != '\0' &&
			    strcmp(tok[i + 1], commands[c].name) != 0;
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
	for (i = 0; i < w->nopt; i++) {
		free(w->opt[i]);
		free(w->optval[i]);
	}
}

static const char *const globals[] = { "-c", "-v", "-h", "--help",
    "--version", NULL };

/* the entry of command name, or NULL */
static size_t
find(const char *name)
{
	size_t	i;

	for (i = 0; i < ncommands; i++)
		if (strcmp(commands[i].name, name) == 0)
			return i;
	return ncommands;
}

static const char *
nearest_command(const char *word)
{
	const char	*names[64];
	size_t		 i;

	for (i = 0; i < ncommands && i < 64; i++)
		names[i] = commands[i].name;
	return nearest_hint(word, names, i);
}

void
help_usage(FILE *fp)
{
	size_t	i;

	fprintf(fp, "usage: psirt-agent [-c config] [-v] command [args]\n"
	    "commands:\n");
	for (i = 0; i < ncommands; i++)
		fprintf(fp, "  %s\n", commands[i].synopsis);
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

	if ((c = find(argv[0])) == ncommands)
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
cmd_help(struct agent *a, int argc, char **argv)
{
	struct words	 w;
	size_t		 i;

	(void)a;
	if (argc == 1) {
		help_usage(stdout);
		return EX_OK;
	}
	if (argc == 2 && strcmp(argv[1], "--commands") == 0) {
		for (i = 0; i < ncommands; i++)
			printf("%s\n", commands[i].name);
		return EX_OK;
	}
	/* for the completion: a command's subcommands, then its options */
	if (argc == 3 && strcmp(argv[1], "--words") == 0) {
		if ((i = find(argv[2])) == ncommands)
			return help_unknown_command(argv[2]);
		words_of(i, &w);
		for (i = 0; i < w.nsub; i++)
			printf("%s\n", w.sub[i]);
		/* an option, then the choices of its value, if any */
		for (i = 0; i < w.nopt; i++) {
			char	*p;

			printf("%s%s", w.opt[i], w.optval[i] ? " " : "");
			for (p = w.optval[i]; p && *p; p++)
				putchar(*p == '|' ? ' ' : *p);
			putchar('\n');
		}
		words_free(&w);
		return EX_OK;
	}
	/* for the completion: the keys of case set */
	if (argc == 2 && strcmp(argv[1], "--keys") == 0) {
		const char	*k[64];
		size_t		 n = case_keys(k, 64);

		for (i = 0; i < n; i++)
			printf("%s\n", k[i]);
		return EX_OK;
	}
	if (argc > 2) {
		fprintf(stderr, "usage: psirt-agent help [COMMAND | "
		    "--commands | --words COMMAND | --keys]\n");
		return EX_USAGE;
	}
	if ((i = find(argv[1])) == ncommands)
		return help_unknown_command(argv[1]);
	printf("usage: psirt-agent [-c config] %s\n\n%s\n\n"
	    "See psirt-agent(8).\n", commands[i].synopsis, commands[i].what);
	return EX_OK;
}

int
cmd_version(struct agent *a, int argc, char **argv)
{
	(void)a;
	(void)argc;
	(void)argv;
	printf("%s\n", PACKAGE_STRING);
	return EX_OK;
}
