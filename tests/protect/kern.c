/*
 * kern.c - the framework of the protection test kernels: console, checks,
 * page tables, user programs, kernel probes, a polled virtio-blk driver.
 * See kern.h.
 */
#include "kern.h"

unsigned checks_run, checks_failed;
static const char *cur_section = "";
static unsigned first_failed_line;
struct uctx uc;
uint64_t hypercall_leaks;

/* kprobe state (start.S) */
volatile uint64_t fix_pc;
static volatile uint64_t s_cause = NOFAULT, s_tval;
uint64_t k_ld(uint64_t addr);
void k_sd(uint64_t addr, uint64_t val);
uint64_t k_amo(uint64_t addr, uint64_t val);
uint64_t k_exec(uint64_t addr);
uint64_t urun_enter(struct uctx *c);

/* ---- console --------------------------------------------------------------- */
static void putc_(char c)
{
	volatile uint8_t *uart = (volatile uint8_t *)UART_BASE;
	while (!(uart[5] & 0x20))
		;
	uart[0] = (uint8_t)c;
}

static void puts_(const char *s)
{
	while (*s)
		putc_(*s++);
}

static void put_num(uint64_t v, unsigned base, int neg, int width, char pad)
{
	char buf[24];
	int n = 0;
	do {
		unsigned d = (unsigned)(v % base);
		buf[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v);
	if (neg)
		buf[n++] = '-';
	while (width-- > n)
		putc_(pad);
	while (n)
		putc_(buf[--n]);
}

static void vkprintf(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			putc_(*fmt);
			continue;
		}
		fmt++;
		char pad = ' ';
		int width = 0, lng = 0;
		if (*fmt == '0')
			pad = '0';
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l') {
			lng = 1;
			fmt++;
		}
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			puts_(s ? s : "(null)");
			break;
		}
		case 'c': putc_((char)va_arg(ap, int)); break;
		case 'd': {
			int64_t v = lng ? va_arg(ap, long) : va_arg(ap, int);
			put_num(v < 0 ? (uint64_t)-v : (uint64_t)v, 10, v < 0, width, pad);
			break;
		}
		case 'u':
			put_num(lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 10, 0, width, pad);
			break;
		case 'x':
			put_num(lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 16, 0, width, pad);
			break;
		case '%': putc_('%'); break;
		default: putc_('?'); break;
		}
	}
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vkprintf(fmt, ap);
	va_end(ap);
}

void note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	puts_("NOTE [");
	puts_(cur_section);
	puts_("] ");
	vkprintf(fmt, ap);
	va_end(ap);
	putc_('\n');
}

void section(const char *name)
{
	cur_section = name;
	kprintf("== %s\n", name);
}

int check(int line, uint64_t got, uint64_t exp, const char *fmt, ...)
{
	checks_run++;
	if (got == exp)
		return 1;
	checks_failed++;
	if (!first_failed_line)
		first_failed_line = (unsigned)line;
	va_list ap;
	va_start(ap, fmt);
	kprintf("FAIL %d [%s] ", line, cur_section);
	vkprintf(fmt, ap);
	va_end(ap);
	kprintf(": expected 0x%lx got 0x%lx\n", exp, got);
	return 0;
}

uint64_t rdtime(void)
{
	uint64_t t;
	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

void kexit(int failed)
{
	volatile uint32_t *dev = (volatile uint32_t *)TESTDEV_BASE;
	if (failed) {
		unsigned code = first_failed_line ? first_failed_line : 1;
		if (code > 0xffff)
			code = 0xffff;
		*dev = code << 16 | 0x3333;
	} else {
		*dev = 0x5555;
	}
	for (;;)
		__asm__ volatile("wfi");
}

void kstart(void)
{
	kmain();
	kprintf("protect: %u checks, %u failed\n", checks_run, checks_failed);
	kexit(checks_failed != 0);
}

/* ---- traps from S-mode ---------------------------------------------------------- */
uint64_t s_trap(uint64_t cause, uint64_t tval, uint64_t epc)
{
	if (fix_pc) {
		uint64_t pc = fix_pc;
		s_cause = cause;
		s_tval = tval;
		fix_pc = 0;
		return pc;
	}
	kprintf("FAIL [%s] unexpected trap in the kernel: cause %lu epc 0x%lx tval 0x%lx\n",
		cur_section, cause, epc, tval);
	checks_failed++;
	kprintf("protect: %u checks, %u failed\n", checks_run, checks_failed);
	kexit(1);
}

struct pr kprobe(enum op op, uint64_t addr, uint64_t val)
{
	struct pr r = {PROBE_SENTINEL, NOFAULT, 0};
	s_cause = NOFAULT;
	s_tval = 0;
	switch (op) {
	case OP_R: r.value = k_ld(addr); break;
	case OP_W: k_sd(addr, val); r.value = 0; break;
	case OP_X: r.value = k_exec(addr); break;
	case OP_AMO: r.value = k_amo(addr, val); break;
	}
	r.cause = s_cause;
	r.tval = s_tval;
	return r;
}

/* ---- memory ---------------------------------------------------------------------- */
static uint64_t pool_next = POOL_BASE;
static pte_t *kernel_l1; /* the RAM gigapage's table, shared by every space */

void *alloc_pages(unsigned n)
{
	if (pool_next + n * PAGE > POOL_END) {
		kprintf("FAIL [%s] page pool exhausted\n", cur_section);
		checks_failed++;
		kexit(1);
	}
	uint64_t *p = (uint64_t *)(uintptr_t)pool_next;
	pool_next += n * PAGE;
	for (uint64_t i = 0; i < n * PAGE / 8; i++)
		p[i] = 0;
	return p;
}

void *alloc_page(void) { return alloc_pages(1); }
void *pool_mark(void) { return (void *)(uintptr_t)pool_next; }
void pool_reset_to(void *mark) { pool_next = (uint64_t)(uintptr_t)mark; }

void flush_tlb(void) { __asm__ volatile("sfence.vma" ::: "memory"); }
void fence_i(void) { __asm__ volatile("fence.i" ::: "memory"); }

void space_init(struct space *s, const char *name, uint64_t stack_top)
{
	if (!kernel_l1) {
		kernel_l1 = alloc_page();
		for (unsigned i = 0; i < 512; i++) {
			uint64_t pa = 0x80000000ul + i * MEGA;
			kernel_l1[i] = pa == USER_REGION
				? leaf(pa, PTE_URWX)
				: leaf(pa, PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
		}
	}
	s->root = alloc_page();
	s->root[0] = leaf(0, PTE_R | PTE_W | PTE_A | PTE_D);       /* devices */
	s->root[2] = leaf(pa_of(kernel_l1), 0);                    /* RAM */
	s->satp = 8ul << 60 | pa_of(s->root) >> 12;
	s->stack_top = stack_top;
	s->name = name;
}

volatile pte_t *pte_slot(struct space *s, uint64_t va, int level)
{
	pte_t *table = s->root;
	for (int l = 2; l > level; l--) {
		volatile pte_t *e = &table[(va >> (12 + 9 * l)) & 511];
		if (!(*e & PTE_V))
			*e = leaf(pa_of(alloc_page()), 0);
		table = (pte_t *)(uintptr_t)((*e >> 10) << 12);
	}
	return &table[(va >> (12 + 9 * level)) & 511];
}

void map(struct space *s, uint64_t va, uint64_t pa, uint64_t flags)
{
	*pte_slot(s, va, 0) = leaf(pa, flags);
	flush_tlb();
}

void map_mega(struct space *s, uint64_t va, uint64_t pa, uint64_t flags)
{
	*pte_slot(s, va, 1) = leaf(pa, flags);
	flush_tlb();
}

void unmap(struct space *s, uint64_t va)
{
	*pte_slot(s, va, 0) = 0;
	flush_tlb();
}

void use_space(struct space *s)
{
	__asm__ volatile("csrw satp, %0; sfence.vma" ::"r"(s->satp) : "memory");
}

/* ---- user programs ------------------------------------------------------------------- */
void uprep(struct space *s)
{
	for (unsigned i = 1; i < 32; i++)
		uc.x[i] = REGPAT(i);
	uc.x[2] = s->stack_top;
}

uint64_t ugo(struct space *s, uint64_t pc)
{
	uc.pc = pc;
	use_space(s);
	for (;;) {
		uint64_t cause = urun_enter(&uc);
		if (cause != CAUSE_ECALL_U)
			return cause;
		switch (uc.x[17]) {
		case SYS_DONE: return RUN_DONE;
		case SYS_EXIT_GROUP: return RUN_EXIT;
		case SYS_HRET_FAILED: return RUN_HRET_FAILED;
		case UMBRA_EID:
			/* umbra did not take its own ecall: the kernel answers as an SBI
			 * implementation without the extension would */
			if (!hypercall_leaks++)
				kprintf("FAIL [%s] an ecall with a7 = UMBRA_EID from U-mode reached the guest kernel\n",
					cur_section);
			uc.x[10] = (uint64_t)UMBRA_ERR_NOT_SUPPORTED;
			uc.x[11] = 0;
			uc.pc += 4;
			continue;
		default:
			kprintf("FAIL [%s] unknown user ecall a7 = 0x%lx at 0x%lx\n", cur_section,
				uc.x[17], uc.pc);
			checks_failed++;
			return RUN_BADCALL;
		}
	}
}

struct hret uhc(struct space *s, unsigned long fn, uint64_t a0, uint64_t a1, uint64_t a2,
		uint64_t a3)
{
	uprep(s);
	uc.x[10] = a0;
	uc.x[11] = a1;
	uc.x[12] = a2;
	uc.x[13] = a3;
	uc.x[14] = 0;
	uc.x[15] = 0;
	uc.x[16] = fn;
	uint64_t run = ugo(s, pa_of(u_hcall));
	if (run != RUN_DONE) {
		kprintf("FAIL [%s] the hypercall program (fn %lu) ended with %lu at 0x%lx tval 0x%lx\n",
			cur_section, fn, run, uc.pc, uc.tval);
		checks_failed++;
	}
	return (struct hret){(long)uc.x[10], uc.x[11], run};
}

struct hret khc(unsigned long fn, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t r0 __asm__("a0") = a0;
	register uint64_t r1 __asm__("a1") = a1;
	register uint64_t r2 __asm__("a2") = a2;
	register uint64_t r3 __asm__("a3") = a3;
	register uint64_t r4 __asm__("a4") = 0;
	register uint64_t r5 __asm__("a5") = 0;
	register uint64_t r6 __asm__("a6") = fn;
	register uint64_t r7 __asm__("a7") = UMBRA_EID;
	__asm__ volatile("ecall"
			 : "+r"(r0), "+r"(r1)
			 : "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r6), "r"(r7)
			 : "memory");
	return (struct hret){(long)r0, r1, RUN_DONE};
}

uint64_t ucall(struct space *s, void *fn, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	uprep(s);
	uc.x[10] = a0;
	uc.x[11] = a1;
	uc.x[12] = a2;
	uc.x[13] = a3;
	uc.x[31] = pa_of(fn);
	uint64_t run = ugo(s, pa_of(u_call));
	if (run != RUN_DONE) {
		kprintf("FAIL [%s] user function 0x%lx ended with %lu at 0x%lx tval 0x%lx\n",
			cur_section, pa_of(fn), run, uc.pc, uc.tval);
		checks_failed++;
	}
	return uc.x[10];
}

struct pr uprobe(struct space *s, enum op op, uint64_t va, uint64_t val)
{
	static char *const stub[] = {u_ld, u_sd, u_exec, u_amo};
	uprep(s);
	uc.x[10] = PROBE_SENTINEL;
	uc.x[11] = va;
	uc.x[12] = val;
	uint64_t run = ugo(s, pa_of(stub[op]));
	struct pr r = {uc.x[10], NOFAULT, 0};
	if (run != RUN_DONE) {
		r.cause = run;
		r.tval = uc.tval;
	}
	return r;
}

/* ---- virtio-blk ------------------------------------------------------------------------ */
#define VQ_SIZE 8
struct vdesc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};
struct vq {
	struct vdesc desc[VQ_SIZE];                   /* 128 bytes */
	uint16_t avail_flags, avail_idx, avail_ring[VQ_SIZE], used_event;
	uint8_t pad[256 - 128 - 22];
	uint16_t used_flags, used_idx;
	struct {
		uint32_t id, len;
	} used_ring[VQ_SIZE];
};
static struct vq *vq;
static struct {
	uint32_t type, reserved;
	uint64_t sector;
} *vhdr;
static volatile uint8_t *vstatus;
static uint16_t vlast_used;

static inline volatile uint32_t *vreg(unsigned off)
{
	return (volatile uint32_t *)(VIRTIO_BASE + off);
}

int vblk_init(void)
{
	if (*vreg(0x000) != 0x74726976 || *vreg(0x004) != 2 || *vreg(0x008) != 2) {
		note("no virtio-blk device in slot 0 (magic 0x%x version %u id %u)", *vreg(0x000),
		     *vreg(0x004), *vreg(0x008));
		return -1;
	}
	*vreg(0x070) = 0;                 /* reset */
	*vreg(0x070) = 1 | 2;             /* ACKNOWLEDGE | DRIVER */
	*vreg(0x014) = 1;
	uint32_t hi = *vreg(0x010);
	*vreg(0x024) = 0;
	*vreg(0x020) = 0;
	*vreg(0x024) = 1;
	*vreg(0x020) = hi & 1;            /* VIRTIO_F_VERSION_1 only */
	*vreg(0x070) = 1 | 2 | 8;         /* FEATURES_OK */
	if (!(*vreg(0x070) & 8)) {
		note("virtio-blk refused the features");
		return -1;
	}
	vq = alloc_page();
	vhdr = (void *)((uint8_t *)vq + 2048);
	vstatus = (uint8_t *)vq + 2048 + 64;
	*vreg(0x030) = 0;
	if (*vreg(0x034) < VQ_SIZE) {
		note("virtio-blk queue too small");
		return -1;
	}
	*vreg(0x038) = VQ_SIZE;
	uint64_t d = pa_of(vq->desc), a = pa_of(&vq->avail_flags), u = pa_of(&vq->used_flags);
	*vreg(0x080) = (uint32_t)d;
	*vreg(0x084) = (uint32_t)(d >> 32);
	*vreg(0x090) = (uint32_t)a;
	*vreg(0x094) = (uint32_t)(a >> 32);
	*vreg(0x0a0) = (uint32_t)u;
	*vreg(0x0a4) = (uint32_t)(u >> 32);
	*vreg(0x044) = 1;
	*vreg(0x070) = 1 | 2 | 8 | 4;     /* DRIVER_OK */
	vlast_used = 0;
	return 0;
}

int vblk_rw(int write, uint64_t sector, uint64_t pa, uint32_t len)
{
	vhdr->type = write ? 1 : 0;
	vhdr->reserved = 0;
	vhdr->sector = sector;
	*vstatus = 0xff;
	vq->desc[0] = (struct vdesc){pa_of(vhdr), 16, 1, 1};
	vq->desc[1] = (struct vdesc){pa, len, (uint16_t)(1 | (write ? 0 : 2)), 2};
	vq->desc[2] = (struct vdesc){pa_of(vstatus), 1, 2, 0};
	vq->avail_ring[vq->avail_idx % VQ_SIZE] = 0;
	__asm__ volatile("fence rw, rw" ::: "memory");
	vq->avail_idx++;
	__asm__ volatile("fence rw, rw" ::: "memory");
	*vreg(0x050) = 0;
	for (unsigned long i = 0; i < 50000000ul; i++) {
		__asm__ volatile("fence rw, rw" ::: "memory");
		if (*(volatile uint16_t *)&vq->used_idx != vlast_used) {
			vlast_used++;
			*vreg(0x064) = *vreg(0x060); /* acknowledge the interrupt */
			return *vstatus;
		}
	}
	return -1;
}
