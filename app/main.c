/*
 * main.c - the umbra command: parses the command line into a umbra_config
 * and runs the VM.  Everything it knows of the machine comes from
 * include/umbra/vm.h.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/term.h"
#include "umbra/vm.h"

#define VERSION "0.1"

static const char usage[] =
	"usage: umbra run --kernel FILE [options]\n"
	"       umbra help | umbra --version\n"
	"\n"
	"Runs a RISC-V RV64GC 'virt' machine (QEMU's memory map) on the terminal.\n"
	"\n"
	"options of 'umbra run' (QEMU's spelling in brackets):\n"
	"  --kernel FILE       ELF64, RISC-V Linux Image, or raw binary with --firmware none [-kernel]\n"
	"  --initrd FILE       initial ramdisk for Linux [-initrd]\n"
	"  --append STRING     kernel command line [-append]\n"
	"  --mem SIZE          guest RAM: bytes with suffix K, M, G; a bare number is MiB (default 256M) [-m]\n"
	"  --cpus N            harts, 1-8 (default 1) [-smp]\n"
	"  --firmware builtin|none|FILE\n"
	"                      builtin: umbra's SBI, the kernel starts in S-mode (default);\n"
	"                      none: the kernel starts in M-mode at its entry;\n"
	"                      FILE: M-mode firmware such as OpenSBI's fw_dynamic.bin [-bios]\n"
	"  --drive file=F[,readonly=on]\n"
	"                      a raw disk image as a virtio-blk device [-drive]\n"
	"  --deterministic     time advances with retired instructions: runs are reproducible\n"
	"  --interpreter       run the reference interpreter only (slower; for differential tests)\n"
	"\n"
	"The console is this terminal; Ctrl-A x quits, Ctrl-A Ctrl-A sends Ctrl-A.\n"
	"Exit status: 0 when the guest powers off or passes, the guest's failure code when it\n"
	"reports one, 125 when umbra cannot go on.\n";

static int fail(const char *fmt, const char *arg)
{
	fprintf(stderr, "umbra: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n(umbra help shows the options)\n");
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

static int parse_drive(const char *s, struct umbra_config *c)
{
	if (c->ndrives == UMBRA_MAX_DRIVES)
		return fail("--drive: at most %s drives", "6");
	struct umbra_drive *d = &c->drives[c->ndrives];
	char *copy = strdup(s), *save = NULL;
	if (!copy)
		return fail("%s", "out of memory");
	for (char *kv = strtok_r(copy, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(kv, '=');
		if (!eq)
			return fail("--drive: '%s' is not key=value", kv);
		*eq = 0;
		const char *v = eq + 1;
		if (!strcmp(kv, "file"))
			d->path = strdup(v);
		else if (!strcmp(kv, "readonly") && (!strcmp(v, "on") || !strcmp(v, "off")))
			d->readonly = !strcmp(v, "on");
		else if ((!strcmp(kv, "format") && !strcmp(v, "raw")) ||
			 (!strcmp(kv, "if") && (!strcmp(v, "virtio") || !strcmp(v, "none"))) ||
			 !strcmp(kv, "id"))
			continue;
		else
			return fail("--drive: unsupported option '%s' (file=, readonly=on|off, format=raw, if=virtio)", kv);
	}
	free(copy);
	if (!d->path)
		return fail("--drive '%s': no file= given", s);
	c->ndrives++;
	return 0;
}

/* Matches --name and QEMU's -alias; returns the value argument or NULL. */
static bool is_opt(const char *arg, const char *name, const char *alias)
{
	return !strcmp(arg, name) || (alias && !strcmp(arg, alias));
}

static int parse_run(int argc, char **argv, struct umbra_config *c)
{
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (is_opt(a, "--deterministic", NULL)) {
			c->deterministic = true;
			continue;
		}
		if (is_opt(a, "--interpreter", NULL)) {
			c->interpreter = true;
			continue;
		}
		if (is_opt(a, "-nographic", "--nographic"))
			continue; /* the console is always the terminal */
		if (i + 1 >= argc)
			return fail("option '%s' needs a value (or is unknown)", a);
		const char *v = argv[++i];
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
				return fail("--mem: '%s' is not a size from 16M to 64G in whole pages", v);
		} else if (is_opt(a, "--cpus", "-smp")) {
			char *end;
			if (!strncmp(v, "cpus=", 5))
				v += 5;
			long n = strtol(v, &end, 10);
			if (*end || n < 1 || n > UMBRA_MAX_CPUS)
				return fail("--cpus: '%s' is not a number from 1 to 8", v);
			c->cpus = (unsigned)n;
		} else if (is_opt(a, "--drive", "-drive")) {
			if (parse_drive(v, c))
				return UMBRA_EXIT_ERROR;
		} else {
			return fail("unknown option '%s'", a);
		}
	}
	if (!c->kernel)
		return fail("%s", "no kernel given: --kernel FILE");
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	struct umbra_config cfg = {.mem_bytes = 256u << 20, .cpus = 1, .console_in = STDIN_FILENO,
				   .console_out = STDOUT_FILENO};
	int rc = parse_run(argc, argv, &cfg);
	if (rc)
		return rc;
	char err[512] = "";
	struct umbra_vm *vm = umbra_vm_create(&cfg, err, sizeof(err));
	if (!vm) {
		fprintf(stderr, "umbra: %s\n", err);
		return UMBRA_EXIT_ERROR;
	}
	struct term_state term;
	term_raw(&term, STDIN_FILENO);
	int status = umbra_vm_run(vm);
	term_restore(&term);
	umbra_vm_destroy(vm);
	return status;
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? UMBRA_EXIT_ERROR : 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("umbra %s\n", VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 2, argv + 2);
	/* QEMU style: umbra -kernel F ... */
	if (argv[1][0] == '-')
		return cmd_run(argc - 1, argv + 1);
	return fail("unknown command '%s'", argv[1]);
}
