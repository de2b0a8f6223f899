/*
 * Zicsr: CSRRW/CSRRS/CSRRC and immediate forms (old value returned, masks
 * applied), the x0 / uimm=0 "no write" rules, read-only and nonexistent CSRs,
 * privilege checks on the CSR address, WARL fields (mepc[0], mstatus.MPP,
 * mtvec.MODE), identification CSRs (misa, mhartid, mvendorid, ...), and the
 * S-mode views sstatus / sie / sip of mstatus / mie / mip.
 */
#include "fw.h"

    .option norvc

/* the next instruction (label 2:) must raise illegal instruction; mtval is
 * either 0 or its encoding */
#define ILLEGAL(insn...) ARM_TRAP(1f); 2: insn; 1: CHECK_TRAP(CAUSE_ILLEGAL); la t0, 2b; \
    CHECK_FW_R(FW_EPC, t0); ld t1, FW_TVAL(gp); beqz t1, 3f; lwu t0, 0(t0); CHECK_R(t1, t0); 3:
#define LEGAL(insn...) ARM_TRAP(1f); insn; 1: CHECK_NOTRAP()

#define MISA_RV64   (2 << 62)
#define MISA_EXT(c) (1 << ((c) - 'A'))
#define MISA_GCSU   (MISA_EXT('I') | MISA_EXT('M') | MISA_EXT('A') | MISA_EXT('F') | MISA_EXT('D') | MISA_EXT('C') | MISA_EXT('S') | MISA_EXT('U'))

TEST_BEGIN(zicsr)

/* ---- read/write/set/clear semantics ---------------------------------------- */
    li a0, 0x0123456789abcdef
    csrw mscratch, a0
    CHECK_CSR(mscratch, 0x0123456789abcdef)
    li a1, 0xfedcba9876543210
    csrrw a2, mscratch, a1              /* returns the old value */
    CHECK(a2, 0x0123456789abcdef)
    CHECK_CSR(mscratch, 0xfedcba9876543210)
    li a1, 0x00000000000000ff
    csrrs a2, mscratch, a1
    CHECK(a2, 0xfedcba9876543210)
    CHECK_CSR(mscratch, 0xfedcba98765432ff)
    li a1, 0xff000000000000f0
    csrrc a2, mscratch, a1
    CHECK(a2, 0xfedcba98765432ff)
    CHECK_CSR(mscratch, 0x00dcba987654320f)
    csrrwi a2, mscratch, 0x1f           /* uimm zero-extended */
    CHECK(a2, 0x00dcba987654320f)
    CHECK_CSR(mscratch, 0x1f)
    csrrci a2, mscratch, 0x11
    CHECK(a2, 0x1f)
    CHECK_CSR(mscratch, 0x0e)
    csrrsi a2, mscratch, 0x10
    CHECK(a2, 0x0e)
    CHECK_CSR(mscratch, 0x1e)
    /* rd == rs1 */
    li a0, 0x55
    csrrw a0, mscratch, a0
    CHECK(a0, 0x1e)
    CHECK_CSR(mscratch, 0x55)
    /* rd = x0 still writes */
    li a0, 0x66
    csrrw x0, mscratch, a0
    CHECK_CSR(mscratch, 0x66)
    CHECK(x0, 0)
    /* rs1 = x0 on csrrs/csrrc: read only */
    csrrs a0, mscratch, x0
    CHECK(a0, 0x66)
    csrrc a0, mscratch, x0
    CHECK_CSR(mscratch, 0x66)
    li a0, -1
    csrw sscratch, a0
    CHECK_CSR(sscratch, -1)

/* ---- read-only CSRs: reads and "no write" forms are fine, writes trap ------- */
    LEGAL(csrr a0, mhartid)
    CHECK(a0, 0)
    LEGAL(csrrs a0, mvendorid, x0)
    LEGAL(csrrc a0, marchid, x0)
    LEGAL(csrrsi a0, mimpid, 0)         /* uimm = 0: no write */
    LEGAL(csrrci a0, mhartid, 0)
    LEGAL(csrr a0, cycle)
    LEGAL(csrr a0, instret)
    LEGAL(csrr a0, time)
    ILLEGAL(csrw mhartid, zero)
    ILLEGAL(csrrw x0, mvendorid, a0)
    ILLEGAL(csrrwi x0, marchid, 0)      /* csrrw always writes, even uimm 0 */
    ILLEGAL(csrrsi a0, mhartid, 1)
    ILLEGAL(csrrci a0, mimpid, 1)
    ILLEGAL(csrw cycle, a0)
    ILLEGAL(csrw time, zero)
    ILLEGAL(csrrs a0, instret, a1)
    /* Spec: csrrs/csrrc with rs1 != x0 attempt a write even when the register
     * holds 0, so they trap on a read-only CSR.  QEMU 7.2 deviation: it only
     * traps when the mask value is nonzero. */
#ifndef QEMU_QUIRKS
    li a1, 0
    ILLEGAL(csrrs a0, mhartid, a1)
    ILLEGAL(csrrc a0, cycle, a1)
#endif
    /* nonexistent CSRs */
    ILLEGAL(csrr a0, 0x0ff)
    ILLEGAL(csrw 0x5ff, a0)
    ILLEGAL(csrr a0, 0x7ff)

/* ---- identification ----------------------------------------------------------- */
    /* misa: RV64 with I M A F D C S U.  (QEMU's default CPU also has H.) */
    csrr a0, misa
#ifdef QEMU_QUIRKS
    li t1, ~MISA_EXT('H')
    and a0, a0, t1
#endif
    CHECK(a0, MISA_RV64 | MISA_GCSU)
    csrr a0, mstatus                    /* UXL = SXL = 2 (64-bit) */
    CHECK_MASK(a0, 0xf << 32, 0xa << 32)

/* ---- WARL fields -------------------------------------------------------------- */
    /* mepc[0] / sepc[0] are always 0 (IALIGN = 16).  QEMU 7.2 deviation: it
     * stores bit 0 and only clears it when jumping (mret/sret). */
#ifndef QEMU_QUIRKS
    li a0, 0x80000003
    csrw mepc, a0
    CHECK_CSR(mepc, 0x80000002)
    csrw sepc, a0
    CHECK_CSR(sepc, 0x80000002)
    li a0, -1
    csrw mepc, a0
    CHECK_CSR(mepc, -2)
#endif
    li a0, 0x80000002
    csrw mepc, a0
    CHECK_CSR(mepc, 0x80000002)         /* bit 1 is writable with C */
    li a0, MSTATUS_MPP                  /* MPP = 3 */
    csrs mstatus, a0
    csrr a1, mstatus
    CHECK_MASK(a1, MSTATUS_MPP, MSTATUS_MPP)
    li a0, MSTATUS_MPP
    csrc mstatus, a0
    /* MPP = 2 is not a privilege mode: the WARL field must not hold it.
     * QEMU 7.2 deviation: it stores 2. */
#ifndef QEMU_QUIRKS
    li a0, (2 << 11)
    csrs mstatus, a0
    csrr a1, mstatus
    srli a1, a1, 11
    andi a1, a1, 3
    li t1, 2
    sub a1, a1, t1
    snez a1, a1
    CHECK(a1, 1)
#endif
    li a0, MSTATUS_MPP
    csrc mstatus, a0
    csrr s0, mtvec                      /* mtvec.MODE >= 2 is reserved */
    la a0, fw_mtrap
    ori a0, a0, 2
    csrw mtvec, a0
    csrr a1, mtvec
    andi a1, a1, 3
    sltiu a1, a1, 2
    CHECK(a1, 1)
    csrw mtvec, s0
    li a0, 0x8000000000000005           /* mcause holds a legal value */
    csrw mcause, a0
    CHECK_CSR(mcause, 0x8000000000000005)
    li a0, 2
    csrw mcause, a0
    CHECK_CSR(mcause, 2)
    li a0, 0x123456789
    csrw mtval, a0
    CHECK_CSR(mtval, 0x123456789)
    csrw stval, a0
    CHECK_CSR(stval, 0x123456789)
    /* medeleg[11] (ecall from M) is read-only zero; U/S ecall bits delegable.
     * QEMU 7.2 deviation: medeleg[11] is writable. */
    li a0, (1 << 11) | (1 << 8) | (1 << 9)
    csrw medeleg, a0
    csrr a1, medeleg
#ifdef QEMU_QUIRKS
    CHECK_MASK(a1, (1 << 8) | (1 << 9), (1 << 8) | (1 << 9))
#else
    CHECK(a1, (1 << 8) | (1 << 9))
#endif
    csrw medeleg, zero
    /* mip: MTIP and MSIP are read-only (set by the CLINT); SSIP is writable */
    li a0, MIP_MTIP | MIP_MSIP
    csrs mip, a0
    csrr a1, mip
    CHECK_MASK(a1, MIP_MTIP | MIP_MSIP, 0)
    csrsi mip, MIP_SSIP
    csrr a1, mip
    CHECK_MASK(a1, MIP_SSIP, MIP_SSIP)
    csrci mip, MIP_SSIP
    csrr a1, mip
    CHECK_MASK(a1, MIP_SSIP, 0)

/* ---- sstatus is a view of mstatus ------------------------------------------------ */
    li a0, MSTATUS_SUM | MSTATUS_MXR | MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE
    csrs sstatus, a0
    csrr a1, mstatus
    CHECK_MASK(a1, MSTATUS_SUM | MSTATUS_MXR | MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, \
                   MSTATUS_SUM | MSTATUS_MXR | MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE)
    csrc mstatus, a0
    csrr a1, sstatus
    CHECK_MASK(a1, MSTATUS_SUM | MSTATUS_MXR | MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, 0)
    /* M-only fields are invisible in sstatus and not writable through it */
    li a0, MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR
    csrs mstatus, a0
    csrr a1, sstatus
    CHECK_MASK(a1, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR, 0)
    csrc mstatus, a0
    csrr s1, mstatus
    li a0, MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_TW | MSTATUS_MIE
    csrs sstatus, a0
    csrr a1, mstatus
    CHECK_R(a1, s1)
    li a0, MSTATUS_SPP                  /* writing sstatus keeps the M fields */
    csrw sstatus, a0
    csrr a1, mstatus
    li t1, ~(MSTATUS_SPP | MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_FS | MSTATUS_SD)
    and a2, s1, t1
    and a3, a1, t1
    CHECK_R(a3, a2)
    CHECK_MASK(a1, MSTATUS_SPP | MSTATUS_FS, MSTATUS_SPP)
    csrw sstatus, zero
    li a0, MSTATUS_FS_INITIAL
    csrs mstatus, a0

/* ---- sie / sip are views of mie / mip through mideleg ---------------------------- */
    csrw mideleg, zero
    li a0, MIP_SSIP | MIP_STIP | MIP_SEIP
    csrw mie, a0
    csrr a1, sie                        /* nothing delegated: sie reads 0 */
    CHECK(a1, 0)
    csrw mie, zero
    li a0, MIP_SSIP | MIP_STIP | MIP_SEIP
    csrw mideleg, a0
    csrr a1, mideleg                    /* (with H, VS bits may read as 1) */
    CHECK_MASK(a1, 0xaaa, MIP_SSIP | MIP_STIP | MIP_SEIP)
    li a0, MIP_SSIP | MIP_STIP | MIP_SEIP | MIP_MSIP | MIP_MTIP
    csrw sie, a0                        /* only delegated S bits stick */
    csrr a1, mie
    CHECK(a1, MIP_SSIP | MIP_STIP | MIP_SEIP)
    csrr a1, sie
    CHECK(a1, MIP_SSIP | MIP_STIP | MIP_SEIP)
    csrw mie, zero
    csrsi sip, MIP_SSIP                 /* SSIP is writable through sip */
    csrr a1, mip
    CHECK_MASK(a1, MIP_SSIP, MIP_SSIP)
    csrr a1, sip
    CHECK_MASK(a1, MIP_SSIP, MIP_SSIP)
    csrci sip, MIP_SSIP
    csrr a1, mip
    CHECK_MASK(a1, MIP_SSIP, 0)
    csrw mideleg, zero
    csrsi mip, MIP_SSIP                 /* not delegated: invisible in sip */
    csrr a1, sip
    CHECK_MASK(a1, MIP_SSIP, 0)
    csrci mip, MIP_SSIP

/* ---- CSR privilege: address bits [9:8] give the lowest privilege ---------------- */
    ENTER_S
    LEGAL(csrr a0, sscratch)
    ILLEGAL(csrr a0, mscratch)
    ILLEGAL(csrr a0, mstatus)
    ILLEGAL(csrw mtvec, a0)
    ILLEGAL(csrr a0, mhartid)
    ld t0, FW_STATUS(gp)                /* taken from S: MPP = S */
    CHECK_MASK(t0, MSTATUS_MPP, MSTATUS_MPP_S)
    ILLEGAL(csrr a0, cycle)             /* mcounteren = 0 */
    ENTER_M
    ENTER_U
    ILLEGAL(csrr a0, sscratch)
    ILLEGAL(csrr a0, sstatus)
    ILLEGAL(csrw stvec, zero)
    ILLEGAL(csrr a0, mscratch)
    ld t0, FW_STATUS(gp)                /* taken from U: MPP = U */
    CHECK_MASK(t0, MSTATUS_MPP, 0)
    ENTER_M
    TEST_END
