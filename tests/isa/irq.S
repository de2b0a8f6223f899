/*
 * Interrupts: machine timer (CLINT mtimecmp), machine software (CLINT msip),
 * supervisor software/timer raised by M-mode through mip.SSIP/STIP, the
 * enable rules (mie/sie, mstatus.MIE only gating M-mode, lower modes always
 * interruptible by higher-level interrupts, delegated interrupts never taken
 * in M), priority among simultaneously pending interrupts, WFI wake-up, and
 * vectored mtvec/stvec.
 *
 * The framework's default interrupt handling records the trap, appends
 * (cause | 0x100 [| 0x200 when taken in S]) to FW_LOG, masks the source in
 * mie/sie and returns.
 */
#include "fw.h"

    .option norvc

#define LOG(i) (FW_LOG + 8 * (i))
#define RESET_LOG sd zero, FW_LOGN(gp); li t0, -1; sd t0, FW_CAUSE(gp); sd t0, FW_SCAUSE(gp)
/* wait (bounded) until FW_LOGN >= n */
#define WAIT_LOG(n) li t2, 20000000; 8: ld t1, FW_LOGN(gp); li t0, n; bgeu t1, t0, 9f; addi t2, t2, -1; bnez t2, 8b; 9:
#define MTI (CAUSE_INTR | IRQ_MTI)
#define MSI (CAUSE_INTR | IRQ_MSI)
#define SSI (CAUSE_INTR | IRQ_SSI)
#define STI (CAUSE_INTR | IRQ_STI)

TEST_BEGIN(irq)
    li s10, CLINT_MTIME
    li s11, CLINT_MTIMECMP
    csrw mie, zero
    csrw mideleg, zero

/* ---- MTIP follows mtime >= mtimecmp ------------------------------------------ */
    ld t0, 0(s10)
    sd t0, 0(s11)                       /* mtimecmp <= mtime: pending */
    csrr a0, mip
    CHECK_MASK(a0, MIP_MTIP, MIP_MTIP)
    li t0, -1
    sd t0, 0(s11)                       /* far future: not pending */
    csrr a0, mip
    CHECK_MASK(a0, MIP_MTIP, 0)

/* ---- machine timer interrupt ---------------------------------------------------- */
    RESET_LOG
    li t0, MIP_MTIP
    csrs mie, t0
    csrsi mstatus, MSTATUS_MIE
    ld t0, 0(s10)
    addi t0, t0, 200                    /* 20 us from now */
    sd t0, 0(s11)
    WAIT_LOG(1)
    CHECK_FW(FW_LOGN, 1)
    CHECK_FW(LOG(0), LOG_IRQ | IRQ_MTI)
    CHECK_FW(FW_CAUSE, MTI)
    CHECK_FW(FW_TVAL, 0)                /* mtval is 0 for interrupts */
    ld t0, FW_STATUS(gp)                /* taken from M with MIE = 1 */
    CHECK_MASK(t0, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE, MSTATUS_MPP_M | MSTATUS_MPIE)
    ld t0, 0(s10)                       /* it came after mtimecmp */
    ld t1, 0(s11)
    sltu t0, t0, t1
    CHECK(t0, 0)
    csrr a0, mstatus                    /* MRET restored MIE */
    CHECK_MASK(a0, MSTATUS_MIE, MSTATUS_MIE)
    csrci mstatus, MSTATUS_MIE

/* ---- MIE = 0 masks M-mode; setting it takes the interrupt right away --------- */
    RESET_LOG
    li t0, MIP_MTIP
    csrs mie, t0
    ld t0, 0(s10)
    sd t0, 0(s11)                       /* pending now */
    li t0, 1000
1:  addi t0, t0, -1
    bnez t0, 1b
    CHECK_FW(FW_LOGN, 0)                /* not taken while MIE = 0 */
    csrsi mstatus, MSTATUS_MIE
2:  nop                                 /* mepc: the instruction after the csr write */
    csrci mstatus, MSTATUS_MIE
    CHECK_FW(FW_LOGN, 1)
    la t0, 2b
    CHECK_FW_R(FW_EPC, t0)
    li t0, -1
    sd t0, 0(s11)

/* ---- machine software interrupt (CLINT msip) ---------------------------------- */
    RESET_LOG
    li s9, CLINT_MSIP
    li t0, 1
    sw t0, 0(s9)
    csrr a0, mip
    CHECK_MASK(a0, MIP_MSIP, MIP_MSIP)
    lw a0, 0(s9)
    CHECK(a0, 1)
    li t0, MIP_MSIP
    csrs mie, t0
    csrsi mstatus, MSTATUS_MIE
2:  nop
    csrci mstatus, MSTATUS_MIE
    CHECK_FW(FW_LOGN, 1)
    CHECK_FW(FW_CAUSE, MSI)
    la t0, 2b
    CHECK_FW_R(FW_EPC, t0)
    sw zero, 0(s9)
    csrr a0, mip
    CHECK_MASK(a0, MIP_MSIP, 0)

/* ---- S-level interrupts raised from M (not delegated: taken in M) ------------- */
    RESET_LOG
    li t0, MIP_SSIP | MIP_STIP
    csrs mip, t0
    csrs mie, t0
    csrsi mstatus, MSTATUS_MIE
    nop
    csrci mstatus, MSTATUS_MIE
    CHECK_FW(FW_LOGN, 2)
    CHECK_FW(LOG(0), LOG_IRQ | IRQ_SSI)  /* SSI has priority over STI */
    CHECK_FW(LOG(1), LOG_IRQ | IRQ_STI)
    CHECK_FW(FW_CAUSE, STI)
    li t0, MIP_SSIP | MIP_STIP
    csrc mip, t0
    csrr a0, mip
    CHECK_MASK(a0, MIP_SSIP | MIP_STIP, 0)

/* ---- priority: MEI > MSI > MTI > SEI > SSI > STI ---------------------------------
 * QEMU 7.2 deviation: without AIA it takes the lowest-numbered pending
 * interrupt first (SSI, MSI, STI, MTI). */
    RESET_LOG
    li t0, MIP_SSIP | MIP_STIP
    csrs mip, t0
    li t0, 1
    sw t0, 0(s9)
    ld t0, 0(s10)
    sd t0, 0(s11)
    li t0, MIP_SSIP | MIP_STIP | MIP_MSIP | MIP_MTIP
    csrs mie, t0
    csrsi mstatus, MSTATUS_MIE
    nop
    csrci mstatus, MSTATUS_MIE
    CHECK_FW(FW_LOGN, 4)
#ifdef QEMU_QUIRKS
    CHECK_FW(LOG(0), LOG_IRQ | IRQ_SSI)
    CHECK_FW(LOG(1), LOG_IRQ | IRQ_MSI)
    CHECK_FW(LOG(2), LOG_IRQ | IRQ_STI)
    CHECK_FW(LOG(3), LOG_IRQ | IRQ_MTI)
#else
    CHECK_FW(LOG(0), LOG_IRQ | IRQ_MSI)
    CHECK_FW(LOG(1), LOG_IRQ | IRQ_MTI)
    CHECK_FW(LOG(2), LOG_IRQ | IRQ_SSI)
    CHECK_FW(LOG(3), LOG_IRQ | IRQ_STI)
#endif
    sw zero, 0(s9)
    li t0, -1
    sd t0, 0(s11)
    li t0, MIP_SSIP | MIP_STIP
    csrc mip, t0
    csrw mie, zero

/* ---- lower privilege: M-level interrupts are taken even with MIE = 0 ----------- */
    RESET_LOG
    li t0, MIP_MSIP | MIP_SSIP
    csrs mie, t0
    ENTER_S                             /* mstatus.MIE = 0 */
    li t0, 1
    sw t0, 0(s9)                        /* MSI from S-mode: taken in M */
    WAIT_LOG(1)                         /* (an MMIO write takes effect "soon") */
    CHECK_FW(FW_LOGN, 1)
    CHECK_FW(FW_CAUSE, MSI)
    ld t0, FW_STATUS(gp)
    CHECK_MASK(t0, MSTATUS_MPP, MSTATUS_MPP_S)
    sw zero, 0(s9)
    csrsi sip, MIP_SSIP                 /* SSI not delegated: sip.SSIP is read-only 0 */
    ENTER_M
    CHECK_FW(FW_LOGN, 1)                /* so nothing was raised */
    csrr a0, mip
    CHECK_MASK(a0, MIP_SSIP, 0)
    /* SSI not delegated, raised while in U: taken in M */
    RESET_LOG
    li t0, MIP_SSIP
    csrs mie, t0
    ENTER_U
    nop
    ENTER_M
    CHECK_FW(FW_LOGN, 0)
    li t0, MIP_SSIP
    csrs mip, t0
    ENTER_U
2:  nop
    ENTER_M
    CHECK_FW(FW_LOGN, 1)
    CHECK_FW(LOG(0), LOG_IRQ | IRQ_SSI)
    ld t0, FW_STATUS(gp)
    CHECK_MASK(t0, MSTATUS_MPP, 0)
    li t0, MIP_SSIP
    csrc mip, t0
    csrw mie, zero

/* ---- delegated S interrupts --------------------------------------------------------- */
    RESET_LOG
    li t0, MIP_SSIP | MIP_STIP
    csrw mideleg, t0
    csrs mie, t0
    li t0, MSTATUS_SIE | MSTATUS_SPIE
    csrc mstatus, t0
    li t0, MIP_SSIP
    csrs mip, t0
    csrsi mstatus, MSTATUS_MIE          /* M-mode never takes delegated ones */
    nop
    nop
    csrci mstatus, MSTATUS_MIE
    CHECK_FW(FW_LOGN, 0)
    csrsi mstatus, MSTATUS_SIE          /* not even with SIE = 1 */
    nop
    csrci mstatus, MSTATUS_SIE
    CHECK_FW(FW_LOGN, 0)
    ENTER_S                             /* S with SIE = 0: masked */
    nop
    nop
    CHECK_FW(FW_LOGN, 0)
    csrr a0, sip
    CHECK_MASK(a0, MIP_SSIP, MIP_SSIP)
    csrsi sstatus, MSTATUS_SIE          /* taken in S right away */
2:  nop
    csrci sstatus, MSTATUS_SIE
    CHECK_FW(FW_LOGN, 1)
    CHECK_FW(LOG(0), LOG_S | LOG_IRQ | IRQ_SSI)
    CHECK_FW(FW_SCAUSE, SSI)
    CHECK_FW(FW_STVAL, 0)
    la t0, 2b
    CHECK_FW_R(FW_SEPC, t0)
    ld t0, FW_SSTATUS(gp)               /* SPP = S, SPIE = 1, SIE = 0 */
    CHECK_MASK(t0, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPP | MSTATUS_SPIE)
    csrci sip, MIP_SSIP                 /* S clears its own software interrupt */
    csrr a0, sie                        /* the handler masked SSIE in sie */
    CHECK_MASK(a0, MIP_SSIP, 0)
    ENTER_M
    csrr a0, mie                        /* ... which is mie */
    CHECK_MASK(a0, MIP_SSIP, 0)
    /* delegated STI while in U: taken in S even though SIE = 0 */
    RESET_LOG
    li t0, MIP_STIP
    csrs mip, t0
    ENTER_U
2:  nop
    nop
    ENTER_M
    CHECK_FW(FW_LOGN, 1)
    CHECK_FW(LOG(0), LOG_S | LOG_IRQ | IRQ_STI)
    CHECK_FW(FW_SCAUSE, STI)
    la t0, 2b
    CHECK_FW_R(FW_SEPC, t0)
    ld t0, FW_SSTATUS(gp)
    CHECK_MASK(t0, MSTATUS_SPP, 0)
    li t0, MIP_STIP
    csrc mip, t0
    /* both levels pending in S: the M-level interrupt goes first */
    RESET_LOG
    li t0, MIP_SSIP | MIP_MSIP
    csrs mie, t0
    csrs mip, MIP_SSIP
    li t0, 1
    sw t0, 0(s9)
    ENTER_S
    csrsi sstatus, MSTATUS_SIE
    nop
    csrci sstatus, MSTATUS_SIE
    csrci sip, MIP_SSIP
    ENTER_M
    CHECK_FW(FW_LOGN, 2)
    CHECK_FW(LOG(0), LOG_IRQ | IRQ_MSI)
    CHECK_FW(LOG(1), LOG_S | LOG_IRQ | IRQ_SSI)
    sw zero, 0(s9)
    csrw mie, zero
    csrw mideleg, zero

/* ---- WFI ------------------------------------------------------------------------------ */
    /* returns when an enabled interrupt is pending, even with MIE = 0 */
    RESET_LOG
    li t0, 1
    sw t0, 0(s9)
    li t0, MIP_MSIP
    csrs mie, t0
    wfi
    CHECK_FW(FW_LOGN, 0)
    sw zero, 0(s9)
    /* wakes up on a timer that fires later (WFI may also return early) */
    csrw mie, zero
    li t0, MIP_MTIP
    csrs mie, t0
    ld t0, 0(s10)
    addi t0, t0, 500
    sd t0, 0(s11)
    li t2, 1000000
1:  wfi
    csrr t0, mip
    andi t0, t0, MIP_MTIP
    bnez t0, 2f
    addi t2, t2, -1
    bnez t2, 1b
2:  csrr a0, mip
    CHECK_MASK(a0, MIP_MTIP, MIP_MTIP)
    CHECK_FW(FW_LOGN, 0)
    /* an interrupt pending when MRET sets MIE is taken before the first
     * instruction at mepc */
    RESET_LOG
    li t0, 1
    sw t0, 0(s9)
    li t0, MIP_MSIP
    csrw mie, t0
    li t0, -1
    sd t0, 0(s11)
    li t0, MSTATUS_MPIE | MSTATUS_MPP_M
    csrs mstatus, t0
    la t0, 2f
    csrw mepc, t0
    mret
2:  nop
    csrci mstatus, MSTATUS_MIE
    CHECK_FW(FW_LOGN, 1)
    CHECK_FW(FW_CAUSE, MSI)
    la t0, 2b
    CHECK_FW_R(FW_EPC, t0)
    sw zero, 0(s9)
    /* an interrupt arriving while stalled in WFI is taken with mepc = wfi + 4
     * (or later, if this WFI returned early: it may act as a NOP) */
    RESET_LOG
    li t0, MIP_MTIP
    csrw mie, t0
    ld t0, 0(s10)
    addi t0, t0, 500
    sd t0, 0(s11)
    csrsi mstatus, MSTATUS_MIE
2:  wfi
3:  WAIT_LOG(1)
4:  csrci mstatus, MSTATUS_MIE
    CHECK_FW(FW_LOGN, 1)
    CHECK_FW(FW_CAUSE, MTI)
    ld t0, FW_EPC(gp)
    la t1, 3b
    la t2, 4b
    sltu t1, t0, t1                     /* not before wfi + 4 (never the wfi) */
    CHECK(t1, 0)
    sltu t2, t2, t0                     /* and not after the wait loop */
    CHECK(t2, 0)
    li t0, -1
    sd t0, 0(s11)
    csrw mie, zero

/* ---- vectored mtvec: interrupt n goes to base + 4 n; exceptions to base ------------ */
    RESET_LOG
    la t0, mvec
    ori t0, t0, 1
    csrw mtvec, t0
    csrr a0, mtvec
    CHECK_MASK(a0, 3, 1)
    sd zero, FW_TMP(gp)
    li t0, 1
    sw t0, 0(s9)
    li t0, MIP_MSIP
    csrs mie, t0
    csrsi mstatus, MSTATUS_MIE
    nop
    csrci mstatus, MSTATUS_MIE
    CHECK_FW(FW_TMP, 0x100 | IRQ_MSI)
    sw zero, 0(s9)
    li t0, MIP_MTIP
    csrs mie, t0
    ld t0, 0(s10)
    sd t0, 0(s11)
    csrsi mstatus, MSTATUS_MIE
    nop
    csrci mstatus, MSTATUS_MIE
    CHECK_FW(FW_TMP, 0x100 | IRQ_MTI)
    li t0, -1
    sd t0, 0(s11)
    li a7, 0
    ARM_TRAP(1f)
    ecall
1:  CHECK_TRAP(CAUSE_ECALL_M)
    CHECK_FW(FW_TMP, 0x100)             /* entry 0 */
    CHECK_FW(FW_LOGN, 3)
    la t0, fw_mtrap
    csrw mtvec, t0

/* ---- vectored stvec ------------------------------------------------------------------- */
    RESET_LOG
    la t0, svec
    ori t0, t0, 1
    csrw stvec, t0
    li t0, MIP_SSIP
    csrw mideleg, t0
    csrw mie, t0
    csrs mip, t0
    sd zero, FW_TMP(gp)
    ENTER_U
    nop
    ENTER_M
    CHECK_FW(FW_TMP, 0x200 | IRQ_SSI)
    CHECK_FW(LOG(0), LOG_S | LOG_IRQ | IRQ_SSI)
    li t0, MIP_SSIP
    csrc mip, t0
    csrw mie, zero
    csrw mideleg, zero
    la t0, fw_strap
    csrw stvec, t0

    TEST_END

/* vector tables: each entry records 0x100 (M) / 0x200 (S) | its index in
 * FW_TMP and continues in the framework handler */
.macro vec_entry base, tag, i, handler
    .org \base + 4 * \i
    j vec_\tag\()_\i
.endm
.macro vec_stub tag, i, flag, scratch, handler
vec_\tag\()_\i:
    csrw \scratch, t0
    li t0, \flag | \i
    sd t0, FW_TMP(gp)
    csrr t0, \scratch
    j \handler
.endm
    .balign 256
mvec:
    .irp i, 0,1,2,3,4,5,6,7,8,9,10,11
    vec_entry mvec, m, \i
    .endr
    .balign 256
svec:
    .irp i, 0,1,2,3,4,5,6,7,8,9,10,11
    vec_entry svec, s, \i
    .endr
    .irp i, 0,1,2,3,4,5,6,7,8,9,10,11
    vec_stub m, \i, 0x100, mscratch, fw_mtrap
    vec_stub s, \i, 0x200, sscratch, fw_strap
    .endr
