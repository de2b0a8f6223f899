/*
 * csr.c - CSR semantics.  Field masks follow the privileged specification
 * (version 1.12); WARL fields keep only legal values.
 */
#include "cpu/csr.h"

#include "mmu/pmp.h"

enum {
	CSR_FFLAGS = 0x001, CSR_FRM = 0x002, CSR_FCSR = 0x003,
	CSR_CYCLE = 0xc00, CSR_TIME = 0xc01, CSR_INSTRET = 0xc02, CSR_HPM3 = 0xc03, CSR_HPM31 = 0xc1f,
	CSR_SSTATUS = 0x100, CSR_SIE = 0x104, CSR_STVEC = 0x105, CSR_SCOUNTEREN = 0x106,
	CSR_SENVCFG = 0x10a, CSR_SSCRATCH = 0x140, CSR_SEPC = 0x141, CSR_SCAUSE = 0x142,
	CSR_STVAL = 0x143, CSR_SIP = 0x144, CSR_SATP = 0x180,
	CSR_MVENDORID = 0xf11, CSR_MARCHID = 0xf12, CSR_MIMPID = 0xf13, CSR_MHARTID = 0xf14,
	CSR_MCONFIGPTR = 0xf15,
	CSR_MSTATUS = 0x300, CSR_MISA = 0x301, CSR_MEDELEG = 0x302, CSR_MIDELEG = 0x303,
	CSR_MIE = 0x304, CSR_MTVEC = 0x305, CSR_MCOUNTEREN = 0x306, CSR_MENVCFG = 0x30a,
	CSR_MCOUNTINHIBIT = 0x320, CSR_MHPMEVENT3 = 0x323, CSR_MHPMEVENT31 = 0x33f,
	CSR_MSCRATCH = 0x340, CSR_MEPC = 0x341, CSR_MCAUSE = 0x342, CSR_MTVAL = 0x343,
	CSR_MIP = 0x344, CSR_PMPCFG0 = 0x3a0, CSR_PMPCFG15 = 0x3af, CSR_PMPADDR0 = 0x3b0,
	CSR_PMPADDR63 = 0x3ef,
	CSR_MCYCLE = 0xb00, CSR_MINSTRET = 0xb02, CSR_MHPMCOUNTER3 = 0xb03, CSR_MHPMCOUNTER31 = 0xb1f,
};

#define SSTATUS_MASK (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_UBE | MSTATUS_SPP | MSTATUS_FS | \
		      MSTATUS_XS | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_UXL | MSTATUS_SD)
#define MSTATUS_WMASK (MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP | \
		       MSTATUS_MPP | MSTATUS_FS | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | \
		       MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR)
#define S_INTS (MIP_SSIP | MIP_STIP | MIP_SEIP)
#define M_INTS (S_INTS | MIP_MSIP | MIP_MTIP | MIP_MEIP)
#define MEDELEG_MASK 0xb3ffull /* every standard exception but ecall from M */

static uint64_t counter_value(const struct hart *h)
{
	return h->instret;
}

#define INHIBIT_CY 1u
#define INHIBIT_IR 4u

static uint64_t mcycle(const struct hart *h)
{
	return (h->mcountinhibit & INHIBIT_CY) ? h->cycle_frozen : counter_value(h) - h->cycle_base;
}

static uint64_t minstret(const struct hart *h)
{
	return (h->mcountinhibit & INHIBIT_IR) ? h->instret_frozen
					       : counter_value(h) - h->instret_base;
}

/* Sets a counter; the writing instruction itself is not counted. */
static void set_counter(const struct hart *h, bool inhibited, uint64_t *base, uint64_t *frozen,
			uint64_t val)
{
	if (inhibited)
		*frozen = val;
	else
		*base = counter_value(h) - val + 1;
}

static void mcountinhibit_write(struct hart *h, uint64_t val)
{
	uint64_t old = h->mcountinhibit;
	h->cycle_frozen = mcycle(h);
	h->instret_frozen = minstret(h);
	h->mcountinhibit = val & 0xfffffffd;
	if ((old & INHIBIT_CY) && !(val & INHIBIT_CY))
		set_counter(h, false, &h->cycle_base, &h->cycle_frozen, h->cycle_frozen);
	if ((old & INHIBIT_IR) && !(val & INHIBIT_IR))
		set_counter(h, false, &h->instret_base, &h->instret_frozen, h->instret_frozen);
}

/* May the current privilege read counter `idx` (0 cycle, 1 time, 2 instret, ...)? */
static bool counter_allowed(const struct hart *h, unsigned idx)
{
	if (h->priv < PRV_M && !((h->mcounteren >> idx) & 1))
		return false;
	if (h->priv < PRV_S && !((h->scounteren >> idx) & 1))
		return false;
	return true;
}

static uint64_t mstatus_read(const struct hart *h)
{
	uint64_t s = h->mstatus & ~(MSTATUS_SD | MSTATUS_UXL | MSTATUS_SXL);
	s |= (2ull << 32) | (2ull << 34); /* UXL = SXL = 64 */
	if ((s & MSTATUS_FS) == MSTATUS_FS)
		s |= MSTATUS_SD;
	return s;
}

static void mstatus_write(struct hart *h, uint64_t val, uint64_t mask)
{
	uint64_t old = h->mstatus;
	uint64_t nv = (old & ~mask) | (val & mask);
	if (((nv & MSTATUS_MPP) >> 11) == 2)
		nv &= ~MSTATUS_MPP; /* MPP is WARL: 2 (H) is not a mode here */
	h->mstatus = nv;
	if ((old ^ nv) & MSTATUS_MXR)
		hart_tlb_flush(h);
	if ((old ^ nv) & (MSTATUS_MPRV | MSTATUS_MPP | MSTATUS_SUM))
		hart_tlb_select(h); /* SUM: its own data TLB (hart.h) */
	hart_recheck_irq(h); /* the interrupt enables may have changed */
}

static void satp_write(struct hart *h, uint64_t val)
{
	uint64_t mode = val >> 60;
	if (mode != 0 && mode != 8 && mode != 9)
		return; /* unsupported modes leave satp unchanged (WARL) */
	if (mode == 0)
		val = 0;
	h->satp = val; /* 16 ASID bits and 44 PPN bits, all writable */
	hart_tlb_flush(h);
}

bool csr_read(struct hart *h, unsigned csr, uint64_t *val)
{
	if (((csr >> 8) & 3) > h->priv)
		return false;
	switch (csr) {
	case CSR_FFLAGS: case CSR_FRM: case CSR_FCSR:
		if (!(h->mstatus & MSTATUS_FS))
			return false;
		*val = csr == CSR_FFLAGS ? h->fflags : csr == CSR_FRM ? h->frm : (h->frm << 5) | h->fflags;
		return true;
	case CSR_CYCLE: case CSR_INSTRET:
		if (!counter_allowed(h, csr & 31))
			return false;
		*val = csr == CSR_CYCLE ? mcycle(h) : minstret(h);
		return true;
	case CSR_TIME:
		if (!counter_allowed(h, 1))
			return false;
		*val = h->env.mtime(h->env.opaque);
		return true;
	case CSR_MCYCLE: *val = mcycle(h); return true;
	case CSR_MINSTRET: *val = minstret(h); return true;
	case CSR_SSTATUS: *val = mstatus_read(h) & SSTATUS_MASK; return true;
	case CSR_SIE: *val = h->mie & h->mideleg; return true;
	case CSR_SIP: *val = h->mip & h->mideleg; return true;
	case CSR_STVEC: *val = h->stvec; return true;
	case CSR_SCOUNTEREN: *val = h->scounteren; return true;
	case CSR_SENVCFG: *val = h->senvcfg; return true;
	case CSR_SSCRATCH: *val = h->sscratch; return true;
	case CSR_SEPC: *val = h->sepc; return true;
	case CSR_SCAUSE: *val = h->scause; return true;
	case CSR_STVAL: *val = h->stval; return true;
	case CSR_SATP:
		if (h->priv == PRV_S && (h->mstatus & MSTATUS_TVM))
			return false;
		*val = h->satp;
		return true;
	case CSR_MVENDORID: case CSR_MARCHID: case CSR_MIMPID: case CSR_MCONFIGPTR:
		*val = 0;
		return true;
	case CSR_MHARTID: *val = h->hartid; return true;
	case CSR_MSTATUS: *val = mstatus_read(h); return true;
	case CSR_MISA: *val = MISA_RV64GC; return true;
	case CSR_MEDELEG: *val = h->medeleg; return true;
	case CSR_MIDELEG: *val = h->mideleg; return true;
	case CSR_MIE: *val = h->mie; return true;
	case CSR_MIP: *val = h->mip; return true;
	case CSR_MTVEC: *val = h->mtvec; return true;
	case CSR_MCOUNTEREN: *val = h->mcounteren; return true;
	case CSR_MENVCFG: *val = h->menvcfg; return true;
	case CSR_MCOUNTINHIBIT: *val = h->mcountinhibit; return true;
	case CSR_MSCRATCH: *val = h->mscratch; return true;
	case CSR_MEPC: *val = h->mepc; return true;
	case CSR_MCAUSE: *val = h->mcause; return true;
	case CSR_MTVAL: *val = h->mtval; return true;
	}
	if (csr >= CSR_HPM3 && csr <= CSR_HPM31) {
		if (!counter_allowed(h, csr & 31))
			return false;
		*val = 0;
		return true;
	}
	if ((csr >= CSR_MHPMCOUNTER3 && csr <= CSR_MHPMCOUNTER31) ||
	    (csr >= CSR_MHPMEVENT3 && csr <= CSR_MHPMEVENT31)) {
		*val = 0;
		return true;
	}
	if (csr >= CSR_PMPCFG0 && csr <= CSR_PMPCFG15) {
		if (csr & 1)
			return false; /* odd pmpcfg registers do not exist on RV64 */
		*val = h->pmpcfg[(csr - CSR_PMPCFG0) / 2];
		return true;
	}
	if (csr >= CSR_PMPADDR0 && csr <= CSR_PMPADDR63) {
		*val = h->pmpaddr[csr - CSR_PMPADDR0];
		return true;
	}
	return false;
}

static bool fp_csr_write(struct hart *h, unsigned csr, uint64_t val)
{
	if (!(h->mstatus & MSTATUS_FS))
		return false;
	if (csr == CSR_FFLAGS) {
		h->fflags = val & 31;
	} else if (csr == CSR_FRM) {
		h->frm = val & 7;
	} else {
		h->fflags = val & 31;
		h->frm = (val >> 5) & 7;
	}
	hart_fs_dirty(h);
	return true;
}

/* Writes to M-level CSRs (only reached from M-mode). */
static bool m_csr_write(struct hart *h, unsigned csr, uint64_t val)
{
	switch (csr) {
	case CSR_MSTATUS: mstatus_write(h, val, MSTATUS_WMASK); return true;
	case CSR_MISA: return true; /* misa is fixed: writes are ignored */
	case CSR_MEDELEG: h->medeleg = val & MEDELEG_MASK; return true;
	case CSR_MIDELEG: h->mideleg = val & S_INTS; h->stop = true; return true;
	case CSR_MIE: h->mie = val & M_INTS; h->stop = true; return true;
	case CSR_MIP:
		h->mip = (h->mip & ~S_INTS) | (val & S_INTS);
		h->stop = true;
		return true;
	case CSR_MTVEC: h->mtvec = val & ~2ull; return true;
	case CSR_MCOUNTEREN: h->mcounteren = val & 0xffffffff; return true;
	case CSR_MENVCFG: return true; /* no optional features: all fields read 0 */
	case CSR_MCOUNTINHIBIT: mcountinhibit_write(h, val); return true;
	case CSR_MSCRATCH: h->mscratch = val; return true;
	case CSR_MEPC: h->mepc = val & ~1ull; return true;
	case CSR_MCAUSE: h->mcause = val; return true;
	case CSR_MTVAL: h->mtval = val; return true;
	case CSR_MCYCLE:
		set_counter(h, h->mcountinhibit & INHIBIT_CY, &h->cycle_base, &h->cycle_frozen, val);
		return true;
	case CSR_MINSTRET:
		set_counter(h, h->mcountinhibit & INHIBIT_IR, &h->instret_base, &h->instret_frozen, val);
		return true;
	}
	if ((csr >= CSR_MHPMCOUNTER3 && csr <= CSR_MHPMCOUNTER31) ||
	    (csr >= CSR_MHPMEVENT3 && csr <= CSR_MHPMEVENT31))
		return true;
	if (csr >= CSR_PMPCFG0 && csr <= CSR_PMPCFG15) {
		if (csr & 1)
			return false;
		pmp_write_cfg(h, csr - CSR_PMPCFG0, val);
		return true;
	}
	if (csr >= CSR_PMPADDR0 && csr <= CSR_PMPADDR63) {
		pmp_write_addr(h, csr - CSR_PMPADDR0, val);
		return true;
	}
	return false;
}

bool csr_write(struct hart *h, unsigned csr, uint64_t val)
{
	if (((csr >> 8) & 3) > h->priv || (csr >> 10) == 3)
		return false;
	switch (csr) {
	case CSR_FFLAGS: case CSR_FRM: case CSR_FCSR:
		return fp_csr_write(h, csr, val);
	case CSR_SSTATUS:
		mstatus_write(h, val, SSTATUS_MASK & MSTATUS_WMASK);
		return true;
	case CSR_SIE:
		h->mie = (h->mie & ~h->mideleg) | (val & h->mideleg);
		h->stop = true;
		return true;
	case CSR_SIP: {
		uint64_t m = h->mideleg & MIP_SSIP;
		h->mip = (h->mip & ~m) | (val & m);
		h->stop = true;
		return true;
	}
	case CSR_STVEC: h->stvec = val & ~2ull; return true;
	case CSR_SCOUNTEREN: h->scounteren = val & 0xffffffff; return true;
	case CSR_SENVCFG: return true;
	case CSR_SSCRATCH: h->sscratch = val; return true;
	case CSR_SEPC: h->sepc = val & ~1ull; return true;
	case CSR_SCAUSE: h->scause = val; return true;
	case CSR_STVAL: h->stval = val; return true;
	case CSR_SATP:
		if (h->priv == PRV_S && (h->mstatus & MSTATUS_TVM))
			return false;
		satp_write(h, val);
		return true;
	}
	return h->priv == PRV_M && m_csr_write(h, csr, val);
}
