/*
 * storm.c - a bare-metal S-mode guest that storms itself with timer
 * interrupts for ever (each one re-arms the timer in the past), for
 * tests/host/faults.sh.  It prints "storm: N" every 100,000 interrupts.
 */
#include "runtime.h"

static volatile uint64_t irqs;

static void again(uint64_t code)
{
	(void)code;
	if (++irqs % 100000 == 0)
		kprintf("storm: %lu\n", irqs);
	sbi_call(0x54494D45, 0, 0, 0); /* set_timer(0): pending again at once */
}

int main(void);
int main(void)
{
	on_interrupt = again;
	kputs("storm: start\n");
	__asm__ volatile("csrs sie, %0" ::"r"(1ul << 5));
	sbi_call(0x54494D45, 0, 0, 0);
	__asm__ volatile("csrs sstatus, %0" ::"r"(2ul));
	for (;;)
		;
}
