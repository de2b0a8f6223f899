/*
 * config.h - the configuration file of `umbra host` (docs/config.md).
 *
 * Contract: config_load() reads and validates the whole file; on any
 * problem it returns -1 with a message that names the file, the field
 * (e.g. "vms[1].reservation") and what is wrong.  Relative paths in the
 * file are taken relative to the file's own directory.  config_free()
 * releases everything, also after a failure.
 */
#ifndef UMBRA_API_CONFIG_H
#define UMBRA_API_CONFIG_H

#include <stddef.h>
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

int config_load(const char *path, struct host_config *out, char *err, size_t errlen);
void config_free(struct host_config *c);

#endif
