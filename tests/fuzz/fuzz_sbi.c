/*
 * fuzz_sbi - the built-in SBI (src/firmware/sbi.c) with random registers,
 * from every privilege level, on 1-8 harts in random HSM states.
 *
 * Input: byte 0 picks the number of harts, bytes 1-8 their initial states;
 * then calls of: hart, privilege, path, a7 (an extension from the list of
 * those umbra knows, or any value), a6, a0-a5 (each a small number, a RAM
 * address, a hart mask, all ones, or any 64-bit value).  The path is either
 * sbi_ecall() directly or an ECALL instruction through hart_execute(), as
 * an S-mode kernel reaches it.  Console reads take their bytes from the
 * input.
 *
 * Invariants: no sanitizer report; sbi_ecall() handles every call; the SBI
 * error code is one the specification defines, and SBI_ERR_NOT_SUPPORTED
 * for a function an extension does not have (function IDs are XLEN wide);
 * a started hart is in S-mode at the address asked for; callbacks see only
 * existing harts and at most one page of console output; x0 stays 0; an
 * ECALL from S-mode retires.
 */
#include "cpu/exec.h"
#include "firmware/sbi.h"
#include "fuzz.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (64u << 10)
#define NHARTS 8
#define MAX_CALLS 64

enum { EXT_BASE = 0x10, EXT_TIME = 0x54494d45, EXT_IPI = 0x735049, EXT_RFENCE = 0x52464e43,
       EXT_HSM = 0x48534d, EXT_SRST = 0x53525354, EXT_DBCN = 0x4442434e };
#define SBI_ERR_NOT_SUPPORTED (-2)

static const uint64_t exts[] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 0x10, 0x54494d45, 0x735049, 0x52464e43, 0x48534d,
	0x53525354, 0x4442434e, 0x504d55 /* PMU: not offered */, 0x09,
};

struct rig {
	struct pmap mem;
	struct bus bus;
	struct hart *harts[NHARTS];
	unsigned nharts;
	struct sbi sbi;
	struct fz *in; /* console input comes from the fuzz input */
	bool m_trapped;
};

static struct rig *rig;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void set_timer(void *opaque, unsigned hart, uint64_t when)
{
	struct rig *r = opaque;
	(void)when;
	FUZZ_CHECK(hart < r->nharts, "set_timer for hart %u of %u", hart, r->nharts);
}

static void console_write(void *opaque, const uint8_t *buf, size_t n)
{
	volatile uint8_t sink = 0;
	(void)opaque;
	FUZZ_CHECK(n <= 4096, "console write of %zu bytes", n);
	for (size_t i = 0; i < n; i++)
		sink ^= buf[i]; /* ASan checks that every byte is readable */
	(void)sink;
}

static int console_read(void *opaque)
{
	struct rig *r = opaque;
	uint8_t b = fz_u8(r->in);
	return b == 0xff ? -1 : b;
}

static void reset(void *opaque, enum sbi_reset type, uint32_t reason)
{
	(void)opaque;
	FUZZ_CHECK(type <= SBI_RESET_WARM && reason <= 1, "reset %d, reason %u", type, reason);
}

static bool fw_ecall(void *opaque, struct hart *h)
{
	struct rig *r = opaque;
	return sbi_ecall(&r->sbi, h);
}

static void fw_m_trap(void *opaque, struct hart *h, uint64_t cause, uint64_t tval)
{
	struct rig *r = opaque;
	(void)cause, (void)tval;
	r->m_trapped = true;
	h->state = HART_STOPPED;
}

static uint64_t no_time(void *opaque)
{
	(void)opaque;
	return 0;
}

static struct rig *rig_get(void)
{
	if (rig)
		return rig;
	rig = calloc(1, sizeof(*rig));
	if (!rig || pmap_init(&rig->mem, RAM_BASE, RAM_SIZE))
		panic("fuzz_sbi: out of memory");
	for (unsigned i = 0; i < NHARTS; i++)
		if (!(rig->harts[i] = hart_alloc()))
			panic("fuzz_sbi: out of memory");
	return rig;
}

static void rig_setup(struct rig *r, struct fz *f)
{
	static const enum hart_state states[4] = {HART_STARTED, HART_STOPPED, HART_START_PENDING,
						  HART_SUSPENDED};
	struct hart_env env = {.mem = &r->mem, .bus = &r->bus, .opaque = r, .mtime = no_time,
			       .ecall = fw_ecall, .m_trap = fw_m_trap};
	r->nharts = 1 + fz_u8(f) % NHARTS;
	r->in = f;
	r->m_trapped = false;
	for (unsigned i = 0; i < r->nharts; i++) {
		struct hart *h = r->harts[i];
		hart_init(h, i, &env);
		sbi_setup_hart(h, RAM_BASE, 0);
		h->state = states[fz_u8(f) % 4];
	}
	r->sbi = (struct sbi){.harts = r->harts, .nharts = r->nharts, .opaque = r,
			      .ops = {.set_timer = set_timer, .console_write = console_write,
				      .console_read = console_read, .reset = reset}};
}

/* A register value: small, a RAM address, a hart mask, all ones, or anything. */
static uint64_t value(struct fz *f)
{
	uint8_t kind = fz_u8(f);
	switch (kind % 6) {
	case 0: return kind >> 3;
	case 1: return RAM_BASE + fz_u16(f);
	case 2: return fz_u8(f);
	case 3: return UINT64_MAX;
	case 4: return RAM_BASE + RAM_SIZE - (kind >> 3);
	}
	return fz_u64(f);
}

/* How many functions each extension has (IDs 0..n-1); 0 for an unknown one. */
static uint64_t functions(uint64_t ext)
{
	switch (ext) {
	case EXT_BASE: return 7;
	case EXT_TIME: case EXT_IPI: case EXT_SRST: return 1;
	case EXT_RFENCE: return 7;
	case EXT_HSM: return 4;
	case EXT_DBCN: return 3;
	}
	return 0;
}

static void check_hart(const struct hart *h)
{
	FUZZ_CHECK(h->x[0] == 0, "hart %u: x0 = %#llx", h->hartid, (unsigned long long)h->x[0]);
	FUZZ_CHECK(h->state == HART_STARTED || h->state == HART_STOPPED ||
		   h->state == HART_START_PENDING || h->state == HART_SUSPENDED,
		   "hart %u: state %d", h->hartid, h->state);
}

static void call(struct rig *r, struct fz *f)
{
	static const unsigned privs[4] = {PRV_U, PRV_S, PRV_S, PRV_M};
	struct hart *h = r->harts[fz_u8(f) % r->nharts];
	uint8_t how = fz_u8(f);
	uint8_t e = fz_u8(f);
	h->priv = privs[how & 3];
	hart_tlb_select(h);
	h->x[17] = e < 2 * ARRAY_SIZE(exts) ? exts[e % ARRAY_SIZE(exts)] : value(f);
	h->x[16] = fz_u8(f) < 0xf0 ? fz_u8(f) % 8 : value(f);
	for (unsigned i = 10; i < 16; i++)
		h->x[i] = value(f);
	uint64_t ext = h->x[17], fid = h->x[16], a0 = h->x[10], a1 = h->x[11];
	uint64_t pc = h->pc;
	unsigned priv = h->priv;

	if ((how & 4) && h->state == HART_STARTED) { /* only a running hart executes */
		h->builtin_fw = true;
		hart_execute(h, 0x00000073);
		if (priv == PRV_S)
			FUZZ_CHECK(h->pc == pc + 4, "ecall from S-mode did not retire (pc %#llx)",
				   (unsigned long long)h->pc);
		if (priv != PRV_S)
			return; /* a trap: to S (ecall from U is delegated) or to m_trap */
	} else {
		FUZZ_CHECK(sbi_ecall(&r->sbi, h), "ext %#llx not handled", (unsigned long long)ext);
	}
	int64_t err = (int64_t)h->x[10];
	if (ext > 8)
		FUZZ_CHECK(err <= 0 && err >= -8, "ext %#llx fid %llu: error %lld", (unsigned long long)ext,
			   (unsigned long long)fid, (long long)err);
	if (ext > 8 && fid >= functions(ext))
		FUZZ_CHECK(err == SBI_ERR_NOT_SUPPORTED, "ext %#llx has no function %#llx, but it returned %lld",
			   (unsigned long long)ext, (unsigned long long)fid, (long long)err);
	if (ext == EXT_HSM && fid == 0 && err == 0) { /* hart_start */
		FUZZ_CHECK(a0 < r->nharts, "hart_start of hart %llu succeeded", (unsigned long long)a0);
		const struct hart *t = r->harts[a0];
		FUZZ_CHECK(t->state == HART_STARTED && t->pc == a1 && t->priv == PRV_S,
			   "hart %llu started in state %d at %#llx in mode %u", (unsigned long long)a0,
			   t->state, (unsigned long long)t->pc, t->priv);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = {data, size};
	struct rig *r = rig_get();
	rig_setup(r, &f);
	for (unsigned i = 0; i < MAX_CALLS && f.n; i++) {
		call(r, &f);
		for (unsigned k = 0; k < r->nharts; k++)
			check_hart(r->harts[k]);
	}
	return 0;
}
