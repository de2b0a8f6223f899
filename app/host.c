/*
 * host.c - `umbra host --config FILE`: several VMs on one memory budget,
 * the scheduler, and the management API.
 */
#include "host.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api/config.h"
#include "api/server.h"
#include "sched/host.h"

/* The signal handler's only business: tell the loop to stop. */
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* The default API socket: $XDG_RUNTIME_DIR/umbra.sock, else /tmp/umbra-UID.sock. */
void host_default_socket(char *buf, size_t len)
{
	const char *run = getenv("XDG_RUNTIME_DIR");
	if (run)
		snprintf(buf, len, "%s/umbra.sock", run);
	else
		snprintf(buf, len, "/tmp/umbra-%u.sock", (unsigned)getuid());
}

int cmd_host(int argc, char **argv)
{
	const char *path = NULL, *trace_path = NULL;
	for (int i = 0; i < argc; i++) {
		if ((!strcmp(argv[i], "--config") || !strcmp(argv[i], "-c")) && i + 1 < argc)
			path = argv[++i];
		else if (!strcmp(argv[i], "--trace-mem") && i + 1 < argc)
			trace_path = argv[++i];
		else {
			fprintf(stderr, "umbra host: unknown option '%s' (usage: umbra host --config FILE)\n",
				argv[i]);
			return UMBRA_EXIT_ERROR;
		}
	}
	if (!path) {
		fprintf(stderr, "umbra host: no config file (--config FILE; see docs/config.md)\n");
		return UMBRA_EXIT_ERROR;
	}
	FILE *trace = NULL;
	uint64_t traced_event = 0;
	if (trace_path) {
		trace = fopen(trace_path, "w");
		if (!trace) {
			fprintf(stderr, "umbra host: %s: %s\n", trace_path, strerror(errno));
			return UMBRA_EXIT_ERROR;
		}
		fprintf(trace, "time_ms,vm,kind,allocated_bytes,target_bytes,balloon_bytes,active_bytes,swapped_bytes\n");
	}
	static struct host_config cfg;
	static struct host host;
	static struct api_server api;
	char err[512] = "";
	if (config_load(path, &cfg, err, sizeof(err))) {
		fprintf(stderr, "umbra: %s\n", err);
		config_free(&cfg);
		return UMBRA_EXIT_ERROR;
	}
	char sock[256];
	if (cfg.api_socket)
		snprintf(sock, sizeof(sock), "%s", cfg.api_socket);
	else
		host_default_socket(sock, sizeof(sock));
	if (host_start(&host, &cfg, err, sizeof(err)) || api_start(&api, &host, sock, err, sizeof(err))) {
		fprintf(stderr, "umbra: %s\n", err);
		host_stop(&host);
		config_free(&cfg);
		return UMBRA_EXIT_ERROR;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	fprintf(stderr, "umbra: %u VMs on %llu MiB; API at %s\n", host.nvms,
		(unsigned long long)(cfg.host_mem_bytes >> 20), sock);
	int status = 0;
	while (!stop_requested) {
		unsigned running = host_tick(&host);
		if (trace)
			host_trace(&host, trace, &traced_event);
		if (!running)
			break;
		struct timespec ts = {.tv_sec = cfg.sched.period_ms / 1000,
				      .tv_nsec = (long)(cfg.sched.period_ms % 1000) * 1000000};
		nanosleep(&ts, NULL);
	}
	host_tick(&host);
	for (unsigned i = 0; i < host.nvms; i++) {
		struct umbra_vm_stats *s = &host.vms[i].stats;
		if (!s->running && s->exit_status && !status)
			status = s->exit_status;
	}
	if (trace) {
		host_trace(&host, trace, &traced_event);
		fclose(trace);
	}
	api_shutdown(&api);
	host_stop(&host);
	config_free(&cfg);
	return status;
}
