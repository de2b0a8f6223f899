/*
 * fuzz_cli - the options of `umbra run` (app/cli.c).
 *
 * Input: the arguments, separated by NUL bytes.  Invariants: the parser
 * returns 0 or UMBRA_EXIT_ERROR; an error comes with a message; a success
 * yields a config that umbra_vm_create() may trust (a kernel, a RAM size of
 * whole pages from 16 MiB to 64 GiB, 1-8 harts, at most 6 drives, each with
 * a file); and nothing leaks (LeakSanitizer).
 */
#include "cli.h"
#include "fuzz.h"

#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_config(const struct umbra_config *c)
{
	FUZZ_CHECK(c->kernel, "success without a kernel");
	FUZZ_CHECK(c->mem_bytes >= (16u << 20) && c->mem_bytes <= (64ull << 30) &&
		   c->mem_bytes % 4096 == 0, "mem_bytes %llu", (unsigned long long)c->mem_bytes);
	FUZZ_CHECK(c->cpus >= 1 && c->cpus <= UMBRA_MAX_CPUS, "cpus %u", c->cpus);
	FUZZ_CHECK(c->ndrives <= UMBRA_MAX_DRIVES, "ndrives %u", c->ndrives);
	for (unsigned i = 0; i < c->ndrives; i++)
		FUZZ_CHECK(c->drives[i].path, "drive %u without a file", i);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *argv[MAX_ARGS + 1];
	int argc = 0;
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = 0;
	for (size_t i = 0; i <= size && argc < MAX_ARGS; i += strlen(buf + i) + 1)
		argv[argc++] = buf + i;
	argv[argc] = NULL;

	struct umbra_config c = {.mem_bytes = 256u << 20, .cpus = 1, .console_in = -1,
				 .console_out = -1};
	char err[512];
	memset(err, 0x5a, sizeof(err));
	int rc = cli_parse_run(argc, argv, &c, err, sizeof(err));
	FUZZ_CHECK(rc == 0 || rc == UMBRA_EXIT_ERROR, "returned %d", rc);
	if (rc)
		FUZZ_CHECK(memchr(err, 0, sizeof(err)) && err[0], "error without a message");
	else
		check_config(&c);
	cli_free(&c);
	free(buf);
	return 0;
}
