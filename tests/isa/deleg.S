/*
 * Exception delegation through medeleg: delegated exceptions from S and U
 * are taken in S-mode (scause/sepc/stval, sstatus.SPP/SPIE/SIE, M-mode state
 * untouched), undelegated ones and any exception raised in M-mode go to
 * M-mode, and SRET returns to the mode in SPP.
 */
#include "fw.h"

    .option norvc

#define UNMAPPED 0x88000000

/* an exception at label 2: handled in S-mode with cause c */
#define EXPECT_S(c, insn...) ARM_TRAP(1f); 2: insn; 1: CHECK_FW(FW_SCAUSE, c); DISARM_TRAP(); \
    la t0, 2b; CHECK_FW_R(FW_SEPC, t0)
/* an exception at label 2: handled in M-mode with cause c */
#define EXPECT_M(c, insn...) ARM_TRAP(1f); 2: insn; 1: CHECK_TRAP(c); la t0, 2b; CHECK_FW_R(FW_EPC, t0)
#define CHECK_SPP(v) ld t0, FW_SSTATUS(gp); CHECK_MASK(t0, MSTATUS_SPP, (v) << 8)
#define RESET_COUNTS sd zero, FW_NTRAP(gp); sd zero, FW_NSTRAP(gp); li t0, -1; sd t0, FW_SCAUSE(gp)

TEST_BEGIN(deleg)
    li t0, (1 << CAUSE_ILLEGAL) | (1 << CAUSE_BREAKPOINT) | (1 << CAUSE_ECALL_U) | (1 << CAUSE_LOAD_ACCESS) | (1 << CAUSE_STORE_ACCESS)
    csrw medeleg, t0
    li s1, UNMAPPED

/* ---- delegated exceptions from S are taken in S ----------------------------------- */
    RESET_COUNTS
    ENTER_S
    li t0, MSTATUS_SIE                  /* SIE = 1 before the trap */
    csrs sstatus, t0
    EXPECT_S(CAUSE_ILLEGAL, .word 0xffffffff)
    ld t1, FW_STVAL(gp)                 /* stval: 0 or the instruction */
    beqz t1, 3f
    CHECK(t1, 0xffffffff)
3:  CHECK_SPP(1)
    ld t0, FW_SSTATUS(gp)               /* SPIE := SIE (1), SIE := 0 */
    CHECK_MASK(t0, MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPIE)
    csrr a0, sstatus                    /* SRET restored SIE */
    CHECK_MASK(a0, MSTATUS_SIE, MSTATUS_SIE)
    csrci sstatus, MSTATUS_SIE
    EXPECT_S(CAUSE_BREAKPOINT, ebreak)
    CHECK_SPP(1)
    ld t0, FW_SSTATUS(gp)
    CHECK_MASK(t0, MSTATUS_SPIE | MSTATUS_SIE, 0)
    EXPECT_S(CAUSE_LOAD_ACCESS, ld a0, 0(s1))
    CHECK_FW(FW_STVAL, UNMAPPED)
    EXPECT_S(CAUSE_STORE_ACCESS, sw a0, 4(s1))
    CHECK_FW(FW_STVAL, UNMAPPED + 4)
    CHECK_FW(FW_NSTRAP, 4)
    CHECK_FW(FW_NTRAP, 0)               /* M-mode saw none of them */
    /* ecall from S is not delegated: it goes to M */
    li a7, 0
    EXPECT_M(CAUSE_ECALL_S, ecall)
    CHECK_FW(FW_NSTRAP, 4)
    ENTER_M

/* ---- delegated exceptions from U are taken in S, SPP = U ------------------------- */
    RESET_COUNTS
    ENTER_U
    li a7, 0
    EXPECT_S(CAUSE_ECALL_U, ecall)
    CHECK_FW(FW_STVAL, 0)
    CHECK_SPP(0)
    EXPECT_S(CAUSE_ILLEGAL, csrr a0, sstatus)
    CHECK_SPP(0)
    EXPECT_S(CAUSE_LOAD_ACCESS, lw a0, 8(s1))
    CHECK_FW(FW_STVAL, UNMAPPED + 8)
    EXPECT_S(CAUSE_BREAKPOINT, ebreak)
    CHECK_FW(FW_NSTRAP, 4)
    CHECK_FW(FW_NTRAP, 0)
    /* the S handler's sret went back to U: a privileged CSR still traps */
    EXPECT_S(CAUSE_ILLEGAL, csrr a0, sscratch)
    CHECK_SPP(0)
    ENTER_M                             /* (passed on by the S handler) */
    csrr a0, mstatus                    /* M-mode again */
    CHECK_MASK(a0, MSTATUS_SPP, 0)      /* the S trap from U left SPP = U */

/* ---- exceptions in M-mode are never delegated -------------------------------------- */
    RESET_COUNTS
    EXPECT_M(CAUSE_ILLEGAL, .word 0xffffffff)
    EXPECT_M(CAUSE_BREAKPOINT, ebreak)
    EXPECT_M(CAUSE_LOAD_ACCESS, ld a0, 0(s1))
    CHECK_FW(FW_NSTRAP, 0)
    CHECK_FW(FW_NTRAP, 3)

/* ---- without delegation the same exceptions from S/U go to M --------------------- */
    csrw medeleg, zero
    RESET_COUNTS
    ENTER_S
    EXPECT_M(CAUSE_ILLEGAL, .word 0xffffffff)
    EXPECT_M(CAUSE_LOAD_ACCESS, ld a0, 0(s1))
    ENTER_M
    ENTER_U
    li a7, 0
    EXPECT_M(CAUSE_ECALL_U, ecall)
    ENTER_M
    CHECK_FW(FW_NSTRAP, 0)
    CHECK_FW(FW_NTRAP, 3)

    TEST_END
