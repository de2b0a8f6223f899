/*
 * umbra/vm.h - the embedding API: build a virt machine from a config and
 * run it.
 *
 * Contract: umbra_vm_create() validates the whole config and loads every
 * image before it returns; on failure it returns NULL and err says what is
 * wrong and where (file names, sizes).  umbra_vm_run() runs the guest on
 * the calling thread until it powers off, reports a result, or the user
 * quits, and returns the process exit status umbra promises: 0 when the
 * guest powers off or passes, the guest's failure code when it reports one,
 * UMBRA_EXIT_ERROR when umbra itself cannot go on.  Several VMs may exist in
 * one process; each is only touched by the thread that runs it.
 */
#ifndef UMBRA_VM_H
#define UMBRA_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UMBRA_MAX_DRIVES 5 /* + rng, console, balloon: the 8 virtio-mmio slots */
#define UMBRA_MAX_CPUS 8
#define UMBRA_EXIT_ERROR 125
#define UMBRA_JIT_HOT 16     /* default: a block's run that gives it native code */
#define UMBRA_JIT_HOT_MAX 65535

struct umbra_drive {
	const char *path;
	bool readonly;
};

struct umbra_config {
	const char *kernel;   /* required */
	const char *initrd;   /* optional */
	const char *append;   /* kernel command line, optional */
	const char *firmware; /* NULL or "builtin": built-in SBI; "none": bare M-mode; else a file */
	uint64_t mem_bytes;
	unsigned cpus;
	struct umbra_drive drives[UMBRA_MAX_DRIVES];
	unsigned ndrives;
	bool deterministic;   /* time advances with retired instructions */
	bool interpreter;     /* run the reference interpreter only (no decoded blocks) */
	bool no_jit;          /* decoded blocks run threaded, without native code */
	unsigned jit_hot;     /* a block gets native code on its jit_hot-th run; 0: UMBRA_JIT_HOT */
	bool balloon_app;     /* balloon targets go to the balloon application, not virtio-balloon */
	const char *swap_dir; /* where the (unlinked) swap file lives; NULL: $TMPDIR or /tmp */
	const char *name;     /* the VM's name in umbra's messages; NULL: none (umbra run) */
	const char *master_key; /* cloaking master key file; NULL: $UMBRA_MASTER_KEY or
				 * ~/.config/umbra/master.key, created (mode 0600) if absent */
	int console_in;       /* fd for guest console input, -1 for none */
	int console_out;      /* fd for guest console output */
	const char *gdb;      /* GDB remote endpoint: "tcp::PORT", "tcp:127.0.0.1:PORT" (loopback
			       * only; PORT 0 picks one) or "unix:PATH"; the guest starts halted
			       * until the debugger continues it.  NULL: no debugger */
};

struct umbra_vm;

struct umbra_vm *umbra_vm_create(const struct umbra_config *cfg, char *err, size_t errlen);
int umbra_vm_run(struct umbra_vm *vm);
void umbra_vm_destroy(struct umbra_vm *vm);

/* Instructions retired by all harts so far (VM thread only). */
uint64_t umbra_vm_instret(const struct umbra_vm *vm);

/*
 * From any thread: a snapshot of the VM's figures, published by the VM's
 * thread at least every UMBRA_PUBLISH_MS while it runs (and when it stops).
 */
#define UMBRA_PUBLISH_MS 20
struct umbra_vm_stats {
	uint64_t size_bytes;           /* guest RAM */
	uint64_t allocated_bytes;      /* backed by host frames now */
	uint64_t active_bytes;         /* working-set sampling estimate (0 until measured) */
	uint64_t balloon_target_bytes; /* what the balloon should hold */
	uint64_t balloon_bytes;        /* what it holds */
	uint64_t guest_free_bytes, guest_available_bytes; /* from the balloon's statistics */
	uint64_t stats_time_ms;        /* when the guest last reported them (0: never) */
	uint64_t stats_age_ms;         /* how long ago (UINT64_MAX: never) */
	uint64_t instret;
	uint64_t swapped_bytes, swap_ins, swap_outs;
	uint64_t protection_violations, integrity_faults;
	bool running, paused;
	int exit_status;               /* valid once !running */
};
void umbra_vm_get_stats(struct umbra_vm *vm, struct umbra_vm_stats *out);
/* From any thread: requests, carried out by the VM's thread within UMBRA_PUBLISH_MS. */
void umbra_vm_set_balloon_target(struct umbra_vm *vm, uint64_t bytes);
void umbra_vm_pause(struct umbra_vm *vm, bool paused);
/* Hard cap on host frames (0: none); above it the VM's pages go to its swap file. */
void umbra_vm_set_frame_limit(struct umbra_vm *vm, uint64_t bytes);
void umbra_vm_request_stop(struct umbra_vm *vm, int exit_status);

#endif
