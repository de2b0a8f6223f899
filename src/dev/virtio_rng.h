/*
 * virtio_rng.h - a virtio entropy device fed by the host's getrandom(2).
 *
 * Contract: virtio_rng_new() maps a virtio-mmio device (see virtio.h) with
 * one request queue.  Each device-writable buffer chain the driver posts is
 * filled with up to RNG_REQUEST_MAX bytes of host randomness and returned at
 * once, when the driver notifies.  All calls happen on the VM's thread.
 */
#ifndef UMBRA_DEV_VIRTIO_RNG_H
#define UMBRA_DEV_VIRTIO_RNG_H

#include "dev/bus.h"
#include "mem/pmap.h"

#define RNG_REQUEST_MAX 4096

struct virtio_rng;

struct virtio_rng *virtio_rng_new(struct bus *bus, struct pmap *mem, gpa_t base,
				  struct irq_line irq, char *err, size_t errlen);
void virtio_rng_free(struct virtio_rng *r);
/* Serves a reproducible (not secret) stream from `seed` instead: --deterministic. */
void virtio_rng_seed(struct virtio_rng *r, uint64_t seed);

#endif
