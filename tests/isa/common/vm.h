/*
 * Page-table helpers for the paging tests (Sv39 / Sv48), header-only.
 *
 * Every address space built with vm_new_space() has:
 *   VA 0x00000000-0x3fffffff -> PA same, 1 GiB, S-only RW     (devices)
 *   VA 0x80000000-0xbfffffff -> PA same, 1 GiB, S-only RWX    (RAM: test code)
 *   VA 0xc0000000-0xffffffff -> PA 0x80000000, 1 GiB, U RWX   (RAM alias for
 *                                                               U-mode code)
 * so that S-mode code and the framework run unchanged, and U-mode probes run
 * through the alias (FW_UALIAS).  Test mappings go elsewhere.
 */
#ifndef UMBRA_ISA_VM_H
#define UMBRA_ISA_VM_H

#include "fw.h"

#define PTE_V (1u << 0)
#define PTE_R (1u << 1)
#define PTE_W (1u << 2)
#define PTE_X (1u << 3)
#define PTE_U (1u << 4)
#define PTE_G (1u << 5)
#define PTE_A (1u << 6)
#define PTE_D (1u << 7)
#define PTE_RWX (PTE_R | PTE_W | PTE_X)
#define PTE_AD (PTE_A | PTE_D)

#define PAGE 4096ull
#define MEGA (2ull << 20)
#define GIGA (1ull << 30)
#define TERA (512ull << 30)

#define SATP_BARE 0ull
#define SATP_SV39 8ull
#define SATP_SV48 9ull
#define SATP_SV57 10ull
#define SATP_MODE(m) ((uint64_t)(m) << 60)
#define SATP_ASID(a) ((uint64_t)(a) << 44)

#define U_ALIAS 0x40000000ull           /* U-mode code runs at PA + this */

typedef uint64_t pte_t;

/* physical pages for page tables and test data (zeroed .bss) */
#define VM_POOL_PAGES 96
static uint8_t vm_pool[VM_POOL_PAGES][4096] __attribute__((aligned(4096)));
static unsigned vm_pool_next;

static inline void *vm_page(void)
{
    uint8_t *p = vm_pool[vm_pool_next++];
    for (unsigned i = 0; i < 4096; i++)
        p[i] = 0;
    return p;
}

static inline uint64_t vm_pa(const volatile void *p) { return (uint64_t)(uintptr_t)p; }

static inline unsigned vm_index(uint64_t va, int level) { return (va >> (12 + 9 * level)) & 511; }

static inline pte_t vm_leaf(uint64_t pa, uint64_t flags) { return ((pa >> 12) << 10) | flags | PTE_V; }

static inline uint64_t vm_pte_pa(pte_t pte) { return ((pte >> 10) & ((1ull << 44) - 1)) << 12; }

/* the PTE slot for va at `level` (0 = 4 KiB leaf, 1 = 2 MiB, 2 = 1 GiB, 3 =
 * 512 GiB), creating intermediate tables as needed */
static inline volatile pte_t *vm_slot(pte_t *root, int levels, uint64_t va, int level)
{
    pte_t *table = root;
    for (int l = levels - 1; l > level; l--) {
        volatile pte_t *e = &table[vm_index(va, l)];
        if (!(*e & PTE_V))
            *e = vm_leaf(vm_pa(vm_page()), 0);  /* non-leaf: V only */
        table = (pte_t *)(uintptr_t)vm_pte_pa(*e);
    }
    return &table[vm_index(va, level)];
}

static inline void vm_map(pte_t *root, int levels, uint64_t va, uint64_t pa, int level, uint64_t flags)
{
    *vm_slot(root, levels, va, level) = vm_leaf(pa, flags);
}

static inline void vm_flush(void) { __asm__ volatile("sfence.vma" ::: "memory"); }
static inline void vm_flush_va(uint64_t va) { __asm__ volatile("sfence.vma %0, zero" :: "r"(va) : "memory"); }
static inline void vm_flush_asid(uint64_t asid) { __asm__ volatile("sfence.vma zero, %0" :: "r"(asid) : "memory"); }
static inline void vm_fence_i(void) { __asm__ volatile("fence.i" ::: "memory"); }

static inline pte_t *vm_new_space(int levels)
{
    pte_t *root = vm_page();
    vm_map(root, levels, 0x00000000, 0x00000000, 2, PTE_R | PTE_W | PTE_AD);
    vm_map(root, levels, 0x80000000, 0x80000000, 2, PTE_RWX | PTE_AD);
    vm_map(root, levels, 0x80000000 + U_ALIAS, 0x80000000, 2, PTE_RWX | PTE_U | PTE_AD);
    return root;
}

static inline uint64_t vm_satp(int levels, pte_t *root, uint64_t asid)
{
    uint64_t mode = levels == 3 ? SATP_SV39 : levels == 4 ? SATP_SV48 : SATP_SV57;
    return SATP_MODE(mode) | SATP_ASID(asid) | (vm_pa(root) >> 12);
}

static inline void vm_enable(uint64_t satp)
{
    csr_write(satp, satp);
    vm_flush();
    FW(FW_UALIAS) = U_ALIAS;
}

static inline void vm_disable(void)
{
    csr_write(satp, 0);
    vm_flush();
    FW(FW_UALIAS) = 0;
}

/* a tiny function "li a0, v; ret" written at p (physical) */
static inline void vm_put_stub(volatile void *p, unsigned v)
{
    volatile uint32_t *w = p;
    w[0] = 0x00000513u | ((v & 0x7ffu) << 20);  /* addi a0, zero, v */
    w[1] = 0x00008067u;                         /* jalr zero, 0(ra) */
    vm_fence_i();
}

/* probes (see fw.h): result value, and cause (-1 = none) / tval */
#define NOFAULT ((uint64_t)-1)
static inline uint64_t ld_(int mode, uint64_t va) { return fw_probe(PR_LD, mode, va, 0); }
static inline uint64_t cause_(void) { return FW(FW_CAUSE); }
static inline uint64_t tval_(void) { return FW(FW_TVAL); }

#endif
