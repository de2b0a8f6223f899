/*
 * kern.c - a deliberately malicious S-mode kernel: it runs the cloaked
 * program of user.S and attacks it during its system calls (docs: issue 4,
 * include/umbra/hypercall.h).  Each attack is a check; the kernel prints
 * "PASS <name>" or "FAIL <name>: ..." and closes with
 * "cloak: N checks, M failed", then reports through the SiFive test device.
 *
 * Memory: the kernel runs on an identity map of RAM (a 1 GiB S-only page)
 * and of the devices (another); every address space it builds has those two
 * entries and user pages in 0x40000000-0x401fffff (abi.h).  Frames come
 * from a bump pool.  Check numbers follow the brief: 1 reading, 2 registers,
 * 3 bit flips, 4 swaps, 5 replay, 6 other views, 7 forged resumes, 8 a
 * legitimate move, 9 the console and the disk; 10 and 11 (page-table walks
 * through a cloaked frame, stval) and those marked "extra" go beyond it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "abi.h"

#define UART 0x10000000ul
#define TESTDEV 0x100000ul
#define VIRTIO 0x10001000ul
#define PAGE 4096ul
#define POOL_START 0x80800000ul
#define SENTINEL 0x5e5e5e5e5e5e5e5eul

#define PTE_V 0x01ul
#define PTE_R 0x02ul
#define PTE_W 0x04ul
#define PTE_X 0x08ul
#define PTE_U 0x10ul
#define PTE_A 0x40ul
#define PTE_D 0x80ul

#define CAUSE_IRQ (1ul << 63)
#define IRQ_STIMER 5
#define SIE_STIE (1ul << 5)
#define PROBE_VA 0x140000000ul /* root entry 5: the walk through C (check 10) */

/* Saved user state; the offsets are start.S's. */
struct frame {
	uint64_t x[32];
	uint64_t f[32];
	uint64_t fcsr, sepc, scause, stval, satp, fs_off;
	uint64_t k[16];
};
_Static_assert(offsetof(struct frame, fcsr) == 512, "frame layout");
_Static_assert(offsetof(struct frame, k) == 560, "frame layout");

uint64_t run_user(struct frame *f);
uint64_t kprobe_ld(uint64_t addr);
extern volatile uint64_t probe_cause;
extern char cloak_image[], cloak_image_end[], tramp_page[], tramp_fail_ecall[], hcall_stub[],
	ld_stub[], spy2_image[], spy2_image_end[], hart1_entry[];
void kmain(uint64_t hartid);
void hart1_main(void);
void kernel_fatal(uint64_t cause, uint64_t epc, uint64_t tval);

/* ---- small library ------------------------------------------------------ */
void *memcpy(void *d, const void *s, size_t n)
{
	uint8_t *dp = d;
	const uint8_t *sp = s;
	while (n--)
		*dp++ = *sp++;
	return d;
}

void *memset(void *d, int c, size_t n)
{
	uint8_t *dp = d;
	while (n--)
		*dp++ = (uint8_t)c;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}

static inline void fence(void) { __asm__ volatile("fence rw, rw" ::: "memory"); }
static inline void sfence(void) { __asm__ volatile("sfence.vma" ::: "memory"); }
static inline uint64_t rdtime(void)
{
	uint64_t t;
	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

static void putc_raw(char c)
{
	volatile uint8_t *u = (volatile uint8_t *)UART;
	while (!(u[5] & 0x20))
		;
	u[0] = (uint8_t)c;
}

static void put_hex(uint64_t v)
{
	putc_raw('0');
	putc_raw('x');
	int shift = 60;
	while (shift > 0 && !((v >> shift) & 0xf))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		putc_raw("0123456789abcdef"[(v >> shift) & 0xf]);
}

static void put_dec(uint64_t v)
{
	char buf[24];
	int n = 0;
	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		putc_raw(buf[--n]);
}

/* printf with %s, %u (uint64_t, decimal), %x (uint64_t, hex) and %d (int). */
static void kvprintf(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			putc_raw(*fmt);
			continue;
		}
		switch (*++fmt) {
		case 's':
			for (const char *s = va_arg(ap, const char *); *s; s++)
				putc_raw(*s);
			break;
		case 'u': put_dec(va_arg(ap, uint64_t)); break;
		case 'x': put_hex(va_arg(ap, uint64_t)); break;
		case 'd': {
			int v = va_arg(ap, int);
			if (v < 0)
				putc_raw('-');
			put_dec((uint64_t)(v < 0 ? -(int64_t)v : v));
			break;
		}
		default: putc_raw(*fmt); break;
		}
	}
}

static void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

/* ---- SBI ------------------------------------------------------------------ */
struct sbiret {
	long error;
	uint64_t value;
};

static struct sbiret ecall(uint64_t eid, uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2)
{
	register uint64_t r0 __asm__("a0") = a0;
	register uint64_t r1 __asm__("a1") = a1;
	register uint64_t r2 __asm__("a2") = a2;
	register uint64_t r6 __asm__("a6") = fid;
	register uint64_t r7 __asm__("a7") = eid;
	__asm__ volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r6), "r"(r7) : "memory");
	return (struct sbiret){(long)r0, r1};
}

#define SBI_TIME 0x54494d45
#define SBI_HSM 0x48534d
#define SBI_DBCN 0x4442434e

__attribute__((noreturn)) static void power_off(unsigned code)
{
	volatile uint32_t *t = (volatile uint32_t *)TESTDEV;
	*t = code ? (code << 16) | 0x3333 : 0x5555;
	for (;;)
		__asm__ volatile("wfi");
}

void kernel_fatal(uint64_t cause, uint64_t epc, uint64_t tval)
{
	kprintf("FAIL kernel trap: scause %x sepc %x stval %x\n", cause, epc, tval);
	power_off(99);
}

/* ---- checks ---------------------------------------------------------------- */
static unsigned npass, nfail;

static void report(int ok, const char *name, const char *rel, uint64_t got, uint64_t exp)
{
	if (ok) {
		npass++;
		kprintf("PASS %s\n", name);
	} else {
		nfail++;
		kprintf("FAIL %s: %s %x, got %x\n", name, rel, exp, got);
	}
}
#define EQ(name, got, exp) report((uint64_t)(got) == (uint64_t)(exp), name, "expected", got, exp)
#define NE(name, got, bad) report((uint64_t)(got) != (uint64_t)(bad), name, "must differ from", got, bad)

static void note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kprintf("NOTE ");
	kvprintf(fmt, ap);
	kprintf("\n");
	va_end(ap);
}

/* ---- memory and address spaces --------------------------------------------- */
static uint64_t pool_next = POOL_START;

static void *alloc_page(void)
{
	void *p = (void *)pool_next;
	if (pool_next >= MARKER_PA)
		kernel_fatal(0, 0, pool_next);
	pool_next += PAGE;
	memset(p, 0, PAGE);
	return p;
}

static inline uint64_t pa(const void *p) { return (uint64_t)(uintptr_t)p; }
static inline uint64_t *frame_words(uint64_t phys) { return (uint64_t *)(uintptr_t)phys; }

struct space {
	uint64_t *root;
	uint64_t satp;
};

static void space_init(struct space *s)
{
	s->root = alloc_page();
	s->root[0] = (0x0ul >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_A | PTE_D;
	s->root[2] = (0x80000000ul >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D;
	s->satp = 8ul << 60 | pa(s->root) >> 12;
}

/* The level-0 PTE of va (tables made on the way). */
static uint64_t *pte_of(struct space *s, uint64_t va)
{
	uint64_t *t = s->root;
	for (int level = 2; level > 0; level--) {
		uint64_t *e = &t[(va >> (12 + 9 * level)) & 511];
		if (!(*e & PTE_V))
			*e = (pa(alloc_page()) >> 12) << 10 | PTE_V;
		t = frame_words((*e >> 10) << 12);
	}
	return &t[(va >> 12) & 511];
}

static void map(struct space *s, uint64_t va, uint64_t phys, uint64_t flags)
{
	*pte_of(s, va) = (phys >> 12) << 10 | flags | PTE_V | PTE_A | PTE_D;
	sfence();
}

#define URX (PTE_U | PTE_R | PTE_X)
#define URW (PTE_U | PTE_R | PTE_W)

static void use_space(struct space *s)
{
	__asm__ volatile("csrw satp, %0; sfence.vma" ::"r"(s->satp) : "memory");
}

/* ---- virtio-blk (slot 0, polled, one request at a time) -------------------- */
struct vq_page {
	struct {
		uint64_t addr;
		uint32_t len;
		uint16_t flags, next;
	} desc[4];
	uint16_t avail_flags, avail_idx, avail_ring[4], avail_event;
	uint8_t pad[512 - 64 - 14];
	uint16_t used_flags, used_idx;
	struct {
		uint32_t id, len;
	} used_ring[4];
	uint8_t pad2[256];
	struct {
		uint32_t type, reserved;
		uint64_t sector;
	} hdr;
	uint8_t status;
};
static struct vq_page *vq;
static uint16_t vq_seen;

static volatile uint32_t *vreg(unsigned off) { return (volatile uint32_t *)(VIRTIO + off); }

static int vblk_init(void)
{
	if (*vreg(0) != 0x74726976 || *vreg(4) != 2 || *vreg(8) != 2)
		return -1;
	*vreg(0x70) = 0;
	*vreg(0x70) = 1 | 2;
	*vreg(0x14) = 1;
	uint32_t hi = *vreg(0x10);
	*vreg(0x24) = 0;
	*vreg(0x20) = 0;
	*vreg(0x24) = 1;
	*vreg(0x20) = hi & 1; /* VIRTIO_F_VERSION_1 */
	*vreg(0x70) = 1 | 2 | 8;
	if (!(*vreg(0x70) & 8))
		return -2;
	vq = alloc_page();
	*vreg(0x30) = 0;
	if (*vreg(0x34) < 4)
		return -3;
	*vreg(0x38) = 4;
	uint64_t d = pa(vq->desc), a = pa(&vq->avail_flags), u = pa(&vq->used_flags);
	*vreg(0x80) = (uint32_t)d;
	*vreg(0x84) = (uint32_t)(d >> 32);
	*vreg(0x90) = (uint32_t)a;
	*vreg(0x94) = (uint32_t)(a >> 32);
	*vreg(0xa0) = (uint32_t)u;
	*vreg(0xa4) = (uint32_t)(u >> 32);
	*vreg(0x44) = 1;
	*vreg(0x70) = 1 | 2 | 8 | 4;
	return 0;
}

/* One 4 KiB transfer between sector and the frame at phys: status (0 = OK), or -1. */
static int vblk_page(int write, uint64_t sector, uint64_t phys)
{
	if (!vq)
		return -1;
	vq->hdr.type = write ? 1 : 0;
	vq->hdr.reserved = 0;
	vq->hdr.sector = sector;
	vq->status = 0xff;
	vq->desc[0].addr = pa(&vq->hdr);
	vq->desc[0].len = 16;
	vq->desc[0].flags = 1;
	vq->desc[0].next = 1;
	vq->desc[1].addr = phys;
	vq->desc[1].len = PAGE;
	vq->desc[1].flags = (uint16_t)(1 | (write ? 0 : 2));
	vq->desc[1].next = 2;
	vq->desc[2].addr = pa(&vq->status);
	vq->desc[2].len = 1;
	vq->desc[2].flags = 2;
	vq->desc[2].next = 0;
	vq->avail_ring[vq->avail_idx % 4] = 0;
	fence();
	vq->avail_idx++;
	fence();
	*vreg(0x50) = 0;
	for (unsigned long i = 0; i < 20000000ul; i++) {
		fence();
		if (*(volatile uint16_t *)&vq->used_idx != vq_seen) {
			vq_seen++;
			*vreg(0x64) = *vreg(0x60);
			return *(volatile uint8_t *)&vq->status;
		}
	}
	return -1;
}

/* ---- the scenario's state ---------------------------------------------------- */
static struct space victim, spy1, spy2, spy3;
static struct frame vf;                 /* the victim's thread */
static uint64_t code_pa[U_CODE_PAGES], a_pa, b_pa, c_pa, d_pa, tramp_pa, tstack_pa;
static int created, finished;
static uint64_t boot_hart;

/* Aggregates over every trap out of the domain and every resume. */
static uint64_t traps, traps_bad, resumes, resumes_bad;
static uint8_t reported[CK_COUNT];

/* The armed attack: what a fault of the domain means and how to undo it. */
static void (*heal)(void);
static uint64_t faults, fault_cause, fault_sepc, fault_stval;

static uint8_t save_old[PAGE] __attribute__((aligned(PAGE)));
static uint8_t save_new[PAGE] __attribute__((aligned(PAGE)));
static uint8_t diskbuf[PAGE] __attribute__((aligned(PAGE)));

static const char *const ck_name[CK_COUNT] = {
	[CK_PEEK_RESULT] = "2p the program gets the kernel's system-call result",
	[CK_TIMER_FLAG] = "2q the program ran on after the interrupt (kernel flag seen)",
	[CK_FLIP_DATA] = "3c after the kernel restored the bit the program reads its secret",
	[CK_FLIP_CODE] = "3f after the kernel restored the code the program runs on",
	[CK_SWAP_A] = "4c after the swap-back the program reads A's secret",
	[CK_SWAP_B] = "4d after the swap-back the program reads B's secret",
	[CK_REPLAY_NEW] = "5d healed, the program reads its new version",
	[CK_ALIAS_0] = "6b the program's own uncloaked alias of A shows ciphertext (word 0)",
	[CK_ALIAS_1] = "6b the program's own uncloaked alias of A shows ciphertext (word 1)",
	[CK_ALIAS_A] = "6b after reading the alias the program still reads A's secret",
	[CK_AFTER_SPY2] = "6d after the other domain let go the program still reads A's secret",
	[CK_FORGE_RESULT] = "7k after the forgeries the genuine resume delivers the result",
	[CK_RESUME_INSIDE] = "7l CLOAK_RESUME from inside the domain is denied",
	[CK_CREATE_AGAIN] = "7m CLOAK_CREATE from inside the domain is denied",
	[CK_DOUBLE_FLAG] = "7o the program ran undisturbed while another hart tried to resume it",
	[CK_MOVE_A] = "8b after the move the program reads its secret",
	[CK_MOVE_WRITE] = "8c after the move the program writes and reads back A",
	[CK_DMA_A] = "9g the program reads its secret from the frame the device wrote back",
	[CK_DMA_TAMPER_A] = "9i healed from the disk, the program reads its secret",
	[CK_FSOFF_F] = "11c fs0 still holds the secret after FS was switched off and on",
	[CK_WALK_C0] = "10c C[0] unchanged after the walk",
	[CK_WALK_C1] = "10d the walk did not set the A bit in C's plaintext (C[1] unchanged)",
};

static uint64_t pat(unsigned i) { return PAT_BASE + (uint64_t)i * 0x10001; }

/* Words of the frame at phys equal to any of the n values. */
static uint64_t count_words(uint64_t phys, const uint64_t *vals, unsigned n)
{
	uint64_t hits = 0;
	const volatile uint64_t *w = frame_words(phys);
	for (unsigned i = 0; i < PAGE / 8; i++)
		for (unsigned j = 0; j < n; j++)
			hits += w[i] == vals[j];
	return hits;
}

static uint64_t *tstack(void) { return frame_words(tstack_pa); }

static void finish(void) { finished = 1; }

/* ---- the domain's traps ---------------------------------------------------- */

/* Registers the kernel may see: sp, t0 and, for a system call, a0-a7. */
static int visible(unsigned i, int syscall) { return i == 2 || i == 5 || (syscall && i >= 10 && i <= 17); }

static unsigned scrub_faults(const struct frame *f, int syscall)
{
	unsigned bad = 0;
	for (unsigned i = 1; i < 32; i++)
		bad += !visible(i, syscall) && f->x[i] != 0;
	for (unsigned i = 0; i < 32; i++)
		bad += f->f[i] != 0;
	bad += f->x[2] != U_TSP;
	bad += f->x[5] != 0;
	return bad;
}

static void count_trap(const struct frame *f, int syscall)
{
	traps++;
	unsigned bad = scrub_faults(f, syscall);
	if (bad) {
		traps_bad++;
		if (traps_bad <= 3)
			note("trap %u out of the domain (scause %x): %u registers not scrubbed", traps,
			     f->scause, (uint64_t)bad);
	}
}

/* Before the thread resumes: the kernel changes every register it may. */
static void poison(struct frame *f, int keep_a0)
{
	for (unsigned i = 1; i < 32; i++)
		if (i != 5 && !(keep_a0 && i == 10))
			f->x[i] = POISON_BASE | i;
	for (unsigned i = 0; i < 32; i++)
		f->f[i] = POISON_BASE | 0x100 | i;
	f->fcsr = 0x84;
}

static void arm(void (*h)(void))
{
	heal = h;
	faults = 0;
	fault_cause = fault_sepc = fault_stval = 0;
}

/* Another user program: runs f from pc in s until it traps. */
static uint64_t run_other(struct frame *f, struct space *s, uint64_t pc)
{
	f->satp = s->satp;
	f->sepc = pc;
	uint64_t cause = run_user(f);
	use_space(&victim);
	return cause;
}

static uint64_t tramp_va(const char *sym) { return U_TRAMP + (uint64_t)(sym - tramp_page); }

/* A hypercall made by uncloaked user code in s (hcall_stub): its a0. */
static int64_t stub_hcall(struct space *s, uint64_t fn, uint64_t a0, uint64_t a1)
{
	struct frame f = {0};
	f.x[10] = a0;
	f.x[11] = a1;
	f.x[16] = fn;
	f.x[17] = EID;
	f.x[2] = U_TSP - 512;
	uint64_t cause = run_other(&f, s, tramp_va(hcall_stub));
	if (cause != 8 || f.x[17] != SYS_HC_DONE) {
		note("hypercall stub ended with scause %x at %x", cause, f.sepc);
		return 0x7fff;
	}
	return (int64_t)f.x[10];
}

static int64_t kernel_hcall(uint64_t fn, uint64_t a0, uint64_t a1)
{
	register uint64_t r0 __asm__("a0") = a0;
	register uint64_t r1 __asm__("a1") = a1;
	register uint64_t r6 __asm__("a6") = fn;
	register uint64_t r7 __asm__("a7") = EID;
	__asm__ volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r6), "r"(r7) : "memory");
	return (int64_t)r0;
}

/* ---- the attacks, one per system call --------------------------------------- */
static const uint64_t secrets_a[] = {SA0, SA1};
static const uint64_t secrets_b[] = {SB0, SB1};
static const uint64_t secret_x[] = {SECRET_X};

static void peek(struct frame *f)
{
	EQ("1a A's frame, read by the kernel, holds no plaintext word", count_words(a_pa, secrets_a, 2), 0);
	NE("1b A read by the kernel through the user mapping (SUM) is not plaintext",
	   *(volatile uint64_t *)(uintptr_t)U_A, SA0);
	EQ("1c B's frame holds no plaintext word", count_words(b_pa, secrets_b, 2), 0);
	for (unsigned i = 0; i < U_CODE_PAGES; i++) {
		const uint8_t *img = (const uint8_t *)cloak_image + i * PAGE;
		NE(i ? "1d the cloaked code (page 1) differs from the image the kernel loaded"
		     : "1d the cloaked code (page 0) differs from the image the kernel loaded",
		   memcmp((const void *)code_pa[i], img, PAGE), 0);
	}
	EQ("1e D's frame (the register table) holds no SECRET_X", count_words(d_pa, secret_x, 1), 0);

	EQ("2a s1 (the secret register) reads 0", f->x[9], 0);
	EQ("2b fs0 (the secret FP register) reads 0", f->f[8], 0);
	uint64_t bad = 0;
	for (unsigned i = 1; i < 32; i++)
		bad += !visible(i, 1) && f->x[i] != 0;
	EQ("2c every other integer register but sp, t0, a0-a7 reads 0 (count)", bad, 0);
	bad = 0;
	for (unsigned i = 0; i < 32; i++)
		bad += f->f[i] != 0;
	EQ("2d every FP register reads 0 (count)", bad, 0);
	bad = f->x[10] != 0x11 || f->x[17] != SYS_PEEK;
	for (unsigned i = 11; i <= 16; i++)
		bad += f->x[i] != pat(i);
	EQ("2e a0-a7 are as the program set them (mismatches)", bad, 0);
	EQ("2f sp is the trampoline sp", f->x[2], U_TSP);
	EQ("2g t0 is the context number (0)", f->x[5], 0);
	EQ("2h sepc is the trampoline - 4", f->sepc, U_TRAMP - 4);
	EQ("2i (extra) fcsr is scrubbed (the program's frm/fflags are 0x61)", f->fcsr, 0);
	f->x[10] = 0x600d;
}

static void sbi_set_timer(uint64_t when) { ecall(SBI_TIME, 0, when, 0, 0); }

static void timer_arm(struct frame *f)
{
	tstack()[0] = 0;
	sbi_set_timer(rdtime() + 20000); /* 2 ms */
	__asm__ volatile("csrs sie, %0" ::"r"(SIE_STIE));
	f->x[10] = 0;
}

static int timer_seen;

/* A timer interrupt; 0 if it came from uncloaked code (go on unchanged). */
static int timer_irq(struct frame *f)
{
	if (f->sepc != U_TRAMP || !tstack()[1]) {
		sbi_set_timer(rdtime() + 20000); /* not yet in the program: again */
		return 0;
	}
	__asm__ volatile("csrc sie, %0" ::"r"(SIE_STIE));
	sbi_set_timer(~0ul);
	if (!timer_seen++) {
		uint64_t bad = 0;
		for (unsigned i = 1; i < 32; i++)
			bad += i != 2 && i != 5 && f->x[i] != 0;
		for (unsigned i = 0; i < 32; i++)
			bad += f->f[i] != 0;
		EQ("2j interrupt: every register but sp and t0 reads 0, a0-a7 too (count)", bad, 0);
		EQ("2k interrupt: sepc is the trampoline, t0 the context", f->sepc | f->x[5], U_TRAMP);
	}
	tstack()[0] = 1;
	return 1;
}

static uint64_t ro_first[PAGE / 8];

static void heal_flip(void) { frame_words(a_pa)[12] ^= 1ul << 3; }

static void flip_done(const char *n1, const char *n2, uint64_t cause)
{
	EQ(n1, faults, 1);
	EQ(n2, fault_cause | (fault_sepc ^ U_TRAMP) << 8, cause);
	arm(0);
}

static void heal_code(void)
{
	for (unsigned i = 0; i < U_CODE_PAGES; i++)
		frame_words(code_pa[i])[300] ^= 1ul << 17;
}

static void swap_ab(void)
{
	uint64_t *pa_pte = pte_of(&victim, U_A), *pb_pte = pte_of(&victim, U_B);
	uint64_t t = *pa_pte;
	*pa_pte = *pb_pte;
	*pb_pte = t;
	sfence();
}

static void heal_replay(void) { memcpy(frame_words(a_pa), save_new, PAGE); }

static void spy_read(void)
{
	map(&spy1, SPY_ALIAS, a_pa, PTE_U | PTE_R);
	struct frame f = {0};
	f.x[12] = SPY_ALIAS;
	uint64_t cause = run_other(&f, &spy1, tramp_va(ld_stub));
	if (cause != 8 || f.x[17] != SYS_SPY_REPORT)
		note("the other program ended with scause %x at %x", cause, f.sepc);
	NE("6a another program mapping A's frame reads ciphertext (word 0)", f.x[10], SA0);
	NE("6a another program mapping A's frame reads ciphertext (word 1)", f.x[11], SA1);
	EQ("6a (extra) it reads the same ciphertext as the kernel", f.x[10], frame_words(a_pa)[0]);
}

/* A kernel read of the frame at phys: seals what is cloaked there. */
static uint64_t kread(uint64_t phys) { return *(volatile uint64_t *)(uintptr_t)phys; }

/*
 * Another program whose cloaked image is its code and an alias of A's
 * frame.  With A's plaintext in the frame, its CLOAK_CREATE must be refused
 * and it must run on uncloaked (6e); with A sealed it may create its domain
 * but sees only ciphertext (6c).
 */
static void spy_domain(struct space *s, int a_plain)
{
	if (!a_plain)
		(void)kread(a_pa);
	space_init(s);
	uint8_t *code = alloc_page();
	memcpy(code, spy2_image, (size_t)(spy2_image_end - spy2_image));
	map(s, U_CODE, pa(code), URX);
	map(s, SPY_ALIAS, a_pa, PTE_U | PTE_R);
	map(s, U_TRAMP, tramp_pa, URX);
	map(s, U_TSTACK, pa(alloc_page()), URW);
	struct frame f = {0};
	uint64_t cause = run_other(&f, s, U_CODE);
	int back = cause == 8 && f.x[17] == SYS_SPY_REPORT;
	if (!back)
		note("the spy ended with scause %x at %x stval %x", cause, f.sepc, f.stval);
	else
		note("the spy's CLOAK_CREATE over an alias of A's frame (%s) returned %d, UNCLOAK %d",
		     a_plain ? "plaintext" : "sealed", (int)f.x[10], (int)f.x[13]);
	if (a_plain) {
		EQ("6e (extra) a CLOAK_CREATE refused (its image holds another domain's plaintext) "
		   "leaves its caller running (scause of its end)",
		   back ? 8 : cause, 8);
		if (back)
			NE("6e' that CLOAK_CREATE is refused", f.x[10], 0);
		return;
	}
	EQ("6c another domain cloaking an alias of A's frame runs to its report (scause)",
	   back ? 8 : cause, 8);
	if (!back)
		return;
	NE("6c another domain cloaking an alias of A's frame reads ciphertext (word 0)", f.x[11], SA0);
	NE("6c another domain cloaking an alias of A's frame reads ciphertext (word 1)", f.x[12], SA1);
}

static void forge(struct frame *vfr)
{
	static const struct {
		uint64_t ctx;
		const char *name;
	} forged[] = {
		{1, "7a CLOAK_RESUME of a free context (1) is denied"},
		{15, "7b CLOAK_RESUME of a free context (15) is denied"},
		{16, "7c CLOAK_RESUME of context 16 (out of range) is denied"},
		{1ul << 32, "7d CLOAK_RESUME of context 2^32 (truncation) is denied"},
		{~0ul, "7e CLOAK_RESUME of context -1 is denied"},
	};
	for (unsigned i = 0; i < sizeof(forged) / sizeof(forged[0]); i++) {
		struct frame f = *vfr;
		poison(&f, 0);
		f.x[5] = forged[i].ctx;
		f.x[10] = 0xbad;
		uint64_t cause = run_other(&f, &victim, U_TRAMP);
		int reported_failure = cause == 8 && f.sepc == tramp_va(tramp_fail_ecall) &&
				       f.x[17] == SYS_RESUME_FAILED;
		if (!reported_failure)
			note("forged resume %x: scause %x sepc %x", forged[i].ctx, cause, f.sepc);
		EQ(forged[i].name, reported_failure ? f.x[10] : 0x7fff, (uint64_t)ERR_DENIED);
		if (!reported_failure)
			break; /* it ran the program: nothing below is meaningful */
	}
	EQ("7f CLOAK_RESUME(0) from S-mode (the kernel) is denied", kernel_hcall(FN_RESUME, 0, 0),
	   ERR_DENIED);
	EQ("7g CLOAK_RESUME(0) from another address space is denied",
	   stub_hcall(&spy1, FN_RESUME, 0, 0), ERR_DENIED);
	EQ("7h UNCLOAK(A) by uncloaked code in the program's address space is denied",
	   stub_hcall(&victim, FN_UNCLOAK, U_A, 1), ERR_DENIED);
	EQ("7i CLOAK_PAGES by uncloaked code in the program's address space is denied",
	   stub_hcall(&victim, FN_PAGES, U_ALIAS, 1), ERR_DENIED);
	EQ("7j UNCLOAK(A) from S-mode is denied", kernel_hcall(FN_UNCLOAK, U_A, 1), ERR_DENIED);
	vfr->x[10] = 0xf0f0;
}

/* Hart 1: tries to resume context 0 while it runs on hart 0 (check 7n). */
static volatile uint64_t h1_go, h1_done, h1_cause, h1_sepc, h1_a0, h1_a7;
static int h1_started;

void hart1_main(void)
{
	while (!h1_go)
		fence();
	volatile uint64_t *ts = tstack();
	for (unsigned long i = 0; i < 400000000ul && !ts[1]; i++)
		fence();
	struct frame f = {0};
	f.satp = victim.satp;
	f.sepc = U_TRAMP;
	f.x[5] = 0;
	f.x[10] = 0x1234;
	f.x[2] = U_TSP - 1024;
	h1_cause = run_user(&f);
	h1_sepc = f.sepc;
	h1_a0 = f.x[10];
	h1_a7 = f.x[17];
	fence();
	ts[0] = h1_cause == 8 && h1_a7 == SYS_RESUME_FAILED ? 2 : 3;
	h1_done = 1;
	fence();
	ecall(SBI_HSM, 1, 0, 0, 0); /* hart_stop */
	for (;;)
		__asm__ volatile("wfi");
}

static void double_start(struct frame *f)
{
	tstack()[0] = 0;
	tstack()[1] = 0;
	f->x[10] = 0;
	if (!h1_started) {
		struct sbiret r = ecall(SBI_HSM, 0, boot_hart ^ 1, pa(hart1_entry), 0);
		if (r.error) {
			note("cannot start a second hart (SBI error %d): run with --cpus 2",
			     (int)r.error);
			tstack()[0] = 4;
			return;
		}
		h1_started = 1;
	}
	h1_go = 1;
}

static void double_done(void)
{
	for (unsigned long i = 0; i < 100000000ul && h1_started && !h1_done; i++)
		fence();
	if (h1_done && !(h1_cause == 8 && h1_a7 == SYS_RESUME_FAILED))
		note("the second hart's resume ended with scause %x at %x", h1_cause, h1_sepc);
	EQ("7n CLOAK_RESUME of the running context from another hart is denied",
	   h1_done && h1_a7 == SYS_RESUME_FAILED ? h1_a0 : 0x7fff, (uint64_t)ERR_DENIED);
}

static uint64_t move_old;

static void heal_move(void)
{
	memcpy(frame_words(move_old), save_old, PAGE);
	map(&victim, U_A, move_old, URW);
	a_pa = move_old;
}

static void move_a(void)
{
	memcpy(save_old, frame_words(a_pa), PAGE); /* the kernel's read seals A */
	uint64_t *q = alloc_page();
	memcpy(q, save_old, PAGE);
	move_old = a_pa;
	memset(frame_words(a_pa), 0xdd, PAGE);
	map(&victim, U_A, pa(q), URW);
	a_pa = pa(q);
	arm(heal_move);
}

static void dbcn(void)
{
	kprintf("DBCN-BEGIN<");
	struct sbiret r = ecall(SBI_DBCN, 0, PAGE, a_pa, 0);
	kprintf(">DBCN-END\n");
	EQ("9a the SBI debug console printed A's frame (the runner greps it)", r.error ? ~0ul : r.value,
	   PAGE);
}

static void dma_out(void)
{
	EQ("9c virtio-blk writes A's frame (plaintext in it) to sector 0", vblk_page(1, 0, a_pa), 0);
	EQ("9d reading sector 0 back into a kernel page works", vblk_page(0, 0, pa(diskbuf)), 0);
	EQ("9e the disk holds no plaintext word of A", count_words(pa(diskbuf), secrets_a, 2), 0);
	EQ("9f the disk holds A's ciphertext, as the kernel sees it",
	   memcmp(diskbuf, frame_words(a_pa), PAGE), 0);
	EQ("9f' reading the ciphertext back into A's frame works", vblk_page(0, 0, a_pa), 0);
}

static void heal_dma(void) { vblk_page(0, 0, a_pa); }

static void dma_tamper(void)
{
	diskbuf[777] ^= 0x10;
	int w = vblk_page(1, 8, pa(diskbuf));
	int r = vblk_page(0, 8, a_pa);
	if (w || r)
		note("tampered transfer: write %d read %d", w, r);
	arm(heal_dma);
}

static void heal_fs(void)
{
	vf.fs_off = 0;
}

static void walk(void)
{
	EQ("11a FP use with FS switched off traps once (illegal instruction)",
	   faults | fault_cause << 8, 1 | 2 << 8);
	EQ("11b (extra) stval of that trap shows no cloaked instruction bits", fault_stval, 0);
	arm(0);
	uint64_t *l1 = alloc_page();
	l1[0] = (c_pa >> 12) << 10 | PTE_V;
	victim.root[PROBE_VA >> 30] = (pa(l1) >> 12) << 10 | PTE_V;
	sfence();
	uint64_t w0 = kprobe_ld(PROBE_VA);
	uint64_t c0 = probe_cause;
	uint64_t w1 = kprobe_ld(PROBE_VA + PAGE);
	uint64_t c1 = probe_cause;
	victim.root[PROBE_VA >> 30] = 0;
	sfence();
	note("walks through C's frame: word 0 -> %x (scause %x), word 1 -> %x (scause %x)", w0, c0,
	     w1, c1);
	NE("10a (extra) a page-table walk through C's frame does not use its plaintext (word 0)", w0,
	   MARKER_MAGIC);
	NE("10b (extra) a page-table walk through C's frame does not use its plaintext (word 1)", w1,
	   MARKER_MAGIC);
}

static void heal_walk(void)
{
	/* The walk changed C's ciphertext: detected, and nothing can restore it. */
	note("C failed verification after the walk: its change was detected; ending here");
	for (unsigned id = CK_WALK_C0; id <= CK_WALK_C1; id++) {
		reported[id] = 1;
		EQ(ck_name[id], 0, 0);
	}
	finish();
}

/* A system call of the cloaked program; sets the result in a0 (0 unless said). */
static void domain_syscall(struct frame *f)
{
	uint64_t a0 = f->x[10], a1 = f->x[11], a2 = f->x[12];
	switch (f->x[17]) {
	case SYS_CHECK_EQ:
	case SYS_CHECK_NE:
		if (a0 >= CK_COUNT || !ck_name[a0]) {
			EQ("the program reports a known check", a0, 0);
			break;
		}
		reported[a0] = 1;
		if (f->x[17] == SYS_CHECK_EQ)
			EQ(ck_name[a0], a1, a2);
		else
			NE(ck_name[a0], a1, a2);
		if (a0 == CK_WALK_C1)
			arm(0);
		break;
	case SYS_MISMATCH:
		note("register %u after a resume: expected %x, got %x", a0, a2, a1);
		break;
	case SYS_VERIFIED:
		resumes++;
		resumes_bad += a0 != 0;
		break;
	case SYS_PEEK: peek(f); return;
	case SYS_TIMER: timer_arm(f); return;
	case SYS_RO1: memcpy(ro_first, frame_words(a_pa), PAGE); break;
	case SYS_RO2:
		EQ("X1 (extra) re-sealing a page the program only read gives the same ciphertext",
		   memcmp(ro_first, frame_words(a_pa), PAGE), 0);
		break;
	case SYS_FLIP:
		(void)kread(a_pa + 96);
		frame_words(a_pa)[12] ^= 1ul << 3;
		arm(heal_flip);
		break;
	case SYS_FLIP_DONE:
		flip_done("3a one flipped bit of A's ciphertext: the program's read faults (count)",
			  "3b the fault is an access fault (5) with sepc at the trampoline", 5);
		break;
	case SYS_FLIP_CODE:
		heal_code();
		arm(heal_code);
		break;
	case SYS_FLIP_CODE_DONE:
		flip_done("3d one flipped bit in each code page: the next fetch faults (count)",
			  "3e the fault is a fetch access fault (1) with sepc at the trampoline", 1);
		break;
	case SYS_SWAP:
		swap_ab();
		arm(swap_ab);
		break;
	case SYS_SWAP_DONE:
		flip_done("4a A and B swapped: the program's read of A faults (count)",
			  "4b the fault is an access fault (5) with sepc at the trampoline", 5);
		break;
	case SYS_REPLAY_SAVE: memcpy(save_old, frame_words(a_pa), PAGE); break;
	case SYS_REPLAY:
		memcpy(save_new, frame_words(a_pa), PAGE);
		NE("5a (extra) the written page was sealed anew (ciphertext changed)",
		   memcmp(save_new, save_old, PAGE), 0);
		memcpy(frame_words(a_pa), save_old, PAGE);
		arm(heal_replay);
		break;
	case SYS_REPLAY_DONE:
		flip_done("5b the old version put back: the program's read faults (count)",
			  "5c the fault is an access fault (5) with sepc at the trampoline", 5);
		break;
	case SYS_SPY: spy_read(); break;
	case SYS_ALIAS: map(&victim, U_ALIAS, a_pa, PTE_U | PTE_R); break;
	case SYS_ALIAS_DONE:
		*pte_of(&victim, U_ALIAS) = 0;
		sfence();
		break;
	case SYS_SPY2:
		spy_domain(&spy3, 1);
		spy_domain(&spy2, 0);
		break;
	case SYS_FORGE: forge(f); return;
	case SYS_DOUBLE: double_start(f); return;
	case SYS_DOUBLE_DONE: double_done(); break;
	case SYS_MOVE: move_a(); break;
	case SYS_MOVE_DONE:
		EQ("8a A's ciphertext copied to another frame and remapped: no fault", faults, 0);
		arm(0);
		break;
	case SYS_DBCN: dbcn(); break;
	case SYS_DMA: dma_out(); break;
	case SYS_DMA2: dma_tamper(); break;
	case SYS_DMA_DONE:
		flip_done("9h a tampered disk block read into A: the program's read faults (count)",
			  "9h' the fault is an access fault (5) with sepc at the trampoline", 5);
		break;
	case SYS_FSOFF:
		f->fs_off = 1;
		arm(heal_fs);
		break;
	case SYS_WALK:
		walk();
		arm(heal_walk);
		break;
	case SYS_END: finish(); break;
	default:
		EQ("the program makes a known system call", f->x[17], 0);
		finish();
		break;
	}
	f->x[10] = 0;
}

static void created_check(struct frame *f)
{
	EQ("0a CLOAK_CREATE succeeds", f->x[10], 0);
	EQ("0b it returns domain 1, context 0", f->x[11], 1);
	EQ("0c CLOAK_PAGES(A-D) succeeds", f->x[12], 0);
	EQ("0d it cloaked 4 pages", f->x[13], U_DATA_PAGES);
	created = f->x[10] == 0 && f->sepc == U_TRAMP - 4;
	if (!created)
		finish();
}

/* One trap of the victim's thread. */
static void victim_trap(struct frame *f)
{
	uint64_t cause = f->scause;
	if (cause == (CAUSE_IRQ | IRQ_STIMER)) {
		if (timer_irq(f)) {
			count_trap(f, 0);
			poison(f, 0);
		}
		return;
	}
	if (cause == 8 && f->x[17] == SYS_CREATED && !created) {
		if (f->sepc == U_TRAMP - 4)
			count_trap(f, 1);
		created_check(f);
		poison(f, 1);
		f->sepc += 4;
		return;
	}
	if (created && cause == 8 && f->sepc == U_TRAMP - 4) {
		count_trap(f, 1);
		domain_syscall(f);
		poison(f, 1);
		f->sepc += 4;
		return;
	}
	if (created && f->sepc == U_TRAMP && (cause == 1 || cause == 2 || cause == 5 || cause == 7)) {
		count_trap(f, 0);
		if (heal) {
			faults++;
			fault_cause = cause;
			fault_sepc = f->sepc;
			fault_stval = f->stval;
			void (*h)(void) = heal;
			heal = 0;
			h();
			poison(f, 0);
			return;
		}
	}
	kprintf("FAIL unexpected trap from the user program: scause %x sepc %x stval %x a0 %x a7 %x\n",
		cause, f->sepc, f->stval, f->x[10], f->x[17]);
	nfail++;
	finish();
}

/* ---- set-up and the run ------------------------------------------------------- */
static void build_victim(void)
{
	space_init(&victim);
	for (unsigned i = 0; i < U_CODE_PAGES; i++) {
		uint8_t *p = alloc_page();
		size_t len = (size_t)(cloak_image_end - cloak_image);
		size_t off = i * PAGE;
		if (off < len)
			memcpy(p, cloak_image + off, len - off < PAGE ? len - off : PAGE);
		code_pa[i] = pa(p);
		map(&victim, U_CODE + off, code_pa[i], URX);
	}
	a_pa = pa(alloc_page());
	b_pa = pa(alloc_page());
	c_pa = pa(alloc_page());
	d_pa = pa(alloc_page());
	map(&victim, U_A, a_pa, URW);
	map(&victim, U_B, b_pa, URW);
	map(&victim, U_C, c_pa, URW);
	map(&victim, U_D, d_pa, URW);
	uint8_t *t = alloc_page();
	memcpy(t, tramp_page, PAGE);
	tramp_pa = pa(t);
	map(&victim, U_TRAMP, tramp_pa, URX);
	tstack_pa = pa(alloc_page());
	map(&victim, U_TSTACK, tstack_pa, URW);

	space_init(&spy1);
	map(&spy1, U_TRAMP, tramp_pa, URX);
	map(&spy1, U_TSTACK, pa(alloc_page()), URW);
}

void kmain(uint64_t hartid)
{
	boot_hart = hartid;
	kprintf("cloak: the hostile kernel starts on hart %u\n", hartid);
	uint64_t *marker = frame_words(MARKER_PA);
	for (unsigned i = 0; i < PAGE / 8; i++)
		marker[i] = MARKER_MAGIC;
	int v = vblk_init();
	if (v)
		note("no usable virtio-blk in slot 0 (%d): run with --drive file=X", v);
	build_victim();
	vf.satp = victim.satp;
	vf.sepc = U_CODE;
	use_space(&victim);
	while (!finished) {
		run_user(&vf);
		victim_trap(&vf);
	}
	EQ("2n every trap out of the domain showed only sp, t0 (and a0-a7 of system calls); traps "
	   "with others",
	   traps_bad, 0);
	note("%u traps out of the domain, %u resumes verified by the program", traps, resumes);
	EQ("2o after every resume the program's registers (x, f, fcsr) were intact although the "
	   "kernel changed them; resumes with damage",
	   resumes_bad | (resumes == 0), 0);
	for (unsigned id = 1; id < CK_COUNT; id++)
		if (!reported[id]) {
			kprintf("FAIL %s: the program never reported it\n", ck_name[id]);
			nfail++;
		}
	kprintf("cloak: %u checks, %u failed\n", (uint64_t)(npass + nfail), (uint64_t)nfail);
	power_off(nfail ? 1 : 0);
}
