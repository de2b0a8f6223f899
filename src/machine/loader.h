/*
 * loader.h - putting guest images into guest RAM: ELF64, the RISC-V Linux
 * Image format, raw binaries and the initrd.
 *
 * Contract: every function checks the whole file against the RAM it is to
 * occupy before copying anything, and on failure writes a message naming
 * the file and the problem into err (and returns a negative errno).
 */
#ifndef UMBRA_MACHINE_LOADER_H
#define UMBRA_MACHINE_LOADER_H

#include "mem/pmap.h"

enum image_kind { IMAGE_ELF, IMAGE_LINUX, IMAGE_RAW };

struct loaded_image {
	enum image_kind kind;
	gpa_t entry;
	gpa_t start, end; /* lowest and highest+1 guest physical address written */
};

/*
 * Loads an ELF64 RISC-V executable at its physical addresses, a Linux Image
 * at ram_base + its text_offset (or at `linux_base` if that is not 0), or,
 * when allow_raw is set, any other file as raw bytes at raw_base.
 */
int load_image(struct pmap *pm, const char *path, gpa_t linux_base, bool allow_raw,
	       gpa_t raw_base, struct loaded_image *out, char *err, size_t errlen) MUST_CHECK;

/* Loads a file as raw bytes at `at`; *size gets its length. */
int load_raw(struct pmap *pm, const char *path, gpa_t at, uint64_t *size, char *err,
	     size_t errlen) MUST_CHECK;

/* The size of a file, with the same error reporting. */
int file_size(const char *path, uint64_t *size, char *err, size_t errlen) MUST_CHECK;

#endif
