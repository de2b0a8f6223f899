/*
 * hostile.c - a bare-metal S-mode guest that attacks umbra's virtio balloon
 * and the balloon-application hypercalls, while tests/host/hostile.sh runs
 * a well-behaved VM beside it under `umbra host` and watches the API.
 *
 * RAM (32 MiB, the runner's config): the image below 0x80400000, then the
 * victim pages it inflates, reports and gives (0x80400000-0x81b00000), then
 * a sentinel region it never hands over (0x81b00000-0x81f00000), and the
 * device tree's top MiB.  At the end the sentinel, its code and its page
 * tables must be intact.
 *
 * It talks to the runner through "CKPT k BYTES what" lines: it has just
 * made its balloon hold BYTES (as umbra should count it), and waits until
 * the runner, having compared balloon_bytes, moves the balloon target
 * (num_pages in the config space) to CK_A or CK_B pages.  Its own checks
 * are "PASS"/"FAIL" lines; "STALL" starts the last phase, in which its
 * driver never answers a target again.
 */
#include "runtime.h"

#include "umbra/hypercall.h"

#define RAM_SIZE (32ul << 20)
#define RAM_END (RAM_BASE + RAM_SIZE)
#define VICTIM 0x80400000ul
#define VICTIM_PAGES 5888ul /* up to 0x81b00000 */
#define SENT 0x81b00000ul
#define SENT_BYTES (4ul << 20)
#define V(i) (VICTIM + (uint64_t)(i) * PAGE)
#define PFN(a) ((uint32_t)((uint64_t)(a) >> 12))

#define CK_A 769u  /* 3 MiB + 4 KiB: never a target the scheduler picks itself */
#define CK_B 3329u /* 13 MiB + 4 KiB */

/* virtio-mmio registers, status bits, feature bits. */
enum {
	R_MAGIC = 0x000, R_VERSION = 0x004, R_DEVID = 0x008, R_DEVFEAT = 0x010,
	R_DEVFEAT_SEL = 0x014, R_DRVFEAT = 0x020, R_DRVFEAT_SEL = 0x024, R_QSEL = 0x030,
	R_QNUMMAX = 0x034, R_QNUM = 0x038, R_QREADY = 0x044, R_QNOTIFY = 0x050, R_ISR = 0x060,
	R_ISRACK = 0x064, R_STATUS = 0x070, R_QDESC = 0x080, R_QDRV = 0x090, R_QDEV = 0x0a0,
	R_GEN = 0x0fc, R_CFG = 0x100,
};
enum { S_ACK = 1, S_DRIVER = 2, S_DRIVER_OK = 4, S_FEATURES_OK = 8, S_NEEDS_RESET = 64 };
#define S_LIVE (S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK)
#define F_MUST_TELL (1ul << 0)
#define F_STATS (1ul << 1)
#define F_OOM (1ul << 2)
#define F_HINT (1ul << 3)
#define F_POISON (1ul << 4)
#define F_REPORT (1ul << 5)
#define F_INDIRECT (1ul << 28)
#define F_EVENT_IDX (1ul << 29)
#define F_V1 (1ul << 32)
#define D_NEXT 1
#define D_WRITE 2
#define D_INDIRECT 4

#define NQ 5
#define QMAX 128

struct vdesc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

/* One queue: page A holds the descriptors and the available ring, page B the used ring. */
struct qpages {
	struct vdesc desc[QMAX];
	uint16_t avail[1024];
	uint8_t used[4096];
};

static struct qpages qp[NQ] __attribute__((aligned(4096)));
static struct {
	uint32_t num;
	uint16_t avail_idx, used_seen;
} qs[NQ];
static struct vdesc ind[256] __attribute__((aligned(4096)));
static uint32_t pfns[16384] __attribute__((aligned(4096)));
static uint8_t statbuf[2048] __attribute__((aligned(4096)));
static uint64_t pt_root[512] __attribute__((aligned(4096)));
static uint64_t pt_l1[512] __attribute__((aligned(4096)));
static uint64_t pt_l0[512] __attribute__((aligned(4096)));

extern char __text_start[], __text_end[], __ro_start[], __ro_end[];
extern char victim_code_page[];
uint64_t victim_fn(void);
int main(unsigned long hart, unsigned long dtb);

static uintptr_t vb;   /* the balloon's registers */
static uint64_t token; /* BALLOON_TOKEN */
static uint64_t code_sum, rng = 0x243f6a8885a308d3ul;
static bool stats_on;  /* a statistics buffer is posted: answer umbra's requests */
static unsigned stats_len;
static unsigned ckpt;

/* ---- the device ---- */

static uint32_t rd(unsigned off)
{
	return *(volatile uint32_t *)(vb + off);
}

static void wr(unsigned off, uint32_t v)
{
	fence();
	*(volatile uint32_t *)(vb + off) = v;
	fence();
}

static uint32_t cfg32(unsigned off)
{
	return *(volatile uint32_t *)(vb + R_CFG + off);
}

static bool broken(void)
{
	return rd(R_STATUS) & S_NEEDS_RESET;
}

static uint16_t used_idx(unsigned q)
{
	fence();
	return *(volatile uint16_t *)(qp[q].used + 2);
}

static void set_desc(struct vdesc *d, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	volatile struct vdesc *v = d;
	v->addr = addr;
	v->len = len;
	v->flags = flags;
	v->next = next;
}

static void avail_push(unsigned q, uint16_t head)
{
	volatile uint16_t *a = qp[q].avail;
	uint32_t num = qs[q].num && qs[q].num <= QMAX ? qs[q].num : QMAX;
	a[2 + qs[q].avail_idx % num] = head;
	qs[q].avail_idx++;
	fence();
	a[1] = qs[q].avail_idx;
}

static void set_addr(unsigned reg, uint64_t a)
{
	wr(reg, (uint32_t)a);
	wr(reg + 4, (uint32_t)(a >> 32));
}

static void setup_queue(unsigned q, uint32_t num, uint64_t desc, uint64_t avail, uint64_t used)
{
	wr(R_QSEL, q);
	wr(R_QNUM, num);
	set_addr(R_QDESC, desc);
	set_addr(R_QDRV, avail);
	set_addr(R_QDEV, used);
	wr(R_QREADY, 1);
}

static void dev_reset(void)
{
	wr(R_STATUS, 0);
	stats_on = false;
}

/* Up to FEATURES_OK: false if the device refused the features. */
static bool negotiate(uint64_t feats)
{
	dev_reset();
	wr(R_STATUS, S_ACK);
	wr(R_STATUS, S_ACK | S_DRIVER);
	wr(R_DRVFEAT_SEL, 0);
	wr(R_DRVFEAT, (uint32_t)feats);
	wr(R_DRVFEAT_SEL, 1);
	wr(R_DRVFEAT, (uint32_t)(feats >> 32));
	wr(R_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
	return rd(R_STATUS) & S_FEATURES_OK;
}

static void queues(unsigned nq, uint32_t num)
{
	for (unsigned q = 0; q < nq; q++) {
		memset(&qp[q], 0, sizeof(qp[q]));
		qs[q].num = num;
		qs[q].avail_idx = qs[q].used_seen = 0;
		setup_queue(q, num, (uint64_t)qp[q].desc, (uint64_t)qp[q].avail, (uint64_t)qp[q].used);
	}
}

static bool dev_init(uint64_t feats, unsigned nq, uint32_t num)
{
	if (!negotiate(feats))
		return false;
	queues(nq, num);
	wr(R_STATUS, S_LIVE);
	return rd(R_STATUS) == S_LIVE;
}

static bool reinit(void)
{
	return dev_init(F_V1 | F_INDIRECT, 2, QMAX);
}

struct buf {
	uint64_t addr;
	uint32_t len;
	bool write;
};

/* Makes one chain of n buffers (descriptors 0..n-1) available on queue q and kicks. */
static void post(unsigned q, const struct buf *b, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		set_desc(&qp[q].desc[i], b[i].addr, b[i].len,
			 (uint16_t)((b[i].write ? D_WRITE : 0) | (i + 1 < n ? D_NEXT : 0)),
			 (uint16_t)(i + 1));
	avail_push(q, 0);
	wr(R_QNOTIFY, q);
}

/* post(), and whether the device used the chain (it does so before the kick returns). */
static bool send(unsigned q, const struct buf *b, unsigned n)
{
	uint16_t before = used_idx(q);
	post(q, b, n);
	return used_idx(q) == (uint16_t)(before + 1) && !broken();
}

static bool list_bytes(unsigned q, const uint32_t *l, uint32_t bytes)
{
	struct buf b = {(uint64_t)l, bytes, false};
	return send(q, &b, 1);
}

static bool inflate(const uint32_t *l, uint32_t n)
{
	return list_bytes(0, l, n * 4);
}

static bool deflate(const uint32_t *l, uint32_t n)
{
	return list_bytes(1, l, n * 4);
}

/* Victim pages [first, first + n) as a list in pfns (n <= 16384). */
static uint32_t *victims(uint64_t first, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		pfns[i] = PFN(V(first + i));
	return pfns;
}

/* Every victim page out of the balloon (two lists: the device reads 4096 frames of one). */
static bool deflate_all(void)
{
	bool ok = deflate(victims(0, 4096), 4096);
	return deflate(victims(4096, VICTIM_PAGES - 4096), VICTIM_PAGES - 4096) && ok;
}

/* ---- statistics ---- */

static void stat_entry(unsigned i, uint16_t tag, uint64_t val)
{
	volatile uint8_t *e = statbuf + 10 * i;
	e[0] = (uint8_t)tag;
	e[1] = (uint8_t)(tag >> 8);
	for (unsigned b = 0; b < 8; b++)
		e[2 + b] = (uint8_t)(val >> (8 * b));
}

static void stats_post(unsigned len)
{
	struct buf b = {(uint64_t)statbuf, len, false};
	post(2, &b, 1);
}

/* Umbra asks for fresh numbers by returning the buffer: post it again. */
static void service_stats(void)
{
	if (!stats_on || used_idx(2) == qs[2].used_seen)
		return;
	qs[2].used_seen = used_idx(2);
	stats_post(stats_len);
}

static void wait_ms(uint64_t ms)
{
	uint64_t end = now() + ms * (TICKS_PER_S / 1000);
	while (now() < end)
		service_stats();
}

/* ---- talking to the runner ---- */

#ifdef HOSTILE_STANDALONE /* for `umbra run`: checkpoints do not wait */
static bool runner_gone = true;
#else
static bool runner_gone;
#endif

static void checkpoint(const char *what, uint64_t pages)
{
	uint32_t want = ++ckpt & 1 ? CK_A : CK_B;
	uint64_t t0 = now();
	kprintf("CKPT %u %lu %s\n", ckpt, pages * PAGE, what);
	while (!runner_gone && cfg32(0) != want) {
		service_stats();
		if (now() - t0 > 20 * TICKS_PER_S) {
			kprintf("FAIL checkpoint %u: no answer from the runner\n", ckpt);
			checks_failed++;
			runner_gone = true;
		}
	}
}

/* ---- memory the guest keeps ---- */

static uint64_t sum(const char *from, const char *to)
{
	uint64_t s = 0;
	for (const volatile uint64_t *p = (const uint64_t *)from; p < (const uint64_t *)to; p++)
		s = (s ^ *p) * 0x100000001b3ul + 1;
	return s;
}

static uint64_t sent_word(uint64_t i)
{
	return (i * 0x9e3779b97f4a7c15ul) ^ 0x5a5a5a5a5a5a5a5aul ^ (i >> 7);
}

static void sent_fill(void)
{
	volatile uint64_t *p = (volatile uint64_t *)SENT;
	for (uint64_t i = 0; i < SENT_BYTES / 8; i++)
		p[i] = sent_word(i);
}

/* Address of the first sentinel word that changed, or 0. */
static uint64_t sent_bad(void)
{
	volatile uint64_t *p = (volatile uint64_t *)SENT;
	for (uint64_t i = 0; i < SENT_BYTES / 8; i++)
		if (p[i] != sent_word(i))
			return SENT + 8 * i;
	return 0;
}

static uint64_t code_now(void)
{
	return sum(__text_start, __text_end) ^ sum(__ro_start, __ro_end);
}

static void fill_page(uint64_t va, uint64_t first)
{
	volatile uint64_t *p = (volatile uint64_t *)va;
	for (unsigned i = 0; i < PAGE / 8; i++)
		p[i] = first + i;
}

static uint64_t word(uint64_t va)
{
	return *(volatile uint64_t *)va;
}

static void put_token(uint64_t va, uint64_t mapped_at)
{
	*(volatile uint64_t *)va = token ^ (mapped_at >> 12);
}

/* ---- paging: identity gigapages, and a small window at 0x40000000 ---- */

#define PTE_V 1ul
#define PTE_R 2ul
#define PTE_W 4ul
#define PTE_X 8ul
#define PTE_A 0x40ul
#define PTE_D 0x80ul
#define ALIAS 0x40000000ul		/* L0 entry 1: V(0); entry 2: V(3000) */
#define UNMAPPED 0x40200000ul

static uint64_t pte(uint64_t pa, uint64_t bits)
{
	return pa >> 12 << 10 | bits;
}

static void map_window(void)
{
	memset(pt_l0, 0, sizeof(pt_l0));
	pt_l0[1] = pte(V(0), PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
	pt_l0[2] = pte(V(3000), PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
	__asm__ volatile("sfence.vma" ::: "memory");
}

static void paging_on(void)
{
	pt_root[0] = pte(0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);	/* devices */
	pt_root[1] = pte((uint64_t)pt_l1, PTE_V);
	pt_root[2] = pte(RAM_BASE, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
	pt_l1[0] = pte((uint64_t)pt_l0, PTE_V);
	map_window();
	uint64_t satp = 8ul << 60 | (uint64_t)pt_root >> 12;
	__asm__ volatile("csrw satp, %0; sfence.vma" ::"r"(satp) : "memory");
}

static bool tables_intact(void)
{
	return pt_root[0] == pte(0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D) &&
	       pt_root[1] == pte((uint64_t)pt_l1, PTE_V) &&
	       pt_root[2] == pte(RAM_BASE, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D) &&
	       pt_l1[0] == pte((uint64_t)pt_l0, PTE_V) && pt_l1[1] == 0;
}

static struct sbiret give(uint64_t va, uint64_t n)
{
	return umbra_call(UMBRA_FN_BALLOON_GIVE, va, n);
}

static struct sbiret take(uint64_t va, uint64_t n)
{
	return umbra_call(UMBRA_FN_BALLOON_TAKE, va, n);
}

static bool is_err(struct sbiret r, long e)
{
	return r.error == e;
}

static bool done(struct sbiret r, unsigned long n)
{
	return r.error == UMBRA_OK && r.value == n;
}

/* GIVE or TAKE of victim pages [first, first + n) in calls of at most 512; pages done. */
static uint64_t batch(bool g, uint64_t first, uint64_t n)
{
	uint64_t total = 0;
	for (uint64_t i = 0; i < n; i += UMBRA_MAX_PAGES_PER_CALL) {
		uint64_t k = n - i < UMBRA_MAX_PAGES_PER_CALL ? n - i : UMBRA_MAX_PAGES_PER_CALL;
		struct sbiret r = g ? give(V(first + i), k) : take(V(first + i), k);
		if (r.error == UMBRA_OK)
			total += r.value;
	}
	return total;
}

/* ---- the attacks ---- */

static void attack_lists(void)
{
	check(reinit(), "driver set-up: inflate and deflate queues live");
	for (unsigned i = 0; i < 400; i++)
		fill_page(V(i), (uint64_t)i << 32);
	uint32_t *l = pfns, n = 0;
	static const uint32_t outside[] = {0, 1, 0x7ffff, PFN(RAM_END), 0xffffffffu, 0x10003,
					   0x80000000u, PFN(RAM_END) + 1};
	for (unsigned i = 0; i < sizeof(outside) / sizeof(outside[0]); i++)
		l[n++] = outside[i];
	for (unsigned i = 0; i < 64; i++) {
		l[n++] = PFN(V(i));
		l[n++] = PFN(V(i));
	}
	for (unsigned i = 64; i-- > 0;)
		l[n++] = PFN(V(i));
	check(inflate(l, n), "inflate: out-of-RAM, device and repeated frames are acknowledged");
	checkf(word(V(0)) == 0 && word(V(63) + 8) == 0, "inflated pages read as zero",
	       "%lx %lx", word(V(0)), word(V(63) + 8));
	checkf(word(V(64)) == 64ul << 32 && word(V(64) + 4088) == (64ul << 32) + 511,
	       "the page after the inflated ones is intact", "%lx", word(V(64)));
	/* Reading two of them back (above) took those pages out of the balloon again. */
	checkpoint("64 distinct pages from a list with out-of-RAM frames and repeats; 2 read back", 62);

	check(inflate(victims(0, 64), 64), "inflate the same 64 pages again");
	check(deflate(victims(100, 100), 100), "deflate 100 pages never inflated");
	checkpoint("inflating again and deflating strangers change nothing", 64);

	n = 0;
	for (unsigned i = 0; i < 64; i++)
		l[n++] = PFN(V(i));
	for (unsigned i = 0; i < 300; i++)
		l[n++] = PFN(V(i));
	check(deflate(l, n), "deflate 364 frames, 64 of them inflated, twice");
	checkpoint("deflating more than was inflated leaves the balloon empty", 0);

	check(list_bytes(0, victims(0, 11), 43), "inflate a list of 43 bytes");
	struct buf wb = {(uint64_t)victims(20, 10), 40, true};
	check(send(0, &wb, 1), "inflate with a device-writable list");
	checkpoint("a 43-byte list inflates 10 pages, a device-writable list none", 10);
	check(deflate(victims(0, 10), 10), "deflate them");

	for (uint32_t i = 0; i < 16384; i++)
		pfns[i] = PFN(V(i % VICTIM_PAGES));
	check(inflate(pfns, 16384), "inflate one list of 16384 frames");
	checkpoint("only the first 4096 frames of a list count", 4096);

	/* 128 chains in one notification, each an indirect table of 256 buffers of 64 KiB. */
	for (unsigned i = 0; i < 256; i++)
		set_desc(&ind[i], (uint64_t)pfns, sizeof(pfns), i < 255 ? D_NEXT : 0, (uint16_t)(i + 1));
	uint16_t before = used_idx(0);
	for (unsigned h = 0; h < QMAX; h++) {
		set_desc(&qp[0].desc[h], (uint64_t)ind, sizeof(ind), D_INDIRECT, 0);
		avail_push(0, (uint16_t)h);
	}
	wr(R_QNOTIFY, 0);
	checkf(used_idx(0) == (uint16_t)(before + QMAX) && !broken(),
	       "128 chains of 16 MiB of frames in one notification", "used %u -> %u, status %x",
	       before, used_idx(0), rd(R_STATUS));
	checkpoint("far more frames than RAM in one notification", 4096);
	check(deflate_all(), "deflate every victim page");
	checkpoint("all deflated", 0);
}

/* A chain that breaks the ring protocol: the device must stop (NEEDS_RESET) and come back. */
static void expect_break(const char *what)
{
	checkf(broken(), what, "status %x", rd(R_STATUS));
	check(reinit(), "the device works again after a reset");
}

static void attack_rings(void)
{
	/* The driver's own rings and list in the balloon. */
	check(reinit(), "driver set-up");
	pfns[0] = PFN(qp[0].desc);
	pfns[1] = PFN(qp[1].desc);
	pfns[2] = PFN(qp[1].used);
	pfns[3] = PFN(pfns);
	uint16_t before = used_idx(0);
	post(0, &(struct buf){(uint64_t)pfns, 16, false}, 1);
	checkf(used_idx(0) == (uint16_t)(before + 1) && broken(),
	       "inflating its own rings: the list is used, then the zeroed ring stops the device",
	       "used %u -> %u, status %x", before, used_idx(0), rd(R_STATUS));
	checkpoint("the rings' pages and the list's page are in the balloon", 4);
	dev_reset();
	checkpoint("a reset empties the balloon", 0);
	check(reinit(), "the device works again after a reset");

	/* A descriptor loop in the ring. */
	set_desc(&qp[0].desc[0], V(0), 4, D_NEXT, 1);
	set_desc(&qp[0].desc[1], V(0), 4, D_NEXT, 0);
	avail_push(0, 0);
	wr(R_QNOTIFY, 0);
	expect_break("a descriptor loop in the ring stops the device");

	/* A chain of 256 in an indirect table that loops back: far longer than the queue of 4. */
	check(dev_init(F_V1 | F_INDIRECT, 2, 4), "a queue of 4 entries");
	for (unsigned i = 0; i < 256; i++)
		set_desc(&ind[i], V(1), 4, D_NEXT, (uint16_t)((i + 1) % 256));
	set_desc(&qp[0].desc[0], (uint64_t)ind, sizeof(ind), D_INDIRECT, 0);
	avail_push(0, 0);
	wr(R_QNOTIFY, 0);
	expect_break("an endless chain in an indirect table stops the device");

	set_desc(&qp[0].desc[0], (uint64_t)pfns, sizeof(pfns), D_INDIRECT, 0);
	avail_push(0, 0);
	wr(R_QNOTIFY, 0);
	expect_break("an indirect table of 4096 entries stops the device");

	set_desc(&ind[0], (uint64_t)ind, 16, D_INDIRECT, 0);
	set_desc(&qp[0].desc[0], (uint64_t)ind, 16, D_INDIRECT, 0);
	avail_push(0, 0);
	wr(R_QNOTIFY, 0);
	expect_break("an indirect table inside an indirect table stops the device");

	set_desc(&qp[0].desc[0], V(0), 4, D_NEXT, 200);
	avail_push(0, 0);
	wr(R_QNOTIFY, 0);
	expect_break("a next index beyond the queue stops the device");

	qp[0].avail[1] = (uint16_t)(qs[0].avail_idx + 1000);
	wr(R_QNOTIFY, 0);
	expect_break("an available index 1000 entries ahead stops the device");

	qp[0].avail[2] = 300;
	qp[0].avail[1] = 1;
	wr(R_QNOTIFY, 0);
	expect_break("a head index beyond the queue stops the device");

	static const struct buf bad[] = {
		{0x10000000ul, 4, false}, {0xfffffffffffff000ul, 0x2000, false},
		{RAM_END - 4, 8, false}, {V(0), 0, false}, {RAM_BASE - 4096, 4096, false},
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		post(0, &bad[i], 1);
		expect_break("a buffer outside RAM, wrapping, straddling its end or empty stops the device");
	}
	struct buf wr_rd[2] = {{V(0), 4, true}, {V(1), 4, false}};
	post(0, wr_rd, 2);
	expect_break("a readable buffer after a writable one stops the device");

	check(dev_init(F_V1, 2, QMAX), "set-up without indirect descriptors");
	set_desc(&qp[0].desc[0], (uint64_t)ind, 16, D_INDIRECT, 0);
	avail_push(0, 0);
	wr(R_QNOTIFY, 0);
	expect_break("an indirect descriptor not negotiated stops the device");

	/* Broken queue set-ups. */
	const struct {
		uint32_t num;
		uint64_t desc;
	} setups[] = {{3, (uint64_t)qp[0].desc}, {256, (uint64_t)qp[0].desc}, {0, (uint64_t)qp[0].desc},
		      {QMAX, (uint64_t)qp[0].desc + 8}, {QMAX, 0x10001000ul}, {QMAX, RAM_END - 1024},
		      {QMAX, 0xfffffffffffff000ul}};
	for (unsigned i = 0; i < sizeof(setups) / sizeof(setups[0]); i++) {
		check(negotiate(F_V1), "negotiation");
		setup_queue(0, setups[i].num, setups[i].desc, (uint64_t)qp[0].avail, (uint64_t)qp[0].used);
		wr(R_STATUS, S_LIVE);
		checkf(broken() && rd(R_QREADY) == 0,
		       "a queue of a bad size, misaligned or in device memory is refused",
		       "case %u: status %x ready %u", i, rd(R_STATUS), rd(R_QREADY));
	}
	check(reinit(), "the device works again after a reset");

	/* Features it does not offer, or no VERSION_1. */
	check(!negotiate(F_V1 | F_MUST_TELL | F_HINT), "MUST_TELL_HOST and FREE_PAGE_HINT are refused");
	check(!negotiate(F_STATS), "a driver without VERSION_1 is refused");
	check(!negotiate(F_V1 | (1ul << 40)), "an unknown high feature is refused");
	check(reinit(), "the device works again after a reset");
}

static void attack_resets(void)
{
	/* Kicks before DRIVER_OK are held back, then replayed. */
	check(negotiate(F_V1), "negotiation");
	queues(2, QMAX);
	post(0, &(struct buf){(uint64_t)victims(0, 10), 40, false}, 1);
	check(used_idx(0) == 0, "a kick before DRIVER_OK waits");
	wr(R_STATUS, S_LIVE);
	check(used_idx(0) == 1 && !broken(), "and is carried out at DRIVER_OK");
	checkpoint("10 pages inflated by a replayed kick", 10);

	/* DRIVER_OK taken away and given again: the queues stay, nothing is lost. */
	wr(R_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
	post(0, &(struct buf){(uint64_t)victims(10, 10), 40, false}, 1);
	wr(R_STATUS, S_LIVE);
	check(used_idx(0) == 2, "DRIVER_OK cleared and set again");

	/* A reset in the middle, then kicks to queues that no longer exist. */
	post(0, &(struct buf){(uint64_t)victims(20, 80), 320, false}, 1);
	wr(R_STATUS, S_ACK);
	wr(R_STATUS, 0);
	wr(R_QNOTIFY, 0);
	wr(R_QNOTIFY, 7);
	wr(R_QNOTIFY, 0xffffffffu);
	check(used_idx(0) == 3 && rd(R_STATUS) == 0, "kicks after a reset are ignored");
	checkpoint("a reset in the middle empties the balloon", 0);

	/* A reset during negotiation, then FEATURES_OK and DRIVER_OK without the rest. */
	wr(R_STATUS, S_ACK | S_DRIVER);
	wr(R_DRVFEAT, 0xffffffffu);
	wr(R_STATUS, 0);
	wr(R_STATUS, S_DRIVER_OK);
	wr(R_QNOTIFY, 0);
	check(!(rd(R_STATUS) & S_NEEDS_RESET), "DRIVER_OK alone does nothing");
	check(reinit(), "the device works again after a reset");

	/* The configuration space: num_pages is read-only, actual is the driver's claim only. */
	uint32_t target = cfg32(0);
	*(volatile uint32_t *)(vb + R_CFG) = 0xffffffffu;
	check(cfg32(0) == target, "num_pages cannot be written");
	*(volatile uint32_t *)(vb + R_CFG + 4) = 0xffffffffu;
	*(volatile uint8_t *)(vb + R_CFG + 15) = 0xaa;
	*(volatile uint16_t *)(vb + R_CFG + 14) = 0xbbbb;
	(void)*(volatile uint16_t *)(vb + R_CFG + 14);
	(void)*(volatile uint32_t *)(vb + R_CFG + 16);
	(void)*(volatile uint32_t *)(vb + R_CFG + 0x200);
	(void)*(volatile uint8_t *)(vb + R_STATUS + 1);
	*(volatile uint8_t *)(vb + R_STATUS) = 0;
	*(volatile uint16_t *)(vb + R_QNOTIFY + 2) = 0;
	check(rd(R_STATUS) == S_LIVE, "odd-sized register accesses change nothing");
	checkpoint("the driver claims 2^32-1 pages in actual: not counted", 0);
}

static void attack_reporting(void)
{
	check(dev_init(F_V1 | F_REPORT | F_INDIRECT, 3, QMAX), "set-up with free page reporting");
	for (unsigned i = 1000; i < 1100; i++)
		fill_page(V(i), (uint64_t)i << 32);
	struct buf segs[4] = {
		{V(1000), 40 * PAGE, false}, {V(1010), 50 * PAGE + 100, false},
		{V(1005) + 7, 3, false}, {V(1090), 5 * PAGE, true},
	};
	check(send(2, segs, 4), "report overlapping, unaligned and writable free ranges");
	checkf(word(V(1000)) == 0 && word(V(1059)) == 0 && word(V(1090)) == 0,
	       "reported pages read as zero", "%lx %lx", word(V(1000)), word(V(1059)));
	checkf(word(V(1060)) == 1060ul << 32, "pages next to them are intact", "%lx", word(V(1060)));
	checkpoint("reported pages are not ballooned", 0);

	*(volatile uint32_t *)(vb + R_CFG + 12) = 0xaa;
	fill_page(V(1200), 1200);
	struct buf keep = {V(1200), PAGE, false};
	check(send(2, &keep, 1), "report with a poison value but no PAGE_POISON");
	check(dev_init(F_V1 | F_REPORT | F_POISON, 3, QMAX), "set-up with page poisoning");
	fill_page(V(1200), 1200);
	*(volatile uint32_t *)(vb + R_CFG + 12) = 0xaa;
	check(send(2, &keep, 1), "report a page with poison_val 0xaa");
	checkf(word(V(1200) + 8) == 1201, "a poisoned report is kept", "%lx", word(V(1200) + 8));
}

static void attack_stats(void)
{
	check(dev_init(F_V1 | F_STATS | F_REPORT, 4, QMAX), "set-up with statistics");
	uint16_t u = used_idx(2);
	stats_post(1);
	check(used_idx(2) == u && !broken(), "a 1-byte statistics buffer is kept");
	stats_post(9);
	check(used_idx(2) == (uint16_t)(u + 1), "a second buffer returns the first");
	for (unsigned i = 0; i < 200; i++)
		stat_entry(i, (uint16_t)(i % 3 == 0 ? 0xffff : i % 3 == 1 ? 16 + i : i % 16),
			   ~0ul - i);
	stats_post(2000);
	stats_post(11);
	struct buf split[3] = {{(uint64_t)statbuf, 5, false}, {(uint64_t)statbuf + 5, 5, false},
			       {(uint64_t)statbuf, 64, true}};
	post(2, split, 3);
	struct buf wonly = {(uint64_t)statbuf, 100, true};
	post(2, &wonly, 1);
	check(used_idx(2) == (uint16_t)(u + 5) && !broken(),
	      "buffers of 2000, 11, 5+5+writable and writable-only bytes, unknown tags");
	dev_reset();
	check(reinit(), "a reset while the device holds a statistics buffer");

	/* Lies: more free and available memory than RAM.  Kept fresh while it waits. */
	check(dev_init(F_V1 | F_STATS, 3, QMAX), "set-up with statistics");
	stat_entry(0, 4, ~0ul);
	stat_entry(1, 5, 1);
	stat_entry(2, 6, ~0ul);
	stat_entry(3, 0x8000, 5);
	stats_len = 40;
	stats_post(stats_len);
	qs[2].used_seen = used_idx(2);
	stats_on = true;
	wait_ms(1500);
	checkpoint("statistics claiming 2^64-1 bytes free", 0);
}

/* Pages still in the balloon that the guest writes again (no MUST_TELL_HOST: they fault in). */
static void attack_reuse(void)
{
	check(reinit(), "driver set-up");
	check(inflate(victims(0, 4096), 4096) &&
	      inflate(victims(4096, VICTIM_PAGES - 4096), VICTIM_PAGES - 4096),
	      "inflate every victim page");
	for (uint64_t i = 0; i < VICTIM_PAGES; i++)
		fill_page(V(i), i);
	check(word(V(5000) + 8) == 5001, "then write them all again");
	/* Used again, they cost frames again: umbra no longer counts them as ballooned. */
	checkpoint("5888 pages inflated, then used again by the guest: out of the balloon", 0);
	check(deflate_all(), "deflate them");
	checkpoint("deflated", 0);
}

/* Both mechanisms on the same pages: inflated, then the token written and GIVEn. */
static void attack_double(void)
{
	check(dev_init(F_V1 | F_STATS, 3, QMAX), "set-up with statistics");
	stat_entry(0, 4, 0);
	stat_entry(1, 6, 0);
	stats_len = 20;
	stats_post(stats_len);
	qs[2].used_seen = used_idx(2);
	stats_on = true;
	check(inflate(victims(0, 4096), 4096) &&
	      inflate(victims(4096, VICTIM_PAGES - 4096), VICTIM_PAGES - 4096),
	      "inflate every victim page");
	for (uint64_t i = 0; i < VICTIM_PAGES; i++)
		put_token(V(i), V(i));
	uint64_t n = batch(true, 0, VICTIM_PAGES);
	checkf(n == VICTIM_PAGES, "GIVE the same pages with the token", "%lu of %lu", n, VICTIM_PAGES);
	wait_ms(1500);
	checkpoint("5888 pages inflated and given: each page counts once", VICTIM_PAGES);
	n = batch(false, 0, VICTIM_PAGES);
	checkf(n == VICTIM_PAGES, "TAKE them back", "%lu", n);
	check(deflate_all(), "deflate them");
	checkpoint("taken and deflated", 0);
	stats_on = false;
}

static void attack_hypercalls(void)
{
	struct sbiret r = umbra_call(UMBRA_FN_PROBE, 0, 0);
	check(r.error == 0 && (r.value & UMBRA_FEAT_BALLOON_APP), "PROBE offers the balloon application");
	r = umbra_call(UMBRA_FN_BALLOON_TARGET, 0, 0);
	checkf(r.error == 0 && r.value == 0, "TARGET is 0 for a virtio-balloon VM", "%ld %lu",
	       r.error, r.value);

	fill_page(V(0), 7);
	*(volatile uint64_t *)V(0) = token ^ (V(0) >> 12) ^ 1;
	r = give(V(0), 1);
	checkf(is_err(r, UMBRA_ERR_DENIED), "GIVE with a wrong token: DENIED", "%ld", r.error);
	check(word(V(0)) == (token ^ (V(0) >> 12) ^ 1) && word(V(0) + 8) == 8,
	      "the page stays as it was");
	put_token(V(0) + 8, V(0));
	r = give(V(0), 1);
	checkf(is_err(r, UMBRA_ERR_DENIED), "GIVE with the token at the wrong offset: DENIED", "%ld",
	       r.error);
	*(volatile uint64_t *)V(0) = token;
	r = give(V(0), 1);
	checkf(is_err(r, UMBRA_ERR_DENIED), "GIVE with the token not XORed with the page number: DENIED",
	       "%ld", r.error);

	r = give(UNMAPPED, 1);
	checkf(is_err(r, UMBRA_ERR_INVALID_ADDRESS), "GIVE of an unmapped page", "%ld", r.error);
	r = take(UNMAPPED, 1);
	checkf(is_err(r, UMBRA_ERR_INVALID_ADDRESS), "TAKE of an unmapped page", "%ld", r.error);
	r = give(0x10000000ul, 1);
	checkf(is_err(r, UMBRA_ERR_INVALID_ADDRESS), "GIVE of a device page", "%ld", r.error);
	r = give(0, 1);
	checkf(is_err(r, UMBRA_ERR_INVALID_ADDRESS), "GIVE of page 0", "%ld", r.error);
	static const struct {
		uint64_t va, n;
		long e;
	} ranges[] = {
		{0xfffffffffffff000ul, 2, UMBRA_ERR_INVALID_ADDRESS},
		{0xfffffffffffff000ul, 1, UMBRA_ERR_INVALID_ADDRESS},
		{0x8000000000000000ul, 1, UMBRA_ERR_INVALID_ADDRESS},
		{V(0) + 8, 1, UMBRA_ERR_INVALID_ADDRESS},
		{V(0), 0, UMBRA_ERR_INVALID_PARAM},
		{V(0), ~0ul, UMBRA_ERR_INVALID_ADDRESS},
		{V(0), 1ul << 52, UMBRA_ERR_INVALID_ADDRESS},
	};
	for (unsigned i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		r = give(ranges[i].va, ranges[i].n);
		struct sbiret t = take(ranges[i].va, ranges[i].n);
		checkf(is_err(r, ranges[i].e) && is_err(t, ranges[i].e),
		       "GIVE and TAKE of overflowing, unaligned, empty or non-canonical ranges",
		       "case %u: %ld %ld", i, r.error, t.error);
	}

	r = give(RAM_END - PAGE, 1ul << 40);
	struct sbiret t = take(RAM_END - PAGE, 1ul << 40);
	checkf(is_err(r, UMBRA_ERR_DENIED) && done(t, 1), "GIVE and TAKE across the end of RAM",
	       "%ld %ld %lu", r.error, t.error, t.value);

	/* A huge count: at most 512 pages per call, then partial progress. */
	for (unsigned i = 1000; i < 1600; i++)
		put_token(V(i), V(i));
	r = give(V(1000), 1ul << 40);
	checkf(done(r, 512), "GIVE of 2^40 pages does 512", "%ld %lu", r.error, r.value);
	r = give(V(1512), 1ul << 40);
	checkf(done(r, 88), "GIVE stops at the first page without the token", "%ld %lu", r.error, r.value);
	r = give(V(1600), 10);
	checkf(is_err(r, UMBRA_ERR_DENIED), "GIVE of no page with the token: DENIED", "%ld", r.error);
	checkpoint("600 pages given", 600);
	r = take(V(1000), 1ul << 40);
	t = take(V(1512), 88);
	check(done(r, 512) && done(t, 88), "TAKE them back");
	r = take(V(1000), 600);
	t = take(V(2000), 512);
	check(done(r, 512) && done(t, 512), "TAKE of pages never given (or taken already)");
	checkpoint("taking more than was given leaves 0", 0);

	/* The same page twice, once through another mapping. */
	put_token(V(0), V(0));
	r = give(V(0), 1);
	check(done(r, 1), "GIVE a page");
	r = give(V(0), 1);
	check(done(r, 1), "GIVE it again");
	r = give(ALIAS + PAGE, 1);
	check(done(r, 1), "GIVE it through a second mapping");
	checkpoint("one page given three times counts once", 1);
	r = take(ALIAS + PAGE, 1);
	t = take(V(0), 1);
	check(done(r, 1) && done(t, 1), "TAKE it through both mappings");
	checkpoint("and taken twice: 0", 0);

	/* Its own page tables, code, stack, rings: no token, so DENIED. */
	uint64_t sp;
	__asm__ volatile("mv %0, sp" : "=r"(sp));
	const uint64_t own[] = {(uint64_t)pt_root, (uint64_t)pt_l1, (uint64_t)pt_l0,
				(uint64_t)__text_start, (uint64_t)main & ~(PAGE - 1),
				sp & ~(PAGE - 1), (uint64_t)qp[0].desc, (uint64_t)pfns};
	for (unsigned i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
		r = give(own[i], 1);
		checkf(is_err(r, UMBRA_ERR_DENIED), "GIVE of its own page tables, code, stack or rings: DENIED",
		       "page %lx: %ld %lu", own[i], r.error, r.value);
	}
	check(tables_intact() && code_now() == code_sum, "page tables and code intact");
	fill_page(V(3000), 0x3000ul << 32);
	probe_trapped = false;
	uint64_t w = probe_ld(ALIAS + 2 * PAGE + 16);
	check(!probe_trapped && w == (0x3000ul << 32) + 2, "the window at 0x40000000 works");

	/* A page table holding the token: umbra may take it; the guest loses its mappings. */
	put_token((uint64_t)pt_l0, (uint64_t)pt_l0);
	__asm__ volatile("sfence.vma" ::: "memory");
	r = give((uint64_t)pt_l0, 1);
	checkf(done(r, 1), "GIVE of a page table that holds the token", "%ld %lu", r.error, r.value);
	__asm__ volatile("sfence.vma" ::: "memory");
	probe_trapped = false;
	w = probe_ld(ALIAS + 2 * PAGE + 16);
	checkf(probe_trapped && probe_cause == 13, "then its mappings are gone (load page fault)",
	       "trapped %d cause %lu value %lx", probe_trapped, probe_cause, w);

	/* A code page holding the token: after GIVE it reads zero and cannot run. */
	check(victim_fn() == 42, "the victim code runs");
	put_token((uint64_t)victim_code_page, (uint64_t)victim_code_page);
	__asm__ volatile("fence.i" ::: "memory");
	check(victim_fn() == 42, "and still runs with the token in its page");
	r = give((uint64_t)victim_code_page, 1);
	checkf(done(r, 1), "GIVE of a code page that holds the token", "%ld %lu", r.error, r.value);
	__asm__ volatile("fence.i" ::: "memory");
	probe_trapped = false;
	w = probe_call(victim_fn);
	checkf(probe_trapped && probe_cause == 2, "then its code is gone (illegal instruction)",
	       "trapped %d cause %lu returned %lu", probe_trapped, probe_cause, w);
	/* Both were touched again (a walk, a fetch): they left the balloon. */
	checkpoint("a page table and a code page given, then touched again", 0);
	r = take((uint64_t)pt_l0, 1);
	t = take((uint64_t)victim_code_page, 1);
	check(done(r, 1) && done(t, 1), "TAKE them back");
	map_window();
	checkpoint("taken back", 0);
}

/* ---- the storm: random attacks for a few seconds ---- */

static uint64_t rnd(uint64_t n)
{
	return n ? xorshift(&rng) % n : xorshift(&rng);
}

static uint32_t rnd_pfn(uint32_t prev)
{
	switch (rnd(8)) {
	case 0: case 1: case 2: return PFN(V(rnd(VICTIM_PAGES)));
	case 3: { /* anywhere, but RAM only as a victim page */
		uint32_t pfn = (uint32_t)rnd(0);
		return pfn >= PFN(RAM_BASE) && pfn < PFN(RAM_END) ? PFN(V(pfn % VICTIM_PAGES)) : pfn;
	}
	case 4: return PFN(&qp[rnd(NQ)]) + (uint32_t)rnd(2);
	case 5: {
		static const uint32_t edge[] = {0, 0x7ffff, PFN(RAM_END), PFN(RAM_END) - 1, 0xffffffffu,
						PFN(VICTIM) - 1 + 1};
		return edge[rnd(sizeof(edge) / sizeof(edge[0]))];
	}
	default: return prev;
	}
}

/*
 * An address for a buffer or a ring, such that the device, which writes used
 * rings and gives back whole pages of reported buffers, never touches the
 * image, the sentinel or the page tables.
 */
static uint64_t rnd_addr(void)
{
	switch (rnd(8)) {
	case 0: case 1: case 2: return V(rnd(VICTIM_PAGES)) + rnd(PAGE);
	case 3: return rnd(0);
	case 4: return (uint64_t)&qp[rnd(NQ)] + rnd(PAGE);
	case 5: return 0x10000000ul + rnd(0x10000);
	case 6: return RAM_END - rnd(64);
	default: return RAM_BASE - rnd(PAGE);
	}
}

static uint32_t rnd_len(void)
{
	switch (rnd(4)) {
	case 0: return (uint32_t)rnd(0);
	case 1: return (uint32_t)rnd(16);
	default: return (uint32_t)rnd(4 * PAGE);
	}
}

/* A buffer from rnd_addr() ends where its region (victim pages or rings) ends. */
static uint32_t clamp_len(uint64_t addr, uint32_t len)
{
	uint64_t end = addr >= VICTIM && addr < V(VICTIM_PAGES) ? V(VICTIM_PAGES)
		     : addr >= (uint64_t)qp && addr < (uint64_t)(qp + NQ) ? (uint64_t)(qp + NQ) : 0;
	return end && len > end - addr ? (uint32_t)(end - addr) : len;
}

static void rnd_desc(struct vdesc *d)
{
	uint64_t addr = rnd_addr();
	set_desc(d, addr, clamp_len(addr, rnd_len()), (uint16_t)rnd(8),
		 (uint16_t)rnd(rnd(2) ? QMAX : 65536));
}

static const uint64_t feature_sets[] = {
	F_V1, F_V1 | F_INDIRECT, F_V1 | F_STATS, F_V1 | F_REPORT | F_STATS | F_INDIRECT,
	F_V1 | F_REPORT | F_POISON | F_OOM, F_V1 | F_EVENT_IDX | F_STATS | F_INDIRECT,
	F_V1 | F_EVENT_IDX | F_REPORT,
};

static void storm_step(void)
{
	unsigned q = (unsigned)rnd(NQ);
	switch (rnd(12)) {
	case 0: case 1: { /* a random page list */
		uint32_t n = (uint32_t)(rnd(4) ? rnd(600) + 1 : rnd(16384) + 1), prev = 0;
		for (uint32_t i = 0; i < n; i++)
			pfns[i] = prev = rnd_pfn(prev);
		post((unsigned)rnd(2), &(struct buf){(uint64_t)pfns, n * 4 - (uint32_t)rnd(4), false}, 1);
		break;
	}
	case 2: { /* many chains in one kick */
		unsigned k = (unsigned)rnd(QMAX) + 1;
		for (unsigned h = 0; h < k; h++) {
			set_desc(&qp[q].desc[h], (uint64_t)pfns + 4 * rnd(8192), (uint32_t)rnd(PAGE) + 1,
				 0, 0);
			avail_push(q, (uint16_t)h);
		}
		wr(R_QNOTIFY, q);
		break;
	}
	case 3: { /* garbage descriptors, ring entries and indexes */
		for (unsigned i = 0; i < 8; i++)
			rnd_desc(&qp[q].desc[rnd(QMAX)]);
		qp[q].avail[2 + rnd(QMAX)] = (uint16_t)rnd(rnd(2) ? QMAX : 65536);
		if (rnd(2))
			qp[q].avail[1] = (uint16_t)(qs[q].avail_idx + rnd(300));
		else
			avail_push(q, (uint16_t)rnd(QMAX));
		wr(R_QNOTIFY, (uint32_t)rnd(rnd(2) ? NQ : 0));
		break;
	}
	case 4: { /* an indirect table of garbage */
		unsigned n = (unsigned)rnd(256) + 1;
		for (unsigned i = 0; i < n; i++)
			rnd_desc(&ind[i]);
		set_desc(&qp[q].desc[0], (uint64_t)ind, (uint32_t)(rnd(2) ? 16 * n : rnd_len()),
			 (uint16_t)(D_INDIRECT | rnd(4)), (uint16_t)rnd(QMAX));
		avail_push(q, 0);
		wr(R_QNOTIFY, q);
		break;
	}
	case 5: { /* statistics of any size and content */
		for (unsigned i = 0; i < sizeof(statbuf); i++)
			statbuf[i] = (uint8_t)rnd(256);
		struct buf b[2] = {{(uint64_t)statbuf, (uint32_t)rnd(sizeof(statbuf)) + 1, false},
				   {(uint64_t)statbuf, (uint32_t)rnd(64) + 1, rnd(2) != 0}};
		post(2, b, (unsigned)rnd(2) + 1);
		break;
	}
	case 6: { /* free page reports over victim pages */
		struct buf b[8];
		unsigned n = (unsigned)rnd(8) + 1;
		for (unsigned i = 0; i < n; i++) {
			uint64_t at = V(rnd(VICTIM_PAGES - 64)) + rnd(PAGE);
			b[i] = (struct buf){at, (uint32_t)rnd(64 * PAGE) + 1, false};
		}
		post(2 + (unsigned)rnd(3), b, n);
		break;
	}
	case 7: { /* GIVE and TAKE of anything */
		uint64_t va = rnd(4) ? V(rnd(VICTIM_PAGES)) : rnd(2) ? ALIAS + rnd(4) * PAGE : rnd(0);
		uint64_t n = rnd(4) ? rnd(700) : rnd(0);
		if (va >= VICTIM && va < V(VICTIM_PAGES) && rnd(2))
			for (uint64_t i = 0, k = rnd(64); i < k && va + i * PAGE < V(VICTIM_PAGES); i++)
				put_token(va + i * PAGE, va + i * PAGE);
		(void)(rnd(3) ? give(va, n) : take(va, n));
		break;
	}
	case 8: { /* the config space, any width */
		unsigned off = (unsigned)rnd(0x20), w = 1u << rnd(3);
		uint64_t a = vb + R_CFG + (off & ~(w - 1));
		if (w == 1)
			*(volatile uint8_t *)a = (uint8_t)rnd(0);
		else if (w == 2)
			*(volatile uint16_t *)a = (uint16_t)rnd(0);
		else
			*(volatile uint32_t *)a = (uint32_t)rnd(0);
		(void)*(volatile uint32_t *)(vb + R_CFG + 4 * rnd(0x40));
		break;
	}
	case 9: { /* registers, with ring addresses only where the device may write */
		static const unsigned regs[] = {R_QSEL, R_QNUM, R_QREADY, R_STATUS, R_DRVFEAT_SEL,
						R_DRVFEAT, R_ISRACK, R_QNOTIFY, R_DEVFEAT_SEL};
		unsigned reg = regs[rnd(sizeof(regs) / sizeof(regs[0]))];
		uint32_t v = (uint32_t)(rnd(2) ? rnd(8) : rnd(0));
		if (reg == R_QSEL && rnd(2)) {
			wr(R_QSEL, (uint32_t)rnd(NQ));
			wr(R_QREADY, 0);
			set_addr(R_QDESC + 0x10 * (unsigned)rnd(3), rnd_addr());
			wr(R_QREADY, 1);
		} else {
			wr(reg, v);
		}
		(void)rd((unsigned)rnd(0x100) & ~3u);
		break;
	}
	case 10: /* a clean reset and set-up with other features */
		dev_init(feature_sets[rnd(sizeof(feature_sets) / sizeof(feature_sets[0]))],
			 (unsigned)rnd(NQ) + 1, 1u << rnd(8));
		break;
	default: /* a reset half-way through a set-up */
		negotiate(feature_sets[rnd(sizeof(feature_sets) / sizeof(feature_sets[0]))]);
		queues((unsigned)rnd(NQ) + 1, QMAX);
		post(0, &(struct buf){(uint64_t)victims(rnd(VICTIM_PAGES - 100), 100), 400, false}, 1);
		if (rnd(2))
			wr(R_STATUS, S_LIVE);
		dev_reset();
		break;
	}
	if (rnd(4) == 0 && (broken() || rd(R_STATUS) != S_LIVE))
		dev_init(feature_sets[rnd(sizeof(feature_sets) / sizeof(feature_sets[0]))], NQ, QMAX);
}

static void storm(uint64_t seconds)
{
	uint64_t end = now() + seconds * TICKS_PER_S, rounds = 0;
	rng ^= now();
	while (now() < end) {
		storm_step();
		rounds++;
	}
	kprintf("storm: %lu random attacks\n", rounds);
	check(reinit(), "after the storm, a reset and set-up work");
	check(deflate_all(), "and a clean deflate is acknowledged");
	uint64_t n = batch(false, 0, VICTIM_PAGES);
	checkf(n == VICTIM_PAGES, "TAKE of every victim page", "%lu", n);
	checkpoint("after the storm, a reset, a deflate and TAKE of everything: 0", 0);
}

/* ---- main ---- */

static uintptr_t find_balloon(void)
{
	for (unsigned n = 0; n < 8; n++) {
		uintptr_t b = 0x10001000ul + n * 0x1000ul;
		if (*(volatile uint32_t *)(b + R_MAGIC) == 0x74726976 &&
		    *(volatile uint32_t *)(b + R_VERSION) == 2 &&
		    *(volatile uint32_t *)(b + R_DEVID) == 5)
			return b;
	}
	return 0;
}

static void stuck(void)
{
	kputs("HOSTILE: stuck\n");
}

int main(unsigned long hart, unsigned long dtb)
{
	(void)hart;
	on_unexpected_trap = stuck;
	kputs("hostile: start\n");
	if (!checkf(dtb == RAM_END - (1ul << 20), "32 MiB of RAM", "device tree at %lx", dtb))
		for (;;)
			;
	sent_fill();
	code_sum = code_now();
	vb = find_balloon();
	checkf(vb == 0x10003000ul, "the balloon is the third virtio slot", "at %lx", vb);
	if (!vb)
		for (;;)
			;
	paging_on();
	token = umbra_call(UMBRA_FN_BALLOON_TOKEN, 0, 0).value;

	attack_lists();
	attack_rings();
	attack_resets();
	attack_reporting();
	attack_stats();
	attack_reuse();
	attack_double();
	attack_hypercalls();
	storm(6);

	uint64_t bad = sent_bad();
	checkf(!bad, "the sentinel region is intact", "first change at %lx", bad);
	check(code_now() == code_sum, "its code and constants are intact");
	check(tables_intact(), "its page tables are intact");
	kprintf("HOSTILE: %u passed, %u failed\n", checks_passed, checks_failed);

	/* The last phase: a live driver that never answers its target again. */
	check(reinit(), "a live driver for the stall");
	kputs("STALL\n");
	for (uint64_t round = 1;; round++) {
		bad = sent_bad();
		if (bad) {
			kprintf("FAIL the sentinel changed during the stall at %lx\n", bad);
			for (;;)
				;
		}
		if (round % 8 == 0)
			kprintf("hostile: alive, round %lu\n", round);
		delay_ms(250);
	}
	return 0;
}
