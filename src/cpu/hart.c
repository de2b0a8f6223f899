/*
 * hart.c - hart reset, traps, interrupts and TLB maintenance.
 */
#include "cpu/hart.h"

#include "cpu/csr.h"

#include <stdlib.h>

_Static_assert(NVIEWS * TLB_NCTX <= 32, "tlbs_used has a bit per TLB");

/* The next TLB of the set *left (bits of tlbs_used), taken out of it; NULL when none is left. */
static struct tlb *next_tlb(struct hart *h, uint32_t *left)
{
	if (!*left)
		return NULL;
	unsigned k = (unsigned)__builtin_ctz(*left);
	*left &= *left - 1;
	return &h->tlb[0][0] + k;
}

static uint32_t tlb_bit(const struct hart *h, const struct tlb *t)
{
	return 1u << (unsigned)(t - &h->tlb[0][0]);
}

static void tlb_clear(struct tlb *t)
{
	if (t->nfill <= TLB_LOG)
		for (unsigned k = 0; k < t->nfill; k++) {
			struct tlb_entry *e = &t->e[t->fill[k]];
			e->tag_r = e->tag_w = e->tag_x = TLB_INVALID;
		}
	else
		memset(t->e, 0xff, sizeof(t->e)); /* every tag TLB_INVALID */
	t->nfill = 0;
}

void hart_tlb_flush(struct hart *h)
{
	uint32_t left = h->tlbs_used;
	for (struct tlb *t; (t = next_tlb(h, &left));)
		tlb_clear(t);
	h->super_lo = UINT64_MAX;
	h->super_hi = 0;
	memset(h->wc_tag, 0xff, sizeof(h->wc_tag));
	h->tlbs_used = tlb_bit(h, h->tlb_fetch) | tlb_bit(h, h->tlb_data);
}

void hart_tlb_flush_page(struct hart *h, gva_t va)
{
	/* While protections exist, every fence makes every non-owner translation of a
	 * protected page come back to the fill path, where bindings are re-checked. */
	if ((va >= h->super_lo && va <= h->super_hi) || h->prot_on) {
		hart_tlb_flush(h);
		return;
	}
	unsigned i = (va >> PAGE_SHIFT) & (TLB_SIZE - 1);
	memset(h->wc_tag, 0xff, sizeof(h->wc_tag));
	uint32_t left = h->tlbs_used;
	for (struct tlb *t; (t = next_tlb(h, &left));)
		t->e[i].tag_r = t->e[i].tag_w = t->e[i].tag_x = TLB_INVALID;
}

static unsigned tlb_ctx(unsigned priv)
{
	return priv == PRV_M ? TLB_CTX_M : priv == PRV_S ? TLB_CTX_S : TLB_CTX_U;
}

void hart_tlb_select(struct hart *h)
{
	unsigned dp = h->priv;
	if (dp == PRV_M && (h->mstatus & MSTATUS_MPRV))
		dp = (h->mstatus >> 11) & 3;
	unsigned data = tlb_ctx(dp);
	if (data == TLB_CTX_S && (h->mstatus & MSTATUS_SUM))
		data = TLB_CTX_S_SUM;
	h->tlb_fetch = &h->tlb[h->view][tlb_ctx(h->priv)];
	h->tlb_data = &h->tlb[h->view][data];
	if (h->tlb_fetch->nfill == TLB_UNCLEARED)
		tlb_clear(h->tlb_fetch);
	if (h->tlb_data->nfill == TLB_UNCLEARED)
		tlb_clear(h->tlb_data);
	h->tlbs_used |= tlb_bit(h, h->tlb_fetch) | tlb_bit(h, h->tlb_data);
}

struct hart *hart_alloc(void)
{
	void *p;
	if (posix_memalign(&p, PAGE_SIZE, sizeof(struct hart)))
		return NULL;
	struct hart *h = p;
	memset(h, 0, offsetof(struct hart, tlb)); /* tlbs_used = 0: no table holds entries */
	for (unsigned v = 0; v < NVIEWS; v++)
		for (unsigned c = 0; c < TLB_NCTX; c++)
			h->tlb[v][c].nfill = TLB_UNCLEARED;
	return h;
}

void hart_init(struct hart *h, unsigned hartid, const struct hart_env *env)
{
	memset(h, 0, offsetof(struct hart, tlbs_used)); /* the TLBs keep their state */
	h->tlb_fetch = h->tlb_data = &h->tlb[0][0];
	h->hartid = hartid;
	h->env = *env;
	h->state = HART_STOPPED;
	hart_reset(h, 0);
}

void hart_reset(struct hart *h, uint64_t pc)
{
	memset(h->x, 0, sizeof(h->x));
	memset(h->f, 0, sizeof(h->f));
	h->pc = pc;
	h->priv = PRV_M;
	h->view = VIEW_SYSTEM;
	h->mstatus = 0;
	h->mie = h->mip = h->medeleg = h->mideleg = 0;
	h->satp = 0;
	memset(h->pmpcfg, 0, sizeof(h->pmpcfg));
	memset(h->pmpaddr, 0, sizeof(h->pmpaddr));
	h->pmp_on = false;
	h->pmp_n = 0;
	h->fflags = h->frm = 0;
	h->reservation = 0;
	h->wfi = false;
	hart_tlb_flush(h);
	hart_tlb_select(h);
}

static void enter_trap(struct hart *h, bool irq, uint64_t code, uint64_t tval)
{
	uint64_t cause = code | (irq ? 1ull << 63 : 0);
	uint64_t deleg = irq ? h->mideleg : h->medeleg;
	h->reservation = 0;
	h->wfi = false;
	if (h->view != VIEW_SYSTEM && h->env.cloak_trap)
		h->env.cloak_trap(h->env.opaque, h, irq, code, &tval); /* saves, scrubs, trampoline */
	if (h->priv <= PRV_S && ((deleg >> code) & 1)) {
		h->scause = cause;
		h->sepc = h->pc;
		h->stval = tval;
		uint64_t s = h->mstatus & ~(MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE);
		if (h->mstatus & MSTATUS_SIE)
			s |= MSTATUS_SPIE;
		if (h->priv == PRV_S)
			s |= MSTATUS_SPP;
		h->mstatus = s;
		h->priv = PRV_S;
		h->pc = (h->stvec & ~3ull) + (irq && (h->stvec & 1) ? 4 * code : 0);
	} else {
		if (h->builtin_fw && h->env.m_trap) {
			h->env.m_trap(h->env.opaque, h, cause, tval);
			return;
		}
		h->mcause = cause;
		h->mepc = h->pc;
		h->mtval = tval;
		uint64_t s = h->mstatus & ~(MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE);
		if (h->mstatus & MSTATUS_MIE)
			s |= MSTATUS_MPIE;
		s |= (uint64_t)h->priv << 11;
		h->mstatus = s;
		h->priv = PRV_M;
		h->pc = (h->mtvec & ~3ull) + (irq && (h->mtvec & 1) ? 4 * code : 0);
	}
	hart_tlb_select(h);
}

void hart_trap(struct hart *h, uint64_t cause, uint64_t tval)
{
	enter_trap(h, false, cause, tval);
}

void hart_set_irq(struct hart *h, uint64_t mip_bit, bool level)
{
	uint64_t old = h->mip;
	if (level)
		h->mip |= mip_bit;
	else
		h->mip &= ~mip_bit;
	if (h->mip != old)
		h->stop = true;
}

/* Interrupt priority order of the privileged specification. */
static const unsigned irq_order[] = {IRQ_MEI, IRQ_MSI, IRQ_MTI, IRQ_SEI, IRQ_SSI, IRQ_STI};

bool hart_check_irq(struct hart *h)
{
	uint64_t pending = h->mip & h->mie;
	if (!pending)
		return false;
	bool m_on = h->priv < PRV_M || (h->mstatus & MSTATUS_MIE);
	bool s_on = h->priv < PRV_S || (h->priv == PRV_S && (h->mstatus & MSTATUS_SIE));
	/* Interrupts for M-mode go before those delegated to S-mode. */
	uint64_t take = m_on ? pending & ~h->mideleg : 0;
	if (!take)
		take = s_on ? pending & h->mideleg : 0;
	for (unsigned i = 0; take && i < ARRAY_SIZE(irq_order); i++) {
		if ((take >> irq_order[i]) & 1) {
			enter_trap(h, true, irq_order[i], 0);
			return true;
		}
	}
	return false;
}

/*
 * The TLB maintenance by host page below looks at the entries a table's fill
 * log names.  A table whose log is incomplete is cleared instead: scanning its
 * 16,384 entries would cost as much as clearing them, and the drops come in
 * batches (a working-set sample, a swap-out) which then cost one clear.
 */
static unsigned tlb_logged(struct tlb *t)
{
	if (t->nfill > TLB_LOG)
		tlb_clear(t);
	return t->nfill;
}

void hart_tlb_protect(struct hart *h, uintptr_t host_page)
{
	uint32_t left = h->tlbs_used;
	for (struct tlb *t; (t = next_tlb(h, &left));)
		for (unsigned k = 0, n = tlb_logged(t); k < n; k++) {
			struct tlb_entry *e = &t->e[t->fill[k]];
			if (e->tag_w != TLB_INVALID && e->tag_w + e->addend == host_page)
				e->tag_w = TLB_INVALID;
		}
}

void hart_tlb_drop(struct hart *h, uintptr_t host_page)
{
	hart_tlb_drop_range(h, host_page, host_page + PAGE_SIZE);
}

void hart_tlb_drop_range(struct hart *h, uintptr_t lo, uintptr_t hi)
{
	uint32_t left = h->tlbs_used;
	for (struct tlb *t; (t = next_tlb(h, &left));)
		for (unsigned k = 0, n = tlb_logged(t); k < n; k++) {
			struct tlb_entry *e = &t->e[t->fill[k]];
			uint64_t tag = e->tag_r != TLB_INVALID ? e->tag_r
				       : e->tag_w != TLB_INVALID ? e->tag_w : e->tag_x;
			uintptr_t host = (uintptr_t)(tag + e->addend);
			if (tag != TLB_INVALID && host >= lo && host < hi)
				e->tag_r = e->tag_w = e->tag_x = TLB_INVALID;
		}
}
