/*
 * fill.S - a bare M-mode guest (--firmware none) for the swap tests: writes
 * FILL_MIB MiB from 0x80100000 (one word per 64 bytes), waits about 3 s of
 * guest time, verifies every word and reports through the test device:
 * exit 0 when all came back, 7 otherwise.  Build with -DFILL_MIB=n.
 */
.globl _start
_start:	li s0, 0x80100000          /* buffer */
	li s1, FILL_MIB << 20      /* bytes */
	li s2, 0x9e3779b97f4a7c15
	mv t0, s0; add t1, s0, s1
1:	mul t2, t0, s2; sd t2, 0(t0); addi t0, t0, 64; bltu t0, t1, 1b
	li t3, 0x200bff8; ld t4, 0(t3); li t5, 30000000; add t4, t4, t5
2:	ld t6, 0(t3); bltu t6, t4, 2b
	mv t0, s0
3:	ld a0, 0(t0); mul t2, t0, s2; bne a0, t2, bad; addi t0, t0, 64; bltu t0, t1, 3b
	li t0, 0x100000; li t1, 0x5555; sw t1, 0(t0)
4:	j 4b
bad:	li t0, 0x100000; li t1, (7 << 16) | 0x3333; sw t1, 0(t0)
	j 4b
