/*
 * secretfile.c - a cloaked program that keeps a secret in a cloaked file on
 * the virtio disk (/dev/vda): umbra.file=write writes a new version,
 * umbra.file=read reads it back and verifies it (also after a restart).
 */
#include "shim.h"

#define AT_FDCWD (-100)
#define LEN 10000
static const char marker[] = "TOP-SECRET-UMBRA-FILE-";
static char data[LEN], back[SHIM_FILE_MAX];

static int has(const char *hay, long n, const char *needle)
{
	size_t m = shim_strlen(needle);
	for (long i = 0; i + (long)m <= n; i++) {
		size_t k = 0;
		while (k < m && hay[i + k] == needle[k])
			k++;
		if (k == m)
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	static char cmdline[1024];
	long fd = shim_openat(AT_FDCWD, "/proc/cmdline", 0, 0);
	long n = fd >= 0 ? shim_read((int)fd, cmdline, sizeof(cmdline) - 1) : -1;
	if (fd >= 0)
		shim_close((int)fd);
	if (n <= 0)
		return 2;
	for (int i = 0; i < LEN; i++)
		data[i] = marker[i % (sizeof(marker) - 1)];
	long disk = shim_openat(AT_FDCWD, "/dev/vda", 02 /* O_RDWR */, 0);
	if (disk < 0) {
		shim_puts("FILE: cannot open /dev/vda\n");
		return 3;
	}
	long rc;
	if (has(cmdline, n, "umbra.file=write")) {
		rc = shim_file_write((int)disk, 7, data, LEN);
		shim_puts(rc ? "FILE: write failed\n" : "FILE: written\n");
	} else {
		rc = shim_file_read((int)disk, 7, back, sizeof(back));
		if (rc == SHIM_EINTEGRITY)
			shim_puts("FILE: integrity failure detected\n");
		else if (rc == SHIM_EREPLAY)
			shim_puts("FILE: replay of an older version detected\n");
		else if (rc != LEN)
			shim_puts("FILE: read failed\n");
		else {
			int same = 1;
			for (int i = 0; i < LEN; i++)
				same &= back[i] == data[i];
			shim_puts(same ? "FILE: read back and verified\n" : "FILE: WRONG CONTENT\n");
			rc = same ? 0 : 1;
		}
	}
	shim_close((int)disk);
	return rc ? 1 : 0;
}
