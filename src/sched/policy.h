/*
 * policy.h - how much host memory each VM should have: ESX's proportional
 * share with an idle-memory tax (Waldspurger, "Memory Resource Management
 * in VMware ESX Server", OSDI 2002), the policy of the cooperative memory
 * scheduling patent.
 *
 * Contract: pure arithmetic.  A VM's claim on one more page is its shares
 * per taxed page, rho = S / (T * (f + k * (1 - f))), with T its target so
 * far, f = min(1, active / T) and k = 1 / (1 - tau): idle pages cost k
 * times as much as active ones, so memory flows from VMs that hold idle
 * memory to those that use theirs.  sched_allocate() gives every VM its
 * reservation, then hands out the rest of the host budget quantum by
 * quantum to the highest rho, never past a VM's limit (or size).  The
 * targets sum to at most host_pages; if the reservations alone exceed it,
 * every target is its reservation and -ENOSPC says so.
 */
#ifndef UMBRA_SCHED_POLICY_H
#define UMBRA_SCHED_POLICY_H

#include "base/base.h"

struct sched_vm {
	uint64_t size_pages, reservation_pages, limit_pages, shares;
	uint64_t active_pages; /* the active-memory estimate */
	uint64_t target_pages; /* output */
};

#define SCHED_DEFAULT_TAX 0.75

int sched_allocate(struct sched_vm *vms, unsigned n, uint64_t host_pages, double tax,
		   uint64_t quantum_pages) MUST_CHECK;

/* rho of a VM at target t (exposed for tests and for `umbra top`). */
double sched_rho(const struct sched_vm *v, uint64_t target_pages, double tax);

#endif
