#include "mmu/pmp.h"

#define PMP_R 0x01
#define PMP_W 0x02
#define PMP_X 0x04
#define PMP_A 0x18
#define PMP_L 0x80
enum { A_OFF = 0, A_TOR = 1, A_NA4 = 2, A_NAPOT = 3 };
#define PMP_ENTRIES 64

static unsigned cfg(const struct hart *h, unsigned i)
{
	return (h->pmpcfg[i / 8] >> (8 * (i % 8))) & 0xff;
}

/* The byte range [*lo, *hi) of entry i; false if it is off. */
static bool range(const struct hart *h, unsigned i, uint64_t *lo, uint64_t *hi)
{
	uint64_t a = h->pmpaddr[i];
	switch ((cfg(h, i) & PMP_A) >> 3) {
	case A_TOR:
		*lo = i ? h->pmpaddr[i - 1] << 2 : 0;
		*hi = a << 2;
		return true;
	case A_NA4:
		*lo = a << 2;
		*hi = *lo + 4;
		return true;
	case A_NAPOT: {
		unsigned t = (unsigned)__builtin_ctzll(~a);
		if (t >= 54) { /* all ones: the whole address space */
			*lo = 0;
			*hi = UINT64_MAX;
			return true;
		}
		*lo = (a & ~((1ull << t) - 1)) << 2;
		*hi = *lo + (1ull << (t + 3));
		return true;
	}
	}
	return false;
}

bool pmp_active(const struct hart *h)
{
	return h->pmp_on;
}

static unsigned to_perm(unsigned c)
{
	return (c & PMP_R ? PERM_R : 0) | (c & PMP_W ? PERM_W : 0) | (c & PMP_X ? PERM_X : 0);
}

unsigned pmp_rights(const struct hart *h, gpa_t pa, unsigned size, unsigned priv,
		    bool *page_uniform)
{
	const unsigned all = PERM_R | PERM_W | PERM_X;
	gpa_t page = pa & PAGE_MASK;
	*page_uniform = true;
	for (unsigned k = 0; k < h->pmp_n; k++) {
		uint64_t lo = h->pmp_act[k].lo, hi = h->pmp_act[k].hi;
		if (lo >= hi)
			continue;
		bool page_inside = lo <= page && page + PAGE_SIZE <= hi;
		bool page_outside = hi <= page || lo >= page + PAGE_SIZE;
		if (!page_inside && !page_outside)
			*page_uniform = false;
		if (pa + size <= lo || pa >= hi)
			continue;
		if (pa < lo || pa + size > hi)
			return 0; /* only part of the access matches */
		unsigned c = h->pmp_act[k].cfg;
		if (priv == PRV_M && !(c & PMP_L))
			return all;
		return to_perm(c);
	}
	return priv == PRV_M || !h->pmp_n ? all : 0;
}

/* Lists the entries whose A field is not OFF, in priority order, with their ranges. */
static void update_active(struct hart *h)
{
	h->pmp_n = 0;
	for (unsigned i = 0; i < PMP_ENTRIES; i++) {
		struct pmp_range *r = &h->pmp_act[h->pmp_n];
		if (range(h, i, &r->lo, &r->hi)) {
			r->cfg = (uint8_t)cfg(h, i);
			h->pmp_n++;
		}
	}
	h->pmp_on = h->pmp_n > 0;
}

void pmp_write_cfg(struct hart *h, unsigned reg, uint64_t val)
{
	uint64_t old = h->pmpcfg[reg / 2], nv = 0;
	for (unsigned b = 0; b < 8; b++) {
		uint64_t ob = (old >> (8 * b)) & 0xff, vb = (val >> (8 * b)) & 0x9f;
		if ((vb & (PMP_R | PMP_W)) == PMP_W)
			vb &= ~(uint64_t)(PMP_R | PMP_W); /* R=0 W=1 is reserved */
		nv |= ((ob & PMP_L) ? ob : vb) << (8 * b);
	}
	h->pmpcfg[reg / 2] = nv;
	update_active(h);
	hart_tlb_flush(h);
}

void pmp_write_addr(struct hart *h, unsigned idx, uint64_t val)
{
	if (cfg(h, idx) & PMP_L)
		return;
	if (idx + 1 < PMP_ENTRIES && (cfg(h, idx + 1) & PMP_L) &&
	    ((cfg(h, idx + 1) & PMP_A) >> 3) == A_TOR)
		return;
	h->pmpaddr[idx] = val & ((1ull << 54) - 1);
	update_active(h); /* the ranges */
	hart_tlb_flush(h);
}
