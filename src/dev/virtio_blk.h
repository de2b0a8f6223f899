/*
 * virtio_blk.h - a virtio block device backed by a raw image file.
 *
 * Contract: virtio_blk_new() opens `path` (O_RDWR, or O_RDONLY when
 * readonly), takes an advisory lock on it (exclusive, or shared when
 * read-only) so that two VMs cannot write one image, and maps a virtio-mmio
 * device (see virtio.h) at `base`.  The capacity is the file size in
 * 512-byte sectors; a size that is not a multiple of 512 is rounded down
 * with a warning (the tail is invisible to the guest).  Offered features:
 * SEG_MAX, BLK_SIZE, FLUSH, and RO when readonly.  Requests IN, OUT,
 * FLUSH and GET_ID run synchronously (pread/pwrite/fdatasync) when the
 * driver notifies; other types complete with UNSUPP, writes to a read-only
 * disk and requests beyond the capacity with IOERR.  All calls happen on
 * the VM's thread.
 */
#ifndef UMBRA_DEV_VIRTIO_BLK_H
#define UMBRA_DEV_VIRTIO_BLK_H

#include "dev/bus.h"
#include "mem/pmap.h"

struct virtio_blk;

struct virtio_blk *virtio_blk_new(struct bus *bus, struct pmap *mem, gpa_t base,
				  struct irq_line irq, const char *path, bool readonly,
				  char *err, size_t errlen);
void virtio_blk_free(struct virtio_blk *b);

#endif
