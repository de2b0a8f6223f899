#include "dev/syscon.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#define TEST_FAIL 0x3333
#define TEST_PASS 0x5555
#define TEST_RESET 0x7777

struct syscon {
	void (*event)(void *opaque, enum syscon_event ev, unsigned code);
	void *opaque;
};

static uint64_t syscon_read(void *opaque, uint64_t off, unsigned size)
{
	(void)opaque, (void)off, (void)size;
	return 0;
}

static void syscon_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
	struct syscon *s = opaque;
	(void)size;
	if (off != 0 || !s->event)
		return;
	switch (val & 0xffff) {
	case TEST_PASS:
		s->event(s->opaque, SYSCON_POWEROFF, 0);
		break;
	case TEST_FAIL:
		s->event(s->opaque, SYSCON_FAIL, (unsigned)bits(val, 31, 16));
		break;
	case TEST_RESET:
		s->event(s->opaque, SYSCON_REBOOT, 0);
		break;
	}
}

static const struct mmio_ops syscon_ops = {
	.read = syscon_read,
	.write = syscon_write,
};

struct syscon *syscon_new(struct bus *bus, gpa_t base,
			  void (*event)(void *opaque, enum syscon_event ev, unsigned code),
			  void *opaque, char *err, size_t errlen)
{
	struct syscon *s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "syscon: out of memory");
		return NULL;
	}
	s->event = event;
	s->opaque = opaque;
	struct mmio_region r = {
		.base = base, .size = SYSCON_REGION_SIZE, .min_size = 4, .max_size = 4,
		.ops = &syscon_ops, .opaque = s, .name = "syscon",
	};
	int e = bus_map(bus, &r);
	if (e) {
		snprintf(err, errlen, "syscon at %#llx: %s", (unsigned long long)base,
			 e == -EEXIST ? "overlaps another device" : "too many devices on the bus");
		free(s);
		return NULL;
	}
	return s;
}

void syscon_free(struct syscon *s)
{
	free(s);
}
