/*
 * units.h - sizes as operators write them: "512M", "2G", "65536K", "4096B".
 * Contract: parse_size_as() returns 0 and the byte count, or -1 for anything
 * that is not a whole number with an optional B/K/M/G/T suffix (binary
 * units) or that overflows; a bare number is in units of 1 << bare_shift
 * bytes.  parse_size() is the command line's: a bare number means MiB, as
 * QEMU's -m.  Config files and the API use bare numbers as bytes, like
 * their JSON numbers.
 */
#ifndef UMBRA_BASE_UNITS_H
#define UMBRA_BASE_UNITS_H

#include <stdint.h>

int parse_size_as(const char *s, unsigned bare_shift, uint64_t *bytes);

static inline int parse_size(const char *s, uint64_t *bytes)
{
	return parse_size_as(s, 20, bytes);
}

#endif
