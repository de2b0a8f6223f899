/*
 * user.S - user-mode stubs of the protection test kernels (the user region,
 * see link.ld and kern.h).  Each stub ends with an ecall a7 = SYS_DONE.
 *
 *   u_ld:    a0 = *(u64 *)a1           (u_ld_insn: the load)
 *   u_ldc:   a0 = *(u64 *)a1 as c.ld, then a3 = 7 (u_ldc_insn: the c.ld)
 *   u_sd:    *(u64 *)a1 = a2           (u_sd_insn: the store)
 *   u_amo:   a0 = amoadd.d a2 to *a1
 *   u_exec:  a0 = ((u64 (*)(void))a1)()
 *   u_hcall: ecall a7 = UMBRA_EID with a0-a6 as given
 *   u_call:  a0 = t6(a0, ..., a5)      (a C function of uprog.c)
 *   u_handler: the upcall handler: records its entry in mbox, optionally
 *            unprotects the page, clobbers registers, then UPCALL_RETURN
 *            (mbox.disp, mbox.code); should that return: ecall SYS_HRET_FAILED
 */
#include "umbra/hypercall.h"

#define SYS_DONE 0x5d0e
#define SYS_HRET_FAILED 0x5d0f

	.section .utext, "ax"
	.globl	u_ld, u_ld_insn, u_ldc, u_ldc_insn, u_sd, u_sd_insn, u_amo, u_exec
	.globl	u_hcall, u_call, u_handler
	.option	push
	.option	norvc
u_ld:
u_ld_insn:
	ld	a0, 0(a1)
	j	u_done
u_sd:
u_sd_insn:
	sd	a2, 0(a1)
	j	u_done
u_amo:
	amoadd.d a0, a2, (a1)
	j	u_done
u_exec:
	jalr	ra, 0(a1)
	j	u_done
u_hcall:
	li	a7, UMBRA_EID
	ecall
	j	u_done
u_call:
	jalr	ra, 0(t6)
	j	u_done
u_done:
	li	a7, SYS_DONE
	ecall
	j	u_done
	.option	rvc
	.align	2
u_ldc:
u_ldc_insn:
	c.ld	a0, 0(a1)
	c.li	a3, 7
	c.j	u_done
	.option	norvc

#define MB_ADDR 0
#define MB_ACCESS 8
#define MB_ENV 16
#define MB_TAG 24
#define MB_PC 32
#define MB_SP 40
#define MB_S2 48
#define MB_RA 56
#define MB_GP 64
#define MB_TP 72
#define MB_COUNT 80
#define MB_DISP 88
#define MB_CODE 96
#define MB_UNPROT 104
#define MB_UNPROT_ERR 112
#define MB_RET_ERR 120
	.align	2
u_handler:
	la	t0, mbox
	sd	a0, MB_ADDR(t0)
	sd	a1, MB_ACCESS(t0)
	sd	a2, MB_ENV(t0)
	sd	a3, MB_TAG(t0)
	sd	a4, MB_PC(t0)
	sd	sp, MB_SP(t0)
	sd	s2, MB_S2(t0)
	sd	ra, MB_RA(t0)
	sd	gp, MB_GP(t0)
	sd	tp, MB_TP(t0)
	ld	t1, MB_COUNT(t0)
	addi	t1, t1, 1
	sd	t1, MB_COUNT(t0)
	ld	t1, MB_UNPROT(t0)
	beqz	t1, 1f
	srli	a0, a0, 12
	slli	a0, a0, 12
	li	a1, 1
	li	a6, UMBRA_FN_UNPROTECT
	li	a7, UMBRA_EID
	ecall
	sd	a0, MB_UNPROT_ERR(t0)
1:	/* clobber what UPCALL_RETURN must restore */
	li	ra, 0xbad01
	addi	sp, sp, -512
	li	gp, 0xbad03
	li	tp, 0xbad04
	li	s0, 0xbad08
	li	s1, 0xbad09
	li	s2, 0xbad18
	li	s3, 0xbad19
	li	s4, 0xbad20
	li	s5, 0xbad21
	li	s6, 0xbad22
	li	s7, 0xbad23
	li	s8, 0xbad24
	li	s9, 0xbad25
	li	s10, 0xbad26
	li	s11, 0xbad27
	li	t2, 0xbad07
	li	t3, 0xbad28
	li	t4, 0xbad29
	li	t5, 0xbad30
	li	t6, 0xbad31
	li	a2, 0xbad12
	li	a3, 0xbad13
	li	a4, 0xbad14
	li	a5, 0xbad15
	ld	a0, MB_DISP(t0)
	ld	a1, MB_CODE(t0)
	li	a6, UMBRA_FN_UPCALL_RETURN
	li	a7, UMBRA_EID
	li	t0, 0xbad05
	ecall
	la	t0, mbox
	sd	a0, MB_RET_ERR(t0)
	li	a7, SYS_HRET_FAILED
	ecall
	j	u_done
	.option	pop

	.section .ubss, "aw", @nobits
	.align	6
	.globl	mbox
mbox:
	.space	128
	.align	12
	.globl	ustack_a, ustack_a_top, ustack_b, ustack_b_top, ustack_c, ustack_c_top
ustack_a:
	.space	16384
ustack_a_top:
ustack_b:
	.space	16384
ustack_b_top:
ustack_c:
	.space	16384
ustack_c_top:
