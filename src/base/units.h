/*
 * units.h - sizes as operators write them: "512M", "2G", "65536K", "4096B".
 * Contract: parse_size() returns 0 and the byte count, or -1 for anything
 * that is not a whole number with an optional B/K/M/G/T suffix (binary
 * units) or that overflows; a bare number means MiB, as QEMU's -m.
 */
#ifndef UMBRA_BASE_UNITS_H
#define UMBRA_BASE_UNITS_H

#include <stdint.h>

int parse_size(const char *s, uint64_t *bytes);

#endif
