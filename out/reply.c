/*
 * reply.c: build replies as complete messages.
 *
 * Every reply has From (the PSIRT address and name), To, Subject
 * (RFC 2047 where not ASCII), Date, a fresh Message-ID in the PSIRT
 * domain, In-Reply-To and References (RFC 5322 3.6.4), Auto-Submitted
 * (RFC 3834), MIME-Version and a UTF-8 text/plain body in 8bit with
 * lines kept under 998 octets.
 *
 * Trust: all values are checked here once more, whatever the caller
 * did: addresses must pass reply_addr_ok(); header values are flattened
 * to one line and encoded, so no input can add a header.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "agent/config.h"
#include "out/reply.h"
#include "parsers/encode.h"
#include "util/b64.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/xmalloc.h"


static void	 put_body(struct buf *, const char *);

const char *
reply_refusal(const struct reply_check *c)
{
	if (c->automatic)
		return "automatic message (bounce or auto-reply)";
	if (c->is_list)
		return "mailing list message (List-Id)";
	if (c->env_sender && (c->env_sender[0] == '\0' ||
	    strcmp(c->env_sender, "<>") == 0))
		return "null envelope sender";
	if (c->policy_no_ack)
		return "policy rule no-ack";
	if (c->reply_addr == NULL || !reply_addr_ok(c->reply_addr))
		return "no usable reply address";
	if (strcasecmp(c->reply_addr, c->our_addr) == 0 ||
	    (c->from_addr && strcasecmp(c->from_addr, c->our_addr) == 0))
		return "message from our own address";
	if (strncasecmp(c->reply_addr, "mailer-daemon@", 14) == 0 ||
	    strncasecmp(c->reply_addr, "postmaster@", 11) == 0)
		return "reply address is a mail system account";
	if (c->sent_last_hour >= c->limit_per_hour)
		return "ack-limit per hour reached for this sender";
	return NULL;
}

int
reply_addr_ok(const char *a)
{
	const char	*at;
	size_t		 n;

	if (a == NULL || (n = strlen(a)) == 0 || n > 254)
		return 0;
	if ((at = strchr(a, '@')) == NULL || at == a || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL)
		return 0;
	for (; *a; a++)
		if ((unsigned char)*a <= 0x20 || (unsigned char)*a >= 0x7f ||
		    strchr("<>()[]\\,;:\"", *a) != NULL)
			return 0;
	return 1;
}

/* Body: LF line ends, lines over 990 bytes hard-wrapped. */
static void
put_body(struct buf *b, const char *s)
{
	size_t	col = 0;

	for (; *s; s++) {
		if (*s == '\r')
			continue;
		if (*s == '\n') {
			buf_putc(b, '\n');
			col = 0;
			continue;
		}
		if (col >= 990 && ((unsigned char)*s & 0xc0) != 0x80) {
			buf_putc(b, '\n');
			col = 0;
		}
		buf_putc(b, *s);
		col++;
	}
	if (b->len > 0 && b->s[b->len - 1] != '\n')
		buf_putc(b, '\n');
}

/* A media type as we write it: "type/subtype" of safe characters. */
static const char *
safe_type(const char *t)
{
	size_t	i;

	if (t == NULL || strchr(t, '/') == NULL || strlen(t) > 100)
		return "application/octet-stream";
	for (i = 0; t[i]; i++)
		if (!isalnum((unsigned char)t[i]) && strchr("/.+-_", t[i]) ==
		    NULL)
			return "application/octet-stream";
	return t;
}

/* A file name as a parameter (RFC 2231: UTF-8, percent-encoded), so no
 * byte of it can end the field. */
static void
put_filename(struct buf *b, const char *name)
{
	const unsigned char	*p = (const unsigned char *)name;

	buf_puts(b, "filename*=UTF-8''");
	for (; *p; p++)
		if (isalnum(*p) || strchr(".-_", *p))
			buf_putc(b, *p);
		else
			buf_printf(b, "%%%02X", *p);
}

/* The body as multipart/mixed: the text, then each file in base64. */
static void
put_mixed(struct buf *b, const struct reply_in *in, const char *rnd)
{
	size_t		 i;

	buf_printf(b, "MIME-Version: 1.0\nContent-Type: multipart/mixed; "
	    "boundary=\"=_psirt_%s\"\n\n", rnd);
	buf_printf(b, "--=_psirt_%s\nContent-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n\n", rnd);
	put_body(b, in->body);
	for (i = 0; i < in->nparts; i++) {
		buf_printf(b, "\n--=_psirt_%s\nContent-Type: %s\n"
		    "Content-Transfer-Encoding: base64\n"
		    "Content-Disposition: attachment", rnd,
		    safe_type(in->parts[i].type));
		if (in->parts[i].name && in->parts[i].name[0]) {
			buf_puts(b, ";\n ");
			put_filename(b, in->parts[i].name);
		}
		buf_puts(b, "\n\n");
		b64_put_lines_eol(b, in->parts[i].data, in->parts[i].len,
		    "\n");
	}
	buf_printf(b, "\n--=_psirt_%s--\n", rnd);
}

int
reply_compose(const struct config *cf, const struct reply_in *in,
    struct reply_out *out, char **errstr)
{
	struct buf	 b;
	char		 rnd[33], date[64], *h;
	const char	*domain;
	time_t		 now = time(NULL);
	struct tm	 tm;
	size_t		 i, start;

	memset(out, 0, sizeof(*out));
	if (!reply_addr_ok(in->to_addr)) {
		*errstr = xstrdup("reply address is not a plain address");
		return -1;
	}
	domain = strchr(cf->psirt_address, '@') + 1;
	hash_random_hex(rnd, 16);
	out->message_id = xasprintf("psirt.%s@%s", rnd, domain);
	localtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S %z", &tm);

	buf_init(&b);
	buf_puts(&b, "From: ");
	header_encode_phrase(&b, in->from_name ? in->from_name :
	    cf->psirt_name);
	buf_printf(&b, " <%s>\n", cf->psirt_address);
	buf_puts(&b, "To: ");
	if (in->to_name && in->to_name[0]) {
		char	*flat = xstrdup(in->to_name), *p;

		for (p = flat; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = ' ';
		header_encode_phrase(&b, flat);
		free(flat);
		buf_printf(&b, " <%s>\n", in->to_addr);
	} else
		buf_printf(&b, "%s\n", in->to_addr);
	if (in->reply_to && reply_addr_ok(in->reply_to))
		buf_printf(&b, "Reply-To: %s\n", in->reply_to);
	h = header_encode("Subject", in->subject);
	buf_puts(&b, h);
	free(h);
	buf_printf(&b, "Date: %s\n", date);
	buf_printf(&b, "Message-ID: <%s>\n", out->message_id);
	if (in->in_reply_to && reply_addr_ok(in->in_reply_to))
		buf_printf(&b, "In-Reply-To: <%s>\n", in->in_reply_to);
	/* References: the original's, then the original itself; IDs
	 * that are not plain are dropped rather than sent */
	start = b.len;
	buf_puts(&b, "References:");
	for (i = 0; i < in->nrefs; i++)
		if (reply_addr_ok(in->refs[i]))
			buf_printf(&b, "\n <%s>", in->refs[i]);
	if (in->in_reply_to && reply_addr_ok(in->in_reply_to))
		buf_printf(&b, "\n <%s>", in->in_reply_to);
	if (b.len == start + strlen("References:"))
		buf_truncate(&b, start);
	else
		buf_putc(&b, '\n');
	buf_printf(&b, "Auto-Submitted: %s\n", in->auto_submitted ?
	    in->auto_submitted : "auto-replied");
	buf_puts(&b, "X-Auto-Response-Suppress: All\n");
	if (in->autocrypt && in->autocrypt[0]) {
		/* Autocrypt Level 1: folded, keydata last */
		buf_printf(&b, "Autocrypt: addr=%s; prefer-encrypt=mutual; "
		    "keydata=", cf->psirt_address);
		for (i = 0; i < strlen(in->autocrypt); i += 72)
			buf_printf(&b, "\n %.72s", in->autocrypt + i);
		buf_putc(&b, '\n');
	}
	if (in->nparts) {
		put_mixed(&b, in, rnd);
		out->len = b.len;
		out->text = buf_release(&b);
		return 0;
	}
	buf_puts(&b, "MIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n\n");
	put_body(&b, in->body);
	out->len = b.len;
	out->text = buf_release(&b);
	return 0;
}

void
reply_out_free(struct reply_out *o)
{
	free(o->message_id);
	free(o->text);
	memset(o, 0, sizeof(*o));
}

char *
reply_quote(const char *text, size_t max_lines, size_t max_bytes)
{
	struct buf	 b;
	const char	*p = text, *nl;
	size_t		 lines = 0, n;

	buf_init(&b);
	while (p && *p && lines < max_lines && b.len < max_bytes) {
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n > 200)
			n = 200;
		while (n > 0 && (((unsigned char)p[n] & 0xc0) == 0x80))
			n--;	/* do not cut a UTF-8 sequence */
		buf_puts(&b, "> ");
		buf_add(&b, p, n);
		buf_putc(&b, '\n');
		lines++;
		p = nl ? nl + 1 : NULL;
	}
	if (p && *p)
		buf_puts(&b, "> [...]\n");
	while (b.len > 0 && b.s[b.len - 1] == '\n')
		buf_truncate(&b, b.len - 1);
	return buf_release(&b);
}
