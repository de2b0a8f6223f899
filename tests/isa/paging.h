/*
 * Address translation checks shared by sv39.c and sv48.c (check numbers in
 * their failure reports are lines of this file, "in paging.h").
 *
 * Covered: 4 KiB / 2 MiB / 1 GiB leaves (and 512 GiB for Sv48) for S and U,
 * loads, stores and fetches, the upper half of the address space and
 * non-canonical addresses, invalid and reserved PTE encodings, misaligned
 * superpages, hardware A/D updates (Svadu behaviour), page-fault causes
 * 12/13/15 with mtval/stval and mepc/sepc, delegation of page faults to S,
 * and a fetch that straddles into an unmapped page.
 */
#include "vm.h"

#define VA_4K    0x40001000ull
#define VA_U     0x40002000ull
#define VA_INV   0x40003000ull
#define VA_WO    0x40004000ull
#define VA_NL    0x40005000ull
#define VA_AD    0x40006000ull
#define VA_XAD   0x40007000ull
#define VA_STR   0x40008000ull          /* followed by an unmapped page */
#define VA_RSV   0x4000a000ull
#define VA_RO    0x4000b000ull
#define VA_NLA   0x40800000ull          /* under a non-leaf PTE with A set */
#define VA_NLU   0x40a00000ull          /* under a non-leaf PTE with U set */
#define VA_2M    0x40200000ull
#define VA_MIS   0x40400000ull
#define VA_2MAD  0x40600000ull
#define VA_1G    0x100000000ull
#define PA_2M    0x81000000ull          /* free RAM, 2 MiB aligned */
#define PA_2MAD  0x81200000ull

static volatile uint64_t probe_var = 0x5ca1ab1e0ddba11ull;

static void paging_checks(int levels)
{
    pte_t *root = vm_new_space(levels);
    volatile uint64_t *p4k = vm_page();
    volatile uint64_t *pu = vm_page();
    volatile uint64_t *pad = vm_page();
    volatile uint8_t *px = vm_page();
    volatile uint8_t *pstr = vm_page();
    volatile uint64_t *pro = vm_page();
    volatile uint64_t *p2m = (volatile uint64_t *)(uintptr_t)PA_2M;
    volatile uint64_t *p2mad = (volatile uint64_t *)(uintptr_t)PA_2MAD;

    p4k[0] = 0x1111111111111111ull;
    p4k[511] = 0x2222222222222222ull;
    pu[3] = 0x3333333333333333ull;
    pro[0] = 0x4444444444444444ull;
    p2m[0] = 0x5555555555555555ull;
    p2m[(MEGA - 8) / 8] = 0x6666666666666666ull;
    p2mad[0] = 0x7777777777777777ull;

    vm_map(root, levels, VA_4K, vm_pa(p4k), 0, PTE_R | PTE_W | PTE_AD);
    vm_map(root, levels, VA_U, vm_pa(pu), 0, PTE_R | PTE_W | PTE_U | PTE_AD);
    vm_map(root, levels, VA_RO, vm_pa(pro), 0, PTE_R | PTE_A);
    *vm_slot(root, levels, VA_INV, 0) = 0;                      /* V = 0 */
    vm_map(root, levels, VA_WO, vm_pa(p4k), 0, PTE_W | PTE_AD); /* W without R: reserved */
    *vm_slot(root, levels, VA_NL, 0) = vm_leaf(vm_pa(p4k), 0);  /* non-leaf at level 0 */
    vm_map(root, levels, VA_RSV, vm_pa(p4k), 0, PTE_R | PTE_AD | (1ull << 54)); /* reserved bit */
    vm_map(root, levels, VA_AD, vm_pa(pad), 0, PTE_R | PTE_W);  /* A = D = 0 */
    vm_map(root, levels, VA_XAD, vm_pa(px), 0, PTE_X);          /* A = 0 */
    vm_map(root, levels, VA_STR, vm_pa(pstr), 0, PTE_X | PTE_R | PTE_AD);
    *vm_slot(root, levels, VA_STR + PAGE, 0) = 0;
    vm_map(root, levels, VA_2M, PA_2M, 1, PTE_R | PTE_W | PTE_AD);
    vm_map(root, levels, VA_MIS, PA_2M + PAGE, 1, PTE_R | PTE_W | PTE_AD);  /* misaligned */
    vm_map(root, levels, VA_2MAD, PA_2MAD, 1, PTE_R | PTE_W);
    vm_map(root, levels, VA_1G, 0x80000000, 2, PTE_R | PTE_AD);
    vm_map(root, levels, VA_NLA, vm_pa(p4k), 0, PTE_R | PTE_AD);
    *vm_slot(root, levels, VA_NLA, 1) |= PTE_A;   /* A/D/U are reserved in non-leaf PTEs */
    vm_map(root, levels, VA_NLU, vm_pa(p4k), 0, PTE_R | PTE_AD);
    *vm_slot(root, levels, VA_NLU, 1) |= PTE_U;
    vm_put_stub(px, 0x42);

    /* the upper half: the first address of it, mapped to p4k */
    uint64_t va_hi = levels == 3 ? 0xffffffc000000000ull : 0xffff800000000000ull;
    vm_map(root, levels, va_hi, vm_pa(p4k), 0, PTE_R | PTE_W | PTE_AD);
    /* the first address above the lower half is not canonical */
    uint64_t va_nc = levels == 3 ? 0x0000004000000000ull : 0x0000800000000000ull;
    uint64_t va_nc2 = levels == 3 ? 0xffffffbffffff000ull : 0xffff7ffffffff000ull;
    if (levels == 4)                    /* Sv48: a 512 GiB page at 512 GiB -> PA 0 */
        vm_map(root, levels, TERA, 0, 3, PTE_R | PTE_AD);

    vm_enable(vm_satp(levels, root, 0));
    CHECK_EQ(csr_read(satp), vm_satp(levels, root, 0));

    /* ---- loads and stores through each page size ---- */
    CHECK_EQ(ld_(PM_S, VA_4K), 0x1111111111111111ull);
    CHECK_EQ(cause_(), NOFAULT);
    CHECK_EQ(ld_(PM_S, VA_4K + 4088), 0x2222222222222222ull);
    fw_probe(PR_SD, PM_S, VA_4K + 8, 0xabcdef0123456789ull);
    CHECK_EQ(cause_(), NOFAULT);
    CHECK_EQ(p4k[1], 0xabcdef0123456789ull);
    CHECK_EQ(fw_probe(PR_LBU, PM_S, VA_4K + 9, 0), 0x67);
    CHECK_EQ(ld_(PM_S, VA_2M), 0x5555555555555555ull);
    CHECK_EQ(ld_(PM_S, VA_2M + MEGA - 8), 0x6666666666666666ull);
    fw_probe(PR_SD, PM_S, VA_2M + 0x12340, 0x0102030405060708ull);
    CHECK_EQ(p2m[0x12340 / 8], 0x0102030405060708ull);
    CHECK_EQ(ld_(PM_S, VA_1G + (vm_pa(&probe_var) - 0x80000000)), probe_var);
    CHECK_EQ(ld_(PM_S, va_hi), 0x1111111111111111ull);
    CHECK_EQ(ld_(PM_S, va_hi + 8), 0xabcdef0123456789ull);
    if (levels == 4) {
        CHECK_EQ(ld_(PM_S, TERA + vm_pa(&probe_var)), probe_var);
    }
    /* U-mode through a U page */
    CHECK_EQ(ld_(PM_U, VA_U + 24), 0x3333333333333333ull);
    CHECK_EQ(cause_(), NOFAULT);
    fw_probe(PR_SD, PM_U, VA_U + 32, 0x99);
    CHECK_EQ(cause_(), NOFAULT);
    CHECK_EQ(pu[4], 0x99);
    /* fetch through a mapping */
    CHECK_EQ(fw_probe(PR_EXEC, PM_S, VA_XAD, 0), 0x42);
    CHECK_EQ(cause_(), NOFAULT);

    /* ---- page faults: cause, tval, epc ---- */
    ld_(PM_S, VA_INV + 16);
    CHECK_EQ(cause_(), CAUSE_LOAD_PAGE);
    CHECK_EQ(tval_(), VA_INV + 16);
    fw_probe(PR_SD, PM_S, VA_INV + 24, 1);
    CHECK_EQ(cause_(), CAUSE_STORE_PAGE);
    CHECK_EQ(tval_(), VA_INV + 24);
    fw_probe(PR_AMOADD, PM_S, VA_INV, 1);
#ifdef QEMU_QUIRKS          /* QEMU 7.2 deviation: AMO faults report the load cause */
    CHECK_EQ(cause_(), CAUSE_LOAD_PAGE);
#else
    CHECK_EQ(cause_(), CAUSE_STORE_PAGE);
#endif
    fw_probe(PR_EXEC, PM_S, VA_INV + 8, 0);
    CHECK_EQ(cause_(), CAUSE_FETCH_PAGE);
    CHECK_EQ(tval_(), VA_INV + 8);
    CHECK_EQ(FW(FW_EPC), VA_INV + 8);
    ld_(PM_U, VA_INV);
    CHECK_EQ(cause_(), CAUSE_LOAD_PAGE);
    CHECK_EQ(FW(FW_STATUS) & MSTATUS_MPP, 0);   /* taken from U */
    /* W without R is reserved; a non-leaf PTE at level 0; reserved bits */
    ld_(PM_S, VA_WO);
    CHECK_EQ(cause_(), CAUSE_LOAD_PAGE);
    fw_probe(PR_SD, PM_S, VA_WO, 0);
    CHECK_EQ(cause_(), CAUSE_STORE_PAGE);
    CHECK_EQ(p4k[0], 0x1111111111111111ull);
    ld_(PM_S, VA_NL);
    CHECK_EQ(cause_(), CAUSE_LOAD_PAGE);
    ld_(PM_S, VA_RSV);
    CHECK_EQ(cause_(), CAUSE_LOAD_PAGE);
    ld_(PM_S, VA_NLA);
    CHECK_EQ(cause_(), CAUSE_LOAD_PAGE);
    ld_(PM_S, VA_NLU);
    CHECK_EQ(cause_(), CAUSE_LOAD_PAGE);
    /* store to a read-only page */
    fw_probe(PR_SD, PM_S, VA_RO, 0);
    CHECK_EQ(cause_(), CAUSE_STORE_PAGE);
    CHECK_EQ(tval_(), VA_RO);
    CHECK_EQ(pro[0], 0x4444444444444444ull);
    CHECK_EQ(*vm_slot(root, levels, VA_RO, 0) & PTE_D, 0);  /* D not set by a faulting store */
    /* misaligned superpage */
    ld_(PM_S, VA_MIS);
    CHECK_EQ(cause_(), CAUSE_LOAD_PAGE);
    CHECK_EQ(tval_(), VA_MIS);
    /* non-canonical addresses */
    ld_(PM_S, va_nc);
    CHECK_EQ(cause_(), CAUSE_LOAD_PAGE);
    CHECK_EQ(tval_(), va_nc);
    fw_probe(PR_SD, PM_S, va_nc2, 0);
    CHECK_EQ(cause_(), CAUSE_STORE_PAGE);
    if (levels == 3) {                  /* canonical in Sv48, not in Sv39 */
        ld_(PM_S, TERA);
        CHECK_EQ(cause_(), CAUSE_LOAD_PAGE);
    }

    /* ---- hardware A/D updates ---- */
    volatile pte_t *ad = vm_slot(root, levels, VA_AD, 0);
    CHECK_EQ(ld_(PM_S, VA_AD), 0);
    CHECK_EQ(cause_(), NOFAULT);
    CHECK_EQ(*ad & PTE_AD, PTE_A);      /* a load sets A only */
    fw_probe(PR_SB, PM_S, VA_AD + 5, 0x7e);
    CHECK_EQ(cause_(), NOFAULT);
    CHECK_EQ(*ad & PTE_AD, PTE_AD);     /* a store sets D */
    CHECK_EQ(((volatile uint8_t *)pad)[5], 0x7e);
    *ad &= ~(uint64_t)PTE_AD;           /* a store to a clean page sets both */
    vm_flush();
    fw_probe(PR_SD, PM_S, VA_AD, 1);
    CHECK_EQ(*ad & PTE_AD, PTE_AD);
    *ad &= ~(uint64_t)PTE_AD;           /* an AMO too */
    vm_flush();
    fw_probe(PR_AMOADD, PM_S, VA_AD, 1);
    CHECK_EQ(*ad & PTE_AD, PTE_AD);
    CHECK_EQ(pad[0], 2);
    volatile pte_t *xad = vm_slot(root, levels, VA_XAD, 0);
    CHECK_EQ(*xad & PTE_A, PTE_A);      /* the earlier fetch set A */
    *xad &= ~(uint64_t)PTE_A;
    vm_flush();
    CHECK_EQ(fw_probe(PR_EXEC, PM_S, VA_XAD, 0), 0x42);
    CHECK_EQ(*xad & PTE_AD, PTE_A);
    volatile pte_t *ad2m = vm_slot(root, levels, VA_2MAD, 1);
    CHECK_EQ(ld_(PM_S, VA_2MAD), 0x7777777777777777ull);
    CHECK_EQ(*ad2m & PTE_AD, PTE_A);    /* superpage leaf updated */
    fw_probe(PR_SD, PM_S, VA_2MAD + 0x1000, 3);
    CHECK_EQ(*ad2m & PTE_AD, PTE_AD);
    /* non-leaf PTEs are never given A/D */
    volatile pte_t *nl = vm_slot(root, levels, VA_AD, 1);
    CHECK_EQ(*nl & (PTE_AD | PTE_RWX | PTE_U), 0);
    nl = &root[vm_index(VA_AD, levels - 1)];
    CHECK_EQ(*nl & (PTE_AD | PTE_RWX | PTE_U), 0);

    /* ---- page faults delegated to S-mode ---- */
    csr_write(medeleg, (1 << CAUSE_FETCH_PAGE) | (1 << CAUSE_LOAD_PAGE) | (1 << CAUSE_STORE_PAGE));
    FW(FW_NTRAP) = 0;
    FW(FW_SCAUSE) = -1;
    ld_(PM_S, VA_INV + 0x40);
    CHECK_EQ(FW(FW_SCAUSE), CAUSE_LOAD_PAGE);
    CHECK_EQ(FW(FW_STVAL), VA_INV + 0x40);
    fw_probe(PR_SD, PM_U, VA_RO, 0);    /* U cannot use an S page */
    CHECK_EQ(FW(FW_SCAUSE), CAUSE_STORE_PAGE);
    CHECK_EQ(FW(FW_STVAL), VA_RO);
    CHECK_EQ(FW(FW_SSTATUS) & MSTATUS_SPP, 0);
    fw_probe(PR_EXEC, PM_S, VA_INV, 0);
    CHECK_EQ(FW(FW_SCAUSE), CAUSE_FETCH_PAGE);
    CHECK_EQ(FW(FW_SEPC), VA_INV);
    CHECK_EQ(FW(FW_STVAL), VA_INV);
    CHECK_EQ(FW(FW_SSTATUS) & MSTATUS_SPP, MSTATUS_SPP);
    CHECK_EQ(FW(FW_NTRAP), 0);          /* none went to M */
    csr_write(medeleg, 0);

    /* ---- a 32-bit instruction straddling into an unmapped page ----
     * c.nop at offset 0xffc, then a 32-bit instruction at 0xffe: the fault is
     * on the second page (mtval), mepc is the start of the instruction */
    pstr[0xffc] = 0x01;
    pstr[0xffd] = 0x00;
    pstr[0xffe] = 0x13;                 /* addi x0, x0, 0 (nop), low half */
    pstr[0xfff] = 0x00;
    vm_fence_i();
    fw_probe(PR_EXEC, PM_S, VA_STR + 0xffc, 0);
    CHECK_EQ(cause_(), CAUSE_FETCH_PAGE);
    CHECK_EQ(FW(FW_EPC), VA_STR + 0xffe);
    if (tval_() != 0) {
        CHECK_EQ(tval_(), VA_STR + PAGE);
    }

    vm_disable();
}
