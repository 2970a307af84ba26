/*
 * fuzz-command: libFuzzer target for the staff command grammar
 * (pipeline/staffcmd.c: command_parse(), command_present()) on the text of
 * a message. The grammar runs only on mail with a verified staff
 * signature, but it runs before anything looks at the names, and the
 * lines end up in events and in the reply to the sender.
 *
 * Aborts when a line breaks command.h: more lines than asked for, a
 * name that is empty, does not start with a letter or holds a blank, an
 * argument with a line break or leading blanks, line numbers that do
 * not ascend; or when command_present() and command_parse() disagree on
 * whether the text starts with a command; or when answer_text()
 * (parsers/answer.c, the words a #reply sends) returns more than the
 * text, a CR, a quoted line, or a blank line at either end.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent.h"
#include "parsers/answer.h"
#include "pipeline/staffcmd.h"
#include "tests/fuzz/fuzz.h"

#define MAXLINES	32	/* as command_mail() asks */

static void	check(const struct command_line *, size_t);

/*
 * command.o comes with the rest of the staff path (case changes, the
 * outbox), which calls these three of cli/core.c: the program, not
 * libpsirt.a. The grammar never does; the stubs only let the target link.
 */
int
agent_open(struct agent *a, int need_policy, char **errstr)
{
	(void)a;
	(void)need_policy;
	(void)errstr;
	abort();
}

void
agent_crypto(struct agent *a, struct crypto *c)
{
	(void)a;
	(void)c;
	abort();
}

struct vault *
agent_vault(struct agent *a, char **errstr)
{
	(void)a;
	(void)errstr;
	abort();
}

static void
check(const struct command_line *c, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (c[i].name == NULL || c[i].arg == NULL ||
		    !isalpha((unsigned char)c[i].name[0]) ||
		    strpbrk(c[i].name, " \t\r\n") != NULL ||
		    strpbrk(c[i].arg, "\r\n") != NULL ||
		    c[i].arg[0] == ' ' || c[i].arg[0] == '\t' ||
		    c[i].line < 1 || (i > 0 && c[i].line <= c[i - 1].line))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct command_line	 c[MAXLINES];
	char			*text, *ans;
	size_t			 n, one, i, al;

	if (size > 1 << 16)
		return 0;
	text = fuzz_cstr(data, size);
	n = command_parse(text, c, MAXLINES);
	if (n > MAXLINES)
		abort();
	check(c, n);
	/* a shorter limit gives the first lines of the same parse */
	one = command_parse(text, c + n, MAXLINES - n > 0 ? 1 : 0);
	if (n < MAXLINES && (one != (n > 0) || (one == 1 &&
	    (strcmp(c[n].name, c[0].name) != 0 ||
	    strcmp(c[n].arg, c[0].arg) != 0 || c[n].line != c[0].line))))
		abort();
	if (command_present(text) != (n > 0))
		abort();
	/* a member's words (parsers/answer.c): never longer than the
	 * text, no quoted line, no CR, no blank line at either end */
	ans = answer_text(text, strlen(text));
	al = strlen(ans);
	if (al > strlen(text) + 1 || strchr(ans, '\r') != NULL ||
	    ans[0] == '\n' || (al > 0 && ans[al - 1] != '\n') ||
	    (al > 1 && ans[al - 2] == '\n') || ans[0] == '>' ||
	    strstr(ans, "\n>") != NULL)
		abort();
	free(ans);
	for (i = 0; i < n + one; i++) {
		free(c[i].name);
		free(c[i].arg);
	}
	free(text);
	return 0;
}
