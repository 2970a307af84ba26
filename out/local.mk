# out/: composing and sending mail (acknowledgements, status replies,
# notices, escalations, the daily digest, the outbox, SMTP and
# sendmail), and the timers that make it due (deadlines, the business
# calendar). Takes cases and templates; hands on mail to the MTA.
# Never sends what the case's TLP does not allow, and never blocks a
# queue run on the network longer than smtp_timeout.
libpsirt_a_SOURCES += out/reply.c out/reply.h out/outbox.c out/outbox.h \
	out/smtp.c out/smtp.h out/ack.c out/notice.c out/notice.h \
	out/status.c out/status.h out/timers.c out/timers.h out/calendar.c \
	out/notify.c out/notify.h \
	out/calendar.h out/digest.c out/digest.h
