/*
 * FP control and status: fcsr / fflags / frm CSRs (field views, reserved
 * bits, flag accrual), every rounding mode both as a static rm field and
 * through the dynamic frm, invalid rounding modes (illegal instruction),
 * mstatus.FS = Off making every FP instruction and FP CSR illegal, FS becoming
 * Dirty after FP state changes (including flag-only changes), and mstatus.SD.
 */
#include "fw.h"

    .option norvc

#define BOX(v) (0xffffffff00000000 | (v))
#define LDS(freg, v) li t0, v; fmv.w.x freg, t0
#define LDD(freg, v) li t0, v; fmv.d.x freg, t0
/* static rounding mode */
#define ADDS_RM(rm, a, b, exp) LDS(fa0, a); LDS(fa1, b); fadd.s fa2, fa0, fa1, rm; CHECK_F(fa2, BOX(exp)); CHECK_FLAGS(0x01)
#define ADDD_RM(rm, a, b, exp) LDD(fa0, a); LDD(fa1, b); fadd.d fa2, fa0, fa1, rm; CHECK_F(fa2, exp); CHECK_FLAGS(0x01)
/* dynamic rounding mode from frm */
#define ADDS_DYN(frmv, a, b, exp) LDS(fa0, a); LDS(fa1, b); li t1, frmv; csrw frm, t1; fadd.s fa2, fa0, fa1; CHECK_F(fa2, BOX(exp)); CHECK_FLAGS(0x01)
#define ADDD_DYN(frmv, a, b, exp) LDD(fa0, a); LDD(fa1, b); li t1, frmv; csrw frm, t1; fadd.d fa2, fa0, fa1; CHECK_F(fa2, exp); CHECK_FLAGS(0x01)

/* expect an illegal-instruction trap from the next instruction (label 2:) */
#define EXPECT_ILLEGAL ARM_TRAP(1f)
/* cause 2, mepc = 2b, mtval = 0 or the instruction bits */
#define CHECK_ILLEGAL CHECK_TRAP(CAUSE_ILLEGAL); la t0, 2b; CHECK_FW_R(FW_EPC, t0); \
    ld t1, FW_TVAL(gp); beqz t1, 3f; lwu t0, 0(t0); CHECK_R(t1, t0); 3:
#define ILLEGAL(insn...) EXPECT_ILLEGAL; 2: insn; 1: CHECK_ILLEGAL


TEST_BEGIN(fcsr)
    csrw fcsr, zero

/* ---- fcsr = frm[7:5] | fflags[4:0]; bits 31:8 read as zero ------------------ */
    li a0, 0xff
    csrw fcsr, a0
    CHECK_CSR(fcsr, 0xff)
    CHECK_CSR(frm, 7)
    CHECK_CSR(fflags, 0x1f)
    li a0, -1
    csrw fcsr, a0
    CHECK_CSR(fcsr, 0xff)
    csrw fcsr, zero
    li a0, 0xfd                         /* frm keeps 3 bits */
    csrw frm, a0
    CHECK_CSR(frm, 5)
    CHECK_CSR(fcsr, 0xa0)
    li a0, 0xf3                         /* fflags keeps 5 bits */
    csrw fflags, a0
    CHECK_CSR(fflags, 0x13)
    CHECK_CSR(fcsr, 0xb3)
    li a0, 0x1
    csrrw a1, fflags, a0                /* old value, then write */
    CHECK(a1, 0x13)
    CHECK_CSR(fcsr, 0xa1)
    csrrwi a1, frm, 2
    CHECK(a1, 5)
    CHECK_CSR(fcsr, 0x41)
    csrrsi a1, fflags, 0x4
    CHECK(a1, 1)
    CHECK_CSR(fflags, 5)
    csrrci a1, fflags, 0x1
    CHECK(a1, 5)
    CHECK_CSR(fcsr, 0x44)
    csrrw a1, fcsr, zero
    CHECK(a1, 0x44)
    CHECK_CSR(frm, 0)

/* ---- flags accrue; FP operations never clear them --------------------------- */
    LDS(fa0, 0x3f800000)
    LDS(fa1, 0)
    fdiv.s fa2, fa0, fa1                /* DZ */
    LDS(fa1, 0x40400000)
    fdiv.s fa2, fa0, fa1                /* NX */
    fadd.s fa2, fa0, fa0                /* exact: no new flag */
    CHECK_CSR(fflags, 0x09)
    LDS(fa1, 0x7f800001)
    feq.s a0, fa1, fa1                  /* NV from a compare */
    CHECK_CSR(fcsr, 0x19)
    csrw fflags, zero

/* ---- every rounding mode, static: a tie (1 + half ulp) and its negation ---- */
    ADDS_RM(rne, 0x3f800000, 0x33800000, 0x3f800000)
    ADDS_RM(rtz, 0x3f800000, 0x33800000, 0x3f800000)
    ADDS_RM(rdn, 0x3f800000, 0x33800000, 0x3f800000)
    ADDS_RM(rup, 0x3f800000, 0x33800000, 0x3f800001)
    ADDS_RM(rmm, 0x3f800000, 0x33800000, 0x3f800001)
    ADDS_RM(rne, 0xbf800000, 0xb3800000, 0xbf800000)
    ADDS_RM(rtz, 0xbf800000, 0xb3800000, 0xbf800000)
    ADDS_RM(rdn, 0xbf800000, 0xb3800000, 0xbf800001)
    ADDS_RM(rup, 0xbf800000, 0xb3800000, 0xbf800000)
    ADDS_RM(rmm, 0xbf800000, 0xb3800000, 0xbf800001)
    /* tie from an odd significand: RNE rounds up to even */
    ADDS_RM(rne, 0x3f800001, 0x33800000, 0x3f800002)
    ADDS_RM(rtz, 0x3f800001, 0x33800000, 0x3f800001)
    /* not a tie: 1 + 3/4 ulp */
    ADDS_RM(rne, 0x3f800000, 0x33c00000, 0x3f800001)
    ADDS_RM(rtz, 0x3f800000, 0x33c00000, 0x3f800000)
    ADDS_RM(rdn, 0x3f800000, 0x33c00000, 0x3f800000)
    ADDS_RM(rup, 0x3f800000, 0x33c00000, 0x3f800001)
    ADDS_RM(rmm, 0x3f800000, 0x33c00000, 0x3f800001)
    ADDD_RM(rne, 0x3ff0000000000000, 0x3ca0000000000000, 0x3ff0000000000000)
    ADDD_RM(rtz, 0x3ff0000000000000, 0x3ca0000000000000, 0x3ff0000000000000)
    ADDD_RM(rdn, 0x3ff0000000000000, 0x3ca0000000000000, 0x3ff0000000000000)
    ADDD_RM(rup, 0x3ff0000000000000, 0x3ca0000000000000, 0x3ff0000000000001)
    ADDD_RM(rmm, 0x3ff0000000000000, 0x3ca0000000000000, 0x3ff0000000000001)
    ADDD_RM(rdn, 0xbff0000000000000, 0xbca0000000000000, 0xbff0000000000001)
    ADDD_RM(rup, 0xbff0000000000000, 0xbca0000000000000, 0xbff0000000000000)

/* ---- every rounding mode, dynamic (frm) ------------------------------------- */
    ADDS_DYN(0, 0x3f800000, 0x33800000, 0x3f800000)
    ADDS_DYN(1, 0x3f800000, 0x33800000, 0x3f800000)
    ADDS_DYN(2, 0x3f800000, 0x33800000, 0x3f800000)
    ADDS_DYN(3, 0x3f800000, 0x33800000, 0x3f800001)
    ADDS_DYN(4, 0x3f800000, 0x33800000, 0x3f800001)
    ADDS_DYN(0, 0xbf800000, 0xb3800000, 0xbf800000)
    ADDS_DYN(1, 0xbf800000, 0xb3800000, 0xbf800000)
    ADDS_DYN(2, 0xbf800000, 0xb3800000, 0xbf800001)
    ADDS_DYN(3, 0xbf800000, 0xb3800000, 0xbf800000)
    ADDS_DYN(4, 0xbf800000, 0xb3800000, 0xbf800001)
    ADDD_DYN(0, 0x3ff0000000000000, 0x3ca0000000000000, 0x3ff0000000000000)
    ADDD_DYN(1, 0x3ff0000000000000, 0x3ca0000000000000, 0x3ff0000000000000)
    ADDD_DYN(2, 0xbff0000000000000, 0xbca0000000000000, 0xbff0000000000001)
    ADDD_DYN(3, 0x3ff0000000000000, 0x3ca0000000000000, 0x3ff0000000000001)
    ADDD_DYN(4, 0x3ff0000000000000, 0x3ca0000000000000, 0x3ff0000000000001)
    /* a static rm overrides frm */
    li t1, 3
    csrw frm, t1
    LDS(fa0, 0x3f800000)
    LDS(fa1, 0x33c00000)
    fadd.s fa2, fa0, fa1, rtz
    CHECK_F(fa2, BOX(0x3f800000))
    fadd.s fa2, fa0, fa1, dyn
    CHECK_F(fa2, BOX(0x3f800001))
    /* dynamic rounding reaches other operations: division, sqrt, conversion */
    LDS(fa0, 0x3f800000)
    LDS(fa1, 0x40400000)
    li t1, 1
    csrw frm, t1
    fdiv.s fa2, fa0, fa1                /* 1/3 truncated */
    CHECK_F(fa2, BOX(0x3eaaaaaa))
    li t1, 3
    csrw frm, t1
    fdiv.s fa2, fa0, fa1                /* 1/3 rounded up */
    CHECK_F(fa2, BOX(0x3eaaaaab))
    LDS(fa0, 0x40000000)
    li t1, 2
    csrw frm, t1
    fsqrt.s fa2, fa0                    /* sqrt(2) = 0x3fb504f3.33 */
    CHECK_F(fa2, BOX(0x3fb504f3))
    li t1, 3
    csrw frm, t1
    fsqrt.s fa2, fa0
    CHECK_F(fa2, BOX(0x3fb504f4))
    LDD(fa0, 0x4004000000000000)        /* 2.5 */
    li t1, 2
    csrw frm, t1
    fcvt.w.d a0, fa0
    CHECK(a0, 2)
    li t1, 3
    csrw frm, t1
    fcvt.w.d a0, fa0
    CHECK(a0, 3)
    li t1, 4
    csrw frm, t1
    fcvt.l.d a0, fa0
    CHECK(a0, 3)
    li t1, 0
    csrw frm, t1
    fcvt.l.d a0, fa0
    CHECK(a0, 2)
    CHECK_FLAGS(0x01)

/* ---- reserved rounding modes are illegal -------------------------------------- */
    LDS(fa0, 0x3f800000)
    LDS(fa1, 0x3f800000)
    EXPECT_ILLEGAL
2:  .word 0x00b55653                    /* fadd.s fa2, fa0, fa1, rm = 5 */
1:  CHECK_ILLEGAL
    EXPECT_ILLEGAL
2:  .word 0x00b56653                    /* rm = 6 */
1:  CHECK_ILLEGAL
    li t1, 5                            /* frm = 5..7 invalid: DYN ops trap */
    csrw frm, t1
    EXPECT_ILLEGAL
2:  .word 0x00b57653                    /* fadd.s fa2, fa0, fa1 (dyn) */
1:  CHECK_ILLEGAL
    li t1, 7
    csrw frm, t1
    EXPECT_ILLEGAL
2:  .word 0x02b57653                    /* fadd.d fa2, fa0, fa1 (dyn) */
1:  CHECK_ILLEGAL
    /* ... but instructions without rounding still execute */
    ARM_TRAP(1f)
    fsgnj.s fa2, fa0, fa1
    fle.s a0, fa0, fa1
    fmin.s fa2, fa0, fa1
1:  CHECK_NOTRAP()
    CHECK(a0, 1)
    csrw fcsr, zero

/* ---- mstatus.FS = Off: every FP instruction and FP CSR access is illegal ---- */
    LDS(fa2, 0x40400000)
    li t1, 0x1f
    csrw fflags, t1
    li t1, MSTATUS_FS
    csrc mstatus, t1
    csrr a0, mstatus
    CHECK_MASK(a0, MSTATUS_FS | MSTATUS_SD, 0)
    ILLEGAL(fadd.s fa2, fa0, fa1)
    ILLEGAL(fadd.d fa2, fa0, fa1)
    ILLEGAL(fmadd.d fa2, fa0, fa1, fa0)
    ILLEGAL(fsgnj.d fa2, fa0, fa1)
    ILLEGAL(fmv.w.x fa2, zero)
    ILLEGAL(fmv.d.x fa2, zero)
    ILLEGAL(fmv.x.w a0, fa0)
    ILLEGAL(fmv.x.d a0, fa0)
    ILLEGAL(fcvt.w.s a0, fa0)
    ILLEGAL(fcvt.d.l fa2, a0)
    ILLEGAL(feq.d a0, fa0, fa1)
    ILLEGAL(fclass.s a0, fa0)
    la s0, fsdata
    ILLEGAL(flw fa2, 0(s0))
    ILLEGAL(fld fa2, 0(s0))
    ILLEGAL(fsw fa0, 0(s0))
    ILLEGAL(fsd fa0, 0(s0))
    ILLEGAL(csrr a0, fflags)
    ILLEGAL(csrr a0, frm)
    ILLEGAL(csrr a0, fcsr)
    ILLEGAL(csrw fcsr, zero)
    ILLEGAL(csrwi fflags, 0)
    ld a0, 0(s0)
    CHECK(a0, 0x1122334455667788)       /* the stores did not happen */
    csrr a0, mstatus
    CHECK_MASK(a0, MSTATUS_FS | MSTATUS_SD, 0)   /* nothing made FS non-Off */
    li t1, MSTATUS_FS_CLEAN
    csrs mstatus, t1
    CHECK_F(fa2, BOX(0x40400000))       /* no FP register was written */
    CHECK_CSR(fflags, 0x1f)             /* and no CSR */
    csrw fflags, zero

/* ---- FS becomes Dirty (and SD reads 1) when FP state changes ------------------ */
#define SET_FS(v) li t1, MSTATUS_FS; csrc mstatus, t1; li t1, v; csrs mstatus, t1
#define CHECK_FS(v) csrr a0, mstatus; CHECK_MASK(a0, MSTATUS_FS | MSTATUS_SD, v)
    SET_FS(MSTATUS_FS_INITIAL)
    CHECK_FS(MSTATUS_FS_INITIAL)
    fadd.s fa2, fa0, fa1
    CHECK_FS(MSTATUS_FS_DIRTY | MSTATUS_SD)
    csrr a0, sstatus                    /* the S-mode view shows FS and SD too */
    CHECK_MASK(a0, MSTATUS_FS | MSTATUS_SD, MSTATUS_FS_DIRTY | MSTATUS_SD)
    SET_FS(MSTATUS_FS_CLEAN)
    CHECK_FS(MSTATUS_FS_CLEAN)
    csrr a0, sstatus
    CHECK_MASK(a0, MSTATUS_FS | MSTATUS_SD, MSTATUS_FS_CLEAN)
    fmv.w.x fa3, zero
    CHECK_FS(MSTATUS_FS_DIRTY | MSTATUS_SD)
    SET_FS(MSTATUS_FS_CLEAN)
    flw fa3, 0(s0)
    CHECK_FS(MSTATUS_FS_DIRTY | MSTATUS_SD)
    SET_FS(MSTATUS_FS_CLEAN)
    csrwi fflags, 1
    CHECK_FS(MSTATUS_FS_DIRTY | MSTATUS_SD)
    SET_FS(MSTATUS_FS_CLEAN)
    csrwi frm, 0
    CHECK_FS(MSTATUS_FS_DIRTY | MSTATUS_SD)
    csrw fflags, zero
    /* An instruction whose only FP-state change is a flag (integer rd): fflags
     * is FP state, so FS must become Dirty.  QEMU 7.2 deviation: it leaves FS
     * Clean here (it marks FS dirty only when an f register or an FP CSR is
     * written directly). */
#ifdef QEMU_QUIRKS
#define CHECK_FS_FLAGONLY csrr a0, mstatus; li t1, MSTATUS_FS_DIRTY | MSTATUS_SD; and a0, a0, t1; \
    li t1, MSTATUS_FS_CLEAN; bne a0, t1, 4f; li a0, MSTATUS_FS_DIRTY | MSTATUS_SD; 4: \
    CHECK(a0, MSTATUS_FS_DIRTY | MSTATUS_SD)
#else
#define CHECK_FS_FLAGONLY CHECK_FS(MSTATUS_FS_DIRTY | MSTATUS_SD)
#endif
    LDS(fa4, 0x7f800001)
    SET_FS(MSTATUS_FS_CLEAN)
    feq.s a1, fa4, fa4                  /* sets NV */
    CHECK_FS_FLAGONLY
    CHECK_FLAGS(0x10)
    LDS(fa4, 0x3fc00000)                /* 1.5 */
    SET_FS(MSTATUS_FS_CLEAN)
    fcvt.w.s a1, fa4, rtz               /* sets NX */
    CHECK_FS_FLAGONLY
    CHECK_FLAGS(0x01)
    /* writing FS through sstatus */
    li t1, MSTATUS_FS
    csrc sstatus, t1
    CHECK_FS(0)
    li t1, MSTATUS_FS_INITIAL
    csrs sstatus, t1
    CHECK_FS(MSTATUS_FS_INITIAL)

    TEST_END

    .data
    .balign 8
fsdata:
    .dword 0x1122334455667788
