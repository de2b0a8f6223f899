#include "dev/virtio_console.h"

#include "dev/ttyout.h"
#include "dev/virtio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#define CONSOLE_DEVICE_ID 3
#define QUEUE_MAX 64
#define RXQ 0
#define TXQ 1
#define CHUNK 4096

/* struct virtio_console_config: le16 cols, rows; le32 max_nr_ports, emerg_wr. */
#define CONFIG_BYTES 12
#define CFG_MAX_NR_PORTS 4

struct virtio_console {
	struct virtio *vio;
	uint8_t config[CONFIG_BYTES];
	struct virtio_chain chain;
	struct ttyout out;
	uint8_t buf[CHUNK];
};

static void transmit(struct virtio_console *c, const struct virtio_chain *ch)
{
	for (uint64_t off = 0; off < ch->read_bytes;) {
		size_t n = virtio_chain_read(c->vio, ch, off, c->buf, CHUNK);
		if (n == 0)
			break;
		ttyout_write(&c->out, c->buf, n);
		off += n;
	}
}

static void console_notify(void *dev, unsigned q)
{
	struct virtio_console *c = dev;
	if (q != TXQ)
		return;		/* receive buffers wait for host input */
	while (virtio_pop(c->vio, q, &c->chain)) {
		transmit(c, &c->chain);
		virtio_push(c->vio, q, &c->chain, 0);
	}
	virtio_signal(c->vio, q);
}

static void console_config_read(void *dev, unsigned off, void *buf, unsigned len)
{
	struct virtio_console *c = dev;
	memcpy(buf, c->config + off, len);
}

static const struct virtio_ops console_ops = {
	.name = "console",
	.device_id = CONSOLE_DEVICE_ID,
	.num_queues = 2,
	.queue_max = QUEUE_MAX,
	.config_size = CONFIG_BYTES,
	.config_read = console_config_read,
	.notify = console_notify,
};

size_t virtio_console_receive(struct virtio_console *c, const uint8_t *buf, size_t n)
{
	size_t done = 0;
	while (done < n && virtio_pop(c->vio, RXQ, &c->chain)) {
		size_t k = virtio_chain_write(c->vio, &c->chain, 0, buf + done, n - done);
		virtio_push(c->vio, RXQ, &c->chain, (uint32_t)k);
		done += k;
	}
	virtio_signal(c->vio, RXQ);
	return done;
}

bool virtio_console_active(const struct virtio_console *c)
{
	return virtio_live(c->vio) && virtio_has_avail(c->vio, RXQ);
}

struct virtio_console *virtio_console_new(struct bus *bus, struct pmap *mem, gpa_t base,
					  struct irq_line irq, int out_fd,
					  char *err, size_t errlen)
{
	struct virtio_console *c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "virtio-console: out of memory");
		return NULL;
	}
	ttyout_init(&c->out, out_fd);
	st_le(c->config + CFG_MAX_NR_PORTS, 1, 4);
	c->vio = virtio_new(bus, mem, base, irq, &console_ops, c, err, errlen);
	if (!c->vio) {
		free(c);
		return NULL;
	}
	return c;
}

void virtio_console_free(struct virtio_console *c)
{
	if (!c)
		return;
	ttyout_flush(&c->out);
	virtio_free(c->vio);
	free(c);
}
