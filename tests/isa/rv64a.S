/*
 * A extension: LR/SC (success, failure without or with a moved reservation,
 * failure leaves memory untouched, SC always ends the reservation), every AMO
 * in .W and .D form (old value returned, .W results sign-extended, neighbour
 * bytes untouched), aq/rl variants, and misaligned AMO/LR/SC exceptions.
 */
#include "fw.h"

    .option norvc

/* AMO: mem = init, a1 = src; amo a2 <- (s0); check a2 = old, mem = new */
#define AMO_D(op, init, src, new) \
    li a0, init; sd a0, 0(s0); li a1, src; op a2, a1, (s0); CHECK(a2, init); ld a3, 0(s0); CHECK(a3, new)
/* .W on the upper word of a dword: old sign-extended, other word untouched */
#define AMO_W(op, init, src, new, oldsx) \
    li a0, 0x5a5a5a5a; sw a0, 0(s0); li a0, init; sw a0, 4(s0); li a1, src; op a2, a1, (s1); \
    CHECK(a2, oldsx); lwu a3, 4(s0); CHECK(a3, new); lwu a3, 0(s0); CHECK(a3, 0x5a5a5a5a)

TEST_BEGIN(rv64a)
    la s0, adata
    addi s1, s0, 4
    la s2, adata_far

/* ---- LR/SC ------------------------------------------------------------------ */
    /* LR.W sign-extends; SC.W succeeds (rd = 0) and writes */
    li a0, 0x80000001
    sw a0, 0(s0)
    lr.w a1, (s0)
    li a2, 0x12345678
    sc.w a3, a2, (s0)
    CHECK(a1, 0xffffffff80000001)
    CHECK(a3, 0)
    lw a4, 0(s0)
    CHECK(a4, 0x12345678)
    /* LR.D / SC.D */
    li a0, 0x8000000000000001
    sd a0, 0(s0)
    lr.d a1, (s0)
    li a2, 0x1122334455667788
    sc.d a3, a2, (s0)
    CHECK(a1, 0x8000000000000001)
    CHECK(a3, 0)
    ld a4, 0(s0)
    CHECK(a4, 0x1122334455667788)
    /* a second SC after a successful one fails: SC ends the reservation */
    li a0, 1
    sd a0, 0(s0)
    lr.d a1, (s0)
    li a2, 2
    sc.d a3, a2, (s0)
    li a2, 3
    sc.d a4, a2, (s0)
    CHECK(a3, 0)
    CHECK(a4, 1)                        /* failure code 1 ("unspecified") */
    ld a5, 0(s0)
    CHECK(a5, 2)                        /* failed SC did not write */
    /* SC to an address outside the reservation set fails, and ends it */
    li a0, 7
    sd a0, 0(s0)
    sd a0, 0(s2)
    lr.d a1, (s0)
    li a2, 8
    sc.d a3, a2, (s2)
    sc.d a4, a2, (s0)
    CHECK(a3, 1)
    CHECK(a4, 1)
    ld a5, 0(s2)
    CHECK(a5, 7)
    ld a5, 0(s0)
    CHECK(a5, 7)
    /* a new LR replaces the reservation */
    lr.w a1, (s2)
    lr.w a1, (s0)
    li a2, 9
    sc.w a3, a2, (s0)
    CHECK(a3, 0)
    lw a5, 0(s0)
    CHECK(a5, 9)
    /* SC.W failure without any LR since the last SC */
    li a2, 10
    sc.w a3, a2, (s0)
    CHECK(a3, 1)
    lw a5, 0(s0)
    CHECK(a5, 9)
    /* aq/rl encodings */
    lr.w.aq a1, (s0)
    sc.w.rl a3, a2, (s0)
    CHECK(a3, 0)
    lr.d.aqrl a1, (s0)
    sc.d.aqrl a3, a1, (s0)
    CHECK(a3, 0)
    CHECK(a1, 10)
    /* rd = x0 on LR still reserves */
    lr.w x0, (s0)
    li a2, 11
    sc.w a3, a2, (s0)
    CHECK(a3, 0)
    CHECK(x0, 0)

/* ---- AMO .D ----------------------------------------------------------------- */
    AMO_D(amoswap.d, 0x1111111111111111, 0x2222222222222222, 0x2222222222222222)
    AMO_D(amoadd.d,  0x7fffffffffffffff, 1, 0x8000000000000000)
    AMO_D(amoadd.d,  0xffffffffffffffff, 2, 1)
    AMO_D(amoxor.d,  0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xf0f0f0f0f0f0f0f0)
    AMO_D(amoand.d,  0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0x0f000f000f000f00)
    AMO_D(amoor.d,   0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xfff0fff0fff0fff0)
    AMO_D(amomin.d,  0xffffffffffffffff, 1, 0xffffffffffffffff)
    AMO_D(amomin.d,  5, 0x8000000000000000, 0x8000000000000000)
    AMO_D(amomax.d,  0xffffffffffffffff, 1, 1)
    AMO_D(amomax.d,  0x8000000000000000, 0x7fffffffffffffff, 0x7fffffffffffffff)
    AMO_D(amominu.d, 0xffffffffffffffff, 1, 1)
    AMO_D(amominu.d, 3, 0x8000000000000000, 3)
    AMO_D(amomaxu.d, 0xffffffffffffffff, 1, 0xffffffffffffffff)
    AMO_D(amomaxu.d, 0x7fffffffffffffff, 0x8000000000000000, 0x8000000000000000)
    AMO_D(amoadd.d.aq, 40, 2, 42)
    AMO_D(amoswap.d.rl, 40, 2, 2)
    AMO_D(amoor.d.aqrl, 0x40, 2, 0x42)
    AMO_D(amomax.d.aq, -5, -6, -5)

/* ---- AMO .W ----------------------------------------------------------------- */
    AMO_W(amoswap.w, 0x80000000, 0x1234567811111111, 0x11111111, 0xffffffff80000000)
    AMO_W(amoadd.w,  0x7fffffff, 1, 0x80000000, 0x7fffffff)
    AMO_W(amoadd.w,  0xffffffff, 0x0000000100000002, 1, 0xffffffffffffffff) /* no carry out */
    AMO_W(amoxor.w,  0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0, 0xffffffffff00ff00)
    AMO_W(amoand.w,  0xff00ff00, 0x0ff00ff0, 0x0f000f00, 0xffffffffff00ff00)
    AMO_W(amoor.w,   0x7f00ff00, 0x0ff00ff0, 0x7ff0fff0, 0x7f00ff00)
    AMO_W(amomin.w,  0xffffffff, 1, 0xffffffff, 0xffffffffffffffff)
    AMO_W(amomin.w,  5, 0x80000000, 0x80000000, 5)
    AMO_W(amomin.w,  5, 0x00000001ffffffff, 0xffffffff, 5) /* compares 32-bit values */
    AMO_W(amomax.w,  0xffffffff, 1, 1, 0xffffffffffffffff)
    AMO_W(amomax.w,  0x80000000, 0x7fffffff, 0x7fffffff, 0xffffffff80000000)
    AMO_W(amominu.w, 0xffffffff, 1, 1, 0xffffffffffffffff)
    AMO_W(amominu.w, 3, 0x80000000, 3, 3)
    AMO_W(amomaxu.w, 0xffffffff, 1, 0xffffffff, 0xffffffffffffffff)
    AMO_W(amomaxu.w, 0x7fffffff, 0x80000000, 0x80000000, 0x7fffffff)
    AMO_W(amomaxu.w, 2, 0xffffffff00000001, 2, 2) /* upper bits of rs2 ignored */
    AMO_W(amoadd.w.aq, 40, 2, 42, 40)
    AMO_W(amoand.w.rl, 0xff, 0x0f, 0x0f, 0xff)
    AMO_W(amoxor.w.aqrl, 1, 3, 2, 1)
    AMO_W(amominu.w.aq, 9, 8, 8, 9)

    /* rd == rs2, rd = x0 */
    li a0, 100
    sd a0, 0(s0)
    li a1, 5
    amoadd.d a1, a1, (s0)
    CHECK(a1, 100)
    ld a3, 0(s0)
    CHECK(a3, 105)
    li a1, 6
    amoadd.d x0, a1, (s0)
    ld a3, 0(s0)
    CHECK(a3, 111)
    CHECK(x0, 0)

/* ---- misaligned AMO / LR / SC raise an exception -----------------------------
 * Spec (A, "Zaamo"/"Zalrsc"): a misaligned AMO, LR or SC raises address-
 * misaligned or access-fault; for AMO and SC those are the store/AMO causes
 * 6 or 7, for LR the load causes 4 or 5.
 * QEMU 7.2 deviation: misaligned AMOs report cause 4 (load address misaligned),
 * and an SC without a matching reservation fails without checking alignment. */
#ifdef QEMU_QUIRKS
#define AMO_MISALIGNED_ALT CAUSE_MISALIGNED_LOAD
#else
#define AMO_MISALIGNED_ALT CAUSE_STORE_ACCESS
#endif
    li a0, 0x1111
    sd a0, 0(s0)
    addi s3, s0, 2
    ARM_TRAP(1f)
2:  amoadd.w a2, a0, (s3)
1:  ld t0, FW_CAUSE(gp)
    li t1, AMO_MISALIGNED_ALT
    bne t0, t1, 3f
    li t0, CAUSE_MISALIGNED_STORE       /* access fault is allowed as well */
3:  CHECK(t0, CAUSE_MISALIGNED_STORE)
    CHECK_FW_R(FW_TVAL, s3)             /* mtval = faulting address */
    la t0, 2b
    CHECK_FW_R(FW_EPC, t0)
    DISARM_TRAP()
    ld a3, 0(s0)
    CHECK(a3, 0x1111)                   /* memory unchanged */
    addi s3, s0, 4
    ARM_TRAP(1f)
    amoswap.d a2, a0, (s3)
1:  ld t0, FW_CAUSE(gp)
    li t1, AMO_MISALIGNED_ALT
    bne t0, t1, 3f
    li t0, CAUSE_MISALIGNED_STORE
3:  CHECK(t0, CAUSE_MISALIGNED_STORE)
    CHECK_FW_R(FW_TVAL, s3)
    DISARM_TRAP()
    addi s3, s0, 1
    ARM_TRAP(1f)
    lr.w a2, (s3)
1:  ld t0, FW_CAUSE(gp)
    li t1, CAUSE_LOAD_ACCESS
    bne t0, t1, 3f
    li t0, CAUSE_MISALIGNED_LOAD
3:  CHECK(t0, CAUSE_MISALIGNED_LOAD)
    CHECK_FW_R(FW_TVAL, s3)
    DISARM_TRAP()
    addi s3, s0, 4
    li a2, 0x77
    ARM_TRAP(1f)
    sc.d a2, a0, (s3)
1:  ld t0, FW_CAUSE(gp)
    li t1, CAUSE_STORE_ACCESS
    bne t0, t1, 3f
    li t0, CAUSE_MISALIGNED_STORE
3:
#ifdef QEMU_QUIRKS
    li t1, -1
    bne t0, t1, 3f
    li t0, CAUSE_MISALIGNED_STORE
3:
#endif
    CHECK(t0, CAUSE_MISALIGNED_STORE)
    DISARM_TRAP()
    ld a3, 0(s0)
    CHECK(a3, 0x1111)                   /* nothing written at the SC address */

    TEST_END

    .data
    .balign 64
adata:
    .dword 0, 0
    .balign 4096
adata_far:
    .dword 0
