#include "dev/clint.h"

uint64_t clint_mtime(const struct clint *c)
{
	return c->ops.now(c->opaque) + (uint64_t)c->mtime_offset;
}

uint64_t clint_update(struct clint *c)
{
	uint64_t now = clint_mtime(c), next = UINT64_MAX;
	for (unsigned h = 0; h < c->nharts; h++) {
		bool fired = now >= c->mtimecmp[h];
		c->ops.timer_irq(c->opaque, h, fired);
		if (!fired && c->mtimecmp[h] < next)
			next = c->mtimecmp[h];
	}
	return next;
}

void clint_set_timecmp(struct clint *c, unsigned hart, uint64_t value)
{
	if (hart >= c->nharts)
		return;
	c->mtimecmp[hart] = value;
	c->ops.timer_irq(c->opaque, hart, clint_mtime(c) >= value);
}

static uint64_t clint_read(void *opaque, uint64_t off, unsigned size)
{
	struct clint *c = opaque;
	uint64_t v = 0, reg = off & ~7ull;
	if (off < 4 * (uint64_t)c->nharts)
		return c->msip[off / 4];
	if (reg >= 0x4000 && reg < 0x4000 + 8 * (uint64_t)c->nharts)
		v = c->mtimecmp[(reg - 0x4000) / 8];
	else if (reg == 0xbff8)
		v = clint_mtime(c);
	else
		return 0;
	return size == 8 ? v : (uint32_t)(v >> (8 * (off & 4)));
}

/* Replaces the 4 or 8 bytes at `off` of the 64-bit register *reg. */
static uint64_t merge(uint64_t reg, uint64_t off, uint64_t val, unsigned size)
{
	if (size == 8)
		return val;
	unsigned shift = 8 * (off & 4);
	return (reg & ~(0xffffffffull << shift)) | ((val & 0xffffffff) << shift);
}

static void clint_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
	struct clint *c = opaque;
	uint64_t reg = off & ~7ull;
	if (off < 4 * (uint64_t)c->nharts && size == 4) {
		c->msip[off / 4] = val & 1;
		c->ops.soft_irq(c->opaque, off / 4, val & 1);
	} else if (reg >= 0x4000 && reg < 0x4000 + 8 * (uint64_t)c->nharts) {
		unsigned h = (reg - 0x4000) / 8;
		clint_set_timecmp(c, h, merge(c->mtimecmp[h], off, val, size));
	} else if (reg == 0xbff8) {
		uint64_t now = c->ops.now(c->opaque);
		c->mtime_offset = (int64_t)(merge(clint_mtime(c), off, val, size) - now);
		clint_update(c);
	}
}

static const struct mmio_ops clint_mmio = {.read = clint_read, .write = clint_write};

int clint_init(struct clint *c, struct bus *bus, gpa_t base, unsigned nharts,
	       const struct clint_ops *ops, void *opaque)
{
	memset(c, 0, sizeof(*c));
	c->nharts = nharts;
	c->ops = *ops;
	c->opaque = opaque;
	for (unsigned h = 0; h < CLINT_MAX_HARTS; h++)
		c->mtimecmp[h] = UINT64_MAX;
	struct mmio_region r = {.base = base, .size = 0x10000, .min_size = 4, .max_size = 8,
				.ops = &clint_mmio, .opaque = c, .name = "clint"};
	return bus_map(bus, &r);
}
