/*
 * Zifencei: self-modifying code.  Code that has already run (and may be
 * cached or translated by the emulator) is rewritten with stores, then
 * FENCE.I makes the new instructions visible to instruction fetch.
 */
#include "fw.h"

    .option norvc

#define ADDI_A0(imm)  (0x00000513 | ((imm) << 20))   /* addi a0, zero, imm */
#define CLI_A0(imm)   (0x4501 | (((imm) & 31) << 2))  /* c.li a0, imm */
#define RET           0x00008067                      /* jalr x0, 0(ra) */

TEST_BEGIN(zifencei)
    la s0, smc_buf

/* ---- rewrite a function that has run before, several times ----------------- */
    li a0, ADDI_A0(1)
    sw a0, 0(s0)
    li a0, RET
    sw a0, 4(s0)
    fence.i
    jalr ra, 0(s0)
    CHECK(a0, 1)
    jalr ra, 0(s0)                      /* run twice: now surely "hot" */
    CHECK(a0, 1)
    li s1, 2
1:  li t0, ADDI_A0(0)
    slli t1, s1, 20
    or t0, t0, t1
    sw t0, 0(s0)
    fence.i
    jalr ra, 0(s0)
    CHECK_R(a0, s1)
    addi s1, s1, 1
    li t0, 10
    bltu s1, t0, 1b

/* ---- byte-wise modification of the immediate ------------------------------- */
    li t0, ADDI_A0(0x123)
    sw t0, 0(s0)
    fence.i
    jalr ra, 0(s0)
    CHECK(a0, 0x123)
    li t0, (0x456 >> 4)                 /* imm[11:4] sits in byte 3 */
    sb t0, 3(s0)
    fence.i
    jalr ra, 0(s0)
    CHECK(a0, 0x453)

/* ---- one 32-bit instruction replaced by two compressed ones ----------------- */
    li t0, (CLI_A0(7) << 16) | CLI_A0(3)   /* c.li a0, 3; c.li a0, 7 */
    sw t0, 0(s0)
    fence.i
    jalr ra, 0(s0)
    CHECK(a0, 7)
    li t0, 0x0001                       /* second half becomes c.nop */
    sh t0, 2(s0)
    fence.i
    jalr ra, 0(s0)
    CHECK(a0, 3)

/* ---- modify the very next instruction in straight-line code ------------------ */
    li a0, 0
    la t1, 2f
    li t0, ADDI_A0(5)
    sw t0, 0(t1)
    fence.i
2:  addi a0, zero, 1                    /* replaced by addi a0, zero, 5 */
    CHECK(a0, 5)
    /* and put it back, so that a second pass through this code would too */
    li t0, ADDI_A0(1)
    sw t0, 0(t1)
    fence.i
    jalr ra, 0(s0)
    CHECK(a0, 3)

/* ---- a loop body rewritten between iterations -------------------------------- */
    li s1, 0                            /* sum */
    li s2, 0                            /* iteration */
    la s3, 4f
3:  li a0, 0
4:  addi a0, zero, 0                    /* imm rewritten to the iteration */
    add s1, s1, a0
    addi s2, s2, 1
    slli t0, s2, 20
    li t1, ADDI_A0(0)
    or t0, t0, t1
    sw t0, 0(s3)
    fence.i
    li t0, 5
    bltu s2, t0, 3b
    CHECK(s1, 0 + 1 + 2 + 3 + 4)
    li t0, ADDI_A0(0)
    sw t0, 0(s3)
    fence.i

    TEST_END

    .data
    .balign 64
smc_buf:
    .fill 16, 4, 0
