/*
 * RV64I: every base instruction (32-bit encodings; compressed forms are in
 * rv64c.S).  Each check is numbered by its source line.
 */
#include "fw.h"

    .option norvc

/* register-register: rd = a0 op a1 */
#define RR(op, a, b, exp)   li a0, a; li a1, b; op a2, a0, a1; CHECK(a2, exp)
/* register-immediate */
#define RI(op, a, imm, exp) li a0, a; op a2, a0, imm; CHECK(a2, exp)
/* rd == rs1 and rd == rs2 forms */
#define RR_SRC1(op, a, b, exp) li a0, a; li a1, b; op a0, a0, a1; CHECK(a0, exp)
#define RR_SRC2(op, a, b, exp) li a0, a; li a1, b; op a1, a0, a1; CHECK(a1, exp)
/* branch: taken (1) or not (0) */
#define BR(op, a, b, taken) li a0, a; li a1, b; li a2, 0; op a0, a1, 8f; li a2, 1; j 9f; 8: li a2, 2; 9: CHECK(a2, (taken) + 1)

TEST_BEGIN(rv64i)

/* ---- LUI / AUIPC ---------------------------------------------------------- */
    lui a0, 0
    CHECK(a0, 0)
    lui a0, 0x12345
    CHECK(a0, 0x12345000)
    lui a0, 0x80000                 /* sign-extended from bit 31 */
    CHECK(a0, 0xffffffff80000000)
    lui a0, 0xfffff
    CHECK(a0, 0xfffffffffffff000)
    lui a0, 0x7ffff
    CHECK(a0, 0x7ffff000)
1:  auipc a0, 0
    la a1, 1b
    CHECK_R(a0, a1)
1:  auipc a0, 0x1
    la a1, 1b
    li a2, 0x1000
    add a1, a1, a2
    CHECK_R(a0, a1)
1:  auipc a0, 0xfffff               /* -4096 */
    la a1, 1b
    li a2, -0x1000
    add a1, a1, a2
    CHECK_R(a0, a1)
1:  auipc a0, 0x80000               /* -2 GiB, sign-extended */
    la a1, 1b
    li a2, 0xffffffff80000000
    add a1, a1, a2
    CHECK_R(a0, a1)

/* ---- ADDI / ADD / SUB ------------------------------------------------------- */
    RI(addi, 0, 0, 0)
    RI(addi, 1, 1, 2)
    RI(addi, 3, 7, 10)
    RI(addi, 0, -2048, 0xfffffffffffff800)
    RI(addi, 0, 2047, 0x7ff)
    RI(addi, 0x7fffffffffffffff, 1, 0x8000000000000000)
    RI(addi, 0x8000000000000000, -1, 0x7fffffffffffffff)
    RI(addi, -1, 1, 0)
    RI(addi, 0x7fffffff, 1, 0x80000000)   /* no 32-bit wrap in RV64 */
    RR(add, 0, 0, 0)
    RR(add, 1, 1, 2)
    RR(add, 3, 7, 10)
    RR(add, 0xffffffff80000000, 0xffffffff80000000, 0xffffffff00000000)
    RR(add, 0x7fffffffffffffff, 1, 0x8000000000000000)
    RR(add, -1, 1, 0)
    RR(add, 0xffffffff, 1, 0x100000000)
    RR_SRC1(add, 13, 11, 24)
    RR_SRC2(add, 14, 11, 25)
    RR(sub, 0, 0, 0)
    RR(sub, 3, 7, 0xfffffffffffffffc)
    RR(sub, 0x8000000000000000, 1, 0x7fffffffffffffff)
    RR(sub, 0, 0x8000000000000000, 0x8000000000000000)
    RR(sub, 0, 1, -1)
    RR(sub, 0x100000000, 1, 0xffffffff)
    RR_SRC1(sub, 13, 11, 2)
    RR_SRC2(sub, 14, 11, 3)

/* ---- logic ---------------------------------------------------------------- */
    RR(and, 0xff00ff00ff00ff00, 0x0f0f0f0f0f0f0f0f, 0x0f000f000f000f00)
    RR(or,  0xff00ff00ff00ff00, 0x0f0f0f0f0f0f0f0f, 0xff0fff0fff0fff0f)
    RR(xor, 0xff00ff00ff00ff00, 0x0f0f0f0f0f0f0f0f, 0xf00ff00ff00ff00f)
    RI(andi, 0xff00ff00ff00ff00, 0x70f, 0x0000000000000700)
    RI(andi, 0xff00ff00ff00ff00, -16, 0xff00ff00ff00ff00)  /* imm sign-extended */
    RI(andi, 0x00ff00ff00ff00ff, 0x70f, 0x000000000000000f)
    RI(ori,  0xff00ff00ff00ff00, 0x70f, 0xff00ff00ff00ff0f)
    RI(ori,  0x0000000000000000, -2048, 0xfffffffffffff800)
    RI(xori, 0x00ff0f00ff00ff00, 0x70f, 0x00ff0f00ff00f80f)
    RI(xori, 0x00ff0f00ff00ff00, -1, 0xff00f0ff00ff00ff)   /* not */

/* ---- compares --------------------------------------------------------------- */
    RR(slt, 0, 0, 0)
    RR(slt, 1, 2, 1)
    RR(slt, 2, 1, 0)
    RR(slt, -1, 0, 1)
    RR(slt, 0, -1, 0)
    RR(slt, 0x8000000000000000, 0x7fffffffffffffff, 1)
    RR(slt, 0x7fffffffffffffff, 0x8000000000000000, 0)
    RR(slt, 0x8000000000000000, 0x8000000000000000, 0)
    RR(sltu, 1, 2, 1)
    RR(sltu, -1, 0, 0)
    RR(sltu, 0, -1, 1)
    RR(sltu, 0x8000000000000000, 0x7fffffffffffffff, 0)
    RR(sltu, 0x7fffffffffffffff, 0x8000000000000000, 1)
    RR(sltu, 5, 5, 0)
    RI(slti, 0, 0, 0)
    RI(slti, -1, 0, 1)
    RI(slti, 0, -1, 0)
    RI(slti, 0x7ff, 0x7ff, 0)
    RI(slti, -2049, -2048, 1)
    RI(slti, 0x8000000000000000, 0, 1)
    RI(sltiu, 0, 1, 1)
    RI(sltiu, 0, -1, 1)               /* imm sign-extended, then unsigned */
    RI(sltiu, -1, -1, 0)
    RI(sltiu, 0xfffffffffffffffe, -1, 1)
    RI(sltiu, 0x8000000000000000, 0x7ff, 0)
    li a0, 0
    sltiu a2, a0, 1                   /* seqz */
    CHECK(a2, 1)

/* ---- shifts (64-bit: shamt is 6 bits; register forms mask rs2[5:0]) -------- */
    RI(slli, 1, 0, 1)
    RI(slli, 1, 1, 2)
    RI(slli, 1, 31, 0x80000000)
    RI(slli, 1, 32, 0x100000000)
    RI(slli, 1, 63, 0x8000000000000000)
    RI(slli, 0xffffffffffffffff, 7, 0xffffffffffffff80)
    RI(srli, 0x8000000000000000, 0, 0x8000000000000000)
    RI(srli, 0x8000000000000000, 1, 0x4000000000000000)
    RI(srli, 0x8000000000000000, 63, 1)
    RI(srli, 0xffffffff80000000, 32, 0xffffffff)
    RI(srai, 0x8000000000000000, 1, 0xc000000000000000)
    RI(srai, 0x8000000000000000, 63, 0xffffffffffffffff)
    RI(srai, 0x7fffffffffffffff, 62, 1)
    RI(srai, 0xffffffff80000000, 31, 0xffffffffffffffff)
    RI(srai, 0x0000000080000000, 31, 1)
    RR(sll, 1, 63, 0x8000000000000000)
    RR(sll, 1, 64, 1)                 /* shift amount masked to 6 bits */
    RR(sll, 1, 65, 2)
    RR(sll, 0x21, 0xffffffffffffffc4, 0x210)  /* 0x...c4 & 63 = 4 */
    RR(srl, 0x8000000000000000, 63, 1)
    RR(srl, 0x8000000000000000, 64, 0x8000000000000000)
    RR(srl, 0x8000000000000000, 0x7f, 1)
    RR(srl, 0xf0, -4, 0)              /* -4 & 63 = 60 */
    RR(sra, 0x8000000000000000, 63, 0xffffffffffffffff)
    RR(sra, 0x8000000000000000, 64, 0x8000000000000000)
    RR(sra, 0x8000000000000000, 0x41, 0xc000000000000000)
    RR(sra, 0x4000000000000000, 62, 1)

/* ---- 32-bit (W) operations: compute on low 32 bits, sign-extend result ---- */
    RI(addiw, 0, 0, 0)
    RI(addiw, 0x7fffffff, 1, 0xffffffff80000000)
    RI(addiw, 0xffffffff, 1, 0)
    RI(addiw, 0x123456789, 0, 0x23456789)   /* sext.w of a positive low word */
    RI(addiw, 0x1fffffffe, 0, 0xfffffffffffffffe)
    RI(addiw, 0x80000000, -1, 0x7fffffff)
    RI(addiw, 0, -2048, 0xfffffffffffff800)
    RR(addw, 0x7fffffff, 1, 0xffffffff80000000)
    RR(addw, 0xffffffff00000001, 0x00000000ffffffff, 0)
    RR(addw, 0x0000000180000000, 0x0000000080000000, 0)
    RR(addw, 0x12345678, 0x11111111, 0x23456789)
    RR(subw, 0, 1, 0xffffffffffffffff)
    RR(subw, 0x80000000, 1, 0x7fffffff)
    RR(subw, 0x100000000, 0x1, 0xffffffffffffffff)
    RR(subw, 0x7fffffff, 0xffffffff, 0xffffffff80000000)
    RI(slliw, 1, 31, 0xffffffff80000000)
    RI(slliw, 0xffffffff00000001, 0, 1)
    RI(slliw, 0x0000000100000003, 30, 0xffffffffc0000000)
    RI(srliw, 0xffffffff80000000, 31, 1)
    RI(srliw, 0xffffffff80000000, 0, 0xffffffff80000000)  /* sext of bit 31 */
    RI(srliw, 0x00000000ffffffff, 1, 0x7fffffff)
    RI(srliw, 0x1234567800000000, 4, 0)       /* upper word ignored */
    RI(sraiw, 0x0000000080000000, 31, 0xffffffffffffffff)
    RI(sraiw, 0x0000000080000000, 4, 0xfffffffff8000000)
    RI(sraiw, 0xffffffff7fffffff, 30, 1)
    RI(sraiw, 0x00000000ffffffff, 0, 0xffffffffffffffff)
    RR(sllw, 1, 31, 0xffffffff80000000)
    RR(sllw, 1, 32, 1)                 /* W shifts mask rs2 to 5 bits */
    RR(sllw, 3, 0x3f, 0xffffffff80000000)
    RR(srlw, 0x80000000, 31, 1)
    RR(srlw, 0x80000000, 32, 0xffffffff80000000)
    RR(srlw, 0xffffffffffffffff, 33, 0x7fffffff)
    RR(sraw, 0x80000000, 31, 0xffffffffffffffff)
    RR(sraw, 0x80000000, 0x21, 0xffffffffc0000000)
    RR(sraw, 0xffffffff7fffffff, 16, 0x7fff)
    RR(sraw, 0x40000000, 0xffffffffffffffe0, 0x40000000)

/* ---- writes to x0 are ignored ---------------------------------------------- */
    li a0, 5
    addi x0, a0, 1
    add x0, a0, a0
    lui x0, 0x12345
    CHECK(x0, 0)

/* ---- branches (taken = 1, not taken = 0) ------------------------------------ */
    BR(beq, 0, 0, 1)
    BR(beq, 1, 0, 0)
    BR(beq, -1, -1, 1)
    BR(beq, 0x100000000, 0, 0)          /* all 64 bits compared */
    BR(bne, 0, 0, 0)
    BR(bne, 0x100000000, 0, 1)
    BR(bne, -1, 1, 1)
    BR(blt, 0, 1, 1)
    BR(blt, 1, 0, 0)
    BR(blt, -1, 0, 1)
    BR(blt, 0, -1, 0)
    BR(blt, 0x8000000000000000, 0x7fffffffffffffff, 1)
    BR(blt, 5, 5, 0)
    BR(bge, 5, 5, 1)
    BR(bge, 0, -1, 1)
    BR(bge, -1, 0, 0)
    BR(bge, 0x7fffffffffffffff, 0x8000000000000000, 1)
    BR(bge, 0x8000000000000000, 0x7fffffffffffffff, 0)
    BR(bltu, 0, 1, 1)
    BR(bltu, -1, 0, 0)
    BR(bltu, 0, -1, 1)
    BR(bltu, 0x7fffffffffffffff, 0x8000000000000000, 1)
    BR(bltu, 5, 5, 0)
    BR(bgeu, 5, 5, 1)
    BR(bgeu, -1, 0, 1)
    BR(bgeu, 0, -1, 0)
    BR(bgeu, 0x8000000000000000, 0x7fffffffffffffff, 1)
    /* backward branch */
    li a0, 3
    li a1, 0
1:  addi a1, a1, 1
    addi a0, a0, -1
    bnez a0, 1b
    CHECK(a1, 3)

/* ---- JAL / JALR ------------------------------------------------------------- */
    jal ra, 1f
2:  j 3f
1:  la a0, 2b
    CHECK_R(ra, a0)                     /* link = pc + 4 */
    ret
3:  li a0, 0
    jal x0, 1f                           /* j: no link */
    li a0, 1
1:  CHECK(a0, 0)
    /* backward JAL */
    li a1, 0
    j 2f
1:  addi a1, a1, 1
    j 3f
2:  jal x0, 1b
3:  CHECK(a1, 1)
    /* JALR: target = (rs1 + imm) & ~1 */
    la a0, 1f
    addi a0, a0, 1                       /* odd address: low bit cleared */
    li a1, 0
    jalr ra, 0(a0)
2:  li a1, 1
1:  CHECK(a1, 0)
    la a0, 2b
    CHECK_R(ra, a0)
    la a0, 1f + 12
    li a1, 0
    jalr ra, -11(a0)                     /* -11 + odd -> even target 1f + 1 - 1 */
    li a1, 1
1:  CHECK(a1, 0)
    /* JALR with rd == rs1: target uses the old value */
    la t0, 1f
    li a1, 0
    jalr t0, 0(t0)
2:  li a1, 1
1:  CHECK(a1, 0)
    la a0, 2b
    CHECK_R(t0, a0)
    /* JALR with rd = x0 */
    la a0, 1f
    li a1, 0
    jalr x0, 0(a0)
    li a1, 1
1:  CHECK(a1, 0)

/* ---- loads: every width, sign and zero extension ----------------------------- */
    la s0, ldata
    lb a0, 0(s0)
    CHECK(a0, 0xffffffffffffff81)
    lb a0, 1(s0)
    CHECK(a0, 0x72)
    lbu a0, 0(s0)
    CHECK(a0, 0x81)
    lbu a0, 7(s0)
    CHECK(a0, 0xf8)
    lh a0, 0(s0)
    CHECK(a0, 0x7281)
    lh a0, 2(s0)
    CHECK(a0, 0xffffffffffffb463)
    lh a0, 6(s0)
    CHECK(a0, 0xfffffffffffff8c7)
    lhu a0, 6(s0)
    CHECK(a0, 0xf8c7)
    lhu a0, 2(s0)
    CHECK(a0, 0xb463)
    lw a0, 0(s0)
    CHECK(a0, 0xffffffffb4637281)
    lw a0, 4(s0)
    CHECK(a0, 0xfffffffff8c7a5d6)
    lw a0, 8(s0)
    CHECK(a0, 0x01234567)
    lwu a0, 0(s0)
    CHECK(a0, 0xb4637281)
    lwu a0, 8(s0)
    CHECK(a0, 0x01234567)
    ld a0, 0(s0)
    CHECK(a0, 0xf8c7a5d6b4637281)
    ld a0, 8(s0)
    CHECK(a0, 0x89abcdef01234567)
    /* negative and positive offsets */
    addi s1, s0, 16
    ld a0, -16(s1)
    CHECK(a0, 0xf8c7a5d6b4637281)
    lbu a0, -4(s1)
    CHECK(a0, 0xef)
    addi s1, s0, -2032
    lb a0, 2047(s1)                      /* s0 + 15 */
    CHECK(a0, 0xffffffffffffff89)
    /* load into x0 is discarded */
    ld x0, 0(s0)
    CHECK(x0, 0)

/* ---- stores: every width --------------------------------------------------- */
    la s0, sdata
    li a0, -1
    sd a0, 0(s0)
    sd a0, 8(s0)
    li a1, 0x1122334455667788
    sb a1, 0(s0)
    ld a0, 0(s0)
    CHECK(a0, 0xffffffffffffff88)
    sh a1, 2(s0)
    ld a0, 0(s0)
    CHECK(a0, 0xffffffff7788ff88)
    sw a1, 4(s0)
    ld a0, 0(s0)
    CHECK(a0, 0x556677887788ff88)
    sd a1, 8(s0)
    ld a0, 8(s0)
    CHECK(a0, 0x1122334455667788)
    sb zero, 15(s0)
    ld a0, 8(s0)
    CHECK(a0, 0x0022334455667788)
    addi s1, s0, 2047
    sh a1, -2045(s1)                     /* s0 + 2 */
    lhu a0, 2(s0)
    CHECK(a0, 0x7788)
    /* store then load of the same word in both orders of widths */
    li a1, 0x8000000080000000
    sd a1, 0(s0)
    lw a0, 0(s0)
    CHECK(a0, 0xffffffff80000000)
    lwu a0, 4(s0)
    CHECK(a0, 0x80000000)

/* ---- FENCE / FENCE.TSO / pause-like hints execute as no-ops --------------- */
    li a0, 42
    fence
    fence rw, rw
    fence.tso
    fence w, r
    nop
    CHECK(a0, 42)

    TEST_END

    .data
    .balign 16
ldata:
    .byte 0x81, 0x72, 0x63, 0xb4, 0xd6, 0xa5, 0xc7, 0xf8
    .dword 0x89abcdef01234567
sdata:
    .dword 0, 0
