/*
 * loader.c - image formats.
 *
 * The RISC-V Linux Image header (Documentation/arch/riscv/boot-image-header.rst):
 *
 *   u32 code0, code1;  u64 text_offset;  u64 image_size;  u64 flags;
 *   u32 version, res1;  u64 res2;  u64 magic = "RISCV\0\0\0";  u32 magic2 = "RSC\x05";
 *   u32 res3 (PE header offset)
 *
 * Debian's kernel also carries an EFI stub ("MZ" in code0); booted directly
 * it behaves as a plain Image.
 */
#include "machine/loader.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_IMAGE_BYTES (1ull << 32)

/* Reads a whole file into a malloc'ed buffer. */
static int slurp(const char *path, uint8_t **buf, uint64_t *len, char *err, size_t errlen)
{
	uint64_t size;
	int rc = file_size(path, &size, err, errlen);
	if (rc)
		return rc;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	uint8_t *b = malloc(size ? size : 1);
	uint64_t got = 0;
	while (b && got < size) {
		ssize_t n = read(fd, b + got, size - got);
		if (n <= 0) {
			snprintf(err, errlen, "%s: read failed: %s", path,
				 n ? strerror(errno) : "file shrank while reading");
			free(b);
			close(fd);
			return -EIO;
		}
		got += (uint64_t)n;
	}
	close(fd);
	if (!b) {
		snprintf(err, errlen, "%s: out of memory reading %llu bytes", path,
			 (unsigned long long)size);
		return -ENOMEM;
	}
	*buf = b;
	*len = size;
	return 0;
}

int file_size(const char *path, uint64_t *size, char *err, size_t errlen)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		return -EINVAL;
	}
	if ((uint64_t)st.st_size > MAX_IMAGE_BYTES) {
		snprintf(err, errlen, "%s: too large (%lld bytes)", path, (long long)st.st_size);
		return -EFBIG;
	}
	*size = (uint64_t)st.st_size;
	return 0;
}

static int no_room(const char *path, const char *what, gpa_t at, uint64_t len,
		   const struct pmap *pm, char *err, size_t errlen)
{
	snprintf(err, errlen,
		 "%s: %s at 0x%llx..0x%llx does not fit in guest RAM 0x%llx..0x%llx (try a larger --mem)",
		 path, what, (unsigned long long)at, (unsigned long long)(at + len),
		 (unsigned long long)pm->ram_base, (unsigned long long)(pm->ram_base + pm->ram_size));
	return -ENOSPC;
}

static int load_elf(struct pmap *pm, const char *path, const uint8_t *b, uint64_t len,
		    struct loaded_image *out, char *err, size_t errlen)
{
	const Elf64_Ehdr *eh = (const void *)b;
	if (len < sizeof(*eh) || b[EI_CLASS] != ELFCLASS64 || b[EI_DATA] != ELFDATA2LSB) {
		snprintf(err, errlen, "%s: not a 64-bit little-endian ELF file", path);
		return -ENOEXEC;
	}
	if (eh->e_machine != EM_RISCV) {
		snprintf(err, errlen, "%s: ELF machine %u is not RISC-V (%u)", path, eh->e_machine,
			 EM_RISCV);
		return -ENOEXEC;
	}
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phoff > len ||
	    (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > len - eh->e_phoff) {
		snprintf(err, errlen, "%s: truncated or malformed ELF program headers", path);
		return -ENOEXEC;
	}
	const uint8_t *ph = b + eh->e_phoff;
	gpa_t lo = UINT64_MAX, hi = 0;
	for (int pass = 0; pass < 2; pass++) { /* check everything, then copy */
		for (unsigned i = 0; i < eh->e_phnum; i++) {
			Elf64_Phdr seg; /* copied out: e_phoff need not be aligned */
			memcpy(&seg, ph + i * sizeof(seg), sizeof(seg));
			const Elf64_Phdr *p = &seg;
			if (p->p_type != PT_LOAD || p->p_memsz == 0)
				continue;
			if (p->p_filesz > p->p_memsz || p->p_offset > len ||
			    p->p_filesz > len - p->p_offset) {
				snprintf(err, errlen, "%s: segment %u lies outside the file", path, i);
				return -ENOEXEC;
			}
			if (!pmap_is_ram(pm, p->p_paddr, p->p_memsz))
				return no_room(path, "segment", p->p_paddr, p->p_memsz, pm, err, errlen);
			if (pass == 0) {
				lo = p->p_paddr < lo ? p->p_paddr : lo;
				hi = p->p_paddr + p->p_memsz > hi ? p->p_paddr + p->p_memsz : hi;
				continue;
			}
			uint8_t *zero = calloc(1, p->p_memsz - p->p_filesz + 1);
			if (!zero || pmap_dma_write(pm, p->p_paddr, b + p->p_offset, p->p_filesz) ||
			    pmap_dma_write(pm, p->p_paddr + p->p_filesz, zero, p->p_memsz - p->p_filesz)) {
				free(zero);
				snprintf(err, errlen, "%s: cannot copy segment %u", path, i);
				return -EIO;
			}
			free(zero);
		}
	}
	if (lo == UINT64_MAX) {
		snprintf(err, errlen, "%s: ELF file has no loadable segment", path);
		return -ENOEXEC;
	}
	*out = (struct loaded_image){IMAGE_ELF, eh->e_entry, lo, hi};
	return 0;
}

static int load_linux(struct pmap *pm, const char *path, const uint8_t *b, uint64_t len,
		      gpa_t base, struct loaded_image *out, char *err, size_t errlen)
{
	uint64_t text_offset = ld_le(b + 8, 8), image_size = ld_le(b + 16, 8);
	if (image_size < len)
		image_size = len;
	gpa_t at = base ? base : pm->ram_base + text_offset;
	if (at & ((2u << 20) - 1)) {
		snprintf(err, errlen, "%s: a 64-bit RISC-V Image must be loaded 2 MiB aligned (0x%llx)",
			 path, (unsigned long long)at);
		return -EINVAL;
	}
	if (!pmap_is_ram(pm, at, image_size))
		return no_room(path, "kernel image", at, image_size, pm, err, errlen);
	if (pmap_dma_write(pm, at, b, len)) {
		snprintf(err, errlen, "%s: cannot copy the kernel", path);
		return -EIO;
	}
	*out = (struct loaded_image){IMAGE_LINUX, at, at, at + image_size};
	return 0;
}

static bool is_linux_image(const uint8_t *b, uint64_t len)
{
	return len >= 64 && (memcmp(b + 56, "RSC\x05", 4) == 0 || memcmp(b + 48, "RISCV\0\0\0", 8) == 0);
}

int load_image(struct pmap *pm, const char *path, gpa_t linux_base, bool allow_raw,
	       gpa_t raw_base, struct loaded_image *out, char *err, size_t errlen)
{
	uint8_t *b;
	uint64_t len;
	int rc = slurp(path, &b, &len, err, errlen);
	if (rc)
		return rc;
	if (len >= 4 && memcmp(b, ELFMAG, SELFMAG) == 0) {
		rc = load_elf(pm, path, b, len, out, err, errlen);
	} else if (is_linux_image(b, len)) {
		rc = load_linux(pm, path, b, len, linux_base, out, err, errlen);
	} else if (len >= 2 && b[0] == 0x1f && b[1] == 0x8b) {
		snprintf(err, errlen, "%s: gzip-compressed image: decompress it first (zcat)", path);
		rc = -ENOEXEC;
	} else if (allow_raw && len > 0) {
		if (!pmap_is_ram(pm, raw_base, len))
			rc = no_room(path, "image", raw_base, len, pm, err, errlen);
		else if (pmap_dma_write(pm, raw_base, b, len))
			rc = -EIO;
		else
			*out = (struct loaded_image){IMAGE_RAW, raw_base, raw_base, raw_base + len};
	} else {
		snprintf(err, errlen, "%s: %s", path,
			 len ? "neither an ELF64 RISC-V executable nor a RISC-V Linux Image"
			     : "empty file");
		rc = -ENOEXEC;
	}
	free(b);
	return rc;
}

int load_raw(struct pmap *pm, const char *path, gpa_t at, uint64_t *size, char *err,
	     size_t errlen)
{
	uint8_t *b;
	uint64_t len;
	int rc = slurp(path, &b, &len, err, errlen);
	if (rc)
		return rc;
	if (!pmap_is_ram(pm, at, len))
		rc = no_room(path, "file", at, len, pm, err, errlen);
	else if (pmap_dma_write(pm, at, b, len))
		rc = -EIO;
	*size = len;
	free(b);
	return rc;
}
