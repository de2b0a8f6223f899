/* umbra bench: PID 1 of the benchmark initramfs.
 *
 * Prints "BENCH-INIT" first thing (the host script times the boot to this line), mounts /proc,
 * prints the guest's uptime, waits until the kernel's post-boot background work has died down
 * (the guest CPU at least 95% idle over two 0.25 s windows in a row, at most 60 s; without
 * this the first workload ran up to 3x slower on QEMU), then runs every line of /bench/plan as the arguments of
 * /bench/ubench, each between "BENCH-BEGIN <line>" and "BENCH-END status=<n>" lines (the host
 * timestamps those), prints "BENCH-DONE" and powers off. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PLAN "/bench/plan"
#define PROG "/bench/ubench"

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

/* Sum of all and of idle+iowait jiffies from /proc/stat's "cpu" line. */
static int cpu_times(unsigned long long *total, unsigned long long *idle)
{
    unsigned long long v[10] = { 0 };
    FILE *f = fopen("/proc/stat", "r");
    if (!f)
        return -1;
    int n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
                   &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]);
    fclose(f);
    if (n < 5)
        return -1;
    *total = 0;
    for (int i = 0; i < 8; i++) /* guest and guest_nice are included in user and nice */
        *total += v[i];
    *idle = v[3] + v[4];
    return 0;
}

static double uptime(void)
{
    struct timespec ts;
    /* the system call, not the vDSO: the vDSO reads the time CSR, which user mode may not be
     * allowed to (see ubench.c) */
    syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void settle(void)
{
    double start = uptime();
    int quiet = 0;
    unsigned long long t0, i0, t1, i1;
    if (cpu_times(&t0, &i0) != 0) {
        say("bench-init: cannot read /proc/stat, not waiting for an idle system");
        return;
    }
    while (quiet < 2 && uptime() - start < 60) {
        usleep(250000);
        if (cpu_times(&t1, &i1) != 0)
            return;
        quiet = (t1 > t0 && (i1 - i0) * 100 >= (t1 - t0) * 95) ? quiet + 1 : 0;
        t0 = t1;
        i0 = i1;
    }
    say("BENCH-SETTLE %.2f s%s", uptime() - start, quiet < 2 ? " (gave up: still busy)" : "");
}

static int run(char *line)
{
    char *argv[16];
    int argc = 0;
    argv[argc++] = PROG;
    for (char *tok = strtok(line, " \t"); tok && argc < 15; tok = strtok(NULL, " \t"))
        argv[argc++] = tok;
    argv[argc] = NULL;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        execv(PROG, argv);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        ;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(void)
{
    if (fcntl(1, F_GETFD) < 0) { /* no console from the kernel: open it ourselves */
        int fd = open("/dev/console", O_RDWR);
        if (fd >= 0) {
            dup2(fd, 0);
            dup2(fd, 1);
            dup2(fd, 2);
        }
    }
    say("BENCH-INIT");
    mkdir("/proc", 0555);
    if (mount("proc", "/proc", "proc", 0, NULL) != 0)
        say("bench-init: mounting /proc failed");
    char up[64] = "?";
    FILE *f = fopen("/proc/uptime", "r");
    if (f) {
        if (!fgets(up, sizeof up, f))
            strcpy(up, "?");
        fclose(f);
        up[strcspn(up, " \n")] = '\0';
    }
    say("BENCH-UPTIME %s", up);

    settle();

    FILE *plan = fopen(PLAN, "r");
    if (!plan) {
        say("bench-init: cannot open " PLAN);
        power_off();
    }
    char line[256];
    while (fgets(line, sizeof line, plan)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '\0' || line[0] == '#')
            continue;
        say("BENCH-BEGIN %s", line);
        int rc = run(line);
        say("BENCH-END status=%d", rc);
    }
    fclose(plan);
    say("BENCH-DONE");
    power_off();
}
