/*
 * cloak.h - cloaked domains: memory that is plaintext only in its domain's
 * view and sealed (AES-GCM, mem/pagecrypt.h) everywhere else.
 *
 * Contract: pure bookkeeping and crypto, no knowledge of harts.  A domain
 * owns an address space (satp, ASID cleared), a key and a set of cloaked
 * virtual pages.  Each cloaked page is either PLAIN at some guest physical
 * page (pmap->cloak maps that page back to it) or SEALED (its contents,
 * wherever the kernel keeps them, are ciphertext bound to the domain, the
 * page's virtual page number as offset, and its version).
 * cloak_unseal() verifies and decrypts a page in place for the domain's
 * view; cloak_seal() encrypts a PLAIN page before anything outside the
 * domain sees it, re-using its old seal when it was never written (no new
 * version).  Both call ->changed for the physical page so that every
 * cached translation of it (any view) and any code decoded from it is
 * dropped.  Thread contexts of a domain live here too: saved registers of
 * cloaked threads, never in guest memory.
 */
#ifndef UMBRA_MEM_CLOAK_H
#define UMBRA_MEM_CLOAK_H

#include "mem/pagecrypt.h"
#include "mem/pmap.h"

#define CLOAK_MAX_DOMAINS 4 /* views 1..4 */
#define CLOAK_MAX_CONTEXTS 16 /* threads per domain */

enum cloak_state { CLOAK_PLAIN, CLOAK_SEALED };
enum ctx_state { CTX_FREE, CTX_RUNNING, CTX_SUSPENDED };

struct cloak_page {
	uint32_t domain; /* 1-based; 0: free */
	gva_t va;
	gpa_t pa;        /* where it is plaintext (PLAIN) */
	uint8_t state;
	bool written;    /* plaintext may differ from what the seal covers */
	bool sealed_once;
	struct page_seal seal;
	uint32_t next;
};

struct cloak_ctx {
	uint8_t state;
	bool in_syscall;
	uint64_t x[32], f[32], pc;
	uint32_t fflags, frm;
};

struct cloak_domain {
	bool used;
	uint64_t root;          /* satp of its address space, ASID cleared */
	struct page_key key;
	bool derived;           /* key derived from the master key and the identity */
	uint8_t identity[32];   /* SHA-256 of the image */
	gva_t trampoline, tramp_stack;
	uint64_t pages, integrity_faults;
	struct cloak_ctx ctx[CLOAK_MAX_CONTEXTS];
};

struct cloak {
	struct pmap *pm;
	struct cloak_page *p;   /* p[0] unused */
	uint32_t cap, free;
	uint32_t *hash;
	uint64_t npages;
	struct cloak_domain dom[CLOAK_MAX_DOMAINS];
	void (*changed)(void *opaque, gpa_t page);
	void *opaque;
};

int cloak_init(struct cloak *c, struct pmap *pm, uint32_t max_pages) MUST_CHECK;
void cloak_destroy(struct cloak *c);

/* A new domain for address space satp with a random or derived key; its id (1..), or <0. */
int cloak_domain_new(struct cloak *c, uint64_t satp, const uint8_t *master,
		     const void *identity, size_t identity_len);
struct cloak_domain *cloak_domain(struct cloak *c, unsigned id);
/* The domain owning address space satp, or 0. */
unsigned cloak_domain_of(const struct cloak *c, uint64_t satp);

/* Cloaks the domain's page va, now plaintext at pa.  0, -EEXIST (another
 * domain's), -ENOSPC. */
int cloak_add(struct cloak *c, unsigned domain, gva_t va, gpa_t pa) MUST_CHECK;
/* Uncloaks va: its plaintext stays where it is, for everyone. */
void cloak_remove(struct cloak *c, unsigned domain, gva_t va);

struct cloak_page *cloak_by_va(struct cloak *c, unsigned domain, gva_t va);
static inline struct cloak_page *cloak_by_pa(struct cloak *c, gpa_t pa)
{
	if (!c->npages || !pmap_is_ram(c->pm, pa, 1))
		return NULL;
	uint32_t i = c->pm->cloak[(pa - c->pm->ram_base) >> PAGE_SHIFT];
	return i ? &c->p[i] : NULL;
}

/* Seals a PLAIN page in place (before the rest of the world sees it). */
int cloak_seal(struct cloak *c, struct cloak_page *cp) MUST_CHECK;
/* Makes cp plaintext at pa for its domain: 0, or -EBADMSG (integrity) with nothing exposed. */
int cloak_unseal(struct cloak *c, struct cloak_page *cp, gpa_t pa) MUST_CHECK;

#endif
