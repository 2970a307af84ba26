/*
 * demo: the demo policy and templates, built into the binary so that
 * `psirt-agent init` works from any install or build directory.
 */
#ifndef PSIRT_POLICIES_DEMO_H
#define PSIRT_POLICIES_DEMO_H

struct demo_file {
	const char	*name;		/* path inside the instance */
	const char	*text;
};

extern const struct demo_file demo_files[];

#endif
