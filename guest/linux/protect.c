/*
 * protect.c - Linux tests of umbra's program-directed memory protection
 * (docs/hypercall-abi.md), a static riscv64 program built with the guest
 * library (tests/protect/linux.sh).  Run as PID 1 (rdinit=/sbin/umbra-protect)
 * it mounts /proc, runs the tests, prints one line per check and
 * "UMBRA-PROTECT-TEST: N passed, M failed", and powers the machine off.
 *
 *   probe     PROBE: version 1, PROTECT and UPCALL
 *   errors    bad input from a Linux program; a 600-page buffer via the library
 *   efault    a buffer the kernel may not write (FAULT): read() into it fails
 *             with EFAULT, the buffer intact; a read across its start is short
 *   procmem   another process writes through /proc/<pid>/mem to a buffer under
 *             SILENT: the buffer stays intact, the violation is counted
 *   seal      a sealed page stays sealed (a child process, which then exits)
 *   upcall    a handler observes its own guard-page hits: SKIP, RETRY after
 *             unprotecting, EXIT (in a child); the kernel gets FAULT
 *   shared    a page shared with another process: the other's rights apply
 *   reuse     after all that, the memory of the exited processes is reused
 *
 * Rules for protecting memory under Linux that these tests follow (see the
 * docs): write-touch the pages first (an untouched page is not mapped, a page
 * only read may be the shared zero page), keep them resident (mlock) and out of
 * transparent huge pages (PR_SET_THP_DISABLE), and keep fork() from sharing
 * them copy-on-write (MADV_DONTFORK, or fork before protecting).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "umbra.h"

#define PAGE 4096ul

/* ---- results (shared with the child processes) ---------------------------------- */
static struct counts {
	volatile int pass, fail;
} *counts;
static const char *test_name = "";

static void report(int ok, const char *fmt, va_list ap)
{
	char msg[400];
	vsnprintf(msg, sizeof msg, fmt, ap);
	printf("%s [%s] %s\n", ok ? "PASS" : "FAIL", test_name, msg);
	fflush(stdout);
	__atomic_add_fetch(ok ? &counts->pass : &counts->fail, 1, __ATOMIC_SEQ_CST);
}

__attribute__((format(printf, 2, 3))) static int check(int ok, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(ok, fmt, ap);
	va_end(ap);
	return ok;
}

/* error codes: expected vs got */
#define CHECK_ERR(got, exp, what) \
	check((got) == (exp), "%s: %s (expected %s)", what, umbra_strerror(got), umbra_strerror(exp))

static void *pages(size_t n, int fill)
{
	void *p = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (p == MAP_FAILED) {
		check(0, "mmap of %zu pages: %s", n, strerror(errno));
		exit(1);
	}
	memset(p, fill, n * PAGE); /* write-touch: private pages, not the zero page */
	if (mlock(p, n * PAGE))
		check(0, "mlock: %s", strerror(errno));
	madvise(p, n * PAGE, MADV_DONTFORK);
	return p;
}

static int all(const void *p, int c, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		if (b[i] != (unsigned char)c)
			return 0;
	return 1;
}

static unsigned long stat_of(unsigned long what)
{
	unsigned long v = ~0ul;
	long e = umbra_stats(what, &v);
	if (e)
		check(0, "STATS(%lu): %s", what, umbra_strerror(e));
	return v;
}

static unsigned long query_of(const void *va, unsigned long what)
{
	unsigned long v = ~0ul;
	long e = umbra_query(va, what, &v);
	if (e)
		check(0, "QUERY(%p, %lu): %s", va, what, umbra_strerror(e));
	return v;
}

/* ---- catching SIGSEGV -------------------------------------------------------------- */
static sigjmp_buf segv_jmp;
static volatile void *segv_addr;
static volatile int segv_code;

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	segv_addr = si->si_addr;
	segv_code = si->si_code;
	siglongjmp(segv_jmp, 1);
}

static void catch_segv(void)
{
	struct sigaction sa = {0};
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
}

/* a store that may fault: 1 if it faulted */
static int try_store(volatile unsigned char *p, unsigned char v)
{
	segv_addr = NULL;
	if (sigsetjmp(segv_jmp, 1))
		return 1;
	*p = v;
	return 0;
}

static int try_load(volatile unsigned char *p, unsigned char *v)
{
	segv_addr = NULL;
	if (sigsetjmp(segv_jmp, 1))
		return 1;
	*v = *p;
	return 0;
}

/* ---- the tests ------------------------------------------------------------------------ */
static int test_probe(void)
{
	test_name = "probe";
	unsigned long version = 0, features = 0;
	long e = umbra_probe(&version, &features);
	if (!CHECK_ERR(e, UMBRA_OK, "PROBE from a Linux program"))
		return -1;
	check(version == UMBRA_ABI_VERSION, "version %lu", version);
	check((features & (UMBRA_FEAT_PROTECT | UMBRA_FEAT_UPCALL)) ==
		      (UMBRA_FEAT_PROTECT | UMBRA_FEAT_UPCALL),
	      "features 0x%lx include PROTECT and UPCALL", features);
	check(stat_of(UMBRA_STAT_PAGES) == 0, "no protected pages yet");
	return 0;
}

static void test_errors(void)
{
	test_name = "errors";
	const unsigned long r = UMBRA_RIGHTS(UMBRA_R | UMBRA_W, UMBRA_R | UMBRA_W, 0, 0);
	const unsigned long a = UMBRA_ACTION(UMBRA_ACT_FAULT, 0);
	unsigned char *p = pages(1, 1);
	unsigned long done = 99;
	CHECK_ERR(umbra_protect(p + 8, 1, r, a, &done), UMBRA_ERR_INVALID_ADDRESS, "unaligned");
	CHECK_ERR(umbra_protect(p, 0, r, a, &done), UMBRA_ERR_INVALID_PARAM, "zero pages");
	CHECK_ERR(umbra_protect(p, 1, r | 0x80, a, &done), UMBRA_ERR_INVALID_PARAM, "unknown rights bit");
	CHECK_ERR(umbra_protect(p, 1, r, 9, &done), UMBRA_ERR_INVALID_PARAM, "unknown action");
	unsigned char *untouched = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK_ERR(umbra_protect(untouched, 1, r, a, &done), UMBRA_ERR_INVALID_ADDRESS,
		  "an untouched page (not mapped yet)");
	CHECK_ERR(umbra_protect((void *)0xffffffff80000000ul, 1, r, a, &done),
		  UMBRA_ERR_INVALID_ADDRESS, "a kernel address");
	CHECK_ERR(umbra_set_handler((umbra_handler_fn *)(void *)untouched), UMBRA_ERR_INVALID_ADDRESS,
		  "SET_HANDLER to an unmapped page");
	check(stat_of(UMBRA_STAT_PAGES) == 0, "nothing protected by the refused calls");

	unsigned char *big = pages(600, 2);
	long e = umbra_protect(big, 600, r, a, &done);
	CHECK_ERR(e, UMBRA_OK, "umbra_protect of 600 pages");
	check(done == 600, "600 pages done (%lu)", done);
	check(stat_of(UMBRA_STAT_PAGES) == 600, "STATS pages = 600");
	big[599 * PAGE] = 3; /* the owner keeps its rights */
	e = umbra_unprotect(big, 600, &done);
	CHECK_ERR(e, UMBRA_OK, "umbra_unprotect of 600 pages");
	check(done == 600 && stat_of(UMBRA_STAT_PAGES) == 0, "all unprotected");
	munmap(big, 600 * PAGE);
	munmap(untouched, PAGE);
	munmap(p, PAGE);
}

static void test_efault(void)
{
	test_name = "efault";
	const char *path = "/tmp/umbra-protect-file";
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	char data[2 * PAGE];
	memset(data, 'F', sizeof data);
	if (!check(fd >= 0 && write(fd, data, sizeof data) == (ssize_t)sizeof data, "test file written"))
		return;
	unsigned char *buf = pages(2, 'B');
	unsigned char *prot = buf + PAGE;
	long e = umbra_protect(prot, 1, UMBRA_RIGHTS(UMBRA_R | UMBRA_W, UMBRA_R, 0, 0),
			       UMBRA_ACTION(UMBRA_ACT_FAULT, 0xa), NULL);
	CHECK_ERR(e, UMBRA_OK, "PROTECT (kernel r--, FAULT)");
	unsigned long s0 = stat_of(UMBRA_STAT_VIOLATIONS);

	ssize_t n = pread(fd, prot, PAGE, 0);
	int err = errno;
	check(n == -1 && err == EFAULT, "read() into the page: %zd, %s (expected -1, EFAULT)", n,
	      n < 0 ? strerror(err) : "no error");
	check(all(prot, 'B', PAGE), "the page is intact");
	check(stat_of(UMBRA_STAT_VIOLATIONS) > s0, "the violation is counted (%lu -> %lu)", s0,
	      stat_of(UMBRA_STAT_VIOLATIONS));
	n = pread(fd, prot - 100, 200, 0);
	check(n == 100, "read() across the page's start: %zd bytes (expected 100)", n);
	check(all(prot - 100, 'F', 100) && all(prot, 'B', PAGE), "the bytes before it were read");
	n = pwrite(fd, prot, PAGE, 0);
	check(n == (ssize_t)PAGE, "write() from the page (kernel may read): %zd", n);
	prot[0] = 'O';
	check(prot[0] == 'O', "the owner writes the page");
	e = umbra_unprotect(prot, 1, NULL);
	CHECK_ERR(e, UMBRA_OK, "UNPROTECT");
	n = pread(fd, prot, PAGE, PAGE);
	check(n == (ssize_t)PAGE && all(prot, 'F', PAGE), "read() after UNPROTECT: %zd", n);
	close(fd);
	unlink(path);
	munmap(buf, 2 * PAGE);
}

struct memres {
	ssize_t r, w;
	int err_r, err_w;
	unsigned char got[16];
};

static void test_procmem(void)
{
	test_name = "procmem";
	int down[2], up[2];
	if (pipe(down) || pipe(up)) {
		check(0, "pipe: %s", strerror(errno));
		return;
	}
	pid_t parent = getpid(), child = fork();
	if (child == 0) { /* the other process */
		unsigned long addr;
		struct memres res = {0};
		if (read(down[0], &addr, sizeof addr) != sizeof addr)
			_exit(2);
		char path[64];
		snprintf(path, sizeof path, "/proc/%d/mem", (int)parent);
		int fd = open(path, O_RDWR);
		if (fd < 0)
			_exit(3);
		res.r = pread(fd, res.got, sizeof res.got, (off_t)addr);
		res.err_r = errno;
		unsigned char evil[16];
		memset(evil, 'E', sizeof evil);
		res.w = pwrite(fd, evil, sizeof evil, (off_t)addr);
		res.err_w = errno;
		if (write(up[1], &res, sizeof res) != sizeof res)
			_exit(4);
		_exit(0);
	}
	unsigned char *buf = pages(1, 'S');
	long e = umbra_protect(buf, 1, UMBRA_RIGHTS(UMBRA_R | UMBRA_W, UMBRA_R, 0, 0),
			       UMBRA_ACTION(UMBRA_ACT_SILENT, 0xb), NULL);
	CHECK_ERR(e, UMBRA_OK, "PROTECT (kernel r--, SILENT)");
	unsigned long s0 = stat_of(UMBRA_STAT_VIOLATIONS), v0 = query_of(buf, UMBRA_QUERY_VIOLATIONS);
	unsigned long addr = (unsigned long)buf + 64;
	struct memres res = {0};
	if (write(down[1], &addr, sizeof addr) != sizeof addr ||
	    read(up[0], &res, sizeof res) != sizeof res) {
		check(0, "talking to the writer process failed");
	}
	int status = 0;
	waitpid(child, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the writer process ran (status 0x%x)",
	      status);
	check(res.r == 16 && all(res.got, 'S', 16), "it reads the buffer through /proc/%d/mem: %zd",
	      (int)parent, res.r);
	check(res.w == 16, "its write \"succeeds\": %zd (%s)", res.w,
	      res.w < 0 ? strerror(res.err_w) : "no error");
	check(all(buf, 'S', PAGE), "the buffer is intact");
	check(stat_of(UMBRA_STAT_VIOLATIONS) > s0, "STATS counts the violation (%lu -> %lu)", s0,
	      stat_of(UMBRA_STAT_VIOLATIONS));
	check(query_of(buf, UMBRA_QUERY_VIOLATIONS) > v0, "QUERY counts it on the page");
	CHECK_ERR(umbra_unprotect(buf, 1, NULL), UMBRA_OK, "UNPROTECT");
	munmap(buf, PAGE);
	close(down[0]);
	close(down[1]);
	close(up[0]);
	close(up[1]);
}

static void test_seal(void)
{
	test_name = "seal";
	pid_t child = fork();
	if (child == 0) {
		catch_segv();
		unsigned char *p = pages(1, 'L');
		const unsigned long r = UMBRA_RIGHTS(UMBRA_R, UMBRA_R, UMBRA_R, UMBRA_R) | UMBRA_SEAL;
		const unsigned long a = UMBRA_ACTION(UMBRA_ACT_FAULT, 0xc);
		CHECK_ERR(umbra_protect(p, 1, r, a, NULL), UMBRA_OK, "PROTECT sealed");
		CHECK_ERR(umbra_protect(p, 1, r | UMBRA_W, a, NULL), UMBRA_ERR_DENIED, "add owner W");
		CHECK_ERR(umbra_protect(p, 1, r | UMBRA_W << 8, a, NULL), UMBRA_ERR_DENIED,
			  "add kernel W");
		CHECK_ERR(umbra_protect(p, 1, r & ~UMBRA_SEAL, a, NULL), UMBRA_ERR_DENIED, "drop the seal");
		CHECK_ERR(umbra_unprotect(p, 1, NULL), UMBRA_ERR_DENIED, "UNPROTECT");
		check(query_of(p, UMBRA_QUERY_RIGHTS) == (r | UMBRA_PROTECTED), "QUERY: still the sealed rights");
		const unsigned long tight = UMBRA_RIGHTS(UMBRA_R, UMBRA_R, 0, UMBRA_R) | UMBRA_SEAL;
		CHECK_ERR(umbra_protect(p, 1, tight, a, NULL), UMBRA_OK, "tighten");
		CHECK_ERR(umbra_protect(p, 1, r, a, NULL), UMBRA_ERR_DENIED, "loosen back");
		int f = try_store(p + 8, 'W');
		/* (Linux reports the pc of an access fault as si_addr, not the address) */
		check(f, "the owner's write: SIGSEGV");
		unsigned char v = 0;
		check(!try_load(p + 8, &v) && v == 'L', "the owner's read");
		check(all(p, 'L', PAGE), "the page is intact");
		/* mprotect cannot lift it either (the kernel's PTE already allows writes) */
		mprotect(p, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC);
		f = try_store(p + 16, 'W');
		check(f, "the owner's write after mprotect(rwx): SIGSEGV");
		_exit(0); /* the sealed page goes with the address space */
	}
	int status = 0;
	waitpid(child, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the sealing process exited (status 0x%x)",
	      status);
}

static volatile unsigned long h_addr, h_access, h_env, h_tag, h_pc, h_count, h_disp, h_code,
	h_unprot;
static volatile long h_unprot_err;

static void handler(unsigned long addr, unsigned long access, unsigned long env, unsigned long tag,
		    unsigned long pc)
{
	h_addr = addr;
	h_access = access;
	h_env = env;
	h_tag = tag;
	h_pc = pc;
	h_count++;
	if (h_unprot)
		h_unprot_err = umbra_unprotect((void *)(addr & ~(PAGE - 1)), 1, NULL);
	long e = umbra_upcall_return(h_disp, h_code);
	printf("FAIL [upcall] UPCALL_RETURN returned %s\n", umbra_strerror(e));
	_exit(99);
}

static unsigned long load_at(volatile unsigned long *p, unsigned long preset, unsigned long *pc)
{
	unsigned long v = preset, at;
	__asm__ volatile("lla %0, 1f\n1: ld %1, 0(%2)" : "=&r"(at), "+r"(v) : "r"(p) : "memory");
	*pc = at;
	return v;
}

static void store_at(volatile unsigned long *p, unsigned long v, unsigned long *pc)
{
	unsigned long at;
	__asm__ volatile("lla %0, 1f\n1: sd %1, 0(%2)" : "=&r"(at) : "r"(v), "r"(p) : "memory");
	*pc = at;
}

static void test_upcall(void)
{
	test_name = "upcall";
	unsigned char *g = pages(3, 'G');
	volatile unsigned long *guard = (volatile unsigned long *)(g + PAGE);
	const unsigned long tag = 0x6a7d;
	CHECK_ERR(umbra_set_handler(handler), UMBRA_OK, "SET_HANDLER");
	CHECK_ERR(umbra_protect(g + PAGE, 1, UMBRA_RIGHTS(0, 0, 0, 0), UMBRA_ACTION(UMBRA_ACT_UPCALL, tag),
				NULL),
		  UMBRA_OK, "PROTECT the guard page (no rights, UPCALL)");

	h_count = 0;
	h_disp = UMBRA_UPCALL_SKIP;
	h_unprot = 0;
	unsigned long pc = 0, v = load_at(guard + 2, 0x1234, &pc);
	check(h_count == 1, "SKIP read: the handler ran once (%lu)", h_count);
	check(h_addr == (unsigned long)(guard + 2), "SKIP read: address %#lx", h_addr);
	check(h_access == UMBRA_ACCESS_READ, "SKIP read: access %lu", h_access);
	check(h_env == UMBRA_ENV_OWNER, "SKIP read: environment %lu", h_env);
	check(h_tag == tag, "SKIP read: tag %#lx", h_tag);
	check(h_pc == pc, "SKIP read: pc %#lx (the load at %#lx)", h_pc, pc);
	check(v == 0x1234, "SKIP read: the load was skipped, its register kept (%#lx)", v);

	/* the kernel under UPCALL: FAULT, so read() fails */
	int fd = open("/proc/self/stat", O_RDONLY);
	ssize_t n = read(fd, g + PAGE, 64);
	check(n == -1 && errno == EFAULT, "read() into the guard page: EFAULT (%zd)", n);
	check(h_count == 1, "the kernel's access did not run the handler");
	close(fd);

	h_disp = UMBRA_UPCALL_RETRY;
	h_unprot = 1;
	h_unprot_err = 1;
	store_at(guard + 3, 0x5678, &pc);
	check(h_count == 2, "RETRY write: the handler ran (%lu)", h_count);
	check(h_access == UMBRA_ACCESS_WRITE && h_pc == pc, "RETRY write: access %lu pc %#lx", h_access,
	      h_pc);
	check(h_unprot_err == UMBRA_OK, "UNPROTECT in the handler: %s", umbra_strerror(h_unprot_err));
	check(guard[3] == 0x5678, "RETRY write: the store was retried and landed");
	check(stat_of(UMBRA_STAT_PAGES) == 0, "the guard page is unprotected");
	munmap(g, 3 * PAGE);

}

static void test_shared(void)
{
	test_name = "shared";
	unsigned char *sh = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	memset(sh, 'H', PAGE);
	int down[2];
	if (pipe(down))
		return;
	pid_t child = fork();
	if (child == 0) {
		catch_segv();
		char go;
		if (read(down[0], &go, 1) != 1)
			_exit(2);
		int res = 0;
		unsigned char v = 0;
		if (!try_load(sh + 8, &v) && v == 'H')
			res |= 1;
		if (try_store(sh + 8, 'X'))
			res |= 2;
		_exit(res);
	}
	long e = umbra_protect(sh, 1, UMBRA_RIGHTS(UMBRA_R | UMBRA_W, UMBRA_R | UMBRA_W, UMBRA_R, 0),
			       UMBRA_ACTION(UMBRA_ACT_FAULT, 0xe), NULL);
	CHECK_ERR(e, UMBRA_OK, "PROTECT the shared page (other r--)");
	if (write(down[1], "g", 1) != 1)
		check(0, "pipe write");
	int status = 0;
	waitpid(child, &status, 0);
	int res = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	check(res >= 0 && (res & 1), "the other process reads it (status 0x%x)", status);
	check(res >= 0 && (res & 2), "the other process's write: SIGSEGV");
	check(sh[8] == 'H', "the page is intact");
	CHECK_ERR(umbra_unprotect(sh, 1, NULL), UMBRA_OK, "UNPROTECT");
	munmap(sh, PAGE);
	close(down[0]);
	close(down[1]);
}

/* UPCALL's EXIT disposition, in a child process whose protected page (kernel rw-)
 * then goes with it */
static void upcall_exit(void)
{
	pid_t child = fork();
	if (child == 0) {
		unsigned char *c = pages(1, 'C');
		if (umbra_set_handler(handler) || umbra_protect(c, 1, UMBRA_RIGHTS(0, UMBRA_R | UMBRA_W, 0, 0),
								 UMBRA_ACTION(UMBRA_ACT_UPCALL, 1), NULL))
			_exit(98);
		h_disp = UMBRA_UPCALL_EXIT;
		h_code = 77;
		h_unprot = 0;
		*(volatile unsigned char *)c = 1;
		_exit(0);
	}
	int status = 0;
	waitpid(child, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 77,
	      "EXIT: the process exits with the handler's code (status 0x%x, expected exit 77)", status);
}

/* 32 MiB filled by read() (the kernel writes it) and checked */
static int churn(const char *path)
{
	size_t n = 32ul << 20, chunk = 64ul << 10;
	unsigned char *m = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = open(path, O_RDONLY);
	if (m == MAP_FAILED || fd < 0)
		return 1;
	for (size_t k = 0; k < n; k += chunk)
		if (pread(fd, m + k, chunk, 0) != (ssize_t)chunk)
			return 2;
	size_t bad = 0;
	for (size_t k = 0; k < n; k++)
		if (m[k] != (unsigned char)(k % chunk * 7 + 1))
			bad++;
	if (bad)
		printf("umbra-protect: %zu bytes of 32 MiB read by the kernel are wrong\n", bad);
	return bad ? 3 : 0;
}

static void test_reuse(void)
{
	test_name = "reuse";
	/* processes that exit with protected pages: the sealed one (kernel r--) earlier,
	 * and now one with a kernel rw- page; then the memory is reused */
	const char *path = "/tmp/umbra-protect-churn";
	size_t chunk = 64ul << 10;
	unsigned char *data = malloc(chunk);
	for (size_t k = 0; k < chunk; k++)
		data[k] = (unsigned char)(k * 7 + 1);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, data, chunk) != (ssize_t)chunk)
		check(0, "writing %s", path);
	close(fd);
	free(data);
	pid_t x = fork();
	if (x == 0) { /* PID 1 stays out of the reuse */
		upcall_exit();
		int r = churn(path); /* in this process: the freed pages are reused first */
		check(r == 0, "right after: 32 MiB read from a file into fresh memory: intact (%d)", r);
		for (int i = 0; i < 4; i++) {
			pid_t c = fork();
			if (c == 0)
				_exit(churn(path));
			int status = 0;
			waitpid(c, &status, 0);
			check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			      "a process reads 32 MiB from a file into fresh memory: intact (status 0x%x)",
			      status);
		}
		_exit(0);
	}
	int status = 0;
	waitpid(x, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the reuse processes ran (0x%x)", status);
	unlink(path);
	check(stat_of(UMBRA_STAT_PAGES) == 0, "this program has no protected pages left");
}

int main(void)
{
	counts = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int pid1 = getpid() == 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (pid1) {
		mount("proc", "/proc", "proc", 0, NULL);
		int fd = open("/proc/sys/vm/compact_unevictable_allowed", O_WRONLY);
		if (fd >= 0) { /* keep compaction away from the mlocked pages */
			if (write(fd, "0\n", 2) != 2)
				printf("umbra-protect: cannot set compact_unevictable_allowed\n");
			close(fd);
		}
	}
	prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
	printf("umbra-protect: start\n");
	if (test_probe() == 0) {
		test_errors();
		test_efault();
		test_procmem();
		test_seal();
		test_upcall();
		test_shared();
		test_reuse();
	}
	printf("UMBRA-PROTECT-TEST: %d passed, %d failed\n", counts->pass, counts->fail);
	fflush(stdout);
	if (pid1) {
		sync();
		reboot(RB_POWER_OFF);
	}
	return counts->fail != 0;
}
