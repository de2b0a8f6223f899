/*
 * bench.c - the cost of cloaking (bench/cloak.sh): a compute-bound loop over
 * 1 MiB of data, and a loop of system calls.  Built twice: cloaked, and with
 * -DSHIM_PLAIN (the same code, never cloaked).
 */
#include "shim.h"

static uint64_t data[131072]; /* 1 MiB */

static int64_t now_ns(void)
{
	int64_t s, ns;
	shim_clock_gettime(1, &s, &ns);
	return s * 1000000000 + ns;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	int64_t t0 = now_ns();
	uint64_t x = 1;
	for (int round = 0; round < 40; round++)
		for (unsigned i = 0; i < 131072; i++) {
			x = x * 6364136223846793005ull + 1442695040888963407ull;
			data[(x >> 20) & 131071] += x;
		}
	int64_t t1 = now_ns();
	for (int i = 0; i < 20000; i++)
		shim_getpid();
	int64_t t2 = now_ns();
	uint64_t sum = 0;
	for (unsigned i = 0; i < 131072; i++)
		sum += data[i];
#ifdef SHIM_PLAIN
	shim_puts("BENCH plain ");
#else
	shim_puts("BENCH cloaked ");
#endif
	shim_puts("compute_us=");
	shim_putu((uint64_t)(t1 - t0) / 1000);
	shim_puts(" syscall_ns=");
	shim_putu((uint64_t)(t2 - t1) / 20000);
	shim_puts(" check=");
	shim_putx(sum);
	shim_puts("\n");
	return 0;
}
