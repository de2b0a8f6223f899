# mk/san.mk - the sanitizer build: `make SAN=1 O=build/san [target]` builds
# umbra and the unit tests with AddressSanitizer + UndefinedBehaviorSanitizer,
# every report fatal (-fno-sanitize-recover=all).  clang unless CC is given
# (gcc works too).  `make check-san` (tests/san/run.sh) runs the unit, CLI,
# ISA and Linux boot tests on that build; `make check` includes it.

ifeq ($(SAN),1)
ifeq ($(O),build)
$(error SAN=1 needs its own output directory, e.g. make SAN=1 O=build/san)
endif
ifeq ($(origin CC),default)
CC = clang
endif
override CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
endif

.PHONY: check-san
check-san:
	tests/san/run.sh
