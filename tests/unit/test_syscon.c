/* Host unit test of the SiFive test device (poweroff / fail / reboot). */
#include "check.h"
#include "dev/syscon.h"

#define BASE 0x100000ull

struct env {
	int events;
	enum syscon_event ev;
	unsigned code;
};

static void on_event(void *opaque, enum syscon_event ev, unsigned code)
{
	struct env *e = opaque;
	e->events++;
	e->ev = ev;
	e->code = code;
}

int main(void)
{
	struct check_ctx c = { 0 };
	struct bus bus = { 0 };
	struct env e = { 0 };
	char err[128];
	struct syscon *s = syscon_new(&bus, BASE, on_event, &e, err, sizeof(err));
	CHECK(&c, s != NULL);
	const struct mmio_region *r = bus_find(&bus, BASE, 4);
	CHECK(&c, r && r->size == SYSCON_REGION_SIZE);
	CHECK(&c, bus_read(r, BASE, 4) == 0);
	bus_write(r, BASE, 0x1234, 4);
	bus_write(r, BASE + 4, 0x5555, 4);
	bus_write(r, BASE, 0x55, 1);
	CHECK(&c, e.events == 0);
	bus_write(r, BASE, 0x5555, 4);
	CHECK(&c, e.events == 1 && e.ev == SYSCON_POWEROFF && e.code == 0);
	bus_write(r, BASE, (42u << 16) | 0x3333, 4);
	CHECK(&c, e.events == 2 && e.ev == SYSCON_FAIL && e.code == 42);
	bus_write(r, BASE, 0x7777, 4);
	CHECK(&c, e.events == 3 && e.ev == SYSCON_REBOOT);
	/* A 64-bit store splits: the low half at offset 0 counts, the high half is ignored. */
	bus_write(r, BASE, 0x5555ull << 32 | 0x7777, 8);
	CHECK(&c, e.events == 4 && e.ev == SYSCON_REBOOT);
	CHECK(&c, syscon_new(&bus, BASE, on_event, &e, err, sizeof(err)) == NULL);
	syscon_free(s);
	return check_done(&c, "test_syscon");
}
