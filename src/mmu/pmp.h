/*
 * pmp.h - physical memory protection (privileged specification, "Physical
 * Memory Protection"): 64 entries, 4-byte granularity, TOR/NA4/NAPOT.
 *
 * Contract: pmp_allows() decides an access of `priv` to [pa, pa+size).
 * An S- or U-mode access that no entry matches is allowed while no entry is
 * active at all (as QEMU does, so that bare-metal programs that never set
 * up PMP can drop to S-mode), and denied otherwise.  *page_uniform says
 * whether no active entry begins or ends inside pa's 4 KiB page, i.e.
 * whether the answer may be cached in a TLB entry.  The CSR writers honour
 * the lock bits and flush the hart's TLB.
 */
#ifndef UMBRA_MMU_PMP_H
#define UMBRA_MMU_PMP_H

#include "mmu/mmu.h"

bool pmp_active(const struct hart *h);
/* The rights (PERM_R/W/X) priv has on [pa, pa+size), in one pass over the active entries. */
unsigned pmp_rights(const struct hart *h, gpa_t pa, unsigned size, unsigned priv,
		    bool *page_uniform);
static inline bool pmp_allows(const struct hart *h, gpa_t pa, unsigned size,
			      enum mmu_access acc, unsigned priv, bool *page_uniform)
{
	static const unsigned need[] = {PERM_R, PERM_W, PERM_X};
	return pmp_rights(h, pa, size, priv, page_uniform) & need[acc];
}
/* Writes pmpcfg register `reg` (0, 2, ..., 14) / pmpaddr `idx` (0..63). */
void pmp_write_cfg(struct hart *h, unsigned reg, uint64_t val);
void pmp_write_addr(struct hart *h, unsigned idx, uint64_t val);

#endif
