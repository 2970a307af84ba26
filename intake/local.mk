# intake/: bytes in, spool commit (deliver, poll).
libpsirt_base_a_SOURCES += intake/deliver.c intake/deliver.h
libpsirt_a_SOURCES += intake/poll.c intake/poll.h
