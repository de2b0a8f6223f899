/*
 * alu.h - integer arithmetic of RV64IM shared by the interpreter and the
 * block engine: the results the specification defines at every edge
 * (division by zero, signed overflow, shift amounts masked to 6 or 5 bits).
 */
#ifndef UMBRA_CPU_ALU_H
#define UMBRA_CPU_ALU_H

#include "base/base.h"

#define F3(i) bits(i, 14, 12)

static inline uint64_t alu(uint32_t insn, uint64_t a, uint64_t b, bool imm)
{
	unsigned f3 = F3(insn);
	bool alt = (insn >> 30) & 1;
	switch (f3) {
	case 0: return (!imm && alt) ? a - b : a + b;
	case 1: return a << (b & 63);
	case 2: return (int64_t)a < (int64_t)b;
	case 3: return a < b;
	case 4: return a ^ b;
	case 5: return alt ? (uint64_t)((int64_t)a >> (b & 63)) : a >> (b & 63);
	case 6: return a | b;
	default: return a & b;
	}
}

static inline uint64_t alu32(uint32_t insn, uint64_t a, uint64_t b, bool imm)
{
	uint32_t x = (uint32_t)a, y = (uint32_t)b;
	bool alt = (insn >> 30) & 1;
	switch (F3(insn)) {
	case 0: return (uint64_t)(int32_t)((!imm && alt) ? x - y : x + y);
	case 1: return (uint64_t)(int32_t)(x << (y & 31));
	default: return (uint64_t)(alt ? (int32_t)x >> (y & 31) : (int32_t)(x >> (y & 31)));
	}
}

static inline uint64_t muldiv(unsigned f3, uint64_t a, uint64_t b)
{
	int64_t sa = (int64_t)a, sb = (int64_t)b;
	switch (f3) {
	case 0: return a * b;
	case 1: return (uint64_t)(((__int128)sa * sb) >> 64);
	case 2: return (uint64_t)(((__int128)sa * (unsigned __int128)b) >> 64);
	case 3: return (uint64_t)(((unsigned __int128)a * b) >> 64);
	case 4:
		if (b == 0)
			return ~0ull;
		if (sa == INT64_MIN && sb == -1)
			return a;
		return (uint64_t)(sa / sb);
	case 5: return b ? a / b : ~0ull;
	case 6:
		if (b == 0)
			return a;
		if (sa == INT64_MIN && sb == -1)
			return 0;
		return (uint64_t)(sa % sb);
	default: return b ? a % b : a;
	}
}

static inline bool muldiv32(unsigned f3, uint64_t a, uint64_t b, uint64_t *r)
{
	int32_t sa = (int32_t)a, sb = (int32_t)b;
	uint32_t ua = (uint32_t)a, ub = (uint32_t)b;
	int32_t v;
	switch (f3) {
	case 0: v = (int32_t)(ua * ub); break;
	case 4: v = ub == 0 ? -1 : (sa == INT32_MIN && sb == -1) ? sa : sa / sb; break;
	case 5: v = (int32_t)(ub ? ua / ub : ~0u); break;
	case 6: v = ub == 0 ? sa : (sa == INT32_MIN && sb == -1) ? 0 : sa % sb; break;
	case 7: v = (int32_t)(ub ? ua % ub : ua); break;
	default: return false;
	}
	*r = (uint64_t)(int64_t)v;
	return true;
}

static inline bool branch_taken(unsigned f3, uint64_t a, uint64_t b)
{
	switch (f3) {
	case 0: return a == b;
	case 1: return a != b;
	case 4: return (int64_t)a < (int64_t)b;
	case 5: return (int64_t)a >= (int64_t)b;
	case 6: return a < b;
	default: return a >= b;
	}
}

#endif
