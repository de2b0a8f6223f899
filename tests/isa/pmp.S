/*
 * PMP: pmpcfg0 / pmpaddr CSRs hold TOR and NAPOT settings, S- and U-mode
 * accesses are checked against them (lowest-numbered matching entry wins,
 * R/W/X per entry, access-fault causes 1/5/7), M-mode ignores unlocked
 * entries, and a locked entry binds M-mode too and ignores further writes.
 */
#include "fw.h"

    .option norvc

#define CFG_R     0x01
#define CFG_W     0x02
#define CFG_X     0x04
#define CFG_TOR   0x08
#define CFG_NAPOT 0x18
#define CFG_L     0x80
#define NAPOT4K(sym) la t0, sym; srli t0, t0, 2; ori t0, t0, 0x1ff   /* 4 KiB region */

#define EXPECT(cause, insn...) ARM_TRAP(1f); 2: insn; 1: CHECK_TRAP(cause)
#define NOTRAP(insn...) ARM_TRAP(1f); insn; 1: CHECK_NOTRAP()

TEST_BEGIN(pmp)

/* ---- the CSRs hold what is written (4 KiB aligned values) ----------------- */
    NAPOT4K(p_none)
    mv s0, t0
    csrw pmpaddr0, s0
    csrr a0, pmpaddr0
    CHECK_R(a0, s0)
    NAPOT4K(p_ro)
    mv s1, t0
    csrw pmpaddr1, s1
    csrr a0, pmpaddr1
    CHECK_R(a0, s1)
    la t0, p_x                          /* TOR range [p_x, p_x + 4 KiB) */
    srli s2, t0, 2
    csrw pmpaddr2, s2
    li t1, 4096
    add t0, t0, t1
    srli s3, t0, 2
    csrw pmpaddr3, s3
    csrr a0, pmpaddr2
    CHECK_R(a0, s2)
    csrr a0, pmpaddr3
    CHECK_R(a0, s3)
    li s4, -1
    srli s4, s4, 10                     /* pmpaddr holds bits 55:2 */
    csrw pmpaddr5, s4
    csrr a0, pmpaddr5
    CHECK_R(a0, s4)
    /* entry 0: no access, 1: read-only, 2: off (TOR base), 3: execute-only,
     * 4: off (locked later), 5: everything else */
#define CFG0 ((CFG_NAPOT << 0) | ((CFG_NAPOT | CFG_R) << 8) | (0 << 16) | ((CFG_TOR | CFG_X) << 24) | ((CFG_NAPOT | CFG_R | CFG_W | CFG_X) << 40))
    li s5, CFG0
    csrw pmpcfg0, s5
    csrr a0, pmpcfg0
    CHECK(a0, CFG0)
    sfence.vma

/* ---- M-mode is not affected by unlocked entries --------------------------- */
    la s6, p_none
    la s7, p_ro
    la s8, p_x
    NOTRAP(ld a0, 0(s6))
    CHECK(a0, 0x1111)
    NOTRAP(sd a0, 8(s6))
    NOTRAP(sd a0, 8(s7))
    NOTRAP(ld a0, 0(s8))

/* ---- S-mode --------------------------------------------------------------- */
    ENTER_S
    EXPECT(CAUSE_LOAD_ACCESS, ld a0, 0(s6))
    CHECK_FW_R(FW_TVAL, s6)
    EXPECT(CAUSE_STORE_ACCESS, sd a0, 16(s6))
    addi t0, s6, 16
    CHECK_FW_R(FW_TVAL, t0)
    ARM_TRAP(1f)
    jalr ra, 0(s6)
1:  CHECK_TRAP(CAUSE_FETCH_ACCESS)
    CHECK_FW_R(FW_TVAL, s6)
    NOTRAP(ld a0, 0(s7))
    CHECK(a0, 0x2222)
    EXPECT(CAUSE_STORE_ACCESS, sw a0, 0(s7))
    EXPECT(CAUSE_STORE_ACCESS, amoadd.d a0, a0, (s7))
    ARM_TRAP(1f)
    jalr ra, 0(s7)
1:  CHECK_TRAP(CAUSE_FETCH_ACCESS)
    EXPECT(CAUSE_LOAD_ACCESS, ld a0, 8(s8))
    li a0, 0
    NOTRAP(jalr ra, 0(s8))              /* execute-only code runs */
    CHECK(a0, 0x66)
    ENTER_M

/* ---- U-mode --------------------------------------------------------------- */
    ENTER_U
    EXPECT(CAUSE_LOAD_ACCESS, lbu a0, 7(s6))
    addi t0, s6, 7
    CHECK_FW_R(FW_TVAL, t0)
    NOTRAP(lw a0, 0(s7))
    EXPECT(CAUSE_STORE_ACCESS, sd a0, 0(s7))
    li a0, 0
    NOTRAP(jalr ra, 0(s8))
    CHECK(a0, 0x66)
    ENTER_M
    ld a0, 0(s7)                        /* none of the denied stores landed */
    CHECK(a0, 0x2222)

/* ---- the lowest-numbered matching entry wins ---------------------------------
 * entry 0 (no access) now covers p_ro as well; entry 1 would allow reads */
    la t0, p_none                       /* 8 KiB NAPOT over p_none and p_ro */
    srli t0, t0, 2
    ori t0, t0, 0x3ff
    csrw pmpaddr0, t0
    sfence.vma
    ENTER_S
    EXPECT(CAUSE_LOAD_ACCESS, ld a0, 0(s7))
    ENTER_M
    csrw pmpaddr0, s0

/* ---- a locked entry binds M-mode and ignores writes (keep this last) ------- */
    NAPOT4K(p_lock)
    mv s9, t0
    csrw pmpaddr4, s9
    li t0, (CFG_NAPOT | CFG_R | CFG_L) << 32
    csrs pmpcfg0, t0
    sfence.vma
    la s10, p_lock
    NOTRAP(ld a0, 0(s10))
    CHECK(a0, 0x3333)
    EXPECT(CAUSE_STORE_ACCESS, sd a0, 0(s10))
    ARM_TRAP(1f)
    jalr ra, 0(s10)
1:  CHECK_TRAP(CAUSE_FETCH_ACCESS)
    li t0, -1                           /* writes to the locked entry are ignored */
    csrw pmpaddr4, t0
    csrr a0, pmpaddr4
    CHECK_R(a0, s9)
    li t0, 0xff << 32
    csrc pmpcfg0, t0
    csrr a0, pmpcfg0
    srli a0, a0, 32
    andi a0, a0, 0xff
    CHECK(a0, CFG_NAPOT | CFG_R | CFG_L)
    ld a0, 0(s10)
    CHECK(a0, 0x3333)

    TEST_END

    .data
    .balign 8192                        /* p_none + p_ro form an 8 KiB NAPOT region */
p_none:
    .dword 0x1111
    .balign 4096
p_ro:
    .dword 0x2222
    .balign 4096
p_x:
    li a0, 0x66
    ret
    .balign 4096
p_lock:
    .dword 0x3333
    .balign 4096
