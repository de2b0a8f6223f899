/*
 * protect.h - the protection table: program-directed rights on guest
 * physical pages (../../docs/hypercall-abi.md).
 *
 * Contract: pure bookkeeping, no knowledge of harts.  Each protected guest
 * physical page has one entry: its owner (an address space, identified by
 * the satp MODE and root PPN it runs with), the owner's virtual address that
 * was bound to it, rights for the four environment classes, the seal, the
 * action on a violation and a tag.  pmap->prot maps a guest page to its
 * entry, and (owner, virtual page) finds the same entry, so the fill path
 * can check both "who touches this physical page" and "what backs the
 * owner's protected address".  Entries are created and changed only by the
 * hypercall layer; whoever changes one must invalidate TLB entries mapping
 * the page (protect->changed hook).
 */
#ifndef UMBRA_MEM_PROTECT_H
#define UMBRA_MEM_PROTECT_H

#include "mem/pmap.h"

#define PROT_MAX_OWNERS 64

enum prot_env { PENV_OWNER, PENV_KERNEL, PENV_OTHER, PENV_DEVICE };

struct prot_entry {
	uint32_t owner;  /* index of the owner + 1; 0: free */
	uint32_t rights; /* one byte of R/W/X per environment */
	bool seal;
	uint8_t action;
	uint32_t tag;
	gva_t va;        /* the owner's virtual page */
	gpa_t pa;        /* the guest physical page */
	uint64_t violations;
	uint32_t next;   /* (owner, va) hash chain, or free list */
};

struct prot_owner {
	uint64_t root;     /* satp with the ASID cleared; 0: slot free */
	uint64_t pages, violations;
	gva_t handler;     /* upcall handler, 0: none */
	bool in_upcall;
	uint64_t saved_x[32], saved_f[32], saved_pc;
	uint32_t saved_fflags, saved_frm;
};

struct protect {
	struct pmap *pm;
	struct prot_entry *e;  /* e[0] is unused: index 0 means "none" */
	uint32_t cap, free;
	uint32_t *hash;        /* PROT_HASH buckets of entry indexes */
	uint64_t npages;       /* protected pages in the VM */
	uint64_t violations;
	unsigned logged;
	struct prot_owner owners[PROT_MAX_OWNERS];
	void (*changed)(void *opaque, gpa_t page); /* drop cached translations of page */
	void (*halt)(void *opaque);                /* a HALT violation by a device */
	void *opaque;
};

int protect_init(struct protect *p, struct pmap *pm, uint32_t max_pages) MUST_CHECK;
void protect_destroy(struct protect *p);

/* The owner slot of an address space (satp value); create it if asked. NULL: none/full. */
struct prot_owner *protect_owner(struct protect *p, uint64_t satp, bool create);
static inline uint32_t protect_owner_id(const struct protect *p, const struct prot_owner *o)
{
	return (uint32_t)(o - p->owners) + 1;
}

/* The entry binding guest page pa, or NULL. */
static inline struct prot_entry *protect_by_pa(struct protect *p, gpa_t pa)
{
	if (!p->npages || !pmap_is_ram(p->pm, pa, 1))
		return NULL;
	uint32_t i = p->pm->prot[(pa - p->pm->ram_base) >> PAGE_SHIFT];
	return i ? &p->e[i] : NULL;
}

/* The entry of the owner's virtual page va, or NULL. */
struct prot_entry *protect_by_va(struct protect *p, uint32_t owner, gva_t va);

/*
 * Protects one page: binds (owner, va) to pa with rights/action.  0, or
 * -EACCES (another owner's page, or loosening a sealed one), -ENOSPC (the
 * table is full).
 */
int protect_page(struct protect *p, uint32_t owner, gva_t va, gpa_t pa, uint32_t rights,
		 bool seal, uint8_t action, uint32_t tag) MUST_CHECK;
/* Removes the owner's protection of va: 0, -EACCES if sealed; 0 if none. */
int protect_unprotect(struct protect *p, uint32_t owner, gva_t va) MUST_CHECK;
/* Drops an entry whatever its seal (its owner is gone); zeroes the page. */
void protect_release(struct protect *p, struct prot_entry *e);

/* The rights (R/W/X bits) environment env has on an entry. */
static inline unsigned protect_rights(const struct prot_entry *e, enum prot_env env)
{
	return (e->rights >> (8 * env)) & 7;
}

/* May a device read/write [pa, pa+len)?  Counts and logs a refusal. */
bool protect_dma_allowed(struct protect *p, gpa_t pa, uint64_t len, bool write);

/* Counts a violation on e and logs it (rate-limited). */
void protect_violation(struct protect *p, struct prot_entry *e, enum prot_env env,
		       unsigned access, gva_t va, uint64_t pc);

#endif
