/*
 * test_fpu.c - host unit test of the F and D computational instructions
 * (src/cpu/fpu.c): rounding modes including RMM ties, flags, canonical
 * NaNs, NaN boxing, saturating conversions, fmin/fmax, compares, fclass,
 * fused multiply-add, illegal encodings and mstatus.FS.
 */
#include "cpu/fpu.h"

#include "check.h"

#include <math.h>
#include <string.h>

static struct check_ctx ctx;
#define CK(cond) CHECK(&ctx, cond)

enum { NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16 };
enum { RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4, DYN = 7 };
enum { S = 0, D = 1 };

#define FS_INITIAL (1ull << 13)
#define CANON_S 0xffffffff7fc00000ull /* boxed */
#define CANON_D 0x7ff8000000000000ull

static struct hart h, saved;

static void reset(void)
{
	memset(&h, 0, sizeof(h));
	h.mstatus = FS_INITIAL;
}

/* ---- encoders ---- */

static uint32_t enc_r(unsigned f7, unsigned rs2, unsigned rs1, unsigned f3, unsigned rd)
{
	return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x53;
}

static uint32_t enc_r4(unsigned opc, unsigned rs3, unsigned fmt, unsigned rs2, unsigned rs1, unsigned rm,
		       unsigned rd)
{
	return (rs3 << 27) | (fmt << 25) | (rs2 << 20) | (rs1 << 15) | (rm << 12) | (rd << 7) | opc;
}

/* funct7 = op5 << 2 | fmt */
static uint32_t e_fadd(unsigned fmt, unsigned rd, unsigned a, unsigned b, unsigned rm) { return enc_r(0x00 | fmt, b, a, rm, rd); }
static uint32_t e_fsub(unsigned fmt, unsigned rd, unsigned a, unsigned b, unsigned rm) { return enc_r(0x04 | fmt, b, a, rm, rd); }
static uint32_t e_fmul(unsigned fmt, unsigned rd, unsigned a, unsigned b, unsigned rm) { return enc_r(0x08 | fmt, b, a, rm, rd); }
static uint32_t e_fdiv(unsigned fmt, unsigned rd, unsigned a, unsigned b, unsigned rm) { return enc_r(0x0c | fmt, b, a, rm, rd); }
static uint32_t e_fsqrt(unsigned fmt, unsigned rd, unsigned a, unsigned rm) { return enc_r(0x2c | fmt, 0, a, rm, rd); }
static uint32_t e_fsgnj(unsigned fmt, unsigned f3, unsigned rd, unsigned a, unsigned b) { return enc_r(0x10 | fmt, b, a, f3, rd); }
static uint32_t e_fminmax(unsigned fmt, unsigned max, unsigned rd, unsigned a, unsigned b) { return enc_r(0x14 | fmt, b, a, max, rd); }
/* f3: 0 FLE, 1 FLT, 2 FEQ */
static uint32_t e_fcmp(unsigned fmt, unsigned f3, unsigned rd, unsigned a, unsigned b) { return enc_r(0x50 | fmt, b, a, f3, rd); }
/* kind: 0 W, 1 WU, 2 L, 3 LU */
static uint32_t e_fcvt_to_int(unsigned fmt, unsigned kind, unsigned rd, unsigned a, unsigned rm) { return enc_r(0x60 | fmt, kind, a, rm, rd); }
static uint32_t e_fcvt_from_int(unsigned fmt, unsigned kind, unsigned rd, unsigned a, unsigned rm) { return enc_r(0x68 | fmt, kind, a, rm, rd); }
static uint32_t e_fcvt_s_d(unsigned rd, unsigned a, unsigned rm) { return enc_r(0x20, 1, a, rm, rd); }
static uint32_t e_fcvt_d_s(unsigned rd, unsigned a, unsigned rm) { return enc_r(0x21, 0, a, rm, rd); }
static uint32_t e_fmv_x(unsigned fmt, unsigned rd, unsigned a) { return enc_r(0x70 | fmt, 0, a, 0, rd); }
static uint32_t e_fclass(unsigned fmt, unsigned rd, unsigned a) { return enc_r(0x70 | fmt, 0, a, 1, rd); }
static uint32_t e_fmv_f(unsigned fmt, unsigned rd, unsigned a) { return enc_r(0x78 | fmt, 0, a, 0, rd); }
static uint32_t e_fmadd(unsigned fmt, unsigned rd, unsigned a, unsigned b, unsigned c, unsigned rm) { return enc_r4(0x43, c, fmt, b, a, rm, rd); }
static uint32_t e_fmsub(unsigned fmt, unsigned rd, unsigned a, unsigned b, unsigned c, unsigned rm) { return enc_r4(0x47, c, fmt, b, a, rm, rd); }
static uint32_t e_fnmsub(unsigned fmt, unsigned rd, unsigned a, unsigned b, unsigned c, unsigned rm) { return enc_r4(0x4b, c, fmt, b, a, rm, rd); }
static uint32_t e_fnmadd(unsigned fmt, unsigned rd, unsigned a, unsigned b, unsigned c, unsigned rm) { return enc_r4(0x4f, c, fmt, b, a, rm, rd); }

/* ---- register helpers ---- */

static uint64_t bd(double d)
{
	uint64_t x;
	memcpy(&x, &d, 8);
	return x;
}

static uint32_t bs(float f)
{
	uint32_t x;
	memcpy(&x, &f, 4);
	return x;
}

static void setd(unsigned r, double d) { h.f[r] = bd(d); }
static void sets(unsigned r, float f) { h.f[r] = fpu_box32(bs(f)); }
static void setsb(unsigned r, uint32_t bits) { h.f[r] = fpu_box32(bits); }

/* Runs one instruction with fflags cleared; returns the flags it raised,
 * or -1 if fpu_execute() reported an illegal instruction. */
static int run(uint32_t insn)
{
	h.fflags = 0;
	int rc = fpu_execute(&h, insn);
	return rc ? -1 : (int)h.fflags;
}

/* Single result as boxed bits. */
#define BOX(v) fpu_box32((uint32_t)(v))

/* ---- tests ---- */

static void test_basic(void)
{
	reset();
	setd(1, 1.5);
	setd(2, 2.25);
	CK(run(e_fadd(D, 3, 1, 2, RNE)) == 0);
	CK(h.f[3] == bd(3.75));
	CK((h.mstatus & MSTATUS_FS) == MSTATUS_FS && (h.mstatus & MSTATUS_SD));
	CK(run(e_fsub(D, 3, 1, 2, RNE)) == 0 && h.f[3] == bd(-0.75));
	CK(run(e_fmul(D, 3, 1, 2, RNE)) == 0 && h.f[3] == bd(3.375));
	CK(run(e_fdiv(D, 3, 2, 1, RNE)) == 0 && h.f[3] == bd(1.5));
	sets(1, 1.5f);
	sets(2, 2.25f);
	CK(run(e_fadd(S, 3, 1, 2, RNE)) == 0 && h.f[3] == BOX(bs(3.75f)));
	CK(run(e_fmul(S, 3, 1, 2, RNE)) == 0 && h.f[3] == BOX(bs(3.375f)));
	sets(4, 2.25f);
	CK(run(e_fsqrt(S, 5, 4, RNE)) == 0 && h.f[5] == BOX(bs(1.5f)));
	setd(4, 2.0);
	CK(run(e_fsqrt(D, 5, 4, RNE)) == NX && h.f[5] == bd(0x1.6a09e667f3bcdp+0));
	CK(run(e_fsqrt(D, 5, 4, RUP)) == NX && h.f[5] == bd(0x1.6a09e667f3bcdp+0));
	CK(run(e_fsqrt(D, 5, 4, RTZ)) == NX && h.f[5] == bd(0x1.6a09e667f3bccp+0));
	CK(run(e_fsqrt(D, 5, 4, RMM)) == NX && h.f[5] == bd(0x1.6a09e667f3bcdp+0));
	setd(4, -0.0);
	CK(run(e_fsqrt(D, 5, 4, RMM)) == 0 && h.f[5] == bd(-0.0));
	/* flags accrue */
	h.fflags = DZ;
	setd(1, 1.0);
	setd(2, 3.0);
	CK(fpu_execute(&h, e_fdiv(D, 3, 1, 2, RNE)) == 0 && h.fflags == (DZ | NX));
	/* exact cancellation: +0, except -0 when rounding down */
	for (unsigned rm = 0; rm <= RMM; rm++) {
		setd(1, 1.0);
		setd(2, 1.0);
		CK(run(e_fsub(D, 3, 1, 2, rm)) == 0);
		CK(h.f[3] == bd(rm == RDN ? -0.0 : 0.0));
		sets(1, 1.0f);
		sets(2, 1.0f);
		CK(run(e_fsub(S, 3, 1, 2, rm)) == 0);
		CK(h.f[3] == BOX(bs(rm == RDN ? -0.0f : 0.0f)));
	}
}

/* Additions whose exact result is a tie, in every rounding mode. */
static void test_add_ties(void)
{
	static const struct {
		double a, b;
		double r[5]; /* RNE RTZ RDN RUP RMM */
	} dt[] = {
		/* 1 + 2^-53: between 1 (even) and 1+2^-52 */
		{ 1.0, 0x1p-53, { 1.0, 1.0, 1.0, 1.0 + 0x1p-52, 1.0 + 0x1p-52 } },
		/* (1+2^-52) + 2^-53: between 1+2^-52 (odd) and 1+2^-51 */
		{ 1.0 + 0x1p-52, 0x1p-53, { 1.0 + 0x1p-51, 1.0 + 0x1p-52, 1.0 + 0x1p-52, 1.0 + 0x1p-51, 1.0 + 0x1p-51 } },
		{ -1.0, -0x1p-53, { -1.0, -1.0, -1.0 - 0x1p-52, -1.0, -1.0 - 0x1p-52 } },
		/* not a tie: a quarter ulp */
		{ 1.0, 0x1p-54, { 1.0, 1.0, 1.0, 1.0 + 0x1p-52, 1.0 } },
		/* three quarters of an ulp */
		{ 1.0, 0x1.8p-53, { 1.0 + 0x1p-52, 1.0, 1.0, 1.0 + 0x1p-52, 1.0 + 0x1p-52 } },
	};
	static const struct {
		float a, b;
		float r[5];
	} st[] = {
		{ 1.0f, 0x1p-24f, { 1.0f, 1.0f, 1.0f, 1.0f + 0x1p-23f, 1.0f + 0x1p-23f } },
		{ 1.0f + 0x1p-23f, 0x1p-24f, { 1.0f + 0x1p-22f, 1.0f + 0x1p-23f, 1.0f + 0x1p-23f, 1.0f + 0x1p-22f, 1.0f + 0x1p-22f } },
		{ -2.5f, -0x1p-23f, { -2.5f, -2.5f, -2.5f - 0x1p-22f, -2.5f, -2.5f - 0x1p-22f } },
		{ 3.0f, -0x1p-23f, { 3.0f, 3.0f - 0x1p-22f, 3.0f - 0x1p-22f, 3.0f, 3.0f } },
	};
	reset();
	for (size_t i = 0; i < ARRAY_SIZE(dt); i++) {
		for (unsigned rm = 0; rm <= RMM; rm++) {
			setd(1, dt[i].a);
			setd(2, dt[i].b);
			CK(run(e_fadd(D, 3, 1, 2, rm)) == NX);
			CK(h.f[3] == bd(dt[i].r[rm]));
			/* the same through the dynamic rounding mode */
			h.frm = rm;
			CK(run(e_fadd(D, 4, 1, 2, DYN)) == NX);
			CK(h.f[4] == bd(dt[i].r[rm]));
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(st); i++) {
		for (unsigned rm = 0; rm <= RMM; rm++) {
			sets(1, st[i].a);
			sets(2, st[i].b);
			CK(run(e_fadd(S, 3, 1, 2, rm)) == NX);
			CK(h.f[3] == BOX(bs(st[i].r[rm])));
		}
	}
	h.frm = 0;
}

/* Multiplications, divisions, fused operations and conversions with ties
 * under RMM, against RNE. */
static void test_rmm_other_ops(void)
{
	reset();
	/* (1+2^-12)^2 = 1 + 2^-11 + 2^-24: a tie in single precision */
	float a = 1.0f + 0x1p-12f;
	sets(1, a);
	CK(run(e_fmul(S, 3, 1, 1, RNE)) == NX && h.f[3] == BOX(bs(1.0f + 0x1p-11f)));
	CK(run(e_fmul(S, 3, 1, 1, RMM)) == NX && h.f[3] == BOX(bs(1.0f + 0x1p-11f + 0x1p-23f)));
	setsb(2, 0); /* +0 */
	CK(run(e_fmadd(S, 3, 1, 1, 2, RNE)) == NX && h.f[3] == BOX(bs(1.0f + 0x1p-11f)));
	CK(run(e_fmadd(S, 3, 1, 1, 2, RMM)) == NX && h.f[3] == BOX(bs(1.0f + 0x1p-11f + 0x1p-23f)));
	/* -(a*a) - 0 in RMM: ties away from zero, i.e. down */
	CK(run(e_fnmadd(S, 3, 1, 1, 2, RMM)) == NX && h.f[3] == BOX(bs(-(1.0f + 0x1p-11f + 0x1p-23f))));
	/* double: (1+2^-26)(1+2^-27) = 1 + 3*2^-27 + 2^-53, a tie */
	setd(1, 1.0 + 0x1p-26);
	setd(4, 1.0 + 0x1p-27);
	setd(2, 0.0);
	CK(run(e_fmul(D, 3, 1, 4, RNE)) == NX && h.f[3] == bd(1.0 + 0x3p-27));
	CK(run(e_fmul(D, 3, 1, 4, RMM)) == NX && h.f[3] == bd(1.0 + 0x3p-27 + 0x1p-52));
	CK(run(e_fmadd(D, 3, 1, 4, 2, RNE)) == NX && h.f[3] == bd(1.0 + 0x3p-27));
	CK(run(e_fmadd(D, 3, 1, 4, 2, RMM)) == NX && h.f[3] == bd(1.0 + 0x3p-27 + 0x1p-52));
	CK(run(e_fmadd(D, 3, 1, 4, 2, RUP)) == NX && h.f[3] == bd(1.0 + 0x3p-27 + 0x1p-52));
	CK(run(e_fnmsub(D, 3, 1, 4, 2, RMM)) == NX && h.f[3] == bd(-(1.0 + 0x3p-27 + 0x1p-52)));
	/* the fused operation has no tie here: a*b - 1 = 3*2^-27 + 2^-53 exactly */
	setd(2, 1.0);
	CK(run(e_fmsub(D, 3, 1, 4, 2, RMM)) == 0 && h.f[3] == bd(0x3p-27 + 0x1p-53));
	/* division with a subnormal tie: 5*2^-149 / 2 = 2.5 * 2^-149 */
	setsb(1, 5);
	sets(2, 2.0f);
	CK(run(e_fdiv(S, 3, 1, 2, RNE)) == (UF | NX) && h.f[3] == BOX(2));
	CK(run(e_fdiv(S, 3, 1, 2, RMM)) == (UF | NX) && h.f[3] == BOX(3));
	CK(run(e_fdiv(S, 3, 1, 2, RUP)) == (UF | NX) && h.f[3] == BOX(3));
	CK(run(e_fdiv(S, 3, 1, 2, RTZ)) == (UF | NX) && h.f[3] == BOX(2));
	/* fcvt.s.w: 2^24 + 1 is a tie between 2^24 and 2^24 + 2 */
	h.x[5] = (1u << 24) + 1;
	CK(run(e_fcvt_from_int(S, 0, 3, 5, RNE)) == NX && h.f[3] == BOX(bs(16777216.0f)));
	CK(run(e_fcvt_from_int(S, 0, 3, 5, RMM)) == NX && h.f[3] == BOX(bs(16777218.0f)));
	CK(run(e_fcvt_from_int(S, 0, 3, 5, RDN)) == NX && h.f[3] == BOX(bs(16777216.0f)));
	h.x[5] = (uint64_t)-(int64_t)((1u << 24) + 1);
	CK(run(e_fcvt_from_int(S, 2, 3, 5, RMM)) == NX && h.f[3] == BOX(bs(-16777218.0f)));
	CK(run(e_fcvt_from_int(S, 2, 3, 5, RUP)) == NX && h.f[3] == BOX(bs(-16777216.0f)));
	/* fcvt.s.d tie: 1 + 2^-24 */
	setd(1, 1.0 + 0x1p-24);
	CK(run(e_fcvt_s_d(3, 1, RNE)) == NX && h.f[3] == BOX(bs(1.0f)));
	CK(run(e_fcvt_s_d(3, 1, RMM)) == NX && h.f[3] == BOX(bs(1.0f + 0x1p-23f)));
	/* sqrt under RMM (no ties exist): same as RNE */
	sets(1, 2.0f);
	CK(run(e_fsqrt(S, 3, 1, RMM)) == NX && h.f[3] == BOX(bs(0x1.6a09e6p+0f)));
}

static void test_cvt_to_int_rounding(void)
{
	static const struct {
		double v;
		int64_t r[5]; /* RNE RTZ RDN RUP RMM */
		int flags;
	} t[] = {
		{ 0.5, { 0, 0, 0, 1, 1 }, NX },
		{ 1.5, { 2, 1, 1, 2, 2 }, NX },
		{ 2.5, { 2, 2, 2, 3, 3 }, NX },
		{ -2.5, { -2, -2, -3, -2, -3 }, NX },
		{ -0.5, { 0, 0, -1, 0, -1 }, NX },
		{ 2.25, { 2, 2, 2, 3, 2 }, NX },
		{ -7.75, { -8, -7, -8, -7, -8 }, NX },
		{ 42.0, { 42, 42, 42, 42, 42 }, 0 },
		{ -0.0, { 0, 0, 0, 0, 0 }, 0 },
	};
	reset();
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		for (unsigned rm = 0; rm <= RMM; rm++) {
			setd(1, t[i].v);
			sets(2, (float)t[i].v);
			for (unsigned kind = 0; kind < 4; kind += 2) { /* W, L */
				h.x[10] = 0x5555;
				CK(run(e_fcvt_to_int(D, kind, 10, 1, rm)) == t[i].flags);
				CK(h.x[10] == (uint64_t)t[i].r[rm]);
				h.x[10] = 0x5555;
				CK(run(e_fcvt_to_int(S, kind, 10, 2, rm)) == t[i].flags);
				CK(h.x[10] == (uint64_t)t[i].r[rm]);
			}
		}
	}
}

static void test_cvt_to_int_saturation(void)
{
	reset();
	/* fcvt.w.s */
	setsb(1, 0x7fc00000);                 /* qNaN */
	setsb(2, 0x7f800001);                 /* sNaN */
	sets(3, INFINITY);
	sets(4, -INFINITY);
	sets(5, 3e9f);
	sets(6, -3e9f);
	sets(7, 2147483648.0f);              /* 2^31: out of range */
	sets(8, -2147483648.0f);             /* -2^31: in range, exact */
	setsb(9, 0xffc00000);                 /* negative qNaN: still +max */
	struct {
		unsigned r;
		uint64_t w, wu;
		int fw, fwu;
	} t[] = {
		{ 1, 0x7fffffff, ~0ull, NV, NV },
		{ 2, 0x7fffffff, ~0ull, NV, NV },
		{ 3, 0x7fffffff, ~0ull, NV, NV },
		{ 4, 0xffffffff80000000ull, 0, NV, NV },
		{ 5, 0x7fffffff, 3000000000u | 0xffffffff00000000ull, NV, 0 },
		{ 6, 0xffffffff80000000ull, 0, NV, NV },
		{ 7, 0x7fffffff, 0xffffffff80000000ull, NV, 0 },
		{ 8, 0xffffffff80000000ull, 0, 0, NV },
		{ 9, 0x7fffffff, ~0ull, NV, NV },
	};
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		CK(run(e_fcvt_to_int(S, 0, 10, t[i].r, RTZ)) == t[i].fw);
		CK(h.x[10] == t[i].w);
		CK(run(e_fcvt_to_int(S, 1, 10, t[i].r, RTZ)) == t[i].fwu);
		CK(h.x[10] == t[i].wu);
	}
	/* rounding decides the range: 2^31 - 0.5 rounds up to 2^31 */
	setd(1, 2147483647.5);
	CK(run(e_fcvt_to_int(D, 0, 10, 1, RTZ)) == NX && h.x[10] == 0x7fffffff);
	CK(run(e_fcvt_to_int(D, 0, 10, 1, RNE)) == NV && h.x[10] == 0x7fffffff);
	setd(1, -2147483648.5);
	CK(run(e_fcvt_to_int(D, 0, 10, 1, RNE)) == NX && h.x[10] == 0xffffffff80000000ull);
	CK(run(e_fcvt_to_int(D, 0, 10, 1, RMM)) == NV && h.x[10] == 0xffffffff80000000ull);
	/* 64-bit */
	setd(1, 0x1p63);
	CK(run(e_fcvt_to_int(D, 2, 10, 1, RNE)) == NV && h.x[10] == 0x7fffffffffffffffull);
	CK(run(e_fcvt_to_int(D, 3, 10, 1, RNE)) == 0 && h.x[10] == 0x8000000000000000ull);
	setd(1, -0x1p63);
	CK(run(e_fcvt_to_int(D, 2, 10, 1, RNE)) == 0 && h.x[10] == 0x8000000000000000ull);
	setd(1, 0x1p64);
	CK(run(e_fcvt_to_int(D, 3, 10, 1, RNE)) == NV && h.x[10] == ~0ull);
	setd(1, 0x1.fffffffffffffp63);
	CK(run(e_fcvt_to_int(D, 3, 10, 1, RNE)) == 0 && h.x[10] == 0xfffffffffffff800ull);
	setd(1, 1e300);
	CK(run(e_fcvt_to_int(D, 2, 10, 1, RNE)) == NV && h.x[10] == 0x7fffffffffffffffull);
	setd(1, -1e300);
	CK(run(e_fcvt_to_int(D, 2, 10, 1, RNE)) == NV && h.x[10] == 0x8000000000000000ull);
	CK(run(e_fcvt_to_int(D, 3, 10, 1, RNE)) == NV && h.x[10] == 0);
	h.f[1] = CANON_D;
	CK(run(e_fcvt_to_int(D, 3, 10, 1, RNE)) == NV && h.x[10] == ~0ull);
	CK(run(e_fcvt_to_int(D, 2, 10, 1, RNE)) == NV && h.x[10] == 0x7fffffffffffffffull);
	/* unsigned from negative values */
	setd(1, -1.0);
	CK(run(e_fcvt_to_int(D, 1, 10, 1, RNE)) == NV && h.x[10] == 0);
	CK(run(e_fcvt_to_int(D, 3, 10, 1, RNE)) == NV && h.x[10] == 0);
	setd(1, -0.5);
	CK(run(e_fcvt_to_int(D, 1, 10, 1, RTZ)) == NX && h.x[10] == 0);
	CK(run(e_fcvt_to_int(D, 1, 10, 1, RNE)) == NX && h.x[10] == 0);
	CK(run(e_fcvt_to_int(D, 1, 10, 1, RMM)) == NV && h.x[10] == 0); /* rounds to -1 */
	CK(run(e_fcvt_to_int(D, 1, 10, 1, RDN)) == NV && h.x[10] == 0);
	setd(1, -0.0);
	CK(run(e_fcvt_to_int(D, 1, 10, 1, RDN)) == 0 && h.x[10] == 0);
	/* tiny values */
	h.f[1] = 1; /* smallest subnormal */
	CK(run(e_fcvt_to_int(D, 0, 10, 1, RUP)) == NX && h.x[10] == 1);
	CK(run(e_fcvt_to_int(D, 0, 10, 1, RNE)) == NX && h.x[10] == 0);
	/* integer results never go to x0, and no FP register changes */
	setd(1, 2.0);
	CK(run(e_fcvt_to_int(D, 0, 0, 1, RNE)) == 0 && h.x[0] == 0);
}

static void test_cvt_from_int(void)
{
	reset();
	h.x[5] = 0xffffffffffffffffull;
	CK(run(e_fcvt_from_int(S, 3, 3, 5, RNE)) == NX && h.f[3] == BOX(bs(0x1p64f)));
	CK(run(e_fcvt_from_int(S, 3, 3, 5, RTZ)) == NX && h.f[3] == BOX(bs(0x1.fffffep63f)));
	CK(run(e_fcvt_from_int(D, 3, 3, 5, RMM)) == NX && h.f[3] == bd(0x1p64));
	CK(run(e_fcvt_from_int(D, 2, 3, 5, RNE)) == 0 && h.f[3] == bd(-1.0));
	CK(run(e_fcvt_from_int(D, 0, 3, 5, RNE)) == 0 && h.f[3] == bd(-1.0));
	CK(run(e_fcvt_from_int(D, 1, 3, 5, RNE)) == 0 && h.f[3] == bd(4294967295.0));
	h.x[5] = 0x123456780000007bull; /* W/WU ignore the upper half */
	CK(run(e_fcvt_from_int(D, 0, 3, 5, RNE)) == 0 && h.f[3] == bd(123.0));
	CK(run(e_fcvt_from_int(S, 1, 3, 5, RNE)) == 0 && h.f[3] == BOX(bs(123.0f)));
	h.x[5] = 0x8000000000000000ull;
	CK(run(e_fcvt_from_int(D, 2, 3, 5, RNE)) == 0 && h.f[3] == bd(-0x1p63));
	CK(run(e_fcvt_from_int(D, 3, 3, 5, RNE)) == 0 && h.f[3] == bd(0x1p63));
	/* fcvt.s.w rd, x0 gives +0 without flags */
	h.f[3] = 0x1234;
	CK(run(e_fcvt_from_int(S, 0, 3, 0, RDN)) == 0 && h.f[3] == BOX(0));
	/* the rm field is checked even though fcvt.d.w cannot round */
	CK(run(e_fcvt_from_int(D, 0, 3, 0, 5)) == -1);
}

static void test_nan(void)
{
	reset();
	setd(1, INFINITY);
	setd(2, -INFINITY);
	setd(3, 0.0);
	CK(run(e_fadd(D, 4, 1, 2, RNE)) == NV && h.f[4] == CANON_D);
	CK(run(e_fsub(D, 4, 1, 1, RMM)) == NV && h.f[4] == CANON_D);
	CK(run(e_fmul(D, 4, 1, 3, RNE)) == NV && h.f[4] == CANON_D);
	CK(run(e_fmul(D, 4, 1, 3, RMM)) == NV && h.f[4] == CANON_D);
	CK(run(e_fdiv(D, 4, 3, 3, RNE)) == NV && h.f[4] == CANON_D);
	CK(run(e_fdiv(D, 4, 1, 2, RNE)) == NV && h.f[4] == CANON_D);
	CK(run(e_fsqrt(D, 4, 2, RNE)) == NV && h.f[4] == CANON_D);
	setd(5, -1.0);
	CK(run(e_fsqrt(D, 4, 5, RNE)) == NV && h.f[4] == CANON_D);
	CK(run(e_fsqrt(D, 4, 5, RMM)) == NV && h.f[4] == CANON_D);
	/* NaN payloads and signs do not propagate */
	h.f[6] = 0xfff8000000001234ull; /* negative qNaN with payload */
	h.f[7] = 0x7ff0000000000001ull; /* sNaN */
	setd(8, 1.0);
	CK(run(e_fadd(D, 4, 6, 8, RNE)) == 0 && h.f[4] == CANON_D);
	CK(run(e_fmul(D, 4, 8, 6, RMM)) == 0 && h.f[4] == CANON_D);
	CK(run(e_fadd(D, 4, 7, 8, RNE)) == NV && h.f[4] == CANON_D);
	CK(run(e_fadd(D, 4, 8, 7, RMM)) == NV && h.f[4] == CANON_D);
	CK(run(e_fsqrt(D, 4, 7, RNE)) == NV && h.f[4] == CANON_D);
	/* single precision */
	setsb(6, 0xffc01234);
	setsb(7, 0x7f800001);
	sets(8, 1.0f);
	CK(run(e_fadd(S, 4, 6, 8, RNE)) == 0 && h.f[4] == CANON_S);
	CK(run(e_fdiv(S, 4, 7, 8, RNE)) == NV && h.f[4] == CANON_S);
	sets(1, INFINITY);
	sets(2, 0.0f);
	CK(run(e_fmul(S, 4, 1, 2, RNE)) == NV && h.f[4] == CANON_S);
	/* conversions between formats */
	h.f[1] = 0xfff8000000001234ull;
	CK(run(e_fcvt_s_d(4, 1, RNE)) == 0 && h.f[4] == CANON_S);
	h.f[1] = 0x7ff0000000000001ull;
	CK(run(e_fcvt_s_d(4, 1, RNE)) == NV && h.f[4] == CANON_S);
	setsb(1, 0xff800001); /* signaling */
	CK(run(e_fcvt_d_s(4, 1, RNE)) == NV && h.f[4] == CANON_D);
	setsb(1, 0x7fc00001);
	CK(run(e_fcvt_d_s(4, 1, RNE)) == 0 && h.f[4] == CANON_D);
	/* sign injection keeps NaN payloads: it is not arithmetic */
	h.f[1] = 0x7ff0000000000001ull;
	setd(2, -1.0);
	CK(run(e_fsgnj(D, 0, 4, 1, 2)) == 0 && h.f[4] == 0xfff0000000000001ull);
}

static void test_fcvt_s_d_d_s(void)
{
	reset();
	setd(1, 1.0 / 3.0);
	CK(run(e_fcvt_s_d(2, 1, RNE)) == NX && h.f[2] == BOX(bs(1.0f / 3.0f)));
	CK(run(e_fcvt_s_d(2, 1, RUP)) == NX && h.f[2] == BOX(bs(1.0f / 3.0f)));
	CK(run(e_fcvt_s_d(2, 1, RTZ)) == NX && h.f[2] == BOX(bs(1.0f / 3.0f) - 1));
	CK(run(e_fcvt_s_d(2, 1, RMM)) == NX && h.f[2] == BOX(bs(1.0f / 3.0f)));
	setd(1, 1e300);
	CK(run(e_fcvt_s_d(2, 1, RNE)) == (OF | NX) && h.f[2] == BOX(0x7f800000));
	CK(run(e_fcvt_s_d(2, 1, RTZ)) == (OF | NX) && h.f[2] == BOX(0x7f7fffff));
	setd(1, -1e300);
	CK(run(e_fcvt_s_d(2, 1, RUP)) == (OF | NX) && h.f[2] == BOX(0xff7fffff));
	CK(run(e_fcvt_s_d(2, 1, RMM)) == (OF | NX) && h.f[2] == BOX(0xff800000));
	setd(1, 1e-300);
	CK(run(e_fcvt_s_d(2, 1, RNE)) == (UF | NX) && h.f[2] == BOX(0));
	CK(run(e_fcvt_s_d(2, 1, RUP)) == (UF | NX) && h.f[2] == BOX(1));
	setd(1, 0x1p-149); /* exact subnormal: no underflow */
	CK(run(e_fcvt_s_d(2, 1, RNE)) == 0 && h.f[2] == BOX(1));
	setd(1, -0.0);
	CK(run(e_fcvt_s_d(2, 1, RNE)) == 0 && h.f[2] == BOX(0x80000000));
	setsb(1, 1); /* 2^-149 */
	CK(run(e_fcvt_d_s(2, 1, RNE)) == 0 && h.f[2] == bd(0x1p-149));
	sets(1, -INFINITY);
	CK(run(e_fcvt_d_s(2, 1, RMM)) == 0 && h.f[2] == bd(-INFINITY));
	/* an improperly boxed single is the canonical NaN */
	h.f[1] = 0x000000003f800000ull;
	CK(run(e_fcvt_d_s(2, 1, RNE)) == 0 && h.f[2] == CANON_D);
	/* reserved rm fields are checked for FCVT.D.S too */
	CK(run(e_fcvt_d_s(2, 1, 6)) == -1);
}

static void test_minmax(void)
{
	reset();
	setd(1, -0.0);
	setd(2, 0.0);
	CK(run(e_fminmax(D, 0, 3, 1, 2)) == 0 && h.f[3] == bd(-0.0));
	CK(run(e_fminmax(D, 0, 3, 2, 1)) == 0 && h.f[3] == bd(-0.0));
	CK(run(e_fminmax(D, 1, 3, 1, 2)) == 0 && h.f[3] == bd(0.0));
	CK(run(e_fminmax(D, 1, 3, 2, 1)) == 0 && h.f[3] == bd(0.0));
	sets(1, -0.0f);
	sets(2, 0.0f);
	CK(run(e_fminmax(S, 0, 3, 2, 1)) == 0 && h.f[3] == BOX(0x80000000));
	CK(run(e_fminmax(S, 1, 3, 1, 2)) == 0 && h.f[3] == BOX(0));
	/* one NaN: the other operand; signaling sets NV */
	h.f[4] = 0x7ff0000000000001ull; /* sNaN */
	h.f[5] = 0x7ff8000000000000ull; /* qNaN */
	setd(6, 1.0);
	setd(7, -3.0);
	CK(run(e_fminmax(D, 0, 3, 4, 6)) == NV && h.f[3] == bd(1.0));
	CK(run(e_fminmax(D, 1, 3, 6, 4)) == NV && h.f[3] == bd(1.0));
	CK(run(e_fminmax(D, 0, 3, 5, 6)) == 0 && h.f[3] == bd(1.0));
	CK(run(e_fminmax(D, 1, 3, 7, 5)) == 0 && h.f[3] == bd(-3.0));
	CK(run(e_fminmax(D, 0, 3, 4, 5)) == NV && h.f[3] == CANON_D);
	CK(run(e_fminmax(D, 1, 3, 5, 5)) == 0 && h.f[3] == CANON_D);
	CK(run(e_fminmax(D, 0, 3, 6, 7)) == 0 && h.f[3] == bd(-3.0));
	CK(run(e_fminmax(D, 1, 3, 6, 7)) == 0 && h.f[3] == bd(1.0));
	setsb(4, 0x7f800001);
	sets(6, 1.0f);
	CK(run(e_fminmax(S, 0, 3, 4, 6)) == NV && h.f[3] == BOX(bs(1.0f)));
	setsb(5, 0xffc00000);
	CK(run(e_fminmax(S, 1, 3, 5, 5)) == 0 && h.f[3] == CANON_S);
	sets(1, -INFINITY);
	CK(run(e_fminmax(S, 0, 3, 6, 1)) == 0 && h.f[3] == BOX(0xff800000));
}

static void test_compare(void)
{
	reset();
	h.f[1] = 0x7ff8000000000000ull; /* qNaN */
	h.f[2] = 0x7ff4000000000000ull; /* sNaN */
	setd(3, 1.0);
	setd(4, -0.0);
	setd(5, 0.0);
	setd(6, 2.0);
	struct {
		unsigned op, a, b;
		uint64_t r;
		int fl;
	} t[] = {
		{ 2, 1, 3, 0, 0 },  { 2, 1, 1, 0, 0 },  { 2, 2, 3, 0, NV }, { 2, 3, 2, 0, NV },
		{ 1, 1, 3, 0, NV }, { 0, 3, 1, 0, NV }, { 1, 2, 3, 0, NV }, { 0, 2, 2, 0, NV },
		{ 2, 4, 5, 1, 0 },  { 0, 4, 5, 1, 0 },  { 1, 4, 5, 0, 0 },  { 0, 5, 4, 1, 0 },
		{ 1, 3, 6, 1, 0 },  { 1, 6, 3, 0, 0 },  { 0, 3, 3, 1, 0 },  { 2, 3, 3, 1, 0 },
		{ 1, 4, 3, 1, 0 },  { 2, 3, 6, 0, 0 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		h.x[10] = 0x5555;
		CK(run(e_fcmp(D, t[i].op, 10, t[i].a, t[i].b)) == t[i].fl);
		CK(h.x[10] == t[i].r);
	}
	setsb(1, 0x7fc00000);
	setsb(2, 0x7fa00000);
	sets(3, 1.0f);
	CK(run(e_fcmp(S, 2, 10, 1, 3)) == 0 && h.x[10] == 0);
	CK(run(e_fcmp(S, 2, 10, 2, 3)) == NV && h.x[10] == 0);
	CK(run(e_fcmp(S, 1, 10, 1, 3)) == NV && h.x[10] == 0);
	CK(run(e_fcmp(S, 0, 10, 3, 3)) == 0 && h.x[10] == 1);
	/* an improperly boxed operand is a (quiet) NaN */
	h.f[4] = 0x3f800000ull;
	CK(run(e_fcmp(S, 2, 10, 4, 3)) == 0 && h.x[10] == 0);
	CK(run(e_fcmp(S, 0, 10, 4, 3)) == NV && h.x[10] == 0);
	/* rd = x0 is not written */
	CK(run(e_fcmp(S, 2, 0, 3, 3)) == 0 && h.x[0] == 0);
	/* no flags: FS stays Initial */
	reset();
	sets(3, 1.0f);
	CK(run(e_fcmp(S, 2, 10, 3, 3)) == 0 && h.x[10] == 1 && h.mstatus == FS_INITIAL);
	setsb(1, 0x7fc00000);
	CK(run(e_fcmp(S, 1, 10, 1, 3)) == NV && (h.mstatus & MSTATUS_FS) == MSTATUS_FS);
}

static void test_fclass(void)
{
	static const struct {
		uint64_t d;
		uint32_t s;
		unsigned bit;
	} t[] = {
		{ 0xfff0000000000000ull, 0xff800000, 0 }, /* -inf */
		{ 0xbff0000000000000ull, 0xbf800000, 1 }, /* -normal */
		{ 0x800fffffffffffffull, 0x807fffff, 2 }, /* -subnormal */
		{ 0x8000000000000000ull, 0x80000000, 3 }, /* -0 */
		{ 0x0000000000000000ull, 0x00000000, 4 }, /* +0 */
		{ 0x0000000000000001ull, 0x00000001, 5 }, /* +subnormal */
		{ 0x7fefffffffffffffull, 0x7f7fffff, 6 }, /* +normal */
		{ 0x7ff0000000000000ull, 0x7f800000, 7 }, /* +inf */
		{ 0x7ff0000000000001ull, 0x7f800001, 8 }, /* sNaN */
		{ 0xfff7ffffffffffffull, 0xffbfffff, 8 }, /* sNaN, negative */
		{ 0x7ff8000000000000ull, 0x7fc00000, 9 }, /* qNaN */
		{ 0xffffffffffffffffull, 0xffffffff, 9 }, /* qNaN, negative */
	};
	reset();
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		h.f[1] = t[i].d;
		setsb(2, t[i].s);
		CK(run(e_fclass(D, 10, 1)) == 0 && h.x[10] == 1u << t[i].bit);
		CK(run(e_fclass(S, 11, 2)) == 0 && h.x[11] == 1u << t[i].bit);
	}
	h.f[2] = 0x00000000ff800000ull; /* not boxed: canonical NaN */
	CK(run(e_fclass(S, 11, 2)) == 0 && h.x[11] == 1u << 9);
	CK(h.mstatus == FS_INITIAL);
}

static void test_boxing_and_moves(void)
{
	reset();
	/* an unboxed operand reads as the canonical NaN */
	h.f[1] = 0x000000003f800000ull;
	sets(2, 1.0f);
	CK(run(e_fadd(S, 3, 1, 2, RNE)) == 0 && h.f[3] == CANON_S);
	CK(run(e_fadd(S, 3, 2, 2, RNE)) == 0 && h.f[3] == BOX(bs(2.0f)));
	/* FSGNJ.S checks boxing too: canonical NaN with injected sign */
	CK(run(e_fsgnj(S, 0, 3, 1, 2)) == 0 && h.f[3] == CANON_S);
	CK(run(e_fsgnj(S, 1, 3, 1, 2)) == 0 && h.f[3] == BOX(0xffc00000));
	CK(run(e_fsgnj(S, 0, 3, 2, 1)) == 0 && h.f[3] == BOX(bs(1.0f))); /* sign of canonical NaN: + */
	h.f[1] = 0xfffffffe3f800000ull; /* almost boxed */
	CK(run(e_fsgnj(S, 2, 3, 1, 1)) == 0 && h.f[3] == CANON_S);
	/* sign injection */
	sets(4, -2.0f);
	CK(run(e_fsgnj(S, 0, 3, 2, 4)) == 0 && h.f[3] == BOX(bs(-1.0f)));
	CK(run(e_fsgnj(S, 1, 3, 4, 4)) == 0 && h.f[3] == BOX(bs(2.0f)));
	CK(run(e_fsgnj(S, 2, 3, 4, 4)) == 0 && h.f[3] == BOX(bs(2.0f)));
	CK(run(e_fsgnj(S, 2, 3, 4, 2)) == 0 && h.f[3] == BOX(bs(-2.0f)));
	setd(5, 3.0);
	setd(6, -0.0);
	CK(run(e_fsgnj(D, 0, 7, 5, 6)) == 0 && h.f[7] == bd(-3.0));
	CK(run(e_fsgnj(D, 1, 7, 5, 6)) == 0 && h.f[7] == bd(3.0));
	CK(run(e_fsgnj(D, 2, 7, 6, 6)) == 0 && h.f[7] == bd(0.0));
	/* FMV.X.W is a transfer: the low 32 bits, sign-extended, unchecked */
	setsb(1, 0x80000001);
	CK(run(e_fmv_x(S, 10, 1)) == 0 && h.x[10] == 0xffffffff80000001ull);
	h.f[1] = 0x123456787fc00001ull;
	CK(run(e_fmv_x(S, 10, 1)) == 0 && h.x[10] == 0x7fc00001ull);
	h.f[1] = 0xfff0000000000001ull;
	CK(run(e_fmv_x(D, 10, 1)) == 0 && h.x[10] == 0xfff0000000000001ull);
	CK(run(e_fmv_x(D, 0, 1)) == 0 && h.x[0] == 0);
	/* FMV.W.X boxes, FMV.D.X copies; payloads are preserved */
	h.x[11] = 0xdeadbeef7f800001ull;
	CK(run(e_fmv_f(S, 12, 11)) == 0 && h.f[12] == 0xffffffff7f800001ull);
	CK(run(e_fmv_f(D, 12, 11)) == 0 && h.f[12] == 0xdeadbeef7f800001ull);
	/* single results are boxed */
	reset();
	h.f[1] = fpu_box32(bs(1.0f));
	h.f[3] = 0;
	CK(run(e_fsqrt(S, 3, 1, RNE)) == 0 && h.f[3] == BOX(bs(1.0f)));
	CK((h.mstatus & MSTATUS_FS) == MSTATUS_FS);
}

static void test_fma(void)
{
	reset();
	setd(1, 2.0);
	setd(2, 3.0);
	setd(3, 1.0);
	CK(run(e_fmadd(D, 4, 1, 2, 3, RNE)) == 0 && h.f[4] == bd(7.0));
	CK(run(e_fmsub(D, 4, 1, 2, 3, RNE)) == 0 && h.f[4] == bd(5.0));
	CK(run(e_fnmsub(D, 4, 1, 2, 3, RNE)) == 0 && h.f[4] == bd(-5.0));
	CK(run(e_fnmadd(D, 4, 1, 2, 3, RNE)) == 0 && h.f[4] == bd(-7.0));
	CK(run(e_fnmadd(D, 4, 1, 2, 3, RMM)) == 0 && h.f[4] == bd(-7.0));
	/* exactness of ordinary values (the host fast paths) */
	setd(1, 3.0);
	setd(2, 3.0);
	setd(3, 1.0);
	CK(run(e_fmadd(D, 4, 1, 2, 3, RNE)) == 0 && h.f[4] == bd(10.0));
	CK(run(e_fmadd(D, 4, 1, 2, 1, RNE)) == 0 && h.f[4] == bd(12.0));
	setd(1, 0.1);
	CK(run(e_fmadd(D, 4, 1, 1, 1, RNE)) == NX && h.f[4] == bd(fma(0.1, 0.1, 0.1)));
	CK(run(e_fmul(D, 4, 1, 2, RNE)) == NX && h.f[4] == bd(0.1 * 3.0));
	CK(run(e_fdiv(D, 4, 1, 2, RNE)) == NX && h.f[4] == bd(0.1 / 3.0));
	setd(1, 6.0);
	CK(run(e_fdiv(D, 4, 1, 2, RNE)) == 0 && h.f[4] == bd(2.0));
	sets(1, 0.1f);
	sets(2, 3.0f);
	CK(run(e_fmadd(S, 4, 1, 2, 1, RNE)) == 0 && h.f[4] == BOX(bs(0.4f))); /* exact */
	CK(run(e_fmadd(S, 4, 1, 1, 2, RNE)) == NX && h.f[4] == BOX(bs(fmaf(0.1f, 0.1f, 3.0f))));
	CK(run(e_fmadd(S, 4, 2, 2, 2, RNE)) == 0 && h.f[4] == BOX(bs(12.0f)));
	CK(run(e_fsub(S, 4, 1, 1, RNE)) == 0 && h.f[4] == BOX(0));
	/* fused: (1+2^-52)(1-2^-52) - 1 = -2^-104 exactly */
	setd(1, 1.0 + 0x1p-52);
	setd(2, 1.0 - 0x1p-52);
	setd(3, 1.0);
	for (unsigned rm = 0; rm <= RMM; rm++) {
		CK(run(e_fmsub(D, 4, 1, 2, 3, rm)) == 0 && h.f[4] == bd(-0x1p-104));
		CK(run(e_fnmsub(D, 4, 1, 2, 3, rm)) == 0 && h.f[4] == bd(0x1p-104));
	}
	/* zero signs: -(x*y) + x*y in the directed modes */
	setd(1, 1.0);
	setd(2, 1.0);
	CK(run(e_fnmsub(D, 4, 1, 2, 2, RDN)) == 0 && h.f[4] == bd(-0.0));
	CK(run(e_fnmsub(D, 4, 1, 2, 2, RNE)) == 0 && h.f[4] == bd(0.0));
	CK(run(e_fnmsub(D, 4, 1, 2, 2, RMM)) == 0 && h.f[4] == bd(0.0));
	setd(3, -0.0);
	setd(5, 0.0);
	CK(run(e_fmadd(D, 4, 5, 2, 3, RNE)) == 0 && h.f[4] == bd(0.0));  /* +0 + -0 */
	CK(run(e_fmadd(D, 4, 5, 2, 3, RDN)) == 0 && h.f[4] == bd(-0.0));
	CK(run(e_fmadd(D, 4, 5, 2, 3, RMM)) == 0 && h.f[4] == bd(0.0));
	CK(run(e_fnmadd(D, 4, 5, 2, 5, RMM)) == 0 && h.f[4] == bd(-0.0)); /* -0 - 0 */
	/* inf * 0 is invalid even with a quiet NaN addend */
	setd(1, INFINITY);
	setd(2, 0.0);
	h.f[3] = 0x7ff8000000000000ull;
	for (unsigned rm = 0; rm <= RMM; rm++) {
		CK(run(e_fmadd(D, 4, 1, 2, 3, rm)) == NV && h.f[4] == CANON_D);
		CK(run(e_fmadd(D, 4, 2, 1, 3, rm)) == NV && h.f[4] == CANON_D);
	}
	setd(6, 1.0);
	CK(run(e_fmadd(D, 4, 1, 6, 3, RNE)) == 0 && h.f[4] == CANON_D); /* inf*1 + qNaN */
	setd(7, -INFINITY);
	CK(run(e_fmadd(D, 4, 1, 6, 7, RNE)) == NV && h.f[4] == CANON_D); /* inf - inf */
	CK(run(e_fmadd(D, 4, 1, 6, 7, RMM)) == NV && h.f[4] == CANON_D);
	CK(run(e_fmsub(D, 4, 1, 6, 7, RMM)) == 0 && h.f[4] == bd(INFINITY));
	/* single: inexact, underflow */
	sets(1, 0x1p-100f);
	sets(2, 0x1p-40f);
	setsb(3, 0);
	CK(run(e_fmadd(S, 4, 1, 2, 3, RNE)) == 0 && h.f[4] == BOX(bs(0x1p-140f))); /* exact subnormal */
	sets(2, 0x1.000002p-40f);
	CK(run(e_fmadd(S, 4, 1, 2, 3, RNE)) == (UF | NX) && h.f[4] == BOX(bs(0x1p-140f)));
	CK(run(e_fmadd(S, 4, 1, 2, 3, RUP)) == (UF | NX) && h.f[4] == BOX(bs(0x1p-140f) + 1));
	CK(run(e_fmadd(S, 4, 1, 2, 3, RMM)) == (UF | NX) && h.f[4] == BOX(bs(0x1p-140f)));
	sets(1, 1.0f);
	sets(2, 1.0f);
	sets(3, 0x1p-30f);
	CK(run(e_fmadd(S, 4, 1, 2, 3, RNE)) == NX && h.f[4] == BOX(bs(1.0f)));
	CK(run(e_fmadd(S, 4, 1, 2, 3, RUP)) == NX && h.f[4] == BOX(bs(1.0f + 0x1p-23f)));
	/* overflow */
	sets(1, 0x1p100f);
	CK(run(e_fmadd(S, 4, 1, 1, 1, RNE)) == (OF | NX) && h.f[4] == BOX(0x7f800000));
	CK(run(e_fnmadd(S, 4, 1, 1, 1, RTZ)) == (OF | NX) && h.f[4] == BOX(0xff7fffff));
	CK(run(e_fmadd(S, 4, 1, 1, 1, RMM)) == (OF | NX) && h.f[4] == BOX(0x7f800000));
	/* an unboxed addend is the canonical NaN */
	sets(1, 1.0f);
	h.f[3] = 0x3f800000ull;
	CK(run(e_fmadd(S, 4, 1, 1, 3, RNE)) == 0 && h.f[4] == CANON_S);
	/* fmt H/Q is illegal */
	CK(run(enc_r4(0x43, 3, 2, 1, 1, RNE, 4)) == -1);
	CK(run(enc_r4(0x43, 3, 3, 1, 1, RNE, 4)) == -1);
}

static void test_div_overflow_underflow(void)
{
	reset();
	setd(1, 1.0);
	setd(2, 0.0);
	setd(3, -0.0);
	CK(run(e_fdiv(D, 4, 1, 2, RNE)) == DZ && h.f[4] == bd(INFINITY));
	CK(run(e_fdiv(D, 4, 1, 3, RNE)) == DZ && h.f[4] == bd(-INFINITY));
	CK(run(e_fdiv(D, 4, 1, 3, RMM)) == DZ && h.f[4] == bd(-INFINITY));
	CK(run(e_fdiv(D, 4, 2, 2, RNE)) == NV && h.f[4] == CANON_D);
	sets(1, -1.0f);
	sets(2, 0.0f);
	CK(run(e_fdiv(S, 4, 1, 2, RTZ)) == DZ && h.f[4] == BOX(0xff800000));
	setd(5, INFINITY);
	CK(run(e_fdiv(D, 4, 5, 3, RNE)) == 0 && h.f[4] == bd(-INFINITY)); /* inf / 0: exact */
	/* overflow in each mode */
	setd(1, 0x1.fffffffffffffp1023);
	setd(2, 2.0);
	setd(3, -2.0);
	static const uint64_t pos[5] = { 0x7ff0000000000000ull, 0x7fefffffffffffffull, 0x7fefffffffffffffull,
					 0x7ff0000000000000ull, 0x7ff0000000000000ull };
	for (unsigned rm = 0; rm <= RMM; rm++) {
		CK(run(e_fmul(D, 4, 1, 2, rm)) == (OF | NX) && h.f[4] == pos[rm]);
		CK(run(e_fmul(D, 4, 1, 3, rm)) == (OF | NX) && h.f[4] == (pos[rm == RDN ? RUP : rm == RUP ? RDN : rm] | (1ull << 63)));
	}
	/* underflow: tininess is detected after rounding */
	h.f[1] = 0x3ff0000000000001ull; /* 1 + 2^-52 */
	h.f[2] = 0x000fffffffffffffull; /* 2^-1022 - 2^-1074 */
	/* product 2^-1022 (1 - 2^-104): rounds to 2^-1022 with unbounded exponent */
	CK(run(e_fmul(D, 4, 1, 2, RNE)) == NX && h.f[4] == 0x0010000000000000ull);
	CK(run(e_fmul(D, 4, 1, 2, RMM)) == NX && h.f[4] == 0x0010000000000000ull);
	CK(run(e_fmul(D, 4, 1, 2, RTZ)) == (UF | NX) && h.f[4] == 0x000fffffffffffffull);
	CK(run(e_fmul(D, 4, 1, 2, RUP)) == NX && h.f[4] == 0x0010000000000000ull);
	setsb(1, 0x3f800001);
	setsb(2, 0x007fffff);
	CK(run(e_fmul(S, 4, 1, 2, RNE)) == NX && h.f[4] == BOX(0x00800000));
	CK(run(e_fmul(S, 4, 1, 2, RMM)) == NX && h.f[4] == BOX(0x00800000));
	CK(run(e_fmul(S, 4, 1, 2, RDN)) == (UF | NX) && h.f[4] == BOX(0x007fffff));
	/* (1 - 2^-53) * 2^-1022 is tiny even after rounding */
	h.f[1] = 0x3fefffffffffffffull;
	h.f[2] = 0x0010000000000000ull;
	CK(run(e_fmul(D, 4, 1, 2, RNE)) == (UF | NX) && h.f[4] == 0x0010000000000000ull);
	CK(run(e_fmul(D, 4, 1, 2, RMM)) == (UF | NX) && h.f[4] == 0x0010000000000000ull);
	/* exact subnormal results do not underflow */
	h.f[1] = 0x0000000000000003ull;
	setd(2, 0.5);
	CK(run(e_fmul(D, 4, 1, 2, RNE)) == (UF | NX) && h.f[4] == 2);
	CK(run(e_fmul(D, 4, 1, 2, RMM)) == (UF | NX) && h.f[4] == 2);
	h.f[1] = 0x0000000000000004ull;
	CK(run(e_fmul(D, 4, 1, 2, RMM)) == 0 && h.f[4] == 2);
	CK(run(e_fadd(D, 4, 1, 1, RMM)) == 0 && h.f[4] == 8);
}

static void test_illegal(void)
{
	reset();
	setd(1, 1.0);
	setd(2, 2.0);
	h.frm = 0;
	uint32_t bad[] = {
		e_fadd(D, 3, 1, 2, 5),
		e_fadd(D, 3, 1, 2, 6),
		e_fmadd(S, 3, 1, 2, 2, 5),
		e_fsqrt(D, 3, 1, 6),
		e_fcvt_to_int(D, 0, 3, 1, 5),
		e_fcvt_s_d(3, 1, 5),
		enc_r(0x02, 2, 1, 0, 3),             /* fadd.h */
		enc_r(0x03, 2, 1, 0, 3),             /* fadd.q */
		enc_r(0x2d, 1, 1, 0, 3),             /* fsqrt.d with rs2 != 0 */
		enc_r(0x61, 4, 1, 0, 3),             /* fcvt.?.d with rs2 = 4 */
		enc_r(0x69, 5, 1, 0, 3),
		enc_r(0x20, 0, 1, 0, 3),             /* fcvt.s.s */
		enc_r(0x21, 1, 1, 0, 3),             /* fcvt.d.d */
		enc_r(0x11, 2, 1, 3, 3),             /* fsgnj.d funct3 3 */
		enc_r(0x15, 2, 1, 2, 3),             /* fmin.d funct3 2 */
		enc_r(0x51, 2, 1, 3, 3),             /* fcmp funct3 3 */
		enc_r(0x71, 0, 1, 2, 3),             /* fclass funct3 2 */
		enc_r(0x71, 1, 1, 0, 3),             /* fmv.x.d rs2 != 0 */
		enc_r(0x79, 0, 1, 1, 3),             /* fmv.d.x funct3 1 */
		enc_r(0x7c, 0, 1, 0, 3),             /* unknown funct7 */
		enc_r(0x30, 0, 1, 0, 3),
		0x00000013,                          /* not an FP opcode (addi) */
	};
	h.fflags = 0x1f;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		memcpy(&saved, &h, sizeof(h));
		CK(fpu_execute(&h, bad[i]) == -1);
		CK(memcmp(&saved, &h, sizeof(h)) == 0);
	}
	/* dynamic rounding with frm 5, 6, 7 */
	for (unsigned frm = 5; frm <= 7; frm++) {
		h.frm = frm;
		memcpy(&saved, &h, sizeof(h));
		CK(fpu_execute(&h, e_fadd(D, 3, 1, 2, DYN)) == -1);
		CK(fpu_execute(&h, e_fmadd(D, 3, 1, 2, 2, DYN)) == -1);
		CK(fpu_execute(&h, e_fcvt_from_int(S, 0, 3, 1, DYN)) == -1);
		CK(memcmp(&saved, &h, sizeof(h)) == 0);
		/* instructions without a rounding mode do not care */
		CK(fpu_execute(&h, e_fsgnj(D, 0, 3, 1, 2)) == 0);
		CK(fpu_execute(&h, e_fcmp(D, 2, 3, 1, 2)) == 0);
	}
	h.frm = RMM;
	CK(run(e_fadd(D, 3, 1, 2, DYN)) == 0 && h.f[3] == bd(3.0));
	/* FS = Off */
	reset();
	h.mstatus = 0;
	setd(1, 1.0);
	memcpy(&saved, &h, sizeof(h));
	CK(fpu_execute(&h, e_fadd(D, 3, 1, 1, RNE)) == -1);
	CK(memcmp(&saved, &h, sizeof(h)) == 0);
}

static void test_fs_dirty(void)
{
	reset();
	setd(1, 1.0);
	/* writes to an integer register without flags leave FS alone */
	CK(run(e_fclass(D, 10, 1)) == 0 && h.mstatus == FS_INITIAL);
	CK(run(e_fmv_x(D, 10, 1)) == 0 && h.mstatus == FS_INITIAL);
	CK(run(e_fcvt_to_int(D, 0, 10, 1, RNE)) == 0 && h.mstatus == FS_INITIAL);
	/* flags make it dirty */
	setd(2, 1.5);
	CK(run(e_fcvt_to_int(D, 0, 10, 2, RNE)) == NX && h.x[10] == 2);
	CK((h.mstatus & MSTATUS_FS) == MSTATUS_FS && (h.mstatus & MSTATUS_SD));
	/* any FP register write does */
	reset();
	h.x[5] = 0;
	CK(run(e_fmv_f(D, 3, 5)) == 0 && (h.mstatus & MSTATUS_FS) == MSTATUS_FS && (h.mstatus & MSTATUS_SD));
	reset();
	CK(run(e_fsgnj(S, 0, 3, 1, 1)) == 0 && (h.mstatus & MSTATUS_FS) == MSTATUS_FS);
}

/* The host's rounding mode and flags are not disturbed. */
static void test_host_state(void)
{
	reset();
	setd(1, 1.0);
	setd(2, 3.0);
	CK(run(e_fdiv(D, 3, 1, 2, RUP)) == NX);
	CK(run(e_fdiv(D, 3, 1, 2, RDN)) == NX);
	volatile double one = 1.0, three = 3.0;
	double q = one / three;
	CK(q == 0x1.5555555555555p-2); /* round to nearest */
	volatile double big = 0x1p1023;
	double o = big * 2.0;
	CK(isinf(o));
}

int main(void)
{
	test_basic();
	test_add_ties();
	test_rmm_other_ops();
	test_cvt_to_int_rounding();
	test_cvt_to_int_saturation();
	test_cvt_from_int();
	test_nan();
	test_fcvt_s_d_d_s();
	test_minmax();
	test_compare();
	test_fclass();
	test_boxing_and_moves();
	test_fma();
	test_div_overflow_underflow();
	test_illegal();
	test_fs_dirty();
	test_host_state();
	return check_done(&ctx, "test_fpu");
}
