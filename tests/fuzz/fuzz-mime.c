/*
 * fuzz-mime: libFuzzer target for the message parser and classifier
 * (parsers/mime.c, header.c, charset.c, html.c, mailkind.c).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "parsers/limits.h"
#include "parsers/mailkind.h"
#include "parsers/mime.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct limits lim = {
		LIMIT_MESSAGE_SIZE, LIMIT_HEADER_LINE, LIMIT_HEADER_COUNT,
		LIMIT_HEADER_SIZE, LIMIT_MIME_DEPTH, LIMIT_MIME_PARTS,
		LIMIT_TEXT_SIZE, LIMIT_MSGIDS,
	LIMIT_DECRYPTED_SIZE, LIMIT_CRYPTO_LAYERS
	};
	struct mime_msg		*m;
	struct mail_class	 c;
	char			*err = NULL;

	if (mime_parse((const char *)data, size, &lim, &m, &err) == -1) {
		free(err);
		return 0;
	}
	mailkind_classify(m, size > 0 && data[0] == 'F' ? "" : NULL, &c);
	mime_free(&m);
	return 0;
}
