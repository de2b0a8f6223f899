#include "sched/host.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sched/policy.h"

#define EVENTS_PER_SECOND 50 /* events beyond this are dropped (rate limit) */
#define DEAD_BAND_BYTES (32u << 20) /* balloon goals move only for larger differences
				      * (at most 1/16 of the VM's memory) */

static uint64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint64_t host_now_ms(const struct host *h)
{
	return mono_ms() - h->start_ms;
}

int host_find(struct host *h, const char *name)
{
	for (unsigned i = 0; i < h->nvms; i++)
		if (!strcmp(h->vms[i].cfg->name, name))
			return (int)i;
	return -1;
}

static void event(struct host *h, enum host_event_kind kind, unsigned vm, uint64_t value)
{
	uint64_t now = host_now_ms(h);
	if (now / 1000 != h->events_second) {
		h->events_second = now / 1000;
		h->events_this_second = 0;
	}
	if (++h->events_this_second > EVENTS_PER_SECOND)
		return;
	struct host_event *e = &h->events[h->event_seq % HOST_EVENTS];
	*e = (struct host_event){.seq = ++h->event_seq, .time_ms = now, .kind = kind, .vm = vm,
				 .value = value};
}

static void *vm_thread(void *arg)
{
	struct host_vm *v = arg;
	umbra_vm_run(v->vm);
	return NULL;
}

int host_start(struct host *h, struct host_config *cfg, char *err, size_t errlen)
{
	memset(h, 0, sizeof(*h));
	pthread_mutex_init(&h->lock, NULL);
	h->cfg = cfg;
	h->start_ms = mono_ms();
	for (unsigned i = 0; i < cfg->nvms; i++) {
		struct host_vm *v = &h->vms[i];
		struct vm_config *c = &cfg->vms[i];
		v->cfg = c;
		v->console_fd = -1;
		if (c->console_log) {
			v->console_fd = open(c->console_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
			if (v->console_fd < 0) {
				snprintf(err, errlen, "%s: %s (console of VM '%s')", c->console_log,
					 strerror(errno), c->name);
				return -1;
			}
		}
		c->vm.console_out = v->console_fd;
		c->vm.name = c->name;
		char e[400] = "";
		v->vm = umbra_vm_create(&c->vm, e, sizeof(e));
		if (!v->vm) {
			snprintf(err, errlen, "VM '%s': %s", c->name, e);
			return -1;
		}
		/* What the API shows until the VM's thread publishes for the first time. */
		v->stats.size_bytes = c->vm.mem_bytes;
		v->stats.running = true;
		v->reservation_bytes = c->reservation_bytes;
		v->limit_bytes = c->limit_bytes;
		v->shares = c->shares;
		v->target_bytes = c->limit_bytes;
		h->nvms = i + 1;
	}
	for (unsigned i = 0; i < h->nvms; i++) {
		if (pthread_create(&h->vms[i].thread, NULL, vm_thread, &h->vms[i]) != 0) {
			snprintf(err, errlen, "cannot start a thread for VM '%s'", h->vms[i].cfg->name);
			return -1;
		}
		h->vms[i].started = true;
	}
	return 0;
}

/*
 * The active-memory estimate: the working-set sample, but never below what
 * the guest's own fresh statistics say it cannot give back (its memory less
 * what is available).  Before the first sample: the frames it holds.
 */
static uint64_t active_estimate(const struct umbra_vm_stats *s)
{
	uint64_t est = s->active_bytes ? s->active_bytes : s->allocated_bytes;
	if (s->stats_age_ms <= 3000) {
		uint64_t held = s->size_bytes > s->balloon_bytes ? s->size_bytes - s->balloon_bytes : 0;
		uint64_t used = s->guest_available_bytes < held ? held - s->guest_available_bytes : 0;
		est = used > est ? used : est;
	}
	return est;
}

static uint64_t step_toward(uint64_t from, uint64_t to, uint64_t step)
{
	if (to > from)
		return to - from > step ? from + step : to;
	return from - to > step ? from - step : to;
}

/*
 * The last resort: when the guests hold more than the host budget and a
 * VM's balloon cannot bring it down (stalled), cap its frames at its target;
 * above the cap its pages go to its swap file (no data is lost).  Caps are
 * lifted when the guests are back under 90% of the budget.
 */
static void apply_swap_caps(struct host *h)
{
	uint64_t held = 0;
	for (unsigned i = 0; i < h->nvms; i++)
		held += h->vms[i].stats.running ? h->vms[i].stats.allocated_bytes : 0;
	for (unsigned i = 0; i < h->nvms; i++) {
		struct host_vm *v = &h->vms[i];
		uint64_t cap = v->frame_limit_bytes;
		if (held > h->cfg->host_mem_bytes && v->stalled &&
		    v->stats.allocated_bytes > v->target_bytes)
			cap = v->target_bytes;
		else if (held < h->cfg->host_mem_bytes / 10 * 9)
			cap = 0;
		if (cap != v->frame_limit_bytes && v->stats.running) {
			v->frame_limit_bytes = cap;
			umbra_vm_set_frame_limit(v->vm, cap);
			event(h, EV_SWAP_CAP, i, cap);
		}
	}
}

unsigned host_tick(struct host *h)
{
	pthread_mutex_lock(&h->lock);
	struct sched_vm sv[CONFIG_MAX_VMS];
	unsigned running = 0;
	uint64_t now = host_now_ms(h);
	for (unsigned i = 0; i < h->nvms; i++) {
		struct host_vm *v = &h->vms[i];
		bool was_running = v->stats.running;
		struct umbra_vm_stats fresh;
		umbra_vm_get_stats(v->vm, &fresh);
		if (fresh.size_bytes) /* else not yet published: keep the initial figures */
			v->stats = fresh;
		if (!v->stats.running && was_running)
			event(h, EV_VM_STOPPED, i, (uint64_t)v->stats.exit_status);
		if (v->stats.protection_violations != v->seen_violations)
			event(h, EV_PROTECTION, i, v->stats.protection_violations);
		if (v->stats.integrity_faults != v->seen_integrity)
			event(h, EV_INTEGRITY, i, v->stats.integrity_faults);
		if (v->stats.balloon_bytes != v->seen_balloon)
			event(h, EV_BALLOON, i, v->stats.balloon_bytes);
		if (v->stats.swap_outs != v->seen_swap_outs)
			event(h, EV_SWAP_OUT, i, v->stats.swap_outs - v->seen_swap_outs);
		if (v->stats.swap_ins != v->seen_swap_ins)
			event(h, EV_SWAP_IN, i, v->stats.swap_ins - v->seen_swap_ins);
		if (v->stats.paused != v->seen_paused)
			event(h, v->stats.paused ? EV_VM_PAUSED : EV_VM_RESUMED, i, 0);
		v->seen_paused = v->stats.paused;
		v->seen_violations = v->stats.protection_violations;
		v->seen_integrity = v->stats.integrity_faults;
		v->seen_balloon = v->stats.balloon_bytes;
		v->seen_swap_outs = v->stats.swap_outs;
		v->seen_swap_ins = v->stats.swap_ins;
		running += v->stats.running;
		v->active_bytes = active_estimate(&v->stats);
		sv[i] = (struct sched_vm){.size_pages = v->stats.size_bytes / 4096,
					  .reservation_pages = v->reservation_bytes / 4096,
					  .limit_pages = v->limit_bytes / 4096, .shares = v->shares,
					  .active_pages = v->active_bytes / 4096};
	}
	const struct sched_config *sc = &h->cfg->sched;
	if (sc->enabled &&
	    sched_allocate(sv, h->nvms, h->cfg->host_mem_bytes / 4096, sc->idle_tax, 2048) == 0) {
		for (unsigned i = 0; i < h->nvms; i++)
			if (!h->vms[i].manual_target)
				h->vms[i].target_bytes = sv[i].target_pages * 4096;
	}
	for (unsigned i = 0; i < h->nvms; i++) {
		struct host_vm *v = &h->vms[i];
		if (!v->stats.running)
			continue;
		uint64_t want = v->stats.size_bytes - v->target_bytes; /* what the balloon must hold */
		/* A dead band against the sampling noise: small corrections wait. */
		uint64_t diff = want > v->balloon_goal_bytes ? want - v->balloon_goal_bytes
							      : v->balloon_goal_bytes - want;
		uint64_t band = v->stats.size_bytes / 16 < DEAD_BAND_BYTES ? v->stats.size_bytes / 16
									   : DEAD_BAND_BYTES;
		if (diff < band)
			want = v->balloon_goal_bytes;
		uint64_t goal = step_toward(v->balloon_goal_bytes, want, sc->step_bytes);
		if (goal != v->balloon_goal_bytes) {
			v->balloon_goal_bytes = goal;
			umbra_vm_set_balloon_target(v->vm, goal);
			event(h, EV_BALLOON_TARGET, i, goal);
		}
		/* A balloon far from its goal that has not moved for stall_ms is stalled. */
		uint64_t gap = goal > v->stats.balloon_bytes ? goal - v->stats.balloon_bytes
							      : v->stats.balloon_bytes - goal;
		if (v->stats.balloon_bytes != v->last_balloon_bytes || gap < (1u << 20)) {
			v->last_balloon_bytes = v->stats.balloon_bytes;
			v->last_move_ms = now;
			v->stalled = false;
		} else if (!v->stalled && now - v->last_move_ms > sc->stall_ms) {
			v->stalled = true;
			event(h, EV_BALLOON_STALL, i, gap);
		}
	}
	apply_swap_caps(h);
	pthread_mutex_unlock(&h->lock);
	return running;
}

void host_stop(struct host *h)
{
	for (unsigned i = 0; i < h->nvms; i++)
		umbra_vm_request_stop(h->vms[i].vm, 0);
	for (unsigned i = 0; i < h->nvms; i++)
		if (h->vms[i].started)
			pthread_join(h->vms[i].thread, NULL);
	for (unsigned i = 0; i < h->nvms; i++) {
		umbra_vm_destroy(h->vms[i].vm);
		if (h->vms[i].console_fd >= 0)
			close(h->vms[i].console_fd);
	}
	pthread_mutex_destroy(&h->lock);
}

const char *host_event_name(enum host_event_kind k)
{
	static const char *const names[] = {"balloon_target", "balloon_stall", "vm_stopped",
					    "protection_violation", "integrity_fault", "swap_cap",
					    "balloon", "swap_out", "swap_in", "vm_paused", "vm_resumed"};
	return k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}

void host_trace(struct host *h, FILE *f, uint64_t *last_event)
{
	pthread_mutex_lock(&h->lock);
	uint64_t now = host_now_ms(h);
	for (unsigned i = 0; i < h->nvms; i++) {
		const struct host_vm *v = &h->vms[i];
		fprintf(f, "%llu,%s,figures,%llu,%llu,%llu,%llu,%llu\n", (unsigned long long)now,
			v->cfg->name, (unsigned long long)v->stats.allocated_bytes,
			(unsigned long long)v->target_bytes, (unsigned long long)v->stats.balloon_bytes,
			(unsigned long long)v->active_bytes, (unsigned long long)v->stats.swapped_bytes);
	}
	uint64_t first = h->event_seq > HOST_EVENTS ? h->event_seq - HOST_EVENTS + 1 : 1;
	for (uint64_t seq = *last_event + 1 > first ? *last_event + 1 : first; seq <= h->event_seq; seq++) {
		const struct host_event *e = &h->events[(seq - 1) % HOST_EVENTS];
		const struct host_vm *v = &h->vms[e->vm];
		fprintf(f, "%llu,%s,%s,%llu,%llu,%llu,%llu,%llu\n", (unsigned long long)e->time_ms,
			v->cfg->name, host_event_name(e->kind), (unsigned long long)v->stats.allocated_bytes,
			(unsigned long long)v->target_bytes, (unsigned long long)v->stats.balloon_bytes,
			(unsigned long long)v->active_bytes, (unsigned long long)v->stats.swapped_bytes);
	}
	*last_event = h->event_seq;
	fflush(f);
	pthread_mutex_unlock(&h->lock);
}
