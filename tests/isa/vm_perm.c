/*
 * Sv39 permission checks: every R/W/X combination for S and U loads, stores
 * and fetches, the U bit (S may not touch U pages without SUM and never
 * executes them; U may not touch S pages), SUM, MXR, and MPRV with MPP
 * (M-mode loads/stores translated and checked as S or U, fetches not).
 */
#include "vm.h"

TEST_NAME("vm_perm");

#define VA_BASE 0x40000000ull

/* one page per flag combination and the expected outcome (1 = allowed) of
 * each access; s_ld is indexed by SUM | MXR << 1, s_st by SUM, u_ld by MXR */
struct perm_case {
    uint64_t flags;
    uint8_t s_ld[4], s_st[2], s_x, u_ld[2], u_st, u_x;
};

static const struct perm_case cases[] = {
    /*  flags                        S ld: -  SUM MXR both  S st: - SUM  S x  U ld: - MXR  U st U x */
    { PTE_R,                         { 1, 1, 1, 1 },        { 0, 0 },    0,   { 0, 0 },    0,   0 },
    { PTE_R | PTE_W,                 { 1, 1, 1, 1 },        { 1, 1 },    0,   { 0, 0 },    0,   0 },
    { PTE_X,                         { 0, 0, 1, 1 },        { 0, 0 },    1,   { 0, 0 },    0,   0 },
    { PTE_R | PTE_X,                 { 1, 1, 1, 1 },        { 0, 0 },    1,   { 0, 0 },    0,   0 },
    { PTE_R | PTE_W | PTE_X,         { 1, 1, 1, 1 },        { 1, 1 },    1,   { 0, 0 },    0,   0 },
    { PTE_U | PTE_R,                 { 0, 1, 0, 1 },        { 0, 0 },    0,   { 1, 1 },    0,   0 },
    { PTE_U | PTE_R | PTE_W,         { 0, 1, 0, 1 },        { 0, 1 },    0,   { 1, 1 },    1,   0 },
    { PTE_U | PTE_X,                 { 0, 0, 0, 1 },        { 0, 0 },    0,   { 0, 1 },    0,   1 },
    { PTE_U | PTE_R | PTE_X,         { 0, 1, 0, 1 },        { 0, 0 },    0,   { 1, 1 },    0,   1 },
    { PTE_U | PTE_R | PTE_W | PTE_X, { 0, 1, 0, 1 },        { 0, 1 },    0,   { 1, 1 },    1,   1 },
    /* W without R is reserved: every access faults */
    { PTE_W,                         { 0, 0, 0, 0 },        { 0, 0 },    0,   { 0, 0 },    0,   0 },
    { PTE_W | PTE_X,                 { 0, 0, 0, 0 },        { 0, 0 },    0,   { 0, 0 },    0,   0 },
    { PTE_U | PTE_W | PTE_X,         { 0, 0, 0, 0 },        { 0, 0 },    0,   { 0, 0 },    0,   0 },
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

static uint64_t page_pa[NCASES];

static uint64_t va_of(unsigned i) { return VA_BASE + PAGE * i; }

/* 1 if the access succeeded; otherwise checks the fault cause and tval */
static int try_access(int op, int mode, uint64_t va, uint64_t want_cause)
{
    if (op != PR_EXEC)
        va += 0x800;                    /* keep the code stub at offset 0 intact */
    uint64_t v = fw_probe(op, mode, va, 0x5a);
    if (FW(FW_CAUSE) == NOFAULT) {
        if (op == PR_EXEC)
            CHECK_EQ(v, 0x55);
        return 1;
    }
#ifdef QEMU_QUIRKS
    /* QEMU 7.2 deviation: a denied AMO may report the load cause */
    if (op == PR_AMOADD && FW(FW_CAUSE) == CAUSE_LOAD_PAGE)
        FW(FW_CAUSE) = CAUSE_STORE_PAGE;
#endif
    CHECK_EQ(FW(FW_CAUSE), want_cause);
    CHECK_EQ(FW(FW_TVAL), va);
    return 0;
}

/* The checked values carry a tag naming the case, so that a failure report
 * (exp=... got=...) shows which one: 0xIISXOPRR = case index II, SUM S,
 * MXR X, probe op O (PR_*), privilege mode P, RR = 1 if the access worked. */
static void expect(unsigned i, int sum, int mxr, int op, int mode, uint64_t cause, int want)
{
    uint64_t tag = ((uint64_t)i << 24) | (sum << 20) | (mxr << 16) | (op << 12) | (mode << 8);
    CHECK_EQ(tag | try_access(op, mode, va_of(i), cause), tag | want);
}

static void check_case(unsigned i, int sum, int mxr)
{
    const struct perm_case *c = &cases[i];
    csr_clear(mstatus, MSTATUS_SUM | MSTATUS_MXR);
    csr_set(mstatus, (sum ? MSTATUS_SUM : 0) | (mxr ? MSTATUS_MXR : 0));
    expect(i, sum, mxr, PR_LD, PM_S, CAUSE_LOAD_PAGE, c->s_ld[sum | mxr << 1]);
    expect(i, sum, mxr, PR_SD, PM_S, CAUSE_STORE_PAGE, c->s_st[sum]);
    expect(i, sum, mxr, PR_AMOADD, PM_S, CAUSE_STORE_PAGE, c->s_st[sum]);
    expect(i, sum, mxr, PR_EXEC, PM_S, CAUSE_FETCH_PAGE, c->s_x);      /* SUM never allows fetch */
    expect(i, sum, mxr, PR_LD, PM_U, CAUSE_LOAD_PAGE, c->u_ld[mxr]);
    expect(i, sum, mxr, PR_SD, PM_U, CAUSE_STORE_PAGE, c->u_st);       /* SUM does not affect U */
    expect(i, sum, mxr, PR_EXEC, PM_U, CAUSE_FETCH_PAGE, c->u_x);
    csr_clear(mstatus, MSTATUS_SUM | MSTATUS_MXR);
}

void test_main(void)
{
    pte_t *root = vm_new_space(3);
    for (unsigned i = 0; i < NCASES; i++) {
        uint8_t *p = vm_page();
        page_pa[i] = vm_pa(p);
        vm_put_stub(p, 0x55);
        vm_map(root, 3, va_of(i), page_pa[i], 0, cases[i].flags | PTE_AD);
    }
    vm_enable(vm_satp(3, root, 0));

    for (unsigned i = 0; i < NCASES; i++) {
        check_case(i, 0, 0);
        check_case(i, 1, 0);
        check_case(i, 0, 1);
        check_case(i, 1, 1);
    }

    /* ---- MPRV: M-mode loads/stores use the MPP privilege and translation ---- */
    uint64_t va_rw = va_of(1), va_urw = va_of(6), va_x = va_of(2);
    volatile uint64_t *prw = (volatile uint64_t *)(uintptr_t)page_pa[1];
    volatile uint64_t *purw = (volatile uint64_t *)(uintptr_t)page_pa[6];
    prw[8] = 0x1234;
    purw[8] = 0x5678;
    CHECK_EQ(fw_probe(PR_LD, PM_MPRV_S, va_rw + 64, 0), 0x1234);
    CHECK_EQ(FW(FW_CAUSE), NOFAULT);
    CHECK_EQ(fw_probe(PR_LD, PM_MPRV_U, va_urw + 64, 0), 0x5678);
    CHECK_EQ(FW(FW_CAUSE), NOFAULT);
    fw_probe(PR_SD, PM_MPRV_S, va_rw + 72, 0x9abc);
    CHECK_EQ(prw[9], 0x9abc);
    /* a fault under MPRV is taken from M-mode, with the virtual address */
    fw_probe(PR_LD, PM_MPRV_U, va_rw, 0);
    CHECK_EQ(FW(FW_CAUSE), CAUSE_LOAD_PAGE);
    CHECK_EQ(FW(FW_TVAL), va_rw);
    CHECK_EQ(FW(FW_STATUS) & MSTATUS_MPP, MSTATUS_MPP_M);
    fw_probe(PR_SD, PM_MPRV_S, va_urw, 0);
    CHECK_EQ(FW(FW_CAUSE), CAUSE_STORE_PAGE);
    /* SUM and MXR apply to MPRV accesses */
    csr_set(mstatus, MSTATUS_SUM);
    CHECK_EQ(fw_probe(PR_LD, PM_MPRV_S, va_urw + 64, 0), 0x5678);
    CHECK_EQ(FW(FW_CAUSE), NOFAULT);
    csr_clear(mstatus, MSTATUS_SUM);
    fw_probe(PR_LD, PM_MPRV_S, va_x, 0);
    CHECK_EQ(FW(FW_CAUSE), CAUSE_LOAD_PAGE);
    csr_set(mstatus, MSTATUS_MXR);
    fw_probe(PR_LD, PM_MPRV_S, va_x, 0);
    CHECK_EQ(FW(FW_CAUSE), NOFAULT);
    csr_clear(mstatus, MSTATUS_MXR);
    /* MPRV with MPP = M: no translation (physical access) */
    csr_clear(mstatus, MSTATUS_MPP);
    csr_set(mstatus, MSTATUS_MPP_M | MSTATUS_MPRV);
    uint64_t v = *(volatile uint64_t *)(uintptr_t)(page_pa[1] + 64);
    csr_clear(mstatus, MSTATUS_MPRV);
    CHECK_EQ(v, 0x1234);
    /* with MPRV = 0, M-mode ignores satp */
    CHECK_EQ(fw_probe(PR_LD, PM_M, page_pa[6] + 64, 0), 0x5678);

    vm_disable();
}
