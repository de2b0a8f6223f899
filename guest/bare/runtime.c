/*
 * runtime.c - see runtime.h.
 */
#include "runtime.h"

#include <stdarg.h>

#include "umbra/hypercall.h"

#define UART 0x10000000ul
#define UART_LSR 5
#define LSR_THRE 0x20

unsigned checks_passed, checks_failed;
volatile uint64_t fix_pc, probe_cause;
volatile bool probe_trapped;
void (*on_unexpected_trap)(void);
void (*on_interrupt)(uint64_t cause);

void *memset(void *d, int c, size_t n)
{
	volatile uint8_t *p = d;
	while (n--)
		*p++ = (uint8_t)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	volatile uint8_t *p = d;
	const uint8_t *q = s;
	while (n--)
		*p++ = *q++;
	return d;
}

static void putc_uart(char c)
{
	volatile uint8_t *u = (volatile uint8_t *)UART;
	while (!(u[UART_LSR] & LSR_THRE))
		;
	u[0] = (uint8_t)c;
}

void kputs(const char *s)
{
	while (*s)
		putc_uart(*s++);
}

static void put_num(uint64_t v, unsigned base, bool negative)
{
	char buf[24];
	int n = 0;
	do {
		unsigned d = (unsigned)(v % base);
		buf[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v);
	if (negative)
		putc_uart('-');
	while (n)
		putc_uart(buf[--n]);
}

static void vkprintf(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			putc_uart(*fmt);
			continue;
		}
		bool lng = false;
		if (*++fmt == 'l') {
			lng = true;
			fmt++;
		}
		switch (*fmt) {
		case 's':
			kputs(va_arg(ap, const char *));
			break;
		case 'c':
			putc_uart((char)va_arg(ap, int));
			break;
		case 'd': {
			long v = lng ? va_arg(ap, long) : va_arg(ap, int);
			put_num(v < 0 ? 0 - (uint64_t)v : (uint64_t)v, 10, v < 0);
			break;
		}
		case 'u':
			put_num(lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 10, false);
			break;
		case 'x':
			put_num(lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 16, false);
			break;
		case '%':
			putc_uart('%');
			break;
		default:
			return;
		}
	}
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vkprintf(fmt, ap);
	va_end(ap);
}

uint64_t now(void)
{
	uint64_t t;
	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

void delay_ms(uint64_t ms)
{
	uint64_t end = now() + ms * (TICKS_PER_S / 1000);
	while (now() < end)
		;
}

struct sbiret sbi_call(unsigned long eid, unsigned long fid, unsigned long a0, unsigned long a1)
{
	register unsigned long r0 __asm__("a0") = a0;
	register unsigned long r1 __asm__("a1") = a1;
	register unsigned long r6 __asm__("a6") = fid;
	register unsigned long r7 __asm__("a7") = eid;
	__asm__ volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r6), "r"(r7) : "memory");
	return (struct sbiret){(long)r0, r1};
}

struct sbiret umbra_call(unsigned long fn, unsigned long a0, unsigned long a1)
{
	return sbi_call(UMBRA_EID, fn, a0, a1);
}

bool check(bool ok, const char *what)
{
	if (ok) {
		checks_passed++;
		kprintf("PASS %s\n", what);
	} else {
		checks_failed++;
		kprintf("FAIL %s\n", what);
	}
	return ok;
}

bool checkf(bool ok, const char *what, const char *fmt, ...)
{
	va_list ap;
	if (ok) {
		checks_passed++;
		kprintf("PASS %s\n", what);
		return true;
	}
	checks_failed++;
	kprintf("FAIL %s: ", what);
	va_start(ap, fmt);
	vkprintf(fmt, ap);
	va_end(ap);
	kputs("\n");
	return false;
}

uint64_t s_trap(uint64_t cause, uint64_t tval, uint64_t epc);
uint64_t s_trap(uint64_t cause, uint64_t tval, uint64_t epc)
{
	if (!(cause >> 63) && fix_pc) {
		uint64_t to = fix_pc;
		fix_pc = 0;
		probe_cause = cause;
		probe_trapped = true;
		__asm__ volatile("csrs sstatus, %0" ::"r"(1ul << 8)); /* resume in S-mode */
		return to;
	}
	if ((cause >> 63) && on_interrupt) {
		on_interrupt(cause << 1 >> 1);
		return epc;
	}
	checks_failed++;
	kprintf("FAIL unexpected trap: scause %lx stval %lx sepc %lx\n", cause, tval, epc);
	if (on_unexpected_trap)
		on_unexpected_trap();
	for (;;)
		; /* spin: a hart in WFI with nothing to wake it would stop the VM */
}

uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}
