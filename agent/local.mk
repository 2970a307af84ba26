# agent/: the instance a command works on (configuration, the store, the
# policy, the crypto context) and where the core program is.
libpsirt_base_a_SOURCES += agent/agent.h agent/config.c agent/config.h \
	agent/corepath.c agent/corepath.h
libpsirt_a_SOURCES += agent/agent.c
dist_man_MANS += agent/psirt-agent.8 agent/psirt-agent.conf.5
