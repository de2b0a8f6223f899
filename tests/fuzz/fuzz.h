/*
 * fuzz.h - shared helpers of the libFuzzer harnesses: reading typed values
 * from the fuzz input, and reporting a broken invariant.
 *
 * An exhausted input reads as zeros, so every harness accepts every input.
 * A broken invariant prints what broke and aborts, which libFuzzer records
 * as a crash (and `make check` as a failure).  The message goes out through
 * the sanitizer's report stream, so that it survives -close_fd_mask=2 (the
 * fuzz runs silence umbra's warnings about hostile guests that way).
 */
#ifndef UMBRA_TESTS_FUZZ_H
#define UMBRA_TESTS_FUZZ_H

#include <sanitizer/common_interface_defs.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/base.h"

struct fz {
	const uint8_t *p;
	size_t n;
};

static inline uint64_t fz_int(struct fz *f, unsigned bytes)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < bytes && f->n; i++, f->p++, f->n--)
		v |= (uint64_t)*f->p << (8 * i);
	return v;
}

static inline uint8_t fz_u8(struct fz *f) { return (uint8_t)fz_int(f, 1); }
static inline uint16_t fz_u16(struct fz *f) { return (uint16_t)fz_int(f, 2); }
static inline uint32_t fz_u32(struct fz *f) { return (uint32_t)fz_int(f, 4); }
static inline uint64_t fz_u64(struct fz *f) { return fz_int(f, 8); }

/* Up to `max` bytes of the input, in place; *len gets how many. */
static inline const uint8_t *fz_bytes(struct fz *f, size_t max, size_t *len)
{
	const uint8_t *p = f->p;
	*len = max < f->n ? max : f->n;
	f->p += *len;
	f->n -= *len;
	return p;
}

#define FUZZ_CHECK(cond, ...)                                                   \
	do {                                                                    \
		if (!(cond))                                                    \
			fuzz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);      \
	} while (0)

__attribute__((format(printf, 4, 5), noreturn))
static inline void fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	char msg[600];
	int n = snprintf(msg, sizeof(msg), "%s:%d: invariant broken: %s: ", file, line, cond);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	__sanitizer_report_error_summary(msg);
	abort();
}

#endif
