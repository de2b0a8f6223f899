/*
 * hostcfg.h - what `umbra host` runs: the VMs, their memory policy and the
 * scheduler's parameters.  The host layer owns these types; the front end
 * (src/api/config.c) fills them from the configuration file.
 */
#ifndef UMBRA_SCHED_HOSTCFG_H
#define UMBRA_SCHED_HOSTCFG_H

#include <stdbool.h>
#include <stdint.h>

#include "umbra/vm.h"

#define CONFIG_MAX_VMS 8

struct vm_config {
	char *name;
	struct umbra_config vm;  /* strings owned by the config */
	uint64_t reservation_bytes, limit_bytes, shares;
	char *console_log;       /* NULL: the console is discarded */
};

struct sched_config {
	bool enabled;
	unsigned period_ms;
	double idle_tax;
	uint64_t step_bytes;     /* most a balloon target moves per period */
	unsigned stall_ms;       /* a balloon that does not move this long is stalled */
};

struct host_config {
	uint64_t host_mem_bytes;
	char *api_socket;
	struct sched_config sched;
	unsigned nvms;
	struct vm_config vms[CONFIG_MAX_VMS];
};

#endif
