/* test_policy.c - the share/idle-tax allocation of src/sched/policy.c. */
#include <errno.h>

#include "check.h"
#include "sched/policy.h"

#define MIB(x) ((uint64_t)(x) * 256) /* pages */

static uint64_t sum(const struct sched_vm *v, unsigned n)
{
	uint64_t s = 0;
	for (unsigned i = 0; i < n; i++)
		s += v[i].target_pages;
	return s;
}

int main(void)
{
	struct check_ctx c = {0};
	const uint64_t q = 64;

	/* Plenty of memory: everyone gets its limit. */
	struct sched_vm a[2] = {
		{.size_pages = MIB(512), .limit_pages = MIB(512), .shares = 1000, .active_pages = MIB(10)},
		{.size_pages = MIB(512), .limit_pages = MIB(256), .shares = 1000, .active_pages = MIB(200)},
	};
	CHECK(&c, sched_allocate(a, 2, MIB(2048), 0.75, q) == 0);
	CHECK(&c, a[0].target_pages == MIB(512) && a[1].target_pages == MIB(256));

	/* Scarce memory, equal shares: the busy VM gets more than the idle one. */
	struct sched_vm b[2] = {
		{.size_pages = MIB(512), .shares = 1000, .active_pages = MIB(20)},
		{.size_pages = MIB(512), .shares = 1000, .active_pages = MIB(400)},
	};
	CHECK(&c, sched_allocate(b, 2, MIB(512), 0.75, q) == 0);
	CHECK(&c, sum(b, 2) == MIB(512));
	CHECK(&c, b[1].target_pages > MIB(380));
	CHECK(&c, b[0].target_pages >= MIB(20));

	/* No tax: proportional to shares regardless of activity. */
	struct sched_vm d[2] = {
		{.size_pages = MIB(1024), .shares = 1000, .active_pages = 0},
		{.size_pages = MIB(1024), .shares = 3000, .active_pages = MIB(1024)},
	};
	CHECK(&c, sched_allocate(d, 2, MIB(800), 0.0, q) == 0);
	CHECK(&c, d[0].target_pages >= MIB(190) && d[0].target_pages <= MIB(210));
	CHECK(&c, d[1].target_pages >= MIB(590) && d[1].target_pages <= MIB(610));

	/* Reservations are honoured even for an idle VM; limits are never exceeded. */
	struct sched_vm e[2] = {
		{.size_pages = MIB(512), .reservation_pages = MIB(200), .shares = 1, .active_pages = 0},
		{.size_pages = MIB(512), .limit_pages = MIB(250), .shares = 100000,
		 .active_pages = MIB(512)},
	};
	CHECK(&c, sched_allocate(e, 2, MIB(600), 0.75, q) == 0);
	CHECK(&c, e[0].target_pages >= MIB(200));
	CHECK(&c, e[1].target_pages == MIB(250));
	CHECK(&c, sum(e, 2) <= MIB(600));

	/* Reservations above the budget: -ENOSPC, targets at the reservations. */
	struct sched_vm f[2] = {
		{.size_pages = MIB(512), .reservation_pages = MIB(400), .shares = 1},
		{.size_pages = MIB(512), .reservation_pages = MIB(400), .shares = 1},
	};
	CHECK(&c, sched_allocate(f, 2, MIB(600), 0.75, q) == -ENOSPC);
	CHECK(&c, f[0].target_pages == MIB(400) && f[1].target_pages == MIB(400));

	/* The tax makes idle memory expensive: rho falls faster for an idle VM. */
	struct sched_vm idle = {.shares = 1000, .active_pages = 0};
	struct sched_vm busy = {.shares = 1000, .active_pages = MIB(100)};
	CHECK(&c, sched_rho(&idle, MIB(100), 0.75) * 3.9 < sched_rho(&busy, MIB(100), 0.75));

	/* A zero quantum and zero shares do not loop forever. */
	struct sched_vm g[1] = {{.size_pages = MIB(64), .shares = 0}};
	CHECK(&c, sched_allocate(g, 1, MIB(128), 0.75, 0) == 0);
	CHECK(&c, g[0].target_pages == 0);
	return check_done(&c, "test_policy");
}
