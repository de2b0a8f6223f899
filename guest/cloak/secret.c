/*
 * secret.c - a cloaked program for the Linux test: it keeps a secret in
 * its data and in cloaked anonymous memory, tells the spy where to look,
 * waits for it, then checks that its secret is intact.
 */
#include "shim.h"

#define AT_FDCWD (-100)
static char secret[8192] __attribute__((aligned(4096)));
static const char marker[] = "TOP-SECRET-UMBRA-";

static void fill(char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = marker[i % (sizeof(marker) - 1)];
}

static int intact(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != marker[i % (sizeof(marker) - 1)])
			return 0;
	return 1;
}

static int exists(const char *path)
{
	long fd = shim_openat(AT_FDCWD, path, 0, 0);
	if (fd < 0)
		return 0;
	shim_close((int)fd);
	return 1;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	fill(secret, sizeof(secret));
	char *heap = shim_mmap_anon(16384);
	if (!heap) {
		shim_puts("secret: no cloaked anonymous memory\n");
		return 2;
	}
	fill(heap, 16384);
	char line[128], *p = line;
	const char *parts[] = {"", " ", " ", "\n"};
	uint64_t vals[] = {(uint64_t)shim_getpid(), (uint64_t)(uintptr_t)secret, (uint64_t)(uintptr_t)heap};
	for (int i = 0; i < 3; i++) {
		const char *s = parts[i];
		while (*s)
			*p++ = *s++;
		char b[24];
		int k = 23;
		b[k] = 0;
		uint64_t v = vals[i];
		do
			b[--k] = (char)('0' + v % 10);
		while (v /= 10);
		for (char *q = b + k; *q;)
			*p++ = *q++;
	}
	*p++ = '\n';
	long fd = shim_openat(AT_FDCWD, "/tmp/cloak-target", 0101 | 01000 /* WRONLY|CREAT|TRUNC */, 0644);
	if (fd < 0 || shim_write((int)fd, line, (size_t)(p - line)) != p - line)
		return 3;
	shim_close((int)fd);
	shim_puts("secret: cloaked, waiting for the spy\n");
	for (int i = 0; i < 400 && !exists("/tmp/cloak-spy-done"); i++)
		shim_nanosleep(0, 50000000);
	int64_t s, ns;
	if (shim_clock_gettime(1, &s, &ns) != 0)
		return 4;
	if (!intact(secret, sizeof(secret)) || !intact(heap, 16384)) {
		shim_puts("secret: CHANGED\n");
		return 5;
	}
	shim_puts("secret: intact after the spy\n");
	return 0;
}
