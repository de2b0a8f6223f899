/* Entry of the gdb test guest: hart 0 runs main on a small stack, the others wait. */
	.section .text.start
	.globl _start
_start:	csrr a0, mhartid
	bnez a0, park
	la sp, stack_top
	call main
park:	wfi
	j park

	.bss
	.balign 16
	.space 8192
stack_top:
