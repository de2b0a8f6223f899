#include "mem/cloak.h"

#include <errno.h>
#include <stdlib.h>

#define CLOAK_HASH 4096u

static unsigned hash(unsigned domain, gva_t va)
{
	uint64_t k = (va >> PAGE_SHIFT) * 0x9e3779b97f4a7c15ull ^ domain;
	return (unsigned)(k >> 40) % CLOAK_HASH;
}

int cloak_init(struct cloak *c, struct pmap *pm, uint32_t max_pages)
{
	memset(c, 0, sizeof(*c));
	c->pm = pm;
	c->cap = max_pages + 1;
	c->p = calloc(c->cap, sizeof(*c->p));
	c->hash = calloc(CLOAK_HASH, sizeof(*c->hash));
	pm->cloak = calloc(pm->ram_size >> PAGE_SHIFT, sizeof(*pm->cloak));
	if (!c->p || !c->hash || !pm->cloak) {
		cloak_destroy(c);
		return -ENOMEM;
	}
	for (uint32_t i = 1; i + 1 < c->cap; i++)
		c->p[i].next = i + 1;
	c->free = c->cap > 1 ? 1 : 0;
	return 0;
}

void cloak_destroy(struct cloak *c)
{
	for (unsigned d = 0; d < CLOAK_MAX_DOMAINS; d++)
		if (c->dom[d].used)
			pagecrypt_key_destroy(&c->dom[d].key);
	free(c->p);
	free(c->hash);
	if (c->pm) {
		free(c->pm->cloak);
		c->pm->cloak = NULL;
	}
	memset(c, 0, sizeof(*c));
}

static uint64_t root_of(uint64_t satp)
{
	return (satp & ~(0xffffull << 44)) | (1ull << 44);
}

int cloak_domain_new(struct cloak *c, uint64_t satp, const uint8_t *master,
		     const void *identity, size_t identity_len)
{
	if (cloak_domain_of(c, satp))
		return -EEXIST;
	for (unsigned d = 0; d < CLOAK_MAX_DOMAINS; d++) {
		struct cloak_domain *dom = &c->dom[d];
		if (dom->used)
			continue;
		memset(dom, 0, sizeof(*dom));
		int rc = master ? pagecrypt_key_derive(&dom->key, d + 1, master, identity, identity_len)
				: pagecrypt_key_random(&dom->key, d + 1);
		if (rc)
			return rc;
		dom->used = true;
		dom->root = root_of(satp);
		return (int)d + 1;
	}
	return -ENOSPC;
}

struct cloak_domain *cloak_domain(struct cloak *c, unsigned id)
{
	return id >= 1 && id <= CLOAK_MAX_DOMAINS && c->dom[id - 1].used ? &c->dom[id - 1] : NULL;
}

unsigned cloak_domain_of(const struct cloak *c, uint64_t satp)
{
	for (unsigned d = 0; d < CLOAK_MAX_DOMAINS; d++)
		if (c->dom[d].used && c->dom[d].root == root_of(satp))
			return d + 1;
	return 0;
}

struct cloak_page *cloak_by_va(struct cloak *c, unsigned domain, gva_t va)
{
	va &= PAGE_MASK;
	for (uint32_t i = c->hash[hash(domain, va)]; i; i = c->p[i].next)
		if (c->p[i].domain == domain && c->p[i].va == va)
			return &c->p[i];
	return NULL;
}

static void set_pa_index(struct cloak *c, gpa_t pa, uint32_t idx)
{
	c->pm->cloak[(pa - c->pm->ram_base) >> PAGE_SHIFT] = idx;
}

int cloak_add(struct cloak *c, unsigned domain, gva_t va, gpa_t pa)
{
	va &= PAGE_MASK;
	pa &= PAGE_MASK;
	struct cloak_page *other = cloak_by_pa(c, pa);
	if (other)
		return other->domain == domain && other->va == va ? 0 : -EEXIST;
	if (cloak_by_va(c, domain, va))
		return -EEXIST;
	if (!c->free)
		return -ENOSPC;
	uint32_t idx = c->free;
	struct cloak_page *cp = &c->p[idx];
	c->free = cp->next;
	*cp = (struct cloak_page){.domain = domain, .va = va, .pa = pa, .state = CLOAK_PLAIN,
				  .written = true};
	cp->next = c->hash[hash(domain, va)];
	c->hash[hash(domain, va)] = idx;
	set_pa_index(c, pa, idx);
	c->dom[domain - 1].pages++;
	c->npages++;
	if (c->changed)
		c->changed(c->opaque, pa);
	return 0;
}

void cloak_remove(struct cloak *c, unsigned domain, gva_t va)
{
	struct cloak_page *cp = cloak_by_va(c, domain, va);
	if (!cp)
		return;
	uint32_t idx = (uint32_t)(cp - c->p);
	uint32_t *link = &c->hash[hash(domain, cp->va)];
	while (*link && *link != idx)
		link = &c->p[*link].next;
	if (*link)
		*link = cp->next;
	if (cp->state == CLOAK_PLAIN)
		set_pa_index(c, cp->pa, 0);
	gpa_t pa = cp->pa;
	c->dom[domain - 1].pages--;
	c->npages--;
	memset(cp, 0, sizeof(*cp));
	cp->next = c->free;
	c->free = idx;
	if (c->changed)
		c->changed(c->opaque, pa);
}

static uint8_t *host_of(struct cloak *c, gpa_t pa)
{
	return pmap_touch(c->pm, pa);
}

int cloak_seal(struct cloak *c, struct cloak_page *cp)
{
	if (cp->state != CLOAK_PLAIN)
		return 0;
	struct cloak_domain *dom = &c->dom[cp->domain - 1];
	uint8_t *page = host_of(c, cp->pa);
	uint64_t offset = cp->va >> PAGE_SHIFT;
	int rc = -EBADMSG;
	if (cp->sealed_once && !cp->written) /* unchanged since unsealed: same ciphertext */
		rc = pagecrypt_reencrypt(&dom->key, page, cp->domain, offset, &cp->seal);
	if (rc)
		rc = pagecrypt_encrypt(&dom->key, page, cp->domain, offset, &cp->seal);
	if (rc)
		return rc;
	cp->sealed_once = true;
	cp->state = CLOAK_SEALED;
	set_pa_index(c, cp->pa, 0);
	if (c->changed)
		c->changed(c->opaque, cp->pa);
	return 0;
}

int cloak_unseal(struct cloak *c, struct cloak_page *cp, gpa_t pa)
{
	pa &= PAGE_MASK;
	if (cp->state == CLOAK_PLAIN && cp->pa == pa)
		return 0;
	if (cp->state == CLOAK_PLAIN) { /* the kernel gave the page another frame: seal the old one */
		int rc = cloak_seal(c, cp);
		if (rc)
			return rc;
	}
	struct cloak_page *there = cloak_by_pa(c, pa);
	if (there) { /* pa holds another cloaked page's plaintext: it must not be read as ours */
		int rc = cloak_seal(c, there);
		if (rc)
			return rc;
	}
	struct cloak_domain *dom = &c->dom[cp->domain - 1];
	int rc = pagecrypt_decrypt(&dom->key, host_of(c, pa), cp->domain, cp->va >> PAGE_SHIFT,
				   &cp->seal);
	if (rc) {
		dom->integrity_faults++;
		return rc;
	}
	cp->pa = pa;
	cp->state = CLOAK_PLAIN;
	cp->written = false;
	set_pa_index(c, pa, (uint32_t)(cp - c->p));
	if (c->changed)
		c->changed(c->opaque, pa);
	return 0;
}
