/*
 * app.c - the balloon application (a static Linux program): holds as much
 * guest memory as umbra asks for and hands its frames to umbra, page by
 * page, through the BALLOON hypercalls (include/umbra/hypercall.h).
 * Runs until killed; `umbra-balloon SECONDS` stops after that long.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "umbra/hypercall.h"

#define CHUNK_PAGES 4096 /* 16 MiB per step */
#define MAX_CHUNKS 256

struct ret {
	long error, value;
};

static struct ret hyper(long fn, long a, long b)
{
	register long a0 __asm__("a0") = a, a1 __asm__("a1") = b;
	register long a6 __asm__("a6") = fn, a7 __asm__("a7") = UMBRA_EID;
	__asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a6), "r"(a7) : "memory");
	return (struct ret){a0, a1};
}

/*
 * One BALLOON call over n pages at p, repeated while umbra makes progress (a
 * call handles at most UMBRA_MAX_PAGES_PER_CALL pages); returns the pages done.
 */
static long balloon_call(long fn, char *p, long n)
{
	long done = 0;
	while (done < n) {
		struct ret r = hyper(fn, (long)(p + done * 4096), n - done);
		if (r.error || r.value <= 0)
			break;
		done += r.value;
	}
	return done;
}

static char *chunk[MAX_CHUNKS];
static long pages[MAX_CHUNKS];

int main(int argc, char **argv)
{
	long held = 0, nchunks = 0;
	time_t stop = argc > 1 ? time(NULL) + atol(argv[1]) : 0;
	struct ret probe = hyper(UMBRA_FN_PROBE, 0, 0);
	if (probe.error || !(probe.value & UMBRA_FEAT_BALLOON_APP)) {
		fprintf(stderr, "umbra-balloon: no umbra balloon here\n");
		return 1;
	}
	uint64_t token = (uint64_t)hyper(UMBRA_FN_BALLOON_TOKEN, 0, 0).value;
	printf("umbra-balloon: running\n");
	fflush(stdout);
	while (!stop || time(NULL) < stop) {
		long target = hyper(UMBRA_FN_BALLOON_TARGET, 0, 0).value;
		if (target > held && nchunks < MAX_CHUNKS) {
			long n = target - held < CHUNK_PAGES ? target - held : CHUNK_PAGES;
			char *p = mmap(NULL, (size_t)n * 4096, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
			if (p == MAP_FAILED) {
				usleep(200000); /* the guest has no memory to spare right now */
				continue;
			}
			for (long i = 0; i < n; i++) /* the value umbra checks in every page */
				*(uint64_t *)(p + i * 4096) = token ^ (((uintptr_t)p >> 12) + (uint64_t)i);
			long taken = balloon_call(UMBRA_FN_BALLOON_GIVE, p, n);
			if (taken < n) /* keep what umbra took; free the rest */
				munmap(p + taken * 4096, (size_t)(n - taken) * 4096);
			if (taken) {
				chunk[nchunks] = p;
				pages[nchunks++] = taken;
				held += taken;
			}
		} else if (target < held && nchunks) {
			nchunks--;
			balloon_call(UMBRA_FN_BALLOON_TAKE, chunk[nchunks], pages[nchunks]);
			munmap(chunk[nchunks], (size_t)pages[nchunks] * 4096);
			held -= pages[nchunks];
		} else {
			usleep(250000);
		}
	}
	while (nchunks--) {
		balloon_call(UMBRA_FN_BALLOON_TAKE, chunk[nchunks], pages[nchunks]);
		munmap(chunk[nchunks], (size_t)pages[nchunks] * 4096);
	}
	return 0;
}
