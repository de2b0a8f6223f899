/*
 * uprog.c - user-mode C code of the protection test kernels: linked into the
 * user region (link.ld) together with the guest library, run with ucall().
 * Only the user region is reachable from here: no kernel data, no libc.
 */
#include "umbra.h"

/* results of the library calls, read by the kernel */
struct ulib_res {
	long error;
	unsigned long done;
};
struct ulib_res ulib_res;

unsigned long u_lib_protect(unsigned long va, unsigned long npages, unsigned long rights,
			    unsigned long action)
{
	ulib_res.error = umbra_protect((void *)va, npages, rights, action, &ulib_res.done);
	return (unsigned long)ulib_res.error;
}

unsigned long u_lib_unprotect(unsigned long va, unsigned long npages)
{
	ulib_res.error = umbra_unprotect((void *)va, npages, &ulib_res.done);
	return (unsigned long)ulib_res.error;
}

unsigned long u_lib_probe(void)
{
	unsigned long version = 0, features = 0;
	ulib_res.error = umbra_probe(&version, &features);
	ulib_res.done = version << 32 | features;
	return (unsigned long)ulib_res.error;
}

unsigned long u_lib_query_stats(unsigned long va, unsigned long what, unsigned long stat)
{
	unsigned long q = 0, s = 0;
	long e1 = umbra_query((void *)va, what, &q);
	long e2 = umbra_stats(stat, &s);
	ulib_res.error = e1 ? e1 : e2;
	ulib_res.done = q;
	return s;
}

/* the benchmark loops */
unsigned long u_bench_protect(unsigned long va, unsigned long npages, unsigned long reps,
			      unsigned long rights)
{
	for (unsigned long i = 0; i < reps; i++) {
		unsigned long done;
		long e = umbra_protect((void *)va, npages, rights, UMBRA_ACTION(UMBRA_ACT_FAULT, 0), &done);
		if (e || done != npages)
			return 1000 + (unsigned long)-e;
		e = umbra_unprotect((void *)va, npages, &done);
		if (e || done != npages)
			return 2000 + (unsigned long)-e;
	}
	return 0;
}

/* the same loop without the hypercalls' work: QUERY (a cheap call) per page */
unsigned long u_bench_null(unsigned long va, unsigned long npages, unsigned long reps)
{
	unsigned long x = 0;
	for (unsigned long i = 0; i < reps; i++) {
		struct umbra_ret r = umbra_hypercall(UMBRA_FN_PROBE, va, npages, 0, 0, 0, 0);
		x += r.value;
	}
	return x;
}

/* a compute loop over nwords words at va, reps times (loads, stores, arithmetic) */
unsigned long u_bench_compute(unsigned long va, unsigned long nwords, unsigned long reps)
{
	volatile unsigned long *p = (volatile unsigned long *)va;
	unsigned long sum = 0;
	for (unsigned long r = 0; r < reps; r++)
		for (unsigned long i = 0; i < nwords; i++) {
			unsigned long v = p[i];
			sum += v ^ (sum >> 3);
			p[i] = v + 1;
		}
	return sum;
}
