/*
 * top.c - `umbra top [--socket PATH]`: a live view of a running host, over
 * the management API (docs/api.md).  Keys: q quits, s changes the sort
 * column, j/k (or the arrow keys) pick a VM, whose details show below.
 */
#include <errno.h>
#include <json-c/json.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "apiclient.h"
#include "host.h"
#include "host/term.h"

#define TOP_MAX 8

struct row {
	char name[64];
	uint64_t size, target, balloon, alloc, active, swapped, instret, viol, integ;
	double mips;
	bool running, paused, stalled;
};

enum { SORT_NAME, SORT_ALLOC, SORT_ACTIVE, SORT_MIPS, NSORT };
static const char *const sort_names[] = {"name", "allocated", "active", "MIPS"};

/* One request to the API; the parsed answer or NULL. */
static json_object *ask(const char *sock, const char *req)
{
	static char buf[1 << 16];
	return api_call(sock, req, buf, sizeof(buf)) > 0 ? json_tokener_parse(buf) : NULL;
}

static uint64_t u64(json_object *o, const char *k)
{
	json_object *v;
	return json_object_object_get_ex(o, k, &v) ? (uint64_t)json_object_get_int64(v) : 0;
}

static bool flag(json_object *o, const char *k)
{
	json_object *v;
	return json_object_object_get_ex(o, k, &v) && json_object_get_boolean(v);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp_rows(const struct row *a, const struct row *b, int sort)
{
	switch (sort) {
	case SORT_ALLOC: return a->alloc < b->alloc ? 1 : a->alloc > b->alloc ? -1 : 0;
	case SORT_ACTIVE: return a->active < b->active ? 1 : a->active > b->active ? -1 : 0;
	case SORT_MIPS: return a->mips < b->mips ? 1 : a->mips > b->mips ? -1 : 0;
	}
	return strcmp(a->name, b->name);
}

static void sort_rows(struct row *r, unsigned n, int sort)
{
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && cmp_rows(&r[j - 1], &r[j], sort) > 0; j--) {
			struct row t = r[j];
			r[j] = r[j - 1];
			r[j - 1] = t;
		}
}

#define MIB(x) ((unsigned long long)((x) >> 20))

static void draw(const char *sock, json_object *host, struct row *r, unsigned n, int sort,
		 unsigned sel)
{
	printf("\033[H\033[2J");
	printf("umbra top - %s - host memory %llu MiB, guests hold %llu MiB%s\r\n", sock,
	       MIB(u64(host, "host_mem_bytes")), MIB(u64(host, "allocated_bytes")),
	       flag(host, "scheduler") ? "" : " (scheduler off)");
	printf("sorted by %s; q quit, s sort, j/k select\r\n\r\n", sort_names[sort]);
	printf("  %-12s %-8s %7s %7s %7s %7s %7s %7s %8s %6s %6s\r\n", "VM", "STATE", "SIZE",
	       "TARGET", "BALLOON", "ALLOC", "ACTIVE", "SWAPPED", "MIPS", "PROT", "INTEG");
	for (unsigned i = 0; i < n; i++) {
		const struct row *x = &r[i];
		const char *state = !x->running ? "stopped" : x->paused ? "paused"
				    : x->stalled ? "stalled" : "running";
		printf("%c %-12.12s %-8s %7llu %7llu %7llu %7llu %7llu %7llu %8.1f %6llu %6llu\r\n",
		       i == sel ? '>' : ' ', x->name, state, MIB(x->size), MIB(x->target),
		       MIB(x->balloon), MIB(x->alloc), MIB(x->active), MIB(x->swapped), x->mips,
		       (unsigned long long)x->viol, (unsigned long long)x->integ);
	}
	if (n) {
		const struct row *x = &r[sel];
		printf("\r\n%s: %llu MiB of %llu MiB backed, balloon %llu MiB toward target %llu MiB, "
		       "%llu instructions\r\n", x->name, MIB(x->alloc), MIB(x->size), MIB(x->balloon),
		       MIB(x->target), (unsigned long long)x->instret);
	}
	fflush(stdout);
}

int cmd_top(int argc, char **argv)
{
	char sock[256];
	host_default_socket(sock, sizeof(sock));
	unsigned iterations = 0; /* 0: until q */
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--socket") && i + 1 < argc)
			snprintf(sock, sizeof(sock), "%s", argv[++i]);
		else if (!strcmp(argv[i], "--iterations") && i + 1 < argc)
			iterations = (unsigned)atoi(argv[++i]);
		else {
			fprintf(stderr, "umbra top: unknown option '%s' (--socket PATH, --iterations N)\n",
				argv[i]);
			return UMBRA_EXIT_ERROR;
		}
	}
	struct term_state term;
	term_raw(&term, STDIN_FILENO);
	struct row rows[TOP_MAX], prev[TOP_MAX];
	unsigned nprev = 0, sel = 0;
	int sort = SORT_NAME, status = 0;
	double t_prev = 0;
	for (unsigned it = 0; !iterations || it < iterations; it++) {
		json_object *list = ask(sock, "{\"cmd\":\"list\"}");
		json_object *host = ask(sock, "{\"cmd\":\"host\"}");
		json_object *vms;
		if (!list || !host || !json_object_object_get_ex(list, "vms", &vms)) {
			term_restore(&term);
			fprintf(stderr, "umbra top: %s: no answer (is `umbra host` running?)\n", sock);
			json_object_put(list);
			json_object_put(host);
			return UMBRA_EXIT_ERROR;
		}
		double t = now_s();
		unsigned n = 0;
		for (size_t i = 0; i < json_object_array_length(vms) && n < TOP_MAX; i++, n++) {
			json_object *v = json_object_array_get_idx(vms, i), *name;
			struct row *x = &rows[n];
			memset(x, 0, sizeof(*x));
			if (json_object_object_get_ex(v, "name", &name))
				snprintf(x->name, sizeof(x->name), "%s", json_object_get_string(name));
			x->size = u64(v, "size_bytes"), x->target = u64(v, "target_bytes");
			x->balloon = u64(v, "balloon_bytes"), x->alloc = u64(v, "allocated_bytes");
			x->active = u64(v, "active_bytes"), x->swapped = u64(v, "swapped_bytes");
			x->instret = u64(v, "instret"), x->viol = u64(v, "protection_violations");
			x->integ = u64(v, "integrity_faults");
			x->running = flag(v, "running"), x->paused = flag(v, "paused");
			x->stalled = flag(v, "balloon_stalled");
			for (unsigned j = 0; j < nprev; j++)
				if (!strcmp(prev[j].name, x->name) && t > t_prev && x->instret >= prev[j].instret)
					x->mips = (double)(x->instret - prev[j].instret) / (t - t_prev) / 1e6;
		}
		memcpy(prev, rows, sizeof(rows));
		nprev = n;
		t_prev = t;
		sort_rows(rows, n, sort);
		if (sel >= n)
			sel = n ? n - 1 : 0;
		draw(sock, host, rows, n, sort, sel);
		json_object_put(list);
		json_object_put(host);
		struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
		if (poll(&p, 1, 1000) > 0 && (p.revents & POLLIN)) {
			char keys[8];
			ssize_t k = read(STDIN_FILENO, keys, sizeof(keys));
			for (ssize_t i = 0; i < k; i++) {
				if (keys[i] == 'q')
					goto out;
				if (keys[i] == 's')
					sort = (sort + 1) % NSORT;
				if ((keys[i] == 'j' || keys[i] == 'B') && sel + 1 < n)
					sel++;
				if ((keys[i] == 'k' || keys[i] == 'A') && sel > 0)
					sel--;
			}
		}
	}
out:
	term_restore(&term);
	printf("\r\n");
	return status;
}
