/*
 * main.c - the umbra command: parses the command line into a umbra_config
 * (cli.c) and runs the VM.  Everything it knows of the machine comes from
 * include/umbra/vm.h.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "host.h"
#include "host/term.h"
#include "umbra/vm.h"

#define VERSION "0.1"

static const char usage[] =
	"usage: umbra run --kernel FILE [options]\n"
	"       umbra host --config FILE          several VMs on one memory budget (docs/config.md)\n"
	"       umbra ctl [--socket P] COMMAND     talk to a running host (docs/api.md)\n"
	"       umbra top [--socket P]             a live view of a running host\n"
	"       umbra plot TRACE.csv [--out F.svg|F.png]  chart a --trace-mem recording (gnuplot)\n"
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
	"  --no-jit            run decoded blocks without native x86-64 code for them\n"
	"  --jit-hot N         a block gets native code on its Nth run (default 16; 1: at once)\n"
	"  --gdb tcp::PORT|tcp:127.0.0.1:PORT|unix:PATH\n"
	"                      wait for a GDB remote debugger there (loopback only; PORT 0 picks\n"
	"                      one); the guest starts when it continues [-gdb; -s is tcp::1234]\n"
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

static int cmd_run(int argc, char **argv)
{
	struct umbra_config cfg = {.mem_bytes = 256u << 20, .cpus = 1, .console_in = STDIN_FILENO,
				   .console_out = STDOUT_FILENO};
	char err[512] = "";
	if (cli_parse_run(argc, argv, &cfg, err, sizeof(err))) {
		cli_free(&cfg);
		return fail("%s", err);
	}
	struct umbra_vm *vm = umbra_vm_create(&cfg, err, sizeof(err));
	if (!vm) {
		cli_free(&cfg);
		fprintf(stderr, "umbra: %s\n", err);
		return UMBRA_EXIT_ERROR;
	}
	struct term_state term;
	term_raw(&term, STDIN_FILENO);
	int status = umbra_vm_run(vm);
	term_restore(&term);
	umbra_vm_destroy(vm);
	cli_free(&cfg);
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
	if (!strcmp(argv[1], "host"))
		return cmd_host(argc - 2, argv + 2);
	if (!strcmp(argv[1], "ctl"))
		return cmd_ctl(argc - 2, argv + 2);
	if (!strcmp(argv[1], "top"))
		return cmd_top(argc - 2, argv + 2);
	if (!strcmp(argv[1], "plot"))
		return cmd_plot(argc - 2, argv + 2);
	/* QEMU style: umbra -kernel F ... */
	if (argv[1][0] == '-')
		return cmd_run(argc - 1, argv + 1);
	return fail("unknown command '%s'", argv[1]);
}
