/*
 * Trap return and privilege control: MRET/SRET (privilege restored from
 * MPP/SPP, MIE := MPIE, MPIE := 1, MPP := U, SIE := SPIE, SPIE := 1, SPP := U,
 * MPRV cleared when leaving M), the trap entry side (MPIE := MIE, MIE := 0,
 * MPP := previous mode), and the virtualization traps mstatus.TW (WFI),
 * TSR (SRET) and TVM (satp, SFENCE.VMA).
 */
#include "fw.h"

    .option norvc

#define EXPECT(cause, insn...) ARM_TRAP(1f); 2: insn; 1: CHECK_TRAP(cause); la t0, 2b; CHECK_FW_R(FW_EPC, t0)
#define NOTRAP(insn...) ARM_TRAP(1f); insn; 1: CHECK_NOTRAP()
#define CHECK_FROM(m) ld t0, FW_STATUS(gp); CHECK_MASK(t0, MSTATUS_MPP, (m) << 11)
#define MSTATUS_STACK (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_MPRV)

TEST_BEGIN(xret)
    csrw mie, zero                      /* MIE may be set below: keep sources off */

/* ---- MRET to M: MIE := MPIE, MPIE := 1, MPP := U ------------------------------ */
    li t0, MSTATUS_STACK
    csrc mstatus, t0
    li t0, MSTATUS_MPP_M | MSTATUS_MPIE
    csrs mstatus, t0
    la t0, 1f
    csrw mepc, t0
    mret
1:  csrr a0, mstatus
    CHECK_MASK(a0, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MIE | MSTATUS_MPIE)
    li t0, MSTATUS_MPP_M                /* MPIE = 0: MIE becomes 0 */
    csrs mstatus, t0
    li t0, MSTATUS_MPIE
    csrc mstatus, t0
    la t0, 1f
    csrw mepc, t0
    mret
1:  csrr a0, mstatus
    CHECK_MASK(a0, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MPIE)
    /* mret jumps to mepc with bit 0 clear (mepc[0] is always 0).  QEMU 7.2
     * deviation: it keeps a written bit 0 and then jumps to the odd address. */
#ifndef QEMU_QUIRKS
    la t0, 1f
    ori t0, t0, 1
    csrw mepc, t0
    li t0, MSTATUS_MPP_M
    csrs mstatus, t0
    li a0, 0
    mret
    li a0, 1
1:  CHECK(a0, 0)
#endif

/* ---- MRET to S and U: privilege comes from MPP ---------------------------------- */
    li t0, MSTATUS_STACK
    csrc mstatus, t0
    ENTER_S
    li a7, 0
    EXPECT(CAUSE_ECALL_S, ecall)
    CHECK_FROM(1)
    /* trap entry from S with MIE = 0 left MPIE = 0 */
    ld t0, FW_STATUS(gp)
    CHECK_MASK(t0, MSTATUS_MIE | MSTATUS_MPIE, 0)
    ENTER_M
    ENTER_U
    li a7, 0
    EXPECT(CAUSE_ECALL_U, ecall)
    CHECK_FROM(0)
    ENTER_M
    /* trap entry with MIE = 1 (from M): MPIE := 1, MIE := 0 in the handler */
    csrsi mstatus, MSTATUS_MIE
    li a7, 0
    EXPECT(CAUSE_ECALL_M, ecall)
    ld t0, FW_STATUS(gp)
    CHECK_MASK(t0, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MPIE | MSTATUS_MPP_M)
    csrr a0, mstatus                    /* MRET restored MIE = 1 */
    CHECK_MASK(a0, MSTATUS_MIE, MSTATUS_MIE)
    csrci mstatus, MSTATUS_MIE

/* ---- MRET to a lower mode clears MPRV ------------------------------------------
 * (privileged spec 1.12).  QEMU 7.2 deviation: neither MRET nor SRET clear it. */
#ifdef QEMU_QUIRKS
#define CHECK_MPRV_CLEARED li t0, MSTATUS_MPRV; csrc mstatus, t0
#else
#define CHECK_MPRV_CLEARED csrr a0, mstatus; CHECK_MASK(a0, MSTATUS_MPRV, 0)
#endif
    li t0, MSTATUS_MPRV                 /* (satp is Bare: MPRV changes nothing here) */
    csrs mstatus, t0
    ENTER_S
    ENTER_M
    CHECK_MPRV_CLEARED
    li t0, MSTATUS_MPRV                 /* ... but MRET to M keeps it */
    csrs mstatus, t0
    li t0, MSTATUS_MPP_M
    csrs mstatus, t0
    la t0, 1f
    csrw mepc, t0
    mret
1:  csrr a0, mstatus
    CHECK_MASK(a0, MSTATUS_MPRV, MSTATUS_MPRV)
    li t0, MSTATUS_MPRV
    csrc mstatus, t0

/* ---- SRET: SIE := SPIE, SPIE := 1, SPP := U, privilege from SPP ---------------- */
    ENTER_S
    li t0, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE
    csrc sstatus, t0
    li t0, MSTATUS_SPP | MSTATUS_SIE    /* back to S, SPIE = 0 */
    csrs sstatus, t0
    la t0, 1f
    csrw sepc, t0
    sret
1:  csrr a0, sstatus
    CHECK_MASK(a0, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPIE)
    li t0, MSTATUS_SPP | MSTATUS_SPIE   /* back to S, SPIE = 1 */
    csrs sstatus, t0
    la t0, 1f
    csrw sepc, t0
    sret
1:  csrr a0, sstatus
    CHECK_MASK(a0, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPIE | MSTATUS_SIE)
    csrci sstatus, MSTATUS_SIE
    li t0, MSTATUS_SPP                  /* to U */
    csrc sstatus, t0
    la t0, 1f
    csrw sepc, t0
    sret
1:  li a7, 0
    EXPECT(CAUSE_ECALL_U, ecall)
    CHECK_FROM(0)
    ld t0, FW_STATUS(gp)
    CHECK_MASK(t0, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPIE | MSTATUS_SIE)
    ENTER_M
    /* SRET to U clears MPRV as well (privileged spec 1.12) */
    ENTER_S
    la t0, 1f
    csrw sepc, t0
    ENTER_M
    li t0, MSTATUS_MPRV
    csrs mstatus, t0
    li t0, MSTATUS_SPP
    csrc mstatus, t0
    ENTER_S
    sret
1:  ENTER_M
    CHECK_MPRV_CLEARED
    /* SRET in M-mode is allowed and uses the S fields */
    li t0, MSTATUS_SPP | MSTATUS_SPIE
    csrs mstatus, t0
    la t0, 1f
    csrw sepc, t0
    sret
1:  ARM_TRAP(1f)                        /* now in S: mstatus is inaccessible */
    csrr a0, mstatus
1:  CHECK_TRAP(CAUSE_ILLEGAL)
    CHECK_FROM(1)
    ENTER_M

/* ---- xRET from a less privileged mode is illegal --------------------------------- */
    ENTER_S
    EXPECT(CAUSE_ILLEGAL, mret)
    ENTER_M
    ENTER_U
    EXPECT(CAUSE_ILLEGAL, mret)
    EXPECT(CAUSE_ILLEGAL, sret)
    ENTER_M

/* ---- mstatus.TW: WFI in S traps; in M it does not ---------------------------------
 * (an enabled pending interrupt makes WFI return at once: SSIP delegated to S,
 *  sstatus.SIE = 0 and MIE = 0 keep it from being taken) */
    li t0, MSTATUS_SIE | MSTATUS_SPIE
    csrc mstatus, t0
    li t0, MIP_SSIP
    csrw mideleg, t0
    csrw mie, t0
    csrs mip, t0
    li t0, MSTATUS_TW
    csrs mstatus, t0
    NOTRAP(wfi)
    ENTER_S
    EXPECT(CAUSE_ILLEGAL, wfi)
    CHECK_FROM(1)
    ENTER_M
    li t0, MSTATUS_TW
    csrc mstatus, t0
    ENTER_S
    NOTRAP(wfi)
    ENTER_M
    li t0, MIP_SSIP
    csrc mip, t0
    csrw mie, zero
    csrw mideleg, zero

/* ---- mstatus.TSR: SRET in S traps; in M it does not ---------------------------- */
    li t0, MSTATUS_TSR
    csrs mstatus, t0
    ENTER_S
    la t0, 1f
    csrw sepc, t0
    li t0, MSTATUS_SPP
    csrs sstatus, t0
    EXPECT(CAUSE_ILLEGAL, sret)
    CHECK_FROM(1)
    ENTER_M
    li t0, MSTATUS_SPP | MSTATUS_SPIE   /* sret in M with TSR = 1 still works */
    csrs mstatus, t0
    la t0, 1f
    csrw sepc, t0
    sret
1:  ENTER_M
    li t0, MSTATUS_TSR
    csrc mstatus, t0

/* ---- mstatus.TVM: satp and SFENCE.VMA in S trap ---------------------------------- */
    li t0, MSTATUS_TVM
    csrs mstatus, t0
    ENTER_S
    EXPECT(CAUSE_ILLEGAL, csrr a0, satp)
    EXPECT(CAUSE_ILLEGAL, csrw satp, zero)
    EXPECT(CAUSE_ILLEGAL, sfence.vma)
    EXPECT(CAUSE_ILLEGAL, sfence.vma a0, zero)
    ENTER_M
    NOTRAP(csrr a0, satp)               /* M-mode is not affected */
    NOTRAP(sfence.vma)
    li t0, MSTATUS_TVM
    csrc mstatus, t0
    ENTER_S
    NOTRAP(csrr a0, satp)
    NOTRAP(csrw satp, zero)
    NOTRAP(sfence.vma)
    ENTER_M

    TEST_END
