#include "dev/plic.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#define WORDS (PLIC_NUM_SOURCES / 32)
#define PRIO_MASK 7u

#define PENDING_BASE 0x1000
#define ENABLE_BASE 0x2000
#define ENABLE_STRIDE 0x80
#define CONTEXT_BASE 0x200000
#define CONTEXT_STRIDE 0x1000

struct plic_ctx {
	uint32_t enable[WORDS];
	uint32_t threshold;
	bool out;		/* last level given to set_ext() */
};

struct plic {
	void (*set_ext)(void *opaque, unsigned hart, unsigned prv, bool level);
	void *opaque;
	unsigned nctx;
	uint32_t prio[PLIC_NUM_SOURCES];
	uint32_t level[WORDS], pending[WORDS], claimed[WORDS];
	struct plic_ctx ctx[];
};

static bool test_bit(const uint32_t *w, unsigned i)
{
	return w[i / 32] >> (i % 32) & 1;
}

static void assign_bit(uint32_t *w, unsigned i, bool v)
{
	if (v)
		w[i / 32] |= 1u << (i % 32);
	else
		w[i / 32] &= ~(1u << (i % 32));
}

/* The source ctx would be given by a claim now, or 0. */
static unsigned best_source(const struct plic *p, const struct plic_ctx *c)
{
	unsigned best = 0;
	uint32_t best_prio = c->threshold;
	for (unsigned w = 0; w < WORDS; w++) {
		uint32_t m = p->pending[w] & c->enable[w];
		while (m) {
			unsigned irq = w * 32 + (unsigned)__builtin_ctz(m);
			m &= m - 1;
			if (p->prio[irq] > best_prio) {
				best = irq;
				best_prio = p->prio[irq];
			}
		}
	}
	return best;
}

static void update(struct plic *p)
{
	for (unsigned i = 0; i < p->nctx; i++) {
		struct plic_ctx *c = &p->ctx[i];
		bool out = best_source(p, c) != 0;
		if (out != c->out) {
			c->out = out;
			p->set_ext(p->opaque, i / 2, (i & 1) ? 1 : 3, out);
		}
	}
}

void plic_set_irq(void *opaque, unsigned irq, bool level)
{
	struct plic *p = opaque;
	if (irq == 0 || irq >= PLIC_NUM_SOURCES)
		return;
	assign_bit(p->level, irq, level);
	if (!test_bit(p->claimed, irq))
		assign_bit(p->pending, irq, level);
	update(p);
}

static uint32_t claim(struct plic *p, struct plic_ctx *c)
{
	unsigned irq = best_source(p, c);
	if (irq) {
		assign_bit(p->pending, irq, false);
		assign_bit(p->claimed, irq, true);
	}
	return irq;
}

/* Completing a source the context has not enabled is ignored, as the spec says. */
static void complete(struct plic *p, struct plic_ctx *c, uint64_t val)
{
	if (val == 0 || val >= PLIC_NUM_SOURCES)
		return;
	unsigned irq = (unsigned)val;
	if (!test_bit(p->claimed, irq) || !test_bit(c->enable, irq))
		return;
	assign_bit(p->claimed, irq, false);
	assign_bit(p->pending, irq, test_bit(p->level, irq));
}

/* The context and register word an enable-array offset names, or NULL. */
static struct plic_ctx *enable_word(struct plic *p, uint64_t off, unsigned *word)
{
	uint64_t rel = off - ENABLE_BASE;
	uint64_t ctx = rel / ENABLE_STRIDE;
	*word = (unsigned)(rel % ENABLE_STRIDE) / 4;
	if (ctx >= p->nctx || *word >= WORDS)
		return NULL;
	return &p->ctx[ctx];
}

/* The context a threshold/claim offset names, or NULL; *reg is 0 or 4. */
static struct plic_ctx *context_reg(struct plic *p, uint64_t off, unsigned *reg)
{
	uint64_t rel = off - CONTEXT_BASE;
	uint64_t ctx = rel / CONTEXT_STRIDE;
	*reg = (unsigned)(rel % CONTEXT_STRIDE);
	if (ctx >= p->nctx || (*reg != 0 && *reg != 4))
		return NULL;
	return &p->ctx[ctx];
}

static uint64_t plic_read(void *opaque, uint64_t off, unsigned size)
{
	struct plic *p = opaque;
	struct plic_ctx *c;
	unsigned sub;
	(void)size;
	if (off % 4)
		return 0;
	if (off < PENDING_BASE)
		return off / 4 < PLIC_NUM_SOURCES ? p->prio[off / 4] : 0;
	if (off < ENABLE_BASE)
		return (off - PENDING_BASE) / 4 < WORDS ? p->pending[(off - PENDING_BASE) / 4] : 0;
	if (off < CONTEXT_BASE) {
		c = enable_word(p, off, &sub);
		return c ? c->enable[sub] : 0;
	}
	c = context_reg(p, off, &sub);
	if (!c)
		return 0;
	if (sub == 0)
		return c->threshold;
	uint32_t irq = claim(p, c);
	update(p);
	return irq;
}

static void plic_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
	struct plic *p = opaque;
	struct plic_ctx *c;
	unsigned sub;
	(void)size;
	if (off % 4)
		return;
	if (off < PENDING_BASE) {
		if (off / 4 > 0 && off / 4 < PLIC_NUM_SOURCES)
			p->prio[off / 4] = (uint32_t)val & PRIO_MASK;
	} else if (off < ENABLE_BASE) {
		return;		/* pending bits are read-only */
	} else if (off < CONTEXT_BASE) {
		c = enable_word(p, off, &sub);
		if (c)
			c->enable[sub] = (uint32_t)val & (sub == 0 ? ~1u : ~0u);
	} else {
		c = context_reg(p, off, &sub);
		if (c && sub == 0)
			c->threshold = (uint32_t)val & PRIO_MASK;
		else if (c)
			complete(p, c, val);
	}
	update(p);
}

static const struct mmio_ops plic_ops = {
	.read = plic_read,
	.write = plic_write,
};

struct plic *plic_new(struct bus *bus, gpa_t base, unsigned nharts,
		      void (*set_ext)(void *opaque, unsigned hart, unsigned prv, bool level),
		      void *opaque, char *err, size_t errlen)
{
	if (nharts == 0 || nharts > PLIC_MAX_HARTS || !set_ext) {
		snprintf(err, errlen, "plic: %u harts is not supported (1..%u)", nharts,
			 PLIC_MAX_HARTS);
		return NULL;
	}
	struct plic *p = calloc(1, sizeof(*p) + 2 * nharts * sizeof(p->ctx[0]));
	if (!p) {
		snprintf(err, errlen, "plic: out of memory");
		return NULL;
	}
	p->set_ext = set_ext;
	p->opaque = opaque;
	p->nctx = 2 * nharts;
	struct mmio_region r = {
		.base = base, .size = PLIC_REGION_SIZE, .min_size = 4, .max_size = 4,
		.ops = &plic_ops, .opaque = p, .name = "plic",
	};
	int e = bus_map(bus, &r);
	if (e) {
		snprintf(err, errlen, "plic at %#llx: %s", (unsigned long long)base,
			 e == -EEXIST ? "overlaps another device" : "too many devices on the bus");
		free(p);
		return NULL;
	}
	return p;
}

void plic_free(struct plic *p)
{
	free(p);
}
