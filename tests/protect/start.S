/*
 * start.S - entry, trap vector, user-program switch and kernel probes of the
 * protection test kernels (see kern.h).
 *
 * While a user program runs, sscratch holds &uc (struct uctx); while the
 * kernel runs, sscratch is 0.  A trap from S-mode goes to s_trap() (kern.c),
 * which returns the pc to resume at (the fixup of a kprobe).
 */
#define UC_PC (32 * 8)
#define UC_CAUSE (33 * 8)
#define UC_TVAL (34 * 8)
#define UC_K (35 * 8)

	.section .text.init, "ax"
	.globl _start
_start:
	la	sp, kstack_top
	csrw	sscratch, zero
	la	t0, trap_entry
	csrw	stvec, t0
	csrw	sie, zero
	li	t0, 2
	csrc	sstatus, t0		/* SIE = 0 */
	li	t0, (1 << 13) | (1 << 18)
	csrs	sstatus, t0		/* FS = Initial, SUM: the kernel reads the user region */
	li	t0, 7
	csrw	scounteren, t0		/* user programs may read time */
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	la	t0, __ubss_start
	la	t1, __ubss_end
3:	bgeu	t0, t1, 4f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	3b
4:	call	kstart
5:	j	5b

	.text
	.align	2
trap_entry:
	csrrw	sp, sscratch, sp
	bnez	sp, from_user
	csrrw	sp, sscratch, sp	/* from S: sp back, sscratch = 0 */
	addi	sp, sp, -256
	sd	ra, 8(sp)
	sd	gp, 24(sp)
	sd	tp, 32(sp)
	sd	t0, 40(sp)
	sd	t1, 48(sp)
	sd	t2, 56(sp)
	sd	s0, 64(sp)
	sd	s1, 72(sp)
	sd	a0, 80(sp)
	sd	a1, 88(sp)
	sd	a2, 96(sp)
	sd	a3, 104(sp)
	sd	a4, 112(sp)
	sd	a5, 120(sp)
	sd	a6, 128(sp)
	sd	a7, 136(sp)
	sd	t3, 216(sp)
	sd	t4, 224(sp)
	sd	t5, 232(sp)
	sd	t6, 240(sp)
	csrr	a0, scause
	csrr	a1, stval
	csrr	a2, sepc
	call	s_trap
	csrw	sepc, a0
	ld	ra, 8(sp)
	ld	gp, 24(sp)
	ld	tp, 32(sp)
	ld	t0, 40(sp)
	ld	t1, 48(sp)
	ld	t2, 56(sp)
	ld	s0, 64(sp)
	ld	s1, 72(sp)
	ld	a0, 80(sp)
	ld	a1, 88(sp)
	ld	a2, 96(sp)
	ld	a3, 104(sp)
	ld	a4, 112(sp)
	ld	a5, 120(sp)
	ld	a6, 128(sp)
	ld	a7, 136(sp)
	ld	t3, 216(sp)
	ld	t4, 224(sp)
	ld	t5, 232(sp)
	ld	t6, 240(sp)
	addi	sp, sp, 256
	sret

from_user:				/* sp = &uc, sscratch = the user sp */
	sd	x1, 8(sp)
	sd	x3, 24(sp)
	sd	x4, 32(sp)
	sd	x5, 40(sp)
	sd	x6, 48(sp)
	sd	x7, 56(sp)
	sd	x8, 64(sp)
	sd	x9, 72(sp)
	sd	x10, 80(sp)
	sd	x11, 88(sp)
	sd	x12, 96(sp)
	sd	x13, 104(sp)
	sd	x14, 112(sp)
	sd	x15, 120(sp)
	sd	x16, 128(sp)
	sd	x17, 136(sp)
	sd	x18, 144(sp)
	sd	x19, 152(sp)
	sd	x20, 160(sp)
	sd	x21, 168(sp)
	sd	x22, 176(sp)
	sd	x23, 184(sp)
	sd	x24, 192(sp)
	sd	x25, 200(sp)
	sd	x26, 208(sp)
	sd	x27, 216(sp)
	sd	x28, 224(sp)
	sd	x29, 232(sp)
	sd	x30, 240(sp)
	sd	x31, 248(sp)
	csrr	t0, sscratch
	sd	t0, 16(sp)
	csrr	t0, sepc
	sd	t0, UC_PC(sp)
	csrr	t0, scause
	sd	t0, UC_CAUSE(sp)
	csrr	t0, stval
	sd	t0, UC_TVAL(sp)
	csrw	sscratch, zero
	mv	t0, sp
	ld	sp, UC_K + 0(t0)
	ld	ra, UC_K + 8(t0)
	ld	s0, UC_K + 16(t0)
	ld	s1, UC_K + 24(t0)
	ld	s2, UC_K + 32(t0)
	ld	s3, UC_K + 40(t0)
	ld	s4, UC_K + 48(t0)
	ld	s5, UC_K + 56(t0)
	ld	s6, UC_K + 64(t0)
	ld	s7, UC_K + 72(t0)
	ld	s8, UC_K + 80(t0)
	ld	s9, UC_K + 88(t0)
	ld	s10, UC_K + 96(t0)
	ld	s11, UC_K + 104(t0)
	ld	gp, UC_K + 112(t0)
	ld	tp, UC_K + 120(t0)
	ld	a0, UC_CAUSE(t0)
	ret				/* from urun_enter */

/* uint64_t urun_enter(struct uctx *c): runs c until it traps; returns scause */
	.globl	urun_enter
urun_enter:
	sd	sp, UC_K + 0(a0)
	sd	ra, UC_K + 8(a0)
	sd	s0, UC_K + 16(a0)
	sd	s1, UC_K + 24(a0)
	sd	s2, UC_K + 32(a0)
	sd	s3, UC_K + 40(a0)
	sd	s4, UC_K + 48(a0)
	sd	s5, UC_K + 56(a0)
	sd	s6, UC_K + 64(a0)
	sd	s7, UC_K + 72(a0)
	sd	s8, UC_K + 80(a0)
	sd	s9, UC_K + 88(a0)
	sd	s10, UC_K + 96(a0)
	sd	s11, UC_K + 104(a0)
	sd	gp, UC_K + 112(a0)
	sd	tp, UC_K + 120(a0)
	ld	t0, UC_PC(a0)
	csrw	sepc, t0
	li	t0, (1 << 8) | (1 << 5)
	csrc	sstatus, t0		/* SPP = U, SPIE = 0 */
	csrw	sscratch, a0
	ld	x1, 8(a0)
	ld	x2, 16(a0)
	ld	x3, 24(a0)
	ld	x4, 32(a0)
	ld	x5, 40(a0)
	ld	x6, 48(a0)
	ld	x7, 56(a0)
	ld	x8, 64(a0)
	ld	x9, 72(a0)
	ld	x11, 88(a0)
	ld	x12, 96(a0)
	ld	x13, 104(a0)
	ld	x14, 112(a0)
	ld	x15, 120(a0)
	ld	x16, 128(a0)
	ld	x17, 136(a0)
	ld	x18, 144(a0)
	ld	x19, 152(a0)
	ld	x20, 160(a0)
	ld	x21, 168(a0)
	ld	x22, 176(a0)
	ld	x23, 184(a0)
	ld	x24, 192(a0)
	ld	x25, 200(a0)
	ld	x26, 208(a0)
	ld	x27, 216(a0)
	ld	x28, 224(a0)
	ld	x29, 232(a0)
	ld	x30, 240(a0)
	ld	x31, 248(a0)
	ld	x10, 80(a0)
	sret

/*
 * Kernel probes: one access that may fault.  fix_pc tells s_trap where to
 * resume; a faulting access leaves a0 = PROBE_SENTINEL and s_cause/s_tval set.
 *   k_ld(addr) k_sd(addr, val) k_amo(addr, val) k_exec(addr)
 */
#define SENTINEL 0x5e5e5e5e5e5e5e5e
	.globl	k_ld, k_sd, k_amo, k_exec
k_ld:
	la	t0, 1f
	sd	t0, fix_pc, t1
	mv	t2, a0
	li	a0, SENTINEL
	ld	a0, 0(t2)
1:	sd	zero, fix_pc, t1
	ret
k_sd:
	la	t0, 1f
	sd	t0, fix_pc, t1
	sd	a1, 0(a0)
1:	sd	zero, fix_pc, t1
	ret
k_amo:
	la	t0, 1f
	sd	t0, fix_pc, t1
	mv	t2, a0
	li	a0, SENTINEL
	amoadd.d a0, a1, (t2)
1:	sd	zero, fix_pc, t1
	ret
k_exec:
	addi	sp, sp, -16
	sd	ra, 0(sp)
	la	t0, 1f
	sd	t0, fix_pc, t1
	mv	t2, a0
	li	a0, SENTINEL
	jalr	ra, 0(t2)
1:	sd	zero, fix_pc, t1
	ld	ra, 0(sp)
	addi	sp, sp, 16
	ret

	.bss
	.align	12
kstack:
	.space	65536
	.globl	kstack_top
kstack_top:
