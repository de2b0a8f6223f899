/*
 * main.c - the cloaked program of the Iago suite (tests/cloak/iago/),
 * linked with the real shim (guest/cloak/: tramp.S, shim.c, link.ld).
 *
 * It unmasks its secret (iago.h) into its cloaked memory, then makes one
 * system call of every kind the shim wraps, with a copy of the secret right
 * behind every buffer a lying length could overrun, and copies the secret
 * into the anonymous memory it maps.  An honest kernel sees it end with
 * exit 0 after a line with the FNV-1a digest of the secret; a kernel that
 * lies must see exit_group(SHIM_IAGO_EXIT) right after the lie.  A step the
 * program finds wrong ends it with 20 + the step.
 *
 * getpid() selects a control behaviour (iago.h): IAGO_PID_LEAK writes the
 * secret to stdout on purpose (the kernel's scanner must see it), and
 * IAGO_PID_CARELESS unmaps anonymous memory without wiping it first.
 */
#include "shim.h"

#include "iago.h"

#define AT_FDCWD (-100)
#define CLOCK_MONOTONIC 1

static const uint8_t masked[IAGO_SECRET_LEN] = IAGO_MASKED;
static char secret[IAGO_SECRET_LEN];

/* A buffer followed by a copy of the secret: an overrun would change it. */
struct guarded {
	char buf[64];
	char guard[IAGO_SECRET_LEN];
};
static struct guarded rd, rnd;

static void copy(void *dst, const void *src, size_t n)
{
	char *d = dst;
	const char *s = src;
	while (n--)
		*d++ = *s++;
}

static void wipe(void *dst, size_t n)
{
	volatile char *d = dst;
	while (n--)
		*d++ = 0;
}

static int same(const void *a, const void *b, size_t n)
{
	const char *x = a, *y = b;
	for (; n; n--)
		if (*x++ != *y++)
			return 0;
	return 1;
}

static _Noreturn void failed(int step)
{
	shim_puts("iago: step ");
	shim_putu((uint64_t)step);
	shim_puts(" failed\n");
	shim_exit(20 + step);
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	for (unsigned i = 0; i < IAGO_SECRET_LEN; i++)
		secret[i] = (char)(masked[i] ^ IAGO_MASK(i));
	copy(rd.guard, secret, IAGO_SECRET_LEN);
	copy(rnd.guard, secret, IAGO_SECRET_LEN);

	long pid = shim_getpid();
	int64_t sec, nsec;
	if (shim_clock_gettime(CLOCK_MONOTONIC, &sec, &nsec))
		failed(1);
	if (shim_getrandom(rnd.buf, 16) != 16)
		failed(2);

	long fd = shim_openat(AT_FDCWD, IAGO_FILE, 0, 0);
	if (fd < 0)
		failed(3);
	long size = -1;
	if (shim_fstat_size((int)fd, &size) || size != IAGO_FILE_SIZE)
		failed(4);
	if (shim_read((int)fd, rd.buf, IAGO_READ_LEN) != IAGO_READ_LEN ||
	    !same(rd.buf, IAGO_FILE_HEAD, sizeof(IAGO_FILE_HEAD) - 1))
		failed(5);
	if (shim_lseek((int)fd, 0, 0) != 0)
		failed(6);
	if (shim_close((int)fd))
		failed(7);

	static const char hello[] = "iago: hello from the cloaked program\n";
	if (shim_write(1, hello, sizeof(hello) - 1) != (long)sizeof(hello) - 1)
		failed(8);

	char *p = shim_mmap_anon(IAGO_MMAP_LEN);
	if (!p)
		failed(9);
	for (size_t off = 0; off < IAGO_MMAP_LEN; off += 4096)
		copy(p + off + 100, secret, IAGO_SECRET_LEN);
	if (pid != IAGO_PID_CARELESS)
		wipe(p, IAGO_MMAP_LEN);
	if (shim_munmap(p, IAGO_MMAP_LEN))
		failed(10);

	/* The break is public memory (the shim does not cloak it): no secret there,
	 * but the program clears what it gets, as a heap would. */
	char *b0 = shim_brk(0);
	char *b1 = shim_brk(b0 + IAGO_BRK_GROW);
	if (b1 != b0 + IAGO_BRK_GROW)
		failed(11);
	wipe(b0, IAGO_BRK_GROW);

	if (shim_nanosleep(0, 1000))
		failed(12);
	if (!same(rd.guard, secret, IAGO_SECRET_LEN) || !same(rnd.guard, secret, IAGO_SECRET_LEN))
		failed(13);

	if (pid == IAGO_PID_LEAK)
		shim_write(1, secret, IAGO_SECRET_LEN);
	uint64_t h = FNV_OFFSET;
	for (unsigned i = 0; i < IAGO_SECRET_LEN; i++)
		h = (h ^ (uint8_t)secret[i]) * FNV_PRIME;
	shim_puts(IAGO_DONE);
	shim_putx(h);
	shim_puts("\n");
	return 0;
}
