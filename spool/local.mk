# spool/: durable queue files and the SQLite case store.
libpsirt_a_SOURCES += \
	spool/queue.c spool/queue.h spool/store.c spool/store.h
