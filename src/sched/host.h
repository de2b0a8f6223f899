/*
 * host.h - several VMs on one host memory budget, and the scheduler that
 * moves memory between them (../../docs/config.md, docs/api.md).
 *
 * Contract: host_start() creates every VM of the config and runs each on
 * its own thread; host_tick() is the scheduler, called by the owner every
 * scheduler period: it reads each VM's published figures, decides targets
 * with sched_allocate() and moves balloon targets toward them in bounded
 * steps, recording events.  All host_* calls take the host lock, so the
 * API thread and the scheduler may call them concurrently; no call waits
 * for a VM (a hung guest never blocks the API).
 */
#ifndef UMBRA_SCHED_HOST_H
#define UMBRA_SCHED_HOST_H

#include <pthread.h>
#include <stdio.h>

#include "sched/hostcfg.h"
#include "base/base.h"
#include "umbra/vm.h"

#define HOST_EVENTS 256

enum host_event_kind { EV_BALLOON_TARGET, EV_BALLOON_STALL, EV_VM_STOPPED, EV_PROTECTION,
		       EV_INTEGRITY, EV_SWAP_CAP, EV_BALLOON, EV_SWAP_OUT, EV_SWAP_IN,
		       EV_VM_PAUSED, EV_VM_RESUMED };

struct host_event {
	uint64_t seq, time_ms;
	enum host_event_kind kind;
	unsigned vm;
	uint64_t value;
};

struct host_vm {
	struct vm_config *cfg;
	struct umbra_vm *vm;
	pthread_t thread;
	bool started;
	int console_fd;
	/* policy inputs an operator may change */
	uint64_t reservation_bytes, limit_bytes, shares;
	uint64_t target_bytes;      /* the scheduler's (or the operator's) decision */
	bool manual_target;         /* set by the operator: the scheduler leaves it */
	uint64_t active_bytes;      /* estimate */
	uint64_t balloon_goal_bytes;/* balloon target currently requested */
	uint64_t last_balloon_bytes, last_move_ms;
	bool stalled;
	uint64_t frame_limit_bytes; /* swap cap requested (0: none) */
	uint64_t seen_violations, seen_integrity; /* counters at the last event */
	uint64_t seen_balloon, seen_swap_outs, seen_swap_ins;
	bool seen_paused;
	struct umbra_vm_stats stats;
};

struct host {
	pthread_mutex_t lock;
	struct host_config *cfg;
	unsigned nvms;
	struct host_vm vms[CONFIG_MAX_VMS];
	uint64_t start_ms;
	uint64_t event_seq;
	struct host_event events[HOST_EVENTS];
	unsigned events_this_second;
	uint64_t events_second;
};

int host_start(struct host *h, struct host_config *cfg, char *err, size_t errlen) MUST_CHECK;
/* The scheduler's period; returns the number of VMs still running. */
unsigned host_tick(struct host *h);
/* Asks every VM to stop, waits for their threads, frees everything. */
void host_stop(struct host *h);
uint64_t host_now_ms(const struct host *h);
int host_find(struct host *h, const char *name); /* index or -1 (caller holds the lock) */
/*
 * Appends the figures of every VM at this tick, and every event since
 * *last_event, to a CSV trace (`umbra host --trace-mem`, `umbra plot`):
 * time_ms,vm,kind,allocated_bytes,target_bytes,balloon_bytes,active_bytes,swapped_bytes
 * with kind "figures" or an event name.
 */
void host_trace(struct host *h, FILE *f, uint64_t *last_event);
const char *host_event_name(enum host_event_kind k);

#endif
