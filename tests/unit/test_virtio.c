/*
 * Host unit test of the virtio-mmio transport and the blk, rng and console
 * devices.  A tiny driver in this file programs the registers through the
 * bus and builds split rings in guest RAM, as Linux's virtio_mmio does, then
 * plays a hostile driver.
 */
#include "check.h"
#include "dev/virtio.h"
#include "dev/virtio_blk.h"
#include "dev/virtio_console.h"
#include "dev/virtio_rng.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (16ull << 20)
#define BLK_BASE 0x10001000ull
#define RO_BASE 0x10002000ull
#define RNG_BASE 0x10003000ull
#define CON_BASE 0x10004000ull
#define DATA (RAM_BASE + 0x100000)	/* scratch buffers */
#define QNUM 8

enum { MAGIC = 0x000, VERSION = 0x004, DEVICE_ID = 0x008, VENDOR = 0x00c,
       DEV_FEAT = 0x010, DEV_FEAT_SEL = 0x014, DRV_FEAT = 0x020, DRV_FEAT_SEL = 0x024,
       QSEL = 0x030, QNUM_MAX = 0x034, QNUM_REG = 0x038, QREADY = 0x044, QNOTIFY = 0x050,
       ISR = 0x060, ISR_ACK = 0x064, STATUS = 0x070, QDESC = 0x080, QDRIVER = 0x090,
       QDEVICE = 0x0a0, GENERATION = 0x0fc, CONFIG = 0x100 };

#define F_NEXT 1
#define F_WRITE 2
#define F_INDIRECT 4
#define FEAT_VERSION_1 (1ull << 32)
#define FEAT_INDIRECT (1ull << 28)
#define FEAT_EVENT_IDX (1ull << 29)

struct vq {
	gpa_t desc, avail, used;
	uint16_t avail_idx, used_seen;
};

struct drv {
	struct bus *bus;
	struct pmap *mem;
	gpa_t base;
	const struct mmio_region *r;
	struct vq q[2];
	uint64_t features;
	bool irq;
};

static struct check_ctx ck;

static void set_irq(void *opaque, unsigned irq, bool level)
{
	struct drv *d = opaque;
	(void)irq;
	d->irq = level;
}

static uint32_t rd(struct drv *d, unsigned off) { return (uint32_t)bus_read(d->r, d->base + off, 4); }
static void wr(struct drv *d, unsigned off, uint32_t v) { bus_write(d->r, d->base + off, v, 4); }

static void put(struct drv *d, gpa_t pa, uint64_t v, unsigned size)
{
	uint8_t b[8];
	st_le(b, v, size);
	CHECK(&ck, pmap_dma_write(d->mem, pa, b, size) == 0);
}

static uint64_t get(struct drv *d, gpa_t pa, unsigned size)
{
	uint8_t b[8] = { 0 };
	CHECK(&ck, pmap_dma_read(d->mem, pa, b, size) == 0);
	return ld_le(b, size);
}

static struct irq_line line(struct drv *d)
{
	return (struct irq_line){ .set = set_irq, .opaque = d, .irq = 1 };
}

static void attach(struct drv *d, struct bus *bus, struct pmap *mem, gpa_t base)
{
	memset(d, 0, sizeof(*d));
	d->bus = bus;
	d->mem = mem;
	d->base = base;
	d->r = bus_find(bus, base, 4);	/* NULL until the device is created */
}

static uint64_t device_features(struct drv *d)
{
	wr(d, DEV_FEAT_SEL, 0);
	uint64_t f = rd(d, DEV_FEAT);
	wr(d, DEV_FEAT_SEL, 1);
	return f | (uint64_t)rd(d, DEV_FEAT) << 32;
}

/* Resets and negotiates `want`; returns whether FEATURES_OK stuck. */
static bool negotiate(struct drv *d, uint64_t want)
{
	wr(d, STATUS, 0);
	wr(d, STATUS, 1);
	wr(d, STATUS, 1 | 2);
	wr(d, DRV_FEAT_SEL, 0);
	wr(d, DRV_FEAT, (uint32_t)want);
	wr(d, DRV_FEAT_SEL, 1);
	wr(d, DRV_FEAT, (uint32_t)(want >> 32));
	wr(d, STATUS, 1 | 2 | 8);
	d->features = want;
	return rd(d, STATUS) & 8;
}

static void setup_queue(struct drv *d, unsigned qi)
{
	struct vq *q = &d->q[qi];
	gpa_t area = RAM_BASE + 0x10000 * (qi + 1) + (d->base & 0xf000) * 0x10;
	memset(q, 0, sizeof(*q));
	q->desc = area;
	q->avail = area + 0x1000;
	q->used = area + 0x2000;
	uint8_t zero[0x3000] = { 0 };
	CHECK(&ck, pmap_dma_write(d->mem, area, zero, sizeof(zero)) == 0);
	wr(d, QSEL, qi);
	CHECK(&ck, rd(d, QREADY) == 0);
	CHECK(&ck, rd(d, QNUM_MAX) >= QNUM);
	wr(d, QNUM_REG, QNUM);
	wr(d, QDESC, (uint32_t)q->desc);
	wr(d, QDESC + 4, (uint32_t)(q->desc >> 32));
	wr(d, QDRIVER, (uint32_t)q->avail);
	wr(d, QDRIVER + 4, (uint32_t)(q->avail >> 32));
	wr(d, QDEVICE, (uint32_t)q->used);
	wr(d, QDEVICE + 4, (uint32_t)(q->used >> 32));
	wr(d, QREADY, 1);
	CHECK(&ck, rd(d, QREADY) == 1);
}

static void start(struct drv *d, uint64_t want, unsigned nq)
{
	CHECK(&ck, negotiate(d, want));
	for (unsigned i = 0; i < nq; i++)
		setup_queue(d, i);
	wr(d, STATUS, 1 | 2 | 8 | 4);
}

static void desc_at(struct drv *d, gpa_t table, unsigned i, gpa_t addr, uint32_t len,
		    uint16_t flags, uint16_t next)
{
	put(d, table + 16 * i, addr, 8);
	put(d, table + 16 * i + 8, len, 4);
	put(d, table + 16 * i + 12, flags, 2);
	put(d, table + 16 * i + 14, next, 2);
}

static void desc(struct drv *d, unsigned qi, unsigned i, gpa_t addr, uint32_t len,
		 uint16_t flags, uint16_t next)
{
	desc_at(d, d->q[qi].desc, i, addr, len, flags, next);
}

/* Makes chain `head` available and notifies. */
static void post(struct drv *d, unsigned qi, uint16_t head)
{
	struct vq *q = &d->q[qi];
	put(d, q->avail + 4 + 2 * (q->avail_idx % QNUM), head, 2);
	q->avail_idx++;
	put(d, q->avail + 2, q->avail_idx, 2);
}

static void kick(struct drv *d, unsigned qi)
{
	wr(d, QNOTIFY, qi);
}

/* The next used element: returns its length, or -1 if none. */
static int64_t reap(struct drv *d, unsigned qi, uint32_t *id)
{
	struct vq *q = &d->q[qi];
	if ((uint16_t)get(d, q->used + 2, 2) == q->used_seen)
		return -1;
	gpa_t e = q->used + 4 + 8 * (q->used_seen % QNUM);
	q->used_seen++;
	if (id)
		*id = (uint32_t)get(d, e, 4);
	return (int64_t)get(d, e + 4, 4);
}

static void ack(struct drv *d)
{
	wr(d, ISR_ACK, rd(d, ISR));
}

static bool needs_reset(struct drv *d)
{
	return rd(d, STATUS) & 64;
}

/* ---- virtio-blk ---- */

struct blk_env {
	struct bus bus;
	struct pmap mem;
	struct drv d;
	struct virtio_blk *b;
	char path[64];
	int fd;
};

#define IMG_BYTES (1024 * 1024 + 100)

static void blk_setup(struct blk_env *e)
{
	char err[200];
	memset(&e->bus, 0, sizeof(e->bus));
	CHECK(&ck, pmap_init(&e->mem, RAM_BASE, RAM_SIZE) == 0);
	snprintf(e->path, sizeof(e->path), "/tmp/umbra-test-virtio-%d.img", (int)getpid());
	e->fd = open(e->path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(&ck, e->fd >= 0);
	uint8_t *img = malloc(IMG_BYTES);
	for (unsigned i = 0; i < IMG_BYTES; i++)
		img[i] = (uint8_t)(i * 7 + i / 512);
	CHECK(&ck, pwrite(e->fd, img, IMG_BYTES, 0) == IMG_BYTES);
	free(img);
	attach(&e->d, &e->bus, &e->mem, BLK_BASE);
	e->b = virtio_blk_new(&e->bus, &e->mem, BLK_BASE, line(&e->d), e->path, false, err,
			      sizeof(err));
	CHECK(&ck, e->b != NULL);
	attach(&e->d, &e->bus, &e->mem, BLK_BASE);
	CHECK(&ck, e->d.r != NULL);
}

static void blk_teardown(struct blk_env *e)
{
	virtio_blk_free(e->b);
	close(e->fd);
	unlink(e->path);
	pmap_destroy(&e->mem);
}

/* Builds header/data/status in DATA and as descriptors 0..2; returns the status. */
static int blk_request(struct drv *d, uint32_t type, uint64_t sector, uint32_t len,
		       bool data_in, int64_t *used_len)
{
	gpa_t hdr = DATA, buf = DATA + 0x1000, st = DATA + 0x100;
	put(d, hdr, type, 4);
	put(d, hdr + 4, 0, 4);
	put(d, hdr + 8, sector, 8);
	put(d, st, 0xee, 1);
	if (len) {
		desc(d, 0, 0, hdr, 16, F_NEXT, 1);
		desc(d, 0, 1, buf, len, F_NEXT | (data_in ? F_WRITE : 0), 2);
	} else {
		desc(d, 0, 0, hdr, 16, F_NEXT, 2);
	}
	desc(d, 0, 2, st, 1, F_WRITE, 0);
	post(d, 0, 0);
	kick(d, 0);
	*used_len = reap(d, 0, NULL);
	return (int)get(d, st, 1);
}

static void test_blk_basic(void)
{
	struct blk_env e;
	int64_t used;
	uint8_t want[1024], got[1024];
	blk_setup(&e);
	struct drv *d = &e.d;
	CHECK(&ck, rd(d, MAGIC) == 0x74726976 && rd(d, VERSION) == 2 && rd(d, DEVICE_ID) == 2);
	CHECK(&ck, rd(d, VENDOR) == 0x554d4252);
	uint64_t f = device_features(d);
	CHECK(&ck, (f & FEAT_VERSION_1) && (f & FEAT_INDIRECT) && (f & FEAT_EVENT_IDX));
	CHECK(&ck, (f & (1 << 9)) && (f & (1 << 2)) && (f & (1 << 6)) && !(f & (1 << 5)));
	/* capacity: 1 MiB + 100 bytes rounds down to 2048 sectors */
	CHECK(&ck, rd(d, CONFIG) == 2048 && rd(d, CONFIG + 4) == 0);
	CHECK(&ck, bus_read(d->r, BLK_BASE + CONFIG, 8) == 2048);
	CHECK(&ck, bus_read(d->r, BLK_BASE + CONFIG + 20, 4) == 512);
	CHECK(&ck, bus_read(d->r, BLK_BASE + CONFIG + 12, 4) == 126);
	CHECK(&ck, bus_read(d->r, BLK_BASE + CONFIG, 1) == 0);	/* 2048 = 0x800 */
	CHECK(&ck, bus_read(d->r, BLK_BASE + CONFIG + 1, 1) == 8);
	CHECK(&ck, bus_read(d->r, BLK_BASE + CONFIG + 0xefc, 4) == 0);
	start(d, FEAT_VERSION_1 | (1 << 9), 1);
	CHECK(&ck, rd(d, STATUS) == 15);

	/* read sectors 3..4 */
	CHECK(&ck, blk_request(d, 0, 3, 1024, true, &used) == 0 && used == 1025);
	CHECK(&ck, pread(e.fd, want, 1024, 3 * 512) == 1024);
	CHECK(&ck, pmap_dma_read(d->mem, DATA + 0x1000, got, 1024) == 0);
	CHECK(&ck, memcmp(want, got, 1024) == 0);
	CHECK(&ck, d->irq && rd(d, ISR) == 1);
	ack(d);
	CHECK(&ck, !d->irq && rd(d, ISR) == 0);

	/* write sector 5 */
	for (int i = 0; i < 512; i++)
		want[i] = (uint8_t)(0xa0 ^ i);
	CHECK(&ck, pmap_dma_write(d->mem, DATA + 0x1000, want, 512) == 0);
	CHECK(&ck, blk_request(d, 1, 5, 512, false, &used) == 0 && used == 1);
	CHECK(&ck, pread(e.fd, got, 512, 5 * 512) == 512 && memcmp(want, got, 512) == 0);

	/* flush, get_id, unknown type */
	CHECK(&ck, blk_request(d, 4, 0, 0, false, &used) == 0 && used == 1);
	CHECK(&ck, blk_request(d, 8, 0, 20, true, &used) == 0 && used == 21);
	char id[21] = { 0 };
	CHECK(&ck, pmap_dma_read(d->mem, DATA + 0x1000, id, 20) == 0);
	CHECK(&ck, strncmp(id, "umbra-test-virtio-", 18) == 0);
	CHECK(&ck, blk_request(d, 99, 0, 0, false, &used) == 2);
	CHECK(&ck, blk_request(d, 11, 0, 512, false, &used) == 2);	/* DISCARD: not offered */

	/* out of range */
	CHECK(&ck, blk_request(d, 0, 2048, 512, true, &used) == 1);
	CHECK(&ck, blk_request(d, 0, 2047, 1024, true, &used) == 1);
	CHECK(&ck, blk_request(d, 0, 2047, 512, true, &used) == 0);
	CHECK(&ck, blk_request(d, 1, 1ull << 63, 512, false, &used) == 1);
	CHECK(&ck, blk_request(d, 0, UINT64_MAX, 512, true, &used) == 1);
	CHECK(&ck, blk_request(d, 0, 0, 100, true, &used) == 1);	/* not whole sectors */
	CHECK(&ck, !needs_reset(d));
	blk_teardown(&e);
}

static void test_blk_indirect_and_events(void)
{
	struct blk_env e;
	uint8_t want[512], got[512];
	blk_setup(&e);
	struct drv *d = &e.d;
	start(d, FEAT_VERSION_1 | FEAT_INDIRECT | FEAT_EVENT_IDX, 1);
	gpa_t table = DATA + 0x8000;
	put(d, DATA, 0, 4);
	put(d, DATA + 8, 7, 8);
	desc_at(d, table, 0, DATA, 16, F_NEXT, 1);
	desc_at(d, table, 1, DATA + 0x1000, 256, F_NEXT | F_WRITE, 2);
	desc_at(d, table, 2, DATA + 0x2000, 256, F_NEXT | F_WRITE, 3);
	desc_at(d, table, 3, DATA + 0x100, 1, F_WRITE, 0);
	desc(d, 0, 0, table, 4 * 16, F_INDIRECT, 0);
	put(d, d->q[0].avail + 4 + 2 * QNUM, 0, 2);	/* used_event = 0: interrupt on the first */
	post(d, 0, 0);
	kick(d, 0);
	CHECK(&ck, reap(d, 0, NULL) == 513 && get(d, DATA + 0x100, 1) == 0);
	CHECK(&ck, pread(e.fd, want, 512, 7 * 512) == 512);
	CHECK(&ck, pmap_dma_read(d->mem, DATA + 0x1000, got, 256) == 0);
	CHECK(&ck, pmap_dma_read(d->mem, DATA + 0x2000, got + 256, 256) == 0);
	CHECK(&ck, memcmp(want, got, 512) == 0);
	CHECK(&ck, d->irq);
	ack(d);
	/* avail_event tells the driver which index to kick at next */
	CHECK(&ck, get(d, d->q[0].used + 4 + 8 * QNUM, 2) == 1);
	/* used_event far ahead: no interrupt for the next completion */
	put(d, d->q[0].avail + 4 + 2 * QNUM, 5, 2);
	post(d, 0, 0);
	kick(d, 0);
	CHECK(&ck, reap(d, 0, NULL) == 513 && !d->irq);
	/* used_event = 2: the driver wants to hear when used entry 2 is written */
	put(d, d->q[0].avail + 4 + 2 * QNUM, 2, 2);
	post(d, 0, 0);
	kick(d, 0);
	CHECK(&ck, reap(d, 0, NULL) == 513 && d->irq);
	ack(d);
	CHECK(&ck, !needs_reset(d));

	/* Without EVENT_IDX, avail.flags NO_INTERRUPT suppresses the interrupt. */
	start(d, FEAT_VERSION_1 | FEAT_INDIRECT, 1);
	desc(d, 0, 0, table, 4 * 16, F_INDIRECT, 0);
	put(d, d->q[0].avail, 1, 2);
	post(d, 0, 0);
	kick(d, 0);
	CHECK(&ck, reap(d, 0, NULL) == 513 && !d->irq);
	put(d, d->q[0].avail, 0, 2);
	post(d, 0, 0);
	kick(d, 0);
	CHECK(&ck, reap(d, 0, NULL) == 513 && d->irq);
	blk_teardown(&e);
}

static void test_blk_readonly(void)
{
	struct blk_env e;
	struct bus ro_bus = { 0 };
	struct drv ro;
	char err[200];
	uint8_t got[512], orig[512];
	int64_t used;
	blk_setup(&e);
	attach(&ro, &ro_bus, &e.mem, RO_BASE);
	/* The read-write instance holds an exclusive lock on the image. */
	CHECK(&ck, virtio_blk_new(&ro_bus, &e.mem, RO_BASE, line(&ro), e.path, true, err,
				  sizeof(err)) == NULL);
	CHECK(&ck, strstr(err, "locked") != NULL && ro_bus.n == 0);
	virtio_blk_free(e.b);
	e.b = NULL;
	struct virtio_blk *rob = virtio_blk_new(&ro_bus, &e.mem, RO_BASE, line(&ro), e.path, true, err, sizeof(err));
	CHECK(&ck, rob != NULL);
	attach(&ro, &ro_bus, &e.mem, RO_BASE);
	CHECK(&ck, device_features(&ro) & (1 << 5));
	start(&ro, FEAT_VERSION_1 | (1 << 5), 1);
	CHECK(&ck, pread(e.fd, orig, 512, 0) == 512);
	memset(got, 0x55, sizeof(got));
	CHECK(&ck, pmap_dma_write(&e.mem, DATA + 0x1000, got, 512) == 0);
	CHECK(&ck, blk_request(&ro, 1, 0, 512, false, &used) == 1);
	CHECK(&ck, pread(e.fd, got, 512, 0) == 512 && memcmp(got, orig, 512) == 0);
	CHECK(&ck, blk_request(&ro, 0, 0, 512, true, &used) == 0);
	CHECK(&ck, blk_request(&ro, 4, 0, 0, false, &used) == 0);
	virtio_blk_free(rob);
	blk_teardown(&e);

	struct bus bus = { 0 };
	CHECK(&ck, virtio_blk_new(&bus, &e.mem, BLK_BASE, line(&ro), "/nonexistent/disk.img",
				  false, err, sizeof(err)) == NULL);
	CHECK(&ck, strcmp(err, "/nonexistent/disk.img: No such file or directory") == 0);
	CHECK(&ck, virtio_blk_new(&bus, &e.mem, BLK_BASE, line(&ro), "/tmp", true, err,
				  sizeof(err)) == NULL);
	CHECK(&ck, strstr(err, "/tmp: ") == err);
	CHECK(&ck, bus.n == 0);
}

/* ---- hostile drivers ---- */

/* Posts descriptor 0 as a chain head and expects the device to give up on it. */
static void expect_broken(struct blk_env *e, const char *what)
{
	struct drv *d = &e->d;
	post(d, 0, 0);
	kick(d, 0);
	bool ok = needs_reset(d) && reap(d, 0, NULL) == -1 && d->irq && (rd(d, ISR) & 2);
	if (!ok)
		fprintf(stderr, "hostile case not caught: %s\n", what);
	CHECK(&ck, ok);
	/* Further kicks do nothing; a reset brings the device back. */
	kick(d, 0);
	CHECK(&ck, reap(d, 0, NULL) == -1);
	start(d, FEAT_VERSION_1 | FEAT_INDIRECT, 1);
	CHECK(&ck, !needs_reset(d) && !d->irq);
}

static void test_hostile_chains(void)
{
	struct blk_env e;
	int64_t used;
	blk_setup(&e);
	struct drv *d = &e.d;
	gpa_t table = DATA + 0x8000;
	start(d, FEAT_VERSION_1 | FEAT_INDIRECT, 1);

	desc(d, 0, 0, DATA, 16, F_NEXT, 1);
	desc(d, 0, 1, DATA + 0x100, 1, F_NEXT | F_WRITE, 0);
	expect_broken(&e, "descriptor loop");

	for (unsigned i = 0; i < QNUM; i++)
		desc(d, 0, i, DATA + 0x1000 * i, 16, F_NEXT, (uint16_t)((i + 1) % QNUM));
	expect_broken(&e, "chain through every descriptor and around");

	desc(d, 0, 0, DATA, 16, F_NEXT, QNUM);
	expect_broken(&e, "next index out of range");

	desc(d, 0, 0, 0x1000, 16, F_NEXT, 1);
	desc(d, 0, 1, DATA + 0x100, 1, F_WRITE, 0);
	expect_broken(&e, "buffer below RAM");

	desc(d, 0, 0, RAM_BASE + RAM_SIZE - 8, 16, F_NEXT, 1);
	expect_broken(&e, "buffer straddling the end of RAM");

	desc(d, 0, 0, DATA, 0xffffffff, F_NEXT, 1);
	expect_broken(&e, "huge length");

	desc(d, 0, 0, UINT64_MAX - 4, 16, F_NEXT, 1);
	expect_broken(&e, "address wrapping around");

	desc(d, 0, 0, DATA, 0, F_NEXT, 1);
	expect_broken(&e, "zero-length buffer");

	desc(d, 0, 0, DATA + 0x100, 1, F_WRITE | F_NEXT, 1);
	desc(d, 0, 1, DATA, 16, 0, 0);
	expect_broken(&e, "readable after writable");

	desc_at(d, table, 0, DATA, 16, F_INDIRECT, 0);
	desc(d, 0, 0, table, 16, F_INDIRECT, 0);
	expect_broken(&e, "indirect in indirect");

	desc(d, 0, 0, table, 16 * 300, F_INDIRECT, 0);
	expect_broken(&e, "indirect table too long");

	desc(d, 0, 0, table, 24, F_INDIRECT, 0);
	expect_broken(&e, "indirect table of a partial descriptor");

	desc(d, 0, 0, table, 32, F_INDIRECT | F_NEXT, 1);
	expect_broken(&e, "indirect with NEXT");

	desc(d, 0, 0, RAM_BASE + RAM_SIZE - 16, 32, F_INDIRECT, 0);
	expect_broken(&e, "indirect table out of RAM");

	desc_at(d, table, 0, DATA, 16, F_NEXT, 1);
	desc_at(d, table, 1, DATA + 0x100, 1, F_WRITE | F_NEXT, 0);
	desc(d, 0, 0, table, 32, F_INDIRECT, 0);
	expect_broken(&e, "loop inside an indirect table");

	start(d, FEAT_VERSION_1, 1);
	desc_at(d, table, 0, DATA, 16, F_NEXT, 1);
	desc_at(d, table, 1, DATA + 0x100, 1, F_WRITE, 0);
	desc(d, 0, 0, table, 32, F_INDIRECT, 0);
	expect_broken(&e, "indirect without negotiating it");

	/* head index out of range */
	put(d, d->q[0].avail + 4, QNUM + 3, 2);
	d->q[0].avail_idx++;
	put(d, d->q[0].avail + 2, d->q[0].avail_idx, 2);
	kick(d, 0);
	CHECK(&ck, needs_reset(d));
	start(d, FEAT_VERSION_1 | FEAT_INDIRECT, 1);

	/* avail.idx running far ahead of what the ring can hold */
	put(d, d->q[0].avail + 2, 1000, 2);
	kick(d, 0);
	CHECK(&ck, needs_reset(d) && reap(d, 0, NULL) == -1);
	start(d, FEAT_VERSION_1 | FEAT_INDIRECT, 1);

	/* requests without a header or a status byte: dropped, device stays up */
	desc(d, 0, 0, DATA, 8, F_NEXT, 1);
	desc(d, 0, 1, DATA + 0x100, 1, F_WRITE, 0);
	post(d, 0, 0);
	kick(d, 0);
	CHECK(&ck, reap(d, 0, NULL) == 0 && !needs_reset(d));
	desc(d, 0, 0, DATA, 16, 0, 0);
	post(d, 0, 0);
	kick(d, 0);
	CHECK(&ck, reap(d, 0, NULL) == 0 && !needs_reset(d));
	/* and the device still works */
	CHECK(&ck, blk_request(d, 0, 1, 512, true, &used) == 0 && used == 513);
	blk_teardown(&e);
}

static void test_hostile_transport(void)
{
	struct blk_env e;
	int64_t used;
	blk_setup(&e);
	struct drv *d = &e.d;

	/* A legacy driver that does not accept VERSION_1 fails FEATURES_OK. */
	CHECK(&ck, !negotiate(d, 1 << 9));
	CHECK(&ck, !negotiate(d, 0));
	/* So does one that accepts a feature that was not offered. */
	CHECK(&ck, !negotiate(d, FEAT_VERSION_1 | 1ull << 40));
	CHECK(&ck, negotiate(d, FEAT_VERSION_1));

	/* Queue setup checks */
	wr(d, QSEL, 0);
	wr(d, QNUM_REG, 3);
	wr(d, QREADY, 1);
	CHECK(&ck, rd(d, QREADY) == 0 && needs_reset(d));
	CHECK(&ck, negotiate(d, FEAT_VERSION_1));
	wr(d, QNUM_REG, 8);
	wr(d, QDESC, 0);
	wr(d, QDESC + 4, 0);
	wr(d, QREADY, 1);
	CHECK(&ck, rd(d, QREADY) == 0 && needs_reset(d));
	CHECK(&ck, negotiate(d, FEAT_VERSION_1));
	wr(d, QNUM_REG, 1024);
	wr(d, QREADY, 1);
	CHECK(&ck, rd(d, QREADY) == 0 && needs_reset(d));
	CHECK(&ck, negotiate(d, FEAT_VERSION_1));
	wr(d, QSEL, 7);
	CHECK(&ck, rd(d, QNUM_MAX) == 0);
	wr(d, QREADY, 1);
	CHECK(&ck, rd(d, QREADY) == 0 && !needs_reset(d));

	/* Kicks of a queue that is not ready or does not exist are ignored. */
	wr(d, QSEL, 0);
	kick(d, 0);
	kick(d, 1);
	kick(d, 0xffffffff);
	CHECK(&ck, !needs_reset(d));

	/* Narrow or misaligned register accesses read 0 and write nothing. */
	CHECK(&ck, bus_read(d->r, BLK_BASE + MAGIC, 1) == 0);
	CHECK(&ck, bus_read(d->r, BLK_BASE + MAGIC + 2, 2) == 0);
	bus_write(d->r, BLK_BASE + STATUS, 0, 1);
	CHECK(&ck, rd(d, STATUS) == (1 | 2 | 8));
	CHECK(&ck, rd(d, 0x0ac) == 0 && rd(d, 0x0b0) == 0xffffffff);
	CHECK(&ck, rd(d, GENERATION) == 0);
	/* 8-byte accesses split into two 32-bit ones */
	CHECK(&ck, bus_read(d->r, BLK_BASE + MAGIC, 8) == (0x74726976ull | 2ull << 32));

	/* A kick before DRIVER_OK is held back and replayed at DRIVER_OK. */
	setup_queue(d, 0);
	put(d, DATA, 0, 4);
	put(d, DATA + 8, 0, 8);
	desc(d, 0, 0, DATA, 16, F_NEXT, 1);
	desc(d, 0, 1, DATA + 0x1000, 512, F_NEXT | F_WRITE, 2);
	desc(d, 0, 2, DATA + 0x100, 1, F_WRITE, 0);
	post(d, 0, 0);
	kick(d, 0);
	CHECK(&ck, reap(d, 0, NULL) == -1);
	wr(d, STATUS, 15);
	CHECK(&ck, reap(d, 0, NULL) == 513 && d->irq);

	/* Reset drops the interrupt and the queues. */
	wr(d, STATUS, 0);
	CHECK(&ck, !d->irq && rd(d, STATUS) == 0 && rd(d, ISR) == 0 && rd(d, QREADY) == 0);
	start(d, FEAT_VERSION_1, 1);
	CHECK(&ck, blk_request(d, 0, 1, 512, true, &used) == 0);
	/* Driver feature writes after FEATURES_OK are ignored. */
	wr(d, DRV_FEAT_SEL, 0);
	wr(d, DRV_FEAT, 1u << 28);
	CHECK(&ck, blk_request(d, 0, 1, 512, true, &used) == 0 && !needs_reset(d));
	blk_teardown(&e);
}

/* ---- virtio-rng ---- */

static void test_rng(void)
{
	struct bus bus = { 0 };
	struct pmap mem;
	struct drv d;
	char err[200];
	CHECK(&ck, pmap_init(&mem, RAM_BASE, RAM_SIZE) == 0);
	attach(&d, &bus, &mem, RNG_BASE);
	struct virtio_rng *r = virtio_rng_new(&bus, &mem, RNG_BASE, line(&d), err, sizeof(err));
	CHECK(&ck, r != NULL);
	attach(&d, &bus, &mem, RNG_BASE);
	CHECK(&ck, rd(&d, DEVICE_ID) == 4);
	start(&d, FEAT_VERSION_1, 1);
	desc(&d, 0, 0, DATA, 64, F_WRITE, 0);
	desc(&d, 0, 1, DATA + 0x1000, 8192, F_WRITE, 0);
	desc(&d, 0, 2, DATA + 0x4000, 16, F_WRITE | F_NEXT, 3);
	desc(&d, 0, 3, DATA + 0x5000, 16, F_WRITE, 0);
	desc(&d, 0, 4, DATA + 0x6000, 16, 0, 0);
	post(&d, 0, 0);
	post(&d, 0, 1);
	post(&d, 0, 2);
	post(&d, 0, 4);
	kick(&d, 0);
	uint32_t id;
	CHECK(&ck, reap(&d, 0, &id) == 64 && id == 0);
	CHECK(&ck, reap(&d, 0, &id) == RNG_REQUEST_MAX && id == 1);
	CHECK(&ck, reap(&d, 0, &id) == 32 && id == 2);
	CHECK(&ck, reap(&d, 0, &id) == 0 && id == 4);	/* nothing writable */
	CHECK(&ck, d.irq);
	uint64_t a = get(&d, DATA, 8), b = get(&d, DATA + 8, 8), z = get(&d, DATA + 0x1000 + 4096, 8);
	CHECK(&ck, (a | b) != 0 && a != b && z == 0);	/* the cap left the rest untouched */
	virtio_rng_free(r);
	pmap_destroy(&mem);
}

/* ---- virtio-console ---- */

static void test_console(void)
{
	struct bus bus = { 0 };
	struct pmap mem;
	struct drv d;
	char err[200], out[64];
	int p[2];
	CHECK(&ck, pipe2(p, O_NONBLOCK) == 0);
	CHECK(&ck, pmap_init(&mem, RAM_BASE, RAM_SIZE) == 0);
	attach(&d, &bus, &mem, CON_BASE);
	struct virtio_console *c = virtio_console_new(&bus, &mem, CON_BASE, line(&d), p[1], err,
						      sizeof(err));
	CHECK(&ck, c != NULL);
	attach(&d, &bus, &mem, CON_BASE);
	CHECK(&ck, rd(&d, DEVICE_ID) == 3);
	CHECK(&ck, !virtio_console_active(c));
	CHECK(&ck, virtio_console_receive(c, (const uint8_t *)"x", 1) == 0);
	start(&d, FEAT_VERSION_1 | FEAT_EVENT_IDX, 2);
	CHECK(&ck, !virtio_console_active(c));

	/* transmit */
	CHECK(&ck, pmap_dma_write(&mem, DATA, "hello, ", 7) == 0);
	CHECK(&ck, pmap_dma_write(&mem, DATA + 0x100, "world", 5) == 0);
	desc(&d, 1, 0, DATA, 7, F_NEXT, 1);
	desc(&d, 1, 1, DATA + 0x100, 5, 0, 0);
	post(&d, 1, 0);
	kick(&d, 1);
	CHECK(&ck, reap(&d, 1, NULL) == 0);
	ssize_t n = read(p[0], out, sizeof(out));
	CHECK(&ck, n == 12 && memcmp(out, "hello, world", 12) == 0);
	ack(&d);

	/* receive */
	desc(&d, 0, 0, DATA + 0x1000, 4, F_WRITE, 0);
	desc(&d, 0, 1, DATA + 0x2000, 4, F_WRITE, 0);
	post(&d, 0, 0);
	post(&d, 0, 1);
	kick(&d, 0);
	CHECK(&ck, reap(&d, 0, NULL) == -1);	/* buffers wait for input */
	CHECK(&ck, virtio_console_active(c));
	CHECK(&ck, virtio_console_receive(c, (const uint8_t *)"abcdefghij", 10) == 8);
	CHECK(&ck, reap(&d, 0, NULL) == 4 && reap(&d, 0, NULL) == 4);
	CHECK(&ck, get(&d, DATA + 0x1000, 4) == ld_le("abcd", 4));
	CHECK(&ck, get(&d, DATA + 0x2000, 4) == ld_le("efgh", 4));
	CHECK(&ck, d.irq);
	CHECK(&ck, !virtio_console_active(c));
	CHECK(&ck, virtio_console_receive(c, (const uint8_t *)"ij", 2) == 0);

	/* a hostile receive buffer breaks the device, not the host */
	desc(&d, 0, 2, RAM_BASE + RAM_SIZE, 4, F_WRITE, 0);
	post(&d, 0, 2);
	CHECK(&ck, virtio_console_receive(c, (const uint8_t *)"ij", 2) == 0);
	CHECK(&ck, needs_reset(&d) && !virtio_console_active(c));
	virtio_console_free(c);
	pmap_destroy(&mem);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	test_blk_basic();
	test_blk_indirect_and_events();
	test_blk_readonly();
	test_hostile_chains();
	test_hostile_transport();
	test_rng();
	test_console();
	return check_done(&ck, "test_virtio");
}
