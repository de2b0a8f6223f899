/*
 * fuzz_virtio - a hostile driver for every virtio device: blk (read-write
 * and read-only images), rng, console and balloon, on 512 KiB of guest RAM.
 *
 * The input is a script of commands (opcode byte, then its operands):
 *   0 register write   dev, offset, value       1 register read  dev, offset
 *   2 set up the device: reset, negotiate (VERSION_1 + fuzzed bits), queues
 *     0-3 of the given size at their fixed places in RAM, DRIVER_OK
 *   3 descriptor in a queue's table: index, address, length, flags, next
 *   4 make a head available (avail ring + idx)   5 notify a queue
 *   6 bytes into RAM                               7 host input to the console
 *   8 descriptor in an indirect table anywhere in RAM
 *   9 a 16-bit store anywhere near RAM (ring indices, flags, event indices)
 *  10 a bus access of any width (1, 2, 4, 8) at any offset of a device
 *  11 the host's side of the balloon: a new target, or the statistics back
 * Addresses come as a 16-bit unit (RAM + 8 * unit, so all of RAM) or, with
 * the "raw" bit, as a full 64 bits.
 *
 * Invariants: no sanitizer report; the interrupt line is high exactly while
 * InterruptStatus is non-zero; the read-write image never changes size and
 * the read-only one never changes at all; the balloon never holds more
 * pages than RAM has.
 */
#include "dev/virtio.h"
#include "dev/virtio_balloon.h"
#include "dev/virtio_blk.h"
#include "dev/virtio_console.h"
#include "dev/virtio_rng.h"
#include "fuzz.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (512u << 10)
#define DEV_BASE 0x10001000ull
#define NDEV 5                  /* blk, read-only blk, rng, console, balloon */
#define NQ 4
#define RINGS (RAM_BASE + 0x20000)
#define RING_STRIDE 0x3000      /* desc 0x1000, avail 0x1000, used 0x1000 */
#define RW_BYTES (64u << 10)
#define RO_BYTES (8u << 10)
#define MAX_COMMANDS 256

enum { MAGIC = 0x000, DEV_FEAT = 0x010, DEV_FEAT_SEL = 0x014, DRV_FEAT = 0x020,
       DRV_FEAT_SEL = 0x024, QSEL = 0x030, QNUM = 0x038, QREADY = 0x044, QNOTIFY = 0x050,
       ISR = 0x060, STATUS = 0x070, QDESC = 0x080, QDRIVER = 0x090, QDEVICE = 0x0a0 };

struct queue {
	uint16_t size;      /* as set up by command 2; 0: not set up */
	uint16_t avail_idx; /* the driver's next avail index */
};

struct rig {
	struct pmap mem;
	struct bus bus;
	struct virtio_blk *blk, *ro;
	struct virtio_rng *rng;
	struct virtio_console *con;
	struct virtio_balloon *balloon;
	bool level[NDEV];
	struct queue q[NDEV][NQ];
};

/* The disk images, made once: a memfd each. */
static int image_fd[2] = {-1, -1};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void set_irq(void *opaque, unsigned irq, bool level)
{
	struct rig *r = opaque;
	r->level[irq] = level;
}

static struct irq_line line(struct rig *r, unsigned dev)
{
	return (struct irq_line){.set = set_irq, .opaque = r, .irq = dev};
}

static int make_image(const char *name, size_t bytes, uint8_t fill)
{
	int fd = memfd_create(name, 0);
	uint8_t buf[512];
	memset(buf, fill, sizeof(buf));
	for (size_t off = 0; fd >= 0 && off < bytes; off += sizeof(buf))
		if (pwrite(fd, buf, sizeof(buf), (off_t)off) != sizeof(buf))
			panic("fuzz_virtio: cannot write the image");
	if (fd < 0)
		panic("fuzz_virtio: memfd_create");
	return fd;
}

static bool ro_image_intact(void)
{
	uint8_t buf[RO_BYTES + 1];
	struct stat st;
	if (fstat(image_fd[1], &st) || st.st_size != RO_BYTES)
		return false;
	if (pread(image_fd[1], buf, sizeof(buf), 0) != RO_BYTES)
		return false;
	for (size_t i = 0; i < RO_BYTES; i++)
		if (buf[i] != 0xa5)
			return false;
	return true;
}

static void rig_init(struct rig *r)
{
	char err[200], path[2][64];
	memset(r, 0, sizeof(*r));
	if (image_fd[0] < 0) {
		image_fd[0] = make_image("rw.img", RW_BYTES, 0);
		image_fd[1] = make_image("ro.img", RO_BYTES, 0xa5);
	}
	if (ftruncate(image_fd[0], 0) || ftruncate(image_fd[0], RW_BYTES))
		panic("fuzz_virtio: ftruncate");
	for (unsigned i = 0; i < 2; i++)
		snprintf(path[i], sizeof(path[i]), "/proc/self/fd/%d", image_fd[i]);
	if (pmap_init(&r->mem, RAM_BASE, RAM_SIZE))
		panic("fuzz_virtio: pmap_init");
	r->blk = virtio_blk_new(&r->bus, &r->mem, DEV_BASE, line(r, 0), path[0], false, err, sizeof(err));
	r->ro = virtio_blk_new(&r->bus, &r->mem, DEV_BASE + 0x1000, line(r, 1), path[1], true, err,
			       sizeof(err));
	r->rng = virtio_rng_new(&r->bus, &r->mem, DEV_BASE + 0x2000, line(r, 2), err, sizeof(err));
	r->con = virtio_console_new(&r->bus, &r->mem, DEV_BASE + 0x3000, line(r, 3), -1, err,
				    sizeof(err));
	r->balloon = virtio_balloon_new(&r->bus, &r->mem, DEV_BASE + 0x4000, line(r, 4), err,
					sizeof(err));
	if (!r->blk || !r->ro || !r->rng || !r->con || !r->balloon)
		panic("fuzz_virtio: %s", err);
	virtio_rng_seed(r->rng, 1);
}

static void rig_free(struct rig *r)
{
	virtio_blk_free(r->blk);
	virtio_blk_free(r->ro);
	virtio_rng_free(r->rng);
	virtio_console_free(r->con);
	virtio_balloon_free(r->balloon);
	pmap_destroy(&r->mem);
}

/* --- access helpers ------------------------------------------------------ */

static const struct mmio_region *region(struct rig *r, unsigned dev)
{
	return bus_find(&r->bus, DEV_BASE + 0x1000ull * dev, 4);
}

static uint32_t reg_rd(struct rig *r, unsigned dev, unsigned off)
{
	return (uint32_t)bus_read(region(r, dev), DEV_BASE + 0x1000ull * dev + off, 4);
}

static void reg_wr(struct rig *r, unsigned dev, unsigned off, uint32_t v)
{
	bus_write(region(r, dev), DEV_BASE + 0x1000ull * dev + off, v, 4);
}

static gpa_t ring_base(unsigned dev, unsigned q)
{
	return RINGS + (gpa_t)(NQ * dev + q) * RING_STRIDE;
}

static void ram_put(struct rig *r, gpa_t pa, uint64_t v, unsigned size)
{
	uint8_t b[8];
	st_le(b, v, size);
	if (pmap_dma_write(&r->mem, pa, b, size)) {
		/* outside RAM: dropped, as a real bus would */
	}
}

/* An address operand: RAM + 4 * unit, or (with raw) any 64-bit value. */
static gpa_t addr(struct fz *f, bool raw)
{
	return raw ? fz_u64(f) : RAM_BASE + 8ull * fz_u16(f);
}

/* --- commands ------------------------------------------------------------ */

static void setup(struct rig *r, unsigned dev, struct fz *f)
{
	uint32_t feat_lo = fz_u32(f), feat_hi = fz_u8(f) | 1; /* VERSION_1 is bit 32 */
	uint16_t qsize = (uint16_t)(1u << (fz_u8(f) % 9)); /* 1..256 */
	reg_wr(r, dev, STATUS, 0);
	reg_wr(r, dev, STATUS, 1);
	reg_wr(r, dev, STATUS, 3);
	reg_wr(r, dev, DRV_FEAT_SEL, 0);
	reg_wr(r, dev, DRV_FEAT, feat_lo);
	reg_wr(r, dev, DRV_FEAT_SEL, 1);
	reg_wr(r, dev, DRV_FEAT, feat_hi);
	reg_wr(r, dev, STATUS, 11);
	for (unsigned q = 0; q < NQ; q++) {
		gpa_t base = ring_base(dev, q);
		uint8_t zero[RING_STRIDE] = {0};
		if (pmap_dma_write(&r->mem, base, zero, sizeof(zero)))
			panic("fuzz_virtio: rings outside RAM");
		reg_wr(r, dev, QSEL, q);
		reg_wr(r, dev, QNUM, qsize);
		reg_wr(r, dev, QDESC, (uint32_t)base);
		reg_wr(r, dev, QDESC + 4, (uint32_t)(base >> 32));
		reg_wr(r, dev, QDRIVER, (uint32_t)(base + 0x1000));
		reg_wr(r, dev, QDRIVER + 4, (uint32_t)((base + 0x1000) >> 32));
		reg_wr(r, dev, QDEVICE, (uint32_t)(base + 0x2000));
		reg_wr(r, dev, QDEVICE + 4, (uint32_t)((base + 0x2000) >> 32));
		reg_wr(r, dev, QREADY, 1);
		r->q[dev][q] = (struct queue){.size = reg_rd(r, dev, QREADY) ? qsize : 0};
	}
	reg_wr(r, dev, STATUS, 15);
}

static void put_desc(struct rig *r, gpa_t table, unsigned idx, struct fz *f, bool raw)
{
	gpa_t a = addr(f, raw);
	uint32_t len = raw ? fz_u32(f) : fz_u16(f);
	uint16_t flags = fz_u8(f) & 7, next = fz_u16(f);
	gpa_t d = table + 16ull * idx;
	ram_put(r, d, a, 8);
	ram_put(r, d + 8, len, 4);
	ram_put(r, d + 12, flags, 2);
	ram_put(r, d + 14, next, 2);
}

static void make_avail(struct rig *r, unsigned dev, unsigned q, uint16_t head)
{
	struct queue *qu = &r->q[dev][q];
	unsigned n = qu->size ? qu->size : 1;
	gpa_t avail = ring_base(dev, q) + 0x1000;
	ram_put(r, avail + 4 + 2ull * (qu->avail_idx % n), head, 2);
	qu->avail_idx++;
	ram_put(r, avail + 2, qu->avail_idx, 2);
}

static void bus_access(struct rig *r, unsigned dev, struct fz *f)
{
	static const unsigned widths[4] = {1, 2, 4, 8};
	unsigned size = widths[fz_u8(f) & 3];
	gpa_t pa = DEV_BASE + 0x1000ull * dev + (fz_u16(f) & 0xfff);
	const struct mmio_region *m = bus_find(&r->bus, pa, size);
	uint64_t v = fz_u64(f);
	if (!m)
		return;
	if (v & 1)
		bus_write(m, pa, v >> 1, size);
	else
		(void)bus_read(m, pa, size);
}

static void command(struct rig *r, struct fz *f)
{
	uint8_t op = fz_u8(f), sel = fz_u8(f);
	unsigned dev = (sel & 7) % NDEV, q = (sel >> 3) & 3;
	bool raw = sel & 0x80;
	switch (op % 12) {
	case 0: {
		unsigned off = fz_u16(f) & 0xfff;
		reg_wr(r, dev, off & ~3u, fz_u32(f));
		break;
	}
	case 1:
		(void)reg_rd(r, dev, fz_u16(f) & 0xffc);
		break;
	case 2: setup(r, dev, f); break;
	case 3: put_desc(r, ring_base(dev, q), fz_u8(f), f, raw); break;
	case 4: make_avail(r, dev, q, raw ? fz_u16(f) : fz_u8(f)); break;
	case 5: reg_wr(r, dev, QNOTIFY, raw ? fz_u32(f) : q); break;
	case 6: {
		gpa_t pa = addr(f, false);
		size_t n;
		const uint8_t *b = fz_bytes(f, fz_u8(f), &n);
		if (pmap_dma_write(&r->mem, pa, b, n)) {
			/* partly outside RAM: dropped */
		}
		break;
	}
	case 7: {
		size_t n;
		const uint8_t *b = fz_bytes(f, fz_u8(f), &n);
		(void)virtio_console_receive(r->con, b, n);
		(void)virtio_console_active(r->con);
		break;
	}
	case 8: {
		gpa_t table = addr(f, false) & ~15ull;
		put_desc(r, table, fz_u8(f), f, raw);
		break;
	}
	case 9: {
		gpa_t pa = raw ? ring_base(dev, q) + (fz_u16(f) & 0x2fff) : addr(f, false);
		ram_put(r, pa, fz_u16(f), 2);
		break;
	}
	case 10: bus_access(r, dev, f); break;
	case 11:
		if (raw)
			virtio_balloon_request_stats(r->balloon);
		else
			virtio_balloon_set_target(r->balloon, fz_u32(f));
		break;
	}
}

/* --- invariants ---------------------------------------------------------- */

static void check(struct rig *r)
{
	struct stat st;
	FUZZ_CHECK(!fstat(image_fd[0], &st) && st.st_size == RW_BYTES, "image size %lld",
		   (long long)st.st_size);
	for (unsigned dev = 0; dev < NDEV; dev++) {
		uint32_t isr = reg_rd(r, dev, ISR);
		FUZZ_CHECK(r->level[dev] == (isr != 0), "device %u: line %d with ISR %#x", dev,
			   r->level[dev], isr);
		FUZZ_CHECK(reg_rd(r, dev, MAGIC) == 0x74726976, "device %u: magic", dev);
	}
	uint64_t pages = RAM_SIZE / PAGE_SIZE;
	FUZZ_CHECK(virtio_balloon_inflated(r->balloon) <= pages &&
		   virtio_balloon_target(r->balloon) <= pages, "balloon of %llu pages, target %llu",
		   (unsigned long long)virtio_balloon_inflated(r->balloon),
		   (unsigned long long)virtio_balloon_target(r->balloon));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rig r;
	struct fz f = {data, size};
	rig_init(&r);
	for (unsigned i = 0; i < MAX_COMMANDS && f.n; i++) {
		command(&r, &f);
		check(&r);
	}
	rig_free(&r);
	FUZZ_CHECK(ro_image_intact(), "the read-only image changed");
	return 0;
}
