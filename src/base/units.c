#include "base/units.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int parse_size_as(const char *s, unsigned bare_shift, uint64_t *bytes)
{
	char *end;
	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	unsigned shift = bare_shift;
	if (*end) {
		static const char units[] = "BKMGT";
		const char *u = strchr(units, end[0] & ~0x20);
		if (!u || !end[0] || end[1])
			return -1;
		shift = 10 * (unsigned)(u - units);
	}
	if (v > (UINT64_MAX >> shift))
		return -1;
	*bytes = (uint64_t)v << shift;
	return 0;
}
