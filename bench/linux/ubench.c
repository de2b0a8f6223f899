/* umbra bench: the workloads as a Linux user program.  Built twice: statically for riscv64
 * (run by bench/linux/init.c inside the guest) and with the host cc for the native column.
 *
 *   ubench intmix ITERS | calls N | chase MIB STEPS | getppid N | pipe N
 *
 * prints one line "BENCH <workload> setup=<ticks> ticks=<ticks> check=<hex> clock=<source>",
 * ticks in 10 MHz units.  On RISC-V the source is rdtime (the virt timebase is 10 MHz) if user
 * mode may read the time CSR, else (the kernel left scounteren.TM clear, so rdtime and the vDSO
 * clock_gettime raise SIGILL) the clock_gettime system call, which reads it in the kernel;
 * natively it is CLOCK_MONOTONIC. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../common/work.h"

static const char *clock_name = "clock_gettime";

#if defined(__riscv)
static int use_rdtime;
static sigjmp_buf probe_env;

static void on_sigill(int sig)
{
    (void)sig;
    siglongjmp(probe_env, 1);
}

static void pick_clock(void)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigill;
    sigaction(SIGILL, &sa, &old);
    if (sigsetjmp(probe_env, 1) == 0) {
        uint64_t t;
        __asm__ volatile("rdtime %0" : "=r"(t));
        (void)t;
        use_rdtime = 1;
    }
    sigaction(SIGILL, &old, NULL);
    clock_name = use_rdtime ? "rdtime" : "syscall";
}
#else
static void pick_clock(void) {}
#endif

static uint64_t ticks(void)
{
    struct timespec ts;
#if defined(__riscv)
    if (use_rdtime) {
        uint64_t t;
        __asm__ volatile("rdtime %0" : "=r"(t));
        return t;
    }
    syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts); /* not the vDSO: it uses rdtime */
#else
    clock_gettime(CLOCK_MONOTONIC, &ts);
#endif
    return (uint64_t)ts.tv_sec * 10000000u + (uint64_t)ts.tv_nsec / 100u;
}

static uint64_t num(const char *s)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *s == '\0' || *end != '\0') {
        fprintf(stderr, "ubench: bad number '%s'\n", s);
        exit(2);
    }
    return v;
}

static int usage(void)
{
    fprintf(stderr, "usage: ubench intmix ITERS | calls N | chase MIB STEPS | getppid N | pipe N\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return usage();
    const char *w = argv[1];
    pick_clock();
    uint64_t t0 = ticks(), t1 = t0, check = 0;

    if (strcmp(w, "intmix") == 0 && argc == 3) {
        check = intmix_run((uint32_t)num(argv[2]));
    } else if (strcmp(w, "calls") == 0 && argc == 3) {
        check = calls_run((uint32_t)num(argv[2]));
    } else if (strcmp(w, "chase") == 0 && argc == 4) {
        uint64_t n = (num(argv[2]) << 20) / sizeof(uint64_t), steps = num(argv[3]);
        uint64_t *buf = malloc(n * sizeof *buf);
        if (!buf) {
            perror("ubench: malloc");
            return 1;
        }
        chase_build(buf, n, 0x9e3779b97f4a7c15ull);
        t1 = ticks();
        check = chase_run(buf, steps);
        free(buf);
    } else if (strcmp(w, "getppid") == 0 && argc == 3) {
        uint64_t n = num(argv[2]);
        long first = syscall(SYS_getppid); /* raw system call: nothing cached in libc */
        t1 = ticks();
        for (uint64_t i = 0; i < n; i++)
            check += syscall(SYS_getppid) == first;
    } else if (strcmp(w, "pipe") == 0 && argc == 3) {
        uint64_t n = num(argv[2]);
        int fd[2];
        if (pipe(fd) != 0) {
            perror("ubench: pipe");
            return 1;
        }
        t1 = ticks();
        for (uint64_t i = 0; i < n; i++) {
            uint8_t out = (uint8_t)i, in = 0;
            if (write(fd[1], &out, 1) != 1 || read(fd[0], &in, 1) != 1) {
                perror("ubench: pipe write/read");
                return 1;
            }
            check += in;
        }
        close(fd[0]);
        close(fd[1]);
    } else {
        return usage();
    }
    uint64_t t2 = ticks();
    printf("BENCH %s setup=%" PRIu64 " ticks=%" PRIu64 " check=0x%016" PRIx64 " clock=%s\n", w,
           t1 - t0, t2 - t1, check, clock_name);
    fflush(stdout);
    return 0;
}
