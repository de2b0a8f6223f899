/*
 * umbra.h - the guest library of umbra's hypercall ABI (docs/hypercall-abi.md).
 *
 * Freestanding C17: no libc, no TLS, no globals.  The same object file
 * (build/guest/libumbra.a, built by guest/lib/umbra.mk) links into bare-metal
 * code (S- or U-mode) and into static Linux programs.  Compile users with
 * -I include -I guest/lib.
 *
 * Every function returns UMBRA_OK or a (negative) UMBRA_ERR_* code; values
 * come back through pointer arguments, which may be NULL when not wanted.
 * A program running under a hypervisor that is not umbra gets whatever that
 * hypervisor (or the guest kernel) makes of the ecall: on Linux, -ENOSYS
 * (-38), which umbra_probe() reports as UMBRA_ERR_NOT_SUPPORTED.
 */
#ifndef UMBRA_GUEST_UMBRA_H
#define UMBRA_GUEST_UMBRA_H

#include "umbra/hypercall.h"

#define UMBRA_PAGE_SIZE 4096ul

struct umbra_ret {
	long error;          /* a0 */
	unsigned long value; /* a1 */
};

/* The handler of UMBRA_ACT_UPCALL violations: entered by umbra, never by a call
 * (see UMBRA_FN_SET_HANDLER); it must end with umbra_upcall_return(), never return. */
typedef void umbra_handler_fn(unsigned long addr, unsigned long access, unsigned long env,
			      unsigned long tag, unsigned long pc);

/* One raw hypercall: a6 = fn, a0-a5 = args, a7 = UMBRA_EID. */
struct umbra_ret umbra_hypercall(unsigned long fn, unsigned long a0, unsigned long a1,
				 unsigned long a2, unsigned long a3, unsigned long a4,
				 unsigned long a5);

/* PROBE: *version = ABI version (1), *features = UMBRA_FEAT_* bits.  Fails
 * with UMBRA_ERR_NOT_SUPPORTED if the call is not umbra's (or the version is 0). */
long umbra_probe(unsigned long *version, unsigned long *features);

/* PROTECT npages pages from va (page aligned) with rights (UMBRA_RIGHTS(...),
 * optionally | UMBRA_SEAL) and action (UMBRA_ACTION(act, tag)).  Resumes
 * partial progress until every page is done or a call fails; *done = pages
 * protected (also on failure: the pages before the failing one stay
 * protected). */
long umbra_protect(void *va, unsigned long npages, unsigned long rights, unsigned long action,
		   unsigned long *done);

/* UNPROTECT, resumed like umbra_protect; pages the caller did not protect
 * count as done. */
long umbra_unprotect(void *va, unsigned long npages, unsigned long *done);

/* QUERY the page holding va: what = UMBRA_QUERY_RIGHTS, _ACTION or _VIOLATIONS. */
long umbra_query(const void *va, unsigned long what, unsigned long *value);

/* SET_HANDLER for the caller's UMBRA_ACT_UPCALL violations (NULL: none). */
long umbra_set_handler(umbra_handler_fn *handler);

/* UPCALL_RETURN from a handler: UMBRA_UPCALL_RETRY, _SKIP or _EXIT (then code is
 * the exit status).  Returns only if umbra refuses (no upcall in progress, bad
 * disposition): the error. */
long umbra_upcall_return(unsigned long disposition, unsigned long code);

/* STATS of the calling program: UMBRA_STAT_VIOLATIONS or UMBRA_STAT_PAGES. */
long umbra_stats(unsigned long what, unsigned long *value);

/* The name of an error code ("OK", "ERR_DENIED", ...), for messages. */
const char *umbra_strerror(long error);

#endif
