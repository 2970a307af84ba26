/*
 * corepath.c: find psirt-agent-core (see corepath.h).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/corepath.h"
#include "util/xmalloc.h"

#ifndef PKGLIBEXECDIR
#define PKGLIBEXECDIR "/usr/local/libexec/psirt-agent"
#endif
#define CORE_NAME	"psirt-agent-core"

char *
agent_core_path(void)
{
	char		 self[PATH_MAX], *p, *slash;
	const char	*env;
	ssize_t		 n;

	if ((env = getenv("PSIRT_AGENT_CORE")) != NULL && env[0] != '\0')
		return xstrdup(env);
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			p = xasprintf("%.*s/%s", (int)(slash - self), self,
			    CORE_NAME);
			if (access(p, X_OK) == 0)
				return p;
			free(p);
		}
	}
	return xstrdup(PKGLIBEXECDIR "/" CORE_NAME);
}
