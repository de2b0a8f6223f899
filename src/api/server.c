#include "api/server.h"

#include <errno.h>
#include <json-c/json.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/units.h"


static char *reply(json_object *o)
{
	char *s = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return s;
}

static char *error(const char *fmt, const char *arg)
{
	char msg[256];
	snprintf(msg, sizeof(msg), fmt, arg);
	json_object *o = json_object_new_object();
	json_object_object_add(o, "ok", json_object_new_boolean(0));
	json_object_object_add(o, "error", json_object_new_string(msg));
	return reply(o);
}

static json_object *ok_obj(void)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "ok", json_object_new_boolean(1));
	return o;
}

static void add_u64(json_object *o, const char *k, uint64_t v)
{
	json_object_object_add(o, k, json_object_new_uint64(v));
}

static json_object *figures(struct host *h, unsigned i)
{
	struct host_vm *v = &h->vms[i];
	const struct umbra_vm_stats *s = &v->stats;
	json_object *o = json_object_new_object();
	json_object_object_add(o, "name", json_object_new_string(v->cfg->name));
	json_object_object_add(o, "running", json_object_new_boolean(s->running));
	json_object_object_add(o, "paused", json_object_new_boolean(s->paused));
	add_u64(o, "size_bytes", s->size_bytes);
	add_u64(o, "reservation_bytes", v->reservation_bytes);
	add_u64(o, "limit_bytes", v->limit_bytes);
	add_u64(o, "shares", v->shares);
	add_u64(o, "target_bytes", v->target_bytes);
	json_object_object_add(o, "target_manual", json_object_new_boolean(v->manual_target));
	add_u64(o, "balloon_target_bytes", v->balloon_goal_bytes);
	add_u64(o, "balloon_bytes", s->balloon_bytes);
	json_object_object_add(o, "balloon_stalled", json_object_new_boolean(v->stalled));
	add_u64(o, "allocated_bytes", s->allocated_bytes);
	add_u64(o, "active_bytes", v->active_bytes);
	add_u64(o, "sampled_active_bytes", s->active_bytes);
	add_u64(o, "swapped_bytes", s->swapped_bytes);
	add_u64(o, "swap_cap_bytes", v->frame_limit_bytes);
	add_u64(o, "swap_ins", s->swap_ins);
	add_u64(o, "swap_outs", s->swap_outs);
	add_u64(o, "guest_free_bytes", s->guest_free_bytes);
	add_u64(o, "guest_available_bytes", s->guest_available_bytes);
	add_u64(o, "guest_stats_time_ms", s->stats_time_ms);
	add_u64(o, "instret", s->instret);
	add_u64(o, "protection_violations", s->protection_violations);
	add_u64(o, "integrity_faults", s->integrity_faults);
	if (!s->running)
		json_object_object_add(o, "exit_status", json_object_new_int(s->exit_status));
	return o;
}

/* Only these keys may appear in a request of this command. */
static const char *unknown_key(json_object *req, const char *const *allowed)
{
	json_object_object_foreach(req, key, val) {
		(void)val;
		bool ok = !strcmp(key, "cmd");
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = !strcmp(*a, key);
		if (!ok)
			return key;
	}
	return NULL;
}

/* The VM a request names: index, or -1 with *err set. */
static int named_vm(struct host *h, json_object *req, char **err)
{
	json_object *n;
	if (!json_object_object_get_ex(req, "vm", &n) || !json_object_is_type(n, json_type_string)) {
		*err = error("%s", "missing \"vm\": the name of a VM");
		return -1;
	}
	int i = host_find(h, json_object_get_string(n));
	if (i < 0)
		*err = error("no VM named '%s'", json_object_get_string(n));
	return i;
}

static int json_size(json_object *v, uint64_t *out)
{
	if (json_object_is_type(v, json_type_int)) {
		if (json_object_get_int64(v) < 0)
			return -1;
		*out = (uint64_t)json_object_get_int64(v);
		return 0;
	}
	return json_object_is_type(v, json_type_string) ? parse_size_as(json_object_get_string(v), 0, out)
							 : -1;
}

static char *cmd_set(struct host *h, json_object *req)
{
	static const char *const keys[] = {"vm", "reservation", "limit", "shares", "target", NULL};
	char *err = NULL;
	const char *bad = unknown_key(req, keys);
	if (bad)
		return error("set: unknown field '%s' (reservation, limit, shares, target)", bad);
	int i = named_vm(h, req, &err);
	if (i < 0)
		return err;
	struct host_vm *v = &h->vms[i];
	uint64_t res = v->reservation_bytes, lim = v->limit_bytes, shares = v->shares;
	uint64_t target = v->target_bytes;
	bool manual = v->manual_target;
	json_object *x;
	if (json_object_object_get_ex(req, "reservation", &x) && json_size(x, &res))
		return error("%s", "set: reservation is not a size");
	if (json_object_object_get_ex(req, "limit", &x) && json_size(x, &lim))
		return error("%s", "set: limit is not a size");
	if (json_object_object_get_ex(req, "shares", &x)) {
		if (!json_object_is_type(x, json_type_int) || json_object_get_int64(x) < 0 ||
		    json_object_get_int64(x) > 1000000)
			return error("%s", "set: shares must be a whole number from 0 to 1000000");
		shares = (uint64_t)json_object_get_int64(x);
	}
	if (json_object_object_get_ex(req, "target", &x)) {
		if (json_object_is_type(x, json_type_string) && !strcmp(json_object_get_string(x), "auto"))
			manual = false;
		else if (json_size(x, &target))
			return error("%s", "set: target is not a size (or \"auto\")");
		else
			manual = true;
	}
	uint64_t size = v->cfg->vm.mem_bytes;
	if (lim > size)
		return error("%s", "set: limit is larger than the VM's memory");
	if (res > lim)
		return error("%s", "set: reservation is larger than the limit");
	if (manual && (target > lim || target < res))
		return error("%s", "set: target must lie between the reservation and the limit");
	uint64_t reserved = res;
	for (unsigned j = 0; j < h->nvms; j++)
		reserved += (int)j == i ? 0 : h->vms[j].reservation_bytes;
	if (reserved > h->cfg->host_mem_bytes)
		return error("%s", "set: the reservations would exceed host_mem");
	v->reservation_bytes = res;
	v->limit_bytes = lim;
	v->shares = shares;
	v->manual_target = manual;
	if (manual)
		v->target_bytes = target;
	json_object *o = ok_obj();
	json_object_object_add(o, "vm", figures(h, (unsigned)i));
	return reply(o);
}

static char *cmd_events(struct host *h, json_object *req)
{
	static const char *const keys[] = {"since", NULL};
	const char *bad = unknown_key(req, keys);
	if (bad)
		return error("events: unknown field '%s' (since)", bad);
	uint64_t since = 0;
	json_object *x;
	if (json_object_object_get_ex(req, "since", &x)) {
		if (!json_object_is_type(x, json_type_int) || json_object_get_int64(x) < 0)
			return error("%s", "events: since must be a whole number");
		since = (uint64_t)json_object_get_int64(x);
	}
	json_object *o = ok_obj(), *list = json_object_new_array();
	uint64_t first = h->event_seq > HOST_EVENTS ? h->event_seq - HOST_EVENTS + 1 : 1;
	for (uint64_t seq = since + 1 > first ? since + 1 : first; seq <= h->event_seq; seq++) {
		const struct host_event *e = &h->events[(seq - 1) % HOST_EVENTS];
		if (e->seq != seq)
			continue;
		json_object *j = json_object_new_object();
		add_u64(j, "seq", e->seq);
		add_u64(j, "time_ms", e->time_ms);
		json_object_object_add(j, "kind", json_object_new_string(host_event_name(e->kind)));
		json_object_object_add(j, "vm", json_object_new_string(h->vms[e->vm].cfg->name));
		add_u64(j, "value", e->value);
		json_object_array_add(list, j);
	}
	json_object_object_add(o, "events", list);
	add_u64(o, "next", h->event_seq);
	return reply(o);
}

static char *dispatch(struct host *h, json_object *req)
{
	json_object *c;
	if (!json_object_is_type(req, json_type_object))
		return error("%s", "a request is a JSON object with a \"cmd\"");
	if (!json_object_object_get_ex(req, "cmd", &c) || !json_object_is_type(c, json_type_string))
		return error("%s", "missing \"cmd\" (list, get, set, pause, resume, stop, events, host)");
	const char *cmd = json_object_get_string(c);
	static const char *const only_vm[] = {"vm", NULL};
	static const char *const none[] = {NULL};
	char *err = NULL;
	if (!strcmp(cmd, "list") || !strcmp(cmd, "host")) {
		const char *bad = unknown_key(req, none);
		if (bad)
			return error("unknown field '%s'", bad);
		json_object *o = ok_obj();
		if (!strcmp(cmd, "host")) {
			uint64_t alloc = 0;
			for (unsigned i = 0; i < h->nvms; i++)
				alloc += h->vms[i].stats.allocated_bytes;
			add_u64(o, "host_mem_bytes", h->cfg->host_mem_bytes);
			add_u64(o, "allocated_bytes", alloc);
			json_object_object_add(o, "scheduler", json_object_new_boolean(h->cfg->sched.enabled));
			json_object_object_add(o, "idle_tax", json_object_new_double(h->cfg->sched.idle_tax));
			add_u64(o, "uptime_ms", host_now_ms(h));
			return reply(o);
		}
		json_object *list = json_object_new_array();
		for (unsigned i = 0; i < h->nvms; i++)
			json_object_array_add(list, figures(h, i));
		json_object_object_add(o, "vms", list);
		return reply(o);
	}
	if (!strcmp(cmd, "set"))
		return cmd_set(h, req);
	if (!strcmp(cmd, "events"))
		return cmd_events(h, req);
	if (strcmp(cmd, "get") && strcmp(cmd, "pause") && strcmp(cmd, "resume") && strcmp(cmd, "stop"))
		return error("unknown command '%s' (list, get, set, pause, resume, stop, events, host)", cmd);
	const char *bad = unknown_key(req, only_vm);
	if (bad)
		return error("unknown field '%s' (vm)", bad);
	int i = named_vm(h, req, &err);
	if (i < 0)
		return err;
	if (!strcmp(cmd, "pause") || !strcmp(cmd, "resume"))
		umbra_vm_pause(h->vms[i].vm, !strcmp(cmd, "pause"));
	else if (!strcmp(cmd, "stop"))
		umbra_vm_request_stop(h->vms[i].vm, 0);
	json_object *o = ok_obj();
	json_object_object_add(o, "vm", figures(h, (unsigned)i));
	return reply(o);
}

char *api_handle(struct host *h, const char *line)
{
	enum json_tokener_error e;
	json_object *req = json_tokener_parse_verbose(line, &e);
	if (!req)
		return error("not JSON: %s", json_tokener_error_desc(e));
	pthread_mutex_lock(&h->lock);
	char *r = dispatch(h, req);
	pthread_mutex_unlock(&h->lock);
	json_object_put(req);
	return r;
}

/* --- the socket ----------------------------------------------------------- */

struct client {
	int fd;
	size_t len;
	char buf[API_MAX_LINE + 1];
};

static void send_line(int fd, char *msg)
{
	size_t n = strlen(msg);
	msg[n] = '\n'; /* strdup'ed with its NUL: room for the newline */
	for (size_t off = 0; off <= n;) {
		ssize_t k = send(fd, msg + off, n + 1 - off, MSG_NOSIGNAL);
		if (k <= 0)
			break;
		off += (size_t)k;
	}
	free(msg);
}

/* Reads what the client sent and answers every complete line; false: close it. */
static bool serve_client(struct api_server *s, struct client *c)
{
	ssize_t n = recv(c->fd, c->buf + c->len, API_MAX_LINE - c->len, 0);
	if (n <= 0)
		return false;
	c->len += (size_t)n;
	for (;;) {
		char *nl = memchr(c->buf, '\n', c->len);
		if (!nl)
			break;
		*nl = 0;
		send_line(c->fd, api_handle(s->host, c->buf));
		size_t used = (size_t)(nl - c->buf) + 1;
		memmove(c->buf, nl + 1, c->len - used);
		c->len -= used;
	}
	if (c->len == API_MAX_LINE) {
		send_line(c->fd, error("request longer than %s bytes", "4096"));
		return false;
	}
	return true;
}

static void *serve(void *arg)
{
	struct api_server *s = arg;
	struct client *clients = calloc(API_MAX_CLIENTS, sizeof(*clients));
	if (!clients)
		return NULL;
	for (unsigned i = 0; i < API_MAX_CLIENTS; i++)
		clients[i].fd = -1;
	for (;;) {
		struct pollfd p[API_MAX_CLIENTS + 2];
		p[0] = (struct pollfd){.fd = s->listen_fd, .events = POLLIN};
		p[1] = (struct pollfd){.fd = s->stop_pipe[0], .events = POLLIN};
		for (unsigned i = 0; i < API_MAX_CLIENTS; i++)
			p[i + 2] = (struct pollfd){.fd = clients[i].fd, .events = POLLIN};
		if (poll(p, API_MAX_CLIENTS + 2, -1) < 0 && errno != EINTR)
			break;
		if (p[1].revents)
			break;
		if (p[0].revents & POLLIN) {
			int fd = accept(s->listen_fd, NULL, NULL);
			unsigned i = 0;
			while (i < API_MAX_CLIENTS && clients[i].fd >= 0)
				i++;
			if (fd >= 0 && i == API_MAX_CLIENTS) {
				send_line(fd, error("%s", "too many clients"));
				close(fd);
			} else if (fd >= 0) {
				clients[i].fd = fd;
				clients[i].len = 0;
			}
		}
		for (unsigned i = 0; i < API_MAX_CLIENTS; i++)
			if (clients[i].fd >= 0 && (p[i + 2].revents & (POLLIN | POLLHUP | POLLERR)) &&
			    !serve_client(s, &clients[i])) {
				close(clients[i].fd);
				clients[i].fd = -1;
			}
	}
	for (unsigned i = 0; i < API_MAX_CLIENTS; i++)
		if (clients[i].fd >= 0)
			close(clients[i].fd);
	free(clients);
	return NULL;
}

int api_start(struct api_server *s, struct host *h, const char *path, char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	s->host = h;
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof(a.sun_path)) {
		snprintf(err, errlen, "%s: socket path too long", path);
		return -1;
	}
	strcpy(a.sun_path, path);
	snprintf(s->path, sizeof(s->path), "%s", path);
	struct stat st;
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(err, errlen, "%s: exists and is not a socket; not replacing it", path);
			return -1;
		}
		unlink(path); /* a stale socket of an earlier run */
	}
	s->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s->listen_fd < 0 || bind(s->listen_fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    listen(s->listen_fd, 8) != 0 || pipe(s->stop_pipe) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (pthread_create(&s->thread, NULL, serve, s) != 0) {
		snprintf(err, errlen, "cannot start the API thread");
		return -1;
	}
	return 0;
}

void api_shutdown(struct api_server *s)
{
	if (write(s->stop_pipe[1], "x", 1) == 1)
		pthread_join(s->thread, NULL);
	close(s->listen_fd);
	close(s->stop_pipe[0]);
	close(s->stop_pipe[1]);
	unlink(s->path);
}
