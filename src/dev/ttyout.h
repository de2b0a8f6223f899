/*
 * ttyout.h - byte output from a character device (UART, virtio console) to
 * a host file descriptor.
 *
 * Contract: ttyout_write() writes straight through, retrying on EINTR.  When
 * the descriptor is non-blocking and full (EAGAIN), bytes wait in a small
 * ring and go out, in order, before the next write or at ttyout_flush().
 * Only when the ring is full and the descriptor stays full for
 * TTYOUT_STALL_MS, or on a hard error (EIO, EPIPE, ...), are bytes dropped:
 * they are counted in `dropped` and reported once, never silently.  A
 * negative fd discards all output.  The struct is embedded in its device;
 * it owns no resources (the fd belongs to the caller).  Callers that write
 * to a pipe or socket should ignore SIGPIPE.
 */
#ifndef UMBRA_DEV_TTYOUT_H
#define UMBRA_DEV_TTYOUT_H

#include "base/base.h"

#define TTYOUT_RING 4096
#define TTYOUT_STALL_MS 100

struct ttyout {
	int fd;
	bool warned;
	size_t head, len;	/* pending bytes: ring[head..head+len) modulo size */
	uint64_t dropped;
	uint8_t ring[TTYOUT_RING];
};

void ttyout_init(struct ttyout *t, int fd);
void ttyout_write(struct ttyout *t, const void *buf, size_t n);
/* Pushes pending bytes out; true when none are left. */
bool ttyout_flush(struct ttyout *t);

#endif
