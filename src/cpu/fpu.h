/*
 * fpu.h - the F and D extensions' computational instructions.
 *
 * Contract: the interpreter decodes loads/stores of FP registers itself
 * (FLW/FLD/FSW/FSD and their compressed forms) and calls fpu_execute() for
 * the major opcodes OP-FP (0x53), MADD (0x43), MSUB (0x47), NMSUB (0x4b) and
 * NMADD (0x4f), after checking that mstatus.FS is not Off.  fpu_execute()
 * updates h->f / h->x, accrues h->fflags, marks FS dirty when it writes an
 * FP register or fflags, and returns 0; it returns -1 for an illegal
 * instruction (unknown encoding, reserved rounding mode, dynamic rounding
 * with an invalid frm) without changing any state.  Single-precision values
 * live NaN-boxed in the 64-bit registers.
 */
#ifndef UMBRA_CPU_FPU_H
#define UMBRA_CPU_FPU_H

#include "cpu/hart.h"

int fpu_execute(struct hart *h, uint32_t insn) MUST_CHECK;

/* NaN boxing for FLW and friends. */
static inline uint64_t fpu_box32(uint32_t v)
{
	return 0xffffffff00000000ull | v;
}

#endif
