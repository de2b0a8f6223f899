#include "dev/virtio_balloon.h"

#include "dev/virtio.h"

#include <stdio.h>
#include <stdlib.h>

#define BALLOON_DEVICE_ID 5
#define QUEUE_MAX 128		/* Linux needs >= 32 for reporting */
#define NUM_QUEUES 5		/* inflate, deflate, stats, then 3 and 4 for reporting */
#define STATS_QUEUE 2
#define STAT_BYTES 10		/* le16 tag, le64 value, packed */
#define STATS_MAX 64		/* entries read from one buffer */

/* Feature bits (MUST_TELL_HOST and FREE_PAGE_HINT are not offered). */
enum {
	F_MUST_TELL_HOST = 0, F_STATS = 1, F_DEFLATE_ON_OOM = 2, F_FREE_PAGE_HINT = 3,
	F_PAGE_POISON = 4, F_REPORTING = 5,
};

/* Config space (struct virtio_balloon_config): four le32 fields. */
enum { CFG_NUM_PAGES = 0, CFG_ACTUAL = 4, CFG_HINT_CMD_ID = 8, CFG_POISON = 12, CFG_BYTES = 16 };

enum role { Q_NONE, Q_INFLATE, Q_DEFLATE, Q_STATS, Q_REPORT };

struct run {
	uint64_t first, end;	/* RAM page indexes [first, end) */
};

struct virtio_balloon {
	struct virtio *vio;
	struct pmap *mem;
	uint64_t ram_pages, base_pfn;
	uint64_t *ballooned;	/* one bit per RAM page */
	uint32_t target, actual, poison;
	uint64_t budget;	/* pages that may still be given back in this notification */
	struct balloon_counters count;
	struct balloon_stats stats;
	bool have_stats;
	bool holding;		/* `held` is the driver's statistics buffer */
	uint64_t (*now_ns)(void *opaque);
	void *clock_opaque;
	struct virtio_chain chain, held;
	uint32_t pfn[BALLOON_PFNS_MAX];	/* one list, as RAM page indexes */
	struct run runs[VIRTIO_CHAIN_MAX];
};

static const char *const stat_names[BALLOON_S_NR] = {
	"swap-in", "swap-out", "major-faults", "minor-faults", "free-memory", "total-memory",
	"available-memory", "disk-caches", "hugetlb-allocations", "hugetlb-failures",
	"oom-kills", "alloc-stalls", "async-scans", "direct-scans", "async-reclaims",
	"direct-reclaims",
};

const char *virtio_balloon_stat_name(unsigned tag)
{
	return tag < BALLOON_S_NR ? stat_names[tag] : NULL;
}

static bool has(const struct virtio_balloon *b, unsigned bit)
{
	return virtio_features(b->vio) >> bit & 1;
}

static gpa_t page_gpa(const struct virtio_balloon *b, uint64_t page)
{
	return b->mem->ram_base + (page << PAGE_SHIFT);
}

/* Sets the bit of RAM page `page`; returns whether it was clear. */
static bool mark(struct virtio_balloon *b, uint64_t page)
{
	uint64_t *w = &b->ballooned[page / 64], bit = 1ull << (page % 64);
	bool was_clear = !(*w & bit);
	*w |= bit;
	return was_clear;
}

/* Clears the bit of RAM page `page`; returns whether it was set. */
static bool unmark(struct virtio_balloon *b, uint64_t page)
{
	uint64_t *w = &b->ballooned[page / 64], bit = 1ull << (page % 64);
	bool was_set = *w & bit;
	*w &= ~bit;
	return was_set;
}

/* ---- giving pages back ---- */

/* One pmap_release() for RAM pages [first, end); ballooned ones are recorded. */
static void release(struct virtio_balloon *b, uint64_t first, uint64_t end, bool balloon)
{
	if (first == end)
		return;
	b->count.releases++;
	int e = balloon ? pmap_balloon(b->mem, page_gpa(b, first), (end - first) << PAGE_SHIFT)
			: pmap_release(b->mem, page_gpa(b, first), (end - first) << PAGE_SHIFT);
	if (e) {
		virtio_warn(b->vio, "giving back %llu pages at %#llx failed: %s",
			    (unsigned long long)(end - first),
			    (unsigned long long)page_gpa(b, first), strerror(-e));
		return;
	}
	if (!balloon) {
		b->count.reported_pages += end - first;
		return;
	}
	for (uint64_t p = first; p < end; p++) {
		if (mark(b, p))
			b->count.inflated_pages++;
		else
			b->count.ignored_pfns++;	/* inflated twice */
	}
}

/*
 * Gives back RAM pages [first, end) in as few runs as protections allow,
 * within this notification's budget.  A page devices may not write (a
 * protected page) is the guest kernel trying to destroy memory it does not
 * own: it stays, and the protection layer has logged the attempt.
 */
static void release_run(struct virtio_balloon *b, uint64_t first, uint64_t end, bool balloon)
{
	if (end - first > b->budget) {
		if (!b->count.over_budget_pages)
			virtio_warn(b->vio, "more pages than guest RAM in one notification; the rest is not given back");
		b->count.over_budget_pages += end - first - b->budget;
		end = first + b->budget;
	}
	b->budget -= end - first;
	if (!b->mem->dma_allowed) {
		release(b, first, end, balloon);
		return;
	}
	uint64_t start = first;
	for (uint64_t p = first; p < end; p++) {
		if (!pmap_dma_check(b->mem, page_gpa(b, p), PAGE_SIZE, true))
			continue;
		release(b, start, p, balloon);
		b->count.denied_pages++;
		start = p + 1;
	}
	release(b, start, end, balloon);
}

/* ---- inflate and deflate ---- */

/* Reads a list of frame numbers into b->pfn as RAM page indexes; returns how many. */
static size_t read_pfns(struct virtio_balloon *b, const struct virtio_chain *c)
{
	uint64_t want = c->read_bytes / 4;
	if (c->read_bytes % 4)
		virtio_warn(b->vio, "page list of %llu bytes: the last %llu ignored",
			    (unsigned long long)c->read_bytes, (unsigned long long)(c->read_bytes % 4));
	if (want > BALLOON_PFNS_MAX) {
		virtio_warn(b->vio, "page list of %llu frames: only the first %u used",
			    (unsigned long long)want, BALLOON_PFNS_MAX);
		b->count.ignored_pfns += want - BALLOON_PFNS_MAX;
		want = BALLOON_PFNS_MAX;
	}
	size_t got = virtio_chain_read(b->vio, c, 0, b->pfn, want * 4) / 4;
	size_t n = 0, bad = 0;
	uint64_t first_bad = 0;
	for (size_t i = 0; i < got; i++) {
		uint64_t pfn = ld_le(&b->pfn[i], 4);
		if (pfn >= b->base_pfn && pfn - b->base_pfn < b->ram_pages) {
			b->pfn[n++] = (uint32_t)(pfn - b->base_pfn);
		} else if (!bad++) {
			first_bad = pfn;
		}
	}
	if (bad) {
		b->count.ignored_pfns += bad;
		virtio_warn(b->vio, "%zu page frames outside guest RAM ignored (first %#llx)", bad,
			    (unsigned long long)first_bad);
	}
	return n;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static void inflate(struct virtio_balloon *b, const struct virtio_chain *c)
{
	size_t n = read_pfns(b, c);
	qsort(b->pfn, n, sizeof(b->pfn[0]), cmp_u32);
	for (size_t i = 0; i < n;) {
		uint64_t first = b->pfn[i], last = first;
		/* A run goes on through repeats and the next page up. */
		for (i++; i < n && b->pfn[i] <= last + 1; i++) {
			if (b->pfn[i] == last)
				b->count.ignored_pfns++;
			last = b->pfn[i];
		}
		release_run(b, first, last + 1, true);
	}
}

static void deflate(struct virtio_balloon *b, const struct virtio_chain *c)
{
	size_t n = read_pfns(b, c), stray = 0;
	for (size_t i = 0; i < n; i++) {
		if (unmark(b, b->pfn[i])) {
			b->count.inflated_pages--;
			pmap_unballoon(b->mem, page_gpa(b, b->pfn[i]), PAGE_SIZE);
		} else {
			stray++;
		}
	}
	if (stray) {
		b->count.ignored_pfns += stray;
		virtio_warn(b->vio, "%zu deflated pages were not in the balloon", stray);
	}
}

/* ---- free page reporting ---- */

static int cmp_run(const void *a, const void *b)
{
	uint64_t x = ((const struct run *)a)->first, y = ((const struct run *)b)->first;
	return (x > y) - (x < y);
}

/* The whole pages inside each buffer of the chain, as sorted runs; returns how many. */
static unsigned chain_runs(struct virtio_balloon *b, const struct virtio_chain *c)
{
	unsigned n = 0;
	for (unsigned i = 0; i < c->nseg; i++) {
		/* virtio_pop() checked that the buffer lies in RAM: no overflow. */
		gpa_t start = c->seg[i].gpa, end = start + c->seg[i].len;
		uint64_t first = ((start + PAGE_SIZE - 1) >> PAGE_SHIFT) - b->base_pfn;
		uint64_t last = (end >> PAGE_SHIFT) - b->base_pfn;
		if (first < last)
			b->runs[n++] = (struct run){ first, last };
	}
	qsort(b->runs, n, sizeof(b->runs[0]), cmp_run);
	return n;
}

static void report(struct virtio_balloon *b, const struct virtio_chain *c)
{
	unsigned n = chain_runs(b, c);
	bool keep = has(b, F_PAGE_POISON) && b->poison != 0;
	for (unsigned i = 0; i < n;) {
		struct run r = b->runs[i];
		/* Overlapping or touching buffers merge into one run. */
		for (i++; i < n && b->runs[i].first <= r.end; i++)
			if (b->runs[i].end > r.end)
				r.end = b->runs[i].end;
		if (keep)
			b->count.kept_pages += r.end - r.first;
		else
			release_run(b, r.first, r.end, false);
	}
}

/* ---- statistics ---- */

static void read_stats(struct virtio_balloon *b, const struct virtio_chain *c)
{
	uint8_t buf[STATS_MAX * STAT_BYTES];
	size_t want = c->read_bytes < sizeof(buf) ? (size_t)c->read_bytes : sizeof(buf);
	size_t len = virtio_chain_read(b->vio, c, 0, buf, want);
	if (len < STAT_BYTES)
		return;		/* an empty buffer, as the spec's initialisation step allows */
	struct balloon_stats s = { .updates = b->stats.updates + 1 };
	for (size_t off = 0; off + STAT_BYTES <= len; off += STAT_BYTES) {
		unsigned tag = (unsigned)ld_le(buf + off, 2);
		if (tag >= BALLOON_S_NR)
			continue;	/* a newer driver's tag: ignored, as the spec requires */
		s.val[tag] = ld_le(buf + off + 2, 8);
		s.present |= 1u << tag;
	}
	s.updated_ns = b->now_ns ? b->now_ns(b->clock_opaque) : 0;
	b->stats = s;
	b->have_stats = true;
}

/* The driver posts one buffer at a time and the device keeps it to ask for the next. */
static void stats_notify(struct virtio_balloon *b, unsigned q)
{
	while (virtio_pop(b->vio, q, &b->chain)) {
		read_stats(b, &b->chain);
		if (b->holding) {
			virtio_warn(b->vio, "a second statistics buffer; the first is returned");
			virtio_push(b->vio, q, &b->held, 0);
		}
		b->held = b->chain;
		b->holding = true;
	}
	virtio_signal(b->vio, q);
}

void virtio_balloon_request_stats(struct virtio_balloon *b)
{
	if (!b->holding)
		return;
	b->holding = false;
	virtio_push(b->vio, STATS_QUEUE, &b->held, 0);
	virtio_signal(b->vio, STATS_QUEUE);
}

bool virtio_balloon_stats(const struct virtio_balloon *b, struct balloon_stats *out)
{
	if (!b->have_stats)
		return false;
	*out = b->stats;
	return true;
}

/* ---- virtio callbacks ---- */

static enum role queue_role(const struct virtio_balloon *b, unsigned q)
{
	if (q == 0)
		return Q_INFLATE;
	if (q == 1)
		return Q_DEFLATE;
	if (q == STATS_QUEUE && has(b, F_STATS))
		return Q_STATS;
	return has(b, F_REPORTING) ? Q_REPORT : Q_NONE;
}

static void balloon_notify(void *dev, unsigned q)
{
	struct virtio_balloon *b = dev;
	enum role role = queue_role(b, q);
	if (role == Q_NONE) {
		virtio_warn(b->vio, "notify of queue %u, which has no use with these features", q);
		return;
	}
	if (role == Q_STATS) {
		stats_notify(b, q);
		return;
	}
	b->budget = b->ram_pages;
	/* At most queue-size chains: the guest does not run while we do. */
	while (virtio_pop(b->vio, q, &b->chain)) {
		if (role == Q_INFLATE)
			inflate(b, &b->chain);
		else if (role == Q_DEFLATE)
			deflate(b, &b->chain);
		else
			report(b, &b->chain);
		virtio_push(b->vio, q, &b->chain, 0);
	}
	virtio_signal(b->vio, q);
}

static void balloon_config_read(void *dev, unsigned off, void *buf, unsigned len)
{
	struct virtio_balloon *b = dev;
	uint8_t cfg[CFG_BYTES] = { 0 };
	st_le(cfg + CFG_NUM_PAGES, b->target, 4);
	st_le(cfg + CFG_ACTUAL, b->actual, 4);
	st_le(cfg + CFG_POISON, b->poison, 4);
	memcpy(buf, cfg + off, len);
}

/* The driver writes `actual` and `poison_val`; num_pages and the hint id are read-only. */
static void balloon_config_write(void *dev, unsigned off, const void *buf, unsigned len)
{
	struct virtio_balloon *b = dev;
	uint8_t cfg[CFG_BYTES];
	const uint8_t *src = buf;
	balloon_config_read(b, 0, cfg, CFG_BYTES);
	for (unsigned i = 0; i < len; i++) {
		unsigned at = off + i;
		if ((at >= CFG_ACTUAL && at < CFG_ACTUAL + 4) || at >= CFG_POISON)
			cfg[at] = src[i];
	}
	b->actual = (uint32_t)ld_le(cfg + CFG_ACTUAL, 4);
	b->poison = (uint32_t)ld_le(cfg + CFG_POISON, 4);
}

/* A new driver owns all of RAM: ballooned pages simply fault back in. */
static void balloon_reset(void *dev)
{
	struct virtio_balloon *b = dev;
	for (uint64_t p = 0; p < b->ram_pages; p++) /* the pages are the guest's again */
		if (unmark(b, p))
			pmap_unballoon(b->mem, page_gpa(b, p), PAGE_SIZE);
	memset(b->ballooned, 0, (b->ram_pages + 63) / 64 * sizeof(uint64_t));
	b->count.inflated_pages = 0;
	b->actual = 0;
	b->poison = 0;
	b->holding = false;
}

static const struct virtio_ops balloon_ops = {
	.name = "balloon",
	.device_id = BALLOON_DEVICE_ID,
	.features = 1ull << F_STATS | 1ull << F_DEFLATE_ON_OOM | 1ull << F_PAGE_POISON |
		    1ull << F_REPORTING,
	.num_queues = NUM_QUEUES,
	.queue_max = QUEUE_MAX,
	.config_size = CFG_BYTES,
	.config_read = balloon_config_read,
	.config_write = balloon_config_write,
	.notify = balloon_notify,
	.reset = balloon_reset,
};

/* ---- host side ---- */

void virtio_balloon_set_clock(struct virtio_balloon *b, uint64_t (*now_ns)(void *opaque),
			      void *opaque)
{
	b->now_ns = now_ns;
	b->clock_opaque = opaque;
}

void virtio_balloon_set_target(struct virtio_balloon *b, uint64_t pages)
{
	if (pages > b->ram_pages)
		pages = b->ram_pages;
	if (pages > UINT32_MAX)
		pages = UINT32_MAX;
	if (pages == b->target)
		return;
	b->target = (uint32_t)pages;
	virtio_config_changed(b->vio);
}

uint64_t virtio_balloon_target(const struct virtio_balloon *b)
{
	return b->target;
}

uint64_t virtio_balloon_actual(const struct virtio_balloon *b)
{
	return b->actual;
}

uint64_t virtio_balloon_inflated(const struct virtio_balloon *b)
{
	return b->count.inflated_pages;
}

void virtio_balloon_counters(const struct virtio_balloon *b, struct balloon_counters *out)
{
	*out = b->count;
}

struct virtio_balloon *virtio_balloon_new(struct bus *bus, struct pmap *mem, gpa_t base,
					  struct irq_line irq, char *err, size_t errlen)
{
	if (mem->ram_base % PAGE_SIZE || mem->ram_size % PAGE_SIZE) {
		snprintf(err, errlen, "virtio-balloon: guest RAM is not page-aligned");
		return NULL;
	}
	struct virtio_balloon *b = calloc(1, sizeof(*b));
	uint64_t pages = mem->ram_size >> PAGE_SHIFT;
	if (b)
		b->ballooned = calloc((pages + 63) / 64, sizeof(uint64_t));
	if (!b || !b->ballooned) {
		snprintf(err, errlen, "virtio-balloon: out of memory");
		free(b);
		return NULL;
	}
	b->mem = mem;
	b->ram_pages = pages;
	b->base_pfn = mem->ram_base >> PAGE_SHIFT;
	b->vio = virtio_new(bus, mem, base, irq, &balloon_ops, b, err, errlen);
	if (!b->vio) {
		free(b->ballooned);
		free(b);
		return NULL;
	}
	return b;
}

void virtio_balloon_free(struct virtio_balloon *b)
{
	if (!b)
		return;
	virtio_free(b->vio);
	free(b->ballooned);
	free(b);
}
