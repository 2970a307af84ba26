/*
 * commands: the table of commands (commands.c) and what the command line
 * shares (help.c, status_cmd.c, expire.c).
 */
#ifndef PSIRT_CLI_COMMANDS_H
#define PSIRT_CLI_COMMANDS_H

#include <stddef.h>
#include <stdio.h>

struct agent;

/* What core.c opens before the handler runs. */
enum {
	OPEN_NONE,	/* nothing: the handler gets a NULL agent */
	OPEN_FRONT,	/* run by the front program psirt-agent (deliver) */
	OPEN_CONFIG,	/* the configuration (the handler opens the rest) */
	OPEN_STORE,	/* and the store */
	OPEN_POLICY	/* and the policy */
};

struct command {
	const char	*name;		/* first word */
	int		(*fn)(struct agent *, int, char **);	/* sysexits */
	int		 open;
	const char	*synopsis;	/* after "psirt-agent [-c F] " */
	const char	*what;
};

extern const struct command	commands[];
extern const size_t		ncommands;
const struct command	*command_find(const char *name);

/* help.c: the usage message (every synopsis); a command's arguments
 * against its synopsis (EX_USAGE, said, or 0); the messages for an
 * unknown command or option, with the nearest known one. */
void	help_usage(FILE *);
int	help_check_args(int, char **);
int	help_unknown_command(const char *);
int	help_unknown_option(const char *, const char *);

/* status --check's answer when it cannot look: prints, returns 3 */
int	status_unknown(const char *reason);
/* Retention from `tick`: expire when the last run is a day old. */
void	expire_daily(struct agent *, long long now);

#endif
