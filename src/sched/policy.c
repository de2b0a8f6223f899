#include "sched/policy.h"

#include <errno.h>

double sched_rho(const struct sched_vm *v, uint64_t t, double tax)
{
	if (t == 0)
		return 1e300; /* an empty VM has the strongest claim */
	double k = tax < 1.0 ? 1.0 / (1.0 - tax) : 1e9;
	double f = v->active_pages >= t ? 1.0 : (double)v->active_pages / (double)t;
	return (double)v->shares / ((double)t * (f + k * (1.0 - f)));
}

static uint64_t cap_of(const struct sched_vm *v)
{
	uint64_t cap = v->limit_pages ? v->limit_pages : v->size_pages;
	return cap < v->size_pages ? cap : v->size_pages;
}

int sched_allocate(struct sched_vm *vms, unsigned n, uint64_t host_pages, double tax,
		   uint64_t quantum)
{
	uint64_t used = 0;
	if (quantum == 0)
		quantum = 1;
	for (unsigned i = 0; i < n; i++) {
		uint64_t r = vms[i].reservation_pages < cap_of(&vms[i]) ? vms[i].reservation_pages
								    : cap_of(&vms[i]);
		vms[i].target_pages = r;
		used += r;
	}
	if (used > host_pages)
		return -ENOSPC;
	for (;;) {
		uint64_t left = host_pages - used;
		if (left == 0)
			return 0;
		int best = -1;
		double best_rho = -1;
		for (unsigned i = 0; i < n; i++) {
			if (vms[i].target_pages >= cap_of(&vms[i]) || vms[i].shares == 0)
				continue;
			double rho = sched_rho(&vms[i], vms[i].target_pages, tax);
			if (rho > best_rho) {
				best_rho = rho;
				best = (int)i;
			}
		}
		if (best < 0)
			return 0; /* everyone is at their limit */
		struct sched_vm *v = &vms[best];
		uint64_t give = quantum < left ? quantum : left;
		if (give > cap_of(v) - v->target_pages)
			give = cap_of(v) - v->target_pages;
		v->target_pages += give;
		used += give;
	}
}
