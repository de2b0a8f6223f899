/*
 * csr.h - control and status registers (Zicsr, Zicntr, the M and S CSRs).
 *
 * Contract: csr_read()/csr_write() return false when the access is illegal
 * from the hart's current privilege (unknown CSR, too little privilege,
 * write to a read-only CSR, a counter disabled by m/scounteren, satp with
 * TVM, FP CSRs with FS off); the caller then raises an illegal-instruction
 * exception.  A write that may change the interrupt state, the translation
 * or the view sets h->stop so the run loop re-examines the hart.
 */
#ifndef UMBRA_CPU_CSR_H
#define UMBRA_CPU_CSR_H

#include "cpu/hart.h"

bool csr_read(struct hart *h, unsigned csr, uint64_t *val) MUST_CHECK;
bool csr_write(struct hart *h, unsigned csr, uint64_t val) MUST_CHECK;

#define MISA_RV64GC ((2ull << 62) | (1u << 0) | (1u << 2) | (1u << 3) | (1u << 5) | \
		     (1u << 8) | (1u << 12) | (1u << 18) | (1u << 20))

#endif
