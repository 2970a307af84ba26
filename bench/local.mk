# bench/: benchmarks, built by `make bench`, run by hand (bench/README).
EXTRA_PROGRAMS = bench/intake bench/floor bench/stamp
bench_intake_SOURCES = bench/intake.c
bench_floor_SOURCES = bench/floor.c
bench_stamp_SOURCES = bench/stamp.c
bench_intake_LDADD =
bench_floor_LDADD =
bench_stamp_LDADD =
EXTRA_DIST += bench/README bench/run-intake bench/crypto bench/imap \
	bench/tick bench/report bench/triage bench/search bench/run-all
CLEANFILES += $(EXTRA_PROGRAMS)
bench: $(EXTRA_PROGRAMS) psirt-agent
.PHONY: bench
