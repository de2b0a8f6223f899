/*
 * fpu.c - the F and D extensions' computational instructions.
 *
 * Every rounded operation has an exact software implementation: integer
 * significands with a sticky bit and one rounding step that knows all five
 * rounding modes, detects tininess after rounding and raises the flags.
 * It is the reference, and the only path for RMM and the rare cases.
 *
 * The hot cases use the host FPU without ever touching its control state:
 * reading x86's MXCSR to learn the flags costs more than the software
 * path.  With the guest in RNE (the host's own mode), add, sub, mul, div
 * and fma run on the host when the operands and the result's exponent
 * range exclude NaN, overflow and tininess, so the only possible flag is
 * NX; exactness is decided with integer arithmetic on the significands
 * (TwoSum for add).  Square root uses the host's RNE root in every mode
 * and the exact sign of a - r*r to adjust it.  The host must therefore be
 * in its default floating-point environment (round to nearest, no
 * flush-to-zero), which umbra never changes.  -DFPU_SOFT_ONLY disables
 * the host paths.
 *
 * Conversions always use the software rounding step.  Results that are
 * NaN are the canonical NaN.  No state is kept between calls.
 */
#include "cpu/fpu.h"

#include <float.h>
#include <math.h>

/* The RNE fast paths need IEEE single and double evaluated in their own
 * precision, in the host's default environment. */
#if FLT_EVAL_METHOD == 0 && !defined(FPU_SOFT_ONLY)
#define FPU_HOST_FAST 1
#endif
#ifdef __FAST_MATH__
#error "fpu.c relies on IEEE semantics: do not build it with -ffast-math"
#endif

/* fflags bits. */
enum { FF_NX = 1, FF_UF = 2, FF_OF = 4, FF_DZ = 8, FF_NV = 16 };

/* Rounding modes (the rm field and frm). */
enum { RM_RNE = 0, RM_RTZ = 1, RM_RDN = 2, RM_RUP = 3, RM_RMM = 4, RM_DYN = 7 };

/* Major opcodes. */
enum { OPC_MADD = 0x43, OPC_MSUB = 0x47, OPC_NMSUB = 0x4b, OPC_NMADD = 0x4f, OPC_OPFP = 0x53 };

typedef unsigned __int128 u128;

/* ------------------------------------------------------------------ */
/* Formats and bit patterns                                            */

struct ffmt {
	unsigned p;     /* precision, hidden bit included */
	unsigned ebits; /* exponent field width */
	int bias;
};

static const struct ffmt F32 = { 24, 8, 127 };
static const struct ffmt F64 = { 53, 11, 1023 };

static inline unsigned f_emask(const struct ffmt *f)
{
	return (1u << f->ebits) - 1;
}

static inline uint64_t f_signbit(const struct ffmt *f)
{
	return 1ull << (f->p - 1 + f->ebits);
}

static inline uint64_t f_fracmask(const struct ffmt *f)
{
	return (1ull << (f->p - 1)) - 1;
}

static inline unsigned f_expof(const struct ffmt *f, uint64_t x)
{
	return (unsigned)(x >> (f->p - 1)) & f_emask(f);
}

static inline bool f_sign(const struct ffmt *f, uint64_t x)
{
	return (x & f_signbit(f)) != 0;
}

static inline uint64_t f_inf(const struct ffmt *f, bool sign)
{
	return (sign ? f_signbit(f) : 0) | ((uint64_t)f_emask(f) << (f->p - 1));
}

static inline uint64_t f_zero(const struct ffmt *f, bool sign)
{
	return sign ? f_signbit(f) : 0;
}

static inline uint64_t f_canon(const struct ffmt *f)
{
	return ((uint64_t)f_emask(f) << (f->p - 1)) | (1ull << (f->p - 2));
}

static inline bool f_isnan(const struct ffmt *f, uint64_t x)
{
	return f_expof(f, x) == f_emask(f) && (x & f_fracmask(f)) != 0;
}

static inline bool f_issnan(const struct ffmt *f, uint64_t x)
{
	return f_isnan(f, x) && !(x & (1ull << (f->p - 2)));
}

static inline bool f_isinf(const struct ffmt *f, uint64_t x)
{
	return f_expof(f, x) == f_emask(f) && (x & f_fracmask(f)) == 0;
}

static inline bool f_iszero(const struct ffmt *f, uint64_t x)
{
	return (x & ~f_signbit(f)) == 0;
}

static inline int clz64(uint64_t x)
{
	return __builtin_clzll(x);
}

/* Index of the most significant set bit of a nonzero x. */
static inline int msb128(u128 x)
{
	uint64_t hi = (uint64_t)(x >> 64);
	return hi ? 127 - clz64(hi) : 63 - clz64((uint64_t)x);
}

/* x >> n, with every bit shifted out ORed into bit 0. */
static inline uint64_t shr_sticky(uint64_t x, unsigned n)
{
	if (n == 0)
		return x;
	if (n >= 64)
		return x != 0;
	return (x >> n) | ((x & ((1ull << n) - 1)) != 0);
}

static inline u128 shr128_sticky(u128 x, unsigned n)
{
	if (n == 0)
		return x;
	if (n >= 128)
		return x != 0;
	return (x >> n) | (u128)((x & (((u128)1 << n) - 1)) != 0);
}

/* A nonzero x as a 64-bit significand with its MSB at bit 63 and the
 * bits dropped on the right folded into bit 0; *pos gets x's MSB index. */
static inline uint64_t norm128(u128 x, int *pos)
{
	int m = msb128(x);
	*pos = m;
	if (m >= 63)
		return (uint64_t)shr128_sticky(x, (unsigned)(m - 63));
	return (uint64_t)x << (63 - m);
}

/* A finite nonzero value: value = sig * 2^(e - (p-1)), sig in [2^(p-1), 2^p). */
struct unp {
	bool sign;
	int e;
	uint64_t sig;
};

static inline struct unp unpack(const struct ffmt *f, uint64_t x)
{
	struct unp u;
	unsigned ex = f_expof(f, x);
	uint64_t fr = x & f_fracmask(f);
	u.sign = f_sign(f, x);
	if (ex == 0) {
		int sh = clz64(fr) - (int)(64 - f->p);
		u.sig = fr << sh;
		u.e = 1 - f->bias - sh;
	} else {
		u.sig = fr | (1ull << (f->p - 1));
		u.e = (int)ex - f->bias;
	}
	return u;
}

/* ------------------------------------------------------------------ */
/* The software rounding step                                          */

/* Whether to add one unit to the kept bits, given the dropped bits `rem`
 * and the weight `half` of the most significant dropped bit. */
static inline bool round_up(unsigned rm, bool sign, bool lsb, uint64_t rem, uint64_t half)
{
	switch (rm) {
	case RM_RNE:
		return rem > half || (rem == half && lsb);
	case RM_RDN:
		return rem != 0 && sign;
	case RM_RUP:
		return rem != 0 && !sign;
	case RM_RMM:
		return rem >= half;
	default: /* RM_RTZ */
		return false;
	}
}

/*
 * Rounds (-1)^sign * m * 2^(e-63) to format f, m having bit 63 set and any
 * nonzero bits below its 64 folded into bit 0.  Tininess is detected after
 * rounding; underflow is signalled when the result is tiny and inexact.
 */
static uint64_t round_pack(const struct ffmt *f, bool sign, int e, uint64_t m, unsigned rm, unsigned *fl)
{
	const unsigned p = f->p, sh = 64 - p;
	const uint64_t half = 1ull << (sh - 1), lowmask = (1ull << sh) - 1;
	const int emax = (int)f_emask(f);
	int be = e + f->bias; /* biased exponent if the result is normal */
	bool tiny = false;

	if (be >= emax)
		goto overflow;
	if (be < 1) {
		/* Tiny unless rounding to p bits with an unbounded exponent
		 * carries the value up to the smallest normal number. */
		if (be < 0) {
			tiny = true;
		} else {
			uint64_t k = m >> sh;
			k += round_up(rm, sign, k & 1, m & lowmask, half);
			tiny = k >> p == 0;
		}
		m = shr_sticky(m, (unsigned)(1 - be));
		be = 1;
	}
	uint64_t kept = m >> sh, rem = m & lowmask;
	if (rem) {
		*fl |= FF_NX;
		if (tiny)
			*fl |= FF_UF;
	}
	kept += round_up(rm, sign, kept & 1, rem, half);
	/* Normal: kept includes the hidden bit, which (with any carry out of
	 * rounding) adds to the exponent field.  Subnormal: be-1 == 0. */
	uint64_t bits = ((uint64_t)(be - 1) << (p - 1)) + kept;
	if ((bits >> (p - 1)) >= (uint64_t)emax)
		goto overflow;
	return f_zero(f, sign) | bits;

overflow:
	*fl |= FF_OF | FF_NX;
	if (rm == RM_RNE || rm == RM_RMM || (rm == RM_RDN && sign) || (rm == RM_RUP && !sign))
		return f_inf(f, sign);
	return f_inf(f, sign) - 1; /* largest finite number */
}

/* ------------------------------------------------------------------ */
/* The software engine: exact operations rounded once                  */

/* NaN operands of an arithmetic operation: NV for a signaling one, and
 * the canonical NaN as result.  Returns false if there is none. */
static inline bool nan_in(const struct ffmt *f, uint64_t a, uint64_t b, uint64_t c, unsigned n, unsigned *fl,
			  uint64_t *res)
{
	bool any = f_isnan(f, a) || (n > 1 && f_isnan(f, b)) || (n > 2 && f_isnan(f, c));
	if (!any)
		return false;
	if (f_issnan(f, a) || (n > 1 && f_issnan(f, b)) || (n > 2 && f_issnan(f, c)))
		*fl |= FF_NV;
	*res = f_canon(f);
	return true;
}

static inline uint64_t invalid(const struct ffmt *f, unsigned *fl)
{
	*fl |= FF_NV;
	return f_canon(f);
}

static uint64_t sw_add(const struct ffmt *f, uint64_t a, uint64_t b, unsigned rm, unsigned *fl)
{
	uint64_t r;
	if (nan_in(f, a, b, 0, 2, fl, &r))
		return r;
	bool sa = f_sign(f, a), sb = f_sign(f, b);
	if (f_isinf(f, a)) {
		if (f_isinf(f, b) && sa != sb)
			return invalid(f, fl);
		return a;
	}
	if (f_isinf(f, b))
		return b;
	if (f_iszero(f, a)) {
		if (f_iszero(f, b))
			return sa == sb ? a : f_zero(f, rm == RM_RDN);
		return b;
	}
	if (f_iszero(f, b))
		return a;

	struct unp x = unpack(f, a), y = unpack(f, b);
	uint64_t mx = x.sig << (63 - f->p), my = y.sig << (63 - f->p); /* MSB at bit 62 */
	if (x.e < y.e || (x.e == y.e && mx < my)) {
		struct unp t = x;
		x = y;
		y = t;
		uint64_t tm = mx;
		mx = my;
		my = tm;
	}
	my = shr_sticky(my, (unsigned)(x.e - y.e));
	uint64_t m = x.sign == y.sign ? mx + my : mx - my;
	if (m == 0)
		return f_zero(f, rm == RM_RDN);
	int lz = clz64(m);
	return round_pack(f, x.sign, x.e + 1 - lz, m << lz, rm, fl);
}

static uint64_t sw_mul(const struct ffmt *f, uint64_t a, uint64_t b, unsigned rm, unsigned *fl)
{
	uint64_t r;
	if (nan_in(f, a, b, 0, 2, fl, &r))
		return r;
	bool s = f_sign(f, a) != f_sign(f, b);
	if (f_isinf(f, a) || f_isinf(f, b)) {
		if (f_iszero(f, a) || f_iszero(f, b))
			return invalid(f, fl);
		return f_inf(f, s);
	}
	if (f_iszero(f, a) || f_iszero(f, b))
		return f_zero(f, s);
	struct unp x = unpack(f, a), y = unpack(f, b);
	int pos;
	uint64_t m = norm128((u128)x.sig * y.sig, &pos);
	return round_pack(f, s, x.e + y.e - 2 * (int)(f->p - 1) + pos, m, rm, fl);
}

static uint64_t sw_div(const struct ffmt *f, uint64_t a, uint64_t b, unsigned rm, unsigned *fl)
{
	uint64_t r;
	if (nan_in(f, a, b, 0, 2, fl, &r))
		return r;
	bool s = f_sign(f, a) != f_sign(f, b);
	if (f_isinf(f, a)) {
		if (f_isinf(f, b))
			return invalid(f, fl);
		return f_inf(f, s);
	}
	if (f_isinf(f, b))
		return f_zero(f, s);
	if (f_iszero(f, b)) {
		if (f_iszero(f, a))
			return invalid(f, fl);
		*fl |= FF_DZ;
		return f_inf(f, s);
	}
	if (f_iszero(f, a))
		return f_zero(f, s);
	struct unp x = unpack(f, a), y = unpack(f, b);
	/* q has at least 2^(126-p) > 2^64 so no bit of interest is lost. */
	u128 n = (u128)x.sig << (127 - f->p);
	u128 q = n / y.sig;
	bool rest = n % y.sig != 0;
	int pos;
	uint64_t m = norm128(q, &pos) | rest;
	return round_pack(f, s, x.e - y.e - (int)(127 - f->p) + pos, m, rm, fl);
}

static uint64_t isqrt128(u128 x)
{
	uint64_t r = 0;
	for (int i = 63; i >= 0; i--) {
		uint64_t t = r | (1ull << i);
		if ((u128)t * t <= x)
			r = t;
	}
	return r;
}

static uint64_t sw_sqrt(const struct ffmt *f, uint64_t a, unsigned rm, unsigned *fl)
{
	uint64_t r;
	if (nan_in(f, a, 0, 0, 1, fl, &r))
		return r;
	if (f_iszero(f, a))
		return a;
	if (f_sign(f, a))
		return invalid(f, fl);
	if (f_isinf(f, a))
		return a;
	struct unp x = unpack(f, a);
	int k = x.e - (int)(f->p - 1);
	u128 v = x.sig;
	if (k & 1) {
		v <<= 1;
		k -= 1;
	}
	/* Scale v (< 2^(p+1)) by an even power of two to just under 2^127. */
	int s = (int)(126 - f->p) / 2;
	v <<= 2 * s;
	uint64_t root = isqrt128(v);
	bool rest = (u128)root * root != v;
	int pos = 63 - clz64(root);
	uint64_t m = (root << (63 - pos)) | rest;
	return round_pack(f, false, k / 2 - s + pos, m, rm, fl);
}

/* a*b + c with a single rounding. */
static uint64_t sw_fma(const struct ffmt *f, uint64_t a, uint64_t b, uint64_t c, unsigned rm, unsigned *fl)
{
	bool sp = f_sign(f, a) != f_sign(f, b), sc = f_sign(f, c);
	bool ab_inf = f_isinf(f, a) || f_isinf(f, b), ab_zero = f_iszero(f, a) || f_iszero(f, b);
	uint64_t r;
	/* inf * 0 is invalid even when c is a quiet NaN. */
	if (ab_inf && ab_zero && !f_isnan(f, a) && !f_isnan(f, b)) {
		*fl |= FF_NV;
		return f_canon(f);
	}
	if (nan_in(f, a, b, c, 3, fl, &r))
		return r;
	if (ab_inf) {
		if (f_isinf(f, c) && sc != sp)
			return invalid(f, fl);
		return f_inf(f, sp);
	}
	if (f_isinf(f, c))
		return c;
	if (ab_zero) {
		if (f_iszero(f, c))
			return sp == sc ? c : f_zero(f, rm == RM_RDN);
		return c;
	}

	struct unp x = unpack(f, a), y = unpack(f, b);
	u128 prod = (u128)x.sig * y.sig;
	int pp = msb128(prod);
	int ep0 = x.e + y.e - 2 * (int)(f->p - 1); /* exponent of prod's bit 0 */
	if (f_iszero(f, c)) {
		int pos;
		uint64_t m = norm128(prod, &pos);
		return round_pack(f, sp, ep0 + pos, m, rm, fl);
	}
	struct unp z = unpack(f, c);

	/* Both terms with their MSB at bit 125; e*: exponent of bit 0. */
	u128 big = prod << (125 - pp), small = (u128)z.sig << (125 - (f->p - 1));
	int ebig = ep0 - (125 - pp), esmall = z.e - 125;
	bool sbig = sp, ssmall = sc;
	if (esmall > ebig || (esmall == ebig && small > big)) {
		u128 t = big;
		big = small;
		small = t;
		int te = ebig;
		ebig = esmall;
		esmall = te;
		bool ts = sbig;
		sbig = ssmall;
		ssmall = ts;
	}
	/* When this shift drops bits, the terms are too far apart for the
	 * difference below to cancel more than one bit. */
	small = shr128_sticky(small, (unsigned)(ebig - esmall));
	u128 sum = sbig == ssmall ? big + small : big - small;
	if (sum == 0)
		return f_zero(f, rm == RM_RDN);
	int pos;
	uint64_t m = norm128(sum, &pos);
	return round_pack(f, sbig, ebig + pos, m, rm, fl);
}

/* Float to float (precision changes). */
static uint64_t sw_cvt(const struct ffmt *to, const struct ffmt *from, uint64_t a, unsigned rm, unsigned *fl)
{
	uint64_t r;
	if (nan_in(from, a, 0, 0, 1, fl, &r))
		return f_canon(to);
	bool s = f_sign(from, a);
	if (f_isinf(from, a))
		return f_inf(to, s);
	if (f_iszero(from, a))
		return f_zero(to, s);
	struct unp x = unpack(from, a);
	return round_pack(to, s, x.e, x.sig << (64 - from->p), rm, fl);
}

/* Integer (magnitude and sign) to float. */
static uint64_t sw_from_int(const struct ffmt *f, uint64_t mag, bool neg, unsigned rm, unsigned *fl)
{
	if (mag == 0)
		return f_zero(f, false);
	int lz = clz64(mag);
	return round_pack(f, neg, 63 - lz, mag << lz, rm, fl);
}

/*
 * Float to a 32- or 64-bit integer, saturating with NV as the F chapter's
 * table says (NaN counts as +inf).  The result is the value of the integer
 * register: 32-bit results are sign-extended, unsigned ones included.
 */
static uint64_t sw_to_int(const struct ffmt *f, uint64_t a, unsigned width, bool is_signed, unsigned rm,
			  unsigned *fl)
{
	const uint64_t umax = width == 64 ? ~0ull : (1ull << width) - 1;
	const uint64_t smax = umax >> 1;
	bool s = f_sign(f, a) && !f_isnan(f, a);
	uint64_t mag = 0;   /* rounded magnitude, valid when !huge */
	bool huge = false;  /* magnitude >= 2^64 */
	bool inexact = false;

	if (f_expof(f, a) == f_emask(f)) {
		huge = true;
	} else if (f_iszero(f, a)) {
		mag = 0;
	} else {
		struct unp x = unpack(f, a);
		int sh = (int)(f->p - 1) - x.e; /* fraction bits */
		if (sh <= 0) {
			if (x.e > 63)
				huge = true;
			else
				mag = x.sig << -sh;
		} else {
			/* 64.64 fixed point, bits below folded into bit 0. */
			u128 v = shr128_sticky((u128)x.sig << 64, (unsigned)sh);
			uint64_t ip = (uint64_t)(v >> 64), fr = (uint64_t)v;
			inexact = fr != 0;
			mag = ip + round_up(rm, s, ip & 1, fr, 1ull << 63);
		}
	}

	uint64_t res;
	if (is_signed) {
		if (!s && (huge || mag > smax)) {
			*fl |= FF_NV;
			return width == 64 ? smax : (uint64_t)(int64_t)(int32_t)(uint32_t)smax;
		}
		if (s && (huge || mag > smax + 1)) {
			*fl |= FF_NV;
			res = smax + 1; /* the most negative integer */
			return width == 64 ? res : (uint64_t)(int64_t)(int32_t)(uint32_t)res;
		}
		res = s ? -mag : mag;
	} else {
		if (s && (huge || mag != 0)) {
			*fl |= FF_NV;
			return 0;
		}
		if (!s && (huge || mag > umax)) {
			*fl |= FF_NV;
			return width == 64 ? umax : (uint64_t)(int64_t)(int32_t)(uint32_t)umax;
		}
		res = mag;
	}
	if (inexact)
		*fl |= FF_NX;
	return width == 64 ? res : (uint64_t)(int64_t)(int32_t)(uint32_t)res;
}

/* ------------------------------------------------------------------ */
/* Host fast paths                                                     */

enum hop { H_ADD, H_SUB, H_MUL, H_DIV, H_SQRT, H_FMA };

#ifdef FPU_HOST_FAST

static inline double d_of(uint64_t x)
{
	double d;
	memcpy(&d, &x, 8);
	return d;
}

static inline uint64_t bits_d(double d)
{
	uint64_t x;
	memcpy(&x, &d, 8);
	return x;
}

static inline float s_of(uint64_t x)
{
	uint32_t v = (uint32_t)x;
	float s;
	memcpy(&s, &v, 4);
	return s;
}

static inline uint64_t bits_s(float s)
{
	uint32_t v;
	memcpy(&v, &s, 4);
	return v;
}

/*
 * RNE fast paths: the host computes the correctly rounded result and an
 * exactness test in integer (or error-free floating-point) arithmetic
 * gives NX.  They are taken only where no other flag can arise: finite
 * operands and an exponent range whose results can neither overflow nor
 * be tiny.  Everything else goes to the software engine.
 */

static inline bool fast_add(const struct ffmt *f, uint64_t a, uint64_t b, uint64_t *res, unsigned *fl)
{
	/* Below the top binade: no overflow, here or in TwoSum.  Tiny sums
	 * are exact, so no underflow either. */
	unsigned lim = f_emask(f) - 2;
	if (f_expof(f, a) > lim || f_expof(f, b) > lim)
		return false;
	bool inexact;
	if (f == &F64) {
		double x = d_of(a), y = d_of(b), s = x + y, bb = s - x;
		inexact = (x - (s - bb)) + (y - bb) != 0; /* TwoSum */
		*res = bits_d(s);
	} else {
		float x = s_of(a), y = s_of(b), s = x + y, bb = s - x;
		inexact = (x - (s - bb)) + (y - bb) != 0;
		*res = bits_s(s);
	}
	if (inexact)
		*fl |= FF_NX;
	return true;
}

/* Is the unbiased exponent e of a normal result safely inside the range
 * (no overflow, not tiny) when the result lies in [2^(e-1), 2^(e+2))? */
static inline bool safe_exp(const struct ffmt *f, int e)
{
	return e - 1 >= 1 - f->bias && e + 2 <= f->bias;
}

static inline bool fast_mul(const struct ffmt *f, uint64_t a, uint64_t b, uint64_t *res, unsigned *fl)
{
	unsigned ea = f_expof(f, a), eb = f_expof(f, b), emax = f_emask(f);
	if (ea == 0 || eb == 0 || ea == emax || eb == emax)
		return false;
	if (!safe_exp(f, (int)(ea + eb) - 2 * f->bias))
		return false;
	uint64_t sa = (a & f_fracmask(f)) | (1ull << (f->p - 1)), sb = (b & f_fracmask(f)) | (1ull << (f->p - 1));
	u128 prod = (u128)sa * sb;
	unsigned drop = (unsigned)msb128(prod) - (f->p - 1);
	if (prod & (((u128)1 << drop) - 1))
		*fl |= FF_NX;
	*res = f == &F64 ? bits_d(d_of(a) * d_of(b)) : bits_s(s_of(a) * s_of(b));
	return true;
}

static inline bool fast_div(const struct ffmt *f, uint64_t a, uint64_t b, uint64_t *res, unsigned *fl)
{
	unsigned ea = f_expof(f, a), eb = f_expof(f, b), emax = f_emask(f);
	if (ea == 0 || eb == 0 || ea == emax || eb == emax)
		return false;
	if (!safe_exp(f, (int)ea - (int)eb))
		return false;
	uint64_t r = f == &F64 ? bits_d(d_of(a) / d_of(b)) : bits_s(s_of(a) / s_of(b));
	/* Exact iff r * b == a: compare the integer significands. */
	uint64_t sa = (a & f_fracmask(f)) | (1ull << (f->p - 1)), sb = (b & f_fracmask(f)) | (1ull << (f->p - 1));
	uint64_t sr = (r & f_fracmask(f)) | (1ull << (f->p - 1));
	int s = (int)ea - (int)f_expof(f, r) - (int)eb + f->bias + (int)(f->p - 1);
	if ((u128)sr * sb != (u128)sa << s)
		*fl |= FF_NX;
	*res = r;
	return true;
}

/*
 * a*b + c for normal a, b, c.  The exact value V has its lowest set bit at
 * min(lp, lc) (lp, lc: those of a*b and c) when lp != lc, and above it when
 * they are equal.  If V's lowest bit is not below r's last place, V fits in
 * r's 53 (24) bits and r is exact; if it is, V is not representable.
 */
static inline bool fast_fma(const struct ffmt *f, uint64_t a, uint64_t b, uint64_t c, uint64_t *res, unsigned *fl)
{
	unsigned ea = f_expof(f, a), eb = f_expof(f, b), ec = f_expof(f, c), emax = f_emask(f);
	if (ea == 0 || eb == 0 || ec == 0 || ea == emax || eb == emax || ec == emax)
		return false;
	uint64_t r = f == &F64 ? bits_d(fma(d_of(a), d_of(b), d_of(c))) : bits_s(fmaf(s_of(a), s_of(b), s_of(c)));
	unsigned er = f_expof(f, r);
	if (er < 2 || er == emax)
		return false; /* possibly tiny, zero or overflowed */
	const uint64_t hidden = 1ull << (f->p - 1);
	int lp = (int)(ea + eb) + __builtin_ctzll((a & f_fracmask(f)) | hidden) +
		 __builtin_ctzll((b & f_fracmask(f)) | hidden) - f->bias - (int)(f->p - 1);
	int lc = (int)ec + __builtin_ctzll((c & f_fracmask(f)) | hidden);
	int lr = (int)er; /* all three offset by bias + p - 1 */
	int low = lp < lc ? lp : lc;
	if (low < lr) {
		if (lp == lc)
			return false;
		*fl |= FF_NX;
	}
	*res = r;
	return true;
}

/*
 * Square root of a positive finite nonzero value in any rounding mode: the
 * host's RNE root r, then the sign of a - r*r, computed exactly, says on
 * which side of r the exact root lies (it is never halfway, so RMM is RNE).
 * The result is always normal.
 */
static uint64_t host_sqrt(const struct ffmt *f, uint64_t a, unsigned rm, unsigned *fl)
{
	uint64_t r = f == &F64 ? bits_d(sqrt(d_of(a))) : bits_s(sqrtf(s_of(a)));
	struct unp x = unpack(f, a);
	uint64_t sr = (r & f_fracmask(f)) | (1ull << (f->p - 1));
	int s = x.e - 2 * ((int)f_expof(f, r) - f->bias) + (int)(f->p - 1);
	u128 rr = (u128)sr * sr, aa = (u128)x.sig << s;
	if (rr == aa)
		return r;
	*fl |= FF_NX;
	if ((rm == RM_RTZ || rm == RM_RDN) && rr > aa)
		return r - 1;
	if (rm == RM_RUP && rr < aa)
		return r + 1;
	return r;
}

#endif /* FPU_HOST_FAST */

/* One arithmetic operation on raw format-f bit patterns, rm in 0..4. */
static inline __attribute__((always_inline)) uint64_t arith(const struct ffmt *f, enum hop op, uint64_t a,
							    uint64_t b, uint64_t c, unsigned rm, unsigned *fl)
{
#ifdef FPU_HOST_FAST
	uint64_t r;
	if (rm == RM_RNE) {
		switch (op) {
		case H_ADD:
			if (fast_add(f, a, b, &r, fl))
				return r;
			break;
		case H_SUB:
			if (fast_add(f, a, b ^ f_signbit(f), &r, fl))
				return r;
			break;
		case H_MUL:
			if (fast_mul(f, a, b, &r, fl))
				return r;
			break;
		case H_DIV:
			if (fast_div(f, a, b, &r, fl))
				return r;
			break;
		case H_FMA:
			if (fast_fma(f, a, b, c, &r, fl))
				return r;
			break;
		default:
			break;
		}
	}
	if (op == H_SQRT && !f_sign(f, a) && f_expof(f, a) != f_emask(f) && !f_iszero(f, a))
		return host_sqrt(f, a, rm, fl);
#endif
	switch (op) {
	case H_ADD: return sw_add(f, a, b, rm, fl);
	case H_SUB: return sw_add(f, a, b ^ f_signbit(f), rm, fl);
	case H_MUL: return sw_mul(f, a, b, rm, fl);
	case H_DIV: return sw_div(f, a, b, rm, fl);
	case H_SQRT: return sw_sqrt(f, a, rm, fl);
	default: return sw_fma(f, a, b, c, rm, fl);
	}
}

static uint64_t arith_s(enum hop op, uint64_t a, uint64_t b, uint64_t c, unsigned rm, unsigned *fl)
{
	return arith(&F32, op, a, b, c, rm, fl);
}

static uint64_t arith_d(enum hop op, uint64_t a, uint64_t b, uint64_t c, unsigned rm, unsigned *fl)
{
	return arith(&F64, op, a, b, c, rm, fl);
}

/* ------------------------------------------------------------------ */
/* Non-rounding operations                                             */

static unsigned fclass(const struct ffmt *f, uint64_t x)
{
	bool s = f_sign(f, x);
	unsigned ex = f_expof(f, x);
	uint64_t fr = x & f_fracmask(f);
	if (ex == f_emask(f)) {
		if (fr == 0)
			return s ? 1u << 0 : 1u << 7;
		return f_issnan(f, x) ? 1u << 8 : 1u << 9;
	}
	if (ex == 0) {
		if (fr == 0)
			return s ? 1u << 3 : 1u << 4;
		return s ? 1u << 2 : 1u << 5;
	}
	return s ? 1u << 1 : 1u << 6;
}

/* A signed key that orders non-NaN values, with -0 below +0. */
static inline int64_t order_key(const struct ffmt *f, uint64_t x)
{
	int64_t mag = (int64_t)(x & ~f_signbit(f));
	return f_sign(f, x) ? -mag - 1 : mag;
}

static uint64_t fminmax(const struct ffmt *f, uint64_t a, uint64_t b, bool max, unsigned *fl)
{
	bool na = f_isnan(f, a), nb = f_isnan(f, b);
	if (f_issnan(f, a) || f_issnan(f, b))
		*fl |= FF_NV;
	if (na && nb)
		return f_canon(f);
	if (na)
		return b;
	if (nb)
		return a;
	bool a_lt_b = order_key(f, a) < order_key(f, b);
	return a_lt_b != max ? a : b;
}

/* funct3: 0 FLE, 1 FLT, 2 FEQ. */
static uint64_t fcompare(const struct ffmt *f, uint64_t a, uint64_t b, unsigned op, unsigned *fl)
{
	if (f_isnan(f, a) || f_isnan(f, b)) {
		if (op != 2 || f_issnan(f, a) || f_issnan(f, b))
			*fl |= FF_NV;
		return 0;
	}
	if (f_iszero(f, a) && f_iszero(f, b))
		return op != 1; /* +0 == -0 */
	int64_t ka = order_key(f, a), kb = order_key(f, b);
	switch (op) {
	case 0: return ka <= kb;
	case 1: return ka < kb;
	default: return ka == kb;
	}
}

/* ------------------------------------------------------------------ */
/* Decode and execute                                                  */

static inline uint64_t rd_fs(const struct hart *h, unsigned r)
{
	uint64_t v = h->f[r];
	return (v >> 32) == 0xffffffffu ? (uint32_t)v : f_canon(&F32);
}

/* Reads an operand of format f (single: NaN-box checked). */
static inline uint64_t rd_f(const struct hart *h, const struct ffmt *f, unsigned r)
{
	return f == &F64 ? h->f[r] : rd_fs(h, r);
}

static inline void wr_f(struct hart *h, const struct ffmt *f, unsigned r, uint64_t v, unsigned fl)
{
	h->f[r] = f == &F64 ? v : fpu_box32((uint32_t)v);
	h->fflags |= fl;
	hart_fs_dirty(h);
}

static inline void wr_x(struct hart *h, unsigned r, uint64_t v, unsigned fl)
{
	if (r)
		h->x[r] = v;
	if (fl) {
		h->fflags |= fl;
		hart_fs_dirty(h);
	}
}

/* The effective rounding mode, or -1 if it is reserved. */
static inline int eff_rm(const struct hart *h, unsigned rm)
{
	if (rm == RM_DYN)
		rm = h->frm;
	return rm <= RM_RMM ? (int)rm : -1;
}

static int exec_fma(struct hart *h, uint32_t insn)
{
	unsigned opc = insn & 0x7f, rd = (insn >> 7) & 31, rs1 = (insn >> 15) & 31, rs2 = (insn >> 20) & 31;
	unsigned rs3 = insn >> 27, fmt = (insn >> 25) & 3;
	if (fmt > 1)
		return -1;
	int rm = eff_rm(h, (insn >> 12) & 7);
	if (rm < 0)
		return -1;
	const struct ffmt *f = fmt ? &F64 : &F32;
	uint64_t a = rd_f(h, f, rs1), b = rd_f(h, f, rs2), c = rd_f(h, f, rs3);
	/* Negating an operand is exact, so the fused operation stays fused. */
	if (opc == OPC_NMSUB || opc == OPC_NMADD)
		a ^= f_signbit(f);
	if (opc == OPC_MSUB || opc == OPC_NMADD)
		c ^= f_signbit(f);
	unsigned fl = 0;
	uint64_t r = (f == &F64 ? arith_d : arith_s)(H_FMA, a, b, c, (unsigned)rm, &fl);
	wr_f(h, f, rd, r, fl);
	return 0;
}

static int exec_opfp(struct hart *h, uint32_t insn)
{
	unsigned rd = (insn >> 7) & 31, f3 = (insn >> 12) & 7, rs1 = (insn >> 15) & 31, rs2 = (insn >> 20) & 31;
	unsigned f7 = insn >> 25;
	if ((f7 & 3) > 1)
		return -1; /* H and Q formats */
	const struct ffmt *f = (f7 & 1) ? &F64 : &F32;
	unsigned fl = 0;
	int rm;

	switch (f7 >> 2) {
	case 0x00: /* FADD */
	case 0x01: /* FSUB */
	case 0x02: /* FMUL */
	case 0x03: /* FDIV */
	case 0x0b: /* FSQRT */ {
		static const enum hop ops[] = { H_ADD, H_SUB, H_MUL, H_DIV };
		if ((f7 >> 2) == 0x0b && rs2 != 0)
			return -1;
		if ((rm = eff_rm(h, f3)) < 0)
			return -1;
		enum hop op = (f7 >> 2) == 0x0b ? H_SQRT : ops[f7 >> 2];
		uint64_t r = (f == &F64 ? arith_d : arith_s)(op, rd_f(h, f, rs1), rd_f(h, f, rs2), 0, (unsigned)rm, &fl);
		wr_f(h, f, rd, r, fl);
		return 0;
	}
	case 0x04: { /* FSGNJ, FSGNJN, FSGNJX */
		if (f3 > 2)
			return -1;
		uint64_t a = rd_f(h, f, rs1), b = rd_f(h, f, rs2), sb = f_signbit(f);
		uint64_t s = f3 == 0 ? b & sb : f3 == 1 ? ~b & sb : (a ^ b) & sb;
		wr_f(h, f, rd, (a & ~sb) | s, 0);
		return 0;
	}
	case 0x05: { /* FMIN, FMAX */
		if (f3 > 1)
			return -1;
		uint64_t r = fminmax(f, rd_f(h, f, rs1), rd_f(h, f, rs2), f3 == 1, &fl);
		wr_f(h, f, rd, r, fl);
		return 0;
	}
	case 0x08: { /* FCVT.S.D (f7 0x20, rs2 1), FCVT.D.S (f7 0x21, rs2 0) */
		const struct ffmt *from = f == &F64 ? &F32 : &F64;
		if (rs2 != (f == &F64 ? 0u : 1u))
			return -1;
		if ((rm = eff_rm(h, f3)) < 0)
			return -1;
		uint64_t r = sw_cvt(f, from, rd_f(h, from, rs1), (unsigned)rm, &fl);
		wr_f(h, f, rd, r, fl);
		return 0;
	}
	case 0x14: { /* FLE, FLT, FEQ */
		if (f3 > 2)
			return -1;
		uint64_t r = fcompare(f, rd_f(h, f, rs1), rd_f(h, f, rs2), f3, &fl);
		wr_x(h, rd, r, fl);
		return 0;
	}
	case 0x18: { /* FCVT.{W,WU,L,LU}.fmt */
		if (rs2 > 3)
			return -1;
		if ((rm = eff_rm(h, f3)) < 0)
			return -1;
		uint64_t r = sw_to_int(f, rd_f(h, f, rs1), rs2 & 2 ? 64 : 32, !(rs2 & 1), (unsigned)rm, &fl);
		wr_x(h, rd, r, fl);
		return 0;
	}
	case 0x1a: { /* FCVT.fmt.{W,WU,L,LU} */
		if (rs2 > 3)
			return -1;
		if ((rm = eff_rm(h, f3)) < 0)
			return -1;
		uint64_t v = h->x[rs1], mag;
		bool neg = false;
		switch (rs2) {
		case 0: neg = (int32_t)v < 0; mag = neg ? -(uint64_t)(int64_t)(int32_t)v : (uint32_t)v; break;
		case 1: mag = (uint32_t)v; break;
		case 2: neg = (int64_t)v < 0; mag = neg ? -v : v; break;
		default: mag = v; break;
		}
		uint64_t r = sw_from_int(f, mag, neg, (unsigned)rm, &fl);
		wr_f(h, f, rd, r, fl);
		return 0;
	}
	case 0x1c: /* FMV.X.W/D (f3 0), FCLASS (f3 1) */
		if (rs2 != 0 || f3 > 1)
			return -1;
		if (f3 == 1)
			wr_x(h, rd, fclass(f, rd_f(h, f, rs1)), 0);
		else /* a transfer: the raw low bits, no NaN-box check */
			wr_x(h, rd, f == &F64 ? h->f[rs1] : (uint64_t)(int64_t)(int32_t)(uint32_t)h->f[rs1], 0);
		return 0;
	case 0x1e: /* FMV.W.X, FMV.D.X */
		if (rs2 != 0 || f3 != 0)
			return -1;
		wr_f(h, f, rd, f == &F64 ? h->x[rs1] : (uint32_t)h->x[rs1], 0);
		return 0;
	default:
		return -1;
	}
}

int fpu_execute(struct hart *h, uint32_t insn)
{
	if ((h->mstatus & MSTATUS_FS) == 0)
		return -1;
	switch (insn & 0x7f) {
	case OPC_MADD:
	case OPC_MSUB:
	case OPC_NMSUB:
	case OPC_NMADD:
		return exec_fma(h, insn);
	case OPC_OPFP:
		return exec_opfp(h, insn);
	default:
		return -1;
	}
}
