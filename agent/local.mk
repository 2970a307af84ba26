# agent/: commands, pipeline, replies.
#
# psirt-agent is the lean front program: `deliver` and `version`, linked
# only with libpsirt-base.a (no library from pkg-config); it executes
# psirt-agent-core for every other command.
bin_PROGRAMS += psirt-agent
psirt_agent_SOURCES = agent/main.c
psirt_agent_LDADD = libpsirt-base.a
pkglibexec_PROGRAMS = psirt-agent-core
psirt_agent_core_SOURCES = agent/core.c
psirt_agent_core_LDADD = libpsirt.a libpsirt-base.a $(ALL_LIBS)
dist_man_MANS += agent/psirt-agent.8 agent/psirt-agent.conf.5

noinst_LIBRARIES += libpsirt-base.a libpsirt.a
libpsirt_base_a_SOURCES = \
	agent/agent.h agent/config.c agent/config.h agent/corepath.c \
	agent/corepath.h agent/deliver.c agent/log.c agent/log.h \
	agent/util/buf.c agent/util/buf.h agent/util/fmt.c agent/util/fmt.h \
	agent/util/nearest.c agent/util/nearest.h \
	agent/util/xmalloc.c agent/util/xmalloc.h
libpsirt_a_SOURCES = \
	agent/ack.c agent/advisory.c agent/backup.c agent/assess.c agent/assess.h agent/audit.c agent/audit.h \
	agent/calendar.c \
	agent/calendar.h agent/caseset.c agent/check.c agent/caseset.h agent/cli.c \
	agent/expire.c \
	agent/cms.c agent/command.c agent/monitor.c agent/command.h agent/deadline.c \
	agent/notice.c agent/notice.h agent/report.c agent/report.h agent/report_render.c agent/reporters.c agent/status.c \
	agent/status.h \
	agent/deadline.h \
	agent/cms.h agent/gpg.c \
	agent/gpg.h agent/help.c agent/imap.c agent/imap.h agent/job.h agent/learn.c \
	agent/net.c agent/net.h agent/stream.c agent/stream.h \
	agent/init.c agent/keys.c agent/keys.h agent/unwrap.c agent/unwrap.h \
	agent/wrap.c agent/wrap.h \
	agent/outbox.c agent/outbox.h agent/process.c agent/process.h \
	agent/smtp.c agent/smtp.h \
	agent/reply.c agent/reply.h agent/thread.c agent/thread.h \
	agent/util/b64.c agent/util/b64.h agent/util/hash.c agent/util/hash.h agent/util/json.c \
	agent/util/json.h agent/util/listing.c agent/util/listing.h agent/util/markup.c agent/util/markup.h
