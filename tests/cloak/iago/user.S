/*
 * user.S - the cloaked program's ELF (built by tests/cloak/iago.sh from
 * main.c and the shim), linked into the kernel as data; USER_ELF names it.
 */
	.section .rodata
	.balign	16
	.globl	user_elf, user_elf_end
user_elf:
	.incbin	USER_ELF
user_elf_end:
