/*
 * Code and data in one page: a hot loop keeps its counter in the page its
 * own instructions are in (a store beside decoded code must not stop the
 * emulator from running that code fast, and must not be mistaken for a
 * change of it), then the loop's increment is rewritten, with FENCE.I, again
 * and again: every backend must run the new instruction each time.
 */
#include "fw.h"

    .option norvc

#define ADDI_T1_T1(imm) (0x00030313 | ((imm) << 20))   /* addi t1, t1, imm */

TEST_BEGIN(codedata)
    li a0, 200000
    call count_loop
    CHECK(a0, 200000)

    /* the increment rewritten to 2, 3, ..., 7 */
    la s0, increment
    li s1, 2
1:  slli t0, s1, 20
    li t1, ADDI_T1_T1(0)
    or t0, t0, t1
    sw t0, 0(s0)
    fence.i
    li a0, 1000
    call count_loop
    li t0, 1000
    mul t0, t0, s1
    CHECK_R(a0, t0)
    addi s1, s1, 1
    li t0, 8
    bltu s1, t0, 1b

    /* back to 1: the first loop's result again */
    li t0, ADDI_T1_T1(1)
    sw t0, 0(s0)
    fence.i
    li a0, 5000
    call count_loop
    CHECK(a0, 5000)
    TEST_END

/* count_loop(a0 = n): counter = 0, then n times counter += increment; returns counter */
    .section .text.codedata, "ax"
    .balign 4096
count_loop:
    la a1, counter
    sw zero, 0(a1)
2:  lw t1, 0(a1)
increment:
    addi t1, t1, 1
    sw t1, 0(a1)
    addi a0, a0, -1
    bnez a0, 2b
    lw a0, 0(a1)
    ret
    .balign 8
counter:                                /* in the same page as the loop */
    .word 0
