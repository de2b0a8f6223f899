/*
 * apiclient.h - one request to the management API (docs/api.md), for
 * `umbra ctl` and `umbra top`.
 *
 * Contract: api_call() connects to the Unix socket, sends `line` plus a
 * newline, and reads one response line into buf (NUL-terminated).  Returns
 * its length, or -errno when the server cannot be reached (0 if it closed
 * without answering).  The server may refuse a request before reading all
 * of it; its answer is read all the same.
 */
#ifndef UMBRA_APP_APICLIENT_H
#define UMBRA_APP_APICLIENT_H

#include <stddef.h>
#include <sys/types.h>

ssize_t api_call(const char *sock, const char *line, char *buf, size_t len);

#endif
