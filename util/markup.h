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

/*
 * For a terminal: C0 controls (but LF when lf is set), DEL, C1
 * controls (U+0080 to U+009F) and the bidirectional overrides and
 * isolates (U+202A-U+202E, U+2066-U+2069) become '?', so no stored value
 * can drive the terminal or reorder what is shown. At most max bytes
 * of s are read.
 */
void	markup_term(struct buf *, const char *, size_t max, int lf);

#endif
