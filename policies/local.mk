# policies/: psirt-policy(5), regexes, templates, the built-in demo.
libpsirt_a_SOURCES += \
	policies/demo.h policies/policy.c policies/policy.h \
	policies/regex.c policies/regex.h policies/template.c \
	policies/template.h
nodist_libpsirt_a_SOURCES = policies/demo_files.c
BUILT_SOURCES += policies/demo_files.c
CLEANFILES += policies/demo_files.c
DEMO_FILES = policies/examples/psirt.policy \
	policies/templates/ack.en.txt policies/templates/ack.zh-TW.txt
EXTRA_DIST += $(DEMO_FILES)
dist_man_MANS += policies/psirt-policy.5

policies/demo_files.c: $(DEMO_FILES) $(top_srcdir)/build-aux/embed.sh
	$(AM_V_GEN)$(MKDIR_P) policies && $(SHELL) \
	    $(top_srcdir)/build-aux/embed.sh $@ \
	    policies/psirt.policy=$(top_srcdir)/policies/examples/psirt.policy \
	    policies/templates/ack.en.txt=$(top_srcdir)/policies/templates/ack.en.txt \
	    policies/templates/ack.zh-TW.txt=$(top_srcdir)/policies/templates/ack.zh-TW.txt
