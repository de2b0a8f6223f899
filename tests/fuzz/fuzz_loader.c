/*
 * fuzz_loader - the image loaders (src/machine/loader.c) with the input as
 * the file, and the device-tree builder (src/machine/fdt.c) with a random
 * board description.
 *
 * Input: byte 0 picks the operation (load_image with or without raw
 * images and a fixed Linux base, load_raw, or fdt_build), byte 1 where the
 * 4 MiB of RAM lie (0x80000000, 0, the top of the address space, or
 * anywhere); the rest is the file (written to a memfd) or the board.
 *
 * Invariants: no sanitizer report; a load that succeeds wrote only inside
 * RAM and says where; a load that fails returns a negative errno and a
 * message naming the file; a device tree that is built fits its buffer,
 * passes fdt_check_full() and describes the board it was given (harts,
 * memory, bootargs, initrd).
 */
#include "fuzz.h"
#include "machine/fdt.h"
#include "machine/loader.h"

#include <libfdt.h>
#include <sys/mman.h>
#include <unistd.h>

#define RAM_SIZE (4ull << 20)
#define BOOTARGS_MAX 512

static int file_fd = -1;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* RAM may lie anywhere, as long as its end (base + size) is representable. */
static gpa_t ram_base(struct fz *f)
{
	const gpa_t top = 0 - 2 * RAM_SIZE;
	uint8_t sel = fz_u8(f);
	switch (sel % 4) {
	case 0: return 0x80000000ull;
	case 1: return 0;
	case 2: return top;
	}
	gpa_t base = fz_u64(f) & PAGE_MASK;
	return base > top ? top : base;
}

static void check_loaded(const struct pmap *pm, const struct loaded_image *img, uint64_t len)
{
	FUZZ_CHECK(img->start <= img->end, "start %#llx end %#llx", (unsigned long long)img->start,
		   (unsigned long long)img->end);
	FUZZ_CHECK(pmap_is_ram(pm, img->start, img->end - img->start), "%#llx..%#llx is not RAM",
		   (unsigned long long)img->start, (unsigned long long)img->end);
	if (img->kind == IMAGE_RAW)
		FUZZ_CHECK(img->end - img->start == len, "raw image of %llu bytes spans %llu",
			   (unsigned long long)len, (unsigned long long)(img->end - img->start));
	if (img->kind == IMAGE_LINUX)
		FUZZ_CHECK(img->entry == img->start && !(img->start & 0x1fffff),
			   "Linux Image at %#llx", (unsigned long long)img->start);
}

static void check_error(int rc, const char *err, const char *path)
{
	FUZZ_CHECK(rc < 0 && rc > -4096, "returned %d", rc);
	FUZZ_CHECK(strstr(err, path), "message '%s' does not name %s", err, path);
}

static void load(struct fz *f, uint8_t op)
{
	struct pmap pm;
	gpa_t base = ram_base(f);
	gpa_t linux_base = (op & 2) ? base + 0x200000 : 0;
	char path[64], err[512] = "";
	size_t len;
	const uint8_t *file = fz_bytes(f, f->n, &len);

	if (file_fd < 0 && (file_fd = memfd_create("image", 0)) < 0)
		panic("fuzz_loader: memfd_create");
	if (ftruncate(file_fd, 0) || (len && pwrite(file_fd, file, len, 0) != (ssize_t)len))
		panic("fuzz_loader: cannot write the image");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", file_fd);
	if (pmap_init(&pm, base, RAM_SIZE))
		panic("fuzz_loader: pmap_init");
	if (op % 3 == 2) {
		uint64_t at = base + (len % RAM_SIZE), got = 0;
		int rc = load_raw(&pm, path, at, &got, err, sizeof(err));
		if (rc)
			check_error(rc, err, path);
		else
			FUZZ_CHECK(got == len && pmap_is_ram(&pm, at, len), "load_raw of %zu bytes", len);
	} else {
		struct loaded_image img;
		int rc = load_image(&pm, path, linux_base, op & 1, base, &img, err, sizeof(err));
		if (rc)
			check_error(rc, err, path);
		else
			check_loaded(&pm, &img, len);
	}
	pmap_destroy(&pm);
}

static void check_prop(const void *fdt, const char *node, const char *name, const void *want,
		       int want_len)
{
	int off = fdt_path_offset(fdt, node), len = -1;
	const void *p = off >= 0 ? fdt_getprop(fdt, off, name, &len) : NULL;
	FUZZ_CHECK(p && len == want_len && !memcmp(p, want, (size_t)len), "%s/%s", node, name);
}

static void build_fdt(struct fz *f)
{
	char bootargs[BOOTARGS_MAX + 1];
	struct board_desc d = {.nharts = fz_u8(f) % 10, .ram_base = fz_u64(f),
			       .ram_size = fz_u64(f), .initrd_start = fz_u64(f),
			       .initrd_end = fz_u64(f), .nvirtio = fz_u8(f) % 10};
	size_t bufsize = fz_u16(f), n;
	const uint8_t *s = fz_bytes(f, fz_u16(f) % (BOOTARGS_MAX + 1), &n);
	memcpy(bootargs, s, n);
	bootargs[n] = 0;
	d.bootargs = n ? bootargs : NULL;
	memcpy(d.rng_seed, fz_bytes(f, sizeof(d.rng_seed), &n), n);
	uint8_t *buf = malloc(bufsize ? bufsize : 1);
	if (!buf)
		return;
	int size = fdt_build(&d, buf, bufsize);
	if (size >= 0) {
		FUZZ_CHECK((size_t)size <= bufsize, "%d bytes in a %zu-byte buffer", size, bufsize);
		FUZZ_CHECK(fdt_check_full(buf, (size_t)size) == 0, "fdt_check_full");
		char node[64];
		fdt64_t reg[2] = {cpu_to_fdt64(d.ram_base), cpu_to_fdt64(d.ram_size)};
		snprintf(node, sizeof(node), "/memory@%llx", (unsigned long long)d.ram_base);
		check_prop(buf, node, "reg", reg, sizeof(reg));
		snprintf(node, sizeof(node), "/cpus/cpu@%x", d.nharts - 1);
		FUZZ_CHECK(fdt_path_offset(buf, node) >= 0, "no %s", node);
		snprintf(node, sizeof(node), "/cpus/cpu@%x", d.nharts);
		FUZZ_CHECK(fdt_path_offset(buf, node) < 0, "extra %s", node);
		if (d.bootargs)
			check_prop(buf, "/chosen", "bootargs", bootargs, (int)strlen(bootargs) + 1);
		if (d.initrd_end > d.initrd_start) {
			fdt64_t v = cpu_to_fdt64(d.initrd_start);
			check_prop(buf, "/chosen", "linux,initrd-start", &v, sizeof(v));
		}
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = {data, size};
	uint8_t op = fz_u8(&f);
	if (op % 8 < 6)
		load(&f, op % 8);
	else
		build_fdt(&f);
	return 0;
}
