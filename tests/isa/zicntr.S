/*
 * Zicntr and the machine counters: cycle/time/instret readable, time equal to
 * the CLINT mtime, instret counting retired instructions exactly, writes to
 * minstret/mcycle, mcountinhibit freezing them, mcounteren/scounteren gating
 * S- and U-mode access, and the hpm counters being readable.
 */
#include "fw.h"

    .option norvc

#define ILLEGAL(insn...) ARM_TRAP(1f); 2: insn; 1: CHECK_TRAP(CAUSE_ILLEGAL)
#define LEGAL(insn...) ARM_TRAP(1f); insn; 1: CHECK_NOTRAP()

TEST_BEGIN(zicntr)
    csrw mcountinhibit, zero

/* ---- cycle / instret / time readable and increasing ----------------------- */
    rdcycle s0
    rdinstret s1
    li t0, 100
1:  addi t0, t0, -1
    bnez t0, 1b
    rdcycle s2
    rdinstret s3
    sltu a0, s0, s2
    CHECK(a0, 1)
    sltu a0, s1, s3
    CHECK(a0, 1)
    csrr a0, mcycle                     /* the M-mode names read the same counters */
    sltu a0, s2, a0
    CHECK(a0, 1)
    csrr a0, minstret
    sltu a0, s3, a0
    CHECK(a0, 1)

/* ---- time reads the CLINT mtime ------------------------------------------- */
    li s4, CLINT_MTIME
    ld s0, 0(s4)
    rdtime s1
    ld s2, 0(s4)
    sltu a0, s1, s0                     /* mtime before <= time <= mtime after */
    CHECK(a0, 0)
    sltu a0, s2, s1
    CHECK(a0, 0)
    /* time advances (10 MHz): wait for it with a bounded loop */
    rdtime s0
    li t0, 10000000
1:  rdtime s1
    bne s1, s0, 2f
    addi t0, t0, -1
    bnez t0, 1b
2:  sltu a0, s0, s1
    CHECK(a0, 1)

/* ---- instret counts retired instructions exactly ---------------------------
 * Between the two reads retire: the first csrr and the 10 nops (the second
 * csrr reads the count before it retires itself).  QEMU 7.2 deviation: without
 * -icount its instret is derived from host time, so only growth is checked. */
    csrr s0, minstret
    nop
    nop
    nop
    nop
    nop
    nop
    nop
    nop
    nop
    nop
    csrr s1, minstret
    sub a0, s1, s0
#ifdef QEMU_QUIRKS
    sltu a0, zero, a0
    CHECK(a0, 1)
#else
    CHECK(a0, 11)
#endif
    /* a taken branch loop: 3 instructions per iteration, 50 iterations */
    li t0, 50
    csrr s0, minstret
1:  addi t0, t0, -1
    nop
    bnez t0, 1b
    csrr s1, minstret
    sub a0, s1, s0
#ifdef QEMU_QUIRKS
    sltu a0, zero, a0
    CHECK(a0, 1)
#else
    CHECK(a0, 151)
#endif

/* ---- writes to minstret / mcycle ------------------------------------------- */
    li a0, 1000000
    csrw minstret, a0
    csrr a1, minstret
    sub a1, a1, a0                      /* 0 or 1 (write vs. its own retirement) */
#ifdef QEMU_QUIRKS
    li t1, 1000000
#else
    li t1, 2
#endif
    sltu a1, a1, t1
    CHECK(a1, 1)
    li a0, 0x100000000000
    csrw mcycle, a0
    csrr a1, mcycle
    sltu a2, a1, a0
    CHECK(a2, 0)
    sub a1, a1, a0
    li t1, 100000000
    sltu a1, a1, t1
    CHECK(a1, 1)

/* ---- mcountinhibit: CY (bit 0) and IR (bit 2) freeze the counters -----------
 * QEMU 7.2 deviation: the counters keep running (and reads return stale
 * values), so only the CSR itself is checked there. */
    li a0, 5
    csrw mcountinhibit, a0
    CHECK_CSR(mcountinhibit, 5)
#ifndef QEMU_QUIRKS
    csrr s0, minstret
    csrr s1, mcycle
    li t0, 20
1:  addi t0, t0, -1
    bnez t0, 1b
    csrr s2, minstret
    csrr s3, mcycle
    CHECK_R(s2, s0)
    CHECK_R(s3, s1)
    li a0, 777                          /* still writable while inhibited */
    csrw minstret, a0
    nop
    CHECK_CSR(minstret, 777)
    csrw mcountinhibit, zero
    nop
    nop
    csrr a0, minstret                   /* counting again from 777 */
    li t0, 777
    sltu a0, t0, a0
    CHECK(a0, 1)
#endif
    csrw mcountinhibit, zero

/* ---- hpm counters exist (they may read as constant zero) -------------------
 * All of mhpmcounter3..31 are mandatory CSRs.  QEMU 7.2 deviation: only as
 * many as its PMU has (16 by default) exist. */
    LEGAL(csrr a0, mhpmcounter3)
#ifndef QEMU_QUIRKS
    LEGAL(csrr a0, mhpmcounter31)
#endif
    LEGAL(csrw mhpmevent3, zero)
    LEGAL(csrr a0, hpmcounter3)

/* ---- mcounteren gates S, scounteren gates U ---------------------------------- */
    csrw mcounteren, zero
    csrw scounteren, zero
    ENTER_S
    ILLEGAL(rdcycle a0)
    ILLEGAL(rdtime a0)
    ILLEGAL(rdinstret a0)
    ENTER_M
    li a0, 5                            /* CY and IR only */
    csrw mcounteren, a0
    CHECK_CSR(mcounteren, 5)
    ENTER_S
    LEGAL(rdcycle a0)
    LEGAL(rdinstret a0)
    ILLEGAL(rdtime a0)
    ENTER_M
    li a0, 7
    csrw mcounteren, a0
    ENTER_U                             /* scounteren = 0: U is denied */
    ILLEGAL(rdcycle a0)
    ILLEGAL(rdtime a0)
    ILLEGAL(rdinstret a0)
    ENTER_M
    li a0, 2                            /* TM only */
    csrw scounteren, a0
    ENTER_U
    LEGAL(rdtime a0)
    ILLEGAL(rdcycle a0)
    ENTER_M
    li a0, 7
    csrw scounteren, a0
    csrw mcounteren, zero               /* U needs both */
    ENTER_U
    ILLEGAL(rdtime a0)
    ENTER_M
    li a0, 7
    csrw mcounteren, a0
    ENTER_U
    LEGAL(rdcycle a0)
    LEGAL(rdtime a0)
    LEGAL(rdinstret a0)
    ENTER_M
    csrw mcounteren, zero
    csrw scounteren, zero

    TEST_END
