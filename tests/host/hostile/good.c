/*
 * good.c - the well-behaved VM beside the hostile one: it keeps 26 MiB of
 * data in RAM and checks it round after round for GOOD_SECONDS, each round
 * verifying the data the previous round wrote (it lay in RAM meanwhile,
 * while the hostile VM attacked umbra) and writing new data.  Then it
 * prints "GOOD: PASS n rounds" (or "GOOD: FAIL ...") and idles.
 */
#include "runtime.h"

#define DATA 0x80400000ul
#define DATA_WORDS ((0x81e00000ul - DATA) / 8)
#define GOOD_SECONDS 20

static uint64_t seed_of(uint64_t round)
{
	return 0x9e3779b97f4a7c15ul * (round + 1) | 1;
}

static void fill(uint64_t round)
{
	volatile uint64_t *p = (volatile uint64_t *)DATA;
	uint64_t s = seed_of(round);
	for (uint64_t i = 0; i < DATA_WORDS; i++)
		p[i] = xorshift(&s) ^ i;
}

/* The index of the first word that does not hold round's data, or DATA_WORDS. */
static uint64_t verify(uint64_t round)
{
	volatile uint64_t *p = (volatile uint64_t *)DATA;
	uint64_t s = seed_of(round);
	for (uint64_t i = 0; i < DATA_WORDS; i++)
		if (p[i] != (xorshift(&s) ^ i))
			return i;
	return DATA_WORDS;
}

static void idle(void)
{
	__asm__ volatile("csrs sie, %0" ::"r"(1ul << 5)); /* STIE: the timer wakes WFI */
	for (;;) {
		sbi_call(0x54494D45, 0, now() + TICKS_PER_S, 0); /* TIME: set_timer */
		__asm__ volatile("wfi");
	}
}

int main(void);
int main(void)
{
	uint64_t start = now(), round = 0;
	kputs("good: start\n");
	fill(0);
	for (;;) {
		uint64_t bad = verify(round);
		if (bad != DATA_WORDS) {
			kprintf("GOOD: FAIL round %lu: word at %lx changed\n", round, DATA + bad * 8);
			idle();
		}
		round++;
		fill(round);
		if (round % 10 == 0)
			kprintf("good: round %lu ok\n", round);
		if (now() - start >= GOOD_SECONDS * TICKS_PER_S && round >= 3)
			break;
	}
	if (verify(round) != DATA_WORDS) {
		kprintf("GOOD: FAIL after round %lu\n", round);
		idle();
	}
	kprintf("GOOD: PASS %lu rounds\n", round);
	idle();
	return 0;
}
