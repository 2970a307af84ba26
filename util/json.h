/*
 * json: a small streaming JSON writer into a struct buf. Strings are
 * escaped per RFC 8259 (input must be UTF-8; controls become \u00XX).
 */
#ifndef PSIRT_UTIL_JSON_H
#define PSIRT_UTIL_JSON_H

#include "util/buf.h"

#define JSON_MAXDEPTH	32

struct json {
	struct buf	*b;
	int		 depth;
	int		 count[JSON_MAXDEPTH];
	int		 after_key;
};

void	json_init(struct json *, struct buf *);
void	json_obj_begin(struct json *);
void	json_obj_end(struct json *);
void	json_arr_begin(struct json *);
void	json_arr_end(struct json *);
void	json_key(struct json *, const char *);
void	json_str(struct json *, const char *);	/* NULL -> null */
void	json_int(struct json *, long long);
void	json_bool(struct json *, int);
void	json_null(struct json *);
/* Append already-valid JSON text (NULL -> null). */
void	json_raw(struct json *, const char *);
/* key + value shorthands */
void	json_kstr(struct json *, const char *, const char *);
void	json_kint(struct json *, const char *, long long);
/* Escape s as a JSON string body (no quotes) into b. */
void	json_escape(struct buf *, const char *);

#endif
