/*
 * deliver: the MTA pipe (`psirt-agent deliver [-f sender] [-r
 * recipient]`), run by the front program itself.
 *
 * Takes: one message on standard input. Hands on: the message committed
 * to the spool's incoming/ queue (write, fsync, rename, fsync the
 * directory), then a detached queue runner started. Never: reads the
 * message (no header, MIME, crypto or database), or exits with a code
 * other than 0 or 75 (EX_TEMPFAIL), so that the MTA never bounces a
 * report.
 */
#ifndef PSIRT_INTAKE_DELIVER_H
#define PSIRT_INTAKE_DELIVER_H

#include "agent/agent.h"

cmd_fn	cmd_deliver;

#endif
