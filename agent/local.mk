# agent/: commands, pipeline, replies.
bin_PROGRAMS += psirt-agent
psirt_agent_SOURCES = agent/main.c
psirt_agent_LDADD = libpsirt.a $(ALL_LIBS)
dist_man_MANS += agent/psirt-agent.8

noinst_LIBRARIES += libpsirt.a
libpsirt_a_SOURCES = \
	agent/agent.h agent/cli.c agent/config.c agent/config.h \
	agent/deliver.c agent/init.c agent/log.c agent/log.h \
	agent/outbox.c agent/outbox.h agent/process.c agent/process.h \
	agent/reply.c agent/reply.h agent/thread.c agent/thread.h \
	agent/util/buf.c agent/util/buf.h agent/util/fmt.c agent/util/fmt.h \
	agent/util/hash.c \
	agent/util/hash.h agent/util/json.c agent/util/json.h \
	agent/util/xmalloc.c agent/util/xmalloc.h
