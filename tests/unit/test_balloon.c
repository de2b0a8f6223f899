/*
 * Host unit test of the virtio balloon.  A small driver in this file does
 * what Linux's virtio_balloon does over virtio-mmio (negotiate, set up the
 * queues, post page lists, statistics and free page reports), checks what
 * happens to guest RAM through pmap, then plays a hostile driver.
 */
#include "check.h"
#include "dev/virtio.h"
#include "dev/virtio_balloon.h"

#include <stdio.h>
#include <stdlib.h>

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (16ull << 20)
#define RAM_PAGES (RAM_SIZE >> 12)
#define DEV_BASE 0x10001000ull
#define LIST (RAM_BASE + 0x100000)	/* page lists and statistics buffers */
#define BIG_LIST (RAM_BASE + 0x200000)	/* 64 KiB for oversized lists */
#define PAGES 1024			/* RAM page index where test pages start */
#define QNUM 16
#define NQ 5

enum { DEVICE_ID = 0x008, DEV_FEAT = 0x010, DEV_FEAT_SEL = 0x014, DRV_FEAT = 0x020,
       DRV_FEAT_SEL = 0x024, QSEL = 0x030, QNUM_REG = 0x038, QREADY = 0x044, QNOTIFY = 0x050,
       ISR = 0x060, ISR_ACK = 0x064, STATUS = 0x070, QDESC = 0x080, QDRIVER = 0x090,
       QDEVICE = 0x0a0, GENERATION = 0x0fc, CONFIG = 0x100 };

#define F_NEXT 1
#define F_WRITE 2
#define VERSION_1 (1ull << 32)
#define EVENT_IDX (1ull << 29)
#define STATS (1ull << 1)
#define DEFLATE_ON_OOM (1ull << 2)
#define POISON (1ull << 4)
#define REPORTING (1ull << 5)

struct vq {
	gpa_t desc, avail, used;
	uint16_t avail_idx, used_seen;
};

struct env {
	struct bus bus;
	struct pmap mem;
	const struct mmio_region *r;
	struct virtio_balloon *b;
	struct vq q[NQ];
	bool irq;
	uint64_t clock;
};

static struct check_ctx ck;

static void set_irq(void *opaque, unsigned irq, bool level)
{
	(void)irq;
	((struct env *)opaque)->irq = level;
}

static uint64_t fake_clock(void *opaque)
{
	return ((struct env *)opaque)->clock;
}

static uint32_t rd(struct env *e, unsigned off) { return (uint32_t)bus_read(e->r, DEV_BASE + off, 4); }
static void wr(struct env *e, unsigned off, uint32_t v) { bus_write(e->r, DEV_BASE + off, v, 4); }

static void put(struct env *e, gpa_t pa, uint64_t v, unsigned size)
{
	uint8_t b[8];
	st_le(b, v, size);
	CHECK(&ck, pmap_dma_write(&e->mem, pa, b, size) == 0);
}

static uint64_t get(struct env *e, gpa_t pa, unsigned size)
{
	uint8_t b[8] = { 0 };
	CHECK(&ck, pmap_dma_read(&e->mem, pa, b, size) == 0);
	return ld_le(b, size);
}

static gpa_t page_pa(uint64_t page) { return RAM_BASE + (page << 12); }
static uint32_t pfn(uint64_t page) { return (uint32_t)(page_pa(page) >> 12); }

static void setup(struct env *e)
{
	char err[200];
	memset(e, 0, sizeof(*e));
	CHECK(&ck, pmap_init(&e->mem, RAM_BASE, RAM_SIZE) == 0);
	e->b = virtio_balloon_new(&e->bus, &e->mem, DEV_BASE,
				  (struct irq_line){ .set = set_irq, .opaque = e, .irq = 1 }, err,
				  sizeof(err));
	CHECK(&ck, e->b != NULL);
	put(e, LIST, 0, 8);	/* back the list page, so frame counts move only with the balloon */
	e->r = bus_find(&e->bus, DEV_BASE, 4);
	CHECK(&ck, e->r != NULL);
	virtio_balloon_set_clock(e->b, fake_clock, e);
}

static void teardown(struct env *e)
{
	virtio_balloon_free(e->b);
	pmap_destroy(&e->mem);
}

static void setup_queue(struct env *e, unsigned qi)
{
	struct vq *q = &e->q[qi];
	gpa_t area = RAM_BASE + 0x10000 * (qi + 1);
	uint8_t zero[0x3000] = { 0 };
	memset(q, 0, sizeof(*q));
	q->desc = area;
	q->avail = area + 0x1000;
	q->used = area + 0x2000;
	CHECK(&ck, pmap_dma_write(&e->mem, area, zero, sizeof(zero)) == 0);
	wr(e, QSEL, qi);
	wr(e, QNUM_REG, QNUM);
	wr(e, QDESC, (uint32_t)q->desc);
	wr(e, QDESC + 4, (uint32_t)(q->desc >> 32));
	wr(e, QDRIVER, (uint32_t)q->avail);
	wr(e, QDRIVER + 4, (uint32_t)(q->avail >> 32));
	wr(e, QDEVICE, (uint32_t)q->used);
	wr(e, QDEVICE + 4, (uint32_t)(q->used >> 32));
	wr(e, QREADY, 1);
	CHECK(&ck, rd(e, QREADY) == 1);
}

/* Resets, negotiates `features`, sets up the listed queues (a bit mask), DRIVER_OK. */
static void start(struct env *e, uint64_t features, unsigned queues)
{
	wr(e, STATUS, 0);
	wr(e, STATUS, 1 | 2);
	wr(e, DRV_FEAT_SEL, 0);
	wr(e, DRV_FEAT, (uint32_t)features);
	wr(e, DRV_FEAT_SEL, 1);
	wr(e, DRV_FEAT, (uint32_t)(features >> 32));
	wr(e, STATUS, 1 | 2 | 8);
	CHECK(&ck, rd(e, STATUS) & 8);
	for (unsigned i = 0; i < NQ; i++)
		if (queues >> i & 1)
			setup_queue(e, i);
	wr(e, STATUS, 1 | 2 | 8 | 4);
}

static void desc(struct env *e, unsigned qi, unsigned i, gpa_t addr, uint32_t len,
		 uint16_t flags, uint16_t next)
{
	gpa_t d = e->q[qi].desc + 16 * i;
	put(e, d, addr, 8);
	put(e, d + 8, len, 4);
	put(e, d + 12, flags, 2);
	put(e, d + 14, next, 2);
}

static void post(struct env *e, unsigned qi, uint16_t head)
{
	struct vq *q = &e->q[qi];
	put(e, q->avail + 4 + 2 * (q->avail_idx % QNUM), head, 2);
	q->avail_idx++;
	put(e, q->avail + 2, q->avail_idx, 2);
}

/* The next used element's length, or -1 if none. */
static int64_t reap(struct env *e, unsigned qi)
{
	struct vq *q = &e->q[qi];
	if ((uint16_t)get(e, q->used + 2, 2) == q->used_seen)
		return -1;
	gpa_t el = q->used + 4 + 8 * (q->used_seen % QNUM);
	q->used_seen++;
	return (int64_t)get(e, el + 4, 4);
}

static void ack(struct env *e)
{
	wr(e, ISR_ACK, rd(e, ISR));
}

static bool needs_reset(struct env *e)
{
	return rd(e, STATUS) & 64;
}

/* Like Linux's tell_host(): one readable buffer of 32-bit frame numbers, kick, wait. */
static int64_t tell(struct env *e, unsigned qi, const uint32_t *pfns, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		put(e, LIST + 4 * i, pfns[i], 4);
	desc(e, qi, 0, LIST, 4 * n, 0, 0);
	post(e, qi, 0);
	wr(e, QNOTIFY, qi);
	return reap(e, qi);
}

/* Fills RAM pages [first, first+n) with a pattern (backing them). */
static void touch(struct env *e, uint64_t first, uint64_t n)
{
	for (uint64_t p = first; p < first + n; p++)
		for (unsigned off = 0; off < 4096; off += 512)
			put(e, page_pa(p) + off, 0x5a5a000000000000ull | p << 16 | off, 8);
}

static bool page_zero(struct env *e, uint64_t page)
{
	uint8_t buf[4096], zero[4096] = { 0 };
	CHECK(&ck, pmap_dma_read(&e->mem, page_pa(page), buf, sizeof(buf)) == 0);
	return memcmp(buf, zero, sizeof(buf)) == 0;
}

static bool page_intact(struct env *e, uint64_t page)
{
	for (unsigned off = 0; off < 4096; off += 512)
		if (get(e, page_pa(page) + off, 8) != (0x5a5a000000000000ull | page << 16 | off))
			return false;
	return true;
}

static struct balloon_counters counters(struct env *e)
{
	struct balloon_counters c;
	virtio_balloon_counters(e->b, &c);
	return c;
}

/* ---- tests ---- */

static void test_identity_and_config(void)
{
	struct env e;
	setup(&e);
	CHECK(&ck, rd(&e, DEVICE_ID) == 5);
	wr(&e, DEV_FEAT_SEL, 0);
	uint32_t f = rd(&e, DEV_FEAT);
	CHECK(&ck, (f & 0x3f) == (STATS | DEFLATE_ON_OOM | POISON | REPORTING));
	wr(&e, DEV_FEAT_SEL, 1);
	CHECK(&ck, rd(&e, DEV_FEAT) & 1);	/* VERSION_1 */
	start(&e, VERSION_1 | STATS | DEFLATE_ON_OOM, 0x7);
	CHECK(&ck, rd(&e, STATUS) == 15);
	/* num_pages and the hint command id are read-only; actual and poison_val are not */
	CHECK(&ck, rd(&e, CONFIG) == 0 && rd(&e, CONFIG + 8) == 0);
	wr(&e, CONFIG, 1234);
	wr(&e, CONFIG + 8, 77);
	CHECK(&ck, rd(&e, CONFIG) == 0 && rd(&e, CONFIG + 8) == 0);
	wr(&e, CONFIG + 4, 42);
	CHECK(&ck, rd(&e, CONFIG + 4) == 42 && virtio_balloon_actual(e.b) == 42);
	bus_write(e.r, DEV_BASE + CONFIG + 5, 0x01, 1);	/* byte-wide: actual = 0x12a */
	CHECK(&ck, virtio_balloon_actual(e.b) == 0x12a);
	bus_write(e.r, DEV_BASE + CONFIG + 2, 0xffff, 2);	/* into num_pages: ignored */
	CHECK(&ck, rd(&e, CONFIG) == 0);
	CHECK(&ck, bus_read(e.r, DEV_BASE + CONFIG + 16, 4) == 0);	/* past the config */
	CHECK(&ck, virtio_balloon_stat_name(0) && !strcmp(virtio_balloon_stat_name(0), "swap-in"));
	CHECK(&ck, !strcmp(virtio_balloon_stat_name(15), "direct-reclaims"));
	CHECK(&ck, virtio_balloon_stat_name(16) == NULL);
	teardown(&e);
}

static void test_target(void)
{
	struct env e;
	setup(&e);
	/* Before DRIVER_OK the target is there to read, with no interrupt. */
	virtio_balloon_set_target(e.b, 100);
	CHECK(&ck, !e.irq && rd(&e, CONFIG) == 100 && virtio_balloon_target(e.b) == 100);
	start(&e, VERSION_1, 0x3);
	uint32_t gen = rd(&e, GENERATION);
	virtio_balloon_set_target(e.b, 300);
	CHECK(&ck, e.irq && (rd(&e, ISR) & 2) && rd(&e, GENERATION) != gen);
	CHECK(&ck, rd(&e, CONFIG) == 300);
	ack(&e);
	CHECK(&ck, !e.irq);
	virtio_balloon_set_target(e.b, 300);	/* no change, no interrupt */
	CHECK(&ck, !e.irq);
	virtio_balloon_set_target(e.b, 1ull << 40);	/* more than RAM: clamped */
	CHECK(&ck, e.irq && rd(&e, CONFIG) == RAM_PAGES);
	ack(&e);
	virtio_balloon_set_target(e.b, 0);
	CHECK(&ck, e.irq && rd(&e, CONFIG) == 0);
	teardown(&e);
}

static void test_inflate_deflate(void)
{
	struct env e;
	setup(&e);
	start(&e, VERSION_1 | EVENT_IDX, 0x3);
	touch(&e, PAGES, 40);
	uint64_t frames = e.mem.frames;
	/* Pages 0-7 and 11, repeated and shuffled, with frames outside RAM. */
	uint32_t list[] = {
		pfn(PAGES + 3), pfn(PAGES + 0), pfn(PAGES + 1), pfn(PAGES + 1), pfn(PAGES + 11),
		0, pfn(PAGES + 2), 0xffffffff, pfn(PAGES + 7), pfn(PAGES + 4), pfn(PAGES + 5),
		(uint32_t)(RAM_BASE >> 12) - 1, pfn(RAM_PAGES), pfn(PAGES + 6), pfn(PAGES + 0),
		0x10001,
	};
	virtio_balloon_set_target(e.b, 9);
	ack(&e);
	put(&e, e.q[0].avail + 4 + 2 * QNUM, 0, 2);	/* used_event: interrupt on the first */
	CHECK(&ck, tell(&e, 0, list, ARRAY_SIZE(list)) == 0);
	CHECK(&ck, e.irq);
	CHECK(&ck, frames - e.mem.frames == 9);
	CHECK(&ck, virtio_balloon_inflated(e.b) == 9);
	struct balloon_counters c = counters(&e);
	CHECK(&ck, c.releases == 2);		/* pages 0-7 and 11: one madvise each */
	CHECK(&ck, c.ignored_pfns == 7);	/* 5 outside RAM, 2 repeats */
	for (unsigned p = 0; p < 12; p++)
		CHECK(&ck, (p <= 7 || p == 11) ? page_zero(&e, PAGES + p) : page_intact(&e, PAGES + p));
	CHECK(&ck, page_intact(&e, PAGES + 12));
	wr(&e, CONFIG + 4, 9);	/* the driver updates actual */
	CHECK(&ck, virtio_balloon_actual(e.b) == 9);

	/* The same list again: nothing more is ballooned, nothing more is freed. */
	frames = e.mem.frames;
	CHECK(&ck, tell(&e, 0, list, ARRAY_SIZE(list)) == 0);
	CHECK(&ck, e.mem.frames == frames && virtio_balloon_inflated(e.b) == 9);

	/* Deflate 0-3 (0 twice) and a page never inflated. */
	uint32_t out[] = { pfn(PAGES + 0), pfn(PAGES + 1), pfn(PAGES + 2), pfn(PAGES + 3),
			   pfn(PAGES + 0), pfn(PAGES + 20), 5 };
	CHECK(&ck, tell(&e, 1, out, ARRAY_SIZE(out)) == 0);
	CHECK(&ck, virtio_balloon_inflated(e.b) == 5);
	CHECK(&ck, e.mem.frames == frames);	/* deflated pages stay unbacked... */
	put(&e, page_pa(PAGES + 1) + 8, 0x77, 8);	/* ...until touched, zero-filled */
	CHECK(&ck, e.mem.frames == frames + 1 && get(&e, page_pa(PAGES + 1), 8) == 0);
	/* Deflating everything empties the balloon; more deflates are ignored. */
	uint32_t rest[] = { pfn(PAGES + 4), pfn(PAGES + 5), pfn(PAGES + 6), pfn(PAGES + 7),
			    pfn(PAGES + 11) };
	CHECK(&ck, tell(&e, 1, rest, ARRAY_SIZE(rest)) == 0);
	CHECK(&ck, tell(&e, 1, rest, ARRAY_SIZE(rest)) == 0);
	CHECK(&ck, virtio_balloon_inflated(e.b) == 0 && !needs_reset(&e));
	teardown(&e);
}

/* One buffer of `n` statistics: tags[i] = value vals[i]. */
static void post_stats(struct env *e, const uint16_t *tags, const uint64_t *vals, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		put(e, LIST + 10 * i, tags[i], 2);
		put(e, LIST + 10 * i + 2, vals[i], 8);
	}
	desc(e, 2, e->q[2].avail_idx % QNUM, LIST, 10 * n, 0, 0);
	post(e, 2, e->q[2].avail_idx % QNUM);
	wr(e, QNOTIFY, 2);
}

static void test_stats(void)
{
	struct env e;
	struct balloon_stats s;
	uint16_t tags[18];
	uint64_t vals[18];
	setup(&e);
	start(&e, VERSION_1 | STATS, 0x7);
	CHECK(&ck, !virtio_balloon_stats(e.b, &s));
	virtio_balloon_request_stats(e.b);	/* nothing held: nothing happens */
	CHECK(&ck, reap(&e, 2) == -1 && !e.irq);

	/* Every tag 0-15 in a shuffled order, plus two unknown ones. */
	for (unsigned i = 0; i < 16; i++) {
		tags[i] = (uint16_t)((i * 7) % 16);
		vals[i] = 1000000ull * tags[i] + 17;
	}
	tags[16] = 16;
	vals[16] = 1;
	tags[17] = 0xbeef;
	vals[17] = 2;
	e.clock = 5000;
	post_stats(&e, tags, vals, 18);
	CHECK(&ck, reap(&e, 2) == -1);		/* the device keeps the buffer */
	CHECK(&ck, virtio_balloon_stats(e.b, &s));
	CHECK(&ck, s.present == 0xffff && s.updates == 1 && s.updated_ns == 5000);
	for (unsigned t = 0; t < 16; t++)
		CHECK(&ck, s.val[t] == 1000000ull * t + 17);
	CHECK(&ck, s.val[BALLOON_S_OOM_KILL] == 10000017 && s.val[BALLOON_S_DIRECT_RECLAIM] == 15000017);

	/* The host asks; the buffer comes back; the driver sends fresh numbers. */
	virtio_balloon_request_stats(e.b);
	CHECK(&ck, reap(&e, 2) == 0 && e.irq);
	ack(&e);
	uint16_t t2[] = { BALLOON_S_MEMFREE, BALLOON_S_ALLOC_STALL };
	uint64_t v2[] = { 123456789, 4 };
	e.clock = 9000;
	post_stats(&e, t2, v2, 2);
	CHECK(&ck, virtio_balloon_stats(e.b, &s));
	CHECK(&ck, s.updates == 2 && s.updated_ns == 9000);
	CHECK(&ck, s.present == (1u << 4 | 1u << 11) && s.val[4] == 123456789 && s.val[11] == 4);
	CHECK(&ck, s.val[0] == 0);	/* a tag not sent this time is not carried over */

	/* A hostile second buffer: the first one goes back, the newest is kept. */
	post_stats(&e, t2, v2, 2);
	CHECK(&ck, reap(&e, 2) == 0 && reap(&e, 2) == -1);
	/* An empty (too short) buffer keeps the old numbers. */
	virtio_balloon_request_stats(e.b);
	CHECK(&ck, reap(&e, 2) == 0);
	desc(&e, 2, 0, LIST, 4, 0, 0);
	post(&e, 2, 0);
	wr(&e, QNOTIFY, 2);
	CHECK(&ck, virtio_balloon_stats(e.b, &s) && s.updates == 3 && s.val[4] == 123456789);
	CHECK(&ck, !needs_reset(&e));
	teardown(&e);
}

/* Reports free memory as Linux does: one device-writable buffer per free block. */
static int64_t report(struct env *e, unsigned qi, const gpa_t *addr, const uint32_t *len,
		      unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		desc(e, qi, i, addr[i], len[i], F_WRITE | (i + 1 < n ? F_NEXT : 0),
		     (uint16_t)(i + 1));
	post(e, qi, 0);
	wr(e, QNOTIFY, qi);
	return reap(e, qi);
}

static void test_reporting_queue(uint64_t features, unsigned qi)
{
	struct env e;
	setup(&e);
	start(&e, VERSION_1 | features, 0x3 | 1u << qi | (features & STATS ? 0x4 : 0));
	touch(&e, PAGES, 64);
	uint64_t frames = e.mem.frames;
	/* Pages 0-15 (as two overlapping buffers), 20-23, and 30-31 rounded inward. */
	gpa_t addr[] = { page_pa(PAGES), page_pa(PAGES + 8), page_pa(PAGES + 20),
			 page_pa(PAGES + 29) + 100 };
	uint32_t len[] = { 12 * 4096, 8 * 4096, 4 * 4096, 3 * 4096 };
	CHECK(&ck, report(&e, qi, addr, len, 4) == 0);
	CHECK(&ck, frames - e.mem.frames == 16 + 4 + 2);
	struct balloon_counters c = counters(&e);
	CHECK(&ck, c.reported_pages == 22 && c.releases == 3 && c.inflated_pages == 0);
	CHECK(&ck, virtio_balloon_inflated(e.b) == 0);
	CHECK(&ck, page_zero(&e, PAGES) && page_zero(&e, PAGES + 15) && page_intact(&e, PAGES + 16));
	CHECK(&ck, page_intact(&e, PAGES + 29) && page_zero(&e, PAGES + 30));
	CHECK(&ck, page_zero(&e, PAGES + 31) && page_intact(&e, PAGES + 32));
	CHECK(&ck, !needs_reset(&e));
	teardown(&e);
}

static void test_reporting(void)
{
	test_reporting_queue(REPORTING, 2);		/* Linux without stats: compact numbering */
	test_reporting_queue(STATS | REPORTING, 3);	/* Linux 6.12 with stats */
	test_reporting_queue(STATS | REPORTING, 4);	/* the specification's number */
	test_reporting_queue(REPORTING, 4);

	/* Without REPORTING, queues 3 and 4 do nothing. */
	struct env e;
	setup(&e);
	start(&e, VERSION_1 | STATS, 0x1f);
	touch(&e, PAGES, 4);
	uint64_t frames = e.mem.frames;
	gpa_t addr[] = { page_pa(PAGES) };
	uint32_t len[] = { 4 * 4096 };
	CHECK(&ck, report(&e, 3, addr, len, 1) == -1 && e.mem.frames == frames);
	CHECK(&ck, !needs_reset(&e));
	teardown(&e);
}

static void test_poison(void)
{
	struct env e;
	gpa_t addr[] = { page_pa(PAGES) };
	uint32_t len[] = { 8 * 4096 };
	setup(&e);
	/* The driver fills poison_val before DRIVER_OK. */
	wr(&e, STATUS, 0);
	wr(&e, STATUS, 3);
	wr(&e, DRV_FEAT_SEL, 0);
	wr(&e, DRV_FEAT, (uint32_t)(STATS | POISON | REPORTING));
	wr(&e, DRV_FEAT_SEL, 1);
	wr(&e, DRV_FEAT, 1);
	wr(&e, STATUS, 11);
	wr(&e, CONFIG + 12, 0xaaaaaaaa);
	for (unsigned q = 0; q < 4; q++)
		setup_queue(&e, q);
	wr(&e, STATUS, 15);
	CHECK(&ck, rd(&e, CONFIG + 12) == 0xaaaaaaaa);
	touch(&e, PAGES, 8);
	uint64_t frames = e.mem.frames;
	/* Reported pages must keep their poison: they are acknowledged, not released. */
	CHECK(&ck, report(&e, 3, addr, len, 1) == 0);
	CHECK(&ck, e.mem.frames == frames && page_intact(&e, PAGES + 7));
	CHECK(&ck, counters(&e).kept_pages == 8 && counters(&e).reported_pages == 0);
	/* Inflated pages are released all the same: the driver re-poisons after deflating. */
	uint32_t list[] = { pfn(PAGES), pfn(PAGES + 1) };
	CHECK(&ck, tell(&e, 0, list, 2) == 0 && frames - e.mem.frames == 2);

	/* init_on_free: poison_val 0, and a released page reads 0 as required. */
	wr(&e, STATUS, 0);
	CHECK(&ck, virtio_balloon_inflated(e.b) == 0 && rd(&e, CONFIG + 12) == 0);
	start(&e, VERSION_1 | STATS | POISON | REPORTING, 0xf);
	frames = e.mem.frames;
	CHECK(&ck, report(&e, 3, addr, len, 1) == 0);
	CHECK(&ck, frames - e.mem.frames == 6 && page_zero(&e, PAGES + 7));
	teardown(&e);
}

/* ---- hostile drivers ---- */

static gpa_t denied_page;

static bool deny_one(void *opaque, gpa_t pa, uint64_t len, bool write)
{
	(void)opaque;
	return !write || denied_page < pa || denied_page >= pa + len;
}

static void test_protected_pages(void)
{
	struct env e;
	setup(&e);
	start(&e, VERSION_1 | REPORTING, 0x7);
	touch(&e, PAGES, 8);
	denied_page = page_pa(PAGES + 2);
	e.mem.dma_allowed = deny_one;
	uint64_t frames = e.mem.frames;
	uint32_t list[] = { pfn(PAGES), pfn(PAGES + 1), pfn(PAGES + 2), pfn(PAGES + 3) };
	CHECK(&ck, tell(&e, 0, list, 4) == 0);
	CHECK(&ck, frames - e.mem.frames == 3 && virtio_balloon_inflated(e.b) == 3);
	CHECK(&ck, page_intact(&e, PAGES + 2) && page_zero(&e, PAGES + 3));
	struct balloon_counters c = counters(&e);
	CHECK(&ck, c.denied_pages == 1 && c.releases == 2);
	gpa_t addr[] = { page_pa(PAGES) };
	uint32_t len[] = { 8 * 4096 };
	CHECK(&ck, report(&e, 2, addr, len, 1) == 0);
	CHECK(&ck, page_intact(&e, PAGES + 2) && page_zero(&e, PAGES + 7));
	CHECK(&ck, counters(&e).denied_pages == 2);
	e.mem.dma_allowed = NULL;
	teardown(&e);
}

static void test_hostile_lists(void)
{
	struct env e;
	setup(&e);
	start(&e, VERSION_1 | STATS | REPORTING, 0x1f);
	uint64_t frames0 = e.mem.frames;

	/* A list of 16384 frames (64 KiB): only BALLOON_PFNS_MAX are looked at. */
	for (unsigned i = 0; i < 16384; i++)
		put(&e, BIG_LIST + 4 * i, pfn(PAGES + i % 2048), 4);
	desc(&e, 0, 0, BIG_LIST, 16384 * 4, 0, 0);
	post(&e, 0, 0);
	wr(&e, QNOTIFY, 0);
	CHECK(&ck, reap(&e, 0) == 0);
	CHECK(&ck, virtio_balloon_inflated(e.b) == 2048);
	CHECK(&ck, counters(&e).releases == 1);
	CHECK(&ck, e.mem.frames <= frames0 + 16);	/* only the list's own pages */

	/* Odd lengths, lists that are all garbage, buffers with nothing to read. */
	uint32_t junk[] = { 0, 1, 0xffffffff, pfn(RAM_PAGES), pfn(RAM_PAGES) + 100 };
	CHECK(&ck, tell(&e, 0, junk, ARRAY_SIZE(junk)) == 0);
	desc(&e, 0, 0, LIST, 7, 0, 0);
	post(&e, 0, 0);
	wr(&e, QNOTIFY, 0);
	CHECK(&ck, reap(&e, 0) == 0);
	desc(&e, 0, 0, LIST, 64, F_WRITE, 0);
	post(&e, 0, 0);
	wr(&e, QNOTIFY, 0);
	CHECK(&ck, reap(&e, 0) == 0);
	CHECK(&ck, tell(&e, 1, junk, ARRAY_SIZE(junk)) == 0);
	CHECK(&ck, virtio_balloon_inflated(e.b) == 2048 && !needs_reset(&e));

	/* Deflating far more than was inflated, twice. */
	for (unsigned i = 0; i < 4096; i++)
		put(&e, BIG_LIST + 4 * i, pfn(i), 4);
	for (int k = 0; k < 2; k++) {
		desc(&e, 1, 0, BIG_LIST, 4096 * 4, 0, 0);
		post(&e, 1, 0);
		wr(&e, QNOTIFY, 1);
		CHECK(&ck, reap(&e, 1) == 0);
	}
	CHECK(&ck, virtio_balloon_inflated(e.b) == 0);

	/*
	 * Three reports in one notification, each of all RAM above the rings and
	 * lists: at most RAM-size pages are given back per notification.
	 */
	touch(&e, PAGES, 8);
	uint64_t frames = e.mem.frames;
	struct balloon_counters before = counters(&e);
	gpa_t from = RAM_BASE + 0x300000;
	uint32_t span = (uint32_t)(RAM_BASE + RAM_SIZE - from);
	for (unsigned k = 0; k < 3; k++) {
		for (unsigned i = 0; i < 4; i++)
			desc(&e, 3, 4 * k + i, from + (i % 2) * 4096, span - (i % 2) * 4096,
			     F_WRITE | (i < 3 ? F_NEXT : 0), (uint16_t)(4 * k + i + 1));
		post(&e, 3, (uint16_t)(4 * k));
	}
	wr(&e, QNOTIFY, 3);
	CHECK(&ck, reap(&e, 3) == 0 && reap(&e, 3) == 0 && reap(&e, 3) == 0);
	struct balloon_counters after = counters(&e);
	uint64_t pages = span / 4096;
	CHECK(&ck, after.reported_pages - before.reported_pages == RAM_PAGES);
	CHECK(&ck, after.over_budget_pages == 3 * pages - RAM_PAGES);
	CHECK(&ck, frames - e.mem.frames == 8 && page_zero(&e, PAGES + 7));
	CHECK(&ck, !needs_reset(&e));
	teardown(&e);
}

static void test_reset_midway(void)
{
	struct env e;
	struct balloon_stats s;
	uint16_t tag[] = { BALLOON_S_MEMFREE };
	uint64_t val[] = { 4096 };
	setup(&e);
	start(&e, VERSION_1 | STATS, 0x7);
	post_stats(&e, tag, val, 1);
	touch(&e, PAGES, 4);
	uint32_t list[] = { pfn(PAGES), pfn(PAGES + 1), pfn(PAGES + 2) };
	CHECK(&ck, tell(&e, 0, list, 3) == 0 && virtio_balloon_inflated(e.b) == 3);
	wr(&e, CONFIG + 4, 3);
	virtio_balloon_set_target(e.b, 50);
	/* The driver goes away without deflating: the balloon is empty for the next one. */
	wr(&e, STATUS, 0);
	CHECK(&ck, virtio_balloon_inflated(e.b) == 0 && virtio_balloon_actual(e.b) == 0);
	CHECK(&ck, virtio_balloon_target(e.b) == 50 && rd(&e, CONFIG) == 50 && !e.irq);
	virtio_balloon_request_stats(e.b);	/* the held buffer died with the reset */
	CHECK(&ck, virtio_balloon_stats(e.b, &s) && s.val[4] == 4096);	/* the last numbers stay */
	start(&e, VERSION_1 | STATS, 0x7);
	CHECK(&ck, reap(&e, 2) == -1);
	CHECK(&ck, tell(&e, 0, list, 3) == 0 && virtio_balloon_inflated(e.b) == 3);

	/* A driver that inflates its own rings breaks itself, not the host. */
	uint32_t rings[] = { (uint32_t)(e.q[0].desc >> 12), (uint32_t)(e.q[0].avail >> 12),
			     (uint32_t)(e.q[0].used >> 12), (uint32_t)(LIST >> 12) };
	CHECK(&ck, tell(&e, 0, rings, 4) == 0);	/* the used element lands on a fresh page */
	/* Looking for the next chain, the device finds a zeroed available ring and gives up. */
	CHECK(&ck, virtio_balloon_inflated(e.b) == 7 && needs_reset(&e));
	wr(&e, QNOTIFY, 0);
	wr(&e, QNOTIFY, 1);
	start(&e, VERSION_1, 0x3);
	CHECK(&ck, tell(&e, 0, list, 3) == 0 && !needs_reset(&e));
	teardown(&e);
}

int main(void)
{
	test_identity_and_config();
	test_target();
	test_inflate_deflate();
	test_stats();
	test_reporting();
	test_poison();
	test_protected_pages();
	test_hostile_lists();
	test_reset_midway();
	return check_done(&ck, "test_balloon");
}
