/*
 * caseset: staff changes to a case from the command line, and the
 * case's deadlines as people and tools see them.
 *
 *   case set ID KEY=VALUE...   all or nothing, each an event (actor
 *                              "operator"), then the clocks; the keys
 *                              are pipeline/case.h's
 *   case list --overdue        running deadlines past due
 */
#ifndef PSIRT_CLI_CASESET_H
#define PSIRT_CLI_CASESET_H

struct agent;
struct json;

int	case_set(struct agent *, int argc, char **argv);
int	case_overdue(struct agent *, int as_json);
/* "deadlines": [...] of a case (case show). */
void	json_deadlines(struct agent *, struct json *, const char *id);

#endif
