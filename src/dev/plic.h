/*
 * plic.h - the SiFive platform-level interrupt controller, laid out as on
 * QEMU's virt board.
 *
 *   base + 0x000000 + 4*irq              source priority (0 = never, 1..7)
 *   base + 0x001000 + 4*word             pending bits (read-only)
 *   base + 0x002000 + 0x80*ctx + 4*word  enable bits of context ctx
 *   base + 0x200000 + 0x1000*ctx         priority threshold of ctx
 *   base + 0x200004 + 0x1000*ctx         claim (read) / complete (write)
 *
 * Context 2*h is hart h's M-mode, 2*h+1 its S-mode.  Sources 1..95 exist;
 * source 0 is reserved.  Contract: plic_new() maps a PLIC_REGION_SIZE
 * region of 32-bit registers; unknown offsets read 0 and ignore writes.
 * Sources are level-triggered: pending follows the line level, except that
 * a claimed source is not pending again until its claim is completed (then
 * it is, if the line is still high).  A claim returns the pending, enabled
 * source of highest priority above the threshold (lowest ID on ties) or 0.
 * After every change each context's output (some source pending, enabled
 * and above threshold) is re-evaluated and set_ext() is called for each
 * context whose output changed.  All calls happen on the VM's thread.
 */
#ifndef UMBRA_DEV_PLIC_H
#define UMBRA_DEV_PLIC_H

#include "dev/bus.h"

#define PLIC_REGION_SIZE 0x600000
#define PLIC_NUM_SOURCES 96
#define PLIC_MAX_HARTS 512

struct plic;

struct plic *plic_new(struct bus *bus, gpa_t base, unsigned nharts,
		      void (*set_ext)(void *opaque, unsigned hart, unsigned prv, bool level),
		      void *opaque, char *err, size_t errlen);
void plic_free(struct plic *p);

/* Drives source `irq`'s line; shaped to serve as irq_line.set with opaque = the plic. */
void plic_set_irq(void *plic, unsigned irq, bool level);

#endif
