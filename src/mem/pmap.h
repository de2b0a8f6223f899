/*
 * pmap.h - the guest-physical memory map: guest RAM and its host backing.
 *
 * Contract: guest RAM is [ram_base, ram_base + ram_size).  It is reserved as
 * one host mapping (MAP_NORESERVE), so a guest page gets a host frame only
 * on first touch, and gives it back with madvise(MADV_DONTNEED) when
 * released.  Every page has a state (pmap_page_state); the first touch of a
 * page is charged to the VM's frame count (frames_bytes), which is what the
 * host pool and the memory scheduler budget.
 *
 * The CPU reaches RAM through pmap_touch() in its TLB fill path and then
 * through the host address it returns (the TLB caches the addend).  Devices
 * reach RAM only through pmap_dma_read()/pmap_dma_write(), which check the
 * whole range.  pmap_release() drops pages and calls the invalidate hook so
 * that no TLB keeps a stale addend.  All calls happen on the VM's thread.
 */
#ifndef UMBRA_MEM_PMAP_H
#define UMBRA_MEM_PMAP_H

#include "base/base.h"

enum pmap_page_state {
	PAGE_UNTOUCHED = 0, /* no host frame yet: reads as zero */
	PAGE_PRESENT = 1,   /* backed by a host frame */
	PAGE_SAMPLED = 2,   /* backed, and in the working-set sample: not yet touched */
	PAGE_SWAPPED = 3,   /* its contents are in the swap file; no host frame */
	PAGE_BALLOONED = 4, /* given to a balloon: no frame; touched again, it leaves the balloon */
};

struct pmap {
	gpa_t ram_base;
	uint64_t ram_size;
	uint8_t *host;      /* host address of ram_base */
	uint8_t *state;     /* one enum pmap_page_state per page */
	uint64_t frames;    /* pages currently backed (first touch counted) */
	uint64_t sample_touched; /* sampled pages touched since the sample was taken */
	uint64_t ballooned; /* pages in any balloon (device or application), counted once */
	/* Swap: the last resort when the host budget cannot be met otherwise. */
	int swap_fd;        /* -1: no swap */
	uint64_t swapped;   /* pages in the swap file */
	uint64_t swap_ins, swap_outs;
	uint64_t clock;     /* next page the eviction clock looks at */
	bool swap_failed;   /* a swap-in could not read a page back: the VM must stop */
	int swap_errno;     /* why the last swap-out stopped short (0: it did not) */
	/* Called when a page (or a range of pages) loses its backing (hooks set by the machine). */
	void (*invalidate)(void *opaque, gpa_t page);
	void (*invalidate_range)(void *opaque, gpa_t start, uint64_t len);
	void *invalidate_opaque;

	/*
	 * Decoded-code tracking.  code[] marks the pages that some hart has
	 * decoded instructions from (CODE_DECODED); such pages are never
	 * writable through a TLB, so every write to them comes to
	 * pmap_code_written(), which asks the machine (code_written) to drop
	 * all decoded code and makes the page CODE_MIXED (see below), unless
	 * strict_code.  code_marked is called when a page becomes code, so that
	 * TLBs stop caching write access to it.
	 */
	uint32_t *prot;    /* per page: protection entry index (mem/protect.h), NULL: none */
	uint32_t *cloak;   /* per page: the cloaked page plaintext here (mem/cloak.h) */
	/* Devices ask before DMA (set by the machine when protections exist). */
	bool (*dma_allowed)(void *opaque, gpa_t pa, uint64_t len, bool write);
	void *dma_opaque;

	uint8_t *code;
	bool strict_code; /* no CODE_MIXED: every write to decoded code drops it (the
			   * fuzz harness's reference interpreter sees new code at once) */
	gpa_t *code_list;
	size_t code_n, code_cap;
	void (*code_marked)(void *opaque, gpa_t page);
	void (*code_written)(void *opaque, gpa_t page);
	void *code_opaque;
};

/* Reserves `size_bytes` (a multiple of PAGE_SIZE) of RAM at `base`. */
int pmap_init(struct pmap *pm, gpa_t base, uint64_t size_bytes) MUST_CHECK;
void pmap_destroy(struct pmap *pm);

static inline bool pmap_is_ram(const struct pmap *pm, gpa_t pa, uint64_t len)
{
	return pa >= pm->ram_base && pa - pm->ram_base < pm->ram_size &&
	       pm->ram_size - (pa - pm->ram_base) >= len;
}

/* Reads a swapped page back (out of line: pmap_touch calls it). */
void pmap_swap_in(struct pmap *pm, gpa_t pa);
/* Opens a swap file (unlinked at once) in directory dir; 0 or -errno. */
int pmap_swap_open(struct pmap *pm, const char *dir) MUST_CHECK;
/* Writes up to n backed pages to the swap file and frees their frames; how many it did. */
uint64_t pmap_swap_out(struct pmap *pm, uint64_t n);

/* Host address of RAM page holding `pa` (which must be RAM); counts first touch. */
static inline uint8_t *pmap_touch(struct pmap *pm, gpa_t pa)
{
	uint64_t off = pa - pm->ram_base;
	uint8_t *st = &pm->state[off >> PAGE_SHIFT];
	if (UNLIKELY(*st != PAGE_PRESENT)) {
		if (*st == PAGE_SAMPLED)
			pm->sample_touched++; /* a sampled page was used */
		else if (*st == PAGE_SWAPPED)
			pmap_swap_in(pm, pa);
		else {
			if (*st == PAGE_BALLOONED) /* the guest took it back */
				pm->ballooned--;
			pm->frames++;
		}
		*st = PAGE_PRESENT;
	}
	return pm->host + off;
}

/*
 * pm->code[page]: CODE_DECODED: blocks were decoded from it, so a write must
 * drop them first (the TLBs never give it a write tag); CODE_MIXED: it was
 * written while it held decoded code, i.e. it holds data beside code: blocks
 * decoded from it check their instructions when they start after a fence.i
 * instead (cpu/blocks.c), and writes to it go straight (a store beside a hot
 * loop costs nothing).
 */
enum { CODE_DECODED = 1, CODE_MIXED = 2 };

static inline bool pmap_is_code(const struct pmap *pm, gpa_t pa)
{
	return pm->code[(pa - pm->ram_base) >> PAGE_SHIFT] & CODE_DECODED;
}

/* Marks the RAM page holding pa as holding decoded code: 0; 1 if its blocks
 * must check their instructions after a fence.i (CODE_MIXED); -1 if it cannot. */
int pmap_mark_code(struct pmap *pm, gpa_t pa) MUST_CHECK;
/* A write is about to modify the code page holding pa (which becomes CODE_MIXED). */
void pmap_code_written(struct pmap *pm, gpa_t pa);
/* Forgets every CODE_DECODED mark (after the machine dropped all decoded code). */
void pmap_clear_code(struct pmap *pm);

/*
 * Copy to/from guest RAM for devices and loaders; -EFAULT unless all of it
 * is RAM, -EACCES if a protection denies devices that access (nothing is
 * copied then).  pmap_dma_check() asks the same question without copying.
 */
int pmap_dma_check(struct pmap *pm, gpa_t pa, size_t len, bool write) MUST_CHECK;
int pmap_dma_read(struct pmap *pm, gpa_t pa, void *buf, size_t len) MUST_CHECK;
int pmap_dma_write(struct pmap *pm, gpa_t pa, const void *buf, size_t len) MUST_CHECK;

/* Gives the host frames of [pa, pa+len) back (page-aligned); they read as zero after. */
int pmap_release(struct pmap *pm, gpa_t pa, uint64_t len) MUST_CHECK;
/*
 * The same for pages that go into a balloon: they are counted in
 * pm->ballooned (once, whichever balloon took them) until the guest touches
 * them again or pmap_unballoon() gives them back.
 */
int pmap_balloon(struct pmap *pm, gpa_t pa, uint64_t len) MUST_CHECK;
void pmap_unballoon(struct pmap *pm, gpa_t pa, uint64_t len);

#endif
