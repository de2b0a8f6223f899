#include "mem/pmap.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdlib.h>
#include <sys/mman.h>

int pmap_init(struct pmap *pm, gpa_t base, uint64_t size_bytes)
{
	memset(pm, 0, sizeof(*pm));
	pm->swap_fd = -1;
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
	if (pm->swap_fd >= 0)
		close(pm->swap_fd);
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

int pmap_mark_code(struct pmap *pm, gpa_t pa)
{
	uint8_t *c = &pm->code[(pa - pm->ram_base) >> PAGE_SHIFT];
	if (*c & CODE_MIXED)
		return 1;
	if (*c & CODE_DECODED)
		return 0;
	if (pm->code_n == pm->code_cap) {
		size_t cap = pm->code_cap ? 2 * pm->code_cap : 256;
		gpa_t *l = realloc(pm->code_list, cap * sizeof(*l));
		if (!l)
			return -1;
		pm->code_list = l;
		pm->code_cap = cap;
	}
	*c = CODE_DECODED;
	pm->code_list[pm->code_n++] = pa & PAGE_MASK;
	if (pm->code_marked)
		pm->code_marked(pm->code_opaque, pa & PAGE_MASK);
	return 0;
}

void pmap_code_written(struct pmap *pm, gpa_t pa)
{
	if (!pm->strict_code)
		pm->code[(pa - pm->ram_base) >> PAGE_SHIFT] |= CODE_MIXED;
	if (pm->code_written)
		pm->code_written(pm->code_opaque, pa & PAGE_MASK);
	else
		pmap_clear_code(pm);
}

void pmap_clear_code(struct pmap *pm)
{
	for (size_t i = 0; i < pm->code_n; i++)
		pm->code[(pm->code_list[i] - pm->ram_base) >> PAGE_SHIFT] &= (uint8_t)~CODE_DECODED;
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
	for (gpa_t p = pa & PAGE_MASK; p < pa + len; p += PAGE_SIZE)
		if (pm->state[(p - pm->ram_base) >> PAGE_SHIFT] == PAGE_SWAPPED)
			pmap_touch(pm, p);
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

static int give_back(struct pmap *pm, gpa_t pa, uint64_t len, bool balloon);

int pmap_release(struct pmap *pm, gpa_t pa, uint64_t len)
{
	return give_back(pm, pa, len, false);
}

int pmap_balloon(struct pmap *pm, gpa_t pa, uint64_t len)
{
	return give_back(pm, pa, len, true);
}

void pmap_unballoon(struct pmap *pm, gpa_t pa, uint64_t len)
{
	if ((pa | len) & (PAGE_SIZE - 1) || !pmap_is_ram(pm, pa, len))
		return;
	for (uint64_t p = 0; p < len; p += PAGE_SIZE) {
		uint8_t *st = &pm->state[(pa - pm->ram_base + p) >> PAGE_SHIFT];
		if (*st == PAGE_BALLOONED) {
			*st = PAGE_UNTOUCHED;
			pm->ballooned--;
		}
	}
}

static int give_back(struct pmap *pm, gpa_t pa, uint64_t len, bool balloon)
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
		if (*st == PAGE_SWAPPED)
			pm->swapped--; /* given away: its swapped copy is forgotten */
		else if (*st == PAGE_BALLOONED)
			pm->ballooned--;
		else if (*st != PAGE_UNTOUCHED)
			pm->frames--;
		*st = balloon ? PAGE_BALLOONED : PAGE_UNTOUCHED;
		pm->ballooned += balloon;
		if (pm->invalidate && !pm->invalidate_range)
			pm->invalidate(pm->invalidate_opaque, pa + p);
	}
	if (pm->invalidate_range) /* one pass over the TLBs for the whole range */
		pm->invalidate_range(pm->invalidate_opaque, pa, len);
	return 0;
}

int pmap_swap_open(struct pmap *pm, const char *dir)
{
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	pm->swap_fd = fd;
	return 0;
}

void pmap_swap_in(struct pmap *pm, gpa_t pa)
{
	uint64_t off = (pa & PAGE_MASK) - pm->ram_base;
	uint8_t *page = pm->host + off;
	size_t got = 0;
	while (got < PAGE_SIZE) {
		ssize_t n = pread(pm->swap_fd, page + got, PAGE_SIZE - got, (off_t)(off + got));
		if (n <= 0 && !(n < 0 && errno == EINTR)) {
			pm->swap_failed = true; /* the VM loop stops the VM and says why */
			break;
		}
		got += n > 0 ? (size_t)n : 0;
	}
	pm->swapped--;
	pm->swap_ins++;
	pm->frames++;
}

/* Writes one page to its place in the swap file; false if the file refuses. */
static bool write_page(struct pmap *pm, uint64_t off)
{
	size_t done = 0;
	while (done < PAGE_SIZE) {
		ssize_t n = pwrite(pm->swap_fd, pm->host + off + done, PAGE_SIZE - done,
				   (off_t)(off + done));
		if (n <= 0 && !(n < 0 && errno == EINTR)) {
			pm->swap_errno = n < 0 ? errno : ENOSPC;
			return false;
		}
		done += n > 0 ? (size_t)n : 0;
	}
	return true;
}

uint64_t pmap_swap_out(struct pmap *pm, uint64_t n)
{
	uint64_t npages = pm->ram_size >> PAGE_SHIFT, done = 0;
	if (pm->swap_fd < 0)
		return 0;
	for (uint64_t looked = 0; done < n && looked < npages; looked++) {
		uint64_t p = pm->clock++ % npages;
		uint8_t st = pm->state[p];
		if (st != PAGE_PRESENT && st != PAGE_SAMPLED)
			continue;
		gpa_t pa = pm->ram_base + (p << PAGE_SHIFT);
		if (pm->invalidate) /* nobody may keep using the frame */
			pm->invalidate(pm->invalidate_opaque, pa);
		if (!write_page(pm, p << PAGE_SHIFT))
			break; /* swap file full or failing: the caller sees how far it got */
		madvise(pm->host + (p << PAGE_SHIFT), PAGE_SIZE, MADV_DONTNEED);
		pm->state[p] = PAGE_SWAPPED;
		pm->frames--;
		pm->swapped++;
		pm->swap_outs++;
		done++;
	}
	return done;
}
