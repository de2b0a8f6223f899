/*
 * F extension (single precision): arithmetic, FMA family, sqrt, min/max,
 * compares, fclass, sign injection, moves, loads/stores and NaN boxing.
 * Values are raw IEEE-754 bit patterns; every result is checked as the full
 * 64-bit register (so the NaN boxing of results is checked too) together with
 * the exception flags it raised (NV 0x10, DZ 0x08, OF 0x04, UF 0x02, NX 0x01).
 * Expected values were derived independently with exact rational arithmetic.
 * Rounding mode is RNE (dynamic, frm = 0) unless a case names one.
 */
#include "fw.h"

#define BOX(x) (0xffffffff00000000 | (x))
#define LDS(freg, v) li t0, v; fmv.w.x freg, t0
#define OP1S(op, a, exp, fl) LDS(fa0, a); op fa2, fa0; CHECK_F(fa2, BOX(exp)); CHECK_FLAGS(fl)
#define OP2S(op, a, b, exp, fl) LDS(fa0, a); LDS(fa1, b); op fa2, fa0, fa1; CHECK_F(fa2, BOX(exp)); CHECK_FLAGS(fl)
#define OP2S_RM(op, rm, a, b, exp, fl) LDS(fa0, a); LDS(fa1, b); op fa2, fa0, fa1, rm; CHECK_F(fa2, BOX(exp)); CHECK_FLAGS(fl)
#define OP3S(op, a, b, c, exp, fl) LDS(fa0, a); LDS(fa1, b); LDS(fa3, c); op fa2, fa0, fa1, fa3; CHECK_F(fa2, BOX(exp)); CHECK_FLAGS(fl)
#define OP3S_RM(op, rm, a, b, c, exp, fl) LDS(fa0, a); LDS(fa1, b); LDS(fa3, c); op fa2, fa0, fa1, fa3, rm; CHECK_F(fa2, BOX(exp)); CHECK_FLAGS(fl)
#define CMPS(op, a, b, r, fl) LDS(fa0, a); LDS(fa1, b); op a2, fa0, fa1; CHECK(a2, r); CHECK_FLAGS(fl)
#define CLASSS(op, a, r) LDS(fa0, a); op a2, fa0; CHECK(a2, r); CHECK_FLAGS(0)

TEST_BEGIN(rv64f)
    csrw fcsr, zero

/* ---- FADD / FSUB ----------------------------------------------------------- */
    OP2S(fadd.s, 0x3f800000, 0x40000000, 0x40400000, 0x00)   /* 1, 2 */
    OP2S(fadd.s, 0x3f800000, 0xbf800000, 0x0, 0x00)   /* 1, -1 */
    OP2S(fadd.s, 0x80000000, 0x80000000, 0x80000000, 0x00)   /* -0, -0 */
    OP2S(fadd.s, 0x0, 0x80000000, 0x0, 0x00)   /* +0, -0 */
    OP2S(fadd.s, 0x7f800000, 0xff800000, 0x7fc00000, 0x10)   /* inf, -inf */
    OP2S(fadd.s, 0x7f800000, 0x3f800000, 0x7f800000, 0x00)   /* inf, 1 */
    OP2S(fadd.s, 0xff800000, 0xff800000, 0xff800000, 0x00)   /* -inf, -inf */
    OP2S(fadd.s, 0x7f800001, 0x3f800000, 0x7fc00000, 0x10)   /* sNaN, 1 */
    OP2S(fadd.s, 0x3f800000, 0x7fc00000, 0x7fc00000, 0x00)   /* 1, qNaN */
    OP2S(fadd.s, 0x7fc12345, 0x3f800000, 0x7fc00000, 0x00)   /* qNaN(payload), 1 */
    OP2S(fadd.s, 0x7f7fffff, 0x7f7fffff, 0x7f800000, 0x05)   /* max, max */
    OP2S(fadd.s, 0xff7fffff, 0xff7fffff, 0xff800000, 0x05)   /* -max, -max */
    OP2S(fadd.s, 0x3f800000, 0x30800000, 0x3f800000, 0x01)   /* 1, 9.313225746154785e-10 */
    OP2S(fadd.s, 0x3f800000, 0x33800000, 0x3f800000, 0x01)   /* 1, 5.960464477539063e-08 */
    OP2S(fadd.s, 0x3f800001, 0x33800000, 0x3f800002, 0x01)   /* 1.0000001192092896, 5.960464477539063e-08 */
    OP2S(fadd.s, 0x1, 0x1, 0x2, 0x00)   /* min subnormal, min subnormal */
    OP2S(fadd.s, 0x800000, 0x80000001, 0x7fffff, 0x00)   /* min normal, -min subnormal */
    OP2S(fadd.s, 0x3eaaaaab, 0x3eaaaaab, 0x3f2aaaab, 0x00)   /* 0.3333333432674408, 0.3333333432674408 */
    OP2S_RM(fadd.s, rdn, 0x3f800000, 0xbf800000, 0x80000000, 0x00)   /* 1, -1 */
    OP2S_RM(fadd.s, rdn, 0x80000000, 0x0, 0x80000000, 0x00)   /* -0, +0 */
    OP2S_RM(fadd.s, rtz, 0x7f7fffff, 0x7f7fffff, 0x7f7fffff, 0x05)   /* max, max */
    OP2S(fsub.s, 0x40400000, 0x40000000, 0x3f800000, 0x00)   /* 3, 2 */
    OP2S(fsub.s, 0x3f800000, 0x3f800000, 0x0, 0x00)   /* 1, 1 */
    OP2S(fsub.s, 0x7f800000, 0x7f800000, 0x7fc00000, 0x10)   /* inf, inf */
    OP2S(fsub.s, 0xff800000, 0x7f800000, 0xff800000, 0x00)   /* -inf, inf */
    OP2S(fsub.s, 0x0, 0x0, 0x0, 0x00)   /* +0, +0 */
    OP2S(fsub.s, 0x80000000, 0x0, 0x80000000, 0x00)   /* -0, +0 */
    OP2S(fsub.s, 0x3f800000, 0x7f800001, 0x7fc00000, 0x10)   /* 1, sNaN */
    OP2S(fsub.s, 0x7fc00000, 0x7fc00000, 0x7fc00000, 0x00)   /* qNaN, qNaN */
    OP2S(fsub.s, 0xff7fffff, 0x7f7fffff, 0xff800000, 0x05)   /* -max, max */
    OP2S(fsub.s, 0x3f800000, 0x33800000, 0x3f7fffff, 0x00)   /* 1, 5.960464477539063e-08 */
    OP2S_RM(fsub.s, rdn, 0x3f800000, 0x3f800000, 0x80000000, 0x00)   /* 1, 1 */

/* ---- FMUL ------------------------------------------------------------------ */
    OP2S(fmul.s, 0x40000000, 0x40400000, 0x40c00000, 0x00)   /* 2, 3 */
    OP2S(fmul.s, 0xc0000000, 0x40400000, 0xc0c00000, 0x00)   /* -2, 3 */
    OP2S(fmul.s, 0x80000000, 0x40400000, 0x80000000, 0x00)   /* -0, 3 */
    OP2S(fmul.s, 0x0, 0x7f800000, 0x7fc00000, 0x10)   /* +0, inf */
    OP2S(fmul.s, 0xff800000, 0xbf800000, 0x7f800000, 0x00)   /* -inf, -1 */
    OP2S(fmul.s, 0x7f7fffff, 0x40000000, 0x7f800000, 0x05)   /* max, 2 */
    OP2S(fmul.s, 0xff7fffff, 0x40000000, 0xff800000, 0x05)   /* -max, 2 */
    OP2S(fmul.s, 0x800000, 0x3f000000, 0x400000, 0x00)   /* min normal, 0.5 */
    OP2S(fmul.s, 0x1, 0x3f000000, 0x0, 0x03)   /* min subnormal, 0.5 */
    OP2S(fmul.s, 0x3, 0x3f000000, 0x2, 0x03)   /* 4.203895392974451e-45, 0.5 */
    OP2S(fmul.s, 0x3eaaaaab, 0x40400000, 0x3f800000, 0x01)   /* 0.3333333432674408, 3 */
    OP2S(fmul.s, 0x7f800001, 0x3f800000, 0x7fc00000, 0x10)   /* sNaN, 1 */
    OP2S(fmul.s, 0x7fc12345, 0x7f800000, 0x7fc00000, 0x00)   /* qNaN(payload), inf */
    OP2S(fmul.s, 0x3f800001, 0x3f800001, 0x3f800002, 0x01)   /* 1.0000001192092896, 1.0000001192092896 */
    OP2S_RM(fmul.s, rtz, 0x7f7fffff, 0x40000000, 0x7f7fffff, 0x05)   /* max, 2 */
    OP2S_RM(fmul.s, rdn, 0x7f7fffff, 0x40000000, 0x7f7fffff, 0x05)   /* max, 2 */
    OP2S_RM(fmul.s, rup, 0xff7fffff, 0x40000000, 0xff7fffff, 0x05)   /* -max, 2 */

/* ---- FDIV ------------------------------------------------------------------ */
    OP2S(fdiv.s, 0x3f800000, 0x40400000, 0x3eaaaaab, 0x01)   /* 1, 3 */
    OP2S(fdiv.s, 0x40c00000, 0x40400000, 0x40000000, 0x00)   /* 6.0, 3 */
    OP2S(fdiv.s, 0x3f800000, 0x0, 0x7f800000, 0x08)   /* 1, +0 */
    OP2S(fdiv.s, 0xbf800000, 0x0, 0xff800000, 0x08)   /* -1, +0 */
    OP2S(fdiv.s, 0x3f800000, 0x80000000, 0xff800000, 0x08)   /* 1, -0 */
    OP2S(fdiv.s, 0x0, 0x0, 0x7fc00000, 0x10)   /* +0, +0 */
    OP2S(fdiv.s, 0x7f800000, 0x7f800000, 0x7fc00000, 0x10)   /* inf, inf */
    OP2S(fdiv.s, 0x7f800000, 0x40000000, 0x7f800000, 0x00)   /* inf, 2 */
    OP2S(fdiv.s, 0x3f800000, 0x7f800000, 0x0, 0x00)   /* 1, inf */
    OP2S(fdiv.s, 0xbf800000, 0x7f800000, 0x80000000, 0x00)   /* -1, inf */
    OP2S(fdiv.s, 0x7f800001, 0x40000000, 0x7fc00000, 0x10)   /* sNaN, 2 */
    OP2S(fdiv.s, 0x7f7fffff, 0x3f000000, 0x7f800000, 0x05)   /* max, 0.5 */
    OP2S(fdiv.s, 0x800000, 0x40800000, 0x200000, 0x00)   /* min normal, 4.0 */
    OP2S(fdiv.s, 0x7fc00000, 0x0, 0x7fc00000, 0x00)   /* qNaN, +0 */

/* ---- FSQRT ----------------------------------------------------------------- */
    OP1S(fsqrt.s, 0x40800000, 0x40000000, 0x00)   /* 4.0 */
    OP1S(fsqrt.s, 0x40000000, 0x3fb504f3, 0x01)   /* 2 */
    OP1S(fsqrt.s, 0x3e800000, 0x3f000000, 0x00)   /* 0.25 */
    OP1S(fsqrt.s, 0x0, 0x0, 0x00)   /* +0 */
    OP1S(fsqrt.s, 0x80000000, 0x80000000, 0x00)   /* -0 */
    OP1S(fsqrt.s, 0x7f800000, 0x7f800000, 0x00)   /* inf */
    OP1S(fsqrt.s, 0xff800000, 0x7fc00000, 0x10)   /* -inf */
    OP1S(fsqrt.s, 0xbf800000, 0x7fc00000, 0x10)   /* -1 */
    OP1S(fsqrt.s, 0x7f800001, 0x7fc00000, 0x10)   /* sNaN */
    OP1S(fsqrt.s, 0x7fc12345, 0x7fc00000, 0x00)   /* qNaN(payload) */
    OP1S(fsqrt.s, 0x1, 0x1a3504f3, 0x01)   /* min subnormal */
    OP1S(fsqrt.s, 0x7f7fffff, 0x5f7fffff, 0x01)   /* max */
    OP1S(fsqrt.s, 0x40400000, 0x3fddb3d7, 0x01)   /* 3 */

/* ---- FMIN / FMAX (IEEE 754-2019 minimumNumber / maximumNumber) ------------- */
    OP2S(fmin.s, 0x3f800000, 0x40000000, 0x3f800000, 0x00)   /* 1, 2 */
    OP2S(fmin.s, 0x40000000, 0x3f800000, 0x3f800000, 0x00)   /* 2, 1 */
    OP2S(fmin.s, 0xbf800000, 0x3f800000, 0xbf800000, 0x00)   /* -1, 1 */
    OP2S(fmin.s, 0x80000000, 0x0, 0x80000000, 0x00)   /* -0, +0 */
    OP2S(fmin.s, 0x0, 0x80000000, 0x80000000, 0x00)   /* +0, -0 */
    OP2S(fmin.s, 0x7fc00000, 0x3f800000, 0x3f800000, 0x00)   /* qNaN, 1 */
    OP2S(fmin.s, 0x3f800000, 0x7fc12345, 0x3f800000, 0x00)   /* 1, qNaN(payload) */
    OP2S(fmin.s, 0x7f800001, 0x3f800000, 0x3f800000, 0x10)   /* sNaN, 1 */
    OP2S(fmin.s, 0x3f800000, 0x7f800005, 0x3f800000, 0x10)   /* 1, sNaN(payload) */
    OP2S(fmin.s, 0x7fc00000, 0x7fc00000, 0x7fc00000, 0x00)   /* qNaN, qNaN */
    OP2S(fmin.s, 0x7f800001, 0x7fc00000, 0x7fc00000, 0x10)   /* sNaN, qNaN */
    OP2S(fmin.s, 0xff800000, 0x7f7fffff, 0xff800000, 0x00)   /* -inf, max */
    OP2S(fmin.s, 0x7f800000, 0xff7fffff, 0xff7fffff, 0x00)   /* inf, -max */
    OP2S(fmax.s, 0x3f800000, 0x40000000, 0x40000000, 0x00)   /* 1, 2 */
    OP2S(fmax.s, 0x40000000, 0x3f800000, 0x40000000, 0x00)   /* 2, 1 */
    OP2S(fmax.s, 0xbf800000, 0x3f800000, 0x3f800000, 0x00)   /* -1, 1 */
    OP2S(fmax.s, 0x80000000, 0x0, 0x0, 0x00)   /* -0, +0 */
    OP2S(fmax.s, 0x0, 0x80000000, 0x0, 0x00)   /* +0, -0 */
    OP2S(fmax.s, 0x7fc00000, 0x3f800000, 0x3f800000, 0x00)   /* qNaN, 1 */
    OP2S(fmax.s, 0x3f800000, 0x7fc00000, 0x3f800000, 0x00)   /* 1, qNaN */
    OP2S(fmax.s, 0x7f800001, 0x3f800000, 0x3f800000, 0x10)   /* sNaN, 1 */
    OP2S(fmax.s, 0x7fc00000, 0x7fc12345, 0x7fc00000, 0x00)   /* qNaN, qNaN(payload) */
    OP2S(fmax.s, 0x7f800001, 0x7f800001, 0x7fc00000, 0x10)   /* sNaN, sNaN */
    OP2S(fmax.s, 0xff800000, 0x7f7fffff, 0x7f7fffff, 0x00)   /* -inf, max */
    OP2S(fmax.s, 0x7f800000, 0xff7fffff, 0x7f800000, 0x00)   /* inf, -max */

/* ---- FEQ (quiet) / FLT / FLE (signaling) ----------------------------------- */
    CMPS(feq.s, 0x3f800000, 0x3f800000, 1, 0x00)   /* 1, 1 */
    CMPS(feq.s, 0x3f800000, 0x40000000, 0, 0x00)   /* 1, 2 */
    CMPS(feq.s, 0x40000000, 0x3f800000, 0, 0x00)   /* 2, 1 */
    CMPS(feq.s, 0x80000000, 0x0, 1, 0x00)   /* -0, +0 */
    CMPS(feq.s, 0x0, 0x80000000, 1, 0x00)   /* +0, -0 */
    CMPS(feq.s, 0xff800000, 0x7f800000, 0, 0x00)   /* -inf, inf */
    CMPS(feq.s, 0x7f800000, 0x7f800000, 1, 0x00)   /* inf, inf */
    CMPS(feq.s, 0x7fc00000, 0x3f800000, 0, 0x00)   /* qNaN, 1 */
    CMPS(feq.s, 0x3f800000, 0x7fc00000, 0, 0x00)   /* 1, qNaN */
    CMPS(feq.s, 0x7f800001, 0x3f800000, 0, 0x10)   /* sNaN, 1 */
    CMPS(feq.s, 0x7fc00000, 0x7fc00000, 0, 0x00)   /* qNaN, qNaN */
    CMPS(feq.s, 0xbf800000, 0x80000000, 0, 0x00)   /* -1, -0 */
    CMPS(feq.s, 0x1, 0x0, 0, 0x00)   /* min subnormal, +0 */
    CMPS(flt.s, 0x3f800000, 0x3f800000, 0, 0x00)   /* 1, 1 */
    CMPS(flt.s, 0x3f800000, 0x40000000, 1, 0x00)   /* 1, 2 */
    CMPS(flt.s, 0x40000000, 0x3f800000, 0, 0x00)   /* 2, 1 */
    CMPS(flt.s, 0x80000000, 0x0, 0, 0x00)   /* -0, +0 */
    CMPS(flt.s, 0x0, 0x80000000, 0, 0x00)   /* +0, -0 */
    CMPS(flt.s, 0xff800000, 0x7f800000, 1, 0x00)   /* -inf, inf */
    CMPS(flt.s, 0x7f800000, 0x7f800000, 0, 0x00)   /* inf, inf */
    CMPS(flt.s, 0x7fc00000, 0x3f800000, 0, 0x10)   /* qNaN, 1 */
    CMPS(flt.s, 0x3f800000, 0x7fc00000, 0, 0x10)   /* 1, qNaN */
    CMPS(flt.s, 0x7f800001, 0x3f800000, 0, 0x10)   /* sNaN, 1 */
    CMPS(flt.s, 0x7fc00000, 0x7fc00000, 0, 0x10)   /* qNaN, qNaN */
    CMPS(flt.s, 0xbf800000, 0x80000000, 1, 0x00)   /* -1, -0 */
    CMPS(flt.s, 0x1, 0x0, 0, 0x00)   /* min subnormal, +0 */
    CMPS(fle.s, 0x3f800000, 0x3f800000, 1, 0x00)   /* 1, 1 */
    CMPS(fle.s, 0x3f800000, 0x40000000, 1, 0x00)   /* 1, 2 */
    CMPS(fle.s, 0x40000000, 0x3f800000, 0, 0x00)   /* 2, 1 */
    CMPS(fle.s, 0x80000000, 0x0, 1, 0x00)   /* -0, +0 */
    CMPS(fle.s, 0x0, 0x80000000, 1, 0x00)   /* +0, -0 */
    CMPS(fle.s, 0xff800000, 0x7f800000, 1, 0x00)   /* -inf, inf */
    CMPS(fle.s, 0x7f800000, 0x7f800000, 1, 0x00)   /* inf, inf */
    CMPS(fle.s, 0x7fc00000, 0x3f800000, 0, 0x10)   /* qNaN, 1 */
    CMPS(fle.s, 0x3f800000, 0x7fc00000, 0, 0x10)   /* 1, qNaN */
    CMPS(fle.s, 0x7f800001, 0x3f800000, 0, 0x10)   /* sNaN, 1 */
    CMPS(fle.s, 0x7fc00000, 0x7fc00000, 0, 0x10)   /* qNaN, qNaN */
    CMPS(fle.s, 0xbf800000, 0x80000000, 1, 0x00)   /* -1, -0 */
    CMPS(fle.s, 0x1, 0x0, 0, 0x00)   /* min subnormal, +0 */

/* ---- FCLASS ---------------------------------------------------------------- */
    CLASSS(fclass.s, 0xff800000, 0x1)   /* -inf */
    CLASSS(fclass.s, 0xbf800000, 0x2)   /* -1 */
    CLASSS(fclass.s, 0x80000001, 0x4)   /* -min subnormal */
    CLASSS(fclass.s, 0x80000000, 0x8)   /* -0 */
    CLASSS(fclass.s, 0x0, 0x10)   /* +0 */
    CLASSS(fclass.s, 0x1, 0x20)   /* min subnormal */
    CLASSS(fclass.s, 0x3f800000, 0x40)   /* 1 */
    CLASSS(fclass.s, 0x7f7fffff, 0x40)   /* max */
    CLASSS(fclass.s, 0x7f800000, 0x80)   /* inf */
    CLASSS(fclass.s, 0x7f800001, 0x100)   /* sNaN */
    CLASSS(fclass.s, 0x7f800005, 0x100)   /* sNaN(payload) */
    CLASSS(fclass.s, 0x7fc00000, 0x200)   /* qNaN */
    CLASSS(fclass.s, 0xffc12345, 0x200)   /* -qNaN(payload) */
    CLASSS(fclass.s, 0x800000, 0x40)   /* min normal */
    CLASSS(fclass.s, 0x7fffff, 0x20)   /* 1.1754942106924411e-38 */

/* ---- FSGNJ / FSGNJN / FSGNJX (bit operations: NaNs keep their payload, no flags)  */
    OP2S(fsgnj.s, 0x3f800000, 0xc0000000, 0xbf800000, 0x00)   /* 1, -2 */
    OP2S(fsgnj.s, 0xbf800000, 0x40000000, 0x3f800000, 0x00)   /* -1, 2 */
    OP2S(fsgnj.s, 0xbf800000, 0xc0000000, 0xbf800000, 0x00)   /* -1, -2 */
    OP2S(fsgnj.s, 0x7f800005, 0xbf800000, 0xff800005, 0x00)   /* sNaN(payload), -1 */
    OP2S(fsgnj.s, 0x7fc12345, 0x3f800000, 0x7fc12345, 0x00)   /* qNaN(payload), 1 */
    OP2S(fsgnj.s, 0xff800000, 0x0, 0x7f800000, 0x00)   /* -inf, +0 */
    OP2S(fsgnjn.s, 0x3f800000, 0xc0000000, 0x3f800000, 0x00)   /* 1, -2 */
    OP2S(fsgnjn.s, 0xbf800000, 0x40000000, 0xbf800000, 0x00)   /* -1, 2 */
    OP2S(fsgnjn.s, 0xbf800000, 0xc0000000, 0x3f800000, 0x00)   /* -1, -2 */
    OP2S(fsgnjn.s, 0x7f800005, 0xbf800000, 0x7f800005, 0x00)   /* sNaN(payload), -1 */
    OP2S(fsgnjn.s, 0x7fc12345, 0x3f800000, 0xffc12345, 0x00)   /* qNaN(payload), 1 */
    OP2S(fsgnjn.s, 0xff800000, 0x0, 0xff800000, 0x00)   /* -inf, +0 */
    OP2S(fsgnjx.s, 0x3f800000, 0xc0000000, 0xbf800000, 0x00)   /* 1, -2 */
    OP2S(fsgnjx.s, 0xbf800000, 0x40000000, 0xbf800000, 0x00)   /* -1, 2 */
    OP2S(fsgnjx.s, 0xbf800000, 0xc0000000, 0x3f800000, 0x00)   /* -1, -2 */
    OP2S(fsgnjx.s, 0x7f800005, 0xbf800000, 0xff800005, 0x00)   /* sNaN(payload), -1 */
    OP2S(fsgnjx.s, 0x7fc12345, 0x3f800000, 0x7fc12345, 0x00)   /* qNaN(payload), 1 */
    OP2S(fsgnjx.s, 0xff800000, 0x0, 0xff800000, 0x00)   /* -inf, +0 */

/* ---- FMADD / FMSUB / FNMSUB / FNMADD (single rounding) --------------------- */
    OP3S(fmadd.s, 0x40000000, 0x40400000, 0x3f800000, 0x40e00000, 0x00)   /* 2, 3, 1 */
    OP3S(fmadd.s, 0x40000000, 0xc0400000, 0x3f800000, 0xc0a00000, 0x00)   /* 2, -3, 1 */
    OP3S(fmadd.s, 0x3f800800, 0x3f800800, 0xbf800000, 0x3a000400, 0x00)   /* 1.000244140625, 1.000244140625, -1 */
    OP3S(fmadd.s, 0x0, 0x7f800000, 0x7fc00000, 0x7fc00000, 0x10)   /* +0, inf, qNaN */
    OP3S(fmadd.s, 0x7f800000, 0x0, 0x3f800000, 0x7fc00000, 0x10)   /* inf, +0, 1 */
    OP3S(fmadd.s, 0x7f800000, 0x3f800000, 0xff800000, 0x7fc00000, 0x10)   /* inf, 1, -inf */
    OP3S(fmadd.s, 0x3f800000, 0x3f800000, 0x7f800001, 0x7fc00000, 0x10)   /* 1, 1, sNaN */
    OP3S(fmadd.s, 0x0, 0x40a00000, 0x80000000, 0x0, 0x00)   /* +0, 5.0, -0 */
    OP3S(fmadd.s, 0x0, 0x40a00000, 0x0, 0x0, 0x00)   /* +0, 5.0, +0 */
    OP3S(fmadd.s, 0x7f7fffff, 0x40000000, 0xff7fffff, 0x7f7fffff, 0x00)   /* max, 2, -max */
    OP3S(fmadd.s, 0x3eaaaaab, 0x40400000, 0xbf800000, 0x33000000, 0x00)   /* 0.3333333432674408, 3, -1 */
    OP3S(fmadd.s, 0x7fc00000, 0x3f800000, 0x3f800000, 0x7fc00000, 0x00)   /* qNaN, 1, 1 */
    OP3S(fmsub.s, 0x40000000, 0x40400000, 0x3f800000, 0x40a00000, 0x00)   /* 2, 3, 1 */
    OP3S(fmsub.s, 0x40000000, 0xc0400000, 0x3f800000, 0xc0e00000, 0x00)   /* 2, -3, 1 */
    OP3S(fmsub.s, 0x3f800800, 0x3f800800, 0xbf800000, 0x40000800, 0x01)   /* 1.000244140625, 1.000244140625, -1 */
    OP3S(fmsub.s, 0x0, 0x7f800000, 0x7fc00000, 0x7fc00000, 0x10)   /* +0, inf, qNaN */
    OP3S(fmsub.s, 0x7f800000, 0x0, 0x3f800000, 0x7fc00000, 0x10)   /* inf, +0, 1 */
    OP3S(fmsub.s, 0x7f800000, 0x3f800000, 0xff800000, 0x7f800000, 0x00)   /* inf, 1, -inf */
    OP3S(fmsub.s, 0x3f800000, 0x3f800000, 0x7f800001, 0x7fc00000, 0x10)   /* 1, 1, sNaN */
    OP3S(fmsub.s, 0x0, 0x40a00000, 0x80000000, 0x0, 0x00)   /* +0, 5.0, -0 */
    OP3S(fmsub.s, 0x0, 0x40a00000, 0x0, 0x0, 0x00)   /* +0, 5.0, +0 */
    OP3S(fmsub.s, 0x7f7fffff, 0x40000000, 0xff7fffff, 0x7f800000, 0x05)   /* max, 2, -max */
    OP3S(fmsub.s, 0x3eaaaaab, 0x40400000, 0xbf800000, 0x40000000, 0x01)   /* 0.3333333432674408, 3, -1 */
    OP3S(fmsub.s, 0x7fc00000, 0x3f800000, 0x3f800000, 0x7fc00000, 0x00)   /* qNaN, 1, 1 */
    OP3S(fnmsub.s, 0x40000000, 0x40400000, 0x3f800000, 0xc0a00000, 0x00)   /* 2, 3, 1 */
    OP3S(fnmsub.s, 0x40000000, 0xc0400000, 0x3f800000, 0x40e00000, 0x00)   /* 2, -3, 1 */
    OP3S(fnmsub.s, 0x3f800800, 0x3f800800, 0xbf800000, 0xc0000800, 0x01)   /* 1.000244140625, 1.000244140625, -1 */
    OP3S(fnmsub.s, 0x0, 0x7f800000, 0x7fc00000, 0x7fc00000, 0x10)   /* +0, inf, qNaN */
    OP3S(fnmsub.s, 0x7f800000, 0x0, 0x3f800000, 0x7fc00000, 0x10)   /* inf, +0, 1 */
    OP3S(fnmsub.s, 0x7f800000, 0x3f800000, 0xff800000, 0xff800000, 0x00)   /* inf, 1, -inf */
    OP3S(fnmsub.s, 0x3f800000, 0x3f800000, 0x7f800001, 0x7fc00000, 0x10)   /* 1, 1, sNaN */
    OP3S(fnmsub.s, 0x0, 0x40a00000, 0x80000000, 0x80000000, 0x00)   /* +0, 5.0, -0 */
    OP3S(fnmsub.s, 0x0, 0x40a00000, 0x0, 0x0, 0x00)   /* +0, 5.0, +0 */
    OP3S(fnmsub.s, 0x7f7fffff, 0x40000000, 0xff7fffff, 0xff800000, 0x05)   /* max, 2, -max */
    OP3S(fnmsub.s, 0x3eaaaaab, 0x40400000, 0xbf800000, 0xc0000000, 0x01)   /* 0.3333333432674408, 3, -1 */
    OP3S(fnmsub.s, 0x7fc00000, 0x3f800000, 0x3f800000, 0x7fc00000, 0x00)   /* qNaN, 1, 1 */
    OP3S(fnmadd.s, 0x40000000, 0x40400000, 0x3f800000, 0xc0e00000, 0x00)   /* 2, 3, 1 */
    OP3S(fnmadd.s, 0x40000000, 0xc0400000, 0x3f800000, 0x40a00000, 0x00)   /* 2, -3, 1 */
    OP3S(fnmadd.s, 0x3f800800, 0x3f800800, 0xbf800000, 0xba000400, 0x00)   /* 1.000244140625, 1.000244140625, -1 */
    OP3S(fnmadd.s, 0x0, 0x7f800000, 0x7fc00000, 0x7fc00000, 0x10)   /* +0, inf, qNaN */
    OP3S(fnmadd.s, 0x7f800000, 0x0, 0x3f800000, 0x7fc00000, 0x10)   /* inf, +0, 1 */
    OP3S(fnmadd.s, 0x7f800000, 0x3f800000, 0xff800000, 0x7fc00000, 0x10)   /* inf, 1, -inf */
    OP3S(fnmadd.s, 0x3f800000, 0x3f800000, 0x7f800001, 0x7fc00000, 0x10)   /* 1, 1, sNaN */
    OP3S(fnmadd.s, 0x0, 0x40a00000, 0x80000000, 0x0, 0x00)   /* +0, 5.0, -0 */
    OP3S(fnmadd.s, 0x0, 0x40a00000, 0x0, 0x80000000, 0x00)   /* +0, 5.0, +0 */
    OP3S(fnmadd.s, 0x7f7fffff, 0x40000000, 0xff7fffff, 0xff7fffff, 0x00)   /* max, 2, -max */
    OP3S(fnmadd.s, 0x3eaaaaab, 0x40400000, 0xbf800000, 0xb3000000, 0x00)   /* 0.3333333432674408, 3, -1 */
    OP3S(fnmadd.s, 0x7fc00000, 0x3f800000, 0x3f800000, 0x7fc00000, 0x00)   /* qNaN, 1, 1 */
    OP3S_RM(fmadd.s, rdn, 0x3f800000, 0xbf800000, 0x3f800000, 0x80000000, 0x00)
    OP3S_RM(fnmadd.s, rtz, 0x7f7fffff, 0x7f7fffff, 0x3f800000, 0xff7fffff, 0x05)

/* ---- FMV.X.W / FMV.W.X ------------------------------------------------------ */
    li t0, 0x12345678bf800000
    fmv.w.x fa0, t0                     /* takes the low 32 bits, NaN-boxes */
    CHECK_F(fa0, BOX(0xbf800000))
    fmv.x.w a0, fa0                     /* sign-extends bit 31 */
    CHECK(a0, 0xffffffffbf800000)
    li t0, 0x7f800001                   /* signaling NaN moves unchanged, no flags */
    fmv.w.x fa0, t0
    fmv.x.w a0, fa0
    CHECK(a0, 0x7f800001)
    CHECK_FLAGS(0)

/* ---- FLW / FSW ---------------------------------------------------------------- */
    la s0, fdata
    flw fa0, 0(s0)
    CHECK_F(fa0, BOX(0xc0490fdb))
    flw fa1, 4(s0)                      /* sNaN loads unchanged */
    CHECK_F(fa1, BOX(0x7f800001))
    fsw fa0, 12(s0)
    lwu a0, 12(s0)
    CHECK(a0, 0xc0490fdb)
    addi s1, s0, 16
    fsw fa1, -8(s1)
    lwu a0, 8(s0)
    CHECK(a0, 0x7f800001)
    CHECK_FLAGS(0)

/* ---- NaN boxing: an improperly boxed input reads as the canonical NaN --------- */
    li t0, 0x000000003f800000           /* 1.0f without the box */
    fmv.d.x fa0, t0
    LDS(fa1, 0x3f800000)
    fadd.s fa2, fa0, fa1
    CHECK_F(fa2, BOX(0x7fc00000))
    CHECK_FLAGS(0)                      /* a quiet NaN: no NV */
    li t0, 0xfffffffe3f800000           /* one upper bit clear is enough */
    fmv.d.x fa4, t0
    fmul.s fa2, fa1, fa4
    CHECK_F(fa2, BOX(0x7fc00000))
    fsgnj.s fa2, fa0, fa0               /* operands read as NaN, result boxed */
    CHECK_F(fa2, BOX(0x7fc00000))
    fsgnjn.s fa2, fa1, fa0              /* rs2 = canonical NaN: sign 0 -> 1 */
    CHECK_F(fa2, BOX(0xbf800000))
    fsgnjx.s fa2, fa1, fa4
    CHECK_F(fa2, BOX(0x3f800000))
    fclass.s a0, fa0
    CHECK(a0, 0x200)                    /* quiet NaN */
    feq.s a0, fa0, fa0
    CHECK(a0, 0)
    CHECK_FLAGS(0)
    flt.s a0, fa0, fa1
    CHECK(a0, 0)
    CHECK_FLAGS(0x10)
    fmin.s fa2, fa0, fa1                /* NaN operand: the other one wins */
    CHECK_F(fa2, BOX(0x3f800000))
    fmax.s fa2, fa4, fa0
    CHECK_F(fa2, BOX(0x7fc00000))
    fmadd.s fa2, fa1, fa1, fa0
    CHECK_F(fa2, BOX(0x7fc00000))
    fsqrt.s fa2, fa4
    CHECK_F(fa2, BOX(0x7fc00000))
    fcvt.d.s fa2, fa0
    CHECK_F(fa2, 0x7ff8000000000000)
    fcvt.w.s a0, fa0
    CHECK(a0, 0x7fffffff)               /* NaN converts to the maximum */
    CHECK_FLAGS(0x10)
    CHECK_FLAGS(0)
    /* transfers ignore the box: FMV.X.W and FSW move the low 32 bits */
    fmv.x.w a0, fa0
    CHECK(a0, 0x3f800000)
    li t0, 0x12345678c0000000
    fmv.d.x fa0, t0
    fmv.x.w a0, fa0
    CHECK(a0, 0xffffffffc0000000)
    fsw fa0, 12(s0)
    lwu a0, 12(s0)
    CHECK(a0, 0xc0000000)
    /* a properly boxed value is fine */
    li t0, 0xffffffff40000000
    fmv.d.x fa0, t0
    fadd.s fa2, fa0, fa1
    CHECK_F(fa2, BOX(0x40400000))
    CHECK_FLAGS(0)

    TEST_END

    .data
    .balign 16
fdata:
    .word 0xc0490fdb, 0x7f800001, 0, 0
