/*
 * bus.h - the guest-physical MMIO bus and interrupt lines.
 *
 * Contract: a device registers one region per register block with
 * bus_map().  The bus, not the device, checks that an access falls inside a
 * region and splits accesses wider than the region's max_size into several
 * narrower ones (little-endian).  Accesses narrower than min_size read as the
 * corresponding bytes of a min_size read and are dropped on write.  Device
 * callbacks therefore only ever see naturally sized accesses of
 * min_size..max_size bytes at offsets inside the region.  All calls happen
 * on the VM's own thread.
 */
#ifndef UMBRA_DEV_BUS_H
#define UMBRA_DEV_BUS_H

#include "base/base.h"

struct mmio_ops {
	uint64_t (*read)(void *opaque, uint64_t off, unsigned size);
	void (*write)(void *opaque, uint64_t off, uint64_t val, unsigned size);
};

struct mmio_region {
	gpa_t base;
	uint64_t size;
	unsigned min_size, max_size; /* bytes: 1, 2, 4 or 8 */
	const struct mmio_ops *ops;
	void *opaque;
	const char *name;
};

#define BUS_MAX_REGIONS 32

struct bus {
	unsigned n;
	struct mmio_region regions[BUS_MAX_REGIONS];
};

/* Adds a region; -EEXIST if it overlaps another, -ENOSPC if the bus is full. */
int bus_map(struct bus *bus, const struct mmio_region *r) MUST_CHECK;

/* The region holding [pa, pa+size), or NULL (the CPU then raises an access fault). */
const struct mmio_region *bus_find(const struct bus *bus, gpa_t pa, unsigned size);

/* Performs an access on a region returned by bus_find(). */
uint64_t bus_read(const struct mmio_region *r, gpa_t pa, unsigned size);
void bus_write(const struct mmio_region *r, gpa_t pa, uint64_t val, unsigned size);

/* A level-triggered interrupt line into an interrupt controller. */
struct irq_line {
	void (*set)(void *opaque, unsigned irq, bool level);
	void *opaque;
	unsigned irq;
};

static inline void irq_set(const struct irq_line *l, bool level)
{
	if (l->set)
		l->set(l->opaque, l->irq, level);
}

#endif
