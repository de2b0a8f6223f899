/*
 * umbra.c - the guest library of umbra's hypercall ABI; see umbra.h.
 *
 * No libc, no globals and no jump tables, so that the code also runs from a
 * copy linked into a bare-metal kernel's user-mode pages.
 */
#include "umbra.h"

struct umbra_ret umbra_hypercall(unsigned long fn, unsigned long a0, unsigned long a1,
				 unsigned long a2, unsigned long a3, unsigned long a4,
				 unsigned long a5)
{
	register unsigned long r0 __asm__("a0") = a0;
	register unsigned long r1 __asm__("a1") = a1;
	register unsigned long r2 __asm__("a2") = a2;
	register unsigned long r3 __asm__("a3") = a3;
	register unsigned long r4 __asm__("a4") = a4;
	register unsigned long r5 __asm__("a5") = a5;
	register unsigned long r6 __asm__("a6") = fn;
	register unsigned long r7 __asm__("a7") = UMBRA_EID;
	__asm__ volatile("ecall"
			 : "+r"(r0), "+r"(r1)
			 : "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r6), "r"(r7)
			 : "memory");
	return (struct umbra_ret){(long)r0, r1};
}

long umbra_probe(unsigned long *version, unsigned long *features)
{
	struct umbra_ret r = umbra_hypercall(UMBRA_FN_PROBE, 0, 0, 0, 0, 0, 0);
	if (r.error != UMBRA_OK)
		/* Linux answers an unknown system call with -ENOSYS (-38). */
		return r.error < UMBRA_ERR_INVALID_ADDRESS ? UMBRA_ERR_NOT_SUPPORTED : r.error;
	if (version)
		*version = r.value >> 32;
	if (features)
		*features = r.value & 0xffffffffu;
	return r.value >> 32 ? UMBRA_OK : UMBRA_ERR_NOT_SUPPORTED;
}

/* Calls fn(va + done pages, npages - done, a2, a3) until all pages are done or
 * a call fails; a call that succeeds without progress (or claims more than
 * asked) would loop forever, so it counts as a failure. */
static long batched(unsigned long fn, void *va, unsigned long npages, unsigned long a2,
		    unsigned long a3, unsigned long *done)
{
	unsigned long base = (unsigned long)va, n = 0;
	long err = UMBRA_OK;

	if (npages == 0) /* let umbra judge the request */
		err = umbra_hypercall(fn, base, 0, a2, a3, 0, 0).error;
	while (n < npages) {
		struct umbra_ret r = umbra_hypercall(fn, base + n * UMBRA_PAGE_SIZE, npages - n,
						     a2, a3, 0, 0);
		if (r.error != UMBRA_OK) {
			err = r.error;
			break;
		}
		if (r.value == 0 || r.value > npages - n) {
			err = UMBRA_ERR_FAILED;
			break;
		}
		n += r.value;
	}
	if (done)
		*done = n;
	return err;
}

long umbra_protect(void *va, unsigned long npages, unsigned long rights, unsigned long action,
		   unsigned long *done)
{
	return batched(UMBRA_FN_PROTECT, va, npages, rights, action, done);
}

long umbra_unprotect(void *va, unsigned long npages, unsigned long *done)
{
	return batched(UMBRA_FN_UNPROTECT, va, npages, 0, 0, done);
}

long umbra_query(const void *va, unsigned long what, unsigned long *value)
{
	struct umbra_ret r = umbra_hypercall(UMBRA_FN_QUERY, (unsigned long)va, what, 0, 0, 0, 0);
	if (r.error == UMBRA_OK && value)
		*value = r.value;
	return r.error;
}

long umbra_set_handler(umbra_handler_fn *handler)
{
	return umbra_hypercall(UMBRA_FN_SET_HANDLER, (unsigned long)handler, 0, 0, 0, 0, 0).error;
}

long umbra_upcall_return(unsigned long disposition, unsigned long code)
{
	return umbra_hypercall(UMBRA_FN_UPCALL_RETURN, disposition, code, 0, 0, 0, 0).error;
}

long umbra_stats(unsigned long what, unsigned long *value)
{
	struct umbra_ret r = umbra_hypercall(UMBRA_FN_STATS, what, 0, 0, 0, 0, 0);
	if (r.error == UMBRA_OK && value)
		*value = r.value;
	return r.error;
}

const char *umbra_strerror(long error)
{
	if (error == UMBRA_OK)
		return "OK";
	if (error == UMBRA_ERR_FAILED)
		return "ERR_FAILED";
	if (error == UMBRA_ERR_NOT_SUPPORTED)
		return "ERR_NOT_SUPPORTED";
	if (error == UMBRA_ERR_INVALID_PARAM)
		return "ERR_INVALID_PARAM";
	if (error == UMBRA_ERR_DENIED)
		return "ERR_DENIED";
	if (error == UMBRA_ERR_INVALID_ADDRESS)
		return "ERR_INVALID_ADDRESS";
	return "ERR_unknown";
}
