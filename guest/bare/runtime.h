/*
 * runtime.h - the runtime of umbra's bare-metal S-mode guests (built-in SBI):
 * the UART, printing, the clock, SBI and umbra hypercalls, traps and probes.
 */
#ifndef UMBRA_BARE_RUNTIME_H
#define UMBRA_BARE_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RAM_BASE 0x80000000ul
#define PAGE 4096ul
#define TICKS_PER_S 10000000ul	/* the virt machine's 10 MHz timebase */

void kputs(const char *s);
/* %s %c %d %u %x, and with l: %ld %lu %lx.  Nothing else. */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

uint64_t now(void);
void delay_ms(uint64_t ms);

struct sbiret {
	long error;
	unsigned long value;
};
struct sbiret sbi_call(unsigned long eid, unsigned long fid, unsigned long a0, unsigned long a1);
/* An umbra hypercall: (error, value) as include/umbra/hypercall.h says. */
struct sbiret umbra_call(unsigned long fn, unsigned long a0, unsigned long a1);

/* The guest's own checks: one line each, "PASS what" or "FAIL what: why". */
extern unsigned checks_passed, checks_failed;
bool check(bool ok, const char *what);
bool checkf(bool ok, const char *what, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Traps: a probe (start.S) that faulted sets probe_trapped and probe_cause. */
extern volatile uint64_t fix_pc, probe_cause;
extern volatile bool probe_trapped;
uint64_t probe_ld(uint64_t addr);
uint64_t probe_call(uint64_t (*fn)(void));
/*
 * A probe resumes in S-mode, also when the fault came from U-mode.  An
 * unexpected trap prints itself and counts as a failed check; then
 * on_unexpected_trap runs.  Interrupts go to on_interrupt(code) if set.
 */
extern void (*on_unexpected_trap)(void);
extern void (*on_interrupt)(uint64_t code);

uint64_t xorshift(uint64_t *s);

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);

static inline void fence(void)
{
	__asm__ volatile("fence" ::: "memory");
}

#endif
