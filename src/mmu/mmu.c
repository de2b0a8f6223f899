/*
 * mmu.c - the guest page-table walker (Sv39, Sv48) and the TLB slow paths.
 *
 * A PTE, as the walker reads it (privileged spec, "Sv39"):
 *
 *   63  62..61 60..54   53......10  9..8 7 6 5 4 3 2 1 0
 *   N   PBMT   reserved PPN         RSW  D A G U X W R V
 *
 * umbra implements neither Svnapot nor Svpbmt, so bits 63..54 must be zero.
 * Hardware A/D updating (Svadu behaviour): the walker sets A on any access
 * and D on a store, in guest memory, before the translation is used.  A
 * page whose D bit is clear is entered in the TLB without its write tag, so
 * the first store comes back here and sets D.
 */
#include "mmu/mmu.h"

#include "cpu/hart.h"
#include "mmu/pmp.h"

#define PTE_V (1u << 0)
#define PTE_R (1u << 1)
#define PTE_W (1u << 2)
#define PTE_X (1u << 3)
#define PTE_U (1u << 4)
#define PTE_G (1u << 5)
#define PTE_A (1u << 6)
#define PTE_D (1u << 7)

#define SATP_MODE_BARE 0
#define SATP_MODE_SV39 8
#define SATP_MODE_SV48 9

/* Access rights bits used in the TLB fill, same positions as PTE R/W/X. */
#define PERM_ALL (PTE_R | PTE_W | PTE_X)
#define PERM_LEVEL_SHIFT 8 /* bits 8-9: the level of the leaf (0: a 4 KiB page) */

static const uint64_t page_fault[] = {EXC_LOAD_PAGE, EXC_STORE_PAGE, EXC_INSN_PAGE};
static const uint64_t access_fault[] = {EXC_LOAD_ACCESS, EXC_STORE_ACCESS, EXC_INSN_ACCESS};
static const unsigned needed[] = {PTE_R, PTE_W, PTE_X};

static unsigned data_priv(const struct hart *h)
{
	if (h->priv == PRV_M && (h->mstatus & MSTATUS_MPRV))
		return (h->mstatus >> 11) & 3;
	return h->priv;
}

/* Rights a leaf PTE grants to `priv`, given mstatus.SUM and MXR. */
static unsigned leaf_perm(uint64_t pte, unsigned priv, uint64_t mstatus)
{
	unsigned perm = pte & PERM_ALL;
	if (priv == PRV_U && !(pte & PTE_U))
		return 0;
	if ((mstatus & MSTATUS_MXR) && (perm & PTE_X))
		perm |= PTE_R; /* make executable readable */
	if (priv == PRV_S && (pte & PTE_U)) {
		if (!(mstatus & MSTATUS_SUM))
			return 0;
		perm &= ~PTE_X; /* S-mode never executes user pages */
	}
	return perm;
}

enum { LEAF_OK, LEAF_PAGE_FAULT, LEAF_ACCESS_FAULT };

/*
 * Descends the page table rooted at `satp` (Sv39 or Sv48) to the leaf PTE
 * for va: LEAF_OK with the PTE, its guest physical address and its level
 * (0: a 4 KiB page); LEAF_PAGE_FAULT for a non-canonical va or a malformed
 * or invalid entry; LEAF_ACCESS_FAULT for a table outside RAM.  `hart_walk`
 * is the hart's own walk on its current satp: it also checks PMP on every
 * table read and uses and fills the walk cache.  Nothing is written.
 */
static int find_leaf(struct hart *h, uint64_t satp, gva_t va, bool hart_walk, gpa_t *leaf_pa,
		     uint64_t *leaf, int *level)
{
	unsigned levels = satp >> 60 == SATP_MODE_SV39 ? 3 : 4;
	if (sext(va, 12 + 9 * levels) != (int64_t)va)
		return LEAF_PAGE_FAULT;
	struct pmap *mem = h->env.mem;
	gpa_t table = (satp & ((1ull << 44) - 1)) << PAGE_SHIFT;
	int top = (int)levels - 1;
	unsigned wc = (va >> 21) % WALK_CACHE_SIZE;
	if (hart_walk && h->wc_tag[wc] == va >> 21) { /* straight to the last-level table */
		table = h->wc_table[wc];
		top = 0;
	}
	for (int i = top; i >= 0; i--) {
		gpa_t pte_pa = table + ((va >> (PAGE_SHIFT + 9 * i)) & 511) * 8;
		bool uniform;
		if (!pmap_is_ram(mem, pte_pa, 8) ||
		    (hart_walk && pmp_active(h) && !pmp_allows(h, pte_pa, 8, ACC_READ, PRV_S, &uniform)))
			return LEAF_ACCESS_FAULT;
		if (UNLIKELY(h->prot_on) && h->env.pt_read)
			h->env.pt_read(h->env.opaque, pte_pa); /* a page table must never be plaintext of a cloaked page */
		uint64_t pte = ld_le(pmap_touch(mem, pte_pa), 8);
		if (!(pte & PTE_V) || (!(pte & PTE_R) && (pte & PTE_W)) || (pte >> 54))
			return LEAF_PAGE_FAULT;
		uint64_t ppn = (pte >> 10) & ((1ull << 44) - 1);
		if (!(pte & (PTE_R | PTE_X))) {
			/* A, D and U are reserved in a pointer to the next level. */
			if (i == 0 || (pte & (PTE_A | PTE_D | PTE_U)))
				return LEAF_PAGE_FAULT;
			table = ppn << PAGE_SHIFT;
			if (hart_walk && i == 1) {
				h->wc_tag[wc] = va >> 21;
				h->wc_table[wc] = table;
			}
			continue;
		}
		if (i > 0 && (ppn & ((1ull << (9 * i)) - 1)))
			return LEAF_PAGE_FAULT; /* misaligned superpage */
		*leaf_pa = pte_pa;
		*leaf = pte;
		*level = i;
		return LEAF_OK;
	}
	return LEAF_PAGE_FAULT; /* not reached */
}

/* The guest physical address va maps to through a leaf PTE at `level`. */
static gpa_t leaf_target(uint64_t pte, int level, gva_t va)
{
	uint64_t ppn = (pte >> 10) & ((1ull << 44) - 1);
	return (ppn << PAGE_SHIFT) + (va & ((1ull << (PAGE_SHIFT + 9 * level)) - 1));
}

/*
 * Walks the page table for an access by `priv`.  Returns 0 with the guest
 * physical address and the rights a TLB entry may cache (W only once D is
 * set), or the exception cause.
 */
static int walk(struct hart *h, gva_t va, enum mmu_access acc, unsigned priv, gpa_t *pa,
		unsigned *perm)
{
	if (priv == PRV_M || h->satp >> 60 == SATP_MODE_BARE) {
		*pa = va;
		*perm = PERM_ALL;
		return 0;
	}
	gpa_t pte_pa;
	uint64_t pte;
	int level;
	switch (find_leaf(h, h->satp, va, true, &pte_pa, &pte, &level)) {
	case LEAF_PAGE_FAULT: return page_fault[acc];
	case LEAF_ACCESS_FAULT: return access_fault[acc];
	}
	unsigned rights = leaf_perm(pte, priv, h->mstatus);
	if (!(rights & needed[acc]))
		return page_fault[acc];
	uint64_t want = PTE_A | (acc == ACC_WRITE ? PTE_D : 0);
	if ((pte & want) != want) {
		pte |= want;
		st_le(pmap_touch(h->env.mem, pte_pa), pte, 8);
		/* a page table that is also code: decoded copies of it are stale now */
		if (pmap_is_code(h->env.mem, pte_pa))
			pmap_code_written(h->env.mem, pte_pa);
	}
	if (!(pte & PTE_D))
		rights &= ~PTE_W;
	*perm = rights | (unsigned)level << PERM_LEVEL_SHIFT;
	*pa = leaf_target(pte, level, va);
	return 0;
}

/*
 * walk() plus the PMP check of the final physical access.  With PMP active
 * a TLB entry caches only the access types PMP allows, and only when the
 * decision holds for the whole page.
 */
static int translate(struct hart *h, gva_t va, unsigned size, enum mmu_access acc,
		     unsigned priv, gpa_t *pa, unsigned *perm)
{
	int exc = walk(h, va, acc, priv, pa, perm);
	if (exc || !pmp_active(h))
		return exc;
	bool uniform;
	unsigned rights = pmp_rights(h, *pa, size, priv, &uniform);
	if (!(rights & needed[acc]))
		return access_fault[acc];
	/* Cache only what PMP allows, and only if that holds for the whole page. */
	*perm &= rights | ~PERM_ALL;
	if (!uniform)
		*perm |= PERM_NOCACHE;
	return 0;
}

int mmu_lookup(struct hart *h, uint64_t satp, gva_t va, gpa_t *pa, unsigned *flags)
{
	if (satp >> 60 == SATP_MODE_BARE) {
		*pa = va;
		*flags = PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D;
		return 0;
	}
	gpa_t pte_pa;
	uint64_t pte;
	int level;
	if (find_leaf(h, satp, va, false, &pte_pa, &pte, &level) != LEAF_OK)
		return -1;
	*flags = pte & 0xff;
	*pa = leaf_target(pte, level, va);
	return 0;
}

int mmu_translate(struct hart *h, gva_t va, enum mmu_access acc, gpa_t *pa)
{
	unsigned perm;
	unsigned priv = acc == ACC_FETCH ? h->priv : data_priv(h);
	return translate(h, va, 1, acc, priv, pa, &perm);
}

/* Caches a translation of a RAM page in table t. */
static uint8_t *tlb_fill(struct hart *h, struct tlb *t, gva_t va, gpa_t pa, unsigned perm)
{
	struct tlb_entry *e = tlb_lookup(t, va);
	gva_t page = va & PAGE_MASK;
	uint8_t *host = pmap_touch(h->env.mem, pa & PAGE_MASK);
	if (perm & PERM_NOCACHE)
		return host + (va & ~PAGE_MASK);
	if (pmap_is_code(h->env.mem, pa))
		perm &= ~PTE_W; /* writes to decoded code must come to the slow path */
	e->tag_r = (perm & PTE_R) ? page : TLB_INVALID;
	e->tag_w = (perm & PTE_W) ? page : TLB_INVALID;
	e->tag_x = (perm & PTE_X) ? page : TLB_INVALID;
	e->addend = (uintptr_t)host - page;
	tlb_logged_fill(t, e);
	unsigned level = perm >> PERM_LEVEL_SHIFT;
	if (level) { /* remember the whole superpage for sfence.vma by address */
		gva_t span = (1ull << (PAGE_SHIFT + 9 * level)) - 1;
		gva_t base = va & ~span;
		h->super_lo = base < h->super_lo ? base : h->super_lo;
		h->super_hi = base + span > h->super_hi ? base + span : h->super_hi;
	}
	return host + (va & ~PAGE_MASK);
}

/*
 * Translates one page-contained data access.  Returns the host address for
 * RAM, NULL with *mmio set for a device, or NULL with *mmio NULL after
 * raising the exception.
 */
static uint8_t *data_access(struct hart *h, gva_t va, unsigned size, enum mmu_access acc,
			    bool rmw, const struct mmio_region **mmio, gpa_t *pa_out)
{
	gpa_t pa = 0;
	unsigned perm;
	*mmio = NULL;
	int exc = translate(h, va, size, acc, data_priv(h), &pa, &perm);
	if (exc) {
		hart_trap(h, exc, va);
		return NULL;
	}
	*pa_out = pa;
	if (pmap_is_ram(h->env.mem, pa, size)) {
		if (UNLIKELY(h->prot_on)) {
			switch (h->env.prot_check(h->env.opaque, h, va, pa, rmw ? PROT_ACC_RMW : acc,
						  data_priv(h), &perm)) {
			case PROT_FAULT:
				hart_trap(h, access_fault[acc], va);
				return NULL;
			case PROT_TAKEN:
				return NULL;
			case PROT_SILENT:
				return (acc == ACC_READ ? h->silent_zero : h->silent_sink) + (va & ~PAGE_MASK);
			}
		}
		if (acc == ACC_WRITE && pmap_is_code(h->env.mem, pa))
			pmap_code_written(h->env.mem, pa);
		return tlb_fill(h, h->tlb_data, va, pa, perm);
	}
	*mmio = bus_find(h->env.bus, pa, size);
	if (!*mmio) {
		hart_trap(h, access_fault[acc], va);
		return NULL;
	}
	if (pa & (size - 1)) {
		*mmio = NULL;
		hart_trap(h, acc == ACC_READ ? EXC_LOAD_MISALIGNED : EXC_STORE_MISALIGNED, va);
	}
	return NULL;
}

static bool crosses_page(gva_t va, unsigned size)
{
	return (va & ~PAGE_MASK) + size > PAGE_SIZE;
}

/* A RAM access that straddles two pages: both halves must translate to RAM. */
static bool split_access(struct hart *h, gva_t va, unsigned size, enum mmu_access acc,
			 uint8_t *bytes)
{
	unsigned first = PAGE_SIZE - (va & ~PAGE_MASK);
	const struct mmio_region *mmio;
	gpa_t pa;
	uint8_t *lo = data_access(h, va, first, acc, false, &mmio, &pa);
	if (!lo && !mmio)
		return false;
	uint8_t *hi = lo ? data_access(h, va + first, size - first, acc, false, &mmio, &pa) : NULL;
	if (!lo || !hi) {
		if (mmio) /* part of it is a device: refuse rather than tear */
			hart_trap(h, acc == ACC_READ ? EXC_LOAD_MISALIGNED : EXC_STORE_MISALIGNED, va);
		return false;
	}
	if (acc == ACC_READ) {
		memcpy(bytes, lo, first);
		memcpy(bytes + first, hi, size - first);
	} else {
		memcpy(lo, bytes, first);
		memcpy(hi, bytes + first, size - first);
	}
	return true;
}

bool mmu_load_slow(struct hart *h, gva_t va, unsigned size, uint64_t *val)
{
	if (crosses_page(va, size)) {
		uint64_t v = 0;
		if (!split_access(h, va, size, ACC_READ, (uint8_t *)&v))
			return false;
		*val = v;
		return true;
	}
	const struct mmio_region *mmio;
	gpa_t pa;
	uint8_t *host = data_access(h, va, size, ACC_READ, false, &mmio, &pa);
	if (host) {
		*val = ld_le(host, size);
		return true;
	}
	if (!mmio)
		return false;
	*val = bus_read(mmio, pa, size);
	return true;
}

bool mmu_store_slow(struct hart *h, gva_t va, unsigned size, uint64_t val)
{
	if (crosses_page(va, size))
		return split_access(h, va, size, ACC_WRITE, (uint8_t *)&val);
	const struct mmio_region *mmio;
	gpa_t pa;
	uint8_t *host = data_access(h, va, size, ACC_WRITE, false, &mmio, &pa);
	if (host) {
		st_le(host, val, size);
		return true;
	}
	if (!mmio)
		return false;
	bus_write(mmio, pa, val, size);
	return true;
}

static void *atomic_ptr(struct hart *h, gva_t va, unsigned size, enum mmu_access acc)
{
	if (va & (size - 1)) {
		hart_trap(h, acc == ACC_READ ? EXC_LOAD_MISALIGNED : EXC_STORE_MISALIGNED, va);
		return NULL;
	}
	struct tlb_entry *e = tlb_lookup(h->tlb_data, va);
	/* A read-modify-write needs both tags: it reads as well as writes. */
	bool hit = acc == ACC_READ ? e->tag_r == (va & PAGE_MASK)
				   : e->tag_w == (va & PAGE_MASK) && e->tag_r == (va & PAGE_MASK);
	if (LIKELY(hit))
		return (void *)(uintptr_t)(va + e->addend);
	const struct mmio_region *mmio;
	gpa_t pa;
	uint8_t *host = data_access(h, va, size, acc, acc == ACC_WRITE, &mmio, &pa);
	if (!host && mmio) /* no atomics on devices */
		hart_trap(h, access_fault[acc], va);
	return host;
}

void *mmu_amo_ptr(struct hart *h, gva_t va, unsigned size)
{
	return atomic_ptr(h, va, size, ACC_WRITE);
}

void *mmu_lr_ptr(struct hart *h, gva_t va, unsigned size)
{
	return atomic_ptr(h, va, size, ACC_READ);
}

/* Translates and checks a fetch at va; the host address, or NULL after the trap. */
static uint8_t *fetch_half(struct hart *h, gva_t va)
{
	gpa_t pa;
	unsigned perm;
	int exc = translate(h, va, 2, ACC_FETCH, h->priv, &pa, &perm);
	if (!exc && !pmap_is_ram(h->env.mem, pa, 2))
		exc = EXC_INSN_ACCESS;
	if (!exc && UNLIKELY(h->prot_on)) {
		int v = h->env.prot_check(h->env.opaque, h, va, pa, ACC_FETCH, h->priv, &perm);
		if (v == PROT_TAKEN)
			return NULL;
		if (v != PROT_OK)
			exc = EXC_INSN_ACCESS;
	}
	if (exc) {
		hart_trap(h, exc, va);
		return NULL;
	}
	return tlb_fill(h, h->tlb_fetch, va, pa, perm);
}

bool mmu_fetch_slow(struct hart *h, gva_t pc, uint32_t *insn)
{
	uint16_t lo, hi;
	uint8_t *host = fetch_half(h, pc);
	if (!host)
		return false;
	lo = (uint16_t)ld_le(host, 2);
	if ((lo & 3) != 3) {
		*insn = lo;
		return true;
	}
	if (((pc + 2) & ~PAGE_MASK) != 0) { /* both halves in one page: one translation */
		hi = (uint16_t)ld_le(host + 2, 2);
	} else {
		uint8_t *next = fetch_half(h, pc + 2);
		if (!next)
			return false;
		hi = (uint16_t)ld_le(next, 2);
	}
	*insn = lo | (uint32_t)hi << 16;
	return true;
}
