# spool/: durable queue files and the SQLite case store (the only
# user of SQLite), the vault and sealing. Takes messages and changes;
# hands on what was committed. Never decides anything about a case (that
# is the pipeline's), and never loses what it was given.
libpsirt_base_a_SOURCES += spool/queue.c spool/queue.h
libpsirt_a_SOURCES += spool/store.c spool/store.h spool/store_int.h \
	spool/store_msg.c spool/store_out.c spool/store_facts.c \
	spool/store_clock.c spool/store_audit.c spool/store_report.c spool/store_check.c \
	spool/store_state.c spool/store_expire.c spool/store_find.c \
	spool/store_notice.c spool/store_credit.c spool/store_credit.h \
	spool/store_case.h spool/store_msg.h spool/store_out.h spool/store_keys.h \
	spool/store_clock.h spool/store_audit.h spool/store_report.h \
	spool/store_expire.h spool/store_find.h spool/store_notice.h \
	spool/seal.c spool/seal.h
libpsirt_a_SOURCES += spool/vault.c spool/vault.h
