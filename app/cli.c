/*
 * cli.c - parsing the options of `umbra run` (and QEMU's spellings of them)
 * into a umbra_config.  See cli.h.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return UMBRA_EXIT_ERROR;
}

/* "512M", "2G", "65536K", "1073741824B"; a bare number is MiB, as QEMU's -m. */
static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *s == '-')
		return -1;
	unsigned shift = 20;
	if (*end) {
		const char *units = "BKMGT";
		const char *u = strchr(units, end[0] & ~0x20);
		if (!u || end[1])
			return -1;
		shift = 10 * (unsigned)(u - units);
	}
	if (v > (UINT64_MAX >> shift))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

/* One key=value of --drive; path collects file= (malloc'ed). */
static int drive_option(char *kv, char **path, bool *readonly, char *err, size_t errlen)
{
	char *eq = strchr(kv, '=');
	if (!eq)
		return fail(err, errlen, "--drive: '%s' is not key=value", kv);
	*eq = 0;
	const char *v = eq + 1;
	if (!strcmp(kv, "file")) {
		free(*path);
		if (!(*path = strdup(v)))
			return fail(err, errlen, "out of memory");
	} else if (!strcmp(kv, "readonly") && (!strcmp(v, "on") || !strcmp(v, "off"))) {
		*readonly = !strcmp(v, "on");
	} else if (!((!strcmp(kv, "format") && !strcmp(v, "raw")) ||
		     (!strcmp(kv, "if") && (!strcmp(v, "virtio") || !strcmp(v, "none"))) ||
		     !strcmp(kv, "id"))) {
		return fail(err, errlen, "--drive: unsupported option '%s' (file=, readonly=on|off, format=raw, if=virtio)", kv);
	}
	return 0;
}

static int parse_drive(const char *s, struct umbra_config *c, char *err, size_t errlen)
{
	if (c->ndrives == UMBRA_MAX_DRIVES)
		return fail(err, errlen, "--drive: at most %d drives", UMBRA_MAX_DRIVES);
	char *copy = strdup(s), *save = NULL, *path = NULL;
	bool readonly = false;
	int rc = copy ? 0 : fail(err, errlen, "out of memory");
	for (char *kv = copy ? strtok_r(copy, ",", &save) : NULL; kv && !rc;
	     kv = strtok_r(NULL, ",", &save))
		rc = drive_option(kv, &path, &readonly, err, errlen);
	free(copy);
	if (!rc && !path)
		rc = fail(err, errlen, "--drive '%s': no file= given", s);
	if (rc) {
		free(path);
		return rc;
	}
	c->drives[c->ndrives++] = (struct umbra_drive){.path = path, .readonly = readonly};
	return 0;
}

/* Matches --name and QEMU's -alias. */
static bool is_opt(const char *arg, const char *name, const char *alias)
{
	return !strcmp(arg, name) || (alias && !strcmp(arg, alias));
}

/* An option that takes the value v; returns 0 or UMBRA_EXIT_ERROR. */
static int take_value(const char *a, const char *v, struct umbra_config *c, char *err,
		      size_t errlen)
{
	if (is_opt(a, "--kernel", "-kernel")) {
		c->kernel = v;
	} else if (is_opt(a, "--initrd", "-initrd")) {
		c->initrd = v;
	} else if (is_opt(a, "--append", "-append")) {
		c->append = v;
	} else if (is_opt(a, "--firmware", "-bios")) {
		c->firmware = !strcmp(v, "default") ? "builtin" : v;
	} else if (is_opt(a, "--mem", "-m")) {
		if (parse_size(v, &c->mem_bytes) || c->mem_bytes < (16u << 20) ||
		    c->mem_bytes > (64ull << 30) || c->mem_bytes % 4096)
			return fail(err, errlen, "--mem: '%s' is not a size from 16M to 64G in whole pages", v);
	} else if (is_opt(a, "--cpus", "-smp")) {
		char *end;
		if (!strncmp(v, "cpus=", 5))
			v += 5;
		long n = strtol(v, &end, 10);
		if (*end || n < 1 || n > UMBRA_MAX_CPUS)
			return fail(err, errlen, "--cpus: '%s' is not a number from 1 to %d", v, UMBRA_MAX_CPUS);
		c->cpus = (unsigned)n;
	} else if (is_opt(a, "--drive", "-drive")) {
		return parse_drive(v, c, err, errlen);
	} else if (is_opt(a, "--jit-hot", NULL)) {
		char *end;
		long n = strtol(v, &end, 10);
		if (*end || n < 1 || n > UMBRA_JIT_HOT_MAX)
			return fail(err, errlen, "--jit-hot: '%s' is not a number from 1 to %d", v, UMBRA_JIT_HOT_MAX);
		c->jit_hot = (unsigned)n;
	} else if (is_opt(a, "--gdb", "-gdb")) {
		/* The endpoint itself is checked when the VM is made (umbra_vm_create). */
		if (strncmp(v, "tcp:", 4) && strncmp(v, "unix:", 5))
			return fail(err, errlen, "--gdb: '%s' is not tcp::PORT, tcp:127.0.0.1:PORT or unix:PATH", v);
		c->gdb = v;
	} else {
		return fail(err, errlen, "unknown option '%s'", a);
	}
	return 0;
}

int cli_parse_run(int argc, char **argv, struct umbra_config *c, char *err, size_t errlen)
{
	bool wait_gdb = false;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-s")) { /* QEMU's shorthand */
			c->gdb = "tcp::1234";
			continue;
		}
		if (!strcmp(a, "-S")) { /* QEMU's "start halted": always so with a debugger */
			wait_gdb = true;
			continue;
		}
		if (is_opt(a, "--deterministic", NULL)) {
			c->deterministic = true;
			continue;
		}
		if (is_opt(a, "--interpreter", NULL)) {
			c->interpreter = true;
			continue;
		}
		if (is_opt(a, "--no-jit", NULL)) {
			c->no_jit = true;
			continue;
		}
		if (is_opt(a, "-nographic", "--nographic"))
			continue; /* the console is always the terminal */
		if (i + 1 >= argc)
			return fail(err, errlen, "option '%s' needs a value (or is unknown)", a);
		int rc = take_value(a, argv[++i], c, err, errlen);
		if (rc)
			return rc;
	}
	if (!c->kernel)
		return fail(err, errlen, "no kernel given: --kernel FILE");
	if (wait_gdb && !c->gdb)
		return fail(err, errlen, "-S (wait for a debugger) needs --gdb ENDPOINT or -s");
	return 0;
}

void cli_free(struct umbra_config *c)
{
	for (unsigned i = 0; i < c->ndrives; i++)
		free((char *)c->drives[i].path);
	c->ndrives = 0;
}
