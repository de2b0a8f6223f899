/*
 * cli.h - the options of `umbra run`, parsed into a umbra_config.
 *
 * Contract: cli_parse_run() reads argv[0..argc) (the words after "run"),
 * fills *c (which holds the defaults on entry) and returns 0, or returns
 * UMBRA_EXIT_ERROR with an operator-facing message in err.  Strings in *c
 * point into argv, except the drive paths, which cli_free() releases; call
 * it in both cases.  No output, no global state: the fuzz harness
 * (tests/fuzz/fuzz_cli.c) calls it as main.c does.
 */
#ifndef UMBRA_APP_CLI_H
#define UMBRA_APP_CLI_H

#include <stddef.h>

#include "umbra/vm.h"

int cli_parse_run(int argc, char **argv, struct umbra_config *c, char *err, size_t errlen);
void cli_free(struct umbra_config *c);

#endif
