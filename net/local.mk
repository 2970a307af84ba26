# net/: URLs, connections and TLS streams (libetpan's mailstream,
# GnuTLS). Takes a URL; hands on a verified stream. Never reads mail,
# and includes only util/.
libpsirt_a_SOURCES += net/net.c net/net.h net/stream.c net/stream.h
