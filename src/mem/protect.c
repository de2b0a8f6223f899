#include "mem/protect.h"

#include <errno.h>
#include <stdlib.h>

#include "umbra/hypercall.h"

#define PROT_HASH 4096u
#define LOG_FIRST 20 /* violations logged in full; then every 1000th */

static unsigned hash(uint32_t owner, gva_t va)
{
	uint64_t k = (va >> PAGE_SHIFT) * 0x9e3779b97f4a7c15ull ^ owner;
	return (unsigned)(k >> 40) % PROT_HASH;
}

int protect_init(struct protect *p, struct pmap *pm, uint32_t max_pages)
{
	memset(p, 0, sizeof(*p));
	p->pm = pm;
	p->cap = max_pages + 1;
	p->e = calloc(p->cap, sizeof(*p->e));
	p->hash = calloc(PROT_HASH, sizeof(*p->hash));
	pm->prot = calloc(pm->ram_size >> PAGE_SHIFT, sizeof(*pm->prot));
	if (!p->e || !p->hash || !pm->prot) {
		protect_destroy(p);
		return -ENOMEM;
	}
	for (uint32_t i = 1; i + 1 < p->cap; i++)
		p->e[i].next = i + 1;
	p->free = p->cap > 1 ? 1 : 0;
	return 0;
}

void protect_destroy(struct protect *p)
{
	free(p->e);
	free(p->hash);
	if (p->pm) {
		free(p->pm->prot);
		p->pm->prot = NULL;
	}
	memset(p, 0, sizeof(*p));
}

struct prot_owner *protect_owner(struct protect *p, uint64_t satp, bool create)
{
	uint64_t root = satp & ~(0xffffull << 44); /* ASID cleared */
	struct prot_owner *free_slot = NULL;
	for (unsigned i = 0; i < PROT_MAX_OWNERS; i++) {
		if (p->owners[i].root == root)
			return &p->owners[i];
		if (!p->owners[i].root && !free_slot)
			free_slot = &p->owners[i];
	}
	if (!create || !free_slot)
		return NULL;
	memset(free_slot, 0, sizeof(*free_slot));
	free_slot->root = root;
	return free_slot;
}

struct prot_entry *protect_by_va(struct protect *p, uint32_t owner, gva_t va)
{
	va &= PAGE_MASK;
	for (uint32_t i = p->hash[hash(owner, va)]; i; i = p->e[i].next)
		if (p->e[i].owner == owner && p->e[i].va == va)
			return &p->e[i];
	return NULL;
}

static void unlink_entry(struct protect *p, struct prot_entry *e)
{
	uint32_t idx = (uint32_t)(e - p->e);
	uint32_t *link = &p->hash[hash(e->owner, e->va)];
	while (*link && *link != idx)
		link = &p->e[*link].next;
	if (*link)
		*link = e->next;
	p->pm->prot[(e->pa - p->pm->ram_base) >> PAGE_SHIFT] = 0;
	p->owners[e->owner - 1].pages--;
	p->npages--;
	gpa_t pa = e->pa;
	memset(e, 0, sizeof(*e));
	e->next = p->free;
	p->free = idx;
	if (p->changed)
		p->changed(p->opaque, pa);
}

int protect_page(struct protect *p, uint32_t owner, gva_t va, gpa_t pa, uint32_t rights,
		 bool seal, uint8_t action, uint32_t tag)
{
	va &= PAGE_MASK;
	pa &= PAGE_MASK;
	struct prot_entry *e = protect_by_pa(p, pa);
	struct prot_entry *old = protect_by_va(p, owner, va);
	if (e && e->owner != owner)
		return -EACCES;
	if (old && old != e) /* va was bound to another page: rebind it */
		unlink_entry(p, old);
	/* A sealed page may only get tighter: no new right, same action, still sealed. */
	if (e && e->seal && ((rights & ~e->rights) || !seal || action != e->action))
		return -EACCES;
	if (!e) {
		if (!p->free)
			return -ENOSPC;
		uint32_t idx = p->free;
		e = &p->e[idx];
		p->free = e->next;
		*e = (struct prot_entry){.owner = owner, .va = va, .pa = pa};
		e->next = p->hash[hash(owner, va)];
		p->hash[hash(owner, va)] = idx;
		p->pm->prot[(pa - p->pm->ram_base) >> PAGE_SHIFT] = idx;
		p->owners[owner - 1].pages++;
		p->npages++;
	} else if (e->va != va) { /* the same page under another address: rebind */
		uint32_t idx = (uint32_t)(e - p->e);
		uint32_t *link = &p->hash[hash(owner, e->va)];
		while (*link && *link != idx)
			link = &p->e[*link].next;
		if (*link)
			*link = e->next;
		e->va = va;
		e->next = p->hash[hash(owner, va)];
		p->hash[hash(owner, va)] = idx;
	}
	e->rights = rights;
	e->seal = seal;
	e->action = action;
	e->tag = tag;
	if (p->changed)
		p->changed(p->opaque, pa);
	return 0;
}

int protect_unprotect(struct protect *p, uint32_t owner, gva_t va)
{
	struct prot_entry *e = protect_by_va(p, owner, va);
	if (!e)
		return 0;
	if (e->seal)
		return -EACCES;
	unlink_entry(p, e);
	return 0;
}

void protect_release(struct protect *p, struct prot_entry *e)
{
	gpa_t pa = e->pa;
	unlink_entry(p, e);
	/* The owner is gone: nobody else may see what it kept there. */
	if (pmap_is_code(p->pm, pa))
		pmap_code_written(p->pm, pa);
	memset(pmap_touch(p->pm, pa), 0, PAGE_SIZE);
}

static const char *env_name[] = {"owner", "kernel", "other program", "device"};
static const char *access_name[] = {"read", "write", "execute"};

void protect_violation(struct protect *p, struct prot_entry *e, enum prot_env env,
		       unsigned access, gva_t va, uint64_t pc)
{
	e->violations++;
	p->owners[e->owner - 1].violations++;
	p->violations++;
	if (p->logged < LOG_FIRST || p->violations % 1000 == 0) {
		p->logged++;
		log_warn("protection violation #%llu: %s %s of 0x%llx (guest physical 0x%llx) at pc 0x%llx; "
			 "page of program %u (va 0x%llx), tag %u, action %u",
			 (unsigned long long)p->violations, env_name[env], access_name[access % 3],
			 (unsigned long long)va, (unsigned long long)(e->pa + (va & ~PAGE_MASK)),
			 (unsigned long long)pc, e->owner, (unsigned long long)e->va, e->tag, e->action);
	}
}

bool protect_dma_allowed(struct protect *p, gpa_t pa, uint64_t len, bool write)
{
	if (!p->npages || !len)
		return true;
	for (gpa_t page = pa & PAGE_MASK; page < pa + len; page += PAGE_SIZE) {
		struct prot_entry *e = protect_by_pa(p, page);
		if (!e || (protect_rights(e, PENV_DEVICE) & (write ? UMBRA_W : UMBRA_R)))
			continue;
		protect_violation(p, e, PENV_DEVICE, write ? UMBRA_ACCESS_WRITE : UMBRA_ACCESS_READ,
				  page, 0);
		if (e->action == UMBRA_ACT_HALT && p->halt)
			p->halt(p->opaque);
		if (e->action != UMBRA_ACT_REPORT)
			return false;
	}
	return true;
}
