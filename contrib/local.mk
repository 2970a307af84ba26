# contrib/: MTA snippets, systemd units and the demo (distributed only).
EXTRA_DIST += contrib/README contrib/demo.sh contrib/demo-report.eml \
	contrib/postfix/aliases contrib/postfix/master.cf \
	contrib/exim/psirt-agent.conf \
	contrib/systemd/psirt-agent-poll.service \
	contrib/systemd/psirt-agent-tick.service \
	contrib/systemd/psirt-agent-tick.timer \
	contrib/bash-completion/psirt-agent
