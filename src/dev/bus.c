#include "dev/bus.h"

#include <errno.h>

int bus_map(struct bus *bus, const struct mmio_region *r)
{
	if (bus->n == BUS_MAX_REGIONS)
		return -ENOSPC;
	for (unsigned i = 0; i < bus->n; i++) {
		const struct mmio_region *o = &bus->regions[i];
		if (r->base < o->base + o->size && o->base < r->base + r->size)
			return -EEXIST;
	}
	bus->regions[bus->n++] = *r;
	return 0;
}

const struct mmio_region *bus_find(const struct bus *bus, gpa_t pa, unsigned size)
{
	for (unsigned i = 0; i < bus->n; i++) {
		const struct mmio_region *r = &bus->regions[i];
		if (pa >= r->base && pa - r->base < r->size && r->size - (pa - r->base) >= size)
			return r;
	}
	return NULL;
}

uint64_t bus_read(const struct mmio_region *r, gpa_t pa, unsigned size)
{
	uint64_t off = pa - r->base;
	if (size < r->min_size) {
		uint64_t aligned = off & ~(uint64_t)(r->min_size - 1);
		uint64_t v = r->ops->read(r->opaque, aligned, r->min_size);
		return (v >> (8 * (off - aligned))) & ((size == 8) ? ~0ull : ((1ull << (8 * size)) - 1));
	}
	if (size > r->max_size) {
		uint64_t v = 0;
		for (unsigned i = 0; i < size; i += r->max_size)
			v |= r->ops->read(r->opaque, off + i, r->max_size) << (8 * i);
		return v;
	}
	return r->ops->read(r->opaque, off, size);
}

void bus_write(const struct mmio_region *r, gpa_t pa, uint64_t val, unsigned size)
{
	uint64_t off = pa - r->base;
	if (size < r->min_size)
		return;
	if (size > r->max_size) {
		uint64_t mask = (r->max_size == 8) ? ~0ull : ((1ull << (8 * r->max_size)) - 1);
		for (unsigned i = 0; i < size; i += r->max_size)
			r->ops->write(r->opaque, off + i, (val >> (8 * i)) & mask, r->max_size);
		return;
	}
	r->ops->write(r->opaque, off, val, size);
}
