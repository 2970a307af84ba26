# out/: composing and sending mail, and the timers that make it due.
libpsirt_a_SOURCES += out/reply.c out/reply.h out/outbox.c out/outbox.h \
	out/smtp.c out/smtp.h out/ack.c out/notice.c out/notice.h \
	out/status.c out/status.h out/timers.c out/timers.h out/calendar.c \
	out/calendar.h
