/*
 * spy.c - root tries to read a cloaked program's secret through
 * /proc/<pid>/mem (the cloaking Linux test).  Exit 0: it read the memory
 * and saw only ciphertext; 1: it saw the plaintext; 2: it could not look.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int look(int mem, unsigned long addr, size_t len, const char *what)
{
	static char buf[16384];
	ssize_t n = pread(mem, buf, len, (off_t)addr);
	if (n != (ssize_t)len) {
		printf("spy: reading %s at 0x%lx: got %zd of %zu bytes\n", what, addr, n, len);
		return 2;
	}
	if (memmem(buf, len, "TOP-SECRET", 10)) {
		printf("spy: %s: PLAINTEXT VISIBLE\n", what);
		return 1;
	}
	size_t same = 0;
	for (size_t i = 1; i < len; i++)
		same += buf[i] == buf[i - 1];
	printf("spy: %s: %zu bytes of ciphertext (no marker; %zu repeated neighbours)\n", what, len, same);
	return 0;
}

int main(void)
{
	unsigned long pid = 0, a = 0, b = 0;
	for (int i = 0; i < 400; i++) {
		FILE *f = fopen("/tmp/cloak-target", "r");
		int got = f ? fscanf(f, "%lu %lu %lu", &pid, &a, &b) : 0;
		if (f)
			fclose(f);
		if (got == 3)
			break;
		usleep(50000);
	}
	if (!pid) {
		printf("spy: the cloaked program never said where it is\n");
		return 2;
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/%lu/mem", pid);
	int mem = open(path, O_RDONLY);
	if (mem < 0) {
		perror(path);
		return 2;
	}
	int r = look(mem, a, 8192, "cloaked data");
	int r2 = look(mem, b, 16384, "cloaked anonymous memory");
	close(mem);
	int done = open("/tmp/cloak-spy-done", O_WRONLY | O_CREAT, 0644);
	if (done >= 0)
		close(done);
	return r > r2 ? r : r2;
}
