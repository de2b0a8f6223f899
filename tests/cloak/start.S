/*
 * start.S - entry points, the trap vector and the switch to user mode of
 * the cloaking attack kernel (kern.c).
 *
 * run_user(frame) enters U-mode with every register (x, f, fcsr), sepc and
 * satp from the frame and returns scause when the user code traps, with
 * the frame updated.  While user code runs sscratch holds the frame; while
 * the kernel runs it holds 0, so a trap from S-mode is told apart: those
 * are only expected from kprobe_ld(), whose fault resumes at fix_pc.
 */
#define F_FCSR 512
#define F_SEPC 520
#define F_SCAUSE 528
#define F_STVAL 536
#define F_SATP 544
#define F_FSOFF 552
#define F_K 560
#define SSTATUS_SPIE (1 << 5)
#define SSTATUS_SPP (1 << 8)
#define SSTATUS_FS (3 << 13)
#define SSTATUS_SUM (1 << 18)
#define SENTINEL 0x5e5e5e5e5e5e5e5e

#define XREGS 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
#define FREGS 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31

	.macro SETUP_HART stack
	la	sp, \stack
	csrw	sscratch, zero
	la	t0, trap_entry
	csrw	stvec, t0
	csrw	sie, zero
	li	t0, 2
	csrc	sstatus, t0			/* SIE = 0 */
	li	t0, SSTATUS_FS | SSTATUS_SUM
	csrs	sstatus, t0
	.endm

	.section .text.init, "ax"
	.globl	_start
_start:
	SETUP_HART stack0_top
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	call	kmain
3:	j	3b

	.globl	hart1_entry
hart1_entry:
	SETUP_HART stack1_top
	call	hart1_main
4:	j	4b

	.text
	.balign	4
trap_entry:
	csrrw	sp, sscratch, sp
	beqz	sp, from_kernel
	.irp r, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	sd	x\r, 8 * \r(sp)
	.endr
	csrr	t0, sscratch
	sd	t0, 16(sp)
	csrw	sscratch, zero
	li	t0, SSTATUS_FS
	csrs	sstatus, t0			/* the user may have run with FS = Off */
	frcsr	t0
	sd	t0, F_FCSR(sp)
	.irp r, FREGS
	fsd	f\r, 256 + 8 * \r(sp)
	.endr
	csrr	t0, sepc
	sd	t0, F_SEPC(sp)
	csrr	t0, scause
	sd	t0, F_SCAUSE(sp)
	csrr	t0, stval
	sd	t0, F_STVAL(sp)
	mv	a0, sp
	ld	sp, F_K(a0)
	ld	x1, F_K + 8(a0)
	ld	x3, F_K + 16(a0)
	ld	x4, F_K + 24(a0)
	ld	x8, F_K + 32(a0)
	ld	x9, F_K + 40(a0)
	.irp r, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27
	ld	x\r, F_K + 48 + 8 * (\r - 18)(a0)
	.endr
	ld	a0, F_SCAUSE(a0)
	ret

from_kernel:
	csrrw	sp, sscratch, sp		/* sp back, sscratch = 0 */
	addi	sp, sp, -16
	sd	t0, 0(sp)
	sd	t1, 8(sp)
	la	t0, fix_pc
	ld	t1, 0(t0)
	beqz	t1, fatal
	csrw	sepc, t1
	sd	zero, 0(t0)
	csrr	t1, scause
	la	t0, probe_cause
	sd	t1, 0(t0)
	ld	t0, 0(sp)
	ld	t1, 8(sp)
	addi	sp, sp, 16
	sret
fatal:
	csrr	a0, scause
	csrr	a1, sepc
	csrr	a2, stval
	call	kernel_fatal
5:	j	5b

/* uint64_t run_user(struct frame *f) */
	.globl	run_user
run_user:
	sd	sp, F_K(a0)
	sd	x1, F_K + 8(a0)
	sd	x3, F_K + 16(a0)
	sd	x4, F_K + 24(a0)
	sd	x8, F_K + 32(a0)
	sd	x9, F_K + 40(a0)
	.irp r, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27
	sd	x\r, F_K + 48 + 8 * (\r - 18)(a0)
	.endr
	ld	t0, F_SATP(a0)
	csrw	satp, t0
	sfence.vma
	ld	t0, F_SEPC(a0)
	csrw	sepc, t0
	li	t0, SSTATUS_SPP | SSTATUS_SPIE
	csrc	sstatus, t0			/* to U-mode */
	li	t0, SSTATUS_FS
	csrs	sstatus, t0
	ld	t0, F_FCSR(a0)
	fscsr	t0
	.irp r, FREGS
	fld	f\r, 256 + 8 * \r(a0)
	.endr
	ld	t0, F_FSOFF(a0)
	beqz	t0, 1f
	li	t0, SSTATUS_FS
	csrc	sstatus, t0
1:	csrw	sscratch, a0
	.irp r, XREGS
	ld	x\r, 8 * \r(a0)
	.endr
	ld	a0, 80(a0)
	sret

/* uint64_t kprobe_ld(uint64_t addr): the word, or SENTINEL with probe_cause set */
	.globl	kprobe_ld
kprobe_ld:
	la	t0, 1f
	la	t1, fix_pc
	sd	t0, 0(t1)
	la	t1, probe_cause
	sd	zero, 0(t1)
	mv	t2, a0
	li	a0, SENTINEL
	ld	a0, 0(t2)
1:	la	t1, fix_pc
	sd	zero, 0(t1)
	ret

	.bss
	.balign	8
fix_pc:
	.space	8
	.globl	probe_cause
probe_cause:
	.space	8
	.balign	4096
	.space	65536
stack0_top:
	.space	16384
stack1_top:
