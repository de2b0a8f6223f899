/* umbra bench, bare metal: runs one workload (chosen at build time) in M-mode without paging,
 * or (PAGED=1) in S-mode under Sv39 with 4 KiB pages, and reports
 *     BENCH <workload> setup=<ticks> ticks=<ticks> check=<hex>
 * where ticks are rdtime deltas (10 MHz on virt).  Then it powers off through the
 * sifive,test device at 0x100000.
 *
 * Build-time parameters: WORKLOAD (1 intmix, 2 calls, 3 chase), PAGED (0/1), INTMIX_ITERS,
 * FIB_N, CHASE_MIB, CHASE_STEPS. */
#include <stddef.h>
#include <stdint.h>

#include "../common/work.h"

#ifndef WORKLOAD
#error "WORKLOAD must be defined (1 intmix, 2 calls, 3 chase)"
#endif
#ifndef PAGED
#define PAGED 0
#endif
#ifndef INTMIX_ITERS
#define INTMIX_ITERS 1000
#endif
#ifndef FIB_N
#define FIB_N 20
#endif
#ifndef CHASE_MIB
#define CHASE_MIB 8
#endif
#ifndef CHASE_STEPS
#define CHASE_STEPS 1000000
#endif

#define UART_BASE 0x10000000ul
#define TEST_BASE 0x00100000ul
#define CLINT_BASE 0x02000000ul
#define RAM_BASE 0x80000000ul

extern char __heap_start[];
void enter_smode(void (*fn)(void), uint64_t satp) __attribute__((noreturn));
void bench_main(void) __attribute__((noreturn));
void bench_trap(uint64_t cause, uint64_t epc, uint64_t tval, uint64_t status) __attribute__((noreturn));

/* ---- the bits of libc the compiler may call ------------------------------------------------- */

void *memset(void *d, int c, size_t n)
{
    uint8_t *p = d;
    while (n--)
        *p++ = (uint8_t)c;
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    uint8_t *p = d;
    const uint8_t *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}

/* ---- console and exit ------------------------------------------------------------------------ */

static void putc_(char c)
{
    volatile uint8_t *uart = (volatile uint8_t *)UART_BASE;
    while ((uart[5] & 0x20) == 0) /* LSR.THRE */
        ;
    uart[0] = (uint8_t)c;
}

static void puts_(const char *s)
{
    while (*s) {
        if (*s == '\n')
            putc_('\r');
        putc_(*s++);
    }
}

static void putu(uint64_t v)
{
    char b[24];
    int i = 0;
    do {
        b[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (i)
        putc_(b[--i]);
}

static void putx(uint64_t v)
{
    puts_("0x");
    for (int s = 60; s >= 0; s -= 4)
        putc_("0123456789abcdef"[(v >> s) & 15]);
}

static void __attribute__((noreturn)) power_off(uint32_t code)
{
    volatile uint32_t *test = (volatile uint32_t *)TEST_BASE;
    *test = code == 0 ? 0x5555u : (code << 16) | 0x3333u;
    for (;;)
        __asm__ volatile("wfi");
}

void bench_trap(uint64_t cause, uint64_t epc, uint64_t tval, uint64_t status)
{
    puts_("BENCH-TRAP mcause=");
    putx(cause);
    puts_(" mepc=");
    putx(epc);
    puts_(" mtval=");
    putx(tval);
    puts_(" mstatus=");
    putx(status);
    puts_("\n");
    power_off(3);
}

static inline uint64_t rdtime(void)
{
    uint64_t t;
    __asm__ volatile("rdtime %0" : "=r"(t));
    return t;
}

/* ---- the workload ------------------------------------------------------------------------------ */

static const char *const names[] = { "?", "intmix", "calls", "chase" };

static void __attribute__((noreturn)) run_workload(void)
{
    uint64_t t0 = rdtime(), t1 = t0, t2, check;
#if WORKLOAD == 1
    check = intmix_run(INTMIX_ITERS);
#elif WORKLOAD == 2
    check = calls_run(FIB_N);
#elif WORKLOAD == 3
    uint64_t *buf = (uint64_t *)__heap_start;
    uint64_t n = ((uint64_t)CHASE_MIB << 20) / sizeof(uint64_t);
    chase_build(buf, n, 0x9e3779b97f4a7c15ull);
    t1 = rdtime();
    check = chase_run(buf, CHASE_STEPS);
#else
#error "unknown WORKLOAD"
#endif
    t2 = rdtime();
    puts_("BENCH ");
    puts_(names[WORKLOAD]);
    puts_(" setup=");
    putu(t1 - t0);
    puts_(" ticks=");
    putu(t2 - t1);
    puts_(" check=");
    putx(check);
    puts_("\n");
    power_off(0);
}

/* ---- Sv39 ------------------------------------------------------------------------------------- */

#if PAGED
#define PTE_V (1u << 0)
#define PTE_R (1u << 1)
#define PTE_W (1u << 2)
#define PTE_X (1u << 3)
#define PTE_A (1u << 6)
#define PTE_D (1u << 7)
#define LEAF (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)

/* RAM mapped with 4 KiB pages: the image plus the heap plus some slack. */
#define MAP_BYTES (((uint64_t)CHASE_MIB << 20) + (8ul << 20))
#define L0_TABLES ((MAP_BYTES + (2ul << 20) - 1) / (2ul << 20))

static uint64_t root[512] __attribute__((aligned(4096)));
static uint64_t l1_io[512] __attribute__((aligned(4096)));
static uint64_t l1_ram[512] __attribute__((aligned(4096)));
static uint64_t l0_ram[L0_TABLES][512] __attribute__((aligned(4096)));

static uint64_t table_pte(const void *next) { return ((uint64_t)(uintptr_t)next >> 12) << 10 | PTE_V; }
static uint64_t leaf_pte(uint64_t pa) { return (pa >> 12) << 10 | LEAF; }

static uint64_t build_sv39(void)
{
    /* MMIO (test device, CLINT, UART) as 2 MiB megapages in the first GiB, identity */
    root[0] = table_pte(l1_io);
    l1_io[TEST_BASE >> 21] = leaf_pte(TEST_BASE & ~((2ul << 20) - 1));
    l1_io[CLINT_BASE >> 21] = leaf_pte(CLINT_BASE);
    l1_io[UART_BASE >> 21] = leaf_pte(UART_BASE);
    /* RAM from 0x80000000, identity, 4 KiB pages */
    root[RAM_BASE >> 30] = table_pte(l1_ram);
    for (uint64_t t = 0; t < L0_TABLES; t++) {
        l1_ram[t] = table_pte(l0_ram[t]);
        for (uint64_t i = 0; i < 512; i++)
            l0_ram[t][i] = leaf_pte(RAM_BASE + (t * 512 + i) * 4096);
    }
    return (8ull << 60) | ((uint64_t)(uintptr_t)root >> 12);
}
#endif

void bench_main(void)
{
#if PAGED
    /* S-mode needs a PMP entry to touch memory at all (QEMU enforces this): allow everything.
     * Counters readable from S-mode. */
    __asm__ volatile("csrw pmpaddr0, %0" ::"r"(~0ull >> 10));
    __asm__ volatile("csrw pmpcfg0, %0" ::"r"(0x1full)); /* NAPOT, RWX */
    __asm__ volatile("csrw mcounteren, %0" ::"r"(7ull));
    enter_smode(run_workload, build_sv39());
#else
    run_workload();
#endif
}
