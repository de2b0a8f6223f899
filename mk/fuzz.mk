# mk/fuzz.mk - libFuzzer harnesses (tests/fuzz/, see its README.md).
#
#   make fuzz                 build every harness into build/fuzz/ (clang, ASan + UBSan)
#   make fuzz-NAME            build and run one (exec, virtio, sbi, loader, cli, api) until
#                             stopped; FUZZ_ARGS adds libFuzzer options, e.g.
#                             FUZZ_ARGS=-max_total_time=600
#   make fuzz-check           what `make check` runs: every regression input, then
#                             FUZZ_SECONDS (default 30) of fuzzing per harness
#
# The harnesses link the real objects of src/ (and app/cli.c), built with
# coverage instrumentation into build/fuzz/obj by a recursive make with FUZZ=1.

FUZZERS := api cli exec loader sbi virtio
FUZZ_O := build/fuzz

.PHONY: fuzz fuzz-check $(FUZZERS:%=fuzz-%)
fuzz:
	@$(MAKE) --no-print-directory FUZZ=1 O=$(FUZZ_O) $(FUZZERS:%=$(FUZZ_O)/fuzz_%)

$(FUZZERS:%=fuzz-%): fuzz-%: fuzz
	tests/fuzz/run.sh run $* $(FUZZ_ARGS)

fuzz-check: fuzz
	tests/fuzz/run.sh check

ifeq ($(FUZZ),1)
CC = clang
override CFLAGS += -fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=all \
	  -fno-omit-frame-pointer -Iapp
# Comparison tracing makes the TLB, PMP and block-cache loops ten times slower.
$(O)/obj/src/cpu/hart.o $(O)/obj/src/cpu/blocks.o $(O)/obj/src/mmu/%.o: \
	override CFLAGS += -fno-sanitize-coverage=trace-cmp
.SECONDARY: $(FUZZERS:%=$(O)/obj/tests/fuzz/fuzz_%.o)
$(O)/fuzz_%: $(O)/obj/tests/fuzz/fuzz_%.o $(O)/obj/app/cli.o $(OBJS)
	$(CC) $(CFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)
endif
