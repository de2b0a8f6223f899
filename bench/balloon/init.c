/* umbra bench: PID 1 of the balloon benchmark's initramfs (bench/balloon.sh).
 *
 * The image is scripts/mkinitramfs.sh's (Debian's virtio modules, virtio_balloon among them,
 * listed in load order in /etc/umbra/modules) with this program as /init. It mounts /proc, /sys
 * and /dev, loads the modules, waits until the guest CPU is idle, checks that a virtio-balloon
 * device is bound to the stock driver, then runs the mode given on the kernel command line:
 *
 *   bench.mode=idle  prints "BENCH-READY idle" and sleeps bench.hold_s seconds (default 600),
 *                    touching nothing, then powers off. The host inflates its balloon.
 *   bench.mode=busy  prints "BENCH-READY busy", sleeps bench.delay_s seconds (default 20), then a
 *                    child process writes bench.mem_mib MiB (default 640; "BENCH-WRITE-BEGIN",
 *                    "BENCH-WROTE <MiB>" every 64 MiB, "BENCH-WRITE-END <s>"), keeps reading
 *                    every page once a second for bench.hold_s seconds (default 20) so that the
 *                    memory stays active, verifies it and prints "BENCH-MEM: PASS <MiB> MiB
 *                    intact" or "BENCH-MEM: FAIL ..." (also when the OOM killer took the child),
 *                    then powers off.
 *
 * Every BENCH- line carries the guest's uptime in seconds ("t=12.345") for reference; the host
 * script timestamps the lines itself. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE 4
#endif

static double uptime(void)
{
    struct timespec ts;
    syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts); /* not the vDSO (rdtime may trap) */
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n > sizeof buf - 2)
        n = sizeof buf - 2;
    buf[n++] = '\n';
    for (int off = 0; off < n;) {
        ssize_t w = write(1, buf + off, (size_t)(n - off));
        if (w <= 0)
            return;
        off += (int)w;
    }
}

static void __attribute__((noreturn)) power_off(void)
{
    sync();
    reboot(RB_POWER_OFF);
    for (;;)
        pause();
}

static ssize_t read_text(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t len = 0;
    for (;;) {
        ssize_t r = read(fd, buf + len, size - 1 - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0 || (len += (size_t)r) + 1 >= size)
            break;
    }
    close(fd);
    buf[len] = '\0';
    return (ssize_t)len;
}

static void load_modules(void)
{
    static char list[8192];
    if (read_text("/etc/umbra/modules", list, sizeof list) < 0) {
        say("bench-init: no /etc/umbra/modules");
        return;
    }
    for (char *save = NULL, *p = strtok_r(list, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
        int fd = open(p, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            say("bench-init: %s: %s", p, strerror(errno));
            continue;
        }
        size_t n = strlen(p);
        int compressed = n > 3 && (!strcmp(p + n - 3, ".xz") || !strcmp(p + n - 3, ".gz") ||
                                   (n > 4 && !strcmp(p + n - 4, ".zst")));
        if (syscall(SYS_finit_module, fd, "", compressed ? MODULE_INIT_COMPRESSED_FILE : 0) != 0 &&
            errno != EEXIST)
            say("bench-init: module %s: %s", p, strerror(errno));
        close(fd);
    }
}

/* Waits until the guest CPU was at least 95% idle in two 0.25 s windows in a row (at most 60 s). */
static void settle(void)
{
    double start = uptime();
    int quiet = 0;
    unsigned long long prev_total = 0, prev_idle = 0;
    while (quiet < 2 && uptime() - start < 60) {
        char buf[256];
        unsigned long long v[8] = {0}, total = 0;
        if (read_text("/proc/stat", buf, sizeof buf) <= 0 ||
            sscanf(buf, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
                   &v[4], &v[5], &v[6], &v[7]) < 5)
            return;
        for (int i = 0; i < 8; i++)
            total += v[i];
        unsigned long long idle = v[3] + v[4];
        if (prev_total)
            quiet = total > prev_total && (idle - prev_idle) * 100 >= (total - prev_total) * 95
                        ? quiet + 1 : 0;
        prev_total = total;
        prev_idle = idle;
        usleep(250000);
    }
}

/* Whether a device is bound to the virtio_balloon driver. */
static int balloon_bound(void)
{
    DIR *d = opendir("/sys/bus/virtio/drivers/virtio_balloon");
    if (!d)
        return 0;
    int found = 0;
    for (struct dirent *e; (e = readdir(d));)
        found |= !strncmp(e->d_name, "virtio", 6);
    closedir(d);
    return found;
}

static unsigned param(const char *cmdline, const char *key, unsigned dflt)
{
    size_t k = strlen(key);
    for (const char *p = cmdline; (p = strstr(p, key)); p += k)
        if ((p == cmdline || p[-1] == ' ') && p[k] == '=')
            return (unsigned)strtoul(p + k + 1, NULL, 10);
    return dflt;
}

static int is_mode(const char *cmdline, const char *mode)
{
    const char *p = strstr(cmdline, "bench.mode=");
    size_t n = strlen(mode);
    return p && !strncmp(p + 11, mode, n) && (p[11 + n] == ' ' || p[11 + n] == '\n' ||
                                              p[11 + n] == '\0');
}

static uint64_t pattern(size_t page, size_t word)
{
    return page * 0x9e3779b97f4a7c15ull + word;
}

/* The busy program (a child, so that the OOM killer cannot take PID 1). */
static int __attribute__((noreturn)) writer(unsigned mib, unsigned hold)
{
    size_t bytes = (size_t)mib << 20, pages = bytes / 4096;
    uint64_t *mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) {
        say("BENCH-MEM: FAIL mmap of %u MiB: %s", mib, strerror(errno));
        _exit(1);
    }
    double t0 = uptime();
    say("BENCH-WRITE-BEGIN t=%.3f", t0);
    for (size_t p = 0; p < pages; p++) {
        for (size_t w = 0; w < 512; w += 64)
            mem[p * 512 + w] = pattern(p, w);
        if ((p + 1) % (64 * 256) == 0)
            say("BENCH-WROTE %zu t=%.3f", (p + 1) / 256, uptime());
    }
    say("BENCH-WRITE-END %.3f s t=%.3f", uptime() - t0, uptime());
    for (unsigned t = 0; t < hold; t++) {
        sleep(1);
        volatile uint64_t sink = 0;
        for (size_t p = 0; p < pages; p++)
            sink += mem[p * 512];
        (void)sink;
    }
    size_t bad = 0;
    for (size_t p = 0; p < pages; p++)
        for (size_t w = 0; w < 512; w += 64)
            bad += mem[p * 512 + w] != pattern(p, w);
    if (bad)
        say("BENCH-MEM: FAIL %zu words changed", bad);
    else
        say("BENCH-MEM: PASS %u MiB intact", mib);
    _exit(bad != 0);
}

int main(void)
{
    if (fcntl(1, F_GETFD) < 0) {
        int fd = open("/dev/console", O_RDWR);
        if (fd >= 0) {
            dup2(fd, 0);
            dup2(fd, 1);
            dup2(fd, 2);
        }
    }
    mkdir("/proc", 0555);
    mkdir("/sys", 0555);
    mkdir("/dev", 0755);
    mount("proc", "/proc", "proc", 0, NULL);
    mount("sysfs", "/sys", "sysfs", 0, NULL);
    mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
    say("BENCH-INIT t=%.3f", uptime());
    load_modules();
    settle();

    static char cmdline[4096];
    read_text("/proc/cmdline", cmdline, sizeof cmdline);
    if (!balloon_bound()) {
        say("BENCH-NO-BALLOON: no device bound to the virtio_balloon driver");
        power_off();
    }
    if (is_mode(cmdline, "busy")) {
        unsigned mib = param(cmdline, "bench.mem_mib", 640);
        unsigned delay = param(cmdline, "bench.delay_s", 20);
        unsigned hold = param(cmdline, "bench.hold_s", 20);
        say("BENCH-READY busy t=%.3f", uptime());
        sleep(delay);
        pid_t pid = fork();
        if (pid == 0)
            writer(mib, hold);
        int st = 0;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
            ;
        if (WIFSIGNALED(st))
            say("BENCH-MEM: FAIL the writer was killed by signal %d (the OOM killer?)",
                WTERMSIG(st));
        power_off();
    }
    unsigned hold = param(cmdline, "bench.hold_s", 600);
    say("BENCH-READY idle t=%.3f", uptime());
    sleep(hold);
    say("BENCH-DONE t=%.3f", uptime());
    power_off();
}
