/*
 * sbi.c - the built-in SBI.  Extension and function numbers are those of
 * the RISC-V Supervisor Binary Interface specification, version 2.0.
 */
#include "firmware/sbi.h"

enum {
	EXT_LEGACY_SET_TIMER = 0x00, EXT_LEGACY_PUTCHAR = 0x01, EXT_LEGACY_GETCHAR = 0x02,
	EXT_LEGACY_CLEAR_IPI = 0x03, EXT_LEGACY_SEND_IPI = 0x04, EXT_LEGACY_FENCE_I = 0x05,
	EXT_LEGACY_SFENCE_VMA = 0x06, EXT_LEGACY_SFENCE_ASID = 0x07, EXT_LEGACY_SHUTDOWN = 0x08,
	EXT_BASE = 0x10, EXT_TIME = 0x54494d45, EXT_IPI = 0x735049, EXT_RFENCE = 0x52464e43,
	EXT_HSM = 0x48534d, EXT_SRST = 0x53525354, EXT_DBCN = 0x4442434e,
};

enum {
	SBI_SUCCESS = 0, SBI_ERR_FAILED = -1, SBI_ERR_NOT_SUPPORTED = -2,
	SBI_ERR_INVALID_PARAM = -3, SBI_ERR_DENIED = -4, SBI_ERR_INVALID_ADDRESS = -5,
	SBI_ERR_ALREADY_AVAILABLE = -6, SBI_ERR_ALREADY_STARTED = -7, SBI_ERR_ALREADY_STOPPED = -8,
};

#define SBI_SPEC_VERSION ((2u << 24) | 0u)
#define SBI_IMPL_ID 0x554d4252u /* "UMBR": not a registered ID, none is allocated to us */
#define SBI_IMPL_VERSION 1
#define DBCN_MAX_BYTES 4096 /* per call; the caller loops on partial writes */

struct sbiret {
	int64_t error;
	uint64_t value;
};

static const uint32_t extensions[] = {EXT_BASE, EXT_TIME, EXT_IPI, EXT_RFENCE, EXT_HSM,
				      EXT_SRST, EXT_DBCN, EXT_LEGACY_SET_TIMER,
				      EXT_LEGACY_PUTCHAR, EXT_LEGACY_GETCHAR,
				      EXT_LEGACY_CLEAR_IPI, EXT_LEGACY_SEND_IPI,
				      EXT_LEGACY_FENCE_I, EXT_LEGACY_SFENCE_VMA,
				      EXT_LEGACY_SFENCE_ASID, EXT_LEGACY_SHUTDOWN};

static struct sbiret ok(uint64_t value)
{
	return (struct sbiret){SBI_SUCCESS, value};
}

static struct sbiret fail(int64_t error)
{
	return (struct sbiret){error, 0};
}

static struct sbiret base(struct hart *h, unsigned fid)
{
	switch (fid) {
	case 0: return ok(SBI_SPEC_VERSION);
	case 1: return ok(SBI_IMPL_ID);
	case 2: return ok(SBI_IMPL_VERSION);
	case 3:
		for (unsigned i = 0; i < ARRAY_SIZE(extensions); i++)
			if (h->x[10] == extensions[i])
				return ok(1);
		return ok(0);
	case 4: case 5: case 6: return ok(0); /* mvendorid, marchid, mimpid */
	}
	return fail(SBI_ERR_NOT_SUPPORTED);
}

/* Calls fn on every hart selected by (mask, base); base == -1 selects all. */
static struct sbiret for_harts(struct sbi *sbi, uint64_t mask, uint64_t mbase,
			       void (*fn)(struct sbi *, struct hart *, struct hart *),
			       struct hart *caller)
{
	if (mbase == UINT64_MAX) {
		for (unsigned i = 0; i < sbi->nharts; i++)
			fn(sbi, caller, sbi->harts[i]);
		return ok(0);
	}
	for (unsigned b = 0; b < 64; b++) {
		if (!((mask >> b) & 1))
			continue;
		if (mbase + b >= sbi->nharts || mbase + b < mbase)
			return fail(SBI_ERR_INVALID_PARAM);
	}
	for (unsigned b = 0; b < 64; b++)
		if ((mask >> b) & 1)
			fn(sbi, caller, sbi->harts[mbase + b]);
	return ok(0);
}

static void send_ipi(struct sbi *sbi, struct hart *caller, struct hart *t)
{
	(void)sbi, (void)caller;
	hart_set_irq(t, MIP_SSIP, true);
}

static void fence_i(struct sbi *sbi, struct hart *caller, struct hart *t)
{
	(void)sbi, (void)caller;
	t->fencei_gen++; /* as a fence.i of its own (exec.c) */
}

static void sfence(struct sbi *sbi, struct hart *caller, struct hart *t)
{
	(void)sbi;
	uint64_t start = caller->x[12], size = caller->x[13];
	if (size <= 16 * PAGE_SIZE) {
		for (uint64_t off = 0; off < size; off += PAGE_SIZE)
			hart_tlb_flush_page(t, start + off);
		if (size)
			hart_tlb_flush_page(t, start + size - 1);
	} else {
		hart_tlb_flush(t);
	}
}

static void sfence_all(struct sbi *sbi, struct hart *caller, struct hart *t)
{
	(void)sbi, (void)caller;
	hart_tlb_flush(t);
}

static struct sbiret rfence(struct sbi *sbi, struct hart *h, unsigned fid)
{
	switch (fid) {
	case 0: return for_harts(sbi, h->x[10], h->x[11], fence_i, h);
	case 1: case 2: return for_harts(sbi, h->x[10], h->x[11], sfence, h);
	}
	return fail(SBI_ERR_NOT_SUPPORTED); /* the hfence calls: no H extension */
}

void sbi_setup_hart(struct hart *h, uint64_t addr, uint64_t arg)
{
	h->pc = addr;
	h->priv = PRV_S;
	h->x[10] = h->hartid;
	h->x[11] = arg;
	h->satp = 0;
	h->mstatus &= ~(MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_MPRV);
	h->mideleg = MIP_SSIP | MIP_STIP | MIP_SEIP;
	/* Every exception but the ecalls into M goes straight to the kernel. */
	h->medeleg = 0xb1ff;
	h->mcounteren = 7; /* cycle, time, instret */
	/*
	 * User programs read the clock with rdtime (glibc's vDSO does).  Linux
	 * grants that through scounteren only from its SBI PMU driver, which
	 * this firmware does not offer, so the firmware hands the kernel a
	 * scounteren with TM already set (as it would be after PMU probing).
	 */
	h->scounteren = 2;
	h->state = HART_STARTED;
	h->wfi = false;
	h->builtin_fw = true;
	hart_tlb_flush(h);
	hart_tlb_select(h);
}

static struct sbiret hsm(struct sbi *sbi, struct hart *h, unsigned fid)
{
	uint64_t id = h->x[10];
	switch (fid) {
	case 0: { /* hart_start */
		if (id >= sbi->nharts)
			return fail(SBI_ERR_INVALID_PARAM);
		struct hart *t = sbi->harts[id];
		if (t->state != HART_STOPPED)
			return fail(SBI_ERR_ALREADY_AVAILABLE);
		if (!pmap_is_ram(h->env.mem, h->x[11], 4))
			return fail(SBI_ERR_INVALID_ADDRESS);
		sbi_setup_hart(t, h->x[11], h->x[12]);
		return ok(0);
	}
	case 1: /* hart_stop */
		h->state = HART_STOPPED;
		h->stop = true;
		return ok(0);
	case 2:
		if (id >= sbi->nharts)
			return fail(SBI_ERR_INVALID_PARAM);
		return ok(sbi->harts[id]->state);
	case 3: /* hart_suspend: only the retentive default type */
		if (h->x[10] != 0)
			return fail(h->x[10] == 0x80000000u ? SBI_ERR_NOT_SUPPORTED
							    : SBI_ERR_INVALID_PARAM);
		if (!(h->mip & h->mie))
			h->wfi = true;
		h->stop = true;
		return ok(0);
	}
	return fail(SBI_ERR_NOT_SUPPORTED);
}

static struct sbiret srst(struct sbi *sbi, struct hart *h, unsigned fid)
{
	uint64_t type = h->x[10], reason = h->x[11];
	if (fid != 0)
		return fail(SBI_ERR_NOT_SUPPORTED);
	if (type > SBI_RESET_WARM || reason > 1)
		return fail(SBI_ERR_INVALID_PARAM);
	sbi->ops.reset(sbi->opaque, (enum sbi_reset)type, (uint32_t)reason);
	h->stop = true;
	return ok(0);
}

static struct sbiret dbcn(struct sbi *sbi, struct hart *h, unsigned fid)
{
	uint64_t n = h->x[10], pa = h->x[11];
	if (fid == 2) {
		uint8_t c = (uint8_t)h->x[10];
		sbi->ops.console_write(sbi->opaque, &c, 1);
		return ok(0);
	}
	if (fid > 1)
		return fail(SBI_ERR_NOT_SUPPORTED);
	if (h->x[12] != 0)
		return fail(SBI_ERR_INVALID_PARAM); /* base_addr_hi: RAM lies below 2^64 */
	if (n > DBCN_MAX_BYTES)
		n = DBCN_MAX_BYTES;
	uint8_t buf[DBCN_MAX_BYTES];
	if (fid == 0) {
		if (pmap_dma_read(h->env.mem, pa, buf, n))
			return fail(SBI_ERR_INVALID_PARAM);
		sbi->ops.console_write(sbi->opaque, buf, n);
		return ok(n);
	}
	uint64_t got = 0;
	for (int c; got < n && (c = sbi->ops.console_read(sbi->opaque)) >= 0;)
		buf[got++] = (uint8_t)c;
	if (pmap_dma_write(h->env.mem, pa, buf, got))
		return fail(SBI_ERR_INVALID_PARAM);
	return ok(got);
}

/* The v0.1 extensions: one return value, in a0. */
static bool legacy(struct sbi *sbi, struct hart *h, uint64_t ext)
{
	int64_t ret = 0;
	uint64_t mask = 0;
	switch (ext) {
	case EXT_LEGACY_SET_TIMER:
		sbi->ops.set_timer(sbi->opaque, h->hartid, h->x[10]);
		break;
	case EXT_LEGACY_PUTCHAR: {
		uint8_t c = (uint8_t)h->x[10];
		sbi->ops.console_write(sbi->opaque, &c, 1);
		break;
	}
	case EXT_LEGACY_GETCHAR:
		ret = sbi->ops.console_read(sbi->opaque);
		break;
	case EXT_LEGACY_CLEAR_IPI:
		hart_set_irq(h, MIP_SSIP, false);
		break;
	case EXT_LEGACY_SEND_IPI:
	case EXT_LEGACY_FENCE_I:
	case EXT_LEGACY_SFENCE_VMA:
	case EXT_LEGACY_SFENCE_ASID: {
		/* a0 points to the hart mask in guest memory (0 = all harts). */
		uint64_t base = UINT64_MAX;
		if (h->x[10]) {
			if (pmap_dma_read(h->env.mem, h->x[10], &mask, 8)) {
				ret = SBI_ERR_INVALID_ADDRESS;
				break;
			}
			base = 0;
		}
		void (*fn)(struct sbi *, struct hart *, struct hart *) =
			ext == EXT_LEGACY_SEND_IPI ? send_ipi
			: ext == EXT_LEGACY_FENCE_I ? fence_i : sfence_all;
		ret = for_harts(sbi, mask, base, fn, h).error;
		break;
	}
	case EXT_LEGACY_SHUTDOWN:
		sbi->ops.reset(sbi->opaque, SBI_RESET_SHUTDOWN, 0);
		h->stop = true;
		break;
	}
	h->x[10] = (uint64_t)ret;
	return true;
}

bool sbi_ecall(struct sbi *sbi, struct hart *h)
{
	uint64_t ext = h->x[17];
	unsigned fid = (unsigned)h->x[16];
	struct sbiret r;
	/* EIDs and FIDs are signed 32-bit values: other register contents name nothing. */
	if (h->x[16] != (uint64_t)(int64_t)(int32_t)h->x[16] ||
	    h->x[17] != (uint64_t)(int64_t)(int32_t)h->x[17]) {
		h->x[10] = (uint64_t)SBI_ERR_NOT_SUPPORTED;
		return true;
	}
	if (ext <= EXT_LEGACY_SHUTDOWN)
		return legacy(sbi, h, ext);
	switch (ext) {
	case EXT_BASE: r = base(h, fid); break;
	case EXT_TIME:
		if (fid != 0) {
			r = fail(SBI_ERR_NOT_SUPPORTED);
			break;
		}
		sbi->ops.set_timer(sbi->opaque, h->hartid, h->x[10]);
		r = ok(0);
		break;
	case EXT_IPI:
		r = fid == 0 ? for_harts(sbi, h->x[10], h->x[11], send_ipi, h)
			     : fail(SBI_ERR_NOT_SUPPORTED);
		break;
	case EXT_RFENCE: r = rfence(sbi, h, fid); break;
	case EXT_HSM: r = hsm(sbi, h, fid); break;
	case EXT_SRST: r = srst(sbi, h, fid); break;
	case EXT_DBCN: r = dbcn(sbi, h, fid); break;
	default: r = fail(SBI_ERR_NOT_SUPPORTED); break;
	}
	h->x[10] = (uint64_t)r.error;
	if (r.error == SBI_SUCCESS)
		h->x[11] = r.value;
	return true;
}
