# pipeline/: the queue runner and the steps of one message.
libpsirt_a_SOURCES += pipeline/process.c pipeline/process.h \
	pipeline/job.h pipeline/thread.c pipeline/thread.h pipeline/assess.c \
	pipeline/assess.h pipeline/learn.c \
	pipeline/staffcmd.c pipeline/staffcmd.h pipeline/case.c pipeline/case.h
