# policies/: psirt-policy(5), templates, the built-in demo, the team
# (RACI) and the clocks. Takes the policy file; hands on decisions
# (kind, language, who is told, when a clock is due). Never reads mail
# or the store.
libpsirt_a_SOURCES += \
	policies/demo.h policies/policy.c policies/policy.h \
	policies/clocks.c policies/clocks.h policies/cwe.c policies/cwe.h \
	policies/raci.c policies/raci.h \
	policies/template.c \
	policies/template.h
nodist_libpsirt_a_SOURCES = policies/demo_files.c
BUILT_SOURCES += policies/demo_files.c
CLEANFILES += policies/demo_files.c
DEMO_TEMPLATES = ack.en.txt ack.zh-TW.txt ack-private.en.txt \
	ack-private.zh-TW.txt undecryptable.en.txt undecryptable.zh-TW.txt \
	escalation.en.txt escalation.zh-TW.txt duplicate.en.txt \
	duplicate.zh-TW.txt digest.en.txt digest.zh-TW.txt \
	digest-key.en.txt digest-key.zh-TW.txt team-notice.en.txt \
	team-notice.zh-TW.txt team-batch.en.txt team-batch.zh-TW.txt \
	$(STATUS_TEMPLATES)
STATUS_TEMPLATES = status-confirmed.en.txt status-confirmed.zh-TW.txt \
	status-fix-scheduled.en.txt status-fix-scheduled.zh-TW.txt \
	status-fixed.en.txt status-fixed.zh-TW.txt \
	status-cannot-fix.en.txt status-cannot-fix.zh-TW.txt \
	status-rejected.en.txt status-rejected.zh-TW.txt \
	status-duplicate.en.txt status-duplicate.zh-TW.txt \
	status-disclosed.en.txt status-disclosed.zh-TW.txt \
	status-notice.en.txt status-notice.zh-TW.txt \
	advisory.en.txt advisory.zh-TW.txt advisory-md.en.txt \
	advisory-md.zh-TW.txt cve-request.en.txt cve-request.zh-TW.txt \
	reply.en.txt reply.zh-TW.txt ask.en.txt ask.zh-TW.txt \
	ask-reminder.en.txt ask-reminder.zh-TW.txt \
	question-unanswered.en.txt question-unanswered.zh-TW.txt \
	correspondence-breach.en.txt correspondence-breach.zh-TW.txt \
	query-answer.en.txt query-answer.zh-TW.txt
DEMO_FILES = policies/examples/psirt.policy \
	$(DEMO_TEMPLATES:%=policies/templates/%)
EXTRA_DIST += $(DEMO_FILES)
dist_man_MANS += policies/psirt-policy.5

policies/demo_files.c: $(DEMO_FILES) $(top_srcdir)/build-aux/embed.sh
	$(AM_V_GEN)$(MKDIR_P) policies && $(SHELL) \
	    $(top_srcdir)/build-aux/embed.sh $@ \
	    policies/psirt.policy=$(top_srcdir)/policies/examples/psirt.policy \
	    $$(for f in $(DEMO_TEMPLATES); do printf '%s ' \
	    "policies/templates/$$f=$(top_srcdir)/policies/templates/$$f"; \
	    done)
