/*
 * sbi.h - umbra's built-in SBI firmware (SBI specification 2.0).
 *
 * Contract: with the built-in firmware no guest code runs in M-mode; an
 * ecall from S-mode reaches sbi_ecall() instead (hart_env.ecall), which
 * implements BASE, TIME, IPI, RFENCE, HSM, SRST, DBCN and the legacy
 * extensions, writes the SBI return values into a0/a1 and returns true.
 * Everything outside the hart array goes through struct sbi_ops, which the
 * machine provides.  sbi_setup_hart() puts a hart into the state the SBI
 * specification promises an S-mode payload.
 */
#ifndef UMBRA_FIRMWARE_SBI_H
#define UMBRA_FIRMWARE_SBI_H

#include "cpu/hart.h"

enum sbi_reset { SBI_RESET_SHUTDOWN = 0, SBI_RESET_COLD = 1, SBI_RESET_WARM = 2 };

struct sbi_ops {
	void (*set_timer)(void *opaque, unsigned hart, uint64_t when);
	void (*console_write)(void *opaque, const uint8_t *buf, size_t n);
	int (*console_read)(void *opaque); /* a byte, or -1 when none is waiting */
	void (*reset)(void *opaque, enum sbi_reset type, uint32_t reason);
};

struct sbi {
	struct hart **harts;
	unsigned nharts;
	struct sbi_ops ops;
	void *opaque;
};

bool sbi_ecall(struct sbi *sbi, struct hart *h);

/* Starts hart h in S-mode at addr with a0 = hartid, a1 = arg. */
void sbi_setup_hart(struct hart *h, uint64_t addr, uint64_t arg);

#endif
