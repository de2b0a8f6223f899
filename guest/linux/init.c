/*
 * init.c: PID 1 of umbra's Linux test images (static, riscv64).
 *
 * 1. Mounts /proc, /sys and /dev (devtmpfs) and makes sure fds 0-2 are the console.
 * 2. Loads the kernel modules listed, in load order, in /etc/umbra/modules (written by
 *    scripts/mkinitramfs.sh from the kernel's modules.dep). Compressed modules (.ko.xz, ...)
 *    are handed to the kernel as they are (finit_module with MODULE_INIT_COMPRESSED_FILE,
 *    needs CONFIG_MODULE_DECOMPRESS); if that fails, the uncompressed file next to it (same
 *    name without the suffix) is tried.
 * 3. Runs the mode named by umbra.mode= on the kernel command line (default: the contents of
 *    /etc/umbra/mode, else "shell"):
 *      test   the boot test: checks /proc/cpuinfo and the test disk on /dev/vda (see
 *             scripts/mkdisk.sh), prints "UMBRA-LINUX-TEST: PASS" or
 *             "UMBRA-LINUX-TEST: FAIL <reason>", and powers off.
 *      shell  installs busybox's applet links and runs busybox sh on the console; powers off
 *             when the shell exits.
 *    umbra.wait=SECONDS sets how long the test waits for /dev/vda (default 60).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
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

#define MODULE_LIST "/etc/umbra/modules"
#define MODE_FILE "/etc/umbra/mode"
#define DISK_DEV "/dev/vda"
#define DISK_MAGIC "UMBRA-TEST-DISK 1\n"
#define DISK_END_MAGIC "UMBRA-TEST-DISK-END\n"
#define SECTOR 512

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
        ssize_t w = write(STDOUT_FILENO, buf + off, (size_t)(n - off));
        if (w <= 0)
            return;
        off += (int)w;
    }
}

static _Noreturn void power_off(void)
{
    sync();
    reboot(RB_POWER_OFF);
    say("umbra-init: power off failed: %s; halting", strerror(errno));
    for (;;)
        pause();
}

/* Reads a whole (small) file into buf as a NUL-terminated string; returns its length or -1. */
static ssize_t read_text(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t len = 0;
    while (len + 1 < size) {
        ssize_t r = read(fd, buf + len, size - 1 - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    buf[len] = '\0';
    return (ssize_t)len;
}

static void mount_one(const char *src, const char *dir, const char *type)
{
    mkdir(dir, 0755);
    if (mount(src, dir, type, MS_NOSUID | MS_NOEXEC, NULL) != 0 && errno != EBUSY)
        say("umbra-init: mount %s on %s: %s", type, dir, strerror(errno));
}

static void setup_system(void)
{
    mount_one("proc", "/proc", "proc");
    mount_one("sysfs", "/sys", "sysfs");
    mount_one("devtmpfs", "/dev", "devtmpfs");
    if (fcntl(STDOUT_FILENO, F_GETFD) < 0) { /* the kernel found no /dev/console for us */
        int fd = open("/dev/console", O_RDWR | O_NOCTTY);
        if (fd >= 0) {
            for (int i = 0; i < 3; i++)
                dup2(fd, i);
            if (fd > 2)
                close(fd);
        }
    }
    mkdir("/tmp", 01777);
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

/* Returns 0 when loaded (or already present), else an errno value. */
static int finit(const char *path, int flags)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    int rc = (int)syscall(SYS_finit_module, fd, "", flags) == 0 ? 0 : errno;
    close(fd);
    return rc == EEXIST ? 0 : rc;
}

static void load_module(const char *path)
{
    static const char *const suffixes[] = {".xz", ".zst", ".gz"};
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        if (!has_suffix(path, suffixes[i]))
            continue;
        int err = finit(path, MODULE_INIT_COMPRESSED_FILE);
        if (err == 0) {
            say("umbra-init: module %s loaded", name);
            return;
        }
        char plain[512];
        size_t n = strlen(path) - strlen(suffixes[i]);
        if (n >= sizeof plain)
            return;
        memcpy(plain, path, n);
        plain[n] = '\0';
        int err2 = finit(plain, 0);
        if (err2 == 0)
            say("umbra-init: module %s: compressed load failed (%s), uncompressed copy loaded",
                name, strerror(err));
        else
            say("umbra-init: module %s: not loaded: %s (uncompressed copy: %s)", name,
                strerror(err), strerror(err2));
        return;
    }
    int err = finit(path, 0);
    if (err == 0)
        say("umbra-init: module %s loaded", name);
    else
        say("umbra-init: module %s: not loaded: %s", name, strerror(err));
}

static void load_modules(void)
{
    char list[8192];
    if (read_text(MODULE_LIST, list, sizeof list) < 0)
        return; /* no modules in this image */
    for (char *save = NULL, *line = strtok_r(list, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save))
        if (line[0] == '/')
            load_module(line);
}

/* Value of KEY=... on the kernel command line, copied into out; false if absent. */
static bool cmdline_value(const char *cmdline, const char *key, char *out, size_t size)
{
    size_t klen = strlen(key);
    for (const char *p = cmdline; *p;) {
        while (*p == ' ' || *p == '\n')
            p++;
        const char *end = p + strcspn(p, " \n");
        if ((size_t)(end - p) > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
            size_t n = (size_t)(end - p) - klen - 1;
            if (n >= size)
                n = size - 1;
            memcpy(out, p + klen + 1, n);
            out[n] = '\0';
            return true;
        }
        p = end;
    }
    return false;
}

/* ---- boot test ---------------------------------------------------------------------------- */

static char fail_reason[256];

static bool fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static bool fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(fail_reason, sizeof fail_reason, fmt, ap);
    va_end(ap);
    return false;
}

static bool check_cpuinfo(void)
{
    static char buf[65536];
    if (read_text("/proc/cpuinfo", buf, sizeof buf) <= 0)
        return fail("cannot read /proc/cpuinfo");
    int harts = 0, isa_ok = 0, mmu_ok = 0;
    for (char *save = NULL, *line = strtok_r(buf, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        char *val = colon + 1 + strspn(colon + 1, " \t");
        size_t klen = strcspn(line, " \t:");
        if (klen == 9 && strncmp(line, "processor", 9) == 0) {
            harts++;
        } else if (klen == 3 && strncmp(line, "isa", 3) == 0) {
            if (strncmp(val, "rv64imafdc", 10) != 0)
                return fail("cpuinfo isa is '%s', expected rv64imafdc...", val);
            if (isa_ok++ == 0)
                say("umbra-init: cpuinfo isa: %s", val);
        } else if (klen == 3 && strncmp(line, "mmu", 3) == 0) {
            if (strcmp(val, "sv39") != 0 && strcmp(val, "sv48") != 0 && strcmp(val, "sv57") != 0)
                return fail("cpuinfo mmu is '%s', expected sv39, sv48 or sv57", val);
            if (mmu_ok++ == 0)
                say("umbra-init: cpuinfo mmu: %s", val);
        }
    }
    if (harts == 0 || isa_ok != harts || mmu_ok != harts)
        return fail("cpuinfo: %d processors, %d isa lines, %d mmu lines", harts, isa_ok, mmu_ok);
    return true;
}

static uint32_t crc_table[256];

/* The CRC of POSIX cksum(1): CRC-32/CKSUM (poly 0x04C11DB7, MSB first), length appended. */
static uint32_t cksum_update(uint32_t crc, const unsigned char *p, size_t n)
{
    if (crc_table[1] == 0)
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i << 24;
            for (int k = 0; k < 8; k++)
                c = (c & 0x80000000u) ? (c << 1) ^ 0x04C11DB7u : c << 1;
            crc_table[i] = c;
        }
    while (n--)
        crc = (crc << 8) ^ crc_table[(crc >> 24) ^ *p++];
    return crc;
}

static uint32_t cksum_final(uint32_t crc, uint64_t len)
{
    for (; len; len >>= 8) {
        unsigned char b = (unsigned char)(len & 0xff);
        crc = cksum_update(crc, &b, 1);
    }
    return ~crc;
}

static bool pread_full(int fd, void *buf, size_t n, off_t off)
{
    for (size_t got = 0; got < n;) {
        ssize_t r = pread(fd, (char *)buf + got, n - got, off + (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        got += (size_t)r;
    }
    return true;
}

static bool wait_for(const char *path, int seconds)
{
    struct timespec tick = {0, 20 * 1000 * 1000};
    struct stat st;
    for (long i = 0; i < (long)seconds * 50; i++) {
        if (stat(path, &st) == 0)
            return true;
        nanosleep(&tick, NULL);
    }
    return stat(path, &st) == 0;
}

static bool check_disk(int wait_seconds)
{
    if (!wait_for(DISK_DEV, wait_seconds))
        return fail("%s did not appear within %d s (virtio-blk device or driver missing)",
                    DISK_DEV, wait_seconds);
    int fd = open(DISK_DEV, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail("open %s: %s", DISK_DEV, strerror(errno));

    char hdr[SECTOR + 1];
    if (!pread_full(fd, hdr, SECTOR, 0)) {
        close(fd);
        return fail("cannot read the first sector of %s: %s", DISK_DEV, strerror(errno));
    }
    hdr[SECTOR] = '\0';
    unsigned long long size = 0, payload = 0;
    unsigned long crc_want = 0;
    if (strncmp(hdr, DISK_MAGIC, strlen(DISK_MAGIC)) != 0 ||
        sscanf(hdr + strlen(DISK_MAGIC), "size=%llu\npayload=%llu\ncrc=%lu", &size, &payload,
               &crc_want) != 3) {
        close(fd);
        return fail("%s has no umbra test-disk header", DISK_DEV);
    }

    uint64_t dev_size = 0;
    if (ioctl(fd, BLKGETSIZE64, &dev_size) != 0 || dev_size != size) {
        close(fd);
        return fail("%s is %" PRIu64 " bytes, header says %llu", DISK_DEV, dev_size, size);
    }
    if (payload > size - 2 * SECTOR) {
        close(fd);
        return fail("payload of %llu bytes does not fit the disk", payload);
    }

    static unsigned char buf[65536];
    uint32_t crc = 0;
    for (unsigned long long off = 0; off < payload;) {
        size_t n = payload - off < sizeof buf ? (size_t)(payload - off) : sizeof buf;
        if (!pread_full(fd, buf, n, (off_t)(SECTOR + off))) {
            close(fd);
            return fail("read error at byte %llu of %s", SECTOR + off, DISK_DEV);
        }
        crc = cksum_update(crc, buf, n);
        off += n;
    }
    crc = cksum_final(crc, payload);
    if (crc != crc_want) {
        close(fd);
        return fail("payload checksum %" PRIu32 " != %lu", crc, crc_want);
    }

    char end[SECTOR];
    bool end_ok = pread_full(fd, end, SECTOR, (off_t)(size - SECTOR)) &&
                  strncmp(end, DISK_END_MAGIC, strlen(DISK_END_MAGIC)) == 0;
    close(fd);
    if (!end_ok)
        return fail("last sector of %s lacks the end marker", DISK_DEV);
    say("umbra-init: disk %s: %llu bytes, payload %llu bytes, cksum %" PRIu32 " ok", DISK_DEV,
        size, payload, crc);
    return true;
}

/* User programs read the clock with rdtime (the vDSO does): it must not trap. */
static bool check_user_time(void)
{
    pid_t pid = fork();
    if (pid < 0)
        return fail("fork: %s", strerror(errno));
    if (pid == 0) {
        uint64_t t0, t1;
        __asm__ volatile("rdtime %0" : "=r"(t0));
        for (volatile int i = 0; i < 100000; i++)
            ;
        __asm__ volatile("rdtime %0" : "=r"(t1));
        _exit(t1 > t0 ? 0 : 1);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid)
        return fail("waitpid: %s", strerror(errno));
    if (WIFSIGNALED(status))
        return fail("rdtime in user mode killed the program (signal %d)", WTERMSIG(status));
    if (WEXITSTATUS(status) != 0)
        return fail("rdtime in user mode does not advance");
    say("umbra-init: user-mode rdtime works");
    return true;
}

static _Noreturn void run_test(const char *cmdline)
{
    char arg[32];
    int wait_seconds = 60;
    if (cmdline_value(cmdline, "umbra.wait", arg, sizeof arg) && atoi(arg) > 0)
        wait_seconds = atoi(arg);

    bool ok = check_cpuinfo() && check_user_time() && check_disk(wait_seconds);
    char up[64] = "?";
    if (read_text("/proc/uptime", up, sizeof up) > 0)
        up[strcspn(up, " ")] = '\0';
    say("umbra-init: uptime %s s", up);
    if (ok)
        say("UMBRA-LINUX-TEST: PASS");
    else
        say("UMBRA-LINUX-TEST: FAIL %s", fail_reason);
    power_off();
}

/* ---- shell -------------------------------------------------------------------------------- */

static int run_wait(char *const argv[])
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        execv(argv[0], argv);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The console's real tty (e.g. /dev/ttyS0), which, unlike /dev/console, can be a
   controlling terminal, so that the shell gets job control and ^C. */
static void open_console_tty(void)
{
    char active[128], path[160];
    if (read_text("/sys/class/tty/console/active", active, sizeof active) <= 0)
        return;
    active[strcspn(active, "\n")] = '\0';
    char *last = strrchr(active, ' ');
    snprintf(path, sizeof path, "/dev/%s", last ? last + 1 : active);
    int fd = open(path, O_RDWR);
    if (fd < 0)
        return;
    for (int i = 0; i < 3; i++)
        dup2(fd, i);
    if (fd > 2)
        close(fd);
    ioctl(STDIN_FILENO, TIOCSCTTY, 1);
}

static _Noreturn void run_shell(void)
{
    static const char *const dirs[] = {"/bin", "/sbin", "/usr", "/usr/bin", "/usr/sbin", "/root"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
        mkdir(dirs[i], 0755);
    if (access("/bin/busybox", X_OK) != 0) {
        say("umbra-init: shell mode needs /bin/busybox, which this image lacks");
        power_off();
    }
    char *install[] = {"/bin/busybox", "--install", "-s", NULL};
    if (run_wait(install) != 0)
        say("umbra-init: busybox --install -s failed");

    char rel[128] = "?";
    read_text("/proc/sys/kernel/osrelease", rel, sizeof rel);
    rel[strcspn(rel, "\n")] = '\0';
    say("\n"
        "  umbra guest: Linux %s, busybox shell\n"
        "  'exit' or Ctrl-D powers the machine off.",
        rel);

    setenv("PATH", "/sbin:/usr/sbin:/bin:/usr/bin", 1);
    setenv("HOME", "/root", 1);
    setenv("PS1", "umbra:\\w# ", 1);
    if (!getenv("TERM"))
        setenv("TERM", "vt100", 1);

    pid_t pid = fork();
    if (pid == 0) {
        setsid();
        open_console_tty();
        if (chdir("/root") != 0)
            _exit(126);
        execl("/bin/sh", "-sh", (char *)NULL);
        _exit(127);
    }
    /* PID 1 adopts orphans: reap everything until the shell itself exits. */
    for (;;) {
        int st;
        pid_t w = wait(&st);
        if (w == pid || (w < 0 && errno == ECHILD))
            break;
    }
    say("umbra-init: shell exited, powering off");
    power_off();
}

/*
 * umbra.mode=mem: the memory-scheduling workload.  After umbra.delay_s
 * seconds it allocates umbra.mem_mib MiB, writes a pattern into every page,
 * keeps touching all of it for umbra.hold_s seconds (so that it stays
 * active), then verifies every page and reports.  mem_mib=0 is an idle VM.
 */
static unsigned cmdline_uint(const char *cmdline, const char *key, unsigned dflt)
{
    char v[32];
    return cmdline_value(cmdline, key, v, sizeof v) ? (unsigned)strtoul(v, NULL, 10) : dflt;
}

/* Starts a program; its pid. */
static int run_prog(const char *path)
{
    pid_t pid = fork();
    if (pid == 0) {
        execl(path, path, (char *)NULL);
        _exit(127);
    }
    return pid;
}

static _Noreturn void run_mem(const char *cmdline)
{
    unsigned mib = cmdline_uint(cmdline, "umbra.mem_mib", 0);
    unsigned hold = cmdline_uint(cmdline, "umbra.hold_s", 10);
    unsigned delay = cmdline_uint(cmdline, "umbra.delay_s", 0);
    if (cmdline_uint(cmdline, "umbra.balloon_app", 0) && access("/bin/umbra-balloon", X_OK) == 0)
        run_prog("/bin/umbra-balloon"); /* gives umbra the memory it asks for, in the background */
    sleep(delay);
    size_t bytes = (size_t)mib << 20, pages = bytes / 4096;
    uint64_t *mem = NULL;
    if (mib) {
        mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (mem == MAP_FAILED) {
            say("UMBRA-MEM: FAIL mmap of %u MiB: %s", mib, strerror(errno));
            power_off();
        }
        for (size_t p = 0; p < pages; p++)
            for (size_t w = 0; w < 512; w += 64)
                mem[p * 512 + w] = p * 0x9e3779b97f4a7c15ull + w;
        say("umbra-init: %u MiB written", mib);
    }
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
            bad += mem[p * 512 + w] != p * 0x9e3779b97f4a7c15ull + w;
    if (bad)
        say("UMBRA-MEM: FAIL %zu words changed", bad);
    else
        say("UMBRA-MEM: PASS %u MiB intact", mib);
    power_off();
}

/* umbra.mode=cloak: the cloaked program and root's spy run side by side. */
static _Noreturn void run_cloak(void)
{
    mkdir("/tmp", 01777);
    pid_t secret = run_prog("/bin/umbra-secret");
    pid_t spy = run_prog("/bin/umbra-spy");
    int st_secret = -1, st_spy = -1;
    for (int n = 0; n < 2;) {
        int st;
        pid_t w = wait(&st);
        if (w < 0)
            break;
        if (w == secret)
            st_secret = st, n++;
        else if (w == spy)
            st_spy = st, n++;
    }
    bool ok = WIFEXITED(st_secret) && WEXITSTATUS(st_secret) == 0 && WIFEXITED(st_spy) &&
              WEXITSTATUS(st_spy) == 0;
    say("UMBRA-CLOAK: %s (cloaked program: status 0x%x, spy: status 0x%x)", ok ? "PASS" : "FAIL",
        st_secret, st_spy);
    power_off();
}

/* umbra.mode=cloakfile: the cloaked-file program, once the disk is there. */
static _Noreturn void run_cloakfile(void)
{
    for (int i = 0; i < 300 && access("/dev/vda", F_OK) != 0; i++)
        usleep(100000);
    int st = -1;
    pid_t pid = run_prog("/bin/umbra-secretfile");
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    say("UMBRA-CLOAKFILE: status 0x%x", st);
    power_off();
}

/* umbra.mode=cloakbench: the cloaking benchmark, plain then cloaked, three times. */
static _Noreturn void run_cloakbench(void)
{
    static const char *const progs[] = {"/bin/umbra-bench-plain", "/bin/umbra-bench-cloaked"};
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < 2; i++) {
            int st;
            pid_t pid = run_prog(progs[i]);
            while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
                ;
        }
    say("UMBRA-CLOAKBENCH: done");
    power_off();
}

int main(void)
{
    setup_system();
    load_modules();

    static char cmdline[4096];
    if (read_text("/proc/cmdline", cmdline, sizeof cmdline) < 0)
        cmdline[0] = '\0';
    char mode[32] = "shell";
    if (!cmdline_value(cmdline, "umbra.mode", mode, sizeof mode)) {
        if (read_text(MODE_FILE, mode, sizeof mode) > 0)
            mode[strcspn(mode, " \n")] = '\0';
    }
    say("umbra-init: mode %s", mode);
    if (strcmp(mode, "test") == 0)
        run_test(cmdline);
    if (strcmp(mode, "shell") == 0)
        run_shell();
    if (strcmp(mode, "mem") == 0)
        run_mem(cmdline);
    if (strcmp(mode, "cloak") == 0)
        run_cloak();
    if (strcmp(mode, "cloakfile") == 0)
        run_cloakfile();
    if (strcmp(mode, "cloakbench") == 0)
        run_cloakbench();
    say("UMBRA-LINUX-TEST: FAIL unknown umbra.mode '%s' (test or shell)", mode);
    power_off();
}
