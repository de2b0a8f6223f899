/*
 * wss.h - working-set sampling (ESX's statistical sampling, the patent's
 * "measures use"): estimate how much of a VM's memory is active.
 *
 * Contract: each period, wss_period() looks at the pages sampled in the
 * period before (a sampled page that anything touched since, through the
 * fill path or DMA, is back in PAGE_PRESENT state: pmap->sample_touched
 * counts them), turns the touched fraction into an estimate of active
 * bytes, and takes a new random sample of backed pages: they go to
 * PAGE_SAMPLED and `drop` must remove every cached translation of them, so
 * that the next access comes to the fill path.  The estimate is the larger
 * of a fast and a slow moving average, so it rises quickly and falls slowly.
 * VM thread only.
 */
#ifndef UMBRA_MEM_WSS_H
#define UMBRA_MEM_WSS_H

#include "mem/pmap.h"

#define WSS_MAX_SAMPLE 256

struct wss {
	uint32_t n;
	uint32_t page[WSS_MAX_SAMPLE];
	uint64_t rng;
	double fast, slow;
	unsigned periods;
};

void wss_init(struct wss *w, uint64_t seed);
void wss_period(struct wss *w, struct pmap *pm, unsigned sample_pages,
		void (*drop)(void *opaque, gpa_t page), void *opaque);
/* Active bytes (0 until the first period has ended). */
uint64_t wss_active_bytes(const struct wss *w);

#endif
