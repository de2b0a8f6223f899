/*
 * base.h - small helpers shared by every layer of umbra.
 *
 * Contract: header-only, no state.  Address types are distinct typedefs so
 * that a reader can tell guest-virtual (gva_t), guest-physical (gpa_t) and
 * host-virtual (void *) addresses apart at a glance.  Fallible functions
 * return 0 or a negative errno and are marked MUST_CHECK.
 */
#ifndef UMBRA_BASE_H
#define UMBRA_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint64_t gva_t; /* guest virtual address */
typedef uint64_t gpa_t; /* guest physical address */

#define MUST_CHECK __attribute__((warn_unused_result))
#define UNUSED __attribute__((unused))
#define NORETURN __attribute__((noreturn))
#define PRINTF(a, b) __attribute__((format(printf, a, b)))
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define PAGE_SHIFT 12
#define PAGE_SIZE ((uint64_t)1 << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))

/* Bits [hi:lo] of x. */
static inline uint64_t bits(uint64_t x, unsigned hi, unsigned lo)
{
	return (x >> lo) & (((uint64_t)2 << (hi - lo)) - 1);
}

/* Sign-extend the low `width` bits of x. */
static inline int64_t sext(uint64_t x, unsigned width)
{
	return (int64_t)(x << (64 - width)) >> (64 - width);
}

/* Unaligned little-endian access to host memory (the host is little-endian). */
static inline uint64_t ld_le(const void *p, unsigned size)
{
	uint64_t v = 0;
	memcpy(&v, p, size);
	return v;
}

static inline void st_le(void *p, uint64_t v, unsigned size)
{
	memcpy(p, &v, size);
}

/* log.c */
void log_msg(const char *level, const char *fmt, ...) PRINTF(2, 3);
#define log_info(...) log_msg("info", __VA_ARGS__)
#define log_warn(...) log_msg("warning", __VA_ARGS__)
#define log_err(...) log_msg("error", __VA_ARGS__)
/* A broken host invariant: never for anything a guest controls. */
NORETURN void panic(const char *fmt, ...) PRINTF(1, 2);

#endif
