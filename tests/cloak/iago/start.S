/*
 * start.S - entry, trap vector and the switch to user mode of the lying
 * kernel (kern.c).  The kernel runs with translation off (satp = Bare): it
 * reaches RAM and the devices at their physical addresses.  Each user
 * address space maps RAM S-only at the same addresses (kern.c), so the
 * trap vector is reachable while the user's satp is live; the vector
 * switches to Bare before any C code runs.
 *
 * run_user(frame) enters U-mode with x1-x31, sepc and satp from the frame
 * and returns scause when the user traps, the frame updated.  While user
 * code runs sscratch holds the frame; while the kernel runs it holds 0, and
 * a trap then is fatal.
 */
#define F_SEPC 256
#define F_SCAUSE 264
#define F_STVAL 272
#define F_SATP 280
#define F_K 288
#define SSTATUS_SIE (1 << 1)
#define SSTATUS_SPIE (1 << 5)
#define SSTATUS_SPP (1 << 8)
#define SSTATUS_FS_INITIAL (1 << 13)

/* Registers of the kernel kept across run_user: sp, ra, gp, tp, s0-s11. */
#define KREGS 2, 1, 3, 4, 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27

	.section .text.init, "ax"
	.globl	_start
_start:
	la	sp, kstack_top
	csrw	sscratch, zero
	csrw	satp, zero
	la	t0, trap_entry
	csrw	stvec, t0
	csrw	sie, zero
	li	t0, SSTATUS_SIE
	csrc	sstatus, t0
	li	t0, SSTATUS_FS_INITIAL		/* the user program may use the FPU */
	csrs	sstatus, t0
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	call	kmain				/* a0 = hart id, a1 = device tree */
3:	wfi
	j	3b

	.text
	.balign	4
trap_entry:
	csrrw	sp, sscratch, sp
	beqz	sp, from_kernel
	.irp r, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	sd	x\r, 8 * \r(sp)
	.endr
	csrr	t0, sscratch
	sd	t0, 16(sp)			/* the user's sp */
	csrw	sscratch, zero
	csrw	satp, zero
	sfence.vma
	csrr	t0, sepc
	sd	t0, F_SEPC(sp)
	csrr	t0, scause
	sd	t0, F_SCAUSE(sp)
	csrr	t0, stval
	sd	t0, F_STVAL(sp)
	mv	a0, sp
	.set	i, 0
	.irp r, KREGS
	ld	x\r, F_K + 8 * i(a0)
	.set	i, i + 1
	.endr
	ld	a0, F_SCAUSE(a0)
	ret

from_kernel:
	csrrw	sp, sscratch, sp		/* sp back, sscratch = 0 */
	csrr	a0, scause
	csrr	a1, sepc
	csrr	a2, stval
	call	kernel_fatal
4:	wfi
	j	4b

/* uint64_t run_user(struct frame *f) */
	.globl	run_user
run_user:
	.set	i, 0
	.irp r, KREGS
	sd	x\r, F_K + 8 * i(a0)
	.set	i, i + 1
	.endr
	ld	t0, F_SEPC(a0)
	csrw	sepc, t0
	li	t0, SSTATUS_SPP
	csrc	sstatus, t0			/* return to U-mode */
	li	t0, SSTATUS_SPIE
	csrc	sstatus, t0			/* with interrupts off */
	csrw	sscratch, a0
	ld	t0, F_SATP(a0)
	csrw	satp, t0
	sfence.vma
	.irp r, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	ld	x\r, 8 * \r(a0)
	.endr
	ld	a0, 80(a0)
	sret

	.bss
	.balign	4096
	.space	32768
kstack_top:
