#include "mem/pmap.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

int pmap_init(struct pmap *pm, gpa_t base, uint64_t size_bytes)
{
	memset(pm, 0, sizeof(*pm));
	if (size_bytes == 0 || size_bytes % PAGE_SIZE)
		return -EINVAL;
	void *p = mmap(NULL, size_bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	pm->state = calloc(size_bytes >> PAGE_SHIFT, 1);
	pm->code = calloc(size_bytes >> PAGE_SHIFT, 1);
	if (!pm->state || !pm->code) {
		free(pm->state);
		free(pm->code);
		munmap(p, size_bytes);
		return -ENOMEM;
	}
	pm->host = p;
	pm->ram_base = base;
	pm->ram_size = size_bytes;
	return 0;
}

void pmap_destroy(struct pmap *pm)
{
	if (pm->host)
		munmap(pm->host, pm->ram_size);
	free(pm->state);
	free(pm->code);
	free(pm->code_list);
	memset(pm, 0, sizeof(*pm));
}

/* Before a device or the hypervisor writes [pa, pa+len): first touch, and drop decoded code. */
static void prepare_write(struct pmap *pm, gpa_t pa, size_t len)
{
	for (gpa_t p = pa & PAGE_MASK; p < pa + len; p += PAGE_SIZE) {
		pmap_touch(pm, p);
		if (pmap_is_code(pm, p))
			pmap_code_written(pm, p);
	}
}

bool pmap_mark_code(struct pmap *pm, gpa_t pa)
{
	uint8_t *c = &pm->code[(pa - pm->ram_base) >> PAGE_SHIFT];
	if (*c)
		return true;
	if (pm->code_n == pm->code_cap) {
		size_t cap = pm->code_cap ? 2 * pm->code_cap : 256;
		gpa_t *l = realloc(pm->code_list, cap * sizeof(*l));
		if (!l)
			return false;
		pm->code_list = l;
		pm->code_cap = cap;
	}
	*c = 1;
	pm->code_list[pm->code_n++] = pa & PAGE_MASK;
	if (pm->code_marked)
		pm->code_marked(pm->code_opaque, pa & PAGE_MASK);
	return true;
}

void pmap_code_written(struct pmap *pm, gpa_t pa)
{
	if (pm->code_written)
		pm->code_written(pm->code_opaque, pa & PAGE_MASK);
	else
		pmap_clear_code(pm);
}

void pmap_clear_code(struct pmap *pm)
{
	for (size_t i = 0; i < pm->code_n; i++)
		pm->code[(pm->code_list[i] - pm->ram_base) >> PAGE_SHIFT] = 0;
	pm->code_n = 0;
}

int pmap_dma_check(struct pmap *pm, gpa_t pa, size_t len, bool write)
{
	if (!pmap_is_ram(pm, pa, len))
		return -EFAULT;
	if (pm->dma_allowed && !pm->dma_allowed(pm->dma_opaque, pa, len, write))
		return -EACCES;
	return 0;
}

int pmap_dma_read(struct pmap *pm, gpa_t pa, void *buf, size_t len)
{
	int rc = pmap_dma_check(pm, pa, len, false);
	if (rc)
		return rc;
	memcpy(buf, pm->host + (pa - pm->ram_base), len);
	return 0;
}

int pmap_dma_write(struct pmap *pm, gpa_t pa, const void *buf, size_t len)
{
	int rc = pmap_dma_check(pm, pa, len, true);
	if (rc)
		return rc;
	prepare_write(pm, pa, len);
	memcpy(pm->host + (pa - pm->ram_base), buf, len);
	return 0;
}

int pmap_release(struct pmap *pm, gpa_t pa, uint64_t len)
{
	if ((pa | len) & (PAGE_SIZE - 1) || !pmap_is_ram(pm, pa, len))
		return -EINVAL;
	uint64_t off = pa - pm->ram_base;
	for (uint64_t p = 0; p < len; p += PAGE_SIZE)
		if (pmap_is_code(pm, pa + p))
			pmap_code_written(pm, pa + p);
	if (madvise(pm->host + off, len, MADV_DONTNEED) != 0)
		return -errno;
	for (uint64_t p = 0; p < len; p += PAGE_SIZE) {
		uint8_t *st = &pm->state[(off + p) >> PAGE_SHIFT];
		if (*st != PAGE_UNTOUCHED) {
			*st = PAGE_UNTOUCHED;
			pm->frames--;
		}
		if (pm->invalidate)
			pm->invalidate(pm->invalidate_opaque, pa + p);
	}
	return 0;
}
