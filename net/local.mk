# net/: URLs, connections and TLS streams (libetpan's mailstream).
libpsirt_a_SOURCES += net/net.c net/net.h net/stream.c net/stream.h
