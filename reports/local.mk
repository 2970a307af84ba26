# reports/: what the record says, for people and for other programs.
libpsirt_a_SOURCES += reports/report.c reports/report.h \
	reports/report_render.c reports/reporters.c \
	reports/advisory.c
