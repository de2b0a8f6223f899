/*
 * umbra ISA test framework: reset entry, trap handlers, failure reporter,
 * console output and the access probe used by the paging tests.
 */
#include "fw.h"

/* save / restore x1..x31 except gp (x3) at base(gp) */
.macro save_regs base
    .irp r, 1,2,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    sd x\r, (\base + 8 * \r)(gp)
    .endr
.endm
.macro restore_regs base
    .irp r, 1,2,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    ld x\r, (\base + 8 * \r)(gp)
    .endr
.endm

/* ---- reset entry ---------------------------------------------------------- */
    .section .text.init, "ax"
    .global _start
_start:
    .option push
    .option norelax
    la gp, fw_data
    .option pop
    csrr t0, mhartid
    bnez t0, fw_park
    la sp, fw_stack_top

    /* zero .bss (fw_data included) */
    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 2f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
2:
    li t0, CLINT_MTIMECMP               /* no timer interrupt pending */
    li t1, -1
    sd t1, 0(t0)
    csrw mie, zero
    csrw mideleg, zero
    csrw medeleg, zero
    csrw satp, zero
    la t0, fw_strap
    csrw stvec, t0

    /* One PMP entry granting S/U access to everything, so that lower modes
     * work on implementations with PMP.  Tolerate traps if PMP CSRs are absent. */
    la t0, 3f
    csrw mtvec, t0
    li t0, -1
    srli t0, t0, 10
    csrw pmpaddr0, t0
    li t0, 0x1f                 /* A = NAPOT, R W X */
    csrw pmpcfg0, t0
    .balign 4
3:  la t0, fw_mtrap
    csrw mtvec, t0

    li t0, MSTATUS_FS_INITIAL
    csrw mstatus, t0
    csrw fcsr, zero
    call test_main
    j fw_done

fw_park:
    wfi
    j fw_park

/* ---- end of test ---------------------------------------------------------- */
    .text
    .global fw_done
fw_done:
    ld t0, FW_FIRST(gp)
    bnez t0, 1f
    la a0, str_pass
    call fw_puts
    la a0, fw_test_name
    call fw_puts
    la a0, str_sp
    call fw_puts
    ld a0, FW_NCHK(gp)
    call fw_putdec
    la a0, str_checks
    call fw_puts
    li t0, 0x5555
    li t1, TESTDEV_BASE
    sw t0, 0(t1)
    j fw_hang
1:  la a0, str_fail
    call fw_puts
    la a0, fw_test_name
    call fw_puts
    la a0, str_sp
    call fw_puts
    ld a0, FW_NFAIL(gp)
    call fw_putdec
    la a0, str_of
    call fw_puts
    ld a0, FW_NCHK(gp)
    call fw_putdec
    la a0, str_failed
    call fw_puts
    ld a0, FW_FIRST(gp)
    j fw_exit_code

/* exit with failure code a0 (1..65535) */
fw_exit_code:
    li t0, 0xffff
    and a0, a0, t0
    bnez a0, 1f
    li a0, 0xffff
1:  slli a0, a0, 16
    li t0, 0x3333
    or a0, a0, t0
    li t1, TESTDEV_BASE
    sw a0, 0(t1)
fw_hang:
    j fw_hang

/* ---- failure reporter ------------------------------------------------------
 * Called with jal t6; FW_CUR = line, FW_EXP/FW_ACT = values.  Preserves all
 * registers except t6 (the return address, which the caller restores). */
    .global fw_fail_t
fw_fail_t:
    save_regs FW_REGS
    ld t0, FW_NFAIL(gp)
    addi t0, t0, 1
    sd t0, FW_NFAIL(gp)
    ld t0, FW_FIRST(gp)
    bnez t0, 1f
    ld t0, FW_CUR(gp)
    sd t0, FW_FIRST(gp)
1:  la a0, str_fail
    call fw_puts
    la a0, fw_test_name
    call fw_puts
    la a0, str_sp
    call fw_puts
    ld a0, FW_CUR(gp)
    call fw_putdec
    ld a0, FW_FILE(gp)
    beqz a0, 2f
    la a0, str_in
    call fw_puts
    ld a0, FW_FILE(gp)
    call fw_puts
2:  la a0, str_exp
    call fw_puts
    ld a0, FW_EXP(gp)
    call fw_puthex
    la a0, str_got
    call fw_puts
    ld a0, FW_ACT(gp)
    call fw_puthex
    la a0, str_nl
    call fw_puts
    restore_regs FW_REGS
    jr t6

/* C entry: fw_check_c(line, exp, act) */
    .global fw_check_c
fw_check_c:
    sd a3, FW_FILE(gp)
    sd a0, FW_CUR(gp)
    ld t0, FW_NCHK(gp)
    addi t0, t0, 1
    sd t0, FW_NCHK(gp)
    beq a1, a2, 1f
    sd a1, FW_EXP(gp)
    sd a2, FW_ACT(gp)
    jal t6, fw_fail_t
1:  ret

/* print "FAIL <test> <cur> unexpected trap <cause> epc tval" and exit;
 * a0 = cause, a1 = epc, a2 = tval, a3 = string naming the handler */
fw_unexpected:
    mv s2, a0
    mv s3, a1
    mv s4, a2
    mv s5, a3
    la a0, str_fail
    call fw_puts
    la a0, fw_test_name
    call fw_puts
    la a0, str_sp
    call fw_puts
    ld a0, FW_CUR(gp)
    call fw_putdec
    mv a0, s5
    call fw_puts
    mv a0, s2
    call fw_puthex
    la a0, str_epc
    call fw_puts
    mv a0, s3
    call fw_puthex
    la a0, str_tval
    call fw_puts
    mv a0, s4
    call fw_puthex
    la a0, str_nl
    call fw_puts
    ld a0, FW_CUR(gp)
    j fw_exit_code

/* ---- console (leaf routines: clobber a0-a2, t0-t2 only) --------------------- */
.macro putc_a1
    li t0, UART_BASE
    li t2, 100000
.Lpw\@:
    lbu t1, 5(t0)               /* LSR: wait for THR empty (bounded) */
    andi t1, t1, 0x20
    bnez t1, .Lpgo\@
    addi t2, t2, -1
    bnez t2, .Lpw\@
.Lpgo\@:
    sb a1, 0(t0)
.endm

    .global fw_puts
fw_puts:
1:  lbu a1, 0(a0)
    beqz a1, 2f
    putc_a1
    addi a0, a0, 1
    j 1b
2:  ret

    .global fw_puthex
fw_puthex:
    li a1, '0'
    putc_a1
    li a1, 'x'
    putc_a1
    li a2, 60
1:  srl a1, a0, a2
    andi a1, a1, 15
    addi a1, a1, '0'
    li t0, '9'
    ble a1, t0, 2f
    addi a1, a1, 'a' - '0' - 10
2:  putc_a1
    addi a2, a2, -4
    bgez a2, 1b
    ret

    .global fw_putdec
fw_putdec:                      /* up to 20 digits, built on a 24-byte area */
    addi a2, gp, FW_NUMBUF + 31
    sb zero, 0(a2)
1:  addi a2, a2, -1
    li t0, 10
    remu a1, a0, t0
    divu a0, a0, t0
    addi a1, a1, '0'
    sb a1, 0(a2)
    bnez a0, 1b
    mv a0, a2
    j fw_puts

/* ---- M-mode trap handler ---------------------------------------------------- */
    .balign 64
    .global fw_mtrap
fw_mtrap:
    save_regs FW_HREGS
    csrr t0, mcause
    bltz t0, .Lm_record
    li t1, CAUSE_ECALL_U
    beq t0, t1, .Lm_ecall
    li t1, CAUSE_ECALL_S
    beq t0, t1, .Lm_ecall
    li t1, CAUSE_ECALL_M
    bne t0, t1, .Lm_record
.Lm_ecall:
    li t1, FW_MAGIC
    bne a7, t1, .Lm_record
    /* ENTER_M: continue in M-mode at a6, with MIE = 0 */
    csrw mepc, a6
    li t1, MSTATUS_MPP
    csrs mstatus, t1
    li t1, MSTATUS_MPIE
    csrc mstatus, t1
    j .Lm_return
.Lm_record:
    sd t0, FW_CAUSE(gp)
    csrr t1, mepc
    sd t1, FW_EPC(gp)
    csrr t1, mtval
    sd t1, FW_TVAL(gp)
    csrr t1, mstatus
    sd t1, FW_STATUS(gp)
    ld t1, FW_NTRAP(gp)
    addi t1, t1, 1
    sd t1, FW_NTRAP(gp)
    andi t2, t0, 0xff
    bgez t0, 1f
    ori t2, t2, LOG_IRQ
1:  call fw_log
    ld t1, FW_HOOK(gp)
    beqz t1, 2f
    mv a0, t0
    jalr t1
    bnez a0, .Lm_return
    csrr t0, mcause
2:  bltz t0, .Lm_irq
    ld t1, FW_RESUME(gp)
    beqz t1, .Lm_unexpected
    sd zero, FW_RESUME(gp)
    csrw mepc, t1
    j .Lm_return
.Lm_irq:                        /* default: mask the interrupt and return */
    andi t0, t0, 63
    li t1, 1
    sll t1, t1, t0
    csrc mie, t1
.Lm_return:
    restore_regs FW_HREGS
    mret
.Lm_unexpected:
    la sp, fw_stack_top
    csrr a0, mcause
    csrr a1, mepc
    csrr a2, mtval
    la a3, str_unexp_m
    j fw_unexpected

/* append t2 to FW_LOG (clobbers t1, t2, t3) */
fw_log:
    ld t1, FW_LOGN(gp)
    li t3, 16
    bgeu t1, t3, 1f
    slli t3, t1, 3
    add t3, t3, gp
    sd t2, FW_LOG(t3)
    addi t1, t1, 1
    sd t1, FW_LOGN(gp)
1:  ret

/* ---- S-mode trap handler ---------------------------------------------------- */
    .balign 64
    .global fw_strap
fw_strap:
    save_regs FW_SREGS
    csrr t0, scause
    li t1, CAUSE_ECALL_U
    bne t0, t1, 1f
    li t1, FW_MAGIC
    bne a7, t1, 1f
    /* ENTER_M from U with U ecalls delegated: pass it on to M-mode with the
     * caller's registers (M continues at a6, never returning here) */
    restore_regs FW_SREGS
    ecall
1:  sd t0, FW_SCAUSE(gp)
    csrr t1, sepc
    sd t1, FW_SEPC(gp)
    csrr t1, stval
    sd t1, FW_STVAL(gp)
    csrr t1, sstatus
    sd t1, FW_SSTATUS(gp)
    ld t1, FW_NSTRAP(gp)
    addi t1, t1, 1
    sd t1, FW_NSTRAP(gp)
    andi t2, t0, 0xff
    ori t2, t2, LOG_S
    bgez t0, 1f
    ori t2, t2, LOG_IRQ
1:  call fw_log
    ld t1, FW_SHOOK(gp)
    beqz t1, 2f
    mv a0, t0
    jalr t1
    bnez a0, .Ls_return
    csrr t0, scause
2:  bltz t0, .Ls_irq
    ld t1, FW_RESUME(gp)
    beqz t1, .Ls_unexpected
    sd zero, FW_RESUME(gp)
    csrw sepc, t1
    j .Ls_return
.Ls_irq:
    andi t0, t0, 63
    li t1, 1
    sll t1, t1, t0
    csrc sie, t1
.Ls_return:
    restore_regs FW_SREGS
    sret
.Ls_unexpected:
    csrr a0, scause
    csrr a1, sepc
    csrr a2, stval
    la a3, str_unexp_s
    j fw_unexpected

/* ---- access probe (see fw.h) -----------------------------------------------
 * a0 = op, a1 = mode, a2 = va, a3 = arg.  Runs in M-mode; the access itself
 * runs in the requested mode.  U-mode code runs at its alias (FW_UALIAS). */
    .global fw_probe
fw_probe:
    addi sp, sp, -16
    sd ra, 0(sp)
    li t0, -1
    sd t0, FW_CAUSE(gp)
    sd t0, FW_TVAL(gp)
    mv a4, a0
    li a0, 0
    li t0, 3
    bgeu a1, t0, .Lpr_m
    li t2, 0
    bnez a1, 1f
    ld t2, FW_UALIAS(gp)
1:  la a5, .Lpr_after
    add a5, a5, t2
    sd a5, FW_RESUME(gp)
    la t0, .Lpr_body
    add t0, t0, t2
    csrw mepc, t0
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    slli t0, a1, 11
    csrs mstatus, t0
    mret
.Lpr_m:
    la a5, .Lpr_after
    sd a5, FW_RESUME(gp)
    li t0, 3
    beq a1, t0, .Lpr_body
    /* MPRV: MPP = mode - 4, MPRV = 1, then access from M-mode (no memory
     * access of our own from here until MPRV is cleared) */
    la a5, .Lpr_after_mprv
    sd a5, FW_RESUME(gp)
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    addi t0, a1, -4
    slli t0, t0, 11
    csrs mstatus, t0
    li t0, MSTATUS_MPRV
    csrs mstatus, t0
.Lpr_body:
    li t0, PR_LD
    beq a4, t0, .Lpr_ld
    li t0, PR_SD
    beq a4, t0, .Lpr_sd
    li t0, PR_EXEC
    beq a4, t0, .Lpr_exec
    li t0, PR_LBU
    beq a4, t0, .Lpr_lbu
    li t0, PR_SB
    beq a4, t0, .Lpr_sb
    li t0, PR_AMOADD
    beq a4, t0, .Lpr_amo
    li t0, PR_LW
    beq a4, t0, .Lpr_lw
    jr a5
.Lpr_ld:
    ld a0, 0(a2)
    jr a5
.Lpr_sd:
    sd a3, 0(a2)
    jr a5
.Lpr_exec:
    jalr ra, 0(a2)
    jr a5
.Lpr_lbu:
    lbu a0, 0(a2)
    jr a5
.Lpr_sb:
    sb a3, 0(a2)
    jr a5
.Lpr_amo:
    amoadd.d a0, a3, (a2)
    jr a5
.Lpr_lw:
    lw a0, 0(a2)
    jr a5
.Lpr_after_mprv:                /* M-mode with MPRV: clear it before ENTER_M loads */
    li t0, MSTATUS_MPRV
    csrc mstatus, t0
.Lpr_after:                     /* in the probe mode (or M) */
    ENTER_M
    sd zero, FW_RESUME(gp)
    ld ra, 0(sp)
    addi sp, sp, 16
    ret

/* ---- data ------------------------------------------------------------------- */
    .section .rodata
str_pass:    .asciz "PASS "
str_fail:    .asciz "FAIL "
str_sp:      .asciz " "
str_nl:      .asciz "\n"
str_checks:  .asciz " checks\n"
str_of:      .asciz " of "
str_failed:  .asciz " checks failed\n"
str_exp:     .asciz " exp="
str_in:      .asciz " in "
str_got:     .asciz " got="
str_epc:     .asciz " epc="
str_tval:    .asciz " tval="
str_unexp_m: .asciz " unexpected M-mode trap cause="
str_unexp_s: .asciz " unexpected S-mode trap cause="

    .section .bss
    .balign 4096
    .global fw_data
fw_data:
    .space FW_SIZE
    .balign 16
fw_stack:
    .space 16384
    .global fw_stack_top
fw_stack_top:
