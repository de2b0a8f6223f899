/*
 * kern.c - a lying S-mode kernel (tests/cloak/iago/): it runs one cloaked
 * static Linux program, built from main.c and the real shim (guest/cloak/),
 * emulates the few Linux system calls the shim makes, and lies in one of
 * them, chosen by the kernel command line (iago=<scenario>, the table
 * below).  The shim must refuse the lie: the program's next system call is
 * exit_group(SHIM_IAGO_EXIT = 113).  All the while the kernel looks for the
 * program's secret (iago.h) in every frame it gave the program, at every
 * system call, and in all of RAM at the end: it must never find it.
 *
 * The kernel prints "PASS <scenario>: <check>" or "FAIL <scenario>: <check>:
 * expected X, got Y", then "iago <scenario>: N checks, M failed", and
 * powers off through the SiFive test device (0 = all passed).
 *
 * Memory: the kernel runs with translation off; frames come from a bump
 * pool at 0x80800000.  The program's address space (Sv39, U pages) holds
 * its ELF segments where they were linked, a 2-page stack below
 * USTACK_TOP, anonymous memory from MMAP_BASE and its break after the last
 * segment; RAM is also mapped S-only at its own address for the trap
 * vector (start.S).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "iago.h"

#define UART 0x10000000ul
#define TESTDEV 0x100000ul
#define PAGE 4096ul
#define RAM_BASE 0x80000000ul
#define POOL_START 0x80800000ul
#define POOL_END 0x83000000ul
#define USTACK_TOP 0x7f000000ul
#define USTACK_PAGES 2
#define MMAP_BASE 0x40000000ul
#define MMAP_MAX (16ul << 20)
#define BRK_MAX (1ul << 20)
#define IAGO_EXIT 113 /* SHIM_IAGO_EXIT (guest/cloak/shim.h) */

#define PTE_V 0x01ul
#define PTE_R 0x02ul
#define PTE_W 0x04ul
#define PTE_X 0x08ul
#define PTE_U 0x10ul
#define PTE_A 0x40ul
#define PTE_D 0x80ul

enum { SYS_openat = 56, SYS_close = 57, SYS_lseek = 62, SYS_read = 63, SYS_write = 64,
       SYS_fstat = 80, SYS_exit_group = 94, SYS_nanosleep = 101, SYS_clock_gettime = 113,
       SYS_getpid = 172, SYS_brk = 214, SYS_munmap = 215, SYS_mmap = 222, SYS_getrandom = 278 };
enum { ENOENT = 2, EBADF = 9, EFAULT = 14, ENODEV = 19, EINVAL = 22, ESPIPE = 29, ENOSYS = 38 };

/* Saved user state; the offsets are start.S's. */
struct frame {
	uint64_t x[32];
	uint64_t sepc, scause, stval, satp;
	uint64_t k[16];
};
_Static_assert(offsetof(struct frame, sepc) == 256, "frame layout");
_Static_assert(offsetof(struct frame, k) == 288, "frame layout");

uint64_t run_user(struct frame *f);
extern const char user_elf[], user_elf_end[];
void kmain(uint64_t hartid, uint64_t dtb);
void kernel_fatal(uint64_t cause, uint64_t epc, uint64_t tval);

/* ---- small library ------------------------------------------------------- */
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);

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

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* The word of s up to a space or the end equals w. */
static int word_is(const char *s, const char *w)
{
	while (*w && *s == *w)
		s++, w++;
	return !*w && (!*s || *s == ' ');
}

static size_t slen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

static uint64_t round_up(uint64_t v) { return (v + PAGE - 1) & ~(PAGE - 1); }

static void putc_raw(char c)
{
	volatile uint8_t *u = (volatile uint8_t *)UART;
	while (!(u[5] & 0x20))
		;
	u[0] = (uint8_t)c;
}

static void put_num(uint64_t v, unsigned base)
{
	char buf[24];
	int n = 0;
	if (base == 16) {
		putc_raw('0');
		putc_raw('x');
	}
	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n)
		putc_raw(buf[--n]);
}

/* printf with %s, %u (uint64_t), %x (uint64_t, hex) and %d (int64_t). */
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
		case 'u': put_num(va_arg(ap, uint64_t), 10); break;
		case 'x': put_num(va_arg(ap, uint64_t), 16); break;
		case 'd': {
			int64_t v = va_arg(ap, int64_t);
			if (v < 0)
				putc_raw('-');
			put_num(v < 0 ? -(uint64_t)v : (uint64_t)v, 10);
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

static inline uint64_t rdtime(void)
{
	uint64_t t;
	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

/* ---- scenarios --------------------------------------------------------------- */
enum lie { NONE, READ_MORE, WRITE_MORE, MMAP_IMAGE, MMAP_UNALIGNED, MMAP_BOUNCE, CLOCK_NSEC,
	   RANDOM_MORE, FSTAT_NEGATIVE, BRK_IMAGE, MMAP_WRAP, CLOCK_NEGATIVE, MMAP_TSTACK,
	   BRK_BOUNCE, BRK_SPAN };

struct scenario {
	const char *name;
	enum lie lie;
	uint64_t pid;    /* what getpid() answers (iago.h) */
	int64_t exit;    /* the exit status the program must end with */
	int leak;        /* 1: the scanner must find the secret (control) */
	const char *what;
};

static const struct scenario scenarios[] = {
	{"honest", NONE, IAGO_PID, 0, 0, "no lie: the program runs to its end"},
	{"leak-control", NONE, IAGO_PID_LEAK, 0, 1,
	 "no lie; the program writes its secret out on purpose, the scanner must see it"},
	{"munmap-scrub", NONE, IAGO_PID_CARELESS, 0, 0,
	 "no lie; the program unmaps anonymous memory that still holds its secret"},
	{"read-more", READ_MORE, IAGO_PID, IAGO_EXIT, 0, "read returns 64 bytes more than asked"},
	{"write-more", WRITE_MORE, IAGO_PID, IAGO_EXIT, 0,
	 "write claims 1000 bytes more than it was given"},
	{"mmap-image", MMAP_IMAGE, IAGO_PID, IAGO_EXIT, 0,
	 "mmap returns the last page of the program's image (the range runs past its end)"},
	{"mmap-unaligned", MMAP_UNALIGNED, IAGO_PID, IAGO_EXIT, 0,
	 "mmap returns an address 16 bytes into a fresh mapping"},
	{"mmap-bounce", MMAP_BOUNCE, IAGO_PID, IAGO_EXIT, 0,
	 "mmap returns the page before the shim's bounce buffer (the range overlaps its start)"},
	{"clock-nsec", CLOCK_NSEC, IAGO_PID, IAGO_EXIT, 0,
	 "clock_gettime returns tv_nsec = 1000000000"},
	{"getrandom-more", RANDOM_MORE, IAGO_PID, IAGO_EXIT, 0,
	 "getrandom returns 1 byte more than asked"},
	{"fstat-negative", FSTAT_NEGATIVE, IAGO_PID, IAGO_EXIT, 0, "fstat returns st_size = -4096"},
	{"brk-image", BRK_IMAGE, IAGO_PID, IAGO_EXIT, 0,
	 "brk returns an address inside the program's image"},
	/* beyond the brief */
	{"mmap-wrap", MMAP_WRAP, IAGO_PID, IAGO_EXIT, 0,
	 "mmap returns 0xfffffffffffff000 (the range wraps around)"},
	{"clock-negative", CLOCK_NEGATIVE, IAGO_PID, IAGO_EXIT, 0,
	 "clock_gettime returns tv_nsec = -1"},
	{"mmap-tstack", MMAP_TSTACK, IAGO_PID, IAGO_EXIT, 0,
	 "mmap returns the shim's public trampoline stack"},
	{"brk-bounce", BRK_BOUNCE, IAGO_PID, IAGO_EXIT, 0,
	 "brk returns an address inside the shim's bounce buffer"},
	{"brk-span", BRK_SPAN, IAGO_PID, IAGO_EXIT, 0,
	 "brk(0) returns the page below the image, then grants a break that spans the image"},
};
#define NSCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

static const struct scenario *sc;

/* ---- checks -------------------------------------------------------------------- */
static unsigned npass, nfail;

static void check(int ok, const char *name, const char *fmt, ...)
{
	if (ok) {
		npass++;
		kprintf("PASS %s: %s\n", sc ? sc->name : "boot", name);
		return;
	}
	nfail++;
	kprintf("FAIL %s: %s: ", sc ? sc->name : "boot", name);
	va_list ap;
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
}

static void note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kprintf("NOTE ");
	kvprintf(fmt, ap);
	kprintf("\n");
	va_end(ap);
}

/* ---- the secret scanner ---------------------------------------------------------- */
/*
 * Finds the secret at any byte offset with one load per aligned word: an
 * occurrence starting at offset o covers the aligned word at o + j, j =
 * (8 - o % 8) % 8, which then holds secret[j..j+8].  The kernel keeps those
 * windows only xored with SCAN_KEY, so its own memory never holds them.
 */
#define SCAN_KEY 0xa5c3e1f00f1e3c5aull
static const uint8_t masked[IAGO_SECRET_LEN] = IAGO_MASKED;
static uint64_t window_x[8];
static uint8_t first_byte[256]; /* bit j: window j starts with this byte */

static uint8_t secret_byte(unsigned i) { return masked[i] ^ IAGO_MASK(i); }

static void scan_init(void)
{
	for (unsigned j = 0; j < 8; j++) {
		uint64_t w = 0;
		for (unsigned k = 0; k < 8; k++)
			w |= (uint64_t)secret_byte(j + k) << (8 * k);
		window_x[j] = w ^ SCAN_KEY;
		first_byte[secret_byte(j)] |= (uint8_t)(1u << j);
	}
}

static int secret_at(const volatile uint8_t *p)
{
	for (unsigned i = 0; i < IAGO_SECRET_LEN; i++)
		if ((uint8_t)(p[i] ^ IAGO_MASK(i)) != masked[i])
			return 0;
	return 1;
}

/* The first address in [lo, hi) (8-aligned) where the secret starts, or 0. */
static uint64_t scan(uint64_t lo, uint64_t hi)
{
	for (uint64_t a = lo; a < hi; a += 8) {
		uint64_t w = *(volatile uint64_t *)(uintptr_t)a;
		unsigned m = first_byte[w & 0xff];
		for (unsigned j = 0; m; j++, m >>= 1) {
			if (!(m & 1))
				continue;
			uint64_t at = a - j;
			if ((w ^ SCAN_KEY) == window_x[j] && at >= lo && at + IAGO_SECRET_LEN <= hi &&
			    secret_at((const volatile uint8_t *)(uintptr_t)at))
				return at;
		}
	}
	return 0;
}

/* ---- memory and the address space ------------------------------------------------ */
static uint64_t pool_next = POOL_START;
static uint64_t *root;
static uint64_t user_satp;

static void *alloc_page(void)
{
	if (pool_next >= POOL_END)
		kernel_fatal(0, 0, pool_next);
	void *p = (void *)(uintptr_t)pool_next;
	pool_next += PAGE;
	memset(p, 0, PAGE);
	return p;
}

static uint64_t pa_of(const void *p) { return (uint64_t)(uintptr_t)p; }
static uint64_t *table_at(uint64_t pte) { return (uint64_t *)(uintptr_t)((pte >> 10) << 12); }

/* The level-0 PTE of va, or NULL (create: make the tables on the way). */
static uint64_t *pte_of(uint64_t va, int create)
{
	uint64_t *t = root;
	for (int level = 2; level > 0; level--) {
		uint64_t *e = &t[(va >> (12 + 9 * level)) & 511];
		if (!(*e & PTE_V)) {
			if (!create)
				return 0;
			*e = (pa_of(alloc_page()) >> 12) << 10 | PTE_V;
		} else if (*e & (PTE_R | PTE_X)) {
			return 0; /* a superpage: not user memory */
		}
		t = table_at(*e);
	}
	return &t[(va >> 12) & 511];
}

static void map(uint64_t va, uint64_t phys, uint64_t flags)
{
	*pte_of(va, 1) = (phys >> 12) << 10 | flags | PTE_V | PTE_A | PTE_D;
}

static void unmap(uint64_t va)
{
	uint64_t *e = pte_of(va, 0);
	if (e)
		*e = 0;
}

/* The physical address of user va, or 0 if no U page maps it. */
static uint64_t user_pa(uint64_t va)
{
	if (va >= (1ul << 38))
		return 0;
	uint64_t *e = pte_of(va, 0);
	if (!e || (*e & (PTE_V | PTE_U)) != (PTE_V | PTE_U))
		return 0;
	return ((*e >> 10) << 12) | (va & (PAGE - 1));
}

static int copy_to_user(uint64_t va, const void *src, size_t n)
{
	const uint8_t *s = src;
	for (size_t i = 0; i < n; i++) {
		uint64_t p = user_pa(va + i);
		if (!p)
			return -EFAULT;
		*(volatile uint8_t *)(uintptr_t)p = s[i];
	}
	return 0;
}

static int copy_from_user(void *dst, uint64_t va, size_t n)
{
	uint8_t *d = dst;
	for (size_t i = 0; i < n; i++) {
		uint64_t p = user_pa(va + i);
		if (!p)
			return -EFAULT;
		d[i] = *(volatile uint8_t *)(uintptr_t)p;
	}
	return 0;
}

/* ---- the program's ELF ------------------------------------------------------------ */
struct ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};
struct shdr {
	uint32_t name, type;
	uint64_t flags, addr, offset, size;
	uint32_t link, info;
	uint64_t addralign, entsize;
};
struct sym {
	uint32_t name;
	uint8_t info, other;
	uint16_t shndx;
	uint64_t value, size;
};

/* What the kernel learns from the program's symbols (a real kernel could too). */
static uint64_t tramp, image_lo, image_hi, bounce, bounce_size, tstack, tstack_size;
static uint64_t entry, seg_end;

static int find_symbols(const struct ehdr *eh)
{
	const struct shdr *sh = (const struct shdr *)(user_elf + eh->shoff);
	for (unsigned i = 0; i < eh->shnum; i++) {
		if (sh[i].type != 2 /* SHT_SYMTAB */)
			continue;
		const struct sym *s = (const struct sym *)(user_elf + sh[i].offset);
		const char *names = user_elf + sh[sh[i].link].offset;
		for (uint64_t k = 0; k < sh[i].size / sizeof(*s); k++) {
			const char *n = names + s[k].name;
			if (streq(n, "umbra_trampoline"))
				tramp = s[k].value;
			else if (streq(n, "__image_start"))
				image_lo = s[k].value;
			else if (streq(n, "__image_end"))
				image_hi = s[k].value;
			else if (streq(n, "bounce"))
				bounce = s[k].value, bounce_size = s[k].size;
			else if (streq(n, "tramp_stack"))
				tstack = s[k].value, tstack_size = s[k].size;
		}
	}
	return tramp && image_lo && image_hi > image_lo && bounce_size && tstack_size;
}

static int load_program(void)
{
	const struct ehdr *eh = (const struct ehdr *)user_elf;
	if (user_elf_end - user_elf < (long)sizeof(*eh) || eh->ident[0] != 0x7f ||
	    eh->ident[1] != 'E' || eh->machine != 243 /* RISC-V */)
		return 0;
	root = alloc_page();
	root[2] = (RAM_BASE >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D;
	user_satp = 8ul << 60 | pa_of(root) >> 12;
	const struct phdr *ph = (const struct phdr *)(user_elf + eh->phoff);
	for (unsigned i = 0; i < eh->phnum; i++) {
		if (ph[i].type != 1 /* PT_LOAD */)
			continue;
		uint64_t flags = PTE_U | (ph[i].flags & 4 ? PTE_R : 0) | (ph[i].flags & 2 ? PTE_W : 0) |
				 (ph[i].flags & 1 ? PTE_X : 0);
		uint64_t lo = ph[i].vaddr & ~(PAGE - 1), hi = round_up(ph[i].vaddr + ph[i].memsz);
		for (uint64_t va = lo; va < hi; va += PAGE) {
			uint8_t *frame = alloc_page();
			for (uint64_t b = 0; b < PAGE; b++) {
				uint64_t at = va + b;
				if (at >= ph[i].vaddr && at < ph[i].vaddr + ph[i].filesz)
					frame[b] = (uint8_t)user_elf[ph[i].offset + (at - ph[i].vaddr)];
			}
			map(va, pa_of(frame), flags);
		}
		if (hi > seg_end)
			seg_end = hi;
	}
	entry = eh->entry;
	return find_symbols(eh);
}

/* The initial stack as Linux builds it: argc = 0, argv, envp, auxv. */
static uint64_t make_stack(void)
{
	for (unsigned i = 1; i <= USTACK_PAGES; i++)
		map(USTACK_TOP - i * PAGE, pa_of(alloc_page()), PTE_U | PTE_R | PTE_W);
	uint64_t sp = USTACK_TOP - 64;
	const uint64_t words[] = {0 /* argc */, 0 /* argv[0] */, 0 /* envp[0] */,
				  6 /* AT_PAGESZ */, PAGE, 0 /* AT_NULL */, 0};
	copy_to_user(sp, words, sizeof(words));
	return sp;
}

/* ---- the device tree: the command line and the RAM ---------------------------------- */
static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }
static uint64_t be64(const uint8_t *p) { return (uint64_t)be32(p) << 32 | be32(p + 4); }

static const char *bootargs;
static uint64_t ram_end;

static void parse_fdt(const uint8_t *fdt)
{
	if (be32(fdt) != 0xd00dfeed)
		return;
	const uint8_t *p = fdt + be32(fdt + 8);
	const char *strings = (const char *)fdt + be32(fdt + 12);
	int depth = 0, chosen = 0, memory = 0;
	for (;;) {
		uint32_t tok = be32(p);
		p += 4;
		if (tok == 1) { /* FDT_BEGIN_NODE */
			const char *name = (const char *)p;
			depth++;
			if (depth == 2) {
				chosen = streq(name, "chosen");
				memory = name[0] == 'm' && name[1] == 'e' && name[2] == 'm' &&
					 name[3] == 'o' && name[4] == 'r' && name[5] == 'y';
			}
			p += (slen(name) + 4) & ~3ul;
		} else if (tok == 2) { /* FDT_END_NODE */
			if (depth-- == 2)
				chosen = memory = 0;
		} else if (tok == 3) { /* FDT_PROP */
			uint32_t len = be32(p), nameoff = be32(p + 4);
			const uint8_t *val = p + 8;
			if (chosen && streq(strings + nameoff, "bootargs"))
				bootargs = (const char *)val;
			if (memory && streq(strings + nameoff, "reg") && len >= 16)
				ram_end = be64(val) + be64(val + 8);
			p += 8 + ((len + 3) & ~3u);
		} else if (tok != 4) { /* not FDT_NOP: FDT_END or garbage */
			return;
		}
	}
}

static const struct scenario *pick_scenario(void)
{
	for (const char *s = bootargs; s && *s; s++) {
		if ((s != bootargs && s[-1] != ' ') || s[0] != 'i' || s[1] != 'a' || s[2] != 'g' ||
		    s[3] != 'o' || s[4] != '=')
			continue;
		for (unsigned i = 0; i < NSCENARIOS; i++)
			if (word_is(s + 5, scenarios[i].name))
				return &scenarios[i];
	}
	return 0;
}

/* ---- the run's state ---------------------------------------------------------------- */
static struct frame uf;
static uint64_t nsys, seen, outside, unscrubbed;
static int lie_told, after_checked, exited, crashed;
static int64_t exit_status;
static uint64_t lie_index, leaks, leak_at;
static const char *leak_when;

/* The file /iago/data. */
static int file_open;
static uint64_t file_pos;

/* The program's standard output, a line at a time. */
static char line[160];
static size_t line_len;
static uint64_t digest_ok, digest_got, digest_lines;
static uint64_t expected_digest;

/* Anonymous memory and the break. */
static uint64_t mmap_next = MMAP_BASE;
static uint64_t brk_lo, brk_cur, brk_mapped;
static int brk_fake;

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static const char *sys_name(uint64_t n)
{
	switch (n) {
	case SYS_openat: return "openat";
	case SYS_close: return "close";
	case SYS_lseek: return "lseek";
	case SYS_read: return "read";
	case SYS_write: return "write";
	case SYS_fstat: return "fstat";
	case SYS_exit_group: return "exit_group";
	case SYS_nanosleep: return "nanosleep";
	case SYS_clock_gettime: return "clock_gettime";
	case SYS_getpid: return "getpid";
	case SYS_brk: return "brk";
	case SYS_munmap: return "munmap";
	case SYS_mmap: return "mmap";
	case SYS_getrandom: return "getrandom";
	default: return "an unknown call";
	}
}

static const uint64_t wrapped[] = {SYS_read, SYS_write, SYS_openat, SYS_close, SYS_lseek,
				   SYS_fstat, SYS_mmap, SYS_munmap, SYS_brk, SYS_clock_gettime,
				   SYS_getrandom, SYS_nanosleep, SYS_getpid, SYS_exit_group};
#define NWRAPPED (sizeof(wrapped) / sizeof(wrapped[0]))

static void mark_seen(uint64_t n)
{
	for (unsigned i = 0; i < NWRAPPED; i++)
		if (wrapped[i] == n)
			seen |= 1ul << i;
}

/* Tell the scenario's lie now, if this is its call and it was not told yet. */
static int lie(enum lie l)
{
	if (sc->lie != l || lie_told)
		return 0;
	lie_told = 1;
	lie_index = nsys;
	note("lying: %s", sc->what);
	return 1;
}

/* Everything the kernel can read of the program: every frame it gave it. */
static void look_for_secret(const char *when)
{
	uint64_t at = scan(POOL_START, pool_next);
	if (at && !leaks++) {
		leak_at = at;
		leak_when = when;
	}
}

/* ---- the system calls ------------------------------------------------------------------- */
static uint8_t file_byte(uint64_t i)
{
	static const char head[] = IAGO_FILE_HEAD;
	return i < sizeof(head) - 1 ? (uint8_t)head[i] : (uint8_t)('a' + i % 26);
}

static int64_t sys_read(uint64_t fd, uint64_t buf, uint64_t len)
{
	if (fd == 0)
		return 0;
	if (fd != 3 || !file_open)
		return -EBADF;
	uint64_t n = file_pos < IAGO_FILE_SIZE ? IAGO_FILE_SIZE - file_pos : 0;
	if (n > len)
		n = len;
	for (uint64_t i = 0; i < n; i++) {
		uint8_t b = file_byte(file_pos + i);
		if (copy_to_user(buf + i, &b, 1))
			return -EFAULT;
	}
	file_pos += n;
	return (int64_t)n + (lie(READ_MORE) ? 64 : 0);
}

static uint64_t hex_value(const char *s)
{
	uint64_t v = 0;
	if (s[0] == '0' && s[1] == 'x')
		s += 2;
	for (; *s; s++) {
		unsigned d = *s >= '0' && *s <= '9' ? (unsigned)(*s - '0')
			   : *s >= 'a' && *s <= 'f' ? (unsigned)(*s - 'a' + 10) : 16;
		if (d == 16)
			break;
		v = v << 4 | d;
	}
	return v;
}

static void output_line(void)
{
	line[line_len] = 0;
	kprintf("user: %s\n", line);
	size_t n = sizeof(IAGO_DONE) - 1;
	int done = line_len >= n;
	for (size_t i = 0; done && i < n; i++)
		done = line[i] == IAGO_DONE[i];
	if (done) {
		digest_lines++;
		digest_got = hex_value(line + n);
		digest_ok = digest_got == expected_digest;
	}
	line_len = 0;
}

static int64_t sys_write(uint64_t fd, uint64_t buf, uint64_t len)
{
	static uint8_t chunk[4096];
	if (fd != 1 && fd != 2)
		return -EBADF;
	for (uint64_t done = 0; done < len;) {
		uint64_t n = len - done < sizeof(chunk) ? len - done : sizeof(chunk);
		if (copy_from_user(chunk, buf + done, n))
			return done ? (int64_t)done : -EFAULT;
		if (scan(pa_of(chunk), pa_of(chunk) + ((n + 7) & ~7ul))) {
			note("the program wrote its secret (%u bytes withheld from the console)", n);
			if (!leaks++) {
				leak_at = pa_of(chunk);
				leak_when = "in what the program wrote";
			}
			memset(chunk, 0, sizeof(chunk));
		} else {
			for (uint64_t i = 0; i < n; i++) {
				if (chunk[i] == '\n' || line_len == sizeof(line) - 1)
					output_line();
				if (chunk[i] != '\n')
					line[line_len++] = (char)chunk[i];
			}
		}
		done += n;
	}
	return (int64_t)len + (lie(WRITE_MORE) ? 1000 : 0);
}

static int64_t sys_openat(uint64_t path)
{
	char name[64];
	for (unsigned i = 0; i < sizeof(name); i++) {
		if (copy_from_user(&name[i], path + i, 1))
			return -EFAULT;
		if (!name[i])
			break;
	}
	name[sizeof(name) - 1] = 0;
	if (!streq(name, IAGO_FILE))
		return -ENOENT;
	file_open = 1;
	file_pos = 0;
	return 3;
}

static int64_t sys_close(uint64_t fd)
{
	if (fd != 3 || !file_open)
		return -EBADF;
	file_open = 0;
	return 0;
}

static int64_t sys_lseek(uint64_t fd, int64_t off, uint64_t whence)
{
	if (fd <= 2)
		return -ESPIPE;
	if (fd != 3 || !file_open)
		return -EBADF;
	int64_t base = whence == 0 ? 0 : whence == 1 ? (int64_t)file_pos : IAGO_FILE_SIZE;
	if (whence > 2 || base + off < 0)
		return -EINVAL;
	file_pos = (uint64_t)(base + off);
	return (int64_t)file_pos;
}

/* The generic riscv64 struct stat: st_mode at 16, st_size at 48, st_blksize at 56. */
static int64_t sys_fstat(uint64_t fd, uint64_t buf)
{
	uint8_t st[128] = {0};
	if (fd > 3 || (fd == 3 && !file_open))
		return -EBADF;
	uint32_t mode = fd == 3 ? 0100444 : 020620;
	int64_t size = fd == 3 ? IAGO_FILE_SIZE : 0;
	if (fd == 3 && lie(FSTAT_NEGATIVE))
		size = -4096;
	int32_t blksize = 4096;
	memcpy(st + 16, &mode, 4);
	memcpy(st + 48, &size, 8);
	memcpy(st + 56, &blksize, 4);
	return copy_to_user(buf, st, sizeof(st));
}

static int64_t sys_mmap(uint64_t addr, uint64_t len, uint64_t flags, int64_t fd)
{
	(void)addr;
	if (!(flags & 0x20) || fd != -1)
		return -ENODEV; /* anonymous memory only */
	len = round_up(len);
	if (!len || len > MMAP_MAX)
		return -EINVAL;
	if (lie(MMAP_IMAGE))
		return (int64_t)(image_hi - PAGE);
	if (lie(MMAP_BOUNCE))
		return (int64_t)(bounce - PAGE);
	if (lie(MMAP_WRAP))
		return (int64_t)-PAGE;
	if (lie(MMAP_TSTACK))
		return (int64_t)round_up(tstack);
	uint64_t va = mmap_next;
	for (uint64_t off = 0; off < len + PAGE; off += PAGE)
		map(va + off, pa_of(alloc_page()), PTE_U | PTE_R | PTE_W);
	mmap_next += len + 2 * PAGE; /* one spare page, one gap */
	return (int64_t)(va + (lie(MMAP_UNALIGNED) ? 16 : 0));
}

/* Unmaps what the kernel mapped; anything else it pretends to unmap. */
static int64_t sys_munmap(uint64_t addr, uint64_t len)
{
	if (addr & (PAGE - 1))
		return -EINVAL;
	look_for_secret("at munmap, in the frames being unmapped");
	for (uint64_t va = addr; va < addr + round_up(len); va += PAGE)
		if (va >= MMAP_BASE && va < mmap_next)
			unmap(va);
	return 0;
}

/* A lying break starts where the lie says and is backed wherever nothing is mapped yet. */
static int64_t sys_brk(uint64_t addr)
{
	if (!brk_fake && sc->lie == BRK_SPAN) {
		brk_fake = 1; /* not a lie yet: the break may start anywhere outside the image */
		brk_lo = brk_cur = brk_mapped = image_lo - PAGE;
	} else if (!brk_fake && (lie(BRK_IMAGE) || lie(BRK_BOUNCE))) {
		brk_fake = 1;
		brk_lo = brk_cur = brk_mapped = sc->lie == BRK_IMAGE ? image_lo + 2 * PAGE : bounce;
	}
	if (addr < brk_lo || addr > brk_lo + BRK_MAX)
		return (int64_t)brk_cur;
	if (addr > image_lo)
		(void)lie(BRK_SPAN); /* granting it: the program's break now covers its image */
	for (; brk_mapped < addr; brk_mapped += PAGE)
		if (!user_pa(brk_mapped))
			map(brk_mapped, pa_of(alloc_page()), PTE_U | PTE_R | PTE_W);
	brk_cur = addr;
	return (int64_t)addr;
}

static int64_t sys_clock_gettime(uint64_t clock, uint64_t tp)
{
	if (clock > 7)
		return -EINVAL;
	uint64_t t = rdtime(); /* 10 MHz */
	int64_t ts[2] = {(int64_t)(t / 10000000), (int64_t)(t % 10000000) * 100};
	if (lie(CLOCK_NSEC))
		ts[1] = 1000000000;
	if (lie(CLOCK_NEGATIVE))
		ts[1] = -1;
	return copy_to_user(tp, ts, sizeof(ts));
}

static int64_t sys_getrandom(uint64_t buf, uint64_t len)
{
	for (uint64_t i = 0; i < len; i++) {
		rng_state ^= rng_state << 13;
		rng_state ^= rng_state >> 7;
		rng_state ^= rng_state << 17;
		uint8_t b = (uint8_t)rng_state;
		if (copy_to_user(buf + i, &b, 1))
			return -EFAULT;
	}
	return (int64_t)len + (lie(RANDOM_MORE) ? 1 : 0);
}

static int64_t sys_nanosleep(uint64_t req)
{
	int64_t ts[2];
	if (copy_from_user(ts, req, sizeof(ts)))
		return -EFAULT;
	if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
		return -EINVAL;
	return 0;
}

/* Registers the kernel may see at a system call: sp, t0, a0-a7. */
static int scrubbed(const struct frame *f)
{
	for (unsigned i = 1; i < 32; i++)
		if (i != 2 && i != 5 && (i < 10 || i > 17) && f->x[i])
			return 0;
	return f->x[2] == tstack + tstack_size && f->x[5] == 0;
}

static void syscall(struct frame *f)
{
	uint64_t n = f->x[17], a0 = f->x[10], a1 = f->x[11], a2 = f->x[12], a3 = f->x[13],
		 a4 = f->x[14];
	nsys++;
	mark_seen(n);
	if (f->sepc != tramp - 4)
		outside++;
	else if (!scrubbed(f))
		unscrubbed++;
	look_for_secret("at a system call, in the program's frames");
	if (lie_told && !after_checked) {
		after_checked = 1;
		check(n == SYS_exit_group && a0 == IAGO_EXIT,
		      "the program's next system call after the lie is exit_group(113)",
		      "expected exit_group(113), got %s(%d)", sys_name(n), (int64_t)a0);
	}
	int64_t r;
	switch (n) {
	case SYS_read: r = sys_read(a0, a1, a2); break;
	case SYS_write: r = sys_write(a0, a1, a2); break;
	case SYS_openat: r = sys_openat(a1); break;
	case SYS_close: r = sys_close(a0); break;
	case SYS_lseek: r = sys_lseek(a0, (int64_t)a1, a2); break;
	case SYS_fstat: r = sys_fstat(a0, a1); break;
	case SYS_mmap: r = sys_mmap(a0, a1, a3, (int64_t)a4); break;
	case SYS_munmap: r = sys_munmap(a0, a1); break;
	case SYS_brk: r = sys_brk(a0); break;
	case SYS_clock_gettime: r = sys_clock_gettime(a0, a1); break;
	case SYS_getrandom: r = sys_getrandom(a0, a1); break;
	case SYS_nanosleep: r = sys_nanosleep(a0); break;
	case SYS_getpid: r = (int64_t)sc->pid; break;
	case SYS_exit_group:
		exited = 1;
		exit_status = (int64_t)(a0 & 0xff);
		return;
	default:
		note("unknown system call %u", n);
		r = -ENOSYS;
		break;
	}
	f->x[10] = (uint64_t)r;
}

/* ---- the run ------------------------------------------------------------------------------ */
static void scanner_self_test(void)
{
	uint8_t *p = alloc_page();
	for (unsigned i = 0; i < IAGO_SECRET_LEN; i++)
		p[1237 + i] = secret_byte(i);
	uint64_t at = scan(pa_of(p), pa_of(p) + PAGE);
	memset(p, 0, PAGE);
	check(at == pa_of(p) + 1237, "the scanner finds the secret planted at an odd offset",
	      "expected %x, got %x", pa_of(p) + 1237, at);
}

static const char *cause_name(uint64_t cause)
{
	switch (cause) {
	case 1: return "instruction access fault";
	case 2: return "illegal instruction";
	case 5: return "load access fault";
	case 7: return "store access fault";
	case 12: return "instruction page fault";
	case 13: return "load page fault";
	case 15: return "store page fault";
	default: return "other";
	}
}

static void report(void)
{
	if (line_len)
		output_line();
	if (crashed)
		note("the program stopped with a trap: scause %x sepc %x stval %x", uf.scause, uf.sepc,
		     uf.stval);
	look_for_secret("after the program ended, in its frames");
	uint64_t ram_at = scan(RAM_BASE, ram_end);
	if (ram_at && !leaks++) {
		leak_at = ram_at;
		leak_when = "after the program ended, anywhere in RAM";
	}
	if (sc->lie != NONE) {
		check(lie_told, "the kernel told its lie", "the program never made the call");
		if (lie_told && !after_checked)
			check(0, "the program's next system call after the lie is exit_group(113)",
			      "expected exit_group(113), got %s", crashed ? "a trap" : "nothing");
	}
	if (crashed)
		check(0, "the program ends with exit_group",
		      "expected exit status %d, got trap %x (%s) at %x%s", sc->exit, uf.scause,
		      cause_name(uf.scause), uf.sepc, uf.sepc == tramp ? " (the trampoline)" : "");
	else
		check(exit_status == sc->exit, sc->exit ? "the program exits with status 113 (refused)"
							: "the program exits with status 0",
		      "expected %d, got %d", sc->exit, exit_status);
	check(outside == 0 && unscrubbed == 0,
	      "every system call came from the cloaked program, registers scrubbed",
	      "expected 0 and 0, got %u from elsewhere and %u unscrubbed", outside, unscrubbed);
	if (sc->lie == NONE && !sc->leak) {
		uint64_t all = (1ul << NWRAPPED) - 1;
		check(seen == all, "the program made every one of the 14 wrapped system calls",
		      "expected mask %x, got %x", all, seen);
		check(digest_lines == 1 && digest_ok, "the program printed the digest of its secret",
		      "expected %x, got %x (%u lines)", expected_digest, digest_got, digest_lines);
	}
	if (sc->leak) {
		check(leaks > 0, "control: the kernel sees the secret the program wrote out",
		      "expected a sighting, got none");
	} else {
		check(leaks == 0, "the secret never appears in memory the kernel can read",
		      "expected no plaintext, got it at %x %s", leak_at, leak_when ? leak_when : "");
	}
}

void kmain(uint64_t hartid, uint64_t dtb)
{
	(void)hartid;
	parse_fdt((const uint8_t *)(uintptr_t)dtb);
	sc = pick_scenario();
	if (!sc) {
		kprintf("FAIL boot: no known scenario in the command line (iago=NAME):");
		for (unsigned i = 0; i < NSCENARIOS; i++)
			kprintf(" %s", scenarios[i].name);
		kprintf("\n");
		power_off(2);
	}
	if (!ram_end || ram_end <= POOL_END)
		ram_end = RAM_BASE + (64ul << 20);
	kprintf("iago %s: %s (RAM up to %x)\n", sc->name, sc->what, ram_end);
	scan_init();
	expected_digest = FNV_OFFSET;
	for (unsigned i = 0; i < IAGO_SECRET_LEN; i++)
		expected_digest = (expected_digest ^ secret_byte(i)) * FNV_PRIME;
	scanner_self_test();
	if (!load_program()) {
		check(0, "the program's ELF loads", "expected its segments and symbols, got none");
		power_off(3);
	}
	brk_lo = brk_cur = brk_mapped = seg_end;
	uf.sepc = entry;
	uf.satp = user_satp;
	uf.x[2] = make_stack();
	look_for_secret("before the program ran");
	check(leaks == 0, "the secret is nowhere before the program runs", "got it at %x", leak_at);
	leaks = 0;
	while (!exited) {
		uint64_t cause = run_user(&uf);
		if (cause != 8) {
			crashed = 1;
			break;
		}
		syscall(&uf);
		uf.sepc += 4;
	}
	report();
	kprintf("iago %s: %u checks, %u failed\n", sc->name, (uint64_t)(npass + nfail),
		(uint64_t)nfail);
	power_off(nfail ? 1 : 0);
}
