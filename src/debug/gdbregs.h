/*
 * gdbregs.h - a hart's registers and memory as the GDB stub shows them.
 *
 * Contract: register numbers are GDB's for RISC-V: x0-x31 are 0-31, pc 32,
 * f0-f31 33-64, CSR n is 65 + n, and the virtual register priv (the
 * privilege level) is GDB_REG_PRIV; every register is 64 bits.  Reads have
 * no side effects on the hart; writes act as a CSR instruction in M-mode
 * would (the TLBs and decoded code stay coherent).  Memory is accessed as
 * the hart fetches instructions (physical in M-mode, through satp below),
 * RAM only, with the rights devices have.
 */
#ifndef UMBRA_DEBUG_GDBREGS_H
#define UMBRA_DEBUG_GDBREGS_H

#include "cpu/hart.h"

#define GDB_REG_PC 32
#define GDB_REG_F0 33
#define GDB_REG_CSR0 65
#define GDB_REG_PRIV (GDB_REG_CSR0 + 4096)
#define GDB_G_REGS 65 /* the 'g' packet: x0-x31, pc, f0-f31 */

/* Writes the target description (target.xml) into buf; its length, or 0 if buf is too small. */
size_t gdb_target_xml(char *buf, size_t size);

bool gdb_reg_read(struct hart *h, unsigned regno, uint64_t *val);
bool gdb_reg_write(struct hart *h, unsigned regno, uint64_t val);

/* Reads up to len bytes at va; how many it could (it stops at the first
 * failure, then *err is EFAULT for memory that is not mapped RAM, EACCES
 * for a refusal). */
size_t gdb_mem_read(struct hart *h, gva_t va, void *buf, size_t len, int *err);
/* Writes all of buf at va, or nothing: 0, -EFAULT or -EACCES. */
int gdb_mem_write(struct hart *h, gva_t va, const void *buf, size_t len);

#endif
