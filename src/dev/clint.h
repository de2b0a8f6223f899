/*
 * clint.h - the SiFive CLINT / RISC-V ACLINT (MSWI + MTIMER) of the virt
 * board: msip at +4*hart, mtimecmp at +0x4000 + 8*hart, mtime at +0xbff8.
 *
 * Contract: mtime comes from the machine's clock callback (10 MHz ticks).
 * The timer output of each hart is a level (mtime >= mtimecmp) reported
 * through timer_irq; the machine decides which mip bit it drives (MTIP
 * under real M-mode firmware, STIP under the built-in SBI).  The machine
 * calls clint_update() whenever time may have passed a deadline.
 */
#ifndef UMBRA_DEV_CLINT_H
#define UMBRA_DEV_CLINT_H

#include "dev/bus.h"

#define CLINT_MAX_HARTS 8

struct clint_ops {
	uint64_t (*now)(void *opaque);
	void (*soft_irq)(void *opaque, unsigned hart, bool level);
	void (*timer_irq)(void *opaque, unsigned hart, bool level);
};

struct clint {
	unsigned nharts;
	uint32_t msip[CLINT_MAX_HARTS];
	uint64_t mtimecmp[CLINT_MAX_HARTS];
	int64_t mtime_offset; /* guest writes to mtime move it relative to the clock */
	struct clint_ops ops;
	void *opaque;
};

int clint_init(struct clint *c, struct bus *bus, gpa_t base, unsigned nharts,
	       const struct clint_ops *ops, void *opaque) MUST_CHECK;
uint64_t clint_mtime(const struct clint *c);
void clint_set_timecmp(struct clint *c, unsigned hart, uint64_t value);
/* Re-evaluates every hart's timer level; returns the earliest pending deadline. */
uint64_t clint_update(struct clint *c);

#endif
