/* umbra bench: run a command and timestamp its output, line by line.
 *
 *   tstamp [-t SECONDS] -- COMMAND [ARGS...]
 *
 * COMMAND runs in its own process group with stdin from /dev/null and stdout+stderr into a pipe.
 * Every line it writes is printed as "<seconds since COMMAND was started> <line>" (CRs dropped);
 * a final line "<seconds> TSTAMP-EXIT <status>" or "<seconds> TSTAMP-TIMEOUT" follows.  After
 * SECONDS (default 600) the process group gets SIGTERM, then SIGKILL 5 s later.  Exit status:
 * COMMAND's, 124 on timeout. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static struct timespec start;

static double since_start(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start.tv_sec) + (double)(now.tv_nsec - start.tv_nsec) / 1e9;
}

static char line[65536];
static size_t len;

static void flush_line(void)
{
    printf("%.6f %.*s\n", since_start(), (int)len, line);
    fflush(stdout);
    len = 0;
}

static void feed(const char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = buf[i];
        if (c == '\r')
            continue;
        if (c == '\n' || len == sizeof line) {
            flush_line();
            if (c == '\n')
                continue;
        }
        line[len++] = c;
    }
}

int main(int argc, char **argv)
{
    double timeout = 600;
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "-t") == 0 && i + 1 < argc) {
            timeout = strtod(argv[++i], NULL);
        } else if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else {
            break;
        }
    }
    if (i >= argc || timeout <= 0) {
        fprintf(stderr, "usage: tstamp [-t SECONDS] -- COMMAND [ARGS...]\n");
        return 2;
    }
    int fd[2];
    if (pipe(fd) != 0) {
        perror("tstamp: pipe");
        return 125;
    }
    clock_gettime(CLOCK_MONOTONIC, &start);
    pid_t pid = fork();
    if (pid < 0) {
        perror("tstamp: fork");
        return 125;
    }
    if (pid == 0) {
        setpgid(0, 0);
        int null = open("/dev/null", O_RDONLY);
        if (null >= 0)
            dup2(null, 0);
        dup2(fd[1], 1);
        dup2(fd[1], 2);
        close(fd[0]);
        close(fd[1]);
        execvp(argv[i], argv + i);
        fprintf(stderr, "tstamp: cannot run %s: %s\n", argv[i], strerror(errno));
        _exit(127);
    }
    setpgid(pid, pid);
    close(fd[1]);

    int timed_out = 0;
    char buf[8192];
    for (;;) {
        double left = timeout - since_start();
        if (left <= 0) {
            timed_out = 1;
            break;
        }
        struct pollfd p = { .fd = fd[0], .events = POLLIN };
        int r = poll(&p, 1, (int)(left * 1000) + 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue; /* timeout is checked at the top */
        ssize_t n = read(fd[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        feed(buf, (size_t)n);
    }
    if (len)
        flush_line();
    int st = 0;
    if (timed_out) {
        kill(-pid, SIGTERM);
        for (int k = 0; k < 50 && waitpid(pid, &st, WNOHANG) == 0; k++)
            usleep(100000);
        if (waitpid(pid, &st, WNOHANG) == 0) {
            kill(-pid, SIGKILL);
            waitpid(pid, &st, 0);
        }
        printf("%.6f TSTAMP-TIMEOUT\n", since_start());
        return 124;
    }
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    int rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    printf("%.6f TSTAMP-EXIT %d\n", since_start(), rc);
    return rc;
}
