/* Host unit test of the PLIC, driven through the bus as Linux's irq-sifive-plic driver does. */
#include "check.h"
#include "dev/plic.h"

#define BASE 0x0c000000ull
#define NHARTS 2

struct env {
	struct bus bus;
	const struct mmio_region *r;
	struct plic *p;
	bool ext[NHARTS][4];	/* [hart][prv] */
	int calls;
};

static void set_ext(void *opaque, unsigned hart, unsigned prv, bool level)
{
	struct env *e = opaque;
	if (hart < NHARTS && prv < 4)
		e->ext[hart][prv] = level;
	e->calls++;
}

static uint32_t rd(struct env *e, uint64_t off)
{
	return (uint32_t)bus_read(e->r, BASE + off, 4);
}

static void wr(struct env *e, uint64_t off, uint32_t v)
{
	bus_write(e->r, BASE + off, v, 4);
}

static uint64_t enable(unsigned ctx) { return 0x2000 + 0x80ull * ctx; }
static uint64_t threshold(unsigned ctx) { return 0x200000 + 0x1000ull * ctx; }
static uint64_t claim(unsigned ctx) { return 0x200004 + 0x1000ull * ctx; }

static void setup(struct check_ctx *c, struct env *e)
{
	char err[128];
	memset(e, 0, sizeof(*e));
	e->p = plic_new(&e->bus, BASE, NHARTS, set_ext, e, err, sizeof(err));
	CHECK(c, e->p != NULL);
	e->r = bus_find(&e->bus, BASE, 4);
}

static void test_registers(struct check_ctx *c)
{
	struct env e;
	setup(c, &e);
	wr(&e, 4 * 10, 0xff);
	CHECK(c, rd(&e, 4 * 10) == 7);	/* 3 priority bits */
	wr(&e, 0, 5);
	CHECK(c, rd(&e, 0) == 0);	/* source 0 does not exist */
	wr(&e, 4 * 95, 1);
	CHECK(c, rd(&e, 4 * 95) == 1);
	CHECK(c, rd(&e, 4 * 96) == 0);
	wr(&e, enable(1), 0xffffffff);
	CHECK(c, rd(&e, enable(1)) == 0xfffffffe);	/* bit 0 hardwired to 0 */
	wr(&e, enable(3) + 8, 0x80000000);
	CHECK(c, rd(&e, enable(3) + 8) == 0x80000000);
	CHECK(c, rd(&e, enable(3) + 12) == 0);	/* no fourth word */
	CHECK(c, rd(&e, enable(4)) == 0);	/* no context 4 with 2 harts */
	wr(&e, threshold(2), 9);
	CHECK(c, rd(&e, threshold(2)) == 1);
	CHECK(c, rd(&e, threshold(4)) == 0 && rd(&e, claim(4)) == 0);
	CHECK(c, rd(&e, 0x1000 + 12) == 0);
	CHECK(c, rd(&e, threshold(1) + 8) == 0);
	wr(&e, 0x1000, 0xffffffff);	/* pending is read-only */
	CHECK(c, rd(&e, 0x1000) == 0);
	/* 8-byte accesses are split by the bus. */
	bus_write(e.r, BASE + 4 * 2, 0x0000000300000002ull, 8);
	CHECK(c, rd(&e, 8) == 2 && rd(&e, 12) == 3);
	CHECK(c, bus_read(e.r, BASE + 8, 8) == 0x0000000300000002ull);
	CHECK(c, bus_find(&e.bus, BASE + PLIC_REGION_SIZE - 4, 4) != NULL);
	CHECK(c, rd(&e, PLIC_REGION_SIZE - 4) == 0);
	CHECK(c, e.calls == 0);
	plic_free(e.p);
}

static void test_claim_complete(struct check_ctx *c)
{
	struct env e;
	setup(c, &e);
	wr(&e, 4 * 10, 1);
	wr(&e, enable(1), 1u << 10);	/* hart 0 S-mode */
	plic_set_irq(e.p, 10, true);
	CHECK(c, e.ext[0][1] && !e.ext[0][3] && !e.ext[1][1]);
	CHECK(c, rd(&e, 0x1000) == 1u << 10);
	CHECK(c, rd(&e, claim(1)) == 10);
	CHECK(c, !e.ext[0][1] && rd(&e, 0x1000) == 0);
	CHECK(c, rd(&e, claim(1)) == 0);
	/* While claimed, the line may toggle without becoming pending. */
	plic_set_irq(e.p, 10, false);
	plic_set_irq(e.p, 10, true);
	CHECK(c, !e.ext[0][1] && rd(&e, 0x1000) == 0);
	/* Completing a source the context has not enabled is ignored. */
	wr(&e, claim(0), 10);
	CHECK(c, !e.ext[0][1]);
	wr(&e, claim(1), 0);
	wr(&e, claim(1), 1000);
	/* Completion re-arms: the line is still high, so it is pending again. */
	wr(&e, claim(1), 10);
	CHECK(c, e.ext[0][1] && rd(&e, 0x1000) == 1u << 10);
	/* Level-triggered: dropping the line withdraws the request. */
	plic_set_irq(e.p, 10, false);
	CHECK(c, !e.ext[0][1] && rd(&e, 0x1000) == 0);
	/* Complete after the line dropped: not pending. */
	plic_set_irq(e.p, 10, true);
	CHECK(c, rd(&e, claim(1)) == 10);
	plic_set_irq(e.p, 10, false);
	wr(&e, claim(1), 10);
	CHECK(c, !e.ext[0][1] && rd(&e, 0x1000) == 0);
	/* Bad source numbers are ignored. */
	plic_set_irq(e.p, 0, true);
	plic_set_irq(e.p, 96, true);
	plic_set_irq(e.p, 100000, true);
	CHECK(c, rd(&e, 0x1000) == 0 && rd(&e, 0x1008) == 0);
	plic_free(e.p);
}

static void test_priority(struct check_ctx *c)
{
	struct env e;
	setup(c, &e);
	wr(&e, 4 * 3, 2);
	wr(&e, 4 * 5, 2);
	wr(&e, 4 * 40, 5);
	wr(&e, 4 * 7, 0);	/* priority 0: never */
	wr(&e, enable(2), 1u << 3 | 1u << 5 | 1u << 7);	/* hart 1 M-mode */
	wr(&e, enable(2) + 4, 1u << (40 - 32));
	plic_set_irq(e.p, 7, true);
	CHECK(c, !e.ext[1][3]);
	plic_set_irq(e.p, 5, true);
	plic_set_irq(e.p, 3, true);
	plic_set_irq(e.p, 40, true);
	CHECK(c, e.ext[1][3] && !e.ext[0][3] && !e.ext[1][1]);
	/* Threshold: only priorities above it count. */
	wr(&e, threshold(2), 5);
	CHECK(c, !e.ext[1][3] && rd(&e, claim(2)) == 0);
	wr(&e, threshold(2), 2);
	CHECK(c, e.ext[1][3] && rd(&e, claim(2)) == 40);
	CHECK(c, !e.ext[1][3] && rd(&e, claim(2)) == 0);
	wr(&e, threshold(2), 0);
	CHECK(c, e.ext[1][3]);
	CHECK(c, rd(&e, claim(2)) == 3);	/* equal priority: lowest ID first */
	CHECK(c, rd(&e, claim(2)) == 5);
	CHECK(c, rd(&e, claim(2)) == 0 && !e.ext[1][3]);
	/* A source enabled in two contexts goes to whichever claims first. */
	wr(&e, enable(0), 1u << 3);
	wr(&e, claim(2), 3);
	CHECK(c, e.ext[0][3] && e.ext[1][3]);
	CHECK(c, rd(&e, claim(0)) == 3);
	CHECK(c, !e.ext[0][3] && !e.ext[1][3]);
	/* Raising the priority of a pending source re-evaluates the outputs. */
	wr(&e, claim(2), 5);
	CHECK(c, e.ext[1][3]);
	wr(&e, 4 * 5, 0);
	CHECK(c, !e.ext[1][3]);
	wr(&e, 4 * 5, 1);
	CHECK(c, e.ext[1][3]);
	wr(&e, enable(2), 0);
	CHECK(c, !e.ext[1][3]);
	plic_free(e.p);
}

static void test_errors(struct check_ctx *c)
{
	struct bus bus = { 0 };
	char err[128];
	CHECK(c, plic_new(&bus, BASE, 0, set_ext, NULL, err, sizeof(err)) == NULL);
	CHECK(c, strstr(err, "harts") != NULL);
	CHECK(c, plic_new(&bus, BASE, PLIC_MAX_HARTS + 1, set_ext, NULL, err, sizeof(err)) == NULL);
	struct plic *p = plic_new(&bus, BASE, PLIC_MAX_HARTS, set_ext, NULL, err, sizeof(err));
	CHECK(c, p != NULL);
	CHECK(c, plic_new(&bus, BASE + 0x1000, 1, set_ext, NULL, err, sizeof(err)) == NULL);
	plic_free(p);
}

int main(void)
{
	struct check_ctx c = { 0 };
	test_registers(&c);
	test_claim_complete(&c);
	test_priority(&c);
	test_errors(&c);
	return check_done(&c, "test_plic");
}
