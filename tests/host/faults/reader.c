/*
 * reader.c - a bare-metal S-mode guest that reads its virtio-blk disk (slot
 * 0) over and over, 4 KiB at a time, for tests/host/faults.sh.  Once a
 * second it prints "reader: ok N ioerr M" (requests completed with each
 * status); a request the device never completes prints "reader: STUCK".
 */
#include "runtime.h"

#define BLK 0x10001000ul
#define QSIZE 16

struct vdesc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

static struct {
	struct vdesc desc[QSIZE];
	uint8_t pad0[4096 - QSIZE * sizeof(struct vdesc)];
	uint16_t avail[2 + QSIZE + 1];
	uint8_t pad1[4096 - (3 + QSIZE) * 2];
	uint16_t used[2 + 4 * QSIZE + 2];
} q __attribute__((aligned(4096)));
static uint64_t hdr[2];
static uint8_t data[4096] __attribute__((aligned(4096)));
static volatile uint8_t status;

static uint32_t rd(unsigned off)
{
	return *(volatile uint32_t *)(BLK + off);
}

static void wr(unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(BLK + off) = v;
}

static void setup(void)
{
	wr(0x70, 0);
	wr(0x70, 1 | 2);
	wr(0x24, 1);
	wr(0x20, 1); /* VERSION_1 */
	wr(0x24, 0);
	wr(0x20, 0);
	wr(0x70, 1 | 2 | 8);
	wr(0x30, 0);
	wr(0x38, QSIZE);
	wr(0x80, (uint32_t)(uintptr_t)q.desc);
	wr(0x84, 0);
	wr(0x90, (uint32_t)(uintptr_t)q.avail);
	wr(0x94, 0);
	wr(0xa0, (uint32_t)(uintptr_t)q.used);
	wr(0xa4, 0);
	wr(0x44, 1);
	wr(0x70, 1 | 2 | 8 | 4);
}

int main(void);
int main(void)
{
	if (rd(0) != 0x74726976 || rd(8) != 2) {
		kputs("reader: no virtio-blk in slot 0\n");
		for (;;)
			;
	}
	setup();
	uint64_t sectors = rd(0x100) | (uint64_t)rd(0x104) << 32, ok = 0, ioerr = 0, sector = 0;
	uint64_t last = now();
	uint16_t idx = 0;
	kprintf("reader: %lu sectors\n", sectors);
	for (;;) {
		hdr[0] = 0; /* IN */
		hdr[1] = sector;
		status = 0xff;
		q.desc[0] = (struct vdesc){(uintptr_t)hdr, 16, 1, 1};
		q.desc[1] = (struct vdesc){(uintptr_t)data, sizeof(data), 1 | 2, 2};
		q.desc[2] = (struct vdesc){(uintptr_t)&status, 1, 2, 0};
		q.avail[2 + idx % QSIZE] = 0;
		fence();
		q.avail[1] = ++idx;
		fence();
		wr(0x50, 0);
		uint64_t t0 = now();
		while (*(volatile uint16_t *)&q.used[1] != idx)
			if (now() - t0 > TICKS_PER_S) {
				kputs("reader: STUCK\n");
				for (;;)
					;
			}
		wr(0x64, rd(0x60));
		if (status == 0)
			ok++;
		else
			ioerr++;
		sector = (sector + 8) % (sectors - 7);
		if (now() - last >= TICKS_PER_S) {
			kprintf("reader: ok %lu ioerr %lu\n", ok, ioerr);
			last = now();
		}
	}
}
