/*
 * check.h - a tiny assertion helper for host unit tests.
 * CHECK(cond) records a failure with its line; check_done() prints
 * "name: N checks, M failed" and returns the exit status.
 */
#ifndef UMBRA_TESTS_CHECK_H
#define UMBRA_TESTS_CHECK_H

#include <stdio.h>

struct check_ctx {
	int checks, failed;
};

#define CHECK(ctx, cond)                                                        \
	do {                                                                    \
		(ctx)->checks++;                                                \
		if (!(cond)) {                                                  \
			(ctx)->failed++;                                        \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		}                                                               \
	} while (0)

static inline int check_done(const struct check_ctx *c, const char *name)
{
	printf("%s: %d checks, %d failed\n", name, c->checks, c->failed);
	return c->failed ? 1 : 0;
}

#endif
