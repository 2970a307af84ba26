/*
 * bodytext: what a mail's own text says about where the report is.
 * mime.c asks it when it chooses the report's text: a body that is
 * blank, or a stub that points at an attached file ("see attached",
 * "詳見附件"); a plain alternative that only points at its HTML twin
 * ("This is an HTML message"); a short note above a forwarded message;
 * an inline forward ("---------- Forwarded message ---------",
 * "-------- Original Message --------", "Begin forwarded message:") and
 * its block of header lines. Each kind of phrase is one short table in
 * bodytext.c. Input is UTF-8 (as charset_to_utf8() makes it); linear
 * time, no allocation.
 */
#ifndef PSIRT_PARSERS_BODYTEXT_H
#define PSIRT_PARSERS_BODYTEXT_H

#include <stddef.h>

/* A note or a stub is shorter than this many characters, white space
 * at either end left out. */
#define BODYTEXT_SHORT	200

enum bodytext_stub {
	BODYTEXT_ATTACHMENT,	/* points at an attached file */
	BODYTEXT_HTML		/* points at the HTML alternative */
};

/* 1 if s has no character but white space (Unicode's common ones). */
int	bodytext_blank(const char *s, size_t n);
/* The length of the white space at the start of s. */
size_t	bodytext_start(const char *s, size_t n);
/* The length of s without the white space at its end. */
size_t	bodytext_end(const char *s, size_t n);
/* 1 if s, trimmed, is shorter than BODYTEXT_SHORT characters. */
int	bodytext_short(const char *s, size_t n);
/* 1 if s is blank, or short and has a phrase of that kind. */
int	bodytext_stub(const char *s, size_t n, enum bodytext_stub);
/*
 * An inline forward in s below a short note (or none): 1, with *note
 * the length of the text before its marker line and *inner where the
 * forwarded message's text starts (after the marker, its header lines
 * and blank lines; n if it has none). 0 when there is none, or the text
 * above it is no short note.
 */
int	bodytext_forward(const char *s, size_t n, size_t *note,
	    size_t *inner);
/* 1 if a part of type (lowercased) and file name (may be NULL) is a
 * text file: text/plain, or a name in .txt, .md or .log as text/ (not
 * HTML) or application/octet-stream. */
int	bodytext_file(const char *type, const char *name);

#endif
