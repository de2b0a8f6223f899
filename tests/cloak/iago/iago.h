/*
 * iago.h - what the lying kernel (kern.c) and the cloaked program (main.c)
 * of the Iago suite agree on.  Plain C, no includes beyond <stdint.h>.
 *
 * The secret is never in either binary: both hold it masked
 * (IAGO_MASKED[i] ^ IAGO_MASK(i)); the program unmasks it into its cloaked
 * memory at run time, the kernel only compares against the masked form, so
 * a plaintext copy anywhere in RAM can only have come from the program.
 */
#ifndef IAGO_H
#define IAGO_H

#include <stdint.h>

/* "UMBRA-IAGO-SECRET:c0ffee-5eed-42", masked. */
#define IAGO_SECRET_LEN 32
#define IAGO_MASK(i) ((uint8_t)(0x3b + 7 * (i)))
#define IAGO_MASKED                                                                        \
	{0x6e, 0x0f, 0x0b, 0x02, 0x16, 0x73, 0x2c, 0x2d, 0x34, 0x35, 0xac, 0xdb, 0xca, 0xd5, \
	 0xcf, 0xe1, 0xff, 0x88, 0xda, 0xf0, 0xa1, 0xa8, 0xb0, 0xb9, 0xce, 0xdf, 0x94, 0x9d, \
	 0x9b, 0x2b, 0x39, 0x26}

/* The one file the kernel serves (public contents). */
#define IAGO_FILE "/iago/data"
#define IAGO_FILE_HEAD "IAGO-DATA-FILE:"
#define IAGO_FILE_SIZE 100
#define IAGO_READ_LEN 32

/* getpid() tells the program which behaviour the run wants (a pid is public). */
#define IAGO_PID 4200         /* the normal program */
#define IAGO_PID_LEAK 4201    /* control: it writes its secret out on purpose */
#define IAGO_PID_CARELESS 4202 /* it unmaps anonymous memory still holding the secret */

/* Anonymous memory the program asks for, and what it adds to its break. */
#define IAGO_MMAP_LEN 8192
#define IAGO_BRK_GROW (512 * 1024) /* more than the image */

/* The program's last line on an honest run: "iago: done digest=0x<16 hex digits>\n",
 * the FNV-1a 64 of the secret. */
#define IAGO_DONE "iago: done digest="
#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

#endif
