/*
 * exec.h - the two execution backends behind hart_run().
 *
 * Contract: hart_execute() is the reference interpreter for one
 * instruction: raw holds the instruction bits as fetched (a compressed
 * instruction in its low 16 bits).  It executes it at h->pc, then either
 * moves the pc on and counts it in instret, or leaves the pc at a trap
 * handler.  hart_run_interp() runs the reference interpreter alone;
 * hart_run_blocks() decodes guest code into cached blocks of pre-decoded
 * operations (blocks.c) and falls back to hart_execute() for everything
 * that is not on its fast path.  Both must leave identical architectural
 * state behind.
 */
#ifndef UMBRA_CPU_EXEC_H
#define UMBRA_CPU_EXEC_H

#include "cpu/hart.h"

void hart_execute(struct hart *h, uint32_t raw);
uint64_t hart_run_interp(struct hart *h, uint64_t budget);
uint64_t hart_run_blocks(struct hart *h, uint64_t budget);

#endif
