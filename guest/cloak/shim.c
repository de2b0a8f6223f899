/*
 * shim.c - the cloaking shim: cloaks the program at start and marshals its
 * system calls through public bounce buffers (see shim.h).
 */
#include "shim.h"

#include "../../include/umbra/hypercall.h"

enum { SYS_openat = 56, SYS_close = 57, SYS_lseek = 62, SYS_read = 63, SYS_write = 64,
       SYS_fstat = 80, SYS_exit_group = 94, SYS_nanosleep = 101, SYS_clock_gettime = 113,
       SYS_getpid = 172, SYS_brk = 214, SYS_munmap = 215, SYS_mmap = 222, SYS_getrandom = 278 };

#define PAGE 4096ul
#define BOUNCE_BYTES 65536ul

extern char __image_start[], __image_end[], __identity_end[], umbra_trampoline[];
extern char __public_start[], __public_end[];

/* Public: the kernel reads and writes these. */
static char bounce[BOUNCE_BYTES] __attribute__((section(".public_data"), aligned(4096)));
static char tramp_stack[16384] __attribute__((section(".public_data"), aligned(16)));

/* Cloaked: the program's stack. */
char shim_boot_stack[256 * 1024] __attribute__((aligned(4096)));
extern char shim_boot_stack_top[] __asm__("shim_boot_stack_top");
__asm__(".globl shim_boot_stack_top\n.set shim_boot_stack_top, shim_boot_stack + 262144");

static long sys(long n, long a, long b, long c, long d, long e, long f)
{
	register long a0 __asm__("a0") = a, a1 __asm__("a1") = b, a2 __asm__("a2") = c;
	register long a3 __asm__("a3") = d, a4 __asm__("a4") = e, a5 __asm__("a5") = f;
	register long a7 __asm__("a7") = n;
	__asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a7)
			 : "memory");
	return a0;
}

/* umbra's hypercall: a0 = error, *value = a1. */
static long hyper6(long fn, long a, long b, long c, long d, long e, long f, long *value)
{
	register long a0 __asm__("a0") = a, a1 __asm__("a1") = b, a2 __asm__("a2") = c;
	register long a3 __asm__("a3") = d, a4 __asm__("a4") = e, a5 __asm__("a5") = f;
	register long a6 __asm__("a6") = fn, a7 __asm__("a7") = UMBRA_EID;
	__asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a6),
			 "r"(a7) : "memory");
	if (value)
		*value = a1;
	return a0;
}

static long hyper(long fn, long a, long b, long c, long d, long e, long *value)
{
	return hyper6(fn, a, b, c, d, e, 0, value);
}

_Noreturn void shim_exit(int status)
{
	for (;;)
		sys(SYS_exit_group, status, 0, 0, 0, 0, 0);
}

/* The kernel answered something impossible: trust nothing, stop. */
static _Noreturn void iago(void)
{
	shim_exit(SHIM_IAGO_EXIT);
}

static void copy(void *dst, const void *src, size_t n)
{
	char *d = dst;
	const char *s = src;
	while (n--)
		*d++ = *s++;
}

static int in_range(uintptr_t a, size_t len, const void *lo, const void *hi)
{
	return a < (uintptr_t)hi && a + len > (uintptr_t)lo;
}

/* Does [a, a+len) touch memory the program already has (image, public pages) or wrap? */
static int overlaps_known(uintptr_t a, size_t len)
{
	return a + len < a || in_range(a, len, __image_start, __image_end) ||
	       in_range(a, len, __public_start, __public_end);
}

long shim_read(int fd, void *buf, size_t len)
{
	size_t done = 0;
	while (done < len) {
		size_t chunk = len - done < BOUNCE_BYTES ? len - done : BOUNCE_BYTES;
		long r = sys(SYS_read, fd, (long)bounce, (long)chunk, 0, 0, 0);
		if (r < 0)
			return done ? (long)done : r;
		if ((size_t)r > chunk)
			iago(); /* more than asked for */
		copy((char *)buf + done, bounce, (size_t)r);
		done += (size_t)r;
		if ((size_t)r < chunk)
			break;
	}
	return (long)done;
}

long shim_write(int fd, const void *buf, size_t len)
{
	size_t done = 0;
	while (done < len) {
		size_t chunk = len - done < BOUNCE_BYTES ? len - done : BOUNCE_BYTES;
		copy(bounce, (const char *)buf + done, chunk);
		long r = sys(SYS_write, fd, (long)bounce, (long)chunk, 0, 0, 0);
		if (r < 0)
			return done ? (long)done : r;
		if ((size_t)r > chunk)
			iago();
		done += (size_t)r;
		if ((size_t)r < chunk)
			break;
	}
	return (long)done;
}

long shim_openat(int dirfd, const char *path, int flags, int mode)
{
	size_t n = shim_strlen(path);
	if (n >= PAGE)
		return -36; /* ENAMETOOLONG */
	copy(bounce, path, n + 1);
	return sys(SYS_openat, dirfd, (long)bounce, flags, mode, 0, 0);
}

long shim_close(int fd)
{
	return sys(SYS_close, fd, 0, 0, 0, 0, 0);
}

long shim_lseek(int fd, long off, int whence)
{
	return sys(SYS_lseek, fd, off, whence, 0, 0, 0);
}

long shim_fstat_size(int fd, long *size)
{
	long r = sys(SYS_fstat, fd, (long)bounce, 0, 0, 0, 0);
	if (r == 0) {
		copy(size, bounce + 48, sizeof(*size)); /* st_size of the generic struct stat */
		if (*size < 0)
			iago();
	}
	return r;
}

void *shim_mmap_anon(size_t len)
{
	len = (len + PAGE - 1) & ~(PAGE - 1);
	long r = sys(SYS_mmap, 0, (long)len, 3 /* RW */, 0x22 /* PRIVATE|ANON */, -1, 0);
	if (r < 0 && r > -4096)
		return 0;
	uintptr_t a = (uintptr_t)r;
	if ((a & (PAGE - 1)) || overlaps_known(a, len))
		iago(); /* a mapping over memory we already have */
	for (size_t off = 0; off < len; off += PAGE)
		*(volatile char *)(a + off) = 0; /* a private page of our own, not the zero page */
	long done = 0;
	if (hyper(UMBRA_FN_CLOAK_PAGES, (long)a, (long)(len / PAGE), 0, 0, 0, &done) ||
	    (size_t)done != len / PAGE) {
		sys(SYS_munmap, (long)a, (long)len, 0, 0, 0, 0);
		return 0;
	}
	return (void *)a;
}

long shim_munmap(void *addr, size_t len)
{
	len = (len + PAGE - 1) & ~(PAGE - 1);
	long done;
	for (size_t off = 0; off < len; off++) /* nothing of ours leaves in plaintext */
		((volatile char *)addr)[off] = 0;
	hyper(UMBRA_FN_UNCLOAK, (long)addr, (long)(len / PAGE), 0, 0, 0, &done);
	return sys(SYS_munmap, (long)addr, (long)len, 0, 0, 0, 0);
}

/* The break as the kernel last reported it (0: not asked yet). */
static uintptr_t cur_brk;

void *shim_brk(void *addr)
{
	uintptr_t r = (uintptr_t)sys(SYS_brk, (long)addr, 0, 0, 0, 0, 0);
	/* Neither the break nor the heap between the old and the new break may
	 * lie over memory the program has (its image, its public pages). */
	uintptr_t lo = cur_brk && cur_brk < r ? cur_brk : r;
	if (overlaps_known(r, 1) || overlaps_known(lo, r - lo))
		iago();
	cur_brk = r;
	return (void *)r;
}

long shim_clock_gettime(int clock, int64_t *sec, int64_t *nsec)
{
	long r = sys(SYS_clock_gettime, clock, (long)bounce, 0, 0, 0, 0);
	if (r == 0) {
		copy(sec, bounce, 8);
		copy(nsec, bounce + 8, 8);
		if (*nsec < 0 || *nsec >= 1000000000)
			iago();
	}
	return r;
}

long shim_getrandom(void *buf, size_t len)
{
	if (len > BOUNCE_BYTES)
		len = BOUNCE_BYTES;
	long r = sys(SYS_getrandom, (long)bounce, (long)len, 0, 0, 0, 0);
	if (r > (long)len)
		iago();
	if (r > 0)
		copy(buf, bounce, (size_t)r);
	return r;
}

long shim_nanosleep(int64_t sec, int64_t nsec)
{
	copy(bounce, &sec, 8);
	copy(bounce + 8, &nsec, 8);
	return sys(SYS_nanosleep, (long)bounce, 0, 0, 0, 0, 0);
}

long shim_getpid(void)
{
	return sys(SYS_getpid, 0, 0, 0, 0, 0, 0);
}

size_t shim_strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

void shim_puts(const char *s)
{
	shim_write(1, s, shim_strlen(s));
}

void shim_putu(uint64_t v)
{
	char b[24];
	int i = 23;
	b[i] = 0;
	do
		b[--i] = (char)('0' + v % 10);
	while (v /= 10);
	shim_puts(b + i);
}

void shim_putx(uint64_t v)
{
	char b[19] = "0x";
	for (int i = 0; i < 16; i++)
		b[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
	b[18] = 0;
	shim_puts(b);
}

/* --- cloaked files ------------------------------------------------------- */

#define FILE_MAGIC 0x3146434152424d55ull /* "UMBRACF1" */
#define FILE_PAGES 120
#define META_SLOT 32

/* Public: the header (magic, version, pages, then one metadata slot per page) and one
 * page of ciphertext in flight.  Cloaked: the plaintext staging page. */
static uint8_t file_header[PAGE] __attribute__((section(".public_data"), aligned(4096)));
static uint8_t file_cipher[PAGE] __attribute__((section(".public_data"), aligned(4096)));
static uint8_t file_plain[PAGE] __attribute__((aligned(4096)));

static long pwrite_all(int fd, const void *buf, size_t len, long off)
{
	if (shim_lseek(fd, off, 0) != off)
		return -5;
	return shim_write(fd, buf, len) == (long)len ? 0 : -5;
}

static long pread_all(int fd, void *buf, size_t len, long off)
{
	if (shim_lseek(fd, off, 0) != off)
		return -5;
	return shim_read(fd, buf, len) == (long)len ? 0 : -5;
}

long shim_file_write(int fd, uint64_t resource, const void *data, size_t len)
{
	if (len > SHIM_FILE_MAX)
		return -27; /* EFBIG */
	long version;
	if (hyper(UMBRA_FN_FILE_VERSION, (long)resource, 1, 0, 0, 0, &version))
		return -1;
	/* The sealed stream: the length, 8 reserved bytes, the data. */
	uint64_t head[2] = {len, 0};
	size_t total = len + sizeof(head), npages = (total + PAGE - 1) / PAGE;
	uint64_t h[3] = {FILE_MAGIC, (uint64_t)version, npages};
	copy(file_header, h, sizeof(h));
	for (size_t i = 0; i < npages; i++) {
		for (size_t k = 0; k < PAGE; k++) {
			size_t at = i * PAGE + k;
			file_plain[k] = at < sizeof(head) ? ((uint8_t *)head)[at]
				       : at < total ? ((const uint8_t *)data)[at - sizeof(head)] : 0;
		}
		if (hyper6(UMBRA_FN_FILE_SEAL, (long)file_plain, (long)file_cipher,
			   (long)(file_header + 64 + META_SLOT * i), (long)resource, (long)i, version, 0))
			return -1;
		if (pwrite_all(fd, file_cipher, PAGE, (long)((i + 1) * PAGE)))
			return -5;
	}
	for (size_t k = 0; k < PAGE; k++)
		file_plain[k] = 0;
	return pwrite_all(fd, file_header, PAGE, 0);
}

long shim_file_read(int fd, uint64_t resource, void *buf, size_t maxlen)
{
	long latest;
	uint64_t h[3];
	if (pread_all(fd, file_header, PAGE, 0))
		return -5;
	copy(h, file_header, sizeof(h));
	if (h[0] != FILE_MAGIC || h[2] == 0 || h[2] > FILE_PAGES)
		return SHIM_EINTEGRITY;
	if (hyper(UMBRA_FN_FILE_VERSION, (long)resource, 0, 0, 0, 0, &latest))
		return -1;
	if (h[1] != (uint64_t)latest)
		return SHIM_EREPLAY; /* not the version umbra saw written last */
	uint64_t len = 0;
	for (uint64_t i = 0; i < h[2]; i++) {
		if (pread_all(fd, file_cipher, PAGE, (long)((i + 1) * PAGE)))
			return -5;
		if (hyper6(UMBRA_FN_FILE_OPEN, (long)file_cipher, (long)file_plain,
			   (long)(file_header + 64 + META_SLOT * i), (long)resource, (long)i, (long)h[1], 0))
			return SHIM_EINTEGRITY;
		if (i == 0) {
			copy(&len, file_plain, sizeof(len));
			if (len > maxlen || len + 16 > h[2] * PAGE || len + 16 <= (h[2] - 1) * PAGE)
				return SHIM_EINTEGRITY;
		}
		for (size_t k = 0; k < PAGE; k++) {
			uint64_t at = i * PAGE + k;
			if (at >= 16 && at - 16 < len)
				((uint8_t *)buf)[at - 16] = file_plain[k];
		}
	}
	for (size_t k = 0; k < PAGE; k++)
		file_plain[k] = 0;
	return (long)len;
}

/* Called from _start on the cloaked stack (still public until the call below). */
void shim_start(uint64_t *sp0);
void shim_start(uint64_t *sp0)
{
	int argc = (int)sp0[0];
	char **argv = (char **)(sp0 + 1);
	/* Every image page present and private (the segment is writable:
	 * writing a byte back breaks any sharing), then cloak them all. */
	for (char *p = __image_start; p < __image_end; p += PAGE) {
		volatile char *v = p;
		*v = *v;
	}
	/* umbra checks that the trampoline is mapped: fault its page in; and
	 * give the public buffers their own pages too. */
	(void)*(volatile char *)umbra_trampoline;
	for (size_t off = 0; off < sizeof(bounce); off += PAGE)
		*(volatile char *)(bounce + off) = 0;
	for (size_t off = 0; off < sizeof(tramp_stack); off += PAGE)
		*(volatile char *)(tramp_stack + off) = 0;
	*(volatile char *)file_header = 0;
	*(volatile char *)file_cipher = 0;
	long npages = (__image_end - __image_start) / (long)PAGE, dom;
#ifdef SHIM_PLAIN
	(void)npages, (void)dom;
	shim_exit(main(argc, argv)); /* the same program, never cloaked: for comparisons */
#endif
	long e = hyper6(UMBRA_FN_CLOAK_CREATE, UMBRA_CLOAK_KEY_DERIVED, (long)__image_start, npages,
			(long)umbra_trampoline, (long)(tramp_stack + sizeof(tramp_stack)),
			(__identity_end - __image_start) / (long)PAGE, &dom);
	if (e) {
		shim_puts("shim: umbra refused to cloak this program (error ");
		shim_putu((uint64_t)-e);
		shim_puts(")\n");
		shim_exit(114);
	}
	shim_exit(main(argc, argv));
}
