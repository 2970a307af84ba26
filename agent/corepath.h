/*
 * corepath: where psirt-agent-core is: $PSIRT_AGENT_CORE, else next to
 * the running program (a build tree), else the installed
 * $(pkglibexecdir)/psirt-agent-core.
 */
#ifndef PSIRT_AGENT_COREPATH_H
#define PSIRT_AGENT_COREPATH_H

char	*agent_core_path(void);		/* malloc'd */

#endif
