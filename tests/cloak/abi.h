/*
 * abi.h - what the hostile test kernel (kern.c) and its user programs
 * (user.S) agree on: the user address-space layout, the "system calls" the
 * kernel understands, the secrets and register patterns, and the numbers of
 * the checks the cloaked program reports.  Macros only: assembler and C.
 *
 * The victim's address space (4 KiB pages, all U):
 *   U_CODE   2 pages R+X   the cloaked image (user.S section .cloak_text)
 *   U_A..U_D 4 pages R+W   cloaked data: A, B (secret pages), C (page-table
 *                          lookalikes), D (register tables and dumps)
 *   U_ALIAS  R             an uncloaked alias the kernel maps in check 6b
 *   U_TRAMP  R+X           the uncloaked trampoline page (section .tramp)
 *   U_TSTACK R+W           the uncloaked trampoline stack; its first words
 *                          are flags the kernel sets for the program
 * The spies' address spaces reuse U_CODE (their own code), U_CODE + 4 KiB
 * (an alias of A's frame), U_TRAMP and U_TSTACK.
 */
#ifndef CLOAK_ABI_H
#define CLOAK_ABI_H

#define U_CODE 0x40000000
#define U_CODE_PAGES 2
#define U_A 0x40010000
#define U_B 0x40011000
#define U_C 0x40012000
#define U_D 0x40013000
#define U_DATA_PAGES 4
#define U_ALIAS 0x40020000
#define U_TRAMP 0x40030000
#define U_TSTACK 0x40031000
#define U_TSP (U_TSTACK + 0x1000)
#define U_FLAG (U_TSTACK + 0)    /* set by the kernel: the program may go on */
#define U_RUNNING (U_TSTACK + 8) /* set by the program: it runs (check 7l) */
#define SPY_ALIAS (U_CODE + 0x1000)

/* A physical page the kernel fills with MARKER_MAGIC (check 10). */
#define MARKER_PA 0x83000000
#define MARKER_MAGIC 0x6d61726b65724d4b

/* Secrets.  A and B hold their 16-byte ASCII strings over and over
 * ("TOP-SECRET-A-42!", "TOP-SECRET-B-43!"), so a host-side grep for
 * "TOP-SECRET" finds any plaintext that leaks to the disk or the console. */
#define SA0 0x524345532d504f54
#define SA1 0x2132342d412d5445
#define SB0 0x524345532d504f54
#define SB1 0x2133342d422d5445
#define SECRET_X 0x5ec1e7c0ffee0009 /* kept in s1 */
#define SECRET_F 0x5ec1e7f10a7f0008 /* kept in fs0 (bits) */
#define NEWVAL 0x4e45572d56455253   /* A[8] after the program's write (check 5) */
#define MOVEVAL 0x4d4f5645442d4f4b  /* A[9] after the page move (check 8) */
#define FCSR_PROG 0x61              /* the program's fcsr: frm = RUP, NX */

/* C's page-table lookalikes (check 10): leaves to MARKER_PA, S-only. */
#define PTE_LOOK_AD (((MARKER_PA >> 12) << 10) | 0xc3) /* V R A D */
#define PTE_LOOK_NOA (((MARKER_PA >> 12) << 10) | 0x03) /* V R, A clear */

/* Register patterns: the program's registers at every system call. */
#define PAT_BASE 0x7a11000000000000
#define FPAT_BASE 0x7f5a000000000000
/* gp = U_D; the tables in D: */
#define D_EXP 0        /* x0..x31 expected */
#define D_FEXP 256     /* f0..f31 expected (bits) */
#define D_DUMP 512     /* x0..x31 after the call */
#define D_FDUMP 768    /* f0..f31 after the call */
#define D_FCSR_DUMP 1024
#define D_FCSR_EXP 1032
#define D_STASH 1040

/* The kernel's poison: what it puts in every register before resuming. */
#define POISON_BASE 0xbad0000000000000

/* UMBRA ABI (include/umbra/hypercall.h) */
#define EID 0x0A4D4252
#define FN_CREATE 7
#define FN_PAGES 8
#define FN_RESUME 9
#define FN_UNCLOAK 10
#define ERR_DENIED (-4)

/* System calls (a7). */
#define SYS_RESUME_FAILED 0x100 /* trampoline: CLOAK_RESUME returned a0 */
#define SYS_HC_DONE 0x101       /* hypercall stub: a0, a1 = the result */
#define SYS_SPY_REPORT 0x102    /* spies: what they read */
#define SYS_CHECK_EQ 0x110      /* a0 = check, a1 = got, a2 = expected */
#define SYS_CHECK_NE 0x111      /* a0 = check, a1 = got, a2 = must differ */
#define SYS_MISMATCH 0x112      /* a0 = register (32+ f, 64 fcsr), a1 got, a2 expected */
#define SYS_VERIFIED 0x113      /* a0 = mismatches after a resume */
#define SYS_CREATED 0x114       /* a0, a1: CLOAK_CREATE; a2, a3: CLOAK_PAGES */
#define SYS_PEEK 1
#define SYS_TIMER 2
#define SYS_RO1 3
#define SYS_RO2 4
#define SYS_FLIP 5
#define SYS_FLIP_DONE 6
#define SYS_FLIP_CODE 7
#define SYS_FLIP_CODE_DONE 8
#define SYS_SWAP 9
#define SYS_SWAP_DONE 10
#define SYS_REPLAY_SAVE 11
#define SYS_REPLAY 12
#define SYS_REPLAY_DONE 13
#define SYS_SPY 14
#define SYS_ALIAS 15
#define SYS_ALIAS_DONE 16
#define SYS_SPY2 17
#define SYS_FORGE 18
#define SYS_DOUBLE 19
#define SYS_DOUBLE_DONE 20
#define SYS_MOVE 21
#define SYS_MOVE_DONE 22
#define SYS_DBCN 23
#define SYS_DMA 24
#define SYS_DMA2 25
#define SYS_DMA_DONE 26
#define SYS_FSOFF 27
#define SYS_WALK 28
#define SYS_END 29

/* Checks the program reports (SYS_CHECK_EQ/NE a0); names in kern.c. */
#define CK_PEEK_RESULT 1
#define CK_TIMER_FLAG 2
#define CK_FLIP_DATA 3
#define CK_FLIP_CODE 4
#define CK_SWAP_A 5
#define CK_SWAP_B 6
#define CK_REPLAY_NEW 7
#define CK_ALIAS_0 8
#define CK_ALIAS_1 9
#define CK_ALIAS_A 10
#define CK_AFTER_SPY2 11
#define CK_FORGE_RESULT 12
#define CK_RESUME_INSIDE 13
#define CK_CREATE_AGAIN 14
#define CK_DOUBLE_FLAG 15
#define CK_MOVE_A 16
#define CK_MOVE_WRITE 17
#define CK_DMA_A 18
#define CK_DMA_TAMPER_A 19
#define CK_FSOFF_F 20
#define CK_WALK_C0 21
#define CK_WALK_C1 22
#define CK_COUNT 23

#endif
