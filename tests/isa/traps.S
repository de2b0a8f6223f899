/*
 * Synchronous exceptions from M, S and U: illegal instruction (mtval = 0 or
 * the instruction bits), breakpoint, ecall from U/S/M (causes 8/9/11), access
 * faults on unmapped physical addresses for fetch/load/store/AMO (causes
 * 1/5/7, mtval = the address), misaligned loads/stores (either performed or
 * trapped with cause 4/6 and mtval = the address), and mepc/MPP values.
 */
#include "fw.h"

    .option norvc

#define UNMAPPED_LOW  0x10            /* below the boot ROM: nothing there */
#define UNMAPPED_HIGH 0x88000000      /* just past 128 MiB of RAM */

/* trap at label 2: with cause, mepc = 2b; leaves the trap disarmed */
#define EXPECT(cause, insn...) ARM_TRAP(1f); 2: insn; 1: CHECK_TRAP(cause); la t0, 2b; CHECK_FW_R(FW_EPC, t0)
/* mtval is 0 or the 32-bit instruction at 2b */
#define CHECK_TVAL_INSN ld t1, FW_TVAL(gp); beqz t1, 3f; la t0, 2b; lwu t0, 0(t0); CHECK_R(t1, t0); 3:
/* mtval is 0 or the address of 2b */
#define CHECK_TVAL_PC ld t1, FW_TVAL(gp); beqz t1, 3f; la t0, 2b; CHECK_R(t1, t0); 3:
/* the trap came from privilege mode m (mstatus.MPP in the handler) */
#define CHECK_FROM(m) ld t0, FW_STATUS(gp); CHECK_MASK(t0, MSTATUS_MPP, (m) << 11)

TEST_BEGIN(traps)

/* ---- illegal instruction ------------------------------------------------------ */
    EXPECT(CAUSE_ILLEGAL, .word 0xffffffff)
    CHECK_TVAL_INSN
    CHECK_FROM(3)
    EXPECT(CAUSE_ILLEGAL, .word 0x0000000b)       /* custom-0: not implemented */
    CHECK_TVAL_INSN
    EXPECT(CAUSE_ILLEGAL, .word 0x0000f07b)       /* custom-3 */
    CHECK_TVAL_INSN
    EXPECT(CAUSE_ILLEGAL, .word 0x02000033 | (7 << 25))  /* OP with funct7 = 0x0f */
    CHECK_TVAL_INSN
    EXPECT(CAUSE_ILLEGAL, .word 0x0000701b)       /* OP-IMM-32 funct3 = 7 */
    CHECK_TVAL_INSN
    EXPECT(CAUSE_ILLEGAL, .word 0x00007003)       /* LOAD funct3 = 7 */
    CHECK_TVAL_INSN
    EXPECT(CAUSE_ILLEGAL, .word 0x00004023)       /* STORE funct3 = 4 */
    CHECK_TVAL_INSN
    EXPECT(CAUSE_ILLEGAL, .word 0x00002063)       /* BRANCH funct3 = 2 */
    CHECK_TVAL_INSN
    EXPECT(CAUSE_ILLEGAL, .word 0x00001067)       /* JALR funct3 = 1 */
    CHECK_TVAL_INSN
    EXPECT(CAUSE_ILLEGAL, .word 0x3800202f)       /* AMO with funct5 = 7 (unassigned) */
    CHECK_TVAL_INSN

/* ---- breakpoint ----------------------------------------------------------------- */
    EXPECT(CAUSE_BREAKPOINT, ebreak)
    CHECK_TVAL_PC
    CHECK_FROM(3)

/* ---- ecall from M, S, U ------------------------------------------------------- */
    li a7, 0
    EXPECT(CAUSE_ECALL_M, ecall)
    CHECK_FW(FW_TVAL, 0)
    CHECK_FROM(3)
    ENTER_S
    li a7, 0
    EXPECT(CAUSE_ECALL_S, ecall)
    CHECK_FW(FW_TVAL, 0)
    CHECK_FROM(1)
    EXPECT(CAUSE_BREAKPOINT, ebreak)
    CHECK_FROM(1)
    EXPECT(CAUSE_ILLEGAL, .word 0xffffffff)
    CHECK_TVAL_INSN
    CHECK_FROM(1)
    ENTER_M
    ENTER_U
    li a7, 0
    EXPECT(CAUSE_ECALL_U, ecall)
    CHECK_FW(FW_TVAL, 0)
    CHECK_FROM(0)
    EXPECT(CAUSE_BREAKPOINT, ebreak)
    CHECK_FROM(0)
    EXPECT(CAUSE_ILLEGAL, sfence.vma)             /* privileged instruction */
    CHECK_TVAL_INSN
    EXPECT(CAUSE_ILLEGAL, sret)
    EXPECT(CAUSE_ILLEGAL, mret)
    ENTER_M
    /* the exception does not change the registers of the trapping code */
    li a0, 0x1234
    ARM_TRAP(1f)
    ebreak
1:  CHECK(a0, 0x1234)
    CHECK_TRAP(CAUSE_BREAKPOINT)

/* ---- access faults on unmapped physical addresses ------------------------------ */
    li s0, UNMAPPED_LOW
    li s1, UNMAPPED_HIGH
    EXPECT(CAUSE_LOAD_ACCESS, ld a0, 0(s0))
    CHECK_FW(FW_TVAL, UNMAPPED_LOW)
    EXPECT(CAUSE_LOAD_ACCESS, lbu a0, 3(s1))
    CHECK_FW(FW_TVAL, UNMAPPED_HIGH + 3)
    EXPECT(CAUSE_STORE_ACCESS, sw a0, 8(s0))
    CHECK_FW(FW_TVAL, UNMAPPED_LOW + 8)
    EXPECT(CAUSE_STORE_ACCESS, sd a0, 0(s1))
    CHECK_FW(FW_TVAL, UNMAPPED_HIGH)
    /* AMOs report store/AMO faults.  QEMU 7.2 deviation: cause 5 (load). */
#ifdef QEMU_QUIRKS
    EXPECT(CAUSE_LOAD_ACCESS, amoadd.w a0, a0, (s1))
#else
    EXPECT(CAUSE_STORE_ACCESS, amoadd.w a0, a0, (s1))
#endif
    CHECK_FW(FW_TVAL, UNMAPPED_HIGH)
    EXPECT(CAUSE_LOAD_ACCESS, lr.d a0, (s0))
    CHECK_FW(FW_TVAL, UNMAPPED_LOW)
    /* a load that faults does not write rd */
    li a0, 0x5555
    EXPECT(CAUSE_LOAD_ACCESS, ld a0, 0(s1))
    CHECK(a0, 0x5555)
    /* instruction fetch: mepc = mtval = the target, ra written by the jump */
    ARM_TRAP(1f)
    jalr ra, 0(s1)
2:
1:  CHECK_TRAP(CAUSE_FETCH_ACCESS)
    CHECK_FW(FW_EPC, UNMAPPED_HIGH)
    CHECK_FW(FW_TVAL, UNMAPPED_HIGH)
    la t0, 2b
    CHECK_R(ra, t0)
    ARM_TRAP(1f)
    jalr ra, 0(s0)
1:  CHECK_TRAP(CAUSE_FETCH_ACCESS)
    CHECK_FW(FW_EPC, UNMAPPED_LOW)
    CHECK_FW(FW_TVAL, UNMAPPED_LOW)
    /* from S and U too */
    ENTER_S
    EXPECT(CAUSE_LOAD_ACCESS, ld a0, 0(s1))
    CHECK_FROM(1)
    ARM_TRAP(1f)
    jalr ra, 0(s0)
1:  CHECK_TRAP(CAUSE_FETCH_ACCESS)
    CHECK_FROM(1)
    ENTER_M
    ENTER_U
    EXPECT(CAUSE_STORE_ACCESS, sb a0, 0(s0))
    CHECK_FW(FW_TVAL, UNMAPPED_LOW)
    CHECK_FROM(0)
    ENTER_M

/* ---- misaligned loads and stores: performed, or trapped with the address ------- */
    la s0, mdata
    li a0, 0x1122334455667788
    sd a0, 0(s0)
    li a0, 0x99aabbccddeeff00
    sd a0, 8(s0)
#define MISALIGNED_LOAD(insn, off, value) \
    li a0, 0; ARM_TRAP(1f); 2: insn a0, off(s0); 1: ld t0, FW_CAUSE(gp); DISARM_TRAP(); \
    li t1, -1; beq t0, t1, 4f; CHECK(t0, CAUSE_MISALIGNED_LOAD); addi t1, s0, off; CHECK_FW_R(FW_TVAL, t1); j 5f; \
    4: CHECK(a0, value); 5:
    MISALIGNED_LOAD(ld, 1, 0x0011223344556677)
    MISALIGNED_LOAD(lw, 6, 0xffffffffff001122)
    MISALIGNED_LOAD(lwu, 6, 0xff001122)
    MISALIGNED_LOAD(lh, 7, 0x0000000000000011)
    MISALIGNED_LOAD(lhu, 3, 0x4455)
    MISALIGNED_LOAD(ld, 4, 0xddeeff0011223344)
    li a0, 0xa1a2a3a4a5a6a7a8
    ARM_TRAP(1f)
2:  sd a0, 3(s0)
1:  ld t0, FW_CAUSE(gp)
    DISARM_TRAP()
    li t1, -1
    beq t0, t1, 4f
    CHECK(t0, CAUSE_MISALIGNED_STORE)
    addi t1, s0, 3
    CHECK_FW_R(FW_TVAL, t1)
    ld a1, 0(s0)
    CHECK(a1, 0x1122334455667788)     /* a trapped store writes nothing */
    j 5f
4:  ld a1, 0(s0)
    CHECK(a1, 0xa4a5a6a7a8667788)
    ld a1, 8(s0)
    CHECK(a1, 0x99aabbccdda1a2a3)
5:

    TEST_END

    .data
    .balign 16
mdata:
    .dword 0, 0
