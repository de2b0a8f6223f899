#include "api/config.h"

#include <json-c/json.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/units.h"

struct ctx {
	const char *file;
	char dir[512];
	char *err;
	size_t errlen;
};

static int bad(struct ctx *x, const char *field, const char *what)
{
	snprintf(x->err, x->errlen, "%s: %s: %s", x->file, field, what);
	return -1;
}

/* Every key of obj must be one of `known`. */
static int only_keys(struct ctx *x, json_object *obj, const char *where, const char *const *known)
{
	json_object_object_foreach(obj, key, val) {
		(void)val;
		bool ok = false;
		for (const char *const *k = known; *k && !ok; k++)
			ok = !strcmp(*k, key);
		if (!ok) {
			char f[160];
			snprintf(f, sizeof(f), "%s%s%s", where, *where ? "." : "", key);
			return bad(x, f, "unknown field");
		}
	}
	return 0;
}

static int get_size(struct ctx *x, json_object *o, const char *key, const char *where,
		    uint64_t *out, bool required)
{
	json_object *v;
	char f[160];
	snprintf(f, sizeof(f), "%s%s%s", where, *where ? "." : "", key);
	if (!json_object_object_get_ex(o, key, &v))
		return required ? bad(x, f, "missing") : 0;
	if (json_object_is_type(v, json_type_int)) {
		int64_t n = json_object_get_int64(v);
		if (n < 0)
			return bad(x, f, "must not be negative");
		*out = (uint64_t)n;
		return 0;
	}
	if (!json_object_is_type(v, json_type_string) || parse_size_as(json_object_get_string(v), 0, out))
		return bad(x, f, "not a size (bytes, or a number with B, K, M, G or T)");
	return 0;
}

static int get_uint(struct ctx *x, json_object *o, const char *key, const char *where,
		    uint64_t lo, uint64_t hi, uint64_t *out)
{
	json_object *v;
	char f[160];
	snprintf(f, sizeof(f), "%s%s%s", where, *where ? "." : "", key);
	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_int))
		return bad(x, f, "not a whole number");
	int64_t n = json_object_get_int64(v);
	if (n < (int64_t)lo || (uint64_t)n > hi) {
		char m[96];
		snprintf(m, sizeof(m), "%lld is out of range (%llu-%llu)", (long long)n,
			 (unsigned long long)lo, (unsigned long long)hi);
		return bad(x, f, m);
	}
	*out = (uint64_t)n;
	return 0;
}

/* A string field; paths are made relative to the config file's directory. */
static int get_str(struct ctx *x, json_object *o, const char *key, const char *where, char **out,
		   bool required, bool path)
{
	json_object *v;
	char f[160];
	snprintf(f, sizeof(f), "%s%s%s", where, *where ? "." : "", key);
	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return required ? bad(x, f, "missing") : 0;
	if (!json_object_is_type(v, json_type_string) || !*json_object_get_string(v))
		return bad(x, f, "not a non-empty string");
	const char *s = json_object_get_string(v);
	size_t n = strlen(s) + strlen(x->dir) + 2;
	*out = malloc(n);
	if (!*out)
		return bad(x, f, "out of memory");
	if (path && s[0] != '/')
		snprintf(*out, n, "%s/%s", x->dir, s);
	else
		snprintf(*out, n, "%s", s);
	return 0;
}

static int get_bool(struct ctx *x, json_object *o, const char *key, const char *where, bool *out)
{
	json_object *v;
	char f[160];
	snprintf(f, sizeof(f), "%s%s%s", where, *where ? "." : "", key);
	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_boolean))
		return bad(x, f, "not true or false");
	*out = json_object_get_boolean(v);
	return 0;
}

/* "balloon": "virtio" (the default) or "app" (the balloon application). */
static int get_balloon(struct ctx *x, json_object *o, const char *where, bool *app)
{
	json_object *v;
	char f[160];
	snprintf(f, sizeof(f), "%s.balloon", where);
	if (!json_object_object_get_ex(o, "balloon", &v))
		return 0;
	const char *s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
	if (strcmp(s, "virtio") && strcmp(s, "app"))
		return bad(x, f, "must be \"virtio\" or \"app\"");
	*app = !strcmp(s, "app");
	return 0;
}

static int parse_drives(struct ctx *x, json_object *vmo, const char *where, struct umbra_config *vm)
{
	static const char *const keys[] = {"file", "readonly", NULL};
	json_object *arr;
	if (!json_object_object_get_ex(vmo, "drives", &arr))
		return 0;
	char f[160];
	snprintf(f, sizeof(f), "%s.drives", where);
	if (!json_object_is_type(arr, json_type_array))
		return bad(x, f, "not a list");
	size_t n = json_object_array_length(arr);
	if (n > UMBRA_MAX_DRIVES)
		return bad(x, f, "too many drives");
	for (size_t i = 0; i < n; i++) {
		json_object *d = json_object_array_get_idx(arr, i);
		char w[192];
		snprintf(w, sizeof(w), "%s[%zu]", f, i);
		if (!json_object_is_type(d, json_type_object))
			return bad(x, w, "not an object");
		char *file = NULL;
		if (only_keys(x, d, w, keys) || get_str(x, d, "file", w, &file, true, true))
			return -1;
		/* stored at once: config_free() frees it also when "readonly" is bad */
		struct umbra_drive *drive = &vm->drives[vm->ndrives++];
		*drive = (struct umbra_drive){.path = file};
		if (get_bool(x, d, "readonly", w, &drive->readonly))
			return -1;
	}
	return 0;
}

static int parse_vm(struct ctx *x, json_object *vmo, unsigned i, struct vm_config *v)
{
	static const char *const keys[] = {"name", "mem", "reservation", "limit", "shares", "cpus",
					   "kernel", "initrd", "append", "firmware", "drives",
					   "console", "deterministic", "balloon", "swap_dir", NULL};
	char w[32];
	snprintf(w, sizeof(w), "vms[%u]", i);
	if (!json_object_is_type(vmo, json_type_object))
		return bad(x, w, "not an object");
	uint64_t cpus = 1, shares = 1000;
	v->vm.mem_bytes = 256u << 20;
	v->vm.console_in = -1;
	v->vm.console_out = -1;
	if (only_keys(x, vmo, w, keys) || get_str(x, vmo, "name", w, &v->name, true, false) ||
	    get_size(x, vmo, "mem", w, &v->vm.mem_bytes, false) ||
	    get_size(x, vmo, "reservation", w, &v->reservation_bytes, false) ||
	    get_size(x, vmo, "limit", w, &v->limit_bytes, false) ||
	    get_uint(x, vmo, "shares", w, 0, 1000000, &shares) ||
	    get_uint(x, vmo, "cpus", w, 1, UMBRA_MAX_CPUS, &cpus) ||
	    get_str(x, vmo, "kernel", w, (char **)&v->vm.kernel, true, true) ||
	    get_str(x, vmo, "initrd", w, (char **)&v->vm.initrd, false, true) ||
	    get_str(x, vmo, "append", w, (char **)&v->vm.append, false, false) ||
	    get_str(x, vmo, "firmware", w, (char **)&v->vm.firmware, false, false) ||
	    get_str(x, vmo, "console", w, &v->console_log, false, true) ||
	    get_str(x, vmo, "swap_dir", w, (char **)&v->vm.swap_dir, false, true) ||
	    get_bool(x, vmo, "deterministic", w, &v->vm.deterministic) ||
	    get_balloon(x, vmo, w, &v->vm.balloon_app) ||
	    parse_drives(x, vmo, w, &v->vm))
		return -1;
	char f[64];
	if (v->vm.mem_bytes < (16u << 20) || v->vm.mem_bytes > (64ull << 30) || v->vm.mem_bytes % 4096)
		return snprintf(f, sizeof(f), "%s.mem", w), bad(x, f, "not from 16M to 64G in whole pages");
	if (!v->limit_bytes)
		v->limit_bytes = v->vm.mem_bytes;
	if (v->limit_bytes > v->vm.mem_bytes)
		return snprintf(f, sizeof(f), "%s.limit", w), bad(x, f, "larger than mem");
	if (v->reservation_bytes > v->limit_bytes)
		return snprintf(f, sizeof(f), "%s.reservation", w), bad(x, f, "larger than limit");
	if (v->vm.firmware && strcmp(v->vm.firmware, "builtin") && strcmp(v->vm.firmware, "none")) {
		char *abs = NULL; /* a firmware file: relative to the config too */
		json_object *fw;
		json_object_object_get_ex(vmo, "firmware", &fw);
		free((char *)v->vm.firmware);
		v->vm.firmware = NULL;
		if (get_str(x, vmo, "firmware", w, &abs, true, true))
			return -1;
		v->vm.firmware = abs;
	}
	v->vm.cpus = (unsigned)cpus;
	v->shares = shares;
	return 0;
}

static int parse_sched(struct ctx *x, json_object *root, struct sched_config *s)
{
	static const char *const keys[] = {"enabled", "period_ms", "idle_tax", "step", "stall_ms", NULL};
	*s = (struct sched_config){.enabled = true, .period_ms = 500, .idle_tax = 0.75,
				   .step_bytes = 64u << 20, .stall_ms = 10000};
	json_object *o, *v;
	if (!json_object_object_get_ex(root, "scheduler", &o))
		return 0;
	if (!json_object_is_type(o, json_type_object))
		return bad(x, "scheduler", "not an object");
	uint64_t period = s->period_ms, stall = s->stall_ms;
	if (only_keys(x, o, "scheduler", keys) || get_bool(x, o, "enabled", "scheduler", &s->enabled) ||
	    get_uint(x, o, "period_ms", "scheduler", 10, 600000, &period) ||
	    get_uint(x, o, "stall_ms", "scheduler", 10, 3600000, &stall) ||
	    get_size(x, o, "step", "scheduler", &s->step_bytes, false))
		return -1;
	if (json_object_object_get_ex(o, "idle_tax", &v)) {
		if (!json_object_is_type(v, json_type_double) && !json_object_is_type(v, json_type_int))
			return bad(x, "scheduler.idle_tax", "not a number");
		s->idle_tax = json_object_get_double(v);
		if (!(s->idle_tax >= 0 && s->idle_tax < 1))
			return bad(x, "scheduler.idle_tax", "must be at least 0 and below 1");
	}
	s->period_ms = (unsigned)period;
	s->stall_ms = (unsigned)stall;
	return 0;
}

int config_load(const char *path, struct host_config *out, char *err, size_t errlen)
{
	static const char *const keys[] = {"host_mem", "api_socket", "scheduler", "vms", NULL};
	struct ctx x = {.file = path, .err = err, .errlen = errlen};
	memset(out, 0, sizeof(*out));
	char tmp[512];
	snprintf(tmp, sizeof(tmp), "%s", path);
	snprintf(x.dir, sizeof(x.dir), "%s", dirname(tmp));
	json_object *root = json_object_from_file(path);
	if (!root) {
		snprintf(err, errlen, "%s: cannot read it as JSON: %s", path, json_util_get_last_err());
		return -1;
	}
	int rc = -1;
	json_object *vms;
	if (!json_object_is_type(root, json_type_object)) {
		bad(&x, "(top level)", "not an object");
		goto out;
	}
	if (only_keys(&x, root, "", keys) || get_size(&x, root, "host_mem", "", &out->host_mem_bytes, true) ||
	    get_str(&x, root, "api_socket", "", &out->api_socket, false, true) ||
	    parse_sched(&x, root, &out->sched))
		goto out;
	if (!json_object_object_get_ex(root, "vms", &vms) || !json_object_is_type(vms, json_type_array) ||
	    json_object_array_length(vms) == 0) {
		bad(&x, "vms", "missing or not a non-empty list");
		goto out;
	}
	if (json_object_array_length(vms) > CONFIG_MAX_VMS) {
		bad(&x, "vms", "too many VMs (at most 8)");
		goto out;
	}
	out->nvms = (unsigned)json_object_array_length(vms);
	for (unsigned i = 0; i < out->nvms; i++) {
		if (parse_vm(&x, json_object_array_get_idx(vms, i), i, &out->vms[i]))
			goto out;
		for (unsigned j = 0; j < i; j++)
			if (!strcmp(out->vms[j].name, out->vms[i].name)) {
				char f[32];
				snprintf(f, sizeof(f), "vms[%u].name", i);
				bad(&x, f, "used twice");
				goto out;
			}
	}
	uint64_t reserved = 0;
	for (unsigned i = 0; i < out->nvms; i++)
		reserved += out->vms[i].reservation_bytes;
	if (reserved > out->host_mem_bytes) {
		bad(&x, "host_mem", "smaller than the sum of the reservations");
		goto out;
	}
	rc = 0;
out:
	json_object_put(root);
	return rc;
}

void config_free(struct host_config *c)
{
	for (unsigned i = 0; i < CONFIG_MAX_VMS; i++) {
		struct vm_config *v = &c->vms[i];
		free(v->name);
		free((char *)v->vm.kernel);
		free((char *)v->vm.initrd);
		free((char *)v->vm.append);
		free((char *)v->vm.firmware);
		free((char *)v->vm.swap_dir);
		free(v->console_log);
		for (unsigned d = 0; d < v->vm.ndrives; d++)
			free((char *)v->vm.drives[d].path);
	}
	free(c->api_socket);
	memset(c, 0, sizeof(*c));
}
