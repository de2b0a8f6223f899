/*
 * F/D conversions: float -> int of every width (rounding per rm, saturation
 * with NV on overflow / NaN / infinity, NX when inexact, 32-bit results
 * sign-extended even for the unsigned forms), int -> float (W forms read the
 * low 32 bits of rs1), single <-> double (canonical NaN, rounding, overflow,
 * underflow).  Static rounding modes are used throughout.
 * Expected values were derived independently with exact rational arithmetic.
 */
#include "fw.h"

#define BOX(v) (0xffffffff00000000 | (v))
#define F2IS(op, a, rm, exp, fl) li t0, a; fmv.w.x fa0, t0; op a2, fa0, rm; CHECK(a2, exp); CHECK_FLAGS(fl)
#define F2ID(op, a, rm, exp, fl) li t0, a; fmv.d.x fa0, t0; op a2, fa0, rm; CHECK(a2, exp); CHECK_FLAGS(fl)
#define I2FS(op, a, rm, exp, fl) li a0, a; op fa2, a0, rm; CHECK_F(fa2, BOX(exp)); CHECK_FLAGS(fl)
#define I2FD(op, a, rm, exp, fl) li a0, a; op fa2, a0, rm; CHECK_F(fa2, exp); CHECK_FLAGS(fl)
#define I2FD0(op, a, exp, fl) li a0, a; op fa2, a0; CHECK_F(fa2, exp); CHECK_FLAGS(fl)
#define D2S(a, rm, exp, fl) li t0, a; fmv.d.x fa0, t0; fcvt.s.d fa2, fa0, rm; CHECK_F(fa2, BOX(exp)); CHECK_FLAGS(fl)
#define S2D(a, exp, fl) li t0, a; fmv.w.x fa0, t0; fcvt.d.s fa2, fa0; CHECK_F(fa2, exp); CHECK_FLAGS(fl)

TEST_BEGIN(fcvt)
    csrw fcsr, zero

/* ---- FCVT.{W,WU,L,LU}.S: round per rm, saturate + NV on overflow/NaN/inf --- */
    F2IS(fcvt.w.s, 0x3f800000, rne, 0x1, 0x00)   /* 1.0 */
    F2IS(fcvt.w.s, 0xbf800000, rne, 0xffffffffffffffff, 0x00)   /* -1.0 */
    F2IS(fcvt.w.s, 0x3fc00000, rne, 0x2, 0x01)   /* 1.5 */
    F2IS(fcvt.w.s, 0x40200000, rne, 0x2, 0x01)   /* 2.5 */
    F2IS(fcvt.w.s, 0xc0200000, rne, 0xfffffffffffffffe, 0x01)   /* -2.5 */
    F2IS(fcvt.w.s, 0xbf000000, rne, 0x0, 0x01)   /* -0.5 */
    F2IS(fcvt.w.s, 0x3efff2e5, rne, 0x0, 0x01)   /* 0.4999 */
    F2IS(fcvt.w.s, 0x501502f9, rne, 0x7fffffff, 0x10)   /* 10000000000.0 */
    F2IS(fcvt.w.s, 0xd01502f9, rne, 0xffffffff80000000, 0x10)   /* -10000000000.0 */
    F2IS(fcvt.w.s, 0x4f000000, rne, 0x7fffffff, 0x10)   /* 2147483648.0 */
    F2IS(fcvt.w.s, 0xcf000000, rne, 0xffffffff80000000, 0x00)   /* -2147483648.0 */
    F2IS(fcvt.w.s, 0x4effffff, rne, 0x7fffff80, 0x00)   /* 2147483520.0 */
    F2IS(fcvt.w.s, 0x4f800000, rne, 0x7fffffff, 0x10)   /* 4294967296.0 */
    F2IS(fcvt.w.s, 0x4f6e6b28, rne, 0x7fffffff, 0x10)   /* 4000000000.0 */
    F2IS(fcvt.w.s, 0x5f000000, rne, 0x7fffffff, 0x10)   /* 9.223372036854776e+18 */
    F2IS(fcvt.w.s, 0xdf000000, rne, 0xffffffff80000000, 0x10)   /* -9.223372036854776e+18 */
    F2IS(fcvt.w.s, 0x5f800000, rne, 0x7fffffff, 0x10)   /* 1.8446744073709552e+19 */
    F2IS(fcvt.w.s, 0x7149f2ca, rne, 0x7fffffff, 0x10)   /* 1e+30 */
    F2IS(fcvt.w.s, 0xf149f2ca, rne, 0xffffffff80000000, 0x10)   /* -1e+30 */
    F2IS(fcvt.w.s, 0x0, rne, 0x0, 0x00)   /* 0.0 */
    F2IS(fcvt.w.s, 0x80000000, rne, 0x0, 0x00)   /* -0.0 */
    F2IS(fcvt.w.s, 0x200, rne, 0x0, 0x01)   /* 7.174648137343064e-43 */
    F2IS(fcvt.w.s, 0x7f800000, rne, 0x7fffffff, 0x10)   /* inf */
    F2IS(fcvt.w.s, 0xff800000, rne, 0xffffffff80000000, 0x10)   /* -inf */
    F2IS(fcvt.w.s, 0x7fc00000, rne, 0x7fffffff, 0x10)   /* qNaN */
    F2IS(fcvt.w.s, 0x7f800001, rne, 0x7fffffff, 0x10)   /* sNaN */
    F2IS(fcvt.w.s, 0xffc00000, rne, 0x7fffffff, 0x10)   /* -qNaN */
    F2IS(fcvt.w.s, 0x40200000, rtz, 0x2, 0x01)   /* 2.5 */
    F2IS(fcvt.w.s, 0x40200000, rdn, 0x2, 0x01)   /* 2.5 */
    F2IS(fcvt.w.s, 0x40200000, rup, 0x3, 0x01)   /* 2.5 */
    F2IS(fcvt.w.s, 0x40200000, rmm, 0x3, 0x01)   /* 2.5 */
    F2IS(fcvt.w.s, 0xc0200000, rtz, 0xfffffffffffffffe, 0x01)   /* -2.5 */
    F2IS(fcvt.w.s, 0xc0200000, rdn, 0xfffffffffffffffd, 0x01)   /* -2.5 */
    F2IS(fcvt.w.s, 0xc0200000, rup, 0xfffffffffffffffe, 0x01)   /* -2.5 */
    F2IS(fcvt.w.s, 0xc0200000, rmm, 0xfffffffffffffffd, 0x01)   /* -2.5 */
    F2IS(fcvt.w.s, 0xbf000000, rtz, 0x0, 0x01)   /* -0.5 */
    F2IS(fcvt.w.s, 0xbf000000, rdn, 0xffffffffffffffff, 0x01)   /* -0.5 */
    F2IS(fcvt.w.s, 0xbf000000, rup, 0x0, 0x01)   /* -0.5 */
    F2IS(fcvt.w.s, 0xbf000000, rmm, 0xffffffffffffffff, 0x01)   /* -0.5 */
    F2IS(fcvt.w.s, 0x3f000000, rtz, 0x0, 0x01)   /* 0.5 */
    F2IS(fcvt.w.s, 0x3f000000, rdn, 0x0, 0x01)   /* 0.5 */
    F2IS(fcvt.w.s, 0x3f000000, rup, 0x1, 0x01)   /* 0.5 */
    F2IS(fcvt.w.s, 0x3f000000, rmm, 0x1, 0x01)   /* 0.5 */
    F2IS(fcvt.w.s, 0x3fc00000, rtz, 0x1, 0x01)   /* 1.5 */
    F2IS(fcvt.w.s, 0x3fc00000, rdn, 0x1, 0x01)   /* 1.5 */
    F2IS(fcvt.w.s, 0x3fc00000, rup, 0x2, 0x01)   /* 1.5 */
    F2IS(fcvt.w.s, 0x3fc00000, rmm, 0x2, 0x01)   /* 1.5 */
    F2IS(fcvt.w.s, 0xbfc00000, rtz, 0xffffffffffffffff, 0x01)   /* -1.5 */
    F2IS(fcvt.w.s, 0xbfc00000, rdn, 0xfffffffffffffffe, 0x01)   /* -1.5 */
    F2IS(fcvt.w.s, 0xbfc00000, rup, 0xffffffffffffffff, 0x01)   /* -1.5 */
    F2IS(fcvt.w.s, 0xbfc00000, rmm, 0xfffffffffffffffe, 0x01)   /* -1.5 */
    F2IS(fcvt.wu.s, 0x3f800000, rne, 0x1, 0x00)   /* 1.0 */
    F2IS(fcvt.wu.s, 0xbf800000, rne, 0x0, 0x10)   /* -1.0 */
    F2IS(fcvt.wu.s, 0x3fc00000, rne, 0x2, 0x01)   /* 1.5 */
    F2IS(fcvt.wu.s, 0x40200000, rne, 0x2, 0x01)   /* 2.5 */
    F2IS(fcvt.wu.s, 0xc0200000, rne, 0x0, 0x10)   /* -2.5 */
    F2IS(fcvt.wu.s, 0xbf000000, rne, 0x0, 0x01)   /* -0.5 */
    F2IS(fcvt.wu.s, 0x3efff2e5, rne, 0x0, 0x01)   /* 0.4999 */
    F2IS(fcvt.wu.s, 0x501502f9, rne, 0xffffffffffffffff, 0x10)   /* 10000000000.0 */
    F2IS(fcvt.wu.s, 0xd01502f9, rne, 0x0, 0x10)   /* -10000000000.0 */
    F2IS(fcvt.wu.s, 0x4f000000, rne, 0xffffffff80000000, 0x00)   /* 2147483648.0 */
    F2IS(fcvt.wu.s, 0xcf000000, rne, 0x0, 0x10)   /* -2147483648.0 */
    F2IS(fcvt.wu.s, 0x4effffff, rne, 0x7fffff80, 0x00)   /* 2147483520.0 */
    F2IS(fcvt.wu.s, 0x4f800000, rne, 0xffffffffffffffff, 0x10)   /* 4294967296.0 */
    F2IS(fcvt.wu.s, 0x4f6e6b28, rne, 0xffffffffee6b2800, 0x00)   /* 4000000000.0 */
    F2IS(fcvt.wu.s, 0x5f000000, rne, 0xffffffffffffffff, 0x10)   /* 9.223372036854776e+18 */
    F2IS(fcvt.wu.s, 0xdf000000, rne, 0x0, 0x10)   /* -9.223372036854776e+18 */
    F2IS(fcvt.wu.s, 0x5f800000, rne, 0xffffffffffffffff, 0x10)   /* 1.8446744073709552e+19 */
    F2IS(fcvt.wu.s, 0x7149f2ca, rne, 0xffffffffffffffff, 0x10)   /* 1e+30 */
    F2IS(fcvt.wu.s, 0xf149f2ca, rne, 0x0, 0x10)   /* -1e+30 */
    F2IS(fcvt.wu.s, 0x0, rne, 0x0, 0x00)   /* 0.0 */
    F2IS(fcvt.wu.s, 0x80000000, rne, 0x0, 0x00)   /* -0.0 */
    F2IS(fcvt.wu.s, 0x200, rne, 0x0, 0x01)   /* 7.174648137343064e-43 */
    F2IS(fcvt.wu.s, 0x7f800000, rne, 0xffffffffffffffff, 0x10)   /* inf */
    F2IS(fcvt.wu.s, 0xff800000, rne, 0x0, 0x10)   /* -inf */
    F2IS(fcvt.wu.s, 0x7fc00000, rne, 0xffffffffffffffff, 0x10)   /* qNaN */
    F2IS(fcvt.wu.s, 0x7f800001, rne, 0xffffffffffffffff, 0x10)   /* sNaN */
    F2IS(fcvt.wu.s, 0xffc00000, rne, 0xffffffffffffffff, 0x10)   /* -qNaN */
    F2IS(fcvt.wu.s, 0x40200000, rtz, 0x2, 0x01)   /* 2.5 */
    F2IS(fcvt.wu.s, 0x40200000, rdn, 0x2, 0x01)   /* 2.5 */
    F2IS(fcvt.wu.s, 0x40200000, rup, 0x3, 0x01)   /* 2.5 */
    F2IS(fcvt.wu.s, 0x40200000, rmm, 0x3, 0x01)   /* 2.5 */
    F2IS(fcvt.wu.s, 0xc0200000, rtz, 0x0, 0x10)   /* -2.5 */
    F2IS(fcvt.wu.s, 0xc0200000, rdn, 0x0, 0x10)   /* -2.5 */
    F2IS(fcvt.wu.s, 0xc0200000, rup, 0x0, 0x10)   /* -2.5 */
    F2IS(fcvt.wu.s, 0xc0200000, rmm, 0x0, 0x10)   /* -2.5 */
    F2IS(fcvt.wu.s, 0xbf000000, rtz, 0x0, 0x01)   /* -0.5 */
    F2IS(fcvt.wu.s, 0xbf000000, rdn, 0x0, 0x10)   /* -0.5 */
    F2IS(fcvt.wu.s, 0xbf000000, rup, 0x0, 0x01)   /* -0.5 */
    F2IS(fcvt.wu.s, 0xbf000000, rmm, 0x0, 0x10)   /* -0.5 */
    F2IS(fcvt.wu.s, 0x3f000000, rtz, 0x0, 0x01)   /* 0.5 */
    F2IS(fcvt.wu.s, 0x3f000000, rdn, 0x0, 0x01)   /* 0.5 */
    F2IS(fcvt.wu.s, 0x3f000000, rup, 0x1, 0x01)   /* 0.5 */
    F2IS(fcvt.wu.s, 0x3f000000, rmm, 0x1, 0x01)   /* 0.5 */
    F2IS(fcvt.wu.s, 0x3fc00000, rtz, 0x1, 0x01)   /* 1.5 */
    F2IS(fcvt.wu.s, 0x3fc00000, rdn, 0x1, 0x01)   /* 1.5 */
    F2IS(fcvt.wu.s, 0x3fc00000, rup, 0x2, 0x01)   /* 1.5 */
    F2IS(fcvt.wu.s, 0x3fc00000, rmm, 0x2, 0x01)   /* 1.5 */
    F2IS(fcvt.wu.s, 0xbfc00000, rtz, 0x0, 0x10)   /* -1.5 */
    F2IS(fcvt.wu.s, 0xbfc00000, rdn, 0x0, 0x10)   /* -1.5 */
    F2IS(fcvt.wu.s, 0xbfc00000, rup, 0x0, 0x10)   /* -1.5 */
    F2IS(fcvt.wu.s, 0xbfc00000, rmm, 0x0, 0x10)   /* -1.5 */
    F2IS(fcvt.l.s, 0x3f800000, rne, 0x1, 0x00)   /* 1.0 */
    F2IS(fcvt.l.s, 0xbf800000, rne, 0xffffffffffffffff, 0x00)   /* -1.0 */
    F2IS(fcvt.l.s, 0x3fc00000, rne, 0x2, 0x01)   /* 1.5 */
    F2IS(fcvt.l.s, 0x40200000, rne, 0x2, 0x01)   /* 2.5 */
    F2IS(fcvt.l.s, 0xc0200000, rne, 0xfffffffffffffffe, 0x01)   /* -2.5 */
    F2IS(fcvt.l.s, 0xbf000000, rne, 0x0, 0x01)   /* -0.5 */
    F2IS(fcvt.l.s, 0x3efff2e5, rne, 0x0, 0x01)   /* 0.4999 */
    F2IS(fcvt.l.s, 0x501502f9, rne, 0x2540be400, 0x00)   /* 10000000000.0 */
    F2IS(fcvt.l.s, 0xd01502f9, rne, 0xfffffffdabf41c00, 0x00)   /* -10000000000.0 */
    F2IS(fcvt.l.s, 0x4f000000, rne, 0x80000000, 0x00)   /* 2147483648.0 */
    F2IS(fcvt.l.s, 0xcf000000, rne, 0xffffffff80000000, 0x00)   /* -2147483648.0 */
    F2IS(fcvt.l.s, 0x4effffff, rne, 0x7fffff80, 0x00)   /* 2147483520.0 */
    F2IS(fcvt.l.s, 0x4f800000, rne, 0x100000000, 0x00)   /* 4294967296.0 */
    F2IS(fcvt.l.s, 0x4f6e6b28, rne, 0xee6b2800, 0x00)   /* 4000000000.0 */
    F2IS(fcvt.l.s, 0x5f000000, rne, 0x7fffffffffffffff, 0x10)   /* 9.223372036854776e+18 */
    F2IS(fcvt.l.s, 0xdf000000, rne, 0x8000000000000000, 0x00)   /* -9.223372036854776e+18 */
    F2IS(fcvt.l.s, 0x5f800000, rne, 0x7fffffffffffffff, 0x10)   /* 1.8446744073709552e+19 */
    F2IS(fcvt.l.s, 0x7149f2ca, rne, 0x7fffffffffffffff, 0x10)   /* 1e+30 */
    F2IS(fcvt.l.s, 0xf149f2ca, rne, 0x8000000000000000, 0x10)   /* -1e+30 */
    F2IS(fcvt.l.s, 0x0, rne, 0x0, 0x00)   /* 0.0 */
    F2IS(fcvt.l.s, 0x80000000, rne, 0x0, 0x00)   /* -0.0 */
    F2IS(fcvt.l.s, 0x200, rne, 0x0, 0x01)   /* 7.174648137343064e-43 */
    F2IS(fcvt.l.s, 0x7f800000, rne, 0x7fffffffffffffff, 0x10)   /* inf */
    F2IS(fcvt.l.s, 0xff800000, rne, 0x8000000000000000, 0x10)   /* -inf */
    F2IS(fcvt.l.s, 0x7fc00000, rne, 0x7fffffffffffffff, 0x10)   /* qNaN */
    F2IS(fcvt.l.s, 0x7f800001, rne, 0x7fffffffffffffff, 0x10)   /* sNaN */
    F2IS(fcvt.l.s, 0xffc00000, rne, 0x7fffffffffffffff, 0x10)   /* -qNaN */
    F2IS(fcvt.l.s, 0x40200000, rtz, 0x2, 0x01)   /* 2.5 */
    F2IS(fcvt.l.s, 0x40200000, rdn, 0x2, 0x01)   /* 2.5 */
    F2IS(fcvt.l.s, 0x40200000, rup, 0x3, 0x01)   /* 2.5 */
    F2IS(fcvt.l.s, 0x40200000, rmm, 0x3, 0x01)   /* 2.5 */
    F2IS(fcvt.l.s, 0xc0200000, rtz, 0xfffffffffffffffe, 0x01)   /* -2.5 */
    F2IS(fcvt.l.s, 0xc0200000, rdn, 0xfffffffffffffffd, 0x01)   /* -2.5 */
    F2IS(fcvt.l.s, 0xc0200000, rup, 0xfffffffffffffffe, 0x01)   /* -2.5 */
    F2IS(fcvt.l.s, 0xc0200000, rmm, 0xfffffffffffffffd, 0x01)   /* -2.5 */
    F2IS(fcvt.l.s, 0xbf000000, rtz, 0x0, 0x01)   /* -0.5 */
    F2IS(fcvt.l.s, 0xbf000000, rdn, 0xffffffffffffffff, 0x01)   /* -0.5 */
    F2IS(fcvt.l.s, 0xbf000000, rup, 0x0, 0x01)   /* -0.5 */
    F2IS(fcvt.l.s, 0xbf000000, rmm, 0xffffffffffffffff, 0x01)   /* -0.5 */
    F2IS(fcvt.l.s, 0x3f000000, rtz, 0x0, 0x01)   /* 0.5 */
    F2IS(fcvt.l.s, 0x3f000000, rdn, 0x0, 0x01)   /* 0.5 */
    F2IS(fcvt.l.s, 0x3f000000, rup, 0x1, 0x01)   /* 0.5 */
    F2IS(fcvt.l.s, 0x3f000000, rmm, 0x1, 0x01)   /* 0.5 */
    F2IS(fcvt.l.s, 0x3fc00000, rtz, 0x1, 0x01)   /* 1.5 */
    F2IS(fcvt.l.s, 0x3fc00000, rdn, 0x1, 0x01)   /* 1.5 */
    F2IS(fcvt.l.s, 0x3fc00000, rup, 0x2, 0x01)   /* 1.5 */
    F2IS(fcvt.l.s, 0x3fc00000, rmm, 0x2, 0x01)   /* 1.5 */
    F2IS(fcvt.l.s, 0xbfc00000, rtz, 0xffffffffffffffff, 0x01)   /* -1.5 */
    F2IS(fcvt.l.s, 0xbfc00000, rdn, 0xfffffffffffffffe, 0x01)   /* -1.5 */
    F2IS(fcvt.l.s, 0xbfc00000, rup, 0xffffffffffffffff, 0x01)   /* -1.5 */
    F2IS(fcvt.l.s, 0xbfc00000, rmm, 0xfffffffffffffffe, 0x01)   /* -1.5 */
    F2IS(fcvt.lu.s, 0x3f800000, rne, 0x1, 0x00)   /* 1.0 */
    F2IS(fcvt.lu.s, 0xbf800000, rne, 0x0, 0x10)   /* -1.0 */
    F2IS(fcvt.lu.s, 0x3fc00000, rne, 0x2, 0x01)   /* 1.5 */
    F2IS(fcvt.lu.s, 0x40200000, rne, 0x2, 0x01)   /* 2.5 */
    F2IS(fcvt.lu.s, 0xc0200000, rne, 0x0, 0x10)   /* -2.5 */
    F2IS(fcvt.lu.s, 0xbf000000, rne, 0x0, 0x01)   /* -0.5 */
    F2IS(fcvt.lu.s, 0x3efff2e5, rne, 0x0, 0x01)   /* 0.4999 */
    F2IS(fcvt.lu.s, 0x501502f9, rne, 0x2540be400, 0x00)   /* 10000000000.0 */
    F2IS(fcvt.lu.s, 0xd01502f9, rne, 0x0, 0x10)   /* -10000000000.0 */
    F2IS(fcvt.lu.s, 0x4f000000, rne, 0x80000000, 0x00)   /* 2147483648.0 */
    F2IS(fcvt.lu.s, 0xcf000000, rne, 0x0, 0x10)   /* -2147483648.0 */
    F2IS(fcvt.lu.s, 0x4effffff, rne, 0x7fffff80, 0x00)   /* 2147483520.0 */
    F2IS(fcvt.lu.s, 0x4f800000, rne, 0x100000000, 0x00)   /* 4294967296.0 */
    F2IS(fcvt.lu.s, 0x4f6e6b28, rne, 0xee6b2800, 0x00)   /* 4000000000.0 */
    F2IS(fcvt.lu.s, 0x5f000000, rne, 0x8000000000000000, 0x00)   /* 9.223372036854776e+18 */
    F2IS(fcvt.lu.s, 0xdf000000, rne, 0x0, 0x10)   /* -9.223372036854776e+18 */
    F2IS(fcvt.lu.s, 0x5f800000, rne, 0xffffffffffffffff, 0x10)   /* 1.8446744073709552e+19 */
    F2IS(fcvt.lu.s, 0x7149f2ca, rne, 0xffffffffffffffff, 0x10)   /* 1e+30 */
    F2IS(fcvt.lu.s, 0xf149f2ca, rne, 0x0, 0x10)   /* -1e+30 */
    F2IS(fcvt.lu.s, 0x0, rne, 0x0, 0x00)   /* 0.0 */
    F2IS(fcvt.lu.s, 0x80000000, rne, 0x0, 0x00)   /* -0.0 */
    F2IS(fcvt.lu.s, 0x200, rne, 0x0, 0x01)   /* 7.174648137343064e-43 */
    F2IS(fcvt.lu.s, 0x7f800000, rne, 0xffffffffffffffff, 0x10)   /* inf */
    F2IS(fcvt.lu.s, 0xff800000, rne, 0x0, 0x10)   /* -inf */
    F2IS(fcvt.lu.s, 0x7fc00000, rne, 0xffffffffffffffff, 0x10)   /* qNaN */
    F2IS(fcvt.lu.s, 0x7f800001, rne, 0xffffffffffffffff, 0x10)   /* sNaN */
    F2IS(fcvt.lu.s, 0xffc00000, rne, 0xffffffffffffffff, 0x10)   /* -qNaN */
    F2IS(fcvt.lu.s, 0x40200000, rtz, 0x2, 0x01)   /* 2.5 */
    F2IS(fcvt.lu.s, 0x40200000, rdn, 0x2, 0x01)   /* 2.5 */
    F2IS(fcvt.lu.s, 0x40200000, rup, 0x3, 0x01)   /* 2.5 */
    F2IS(fcvt.lu.s, 0x40200000, rmm, 0x3, 0x01)   /* 2.5 */
    F2IS(fcvt.lu.s, 0xc0200000, rtz, 0x0, 0x10)   /* -2.5 */
    F2IS(fcvt.lu.s, 0xc0200000, rdn, 0x0, 0x10)   /* -2.5 */
    F2IS(fcvt.lu.s, 0xc0200000, rup, 0x0, 0x10)   /* -2.5 */
    F2IS(fcvt.lu.s, 0xc0200000, rmm, 0x0, 0x10)   /* -2.5 */
    F2IS(fcvt.lu.s, 0xbf000000, rtz, 0x0, 0x01)   /* -0.5 */
    F2IS(fcvt.lu.s, 0xbf000000, rdn, 0x0, 0x10)   /* -0.5 */
    F2IS(fcvt.lu.s, 0xbf000000, rup, 0x0, 0x01)   /* -0.5 */
    F2IS(fcvt.lu.s, 0xbf000000, rmm, 0x0, 0x10)   /* -0.5 */
    F2IS(fcvt.lu.s, 0x3f000000, rtz, 0x0, 0x01)   /* 0.5 */
    F2IS(fcvt.lu.s, 0x3f000000, rdn, 0x0, 0x01)   /* 0.5 */
    F2IS(fcvt.lu.s, 0x3f000000, rup, 0x1, 0x01)   /* 0.5 */
    F2IS(fcvt.lu.s, 0x3f000000, rmm, 0x1, 0x01)   /* 0.5 */
    F2IS(fcvt.lu.s, 0x3fc00000, rtz, 0x1, 0x01)   /* 1.5 */
    F2IS(fcvt.lu.s, 0x3fc00000, rdn, 0x1, 0x01)   /* 1.5 */
    F2IS(fcvt.lu.s, 0x3fc00000, rup, 0x2, 0x01)   /* 1.5 */
    F2IS(fcvt.lu.s, 0x3fc00000, rmm, 0x2, 0x01)   /* 1.5 */
    F2IS(fcvt.lu.s, 0xbfc00000, rtz, 0x0, 0x10)   /* -1.5 */
    F2IS(fcvt.lu.s, 0xbfc00000, rdn, 0x0, 0x10)   /* -1.5 */
    F2IS(fcvt.lu.s, 0xbfc00000, rup, 0x0, 0x10)   /* -1.5 */
    F2IS(fcvt.lu.s, 0xbfc00000, rmm, 0x0, 0x10)   /* -1.5 */

/* ---- FCVT.S.{W,WU,L,LU}: W forms use the low 32 bits of rs1 ---------------- */
    I2FS(fcvt.s.w, 0x0, rne, 0x0, 0x00)   /* 0 */
    I2FS(fcvt.s.w, 0x1, rne, 0x3f800000, 0x00)   /* 1 */
    I2FS(fcvt.s.w, 0xffffffffffffffff, rne, 0xbf800000, 0x00)   /* -1 */
    I2FS(fcvt.s.w, 0x7fffffff, rne, 0x4f000000, 0x01)   /* 2147483647 */
    I2FS(fcvt.s.w, 0xffffffff80000000, rne, 0xcf000000, 0x00)   /* -2147483648 */
    I2FS(fcvt.s.w, 0x100000005, rne, 0x40a00000, 0x00)   /* 5 */
    I2FS(fcvt.s.w, 0xffffffff, rne, 0xbf800000, 0x00)   /* -1 */
    I2FS(fcvt.s.w, 0x1000001, rne, 0x4b800000, 0x01)   /* 16777217 */
    I2FS(fcvt.s.w, 0x7fffffffffffffff, rne, 0xbf800000, 0x00)   /* -1 */
    I2FS(fcvt.s.w, 0x8000000000000000, rne, 0x0, 0x00)   /* 0 */
    I2FS(fcvt.s.w, 0x20000000000001, rne, 0x3f800000, 0x00)   /* 1 */
    I2FS(fcvt.s.w, 0xffdfffffffffffff, rne, 0xbf800000, 0x00)   /* -1 */
    I2FS(fcvt.s.w, 0x8000000000000001, rne, 0x3f800000, 0x00)   /* 1 */
    I2FS(fcvt.s.w, 0xffffffffffffffff, rne, 0xbf800000, 0x00)   /* -1 */
    I2FS(fcvt.s.w, 0x75bcd15, rne, 0x4ceb79a3, 0x01)   /* 123456789 */
    I2FS(fcvt.s.w, 0x1000001, rtz, 0x4b800000, 0x01)   /* 16777217 */
    I2FS(fcvt.s.w, 0x1000001, rdn, 0x4b800000, 0x01)   /* 16777217 */
    I2FS(fcvt.s.w, 0x1000001, rup, 0x4b800001, 0x01)   /* 16777217 */
    I2FS(fcvt.s.w, 0x1000001, rmm, 0x4b800001, 0x01)   /* 16777217 */
    I2FS(fcvt.s.w, 0xfffffffffffffffd, rtz, 0xc0400000, 0x00)   /* -3 */
    I2FS(fcvt.s.w, 0xfffffffffffffffd, rdn, 0xc0400000, 0x00)   /* -3 */
    I2FS(fcvt.s.w, 0xfffffffffffffffd, rup, 0xc0400000, 0x00)   /* -3 */
    I2FS(fcvt.s.w, 0xfffffffffffffffd, rmm, 0xc0400000, 0x00)   /* -3 */
    I2FS(fcvt.s.wu, 0x0, rne, 0x0, 0x00)   /* 0 */
    I2FS(fcvt.s.wu, 0x1, rne, 0x3f800000, 0x00)   /* 1 */
    I2FS(fcvt.s.wu, 0xffffffffffffffff, rne, 0x4f800000, 0x01)   /* 4294967295 */
    I2FS(fcvt.s.wu, 0x7fffffff, rne, 0x4f000000, 0x01)   /* 2147483647 */
    I2FS(fcvt.s.wu, 0xffffffff80000000, rne, 0x4f000000, 0x00)   /* 2147483648 */
    I2FS(fcvt.s.wu, 0x100000005, rne, 0x40a00000, 0x00)   /* 5 */
    I2FS(fcvt.s.wu, 0xffffffff, rne, 0x4f800000, 0x01)   /* 4294967295 */
    I2FS(fcvt.s.wu, 0x1000001, rne, 0x4b800000, 0x01)   /* 16777217 */
    I2FS(fcvt.s.wu, 0x7fffffffffffffff, rne, 0x4f800000, 0x01)   /* 4294967295 */
    I2FS(fcvt.s.wu, 0x8000000000000000, rne, 0x0, 0x00)   /* 0 */
    I2FS(fcvt.s.wu, 0x20000000000001, rne, 0x3f800000, 0x00)   /* 1 */
    I2FS(fcvt.s.wu, 0xffdfffffffffffff, rne, 0x4f800000, 0x01)   /* 4294967295 */
    I2FS(fcvt.s.wu, 0x8000000000000001, rne, 0x3f800000, 0x00)   /* 1 */
    I2FS(fcvt.s.wu, 0xffffffffffffffff, rne, 0x4f800000, 0x01)   /* 4294967295 */
    I2FS(fcvt.s.wu, 0x75bcd15, rne, 0x4ceb79a3, 0x01)   /* 123456789 */
    I2FS(fcvt.s.wu, 0x1000001, rtz, 0x4b800000, 0x01)   /* 16777217 */
    I2FS(fcvt.s.wu, 0x1000001, rdn, 0x4b800000, 0x01)   /* 16777217 */
    I2FS(fcvt.s.wu, 0x1000001, rup, 0x4b800001, 0x01)   /* 16777217 */
    I2FS(fcvt.s.wu, 0x1000001, rmm, 0x4b800001, 0x01)   /* 16777217 */
    I2FS(fcvt.s.wu, 0xffffffff, rtz, 0x4f7fffff, 0x01)   /* 4294967295 */
    I2FS(fcvt.s.wu, 0xffffffff, rdn, 0x4f7fffff, 0x01)   /* 4294967295 */
    I2FS(fcvt.s.wu, 0xffffffff, rup, 0x4f800000, 0x01)   /* 4294967295 */
    I2FS(fcvt.s.wu, 0xffffffff, rmm, 0x4f800000, 0x01)   /* 4294967295 */
    I2FS(fcvt.s.l, 0x0, rne, 0x0, 0x00)   /* 0 */
    I2FS(fcvt.s.l, 0x1, rne, 0x3f800000, 0x00)   /* 1 */
    I2FS(fcvt.s.l, 0xffffffffffffffff, rne, 0xbf800000, 0x00)   /* -1 */
    I2FS(fcvt.s.l, 0x7fffffff, rne, 0x4f000000, 0x01)   /* 2147483647 */
    I2FS(fcvt.s.l, 0xffffffff80000000, rne, 0xcf000000, 0x00)   /* -2147483648 */
    I2FS(fcvt.s.l, 0x100000005, rne, 0x4f800000, 0x01)   /* 4294967301 */
    I2FS(fcvt.s.l, 0xffffffff, rne, 0x4f800000, 0x01)   /* 4294967295 */
    I2FS(fcvt.s.l, 0x1000001, rne, 0x4b800000, 0x01)   /* 16777217 */
    I2FS(fcvt.s.l, 0x7fffffffffffffff, rne, 0x5f000000, 0x01)   /* 9223372036854775807 */
    I2FS(fcvt.s.l, 0x8000000000000000, rne, 0xdf000000, 0x00)   /* -9223372036854775808 */
    I2FS(fcvt.s.l, 0x20000000000001, rne, 0x5a000000, 0x01)   /* 9007199254740993 */
    I2FS(fcvt.s.l, 0xffdfffffffffffff, rne, 0xda000000, 0x01)   /* -9007199254740993 */
    I2FS(fcvt.s.l, 0x8000000000000001, rne, 0xdf000000, 0x01)   /* -9223372036854775807 */
    I2FS(fcvt.s.l, 0xffffffffffffffff, rne, 0xbf800000, 0x00)   /* -1 */
    I2FS(fcvt.s.l, 0x75bcd15, rne, 0x4ceb79a3, 0x01)   /* 123456789 */
    I2FS(fcvt.s.l, 0x7fffffffffffffff, rtz, 0x5effffff, 0x01)   /* 9223372036854775807 */
    I2FS(fcvt.s.l, 0x7fffffffffffffff, rdn, 0x5effffff, 0x01)   /* 9223372036854775807 */
    I2FS(fcvt.s.l, 0x7fffffffffffffff, rup, 0x5f000000, 0x01)   /* 9223372036854775807 */
    I2FS(fcvt.s.l, 0x7fffffffffffffff, rmm, 0x5f000000, 0x01)   /* 9223372036854775807 */
    I2FS(fcvt.s.l, 0xfffffffffffffffd, rtz, 0xc0400000, 0x00)   /* -3 */
    I2FS(fcvt.s.l, 0xfffffffffffffffd, rdn, 0xc0400000, 0x00)   /* -3 */
    I2FS(fcvt.s.l, 0xfffffffffffffffd, rup, 0xc0400000, 0x00)   /* -3 */
    I2FS(fcvt.s.l, 0xfffffffffffffffd, rmm, 0xc0400000, 0x00)   /* -3 */
    I2FS(fcvt.s.lu, 0x0, rne, 0x0, 0x00)   /* 0 */
    I2FS(fcvt.s.lu, 0x1, rne, 0x3f800000, 0x00)   /* 1 */
    I2FS(fcvt.s.lu, 0xffffffffffffffff, rne, 0x5f800000, 0x01)   /* 18446744073709551615 */
    I2FS(fcvt.s.lu, 0x7fffffff, rne, 0x4f000000, 0x01)   /* 2147483647 */
    I2FS(fcvt.s.lu, 0xffffffff80000000, rne, 0x5f800000, 0x01)   /* 18446744071562067968 */
    I2FS(fcvt.s.lu, 0x100000005, rne, 0x4f800000, 0x01)   /* 4294967301 */
    I2FS(fcvt.s.lu, 0xffffffff, rne, 0x4f800000, 0x01)   /* 4294967295 */
    I2FS(fcvt.s.lu, 0x1000001, rne, 0x4b800000, 0x01)   /* 16777217 */
    I2FS(fcvt.s.lu, 0x7fffffffffffffff, rne, 0x5f000000, 0x01)   /* 9223372036854775807 */
    I2FS(fcvt.s.lu, 0x8000000000000000, rne, 0x5f000000, 0x00)   /* 9223372036854775808 */
    I2FS(fcvt.s.lu, 0x20000000000001, rne, 0x5a000000, 0x01)   /* 9007199254740993 */
    I2FS(fcvt.s.lu, 0xffdfffffffffffff, rne, 0x5f7fe000, 0x01)   /* 18437736874454810623 */
    I2FS(fcvt.s.lu, 0x8000000000000001, rne, 0x5f000000, 0x01)   /* 9223372036854775809 */
    I2FS(fcvt.s.lu, 0xffffffffffffffff, rne, 0x5f800000, 0x01)   /* 18446744073709551615 */
    I2FS(fcvt.s.lu, 0x75bcd15, rne, 0x4ceb79a3, 0x01)   /* 123456789 */
    I2FS(fcvt.s.lu, 0x7fffffffffffffff, rtz, 0x5effffff, 0x01)   /* 9223372036854775807 */
    I2FS(fcvt.s.lu, 0x7fffffffffffffff, rdn, 0x5effffff, 0x01)   /* 9223372036854775807 */
    I2FS(fcvt.s.lu, 0x7fffffffffffffff, rup, 0x5f000000, 0x01)   /* 9223372036854775807 */
    I2FS(fcvt.s.lu, 0x7fffffffffffffff, rmm, 0x5f000000, 0x01)   /* 9223372036854775807 */
    I2FS(fcvt.s.lu, 0xffffffff, rtz, 0x4f7fffff, 0x01)   /* 4294967295 */
    I2FS(fcvt.s.lu, 0xffffffff, rdn, 0x4f7fffff, 0x01)   /* 4294967295 */
    I2FS(fcvt.s.lu, 0xffffffff, rup, 0x4f800000, 0x01)   /* 4294967295 */
    I2FS(fcvt.s.lu, 0xffffffff, rmm, 0x4f800000, 0x01)   /* 4294967295 */

/* ---- FCVT.{W,WU,L,LU}.D: round per rm, saturate + NV on overflow/NaN/inf --- */
    F2ID(fcvt.w.d, 0x3ff0000000000000, rne, 0x1, 0x00)   /* 1.0 */
    F2ID(fcvt.w.d, 0xbff0000000000000, rne, 0xffffffffffffffff, 0x00)   /* -1.0 */
    F2ID(fcvt.w.d, 0x3ff8000000000000, rne, 0x2, 0x01)   /* 1.5 */
    F2ID(fcvt.w.d, 0x4004000000000000, rne, 0x2, 0x01)   /* 2.5 */
    F2ID(fcvt.w.d, 0xc004000000000000, rne, 0xfffffffffffffffe, 0x01)   /* -2.5 */
    F2ID(fcvt.w.d, 0xbfe0000000000000, rne, 0x0, 0x01)   /* -0.5 */
    F2ID(fcvt.w.d, 0x3fdffe5c91d14e3c, rne, 0x0, 0x01)   /* 0.4999 */
    F2ID(fcvt.w.d, 0x4202a05f20000000, rne, 0x7fffffff, 0x10)   /* 10000000000.0 */
    F2ID(fcvt.w.d, 0xc202a05f20000000, rne, 0xffffffff80000000, 0x10)   /* -10000000000.0 */
    F2ID(fcvt.w.d, 0x41e0000000000000, rne, 0x7fffffff, 0x10)   /* 2147483648.0 */
    F2ID(fcvt.w.d, 0xc1e0000000000000, rne, 0xffffffff80000000, 0x00)   /* -2147483648.0 */
    F2ID(fcvt.w.d, 0x41dfffffffc00000, rne, 0x7fffffff, 0x00)   /* 2147483647.0 */
    F2ID(fcvt.w.d, 0x41f0000000000000, rne, 0x7fffffff, 0x10)   /* 4294967296.0 */
    F2ID(fcvt.w.d, 0x41edcd6500000000, rne, 0x7fffffff, 0x10)   /* 4000000000.0 */
    F2ID(fcvt.w.d, 0x43e0000000000000, rne, 0x7fffffff, 0x10)   /* 9.223372036854776e+18 */
    F2ID(fcvt.w.d, 0xc3e0000000000000, rne, 0xffffffff80000000, 0x10)   /* -9.223372036854776e+18 */
    F2ID(fcvt.w.d, 0x43f0000000000000, rne, 0x7fffffff, 0x10)   /* 1.8446744073709552e+19 */
    F2ID(fcvt.w.d, 0x46293e5939a08cea, rne, 0x7fffffff, 0x10)   /* 1e+30 */
    F2ID(fcvt.w.d, 0xc6293e5939a08cea, rne, 0xffffffff80000000, 0x10)   /* -1e+30 */
    F2ID(fcvt.w.d, 0x0, rne, 0x0, 0x00)   /* 0.0 */
    F2ID(fcvt.w.d, 0x8000000000000000, rne, 0x0, 0x00)   /* -0.0 */
    F2ID(fcvt.w.d, 0x10, rne, 0x0, 0x01)   /* 8e-323 */
    F2ID(fcvt.w.d, 0x7ff0000000000000, rne, 0x7fffffff, 0x10)   /* inf */
    F2ID(fcvt.w.d, 0xfff0000000000000, rne, 0xffffffff80000000, 0x10)   /* -inf */
    F2ID(fcvt.w.d, 0x7ff8000000000000, rne, 0x7fffffff, 0x10)   /* qNaN */
    F2ID(fcvt.w.d, 0x7ff0000000000001, rne, 0x7fffffff, 0x10)   /* sNaN */
    F2ID(fcvt.w.d, 0xfff8000000000000, rne, 0x7fffffff, 0x10)   /* -qNaN */
    F2ID(fcvt.w.d, 0x4004000000000000, rtz, 0x2, 0x01)   /* 2.5 */
    F2ID(fcvt.w.d, 0x4004000000000000, rdn, 0x2, 0x01)   /* 2.5 */
    F2ID(fcvt.w.d, 0x4004000000000000, rup, 0x3, 0x01)   /* 2.5 */
    F2ID(fcvt.w.d, 0x4004000000000000, rmm, 0x3, 0x01)   /* 2.5 */
    F2ID(fcvt.w.d, 0xc004000000000000, rtz, 0xfffffffffffffffe, 0x01)   /* -2.5 */
    F2ID(fcvt.w.d, 0xc004000000000000, rdn, 0xfffffffffffffffd, 0x01)   /* -2.5 */
    F2ID(fcvt.w.d, 0xc004000000000000, rup, 0xfffffffffffffffe, 0x01)   /* -2.5 */
    F2ID(fcvt.w.d, 0xc004000000000000, rmm, 0xfffffffffffffffd, 0x01)   /* -2.5 */
    F2ID(fcvt.w.d, 0xbfe0000000000000, rtz, 0x0, 0x01)   /* -0.5 */
    F2ID(fcvt.w.d, 0xbfe0000000000000, rdn, 0xffffffffffffffff, 0x01)   /* -0.5 */
    F2ID(fcvt.w.d, 0xbfe0000000000000, rup, 0x0, 0x01)   /* -0.5 */
    F2ID(fcvt.w.d, 0xbfe0000000000000, rmm, 0xffffffffffffffff, 0x01)   /* -0.5 */
    F2ID(fcvt.w.d, 0x3fe0000000000000, rtz, 0x0, 0x01)   /* 0.5 */
    F2ID(fcvt.w.d, 0x3fe0000000000000, rdn, 0x0, 0x01)   /* 0.5 */
    F2ID(fcvt.w.d, 0x3fe0000000000000, rup, 0x1, 0x01)   /* 0.5 */
    F2ID(fcvt.w.d, 0x3fe0000000000000, rmm, 0x1, 0x01)   /* 0.5 */
    F2ID(fcvt.w.d, 0x3ff8000000000000, rtz, 0x1, 0x01)   /* 1.5 */
    F2ID(fcvt.w.d, 0x3ff8000000000000, rdn, 0x1, 0x01)   /* 1.5 */
    F2ID(fcvt.w.d, 0x3ff8000000000000, rup, 0x2, 0x01)   /* 1.5 */
    F2ID(fcvt.w.d, 0x3ff8000000000000, rmm, 0x2, 0x01)   /* 1.5 */
    F2ID(fcvt.w.d, 0xbff8000000000000, rtz, 0xffffffffffffffff, 0x01)   /* -1.5 */
    F2ID(fcvt.w.d, 0xbff8000000000000, rdn, 0xfffffffffffffffe, 0x01)   /* -1.5 */
    F2ID(fcvt.w.d, 0xbff8000000000000, rup, 0xffffffffffffffff, 0x01)   /* -1.5 */
    F2ID(fcvt.w.d, 0xbff8000000000000, rmm, 0xfffffffffffffffe, 0x01)   /* -1.5 */
    F2ID(fcvt.wu.d, 0x3ff0000000000000, rne, 0x1, 0x00)   /* 1.0 */
    F2ID(fcvt.wu.d, 0xbff0000000000000, rne, 0x0, 0x10)   /* -1.0 */
    F2ID(fcvt.wu.d, 0x3ff8000000000000, rne, 0x2, 0x01)   /* 1.5 */
    F2ID(fcvt.wu.d, 0x4004000000000000, rne, 0x2, 0x01)   /* 2.5 */
    F2ID(fcvt.wu.d, 0xc004000000000000, rne, 0x0, 0x10)   /* -2.5 */
    F2ID(fcvt.wu.d, 0xbfe0000000000000, rne, 0x0, 0x01)   /* -0.5 */
    F2ID(fcvt.wu.d, 0x3fdffe5c91d14e3c, rne, 0x0, 0x01)   /* 0.4999 */
    F2ID(fcvt.wu.d, 0x4202a05f20000000, rne, 0xffffffffffffffff, 0x10)   /* 10000000000.0 */
    F2ID(fcvt.wu.d, 0xc202a05f20000000, rne, 0x0, 0x10)   /* -10000000000.0 */
    F2ID(fcvt.wu.d, 0x41e0000000000000, rne, 0xffffffff80000000, 0x00)   /* 2147483648.0 */
    F2ID(fcvt.wu.d, 0xc1e0000000000000, rne, 0x0, 0x10)   /* -2147483648.0 */
    F2ID(fcvt.wu.d, 0x41dfffffffc00000, rne, 0x7fffffff, 0x00)   /* 2147483647.0 */
    F2ID(fcvt.wu.d, 0x41f0000000000000, rne, 0xffffffffffffffff, 0x10)   /* 4294967296.0 */
    F2ID(fcvt.wu.d, 0x41edcd6500000000, rne, 0xffffffffee6b2800, 0x00)   /* 4000000000.0 */
    F2ID(fcvt.wu.d, 0x43e0000000000000, rne, 0xffffffffffffffff, 0x10)   /* 9.223372036854776e+18 */
    F2ID(fcvt.wu.d, 0xc3e0000000000000, rne, 0x0, 0x10)   /* -9.223372036854776e+18 */
    F2ID(fcvt.wu.d, 0x43f0000000000000, rne, 0xffffffffffffffff, 0x10)   /* 1.8446744073709552e+19 */
    F2ID(fcvt.wu.d, 0x46293e5939a08cea, rne, 0xffffffffffffffff, 0x10)   /* 1e+30 */
    F2ID(fcvt.wu.d, 0xc6293e5939a08cea, rne, 0x0, 0x10)   /* -1e+30 */
    F2ID(fcvt.wu.d, 0x0, rne, 0x0, 0x00)   /* 0.0 */
    F2ID(fcvt.wu.d, 0x8000000000000000, rne, 0x0, 0x00)   /* -0.0 */
    F2ID(fcvt.wu.d, 0x10, rne, 0x0, 0x01)   /* 8e-323 */
    F2ID(fcvt.wu.d, 0x7ff0000000000000, rne, 0xffffffffffffffff, 0x10)   /* inf */
    F2ID(fcvt.wu.d, 0xfff0000000000000, rne, 0x0, 0x10)   /* -inf */
    F2ID(fcvt.wu.d, 0x7ff8000000000000, rne, 0xffffffffffffffff, 0x10)   /* qNaN */
    F2ID(fcvt.wu.d, 0x7ff0000000000001, rne, 0xffffffffffffffff, 0x10)   /* sNaN */
    F2ID(fcvt.wu.d, 0xfff8000000000000, rne, 0xffffffffffffffff, 0x10)   /* -qNaN */
    F2ID(fcvt.wu.d, 0x4004000000000000, rtz, 0x2, 0x01)   /* 2.5 */
    F2ID(fcvt.wu.d, 0x4004000000000000, rdn, 0x2, 0x01)   /* 2.5 */
    F2ID(fcvt.wu.d, 0x4004000000000000, rup, 0x3, 0x01)   /* 2.5 */
    F2ID(fcvt.wu.d, 0x4004000000000000, rmm, 0x3, 0x01)   /* 2.5 */
    F2ID(fcvt.wu.d, 0xc004000000000000, rtz, 0x0, 0x10)   /* -2.5 */
    F2ID(fcvt.wu.d, 0xc004000000000000, rdn, 0x0, 0x10)   /* -2.5 */
    F2ID(fcvt.wu.d, 0xc004000000000000, rup, 0x0, 0x10)   /* -2.5 */
    F2ID(fcvt.wu.d, 0xc004000000000000, rmm, 0x0, 0x10)   /* -2.5 */
    F2ID(fcvt.wu.d, 0xbfe0000000000000, rtz, 0x0, 0x01)   /* -0.5 */
    F2ID(fcvt.wu.d, 0xbfe0000000000000, rdn, 0x0, 0x10)   /* -0.5 */
    F2ID(fcvt.wu.d, 0xbfe0000000000000, rup, 0x0, 0x01)   /* -0.5 */
    F2ID(fcvt.wu.d, 0xbfe0000000000000, rmm, 0x0, 0x10)   /* -0.5 */
    F2ID(fcvt.wu.d, 0x3fe0000000000000, rtz, 0x0, 0x01)   /* 0.5 */
    F2ID(fcvt.wu.d, 0x3fe0000000000000, rdn, 0x0, 0x01)   /* 0.5 */
    F2ID(fcvt.wu.d, 0x3fe0000000000000, rup, 0x1, 0x01)   /* 0.5 */
    F2ID(fcvt.wu.d, 0x3fe0000000000000, rmm, 0x1, 0x01)   /* 0.5 */
    F2ID(fcvt.wu.d, 0x3ff8000000000000, rtz, 0x1, 0x01)   /* 1.5 */
    F2ID(fcvt.wu.d, 0x3ff8000000000000, rdn, 0x1, 0x01)   /* 1.5 */
    F2ID(fcvt.wu.d, 0x3ff8000000000000, rup, 0x2, 0x01)   /* 1.5 */
    F2ID(fcvt.wu.d, 0x3ff8000000000000, rmm, 0x2, 0x01)   /* 1.5 */
    F2ID(fcvt.wu.d, 0xbff8000000000000, rtz, 0x0, 0x10)   /* -1.5 */
    F2ID(fcvt.wu.d, 0xbff8000000000000, rdn, 0x0, 0x10)   /* -1.5 */
    F2ID(fcvt.wu.d, 0xbff8000000000000, rup, 0x0, 0x10)   /* -1.5 */
    F2ID(fcvt.wu.d, 0xbff8000000000000, rmm, 0x0, 0x10)   /* -1.5 */
    F2ID(fcvt.l.d, 0x3ff0000000000000, rne, 0x1, 0x00)   /* 1.0 */
    F2ID(fcvt.l.d, 0xbff0000000000000, rne, 0xffffffffffffffff, 0x00)   /* -1.0 */
    F2ID(fcvt.l.d, 0x3ff8000000000000, rne, 0x2, 0x01)   /* 1.5 */
    F2ID(fcvt.l.d, 0x4004000000000000, rne, 0x2, 0x01)   /* 2.5 */
    F2ID(fcvt.l.d, 0xc004000000000000, rne, 0xfffffffffffffffe, 0x01)   /* -2.5 */
    F2ID(fcvt.l.d, 0xbfe0000000000000, rne, 0x0, 0x01)   /* -0.5 */
    F2ID(fcvt.l.d, 0x3fdffe5c91d14e3c, rne, 0x0, 0x01)   /* 0.4999 */
    F2ID(fcvt.l.d, 0x4202a05f20000000, rne, 0x2540be400, 0x00)   /* 10000000000.0 */
    F2ID(fcvt.l.d, 0xc202a05f20000000, rne, 0xfffffffdabf41c00, 0x00)   /* -10000000000.0 */
    F2ID(fcvt.l.d, 0x41e0000000000000, rne, 0x80000000, 0x00)   /* 2147483648.0 */
    F2ID(fcvt.l.d, 0xc1e0000000000000, rne, 0xffffffff80000000, 0x00)   /* -2147483648.0 */
    F2ID(fcvt.l.d, 0x41dfffffffc00000, rne, 0x7fffffff, 0x00)   /* 2147483647.0 */
    F2ID(fcvt.l.d, 0x41f0000000000000, rne, 0x100000000, 0x00)   /* 4294967296.0 */
    F2ID(fcvt.l.d, 0x41edcd6500000000, rne, 0xee6b2800, 0x00)   /* 4000000000.0 */
    F2ID(fcvt.l.d, 0x43e0000000000000, rne, 0x7fffffffffffffff, 0x10)   /* 9.223372036854776e+18 */
    F2ID(fcvt.l.d, 0xc3e0000000000000, rne, 0x8000000000000000, 0x00)   /* -9.223372036854776e+18 */
    F2ID(fcvt.l.d, 0x43f0000000000000, rne, 0x7fffffffffffffff, 0x10)   /* 1.8446744073709552e+19 */
    F2ID(fcvt.l.d, 0x46293e5939a08cea, rne, 0x7fffffffffffffff, 0x10)   /* 1e+30 */
    F2ID(fcvt.l.d, 0xc6293e5939a08cea, rne, 0x8000000000000000, 0x10)   /* -1e+30 */
    F2ID(fcvt.l.d, 0x0, rne, 0x0, 0x00)   /* 0.0 */
    F2ID(fcvt.l.d, 0x8000000000000000, rne, 0x0, 0x00)   /* -0.0 */
    F2ID(fcvt.l.d, 0x10, rne, 0x0, 0x01)   /* 8e-323 */
    F2ID(fcvt.l.d, 0x7ff0000000000000, rne, 0x7fffffffffffffff, 0x10)   /* inf */
    F2ID(fcvt.l.d, 0xfff0000000000000, rne, 0x8000000000000000, 0x10)   /* -inf */
    F2ID(fcvt.l.d, 0x7ff8000000000000, rne, 0x7fffffffffffffff, 0x10)   /* qNaN */
    F2ID(fcvt.l.d, 0x7ff0000000000001, rne, 0x7fffffffffffffff, 0x10)   /* sNaN */
    F2ID(fcvt.l.d, 0xfff8000000000000, rne, 0x7fffffffffffffff, 0x10)   /* -qNaN */
    F2ID(fcvt.l.d, 0x4004000000000000, rtz, 0x2, 0x01)   /* 2.5 */
    F2ID(fcvt.l.d, 0x4004000000000000, rdn, 0x2, 0x01)   /* 2.5 */
    F2ID(fcvt.l.d, 0x4004000000000000, rup, 0x3, 0x01)   /* 2.5 */
    F2ID(fcvt.l.d, 0x4004000000000000, rmm, 0x3, 0x01)   /* 2.5 */
    F2ID(fcvt.l.d, 0xc004000000000000, rtz, 0xfffffffffffffffe, 0x01)   /* -2.5 */
    F2ID(fcvt.l.d, 0xc004000000000000, rdn, 0xfffffffffffffffd, 0x01)   /* -2.5 */
    F2ID(fcvt.l.d, 0xc004000000000000, rup, 0xfffffffffffffffe, 0x01)   /* -2.5 */
    F2ID(fcvt.l.d, 0xc004000000000000, rmm, 0xfffffffffffffffd, 0x01)   /* -2.5 */
    F2ID(fcvt.l.d, 0xbfe0000000000000, rtz, 0x0, 0x01)   /* -0.5 */
    F2ID(fcvt.l.d, 0xbfe0000000000000, rdn, 0xffffffffffffffff, 0x01)   /* -0.5 */
    F2ID(fcvt.l.d, 0xbfe0000000000000, rup, 0x0, 0x01)   /* -0.5 */
    F2ID(fcvt.l.d, 0xbfe0000000000000, rmm, 0xffffffffffffffff, 0x01)   /* -0.5 */
    F2ID(fcvt.l.d, 0x3fe0000000000000, rtz, 0x0, 0x01)   /* 0.5 */
    F2ID(fcvt.l.d, 0x3fe0000000000000, rdn, 0x0, 0x01)   /* 0.5 */
    F2ID(fcvt.l.d, 0x3fe0000000000000, rup, 0x1, 0x01)   /* 0.5 */
    F2ID(fcvt.l.d, 0x3fe0000000000000, rmm, 0x1, 0x01)   /* 0.5 */
    F2ID(fcvt.l.d, 0x3ff8000000000000, rtz, 0x1, 0x01)   /* 1.5 */
    F2ID(fcvt.l.d, 0x3ff8000000000000, rdn, 0x1, 0x01)   /* 1.5 */
    F2ID(fcvt.l.d, 0x3ff8000000000000, rup, 0x2, 0x01)   /* 1.5 */
    F2ID(fcvt.l.d, 0x3ff8000000000000, rmm, 0x2, 0x01)   /* 1.5 */
    F2ID(fcvt.l.d, 0xbff8000000000000, rtz, 0xffffffffffffffff, 0x01)   /* -1.5 */
    F2ID(fcvt.l.d, 0xbff8000000000000, rdn, 0xfffffffffffffffe, 0x01)   /* -1.5 */
    F2ID(fcvt.l.d, 0xbff8000000000000, rup, 0xffffffffffffffff, 0x01)   /* -1.5 */
    F2ID(fcvt.l.d, 0xbff8000000000000, rmm, 0xfffffffffffffffe, 0x01)   /* -1.5 */
    F2ID(fcvt.lu.d, 0x3ff0000000000000, rne, 0x1, 0x00)   /* 1.0 */
    F2ID(fcvt.lu.d, 0xbff0000000000000, rne, 0x0, 0x10)   /* -1.0 */
    F2ID(fcvt.lu.d, 0x3ff8000000000000, rne, 0x2, 0x01)   /* 1.5 */
    F2ID(fcvt.lu.d, 0x4004000000000000, rne, 0x2, 0x01)   /* 2.5 */
    F2ID(fcvt.lu.d, 0xc004000000000000, rne, 0x0, 0x10)   /* -2.5 */
    F2ID(fcvt.lu.d, 0xbfe0000000000000, rne, 0x0, 0x01)   /* -0.5 */
    F2ID(fcvt.lu.d, 0x3fdffe5c91d14e3c, rne, 0x0, 0x01)   /* 0.4999 */
    F2ID(fcvt.lu.d, 0x4202a05f20000000, rne, 0x2540be400, 0x00)   /* 10000000000.0 */
    F2ID(fcvt.lu.d, 0xc202a05f20000000, rne, 0x0, 0x10)   /* -10000000000.0 */
    F2ID(fcvt.lu.d, 0x41e0000000000000, rne, 0x80000000, 0x00)   /* 2147483648.0 */
    F2ID(fcvt.lu.d, 0xc1e0000000000000, rne, 0x0, 0x10)   /* -2147483648.0 */
    F2ID(fcvt.lu.d, 0x41dfffffffc00000, rne, 0x7fffffff, 0x00)   /* 2147483647.0 */
    F2ID(fcvt.lu.d, 0x41f0000000000000, rne, 0x100000000, 0x00)   /* 4294967296.0 */
    F2ID(fcvt.lu.d, 0x41edcd6500000000, rne, 0xee6b2800, 0x00)   /* 4000000000.0 */
    F2ID(fcvt.lu.d, 0x43e0000000000000, rne, 0x8000000000000000, 0x00)   /* 9.223372036854776e+18 */
    F2ID(fcvt.lu.d, 0xc3e0000000000000, rne, 0x0, 0x10)   /* -9.223372036854776e+18 */
    F2ID(fcvt.lu.d, 0x43f0000000000000, rne, 0xffffffffffffffff, 0x10)   /* 1.8446744073709552e+19 */
    F2ID(fcvt.lu.d, 0x46293e5939a08cea, rne, 0xffffffffffffffff, 0x10)   /* 1e+30 */
    F2ID(fcvt.lu.d, 0xc6293e5939a08cea, rne, 0x0, 0x10)   /* -1e+30 */
    F2ID(fcvt.lu.d, 0x0, rne, 0x0, 0x00)   /* 0.0 */
    F2ID(fcvt.lu.d, 0x8000000000000000, rne, 0x0, 0x00)   /* -0.0 */
    F2ID(fcvt.lu.d, 0x10, rne, 0x0, 0x01)   /* 8e-323 */
    F2ID(fcvt.lu.d, 0x7ff0000000000000, rne, 0xffffffffffffffff, 0x10)   /* inf */
    F2ID(fcvt.lu.d, 0xfff0000000000000, rne, 0x0, 0x10)   /* -inf */
    F2ID(fcvt.lu.d, 0x7ff8000000000000, rne, 0xffffffffffffffff, 0x10)   /* qNaN */
    F2ID(fcvt.lu.d, 0x7ff0000000000001, rne, 0xffffffffffffffff, 0x10)   /* sNaN */
    F2ID(fcvt.lu.d, 0xfff8000000000000, rne, 0xffffffffffffffff, 0x10)   /* -qNaN */
    F2ID(fcvt.lu.d, 0x4004000000000000, rtz, 0x2, 0x01)   /* 2.5 */
    F2ID(fcvt.lu.d, 0x4004000000000000, rdn, 0x2, 0x01)   /* 2.5 */
    F2ID(fcvt.lu.d, 0x4004000000000000, rup, 0x3, 0x01)   /* 2.5 */
    F2ID(fcvt.lu.d, 0x4004000000000000, rmm, 0x3, 0x01)   /* 2.5 */
    F2ID(fcvt.lu.d, 0xc004000000000000, rtz, 0x0, 0x10)   /* -2.5 */
    F2ID(fcvt.lu.d, 0xc004000000000000, rdn, 0x0, 0x10)   /* -2.5 */
    F2ID(fcvt.lu.d, 0xc004000000000000, rup, 0x0, 0x10)   /* -2.5 */
    F2ID(fcvt.lu.d, 0xc004000000000000, rmm, 0x0, 0x10)   /* -2.5 */
    F2ID(fcvt.lu.d, 0xbfe0000000000000, rtz, 0x0, 0x01)   /* -0.5 */
    F2ID(fcvt.lu.d, 0xbfe0000000000000, rdn, 0x0, 0x10)   /* -0.5 */
    F2ID(fcvt.lu.d, 0xbfe0000000000000, rup, 0x0, 0x01)   /* -0.5 */
    F2ID(fcvt.lu.d, 0xbfe0000000000000, rmm, 0x0, 0x10)   /* -0.5 */
    F2ID(fcvt.lu.d, 0x3fe0000000000000, rtz, 0x0, 0x01)   /* 0.5 */
    F2ID(fcvt.lu.d, 0x3fe0000000000000, rdn, 0x0, 0x01)   /* 0.5 */
    F2ID(fcvt.lu.d, 0x3fe0000000000000, rup, 0x1, 0x01)   /* 0.5 */
    F2ID(fcvt.lu.d, 0x3fe0000000000000, rmm, 0x1, 0x01)   /* 0.5 */
    F2ID(fcvt.lu.d, 0x3ff8000000000000, rtz, 0x1, 0x01)   /* 1.5 */
    F2ID(fcvt.lu.d, 0x3ff8000000000000, rdn, 0x1, 0x01)   /* 1.5 */
    F2ID(fcvt.lu.d, 0x3ff8000000000000, rup, 0x2, 0x01)   /* 1.5 */
    F2ID(fcvt.lu.d, 0x3ff8000000000000, rmm, 0x2, 0x01)   /* 1.5 */
    F2ID(fcvt.lu.d, 0xbff8000000000000, rtz, 0x0, 0x10)   /* -1.5 */
    F2ID(fcvt.lu.d, 0xbff8000000000000, rdn, 0x0, 0x10)   /* -1.5 */
    F2ID(fcvt.lu.d, 0xbff8000000000000, rup, 0x0, 0x10)   /* -1.5 */
    F2ID(fcvt.lu.d, 0xbff8000000000000, rmm, 0x0, 0x10)   /* -1.5 */

/* ---- FCVT.D.{W,WU,L,LU}: W forms use the low 32 bits of rs1 ---------------- */
    I2FD0(fcvt.d.w, 0x0, 0x0, 0x00)   /* 0 */
    I2FD0(fcvt.d.w, 0x1, 0x3ff0000000000000, 0x00)   /* 1 */
    I2FD0(fcvt.d.w, 0xffffffffffffffff, 0xbff0000000000000, 0x00)   /* -1 */
    I2FD0(fcvt.d.w, 0x7fffffff, 0x41dfffffffc00000, 0x00)   /* 2147483647 */
    I2FD0(fcvt.d.w, 0xffffffff80000000, 0xc1e0000000000000, 0x00)   /* -2147483648 */
    I2FD0(fcvt.d.w, 0x100000005, 0x4014000000000000, 0x00)   /* 5 */
    I2FD0(fcvt.d.w, 0xffffffff, 0xbff0000000000000, 0x00)   /* -1 */
    I2FD0(fcvt.d.w, 0x1000001, 0x4170000010000000, 0x00)   /* 16777217 */
    I2FD0(fcvt.d.w, 0x7fffffffffffffff, 0xbff0000000000000, 0x00)   /* -1 */
    I2FD0(fcvt.d.w, 0x8000000000000000, 0x0, 0x00)   /* 0 */
    I2FD0(fcvt.d.w, 0x20000000000001, 0x3ff0000000000000, 0x00)   /* 1 */
    I2FD0(fcvt.d.w, 0xffdfffffffffffff, 0xbff0000000000000, 0x00)   /* -1 */
    I2FD0(fcvt.d.w, 0x8000000000000001, 0x3ff0000000000000, 0x00)   /* 1 */
    I2FD0(fcvt.d.w, 0xffffffffffffffff, 0xbff0000000000000, 0x00)   /* -1 */
    I2FD0(fcvt.d.w, 0x75bcd15, 0x419d6f3454000000, 0x00)   /* 123456789 */
    I2FD0(fcvt.d.wu, 0x0, 0x0, 0x00)   /* 0 */
    I2FD0(fcvt.d.wu, 0x1, 0x3ff0000000000000, 0x00)   /* 1 */
    I2FD0(fcvt.d.wu, 0xffffffffffffffff, 0x41efffffffe00000, 0x00)   /* 4294967295 */
    I2FD0(fcvt.d.wu, 0x7fffffff, 0x41dfffffffc00000, 0x00)   /* 2147483647 */
    I2FD0(fcvt.d.wu, 0xffffffff80000000, 0x41e0000000000000, 0x00)   /* 2147483648 */
    I2FD0(fcvt.d.wu, 0x100000005, 0x4014000000000000, 0x00)   /* 5 */
    I2FD0(fcvt.d.wu, 0xffffffff, 0x41efffffffe00000, 0x00)   /* 4294967295 */
    I2FD0(fcvt.d.wu, 0x1000001, 0x4170000010000000, 0x00)   /* 16777217 */
    I2FD0(fcvt.d.wu, 0x7fffffffffffffff, 0x41efffffffe00000, 0x00)   /* 4294967295 */
    I2FD0(fcvt.d.wu, 0x8000000000000000, 0x0, 0x00)   /* 0 */
    I2FD0(fcvt.d.wu, 0x20000000000001, 0x3ff0000000000000, 0x00)   /* 1 */
    I2FD0(fcvt.d.wu, 0xffdfffffffffffff, 0x41efffffffe00000, 0x00)   /* 4294967295 */
    I2FD0(fcvt.d.wu, 0x8000000000000001, 0x3ff0000000000000, 0x00)   /* 1 */
    I2FD0(fcvt.d.wu, 0xffffffffffffffff, 0x41efffffffe00000, 0x00)   /* 4294967295 */
    I2FD0(fcvt.d.wu, 0x75bcd15, 0x419d6f3454000000, 0x00)   /* 123456789 */
    I2FD(fcvt.d.l, 0x0, rne, 0x0, 0x00)   /* 0 */
    I2FD(fcvt.d.l, 0x1, rne, 0x3ff0000000000000, 0x00)   /* 1 */
    I2FD(fcvt.d.l, 0xffffffffffffffff, rne, 0xbff0000000000000, 0x00)   /* -1 */
    I2FD(fcvt.d.l, 0x7fffffff, rne, 0x41dfffffffc00000, 0x00)   /* 2147483647 */
    I2FD(fcvt.d.l, 0xffffffff80000000, rne, 0xc1e0000000000000, 0x00)   /* -2147483648 */
    I2FD(fcvt.d.l, 0x100000005, rne, 0x41f0000000500000, 0x00)   /* 4294967301 */
    I2FD(fcvt.d.l, 0xffffffff, rne, 0x41efffffffe00000, 0x00)   /* 4294967295 */
    I2FD(fcvt.d.l, 0x1000001, rne, 0x4170000010000000, 0x00)   /* 16777217 */
    I2FD(fcvt.d.l, 0x7fffffffffffffff, rne, 0x43e0000000000000, 0x01)   /* 9223372036854775807 */
    I2FD(fcvt.d.l, 0x8000000000000000, rne, 0xc3e0000000000000, 0x00)   /* -9223372036854775808 */
    I2FD(fcvt.d.l, 0x20000000000001, rne, 0x4340000000000000, 0x01)   /* 9007199254740993 */
    I2FD(fcvt.d.l, 0xffdfffffffffffff, rne, 0xc340000000000000, 0x01)   /* -9007199254740993 */
    I2FD(fcvt.d.l, 0x8000000000000001, rne, 0xc3e0000000000000, 0x01)   /* -9223372036854775807 */
    I2FD(fcvt.d.l, 0xffffffffffffffff, rne, 0xbff0000000000000, 0x00)   /* -1 */
    I2FD(fcvt.d.l, 0x75bcd15, rne, 0x419d6f3454000000, 0x00)   /* 123456789 */
    I2FD(fcvt.d.l, 0x7fffffffffffffff, rtz, 0x43dfffffffffffff, 0x01)   /* 9223372036854775807 */
    I2FD(fcvt.d.l, 0x7fffffffffffffff, rdn, 0x43dfffffffffffff, 0x01)   /* 9223372036854775807 */
    I2FD(fcvt.d.l, 0x7fffffffffffffff, rup, 0x43e0000000000000, 0x01)   /* 9223372036854775807 */
    I2FD(fcvt.d.l, 0x7fffffffffffffff, rmm, 0x43e0000000000000, 0x01)   /* 9223372036854775807 */
    I2FD(fcvt.d.l, 0xfffffffffffffffd, rtz, 0xc008000000000000, 0x00)   /* -3 */
    I2FD(fcvt.d.l, 0xfffffffffffffffd, rdn, 0xc008000000000000, 0x00)   /* -3 */
    I2FD(fcvt.d.l, 0xfffffffffffffffd, rup, 0xc008000000000000, 0x00)   /* -3 */
    I2FD(fcvt.d.l, 0xfffffffffffffffd, rmm, 0xc008000000000000, 0x00)   /* -3 */
    I2FD(fcvt.d.lu, 0x0, rne, 0x0, 0x00)   /* 0 */
    I2FD(fcvt.d.lu, 0x1, rne, 0x3ff0000000000000, 0x00)   /* 1 */
    I2FD(fcvt.d.lu, 0xffffffffffffffff, rne, 0x43f0000000000000, 0x01)   /* 18446744073709551615 */
    I2FD(fcvt.d.lu, 0x7fffffff, rne, 0x41dfffffffc00000, 0x00)   /* 2147483647 */
    I2FD(fcvt.d.lu, 0xffffffff80000000, rne, 0x43effffffff00000, 0x00)   /* 18446744071562067968 */
    I2FD(fcvt.d.lu, 0x100000005, rne, 0x41f0000000500000, 0x00)   /* 4294967301 */
    I2FD(fcvt.d.lu, 0xffffffff, rne, 0x41efffffffe00000, 0x00)   /* 4294967295 */
    I2FD(fcvt.d.lu, 0x1000001, rne, 0x4170000010000000, 0x00)   /* 16777217 */
    I2FD(fcvt.d.lu, 0x7fffffffffffffff, rne, 0x43e0000000000000, 0x01)   /* 9223372036854775807 */
    I2FD(fcvt.d.lu, 0x8000000000000000, rne, 0x43e0000000000000, 0x00)   /* 9223372036854775808 */
    I2FD(fcvt.d.lu, 0x20000000000001, rne, 0x4340000000000000, 0x01)   /* 9007199254740993 */
    I2FD(fcvt.d.lu, 0xffdfffffffffffff, rne, 0x43effc0000000000, 0x01)   /* 18437736874454810623 */
    I2FD(fcvt.d.lu, 0x8000000000000001, rne, 0x43e0000000000000, 0x01)   /* 9223372036854775809 */
    I2FD(fcvt.d.lu, 0xffffffffffffffff, rne, 0x43f0000000000000, 0x01)   /* 18446744073709551615 */
    I2FD(fcvt.d.lu, 0x75bcd15, rne, 0x419d6f3454000000, 0x00)   /* 123456789 */
    I2FD(fcvt.d.lu, 0x7fffffffffffffff, rtz, 0x43dfffffffffffff, 0x01)   /* 9223372036854775807 */
    I2FD(fcvt.d.lu, 0x7fffffffffffffff, rdn, 0x43dfffffffffffff, 0x01)   /* 9223372036854775807 */
    I2FD(fcvt.d.lu, 0x7fffffffffffffff, rup, 0x43e0000000000000, 0x01)   /* 9223372036854775807 */
    I2FD(fcvt.d.lu, 0x7fffffffffffffff, rmm, 0x43e0000000000000, 0x01)   /* 9223372036854775807 */
    I2FD(fcvt.d.lu, 0xffffffff, rtz, 0x41efffffffe00000, 0x00)   /* 4294967295 */
    I2FD(fcvt.d.lu, 0xffffffff, rdn, 0x41efffffffe00000, 0x00)   /* 4294967295 */
    I2FD(fcvt.d.lu, 0xffffffff, rup, 0x41efffffffe00000, 0x00)   /* 4294967295 */
    I2FD(fcvt.d.lu, 0xffffffff, rmm, 0x41efffffffe00000, 0x00)   /* 4294967295 */

/* ---- FCVT.S.D (rounds) / FCVT.D.S (exact); NaNs become the canonical NaN --- */
    D2S(0x3fd5555555555555, rne, 0x3eaaaaab, 0x01)   /* 1/3 */
    D2S(0x3fd5555555555555, rtz, 0x3eaaaaaa, 0x01)   /* 1/3 */
    D2S(0x3fd5555555555555, rdn, 0x3eaaaaaa, 0x01)   /* 1/3 */
    D2S(0x3fd5555555555555, rup, 0x3eaaaaab, 0x01)   /* 1/3 */
    D2S(0x3fd5555555555555, rmm, 0x3eaaaaab, 0x01)   /* 1/3 */
    D2S(0x3ff0000000000000, rne, 0x3f800000, 0x00)   /* 1.0 */
    D2S(0xffefffffffffffff, rne, 0xff800000, 0x05)   /* -max */
    D2S(0x7fefffffffffffff, rne, 0x7f800000, 0x05)   /* max */
    D2S(0x7fefffffffffffff, rtz, 0x7f7fffff, 0x05)   /* max */
    D2S(0x7fefffffffffffff, rdn, 0x7f7fffff, 0x05)   /* max */
    D2S(0x7fefffffffffffff, rup, 0x7f800000, 0x05)   /* max */
    D2S(0x7fefffffffffffff, rmm, 0x7f800000, 0x05)   /* max */
    D2S(0x358dee7a4ad4b81f, rne, 0x0, 0x03)   /* 1e-50 */
    D2S(0x358dee7a4ad4b81f, rtz, 0x0, 0x03)   /* 1e-50 */
    D2S(0x358dee7a4ad4b81f, rdn, 0x0, 0x03)   /* 1e-50 */
    D2S(0x358dee7a4ad4b81f, rup, 0x1, 0x03)   /* 1e-50 */
    D2S(0x358dee7a4ad4b81f, rmm, 0x0, 0x03)   /* 1e-50 */
    D2S(0xb58dee7a4ad4b81f, rne, 0x80000000, 0x03)   /* -1e-50 */
    D2S(0xb58dee7a4ad4b81f, rtz, 0x80000000, 0x03)   /* -1e-50 */
    D2S(0xb58dee7a4ad4b81f, rdn, 0x80000001, 0x03)   /* -1e-50 */
    D2S(0xb58dee7a4ad4b81f, rup, 0x80000000, 0x03)   /* -1e-50 */
    D2S(0xb58dee7a4ad4b81f, rmm, 0x80000000, 0x03)   /* -1e-50 */
    D2S(0x36a8000000000000, rne, 0x2, 0x03)   /* 2^-149 * 1.5 */
    D2S(0x3810000000000000, rne, 0x800000, 0x00)   /* 2^-126 */
    D2S(0x7ff0000000000001, rne, 0x7fc00000, 0x10)   /* sNaN */
    D2S(0x7ff8000012345678, rne, 0x7fc00000, 0x00)   /* qNaN payload */
    D2S(0xfff0000000000000, rne, 0xff800000, 0x00)   /* -inf */
    D2S(0x8000000000000000, rne, 0x80000000, 0x00)   /* -0 */
    D2S(0x3ff0000010000000, rne, 0x3f800000, 0x01)   /* 1+2^-24 */
    D2S(0x3ff0000010000000, rtz, 0x3f800000, 0x01)   /* 1+2^-24 */
    D2S(0x3ff0000010000000, rdn, 0x3f800000, 0x01)   /* 1+2^-24 */
    D2S(0x3ff0000010000000, rup, 0x3f800001, 0x01)   /* 1+2^-24 */
    D2S(0x3ff0000010000000, rmm, 0x3f800001, 0x01)   /* 1+2^-24 */
    D2S(0x3ff0000010000001, rne, 0x3f800001, 0x01)   /* 1+2^-24+2^-52 */
    S2D(0x3eaaaaab, 0x3fd5555560000000, 0x00)   /* 1/3 */
    S2D(0x7f7fffff, 0x47efffffe0000000, 0x00)   /* max */
    S2D(0x1, 0x36a0000000000000, 0x00)   /* min sub */
    S2D(0x80000001, 0xb6a0000000000000, 0x00)   /* -min sub */
    S2D(0x7f800001, 0x7ff8000000000000, 0x10)   /* sNaN */
    S2D(0x7fc12345, 0x7ff8000000000000, 0x00)   /* qNaN payload */
    S2D(0xffc00000, 0x7ff8000000000000, 0x00)   /* -qNaN */
    S2D(0x7f800000, 0x7ff0000000000000, 0x00)   /* inf */
    S2D(0x80000000, 0x8000000000000000, 0x00)   /* -0 */


/* ---- rd = x0: the conversion still raises its flags ------------------------------ */
    li t0, 0x7f800001
    fmv.w.x fa0, t0
    fcvt.w.s x0, fa0
    CHECK(x0, 0)
    CHECK_FLAGS(0x10)

    TEST_END
