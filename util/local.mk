# util/: buffers, formatting, JSON, hashing, base64, logging, the
# nearest-word hint. Takes bytes and strings; hands on the same. Never
# knows about mail, cases or the store, and includes nothing of ours.
# Defines the two libraries every other folder adds to: libpsirt-base.a
# (what the lean front program links, no library from pkg-config) and
# libpsirt.a (the rest).
noinst_LIBRARIES += libpsirt-base.a libpsirt.a
libpsirt_base_a_SOURCES = \
	util/buf.c util/buf.h util/fmt.c util/fmt.h util/log.c util/log.h \
	util/nearest.c util/nearest.h util/xmalloc.c util/xmalloc.h
libpsirt_a_SOURCES = \
	util/b64.c util/b64.h util/hash.c util/hash.h util/json.c \
	util/json.h util/listing.c util/listing.h util/markup.c util/markup.h
