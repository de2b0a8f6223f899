/*
 * mmu.h - guest virtual memory as the CPU sees it: translation, the
 * software TLB fast path and its slow path.
 *
 * Contract: mmu_load()/mmu_store() either perform the access and return
 * true, or raise the architectural exception on the hart (hart_trap) and
 * return false.  A TLB hit is index, compare, add; everything else (misses,
 * misaligned or page-crossing accesses, MMIO, pages whose D bit is clear)
 * takes the slow path, which always walks the guest page table afresh, so a
 * fault is never delivered on the strength of a stale cached translation.
 */
#ifndef UMBRA_MMU_MMU_H
#define UMBRA_MMU_MMU_H

#include "cpu/hart.h"

enum mmu_access { ACC_READ, ACC_WRITE, ACC_FETCH };

static inline struct tlb_entry *tlb_lookup(struct tlb *t, gva_t va)
{
	return &t->e[(va >> PAGE_SHIFT) & (TLB_SIZE - 1)];
}

bool mmu_load_slow(struct hart *h, gva_t va, unsigned size, uint64_t *val);
bool mmu_store_slow(struct hart *h, gva_t va, unsigned size, uint64_t val);

/* The tag a hit must match: the page, plus the low bits that make a misaligned access miss. */
static inline uint64_t tlb_tag(gva_t va, unsigned size)
{
	return va & (PAGE_MASK | (size - 1));
}

/* The TLB fast paths alone: false on a miss, with nothing done. */
static inline bool tlb_load_hit(struct hart *h, gva_t va, unsigned size, uint64_t *val)
{
	struct tlb_entry *e = tlb_lookup(h->tlb_data, va);
	if (LIKELY(e->tag_r == tlb_tag(va, size))) {
		*val = ld_le((void *)(uintptr_t)(va + e->addend), size);
		return true;
	}
	return false;
}

static inline bool tlb_store_hit(struct hart *h, gva_t va, unsigned size, uint64_t val)
{
	struct tlb_entry *e = tlb_lookup(h->tlb_data, va);
	if (LIKELY(e->tag_w == tlb_tag(va, size))) {
		st_le((void *)(uintptr_t)(va + e->addend), val, size);
		return true;
	}
	return false;
}

static inline bool mmu_load(struct hart *h, gva_t va, unsigned size, uint64_t *val)
{
	return LIKELY(tlb_load_hit(h, va, size, val)) || mmu_load_slow(h, va, size, val);
}

static inline bool mmu_store(struct hart *h, gva_t va, unsigned size, uint64_t val)
{
	return LIKELY(tlb_store_hit(h, va, size, val)) || mmu_store_slow(h, va, size, val);
}

/*
 * Host address of an aligned `size`-byte RAM location for an atomic
 * read-modify-write (AMO, SC), checked for write permission; NULL after
 * raising the exception (misaligned, fault, or not RAM).
 */
void *mmu_amo_ptr(struct hart *h, gva_t va, unsigned size);

/* Host address of a RAM location for LR (read permission); NULL after a trap. */
void *mmu_lr_ptr(struct hart *h, gva_t va, unsigned size);

/*
 * Instruction fetch slow path: fills the fetch TLB and returns the (up to
 * 32-bit) instruction at pc, or returns false after raising the fault.
 */
bool mmu_fetch_slow(struct hart *h, gva_t pc, uint32_t *insn);

/*
 * Walks the page table of `satp` for va without side effects (no A/D
 * update, no permission check): 0 with the physical address and the leaf's
 * PTE flag bits (V R W X U G A D), or -1 if va is not mapped.
 */
int mmu_lookup(struct hart *h, uint64_t satp, gva_t va, gpa_t *pa, unsigned *flags) MUST_CHECK;

/* Translates va for an access; 0 and *pa on success, else the exception cause. */
int mmu_translate(struct hart *h, gva_t va, enum mmu_access acc, gpa_t *pa);

#endif
