# intake/: bytes in, spool commit: deliver (the MTA pipe, run by the
# front program) and poll (IMAP). Takes mail; hands on files in the
# spool's incoming/ queue. Never parses MIME, and never runs the queue,
# the timers or the audit signing (the poll service's hooks do, in
# cli/poll_cmd.c).
libpsirt_base_a_SOURCES += intake/deliver.c intake/deliver.h
libpsirt_a_SOURCES += intake/poll.c intake/poll.h
