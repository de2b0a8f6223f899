/*
 * virtio_balloon.h - the traditional virtio memory balloon (device ID 5).
 *
 * Contract: virtio_balloon_new() maps a virtio-mmio device (see virtio.h)
 * that offers STATS_VQ, DEFLATE_ON_OOM, PAGE_POISON and REPORTING.  It does
 * not offer MUST_TELL_HOST: a page is given back to the host as soon as it
 * is inflated, and a page the guest touches again, deflated or not, simply
 * faults back in zero-filled.  The host sets a target (in 4 KiB pages); the
 * guest driver inflates or deflates toward it and writes its balloon size
 * into `actual`.  Queues:
 *
 *   0 inflateq   lists of 32-bit little-endian page frame numbers
 *                (guest-physical address >> 12).  Frames outside guest RAM
 *                are ignored with a warning; the rest are sorted,
 *                deduplicated, merged into runs and given back with one
 *                pmap_release() per run, then recorded as ballooned.
 *   1 deflateq   the same lists: the pages leave the balloon.  Nothing else
 *                is done, they are unbacked already.
 *   2 statsq     with STATS_VQ: the driver's statistics buffer, kept until
 *                virtio_balloon_request_stats() hands it back for new numbers.
 *   reporting    with REPORTING: scatter lists of free guest memory, given
 *                back like inflated pages but not counted as ballooned (the
 *                guest reuses them once the report is acknowledged).  With
 *                PAGE_POISON and a non-zero poison_val they are left alone,
 *                since the specification forbids turning a reported page
 *                into anything but poison_val, and a released page reads 0.
 *
 * The reporting queue's number depends on the driver: the specification
 * fixes it at 4, Linux (6.12 included) skips absent queues and uses
 * 2 + STATS_VQ, and Linux's fallback for devices without queue 4 uses 3.
 * Free page hinting (queue 3) is not offered, so every queue above 1 that is
 * not the statistics queue is the reporting queue when REPORTING is
 * negotiated.
 *
 * Guest lists are hostile: at most BALLOON_PFNS_MAX frames per buffer and,
 * per notification, at most guest-RAM-size pages given back (the rest is
 * acknowledged untouched); pages that devices may not write (pmap
 * dma_allowed, e.g. protected pages) are never given back.  A device reset
 * empties the balloon: the driver that comes next owns all of RAM again.
 * All calls, including the host API below, happen on the VM's thread.
 */
#ifndef UMBRA_DEV_VIRTIO_BALLOON_H
#define UMBRA_DEV_VIRTIO_BALLOON_H

#include "dev/bus.h"
#include "mem/pmap.h"

#define BALLOON_PFNS_MAX 4096	/* frames taken from one inflate or deflate buffer */

/* Statistics tags (virtio 1.2, and Linux 6.12's 10-15).  Units after each. */
enum balloon_stat_tag {
	BALLOON_S_SWAP_IN = 0,		/* bytes swapped in */
	BALLOON_S_SWAP_OUT = 1,		/* bytes swapped out */
	BALLOON_S_MAJFLT = 2,		/* major faults */
	BALLOON_S_MINFLT = 3,		/* minor faults */
	BALLOON_S_MEMFREE = 4,		/* bytes free */
	BALLOON_S_MEMTOT = 5,		/* bytes in total */
	BALLOON_S_AVAIL = 6,		/* bytes available to new programs */
	BALLOON_S_CACHES = 7,		/* bytes of caches reclaimable without I/O */
	BALLOON_S_HTLB_PGALLOC = 8,	/* hugetlb page allocations */
	BALLOON_S_HTLB_PGFAIL = 9,	/* failed hugetlb page allocations */
	BALLOON_S_OOM_KILL = 10,	/* OOM killer invocations */
	BALLOON_S_ALLOC_STALL = 11,	/* allocation stalls */
	BALLOON_S_ASYNC_SCAN = 12,	/* bytes scanned by kswapd */
	BALLOON_S_DIRECT_SCAN = 13,	/* bytes scanned by direct reclaim */
	BALLOON_S_ASYNC_RECLAIM = 14,	/* bytes reclaimed by kswapd */
	BALLOON_S_DIRECT_RECLAIM = 15,	/* bytes reclaimed by direct reclaim */
	BALLOON_S_NR = 16
};

/* The guest's last statistics buffer. */
struct balloon_stats {
	uint64_t val[BALLOON_S_NR];
	uint32_t present;	/* bit t: the driver supplied tag t */
	uint64_t updates;	/* buffers received since the device was created */
	uint64_t updated_ns;	/* the clock (virtio_balloon_set_clock) at the last one, or 0 */
};

/* What the device did, since creation unless said otherwise. */
struct balloon_counters {
	uint64_t inflated_pages;	/* in the balloon now (after deduplication) */
	uint64_t reported_pages;	/* given back through free page reporting */
	uint64_t kept_pages;		/* reported but kept (PAGE_POISON with poison_val != 0) */
	uint64_t releases;		/* pmap_release() calls: one per run of pages */
	uint64_t ignored_pfns;		/* outside RAM, repeated, or deflated but not inflated */
	uint64_t denied_pages;		/* pages devices may not write, not given back */
	uint64_t over_budget_pages;	/* beyond the per-notification cap, not given back */
};

struct virtio_balloon;

struct virtio_balloon *virtio_balloon_new(struct bus *bus, struct pmap *mem, gpa_t base,
					  struct irq_line irq, char *err, size_t errlen);
void virtio_balloon_free(struct virtio_balloon *b);

/* A clock for balloon_stats.updated_ns (e.g. the VM's); NULL: updated_ns stays 0. */
void virtio_balloon_set_clock(struct virtio_balloon *b, uint64_t (*now_ns)(void *opaque),
			      void *opaque);

/*
 * Asks the guest for a balloon of `pages` 4 KiB pages (clamped to guest RAM
 * and 32 bits); a change raises the configuration-change interrupt.
 */
void virtio_balloon_set_target(struct virtio_balloon *b, uint64_t pages);
uint64_t virtio_balloon_target(const struct virtio_balloon *b);
/* Pages the driver says are in the balloon (its `actual`; the guest's claim). */
uint64_t virtio_balloon_actual(const struct virtio_balloon *b);
/* Pages umbra holds as ballooned: distinct guest RAM pages inflated and not deflated. */
uint64_t virtio_balloon_inflated(const struct virtio_balloon *b);
void virtio_balloon_counters(const struct virtio_balloon *b, struct balloon_counters *out);

/* The last statistics the guest sent; false if it has sent none. */
bool virtio_balloon_stats(const struct virtio_balloon *b, struct balloon_stats *out);
/* Hands the statistics buffer back so the guest sends fresh numbers (no-op if none held). */
void virtio_balloon_request_stats(struct virtio_balloon *b);
/* Linux's name of a tag ("swap-in", ..., "direct-reclaims"), or NULL. */
const char *virtio_balloon_stat_name(unsigned tag);

#endif
