/*
 * bench.c - microbenchmark of umbra's memory protection (tests/protect/bench.sh):
 *   - the cost of a null hypercall (PROBE) from U-mode,
 *   - PROTECT + UNPROTECT per page, in calls of 512 pages and of 1 page,
 *   - a compute loop (load, arithmetic, store per word) over 256 KiB and 4 MiB of
 *     user memory, unprotected and then protected (owner rw-, nobody else): the
 *     times should be equal, the protection check being folded into the TLB.
 * Times are guest time (rdtime, 10 MHz), the best of 3 runs.
 */
#include "kern.h"

unsigned long u_bench_protect(unsigned long, unsigned long, unsigned long, unsigned long);
unsigned long u_bench_null(unsigned long, unsigned long, unsigned long);
unsigned long u_bench_compute(unsigned long, unsigned long, unsigned long);
extern char ustack_a_top[];

#define VA_BUF 0x40000000ul
#define BUF_PAGES 1024

static struct space A;

/* best of 3, in ticks */
static uint64_t timed(void *fn, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t *ret)
{
	uint64_t best = ~0ul;
	for (int i = 0; i < 3; i++) {
		uint64_t t0 = rdtime();
		*ret = ucall(&A, fn, a0, a1, a2, a3);
		uint64_t t = rdtime() - t0;
		if (t < best)
			best = t;
	}
	return best;
}

/* ticks (100 ns) * 100 / n -> ns per item, as "x.y" */
static void per(const char *what, uint64_t ticks, uint64_t n)
{
	uint64_t ns10 = ticks * 1000 / n; /* tenths of ns */
	kprintf("bench: %s: %lu.%lu ns\n", what, ns10 / 10, ns10 % 10);
}

void kmain(void)
{
	space_init(&A, "A", pa_of(ustack_a_top));
	uint64_t *buf = alloc_pages(BUF_PAGES);
	for (unsigned i = 0; i < BUF_PAGES; i++)
		map(&A, VA_BUF + i * PAGE, pa_of(buf) + i * PAGE, PTE_URW);
	use_space(&A);
	if (khc(UMBRA_FN_PROBE, 0, 0, 0, 0).error != UMBRA_OK) {
		CHECK(0, 1, "PROBE: umbra's hypercalls are unavailable");
		return;
	}
	section("bench");
	const uint64_t rights = UMBRA_RIGHTS(UMBRA_R | UMBRA_W, 0, 0, 0);
	uint64_t r, t;

	t = timed(u_bench_null, 0, 0, 20000, 0, &r);
	per("null hypercall (PROBE) from U-mode, per call", t, 20000);
	t = timed(u_bench_protect, VA_BUF, 512, 20, rights, &r);
	CHECK(r, 0, "PROTECT/UNPROTECT loop, 512-page calls");
	per("PROTECT + UNPROTECT per page, 512-page calls", t, 20 * 512);
	/* one 512-page PROTECT, then one UNPROTECT, timed apart */
	uint64_t tp = ~0ul, tu = ~0ul;
	for (int i = 0; i < 3; i++) {
		uint64_t t0 = rdtime();
		struct hret h = uhc(&A, UMBRA_FN_PROTECT, VA_BUF, 512, rights, 0);
		uint64_t t1 = rdtime();
		CHECK(h.value, 512, "one PROTECT of 512 pages");
		h = uhc(&A, UMBRA_FN_UNPROTECT, VA_BUF, 512, 0, 0);
		uint64_t t2 = rdtime();
		CHECK(h.value, 512, "one UNPROTECT of 512 pages");
		tp = t1 - t0 < tp ? t1 - t0 : tp;
		tu = t2 - t1 < tu ? t2 - t1 : tu;
	}
	per("PROTECT per page (one 512-page call)", tp, 512);
	per("UNPROTECT per page (one 512-page call)", tu, 512);
	t = timed(u_bench_protect, VA_BUF, 1, 5000, rights, &r);
	CHECK(r, 0, "PROTECT/UNPROTECT loop, 1-page calls");
	per("PROTECT + UNPROTECT of 1 page, per pair of calls", t, 5000);

	static const unsigned sizes[] = {64, BUF_PAGES};
	for (unsigned s = 0; s < 2; s++) {
		uint64_t n = sizes[s], words = n * 512, reps = 64 * 64 / n * 8;
		uint64_t t0 = timed(u_bench_compute, VA_BUF, words, reps, 0, &r);
		uint64_t done = 0;
		struct hret h = uhc(&A, UMBRA_FN_PROTECT, VA_BUF, n, rights, 0);
		while (h.error == UMBRA_OK && (done += h.value) < n)
			h = uhc(&A, UMBRA_FN_PROTECT, VA_BUF + done * PAGE, n - done, rights, 0);
		CHECK(done, n, "PROTECT %lu pages", n);
		uint64_t t1 = timed(u_bench_compute, VA_BUF, words, reps, 0, &r);
		done = 0;
		h = uhc(&A, UMBRA_FN_UNPROTECT, VA_BUF, n, 0, 0);
		while (h.error == UMBRA_OK && (done += h.value) < n)
			h = uhc(&A, UMBRA_FN_UNPROTECT, VA_BUF + done * PAGE, n - done, 0, 0);
		uint64_t t2 = timed(u_bench_compute, VA_BUF, words, reps, 0, &r);
		uint64_t base = t0 < t2 ? t0 : t2;
		kprintf("bench: compute over %lu KiB x %lu: unprotected %lu.%03lu s, protected %lu.%03lu s, "
			"ratio %lu.%02lu\n",
			n * 4, reps, base / 10000000, base / 10000 % 1000, t1 / 10000000,
			t1 / 10000 % 1000, t1 / base, t1 * 100 / base % 100);
		CHECK(t1 * 100 / base <= 120, 1, "protected compute within 20%% of unprotected (%lu KiB)",
		      n * 4);
	}
}
