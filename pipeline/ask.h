/*
 * ask: a question to the reporter and the wait for the answer. A
 * member's #ask sends their words (status.c's answer_send) and moves
 * the case to waiting-reporter, where the clocks the policy marks
 * (pause-in) stop. The reporter's next mail to the case moves it back
 * to the status it had before and the clocks run again. Unanswered
 * for the policy's ask-wait: the reporter is reminded once; for twice
 * that: the R of the case's task is told. The wait is the case fact
 * "question" ("STATUS-BEFORE MESSAGE-ID ASKED-BY"), with
 * "question-reminded" and "question-unanswered" beside it.
 */
#ifndef PSIRT_PIPELINE_ASK_H
#define PSIRT_PIPELINE_ASK_H

struct agent;

/* After the question (msgid) went out: record the wait; was is the
 * status before the #ask. 0, or -1 *errstr. */
int	ask_record(struct agent *, const char *case_id, const char *was,
	    const char *msgid, const char *actor, char **errstr);
/* A reporter's mail came to the case (from): a waiting case goes back
 * to its status. 1 resumed, 0 no question waited, -1 *errstr. */
int	ask_answered(struct agent *, const char *case_id, const char *from,
	    char **errstr);
/* The tick: reminders and notices due at now; how many were sent, or
 * -1 *errstr. Each case in its own transaction. */
int	ask_tick(struct agent *, long long now, char **errstr);

#endif
