/*
 * syscon.h - the SiFive test device ("sifive,test0"), which QEMU's virt
 * board and Linux's syscon-poweroff/syscon-reboot drivers use to stop or
 * restart the machine.
 *
 * Contract: syscon_new() maps a 0x1000-byte region of 32-bit registers.  A
 * write to offset 0 is decoded by its low 16 bits: 0x5555 powers off,
 * 0x3333 reports failure with the exit code in bits 31:16, 0x7777 reboots;
 * other values and offsets are ignored, and reads return 0.  The event
 * callback runs on the VM's thread from inside the CPU's store; it should
 * only record the request (the machine's loop acts on it).
 */
#ifndef UMBRA_DEV_SYSCON_H
#define UMBRA_DEV_SYSCON_H

#include "dev/bus.h"

#define SYSCON_REGION_SIZE 0x1000

enum syscon_event { SYSCON_POWEROFF, SYSCON_FAIL, SYSCON_REBOOT };

struct syscon;

struct syscon *syscon_new(struct bus *bus, gpa_t base,
			  void (*event)(void *opaque, enum syscon_event ev, unsigned code),
			  void *opaque, char *err, size_t errlen);
void syscon_free(struct syscon *s);

#endif
