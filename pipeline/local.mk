# pipeline/: the queue runner and the steps of one message (read,
# unwrap, classify, thread, the case, keys learnt, staff commands,
# assessment), with the case state machine in case.c. Takes spooled
# messages from incoming/ and deferred/; hands on cases, events and
# replies queued in the outbox, in one transaction per message. Never
# sends mail itself, and never talks to the network.
libpsirt_a_SOURCES += pipeline/process.c pipeline/process.h \
	pipeline/job.h pipeline/thread.c pipeline/thread.h pipeline/assess.c \
	pipeline/assess.h pipeline/learn.c \
	pipeline/staffcmd.c pipeline/staffcmd.h pipeline/case.c pipeline/case.h \
	pipeline/ask.c pipeline/ask.h pipeline/copied.c pipeline/copied.h \
	pipeline/query.c pipeline/query.h pipeline/credit.c pipeline/credit.h
