# reports/: what the record says, for people and for other programs:
# the report and its renderings, the reporter record and hall of fame,
# CSAF advisories (and VEX), CVE records and CVE requests. Takes the store and the policy;
# hands on documents (and a CVE request to the outbox). Never changes a
# case.
libpsirt_a_SOURCES += reports/report.c reports/report.h \
	reports/report_render.c reports/reporters.c \
	reports/advisory.c reports/find.c reports/find.h \
	reports/caseview.c reports/caseview.h reports/cverecord.c \
	reports/cverecord.h
