/*
 * kern.h - the framework of the protection test kernels (tests/protect/).
 *
 * A test kernel runs in S-mode (umbra's built-in SBI starts it), builds Sv39
 * address spaces and runs user "programs" in them: a user program is a stub
 * of user.S or a C function of uprog.c, entered with chosen registers and
 * run until it ends (an ecall with a7 = SYS_DONE), exits (exit_group, as an
 * upcall's EXIT disposition makes it) or traps.  The kernel itself reaches
 * memory through probes that survive access faults (kprobe()).
 *
 * Every address space maps (see new_space()):
 *   0x00000000-0x3fffffff  devices, S-only RW (1 GiB page)
 *   0x80000000-0xbfffffff  RAM, S-only RWX (2 MiB pages), except
 *   0x80200000-0x803fffff  the user region, U|RWX (link.ld)
 * and test mappings (4 KiB pages) from 0x40000000 up.
 *
 * Checks: CHECK(got, exp, "name fmt", ...) prints "FAIL <line> [section]
 * name: expected 0x.. got 0x.." when they differ; kmain returns and the
 * closing line "protect: N checks, M failed" is printed by the framework.
 */
#ifndef UMBRA_PROTECT_KERN_H
#define UMBRA_PROTECT_KERN_H

#include <stdarg.h>
#include <stdint.h>

#include "umbra/hypercall.h"

/* ---- machine ---------------------------------------------------------- */
#define UART_BASE 0x10000000ul
#define TESTDEV_BASE 0x100000ul
#define VIRTIO_BASE 0x10001000ul
#define USER_REGION 0x80200000ul
#define POOL_BASE 0x80c00000ul
#define POOL_END 0x83c00000ul
#define PAGE 4096ul
#define MEGA (2ul << 20)

/* ---- traps ------------------------------------------------------------- */
#define CAUSE_FETCH_ACCESS 1
#define CAUSE_ILLEGAL 2
#define CAUSE_LOAD_ACCESS 5
#define CAUSE_STORE_ACCESS 7
#define CAUSE_ECALL_U 8
#define CAUSE_FETCH_PAGE 12
#define CAUSE_LOAD_PAGE 13
#define CAUSE_STORE_PAGE 15
#define NOFAULT (~0ul)

#define SSTATUS_SUM (1ul << 18)

/* user-program ecalls (a7) the kernel understands */
#define SYS_EXIT_GROUP 94        /* what UMBRA_UPCALL_EXIT turns UPCALL_RETURN into */
#define SYS_DONE 0x5d0e          /* the program ended: results in a0, a1 */
#define SYS_HRET_FAILED 0x5d0f   /* the upcall handler's UPCALL_RETURN returned */

/* ---- page tables -------------------------------------------------------- */
#define PTE_V (1ul << 0)
#define PTE_R (1ul << 1)
#define PTE_W (1ul << 2)
#define PTE_X (1ul << 3)
#define PTE_U (1ul << 4)
#define PTE_A (1ul << 6)
#define PTE_D (1ul << 7)
#define PTE_URWX (PTE_U | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)
#define PTE_URW (PTE_U | PTE_R | PTE_W | PTE_A | PTE_D)

typedef uint64_t pte_t;

struct space {
	pte_t *root;
	uint64_t satp;
	uint64_t stack_top; /* its user stack (in the user region) */
	const char *name;
};

/* ---- user programs -------------------------------------------------------- */
struct uctx {
	uint64_t x[32];      /* user registers; x[0] unused */
	uint64_t pc;
	uint64_t cause;      /* scause of the trap that ended the run */
	uint64_t tval;
	uint64_t k[16];      /* the kernel's sp, ra, s0-s11, gp, tp */
};

/* how a run ended (besides a fault cause < 64) */
#define RUN_DONE 100
#define RUN_EXIT 101       /* exit_group(a0) */
#define RUN_HRET_FAILED 102
#define RUN_BADCALL 103    /* an ecall the kernel does not know */

/* the upcall mailbox (user.S): what u_handler saw and what it must do */
struct mbox {
	uint64_t addr, access, env, tag, pc;        /* a0-a4 at entry */
	uint64_t sp, s2, ra, gp, tp;                /* registers at entry */
	uint64_t count;                             /* entries */
	uint64_t disp, code;                        /* for UPCALL_RETURN */
	uint64_t unprot;                            /* unprotect the page first? */
	uint64_t unprot_err, ret_err;
};
extern struct mbox mbox;

/* user.S stubs (user addresses are their link addresses) */
extern char u_ld[], u_ld_insn[], u_ldc[], u_ldc_insn[], u_sd[], u_sd_insn[], u_amo[],
	u_exec[], u_hcall[], u_call[], u_handler[];

extern struct uctx uc;
extern uint64_t hypercall_leaks; /* UMBRA_EID ecalls that reached this kernel */

/* register values every run starts with (except sp and the arguments) */
#define REGPAT(i) (0x7e57000000000000ul | (uint64_t)(i) << 16 | (uint64_t)(i))

void uprep(struct space *s);                     /* uc = REGPAT, sp = s's stack */
uint64_t ugo(struct space *s, uint64_t pc);      /* run uc from pc: RUN_* or the cause */

/* a hypercall from a user program in s: error and value */
struct hret {
	long error;
	uint64_t value;
	uint64_t run; /* how the program ended (RUN_DONE expected) */
};
struct hret uhc(struct space *s, unsigned long fn, uint64_t a0, uint64_t a1, uint64_t a2,
		uint64_t a3);
/* a hypercall from this kernel (S-mode) */
struct hret khc(unsigned long fn, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);
/* a C function of uprog.c run as a user program: fn(a0, a1, a2, a3) -> a0 */
uint64_t ucall(struct space *s, void *fn, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);

/* ---- accesses ------------------------------------------------------------- */
enum op { OP_R, OP_W, OP_X, OP_AMO };
struct pr {
	uint64_t value;   /* loaded value (R, AMO), stub result (X) */
	uint64_t cause;   /* NOFAULT or the trap cause */
	uint64_t tval;
};
#define PROBE_SENTINEL 0x5e5e5e5e5e5e5e5eul
/* an access by this kernel (S-mode); faults are caught */
struct pr kprobe(enum op op, uint64_t addr, uint64_t val);
/* an access by a user program in s */
struct pr uprobe(struct space *s, enum op op, uint64_t va, uint64_t val);

/* ---- memory --------------------------------------------------------------- */
void *alloc_page(void);             /* zeroed pool page (physical = kernel address) */
void *alloc_pages(unsigned n);      /* n contiguous */
void pool_reset_to(void *mark);
void *pool_mark(void);
void space_init(struct space *s, const char *name, uint64_t stack_top);
volatile pte_t *pte_slot(struct space *s, uint64_t va, int level);
void map(struct space *s, uint64_t va, uint64_t pa, uint64_t flags);        /* 4 KiB */
void map_mega(struct space *s, uint64_t va, uint64_t pa, uint64_t flags);   /* 2 MiB */
void unmap(struct space *s, uint64_t va);
void use_space(struct space *s);    /* satp := s, sfence.vma */
void flush_tlb(void);
void fence_i(void);
static inline uint64_t pa_of(const volatile void *p) { return (uint64_t)(uintptr_t)p; }
static inline uint64_t leaf(uint64_t pa, uint64_t flags) { return (pa >> 12) << 10 | flags | PTE_V; }

/* ---- checks and output ------------------------------------------------------ */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void section(const char *name);
int check(int line, uint64_t got, uint64_t exp, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
#define CHECK(got, exp, ...) check(__LINE__, (uint64_t)(got), (uint64_t)(exp), __VA_ARGS__)
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern unsigned checks_run, checks_failed;
__attribute__((noreturn)) void kexit(int failed);
uint64_t rdtime(void);

/* ---- virtio-blk (slot 0, polled) ----------------------------------------------- */
int vblk_init(void);                            /* 0, or -1 (no disk): note printed */
/* one request of len bytes (multiple of 512) at guest-physical pa; returns the
 * status byte (0 OK, 1 IOERR, 2 UNSUPP) or -1 on timeout */
int vblk_rw(int write, uint64_t sector, uint64_t pa, uint32_t len);

/* provided by each test kernel */
void kmain(void);

#endif
