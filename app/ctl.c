/*
 * ctl.c - `umbra ctl`: a client of the management API (docs/api.md).
 *
 *   umbra ctl [--socket PATH] list | host | events [SINCE]
 *   umbra ctl [--socket PATH] get|pause|resume|stop VM
 *   umbra ctl [--socket PATH] set VM key=value...   (reservation, limit, shares, target)
 *   umbra ctl [--socket PATH] raw JSON
 *
 * Prints the server's JSON response; exit status 0 if it says ok, 1 if
 * not, 125 if the server cannot be reached.
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "apiclient.h"
#include "host.h"

static int usage_error(const char *msg)
{
	fprintf(stderr, "umbra ctl: %s\n"
			"usage: umbra ctl [--socket PATH] list|host|events [SINCE]|get VM|pause VM|"
			"resume VM|stop VM|set VM key=value...|raw JSON\n", msg);
	return UMBRA_EXIT_ERROR;
}

/* Builds the request object from the words of the command line. */
static json_object *build(int argc, char **argv, const char **why)
{
	const char *cmd = argv[0];
	json_object *o = json_object_new_object();
	json_object_object_add(o, "cmd", json_object_new_string(cmd));
	if (!strcmp(cmd, "list") || !strcmp(cmd, "host")) {
		if (argc == 1)
			return o;
	} else if (!strcmp(cmd, "events")) {
		if (argc == 1)
			return o;
		char *end;
		long long since = argc == 2 ? strtoll(argv[1], &end, 10) : 0;
		if (argc == 2 && *argv[1] && !*end && since >= 0) {
			json_object_object_add(o, "since", json_object_new_int64(since));
			return o;
		}
	} else if (!strcmp(cmd, "get") || !strcmp(cmd, "pause") || !strcmp(cmd, "resume") ||
		   !strcmp(cmd, "stop")) {
		if (argc == 2) {
			json_object_object_add(o, "vm", json_object_new_string(argv[1]));
			return o;
		}
	} else if (!strcmp(cmd, "set") && argc >= 3) {
		json_object_object_add(o, "vm", json_object_new_string(argv[1]));
		for (int i = 2; i < argc; i++) {
			char *eq = strchr(argv[i], '=');
			if (!eq) {
				*why = "set: arguments are key=value";
				json_object_put(o);
				return NULL;
			}
			*eq = 0;
			const char *v = eq + 1;
			json_object *val;
			if (!strcmp(argv[i], "shares")) {
				char *end;
				long long n = strtoll(v, &end, 10);
				if (!*v || *end) {
					*why = "set: shares must be a whole number";
					json_object_put(o);
					return NULL;
				}
				val = json_object_new_int64(n);
			} else {
				val = json_object_new_string(v);
			}
			json_object_object_add(o, argv[i], val);
		}
		return o;
	} else {
		*why = "unknown command";
		json_object_put(o);
		return NULL;
	}
	*why = "wrong number of arguments";
	json_object_put(o);
	return NULL;
}

static int exchange(const char *sock, const char *line)
{
	static char buf[1 << 20];
	ssize_t got = api_call(sock, line, buf, sizeof(buf));
	if (got < 0) {
		fprintf(stderr, "umbra ctl: %s: %s (is `umbra host` running?)\n", sock, strerror((int)-got));
		return UMBRA_EXIT_ERROR;
	}
	if (!got) {
		fprintf(stderr, "umbra ctl: %s: no answer\n", sock);
		return UMBRA_EXIT_ERROR;
	}
	fputs(buf, stdout);
	json_object *r = json_tokener_parse(buf);
	json_object *ok;
	int status = r && json_object_object_get_ex(r, "ok", &ok) && json_object_get_boolean(ok) ? 0 : 1;
	json_object_put(r);
	return status;
}

int cmd_ctl(int argc, char **argv)
{
	char sock[256];
	host_default_socket(sock, sizeof(sock));
	if (argc >= 2 && !strcmp(argv[0], "--socket")) {
		snprintf(sock, sizeof(sock), "%s", argv[1]);
		argc -= 2, argv += 2;
	}
	if (argc < 1)
		return usage_error("no command");
	if (!strcmp(argv[0], "raw"))
		return argc == 2 ? exchange(sock, argv[1]) : usage_error("raw takes one JSON argument");
	const char *why = NULL;
	json_object *req = build(argc, argv, &why);
	if (!req)
		return usage_error(why);
	int rc = exchange(sock, json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN));
	json_object_put(req);
	return rc;
}
