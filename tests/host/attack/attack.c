/*
 * attack.c - a malicious bare-metal guest kernel (S-mode, 2 harts, built-in
 * SBI) that attacks every device and call umbra offers, for tests/host/attack.sh:
 *
 *   1 mmio     random reads and writes of every width on every virtio-mmio
 *              slot, the PLIC and the CLINT
 *   2 rings    each virtio device set up, then fed hostile rings: descriptor
 *              loops, chains longer than the queue, huge lengths, addresses
 *              outside RAM and in MMIO, indirect tables nested, misaligned or
 *              huge, heads out of range, index jumps, rings that overlap
 *              each other and the buffers, fully random tables; virtio-blk
 *              requests past the end, writes to the read-only disk, odd types
 *   3 race     hart 1 rewrites the rings while hart 0 notifies
 *   4 sbi      random calls to every SBI extension and umbra hypercall from
 *              S-mode, and umbra hypercalls from U-mode
 *   5 storms   timer and IPI interrupt storms, remote fences over the whole
 *              address space, console writes of any length and address
 *   6 sanity   the devices, reset, must still serve proper requests
 *
 * It prints "ATTACK phase N name", its own checks ("PASS"/"FAIL"), then
 * "ATTACK: done" and idles; hart 1 spins from phase 3 on (a busy guest).
 * Device memory: everything the devices may write lies in SCRATCH.
 */
#include "runtime.h"
#include "umbra/hypercall.h"

#define RAM_SIZE (64ul << 20)
#define RAM_END (RAM_BASE + RAM_SIZE)
#define SCRATCH 0x80800000ul	/* 4 MiB the devices may scribble on */
#define SCRATCH_SIZE (4ul << 20)
#define UAREA 0x80c00000ul	/* pages only U-mode hypercalls name */
#define VIRTIO(i) (0x10001000ul + (uint64_t)(i) * 0x1000)
#define NSLOTS 8
#define PLIC 0x0c000000ul
#define CLINT 0x02000000ul

#define EID_BASE 0x10ul
#define EID_TIME 0x54494D45ul
#define EID_IPI 0x735049ul
#define EID_RFENCE 0x52464E43ul
#define EID_HSM 0x48534Dul
#define EID_SRST 0x53525354ul
#define EID_DBCN 0x4442434Eul
#define EID_PMU 0x504D55ul

static uint64_t rng = 0x9e3779b97f4a7c15ul;
static uint64_t rnd(void)
{
	return xorshift(&rng);
}
static uint64_t below(uint64_t n)
{
	return rnd() % n;
}

/* --- MMIO ----------------------------------------------------------------- */

static uint64_t mmio_read(uint64_t a, unsigned w)
{
	switch (w) {
	case 1: return *(volatile uint8_t *)a;
	case 2: return *(volatile uint16_t *)a;
	case 4: return *(volatile uint32_t *)a;
	default: return *(volatile uint64_t *)a;
	}
}

static void mmio_write(uint64_t a, unsigned w, uint64_t v)
{
	switch (w) {
	case 1: *(volatile uint8_t *)a = (uint8_t)v; break;
	case 2: *(volatile uint16_t *)a = (uint16_t)v; break;
	case 4: *(volatile uint32_t *)a = (uint32_t)v; break;
	default: *(volatile uint64_t *)a = v; break;
	}
}

/* An access that may fault (misaligned MMIO may be refused): resumes after it. */
static __attribute__((noinline)) void poke(uint64_t a, unsigned w, uint64_t v, bool write)
{
	static volatile uint64_t sink __attribute__((unused));
	__asm__ volatile("la t0, 1f; sd t0, fix_pc, t1" ::: "t0", "t1", "memory");
	if (write)
		mmio_write(a, w, v);
	else
		sink = mmio_read(a, w);
	__asm__ volatile("1: sd zero, fix_pc, t1" ::: "t1", "memory");
}

static const uint64_t interesting[] = {0, 1, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff,
				       0x10000, 0x7fffffff, 0x80000000, 0xffffffff,
				       0x100000000, 0x7fffffffffffffff, 0x8000000000000000,
				       0xffffffffffffffff};
#define NINTERESTING (sizeof(interesting) / sizeof(interesting[0]))

static uint64_t value(void)
{
	return below(3) ? interesting[below(NINTERESTING)] : rnd();
}

static void phase_mmio(void)
{
	static const unsigned widths[] = {1, 2, 4, 8};
	for (unsigned slot = 0; slot < NSLOTS; slot++)
		for (unsigned i = 0; i < 3000; i++) {
			unsigned w = widths[below(4)];
			uint64_t off = below(0x200) & ~(uint64_t)(below(4) ? w - 1 : 0);
			poke(VIRTIO(slot) + off, w, value(), below(2));
		}
	/* the PLIC: priorities, enables, thresholds, claims of both contexts */
	for (unsigned i = 0; i < 4000; i++) {
		static const uint64_t regs[] = {0x4, 0x28, 0x1000, 0x2000, 0x2080, 0x200000,
						0x200004, 0x201000, 0x201004, 0x3ffffc};
		poke(PLIC + regs[below(10)] + 4 * below(4), 4, value(), below(2));
	}
	/* the CLINT: msip and mtimecmp of harts that do and do not exist */
	for (unsigned i = 0; i < 2000; i++)
		poke(CLINT + (below(2) ? 4 * below(16) : 0x4000 + 8 * below(16)), below(2) ? 4 : 8,
		     value(), below(2));
	sbi_call(EID_TIME, 0, ~0ul, 0);
	for (unsigned h = 0; h < 2; h++) /* leave no software interrupt pending */
		poke(CLINT + 4 * h, 4, 0, true);
}

/* --- virtio ----------------------------------------------------------------- */

struct vdesc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};
#define D_NEXT 1
#define D_WRITE 2
#define D_INDIRECT 4

static uint32_t rd(uint64_t base, unsigned off)
{
	return *(volatile uint32_t *)(base + off);
}

static void wr(uint64_t base, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(base + off) = v;
}

static void wr64(uint64_t base, unsigned off, uint64_t v)
{
	wr(base, off, (uint32_t)v);
	wr(base, off + 4, (uint32_t)(v >> 32));
}

/* The rings of a queue: desc at q, avail at q + 4 KiB, used at q + 8 KiB (in SCRATCH). */
static uint64_t ring(unsigned slot, unsigned q)
{
	return SCRATCH + ((uint64_t)slot * 4 + q) * 0x3000;
}

/* Resets the device and sets it up with every feature it offers and nq queues of num. */
static unsigned setup(uint64_t base, unsigned slot, unsigned num)
{
	wr(base, 0x70, 0);
	wr(base, 0x70, 1 | 2);
	for (unsigned sel = 0; sel < 2; sel++) {
		wr(base, 0x14, sel);
		uint32_t f = rd(base, 0x10);
		wr(base, 0x24, sel);
		wr(base, 0x20, f);
	}
	wr(base, 0x70, 1 | 2 | 8);
	unsigned nq = 0;
	for (unsigned q = 0; q < 4; q++) {
		wr(base, 0x30, q);
		uint32_t max = rd(base, 0x34);
		if (!max)
			break;
		uint64_t r = ring(slot, q);
		memset((void *)r, 0, 0x3000);
		wr(base, 0x38, num <= max ? num : max);
		wr64(base, 0x80, r);
		wr64(base, 0x90, r + 0x1000);
		wr64(base, 0xa0, r + 0x2000);
		wr(base, 0x44, 1);
		nq++;
	}
	wr(base, 0x70, 1 | 2 | 8 | 4);
	return nq;
}

/* An address a descriptor may name: in SCRATCH mostly, otherwise anywhere hostile. */
static uint64_t buf_addr(unsigned slot)
{
	switch (below(12)) {
	case 0: return 0;
	case 1: return RAM_END - below(3) * 8;	  /* straddles the end of RAM */
	case 2: return VIRTIO(slot);		  /* the device's own registers */
	case 3: return 0xfffffffffffff000ul;
	case 4: return RAM_BASE - 4096;
	case 5: return ring(slot, 0);		  /* the descriptor table itself */
	default: return SCRATCH + 0x60000 + below(SCRATCH_SIZE - 0x70000);
	}
}

static uint32_t buf_len(void)
{
	switch (below(8)) {
	case 0: return 0;
	case 1: return 0xffffffffu;
	case 2: return 0x80000000u;
	case 3: return (uint32_t)rnd();
	default: return (uint32_t)below(8192) + 1;
	}
}

/* Writes one hostile arrangement into queue q's rings; returns how many heads it posted. */
static void hostile_ring(unsigned slot, unsigned q, unsigned num, unsigned kind)
{
	uint64_t r = ring(slot, q);
	volatile struct vdesc *d = (volatile struct vdesc *)r;
	volatile uint16_t *avail = (volatile uint16_t *)(r + 0x1000);
	unsigned n = num < 64 ? num : 64;
	for (unsigned i = 0; i < n; i++) {
		d[i].addr = buf_addr(slot);
		d[i].len = buf_len();
		d[i].flags = (uint16_t)(below(2) ? D_WRITE : 0);
		d[i].next = (uint16_t)((i + 1) % n);
	}
	struct vdesc *ind = (struct vdesc *)(SCRATCH + 0x40000);
	switch (kind) {
	case 0: /* a descriptor that chains to itself */
		d[0].flags |= D_NEXT;
		d[0].next = 0;
		break;
	case 1: /* a cycle through every descriptor */
		for (unsigned i = 0; i < n; i++)
			d[i].flags |= D_NEXT;
		break;
	case 2: /* an indirect table whose entries point back at the table, nested */
		for (unsigned i = 0; i < 16; i++) {
			ind[i].addr = (uint64_t)ind;
			ind[i].len = below(2) ? 16 * 16 : buf_len();
			ind[i].flags = (uint16_t)(D_INDIRECT | (below(2) ? D_NEXT : 0));
			ind[i].next = (uint16_t)below(20);
		}
		d[0].addr = (uint64_t)ind;
		d[0].len = below(2) ? 16 * 16 : (uint32_t)below(1000);
		d[0].flags = D_INDIRECT | (below(2) ? D_NEXT : 0);
		break;
	case 3: /* next out of range */
		d[0].flags |= D_NEXT;
		d[0].next = (uint16_t)(num + below(1000));
		break;
	case 4: /* fully random table */
		for (unsigned i = 0; i < n; i++) {
			d[i].addr = below(2) ? rnd() : buf_addr(slot);
			d[i].len = (uint32_t)rnd();
			d[i].flags = (uint16_t)rnd();
			d[i].next = (uint16_t)rnd();
		}
		break;
	case 5: /* the used ring is the descriptor table: the device overwrites what it walks */
		wr(VIRTIO(slot), 0x30, q);
		wr(VIRTIO(slot), 0x44, 0);
		wr64(VIRTIO(slot), 0xa0, r);
		wr(VIRTIO(slot), 0x44, 1);
		break;
	default: /* plausible chains of 1-3 with hostile addresses and lengths */
		for (unsigned i = 0; i + 2 < n; i += 3) {
			d[i].flags |= D_NEXT;
			d[i + 1].flags |= (uint16_t)(below(2) ? D_NEXT : 0);
		}
		break;
	}
	/* heads: mostly in range; some out of range; the index jumps now and then */
	uint16_t idx = avail[1];
	unsigned posts = 1 + (unsigned)below(8);
	for (unsigned i = 0; i < posts; i++)
		avail[2 + (idx + i) % num] = (uint16_t)(below(6) ? below(n) : rnd());
	fence();
	avail[1] = (uint16_t)(below(10) ? idx + posts : rnd());
	fence();
}

/* A well-formed virtio-blk request on queue 0 (type, sector) with one data buffer. */
static void blk_request(unsigned slot, uint32_t type, uint64_t sector, uint32_t len)
{
	uint64_t r = ring(slot, 0);
	volatile struct vdesc *d = (volatile struct vdesc *)r;
	volatile uint16_t *avail = (volatile uint16_t *)(r + 0x1000);
	volatile uint64_t *hdr = (volatile uint64_t *)(SCRATCH + 0x50000);
	hdr[0] = type;
	hdr[1] = sector;
	d[0] = (struct vdesc){SCRATCH + 0x50000, 16, D_NEXT, 1};
	d[1] = (struct vdesc){SCRATCH + 0x60000, len, (uint16_t)(D_NEXT | (type == 0 ? D_WRITE : 0)), 2};
	d[2] = (struct vdesc){SCRATCH + 0x50100, 1, D_WRITE, 0};
	uint16_t idx = avail[1];
	avail[2 + idx % 16] = 0;
	fence();
	avail[1] = (uint16_t)(idx + 1);
	fence();
	wr(VIRTIO(slot), 0x50, 0);
}

static void ack(uint64_t base)
{
	wr(base, 0x64, rd(base, 0x60));
}

static unsigned devices[NSLOTS], ndev; /* slots that hold a device */

static void phase_rings(void)
{
	ndev = 0;
	for (unsigned slot = 0; slot < NSLOTS; slot++) { /* an empty slot may fault */
		probe_trapped = false;
		uint64_t magic = probe_ld(VIRTIO(slot)) & 0xffffffff;
		if (!probe_trapped && magic == 0x74726976 && rd(VIRTIO(slot), 8) != 0)
			devices[ndev++] = slot;
	}
	kprintf("attack: %u virtio devices\n", ndev);
	for (unsigned round = 0; round < 400; round++)
		for (unsigned k = 0; k < ndev; k++) {
			unsigned slot = devices[k], num = below(4) ? 16 : (unsigned)below(1024);
			uint64_t base = VIRTIO(slot);
			unsigned nq = setup(base, slot, num ? num : 1);
			wr(base, 0x30, 0);
			num = rd(base, 0x38);
			if (!nq || !num)
				continue;
			unsigned q = (unsigned)below(nq);
			hostile_ring(slot, q, num, (unsigned)below(8));
			wr(base, 0x50, below(8) ? q : (uint32_t)rnd());
			if (rd(base, 8) == 2) { /* blk: requests past the end, odd types, writes */
				static const uint32_t types[] = {0, 1, 4, 8, 11, 13, 0xffffffffu};
				setup(base, slot, 16);
				blk_request(slot, types[below(7)],
					    below(2) ? ~0ul - below(4) : below(40000), buf_len() & 0xfffff);
			}
			ack(base);
		}
}

/* --- the race ------------------------------------------------------------- */

static volatile uint64_t hart1_rounds, hart1_phase;
static uint8_t hart1_stack[8192] __attribute__((aligned(16), used));

void hart1_main(void);
void hart1_main(void)
{
	uint64_t s = 0x1234567;
	for (;;) {
		if (hart1_phase == 1) { /* scribble on every ring */
			volatile uint64_t *p = (volatile uint64_t *)ring(devices[xorshift(&s) % ndev], 0);
			for (unsigned i = 0; i < 64; i++)
				p[xorshift(&s) % (0x3000 / 8)] = xorshift(&s);
		}
		hart1_rounds++;
	}
}

__asm__(".text\n.align 2\nhart1_entry:\n"
	"	la sp, hart1_stack + 8192\n"
	"	la t0, hart1_trap\n"
	"	csrw stvec, t0\n"
	"	call hart1_main\n"
	"hart1_trap:\n"
	"	j hart1_trap\n");
extern char hart1_entry[];

static void phase_race(void)
{
	struct sbiret r = sbi_call(EID_HSM, 0, 1, (uint64_t)hart1_entry);
	checkf(r.error == 0, "hart 1 starts", "hart_start: error %ld", r.error);
	uint64_t t0 = now();
	while (!hart1_rounds && now() - t0 < TICKS_PER_S)
		;
	hart1_phase = 1;
	for (unsigned round = 0; round < 3000; round++) {
		unsigned slot = devices[below(ndev)];
		uint64_t base = VIRTIO(slot);
		if (round % 50 == 0)
			setup(base, slot, 16);
		wr(base, 0x50, (uint32_t)below(3));
		ack(base);
	}
	hart1_phase = 2;
	checkf(hart1_rounds > 0, "hart 1 ran beside the notifications", "no rounds");
}

/* --- calls ---------------------------------------------------------------- */

struct regs6 {
	uint64_t a0, a1, a2, a3, a4, a5;
};

static struct sbiret call6(uint64_t eid, uint64_t fid, const struct regs6 *g)
{
	register uint64_t a0 __asm__("a0") = g->a0, a1 __asm__("a1") = g->a1;
	register uint64_t a2 __asm__("a2") = g->a2, a3 __asm__("a3") = g->a3;
	register uint64_t a4 __asm__("a4") = g->a4, a5 __asm__("a5") = g->a5;
	register uint64_t a6 __asm__("a6") = fid, a7 __asm__("a7") = eid;
	__asm__ volatile("ecall"
			 : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5)
			 : "r"(a6), "r"(a7)
			 : "memory");
	return (struct sbiret){(long)a0, a1};
}

/* An argument: an address in some region, a size, or garbage. */
static uint64_t arg(uint64_t area)
{
	switch (below(6)) {
	case 0: return area + below(64) * PAGE;
	case 1: return area + below(1 << 20);
	case 2: return below(2048);
	default: return value();
	}
}

static void random_regs(struct regs6 *g, uint64_t area)
{
	g->a0 = arg(area);
	g->a1 = arg(area);
	g->a2 = arg(area);
	g->a3 = arg(area);
	g->a4 = arg(area);
	g->a5 = arg(area);
}

static uint64_t user_calls;

/* U-mode: random umbra hypercalls on UAREA, then an ecall umbra hands to S-mode. */
static void user_attack(void)
{
	struct regs6 g;
	uint64_t s = rng;
	for (unsigned i = 0; i < 2000; i++) {
		g.a0 = UAREA + xorshift(&s) % 64 * PAGE;
		g.a1 = xorshift(&s) % 4 ? xorshift(&s) % 64 : xorshift(&s);
		g.a2 = xorshift(&s);
		g.a3 = xorshift(&s) % 8;
		g.a4 = xorshift(&s) % 4 ? UAREA : xorshift(&s);
		g.a5 = xorshift(&s);
		call6(UMBRA_EID, xorshift(&s) % 4 ? xorshift(&s) % 24 : xorshift(&s), &g);
		user_calls++;
	}
	g.a0 = 0;
	call6(EID_BASE, 0, &g); /* not umbra's: traps to S-mode, which resumes below */
}

/* Runs fn in U-mode (paging off) until it traps to S-mode. */
static uint64_t saved_sp __attribute__((used));
__asm__(".text\n.align 2\nenter_user:\n"
	"	addi sp, sp, -112\n"
	"	sd ra, 0(sp); sd s0, 8(sp); sd s1, 16(sp); sd s2, 24(sp); sd s3, 32(sp)\n"
	"	sd s4, 40(sp); sd s5, 48(sp); sd s6, 56(sp); sd s7, 64(sp); sd s8, 72(sp)\n"
	"	sd s9, 80(sp); sd s10, 88(sp); sd s11, 96(sp); sd gp, 104(sp)\n"
	"	sd sp, saved_sp, t1\n"
	"	la t0, user_back\n"
	"	sd t0, fix_pc, t1\n"
	"	csrw sepc, a0\n"
	"	li t0, 1 << 8\n"
	"	csrc sstatus, t0\n"
	"	sret\n"
	"user_back:\n"
	"	sd zero, fix_pc, t1\n"
	"	ld sp, saved_sp\n"
	"	ld ra, 0(sp); ld s0, 8(sp); ld s1, 16(sp); ld s2, 24(sp); ld s3, 32(sp)\n"
	"	ld s4, 40(sp); ld s5, 48(sp); ld s6, 56(sp); ld s7, 64(sp); ld s8, 72(sp)\n"
	"	ld s9, 80(sp); ld s10, 88(sp); ld s11, 96(sp); ld gp, 104(sp)\n"
	"	addi sp, sp, 112\n"
	"	ret\n");
void enter_user(void (*fn)(void));

static void phase_calls(void)
{
	static const uint64_t eids[] = {EID_BASE, EID_TIME, EID_IPI, EID_RFENCE, EID_HSM, EID_DBCN,
					EID_PMU, 0, 1, 2, 3, 4, 5, 6, 7, UMBRA_EID};
	struct regs6 g;
	unsigned calls = 0;
	for (unsigned i = 0; i < 60000; i++) {
		uint64_t eid = below(8) ? eids[below(16)] : rnd();
		uint64_t fid = below(4) ? below(32) : rnd();
		random_regs(&g, SCRATCH);
		if (eid == EID_HSM && (fid == 1 || fid == 3)) /* stopping or suspending itself */
			continue;
		if (eid == EID_SRST || eid == 8 || (eid == EID_DBCN && fid == 1 && g.a0 > 0x10000))
			continue; /* a reset ends the VM; huge console reads would eat the stack */
		if (eid == EID_TIME || eid == 0)
			g.a0 = ~0ul; /* storms come later */
		call6(eid, fid, &g);
		calls++;
	}
	sbi_call(EID_TIME, 0, ~0ul, 0);
	__asm__ volatile("csrc sip, %0" ::"r"(2ul)); /* a stray IPI */
	kprintf("attack: %u S-mode calls\n", calls);
	for (unsigned i = 0; i < 5; i++) {
		rng += i;
		enter_user(user_attack);
	}
	checkf(user_calls == 10000, "10000 umbra hypercalls from U-mode returned", "%lu returned",
	       user_calls);
}

/* --- storms --------------------------------------------------------------- */

static volatile uint64_t timer_irqs, soft_irqs;
#define STORM 20000

static void storm_irq(uint64_t code)
{
	if (code == 5) { /* timer: fire again at once */
		timer_irqs++;
		sbi_call(EID_TIME, 0, timer_irqs < STORM ? 0 : ~0ul, 0);
	} else if (code == 1) { /* software: send another to itself */
		soft_irqs++;
		__asm__ volatile("csrc sip, %0" ::"r"(2ul));
		if (soft_irqs < STORM)
			sbi_call(EID_IPI, 0, 1, 0);
	} else if (code == 9) { /* an external interrupt: the PLIC is not set up for it */
		__asm__ volatile("csrc sie, %0" ::"r"(1ul << 9));
	}
}

static void phase_storms(void)
{
	on_interrupt = storm_irq;
	__asm__ volatile("csrs sie, %0" ::"r"((1ul << 1) | (1ul << 5)));
	__asm__ volatile("csrs sstatus, %0" ::"r"(2ul));
	sbi_call(EID_TIME, 0, 0, 0);
	uint64_t t0 = now();
	while (timer_irqs < STORM && now() - t0 < 20 * TICKS_PER_S)
		;
	sbi_call(EID_IPI, 0, 1, 0);
	while (soft_irqs < STORM && now() - t0 < 40 * TICKS_PER_S)
		;
	__asm__ volatile("csrc sstatus, %0" ::"r"(2ul));
	checkf(timer_irqs >= STORM, "a storm of timer interrupts was delivered", "%lu", timer_irqs);
	checkf(soft_irqs >= STORM, "a storm of IPIs was delivered", "%lu", soft_irqs);
	/* fences over everything, to every hart, many times */
	for (unsigned i = 0; i < 2000; i++) {
		struct regs6 g = {.a0 = below(2) ? 3 : ~0ul, .a1 = below(2) ? 0 : ~0ul,
				  .a2 = 0, .a3 = ~0ul, .a4 = rnd(), .a5 = 0};
		call6(EID_RFENCE, below(7), &g);
	}
	/* console writes of every length and address, and a megabyte of real text */
	for (unsigned i = 0; i < 2000; i++) {
		struct regs6 g = {.a0 = below(2) ? below(64) : rnd(), .a1 = arg(RAM_BASE),
				  .a2 = below(2) ? 0 : rnd()};
		call6(EID_DBCN, below(2) ? 0 : 2, &g);
	}
	static char line[4096];
	for (unsigned i = 0; i < sizeof(line); i++)
		line[i] = (char)(i % 64 == 63 ? '\n' : 'a' + i % 26);
	for (unsigned i = 0; i < 256; i++)
		sbi_call(EID_DBCN, 0, sizeof(line), (uint64_t)line);
	kputs("\n");
}

/* --- sanity --------------------------------------------------------------- */

static bool wait_used(unsigned slot, uint16_t want)
{
	volatile uint16_t *used = (volatile uint16_t *)(ring(slot, 0) + 0x2000);
	for (unsigned i = 0; i < 1000000; i++)
		if (used[1] == want)
			return true;
	return false;
}

static void phase_sanity(void)
{
	for (unsigned k = 0; k < ndev; k++) /* quiet: no device writes anywhere now */
		wr(VIRTIO(devices[k]), 0x70, 0);
	for (unsigned k = 0; k < ndev; k++) {
		unsigned slot = devices[k];
		uint64_t base = VIRTIO(slot);
		uint32_t id = rd(base, 8);
		if (id != 2 && id != 4)
			continue;
		setup(base, slot, 16);
		checkf(rd(base, 0x70) == 15, "a device that was attacked accepts a reset and setup",
		       "slot %u: status %x", slot, rd(base, 0x70));
		volatile uint8_t *data = (volatile uint8_t *)(SCRATCH + 0x60000);
		memset((void *)data, 0xa5, 512);
		if (id == 2) {
			volatile uint8_t *status = (volatile uint8_t *)(SCRATCH + 0x50100);
			*status = 0xff;
			blk_request(slot, 0, 0, 512);
			bool done = wait_used(slot, 1);
			checkf(done && *status == 0, "virtio-blk serves a proper read after the attacks",
			       "slot %u: done %d status %u", slot, done, *status);
		} else {
			volatile struct vdesc *d = (volatile struct vdesc *)ring(slot, 0);
			volatile uint16_t *avail = (volatile uint16_t *)(ring(slot, 0) + 0x1000);
			d[0] = (struct vdesc){SCRATCH + 0x60000, 64, D_WRITE, 0};
			avail[2] = 0;
			fence();
			avail[1] = 1;
			fence();
			wr(base, 0x50, 0);
			bool done = wait_used(slot, 1);
			unsigned same = 0;
			for (unsigned i = 0; i < 64; i++)
				same += data[i] == 0xa5;
			checkf(done && same < 16, "virtio-rng serves a proper request after the attacks",
			       "slot %u: done %d, %u of 64 bytes unchanged", slot, done, same);
		}
		wr(base, 0x70, 0);
	}
}

int main(void);
int main(void)
{
	kputs("attack: start\n");
	kputs("ATTACK phase 1 mmio\n");
	phase_mmio();
	kputs("ATTACK phase 2 rings\n");
	phase_rings();
	kputs("ATTACK phase 3 race\n");
	phase_race();
	kputs("ATTACK phase 4 sbi\n");
	phase_calls();
	kputs("ATTACK phase 5 storms\n");
	phase_storms();
	kputs("ATTACK phase 6 sanity\n");
	phase_sanity();
	kprintf("ATTACK: done, %u checks passed, %u failed\n", checks_passed, checks_failed);
	for (;;)
		__asm__ volatile("wfi");
}
