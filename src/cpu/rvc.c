/*
 * rvc.c - RV64C expansion.  Immediate scrambles follow the tables of the
 * unprivileged specification's "Compressed Instruction Formats" chapter.
 */
#include "cpu/rvc.h"

#include "base/base.h"

enum {
	OP_LOAD = 0x03, OP_LOAD_FP = 0x07, OP_IMM = 0x13, OP_IMM32 = 0x1b, OP_STORE = 0x23,
	OP_STORE_FP = 0x27, OP_OP = 0x33, OP_LUI = 0x37, OP_OP32 = 0x3b, OP_BRANCH = 0x63,
	OP_JALR = 0x67, OP_JAL = 0x6f,
};

static uint32_t i_type(unsigned op, unsigned f3, unsigned rd, unsigned rs1, int32_t imm)
{
	return ((uint32_t)imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}

static uint32_t s_type(unsigned op, unsigned f3, unsigned rs1, unsigned rs2, int32_t imm)
{
	uint32_t u = (uint32_t)imm;
	return ((u >> 5) & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (u & 31) << 7 | op;
}

static uint32_t r_type(unsigned op, unsigned f3, unsigned f7, unsigned rd, unsigned rs1,
		       unsigned rs2)
{
	return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}

static uint32_t b_type(unsigned f3, unsigned rs1, unsigned rs2, int32_t imm)
{
	uint32_t u = (uint32_t)imm;
	return ((u >> 12) & 1) << 31 | ((u >> 5) & 0x3f) << 25 | rs2 << 20 | rs1 << 15 |
	       f3 << 12 | ((u >> 1) & 0xf) << 8 | ((u >> 11) & 1) << 7 | OP_BRANCH;
}

static uint32_t j_type(unsigned rd, int32_t imm)
{
	uint32_t u = (uint32_t)imm;
	return ((u >> 20) & 1) << 31 | ((u >> 1) & 0x3ff) << 21 | ((u >> 11) & 1) << 20 |
	       ((u >> 12) & 0xff) << 12 | rd << 7 | OP_JAL;
}

#define B(hi, lo) ((uint32_t)bits(c, hi, lo))

/* Offsets of C.LD/C.SD/C.FLD/C.FSD, C.LW/C.SW, and the SP-relative forms. */
static uint32_t off_d(uint32_t c) { return B(12, 10) << 3 | B(6, 5) << 6; }
static uint32_t off_w(uint32_t c) { return B(12, 10) << 3 | B(6, 6) << 2 | B(5, 5) << 6; }
static uint32_t off_ldsp(uint32_t c) { return B(12, 12) << 5 | B(6, 5) << 3 | B(4, 2) << 6; }
static uint32_t off_lwsp(uint32_t c) { return B(12, 12) << 5 | B(6, 4) << 2 | B(3, 2) << 6; }
static uint32_t off_sdsp(uint32_t c) { return B(12, 10) << 3 | B(9, 7) << 6; }
static uint32_t off_swsp(uint32_t c) { return B(12, 9) << 2 | B(8, 7) << 6; }

static int32_t imm6(uint32_t c)
{
	return (int32_t)sext(B(12, 12) << 5 | B(6, 2), 6);
}

static uint32_t quadrant0(uint32_t c)
{
	unsigned rd = B(4, 2) + 8, rs1 = B(9, 7) + 8;
	switch (B(15, 13)) {
	case 0: {
		uint32_t imm = B(12, 11) << 4 | B(10, 7) << 6 | B(6, 6) << 2 | B(5, 5) << 3;
		return imm ? i_type(OP_IMM, 0, rd, 2, (int32_t)imm) : 0;
	}
	case 1: return i_type(OP_LOAD_FP, 3, rd, rs1, (int32_t)off_d(c));
	case 2: return i_type(OP_LOAD, 2, rd, rs1, (int32_t)off_w(c));
	case 3: return i_type(OP_LOAD, 3, rd, rs1, (int32_t)off_d(c));
	case 5: return s_type(OP_STORE_FP, 3, rs1, rd, (int32_t)off_d(c));
	case 6: return s_type(OP_STORE, 2, rs1, rd, (int32_t)off_w(c));
	case 7: return s_type(OP_STORE, 3, rs1, rd, (int32_t)off_d(c));
	}
	return 0;
}

static uint32_t arith(uint32_t c)
{
	unsigned rd = B(9, 7) + 8, rs2 = B(4, 2) + 8;
	unsigned shamt = B(12, 12) << 5 | B(6, 2);
	switch (B(11, 10)) {
	case 0: return i_type(OP_IMM, 5, rd, rd, (int32_t)shamt);
	case 1: return i_type(OP_IMM, 5, rd, rd, (int32_t)(shamt | 0x400));
	case 2: return i_type(OP_IMM, 7, rd, rd, imm6(c));
	}
	static const unsigned f3[4] = {0, 4, 6, 7};
	if (!B(12, 12))
		return r_type(OP_OP, f3[B(6, 5)], B(6, 5) ? 0 : 0x20, rd, rd, rs2);
	if (B(6, 5) == 0)
		return r_type(OP_OP32, 0, 0x20, rd, rd, rs2);
	if (B(6, 5) == 1)
		return r_type(OP_OP32, 0, 0, rd, rd, rs2);
	return 0;
}

static uint32_t quadrant1(uint32_t c)
{
	unsigned rd = B(11, 7);
	switch (B(15, 13)) {
	case 0: return i_type(OP_IMM, 0, rd, rd, imm6(c));
	case 1: return rd ? i_type(OP_IMM32, 0, rd, rd, imm6(c)) : 0;
	case 2: return i_type(OP_IMM, 0, rd, 0, imm6(c));
	case 3:
		if (rd == 2) {
			int32_t imm = (int32_t)sext(B(12, 12) << 9 | B(6, 6) << 4 | B(5, 5) << 6 |
						    B(4, 3) << 7 | B(2, 2) << 5, 10);
			return imm ? i_type(OP_IMM, 0, 2, 2, imm) : 0;
		} else {
			int32_t imm = (int32_t)sext(B(12, 12) << 17 | B(6, 2) << 12, 18);
			return imm ? ((uint32_t)imm & 0xfffff000) | rd << 7 | OP_LUI : 0;
		}
	case 4: return arith(c);
	case 5: {
		int32_t off = (int32_t)sext(B(12, 12) << 11 | B(11, 11) << 4 | B(10, 9) << 8 |
					    B(8, 8) << 10 | B(7, 7) << 6 | B(6, 6) << 7 |
					    B(5, 3) << 1 | B(2, 2) << 5, 12);
		return j_type(0, off);
	}
	default: {
		int32_t off = (int32_t)sext(B(12, 12) << 8 | B(11, 10) << 3 | B(6, 5) << 6 |
					    B(4, 3) << 1 | B(2, 2) << 5, 9);
		return b_type(B(15, 13) == 6 ? 0 : 1, B(9, 7) + 8, 0, off);
	}
	}
}

static uint32_t quadrant2(uint32_t c)
{
	unsigned rd = B(11, 7), rs2 = B(6, 2);
	switch (B(15, 13)) {
	case 0: return i_type(OP_IMM, 1, rd, rd, (int32_t)(B(12, 12) << 5 | B(6, 2)));
	case 1: return i_type(OP_LOAD_FP, 3, rd, 2, (int32_t)off_ldsp(c));
	case 2: return rd ? i_type(OP_LOAD, 2, rd, 2, (int32_t)off_lwsp(c)) : 0;
	case 3: return rd ? i_type(OP_LOAD, 3, rd, 2, (int32_t)off_ldsp(c)) : 0;
	case 4:
		if (!B(12, 12)) {
			if (rs2)
				return r_type(OP_OP, 0, 0, rd, 0, rs2);
			return rd ? i_type(OP_JALR, 0, 0, rd, 0) : 0;
		}
		if (rs2)
			return r_type(OP_OP, 0, 0, rd, rd, rs2);
		return rd ? i_type(OP_JALR, 0, 1, rd, 0) : 0x00100073; /* c.ebreak */
	case 5: return s_type(OP_STORE_FP, 3, 2, rs2, (int32_t)off_sdsp(c));
	case 6: return s_type(OP_STORE, 2, 2, rs2, (int32_t)off_swsp(c));
	case 7: return s_type(OP_STORE, 3, 2, rs2, (int32_t)off_sdsp(c));
	}
	return 0;
}

uint32_t rvc_expand(uint16_t insn)
{
	uint32_t c = insn;
	switch (c & 3) {
	case 0: return quadrant0(c);
	case 1: return quadrant1(c);
	case 2: return quadrant2(c);
	}
	return 0;
}
