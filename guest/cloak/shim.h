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

/* Small helpers for programs without a C library. */
size_t shim_strlen(const char *s);
void shim_puts(const char *s);
void shim_putu(uint64_t v);
void shim_putx(uint64_t v);

#endif
