#include "dev/virtio.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define MAGIC 0x74726976	/* "virt" */
#define VENDOR 0x554d4252	/* "UMBR" */

enum {
	REG_MAGIC = 0x000, REG_VERSION = 0x004, REG_DEVICE_ID = 0x008, REG_VENDOR_ID = 0x00c,
	REG_DEVICE_FEATURES = 0x010, REG_DEVICE_FEATURES_SEL = 0x014,
	REG_DRIVER_FEATURES = 0x020, REG_DRIVER_FEATURES_SEL = 0x024,
	REG_QUEUE_SEL = 0x030, REG_QUEUE_NUM_MAX = 0x034, REG_QUEUE_NUM = 0x038,
	REG_QUEUE_READY = 0x044, REG_QUEUE_NOTIFY = 0x050,
	REG_INTERRUPT_STATUS = 0x060, REG_INTERRUPT_ACK = 0x064, REG_STATUS = 0x070,
	REG_QUEUE_DESC_LOW = 0x080, REG_QUEUE_DESC_HIGH = 0x084,
	REG_QUEUE_DRIVER_LOW = 0x090, REG_QUEUE_DRIVER_HIGH = 0x094,
	REG_QUEUE_DEVICE_LOW = 0x0a0, REG_QUEUE_DEVICE_HIGH = 0x0a4,
	REG_SHM_SEL = 0x0ac, REG_SHM_LEN_LOW = 0x0b0, REG_SHM_LEN_HIGH = 0x0b4,
	REG_SHM_BASE_LOW = 0x0b8, REG_SHM_BASE_HIGH = 0x0bc,
	REG_CONFIG_GENERATION = 0x0fc, REG_CONFIG = 0x100,
};

#define DESC_F_NEXT 1
#define DESC_F_WRITE 2
#define DESC_F_INDIRECT 4
#define AVAIL_F_NO_INTERRUPT 1

#define ISR_USED 1
#define ISR_CONFIG 2

#define MAX_WARNINGS 20

/*
 * A split virtqueue.  The rings are guest memory:
 *   desc:  num x {le64 addr, le32 len, le16 flags, le16 next}
 *   avail: le16 flags, le16 idx, le16 ring[num], le16 used_event
 *   used:  le16 flags, le16 idx, {le32 id, le32 len} ring[num], le16 avail_event
 */
struct virtq {
	uint32_t num;
	bool ready;
	gpa_t desc, avail, used;
	uint16_t last_avail;	/* next avail entry to pop */
	uint16_t used_idx;	/* our copy of used.idx */
	uint16_t signalled;	/* used_idx when the driver was last considered for an interrupt */
};

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

struct virtio {
	const struct virtio_ops *ops;
	void *dev;
	struct pmap *mem;
	gpa_t base;
	struct irq_line irq;
	bool level;
	uint32_t status, isr, generation;
	uint32_t dev_sel, drv_sel, queue_sel;
	uint64_t driver_features;
	unsigned warnings;
	struct virtq q[VIRTIO_MAX_QUEUES];
};

/* Logging: at most MAX_WARNINGS per device, so a hostile guest cannot flood the log. */
static void vwarn(struct virtio *v, const char *suffix, const char *fmt, va_list ap)
{
	char msg[200];
	if (v->warnings >= MAX_WARNINGS)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	v->warnings++;
	log_warn("virtio-%s@%#llx: %s%s%s", v->ops->name, (unsigned long long)v->base, msg,
		 suffix, v->warnings == MAX_WARNINGS ? " (further warnings suppressed)" : "");
}

void virtio_warn(struct virtio *v, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vwarn(v, "", fmt, ap);
	va_end(ap);
}

static void update_irq(struct virtio *v)
{
	bool level = v->isr != 0;
	if (level != v->level) {
		v->level = level;
		irq_set(&v->irq, level);
	}
}

/* The driver broke the protocol: stop the device until it is reset. */
static PRINTF(2, 3) bool fail(struct virtio *v, const char *fmt, ...)
{
	va_list ap;
	if (v->status & VIRTIO_S_NEEDS_RESET)
		return false;
	va_start(ap, fmt);
	vwarn(v, "; device needs reset", fmt, ap);
	va_end(ap);
	v->status |= VIRTIO_S_NEEDS_RESET;
	if (v->status & VIRTIO_S_DRIVER_OK) {
		v->isr |= ISR_CONFIG;
		update_irq(v);
	}
	return false;
}

static uint64_t offered(const struct virtio *v)
{
	return v->ops->features | 1ull << VIRTIO_F_VERSION_1 |
	       1ull << VIRTIO_F_RING_EVENT_IDX | 1ull << VIRTIO_F_RING_INDIRECT_DESC;
}

static bool negotiated(const struct virtio *v, unsigned bit)
{
	return (v->status & VIRTIO_S_FEATURES_OK) && (v->driver_features >> bit & 1);
}

bool virtio_live(const struct virtio *v)
{
	uint32_t need = VIRTIO_S_DRIVER_OK | VIRTIO_S_FEATURES_OK;
	return (v->status & need) == need &&
	       !(v->status & (VIRTIO_S_NEEDS_RESET | VIRTIO_S_FAILED));
}

uint64_t virtio_features(const struct virtio *v)
{
	return (v->status & VIRTIO_S_FEATURES_OK) ? v->driver_features : 0;
}

/* Queue qi if it exists, is ready and the device is live; else NULL. */
static struct virtq *live_queue(struct virtio *v, unsigned qi)
{
	if (qi >= v->ops->num_queues || !v->q[qi].ready || !virtio_live(v))
		return NULL;
	return &v->q[qi];
}

static bool rd16(struct virtio *v, gpa_t pa, uint16_t *out)
{
	uint8_t b[2];
	if (pmap_dma_read(v->mem, pa, b, 2))
		return false;
	*out = (uint16_t)ld_le(b, 2);
	return true;
}

static bool wr16(struct virtio *v, gpa_t pa, uint16_t val)
{
	uint8_t b[2];
	st_le(b, val, 2);
	return pmap_dma_write(v->mem, pa, b, 2) == 0;
}

/* ---- descriptor chains ---- */

static bool read_desc(struct virtio *v, gpa_t table, unsigned i, struct desc *d)
{
	uint8_t b[16];
	if (pmap_dma_read(v->mem, table + 16ull * i, b, sizeof(b)))
		return false;
	d->addr = ld_le(b, 8);
	d->len = (uint32_t)ld_le(b + 8, 4);
	d->flags = (uint16_t)ld_le(b + 12, 2);
	d->next = (uint16_t)ld_le(b + 14, 2);
	return true;
}

static bool add_seg(struct virtio *v, unsigned qi, struct virtio_chain *c, const struct desc *d)
{
	bool writable = d->flags & DESC_F_WRITE;
	if (d->len == 0)
		return fail(v, "queue %u: zero-length buffer", qi);
	if (!pmap_is_ram(v->mem, d->addr, d->len))
		return fail(v, "queue %u: buffer %#llx+%#x is not in guest RAM", qi,
			    (unsigned long long)d->addr, d->len);
	if (!writable && c->nseg > c->nread)
		return fail(v, "queue %u: device-readable buffer after a writable one", qi);
	if (c->nseg == VIRTIO_CHAIN_MAX)
		return fail(v, "queue %u: chain longer than %u buffers", qi, VIRTIO_CHAIN_MAX);
	c->seg[c->nseg++] = (struct virtio_seg){ d->addr, d->len, writable };
	if (writable) {
		c->write_bytes += d->len;
	} else {
		c->nread++;
		c->read_bytes += d->len;
	}
	return true;
}

/* Checks an indirect descriptor; on success, table and size describe its table. */
static bool enter_indirect(struct virtio *v, unsigned qi, const struct desc *d, bool nested,
			   gpa_t *table, unsigned *size)
{
	if (!negotiated(v, VIRTIO_F_RING_INDIRECT_DESC))
		return fail(v, "queue %u: indirect descriptor not negotiated", qi);
	if (nested)
		return fail(v, "queue %u: indirect descriptor inside an indirect table", qi);
	if (d->flags & DESC_F_NEXT)
		return fail(v, "queue %u: indirect descriptor with NEXT set", qi);
	if (d->len == 0 || d->len % 16 || d->len / 16 > VIRTIO_CHAIN_MAX)
		return fail(v, "queue %u: indirect table of %u bytes", qi, d->len);
	if (d->addr % 16 || !pmap_is_ram(v->mem, d->addr, d->len))
		return fail(v, "queue %u: indirect table %#llx+%#x is misaligned or not in guest RAM",
			    qi, (unsigned long long)d->addr, d->len);
	*table = d->addr;
	*size = d->len / 16;
	return true;
}

/*
 * Follows the chain from `head`.  Each table (the ring's, then perhaps one
 * indirect table) is walked at most `size` hops, so a loop ends as "too long".
 */
static bool walk_chain(struct virtio *v, struct virtq *q, unsigned qi, uint16_t head,
		       struct virtio_chain *c)
{
	gpa_t table = q->desc;
	unsigned size = q->num, idx = head, hops = 0;
	bool indirect = false;
	struct desc d;

	c->head = head;
	c->nseg = c->nread = 0;
	c->read_bytes = c->write_bytes = 0;
	for (;;) {
		if (++hops > size)
			return fail(v, "queue %u: chain from %u longer than its table (a loop?)", qi, head);
		if (!read_desc(v, table, idx, &d))
			return fail(v, "queue %u: descriptor table not in guest RAM", qi);
		if (d.flags & DESC_F_INDIRECT) {
			if (!enter_indirect(v, qi, &d, indirect, &table, &size))
				return false;
			indirect = true;
			idx = 0;
			hops = 0;
			continue;
		}
		if (!add_seg(v, qi, c, &d))
			return false;
		if (!(d.flags & DESC_F_NEXT))
			return true;
		if (d.next >= size)
			return fail(v, "queue %u: next index %u out of range", qi, d.next);
		idx = d.next;
	}
}

/* With EVENT_IDX, asks the driver to notify us once it makes entry last_avail available. */
static void publish_avail_event(struct virtio *v, struct virtq *q, unsigned qi)
{
	if (negotiated(v, VIRTIO_F_RING_EVENT_IDX) &&
	    !wr16(v, q->used + 4 + 8ull * q->num, q->last_avail))
		fail(v, "queue %u: used ring not in guest RAM", qi);
}

bool virtio_pop(struct virtio *v, unsigned qi, struct virtio_chain *c)
{
	struct virtq *q = live_queue(v, qi);
	uint16_t avail_idx, head;
	if (!q)
		return false;
	if (!rd16(v, q->avail + 2, &avail_idx))
		return fail(v, "queue %u: available ring not in guest RAM", qi);
	uint16_t waiting = (uint16_t)(avail_idx - q->last_avail);
	if (waiting > q->num)
		return fail(v, "queue %u: available index ran %u entries ahead", qi, waiting);
	if (waiting == 0) {
		publish_avail_event(v, q, qi);
		return false;
	}
	if (!rd16(v, q->avail + 4 + 2ull * (q->last_avail % q->num), &head))
		return fail(v, "queue %u: available ring not in guest RAM", qi);
	if (head >= q->num)
		return fail(v, "queue %u: head index %u out of range", qi, head);
	if (!walk_chain(v, q, qi, head, c))
		return false;
	q->last_avail++;
	publish_avail_event(v, q, qi);
	return virtio_live(v);
}

bool virtio_has_avail(const struct virtio *v, unsigned qi)
{
	uint8_t b[2];
	if (qi >= v->ops->num_queues || !v->q[qi].ready || !virtio_live(v))
		return false;
	if (pmap_dma_read(v->mem, v->q[qi].avail + 2, b, 2))
		return false;
	return (uint16_t)ld_le(b, 2) != v->q[qi].last_avail;
}

/* Copies between buf and segs[0..n) starting `off` bytes in; to_guest picks the direction. */
static size_t chain_copy(struct virtio *v, const struct virtio_seg *segs, unsigned n,
			 uint64_t off, uint8_t *rbuf, const uint8_t *wbuf, size_t len)
{
	size_t done = 0;
	for (unsigned i = 0; i < n && done < len; i++) {
		if (off >= segs[i].len) {
			off -= segs[i].len;
			continue;
		}
		size_t k = segs[i].len - off;
		if (k > len - done)
			k = len - done;
		int e = wbuf ? pmap_dma_write(v->mem, segs[i].gpa + off, wbuf + done, k)
			     : pmap_dma_read(v->mem, segs[i].gpa + off, rbuf + done, k);
		if (e)
			break;
		done += k;
		off = 0;
	}
	return done;
}

bool virtio_chain_writable(struct virtio *v, const struct virtio_chain *c, uint64_t off,
			   uint64_t len)
{
	const struct virtio_seg *segs = c->seg + c->nread;
	for (unsigned i = 0; i < c->nseg - c->nread && len; i++) {
		if (off >= segs[i].len) {
			off -= segs[i].len;
			continue;
		}
		uint64_t k = segs[i].len - off < len ? segs[i].len - off : len;
		if (pmap_dma_check(v->mem, segs[i].gpa + off, k, true))
			return false;
		len -= k;
		off = 0;
	}
	return true;
}

size_t virtio_chain_read(struct virtio *v, const struct virtio_chain *c, uint64_t off,
			 void *buf, size_t len)
{
	return chain_copy(v, c->seg, c->nread, off, buf, NULL, len);
}

size_t virtio_chain_write(struct virtio *v, const struct virtio_chain *c, uint64_t off,
			  const void *buf, size_t len)
{
	return chain_copy(v, c->seg + c->nread, c->nseg - c->nread, off, NULL, buf, len);
}

void virtio_push(struct virtio *v, unsigned qi, const struct virtio_chain *c, uint32_t written)
{
	struct virtq *q = live_queue(v, qi);
	uint8_t elem[8];
	if (!q)
		return;
	if (written > c->write_bytes)
		written = (uint32_t)c->write_bytes;
	st_le(elem, c->head, 4);
	st_le(elem + 4, written, 4);
	gpa_t slot = q->used + 4 + 8ull * (q->used_idx % q->num);
	if (pmap_dma_write(v->mem, slot, elem, sizeof(elem)) ||
	    !wr16(v, q->used + 2, (uint16_t)(q->used_idx + 1))) {
		fail(v, "queue %u: used ring not in guest RAM", qi);
		return;
	}
	q->used_idx++;
}

/*
 * With EVENT_IDX the driver wants an interrupt once used.idx passes its
 * used_event; the test is "did used_event fall in (signalled, used_idx]",
 * in 16-bit wrapping arithmetic.  Without it, avail.flags can suppress it.
 */
void virtio_signal(struct virtio *v, unsigned qi)
{
	struct virtq *q = live_queue(v, qi);
	uint16_t val;
	bool need;
	if (!q || q->used_idx == q->signalled)
		return;
	uint16_t old = q->signalled;
	q->signalled = q->used_idx;
	if (negotiated(v, VIRTIO_F_RING_EVENT_IDX)) {
		if (!rd16(v, q->avail + 4 + 2ull * q->num, &val)) {
			fail(v, "queue %u: available ring not in guest RAM", qi);
			return;
		}
		need = (uint16_t)(q->used_idx - val - 1) < (uint16_t)(q->used_idx - old);
	} else {
		if (!rd16(v, q->avail, &val)) {
			fail(v, "queue %u: available ring not in guest RAM", qi);
			return;
		}
		need = !(val & AVAIL_F_NO_INTERRUPT);
	}
	if (need) {
		v->isr |= ISR_USED;
		update_irq(v);
	}
}

void virtio_config_changed(struct virtio *v)
{
	v->generation++;
	if (v->status & VIRTIO_S_DRIVER_OK) {
		v->isr |= ISR_CONFIG;
		update_irq(v);
	}
}

/* ---- transport registers ---- */

static void reset(struct virtio *v)
{
	v->status = 0;
	v->isr = 0;
	v->dev_sel = v->drv_sel = v->queue_sel = 0;
	v->driver_features = 0;
	memset(v->q, 0, sizeof(v->q));
	for (unsigned i = 0; i < v->ops->num_queues; i++)
		v->q[i].num = v->ops->queue_max;
	update_irq(v);
	if (v->ops->reset)
		v->ops->reset(v->dev);
}

static bool features_acceptable(struct virtio *v)
{
	uint64_t extra = v->driver_features & ~offered(v);
	if (extra) {
		virtio_warn(v, "driver accepted features %#llx that were not offered",
			    (unsigned long long)extra);
		return false;
	}
	if (!(v->driver_features >> VIRTIO_F_VERSION_1 & 1)) {
		virtio_warn(v, "driver did not accept VIRTIO_F_VERSION_1 (legacy drivers are not supported)");
		return false;
	}
	return true;
}

static void write_status(struct virtio *v, uint32_t val)
{
	if (val == 0) {
		reset(v);
		return;
	}
	val &= 0xff & ~VIRTIO_S_NEEDS_RESET;
	if ((val & VIRTIO_S_FEATURES_OK) && !(v->status & VIRTIO_S_FEATURES_OK) &&
	    !features_acceptable(v))
		val &= ~VIRTIO_S_FEATURES_OK;
	bool was_live = virtio_live(v);
	v->status = val | (v->status & VIRTIO_S_NEEDS_RESET);
	if (was_live || !virtio_live(v))
		return;
	/* Kicks that came before DRIVER_OK were held back; replay them now. */
	for (unsigned i = 0; i < v->ops->num_queues && virtio_live(v); i++)
		if (v->q[i].ready)
			v->ops->notify(v->dev, i);
}

static void write_driver_features(struct virtio *v, uint32_t val)
{
	if (v->status & VIRTIO_S_FEATURES_OK)
		return;		/* frozen once negotiated */
	if (v->drv_sel == 0)
		v->driver_features = (v->driver_features & ~0xffffffffull) | val;
	else if (v->drv_sel == 1)
		v->driver_features = (v->driver_features & 0xffffffffull) | (uint64_t)val << 32;
}

static void notify(struct virtio *v, uint32_t qi)
{
	if (qi >= v->ops->num_queues) {
		virtio_warn(v, "notify of queue %u, which does not exist", qi);
		return;
	}
	if (!v->q[qi].ready) {
		virtio_warn(v, "notify of queue %u, which is not ready", qi);
		return;
	}
	if (virtio_live(v))
		v->ops->notify(v->dev, qi);
}

static bool queue_valid(struct virtio *v, unsigned qi, const struct virtq *q)
{
	uint64_t n = q->num;
	if (n == 0 || n > v->ops->queue_max || (n & (n - 1)))
		return fail(v, "queue %u: size %llu is not a power of two in 1..%u", qi,
			    (unsigned long long)n, v->ops->queue_max);
	if (q->desc % 16 || q->avail % 2 || q->used % 4)
		return fail(v, "queue %u: misaligned ring", qi);
	if (!pmap_is_ram(v->mem, q->desc, 16 * n) || !pmap_is_ram(v->mem, q->avail, 6 + 2 * n) ||
	    !pmap_is_ram(v->mem, q->used, 6 + 8 * n))
		return fail(v, "queue %u: ring not in guest RAM", qi);
	return true;
}

static void set_half(gpa_t *a, bool high, uint32_t val)
{
	if (high)
		*a = (*a & 0xffffffffull) | (uint64_t)val << 32;
	else
		*a = (*a & ~0xffffffffull) | val;
}

static void write_queue_reg(struct virtio *v, unsigned off, uint32_t val)
{
	unsigned qi = v->queue_sel;
	if (qi >= v->ops->num_queues)
		return;
	struct virtq *q = &v->q[qi];
	if (off == REG_QUEUE_READY) {
		if ((val & 1) == q->ready)
			return;
		q->ready = (val & 1) && queue_valid(v, qi, q);
		q->last_avail = q->used_idx = q->signalled = 0;
		return;
	}
	if (q->ready)
		return;		/* the layout of a live queue cannot change */
	switch (off) {
	case REG_QUEUE_NUM: q->num = val; break;
	case REG_QUEUE_DESC_LOW: set_half(&q->desc, false, val); break;
	case REG_QUEUE_DESC_HIGH: set_half(&q->desc, true, val); break;
	case REG_QUEUE_DRIVER_LOW: set_half(&q->avail, false, val); break;
	case REG_QUEUE_DRIVER_HIGH: set_half(&q->avail, true, val); break;
	case REG_QUEUE_DEVICE_LOW: set_half(&q->used, false, val); break;
	case REG_QUEUE_DEVICE_HIGH: set_half(&q->used, true, val); break;
	}
}

static void reg_write(struct virtio *v, unsigned off, uint32_t val)
{
	switch (off) {
	case REG_DEVICE_FEATURES_SEL: v->dev_sel = val; break;
	case REG_DRIVER_FEATURES: write_driver_features(v, val); break;
	case REG_DRIVER_FEATURES_SEL: v->drv_sel = val; break;
	case REG_QUEUE_SEL: v->queue_sel = val; break;
	case REG_QUEUE_NOTIFY: notify(v, val); break;
	case REG_INTERRUPT_ACK:
		v->isr &= ~val;
		update_irq(v);
		break;
	case REG_STATUS: write_status(v, val); break;
	default: write_queue_reg(v, off, val); break;
	}
}

static uint32_t queue_reg(const struct virtio *v, unsigned off)
{
	if (v->queue_sel >= v->ops->num_queues)
		return 0;
	const struct virtq *q = &v->q[v->queue_sel];
	switch (off) {
	case REG_QUEUE_NUM_MAX: return v->ops->queue_max;
	case REG_QUEUE_NUM: return q->num;
	case REG_QUEUE_READY: return q->ready;
	case REG_QUEUE_DESC_LOW: return (uint32_t)q->desc;
	case REG_QUEUE_DESC_HIGH: return (uint32_t)(q->desc >> 32);
	case REG_QUEUE_DRIVER_LOW: return (uint32_t)q->avail;
	case REG_QUEUE_DRIVER_HIGH: return (uint32_t)(q->avail >> 32);
	case REG_QUEUE_DEVICE_LOW: return (uint32_t)q->used;
	case REG_QUEUE_DEVICE_HIGH: return (uint32_t)(q->used >> 32);
	}
	return 0;
}

static uint32_t reg_read(const struct virtio *v, unsigned off)
{
	switch (off) {
	case REG_MAGIC: return MAGIC;
	case REG_VERSION: return 2;
	case REG_DEVICE_ID: return v->ops->device_id;
	case REG_VENDOR_ID: return VENDOR;
	case REG_DEVICE_FEATURES:
		return v->dev_sel < 2 ? (uint32_t)(offered(v) >> (32 * v->dev_sel)) : 0;
	case REG_INTERRUPT_STATUS: return v->isr;
	case REG_STATUS: return v->status;
	case REG_CONFIG_GENERATION: return v->generation;
	case REG_SHM_LEN_LOW: case REG_SHM_LEN_HIGH:
	case REG_SHM_BASE_LOW: case REG_SHM_BASE_HIGH:
		return 0xffffffff;	/* no shared memory regions */
	}
	return queue_reg(v, off);
}

static uint64_t virtio_mmio_read(void *opaque, uint64_t off, unsigned size)
{
	struct virtio *v = opaque;
	uint8_t b[4] = { 0 };
	if (off >= REG_CONFIG) {
		off -= REG_CONFIG;
		if (off < v->ops->config_size && v->ops->config_size - off >= size)
			v->ops->config_read(v->dev, (unsigned)off, b, size);
		return ld_le(b, size);
	}
	if (size != 4 || off % 4) {
		virtio_warn(v, "%u-byte read of register %#llx ignored", size, (unsigned long long)off);
		return 0;
	}
	return reg_read(v, (unsigned)off);
}

static void virtio_mmio_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
	struct virtio *v = opaque;
	uint8_t b[4];
	if (off >= REG_CONFIG) {
		off -= REG_CONFIG;
		st_le(b, val, size);
		if (v->ops->config_write && off < v->ops->config_size &&
		    v->ops->config_size - off >= size)
			v->ops->config_write(v->dev, (unsigned)off, b, size);
		return;
	}
	if (size != 4 || off % 4) {
		virtio_warn(v, "%u-byte write of register %#llx ignored", size, (unsigned long long)off);
		return;
	}
	reg_write(v, (unsigned)off, (uint32_t)val);
}

static const struct mmio_ops virtio_mmio_ops = {
	.read = virtio_mmio_read,
	.write = virtio_mmio_write,
};

static bool ops_valid(const struct virtio_ops *ops)
{
	unsigned m = ops->queue_max;
	return ops->num_queues >= 1 && ops->num_queues <= VIRTIO_MAX_QUEUES && m >= 1 &&
	       m <= VIRTIO_CHAIN_MAX && !(m & (m - 1)) && ops->notify &&
	       ops->config_size <= VIRTIO_REGION_SIZE - REG_CONFIG &&
	       (ops->config_size == 0 || ops->config_read);
}

struct virtio *virtio_new(struct bus *bus, struct pmap *mem, gpa_t base, struct irq_line irq,
			  const struct virtio_ops *ops, void *dev, char *err, size_t errlen)
{
	if (!ops_valid(ops)) {
		snprintf(err, errlen, "virtio-%s: invalid device description", ops->name);
		return NULL;
	}
	struct virtio *v = calloc(1, sizeof(*v));
	if (!v) {
		snprintf(err, errlen, "virtio-%s: out of memory", ops->name);
		return NULL;
	}
	v->ops = ops;
	v->dev = dev;
	v->mem = mem;
	v->base = base;
	v->irq = irq;
	for (unsigned i = 0; i < ops->num_queues; i++)
		v->q[i].num = ops->queue_max;
	struct mmio_region r = {
		.base = base, .size = VIRTIO_REGION_SIZE, .min_size = 1, .max_size = 4,
		.ops = &virtio_mmio_ops, .opaque = v, .name = ops->name,
	};
	int e = bus_map(bus, &r);
	if (e) {
		snprintf(err, errlen, "virtio-%s at %#llx: %s", ops->name, (unsigned long long)base,
			 e == -EEXIST ? "overlaps another device" : "too many devices on the bus");
		free(v);
		return NULL;
	}
	return v;
}

void virtio_free(struct virtio *v)
{
	free(v);
}
