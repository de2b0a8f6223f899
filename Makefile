# umbra - see README.md.  `make` builds build/umbra; `make check` runs every test.

CC      ?= cc
O       ?= build
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
override CFLAGS += -std=c17 -Wall -Wextra -Werror -D_GNU_SOURCE -Isrc -Iinclude -MMD -MP
LDLIBS  += -lfdt -lcrypto -ljson-c -lpthread -lm

SRCS    := $(shell find src -name '*.c' | sort)
OBJS    := $(SRCS:%.c=$(O)/obj/%.o)
UNIT    := $(patsubst tests/unit/%.c,$(O)/unit/%,$(wildcard tests/unit/test_*.c))

.PHONY: all check unit isa linux demo shell bench clean setup install

PREFIX  ?= /usr/local
DESTDIR ?=
all: $(O)/umbra

APP     := $(patsubst %.c,$(O)/obj/%.o,$(wildcard app/*.c))

$(O)/umbra: $(APP) $(OBJS)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(O)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(O)/unit/%: tests/unit/%.c $(OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

unit: $(UNIT)
	@tests/unit/run.sh $(UNIT)

isa: $(O)/umbra
	tests/isa/run.sh umbra

linux: $(O)/umbra
	tests/linux/boot-test.sh umbra

check: all
	tests/run-all.sh

demo: $(O)/umbra
	scripts/demo.sh

shell: $(O)/umbra
	scripts/shell.sh

bench: $(O)/umbra
	bench/run.sh

setup:
	scripts/setup.sh

install: $(O)/umbra
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/include/umbra $(DESTDIR)$(PREFIX)/share/doc/umbra
	install -m 0755 $(O)/umbra $(DESTDIR)$(PREFIX)/bin/umbra
	install -m 0644 man/umbra.1 $(DESTDIR)$(PREFIX)/share/man/man1/umbra.1
	install -m 0644 include/umbra/hypercall.h $(DESTDIR)$(PREFIX)/include/umbra/hypercall.h
	install -m 0644 README.md docs/*.md $(DESTDIR)$(PREFIX)/share/doc/umbra/

clean:
	rm -rf $(O)

-include mk/*.mk
-include $(shell find $(O)/obj -name '*.d' 2>/dev/null)
