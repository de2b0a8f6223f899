/*
 * start.S - entry, trap vector and probes of umbra's bare-metal S-mode
 * guests (built-in SBI); main(hart id, device tree) runs on its stack.
 *
 * A trap goes to s_trap(cause, tval, epc) (runtime.c), which returns the pc
 * to resume at.  A probe stores where to resume in fix_pc before the access
 * that may fault; s_trap then records the cause and resumes there.
 */
	.section .text.init, "ax"
	.globl	_start
_start:
	la	sp, stack_top
	la	t0, trap_entry
	csrw	stvec, t0
	csrw	sie, zero
	li	t0, 2
	csrc	sstatus, t0		/* SIE = 0 */
	li	t0, 1 << 13
	csrs	sstatus, t0		/* FS = Initial */
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	call	main
3:	j	3b

	.text
	.align	2
trap_entry:
	addi	sp, sp, -144
	sd	ra, 0(sp)
	sd	t0, 8(sp)
	sd	t1, 16(sp)
	sd	t2, 24(sp)
	sd	a0, 32(sp)
	sd	a1, 40(sp)
	sd	a2, 48(sp)
	sd	a3, 56(sp)
	sd	a4, 64(sp)
	sd	a5, 72(sp)
	sd	a6, 80(sp)
	sd	a7, 88(sp)
	sd	t3, 96(sp)
	sd	t4, 104(sp)
	sd	t5, 112(sp)
	sd	t6, 120(sp)
	csrr	a0, scause
	csrr	a1, stval
	csrr	a2, sepc
	call	s_trap
	csrw	sepc, a0
	ld	ra, 0(sp)
	ld	t0, 8(sp)
	ld	t1, 16(sp)
	ld	t2, 24(sp)
	ld	a0, 32(sp)
	ld	a1, 40(sp)
	ld	a2, 48(sp)
	ld	a3, 56(sp)
	ld	a4, 64(sp)
	ld	a5, 72(sp)
	ld	a6, 80(sp)
	ld	a7, 88(sp)
	ld	t3, 96(sp)
	ld	t4, 104(sp)
	ld	t5, 112(sp)
	ld	t6, 120(sp)
	addi	sp, sp, 144
	sret

/* uint64_t probe_ld(uint64_t addr): one load that may fault (then probe_trapped is set). */
	.globl	probe_ld
probe_ld:
	la	t0, 1f
	sd	t0, fix_pc, t1
	ld	a0, 0(a0)
1:	sd	zero, fix_pc, t1
	ret

/* uint64_t probe_call(uint64_t (*fn)(void)): a call that may fault. */
	.globl	probe_call
probe_call:
	addi	sp, sp, -16
	sd	ra, 0(sp)
	la	t0, 1f
	sd	t0, fix_pc, t1
	jalr	ra, 0(a0)
1:	sd	zero, fix_pc, t1
	ld	ra, 0(sp)
	addi	sp, sp, 16
	ret

/*
 * The page the hostile guest plants the balloon token in and gives away
 * while it holds code: its first 8 bytes are the token's place, then a
 * function that returns 42.
 */
	.section .victimtext, "ax"
	.balign	4096
	.globl	victim_code_page, victim_fn
victim_code_page:
	.dword	0
victim_fn:
	li	a0, 42
	ret
	.balign	4096

	.bss
	.balign	4096
	.space	65536
	.globl	stack_top
stack_top:
