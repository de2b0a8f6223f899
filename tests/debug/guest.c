/*
 * The guest tests/debug/gdb.sh debugs: M-mode code (compute, add), then
 * S-mode with Sv39 paging (paged).  It powers off with a code that depends
 * on what the debugger changed: 32 untouched, 130 after data[1] = 100, one
 * more for every unit added to `secret` through its virtual alias.
 */
#define SYSCON ((volatile unsigned int *)0x100000)
#define SECRET 0x5ec7e7ul
#define ALIAS_OFFSET 0x40000000ul /* VA 0xc0000000 maps PA 0x80000000 */

volatile unsigned long data[4] = {1, 2, 3, 4};
volatile unsigned long spin, counter; /* the debugger sets spin to test Ctrl-C */
volatile unsigned long secret = SECRET;
unsigned long result;
unsigned long pt_root[512] __attribute__((aligned(4096)));

void main(void);

__attribute__((noinline)) unsigned long compute(unsigned long x)
{
	return x * 3 + data[0];
}

__attribute__((noinline)) unsigned long add(unsigned long sum, unsigned long i)
{
	return sum + data[i];
}

__attribute__((noinline)) unsigned long paged(volatile unsigned long *alias)
{
	return *alias;
}

__attribute__((noreturn)) static void finish(unsigned long code)
{
	code &= 0xff;
	*SYSCON = code ? (unsigned)(code << 16) | 0x3333 : 0x5555;
	for (;;)
		;
}

static void s_main(void)
{
	unsigned long v = paged((volatile unsigned long *)((unsigned long)&secret + ALIAS_OFFSET));
	finish(result + v - SECRET);
}

void main(void)
{
	unsigned long sum = compute(7);
	while (spin)
		counter++;
	for (unsigned long i = 0; i < 4; i++)
		sum = add(sum, i);
	result = sum;
	/* Sv39: gigapages 0 (devices) and 2 (RAM) map themselves, 3 is an alias of 2. */
	pt_root[0] = 0xcf; /* V R W X A D */
	pt_root[2] = (0x80000000ul >> 12) << 10 | 0xcf;
	pt_root[3] = (0x80000000ul >> 12) << 10 | 0xcf;
	unsigned long satp = 8ul << 60 | (unsigned long)pt_root >> 12, ms;
	asm volatile("csrw pmpaddr0, %0; csrw pmpcfg0, %1" : : "r"(-1ul), "r"(0x1ful));
	asm volatile("csrw satp, %0; sfence.vma" : : "r"(satp));
	asm volatile("csrr %0, mstatus" : "=r"(ms));
	ms = (ms & ~(3ul << 11)) | 1ul << 11; /* mret to S-mode */
	asm volatile("csrw mstatus, %0; csrw mepc, %1; mret" : : "r"(ms), "r"(s_main));
	for (;;)
		;
}
