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

#include "sched/hostcfg.h"

int config_load(const char *path, struct host_config *out, char *err, size_t errlen);
void config_free(struct host_config *c);

#endif
