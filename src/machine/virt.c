/*
 * virt.c - the virt board: builds a machine from a umbra_config, boots it
 * with the chosen firmware and runs it.
 *
 * Guest RAM layout for a Linux boot:
 *
 *   0x80000000  RAM base (with real M-mode firmware: the firmware)
 *   0x80200000  kernel Image (text_offset of Debian's Image)
 *       ...     free
 *   top - 1 MiB - initrd size   initrd (page aligned)
 *   top - 1 MiB                 device tree
 *
 * One host thread runs all harts of the VM in turn, SLICE instructions at a
 * time, so the devices and the harts never run concurrently.
 */
#include "umbra/vm.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <stdio.h>
#include <stdlib.h>
#include <openssl/rand.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cpu/hart.h"
#include "dev/bus.h"
#include "dev/clint.h"
#include "dev/plic.h"
#include "dev/syscon.h"
#include "dev/ttyout.h"
#include "dev/uart.h"
#include "dev/virtio_balloon.h"
#include "dev/virtio_blk.h"
#include "dev/virtio_console.h"
#include "dev/virtio_rng.h"
#include "debug/gdbstub.h"
#include "firmware/hypercall.h"
#include "firmware/sbi.h"
#include "machine/fdt.h"
#include "machine/loader.h"
#include "mem/protect.h"
#include "mem/wss.h"
#include "umbra/hypercall.h"

#define SLICE 20000                 /* instructions per hart turn */
#define DET_INSNS_PER_TICK 10       /* --deterministic: 100 M instructions per second */
#define FDT_MAX (64 * 1024)
#define FDT_RESERVE (1u << 20)      /* the device tree sits in the top MiB of RAM */
#define LINUX_BASE (VIRT_RAM_BASE + 0x200000)
#define INPUT_POLL_NS 1000000       /* check the console for input every ms */
#define ESCAPE_CHAR 0x01            /* Ctrl-A */

/* fw_dynamic_info for OpenSBI's fw_dynamic, in the boot ROM (version 2). */
#define FW_DYNAMIC_MAGIC 0x4942534fu

enum fw_kind { FW_BUILTIN, FW_NONE, FW_FILE };

struct umbra_vm {
	struct umbra_config cfg;
	enum fw_kind fw;
	struct pmap mem;
	struct bus bus;
	struct clint clint;
	struct plic *plic;
	struct uart *uart;
	struct syscon *syscon;
	struct virtio_blk *blk[UMBRA_MAX_DRIVES];
	struct virtio_rng *rng;
	struct virtio_console *vcon;
	struct virtio_balloon *balloon;
	struct sbi sbi;
	struct protect prot;
	struct cloak cloak;
	struct hypercalls hc;
	uint8_t master_key[PAGECRYPT_KEY_BYTES];
	bool have_master_key;
	char state_dir[512];
	struct ttyout sbi_out;
	unsigned nharts;
	struct hart *harts[UMBRA_MAX_CPUS];
	uint8_t rom[0x1000];

	uint64_t start_ns;        /* host clock at boot */
	uint64_t det_skip;        /* --deterministic: ticks skipped while idle */
	uint64_t retired;
	uint64_t last_poll_ns;

	/* Console input not yet taken by the guest, and the Ctrl-A state. */
	uint8_t inbuf[256];
	size_t in_head, in_len;
	bool escape;
	bool input_eof;

	bool done;
	int exit_status;

	/* Shared with other threads (host, API): under `lock`. */
	pthread_mutex_t lock;
	int wake_fd;              /* eventfd: a request is waiting */
	struct umbra_vm_stats pub;
	bool req_target, req_pause_set, req_pause, req_stop;
	uint64_t req_target_bytes;
	bool req_limit;
	uint64_t req_limit_bytes, frame_limit_bytes;
	int req_stop_status;
	bool paused;
	uint64_t balloon_target_bytes;
	uint64_t last_publish_ns;
	uint64_t last_stats_request_ns;
	struct wss wss;

	struct gdbstub *gdb;      /* --gdb: the debugger's stub, or NULL */
};

static uint64_t host_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t vm_now(void *opaque)
{
	struct umbra_vm *vm = opaque;
	if (vm->cfg.deterministic)
		return vm->retired / DET_INSNS_PER_TICK + vm->det_skip;
	return (host_ns() - vm->start_ns) / (1000000000u / VIRT_TIMEBASE_HZ);
}

static void vm_finish(struct umbra_vm *vm, int status)
{
	if (!vm->done) {
		vm->done = true;
		vm->exit_status = status;
	}
	for (unsigned i = 0; i < vm->nharts; i++)
		vm->harts[i]->stop = true;
}

/* Nanoseconds since boot, for the balloon's statistics time stamps. */
static uint64_t boot_ns(void *opaque)
{
	struct umbra_vm *vm = opaque;
	return host_ns() - vm->start_ns;
}

/* --- interrupt wiring ---------------------------------------------------- */

static void timer_irq(void *opaque, unsigned hart, bool level)
{
	struct umbra_vm *vm = opaque;
	hart_set_irq(vm->harts[hart], vm->fw == FW_BUILTIN ? MIP_STIP : MIP_MTIP, level);
}

static void soft_irq(void *opaque, unsigned hart, bool level)
{
	struct umbra_vm *vm = opaque;
	hart_set_irq(vm->harts[hart], MIP_MSIP, level);
}

static void plic_out(void *opaque, unsigned hart, unsigned prv, bool level)
{
	struct umbra_vm *vm = opaque;
	if (hart < vm->nharts)
		hart_set_irq(vm->harts[hart], prv == PRV_M ? MIP_MEIP : MIP_SEIP, level);
}

static struct irq_line plic_line(struct umbra_vm *vm, unsigned irq)
{
	return (struct irq_line){.set = plic_set_irq, .opaque = vm->plic, .irq = irq};
}

static void syscon_event(void *opaque, enum syscon_event ev, unsigned code)
{
	struct umbra_vm *vm = opaque;
	if (ev == SYSCON_REBOOT)
		log_info("guest asked for a reboot; umbra stops instead (as QEMU's -no-reboot)");
	vm_finish(vm, ev == SYSCON_FAIL ? (int)(code ? code : 1) : 0);
}

/* --- built-in firmware hooks --------------------------------------------- */

static void sbi_set_timer(void *opaque, unsigned hart, uint64_t when)
{
	struct umbra_vm *vm = opaque;
	clint_set_timecmp(&vm->clint, hart, when);
}

static void sbi_console_write(void *opaque, const uint8_t *buf, size_t n)
{
	struct umbra_vm *vm = opaque;
	ttyout_write(&vm->sbi_out, buf, n);
}

static int sbi_console_read(void *opaque)
{
	struct umbra_vm *vm = opaque;
	if (!vm->in_len)
		return -1;
	int c = vm->inbuf[vm->in_head];
	vm->in_head = (vm->in_head + 1) % sizeof(vm->inbuf);
	vm->in_len--;
	return c;
}

static void sbi_reset(void *opaque, enum sbi_reset type, uint32_t reason)
{
	struct umbra_vm *vm = opaque;
	if (type != SBI_RESET_SHUTDOWN)
		log_info("guest asked for a reboot; umbra stops instead (as QEMU's -no-reboot)");
	vm_finish(vm, reason ? 1 : 0);
}

static int vm_hypercall(void *opaque, struct hart *h)
{
	struct umbra_vm *vm = opaque;
	return hypercall_dispatch(&vm->hc, h);
}

static int vm_prot_check(void *opaque, struct hart *h, gva_t va, gpa_t pa, unsigned acc,
			 unsigned priv, unsigned *perm)
{
	struct umbra_vm *vm = opaque;
	return hypercall_prot_check(&vm->hc, h, va, pa, acc, priv, perm);
}

static void vm_prot_changed(void *opaque, gpa_t page)
{
	struct umbra_vm *vm = opaque;
	hypercall_page_changed(&vm->hc, page);
}

static bool vm_dma_allowed(void *opaque, gpa_t pa, uint64_t len, bool write)
{
	struct umbra_vm *vm = opaque;
	/* Devices see cloaked pages only sealed; then the device rights apply. */
	return hypercall_dma_prepare(&vm->hc, pa, len) &&
	       protect_dma_allowed(&vm->prot, pa, len, write);
}

static void vm_cloak_trap(void *opaque, struct hart *h, bool irq, uint64_t code, uint64_t *tval)
{
	struct umbra_vm *vm = opaque;
	hypercall_cloak_trap(&vm->hc, h, irq, code, tval);
}

static void vm_pt_read(void *opaque, gpa_t pa)
{
	struct umbra_vm *vm = opaque;
	hypercall_pt_read(&vm->hc, pa);
}

/*
 * Where cloaked files' versions are kept: $UMBRA_STATE_DIR, else
 * $XDG_STATE_HOME/umbra/files, else ~/.local/state/umbra/files (mode 0700).
 */
static const char *make_state_dir(struct umbra_vm *vm)
{
	const char *env = getenv("UMBRA_STATE_DIR"), *xdg = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	if (env)
		snprintf(vm->state_dir, sizeof(vm->state_dir), "%s", env);
	else if (xdg)
		snprintf(vm->state_dir, sizeof(vm->state_dir), "%s/umbra/files", xdg);
	else if (home)
		snprintf(vm->state_dir, sizeof(vm->state_dir), "%s/.local/state/umbra/files", home);
	else
		return NULL;
	/* mkdir -p, each level 0700 */
	for (char *p = vm->state_dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		mkdir(vm->state_dir, 0700);
		*p = '/';
	}
	if (mkdir(vm->state_dir, 0700) != 0 && errno != EEXIST) {
		log_warn("%s: %s; cloaked files are unavailable", vm->state_dir, strerror(errno));
		return NULL;
	}
	return vm->state_dir;
}

/*
 * The cloaking master key: read from the file, or made from the host's
 * CSPRNG and stored (mode 0600) when the file does not exist yet.
 */
static void load_master_key(struct umbra_vm *vm)
{
	char path[512];
	const char *p = vm->cfg.master_key ? vm->cfg.master_key : getenv("UMBRA_MASTER_KEY");
	if (!p) {
		const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
		if (!xdg && !home)
			return;
		snprintf(path, sizeof(path), "%s%s/umbra", xdg ? xdg : home, xdg ? "" : "/.config");
		mkdir(xdg ? xdg : path, 0700);
		if (!xdg) {
			char cfg[512];
			snprintf(cfg, sizeof(cfg), "%s/.config", home);
			mkdir(cfg, 0700);
		}
		mkdir(path, 0700);
		strncat(path, "/master.key", sizeof(path) - strlen(path) - 1);
		p = path;
	}
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		vm->have_master_key = read(fd, vm->master_key, sizeof(vm->master_key)) ==
				      (ssize_t)sizeof(vm->master_key);
		close(fd);
		if (!vm->have_master_key)
			log_warn("%s: not a %zu-byte key; derived cloaking keys are unavailable", p,
				 sizeof(vm->master_key));
		return;
	}
	if (RAND_bytes(vm->master_key, sizeof(vm->master_key)) != 1)
		return;
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, vm->master_key, sizeof(vm->master_key)) != (ssize_t)sizeof(vm->master_key)) {
		log_warn("%s: cannot store the cloaking master key (%s); derived keys are unavailable",
			 p, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	vm->have_master_key = true;
}

static void vm_halt(void *opaque)
{
	struct umbra_vm *vm = opaque;
	log_err("a protection violation whose action is 'halt' stops the VM");
	vm_finish(vm, UMBRA_EXIT_HALTED);
}

static bool fw_ecall(void *opaque, struct hart *h)
{
	struct umbra_vm *vm = opaque;
	return sbi_ecall(&vm->sbi, h);
}

static void fw_m_trap(void *opaque, struct hart *h, uint64_t cause, uint64_t tval)
{
	struct umbra_vm *vm = opaque;
	log_err("hart %u: trap to M-mode (mcause 0x%llx, mtval 0x%llx, pc 0x%llx), which the "
		"built-in firmware does not handle; the guest kernel did not delegate it",
		h->hartid, (unsigned long long)cause, (unsigned long long)tval,
		(unsigned long long)h->pc);
	h->state = HART_STOPPED;
	vm_finish(vm, UMBRA_EXIT_ERROR);
}

/* --- the boot ROM (QEMU's MROM: holds fw_dynamic_info) -------------------- */

static uint64_t rom_read(void *opaque, uint64_t off, unsigned size)
{
	struct umbra_vm *vm = opaque;
	return ld_le(vm->rom + off, size);
}

static void rom_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
	(void)opaque, (void)off, (void)val, (void)size;
}

static const struct mmio_ops rom_ops = {.read = rom_read, .write = rom_write};

/* --- building ------------------------------------------------------------ */

static int make_devices(struct umbra_vm *vm, char *err, size_t errlen)
{
	const struct umbra_config *c = &vm->cfg;
	struct clint_ops cops = {.now = vm_now, .soft_irq = soft_irq, .timer_irq = timer_irq};
	if (clint_init(&vm->clint, &vm->bus, VIRT_CLINT_BASE, vm->nharts, &cops, vm))
		goto bus_full;
	vm->plic = plic_new(&vm->bus, VIRT_PLIC_BASE, vm->nharts, plic_out, vm, err, errlen);
	if (!vm->plic)
		return -1;
	vm->uart = uart_new(&vm->bus, VIRT_UART_BASE, plic_line(vm, VIRT_UART_IRQ), c->console_out,
			    err, errlen);
	if (!vm->uart)
		return -1;
	vm->syscon = syscon_new(&vm->bus, VIRT_TEST_BASE, syscon_event, vm, err, errlen);
	if (!vm->syscon)
		return -1;
	struct mmio_region rom = {.base = VIRT_MROM_BASE, .size = sizeof(vm->rom), .min_size = 1,
				  .max_size = 8, .ops = &rom_ops, .opaque = vm, .name = "rom"};
	if (bus_map(&vm->bus, &rom))
		goto bus_full;
	unsigned slot = 0;
	for (unsigned i = 0; i < c->ndrives; i++, slot++) {
		vm->blk[i] = virtio_blk_new(&vm->bus, &vm->mem, VIRT_VIRTIO_BASE + slot * VIRT_VIRTIO_STRIDE,
					    plic_line(vm, VIRT_VIRTIO_IRQ + slot), c->drives[i].path,
					    c->drives[i].readonly, err, errlen);
		if (!vm->blk[i])
			return -1;
	}
	vm->rng = virtio_rng_new(&vm->bus, &vm->mem, VIRT_VIRTIO_BASE + slot * VIRT_VIRTIO_STRIDE,
				 plic_line(vm, VIRT_VIRTIO_IRQ + slot), err, errlen);
	if (!vm->rng)
		return -1;
	if (c->deterministic)
		virtio_rng_seed(vm->rng, 0x756d627261);
	slot++;
	vm->vcon = virtio_console_new(&vm->bus, &vm->mem, VIRT_VIRTIO_BASE + slot * VIRT_VIRTIO_STRIDE,
				      plic_line(vm, VIRT_VIRTIO_IRQ + slot), c->console_out, err,
				      errlen);
	if (!vm->vcon)
		return -1;
	slot++;
	vm->balloon = virtio_balloon_new(&vm->bus, &vm->mem, VIRT_VIRTIO_BASE + slot * VIRT_VIRTIO_STRIDE,
					 plic_line(vm, VIRT_VIRTIO_IRQ + slot), err, errlen);
	if (!vm->balloon)
		return -1;
	virtio_balloon_set_clock(vm->balloon, boot_ns, vm);
	return 0;
bus_full:
	snprintf(err, errlen, "internal: device map conflict");
	return -1;
}

/* A page lost its frame or entered the working-set sample: drop its translations. */
static void drop_page(void *opaque, gpa_t page)
{
	struct umbra_vm *vm = opaque;
	uintptr_t host = (uintptr_t)vm->mem.host + (page - vm->mem.ram_base);
	for (unsigned i = 0; i < vm->nharts; i++)
		hart_tlb_drop(vm->harts[i], host);
}

static void drop_range(void *opaque, gpa_t start, uint64_t len)
{
	struct umbra_vm *vm = opaque;
	uintptr_t lo = (uintptr_t)vm->mem.host + (start - vm->mem.ram_base);
	for (unsigned i = 0; i < vm->nharts; i++)
		hart_tlb_drop_range(vm->harts[i], lo, lo + len);
}

/* A page became code: no TLB may keep write access to it. */
static void code_marked(void *opaque, gpa_t page)
{
	struct umbra_vm *vm = opaque;
	uintptr_t host = (uintptr_t)vm->mem.host + (page - vm->mem.ram_base);
	for (unsigned i = 0; i < vm->nharts; i++)
		hart_tlb_protect(vm->harts[i], host);
}

/* Something writes a code page: drop all decoded code of the VM. */
static void code_written(void *opaque, gpa_t page)
{
	struct umbra_vm *vm = opaque;
	(void)page;
	for (unsigned i = 0; i < vm->nharts; i++)
		hart_code_flush(vm->harts[i]);
	pmap_clear_code(&vm->mem);
}

static int make_harts(struct umbra_vm *vm)
{
	struct hart_env env = {.mem = &vm->mem, .bus = &vm->bus, .opaque = vm, .mtime = vm_now,
			       .ecall = fw_ecall, .m_trap = fw_m_trap, .hypercall = vm_hypercall,
			       .prot_check = vm_prot_check, .cloak_trap = vm_cloak_trap,
			       .pt_read = vm_pt_read};
	if (protect_init(&vm->prot, &vm->mem, UMBRA_MAX_PROTECTED_PAGES) ||
	    cloak_init(&vm->cloak, &vm->mem, UMBRA_MAX_PROTECTED_PAGES))
		return -ENOMEM;
	vm->prot.changed = vm_prot_changed;
	vm->prot.halt = vm_halt;
	vm->prot.opaque = vm;
	vm->cloak.changed = vm_prot_changed;
	vm->cloak.opaque = vm;
	load_master_key(vm);
	vm->mem.dma_allowed = vm_dma_allowed;
	vm->mem.dma_opaque = vm;
	vm->hc = (struct hypercalls){.prot = &vm->prot, .cloak = &vm->cloak, .harts = vm->harts,
				     .nharts = vm->nharts, .halt = vm_halt, .opaque = vm,
				     .master_key = vm->have_master_key ? vm->master_key : NULL,
				     .state_dir = make_state_dir(vm),
				     .bapp = calloc(vm->mem.ram_size >> PAGE_SHIFT, 1)};
	if (!vm->hc.bapp || RAND_bytes((uint8_t *)&vm->hc.bapp_token, sizeof(vm->hc.bapp_token)) != 1)
		return -ENOMEM;
	for (unsigned i = 0; i < vm->nharts; i++) {
		if (!(vm->harts[i] = hart_alloc()))
			return -ENOMEM;
		hart_init(vm->harts[i], i, &env);
		unsigned hot = vm->cfg.no_jit ? 0 : vm->cfg.jit_hot ? vm->cfg.jit_hot : UMBRA_JIT_HOT;
		if (!vm->cfg.interpreter && hart_enable_blocks(vm->harts[i], hot))
			return -ENOMEM;
	}
	vm->mem.invalidate = drop_page;
	vm->mem.invalidate_range = drop_range;
	vm->mem.invalidate_opaque = vm;
	vm->mem.code_marked = code_marked;
	vm->mem.code_written = code_written;
	vm->mem.code_opaque = vm;
	vm->sbi = (struct sbi){.harts = vm->harts, .nharts = vm->nharts, .opaque = vm,
			       .ops = {.set_timer = sbi_set_timer, .console_write = sbi_console_write,
				       .console_read = sbi_console_read, .reset = sbi_reset}};
	ttyout_init(&vm->sbi_out, vm->cfg.console_out);
	return 0;
}

static void fill_rom(struct umbra_vm *vm, gpa_t next_addr)
{
	/* struct fw_dynamic_info { magic, version, next_addr, next_mode, options, boot_hart } */
	uint64_t info[6] = {FW_DYNAMIC_MAGIC, 2, next_addr, 1 /* S-mode */, 0, 0};
	memcpy(vm->rom, info, sizeof(info));
}

/* Loads kernel, initrd and firmware, writes the device tree, sets up the harts. */
static int boot(struct umbra_vm *vm, char *err, size_t errlen)
{
	const struct umbra_config *c = &vm->cfg;
	gpa_t top = vm->mem.ram_base + vm->mem.ram_size;
	gpa_t dtb = top - FDT_RESERVE;
	struct loaded_image kernel = {0}, fw = {0};
	struct board_desc d = {.nharts = vm->nharts, .ram_base = vm->mem.ram_base,
			       .ram_size = vm->mem.ram_size, .bootargs = c->append,
			       .nvirtio = c->ndrives + 3};

	if (vm->mem.ram_size < 2 * FDT_RESERVE) {
		snprintf(err, errlen, "--mem: %llu bytes is too small (at least 2 MiB)",
			 (unsigned long long)vm->mem.ram_size);
		return -1;
	}
	if (vm->fw == FW_FILE &&
	    load_image(&vm->mem, c->firmware, 0, true, vm->mem.ram_base, &fw, err, errlen))
		return -1;
	if (load_image(&vm->mem, c->kernel, vm->fw == FW_FILE ? LINUX_BASE : 0, vm->fw == FW_NONE,
		       vm->mem.ram_base, &kernel, err, errlen))
		return -1;
	if (vm->fw == FW_FILE && kernel.start < fw.end) {
		snprintf(err, errlen, "%s: kernel at 0x%llx overlaps the firmware %s (ends 0x%llx)",
			 c->kernel, (unsigned long long)kernel.start, c->firmware,
			 (unsigned long long)fw.end);
		return -1;
	}
	if (kernel.end > dtb) {
		snprintf(err, errlen, "%s: kernel ends at 0x%llx, past the device tree at 0x%llx (try a larger --mem)",
			 c->kernel, (unsigned long long)kernel.end, (unsigned long long)dtb);
		return -1;
	}
	if (c->initrd) {
		uint64_t size;
		if (file_size(c->initrd, &size, err, errlen))
			return -1;
		gpa_t at = (dtb - size) & PAGE_MASK;
		if (size > dtb - kernel.end || at < kernel.end) {
			snprintf(err, errlen, "%s: initrd of %llu bytes does not fit between the kernel and the top of RAM (try a larger --mem)",
				 c->initrd, (unsigned long long)size);
			return -1;
		}
		if (load_raw(&vm->mem, c->initrd, at, &size, err, errlen))
			return -1;
		d.initrd_start = at;
		d.initrd_end = at + size;
	}
	/* --deterministic: a fixed seed, so that runs are reproducible. */
	if (c->deterministic ||
	    getrandom(d.rng_seed, sizeof(d.rng_seed), 0) != sizeof(d.rng_seed))
		memset(d.rng_seed, 0x5a, sizeof(d.rng_seed));
	uint8_t *blob = calloc(1, FDT_MAX);
	int n = blob ? fdt_build(&d, blob, FDT_MAX) : -1;
	if (n < 0 || pmap_dma_write(&vm->mem, dtb, blob, (size_t)n)) {
		free(blob);
		snprintf(err, errlen, "internal: cannot build the device tree");
		return -1;
	}
	free(blob);

	if (vm->fw == FW_BUILTIN) {
		sbi_setup_hart(vm->harts[0], kernel.entry, dtb);
		return 0;
	}
	gpa_t entry = vm->fw == FW_FILE ? fw.entry : kernel.entry;
	fill_rom(vm, kernel.entry);
	for (unsigned i = 0; i < vm->nharts; i++) {
		struct hart *h = vm->harts[i];
		hart_reset(h, entry);
		h->x[10] = i;
		h->x[11] = dtb;
		h->x[12] = VIRT_MROM_BASE;
		h->state = HART_STARTED;
	}
	return 0;
}

/* --- the debugger (--gdb) ------------------------------------------------ */

static void gdb_kill(void *opaque, int status)
{
	vm_finish(opaque, status);
}

static int open_gdb(struct umbra_vm *vm, char *err, size_t errlen)
{
	struct gdbstub_ops ops = {.opaque = vm, .kill = gdb_kill};
	vm->gdb = gdbstub_open(vm->cfg.gdb, vm->harts, vm->nharts, &ops, err, errlen);
	return vm->gdb ? 0 : -1;
}

/* The debugger holds the VM: no hart runs. */
static bool gdb_holds(const struct umbra_vm *vm)
{
	return vm->gdb && gdbstub_holds(vm->gdb);
}

struct umbra_vm *umbra_vm_create(const struct umbra_config *cfg, char *err, size_t errlen)
{
	if (!cfg->kernel) {
		snprintf(err, errlen, "no kernel given (--kernel FILE)");
		return NULL;
	}
	if (cfg->cpus < 1 || cfg->cpus > UMBRA_MAX_CPUS) {
		snprintf(err, errlen, "--cpus: %u is out of range (1-%d)", cfg->cpus, UMBRA_MAX_CPUS);
		return NULL;
	}
	if (cfg->ndrives > UMBRA_MAX_DRIVES) {
		snprintf(err, errlen, "too many drives (at most %d)", UMBRA_MAX_DRIVES);
		return NULL;
	}
	struct umbra_vm *vm = calloc(1, sizeof(*vm));
	if (!vm) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	vm->cfg = *cfg;
	vm->nharts = cfg->cpus;
	pthread_mutex_init(&vm->lock, NULL);
	vm->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	vm->fw = !cfg->firmware || !strcmp(cfg->firmware, "builtin") ? FW_BUILTIN
		 : !strcmp(cfg->firmware, "none") ? FW_NONE : FW_FILE;
	int rc = pmap_init(&vm->mem, VIRT_RAM_BASE, cfg->mem_bytes);
	if (rc) {
		snprintf(err, errlen, "cannot reserve %llu bytes of guest RAM: %s",
			 (unsigned long long)cfg->mem_bytes, strerror(-rc));
		free(vm);
		return NULL;
	}
	vm->start_ns = host_ns();
	wss_init(&vm->wss, cfg->deterministic ? 0x756d627261 : vm->start_ns ^ (uintptr_t)vm);
	if (make_harts(vm) || make_devices(vm, err, errlen) || boot(vm, err, errlen) ||
	    (cfg->gdb && open_gdb(vm, err, errlen))) {
		if (!err[0])
			snprintf(err, errlen, "out of memory");
		umbra_vm_destroy(vm);
		return NULL;
	}
	return vm;
}

void umbra_vm_destroy(struct umbra_vm *vm)
{
	if (!vm)
		return;
	for (unsigned i = 0; i < UMBRA_MAX_DRIVES; i++)
		if (vm->blk[i])
			virtio_blk_free(vm->blk[i]);
	if (vm->rng)
		virtio_rng_free(vm->rng);
	if (vm->vcon)
		virtio_console_free(vm->vcon);
	if (vm->balloon)
		virtio_balloon_free(vm->balloon);
	if (vm->uart)
		uart_free(vm->uart);
	if (vm->syscon)
		syscon_free(vm->syscon);
	if (vm->plic)
		plic_free(vm->plic);
	for (unsigned i = 0; i < vm->nharts; i++) {
		if (vm->harts[i])
			hart_destroy(vm->harts[i]);
		free(vm->harts[i]);
	}
	gdbstub_close(vm->gdb);
	free(vm->hc.bapp);
	protect_destroy(&vm->prot);
	cloak_destroy(&vm->cloak);
	if (vm->wake_fd >= 0)
		close(vm->wake_fd);
	pthread_mutex_destroy(&vm->lock);
	memset(vm->master_key, 0, sizeof(vm->master_key));
	pmap_destroy(&vm->mem);
	free(vm);
}

uint64_t umbra_vm_instret(const struct umbra_vm *vm)
{
	return vm->retired;
}

/* --- running ------------------------------------------------------------- */

/* Hands buffered console input to the UART. */
static void feed_input(struct umbra_vm *vm)
{
	while (vm->in_len) {
		size_t chunk = vm->in_len;
		if (vm->in_head + chunk > sizeof(vm->inbuf))
			chunk = sizeof(vm->inbuf) - vm->in_head;
		size_t took = uart_receive(vm->uart, vm->inbuf + vm->in_head, chunk);
		if (!took)
			return;
		vm->in_head = (vm->in_head + took) % sizeof(vm->inbuf);
		vm->in_len -= took;
	}
}

/* Ctrl-A x quits, Ctrl-A Ctrl-A sends one Ctrl-A (QEMU's convention). */
static void take_input(struct umbra_vm *vm, const uint8_t *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t ch = buf[i];
		if (vm->escape) {
			vm->escape = false;
			if (ch == 'x') {
				log_info("quit at the user's request (Ctrl-A x)");
				vm_finish(vm, 0);
				return;
			}
			if (ch != ESCAPE_CHAR)
				continue;
		} else if (ch == ESCAPE_CHAR) {
			vm->escape = true;
			continue;
		}
		if (vm->in_len < sizeof(vm->inbuf))
			vm->inbuf[(vm->in_head + vm->in_len++) % sizeof(vm->inbuf)] = ch;
	}
}

static void service(struct umbra_vm *vm);

/* Waits up to timeout_ns for console input (0: just look); reads what came. */
static void poll_input(struct umbra_vm *vm, int64_t timeout_ns)
{
	feed_input(vm);
	int fd = vm->cfg.console_in;
	bool can_read = fd >= 0 && !vm->input_eof && vm->in_len < sizeof(vm->inbuf) / 2;
	int gdb_fd = vm->gdb ? gdbstub_fd(vm->gdb) : -1;
	struct pollfd p[3] = {{.fd = can_read ? fd : -1, .events = POLLIN},
			      {.fd = vm->wake_fd, .events = POLLIN},
			      {.fd = gdb_fd, .events = POLLIN}};
	struct timespec ts = {.tv_sec = timeout_ns / 1000000000, .tv_nsec = timeout_ns % 1000000000};
	if (timeout_ns <= 0 && !can_read && gdb_fd < 0)
		return;
	if (ppoll(p, 3, timeout_ns < 0 ? NULL : &ts, NULL) <= 0)
		return;
	if (p[1].revents & POLLIN)
		service(vm);
	if (p[2].revents)
		gdbstub_input(vm->gdb); /* Ctrl-C, a new debugger, or one leaving */
	if (!(p[0].revents & (POLLIN | POLLHUP)))
		return;
	uint8_t buf[64];
	ssize_t n = read(fd, buf, sizeof(buf));
	if (n > 0)
		take_input(vm, buf, (size_t)n);
	else if (n == 0 || (errno != EINTR && errno != EAGAIN))
		vm->input_eof = true;
	feed_input(vm);
}

/* Every hart is waiting: sleep (or skip virtual time) until the next deadline. */
static void idle(struct umbra_vm *vm, uint64_t deadline)
{
	/* A debugger may still interrupt the guest. */
	bool no_input = (vm->input_eof || vm->cfg.console_in < 0) && !vm->gdb;
	if (vm->cfg.deterministic) {
		if (deadline != UINT64_MAX) {
			vm->det_skip += deadline - vm_now(vm);
			return;
		}
		poll_input(vm, no_input ? 0 : -1);
		if (no_input) {
			log_err("every hart waits for an interrupt that can never come; stopping");
			vm_finish(vm, UMBRA_EXIT_ERROR);
		}
		return;
	}
	int64_t wait = -1;
	if (deadline != UINT64_MAX) {
		uint64_t now = vm_now(vm);
		wait = deadline > now ? (int64_t)(deadline - now) * (1000000000 / VIRT_TIMEBASE_HZ) : 0;
	}
	if (wait < 0 && no_input) {
		log_err("every hart waits for an interrupt that can never come; stopping");
		vm_finish(vm, UMBRA_EXIT_ERROR);
		return;
	}
	/* An idle VM still publishes its figures, samples and asks for statistics. */
	if (host_ns() - vm->last_publish_ns >= UMBRA_PUBLISH_MS * 1000000ull)
		service(vm);
	if (wait < 0 || wait > (int64_t)UMBRA_PUBLISH_MS * 1000000)
		wait = (int64_t)UMBRA_PUBLISH_MS * 1000000;
	poll_input(vm, wait);
	vm->last_poll_ns = host_ns();
}

/* --- the mailbox: requests from other threads, published figures ---------- */

static void publish(struct umbra_vm *vm)
{
	struct umbra_vm_stats st = {
		.size_bytes = vm->mem.ram_size,
		.allocated_bytes = vm->mem.frames * PAGE_SIZE,
		.active_bytes = wss_active_bytes(&vm->wss),
		.balloon_target_bytes = vm->balloon_target_bytes,
		.instret = vm->retired,
		.protection_violations = vm->prot.violations,
		.swapped_bytes = vm->mem.swapped * PAGE_SIZE,
		.swap_ins = vm->mem.swap_ins,
		.swap_outs = vm->mem.swap_outs,
		.running = !vm->done,
		.paused = vm->paused,
		.exit_status = vm->exit_status,
	};
	for (unsigned d = 1; d <= CLOAK_MAX_DOMAINS; d++) {
		struct cloak_domain *dom = cloak_domain(&vm->cloak, d);
		st.integrity_faults += dom ? dom->integrity_faults : 0;
	}
	struct balloon_stats bs;
	st.balloon_bytes = vm->mem.ballooned * PAGE_SIZE; /* each page once, until it is used again */
	st.stats_age_ms = UINT64_MAX;
	if (virtio_balloon_stats(vm->balloon, &bs) && bs.updated_ns) {
		/* The guest's word, but never more than it has. */
		st.guest_free_bytes = bs.val[BALLOON_S_MEMFREE] < st.size_bytes ? bs.val[BALLOON_S_MEMFREE]
										  : st.size_bytes;
		st.guest_available_bytes = bs.val[BALLOON_S_AVAIL] < st.size_bytes ? bs.val[BALLOON_S_AVAIL]
										    : st.size_bytes;
		st.stats_time_ms = bs.updated_ns / 1000000;
		st.stats_age_ms = (boot_ns(vm) - bs.updated_ns) / 1000000;
	}
	vm->pub = st;
}

#define WSS_SAMPLE_PAGES 100
#define SWAP_SLACK_PAGES 256 /* swap a little below the cap, so as not to swap every ms */

/* "VM 'name': " before a message, or nothing (three %s). */
#define VM_NAME(vm) (vm)->cfg.name ? "VM '" : "", (vm)->cfg.name ? (vm)->cfg.name : "", \
		    (vm)->cfg.name ? "': " : ""

/* Above the frame cap: swap pages out (the last resort; no data is lost). */
static void enforce_frame_limit(struct umbra_vm *vm)
{
	if (vm->mem.swap_failed) {
		log_err("%s%s%sswap file: a page could not be read back; stopping this VM", VM_NAME(vm));
		vm_finish(vm, UMBRA_EXIT_ERROR);
		return;
	}
	uint64_t cap = vm->frame_limit_bytes / PAGE_SIZE;
	if (!cap || vm->mem.frames <= cap || vm->paused)
		return;
	uint64_t want = vm->mem.frames - cap + SWAP_SLACK_PAGES;
	if (vm->mem.swap_fd < 0) {
		const char *dir = vm->cfg.swap_dir ? vm->cfg.swap_dir : getenv("TMPDIR");
		int rc = pmap_swap_open(&vm->mem, dir ? dir : "/tmp");
		if (rc) {
			log_err("%s%s%scannot open a swap file in %s: %s; the VM stays above its cap",
				VM_NAME(vm), dir ? dir : "/tmp", strerror(-rc));
			vm->frame_limit_bytes = 0;
			return;
		}
	}
	vm->mem.swap_errno = 0;
	if (pmap_swap_out(&vm->mem, want) < want && vm->mem.frames > cap) {
		log_err("%s%s%sswap file full or failing (%s); the VM is paused instead of losing its "
			"data: free host memory, then resume it", VM_NAME(vm),
			strerror(vm->mem.swap_errno ? vm->mem.swap_errno : ENOSPC));
		vm->paused = true;
	}
}


/* Takes the other threads' requests and publishes the figures. */
static void service(struct umbra_vm *vm)
{
	uint64_t junk;
	if (vm->wake_fd >= 0 && read(vm->wake_fd, &junk, sizeof(junk)) < 0 && errno != EAGAIN)
		log_warn("wake-up eventfd: %s", strerror(errno));
	pthread_mutex_lock(&vm->lock);
	if (vm->req_target) {
		vm->req_target = false;
		vm->balloon_target_bytes = vm->req_target_bytes;
		uint64_t pages = vm->balloon_target_bytes / PAGE_SIZE;
		virtio_balloon_set_target(vm->balloon, vm->cfg.balloon_app ? 0 : pages);
		vm->hc.bapp_target = vm->cfg.balloon_app ? pages : 0;
	}
	if (vm->req_limit) {
		vm->req_limit = false;
		vm->frame_limit_bytes = vm->req_limit_bytes;
	}
	if (vm->req_pause_set) {
		vm->req_pause_set = false;
		vm->paused = vm->req_pause;
	}
	if (vm->req_stop) {
		vm->req_stop = false;
		vm_finish(vm, vm->req_stop_status);
	}
	pthread_mutex_unlock(&vm->lock);
	enforce_frame_limit(vm);
	pthread_mutex_lock(&vm->lock);
	publish(vm);
	pthread_mutex_unlock(&vm->lock);
	vm->last_publish_ns = host_ns();
}

/*
 * Once a second: fresh guest statistics, and a working-set sample.  The
 * guest sees the former, so this runs at a point of the run loop that
 * depends only on the guest (between rounds of the harts), and under
 * --deterministic its second is the guest's (mtime), not the host's.
 */
static void periodic(struct umbra_vm *vm)
{
	uint64_t now = vm->cfg.deterministic ? vm_now(vm) * (1000000000 / VIRT_TIMEBASE_HZ)
					     : host_ns();
	if (now - vm->last_stats_request_ns < 1000000000ull)
		return;
	vm->last_stats_request_ns = now;
	virtio_balloon_request_stats(vm->balloon);
	wss_period(&vm->wss, &vm->mem, WSS_SAMPLE_PAGES, drop_page, vm);
}

static void wake(struct umbra_vm *vm)
{
	uint64_t one = 1;
	if (vm->wake_fd >= 0 && write(vm->wake_fd, &one, sizeof(one)) < 0)
		return; /* the counter is saturated: a wake-up is pending anyway */
}

void umbra_vm_get_stats(struct umbra_vm *vm, struct umbra_vm_stats *out)
{
	pthread_mutex_lock(&vm->lock);
	*out = vm->pub;
	pthread_mutex_unlock(&vm->lock);
}

void umbra_vm_set_balloon_target(struct umbra_vm *vm, uint64_t bytes)
{
	pthread_mutex_lock(&vm->lock);
	vm->req_target = true;
	vm->req_target_bytes = bytes;
	pthread_mutex_unlock(&vm->lock);
	wake(vm);
}

void umbra_vm_set_frame_limit(struct umbra_vm *vm, uint64_t bytes)
{
	pthread_mutex_lock(&vm->lock);
	vm->req_limit = true;
	vm->req_limit_bytes = bytes;
	pthread_mutex_unlock(&vm->lock);
	wake(vm);
}

void umbra_vm_pause(struct umbra_vm *vm, bool paused)
{
	pthread_mutex_lock(&vm->lock);
	vm->req_pause_set = true;
	vm->req_pause = paused;
	pthread_mutex_unlock(&vm->lock);
	wake(vm);
}

void umbra_vm_request_stop(struct umbra_vm *vm, int exit_status)
{
	pthread_mutex_lock(&vm->lock);
	vm->req_stop = true;
	vm->req_stop_status = exit_status;
	pthread_mutex_unlock(&vm->lock);
	wake(vm);
}

/* While paused, the VM's thread only waits for requests. */
static void stay_paused(struct umbra_vm *vm)
{
	while (vm->paused && !vm->done) {
		struct pollfd p = {.fd = vm->wake_fd, .events = POLLIN};
		poll(&p, 1, 1000);
		service(vm);
	}
}

int umbra_vm_run(struct umbra_vm *vm)
{
	service(vm);
	while (!vm->done) {
		if (vm->paused)
			stay_paused(vm);
		if (gdb_holds(vm)) {
			vm->retired += gdbstub_serve(vm->gdb, UMBRA_PUBLISH_MS);
			clint_update(&vm->clint);
			if (host_ns() - vm->last_publish_ns >= UMBRA_PUBLISH_MS * 1000000ull)
				service(vm);
			continue;
		}
		bool busy = false;
		for (unsigned i = 0; i < vm->nharts && !vm->done && !gdb_holds(vm); i++) {
			struct hart *h = vm->harts[i];
			vm->retired += vm->gdb ? gdbstub_run_hart(vm->gdb, h, SLICE) : hart_run(h, SLICE);
			if (h->state == HART_STARTED && !h->wfi)
				busy = true;
		}
		uint64_t deadline = clint_update(&vm->clint);
		if (vm->done)
			break;
		periodic(vm);
		if (gdb_holds(vm))
			continue;
		if (!busy) {
			bool pending = false;
			for (unsigned i = 0; i < vm->nharts; i++)
				pending |= vm->harts[i]->state == HART_STARTED &&
					   (vm->harts[i]->mip & vm->harts[i]->mie);
			if (!pending)
				idle(vm, deadline);
			continue;
		}
		uint64_t now = host_ns();
		if (now - vm->last_poll_ns >= INPUT_POLL_NS) {
			vm->last_poll_ns = now;
			poll_input(vm, 0);
			if (now - vm->last_publish_ns >= UMBRA_PUBLISH_MS * 1000000ull)
				service(vm);
		}
	}
	ttyout_flush(&vm->sbi_out);
	if (vm->gdb)
		gdbstub_exited(vm->gdb, vm->exit_status);
	service(vm);
	return vm->exit_status;
}
