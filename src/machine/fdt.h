/*
 * fdt.h - the device tree of the virt board, built with libfdt.
 *
 * Contract: fdt_build() writes a complete flattened device tree describing
 * exactly the machine in struct board_desc into buf; returns its size in
 * bytes, or a negative value if buf is too small.
 */
#ifndef UMBRA_MACHINE_FDT_H
#define UMBRA_MACHINE_FDT_H

#include "base/base.h"

#define BOARD_MAX_VIRTIO 8

struct board_desc {
	unsigned nharts;
	gpa_t ram_base;
	uint64_t ram_size;
	const char *bootargs;    /* NULL: none */
	gpa_t initrd_start, initrd_end; /* both 0: no initrd */
	uint8_t rng_seed[32];
	unsigned nvirtio;        /* slots 0..nvirtio-1 in use */
};

int fdt_build(const struct board_desc *d, void *buf, size_t bufsize);

/* The virt board's memory map (QEMU's). */
#define VIRT_TEST_BASE 0x100000ull
#define VIRT_MROM_BASE 0x1000ull
#define VIRT_CLINT_BASE 0x2000000ull
#define VIRT_PLIC_BASE 0xc000000ull
#define VIRT_UART_BASE 0x10000000ull
#define VIRT_UART_IRQ 10
#define VIRT_VIRTIO_BASE 0x10001000ull
#define VIRT_VIRTIO_STRIDE 0x1000ull
#define VIRT_VIRTIO_IRQ 1 /* slot n uses IRQ 1 + n */
#define VIRT_RAM_BASE 0x80000000ull
#define VIRT_TIMEBASE_HZ 10000000u
#define VIRT_PLIC_NDEV 95

#endif
