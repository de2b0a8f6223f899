/*
 * fuzz_api - the host configuration file parser (src/api/config.c) and the
 * management API's request handler (api_handle() in src/api/server.c).
 *
 * Input: the first byte chooses.  Even: the rest is a configuration file;
 * config_load() must return 0 or -1, an error must name the file, and a
 * loaded configuration must hold what docs/config.md promises (1 to
 * CONFIG_MAX_VMS VMs with distinct non-empty names and a kernel, memory of
 * whole pages from 16 MiB to 64 GiB, reservation <= limit <= memory, 1-8
 * harts, at most UMBRA_MAX_DRIVES drives, the reservations within host_mem).
 * Odd: the rest is up to 16 request lines for a host of two VMs (made once,
 * never run); after each, the answer must be one JSON object with a boolean
 * "ok" (and a non-empty "error" when false), and every VM's policy must
 * stay consistent (reservation <= target <= limit <= memory when the target
 * is manual, the reservations within host_mem).  A set bit 1 of the first
 * byte runs the scheduler's period between requests.  Nothing may leak.
 */
#include <fcntl.h>
#include <json-c/json.h>
#include <string.h>
#include <unistd.h>

#include "api/config.h"
#include "api/server.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct world {
	char dir[64], config[96];
	struct host_config cfg;
	struct host host;
	bool ready;
};

static void write_file(const char *path, const void *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	FUZZ_CHECK(fd >= 0, "cannot write %s", path);
	FUZZ_CHECK(write(fd, p, n) == (ssize_t)n, "short write to %s", path);
	close(fd);
}

static void put(uint8_t *p, unsigned off, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[off + i] = (uint8_t)(v >> (8 * i));
}

/* A minimal RISC-V ELF64 executable at 0x80200000: wfi; j .-4. */
static void write_kernel(const char *path)
{
	uint8_t f[128] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
	put(f, 16, 2, 2);	   /* ET_EXEC */
	put(f, 18, 243, 2);	   /* EM_RISCV */
	put(f, 20, 1, 4);
	put(f, 24, 0x80200000, 8); /* entry */
	put(f, 32, 64, 8);	   /* phoff */
	put(f, 52, 64, 2);
	put(f, 54, 56, 2);
	put(f, 56, 1, 2);	   /* one program header */
	put(f, 58, 64, 2);
	put(f, 64, 1, 4);	   /* PT_LOAD */
	put(f, 68, 5, 4);	   /* R|X */
	put(f, 72, 120, 8);	   /* offset */
	put(f, 80, 0x80200000, 8);
	put(f, 88, 0x80200000, 8);
	put(f, 96, 8, 8);
	put(f, 104, 8, 8);
	put(f, 112, 4096, 8);
	put(f, 120, 0x10500073, 4); /* wfi */
	put(f, 124, 0xffdff06f, 4); /* j .-4 */
	write_file(path, f, sizeof(f));
}

/* The harness's one world: libFuzzer calls LLVMFuzzerTestOneInput() with no context. */
static struct world the_world;

/* At exit: the directory world() made. */
static void remove_dir(void)
{
	char path[96];
	snprintf(path, sizeof(path), "%s/k.bin", the_world.dir);
	unlink(path);
	unlink(the_world.config);
	rmdir(the_world.dir);
}

/* Once: a directory with a kernel and a host of two VMs that never run. */
static struct world *world(void)
{
	struct world *w = &the_world;
	if (w->ready)
		return w;
	/* in memory if it can be: every input rewrites the config file there */
	bool shm = access("/dev/shm", W_OK) == 0;
	snprintf(w->dir, sizeof(w->dir), "%s/umbra-fuzz-api.XXXXXX", shm ? "/dev/shm" : "/tmp");
	FUZZ_CHECK(mkdtemp(w->dir), "mkdtemp");
	atexit(remove_dir);
	snprintf(w->config, sizeof(w->config), "%s/c.json", w->dir);
	char path[128];
	snprintf(path, sizeof(path), "%s/k.bin", w->dir);
	write_kernel(path);
	static const char host_json[] =
		"{ \"host_mem\": \"48M\", \"vms\": ["
		" { \"name\": \"a\", \"mem\": \"32M\", \"reservation\": \"8M\", \"kernel\": \"k.bin\" },"
		" { \"name\": \"b\", \"mem\": \"16M\", \"kernel\": \"k.bin\", \"balloon\": \"app\" } ] }";
	write_file(w->config, host_json, strlen(host_json));
	char err[512];
	FUZZ_CHECK(config_load(w->config, &w->cfg, err, sizeof(err)) == 0, "host config: %s", err);
	struct host *h = &w->host;
	pthread_mutex_init(&h->lock, NULL);
	h->cfg = &w->cfg;
	for (unsigned i = 0; i < w->cfg.nvms; i++) {
		struct host_vm *v = &h->vms[i];
		v->cfg = &w->cfg.vms[i];
		v->console_fd = -1;
		v->vm = umbra_vm_create(&v->cfg->vm, err, sizeof(err));
		FUZZ_CHECK(v->vm, "VM %u: %s", i, err);
		v->stats.size_bytes = v->cfg->vm.mem_bytes;
		v->stats.running = true;
		v->reservation_bytes = v->cfg->reservation_bytes;
		v->limit_bytes = v->cfg->limit_bytes;
		v->shares = v->cfg->shares;
		v->target_bytes = v->cfg->limit_bytes;
		h->nvms = i + 1;
	}
	w->ready = true;
	return w;
}

static void check_config(const struct host_config *c)
{
	FUZZ_CHECK(c->nvms >= 1 && c->nvms <= CONFIG_MAX_VMS, "%u VMs", c->nvms);
	uint64_t reserved = 0;
	for (unsigned i = 0; i < c->nvms; i++) {
		const struct vm_config *v = &c->vms[i];
		FUZZ_CHECK(v->name && v->name[0], "vms[%u] without a name", i);
		for (unsigned j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(v->name, c->vms[j].name), "two VMs named '%s'", v->name);
		FUZZ_CHECK(v->vm.kernel, "vms[%u] without a kernel", i);
		uint64_t mem = v->vm.mem_bytes;
		FUZZ_CHECK(mem >= (16u << 20) && mem <= (64ull << 30) && mem % 4096 == 0,
			   "vms[%u].mem %llu", i, (unsigned long long)mem);
		FUZZ_CHECK(v->reservation_bytes <= v->limit_bytes && v->limit_bytes <= mem,
			   "vms[%u]: reservation %llu, limit %llu, mem %llu", i,
			   (unsigned long long)v->reservation_bytes, (unsigned long long)v->limit_bytes,
			   (unsigned long long)mem);
		FUZZ_CHECK(v->vm.cpus >= 1 && v->vm.cpus <= UMBRA_MAX_CPUS, "vms[%u].cpus %u", i,
			   v->vm.cpus);
		FUZZ_CHECK(v->vm.ndrives <= UMBRA_MAX_DRIVES, "vms[%u]: %u drives", i, v->vm.ndrives);
		for (unsigned d = 0; d < v->vm.ndrives; d++)
			FUZZ_CHECK(v->vm.drives[d].path, "vms[%u].drives[%u] without a file", i, d);
		reserved += v->reservation_bytes;
	}
	FUZZ_CHECK(reserved <= c->host_mem_bytes, "reservations %llu above host_mem %llu",
		   (unsigned long long)reserved, (unsigned long long)c->host_mem_bytes);
}

static void fuzz_config(struct world *w, const uint8_t *p, size_t n)
{
	write_file(w->config, p, n);
	struct host_config c;
	char err[512];
	memset(err, 0x5a, sizeof(err));
	int rc = config_load(w->config, &c, err, sizeof(err));
	FUZZ_CHECK(rc == 0 || rc == -1, "config_load returned %d", rc);
	if (rc)
		FUZZ_CHECK(memchr(err, 0, sizeof(err)) && strstr(err, "c.json"),
			   "an error that does not name the file: %.100s", err);
	else
		check_config(&c);
	config_free(&c);
}

static void check_answer(const char *answer)
{
	FUZZ_CHECK(answer, "no answer");
	FUZZ_CHECK(!strchr(answer, '\n') || strchr(answer, '\n')[1] == 0, "a line break inside");
	json_object *o = json_tokener_parse(answer);
	FUZZ_CHECK(o && json_object_is_type(o, json_type_object), "not a JSON object: %.100s", answer);
	json_object *ok, *e;
	FUZZ_CHECK(json_object_object_get_ex(o, "ok", &ok) && json_object_is_type(ok, json_type_boolean),
		   "no boolean ok: %.100s", answer);
	if (!json_object_get_boolean(ok))
		FUZZ_CHECK(json_object_object_get_ex(o, "error", &e) &&
			   json_object_is_type(e, json_type_string) && json_object_get_string_len(e) > 0,
			   "a refusal without an error: %.100s", answer);
	json_object_put(o);
}

static void check_policy(const struct host *h)
{
	uint64_t reserved = 0;
	for (unsigned i = 0; i < h->nvms; i++) {
		const struct host_vm *v = &h->vms[i];
		FUZZ_CHECK(v->reservation_bytes <= v->limit_bytes &&
			   v->limit_bytes <= v->cfg->vm.mem_bytes && v->shares <= 1000000,
			   "VM %u: reservation %llu limit %llu shares %llu", i,
			   (unsigned long long)v->reservation_bytes, (unsigned long long)v->limit_bytes,
			   (unsigned long long)v->shares);
		if (v->manual_target)
			FUZZ_CHECK(v->target_bytes >= v->reservation_bytes &&
				   v->target_bytes <= v->limit_bytes, "VM %u: manual target %llu", i,
				   (unsigned long long)v->target_bytes);
		reserved += v->reservation_bytes;
	}
	FUZZ_CHECK(reserved <= h->cfg->host_mem_bytes, "reservations above host_mem");
}

static void fuzz_requests(struct world *w, const uint8_t *p, size_t n, bool tick)
{
	struct host *h = &w->host;
	char *buf = malloc(n + 1);
	if (!buf)
		return;
	memcpy(buf, p, n);
	buf[n] = 0;
	char *line = buf;
	for (unsigned k = 0; k < 16 && line; k++) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		char *answer = api_handle(h, line);
		check_answer(answer);
		free(answer);
		check_policy(h);
		if (tick)
			host_tick(h);
		line = nl ? nl + 1 : NULL;
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct world *w = world();
	if (size == 0)
		return 0;
	if (data[0] & 1)
		fuzz_requests(w, data + 1, size - 1, data[0] & 2);
	else
		fuzz_config(w, data + 1, size - 1);
	return 0;
}
