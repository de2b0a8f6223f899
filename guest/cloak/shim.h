/*
 * shim.h - the cloaking shim for static Linux programs (docs/cloaking.md).
 *
 * Contract: link the program with shim.c, tramp.S and link.ld, without a C
 * library (-nostdlib -static); the shim provides _start, cloaks the whole
 * image (code, data, bss — which holds the program's stack and heap) before
 * main() runs, and marshals system calls through public bounce buffers,
 * checking what the kernel returns (an impossible length, an address inside
 * the image, a mapping that overlaps something known: the shim exits with
 * status 113 rather than trust it).  Not supported: fork, exec, threads,
 * signal handlers (a cloaked program dies of any signal).
 */
#ifndef UMBRA_GUEST_SHIM_H
#define UMBRA_GUEST_SHIM_H

#include <stddef.h>
#include <stdint.h>

#define SHIM_IAGO_EXIT 113

int main(int argc, char **argv);

long shim_read(int fd, void *buf, size_t len);
long shim_write(int fd, const void *buf, size_t len);
long shim_openat(int dirfd, const char *path, int flags, int mode);
long shim_close(int fd);
long shim_lseek(int fd, long off, int whence);
long shim_fstat_size(int fd, long *size); /* fstat, only st_size */
void *shim_mmap_anon(size_t len);         /* cloaked anonymous memory, or NULL */
long shim_munmap(void *addr, size_t len);
void *shim_brk(void *addr);
long shim_clock_gettime(int clock, int64_t *sec, int64_t *nsec);
long shim_getrandom(void *buf, size_t len);
long shim_nanosleep(int64_t sec, int64_t nsec);
long shim_getpid(void);
_Noreturn void shim_exit(int status);

/*
 * Cloaked files (the program must be cloaked with a derived key: link with
 * -DSHIM_DERIVED_KEY... see shim.c): the data reaches fd only encrypted and
 * bound to (resource, page, version); reading it back verifies every page
 * and that the version is the latest umbra knows for this program and
 * resource, also after a restart.  Write returns 0 or <0; read returns the
 * length, SHIM_EINTEGRITY (tampered or moved) or SHIM_EREPLAY (an older
 * version).  Files hold at most SHIM_FILE_MAX bytes.
 */
#define SHIM_EINTEGRITY (-74)
#define SHIM_EREPLAY (-116)
#define SHIM_FILE_MAX (120 * 4096 - 16)
long shim_file_write(int fd, uint64_t resource, const void *data, size_t len);
long shim_file_read(int fd, uint64_t resource, void *buf, size_t maxlen);

/* Small helpers for programs without a C library. */
size_t shim_strlen(const char *s);
void shim_puts(const char *s);
void shim_putu(uint64_t v);
void shim_putx(uint64_t v);

#endif
