# cli/: the programs (main.c, the front; core.c, the rest), the one
# table of commands (commands.c: dispatch, usage, help and the shell
# completion come from it) and the command handlers. Takes the command
# line; hands on to the stages below. Never holds a step of the message
# path itself.
#
# psirt-agent is the lean front program: `deliver` and `version`, linked
# only with libpsirt-base.a (no library from pkg-config); it executes
# psirt-agent-core for every other command.
bin_PROGRAMS += psirt-agent
psirt_agent_SOURCES = cli/main.c
psirt_agent_LDADD = libpsirt-base.a
pkglibexec_PROGRAMS = psirt-agent-core
psirt_agent_core_SOURCES = cli/core.c
psirt_agent_core_LDADD = libpsirt.a libpsirt-base.a $(ALL_LIBS)
libpsirt_a_SOURCES += cli/commands.h cli/help.c cli/case_cmd.c \
	cli/init.c cli/keys.c cli/keys.h cli/backup.c \
	cli/check.c cli/audit.c cli/audit.h cli/caseset.c cli/caseset.h \
	cli/status_cmd.c cli/expire.c cli/poll_cmd.c cli/commands.c
