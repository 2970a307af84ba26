# tests/: cmocka unit tests and shell TAP integration tests, all run by
# `make check` through the Automake TAP driver.
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) \
	$(top_srcdir)/build-aux/tap-driver.sh
TEST_LOG_DRIVER = $(LOG_DRIVER)
AM_TESTS_ENVIRONMENT = CMOCKA_MESSAGE_OUTPUT=TAP; export CMOCKA_MESSAGE_OUTPUT; \
	top_srcdir='$(abs_top_srcdir)'; export top_srcdir; \
	top_builddir='$(abs_top_builddir)'; export top_builddir; \
	PSIRT_AGENT='$(abs_top_builddir)/psirt-agent'; export PSIRT_AGENT;

# Programs here link the agent's libraries by default (LDADD in
# Makefile.am); unit test X is built from X.c.
# a scripted IMAP server for the faults tests (no agent code in it)
check_PROGRAMS += tests/integration/fakeimap
tests_integration_fakeimap_SOURCES = tests/integration/fakeimap.c
tests_integration_fakeimap_LDADD =
# the fault injection library (LD_PRELOAD) of 230-faults.t
check_PROGRAMS += tests/fault/libfault.so
tests_fault_libfault_so_SOURCES = tests/fault/libfault.c
tests_fault_libfault_so_CFLAGS = $(AM_CFLAGS) -fPIC -U_FORTIFY_SOURCE
tests_fault_libfault_so_LDFLAGS = -shared
tests_fault_libfault_so_LDADD = -ldl

if ENABLE_TESTS
UNIT_TESTS = tests/unit/test-charset tests/unit/test-header \
	tests/unit/test-template tests/unit/test-policy \
	tests/unit/test-mailkind tests/unit/test-reply tests/unit/test-thread \
	tests/unit/test-seal tests/unit/test-armor tests/unit/test-net \
	tests/unit/test-cvss tests/unit/test-triage tests/unit/test-migrate \
	tests/unit/test-b64 tests/unit/test-gpglock tests/unit/test-state \
	tests/unit/test-config tests/unit/test-poll tests/unit/test-find \
	tests/unit/test-buf tests/unit/test-bodytext tests/unit/test-credit \
	tests/unit/test-affected
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)
endif

INTEGRATION_TESTS = \
	tests/integration/005-layout.t \
	tests/integration/010-init.t \
	tests/integration/015-manpages.t \
	tests/integration/020-deliver.t \
	tests/integration/030-threading.t \
	tests/integration/040-badinput.t \
	tests/integration/050-corpus.t \
	tests/integration/051-own-corpus.t \
	tests/integration/060-concurrency.t \
	tests/integration/070-crash.t \
	tests/integration/080-outbox.t \
	tests/integration/090-postfix.t \
	tests/integration/100-crypto.t \
	tests/integration/110-imap.t \
	tests/integration/120-imap-faults.t \
	tests/integration/130-triage.t \
	tests/integration/296-cve-mentions.t \
	tests/integration/140-raci.t \
	tests/integration/150-deadlines.t \
	tests/integration/160-audit.t \
	tests/integration/165-sealed.t \
	tests/integration/170-staff.t \
	tests/integration/278-reply.t \
	tests/integration/279-query.t \
	tests/integration/175-keys.t \
	tests/integration/180-reporters.t \
	tests/integration/190-report.t \
	tests/integration/200-advisory.t \
	tests/integration/210-privileges.t \
	tests/integration/220-load.t \
	tests/integration/230-faults.t \
	tests/integration/240-help.t \
	tests/integration/250-backup.t \
	tests/integration/255-check.t \
	tests/integration/260-clock.t \
	tests/integration/265-status.t \
	tests/integration/270-expire.t \
	tests/integration/275-find.t \
	tests/integration/283-notify.t \
	tests/integration/285-digest.t \
	tests/integration/287-signed-forms.t \
	tests/integration/288-charset-guess.t \
	tests/integration/291-credits.t \
	tests/integration/290-headers.t \
	tests/integration/286-report-text.t \
	tests/integration/294-kpi.t \
	tests/integration/295-report-html.t \
	tests/integration/292-advisory-outcomes.t \
	tests/integration/293-cve-record.t \
	tests/integration/297-ten-case-walk.t
TESTS += $(INTEGRATION_TESTS)
EXTRA_DIST += $(INTEGRATION_TESTS) tests/lib/lib.sh tests/lib/corpus.sh tests/lib/seed-report.awk tests/lib/csaf-validate tests/lib/csaf-mandatory tests/lib/cve-validate tests/data/csaf tests/data/cve \
	tests/corpus
# fuzz targets (FUZZING.md): tests/fuzz/fuzz-NAME.c each, replayed by
# `make check` over their seeds and regression inputs (replay.t); real
# libFuzzer binaries with ./configure --enable-fuzzers CC=clang, run
# for a short while each by `make fuzz-smoke` (CI).
FUZZ_NAMES = mime header template armor cvss triage address decode date \
	html command policy imap reply credit affected
FUZZ_SMOKE_TIME = 15
if ENABLE_TESTS
check_PROGRAMS += tests/fuzz/replay-mime tests/fuzz/replay-header \
	tests/fuzz/replay-template tests/fuzz/replay-armor \
	tests/fuzz/replay-cvss tests/fuzz/replay-triage \
	tests/fuzz/replay-address tests/fuzz/replay-decode \
	tests/fuzz/replay-date tests/fuzz/replay-html \
	tests/fuzz/replay-command tests/fuzz/replay-policy \
	tests/fuzz/replay-imap tests/fuzz/replay-reply \
	tests/fuzz/replay-credit \
	tests/fuzz/replay-affected
tests_fuzz_replay_mime_SOURCES = tests/fuzz/fuzz-mime.c tests/fuzz/replay.c
tests_fuzz_replay_header_SOURCES = tests/fuzz/fuzz-header.c tests/fuzz/replay.c
tests_fuzz_replay_template_SOURCES = tests/fuzz/fuzz-template.c tests/fuzz/replay.c
tests_fuzz_replay_armor_SOURCES = tests/fuzz/fuzz-armor.c tests/fuzz/replay.c
tests_fuzz_replay_cvss_SOURCES = tests/fuzz/fuzz-cvss.c tests/fuzz/replay.c
tests_fuzz_replay_triage_SOURCES = tests/fuzz/fuzz-triage.c tests/fuzz/replay.c
tests_fuzz_replay_address_SOURCES = tests/fuzz/fuzz-address.c tests/fuzz/replay.c
tests_fuzz_replay_decode_SOURCES = tests/fuzz/fuzz-decode.c tests/fuzz/replay.c
tests_fuzz_replay_date_SOURCES = tests/fuzz/fuzz-date.c tests/fuzz/replay.c
tests_fuzz_replay_html_SOURCES = tests/fuzz/fuzz-html.c tests/fuzz/replay.c
tests_fuzz_replay_command_SOURCES = tests/fuzz/fuzz-command.c tests/fuzz/replay.c
tests_fuzz_replay_policy_SOURCES = tests/fuzz/fuzz-policy.c tests/fuzz/replay.c
tests_fuzz_replay_imap_SOURCES = tests/fuzz/fuzz-imap.c tests/fuzz/replay.c
tests_fuzz_replay_reply_SOURCES = tests/fuzz/fuzz-reply.c tests/fuzz/replay.c
tests_fuzz_replay_credit_SOURCES = tests/fuzz/fuzz-credit.c tests/fuzz/replay.c
tests_fuzz_replay_affected_SOURCES = tests/fuzz/fuzz-affected.c tests/fuzz/replay.c
TESTS += tests/fuzz/replay.t
endif
EXTRA_DIST += tests/fuzz/replay.t tests/fuzz/replay.c tests/fuzz/README \
	tests/fuzz/fuzz.h tests/fuzz/smoke.sh tests/fuzz/corpus tests/data \
	tests/fuzz/corpus-address tests/fuzz/corpus-armor \
	tests/fuzz/corpus-header \
	tests/fuzz/corpus-command tests/fuzz/corpus-date \
	tests/fuzz/corpus-decode tests/fuzz/corpus-html \
	tests/fuzz/corpus-imap tests/fuzz/corpus-policy \
	tests/fuzz/corpus-reply tests/fuzz/corpus-affected \
	tests/fuzz/address.dict tests/fuzz/armor.dict \
	tests/fuzz/command.dict tests/fuzz/cvss.dict tests/fuzz/date.dict \
	tests/fuzz/decode.dict tests/fuzz/html.dict tests/fuzz/imap.dict \
	tests/fuzz/mime.dict tests/fuzz/policy.dict FUZZING.md \
	tests/fuzz/corpus-credit tests/fuzz/credit.dict
if ENABLE_FUZZERS
# The whole fuzz build is instrumented: coverage for libFuzzer in the
# parsers, not only in the harness (else it mutates blind), and
# AddressSanitizer and UndefinedBehaviorSanitizer that stop the run.
# Only the targets link libFuzzer and its main().
AM_CFLAGS += -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=undefined -fno-omit-frame-pointer
AM_LDFLAGS = -fsanitize=address,undefined
FUZZ_FLAGS = -fsanitize=fuzzer,address,undefined
noinst_PROGRAMS = tests/fuzz/fuzz-mime tests/fuzz/fuzz-header \
	tests/fuzz/fuzz-template tests/fuzz/fuzz-armor tests/fuzz/fuzz-cvss \
	tests/fuzz/fuzz-triage tests/fuzz/fuzz-address tests/fuzz/fuzz-decode \
	tests/fuzz/fuzz-date tests/fuzz/fuzz-html tests/fuzz/fuzz-command \
	tests/fuzz/fuzz-policy tests/fuzz/fuzz-imap tests/fuzz/fuzz-reply \
	tests/fuzz/fuzz-credit \
	tests/fuzz/fuzz-affected
tests_fuzz_fuzz_mime_SOURCES = tests/fuzz/fuzz-mime.c
tests_fuzz_fuzz_mime_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_mime_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_header_SOURCES = tests/fuzz/fuzz-header.c
tests_fuzz_fuzz_header_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_header_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_template_SOURCES = tests/fuzz/fuzz-template.c
tests_fuzz_fuzz_template_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_template_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_armor_SOURCES = tests/fuzz/fuzz-armor.c
tests_fuzz_fuzz_armor_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_armor_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_cvss_SOURCES = tests/fuzz/fuzz-cvss.c
tests_fuzz_fuzz_cvss_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_cvss_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_triage_SOURCES = tests/fuzz/fuzz-triage.c
tests_fuzz_fuzz_triage_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_triage_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_address_SOURCES = tests/fuzz/fuzz-address.c
tests_fuzz_fuzz_address_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_address_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_decode_SOURCES = tests/fuzz/fuzz-decode.c
tests_fuzz_fuzz_decode_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_decode_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_date_SOURCES = tests/fuzz/fuzz-date.c
tests_fuzz_fuzz_date_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_date_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_html_SOURCES = tests/fuzz/fuzz-html.c
tests_fuzz_fuzz_html_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_html_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_command_SOURCES = tests/fuzz/fuzz-command.c
tests_fuzz_fuzz_command_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_command_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_policy_SOURCES = tests/fuzz/fuzz-policy.c
tests_fuzz_fuzz_policy_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_policy_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_imap_SOURCES = tests/fuzz/fuzz-imap.c
tests_fuzz_fuzz_imap_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_imap_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_reply_SOURCES = tests/fuzz/fuzz-reply.c
tests_fuzz_fuzz_reply_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_reply_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_credit_SOURCES = tests/fuzz/fuzz-credit.c
tests_fuzz_fuzz_credit_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_credit_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_affected_SOURCES = tests/fuzz/fuzz-affected.c
tests_fuzz_fuzz_affected_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_affected_LDFLAGS = $(FUZZ_FLAGS)
# every target for FUZZ_SMOKE_TIME seconds over a copy of its seeds;
# one PASS:/FAIL: line each (.ci/run counts them)
fuzz-smoke: $(noinst_PROGRAMS)
	$(AM_V_at)$(SHELL) $(top_srcdir)/tests/fuzz/smoke.sh \
	    '$(top_srcdir)' tests/fuzz '$(FUZZ_SMOKE_TIME)' $(FUZZ_NAMES)
else
fuzz-smoke:
	@echo "fuzz-smoke: needs ./configure --enable-fuzzers CC=clang" >&2; \
	exit 1
endif
.PHONY: fuzz-smoke

# The end-to-end tests once more with both programs under valgrind
# memcheck (tests/lib/lib.sh, PSIRT_VALGRIND): any memcheck error fails.
# Tests that measure time (backoffs) are left out: valgrind is slow.
VALGRIND_TESTS = tests/integration/020-deliver.t \
	tests/integration/030-threading.t tests/integration/100-crypto.t \
	tests/integration/130-triage.t
check-valgrind: all
	rm -rf valgrind-logs && mkdir -p valgrind-logs && chmod 1777 valgrind-logs
	@rc=0; $(MAKE) $(AM_MAKEFLAGS) check TESTS="$(VALGRIND_TESTS)" \
	    AM_TESTS_ENVIRONMENT="$(AM_TESTS_ENVIRONMENT) \
	    PSIRT_VALGRIND=1; export PSIRT_VALGRIND; \
	    PSIRT_VALGRIND_LOGS='$(abs_top_builddir)/valgrind-logs'; \
	    export PSIRT_VALGRIND_LOGS;" || rc=1; \
	bad=0; for f in valgrind-logs/vg.*; do [ -s "$$f" ] || continue; \
	    echo "FAIL: valgrind memcheck $$f"; sed 's/^/# /' "$$f" | head -40; \
	    bad=1; done; \
	if [ $$bad = 0 ]; then echo "PASS: valgrind memcheck: no error in" \
	    "$$(ls valgrind-logs | wc -l) processes"; fi; \
	test $$rc = 0 && test $$bad = 0
.PHONY: check-valgrind
