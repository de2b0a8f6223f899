/*
 * virtio.h - the virtio-mmio transport (version 2, "modern") and split
 * virtqueues, shared by every virtio device.
 *
 * Contract: a device describes itself with a struct virtio_ops and calls
 * virtio_new(), which maps a VIRTIO_REGION_SIZE region (1..4-byte accesses;
 * the transport registers below 0x100 answer only aligned 32-bit accesses,
 * the device config space at 0x100 any width).  The core owns the
 * transport registers, feature negotiation (VIRTIO_F_VERSION_1 is required;
 * RING_EVENT_IDX and RING_INDIRECT_DESC are offered on top of the device's
 * bits), queue setup, ring memory and the interrupt line, which is high
 * while InterruptStatus != 0 (level-triggered).  The device sees config
 * space accesses, a notify callback for ready queues once the driver is
 * DRIVER_OK (kicks that arrive earlier are replayed at DRIVER_OK), reset,
 * and the chain helpers below.
 *
 * Guest memory is hostile.  virtio_pop() validates a whole descriptor chain
 * before handing it out: every buffer is non-empty and lies in guest RAM,
 * device-writable buffers follow device-readable ones, a chain is no longer
 * than its queue (or its indirect table), and an indirect table holds no
 * indirect descriptor.  A broken ring or chain marks the device
 * DEVICE_NEEDS_RESET (with a config-change interrupt and one logged
 * warning); from then on nothing is popped or pushed until the driver
 * resets the device.  All calls happen on the VM's thread.
 */
#ifndef UMBRA_DEV_VIRTIO_H
#define UMBRA_DEV_VIRTIO_H

#include "dev/bus.h"
#include "mem/pmap.h"

#define VIRTIO_REGION_SIZE 0x1000
#define VIRTIO_MAX_QUEUES 8
#define VIRTIO_CHAIN_MAX 256	/* segments in one chain; also the largest queue */

#define VIRTIO_F_VERSION_1 32
#define VIRTIO_F_RING_INDIRECT_DESC 28
#define VIRTIO_F_RING_EVENT_IDX 29

/* Device status bits. */
#define VIRTIO_S_ACKNOWLEDGE 1
#define VIRTIO_S_DRIVER 2
#define VIRTIO_S_DRIVER_OK 4
#define VIRTIO_S_FEATURES_OK 8
#define VIRTIO_S_NEEDS_RESET 64
#define VIRTIO_S_FAILED 128

struct virtio_ops {
	const char *name;	/* "blk", "rng", ... for messages */
	uint32_t device_id;
	uint64_t features;	/* device-specific feature bits offered */
	unsigned num_queues;	/* 1..VIRTIO_MAX_QUEUES */
	uint16_t queue_max;	/* a power of two, <= VIRTIO_CHAIN_MAX */
	unsigned config_size;	/* bytes of device config space */
	/* [off, off+len) lies inside config_size. */
	void (*config_read)(void *dev, unsigned off, void *buf, unsigned len);
	void (*config_write)(void *dev, unsigned off, const void *buf, unsigned len); /* or NULL */
	void (*notify)(void *dev, unsigned queue);
	void (*reset)(void *dev);	/* or NULL */
};

struct virtio_seg {
	gpa_t gpa;
	uint32_t len;
	bool writable;
};

/* One popped descriptor chain: the first nread segments are device-readable. */
struct virtio_chain {
	uint16_t head;
	unsigned nseg, nread;
	uint64_t read_bytes, write_bytes;
	struct virtio_seg seg[VIRTIO_CHAIN_MAX];
};

struct virtio;

struct virtio *virtio_new(struct bus *bus, struct pmap *mem, gpa_t base, struct irq_line irq,
			  const struct virtio_ops *ops, void *dev, char *err, size_t errlen);
void virtio_free(struct virtio *v);

/* DRIVER_OK (with FEATURES_OK) and not in need of a reset. */
bool virtio_live(const struct virtio *v);
/* The feature bits the driver accepted, once FEATURES_OK is set; 0 before. */
uint64_t virtio_features(const struct virtio *v);
/* Whether the driver has made a chain available on queue q that is not popped yet. */
bool virtio_has_avail(const struct virtio *v, unsigned q);

/* Takes the next available chain of queue q; false if none (or the device is broken). */
bool virtio_pop(struct virtio *v, unsigned q, struct virtio_chain *c) MUST_CHECK;
/* Copy from the readable / to the writable part of c at byte offset off; return bytes copied. */
size_t virtio_chain_read(struct virtio *v, const struct virtio_chain *c, uint64_t off,
			 void *buf, size_t len);
/* May the device write [off, off+len) of the chain's writable part (protections)? */
bool virtio_chain_writable(struct virtio *v, const struct virtio_chain *c, uint64_t off,
			   uint64_t len);
size_t virtio_chain_write(struct virtio *v, const struct virtio_chain *c, uint64_t off,
			  const void *buf, size_t len);
/* Returns c to the driver in the used ring, saying `written` bytes were written. */
void virtio_push(struct virtio *v, unsigned q, const struct virtio_chain *c, uint32_t written);
/* After a batch of pushes: interrupts the driver if it asked to be (event index / flags). */
void virtio_signal(struct virtio *v, unsigned q);

/* The device changed its config space: bump ConfigGeneration and interrupt. */
void virtio_config_changed(struct virtio *v);
/* A rate-limited warning about this device, for bad requests from the guest. */
void virtio_warn(struct virtio *v, const char *fmt, ...) PRINTF(2, 3);

#endif
