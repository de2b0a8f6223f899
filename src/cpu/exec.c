/*
 * exec.c - the reference interpreter: fetch, decode and execute RV64GC.
 *
 * Compressed instructions are expanded (rvc.c) and executed by the same
 * decoder.  An instruction that faults calls hart_trap(), which moves the pc
 * to the trap handler; it then does not retire.
 */
#include "cpu/csr.h"
#include "cpu/fpu.h"
#include "cpu/hart.h"
#include "cpu/alu.h"
#include "cpu/exec.h"
#include "cpu/rvc.h"
#include "mmu/mmu.h"
#include "umbra/hypercall.h"

#define RD(i) bits(i, 11, 7)
#define RS1(i) bits(i, 19, 15)
#define RS2(i) bits(i, 24, 20)
#define F7(i) bits(i, 31, 25)

static int64_t imm_i(uint32_t i) { return (int64_t)(int32_t)i >> 20; }
static int64_t imm_s(uint32_t i) { return (int64_t)(int32_t)(i & 0xfe000000) >> 20 | bits(i, 11, 7); }
static int64_t imm_b(uint32_t i)
{
	return (int64_t)(int32_t)(i & 0x80000000) >> 19 | bits(i, 7, 7) << 11 |
	       bits(i, 30, 25) << 5 | bits(i, 11, 8) << 1;
}
static int64_t imm_j(uint32_t i)
{
	return (int64_t)(int32_t)(i & 0x80000000) >> 11 | bits(i, 19, 12) << 12 |
	       bits(i, 20, 20) << 11 | bits(i, 30, 21) << 1;
}

static void illegal(struct hart *h, uint32_t insn)
{
	hart_trap(h, EXC_ILLEGAL, insn);
}

static bool fetch(struct hart *h, gva_t pc, uint32_t *insn)
{
	struct tlb_entry *e = tlb_lookup(h->tlb_fetch, pc);
	if (LIKELY(e->tag_x == (pc & PAGE_MASK) && (pc & ~PAGE_MASK) != PAGE_SIZE - 2)) {
		*insn = (uint32_t)ld_le((void *)(uintptr_t)(pc + e->addend), 4);
		return true;
	}
	return mmu_fetch_slow(h, pc, insn);
}

static uint64_t amo_op(unsigned f5, uint64_t old, uint64_t src, bool word)
{
	int64_t so = word ? (int32_t)old : (int64_t)old, ss = word ? (int32_t)src : (int64_t)src;
	uint64_t uo = word ? (uint32_t)old : old, us = word ? (uint32_t)src : src;
	switch (f5) {
	case 0x00: return old + src;
	case 0x01: return src;
	case 0x04: return old ^ src;
	case 0x08: return old | src;
	case 0x0c: return old & src;
	case 0x10: return so < ss ? old : src;
	case 0x14: return so > ss ? old : src;
	case 0x18: return uo < us ? old : src;
	default: return uo > us ? old : src;
	}
}

static bool amo_known(unsigned f5)
{
	switch (f5) {
	case 0x00: case 0x01: case 0x02: case 0x03: case 0x04: case 0x08: case 0x0c:
	case 0x10: case 0x14: case 0x18: case 0x1c:
		return true;
	}
	return false;
}

/* LR, SC and the AMOs.  Returns false if the instruction trapped. */
static bool exec_amo(struct hart *h, uint32_t insn, uint32_t raw)
{
	unsigned f3 = F3(insn), f5 = insn >> 27, rd = RD(insn);
	if ((f3 != 2 && f3 != 3) || !amo_known(f5) || (f5 == 0x02 && RS2(insn))) {
		illegal(h, raw);
		return false;
	}
	unsigned size = f3 == 2 ? 4 : 8;
	gva_t va = h->x[RS1(insn)];
	uint64_t src = h->x[RS2(insn)];
	if (f5 == 0x02) { /* LR */
		void *p = mmu_lr_ptr(h, va, size);
		if (!p)
			return false;
		uint64_t v = ld_le(p, size);
		h->x[rd] = size == 4 ? (uint64_t)(int32_t)v : v;
		h->reservation = (uintptr_t)p;
		return true;
	}
	void *p = mmu_amo_ptr(h, va, size);
	if (!p)
		return false;
	if (f5 == 0x03) { /* SC */
		bool ok = h->reservation == (uintptr_t)p;
		if (ok)
			st_le(p, src, size);
		h->reservation = 0;
		h->x[rd] = !ok;
		return true;
	}
	uint64_t old = ld_le(p, size);
	st_le(p, amo_op(f5, old, src, size == 4), size);
	h->x[rd] = size == 4 ? (uint64_t)(int32_t)old : old;
	return true;
}

static bool exec_csr(struct hart *h, uint32_t insn, uint32_t raw)
{
	unsigned f3 = F3(insn), rd = RD(insn), rs1 = RS1(insn), csr = insn >> 20;
	unsigned op = f3 & 3;
	uint64_t src = (f3 & 4) ? rs1 : h->x[rs1];
	uint64_t old = 0;
	if (!(op == 1 && rd == 0) && !csr_read(h, csr, &old))
		goto bad;
	if (op == 1 || rs1 != 0) {
		uint64_t nv = op == 1 ? src : op == 2 ? (old | src) : (old & ~src);
		if (!csr_write(h, csr, nv))
			goto bad;
	}
	h->x[rd] = old;
	return true;
bad:
	illegal(h, raw);
	return false;
}

static void do_mret(struct hart *h)
{
	unsigned mpp = (h->mstatus >> 11) & 3;
	uint64_t s = h->mstatus & ~(MSTATUS_MIE | MSTATUS_MPP);
	if (s & MSTATUS_MPIE)
		s |= MSTATUS_MIE;
	s |= MSTATUS_MPIE;
	if (mpp != PRV_M)
		s &= ~MSTATUS_MPRV;
	h->mstatus = s;
	h->priv = mpp;
	h->pc = h->mepc;
}

static void do_sret(struct hart *h)
{
	unsigned spp = (h->mstatus >> 8) & 1;
	uint64_t s = h->mstatus & ~(MSTATUS_SIE | MSTATUS_SPP | MSTATUS_MPRV);
	if (s & MSTATUS_SPIE)
		s |= MSTATUS_SIE;
	s |= MSTATUS_SPIE;
	h->mstatus = s;
	h->priv = spp;
	h->pc = h->sepc;
}

/* ECALL, EBREAK, xRET, WFI, SFENCE.VMA.  Returns false if it trapped;
 * on success it has set the next pc itself. */
static bool exec_system(struct hart *h, uint32_t insn, unsigned len, uint32_t raw)
{
	if (insn == 0x00000073) { /* ecall */
		if (h->x[17] == UMBRA_EID && h->priv != PRV_M && h->env.hypercall) {
			switch (h->env.hypercall(h->env.opaque, h)) {
			case HC_DONE:
				h->pc += len;
				return true;
			case HC_REDIRECT:
				return true;
			}
			/* HC_DELIVER: the kernel gets the ecall after all */
		} else if (h->builtin_fw && h->priv == PRV_S && h->env.ecall && h->env.ecall(h->env.opaque, h)) {
			h->pc += len;
			return true;
		}
		hart_trap(h, EXC_ECALL_U + h->priv, 0);
		return false;
	}
	if (insn == 0x00100073) { /* ebreak */
		hart_trap(h, EXC_BREAKPOINT, h->pc);
		return false;
	}
	if (insn == 0x30200073 && h->priv == PRV_M) {
		do_mret(h);
	} else if (insn == 0x10200073 && (h->priv == PRV_M ||
					  (h->priv == PRV_S && !(h->mstatus & MSTATUS_TSR)))) {
		do_sret(h);
	} else if (insn == 0x10500073 && (h->priv == PRV_M ||
					  (h->priv == PRV_S && !(h->mstatus & MSTATUS_TW)))) {
		h->pc += len;
		if (!(h->mip & h->mie))
			h->wfi = true;
		h->stop = true;
		return true;
	} else if (F7(insn) == 0x09 && RD(insn) == 0 && F3(insn) == 0 &&
		   (h->priv == PRV_M || (h->priv == PRV_S && !(h->mstatus & MSTATUS_TVM)))) {
		if (RS1(insn) == 0)
			hart_tlb_flush(h);
		else
			hart_tlb_flush_page(h, h->x[RS1(insn)]);
		h->pc += len;
		return true;
	} else {
		illegal(h, raw);
		return false;
	}
	/* xRET: privilege, enables and the reservation change. */
	h->reservation = 0;
	hart_recheck_irq(h);
	hart_tlb_select(h);
	return true;
}

static bool exec_fp_mem(struct hart *h, uint32_t insn, bool store, uint32_t raw)
{
	unsigned f3 = F3(insn);
	if ((f3 != 2 && f3 != 3) || !(h->mstatus & MSTATUS_FS)) {
		illegal(h, raw);
		return false;
	}
	unsigned size = f3 == 2 ? 4 : 8;
	if (store)
		return mmu_store(h, h->x[RS1(insn)] + imm_s(insn), size, h->f[RS2(insn)]);
	uint64_t v;
	if (!mmu_load(h, h->x[RS1(insn)] + imm_i(insn), size, &v))
		return false;
	h->f[RD(insn)] = size == 4 ? fpu_box32((uint32_t)v) : v;
	hart_fs_dirty(h);
	return true;
}

/* Executes one instruction at h->pc; on success moves the pc on and retires it. */
void hart_execute(struct hart *h, uint32_t insn)
{
	unsigned len = 4;
	uint32_t raw = insn;
	if ((insn & 3) != 3) {
		uint32_t full = rvc_expand((uint16_t)insn);
		if (!full) {
			illegal(h, insn & 0xffff);
			return;
		}
		raw = insn & 0xffff;
		insn = full;
		len = 2;
	}
	uint64_t *x = h->x;
	uint64_t pc = h->pc, next = pc + len;
	unsigned rd = RD(insn);
	uint64_t v;

	switch (insn & 0x7f) {
	case 0x37: x[rd] = (uint64_t)(int64_t)(int32_t)(insn & 0xfffff000); break;
	case 0x17: x[rd] = pc + (uint64_t)(int64_t)(int32_t)(insn & 0xfffff000); break;
	case 0x6f:
		x[rd] = next;
		next = pc + imm_j(insn);
		break;
	case 0x67:
		if (F3(insn))
			goto bad;
		v = (x[RS1(insn)] + imm_i(insn)) & ~1ull;
		x[rd] = next;
		next = v;
		break;
	case 0x63:
		if (F3(insn) == 2 || F3(insn) == 3)
			goto bad;
		if (branch_taken(F3(insn), x[RS1(insn)], x[RS2(insn)]))
			next = pc + imm_b(insn);
		break;
	case 0x03: {
		static const unsigned size[8] = {1, 2, 4, 8, 1, 2, 4, 0};
		unsigned f3 = F3(insn);
		if (f3 == 7)
			goto bad;
		if (!mmu_load(h, x[RS1(insn)] + imm_i(insn), size[f3], &v))
			return;
		if (f3 < 3)
			v = (uint64_t)sext(v, 8 * size[f3]);
		x[rd] = v;
		break;
	}
	case 0x23:
		if (F3(insn) > 3)
			goto bad;
		if (!mmu_store(h, x[RS1(insn)] + imm_s(insn), 1u << F3(insn), x[RS2(insn)]))
			return;
		break;
	case 0x13: {
		uint64_t imm = (uint64_t)imm_i(insn);
		unsigned f3 = F3(insn);
		if (f3 == 1 && (insn >> 26))
			goto bad;
		if (f3 == 5) {
			if ((insn >> 26) & ~0x10u)
				goto bad;
			imm &= 63;
		}
		x[rd] = alu(insn, x[RS1(insn)], imm, true);
		break;
	}
	case 0x1b: {
		unsigned f3 = F3(insn);
		if (f3 == 0)
			x[rd] = (uint64_t)(int32_t)(x[RS1(insn)] + imm_i(insn));
		else if ((f3 == 1 && F7(insn) == 0) || (f3 == 5 && (F7(insn) & ~0x20u) == 0))
			x[rd] = alu32(insn, x[RS1(insn)], RS2(insn), true);
		else
			goto bad;
		break;
	}
	case 0x33: {
		unsigned f7 = F7(insn);
		if (f7 == 1)
			x[rd] = muldiv(F3(insn), x[RS1(insn)], x[RS2(insn)]);
		else if (f7 == 0 || (f7 == 0x20 && (F3(insn) == 0 || F3(insn) == 5)))
			x[rd] = alu(insn, x[RS1(insn)], x[RS2(insn)], false);
		else
			goto bad;
		break;
	}
	case 0x3b: {
		unsigned f3 = F3(insn), f7 = F7(insn);
		if (f7 == 1) {
			if (!muldiv32(f3, x[RS1(insn)], x[RS2(insn)], &v))
				goto bad;
			x[rd] = v;
		} else if ((f7 == 0 && (f3 == 0 || f3 == 1 || f3 == 5)) ||
			   (f7 == 0x20 && (f3 == 0 || f3 == 5))) {
			x[rd] = alu32(insn, x[RS1(insn)], x[RS2(insn)], false);
		} else {
			goto bad;
		}
		break;
	}
	case 0x0f:
		if (F3(insn) > 1)
			goto bad;
		if (F3(insn) == 1) /* fence.i: blocks of CODE_MIXED pages check their code again */
			h->fencei_gen++;
		break; /* memory is coherent; writes to other decoded code drop it at once */
	case 0x73:
		if (F3(insn) == 0) {
			if (exec_system(h, insn, len, raw)) {
				h->instret++;
				x[0] = 0;
			}
			return;
		}
		if (F3(insn) == 4 || !exec_csr(h, insn, raw))
			goto trapped;
		break;
	case 0x2f:
		if (!exec_amo(h, insn, raw))
			return;
		break;
	case 0x07:
	case 0x27:
		if (!exec_fp_mem(h, insn, (insn & 0x7f) == 0x27, raw))
			return;
		break;
	case 0x53: case 0x43: case 0x47: case 0x4b: case 0x4f:
		if (!(h->mstatus & MSTATUS_FS) || fpu_execute(h, insn))
			goto bad;
		break;
	default:
		goto bad;
	}
	x[0] = 0;
	h->pc = next;
	h->instret++;
	return;
bad:
	illegal(h, raw);
trapped:
	x[0] = 0;
}

uint64_t hart_run_interp(struct hart *h, uint64_t budget)
{
	uint64_t start = h->instret;
	/* Count attempts, not retirements: a trap loop must still end the slice. */
	for (uint64_t n = 0; n < budget && !h->stop; n++) {
		uint32_t insn;
		if (fetch(h, h->pc, &insn))
			hart_execute(h, insn);
	}
	return h->instret - start;
}

bool hart_run_begin(struct hart *h)
{
	h->stop = false;
	if (h->state != HART_STARTED)
		return false;
	hart_check_irq(h);
	if (h->wfi) {
		if (!(h->mip & h->mie))
			return false;
		h->wfi = false;
	}
	return true;
}

uint64_t hart_run(struct hart *h, uint64_t budget)
{
	if (!hart_run_begin(h))
		return 0;
	uint64_t n = h->bc ? hart_run_blocks(h, budget) : hart_run_interp(h, budget);
	h->reservation = 0;
	return n;
}
