#include "dev/virtio_rng.h"

#include "dev/virtio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>

#define RNG_DEVICE_ID 4
#define QUEUE_MAX 64

struct virtio_rng {
	struct virtio *vio;
	struct virtio_chain chain;
	uint8_t buf[RNG_REQUEST_MAX];
	bool seeded;       /* reproducible stream instead of host randomness */
	uint64_t state;
};

void virtio_rng_seed(struct virtio_rng *r, uint64_t seed)
{
	r->seeded = true;
	r->state = seed;
}

/* splitmix64: a reproducible stream for --deterministic runs (not secret). */
static size_t seeded_random(struct virtio_rng *r, size_t n)
{
	for (size_t i = 0; i < n; i += 8) {
		uint64_t z = (r->state += 0x9e3779b97f4a7c15ull);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		z ^= z >> 31;
		memcpy(r->buf + i, &z, n - i < 8 ? n - i : 8);
	}
	return n;
}

/* Fills buf with host randomness; returns how many bytes it got. */
static size_t host_random(struct virtio_rng *r, size_t n)
{
	size_t got = 0;
	if (r->seeded)
		return seeded_random(r, n);
	while (got < n) {
		ssize_t k = getrandom(r->buf + got, n - got, 0);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			virtio_warn(r->vio, "getrandom: %s", strerror(errno));
			break;
		}
		got += (size_t)k;
	}
	return got;
}

static void rng_notify(void *dev, unsigned q)
{
	struct virtio_rng *r = dev;
	while (virtio_pop(r->vio, q, &r->chain)) {
		uint64_t want = r->chain.write_bytes;
		size_t n = host_random(r, want < RNG_REQUEST_MAX ? (size_t)want : RNG_REQUEST_MAX);
		n = virtio_chain_write(r->vio, &r->chain, 0, r->buf, n);
		virtio_push(r->vio, q, &r->chain, (uint32_t)n);
	}
	virtio_signal(r->vio, q);
}

static const struct virtio_ops rng_ops = {
	.name = "rng",
	.device_id = RNG_DEVICE_ID,
	.num_queues = 1,
	.queue_max = QUEUE_MAX,
	.notify = rng_notify,
};

struct virtio_rng *virtio_rng_new(struct bus *bus, struct pmap *mem, gpa_t base,
				  struct irq_line irq, char *err, size_t errlen)
{
	struct virtio_rng *r = calloc(1, sizeof(*r));
	if (!r) {
		snprintf(err, errlen, "virtio-rng: out of memory");
		return NULL;
	}
	r->vio = virtio_new(bus, mem, base, irq, &rng_ops, r, err, errlen);
	if (!r->vio) {
		free(r);
		return NULL;
	}
	return r;
}

void virtio_rng_free(struct virtio_rng *r)
{
	if (!r)
		return;
	virtio_free(r->vio);
	free(r);
}
