/*
 * user.S - the user programs of the cloaking attack kernel (kern.c).
 *
 * .cloak_text  the cloaked program: position independent, linked into the
 *              kernel image and copied by the kernel to U_CODE.  It cloaks
 *              itself and its data pages, then runs the attack scenario
 *              step by step: each step is a system call the kernel attacks
 *              during, followed by the program's own checks (SYS_CHECK_*).
 *              Around every system call it loads every register with a
 *              known pattern (s1 and fs0 hold secrets) and afterwards
 *              compares every register with it (verify): the kernel changes
 *              them all before resuming.
 * .tramp       the uncloaked trampoline page: the trampoline and the stubs
 *              the kernel runs as other user code in the same address space.
 * .spy2_text   another program that cloaks an alias of A's frame in a
 *              domain of its own.
 */
#include "abi.h"

#define SPIN_MAX 30000000

/* x registers the program loads and checks: all but x0 and gp (x3). */
#define XREGS 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
#define FREGS 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31

/* Offsets in D (gp = U_D) of the return address of do_syscall/spin_wait. */
#define D_RET (D_STASH + 8)

	.macro LOADREGS
	.irp r, XREGS
	ld	x\r, D_EXP + 8 * \r(gp)
	.endr
	.endm

	.macro DUMPREGS
	.irp r, XREGS
	sd	x\r, D_DUMP + 8 * \r(gp)
	.endr
	.irp r, FREGS
	fsd	f\r, D_FDUMP + 8 * \r(gp)
	.endr
	frcsr	t0
	sd	t0, D_FCSR_DUMP(gp)
	.endm

	/* A system call with every register in its pattern; a0 = the result. */
	.macro SYSCALL num, arg=0
	li	t0, \num
	sd	t0, D_EXP + 8 * 17(gp)
	li	t0, \arg
	sd	t0, D_EXP + 8 * 10(gp)
	jal	ra, do_syscall
	ld	a0, D_DUMP + 8 * 10(gp)
	.endm

	/* Report a check: the kernel prints it (got in reg; reg is read first). */
	.macro CHECK_EQ id, reg, exp
	mv	a1, \reg
	li	a2, \exp
	li	a0, \id
	li	a7, SYS_CHECK_EQ
	ecall
	.endm
	.macro CHECK_NE id, reg, exp
	mv	a1, \reg
	li	a2, \exp
	li	a0, \id
	li	a7, SYS_CHECK_NE
	ecall
	.endm

	/* t4 = the 64-bit word at user address addr + off */
	.macro PEEK addr, off
	li	t3, \addr
	ld	t4, \off(t3)
	.endm

/* ---- the cloaked program ------------------------------------------------ */
	.section .cloak_text, "ax"
	.globl	cloak_image
cloak_image:
	/* CLOAK_CREATE(0, U_CODE, U_CODE_PAGES, U_TRAMP, U_TSP) */
	li	a0, 0
	li	a1, U_CODE
	li	a2, U_CODE_PAGES
	li	a3, U_TRAMP
	li	a4, U_TSP
	li	a6, FN_CREATE
	li	a7, EID
	ecall
	mv	s2, a0
	mv	s3, a1
	/* CLOAK_PAGES(U_A, A B C D) */
	li	a0, U_A
	li	a1, U_DATA_PAGES
	li	a6, FN_PAGES
	li	a7, EID
	ecall
	mv	a2, a0
	mv	a3, a1
	mv	a0, s2
	mv	a1, s3
	li	a7, SYS_CREATED
	ecall

	/* A and B: their secret strings; C: two page-table lookalikes. */
	li	t0, U_A
	li	t1, U_B
	li	t2, 256
	li	t3, SA0
	li	t4, SA1
	li	t5, SB0
	li	t6, SB1
1:	sd	t3, 0(t0)
	sd	t4, 8(t0)
	sd	t5, 0(t1)
	sd	t6, 8(t1)
	addi	t0, t0, 16
	addi	t1, t1, 16
	addi	t2, t2, -1
	bnez	t2, 1b
	li	t0, U_C
	li	t1, PTE_LOOK_AD
	sd	t1, 0(t0)
	li	t1, PTE_LOOK_NOA
	sd	t1, 8(t0)

	/* D: the register patterns; s1 and fs0 hold the secrets. */
	li	gp, U_D
	li	t0, PAT_BASE
	li	t1, FPAT_BASE
	li	t2, 0x10001
	li	t3, 0
	mv	t4, gp
2:	sd	t0, D_EXP(t4)
	sd	t1, D_FEXP(t4)
	add	t0, t0, t2
	add	t1, t1, t2
	addi	t4, t4, 8
	addi	t3, t3, 1
	li	t5, 32
	bltu	t3, t5, 2b
	sd	zero, D_EXP(gp)
	sd	gp, D_EXP + 8 * 3(gp)
	li	t0, SECRET_X
	sd	t0, D_EXP + 8 * 9(gp)
	li	t0, SECRET_F
	sd	t0, D_FEXP + 8 * 8(gp)
	li	t0, FCSR_PROG
	sd	t0, D_FCSR_EXP(gp)
	.irp r, FREGS
	fld	f\r, D_FEXP + 8 * \r(gp)
	.endr
	fscsr	t0

	/* 1, 2: the kernel reads the cloaked pages and the scrubbed registers. */
	SYSCALL	SYS_PEEK, 0x11
	CHECK_EQ CK_PEEK_RESULT, a0, 0x600d
	/* 2: an interrupt while the program runs. */
	SYSCALL	SYS_TIMER
	jal	ra, spin_wait
	ld	t3, D_STASH(gp)
	CHECK_EQ CK_TIMER_FLAG, t3, 1
	/* read-only re-sealing: the kernel compares two seals of unchanged A */
	SYSCALL	SYS_RO1
	PEEK	U_A, 0
	SYSCALL	SYS_RO2
	/* 3: a flipped bit in A, then in the code */
	SYSCALL	SYS_FLIP
	PEEK	U_A, 0
	CHECK_EQ CK_FLIP_DATA, t4, SA0
	SYSCALL	SYS_FLIP_DONE
	SYSCALL	SYS_FLIP_CODE
	li	t4, 1
	CHECK_EQ CK_FLIP_CODE, t4, 1
	SYSCALL	SYS_FLIP_CODE_DONE
	/* 4: A and B swapped */
	SYSCALL	SYS_SWAP
	PEEK	U_A, 0
	CHECK_EQ CK_SWAP_A, t4, SA0
	PEEK	U_B, 8
	CHECK_EQ CK_SWAP_B, t4, SB1
	SYSCALL	SYS_SWAP_DONE
	/* 5: replay of A's older version */
	SYSCALL	SYS_REPLAY_SAVE
	li	t3, U_A
	li	t4, NEWVAL
	sd	t4, 64(t3)
	SYSCALL	SYS_REPLAY
	PEEK	U_A, 64
	CHECK_EQ CK_REPLAY_NEW, t4, NEWVAL
	SYSCALL	SYS_REPLAY_DONE
	/* 6: other views of A's frame (A plaintext in its frame each time) */
	PEEK	U_A, 0
	SYSCALL	SYS_SPY
	PEEK	U_A, 0
	SYSCALL	SYS_ALIAS
	PEEK	U_ALIAS, 0
	CHECK_NE CK_ALIAS_0, t4, SA0
	PEEK	U_ALIAS, 8
	CHECK_NE CK_ALIAS_1, t4, SA1
	PEEK	U_A, 0
	CHECK_EQ CK_ALIAS_A, t4, SA0
	SYSCALL	SYS_ALIAS_DONE
	SYSCALL	SYS_SPY2
	PEEK	U_A, 0
	CHECK_EQ CK_AFTER_SPY2, t4, SA0
	/* 7: forged resumes; the program's own attempts */
	SYSCALL	SYS_FORGE
	CHECK_EQ CK_FORGE_RESULT, a0, 0xf0f0
	li	a0, 0
	li	a1, 0x77
	li	a6, FN_RESUME
	li	a7, EID
	ecall
	mv	t3, a0
	CHECK_EQ CK_RESUME_INSIDE, t3, ERR_DENIED
	li	a0, 0
	li	a1, U_CODE
	li	a2, U_CODE_PAGES
	li	a3, U_TRAMP
	li	a4, U_TSP
	li	a6, FN_CREATE
	li	a7, EID
	ecall
	mv	t3, a0
	CHECK_EQ CK_CREATE_AGAIN, t3, ERR_DENIED
	SYSCALL	SYS_DOUBLE
	jal	ra, spin_wait
	ld	t3, D_STASH(gp)
	CHECK_EQ CK_DOUBLE_FLAG, t3, 2
	SYSCALL	SYS_DOUBLE_DONE
	/* 8: A moved to another frame */
	SYSCALL	SYS_MOVE
	PEEK	U_A, 0
	CHECK_EQ CK_MOVE_A, t4, SA0
	li	t3, U_A
	li	t4, MOVEVAL
	sd	t4, 72(t3)
	ld	t5, 72(t3)
	CHECK_EQ CK_MOVE_WRITE, t5, MOVEVAL
	SYSCALL	SYS_MOVE_DONE
	/* 9: the firmware console and the disk */
	PEEK	U_A, 0
	SYSCALL	SYS_DBCN
	PEEK	U_A, 0
	SYSCALL	SYS_DMA
	PEEK	U_A, 0
	CHECK_EQ CK_DMA_A, t4, SA0
	SYSCALL	SYS_DMA2
	PEEK	U_A, 0
	CHECK_EQ CK_DMA_TAMPER_A, t4, SA0
	SYSCALL	SYS_DMA_DONE
	/* 11: FP switched off behind the program's back */
	SYSCALL	SYS_FSOFF
	fmv.x.d	t3, fs0
	CHECK_EQ CK_FSOFF_F, t3, SECRET_F
	/* 10: a page-table walk through C's frame (C plaintext there) */
	PEEK	U_C, 0
	SYSCALL	SYS_WALK
	PEEK	U_C, 0
	CHECK_EQ CK_WALK_C0, t4, PTE_LOOK_AD
	PEEK	U_C, 8
	CHECK_EQ CK_WALK_C1, t4, PTE_LOOK_NOA
	SYSCALL	SYS_END
3:	j	3b

/* The system call of SYSCALL: every register loaded, dumped, compared. */
do_syscall:
	sd	ra, D_RET(gp)
	LOADREGS
	ecall
	DUMPREGS
	li	t0, 1
	jal	ra, verify
	ld	ra, D_RET(gp)
	ret

/* Announces that it runs (U_RUNNING), spins until the kernel sets U_FLAG
 * (D_STASH = the flag, 0 on timeout) with every register in its pattern,
 * then compares every register. */
spin_wait:
	sd	ra, D_RET(gp)
	LOADREGS
	li	t4, U_RUNNING
	li	t5, 1
	sd	t5, 0(t4)
	li	t4, U_FLAG
	li	t5, SPIN_MAX
1:	ld	t6, 0(t4)
	bnez	t6, 2f
	addi	t5, t5, -1
	bnez	t5, 1b
2:	sd	t6, D_STASH(gp)
	ld	t4, D_EXP + 8 * 29(gp)
	ld	t5, D_EXP + 8 * 30(gp)
	ld	t6, D_EXP + 8 * 31(gp)
	DUMPREGS
	li	t0, 0
	jal	ra, verify
	ld	ra, D_RET(gp)
	ret

/* Compares the dump with the patterns; t0 = 1: x10 is a result, skip it.
 * Reports every mismatch (SYS_MISMATCH) and the count (SYS_VERIFIED). */
verify:
	mv	s0, ra
	mv	s4, t0
	li	s2, 0
	li	s3, 1
1:	li	t1, 3
	beq	s3, t1, 3f
	li	t1, 10
	bne	s3, t1, 2f
	bnez	s4, 3f
2:	slli	t1, s3, 3
	add	t1, t1, gp
	ld	a1, D_DUMP(t1)
	ld	a2, D_EXP(t1)
	beq	a1, a2, 3f
	addi	s2, s2, 1
	mv	a0, s3
	li	a7, SYS_MISMATCH
	ecall
3:	addi	s3, s3, 1
	li	t1, 32
	bltu	s3, t1, 1b
	li	s3, 0
4:	slli	t1, s3, 3
	add	t1, t1, gp
	ld	a1, D_FDUMP(t1)
	ld	a2, D_FEXP(t1)
	beq	a1, a2, 5f
	addi	s2, s2, 1
	addi	a0, s3, 32
	li	a7, SYS_MISMATCH
	ecall
5:	addi	s3, s3, 1
	li	t1, 32
	bltu	s3, t1, 4b
	ld	a1, D_FCSR_DUMP(gp)
	ld	a2, D_FCSR_EXP(gp)
	beq	a1, a2, 6f
	addi	s2, s2, 1
	li	a0, 64
	li	a7, SYS_MISMATCH
	ecall
6:	mv	a0, s2
	li	a7, SYS_VERIFIED
	ecall
	mv	ra, s0
	ret
	.globl	cloak_image_end
cloak_image_end:

/* ---- the trampoline page (uncloaked) ------------------------------------- */
	.section .tramp, "ax"
	.globl	tramp_page
tramp_page:
	mv	a1, a0
	mv	a0, t0
	li	a6, FN_RESUME
	li	a7, EID
	ecall
	li	a7, SYS_RESUME_FAILED		/* a0 = the error */
	.globl	tramp_fail_ecall
tramp_fail_ecall:
	ecall
	j	tramp_page

/* Another user program in the same (or another) address space: one
 * hypercall with the registers the kernel chose, then SYS_HC_DONE. */
	.globl	hcall_stub
hcall_stub:
	ecall
	li	a7, SYS_HC_DONE
	ecall
	j	hcall_stub

/* A user program reading two words at a2: SYS_SPY_REPORT(a0, a1). */
	.globl	ld_stub
ld_stub:
	ld	a0, 0(a2)
	ld	a1, 8(a2)
	li	a7, SYS_SPY_REPORT
	ecall
	j	ld_stub

/* ---- the second cloaked program (a spy with a domain of its own) ---------- */
	.section .spy2_text, "ax"
	.globl	spy2_image
spy2_image:
	/* CLOAK_CREATE(0, U_CODE, 2: its code and the alias of A's frame) */
	li	a0, 0
	li	a1, U_CODE
	li	a2, 2
	li	a3, U_TRAMP
	li	a4, U_TSP
	li	a6, FN_CREATE
	li	a7, EID
	ecall
	mv	s2, a0
	li	t0, SPY_ALIAS
	ld	s3, 0(t0)
	ld	s4, 8(t0)
	/* give the frame back before the kernel gets control */
	li	a0, SPY_ALIAS
	li	a1, 1
	li	a6, FN_UNCLOAK
	li	a7, EID
	ecall
	mv	a3, a0
	mv	a0, s2
	mv	a1, s3
	mv	a2, s4
	li	a7, SYS_SPY_REPORT
	ecall
1:	j	1b
	.globl	spy2_image_end
spy2_image_end:
