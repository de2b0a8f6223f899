/*
 * hart.h - the architectural state of one RISC-V hart and how to run it.
 *
 * Contract: a hart belongs to one VM and is only touched from that VM's
 * thread.  It reaches memory through the software TLB (mmu.h), MMIO through
 * env.bus, and everything above the CPU layer (time, the built-in firmware)
 * through the callbacks in struct hart_env, registered when the machine is
 * built.  Guest faults are data: an instruction that faults calls
 * hart_trap() and the interpreter moves on to the trap handler.
 */
#ifndef UMBRA_CPU_HART_H
#define UMBRA_CPU_HART_H

#include "base/base.h"
#include "dev/bus.h"
#include "mem/pmap.h"

enum { PRV_U = 0, PRV_S = 1, PRV_M = 3 };

/* Exception causes (mcause with interrupt bit clear). */
enum {
	EXC_INSN_MISALIGNED = 0, EXC_INSN_ACCESS = 1, EXC_ILLEGAL = 2, EXC_BREAKPOINT = 3,
	EXC_LOAD_MISALIGNED = 4, EXC_LOAD_ACCESS = 5, EXC_STORE_MISALIGNED = 6,
	EXC_STORE_ACCESS = 7, EXC_ECALL_U = 8, EXC_ECALL_S = 9, EXC_ECALL_M = 11,
	EXC_INSN_PAGE = 12, EXC_LOAD_PAGE = 13, EXC_STORE_PAGE = 15,
};

/* Interrupt numbers (bit positions in mip/mie). */
enum { IRQ_SSI = 1, IRQ_MSI = 3, IRQ_STI = 5, IRQ_MTI = 7, IRQ_SEI = 9, IRQ_MEI = 11 };
#define MIP_SSIP (1ull << IRQ_SSI)
#define MIP_MSIP (1ull << IRQ_MSI)
#define MIP_STIP (1ull << IRQ_STI)
#define MIP_MTIP (1ull << IRQ_MTI)
#define MIP_SEIP (1ull << IRQ_SEI)
#define MIP_MEIP (1ull << IRQ_MEI)

/* mstatus fields. */
#define MSTATUS_SIE (1ull << 1)
#define MSTATUS_MIE (1ull << 3)
#define MSTATUS_SPIE (1ull << 5)
#define MSTATUS_UBE (1ull << 6)
#define MSTATUS_MPIE (1ull << 7)
#define MSTATUS_SPP (1ull << 8)
#define MSTATUS_MPP (3ull << 11)
#define MSTATUS_FS (3ull << 13)
#define MSTATUS_XS (3ull << 15)
#define MSTATUS_MPRV (1ull << 17)
#define MSTATUS_SUM (1ull << 18)
#define MSTATUS_MXR (1ull << 19)
#define MSTATUS_TVM (1ull << 20)
#define MSTATUS_TW (1ull << 21)
#define MSTATUS_TSR (1ull << 22)
#define MSTATUS_UXL (3ull << 32)
#define MSTATUS_SXL (3ull << 34)
#define MSTATUS_SD (1ull << 63)

/*
 * The software TLB.  A hit is: index by virtual page number, compare the
 * tag for the access type, add the addend.  A tag holds the page's virtual
 * address when that access is allowed and TLB_INVALID otherwise, so MMIO,
 * read-only (D bit clear) and any page the hypervisor wants to see first
 * simply miss.  Tables are per translation context (privilege used for the
 * access, and for S-mode data accesses whether mstatus.SUM lets them reach
 * user pages) and per view, so switching either changes a pointer: a kernel
 * that sets SUM around every copy from or to user memory flushes nothing.
 *
 * A table has 16,384 entries (64 MiB of 4 KiB pages), so that a large working
 * set does not pay a page walk per access.  So that a flush need not store to
 * all of them (512 KiB), each table logs the indexes it filled since it was
 * last cleared and a flush clears only those, unless more than TLB_LOG were
 * filled.  A table is cleared the first time it is selected,
 * so a hart's memory is touched only for the tables it uses.
 */
#define TLB_BITS 14
#define TLB_SIZE (1u << TLB_BITS)
#define TLB_INVALID (~(uint64_t)0)
#define TLB_LOG 256
#define TLB_UNCLEARED UINT32_MAX /* nfill of a table never cleared: any content */

struct tlb_entry {
	uint64_t tag_r, tag_w, tag_x;
	uintptr_t addend; /* host address = guest virtual + addend */
};

enum { TLB_CTX_M, TLB_CTX_S, TLB_CTX_S_SUM, TLB_CTX_U, TLB_NCTX };
/* View 0 is the system's; views 1..NVIEWS-1 belong to cloaked domains (mem/cloak.h). */
enum { VIEW_SYSTEM, NVIEWS = 5 };

struct tlb {
	struct tlb_entry e[TLB_SIZE]; /* first: native code indexes the table from its start */
	uint32_t nfill;               /* fills since the last clear; > TLB_LOG: log incomplete */
	uint16_t fill[TLB_LOG];       /* the indexes of the first TLB_LOG of them */
};
_Static_assert(TLB_SIZE <= 65536, "fill[] holds an index in 16 bits");

/* Logs the fill of entry e of t (which the flush then clears). */
static inline void tlb_logged_fill(struct tlb *t, const struct tlb_entry *e)
{
	if (t->nfill < TLB_LOG)
		t->fill[t->nfill] = (uint16_t)(e - t->e);
	if (t->nfill <= TLB_LOG)
		t->nfill++;
}

struct hart;

/* Access rights as the fill path passes them around (the PTE bit positions). */
#define PERM_R (1u << 1)
#define PERM_W (1u << 2)
#define PERM_X (1u << 3)
#define PERM_NOCACHE (1u << 10) /* do not enter the translation in the TLB */

/* Verdicts of hart_env.prot_check, and its access kind for AMOs and SC. */
enum { PROT_OK, PROT_FAULT, PROT_SILENT, PROT_TAKEN };
#define PROT_ACC_RMW 3

/* What the CPU needs from the layers above it. */
struct hart_env {
	struct pmap *mem;
	struct bus *bus;
	void *opaque;
	/* Current value of mtime (ticks of the 10 MHz timebase). */
	uint64_t (*mtime)(void *opaque);
	/* Built-in firmware: handle an ecall from S/U mode instead of trapping.
	 * Returns true if handled (registers updated, pc not yet advanced). */
	bool (*ecall)(void *opaque, struct hart *h);
	/* A trap would enter M-mode while the built-in firmware owns it. */
	void (*m_trap)(void *opaque, struct hart *h, uint64_t cause, uint64_t tval);
	/* umbra's own hypercall (a7 = UMBRA_EID) from U- or S-mode: returns
	 * HC_DONE (pc moves on), HC_REDIRECT (the handler set the pc) or
	 * HC_DELIVER (deliver the ecall to the guest kernel after all). */
	int (*hypercall)(void *opaque, struct hart *h);
	/*
	 * Called by the fill path, while h->prot_on, for every RAM translation
	 * about to be used (acc: 0 read, 1 write, 2 fetch, 3 read-modify-write; priv: the privilege
	 * of the access).  Returns PROT_OK with *perm (PERM_* bits) reduced to
	 * what may be cached, PROT_FAULT (raise the access fault), PROT_SILENT
	 * (reads see zeros, writes vanish) or PROT_TAKEN (the hook redirected
	 * or stopped the hart; the access does not happen).
	 */
	int (*prot_check)(void *opaque, struct hart *h, gva_t va, gpa_t pa, unsigned acc,
			  unsigned priv, unsigned *perm);
	/*
	 * A trap is about to leave a cloaked domain's view (h->view != 0): the
	 * hook saves and scrubs the thread's registers, points h->pc at the
	 * domain's trampoline, may scrub *tval and switches h->view back to the
	 * system's.
	 */
	void (*cloak_trap)(void *opaque, struct hart *h, bool irq, uint64_t code, uint64_t *tval);
	/* The walker is about to read (or set A/D in) a page-table entry at pa (while prot_on). */
	void (*pt_read)(void *opaque, gpa_t pa);
};

enum { HC_DONE, HC_REDIRECT, HC_DELIVER };

/* Hart power state, numbered as SBI HSM reports it. */
enum hart_state { HART_STARTED = 0, HART_STOPPED = 1, HART_START_PENDING = 2, HART_SUSPENDED = 4 };

struct bcache;

struct hart {
	uint64_t x[33]; /* x[32] absorbs the writes to x0 of decoded code */
	uint64_t pc;
	uint64_t f[32];
	unsigned priv;
	unsigned view;
	unsigned cloak_ctx;  /* the cloaked thread context running in a domain view */

	/* Current TLB tables (derived from priv, MPRV/MPP and view). */
	struct tlb *tlb_fetch;
	struct tlb *tlb_data;

	uint64_t instret; /* retired instructions; cycle == instret */

	/* CSRs */
	uint64_t mstatus, misa, medeleg, mideleg, mie, mip, mtvec, mscratch, mepc, mcause, mtval;
	uint64_t mcounteren, scounteren, mcountinhibit, menvcfg, senvcfg;
	uint64_t stvec, sscratch, sepc, scause, stval, satp;
	uint64_t pmpcfg[8], pmpaddr[64];
	bool pmp_on; /* some PMP entry is active (see mmu/pmp.h) */
	uint8_t pmp_n; /* the active entries, in priority order, decoded: */
	struct pmp_range { uint64_t lo, hi; uint8_t cfg; } pmp_act[64];
	bool prot_on; /* protections or cloaked pages exist: consult env.prot_check */
	uint32_t fflags, frm;

	/* LR/SC reservation: host address of the reserved word, 0 when none.
	 * Dropped at every trap, xRET and the end of every run slice, which is
	 * when another hart of the VM may run. */
	uintptr_t reservation;
	/* Page-walk cache: the last-level table of each cached 2 MiB region (tag
	 * va >> 21, or TLB_INVALID), dropped with the TLB. */
#define WALK_CACHE_SIZE 64
	uint64_t wc_tag[WALK_CACHE_SIZE];
	gpa_t wc_table[WALK_CACHE_SIZE];
	/* Virtual range covering every cached superpage translation (empty: lo > hi). */
	gva_t super_lo, super_hi;

	unsigned hartid;
	enum hart_state state;
	bool wfi;            /* waiting for an interrupt */
	bool builtin_fw;     /* M-mode belongs to umbra's built-in firmware */
	bool stop;           /* leave the run loop at the next instruction */
	/* mcycle/minstret = instret - base while counting, the frozen value while
	 * mcountinhibit.CY/IR stops them. */
	uint64_t cycle_base, instret_base;
	uint64_t cycle_frozen, instret_frozen;

	struct bcache *bc; /* decoded blocks; NULL: the reference interpreter alone */
	uint64_t bc_gen;   /* bumped whenever bc is flushed */
	uint64_t fencei_gen; /* bumped by fence.i (blocks.c: CODE_MIXED pages) */
	/* native code's state (blocks.c, jit.c): the budget it may still use, and
	 * the block and block pc it left in */
	int64_t jit_left;
	void *jit_block;
	uint64_t jit_bpc;
	uint64_t jit_val; /* a load's value from the slow path */

	struct hart_env env;
	/* Backing for PROT_SILENT accesses: reads see silent_zero, writes land in silent_sink. */
	uint8_t silent_zero[PAGE_SIZE], silent_sink[PAGE_SIZE];

	/* The TLBs last: hart_init() leaves them alone (hart.c clears them). */
	uint32_t tlbs_used; /* bit v * TLB_NCTX + ctx: that TLB may hold entries */
	struct tlb tlb[NVIEWS][TLB_NCTX];
};

/*
 * A hart's memory, zeroed but for the TLBs (page aligned, about 10 MiB of which
 * only the TLBs in use are ever touched), or NULL when out of memory; free() it
 * after hart_destroy().
 */
struct hart *hart_alloc(void);
/* Resets everything: h comes from hart_alloc(), or was initialized before. */
void hart_init(struct hart *h, unsigned hartid, const struct hart_env *env);
void hart_reset(struct hart *h, uint64_t pc);

/* Runs up to `budget` instructions; returns how many retired.  Returns early
 * when h->stop is set, on WFI with nothing pending, or when the hart stops. */
uint64_t hart_run(struct hart *h, uint64_t budget);
/* hart_run()'s start: takes a pending interrupt, wakes from WFI; false if the hart cannot run now. */
bool hart_run_begin(struct hart *h);

/* Decoded code: use the block engine (allocates its cache); if jit_hot > 0 and
 * the host has a code generator, a block gets native code on its jit_hot-th
 * run (1: at once).  Drop all blocks. */
int hart_enable_blocks(struct hart *h, unsigned jit_hot) MUST_CHECK;
void hart_code_flush(struct hart *h);
/* Removes write access to the host page `host_page` from every TLB entry. */
void hart_tlb_protect(struct hart *h, uintptr_t host_page);
/* Drops every TLB entry that maps the host page `host_page`, or any page in [lo, hi). */
void hart_tlb_drop(struct hart *h, uintptr_t host_page);
void hart_tlb_drop_range(struct hart *h, uintptr_t lo, uintptr_t hi);
void hart_destroy(struct hart *h);

/* Raises a synchronous exception: sets up the trap and the new pc. */
void hart_trap(struct hart *h, uint64_t cause, uint64_t tval);

/*
 * After a change of privilege or of the interrupt enables: leave the run loop
 * (where interrupts are taken) if one may be taken now.  With nothing pending
 * there is none to take; whatever becomes pending later stops the hart then.
 */
static inline void hart_recheck_irq(struct hart *h)
{
	if (h->mip & h->mie)
		h->stop = true;
}

/* Sets or clears a mip bit driven by a device (MEIP, SEIP, MTIP, MSIP). */
void hart_set_irq(struct hart *h, uint64_t mip_bit, bool level);

/* Takes a pending, enabled interrupt if there is one; returns true if taken. */
bool hart_check_irq(struct hart *h);

/* Invalidates every TLB entry of every view (sfence.vma, satp writes, ...). */
void hart_tlb_flush(struct hart *h);
/* Invalidates the entries mapping virtual page `va` in every context. */
void hart_tlb_flush_page(struct hart *h, gva_t va);
/* Recomputes tlb_fetch/tlb_data after priv, MPRV, MPP or view changed. */
void hart_tlb_select(struct hart *h);

/* Marks the FP state dirty (mstatus.FS = Dirty, SD = 1). */
static inline void hart_fs_dirty(struct hart *h)
{
	h->mstatus |= MSTATUS_FS | MSTATUS_SD;
}

#endif
