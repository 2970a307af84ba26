#!/bin/sh
# The suite passes on any day: the date-sensitive tests again, with the
# clock of the whole test process (the agent, gpg, gpgsm, openssl,
# sqlite3, date and everything else it starts) moved by libfaketime:
# - two years ahead: deadlines, audit, staff, reporters, reports and
#   advisories, whose fixtures sit at fixed simulated times;
# - to one and to four seconds before New Year's midnight, the clock
#   running: the tests that read case IDs (PSIRT-YYYY-NNNN) pass
#   through midnight.
# Each is an offset from the real clock (libfaketime's "+Ns"), the same
# for every process, so time runs on and sleeps and timeouts work. The
# library is preloaded directly, not through the faketime(1) wrapper,
# whose named semaphore per PID fails ("sem_open: File exists") when a
# killed run left one behind.
# One check per run; the failing checks of a run are shown.
. "$top_srcdir/tests/lib/lib.sh"
FT_LIB=$(ls /usr/lib/*/faketime/libfaketimeMT.so.1 \
    /usr/lib/faketime/libfaketimeMT.so.1 2>/dev/null | head -n 1)
[ -n "$FT_LIB" ] || plan_skip_all "libfaketime is not installed (Debian: faketime)"
# ft OFFSET-SECONDS CMD...: CMD with the clock moved
ft() {
	_o=$1
	shift
	LD_PRELOAD="$FT_LIB${LD_PRELOAD:+:$LD_PRELOAD}" FAKETIME="+${_o}s" "$@"
}
[ -z "${PSIRT_VALGRIND:-}" ] || plan_skip_all "not under valgrind (libfaketime is preloaded)"
# a sanitizer build: its runtime need not come first in the preload list
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
export ASAN_OPTIONS
# the real clock only (CLOCK_MONOTONIC) for sleeps, timeouts, backoffs
FAKETIME_DONT_FAKE_MONOTONIC=1
export FAKETIME_DONT_FAKE_MONOTONIC
O=$(mktemp -d /tmp/psirt-clock.XXXXXX)
T_DIRS="$T_DIRS $O"

# at OFFSET-SECONDS WHAT TEST: TEST (tests/integration/TEST.t) with the
# clock moved by OFFSET seconds; one check
at() {
	_out=$O/$3.$1.out
	ft "$1" sh "$top_srcdir/tests/integration/$3.t" >"$_out" 2>&1
	_rc=$?
	# a run that printed nothing at all never started its checks (it
	# was stopped from outside): once more, said, before judging
	if [ "$_rc" -ne 0 ] && ! grep -q '^\(not \)\{0,1\}ok \|^1\.\.' "$_out"; then
		diag "$3: no output, exit $_rc: run again"
		ft "$1" sh "$top_srcdir/tests/integration/$3.t" >"$_out" 2>&1
		_rc=$?
	fi
	_ok=$(grep -c '^ok ' "$_out")
	_nok=$(grep -c '^not ok ' "$_out")
	_plan=$(sed -n 's/^1\.\.\([0-9]*\).*/\1/p' "$_out" | tail -n 1)
	if [ "$_rc" -eq 0 ] && [ "$_nok" -eq 0 ] && [ "$_ok" -gt 0 ] &&
	    [ "$_plan" = "$_ok" ]; then
		pass "$3 $2 ($_ok checks)"
	else
		fail "$3 $2: exit $_rc, $_ok passed, $_nok failed, plan ${_plan:-none}"
		grep -A4 '^not ok \|^Bail out' "$_out" | head -n 60 | sed 's/^/# /' >&2
		tail -n 10 "$_out" | sed 's/^/# /' >&2
		diag "offset +${1}s; the output had $(wc -l <"$_out") lines"
	fi
}
# libfaketime works here: a year ahead is a year ahead
[ "$(ft 31622400 date -u +%Y)" -gt "$(date -u +%Y)" ] 2>/dev/null ||
    plan_skip_all "libfaketime does not move the clock here"

ahead=$((2 * 365 * 86400))
for t in 150-deadlines 160-audit 170-staff 180-reporters 190-report \
    200-advisory; do
	at "$ahead" "two years ahead ($(ft "$ahead" date -u +%F))" "$t"
done

# the New Year's midnight that ends next year, 1 s and 4 s after each
# test starts
# (around its first case and further on; the offset is taken just
# before it starts)
ny=$(date -u -d "$(($(date -u +%Y) + 2))-01-01 00:00:00" +%s)
for t in 020-deliver 030-threading 060-concurrency 080-outbox 130-triage; do
	for s in 1 4; do
		at "$((ny - s - $(date -u +%s)))" "with New Year's midnight $s s in" "$t"
	done
done
done_testing
