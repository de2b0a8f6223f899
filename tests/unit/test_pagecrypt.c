/*
 * test_pagecrypt.c - AES-GCM page sealing: round trip, tampering,
 * relocation, swapping, replay, the read-only re-encryption, derived keys,
 * and the cost of one page (printed: the cloaking issue's budget is 1.5 us).
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "mem/pagecrypt.h"

static void fill(uint8_t *p, unsigned seed)
{
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		p[i] = (uint8_t)(i * 7 + seed);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(void)
{
	struct check_ctx c = {0};
	static struct page_key k, k2;
	static uint8_t a[PAGE_SIZE], b[PAGE_SIZE], orig_a[PAGE_SIZE], orig_b[PAGE_SIZE], saved[PAGE_SIZE];
	struct page_seal sa = {0}, sb = {0}, old;

	CHECK(&c, pagecrypt_key_random(&k, 7) == 0);
	fill(a, 1), fill(b, 2);
	memcpy(orig_a, a, PAGE_SIZE), memcpy(orig_b, b, PAGE_SIZE);

	/* round trip, version 1 */
	CHECK(&c, pagecrypt_encrypt(&k, a, 1, 10, &sa) == 0);
	CHECK(&c, sa.version == 1);
	CHECK(&c, memcmp(a, orig_a, PAGE_SIZE) != 0);
	memcpy(saved, a, PAGE_SIZE);
	CHECK(&c, pagecrypt_decrypt(&k, a, 1, 10, &sa) == 0);
	CHECK(&c, memcmp(a, orig_a, PAGE_SIZE) == 0);

	/* read-only optimisation: same seal reproduces the same ciphertext */
	CHECK(&c, pagecrypt_reencrypt(&k, a, 1, 10, &sa) == 0);
	CHECK(&c, memcmp(a, saved, PAGE_SIZE) == 0);
	CHECK(&c, pagecrypt_decrypt(&k, a, 1, 10, &sa) == 0);
	a[100] ^= 1; /* modified plaintext: re-encryption under the old nonce is refused */
	CHECK(&c, pagecrypt_reencrypt(&k, a, 1, 10, &sa) == -EBADMSG);
	CHECK(&c, a[100] == (uint8_t)(orig_a[100] ^ 1)); /* untouched */
	a[100] ^= 1;

	/* a new version gets a new nonce */
	old = sa;
	CHECK(&c, pagecrypt_encrypt(&k, a, 1, 10, &sa) == 0);
	CHECK(&c, sa.version == 2 && memcmp(sa.nonce, old.nonce, PAGECRYPT_NONCE_BYTES) != 0);
	memcpy(saved, a, PAGE_SIZE);

	/* tampering: one bit flipped fails, and the page stays ciphertext */
	a[5] ^= 0x10;
	memcpy(b, a, PAGE_SIZE);
	CHECK(&c, pagecrypt_decrypt(&k, a, 1, 10, &sa) == -EBADMSG);
	CHECK(&c, memcmp(a, b, PAGE_SIZE) == 0);
	a[5] ^= 0x10;

	/* relocation: other offset or resource fails */
	CHECK(&c, pagecrypt_decrypt(&k, a, 1, 11, &sa) == -EBADMSG);
	CHECK(&c, pagecrypt_decrypt(&k, a, 2, 10, &sa) == -EBADMSG);
	/* replay: the old version's seal no longer verifies the new ciphertext, nor the reverse */
	CHECK(&c, pagecrypt_decrypt(&k, a, 1, 10, &old) == -EBADMSG);
	struct page_seal forged = old;
	memcpy(forged.tag, sa.tag, sizeof(forged.tag));
	CHECK(&c, pagecrypt_decrypt(&k, a, 1, 10, &forged) == -EBADMSG);
	CHECK(&c, memcmp(a, saved, PAGE_SIZE) == 0);

	/* swapping two pages (each keeps its own seal) fails */
	fill(b, 2);
	CHECK(&c, pagecrypt_encrypt(&k, b, 1, 11, &sb) == 0);
	CHECK(&c, pagecrypt_decrypt(&k, b, 1, 10, &sa) == -EBADMSG);
	CHECK(&c, pagecrypt_decrypt(&k, a, 1, 11, &sb) == -EBADMSG);
	CHECK(&c, pagecrypt_decrypt(&k, a, 1, 10, &sa) == 0 && memcmp(a, orig_a, PAGE_SIZE) == 0);
	CHECK(&c, pagecrypt_decrypt(&k, b, 1, 11, &sb) == 0 && memcmp(b, orig_b, PAGE_SIZE) == 0);

	/* another key (another domain) cannot decrypt */
	CHECK(&c, pagecrypt_key_random(&k2, 7) == 0);
	CHECK(&c, pagecrypt_encrypt(&k, a, 1, 10, &sa) == 0);
	CHECK(&c, pagecrypt_decrypt(&k2, a, 1, 10, &sa) == -EBADMSG);
	pagecrypt_key_destroy(&k2);

	/* derived keys: same master and identity give the same key, another identity not */
	uint8_t master[PAGECRYPT_KEY_BYTES] = {1, 2, 3};
	CHECK(&c, pagecrypt_key_derive(&k2, 7, master, "image-hash-A", 12) == 0);
	fill(b, 3);
	CHECK(&c, pagecrypt_encrypt(&k2, b, 1, 0, &sb) == 0);
	pagecrypt_key_destroy(&k2);
	CHECK(&c, pagecrypt_key_derive(&k2, 7, master, "image-hash-A", 12) == 0);
	memcpy(saved, b, PAGE_SIZE);
	CHECK(&c, pagecrypt_decrypt(&k2, b, 1, 0, &sb) == 0);
	pagecrypt_key_destroy(&k2);
	CHECK(&c, pagecrypt_key_derive(&k2, 7, master, "image-hash-B", 12) == 0);
	CHECK(&c, pagecrypt_decrypt(&k2, saved, 1, 0, &sb) == -EBADMSG);
	pagecrypt_key_destroy(&k2);

	/* nonces never repeat under a key */
	uint8_t last[PAGECRYPT_NONCE_BYTES] = {0};
	bool distinct = true;
	for (int i = 0; i < 1000; i++) {
		CHECK(&c, pagecrypt_encrypt(&k, a, 1, 10, &sa) == 0);
		distinct &= memcmp(last, sa.nonce, sizeof(last)) != 0;
		memcpy(last, sa.nonce, sizeof(last));
		CHECK(&c, pagecrypt_decrypt(&k, a, 1, 10, &sa) == 0);
	}
	CHECK(&c, distinct);

	/* cost of one page: encrypt + tag, and decrypt + verify */
	enum { N = 20000 };
	double t0 = now_s();
	for (int i = 0; i < N; i++)
		if (pagecrypt_encrypt(&k, a, 1, 10, &sa))
			break;
	double t1 = now_s();
	for (int i = 0; i < N; i++) {
		if (pagecrypt_decrypt(&k, a, 1, 10, &sa) || pagecrypt_encrypt(&k, a, 1, 10, &sa))
			break;
	}
	double t2 = now_s();
	printf("pagecrypt: encrypt+tag %.2f us per 4 KiB page, decrypt+verify %.2f us\n",
	       (t1 - t0) / N * 1e6, ((t2 - t1) / N - (t1 - t0) / N) * 1e6);
	pagecrypt_key_destroy(&k);
	return check_done(&c, "test_pagecrypt");
}
