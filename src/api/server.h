/*
 * server.h - the management API: JSON over a Unix socket (docs/api.md).
 *
 * Contract: one request per line, one JSON object; one response per line,
 * {"ok": true, ...} or {"ok": false, "error": "<what is wrong>"}.
 * api_handle() turns a request line into a response (no I/O: the fuzz
 * harness and the unit tests call it directly).  api_serve() runs the
 * socket server on its own thread until api_shutdown(); a client that
 * sends a line longer than API_MAX_LINE is told so and disconnected.
 */
#ifndef UMBRA_API_SERVER_H
#define UMBRA_API_SERVER_H

#include <pthread.h>

#include "sched/host.h"

#define API_MAX_LINE 4096
#define API_MAX_CLIENTS 16

struct api_server {
	struct host *host;
	int listen_fd;
	int stop_pipe[2];
	pthread_t thread;
	char path[108];
};

/* Returns a malloc'ed response (no newline). */
char *api_handle(struct host *h, const char *line);

int api_start(struct api_server *s, struct host *h, const char *path, char *err,
	      size_t errlen) MUST_CHECK;
void api_shutdown(struct api_server *s);

#endif
