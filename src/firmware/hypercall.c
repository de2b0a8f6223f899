/*
 * hypercall.c - the dispatcher of umbra's hypercalls and the violation
 * actions.  The ABI is docs/hypercall-abi.md; the register use is the SBI's.
 */
#include "firmware/hypercall.h"

#include <errno.h>

#include "mmu/mmu.h"
#include "umbra/hypercall.h"

#define RIGHTS_MASK 0x07070707ul
#define PTE_V 0x01u
#define PTE_X 0x08u
#define PTE_U 0x10u

struct ret {
	int64_t error;
	uint64_t value;
};

static struct ret ok(uint64_t v) { return (struct ret){UMBRA_OK, v}; }
static struct ret err(int64_t e) { return (struct ret){e, 0}; }

void hypercall_page_changed(struct hypercalls *hc, gpa_t page)
{
	struct pmap *pm = hc->prot->pm;
	uintptr_t host = (uintptr_t)pm->host + (page - pm->ram_base);
	for (unsigned i = 0; i < hc->nharts; i++) {
		hart_tlb_drop(hc->harts[i], host);
		hc->harts[i]->prot_on = hc->prot->npages > 0;
	}
}

/* The guest physical page behind the caller's user page va, or 0. */
static gpa_t user_page(struct hart *h, gva_t va, unsigned need)
{
	gpa_t pa;
	unsigned flags;
	if (mmu_lookup(h, h->satp, va, &pa, &flags) || !(flags & PTE_U) || (flags & need) != need ||
	    !pmap_is_ram(h->env.mem, pa, PAGE_SIZE))
		return 0;
	return pa & PAGE_MASK;
}

/* Checks (va, npages); returns 0 or the error, and clamps npages to one call's worth. */
static int64_t check_range(gva_t va, uint64_t *npages)
{
	if (*npages == 0)
		return UMBRA_ERR_INVALID_PARAM;
	if ((va & ~PAGE_MASK) || *npages > (UINT64_MAX - va) / PAGE_SIZE + 1 ||
	    (va + *npages * PAGE_SIZE < va && va + *npages * PAGE_SIZE != 0))
		return UMBRA_ERR_INVALID_ADDRESS;
	if (*npages > UMBRA_MAX_PAGES_PER_CALL)
		*npages = UMBRA_MAX_PAGES_PER_CALL;
	return 0;
}

/* Partial progress is success; an error only when nothing was done. */
static struct ret progress(uint64_t done, int64_t e)
{
	return done || !e ? ok(done) : err(e);
}

static struct ret do_protect(struct hypercalls *hc, struct hart *h)
{
	gva_t va = h->x[10];
	uint64_t n = h->x[11], rights = h->x[12], action = h->x[13];
	if (h->priv != PRV_U)
		return err(UMBRA_ERR_DENIED);
	if ((rights & ~(RIGHTS_MASK | UMBRA_SEAL)) || (action & 0xffffff00u) ||
	    (action & 0xff) > UMBRA_ACT_UPCALL)
		return err(UMBRA_ERR_INVALID_PARAM);
	int64_t e = check_range(va, &n);
	if (e)
		return err(e);
	struct prot_owner *o = protect_owner(hc->prot, h->satp, true);
	if (!o)
		return err(UMBRA_ERR_FAILED);
	uint32_t owner = protect_owner_id(hc->prot, o);
	uint64_t done = 0;
	for (; done < n; done++) {
		gpa_t pa = user_page(h, va + done * PAGE_SIZE, 0);
		if (!pa) {
			e = UMBRA_ERR_INVALID_ADDRESS;
			break;
		}
		int rc = protect_page(hc->prot, owner, va + done * PAGE_SIZE, pa,
				      (uint32_t)(rights & RIGHTS_MASK), rights & UMBRA_SEAL,
				      (uint8_t)action, (uint32_t)(action >> 32));
		if (rc) {
			e = rc == -ENOSPC ? UMBRA_ERR_FAILED : UMBRA_ERR_DENIED;
			break;
		}
	}
	return progress(done, e);
}

static struct ret do_unprotect(struct hypercalls *hc, struct hart *h)
{
	gva_t va = h->x[10];
	uint64_t n = h->x[11];
	if (h->priv != PRV_U)
		return err(UMBRA_ERR_DENIED);
	int64_t e = check_range(va, &n);
	if (e)
		return err(e);
	struct prot_owner *o = protect_owner(hc->prot, h->satp, false);
	if (!o)
		return ok(n); /* nothing of the caller's is protected */
	uint32_t owner = protect_owner_id(hc->prot, o);
	uint64_t done = 0;
	for (; done < n; done++) {
		if (protect_unprotect(hc->prot, owner, va + done * PAGE_SIZE)) {
			e = UMBRA_ERR_DENIED;
			break;
		}
	}
	return progress(done, e);
}

static struct ret do_query(struct hypercalls *hc, struct hart *h)
{
	struct prot_owner *o = protect_owner(hc->prot, h->satp, false);
	struct prot_entry *e = o ? protect_by_va(hc->prot, protect_owner_id(hc->prot, o), h->x[10])
				 : NULL;
	switch (h->x[11]) {
	case UMBRA_QUERY_RIGHTS:
		return ok(e ? e->rights | (e->seal ? UMBRA_SEAL : 0) : 0);
	case UMBRA_QUERY_ACTION:
		return ok(e ? e->action | (uint64_t)e->tag << 32 : 0);
	case UMBRA_QUERY_VIOLATIONS:
		return ok(e ? e->violations : 0);
	}
	return err(UMBRA_ERR_INVALID_PARAM);
}

static struct ret do_set_handler(struct hypercalls *hc, struct hart *h)
{
	if (h->priv != PRV_U)
		return err(UMBRA_ERR_DENIED);
	gva_t handler = h->x[10];
	if (handler && ((handler & 1) || !user_page(h, handler & PAGE_MASK, PTE_X)))
		return err(UMBRA_ERR_INVALID_ADDRESS);
	struct prot_owner *o = protect_owner(hc->prot, h->satp, true);
	if (!o)
		return err(UMBRA_ERR_FAILED);
	o->handler = handler;
	return ok(0);
}

static struct ret do_stats(struct hypercalls *hc, struct hart *h)
{
	struct prot_owner *o = h->priv == PRV_U ? protect_owner(hc->prot, h->satp, false) : NULL;
	switch (h->x[10]) {
	case UMBRA_STAT_VIOLATIONS:
		return ok(h->priv == PRV_U ? (o ? o->violations : 0) : hc->prot->violations);
	case UMBRA_STAT_PAGES:
		return ok(h->priv == PRV_U ? (o ? o->pages : 0) : hc->prot->npages);
	}
	return err(UMBRA_ERR_INVALID_PARAM);
}

/* Length of the instruction at pc (2 or 4), 4 if it cannot be read. */
static unsigned insn_len(struct hart *h, gva_t pc)
{
	gpa_t pa;
	unsigned flags;
	if (mmu_lookup(h, h->satp, pc, &pa, &flags) || !pmap_is_ram(h->env.mem, pa, 2))
		return 4;
	return (h->env.mem->host[pa - h->env.mem->ram_base] & 3) == 3 ? 4 : 2;
}

static void restore(struct hart *h, struct prot_owner *o)
{
	memcpy(&h->x[1], &o->saved_x[1], 31 * sizeof(uint64_t));
	memcpy(h->f, o->saved_f, sizeof(h->f));
	h->fflags = o->saved_fflags;
	h->frm = o->saved_frm;
	o->in_upcall = false;
}

/* UPCALL_RETURN: back to the interrupted code, past it, or into exit_group(). */
static int do_upcall_return(struct hypercalls *hc, struct hart *h)
{
	struct prot_owner *o = h->priv == PRV_U ? protect_owner(hc->prot, h->satp, false) : NULL;
	if (!o || !o->in_upcall) {
		h->x[10] = (uint64_t)UMBRA_ERR_DENIED;
		return HC_DONE;
	}
	uint64_t disposition = h->x[10], code = h->x[11];
	restore(h, o);
	if (disposition == UMBRA_UPCALL_EXIT) {
		h->x[17] = 94; /* exit_group */
		h->x[10] = code;
		return HC_DELIVER;
	}
	h->pc = o->saved_pc;
	if (disposition == UMBRA_UPCALL_SKIP)
		h->pc += insn_len(h, h->pc);
	return HC_REDIRECT;
}

int hypercall_dispatch(struct hypercalls *hc, struct hart *h)
{
	struct ret r;
	switch (h->x[16]) {
	case UMBRA_FN_PROBE:
		r = ok((uint64_t)UMBRA_ABI_VERSION << 32 | UMBRA_FEAT_PROTECT | UMBRA_FEAT_UPCALL);
		break;
	case UMBRA_FN_PROTECT: r = do_protect(hc, h); break;
	case UMBRA_FN_UNPROTECT: r = do_unprotect(hc, h); break;
	case UMBRA_FN_QUERY: r = do_query(hc, h); break;
	case UMBRA_FN_SET_HANDLER: r = do_set_handler(hc, h); break;
	case UMBRA_FN_UPCALL_RETURN: return do_upcall_return(hc, h);
	case UMBRA_FN_STATS: r = do_stats(hc, h); break;
	default: r = err(UMBRA_ERR_NOT_SUPPORTED); break;
	}
	h->x[10] = (uint64_t)r.error;
	if (r.error == UMBRA_OK)
		h->x[11] = r.value;
	return HC_DONE;
}

/* --- the fill-path check ------------------------------------------------- */

static const unsigned perm_of[] = {PERM_R, PERM_W, PERM_X};

static unsigned rights_to_perm(unsigned rights)
{
	return (rights & UMBRA_R ? PERM_R : 0) | (rights & UMBRA_W ? PERM_W : 0) |
	       (rights & UMBRA_X ? PERM_X : 0);
}

static void upcall(struct hart *h, struct prot_owner *o, gva_t va, unsigned acc,
		   const struct prot_entry *e)
{
	o->in_upcall = true;
	memcpy(o->saved_x, h->x, sizeof(o->saved_x));
	memcpy(o->saved_f, h->f, sizeof(o->saved_f));
	o->saved_fflags = h->fflags;
	o->saved_frm = h->frm;
	o->saved_pc = h->pc;
	h->x[10] = va;
	h->x[11] = acc;
	h->x[12] = PENV_OWNER;
	h->x[13] = e->tag;
	h->x[14] = h->pc;
	h->pc = o->handler;
}

/* Applies e's action to a violation by env; returns the verdict. */
static int act(struct hypercalls *hc, struct hart *h, struct prot_entry *e, enum prot_env env,
	       struct prot_owner *cur, gva_t va, unsigned acc, unsigned *perm)
{
	protect_violation(hc->prot, e, env, acc, va, h->pc);
	switch (e->action) {
	case UMBRA_ACT_REPORT:
		*perm |= PERM_NOCACHE; /* count every access */
		return PROT_OK;
	case UMBRA_ACT_SILENT:
		return acc == UMBRA_ACCESS_EXEC ? PROT_FAULT : PROT_SILENT;
	case UMBRA_ACT_HALT:
		hc->halt(hc->opaque);
		h->stop = true;
		return PROT_TAKEN;
	case UMBRA_ACT_UPCALL:
		if (env == PENV_OWNER && cur && cur->handler && !cur->in_upcall) {
			upcall(h, cur, va, acc, e);
			return PROT_TAKEN;
		}
		return PROT_FAULT;
	}
	return PROT_FAULT;
}

/* Does the owner's page table still map e's address to e's page? */
static bool owner_alive(struct hypercalls *hc, struct hart *h, const struct prot_entry *e)
{
	gpa_t pa;
	unsigned flags;
	const struct prot_owner *o = &hc->prot->owners[e->owner - 1];
	return !mmu_lookup(h, o->root, e->va, &pa, &flags) && (pa & PAGE_MASK) == e->pa;
}

int hypercall_prot_check(struct hypercalls *hc, struct hart *h, gva_t va, gpa_t pa,
			 unsigned acc, unsigned priv, unsigned *perm)
{
	struct protect *p = hc->prot;
	struct prot_owner *cur = NULL;
	uint32_t cur_id = 0;
	if (priv == PRV_U && (cur = protect_owner(p, h->satp, false)) && cur->pages)
		cur_id = protect_owner_id(p, cur);
	/* The owner's protected address now backed by another page: a remap. */
	if (cur_id) {
		struct prot_entry *ve = protect_by_va(p, cur_id, va);
		if (ve && ve->pa != (pa & PAGE_MASK)) {
			*perm |= PERM_NOCACHE;
			return act(hc, h, ve, PENV_OWNER, cur, va, acc, perm);
		}
	}
	struct prot_entry *e = protect_by_pa(p, pa);
	if (!e)
		return PROT_OK;
	enum prot_env env = priv != PRV_U ? PENV_KERNEL : e->owner == cur_id ? PENV_OWNER : PENV_OTHER;
	unsigned allowed = rights_to_perm(protect_rights(e, env));
	if (allowed & perm_of[acc]) {
		*perm &= allowed | ~(PERM_R | PERM_W | PERM_X);
		return PROT_OK;
	}
	if (env != PENV_OWNER && !owner_alive(hc, h, e)) {
		protect_release(p, e); /* the owner's address space is gone */
		return PROT_OK;
	}
	return act(hc, h, e, env, cur, va, acc, perm);
}
