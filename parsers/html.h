/*
 * html: reduce an HTML body (already UTF-8) to readable plain text.
 * Not a browser: drops tags, <script>/<style>/<head> content and
 * comments, turns block tags and <br> into line breaks, decodes the
 * common named entities and numeric character references. Linear time.
 */
#ifndef PSIRT_PARSERS_HTML_H
#define PSIRT_PARSERS_HTML_H

#include <stddef.h>

char	*html_to_text(const char *html, size_t len);	/* malloc'd */

#endif
