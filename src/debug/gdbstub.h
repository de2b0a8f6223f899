/*
 * gdbstub.h - a GDB remote serial protocol server for one VM (`--gdb`).
 *
 * Contract: the stub belongs to one VM and is only touched by the VM's
 * thread, between hart slices, so it always sees consistent hart state.
 * It listens on a loopback TCP port or a Unix socket and serves one
 * debugger at a time (all-stop mode, one thread per hart, ids 1..N).
 *
 * The run loop cooperates as follows:
 *  - while gdbstub_holds() it runs no hart and calls gdbstub_serve(), which
 *    performs a pending single step or waits for the debugger's packets;
 *  - otherwise it runs each hart with gdbstub_run_hart() (hart_run() when
 *    no breakpoint is set; the reference interpreter, one instruction at a
 *    time, stopping before a breakpoint address, when some are set) and
 *    polls gdbstub_fd(), calling gdbstub_input() when it is readable, so
 *    that Ctrl-C from the debugger (or a new debugger) halts the guest;
 *  - when the guest is gone it calls gdbstub_exited() (the 'W' reply).
 *
 * The VM starts halted until a debugger resumes it.  A debugger that
 * detaches or disconnects lets the guest run on (its breakpoints are
 * dropped); a new debugger may attach later, which halts the guest again.
 * Memory is read and written as the hart fetches instructions: physical in
 * M-mode, through its satp otherwise; RAM only, and with the rights devices
 * have (protected pages refuse writes, cloaked pages read sealed).
 */
#ifndef UMBRA_DEBUG_GDBSTUB_H
#define UMBRA_DEBUG_GDBSTUB_H

#include "cpu/hart.h"

struct gdbstub;

struct gdbstub_ops {
	void *opaque;
	/* The debugger killed the guest: stop the VM with this exit status. */
	void (*kill)(void *opaque, int status);
};

/*
 * Listens on `spec`: "tcp::PORT" or "tcp:HOST:PORT" (HOST 127.0.0.1 or
 * localhost; PORT 0 picks a free port) or "unix:PATH" (an existing socket
 * file is replaced, any other file is not).  NULL with a message in err.
 */
struct gdbstub *gdbstub_open(const char *spec, struct hart **harts, unsigned nharts,
			     const struct gdbstub_ops *ops, char *err, size_t errlen);
void gdbstub_close(struct gdbstub *g);

/* The endpoint as listened on, e.g. "tcp:127.0.0.1:1234". */
const char *gdbstub_endpoint(const struct gdbstub *g);

/* True while the debugger holds the VM (halted, or a step to perform). */
bool gdbstub_holds(const struct gdbstub *g);
/* While it holds: performs the pending step, or serves the debugger for up
 * to timeout_ms.  Returns the instructions retired. */
uint64_t gdbstub_serve(struct gdbstub *g, int timeout_ms);

/* As hart_run(), but honouring the breakpoints and the harts the debugger keeps stopped. */
uint64_t gdbstub_run_hart(struct gdbstub *g, struct hart *h, uint64_t budget);

/* While the guest runs: the descriptor to poll for input, and what to do when it is readable. */
int gdbstub_fd(const struct gdbstub *g);
void gdbstub_input(struct gdbstub *g);

/* The guest is gone (powered off, failed, killed): tell the debugger. */
void gdbstub_exited(struct gdbstub *g, int status);

#endif
