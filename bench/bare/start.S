/* umbra bench, bare metal: entry in M-mode at 0x80000000 (a0 = hart id, a1 = DTB). */
    .section .text.start, "ax"
    .globl _start
_start:
    csrw    mie, zero
    bnez    a0, park                /* only hart 0 runs the benchmark */
    la      sp, __stack_top
    la      t0, trap_entry
    csrw    mtvec, t0
    li      t0, (1 << 13)           /* mstatus.FS = initial: FP usable if the compiler wants it */
    csrs    mstatus, t0
    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:  call    bench_main              /* does not return */
park:
    wfi
    j       park

/* Any trap (M- or S-mode; nothing is delegated) ends the run with a report. */
    .text
    .balign 4
    .globl trap_entry
trap_entry:
    la      sp, __stack_top
    csrr    a0, mcause
    csrr    a1, mepc
    csrr    a2, mtval
    csrr    a3, mstatus
    call    bench_trap
1:  j       1b

/* enter_smode(fn, satp): satp, sfence, mret to fn in S-mode with the current stack. */
    .globl enter_smode
enter_smode:
    csrw    satp, a1
    sfence.vma
    csrw    mepc, a0
    li      t0, (3 << 11)
    csrc    mstatus, t0
    li      t0, (1 << 11)           /* MPP = S */
    csrs    mstatus, t0
    mv      ra, zero
    mret
