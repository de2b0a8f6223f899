#include "mem/wss.h"

#define FAST_ALPHA 0.5
#define SLOW_ALPHA 0.1

void wss_init(struct wss *w, uint64_t seed)
{
	memset(w, 0, sizeof(*w));
	w->rng = seed | 1;
}

static uint64_t next_random(struct wss *w)
{
	w->rng ^= w->rng << 13; /* xorshift64: a sample, not a secret */
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return w->rng;
}

void wss_period(struct wss *w, struct pmap *pm, unsigned sample_pages,
		void (*drop)(void *opaque, gpa_t page), void *opaque)
{
	if (w->n) {
		double f = (double)pm->sample_touched / w->n;
		double active = f * (double)pm->frames * PAGE_SIZE;
		if (!w->periods++) {
			w->fast = w->slow = active;
		} else {
			w->fast += FAST_ALPHA * (active - w->fast);
			w->slow += SLOW_ALPHA * (active - w->slow);
		}
		for (uint32_t i = 0; i < w->n; i++) /* untouched ones are simply backed again */
			if (pm->state[w->page[i]] == PAGE_SAMPLED)
				pm->state[w->page[i]] = PAGE_PRESENT;
	}
	pm->sample_touched = 0;
	w->n = 0;
	uint64_t npages = pm->ram_size >> PAGE_SHIFT;
	if (sample_pages > WSS_MAX_SAMPLE)
		sample_pages = WSS_MAX_SAMPLE;
	for (unsigned tries = 0; w->n < sample_pages && tries < 8 * sample_pages; tries++) {
		uint32_t p = (uint32_t)(next_random(w) % npages);
		if (pm->state[p] != PAGE_PRESENT)
			continue;
		pm->state[p] = PAGE_SAMPLED;
		w->page[w->n++] = p;
		drop(opaque, pm->ram_base + ((gpa_t)p << PAGE_SHIFT));
	}
}

uint64_t wss_active_bytes(const struct wss *w)
{
	double a = w->fast > w->slow ? w->fast : w->slow;
	return a > 0 ? (uint64_t)a : 0;
}
