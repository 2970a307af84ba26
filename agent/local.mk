# agent/: the instance a command works on: the configuration, the store,
# the policy, the crypto context and the vault, each opened when first
# needed (agent.c), and where the core program is (corepath.c). Takes
# the configuration; hands on the opened instance. Never runs a step of
# a message or a command.
libpsirt_base_a_SOURCES += agent/agent.h agent/config.c agent/config.h \
	agent/corepath.c agent/corepath.h
libpsirt_a_SOURCES += agent/agent.c
dist_man_MANS += agent/psirt-agent.8 agent/psirt-agent.conf.5
