/*
 * fuzz_exec - random code on a tiny virt machine, run by both execution
 * backends and compared.
 *
 * Two identical machines (64 KiB of RAM at 0x80000000, CLINT, PLIC, UART,
 * the test device and a virtio-rng, wired as src/machine/virt.c does) get
 * the same input: a HDR_BYTES header of initial state, then the RAM image.
 * Machine A runs the block engine (hart_enable_blocks), machine B the
 * reference interpreter alone.  The clock is a counter that advances on
 * every read, so time is a function of the instruction stream.
 *
 * Header (every byte optional; a short input reads as zeros):
 *   0      bits 1:0 start privilege (1 S, 2 U, else M); 2 satp on; 3 Sv48
 *          (else Sv39); 4 the harness builds the page tables; 5 megapage
 *          leaf; 6 mstatus.FS = Initial; 7 PMP entry 0 on
 *   1      mstatus SIE MIE SPIE MPIE SUM MXR MPRV TVM (bit 0..7)
 *   2      mstatus TW TSR SPP, MPP (bits 4:3)
 *   3-4    medeleg           5   mideleg (SSIP STIP SEIP in bits 0-2)
 *   6      mie (SSIE MSIE STIE MTIE SEIE MEIE)   7   mip (SSIP STIP SEIP)
 *   8-9    mtvec offset in RAM (bit 0: vectored)  10-11  stvec, the same
 *   12     mcounteren (bits 2:0), scounteren (bits 6:4)
 *   13     satp: root page in RAM (bits 3:0), ASID (bits 7:4)
 *   14-15  start pc offset in RAM
 *   16     pmpcfg0 byte       17   pmpaddr0: page (bits 3:0), NAPOT size (7:4)
 *   18     fcsr               19   mcountinhibit
 *   20-35  PTE flags of RAM pages 0-15 mapped at their physical address
 *   36-51  PTE flags of the same pages mapped again 64 KiB higher
 *   52     PTE flags of a 1 GiB leaf mapping the devices (VA 0 = PA 0)
 *   53-63  x1..x11: 0x80000000 + 256 * byte (0 stays 0)
 * Harness-built tables (bit 4): Sv39 root in page 15, then 14 and 13; Sv48
 * adds a root in page 12.
 *
 * Invariants: no sanitizer report; x0 == 0, an even pc, a valid privilege
 * and WARL fields legal after every run slice; and both machines end in the
 * same architectural state (x, f, pc, privilege, CSRs, counters, RAM).
 * Backend boundaries are aligned by replaying the block engine's slice ends
 * (in retired instructions) on the interpreter, one instruction at a time.
 * FUZZ_EXEC_TRACE=1 in the environment prints the interpreter's steps.
 */
#include "cpu/csr.h"
#include "cpu/exec.h"
#include "cpu/hart.h"
#include "dev/clint.h"
#include "dev/plic.h"
#include "dev/syscon.h"
#include "dev/uart.h"
#include "dev/virtio_rng.h"
#include "fuzz.h"
#include "machine/fdt.h"

#define RAM_BASE VIRT_RAM_BASE
#define RAM_PAGES 16
#define RAM_SIZE (RAM_PAGES * PAGE_SIZE)
#define HDR_BYTES 64
#define SLICE 256         /* budget of one hart_run() of the block engine */
#define MAX_SLICES 8
#define MAX_RETIRED 2048
#define OVERSHOOT 128      /* a slice may end up to two blocks past its budget */
#define TRAIL_STEPS (SLICE + OVERSHOOT) /* trap attempts the interpreter may lag behind
					 * (a slice of a trap loop retires nothing) */

enum {
	CSR_FCSR = 0x003, CSR_STVEC = 0x105, CSR_SCOUNTEREN = 0x106, CSR_SATP = 0x180,
	CSR_MSTATUS = 0x300, CSR_MEDELEG = 0x302, CSR_MIDELEG = 0x303, CSR_MIE = 0x304,
	CSR_MTVEC = 0x305, CSR_MCOUNTEREN = 0x306, CSR_MCOUNTINHIBIT = 0x320, CSR_MIP = 0x344,
	CSR_PMPCFG0 = 0x3a0, CSR_PMPADDR0 = 0x3b0,
};

struct vm {
	struct pmap mem;
	struct bus bus;
	struct hart *hart;
	struct clint clint;
	struct plic *plic;
	struct uart *uart;
	struct syscon *syscon;
	struct virtio_rng *rng;
	uint64_t ticks;
	bool done;
};

/* The two machines live across inputs (the block cache is 11 MB). */
static struct vm *machines[2];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* --- the machine --------------------------------------------------------- */

static uint64_t vm_now(void *opaque)
{
	struct vm *vm = opaque;
	return vm->ticks += 7;
}

static void timer_irq(void *opaque, unsigned hart, bool level)
{
	struct vm *vm = opaque;
	if (hart == 0)
		hart_set_irq(vm->hart, MIP_MTIP, level);
}

static void soft_irq(void *opaque, unsigned hart, bool level)
{
	struct vm *vm = opaque;
	if (hart == 0)
		hart_set_irq(vm->hart, MIP_MSIP, level);
}

static void plic_out(void *opaque, unsigned hart, unsigned prv, bool level)
{
	struct vm *vm = opaque;
	if (hart == 0)
		hart_set_irq(vm->hart, prv == PRV_M ? MIP_MEIP : MIP_SEIP, level);
}

static void syscon_event(void *opaque, enum syscon_event ev, unsigned code)
{
	struct vm *vm = opaque;
	(void)ev, (void)code;
	vm->done = true;
	vm->hart->stop = true;
}

static void code_marked(void *opaque, gpa_t page)
{
	struct vm *vm = opaque;
	hart_tlb_protect(vm->hart, (uintptr_t)vm->mem.host + (page - vm->mem.ram_base));
}

static void code_written(void *opaque, gpa_t page)
{
	struct vm *vm = opaque;
	(void)page;
	hart_code_flush(vm->hart);
	pmap_clear_code(&vm->mem);
}

static void free_devices(struct vm *vm)
{
	plic_free(vm->plic);
	uart_free(vm->uart);
	syscon_free(vm->syscon);
	virtio_rng_free(vm->rng);
	vm->plic = NULL;
	vm->uart = NULL;
	vm->syscon = NULL;
	vm->rng = NULL;
}

static void make_devices(struct vm *vm)
{
	char err[200];
	struct clint_ops cops = {.now = vm_now, .soft_irq = soft_irq, .timer_irq = timer_irq};
	memset(&vm->bus, 0, sizeof(vm->bus));
	if (clint_init(&vm->clint, &vm->bus, VIRT_CLINT_BASE, 1, &cops, vm))
		panic("clint");
	vm->plic = plic_new(&vm->bus, VIRT_PLIC_BASE, 1, plic_out, vm, err, sizeof(err));
	struct irq_line uart_irq = {.set = plic_set_irq, .opaque = vm->plic, .irq = VIRT_UART_IRQ};
	struct irq_line rng_irq = {.set = plic_set_irq, .opaque = vm->plic, .irq = VIRT_VIRTIO_IRQ};
	vm->uart = vm->plic ? uart_new(&vm->bus, VIRT_UART_BASE, uart_irq, -1, err, sizeof(err)) : NULL;
	vm->syscon = syscon_new(&vm->bus, VIRT_TEST_BASE, syscon_event, vm, err, sizeof(err));
	vm->rng = vm->plic ? virtio_rng_new(&vm->bus, &vm->mem, VIRT_VIRTIO_BASE, rng_irq, err,
					    sizeof(err)) : NULL;
	if (!vm->plic || !vm->uart || !vm->syscon || !vm->rng)
		panic("fuzz_exec: %s", err);
	virtio_rng_seed(vm->rng, 0x756d627261);
}

static struct vm *vm_get(unsigned i)
{
	if (!machines[i]) {
		struct vm *vm = calloc(1, sizeof(*vm));
		if (!vm || !(vm->hart = hart_alloc()))
			panic("fuzz_exec: out of memory");
		machines[i] = vm;
	}
	return machines[i];
}

static void set_csr(struct hart *h, unsigned csr, uint64_t val)
{
	bool ok = csr_write(h, csr, val);
	(void)ok; /* WARL: an illegal value is simply not taken */
}

static void put_pte(struct vm *vm, unsigned page, unsigned idx, uint64_t pte)
{
	if (pmap_dma_write(&vm->mem, RAM_BASE + page * PAGE_SIZE + 8 * idx, &pte, 8))
		panic("fuzz_exec: page table outside RAM");
}

static uint64_t pte(gpa_t pa, uint64_t flags)
{
	return (pa >> PAGE_SHIFT) << 10 | flags;
}

/* Identity map of RAM (and an alias 64 KiB up), devices by a gigapage. */
static unsigned build_tables(struct vm *vm, const uint8_t *hdr, bool sv48)
{
	const unsigned root = 15, l1 = 14, l0 = 13, root48 = 12;
	put_pte(vm, root, 0, pte(0, hdr[52]));
	put_pte(vm, root, RAM_BASE >> 30, pte(RAM_BASE + l1 * PAGE_SIZE, 1));
	if (hdr[0] & 0x20)
		put_pte(vm, l1, 0, pte(RAM_BASE, hdr[20]));
	else
		put_pte(vm, l1, 0, pte(RAM_BASE + l0 * PAGE_SIZE, 1));
	for (unsigned i = 0; i < RAM_PAGES; i++) {
		put_pte(vm, l0, i, pte(RAM_BASE + i * PAGE_SIZE, hdr[20 + i]));
		put_pte(vm, l0, RAM_PAGES + i, pte(RAM_BASE + i * PAGE_SIZE, hdr[36 + i]));
	}
	if (!sv48)
		return root;
	put_pte(vm, root48, 0, pte(RAM_BASE + root * PAGE_SIZE, 1));
	return root48;
}

static void apply_header(struct vm *vm, const uint8_t *hdr)
{
	static const uint64_t st1[8] = {MSTATUS_SIE, MSTATUS_MIE, MSTATUS_SPIE, MSTATUS_MPIE,
					MSTATUS_SUM, MSTATUS_MXR, MSTATUS_MPRV, MSTATUS_TVM};
	static const uint64_t ints[6] = {MIP_SSIP, MIP_MSIP, MIP_STIP, MIP_MTIP, MIP_SEIP, MIP_MEIP};
	struct hart *h = vm->hart;
	uint64_t mstatus = 0, mie = 0;
	for (unsigned i = 0; i < 8; i++)
		mstatus |= (hdr[1] >> i & 1) ? st1[i] : 0;
	mstatus |= (hdr[2] & 1 ? MSTATUS_TW : 0) | (hdr[2] & 2 ? MSTATUS_TSR : 0) |
		   (hdr[2] & 4 ? MSTATUS_SPP : 0) | (uint64_t)(hdr[2] >> 3 & 3) << 11 |
		   (hdr[0] & 0x40 ? 1ull << 13 : 0);
	for (unsigned i = 0; i < 6; i++)
		mie |= (hdr[6] >> i & 1) ? ints[i] : 0;
	set_csr(h, CSR_MSTATUS, mstatus);
	set_csr(h, CSR_MEDELEG, ld_le(hdr + 3, 2));
	set_csr(h, CSR_MIDELEG, (hdr[5] & 1 ? MIP_SSIP : 0) | (hdr[5] & 2 ? MIP_STIP : 0) |
				(hdr[5] & 4 ? MIP_SEIP : 0));
	set_csr(h, CSR_MIE, mie);
	set_csr(h, CSR_MIP, (hdr[7] & 1 ? MIP_SSIP : 0) | (hdr[7] & 2 ? MIP_STIP : 0) |
			    (hdr[7] & 4 ? MIP_SEIP : 0));
	set_csr(h, CSR_MTVEC, RAM_BASE + (ld_le(hdr + 8, 2) & (RAM_SIZE - 1)));
	set_csr(h, CSR_STVEC, RAM_BASE + (ld_le(hdr + 10, 2) & (RAM_SIZE - 1)));
	set_csr(h, CSR_MCOUNTEREN, hdr[12] & 7);
	set_csr(h, CSR_SCOUNTEREN, hdr[12] >> 4 & 7);
	set_csr(h, CSR_FCSR, hdr[18]);
	set_csr(h, CSR_MCOUNTINHIBIT, hdr[19]);
	if (hdr[0] & 0x80) {
		unsigned napot = hdr[17] >> 4;
		uint64_t a = (RAM_BASE + (hdr[17] & 15) * PAGE_SIZE) >> 2;
		set_csr(h, CSR_PMPADDR0, napot ? a | ((1ull << napot) - 1) : (RAM_BASE + RAM_SIZE) >> 2);
		set_csr(h, CSR_PMPCFG0, hdr[16]);
	}
	if (hdr[0] & 4) {
		bool sv48 = hdr[0] & 8;
		unsigned root = (hdr[0] & 0x10) ? build_tables(vm, hdr, sv48) : hdr[13] & 15;
		uint64_t ppn = (RAM_BASE >> PAGE_SHIFT) + root;
		set_csr(h, CSR_SATP, (sv48 ? 9ull : 8ull) << 60 | (uint64_t)(hdr[13] >> 4) << 44 | ppn);
	}
	for (unsigned i = 0; i < 11; i++)
		h->x[1 + i] = hdr[53 + i] ? RAM_BASE + 256u * hdr[53 + i] : 0;
	h->pc = RAM_BASE + (ld_le(hdr + 14, 2) & (RAM_SIZE - 2));
	unsigned prv = hdr[0] & 3;
	if (prv == 1 || prv == 2) {
		h->priv = prv == 1 ? PRV_S : PRV_U;
		hart_tlb_select(h);
	}
}

/* Builds machine i afresh from the input. */
static struct vm *vm_setup(unsigned i, bool blocks, const uint8_t *data, size_t size)
{
	struct vm *vm = vm_get(i);
	uint8_t hdr[HDR_BYTES] = {0};
	memcpy(hdr, data, size < HDR_BYTES ? size : HDR_BYTES);
	pmap_destroy(&vm->mem);
	if (pmap_init(&vm->mem, RAM_BASE, RAM_SIZE))
		panic("fuzz_exec: pmap_init");
	vm->mem.code_marked = code_marked;
	vm->mem.code_written = code_written;
	/* Code and data pages (CODE_MIXED) see new instructions after a fence.i, the
	 * interpreter at once: both right, but not comparable (tests/isa covers them). */
	vm->mem.strict_code = true;
	vm->mem.code_opaque = vm;
	free_devices(vm);
	make_devices(vm);
	vm->ticks = 0;
	vm->done = false;

	struct hart *h = vm->hart;
	struct bcache *bc = h->bc; /* hart_init() forgets it */
	struct hart_env env = {.mem = &vm->mem, .bus = &vm->bus, .opaque = vm, .mtime = vm_now};
	hart_init(h, 0, &env);
	h->bc = bc;
	if (blocks && hart_enable_blocks(h, getenv("FUZZ_EXEC_NO_JIT") ? 0 : 1))
		panic("fuzz_exec: out of memory");
	hart_code_flush(h);
	h->state = HART_STARTED;
	hart_reset(h, RAM_BASE);
	if (size > HDR_BYTES) {
		size_t n = size - HDR_BYTES < RAM_SIZE ? size - HDR_BYTES : RAM_SIZE;
		if (pmap_dma_write(&vm->mem, RAM_BASE, data + HDR_BYTES, n))
			panic("fuzz_exec: image outside RAM");
	}
	apply_header(vm, hdr);
	return vm;
}

/* --- running ------------------------------------------------------------- */

static void check_sane(const struct hart *h, const char *who)
{
	FUZZ_CHECK(h->x[0] == 0, "%s: x0 = %#llx", who, (unsigned long long)h->x[0]);
	FUZZ_CHECK(!(h->pc & 1), "%s: odd pc %#llx", who, (unsigned long long)h->pc);
	FUZZ_CHECK(h->priv == PRV_M || h->priv == PRV_S || h->priv == PRV_U, "%s: priv %u", who,
		   h->priv);
	FUZZ_CHECK((h->mstatus >> 11 & 3) != 2, "%s: mstatus.MPP = 2", who);
	uint64_t mode = h->satp >> 60;
	FUZZ_CHECK(mode == 0 || mode == 8 || mode == 9, "%s: satp %#llx", who,
		   (unsigned long long)h->satp);
}

struct slices {
	uint64_t end[MAX_SLICES]; /* instret at the end of each hart_run() */
	unsigned n;
};

static void run_blocks(struct vm *vm, struct slices *s)
{
	struct hart *h = vm->hart;
	s->n = 0;
	while (s->n < MAX_SLICES && !vm->done) {
		uint64_t retired = hart_run(h, SLICE);
		check_sane(h, "block engine");
		FUZZ_CHECK(retired <= SLICE + OVERSHOOT, "hart_run() retired %llu instructions on a budget of %u",
			   (unsigned long long)retired, SLICE);
		s->end[s->n++] = h->instret;
		/* Stopped, asleep, done, or trapping in a loop (nothing can change). */
		if (h->state != HART_STARTED || (h->wfi && !(h->mip & h->mie)) ||
		    h->instret >= MAX_RETIRED || retired == 0)
			break;
	}
}

/* hart_run() on the interpreter alone, stopping once `until` instructions retired. */
static void interp_slice(struct hart *h, uint64_t until, uint64_t *attempts, bool trace)
{
	if (!hart_run_begin(h))
		return;
	while (!h->stop && h->instret < until && *attempts < 2 * MAX_SLICES * (SLICE + OVERSHOOT)) {
		if (trace)
			fprintf(stderr, "%llu: pc %#llx priv %u mcause %#llx scause %#llx\n",
				(unsigned long long)h->instret, (unsigned long long)h->pc, h->priv,
				(unsigned long long)h->mcause, (unsigned long long)h->scause);
		hart_run_interp(h, 1);
		++*attempts;
	}
	h->reservation = 0;
}

/* --- comparing ----------------------------------------------------------- */

#define SAME_AT(field, i)                                                       \
	do {                                                                    \
		if (a->field != b->field) {                                     \
			snprintf(why, len, "%s (%u): %#llx (blocks) vs %#llx (interpreter)", \
				 #field, i, (unsigned long long)a->field,       \
				 (unsigned long long)b->field);                 \
			return false;                                           \
		}                                                               \
	} while (0)
#define SAME(field) SAME_AT(field, 0u)

static bool same_hart(const struct hart *a, const struct hart *b, char *why, size_t len)
{
	for (unsigned i = 0; i < 32; i++)
		SAME_AT(x[i], i);
	for (unsigned i = 0; i < 32; i++)
		SAME_AT(f[i], i);
	SAME(pc); SAME(priv); SAME(instret); SAME(state); SAME(wfi);
	SAME(mstatus); SAME(medeleg); SAME(mideleg); SAME(mie); SAME(mip); SAME(mtvec);
	SAME(mscratch); SAME(mepc); SAME(mcause); SAME(mtval); SAME(mcounteren);
	SAME(scounteren); SAME(mcountinhibit); SAME(menvcfg); SAME(senvcfg); SAME(stvec);
	SAME(sscratch); SAME(sepc); SAME(scause); SAME(stval); SAME(satp);
	SAME(fflags); SAME(frm); SAME(cycle_base); SAME(instret_base); SAME(cycle_frozen);
	SAME(instret_frozen);
	for (unsigned i = 0; i < 8; i++)
		SAME_AT(pmpcfg[i], i);
	for (unsigned i = 0; i < 64; i++)
		SAME_AT(pmpaddr[i], i);
	return true;
}

static bool same_state(struct vm *a, struct vm *b, char *why, size_t len)
{
	if (!same_hart(a->hart, b->hart, why, len))
		return false;
	SAME(done);
	SAME(ticks);
	if (!memcmp(a->mem.host, b->mem.host, RAM_SIZE))
		return true;
	for (size_t off = 0; off < RAM_SIZE; off++)
		if (a->mem.host[off] != b->mem.host[off]) {
			snprintf(why, len, "RAM at %#llx: %#x (blocks) vs %#x (interpreter)",
				 (unsigned long long)(RAM_BASE + off), a->mem.host[off], b->mem.host[off]);
			return false;
		}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vm *a = vm_setup(0, true, data, size);
	struct vm *b = vm_setup(1, false, data, size);
	struct slices s;
	uint64_t attempts = 0;
	char why[200];
	bool trace = getenv("FUZZ_EXEC_TRACE");

	run_blocks(a, &s);
	for (unsigned i = 0; i < s.n && !b->done; i++) {
		interp_slice(b->hart, s.end[i], &attempts, trace);
		check_sane(b->hart, "interpreter");
	}
	/* The block engine may have taken a few traps past its last retirement. */
	for (unsigned i = 0; !same_state(a, b, why, sizeof(why)); i++) {
		uint64_t retired = b->hart->instret;
		if (i == TRAIL_STEPS || b->done || b->hart->state != HART_STARTED)
			FUZZ_CHECK(false, "backends differ after %llu instructions: %s",
				   (unsigned long long)retired, why);
		hart_run_interp(b->hart, 1);
		if (b->hart->instret != retired)
			FUZZ_CHECK(false, "backends differ after %llu instructions: %s",
				   (unsigned long long)retired, why);
	}
	return 0;
}
