/*
 * D extension (double precision): arithmetic, FMA family, sqrt, min/max,
 * compares, fclass, sign injection, FMV.X.D/FMV.D.X and FLD/FSD.
 * Values are raw IEEE-754 bit patterns; every result is checked together with
 * the exception flags it raised (NV 0x10, DZ 0x08, OF 0x04, UF 0x02, NX 0x01).
 * Expected values were derived independently with exact rational arithmetic.
 * Rounding mode is RNE (dynamic, frm = 0) unless a case names one.
 */
#include "fw.h"

#define LDD(freg, v) li t0, v; fmv.d.x freg, t0
#define OP1D(op, a, exp, fl) LDD(fa0, a); op fa2, fa0; CHECK_F(fa2, exp); CHECK_FLAGS(fl)
#define OP2D(op, a, b, exp, fl) LDD(fa0, a); LDD(fa1, b); op fa2, fa0, fa1; CHECK_F(fa2, exp); CHECK_FLAGS(fl)
#define OP2D_RM(op, rm, a, b, exp, fl) LDD(fa0, a); LDD(fa1, b); op fa2, fa0, fa1, rm; CHECK_F(fa2, exp); CHECK_FLAGS(fl)
#define OP3D(op, a, b, c, exp, fl) LDD(fa0, a); LDD(fa1, b); LDD(fa3, c); op fa2, fa0, fa1, fa3; CHECK_F(fa2, exp); CHECK_FLAGS(fl)
#define OP3D_RM(op, rm, a, b, c, exp, fl) LDD(fa0, a); LDD(fa1, b); LDD(fa3, c); op fa2, fa0, fa1, fa3, rm; CHECK_F(fa2, exp); CHECK_FLAGS(fl)
#define CMPD(op, a, b, r, fl) LDD(fa0, a); LDD(fa1, b); op a2, fa0, fa1; CHECK(a2, r); CHECK_FLAGS(fl)
#define CLASSD(op, a, r) LDD(fa0, a); op a2, fa0; CHECK(a2, r); CHECK_FLAGS(0)

TEST_BEGIN(rv64d)
    csrw fcsr, zero

/* ---- FADD / FSUB ----------------------------------------------------------- */
    OP2D(fadd.d, 0x3ff0000000000000, 0x4000000000000000, 0x4008000000000000, 0x00)   /* 1, 2 */
    OP2D(fadd.d, 0x3ff0000000000000, 0xbff0000000000000, 0x0, 0x00)   /* 1, -1 */
    OP2D(fadd.d, 0x8000000000000000, 0x8000000000000000, 0x8000000000000000, 0x00)   /* -0, -0 */
    OP2D(fadd.d, 0x0, 0x8000000000000000, 0x0, 0x00)   /* +0, -0 */
    OP2D(fadd.d, 0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000, 0x10)   /* inf, -inf */
    OP2D(fadd.d, 0x7ff0000000000000, 0x3ff0000000000000, 0x7ff0000000000000, 0x00)   /* inf, 1 */
    OP2D(fadd.d, 0xfff0000000000000, 0xfff0000000000000, 0xfff0000000000000, 0x00)   /* -inf, -inf */
    OP2D(fadd.d, 0x7ff0000000000001, 0x3ff0000000000000, 0x7ff8000000000000, 0x10)   /* sNaN, 1 */
    OP2D(fadd.d, 0x3ff0000000000000, 0x7ff8000000000000, 0x7ff8000000000000, 0x00)   /* 1, qNaN */
    OP2D(fadd.d, 0x7ff8000000012345, 0x3ff0000000000000, 0x7ff8000000000000, 0x00)   /* qNaN(payload), 1 */
    OP2D(fadd.d, 0x7fefffffffffffff, 0x7fefffffffffffff, 0x7ff0000000000000, 0x05)   /* max, max */
    OP2D(fadd.d, 0xffefffffffffffff, 0xffefffffffffffff, 0xfff0000000000000, 0x05)   /* -max, -max */
    OP2D(fadd.d, 0x3ff0000000000000, 0x3c30000000000000, 0x3ff0000000000000, 0x01)   /* 1, 8.673617379884035e-19 */
    OP2D(fadd.d, 0x3ff0000000000000, 0x3ca0000000000000, 0x3ff0000000000000, 0x01)   /* 1, 1.1102230246251565e-16 */
    OP2D(fadd.d, 0x3ff0000000000001, 0x3ca0000000000000, 0x3ff0000000000002, 0x01)   /* 1.0000000000000002, 1.1102230246251565e-16 */
    OP2D(fadd.d, 0x1, 0x1, 0x2, 0x00)   /* min subnormal, min subnormal */
    OP2D(fadd.d, 0x10000000000000, 0x8000000000000001, 0xfffffffffffff, 0x00)   /* min normal, -min subnormal */
    OP2D(fadd.d, 0x3fd5555555555555, 0x3fd5555555555555, 0x3fe5555555555555, 0x00)   /* 0.3333333333333333, 0.3333333333333333 */
    OP2D_RM(fadd.d, rdn, 0x3ff0000000000000, 0xbff0000000000000, 0x8000000000000000, 0x00)   /* 1, -1 */
    OP2D_RM(fadd.d, rdn, 0x8000000000000000, 0x0, 0x8000000000000000, 0x00)   /* -0, +0 */
    OP2D_RM(fadd.d, rtz, 0x7fefffffffffffff, 0x7fefffffffffffff, 0x7fefffffffffffff, 0x05)   /* max, max */
    OP2D(fsub.d, 0x4008000000000000, 0x4000000000000000, 0x3ff0000000000000, 0x00)   /* 3, 2 */
    OP2D(fsub.d, 0x3ff0000000000000, 0x3ff0000000000000, 0x0, 0x00)   /* 1, 1 */
    OP2D(fsub.d, 0x7ff0000000000000, 0x7ff0000000000000, 0x7ff8000000000000, 0x10)   /* inf, inf */
    OP2D(fsub.d, 0xfff0000000000000, 0x7ff0000000000000, 0xfff0000000000000, 0x00)   /* -inf, inf */
    OP2D(fsub.d, 0x0, 0x0, 0x0, 0x00)   /* +0, +0 */
    OP2D(fsub.d, 0x8000000000000000, 0x0, 0x8000000000000000, 0x00)   /* -0, +0 */
    OP2D(fsub.d, 0x3ff0000000000000, 0x7ff0000000000001, 0x7ff8000000000000, 0x10)   /* 1, sNaN */
    OP2D(fsub.d, 0x7ff8000000000000, 0x7ff8000000000000, 0x7ff8000000000000, 0x00)   /* qNaN, qNaN */
    OP2D(fsub.d, 0xffefffffffffffff, 0x7fefffffffffffff, 0xfff0000000000000, 0x05)   /* -max, max */
    OP2D(fsub.d, 0x3ff0000000000000, 0x3ca0000000000000, 0x3fefffffffffffff, 0x00)   /* 1, 1.1102230246251565e-16 */
    OP2D_RM(fsub.d, rdn, 0x3ff0000000000000, 0x3ff0000000000000, 0x8000000000000000, 0x00)   /* 1, 1 */

/* ---- FMUL ------------------------------------------------------------------ */
    OP2D(fmul.d, 0x4000000000000000, 0x4008000000000000, 0x4018000000000000, 0x00)   /* 2, 3 */
    OP2D(fmul.d, 0xc000000000000000, 0x4008000000000000, 0xc018000000000000, 0x00)   /* -2, 3 */
    OP2D(fmul.d, 0x8000000000000000, 0x4008000000000000, 0x8000000000000000, 0x00)   /* -0, 3 */
    OP2D(fmul.d, 0x0, 0x7ff0000000000000, 0x7ff8000000000000, 0x10)   /* +0, inf */
    OP2D(fmul.d, 0xfff0000000000000, 0xbff0000000000000, 0x7ff0000000000000, 0x00)   /* -inf, -1 */
    OP2D(fmul.d, 0x7fefffffffffffff, 0x4000000000000000, 0x7ff0000000000000, 0x05)   /* max, 2 */
    OP2D(fmul.d, 0xffefffffffffffff, 0x4000000000000000, 0xfff0000000000000, 0x05)   /* -max, 2 */
    OP2D(fmul.d, 0x10000000000000, 0x3fe0000000000000, 0x8000000000000, 0x00)   /* min normal, 0.5 */
    OP2D(fmul.d, 0x1, 0x3fe0000000000000, 0x0, 0x03)   /* min subnormal, 0.5 */
    OP2D(fmul.d, 0x3, 0x3fe0000000000000, 0x2, 0x03)   /* 1.5e-323, 0.5 */
    OP2D(fmul.d, 0x3fd5555555555555, 0x4008000000000000, 0x3ff0000000000000, 0x01)   /* 0.3333333333333333, 3 */
    OP2D(fmul.d, 0x7ff0000000000001, 0x3ff0000000000000, 0x7ff8000000000000, 0x10)   /* sNaN, 1 */
    OP2D(fmul.d, 0x7ff8000000012345, 0x7ff0000000000000, 0x7ff8000000000000, 0x00)   /* qNaN(payload), inf */
    OP2D(fmul.d, 0x3ff0000000000001, 0x3ff0000000000001, 0x3ff0000000000002, 0x01)   /* 1.0000000000000002, 1.0000000000000002 */
    OP2D_RM(fmul.d, rtz, 0x7fefffffffffffff, 0x4000000000000000, 0x7fefffffffffffff, 0x05)   /* max, 2 */
    OP2D_RM(fmul.d, rdn, 0x7fefffffffffffff, 0x4000000000000000, 0x7fefffffffffffff, 0x05)   /* max, 2 */
    OP2D_RM(fmul.d, rup, 0xffefffffffffffff, 0x4000000000000000, 0xffefffffffffffff, 0x05)   /* -max, 2 */

/* ---- FDIV ------------------------------------------------------------------ */
    OP2D(fdiv.d, 0x3ff0000000000000, 0x4008000000000000, 0x3fd5555555555555, 0x01)   /* 1, 3 */
    OP2D(fdiv.d, 0x4018000000000000, 0x4008000000000000, 0x4000000000000000, 0x00)   /* 6.0, 3 */
    OP2D(fdiv.d, 0x3ff0000000000000, 0x0, 0x7ff0000000000000, 0x08)   /* 1, +0 */
    OP2D(fdiv.d, 0xbff0000000000000, 0x0, 0xfff0000000000000, 0x08)   /* -1, +0 */
    OP2D(fdiv.d, 0x3ff0000000000000, 0x8000000000000000, 0xfff0000000000000, 0x08)   /* 1, -0 */
    OP2D(fdiv.d, 0x0, 0x0, 0x7ff8000000000000, 0x10)   /* +0, +0 */
    OP2D(fdiv.d, 0x7ff0000000000000, 0x7ff0000000000000, 0x7ff8000000000000, 0x10)   /* inf, inf */
    OP2D(fdiv.d, 0x7ff0000000000000, 0x4000000000000000, 0x7ff0000000000000, 0x00)   /* inf, 2 */
    OP2D(fdiv.d, 0x3ff0000000000000, 0x7ff0000000000000, 0x0, 0x00)   /* 1, inf */
    OP2D(fdiv.d, 0xbff0000000000000, 0x7ff0000000000000, 0x8000000000000000, 0x00)   /* -1, inf */
    OP2D(fdiv.d, 0x7ff0000000000001, 0x4000000000000000, 0x7ff8000000000000, 0x10)   /* sNaN, 2 */
    OP2D(fdiv.d, 0x7fefffffffffffff, 0x3fe0000000000000, 0x7ff0000000000000, 0x05)   /* max, 0.5 */
    OP2D(fdiv.d, 0x10000000000000, 0x4010000000000000, 0x4000000000000, 0x00)   /* min normal, 4.0 */
    OP2D(fdiv.d, 0x7ff8000000000000, 0x0, 0x7ff8000000000000, 0x00)   /* qNaN, +0 */

/* ---- FSQRT ----------------------------------------------------------------- */
    OP1D(fsqrt.d, 0x4010000000000000, 0x4000000000000000, 0x00)   /* 4.0 */
    OP1D(fsqrt.d, 0x4000000000000000, 0x3ff6a09e667f3bcd, 0x01)   /* 2 */
    OP1D(fsqrt.d, 0x3fd0000000000000, 0x3fe0000000000000, 0x00)   /* 0.25 */
    OP1D(fsqrt.d, 0x0, 0x0, 0x00)   /* +0 */
    OP1D(fsqrt.d, 0x8000000000000000, 0x8000000000000000, 0x00)   /* -0 */
    OP1D(fsqrt.d, 0x7ff0000000000000, 0x7ff0000000000000, 0x00)   /* inf */
    OP1D(fsqrt.d, 0xfff0000000000000, 0x7ff8000000000000, 0x10)   /* -inf */
    OP1D(fsqrt.d, 0xbff0000000000000, 0x7ff8000000000000, 0x10)   /* -1 */
    OP1D(fsqrt.d, 0x7ff0000000000001, 0x7ff8000000000000, 0x10)   /* sNaN */
    OP1D(fsqrt.d, 0x7ff8000000012345, 0x7ff8000000000000, 0x00)   /* qNaN(payload) */
    OP1D(fsqrt.d, 0x1, 0x1e60000000000000, 0x00)   /* min subnormal */
    OP1D(fsqrt.d, 0x7fefffffffffffff, 0x5fefffffffffffff, 0x01)   /* max */
    OP1D(fsqrt.d, 0x4008000000000000, 0x3ffbb67ae8584caa, 0x01)   /* 3 */

/* ---- FMIN / FMAX (IEEE 754-2019 minimumNumber / maximumNumber) ------------- */
    OP2D(fmin.d, 0x3ff0000000000000, 0x4000000000000000, 0x3ff0000000000000, 0x00)   /* 1, 2 */
    OP2D(fmin.d, 0x4000000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0x00)   /* 2, 1 */
    OP2D(fmin.d, 0xbff0000000000000, 0x3ff0000000000000, 0xbff0000000000000, 0x00)   /* -1, 1 */
    OP2D(fmin.d, 0x8000000000000000, 0x0, 0x8000000000000000, 0x00)   /* -0, +0 */
    OP2D(fmin.d, 0x0, 0x8000000000000000, 0x8000000000000000, 0x00)   /* +0, -0 */
    OP2D(fmin.d, 0x7ff8000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0x00)   /* qNaN, 1 */
    OP2D(fmin.d, 0x3ff0000000000000, 0x7ff8000000012345, 0x3ff0000000000000, 0x00)   /* 1, qNaN(payload) */
    OP2D(fmin.d, 0x7ff0000000000001, 0x3ff0000000000000, 0x3ff0000000000000, 0x10)   /* sNaN, 1 */
    OP2D(fmin.d, 0x3ff0000000000000, 0x7ff0000000000005, 0x3ff0000000000000, 0x10)   /* 1, sNaN(payload) */
    OP2D(fmin.d, 0x7ff8000000000000, 0x7ff8000000000000, 0x7ff8000000000000, 0x00)   /* qNaN, qNaN */
    OP2D(fmin.d, 0x7ff0000000000001, 0x7ff8000000000000, 0x7ff8000000000000, 0x10)   /* sNaN, qNaN */
    OP2D(fmin.d, 0xfff0000000000000, 0x7fefffffffffffff, 0xfff0000000000000, 0x00)   /* -inf, max */
    OP2D(fmin.d, 0x7ff0000000000000, 0xffefffffffffffff, 0xffefffffffffffff, 0x00)   /* inf, -max */
    OP2D(fmax.d, 0x3ff0000000000000, 0x4000000000000000, 0x4000000000000000, 0x00)   /* 1, 2 */
    OP2D(fmax.d, 0x4000000000000000, 0x3ff0000000000000, 0x4000000000000000, 0x00)   /* 2, 1 */
    OP2D(fmax.d, 0xbff0000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0x00)   /* -1, 1 */
    OP2D(fmax.d, 0x8000000000000000, 0x0, 0x0, 0x00)   /* -0, +0 */
    OP2D(fmax.d, 0x0, 0x8000000000000000, 0x0, 0x00)   /* +0, -0 */
    OP2D(fmax.d, 0x7ff8000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0x00)   /* qNaN, 1 */
    OP2D(fmax.d, 0x3ff0000000000000, 0x7ff8000000000000, 0x3ff0000000000000, 0x00)   /* 1, qNaN */
    OP2D(fmax.d, 0x7ff0000000000001, 0x3ff0000000000000, 0x3ff0000000000000, 0x10)   /* sNaN, 1 */
    OP2D(fmax.d, 0x7ff8000000000000, 0x7ff8000000012345, 0x7ff8000000000000, 0x00)   /* qNaN, qNaN(payload) */
    OP2D(fmax.d, 0x7ff0000000000001, 0x7ff0000000000001, 0x7ff8000000000000, 0x10)   /* sNaN, sNaN */
    OP2D(fmax.d, 0xfff0000000000000, 0x7fefffffffffffff, 0x7fefffffffffffff, 0x00)   /* -inf, max */
    OP2D(fmax.d, 0x7ff0000000000000, 0xffefffffffffffff, 0x7ff0000000000000, 0x00)   /* inf, -max */

/* ---- FEQ (quiet) / FLT / FLE (signaling) ----------------------------------- */
    CMPD(feq.d, 0x3ff0000000000000, 0x3ff0000000000000, 1, 0x00)   /* 1, 1 */
    CMPD(feq.d, 0x3ff0000000000000, 0x4000000000000000, 0, 0x00)   /* 1, 2 */
    CMPD(feq.d, 0x4000000000000000, 0x3ff0000000000000, 0, 0x00)   /* 2, 1 */
    CMPD(feq.d, 0x8000000000000000, 0x0, 1, 0x00)   /* -0, +0 */
    CMPD(feq.d, 0x0, 0x8000000000000000, 1, 0x00)   /* +0, -0 */
    CMPD(feq.d, 0xfff0000000000000, 0x7ff0000000000000, 0, 0x00)   /* -inf, inf */
    CMPD(feq.d, 0x7ff0000000000000, 0x7ff0000000000000, 1, 0x00)   /* inf, inf */
    CMPD(feq.d, 0x7ff8000000000000, 0x3ff0000000000000, 0, 0x00)   /* qNaN, 1 */
    CMPD(feq.d, 0x3ff0000000000000, 0x7ff8000000000000, 0, 0x00)   /* 1, qNaN */
    CMPD(feq.d, 0x7ff0000000000001, 0x3ff0000000000000, 0, 0x10)   /* sNaN, 1 */
    CMPD(feq.d, 0x7ff8000000000000, 0x7ff8000000000000, 0, 0x00)   /* qNaN, qNaN */
    CMPD(feq.d, 0xbff0000000000000, 0x8000000000000000, 0, 0x00)   /* -1, -0 */
    CMPD(feq.d, 0x1, 0x0, 0, 0x00)   /* min subnormal, +0 */
    CMPD(flt.d, 0x3ff0000000000000, 0x3ff0000000000000, 0, 0x00)   /* 1, 1 */
    CMPD(flt.d, 0x3ff0000000000000, 0x4000000000000000, 1, 0x00)   /* 1, 2 */
    CMPD(flt.d, 0x4000000000000000, 0x3ff0000000000000, 0, 0x00)   /* 2, 1 */
    CMPD(flt.d, 0x8000000000000000, 0x0, 0, 0x00)   /* -0, +0 */
    CMPD(flt.d, 0x0, 0x8000000000000000, 0, 0x00)   /* +0, -0 */
    CMPD(flt.d, 0xfff0000000000000, 0x7ff0000000000000, 1, 0x00)   /* -inf, inf */
    CMPD(flt.d, 0x7ff0000000000000, 0x7ff0000000000000, 0, 0x00)   /* inf, inf */
    CMPD(flt.d, 0x7ff8000000000000, 0x3ff0000000000000, 0, 0x10)   /* qNaN, 1 */
    CMPD(flt.d, 0x3ff0000000000000, 0x7ff8000000000000, 0, 0x10)   /* 1, qNaN */
    CMPD(flt.d, 0x7ff0000000000001, 0x3ff0000000000000, 0, 0x10)   /* sNaN, 1 */
    CMPD(flt.d, 0x7ff8000000000000, 0x7ff8000000000000, 0, 0x10)   /* qNaN, qNaN */
    CMPD(flt.d, 0xbff0000000000000, 0x8000000000000000, 1, 0x00)   /* -1, -0 */
    CMPD(flt.d, 0x1, 0x0, 0, 0x00)   /* min subnormal, +0 */
    CMPD(fle.d, 0x3ff0000000000000, 0x3ff0000000000000, 1, 0x00)   /* 1, 1 */
    CMPD(fle.d, 0x3ff0000000000000, 0x4000000000000000, 1, 0x00)   /* 1, 2 */
    CMPD(fle.d, 0x4000000000000000, 0x3ff0000000000000, 0, 0x00)   /* 2, 1 */
    CMPD(fle.d, 0x8000000000000000, 0x0, 1, 0x00)   /* -0, +0 */
    CMPD(fle.d, 0x0, 0x8000000000000000, 1, 0x00)   /* +0, -0 */
    CMPD(fle.d, 0xfff0000000000000, 0x7ff0000000000000, 1, 0x00)   /* -inf, inf */
    CMPD(fle.d, 0x7ff0000000000000, 0x7ff0000000000000, 1, 0x00)   /* inf, inf */
    CMPD(fle.d, 0x7ff8000000000000, 0x3ff0000000000000, 0, 0x10)   /* qNaN, 1 */
    CMPD(fle.d, 0x3ff0000000000000, 0x7ff8000000000000, 0, 0x10)   /* 1, qNaN */
    CMPD(fle.d, 0x7ff0000000000001, 0x3ff0000000000000, 0, 0x10)   /* sNaN, 1 */
    CMPD(fle.d, 0x7ff8000000000000, 0x7ff8000000000000, 0, 0x10)   /* qNaN, qNaN */
    CMPD(fle.d, 0xbff0000000000000, 0x8000000000000000, 1, 0x00)   /* -1, -0 */
    CMPD(fle.d, 0x1, 0x0, 0, 0x00)   /* min subnormal, +0 */

/* ---- FCLASS ---------------------------------------------------------------- */
    CLASSD(fclass.d, 0xfff0000000000000, 0x1)   /* -inf */
    CLASSD(fclass.d, 0xbff0000000000000, 0x2)   /* -1 */
    CLASSD(fclass.d, 0x8000000000000001, 0x4)   /* -min subnormal */
    CLASSD(fclass.d, 0x8000000000000000, 0x8)   /* -0 */
    CLASSD(fclass.d, 0x0, 0x10)   /* +0 */
    CLASSD(fclass.d, 0x1, 0x20)   /* min subnormal */
    CLASSD(fclass.d, 0x3ff0000000000000, 0x40)   /* 1 */
    CLASSD(fclass.d, 0x7fefffffffffffff, 0x40)   /* max */
    CLASSD(fclass.d, 0x7ff0000000000000, 0x80)   /* inf */
    CLASSD(fclass.d, 0x7ff0000000000001, 0x100)   /* sNaN */
    CLASSD(fclass.d, 0x7ff0000000000005, 0x100)   /* sNaN(payload) */
    CLASSD(fclass.d, 0x7ff8000000000000, 0x200)   /* qNaN */
    CLASSD(fclass.d, 0xfff8000000012345, 0x200)   /* -qNaN(payload) */
    CLASSD(fclass.d, 0x10000000000000, 0x40)   /* min normal */
    CLASSD(fclass.d, 0xfffffffffffff, 0x20)   /* 2.225073858507201e-308 */

/* ---- FSGNJ / FSGNJN / FSGNJX (bit operations: NaNs keep their payload, no flags)  */
    OP2D(fsgnj.d, 0x3ff0000000000000, 0xc000000000000000, 0xbff0000000000000, 0x00)   /* 1, -2 */
    OP2D(fsgnj.d, 0xbff0000000000000, 0x4000000000000000, 0x3ff0000000000000, 0x00)   /* -1, 2 */
    OP2D(fsgnj.d, 0xbff0000000000000, 0xc000000000000000, 0xbff0000000000000, 0x00)   /* -1, -2 */
    OP2D(fsgnj.d, 0x7ff0000000000005, 0xbff0000000000000, 0xfff0000000000005, 0x00)   /* sNaN(payload), -1 */
    OP2D(fsgnj.d, 0x7ff8000000012345, 0x3ff0000000000000, 0x7ff8000000012345, 0x00)   /* qNaN(payload), 1 */
    OP2D(fsgnj.d, 0xfff0000000000000, 0x0, 0x7ff0000000000000, 0x00)   /* -inf, +0 */
    OP2D(fsgnjn.d, 0x3ff0000000000000, 0xc000000000000000, 0x3ff0000000000000, 0x00)   /* 1, -2 */
    OP2D(fsgnjn.d, 0xbff0000000000000, 0x4000000000000000, 0xbff0000000000000, 0x00)   /* -1, 2 */
    OP2D(fsgnjn.d, 0xbff0000000000000, 0xc000000000000000, 0x3ff0000000000000, 0x00)   /* -1, -2 */
    OP2D(fsgnjn.d, 0x7ff0000000000005, 0xbff0000000000000, 0x7ff0000000000005, 0x00)   /* sNaN(payload), -1 */
    OP2D(fsgnjn.d, 0x7ff8000000012345, 0x3ff0000000000000, 0xfff8000000012345, 0x00)   /* qNaN(payload), 1 */
    OP2D(fsgnjn.d, 0xfff0000000000000, 0x0, 0xfff0000000000000, 0x00)   /* -inf, +0 */
    OP2D(fsgnjx.d, 0x3ff0000000000000, 0xc000000000000000, 0xbff0000000000000, 0x00)   /* 1, -2 */
    OP2D(fsgnjx.d, 0xbff0000000000000, 0x4000000000000000, 0xbff0000000000000, 0x00)   /* -1, 2 */
    OP2D(fsgnjx.d, 0xbff0000000000000, 0xc000000000000000, 0x3ff0000000000000, 0x00)   /* -1, -2 */
    OP2D(fsgnjx.d, 0x7ff0000000000005, 0xbff0000000000000, 0xfff0000000000005, 0x00)   /* sNaN(payload), -1 */
    OP2D(fsgnjx.d, 0x7ff8000000012345, 0x3ff0000000000000, 0x7ff8000000012345, 0x00)   /* qNaN(payload), 1 */
    OP2D(fsgnjx.d, 0xfff0000000000000, 0x0, 0xfff0000000000000, 0x00)   /* -inf, +0 */

/* ---- FMADD / FMSUB / FNMSUB / FNMADD (single rounding) --------------------- */
    OP3D(fmadd.d, 0x4000000000000000, 0x4008000000000000, 0x3ff0000000000000, 0x401c000000000000, 0x00)   /* 2, 3, 1 */
    OP3D(fmadd.d, 0x4000000000000000, 0xc008000000000000, 0x3ff0000000000000, 0xc014000000000000, 0x00)   /* 2, -3, 1 */
    OP3D(fmadd.d, 0x3ff0000004000000, 0x3ff0000004000000, 0xbff0000000000000, 0x3e60000002000000, 0x00)   /* 1.0000000149011612, 1.0000000149011612, -1 */
    OP3D(fmadd.d, 0x0, 0x7ff0000000000000, 0x7ff8000000000000, 0x7ff8000000000000, 0x10)   /* +0, inf, qNaN */
    OP3D(fmadd.d, 0x7ff0000000000000, 0x0, 0x3ff0000000000000, 0x7ff8000000000000, 0x10)   /* inf, +0, 1 */
    OP3D(fmadd.d, 0x7ff0000000000000, 0x3ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000, 0x10)   /* inf, 1, -inf */
    OP3D(fmadd.d, 0x3ff0000000000000, 0x3ff0000000000000, 0x7ff0000000000001, 0x7ff8000000000000, 0x10)   /* 1, 1, sNaN */
    OP3D(fmadd.d, 0x0, 0x4014000000000000, 0x8000000000000000, 0x0, 0x00)   /* +0, 5.0, -0 */
    OP3D(fmadd.d, 0x0, 0x4014000000000000, 0x0, 0x0, 0x00)   /* +0, 5.0, +0 */
    OP3D(fmadd.d, 0x7fefffffffffffff, 0x4000000000000000, 0xffefffffffffffff, 0x7fefffffffffffff, 0x00)   /* max, 2, -max */
    OP3D(fmadd.d, 0x3fd5555555555555, 0x4008000000000000, 0xbff0000000000000, 0xbc90000000000000, 0x00)   /* 0.3333333333333333, 3, -1 */
    OP3D(fmadd.d, 0x7ff8000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0x7ff8000000000000, 0x00)   /* qNaN, 1, 1 */
    OP3D(fmsub.d, 0x4000000000000000, 0x4008000000000000, 0x3ff0000000000000, 0x4014000000000000, 0x00)   /* 2, 3, 1 */
    OP3D(fmsub.d, 0x4000000000000000, 0xc008000000000000, 0x3ff0000000000000, 0xc01c000000000000, 0x00)   /* 2, -3, 1 */
    OP3D(fmsub.d, 0x3ff0000004000000, 0x3ff0000004000000, 0xbff0000000000000, 0x4000000004000000, 0x01)   /* 1.0000000149011612, 1.0000000149011612, -1 */
    OP3D(fmsub.d, 0x0, 0x7ff0000000000000, 0x7ff8000000000000, 0x7ff8000000000000, 0x10)   /* +0, inf, qNaN */
    OP3D(fmsub.d, 0x7ff0000000000000, 0x0, 0x3ff0000000000000, 0x7ff8000000000000, 0x10)   /* inf, +0, 1 */
    OP3D(fmsub.d, 0x7ff0000000000000, 0x3ff0000000000000, 0xfff0000000000000, 0x7ff0000000000000, 0x00)   /* inf, 1, -inf */
    OP3D(fmsub.d, 0x3ff0000000000000, 0x3ff0000000000000, 0x7ff0000000000001, 0x7ff8000000000000, 0x10)   /* 1, 1, sNaN */
    OP3D(fmsub.d, 0x0, 0x4014000000000000, 0x8000000000000000, 0x0, 0x00)   /* +0, 5.0, -0 */
    OP3D(fmsub.d, 0x0, 0x4014000000000000, 0x0, 0x0, 0x00)   /* +0, 5.0, +0 */
    OP3D(fmsub.d, 0x7fefffffffffffff, 0x4000000000000000, 0xffefffffffffffff, 0x7ff0000000000000, 0x05)   /* max, 2, -max */
    OP3D(fmsub.d, 0x3fd5555555555555, 0x4008000000000000, 0xbff0000000000000, 0x4000000000000000, 0x01)   /* 0.3333333333333333, 3, -1 */
    OP3D(fmsub.d, 0x7ff8000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0x7ff8000000000000, 0x00)   /* qNaN, 1, 1 */
    OP3D(fnmsub.d, 0x4000000000000000, 0x4008000000000000, 0x3ff0000000000000, 0xc014000000000000, 0x00)   /* 2, 3, 1 */
    OP3D(fnmsub.d, 0x4000000000000000, 0xc008000000000000, 0x3ff0000000000000, 0x401c000000000000, 0x00)   /* 2, -3, 1 */
    OP3D(fnmsub.d, 0x3ff0000004000000, 0x3ff0000004000000, 0xbff0000000000000, 0xc000000004000000, 0x01)   /* 1.0000000149011612, 1.0000000149011612, -1 */
    OP3D(fnmsub.d, 0x0, 0x7ff0000000000000, 0x7ff8000000000000, 0x7ff8000000000000, 0x10)   /* +0, inf, qNaN */
    OP3D(fnmsub.d, 0x7ff0000000000000, 0x0, 0x3ff0000000000000, 0x7ff8000000000000, 0x10)   /* inf, +0, 1 */
    OP3D(fnmsub.d, 0x7ff0000000000000, 0x3ff0000000000000, 0xfff0000000000000, 0xfff0000000000000, 0x00)   /* inf, 1, -inf */
    OP3D(fnmsub.d, 0x3ff0000000000000, 0x3ff0000000000000, 0x7ff0000000000001, 0x7ff8000000000000, 0x10)   /* 1, 1, sNaN */
    OP3D(fnmsub.d, 0x0, 0x4014000000000000, 0x8000000000000000, 0x8000000000000000, 0x00)   /* +0, 5.0, -0 */
    OP3D(fnmsub.d, 0x0, 0x4014000000000000, 0x0, 0x0, 0x00)   /* +0, 5.0, +0 */
    OP3D(fnmsub.d, 0x7fefffffffffffff, 0x4000000000000000, 0xffefffffffffffff, 0xfff0000000000000, 0x05)   /* max, 2, -max */
    OP3D(fnmsub.d, 0x3fd5555555555555, 0x4008000000000000, 0xbff0000000000000, 0xc000000000000000, 0x01)   /* 0.3333333333333333, 3, -1 */
    OP3D(fnmsub.d, 0x7ff8000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0x7ff8000000000000, 0x00)   /* qNaN, 1, 1 */
    OP3D(fnmadd.d, 0x4000000000000000, 0x4008000000000000, 0x3ff0000000000000, 0xc01c000000000000, 0x00)   /* 2, 3, 1 */
    OP3D(fnmadd.d, 0x4000000000000000, 0xc008000000000000, 0x3ff0000000000000, 0x4014000000000000, 0x00)   /* 2, -3, 1 */
    OP3D(fnmadd.d, 0x3ff0000004000000, 0x3ff0000004000000, 0xbff0000000000000, 0xbe60000002000000, 0x00)   /* 1.0000000149011612, 1.0000000149011612, -1 */
    OP3D(fnmadd.d, 0x0, 0x7ff0000000000000, 0x7ff8000000000000, 0x7ff8000000000000, 0x10)   /* +0, inf, qNaN */
    OP3D(fnmadd.d, 0x7ff0000000000000, 0x0, 0x3ff0000000000000, 0x7ff8000000000000, 0x10)   /* inf, +0, 1 */
    OP3D(fnmadd.d, 0x7ff0000000000000, 0x3ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000, 0x10)   /* inf, 1, -inf */
    OP3D(fnmadd.d, 0x3ff0000000000000, 0x3ff0000000000000, 0x7ff0000000000001, 0x7ff8000000000000, 0x10)   /* 1, 1, sNaN */
    OP3D(fnmadd.d, 0x0, 0x4014000000000000, 0x8000000000000000, 0x0, 0x00)   /* +0, 5.0, -0 */
    OP3D(fnmadd.d, 0x0, 0x4014000000000000, 0x0, 0x8000000000000000, 0x00)   /* +0, 5.0, +0 */
    OP3D(fnmadd.d, 0x7fefffffffffffff, 0x4000000000000000, 0xffefffffffffffff, 0xffefffffffffffff, 0x00)   /* max, 2, -max */
    OP3D(fnmadd.d, 0x3fd5555555555555, 0x4008000000000000, 0xbff0000000000000, 0x3c90000000000000, 0x00)   /* 0.3333333333333333, 3, -1 */
    OP3D(fnmadd.d, 0x7ff8000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0x7ff8000000000000, 0x00)   /* qNaN, 1, 1 */
    OP3D_RM(fmadd.d, rdn, 0x3ff0000000000000, 0xbff0000000000000, 0x3ff0000000000000, 0x8000000000000000, 0x00)
    OP3D_RM(fnmadd.d, rtz, 0x7fefffffffffffff, 0x7fefffffffffffff, 0x3ff0000000000000, 0xffefffffffffffff, 0x05)

/* ---- FMV.X.D / FMV.D.X: raw 64-bit moves, no flags ------------------------------ */
    li t0, 0x7ff0000000000001
    fmv.d.x fa0, t0
    fmv.x.d a0, fa0
    CHECK(a0, 0x7ff0000000000001)
    li t0, 0x8000000000000000
    fmv.d.x fa0, t0
    fmv.x.d a0, fa0
    CHECK(a0, 0x8000000000000000)
    CHECK_FLAGS(0)

/* ---- FLD / FSD ------------------------------------------------------------------ */
    la s0, ddata
    fld fa0, 0(s0)
    CHECK_F(fa0, 0xc00921fb54442d18)
    fld fa1, 8(s0)
    CHECK_F(fa1, 0x7ff0000000000001)
    fsd fa0, 16(s0)
    ld a0, 16(s0)
    CHECK(a0, 0xc00921fb54442d18)
    addi s1, s0, 32
    fsd fa1, -8(s1)
    ld a0, 24(s0)
    CHECK(a0, 0x7ff0000000000001)
    /* a NaN-boxed single is stored as its 64-bit pattern */
    li t0, 0x3f800000
    fmv.w.x fa2, t0
    fsd fa2, 16(s0)
    ld a0, 16(s0)
    CHECK(a0, 0xffffffff3f800000)
    /* and reads as a (quiet) NaN in double operations */
    fadd.d fa3, fa2, fa0
    CHECK_F(fa3, 0x7ff8000000000000)
    CHECK_FLAGS(0)

    TEST_END

    .data
    .balign 16
ddata:
    .dword 0xc00921fb54442d18, 0x7ff0000000000001, 0, 0
