/* umbra bench: the workloads, in plain freestanding C (no libc calls).
 * Compiled three ways: bare metal (bench/bare), Linux user (bench/linux) and native (host cc).
 * Everything uses fixed-width unsigned types so results are identical on every target. */
#ifndef BENCH_WORK_H
#define BENCH_WORK_H

#include <stddef.h>
#include <stdint.h>

/* intmix: linked-list processing, a token-classifying state machine, small integer matrix
 * arithmetic and bitwise CRCs, ITERS rounds; returns a 32-bit checksum. */
uint32_t intmix_run(uint32_t iters);

/* calls: naive recursive Fibonacci through non-inlined functions; returns fib(n)
 * mixed with the number of calls made. */
uint64_t calls_run(uint32_t n);

/* chase: turns buf[0..n) into a random single-cycle permutation (Sattolo's shuffle with a
 * 64-bit xorshift PRNG seeded by SEED), then follows it for STEPS hops from index 0. */
void chase_build(uint64_t *buf, uint64_t n, uint64_t seed);
uint64_t chase_run(const uint64_t *buf, uint64_t steps);

#endif
