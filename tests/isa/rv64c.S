/*
 * C extension (RV64C): every compressed instruction, executed and compared
 * with the result of its 32-bit expansion (and with the expected value),
 * 16-bit alignment of jump targets, c.ebreak, and illegal compressed
 * encodings (mtval = 0 or the 16 instruction bits, zero-extended).
 */
#include "fw.h"

/* force a 32-bit encoding */
#define X32(insn...) .option push; .option norvc; insn; .option pop

TEST_BEGIN(rv64c)
    mv s11, sp
    la s0, cdata

/* ---- quadrant 0 ------------------------------------------------------------ */
    c.addi4spn a0, sp, 1020
    X32(addi a1, sp, 1020)
    CHECK_R(a0, a1)
    c.addi4spn a2, sp, 4
    X32(addi a3, sp, 4)
    CHECK_R(a2, a3)
    c.lw a0, 4(s0)                      /* sign-extends */
    X32(lw a1, 4(s0))
    CHECK_R(a0, a1)
    CHECK(a0, 0xffffffff89abcdef)
    c.lw a0, 124(s0)
    CHECK(a0, 0x7eadbeef)
    c.ld a0, 8(s0)
    X32(ld a1, 8(s0))
    CHECK_R(a0, a1)
    CHECK(a0, 0xfedcba9876543210)
    c.ld a0, 248(s0)
    CHECK(a0, 0x0123456789abcdef)
    c.fld fa0, 8(s0)
    X32(fld fa1, 8(s0))
    fmv.x.d a0, fa0
    fmv.x.d a1, fa1
    CHECK_R(a0, a1)
    CHECK_F(fa0, 0xfedcba9876543210)
    c.fld fa2, 248(s0)
    CHECK_F(fa2, 0x0123456789abcdef)
    la s1, cbuf
    li a0, 0x1122334455667788
    c.sw a0, 4(s1)
    c.sd a0, 8(s1)
    c.fsd fa2, 248(s1)
    ld a1, 0(s1)
    CHECK(a1, 0x5566778800000000)
    ld a1, 8(s1)
    CHECK(a1, 0x1122334455667788)
    ld a1, 248(s1)
    CHECK(a1, 0x0123456789abcdef)
    sd zero, 0(s1)
    X32(sw a0, 4(s1))
    ld a1, 0(s1)
    CHECK(a1, 0x5566778800000000)

/* ---- quadrant 1 ------------------------------------------------------------ */
    li a0, 5
    c.nop
    CHECK(a0, 5)
    li a0, 0x1234
    c.addi a0, -32
    CHECK(a0, 0x1214)
    c.addi a0, 31
    li a1, 0x1214
    X32(addi a1, a1, 31)
    CHECK_R(a0, a1)
    li a0, 0x7fffffff
    c.addiw a0, 1                       /* 32-bit add, sign-extended */
    li a1, 0x7fffffff
    X32(addiw a1, a1, 1)
    CHECK_R(a0, a1)
    CHECK(a0, 0xffffffff80000000)
    li a0, 0x180000000
    c.addiw a0, 0                       /* sext.w */
    CHECK(a0, 0xffffffff80000000)
    li a0, 0x100000000
    c.addiw a0, -1
    CHECK(a0, 0xffffffffffffffff)
    c.li a0, -32
    CHECK(a0, 0xffffffffffffffe0)
    c.li t3, 31
    CHECK(t3, 31)
    c.lui a0, 0x1f
    X32(lui a1, 0x1f)
    CHECK_R(a0, a1)
    CHECK(a0, 0x1f000)
    c.lui t4, 0xfffe0                   /* nzimm = -32: sign-extended */
    CHECK(t4, 0xfffffffffffe0000)
    c.lui a0, 0xfffff
    CHECK(a0, 0xfffffffffffff000)
    /* c.addi16sp */
    mv a2, sp
    c.addi16sp sp, -512
    X32(addi a1, a2, -512)
    CHECK_R(sp, a1)
    c.addi16sp sp, 496
    X32(addi a1, a1, 496)
    CHECK_R(sp, a1)
    mv sp, s11
    /* shifts: RV64C shift amounts go up to 63 */
    li a0, 0x8000000000000000
    c.srli a0, 63
    CHECK(a0, 1)
    li a0, 0x8000000000000000
    c.srli a0, 1
    CHECK(a0, 0x4000000000000000)
    li a0, 0x8000000000000000
    c.srai a0, 32
    CHECK(a0, 0xffffffff80000000)
    li a0, 0x8000000000000000
    c.srai a0, 63
    CHECK(a0, 0xffffffffffffffff)
    li a0, 0x4000000000000000
    c.srai a0, 62
    CHECK(a0, 1)
    li a0, 0xf0f0f0f0f0f0f0f0
    c.andi a0, -32                      /* imm sign-extended */
    CHECK(a0, 0xf0f0f0f0f0f0f0e0)
    li a0, 0xf0f0f0f0f0f0f0f0
    c.andi a0, 0x1f
    CHECK(a0, 0x10)
    li a0, 100
    li a1, 142
    c.sub a0, a1
    CHECK(a0, 0xffffffffffffffd6)
    li a0, 0xff00ff00ff00ff00
    li a1, 0x0ff00ff00ff00ff0
    mv a2, a0
    c.xor a2, a1
    CHECK(a2, 0xf0f0f0f0f0f0f0f0)
    mv a2, a0
    c.or a2, a1
    CHECK(a2, 0xfff0fff0fff0fff0)
    mv a2, a0
    c.and a2, a1
    CHECK(a2, 0x0f000f000f000f00)
    li a0, 0x80000000
    li a1, 1
    c.subw a0, a1
    CHECK(a0, 0x7fffffff)
    li a0, 0
    c.subw a0, a1
    CHECK(a0, 0xffffffffffffffff)
    li a0, 0x7fffffff
    c.addw a0, a1
    li a2, 0x7fffffff
    X32(addw a2, a2, a1)
    CHECK_R(a0, a2)
    CHECK(a0, 0xffffffff80000000)
    li a0, 0x1234500000001
    li a1, 0x6789a00000002
    c.addw a0, a1                       /* upper halves ignored */
    CHECK(a0, 3)
    /* c.j, c.beqz, c.bnez */
    li a0, 0
    c.j 1f
    li a0, 1
1:  CHECK(a0, 0)
    li a1, 0
    c.j 2f
1:  addi a1, a1, 1
    c.j 3f
2:  c.j 1b                              /* backward */
3:  CHECK(a1, 1)
    li a0, 0
    li a2, 0
    c.beqz a0, 1f
    li a2, 1
1:  CHECK(a2, 0)
    li a0, 0x100000000                  /* all 64 bits tested */
    c.beqz a0, 1f
    li a2, 2
1:  CHECK(a2, 2)
    c.bnez a0, 1f
    li a2, 3
1:  CHECK(a2, 2)
    li a0, 0
    c.bnez a0, 1f
    li a2, 4
1:  CHECK(a2, 4)
    li a3, 3
    li a4, 0
1:  addi a4, a4, 1
    addi a3, a3, -1
    c.bnez a3, 1b                       /* backward branch */
    CHECK(a4, 3)

/* ---- quadrant 2 ------------------------------------------------------------ */
    li a0, 1
    c.slli a0, 63
    CHECK(a0, 0x8000000000000000)
    li t5, 0x3
    c.slli t5, 33
    CHECK(t5, 0x600000000)
    /* stack-pointer relative loads and stores */
    la sp, cdata
    c.lwsp a0, 4(sp)
    CHECK(a0, 0xffffffff89abcdef)
    c.lwsp t3, 124(sp)
    CHECK(t3, 0x7eadbeef)
    c.ldsp a0, 8(sp)
    X32(ld a1, 8(sp))
    CHECK_R(a0, a1)
    c.ldsp t4, 248(sp)
    CHECK(t4, 0x0123456789abcdef)
    c.fldsp fa3, 8(sp)
    CHECK_F(fa3, 0xfedcba9876543210)
    c.fldsp ft1, 248(sp)
    CHECK_F(ft1, 0x0123456789abcdef)
    la sp, cbuf
    li t3, 0x8877665544332211
    sd zero, 0(sp)
    c.swsp t3, 4(sp)
    ld a0, 0(sp)
    CHECK(a0, 0x4433221100000000)
    c.sdsp t3, 16(sp)
    ld a0, 16(sp)
    CHECK(a0, 0x8877665544332211)
    c.sdsp t3, 504(sp)
    ld a0, 504(sp)
    CHECK(a0, 0x8877665544332211)
    c.fsdsp ft1, 24(sp)
    ld a0, 24(sp)
    CHECK(a0, 0x0123456789abcdef)
    c.fsdsp fa3, 496(sp)
    ld a0, 496(sp)
    CHECK(a0, 0xfedcba9876543210)
    mv sp, s11
    /* c.mv, c.add */
    li t4, 0x123456789
    c.mv t3, t4
    CHECK(t3, 0x123456789)
    li t3, 0x7fffffffffffffff
    c.add t3, t4
    CHECK(t3, 0x8000000123456788)
    /* c.jr, c.jalr (link = pc + 2) */
    la t0, 1f
    li a0, 0
    c.jr t0
    li a0, 1
1:  CHECK(a0, 0)
    la t0, 1f
    li a0, 0
    c.jalr t0
2:  li a0, 1
1:  CHECK(a0, 0)
    la t1, 2b
    CHECK_R(ra, t1)                     /* c.jalr at 2b - 2 */
    /* c.jalr with rs1 == ra: the target is the old ra */
    la ra, 1f
    li a0, 0
    c.jalr ra
2:  li a0, 1
1:  CHECK(a0, 0)
    la t1, 2b
    CHECK_R(ra, t1)

/* ---- 16-bit aligned targets: no instruction-address-misaligned with C --------- */
    ARM_TRAP(9f)
    la t0, 3f
    li a0, 0
    jalr ra, 0(t0)                      /* 3f is 2 mod 4 */
    j 4f
    .balign 4
    c.nop
3:  c.li a0, 7
    X32(addi a0, a0, 1)                 /* a 32-bit instruction at 2 mod 4 */
    ret
4:  CHECK(a0, 8)
    la t0, 3b
    andi t0, t0, 3
    CHECK(t0, 2)
    la t0, 5f                           /* branch to a 2 mod 4 target */
    li a1, 0
    X32(beq a1, a1, 5f)
    j 9f
    .balign 4
    c.nop
5:  li a1, 5
9:  CHECK_NOTRAP()
    CHECK(a1, 5)

/* ---- c.ebreak ------------------------------------------------------------------ */
    ARM_TRAP(1f)
2:  c.ebreak
1:  CHECK_TRAP(CAUSE_BREAKPOINT)
    la t0, 2b
    CHECK_FW_R(FW_EPC, t0)
    ld t1, FW_TVAL(gp)                  /* mtval: 0 or the breakpoint address */
    beqz t1, 3f
    CHECK_R(t1, t0)
3:

/* ---- illegal compressed encodings ---------------------------------------------- */
    ARM_TRAP(1f)
2:  .hword 0x0000                       /* all zeros: defined illegal */
    .hword 0x0001                       /* (c.nop: skipped by the resume) */
1:  CHECK_TRAP(CAUSE_ILLEGAL)
    CHECK_FW(FW_TVAL, 0)
    la t0, 2b
    CHECK_FW_R(FW_EPC, t0)
    /* with mstatus.FS = Off, c.fld is illegal: mtval holds 16 bits, not 32 */
    li t1, MSTATUS_FS
    csrc mstatus, t1
    ARM_TRAP(1f)
2:  c.fld fa0, 8(s0)
    .hword 0xffff                       /* following bits must not leak into mtval */
    .hword 0xffff
1:  CHECK_TRAP(CAUSE_ILLEGAL)
    li t1, MSTATUS_FS_INITIAL
    csrs mstatus, t1
    la t0, 2b
    CHECK_FW_R(FW_EPC, t0)
    ld t1, FW_TVAL(gp)
    beqz t1, 3f
    lhu t0, 0(t0)
    CHECK_R(t1, t0)
3:
    TEST_END

    .data
    .balign 16
cdata:
    .dword 0x89abcdef00000000, 0xfedcba9876543210
    .fill 13, 8, 0
    .dword 0x7eadbeef00000000
    .fill 15, 8, 0
    .dword 0x0123456789abcdef
    .balign 16
cbuf:
    .fill 64, 8, 0
