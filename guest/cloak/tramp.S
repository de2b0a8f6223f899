/*
 * tramp.S - the public half of the cloaking shim: the entry point and the
 * trampoline.  Every trap out of the cloaked program lands here (umbra sets
 * the kernel's return address to umbra_trampoline, or to the slot before
 * it for a system call, which the kernel steps over) with t0 = the thread
 * context and a0 = the system call's result; CLOAK_RESUME goes back in.
 */
	.section .public_text, "ax"
	.option push
	.option norvc			/* a 4-byte slot: the kernel steps over 4 bytes */
	.globl umbra_trampoline_slot
umbra_trampoline_slot:
	nop
	.option pop
	.globl umbra_trampoline
umbra_trampoline:
	mv	a1, a0
	mv	a0, t0
	li	a6, 9			/* UMBRA_FN_CLOAK_RESUME */
	li	a7, 0x0A4D4252		/* UMBRA_EID */
	ecall
	/* Only a refused resume gets here: a forged context.  Give up. */
	li	a0, 112
	li	a7, 94			/* exit_group */
	ecall
1:	j	1b

	.section .text.start, "ax"
	.globl _start
_start:
	mv	a0, sp			/* argc, argv, envp, auxv from the kernel */
	la	sp, shim_boot_stack_top
	call	shim_start
1:	j	1b
