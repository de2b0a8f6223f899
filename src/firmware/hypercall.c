/*
 * hypercall.c - the dispatcher of umbra's hypercalls and the violation
 * actions.  The ABI is docs/hypercall-abi.md; the register use is the SBI's.
 */
#include "firmware/hypercall.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <openssl/evp.h>

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
	if (pmap_is_code(pm, page))
		pmap_code_written(pm, page);
	for (unsigned i = 0; i < hc->nharts; i++) {
		hart_tlb_drop(hc->harts[i], host);
		hc->harts[i]->prot_on = hc->prot->npages > 0 || hc->cloak->npages > 0;
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
		return ok(e ? e->rights | (e->seal ? UMBRA_SEAL : 0) | UMBRA_PROTECTED : 0);
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
	return (*pmap_touch(h->env.mem, pa) & 3) == 3 ? 4 : 2;
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
	if (disposition > UMBRA_UPCALL_EXIT) {
		h->x[10] = (uint64_t)UMBRA_ERR_INVALID_PARAM; /* still in the handler */
		return HC_DONE;
	}
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

/* --- cloaking ------------------------------------------------------------ */

static void switch_view(struct hart *h, unsigned view)
{
	h->view = view;
	hart_tlb_select(h);
}

/* SHA-256 of the caller's pages [va, va + n pages), read through its page table. */
static bool hash_image(struct hart *h, gva_t va, uint64_t n, uint8_t out[32])
{
	EVP_MD_CTX *s = EVP_MD_CTX_new();
	bool good = s && EVP_DigestInit_ex(s, EVP_sha256(), NULL) == 1;
	for (uint64_t i = 0; good && i < n; i++) {
		gpa_t pa = user_page(h, va + i * PAGE_SIZE, 0);
		good = pa && EVP_DigestUpdate(s, pmap_touch(h->env.mem, pa), PAGE_SIZE) == 1;
	}
	unsigned len = 0;
	good = good && EVP_DigestFinal_ex(s, out, &len) == 1 && len == 32;
	EVP_MD_CTX_free(s);
	return good;
}

/* Cloaks (or uncloaks) the domain's pages [va, va + n pages) of the caller. */
static struct ret cloak_range(struct hypercalls *hc, struct hart *h, unsigned d, gva_t va,
			      uint64_t n, bool cloak)
{
	uint64_t done = 0;
	int64_t e = 0;
	for (; done < n; done++) {
		gva_t page = va + done * PAGE_SIZE;
		if (!cloak) {
			struct cloak_page *cp = cloak_by_va(hc->cloak, d, page);
			if (cp && cp->state == CLOAK_SEALED) {
				gpa_t pa = user_page(h, page, 0);
				if (!pa || cloak_unseal(hc->cloak, cp, pa)) {
					e = UMBRA_ERR_INVALID_ADDRESS;
					break;
				}
			}
			cloak_remove(hc->cloak, d, page);
			continue;
		}
		gpa_t pa = user_page(h, page, 0);
		if (!pa) {
			e = UMBRA_ERR_INVALID_ADDRESS;
			break;
		}
		int rc = cloak_add(hc->cloak, d, page, pa);
		if (rc) {
			e = rc == -ENOSPC ? UMBRA_ERR_FAILED : UMBRA_ERR_DENIED;
			break;
		}
	}
	return progress(done, e);
}

static struct ret do_cloak_create(struct hypercalls *hc, struct hart *h)
{
	uint64_t flags = h->x[10], va = h->x[11], n = h->x[12];
	gva_t tramp = h->x[13], tramp_sp = h->x[14];
	uint8_t id[32];
	if (h->priv != PRV_U || h->view != VIEW_SYSTEM)
		return err(UMBRA_ERR_DENIED);
	if (flags & ~(uint64_t)UMBRA_CLOAK_KEY_DERIVED)
		return err(UMBRA_ERR_INVALID_PARAM);
	if ((flags & UMBRA_CLOAK_KEY_DERIVED) && !hc->master_key)
		return err(UMBRA_ERR_NOT_SUPPORTED);
	int64_t e = check_range(va, &n);
	if (e || n != h->x[12])
		return err(e ? e : UMBRA_ERR_INVALID_PARAM);
	uint64_t ident = h->x[15] ? h->x[15] : n;
	if (ident > n)
		return err(UMBRA_ERR_INVALID_PARAM);
	if ((tramp & 1) || !user_page(h, tramp & PAGE_MASK, PTE_X) || !hash_image(h, va, ident, id))
		return err(UMBRA_ERR_INVALID_ADDRESS);
	/* Check every image page before anything changes: all or nothing. */
	for (uint64_t i = 0; i < n; i++) {
		gpa_t pa = user_page(h, va + i * PAGE_SIZE, 0);
		if (!pa)
			return err(UMBRA_ERR_INVALID_ADDRESS);
		if (cloak_by_pa(hc->cloak, pa))
			return err(UMBRA_ERR_DENIED); /* another domain's plaintext */
	}
	int d = cloak_domain_new(hc->cloak, h->satp,
				 flags & UMBRA_CLOAK_KEY_DERIVED ? hc->master_key : NULL, id, sizeof(id));
	if (d < 0)
		return err(d == -EEXIST ? UMBRA_ERR_DENIED : UMBRA_ERR_FAILED);
	struct cloak_domain *dom = cloak_domain(hc->cloak, (unsigned)d);
	dom->derived = flags & UMBRA_CLOAK_KEY_DERIVED;
	memcpy(dom->identity, id, sizeof(id));
	dom->trampoline = tramp;
	dom->tramp_stack = tramp_sp;
	struct ret r = cloak_range(hc, h, (unsigned)d, va, n, true);
	if (r.error || r.value != n)
		return err(UMBRA_ERR_FAILED); /* the image must be cloaked whole */
	dom->ctx[0].state = CTX_RUNNING;
	h->cloak_ctx = 0;
	switch_view(h, (unsigned)d);
	return ok((uint64_t)d);
}

static struct ret do_cloak_pages(struct hypercalls *hc, struct hart *h, bool cloak)
{
	gva_t va = h->x[10];
	uint64_t n = h->x[11];
	if (h->priv != PRV_U || h->view == VIEW_SYSTEM)
		return err(UMBRA_ERR_DENIED); /* only from inside the domain */
	int64_t e = check_range(va, &n);
	if (e)
		return err(e);
	return cloak_range(hc, h, h->view, va, n, cloak);
}

/* CLOAK_RESUME(context, result), called by the trampoline. */
static int do_cloak_resume(struct hypercalls *hc, struct hart *h)
{
	unsigned d = h->priv == PRV_U && h->view == VIEW_SYSTEM ? cloak_domain_of(hc->cloak, h->satp) : 0;
	struct cloak_domain *dom = cloak_domain(hc->cloak, d);
	uint64_t id = h->x[10], result = h->x[11];
	if (!dom || id >= CLOAK_MAX_CONTEXTS || dom->ctx[id].state != CTX_SUSPENDED) {
		h->x[10] = (uint64_t)UMBRA_ERR_DENIED; /* a forged or replayed context */
		return HC_DONE;
	}
	struct cloak_ctx *c = &dom->ctx[id];
	memcpy(h->x, c->x, sizeof(c->x));
	memcpy(h->f, c->f, sizeof(c->f));
	h->fflags = c->fflags;
	h->frm = c->frm;
	h->pc = c->pc;
	if (c->in_syscall) { /* the result is the one thing the kernel hands back */
		h->x[10] = result;
		h->pc += 4;
	}
	c->state = CTX_RUNNING;
	h->cloak_ctx = (unsigned)id;
	switch_view(h, d);
	return HC_REDIRECT;
}

void hypercall_cloak_trap(struct hypercalls *hc, struct hart *h, bool irq, uint64_t code,
			  uint64_t *tval)
{
	struct cloak_domain *dom = cloak_domain(hc->cloak, h->view);
	if (!dom)
		return;
	struct cloak_ctx *c = &dom->ctx[h->cloak_ctx];
	bool syscall = !irq && code == EXC_ECALL_U;
	memcpy(c->x, h->x, sizeof(c->x));
	memcpy(c->f, h->f, sizeof(c->f));
	c->fflags = h->fflags;
	c->frm = h->frm;
	c->pc = h->pc;
	c->in_syscall = syscall;
	c->state = CTX_SUSPENDED;
	/* Scrub: the kernel sees the trampoline, its stack, the context number,
	 * and for a system call the arguments the shim put in a0-a7. */
	for (unsigned i = 1; i < 32; i++)
		if (!syscall || i < 10 || i > 17)
			h->x[i] = 0;
	memset(h->f, 0, sizeof(h->f));
	h->fflags = 0;
	h->frm = 0;
	/* A fault keeps its page (the kernel must page it in), not the offset in
	 * it; anything else (instruction bits, an ebreak's pc) is not the kernel's. */
	bool fault = !irq && (code == EXC_INSN_PAGE || code == EXC_LOAD_PAGE ||
			      code == EXC_STORE_PAGE || code == EXC_INSN_ACCESS ||
			      code == EXC_LOAD_ACCESS || code == EXC_STORE_ACCESS ||
			      code == EXC_LOAD_MISALIGNED || code == EXC_STORE_MISALIGNED);
	*tval = fault ? *tval & PAGE_MASK : 0;
	h->x[2] = dom->tramp_stack;
	h->x[5] = h->cloak_ctx;
	h->pc = syscall ? dom->trampoline - 4 : dom->trampoline;
	h->view = VIEW_SYSTEM; /* enter_trap selects the TLB */
}

void hypercall_pt_read(struct hypercalls *hc, gpa_t pa)
{
	struct cloak_page *cp = cloak_by_pa(hc->cloak, pa);
	if (cp && cloak_seal(hc->cloak, cp))
		log_err("cannot seal cloaked page 0x%llx", (unsigned long long)pa);
}

bool hypercall_dma_prepare(struct hypercalls *hc, gpa_t pa, uint64_t len)
{
	if (!hc->cloak->npages)
		return true;
	for (gpa_t page = pa & PAGE_MASK; page < pa + len; page += PAGE_SIZE) {
		struct cloak_page *cp = cloak_by_pa(hc->cloak, page);
		if (cp && cloak_seal(hc->cloak, cp))
			return false;
	}
	return true;
}

/*
 * The cloaking part of the fill check: plaintext only in the domain's view.
 * Returns PROT_OK to go on, or a verdict.
 */
static int cloak_check(struct hypercalls *hc, struct hart *h, gva_t va, gpa_t pa,
		       unsigned acc, unsigned priv, unsigned *perm)
{
	struct cloak *c = hc->cloak;
	if (h->view != VIEW_SYSTEM && priv == PRV_U) {
		struct cloak_page *cp = cloak_by_va(c, h->view, va);
		if (cp) {
			if (cloak_unseal(c, cp, pa)) {
				log_err("integrity fault: cloaked page 0x%llx of domain %u failed verification "
					"(tampered, moved or replayed); the domain gets an access fault",
					(unsigned long long)va, h->view);
				return PROT_FAULT;
			}
			if (acc == UMBRA_ACCESS_WRITE)
				cp->written = true;
			else if (!cp->written)
				*perm &= ~PERM_W; /* learn about the first write */
			return PROT_OK;
		}
	}
	struct cloak_page *other = cloak_by_pa(c, pa);
	if (other && cloak_seal(c, other)) {
		log_err("cannot seal cloaked page 0x%llx", (unsigned long long)pa);
		return PROT_FAULT;
	}
	return PROT_OK;
}

/* --- cloaked files ---------------------------------------------------------- */

/* The domain of a calling cloaked thread whose key outlives the run, or NULL. */
static struct cloak_domain *file_domain(struct hypercalls *hc, struct hart *h)
{
	if (h->priv != PRV_U || h->view == VIEW_SYSTEM)
		return NULL;
	struct cloak_domain *dom = cloak_domain(hc->cloak, h->view);
	return dom && dom->derived ? dom : NULL;
}

/* A writable host pointer to the public (not cloaked) page of the caller at va. */
static uint8_t *public_page(struct hypercalls *hc, struct hart *h, gva_t va, size_t len)
{
	if ((va & ~PAGE_MASK) + len > PAGE_SIZE)
		return NULL;
	gpa_t pa = user_page(h, va & PAGE_MASK, 0);
	if (!pa || cloak_by_pa(hc->cloak, pa) || cloak_by_va(hc->cloak, h->view, va))
		return NULL;
	if (pmap_is_code(h->env.mem, pa))
		pmap_code_written(h->env.mem, pa);
	return pmap_touch(h->env.mem, pa) + (va & ~PAGE_MASK);
}

/* The plaintext of the domain's own cloaked page at va (unsealed if need be). */
static uint8_t *cloaked_page(struct hypercalls *hc, struct hart *h, gva_t va)
{
	struct cloak_page *cp = cloak_by_va(hc->cloak, h->view, va);
	gpa_t pa = (va & ~PAGE_MASK) ? 0 : user_page(h, va, 0);
	if (!cp || !pa || cloak_unseal(hc->cloak, cp, pa))
		return NULL;
	cp->written = true; /* its plaintext is about to change (FILE_OPEN) */
	if (pmap_is_code(h->env.mem, pa))
		pmap_code_written(h->env.mem, pa);
	return pmap_touch(h->env.mem, pa);
}

static struct ret do_file(struct hypercalls *hc, struct hart *h, bool seal)
{
	struct cloak_domain *dom = file_domain(hc, h);
	if (!dom)
		return err(UMBRA_ERR_DENIED);
	gva_t src = h->x[10], dst = h->x[11], meta_va = h->x[12];
	uint64_t resource = h->x[13], offset = h->x[14], version = h->x[15];
	uint8_t *in = seal ? cloaked_page(hc, h, src) : public_page(hc, h, src, PAGE_SIZE);
	uint8_t *out = seal ? public_page(hc, h, dst, PAGE_SIZE) : cloaked_page(hc, h, dst);
	uint8_t *meta = public_page(hc, h, meta_va, UMBRA_FILE_META_BYTES);
	if (!in || !out || !meta || (src | dst) & ~PAGE_MASK)
		return err(UMBRA_ERR_INVALID_ADDRESS);
	struct page_seal ps = {.version = version};
	if (seal) {
		if (pagecrypt_seal_copy(&dom->key, in, out, resource, offset, version, &ps))
			return err(UMBRA_ERR_FAILED);
		memcpy(meta, ps.nonce, PAGECRYPT_NONCE_BYTES);
		memcpy(meta + PAGECRYPT_NONCE_BYTES, ps.tag, PAGECRYPT_TAG_BYTES);
		return ok(0);
	}
	memcpy(ps.nonce, meta, PAGECRYPT_NONCE_BYTES);
	memcpy(ps.tag, meta + PAGECRYPT_NONCE_BYTES, PAGECRYPT_TAG_BYTES);
	if (pagecrypt_open_copy(&dom->key, in, out, resource, offset, &ps)) {
		dom->integrity_faults++;
		log_err("integrity fault: cloaked file page (resource %llu, offset %llu, version %llu) "
			"failed verification (tampered, moved or replayed)", (unsigned long long)resource,
			(unsigned long long)offset, (unsigned long long)version);
		return err(UMBRA_ERR_FAILED);
	}
	return ok(0);
}

/* The version file of (identity, resource) in the state directory. */
static void version_path(const struct hypercalls *hc, const struct cloak_domain *dom,
			 uint64_t resource, char *path, size_t len)
{
	char hex[65];
	for (unsigned i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", dom->identity[i]);
	snprintf(path, len, "%s/%s-%llu", hc->state_dir, hex, (unsigned long long)resource);
}

static struct ret do_file_version(struct hypercalls *hc, struct hart *h)
{
	struct cloak_domain *dom = file_domain(hc, h);
	if (!dom || !hc->state_dir)
		return err(UMBRA_ERR_DENIED);
	char path[512], tmp[520];
	version_path(hc, dom, h->x[10], path, sizeof(path));
	unsigned long long v = 0;
	FILE *f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%llu", &v) != 1)
			v = 0;
		fclose(f);
	}
	if (h->x[11]) { /* bump, durably: write a new file and rename it over the old */
		v++;
		snprintf(tmp, sizeof(tmp), "%s.new", path);
		f = fopen(tmp, "w");
		if (!f || fprintf(f, "%llu\n", v) < 0 || fflush(f) || fsync(fileno(f)) || fclose(f) ||
		    rename(tmp, path)) {
			log_err("%s: cannot store a cloaked file's version: %s", path, strerror(errno));
			return err(UMBRA_ERR_FAILED);
		}
	}
	return ok(v);
}

/* --- the balloon application ---------------------------------------------- */

/*
 * GIVE: every page must be the caller's (U-mode: a user page of its address
 * space; S-mode: its own mapping), hold the token, and be no cloaked or
 * protected page; umbra then takes its frame.  TAKE: the pages are the
 * guest's again (they read as zero).  Stops at the first page that fails.
 */
static struct ret do_balloon(struct hypercalls *hc, struct hart *h, bool give)
{
	gva_t va = h->x[10];
	uint64_t n = h->x[11], done = 0;
	int64_t e = check_range(va, &n);
	struct pmap *pm = h->env.mem;
	if (e || !hc->bapp)
		return err(e ? e : UMBRA_ERR_NOT_SUPPORTED);
	for (; done < n; done++) {
		gva_t page = va + done * PAGE_SIZE;
		gpa_t pa;
		unsigned flags;
		if (mmu_lookup(h, h->satp, page, &pa, &flags) || !pmap_is_ram(pm, pa, PAGE_SIZE) ||
		    (h->priv == PRV_U && !(flags & PTE_U))) {
			e = UMBRA_ERR_INVALID_ADDRESS;
			break;
		}
		pa &= PAGE_MASK;
		uint64_t idx = (pa - pm->ram_base) >> PAGE_SHIFT;
		if (!give) {
			if (hc->bapp[idx]) {
				hc->bapp[idx] = 0;
				hc->bapp_pages--;
				pmap_unballoon(pm, pa, PAGE_SIZE);
			}
			continue;
		}
		if (hc->bapp[idx])
			continue; /* given already */
		if (protect_by_pa(hc->prot, pa) || cloak_by_pa(hc->cloak, pa) ||
		    ld_le(pmap_touch(pm, pa), 8) != (hc->bapp_token ^ (page >> PAGE_SHIFT))) {
			e = UMBRA_ERR_DENIED; /* not a page it reserved for the balloon */
			break;
		}
		if (pmap_balloon(pm, pa, PAGE_SIZE)) { /* scrubbed: the host gets the frame */
			e = UMBRA_ERR_FAILED;
			break;
		}
		hc->bapp[idx] = 1;
		hc->bapp_pages++;
	}
	return progress(done, e);
}

int hypercall_dispatch(struct hypercalls *hc, struct hart *h)
{
	struct ret r;
	switch (h->x[16]) {
	case UMBRA_FN_PROBE:
		r = ok((uint64_t)UMBRA_ABI_VERSION << 32 | UMBRA_FEAT_PROTECT | UMBRA_FEAT_UPCALL |
		       UMBRA_FEAT_CLOAK | UMBRA_FEAT_BALLOON_APP);
		break;
	case UMBRA_FN_PROTECT: r = do_protect(hc, h); break;
	case UMBRA_FN_UNPROTECT: r = do_unprotect(hc, h); break;
	case UMBRA_FN_QUERY: r = do_query(hc, h); break;
	case UMBRA_FN_SET_HANDLER: r = do_set_handler(hc, h); break;
	case UMBRA_FN_UPCALL_RETURN: return do_upcall_return(hc, h);
	case UMBRA_FN_STATS: r = do_stats(hc, h); break;
	case UMBRA_FN_CLOAK_CREATE: r = do_cloak_create(hc, h); break;
	case UMBRA_FN_CLOAK_PAGES: r = do_cloak_pages(hc, h, true); break;
	case UMBRA_FN_UNCLOAK: r = do_cloak_pages(hc, h, false); break;
	case UMBRA_FN_CLOAK_RESUME: return do_cloak_resume(hc, h);
	case UMBRA_FN_FILE_SEAL: r = do_file(hc, h, true); break;
	case UMBRA_FN_FILE_OPEN: r = do_file(hc, h, false); break;
	case UMBRA_FN_FILE_VERSION: r = do_file_version(hc, h); break;
	case UMBRA_FN_BALLOON_TARGET: r = ok(hc->bapp_target); break;
	case UMBRA_FN_BALLOON_TOKEN: r = ok(hc->bapp_token); break;
	case UMBRA_FN_BALLOON_GIVE: r = do_balloon(hc, h, true); break;
	case UMBRA_FN_BALLOON_TAKE: r = do_balloon(hc, h, false); break;
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
	if (hc->cloak->npages) {
		int v = cloak_check(hc, h, va, pa, acc, priv, perm);
		if (v != PROT_OK)
			return v;
	}
	if (!p->npages)
		return PROT_OK;
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
	/* Whoever else touches the page first after the owner let go of it finds
	 * it empty: the owner's address space is gone (see the ABI). */
	if (env != PENV_OWNER && !owner_alive(hc, h, e)) {
		protect_release(p, e);
		return PROT_OK;
	}
	unsigned allowed = rights_to_perm(protect_rights(e, env));
	unsigned need = acc == PROT_ACC_RMW ? PERM_R | PERM_W : perm_of[acc];
	if ((allowed & need) == need) {
		*perm &= allowed | ~(PERM_R | PERM_W | PERM_X);
		return PROT_OK;
	}
	return act(hc, h, e, env, cur, va, acc == PROT_ACC_RMW ? UMBRA_ACCESS_WRITE : acc, perm);
}
