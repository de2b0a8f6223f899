/*
 * bare.c - the balloon application's bare-metal variant: an S-mode guest
 * (guest/bare/ runtime, built-in SBI) that keeps its own data at the bottom
 * of the RAM above its image and holds, from the top of the rest down, as
 * many pages as umbra asks for, handing their frames to umbra through the
 * BALLOON hypercalls (include/umbra/hypercall.h), exactly as the Linux
 * program (app.c) does.  Paging is off, so a page's virtual address is its
 * guest-physical one.
 *
 * Every 50 ms (a timer and WFI, not a busy loop) it asks for its target,
 * gives or takes pages in steps of at most 4 MiB, and checks its data.  It
 * prints one line per change of what it holds:
 *   "balloon-bare: holding N pages (target T)"
 * pages it takes back must read as zero (umbra scrubbed them):
 *   "balloon-bare: FAIL ..." otherwise, and it stops.
 * It checks its data (DATA_BYTES) on every change and every 10 s:
 *   "balloon-bare: data ok (round R)".
 */
#include "runtime.h"
#include "umbra/hypercall.h"

#define IMAGE_END 0x80400000ul	/* guest/bare/link.ld keeps the image below */
#define DATA_BYTES (4ul << 20)	/* its own data, at IMAGE_END */
#define STEP_PAGES 1024ul	/* at most 4 MiB given or taken per poll */
#define POLL_MS 50
#define SBI_TIME 0x54494D45ul

static uint64_t data_seed(uint64_t round)
{
	return 0x9e3779b97f4a7c15ul * (round + 1) | 1;
}

static void data_fill(uint64_t round)
{
	volatile uint64_t *p = (volatile uint64_t *)IMAGE_END;
	uint64_t s = data_seed(round);
	for (uint64_t i = 0; i < DATA_BYTES / 8; i++)
		p[i] = xorshift(&s) ^ i;
}

static bool data_ok(uint64_t round)
{
	volatile uint64_t *p = (volatile uint64_t *)IMAGE_END;
	uint64_t s = data_seed(round);
	for (uint64_t i = 0; i < DATA_BYTES / 8; i++)
		if (p[i] != (xorshift(&s) ^ i))
			return false;
	return true;
}

static void stop(void)
{
	for (;;)
		__asm__ volatile("wfi");
}

/*
 * Sleeps about ms milliseconds: the SBI timer wakes the WFI (sie.STIE is set,
 * sstatus.SIE is not, so no trap is taken; the next set_timer clears it).
 */
static void nap(uint64_t ms)
{
	sbi_call(SBI_TIME, 0, now() + ms * (TICKS_PER_S / 1000), 0);
	__asm__ volatile("wfi");
}

/*
 * One BALLOON call over n pages at va, repeated while umbra makes progress (a
 * call handles at most UMBRA_MAX_PAGES_PER_CALL pages).  Returns the pages
 * done; *error is the error of the call that stopped short, if any.
 */
static uint64_t balloon_call(unsigned long fn, uint64_t va, uint64_t n, long *error)
{
	uint64_t done = 0;
	*error = 0;
	while (done < n) {
		struct sbiret r = umbra_call(fn, va + done * PAGE, n - done);
		if (r.error || r.value == 0) {
			*error = r.error;
			break;
		}
		done += r.value;
	}
	return done;
}

/* The n pages below the held ones are given: their first word carries the token. */
static uint64_t give(uint64_t top, uint64_t held, uint64_t n, uint64_t token)
{
	uint64_t va = top - (held + n) * PAGE;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t page = va + i * PAGE;
		*(volatile uint64_t *)page = token ^ (page / PAGE);
	}
	fence();
	long error;
	uint64_t taken = balloon_call(UMBRA_FN_BALLOON_GIVE, va, n, &error);
	if (taken < n) {
		kprintf("balloon-bare: umbra took %lu of %lu pages at %lx (error %ld)\n", taken, n, va,
			error);
		/* keep the balloon contiguous below top: give the taken ones back */
		balloon_call(UMBRA_FN_BALLOON_TAKE, va, taken, &error);
		return 0;
	}
	return taken;
}

/* Takes n of the held pages back; they must read as zero. */
static bool take(uint64_t top, uint64_t held, uint64_t n)
{
	uint64_t va = top - held * PAGE;
	long error;
	uint64_t back = balloon_call(UMBRA_FN_BALLOON_TAKE, va, n, &error);
	if (back < n) {
		kprintf("balloon-bare: FAIL TAKE gave back %lu of %lu pages at %lx: error %ld\n", back,
			n, va, error);
		return false;
	}
	for (uint64_t i = 0; i < n; i++) {
		volatile uint64_t *p = (volatile uint64_t *)(va + i * PAGE);
		for (uint64_t w = 0; w < PAGE / 8; w++)
			if (p[w]) {
				kprintf("balloon-bare: FAIL page %lx came back unscrubbed (word %lu = %lx)\n",
					va + i * PAGE, w, p[w]);
				return false;
			}
	}
	return true;
}

int main(unsigned long hart, unsigned long dtb);
int main(unsigned long hart, unsigned long dtb)
{
	(void)hart;
	struct sbiret probe = umbra_call(UMBRA_FN_PROBE, 0, 0);
	if (probe.error || !(probe.value & UMBRA_FEAT_BALLOON_APP)) {
		kputs("balloon-bare: no umbra balloon here\n");
		stop();
	}
	uint64_t token = umbra_call(UMBRA_FN_BALLOON_TOKEN, 0, 0).value;
	/* The pool: from the data's end up to the MiB that holds the device tree. */
	uint64_t bottom = IMAGE_END + DATA_BYTES, top = dtb & ~((1ul << 20) - 1);
	uint64_t pool = top > bottom ? (top - bottom) / PAGE : 0;
	uint64_t held = 0, round = 0, last_check = now();
	data_fill(round);
	__asm__ volatile("csrs sie, %0" ::"r"(1ul << 5));
	kprintf("balloon-bare: running, pool %lu pages\n", pool);
	for (;;) {
		uint64_t target = umbra_call(UMBRA_FN_BALLOON_TARGET, 0, 0).value;
		if (target > pool)
			target = pool;
		uint64_t was = held;
		if (target > held) {
			uint64_t n = target - held < STEP_PAGES ? target - held : STEP_PAGES;
			held += give(top, held, n, token);
		} else if (target < held) {
			uint64_t n = held - target < STEP_PAGES ? held - target : STEP_PAGES;
			if (!take(top, held, n))
				stop();
			held -= n;
		}
		if (held != was)
			kprintf("balloon-bare: holding %lu pages (target %lu)\n", held, target);
		if ((held != was && held == target) || now() - last_check >= 10 * TICKS_PER_S) {
			if (!data_ok(round)) {
				kprintf("balloon-bare: FAIL data changed (round %lu)\n", round);
				stop();
			}
			data_fill(++round);
			kprintf("balloon-bare: data ok (round %lu)\n", round);
			last_check = now();
		}
		if (held == was || held == target)
			nap(POLL_MS);
	}
}
