/*
 * virtio_console.h - a virtio console with a single port (no MULTIPORT).
 *
 * Contract: virtio_console_new() maps a virtio-mmio device (see virtio.h)
 * with receiveq 0 (host to guest) and transmitq 1 (guest to host).  Bytes
 * the guest transmits go to out_fd (see ttyout.h) when it notifies.  Host
 * input enters through virtio_console_receive(), which fills the receive
 * buffers the driver has posted and returns how many bytes it delivered (0
 * until the driver has posted some); the caller keeps the rest and offers
 * it again later, e.g. from its main loop.  virtio_console_active() says
 * whether the driver is running and has receive buffers posted, which is
 * how a machine can choose between this console and a UART for host input.
 * All calls happen on the VM's thread.
 */
#ifndef UMBRA_DEV_VIRTIO_CONSOLE_H
#define UMBRA_DEV_VIRTIO_CONSOLE_H

#include "dev/bus.h"
#include "mem/pmap.h"

struct virtio_console;

struct virtio_console *virtio_console_new(struct bus *bus, struct pmap *mem, gpa_t base,
					  struct irq_line irq, int out_fd,
					  char *err, size_t errlen);
void virtio_console_free(struct virtio_console *c);

size_t virtio_console_receive(struct virtio_console *c, const uint8_t *buf, size_t n);
bool virtio_console_active(const struct virtio_console *c);

#endif
