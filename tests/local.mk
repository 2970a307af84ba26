# tests/: cmocka unit tests and shell TAP integration tests, all run by
# `make check` through the Automake TAP driver.
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) \
	$(top_srcdir)/build-aux/tap-driver.sh
TEST_LOG_DRIVER = $(LOG_DRIVER)
AM_TESTS_ENVIRONMENT = CMOCKA_MESSAGE_OUTPUT=TAP; export CMOCKA_MESSAGE_OUTPUT; \
	top_srcdir='$(abs_top_srcdir)'; export top_srcdir; \
	top_builddir='$(abs_top_builddir)'; export top_builddir; \
	PSIRT_AGENT='$(abs_top_builddir)/psirt-agent'; export PSIRT_AGENT;

if ENABLE_TESTS
UNIT_TESTS = tests/unit/test-charset tests/unit/test-header \
	tests/unit/test-template tests/unit/test-policy \
	tests/unit/test-mailkind tests/unit/test-reply tests/unit/test-thread
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)
UNIT_LDADD = libpsirt.a $(ALL_LIBS) $(CMOCKA_LIBS)
UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_charset_SOURCES = tests/unit/test-charset.c
tests_unit_test_charset_LDADD = $(UNIT_LDADD)
tests_unit_test_charset_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_header_SOURCES = tests/unit/test-header.c
tests_unit_test_header_LDADD = $(UNIT_LDADD)
tests_unit_test_header_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_template_SOURCES = tests/unit/test-template.c
tests_unit_test_template_LDADD = $(UNIT_LDADD)
tests_unit_test_template_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_policy_SOURCES = tests/unit/test-policy.c
tests_unit_test_policy_LDADD = $(UNIT_LDADD)
tests_unit_test_policy_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_mailkind_SOURCES = tests/unit/test-mailkind.c
tests_unit_test_mailkind_LDADD = $(UNIT_LDADD)
tests_unit_test_mailkind_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_reply_SOURCES = tests/unit/test-reply.c
tests_unit_test_reply_LDADD = $(UNIT_LDADD)
tests_unit_test_reply_CFLAGS = $(UNIT_CFLAGS)
endif

INTEGRATION_TESTS = \
	tests/integration/010-init.t \
	tests/integration/020-deliver.t \
	tests/integration/030-threading.t \
	tests/integration/040-badinput.t \
	tests/integration/050-corpus.t \
	tests/integration/060-concurrency.t \
	tests/integration/070-crash.t \
	tests/integration/080-outbox.t \
	tests/integration/090-postfix.t
TESTS += $(INTEGRATION_TESTS)
EXTRA_DIST += $(INTEGRATION_TESTS) tests/lib/lib.sh tests/corpus
if ENABLE_TESTS
tests_unit_test_thread_SOURCES = tests/unit/test-thread.c
tests_unit_test_thread_LDADD = $(UNIT_LDADD)
tests_unit_test_thread_CFLAGS = $(UNIT_CFLAGS)
endif
