# guest/lib/umbra.mk - builds the guest library build/guest/libumbra.a (riscv64).
#
#   make -f guest/lib/umbra.mk            # from the top of the tree
#   include guest/lib/umbra.mk            # from another Makefile: target $(UMBRA_GUEST_LIB)
#
# One archive serves bare-metal code and static Linux programs alike: the code
# is freestanding (no libc, no TLS, no globals), medany, non-PIC and built
# without linker relaxation (it may run where gp means nothing).
# Users compile with -I include -I guest/lib and link build/guest/libumbra.a.

O             ?= build
CROSS         ?= riscv64-linux-gnu-
GUEST_CC      ?= $(CROSS)gcc
GUEST_AR      ?= $(CROSS)ar
GUEST_CFLAGS  ?= -std=c17 -Wall -Wextra -Werror -O2 -g -ffreestanding -fno-pic \
		 -fno-stack-protector -fno-jump-tables -fno-tree-loop-distribute-patterns \
		 -march=rv64gc -mabi=lp64d -mcmodel=medany -mno-relax

UMBRA_GUEST_LIB := $(O)/guest/libumbra.a
UMBRA_GUEST_OBJ := $(O)/guest/obj/umbra.o

.PHONY: guest-lib
guest-lib: $(UMBRA_GUEST_LIB)

$(UMBRA_GUEST_OBJ): guest/lib/umbra.c guest/lib/umbra.h include/umbra/hypercall.h
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS) -Iinclude -Iguest/lib -c -o $@ $<

$(UMBRA_GUEST_LIB): $(UMBRA_GUEST_OBJ)
	@rm -f $@
	$(GUEST_AR) rcs $@ $^
