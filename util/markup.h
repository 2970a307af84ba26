/*
 * markup: untrusted text (reporter names, products, case subjects)
 * made safe for the documents the agent writes: HTML (also inside SVG)
 * and Markdown.
 */
#ifndef PSIRT_UTIL_MARKUP_H
#define PSIRT_UTIL_MARKUP_H

struct buf;

/* &, <, >, " and ' as entities; control bytes as blanks. */
void	markup_html(struct buf *, const char *);
/* Markdown's inline formatting characters backslash-escaped, and the
 * block syntax a value could start (#, -, +, "1."); line breaks and
 * control bytes as blanks (one value stays on its line). */
void	markup_md(struct buf *, const char *);

#endif
