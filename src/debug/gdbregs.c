/*
 * gdbregs.c - the target description, the registers and the memory of a
 * hart for the GDB stub.  See gdbregs.h.
 */
#include "debug/gdbregs.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "cpu/csr.h"
#include "mmu/mmu.h"

enum { CSR_FFLAGS = 0x001, CSR_FRM = 0x002, CSR_FCSR = 0x003 };

static const char *const xnames[32] = {
	"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "fp", "s1", "a0", "a1", "a2", "a3",
	"a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
	"t3", "t4", "t5", "t6",
};

static const char *const fnames[32] = {
	"ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1",
	"fa2", "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7",
	"fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
};

/* The CSRs the description lists (every one of them is readable by csr_read in M-mode). */
static const struct {
	unsigned num;
	const char *name;
} csrs[] = {
	{0xc00, "cycle"}, {0xc01, "time"}, {0xc02, "instret"},
	{0x100, "sstatus"}, {0x104, "sie"}, {0x105, "stvec"}, {0x106, "scounteren"},
	{0x10a, "senvcfg"}, {0x140, "sscratch"}, {0x141, "sepc"}, {0x142, "scause"},
	{0x143, "stval"}, {0x144, "sip"}, {0x180, "satp"},
	{0xf11, "mvendorid"}, {0xf12, "marchid"}, {0xf13, "mimpid"}, {0xf14, "mhartid"},
	{0x300, "mstatus"}, {0x301, "misa"}, {0x302, "medeleg"}, {0x303, "mideleg"},
	{0x304, "mie"}, {0x305, "mtvec"}, {0x306, "mcounteren"}, {0x30a, "menvcfg"},
	{0x320, "mcountinhibit"}, {0x340, "mscratch"}, {0x341, "mepc"}, {0x342, "mcause"},
	{0x343, "mtval"}, {0x344, "mip"},
	{0x3a0, "pmpcfg0"}, {0x3a2, "pmpcfg2"},
	{0x3b0, "pmpaddr0"}, {0x3b1, "pmpaddr1"}, {0x3b2, "pmpaddr2"}, {0x3b3, "pmpaddr3"},
	{0x3b4, "pmpaddr4"}, {0x3b5, "pmpaddr5"}, {0x3b6, "pmpaddr6"}, {0x3b7, "pmpaddr7"},
	{0x3b8, "pmpaddr8"}, {0x3b9, "pmpaddr9"}, {0x3ba, "pmpaddr10"}, {0x3bb, "pmpaddr11"},
	{0x3bc, "pmpaddr12"}, {0x3bd, "pmpaddr13"}, {0x3be, "pmpaddr14"}, {0x3bf, "pmpaddr15"},
	{0xb00, "mcycle"}, {0xb02, "minstret"},
};

struct xml_out {
	char *buf;
	size_t size, len;
	bool overflow;
};

PRINTF(2, 3)
static void xml(struct xml_out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->size - o->len)
		o->overflow = true;
	else
		o->len += (size_t)n;
}

static void xml_reg(struct xml_out *o, const char *name, unsigned regnum, const char *type)
{
	xml(o, "<reg name=\"%s\" bitsize=\"64\" regnum=\"%u\" type=\"%s\"/>\n", name, regnum, type);
}

size_t gdb_target_xml(char *buf, size_t size)
{
	struct xml_out o = {.buf = buf, .size = size};
	xml(&o, "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
		"<target version=\"1.0\">\n<architecture>riscv:rv64</architecture>\n");
	xml(&o, "<feature name=\"org.gnu.gdb.riscv.cpu\">\n");
	for (unsigned i = 0; i < 32; i++)
		xml_reg(&o, xnames[i], i, i == 2 ? "data_ptr" : "int");
	xml_reg(&o, "pc", GDB_REG_PC, "code_ptr");
	xml(&o, "</feature>\n<feature name=\"org.gnu.gdb.riscv.fpu\">\n");
	for (unsigned i = 0; i < 32; i++)
		xml_reg(&o, fnames[i], GDB_REG_F0 + i, "ieee_double");
	xml_reg(&o, "fflags", GDB_REG_CSR0 + CSR_FFLAGS, "int");
	xml_reg(&o, "frm", GDB_REG_CSR0 + CSR_FRM, "int");
	xml_reg(&o, "fcsr", GDB_REG_CSR0 + CSR_FCSR, "int");
	xml(&o, "</feature>\n<feature name=\"org.gnu.gdb.riscv.csr\">\n");
	for (unsigned i = 0; i < ARRAY_SIZE(csrs); i++)
		xml_reg(&o, csrs[i].name, GDB_REG_CSR0 + csrs[i].num, "int");
	xml(&o, "</feature>\n<feature name=\"org.gnu.gdb.riscv.virtual\">\n");
	xml_reg(&o, "priv", GDB_REG_PRIV, "int");
	xml(&o, "</feature>\n</target>\n");
	return o.overflow ? 0 : o.len;
}

/*
 * CSR access as M-mode has it, whatever the hart's privilege: the hart's
 * privilege is lowered again at once, and the TLB selection recomputed in
 * case the write changed MPRV or MPP.
 */
static bool csr_get(struct hart *h, unsigned csr, uint64_t *val)
{
	switch (csr) { /* readable even while mstatus.FS is off */
	case CSR_FFLAGS: *val = h->fflags; return true;
	case CSR_FRM: *val = h->frm; return true;
	case CSR_FCSR: *val = (h->frm << 5) | h->fflags; return true;
	}
	unsigned priv = h->priv;
	h->priv = PRV_M;
	bool ok = csr_read(h, csr, val);
	h->priv = priv;
	return ok;
}

static bool csr_set(struct hart *h, unsigned csr, uint64_t val)
{
	switch (csr) {
	case CSR_FFLAGS: h->fflags = val & 31; return true;
	case CSR_FRM: h->frm = val & 7; return true;
	case CSR_FCSR: h->fflags = val & 31; h->frm = (val >> 5) & 7; return true;
	}
	unsigned priv = h->priv;
	h->priv = PRV_M;
	bool ok = csr_write(h, csr, val);
	h->priv = priv;
	hart_tlb_select(h);
	h->stop = true;
	return ok;
}

bool gdb_reg_read(struct hart *h, unsigned regno, uint64_t *val)
{
	if (regno < 32)
		*val = regno ? h->x[regno] : 0;
	else if (regno == GDB_REG_PC)
		*val = h->pc;
	else if (regno < GDB_REG_CSR0)
		*val = h->f[regno - GDB_REG_F0];
	else if (regno < GDB_REG_PRIV)
		return csr_get(h, regno - GDB_REG_CSR0, val);
	else if (regno == GDB_REG_PRIV)
		*val = h->priv;
	else
		return false;
	return true;
}

bool gdb_reg_write(struct hart *h, unsigned regno, uint64_t val)
{
	if (regno < 32) {
		if (regno)
			h->x[regno] = val;
	} else if (regno == GDB_REG_PC) {
		h->pc = val;
	} else if (regno < GDB_REG_CSR0) {
		h->f[regno - GDB_REG_F0] = val;
	} else if (regno < GDB_REG_PRIV) {
		return csr_set(h, regno - GDB_REG_CSR0, val);
	} else if (regno == GDB_REG_PRIV) {
		if (val != PRV_U && val != PRV_S && val != PRV_M)
			return false;
		h->priv = (unsigned)val;
		hart_tlb_select(h);
		h->stop = true;
	} else {
		return false;
	}
	return true;
}

/* The guest-physical address of va as the hart's instruction fetch sees it. */
static int translate(struct hart *h, gva_t va, gpa_t *pa)
{
	unsigned flags;
	if (h->priv == PRV_M) {
		*pa = va;
		return 0;
	}
	return mmu_lookup(h, h->satp, va, pa, &flags) ? -EFAULT : 0;
}

/* The bytes from va to the end of its page, at most len. */
static size_t page_chunk(gva_t va, size_t len)
{
	uint64_t left = PAGE_SIZE - (va & (PAGE_SIZE - 1));
	return len < left ? len : (size_t)left;
}

size_t gdb_mem_read(struct hart *h, gva_t va, void *buf, size_t len, int *err)
{
	size_t done = 0;
	while (done < len) {
		size_t n = page_chunk(va + done, len - done);
		gpa_t pa;
		int rc = translate(h, va + done, &pa);
		if (!rc)
			rc = pmap_dma_read(h->env.mem, pa, (uint8_t *)buf + done, n);
		if (rc) {
			*err = -rc;
			break;
		}
		done += n;
	}
	return done;
}

int gdb_mem_write(struct hart *h, gva_t va, const void *buf, size_t len)
{
	/* Check every page first, so that a refused write changes nothing. */
	for (size_t done = 0, n; done < len; done += n) {
		n = page_chunk(va + done, len - done);
		gpa_t pa;
		int rc = translate(h, va + done, &pa);
		if (!rc)
			rc = pmap_dma_check(h->env.mem, pa, n, true);
		if (rc)
			return rc;
	}
	for (size_t done = 0, n; done < len; done += n) {
		n = page_chunk(va + done, len - done);
		gpa_t pa;
		int rc = translate(h, va + done, &pa);
		if (!rc)
			rc = pmap_dma_write(h->env.mem, pa, (const uint8_t *)buf + done, n);
		if (rc)
			return rc;
	}
	return 0;
}
