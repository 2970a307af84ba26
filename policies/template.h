/*
 * template: reply templates with ${variable} substitution.
 *
 * A template file is an optional header section (only "Subject:" is
 * allowed) ended by an empty line, then the body. Variables are
 * ${name}; "$$" is a literal '$'. Unknown variables are an error at load
 * time ("file:line: unknown variable ${x}"). On rendering, values placed
 * in the Subject have every CR, LF and other control character turned
 * into a space, so no value can add a header; body values are inserted
 * as they are (they are UTF-8 from the parsers).
 */
#ifndef PSIRT_POLICIES_TEMPLATE_H
#define PSIRT_POLICIES_TEMPLATE_H

#include <stddef.h>

struct template;

struct tvar {
	const char	*name;
	const char	*value;		/* NULL renders as "" */
};

/* The variables a template may use, NULL-terminated. */
extern const char *const template_variables[];

int	 template_load(const char *path, struct template **, char **errstr);
int	 template_parse(const char *name, const char *text, size_t len,
	    struct template **, char **errstr);
/* *subject is NULL if the template has none. Output limit in bytes. */
int	 template_render(const struct template *, const struct tvar *,
	    size_t nvars, size_t max_out, char **subject, char **body,
	    char **errstr);
void	 template_free(struct template **);

#endif
